/* domain/venue.h — where a bot trades: a table of venue operations (prices, candles, whether the owner may trade, place orders under client ids, look one up) */
#ifndef HZM_VENUE_H
#define HZM_VENUE_H

#include <stddef.h>

#include "core/err.h"

struct ctx;
struct user;

/* An order of a bot: a market order of qty (decimal string at the market's scale). */
struct venue_order {
	const char	*symbol;	/* as the venue names it */
	int		 sell;
	const char	*qty;
	const char	*price;		/* the price it is decided at; NULL: unknown */
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
	/*
	 * fee_asset is not the quote asset: the commission is recorded as
	 * charged and kept out of the PnL (one in the base asset was taken
	 * from executed already; one in a third asset, BNB, costs no quote).
	 */
	int		 fee_outside;
	const char	*price;		/* the average price, when not quote / executed */
	const char	*why;		/* a refusal's reason, for the bot's status */
	int		 key_invalid;	/* the venue refused the user's credentials */
	int		 below_min;	/* refused unsent: less than the venue's least quantity */
	char		 key_id[40];	/* ... these ones (for key_refused) */
};

/* One order of place_all(): o placed as c's actor, answered in f and e as place() would. */
struct venue_call {
	struct ctx		*c;
	struct venue_order	 o;
	struct venue_fill	 f;
	enum err		 e;
};

/*
 * A venue's operations answer enum err; for all of them
 * ERR_RATE_LIMIT_EXCEEDED means the venue asked to wait (the cycle is
 * skipped, not failed) and ERR_SYSTEM_003 that it did not answer.
 */
struct venue {
	const char	*name;		/* "HZM", "BINANCE" */
	/*
	 * The last price of each of n symbols into out[i] (decimal text,
	 * NULL: no price yet). Called once per run for every symbol the
	 * run's bots need on this venue.
	 */
	enum err	(*prices)(struct ctx *, const char *const *symbols, size_t n,
			    const char **out);
	/* The latest closes of symbol's 1-minute candles, oldest first, at most max. */
	enum err	(*closes)(struct ctx *, const char *symbol, size_t max,
			    const char ***out, size_t *n);
	/*
	 * Whether the context's actor may trade here (NULL: always); else
	 * a code and *why, which stops a live bot (ERROR) at once.
	 */
	enum err	(*ready)(struct ctx *, const char **why);
	/*
	 * Place o as the context's actor (the bot's owner). ERR_OK with *f
	 * (f->final: its outcome; else look it up later); a refusal's code
	 * with f->why; ERR_SYSTEM_002 when whether it was placed is unknown.
	 */
	enum err	(*place)(struct ctx *, const struct venue_order *,
			    struct venue_fill *f);
	/* Several orders at once (NULL: place() one after another). */
	void		(*place_all)(struct venue_call *, size_t n);
	/* The actor's order by its client id: f->found 0 when there is none. */
	enum err	(*lookup)(struct ctx *, const char *symbol,
			    const char *client_id, struct venue_fill *f);
	/*
	 * The venue refused the actor's credentials key_id (f->key_invalid):
	 * mark them invalid, in the caller's transaction. ERR_NOT_FOUND when
	 * they already were (another bot of the run saw it first).
	 */
	enum err	(*key_refused)(struct ctx *, const char *key_id,
			    const char *why);
	/*
	 * Whether qty of symbol (worth price each) is less than the venue
	 * takes in an order (a fee's remainder it cannot sell); NULL: every
	 * quantity is taken.
	 */
	int		(*dust)(struct ctx *, const char *symbol, const char *qty,
			    const char *price);
	/*
	 * The asset symbol is quoted in (what a bot's PnL is in), or NULL
	 * when it cannot be told; a NULL operation: hzm's markets say it.
	 */
	const char	*(*quote_asset)(const char *symbol);
};

/* calls placed on v: at once when v can, else one after another. */
void		 venue_place_all(const struct venue *v, struct venue_call *calls,
		    size_t n);

/* The venue named name, or NULL when hzm cannot trade there (yet). */
const struct venue *venue_get(const char *name);

extern const struct venue venue_hzm;
extern const struct venue venue_binance;

#endif
