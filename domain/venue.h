/* domain/venue.h — where a bot trades: a table of venue operations (prices, place an order under a client id, look one up) */
#ifndef HZM_VENUE_H
#define HZM_VENUE_H

#include <stddef.h>

#include "core/err.h"

struct ctx;
struct user;

/* An order of a bot: a market order of qty (decimal string at the market's scale). */
struct venue_order {
	const char	*symbol;
	int		 sell;
	const char	*qty;
	/*
	 * Derived from the bot and its cycle ("bot-<id>-<cycle>"): a cycle
	 * tried again sends the same id, which the venue lets exist once.
	 */
	const char	*client_id;
};

/* What became of an order, as decimal strings at the market's scales. */
struct venue_fill {
	int		 found;		/* lookup: the venue knows the client id */
	int		 final;		/* done: nothing more will fill */
	char		 order_id[40];
	char		 status[24];
	const char	*executed, *quote, *fee, *fee_asset;
	const char	*why;		/* a refusal's reason, for the bot's status */
	int		 key_invalid;	/* the venue refused the user's credentials */
};

struct venue {
	const char	*name;		/* "HZM", "BINANCE" */
	/*
	 * The last price of each of n symbols into out[i] (decimal text,
	 * NULL: no price yet). Called once per run for every symbol the
	 * run's bots need on this venue.
	 */
	enum err	(*prices)(struct ctx *, const char *const *symbols, size_t n,
			    const char **out);
	/*
	 * Place o as the context's actor (the bot's owner). ERR_OK with *f
	 * (f->final: its outcome; else look it up later); a refusal's code
	 * with f->why; ERR_SYSTEM_002 when whether it was placed is unknown.
	 */
	enum err	(*place)(struct ctx *, const struct venue_order *,
			    struct venue_fill *f);
	/* The actor's order by its client id: f->found 0 when there is none. */
	enum err	(*lookup)(struct ctx *, const char *symbol,
			    const char *client_id, struct venue_fill *f);
};

/* The venue named name, or NULL when hzm cannot trade there (yet). */
const struct venue *venue_get(const char *name);

extern const struct venue venue_hzm;

#endif
