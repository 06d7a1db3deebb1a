/* domain/bots.h — trading bots (seed 001): configurations, their state, start and stop, and the reports on what they did */
#ifndef HZM_BOTS_H
#define HZM_BOTS_H

#include <stdint.h>

#include <libpq-fe.h>

#include "core/err.h"
#include "domain/strategy.h"

struct ctx;
struct in_err;
struct json_object;

#define BOT_ID_LEN	24		/* "bot_" + 20 */
#define BOT_NAME_MAX	64

/* A bot's amounts are at its market's scales; a Binance symbol hzm does not list gets 8. */
struct bot_scales {
	int		 price, qty, quote;
	char		 quote_asset[16];
};

/* A configuration as a request gives it, checked (bot_conf_parse()). */
struct bot_conf {
	const char	*name, *symbol, *venue, *strategy;
	const char	*venue_symbol;		/* BINANCE: its name there, NULL: symbol */
	int		 ema_period;		/* 0: not given */
	const char	*params;		/* strategyParams as JSON text */
	int		 paper;
	/* decimal strings at their scales, NULL when not set */
	const char	*order_size, *stop_loss, *take_profit, *daily_profit,
			*daily_loss;
	struct bot_scales sc;
	struct strat_params sp;
};

/*
 * Read a configuration from body; with base (a bot's current
 * configuration as bot_conf_json() writes it) the body's members replace
 * base's, so an update may send only what changes. ERR_OK, or the error
 * with *e naming the field (TRADE_005: an unknown hzm market).
 */
enum err	 bot_conf_parse(struct ctx *, struct json_object *body,
		    struct json_object *base, struct bot_conf *, struct in_err *e);
/*
 * The scales of symbol on venue ("HZM": the market's, TRADE_005 when
 * unknown); elsewhere symbol is the pair as the venue trades it, which
 * says the quote asset ("" when it cannot be told).
 */
enum err	 bot_scales_get(struct ctx *, const char *venue, const char *symbol,
		    struct bot_scales *);

/* The scales of row's bot (a row of bot_get()/bot_list()). */
enum err	 bot_row_scales(struct ctx *, PGresult *, int row, struct bot_scales *);
/*
 * The asset a bot's PnL is in: its hzm market's quote asset (market_quote,
 * "" or NULL when none), else the quote of the pair the venue trades
 * (venue_symbol, or symbol when NULL). NULL when it cannot be told.
 */
const char	*bot_pnl_currency(const char *venue, const char *symbol,
		    const char *venue_symbol, const char *market_quote);

/* The actor's bots; each answers ERR_NOT_FOUND for another user's or a deleted bot. */
enum err	 bot_create(struct ctx *, const struct bot_conf *, char id[BOT_ID_LEN + 1]);
enum err	 bot_get(struct ctx *, const char *id, PGresult **);
enum err	 bot_list(struct ctx *, PGresult **);
enum err	 bot_update(struct ctx *, const char *id, const struct bot_conf *);
enum err	 bot_delete(struct ctx *, const char *id);
/*
 * RUNNING (KYC_REQUIRED for a live hzm bot below LEVEL_2; CONFLICT with
 * *why while today's PnL is past its daily profit target or loss limit),
 * or STOPPED by its owner.
 */
enum err	 bot_start(struct ctx *, const char *id, const char **why);
enum err	 bot_stop(struct ctx *, const char *id);

/* A row of bot_get()/bot_list() as the API shows it, and its parts. */
struct json_object *bot_json(PGresult *, int row);
struct json_object *bot_state_json(PGresult *, int row);
struct json_object *bot_conf_json(PGresult *, int row);

/* ---- reports (domain/bot_report.c) ---- */

/* The trades of the actor's bot id, newest first unless oldest_first. */
struct bot_trade_query {
	const char	*side, *reason;		/* NULL: any */
	int		 oldest_first;
	const char	*limit, *offset;
};
enum err	 bot_trades_list(struct ctx *, const char *id,
		    const struct bot_trade_query *, PGresult **, long long *total);
/* One trade of the actor's bot id: ERR_NOT_FOUND for another bot's, another user's or an unknown one. */
enum err	 bot_trade_get(struct ctx *, const char *id, const char *trade_id,
		    PGresult **);
struct json_object *bot_trade_json(PGresult *, int row);
/* {totalTrades, buyCount, sellCount, totalPnl, realizedPnl, ...} of the actor's bot id. */
enum err	 bot_performance(struct ctx *, const char *id, struct json_object **);
/*
 * Every bot of the actor with its figures, its realized PnL totalled per
 * quote asset (totalRealizedPnlByCurrency), and totalRealizedPnl where
 * one quote asset serves them all.
 */
enum err	 bot_summary(struct ctx *, struct json_object **);

/* A decimal at scale as the API writes it (arena-free: a static-size buffer). */
struct json_object *bot_dec_json(int64_t v, int scale);

#endif
