/* domain/bot_run.h — the bot worker's run: claim due bots, price each venue and symbol once, decide, trade, settle */
#ifndef HZM_BOT_RUN_H
#define HZM_BOT_RUN_H

#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "domain/bot_step.h"

struct ctx;

/* What one run did (printed by cron-bots; the bench reads it). */
struct bot_run_stats {
	long	 claimed, trades, holds, failures, errors, resumed, halted;
	long	 skipped;	/* the venue asked to wait (Retry-After) */
	long	 orders;	/* live orders sent */
	long	 price_lookups, candle_lookups;
};

struct bot_run_opts {
	long	 batch;		/* bots claimed at a time */
	long	 lease_seconds;	/* how long a claim is the run's */
	long	 interval_seconds; /* a bot is due this long after its last run */
	long	 max_failures;	/* ERROR after this many failed cycles in a row */
	int	 (*stopping)(void *);
	void	*stopping_arg;
};

/* A claimed bot, as the worker reads it. */
struct bot_claim {
	const char		*id, *public_id, *symbol, *venue, *strategy;
	const char		*vsymbol;	/* the market as the venue names it */
	const char		*cycle, *pending_side, *pending_qty, *pending_reason;
	const char		*daily_profit, *daily_loss, *today_pnl;
	int			 paper, failures;
	struct user		 owner;
	struct bot_rules	 br;
	struct strat_state	 st;
	const char		*bad;	/* why the configuration cannot run, or NULL */
};

enum err	 bot_run(struct ctx *, const struct bot_run_opts *,
		    struct bot_run_stats *);

/* ---- the transactions of a cycle (domain/bot_settle.c) ---- */

/* A fill to settle: strings at the market's scales as the venue reports. */
struct bot_fill {
	int		 sell;
	enum bot_reason	 reason;
	int64_t		 price, qty, quote, fee;	/* fee: in the quote asset, in the PnL */
	const char	*fee_asset, *order_id, *client_id;
	const char	*fee_other;	/* the commission in fee_asset, not the quote asset: kept, outside the PnL */
};

/* Write the fill, the lots, the state and the events; ERR_CONFLICT: the claim was lost. */
enum err	 bot_settle_fill(struct ctx *, const char *token,
		    const struct bot_claim *, const struct bot_fill *,
		    const struct strat_decision *, int64_t last_price, int *halted);
/*
 * Today's PnL (today) is already past a daily limit (h) before the cycle
 * trades: STOPPED for the rest of the UTC day, with its event, nothing
 * placed. ERR_CONFLICT: the claim was lost.
 */
enum err	 bot_settle_halt(struct ctx *, const char *token,
		    const struct bot_claim *, int64_t today, enum bot_halt h);
/* A cycle without a trade: state kept, claim released. */
enum err	 bot_settle_hold(struct ctx *, const char *token,
		    const struct bot_claim *, const struct strat_decision *,
		    const char *last_price);
/* Record the intent before the order leaves (a crash then finds it). */
enum err	 bot_settle_pending(struct ctx *, const char *token,
		    const struct bot_claim *, int sell, const char *qty,
		    enum bot_reason);
/*
 * A failed cycle: failures + 1, ERROR past max (bot.error), or at once
 * when fatal (venue not available, configuration); next_cycle drops the
 * pending order's id when the venue settled that it will not fill.
 * key_invalid also tells the user their API key stopped working.
 */
enum err	 bot_settle_failure(struct ctx *, const char *token,
		    const struct bot_claim *, const char *why, int fatal,
		    int next_cycle, int key_invalid, long max_failures, int *errored);

/* The venue asked to wait (429): the cycle is skipped, not failed; its intent is kept. */
enum err	 bot_settle_skip(struct ctx *, const char *token,
		    const struct bot_claim *, const char *why);
/* Nothing to do, no one's fault (a remainder under the venue's least quantity): the intent dropped, no failure. */
enum err	 bot_settle_pass(struct ctx *, const char *token,
		    const struct bot_claim *, const char *why);
/*
 * The venue refused the owner's credentials key_id: in one transaction,
 * v marks them invalid, every live bot of the owner on that venue that no
 * run holds stops (ERROR, bot.error), this one too, and apikey.invalid is
 * written once. *first 0: the credentials were already marked (by
 * another bot's cycle), and only this bot stops.
 */
struct venue;
enum err	 bot_settle_key_refused(struct ctx *, const char *token,
		    const struct bot_claim *, const struct venue *v,
		    const char *key_id, const char *why, int *first);

#endif
