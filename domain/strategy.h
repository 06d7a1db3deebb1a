/* domain/strategy.h — trading strategies as a table: each a pure function from candles and a bot's state to a decision */
#ifndef HZM_STRATEGY_H
#define HZM_STRATEGY_H

#include <stddef.h>
#include <stdint.h>

struct in_err;
struct json_object;

/*
 * Every price is an int64 at the market's price scale, every quantity at
 * its quantity scale (core/decimal); percentages are at STRAT_PCT_SCALE
 * (1.5% is 15000). Indicators are computed in scaled integers too
 * (strategy_rules.c says why), so a decision never depends on floats.
 */
#define STRAT_PCT_SCALE	4
#define STRAT_PCT_ONE	10000LL		/* 1% */
#define STRAT_CANDLES_MAX	1500
#define STRAT_EMA_PERIOD	20	/* an ema bot's period when its configuration names none */

enum strat_kind { STRAT_SIMPLE, STRAT_EMA, STRAT_RSI, STRAT_GRID, STRAT_DCA,
	STRAT__COUNT };
enum strat_action { STRAT_HOLD, STRAT_BUY, STRAT_SELL };

struct strat_scales {
	int		 price;
	int		 qty;
};

/* A strategy's parameters, checked (strat_params_parse()). */
struct strat_params {
	enum strat_kind	 kind;
	int64_t		 buy_below, sell_above;		/* simple */
	int		 ema_period;			/* ema */
	int		 rsi_period, oversold, overbought; /* rsi: 0..100 */
	int64_t		 lower, upper;			/* grid */
	int		 levels;
	int64_t		 safety_size;			/* dca: first safety order */
	int		 max_safety;
	int64_t		 deviation;			/* dca: pct */
	int64_t		 volume_scale;			/* dca: at STRAT_PCT_SCALE, 1x = 10000 */
	int64_t		 take_profit;			/* dca: pct over the average entry */
};

/* What a strategy remembers between runs, with the bot's position. */
struct strat_state {
	int64_t		 position;	/* quantity held (0: flat) */
	int64_t		 avg_entry;	/* price; 0 when flat */
	int64_t		 anchor;	/* dca: last buy price; grid: unused */
	int		 steps;		/* dca: safety orders filled; grid: level + 1 */
};

struct strat_input {
	const int64_t		*closes;	/* candle closes, oldest first */
	size_t			 n;
	int64_t			 price;		/* the price now */
	int64_t			 order_size;	/* quantity */
	struct strat_state	 st;
	struct strat_scales	 sc;
};

struct strat_decision {
	enum strat_action	 action;
	int64_t			 qty;
	/* the state after this decision, should the order fill (anchor is
	 * the price now for a buy; the worker keeps them on HOLD too) */
	int64_t			 anchor;
	int			 steps;
	const char		*why;		/* a few words for the log */
};

struct strategy {
	const char	*name;
	/* how many candles decide needs (0: the price alone) */
	size_t		(*lookback)(const struct strat_params *);
	void		(*decide)(const struct strat_params *,
			    const struct strat_input *, struct strat_decision *);
};

extern const struct strategy strategies[STRAT__COUNT];
extern const char *const strat_names[];		/* NULL-terminated */

/* The strategy named s, or -1. */
int		 strat_kind(const char *s);
/*
 * Read a strategy's parameters (the "strategyParams" object, emaPeriod
 * given apart as the seed has it, 0 absent) at the market's scales:
 * 0, or -1 with *e naming the field and why.
 */
int		 strat_params_parse(enum strat_kind, struct json_object *params,
		    int ema_period, int64_t order_size, const struct strat_scales *,
		    struct strat_params *, struct in_err *e);
/* The decision for in: strategies[kind].decide with the input's sanity checked. */
void		 strat_decide(const struct strat_params *, const struct strat_input *,
		    struct strat_decision *);

/* Indicators, exposed for the tests: at the price scale, half-even rounding. */
int		 strat_ema(const int64_t *closes, size_t n, int period, int64_t *out);
/* RSI (Wilder) over the last closes, in hundredths (7012 is 70.12): -1 if too few. */
int		 strat_rsi(const int64_t *closes, size_t n, int period, int64_t *out);

#endif
