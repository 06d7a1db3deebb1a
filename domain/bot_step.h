/* domain/bot_step.h — one cycle of a bot as pure arithmetic: stop-loss and take-profit, the strategy's decision, a fill applied to the FIFO lots */
#ifndef HZM_BOT_STEP_H
#define HZM_BOT_STEP_H

#include <stdint.h>

#include "domain/bot_pnl.h"
#include "domain/bots.h"
#include "domain/strategy.h"

enum bot_reason { BOT_SIGNAL, BOT_STOP_LOSS, BOT_TAKE_PROFIT };
extern const char *const bot_reason_names[];	/* "SIGNAL", "STOP_LOSS", "TAKE_PROFIT" */

/* What decides a bot's cycle: the worker and the backtest read the same. */
struct bot_rules {
	struct strat_params	 sp;
	struct bot_scales	 sc;
	int64_t			 order_size;	/* quantity */
	int64_t			 stop_loss;	/* pct at STRAT_PCT_SCALE, 0: none */
	int64_t			 take_profit;
};

/* The rules from a configuration's strings (NUMERIC text is fine): -1 if unreadable. */
int	 bot_rules_make(struct bot_rules *, const struct strat_params *,
	    const struct bot_scales *, const char *order_size,
	    const char *stop_loss, const char *take_profit);

/*
 * The decision at price: while holding, a price at or below the average
 * entry less stop_loss sells everything (BOT_STOP_LOSS), at or above it
 * plus take_profit too (BOT_TAKE_PROFIT); otherwise the strategy decides.
 */
void	 bot_step_decide(const struct bot_rules *, const int64_t *closes,
	    size_t n, int64_t price, const struct strat_state *,
	    struct strat_decision *, enum bot_reason *);

/*
 * A fill of qty for quote (price x qty at the quote scale) and fee (quote
 * asset) applied to the lots (id: the buy's lot id): a buy adds a lot
 * costing quote + fee, a sell realizes quote - fee less the FIFO cost.
 * st gets the position and the average entry after it. -1: a sell of
 * more than is held, or the lots are full.
 */
int	 bot_step_fill(struct pnl_fifo *, const struct bot_scales *, int sell,
	    int64_t id, int64_t qty, int64_t quote, int64_t fee,
	    int64_t *realized, struct strat_state *st);
/* Average entry of the open lots at the price scale (0 when flat). */
int64_t	 bot_step_avg(const struct pnl_fifo *, const struct bot_scales *);
/*
 * Whether today's realized PnL has reached the daily profit target or the
 * daily loss limit (decimal text at scale, NULL or 0: none): a bot past
 * either trades no more that UTC day. The worker asks before each order
 * and after each fill, and a start on the same day asks too.
 */
enum bot_halt { BOT_HALT_NONE, BOT_HALT_TARGET, BOT_HALT_LOSS };
extern const char *const bot_halt_events[];	/* NULL, "bot.daily_target", "bot.daily_loss" */
extern const char *const bot_halt_reasons[];	/* NULL, "daily profit target reached", ... */
enum bot_halt bot_step_daily(const char *target, const char *limit, int scale,
	    int64_t today);
/*
 * Today's PnL as the database keeps it (numeric text, any number of
 * decimals) at the quote's scale, half up, as round() shows it: the start
 * and the worker judge the same figure. -1 when it is not a number.
 */
int	 bot_step_pnl(const char *s, int scale, int64_t *out);
/* The quote amount of qty at price, rounded down (what a paper fill gets). */
int	 bot_step_quote(const struct bot_scales *, int64_t price, int64_t qty,
	    int64_t *quote);

#endif
