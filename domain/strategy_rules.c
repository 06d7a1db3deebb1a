/* domain/strategy_rules.c — the strategies' decisions and indicators (EMA, RSI), pure functions on scaled integers
 *
 * Indicators are computed in scaled integers (prices at the market's scale
 * times 10^6 inside, in 128 bits), never in floating point: the worker and
 * the backtest must reach the same decision from the same candles on any
 * machine, and a float's rounding would let a price sitting exactly on an
 * EMA or a threshold fall on either side of it.
 */
#include <stdint.h>
#include <string.h>

#include "domain/strategy.h"

#define IND_EXTRA	1000000	/* internal digits of an indicator beyond the price scale */

typedef __int128 i128;

/* a / b rounded half to even (b > 0). */
static i128
div_even(i128 a, i128 b)
{
	i128 q = a / b, r = a % b;

	if (r < 0) {
		r = -r;
		if (2 * r > b || (2 * r == b && (q & 1)))
			q--;
	} else if (2 * r > b || (2 * r == b && (q & 1)))
		q++;
	return q;
}

int
strat_ema(const int64_t *c, size_t n, int period, int64_t *out)
{
	i128 ema = 0;
	size_t i;

	if (period < 1 || n < (size_t)period)
		return -1;
	/* seeded with the simple average of the first period closes */
	for (i = 0; i < (size_t)period; i++)
		ema += (i128)c[i] * IND_EXTRA;
	ema = div_even(ema, period);
	for (; i < n; i++)
		ema += div_even(((i128)c[i] * IND_EXTRA - ema) * 2, period + 1);
	*out = (int64_t)div_even(ema, IND_EXTRA);
	return 0;
}

int
strat_rsi(const int64_t *c, size_t n, int period, int64_t *out)
{
	i128 gain = 0, loss = 0, d;
	size_t i;

	if (period < 1 || n < (size_t)period + 1)
		return -1;
	for (i = 1; i <= (size_t)period; i++) {
		d = (i128)(c[i] - c[i - 1]) * IND_EXTRA;
		if (d > 0)
			gain += d;
		else
			loss -= d;
	}
	gain = div_even(gain, period);
	loss = div_even(loss, period);
	/* Wilder's smoothing */
	for (; i < n; i++) {
		d = (i128)(c[i] - c[i - 1]) * IND_EXTRA;
		gain = div_even(gain * (period - 1) + (d > 0 ? d : 0), period);
		loss = div_even(loss * (period - 1) + (d < 0 ? -d : 0), period);
	}
	*out = gain + loss == 0 ? 5000 : (int64_t)div_even(gain * 10000,
	    gain + loss);
	return 0;
}

/* price x (1 + pct) or (1 - pct), pct at STRAT_PCT_SCALE, rounded half even. */
static int64_t
pct_of(int64_t price, int64_t pct, int up)
{
	i128 f = 100 * STRAT_PCT_ONE + (up ? pct : -pct);

	return (int64_t)div_even((i128)price * f, 100 * STRAT_PCT_ONE);
}

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static void
keep(const struct strat_input *in, struct strat_decision *d, const char *why)
{
	d->action = STRAT_HOLD;
	d->qty = 0;
	d->anchor = in->st.anchor;
	d->steps = in->st.steps;
	d->why = why;
}

static void
buy(const struct strat_input *in, struct strat_decision *d, int64_t qty,
    const char *why)
{
	d->action = STRAT_BUY;
	d->qty = qty;
	d->anchor = in->price;
	d->steps = in->st.steps;
	d->why = why;
}

static void
sell(const struct strat_input *in, struct strat_decision *d, int64_t qty,
    const char *why)
{
	d->action = STRAT_SELL;
	d->qty = min64(qty, in->st.position);
	d->anchor = in->st.anchor;
	d->steps = in->st.steps;
	d->why = why;
}

/* ---- simple: buy below one price, sell above another ---------------------- */

static size_t
simple_lookback(const struct strat_params *p)
{
	(void)p;
	return 0;
}

static void
simple_decide(const struct strat_params *p, const struct strat_input *in,
    struct strat_decision *d)
{
	if (in->st.position == 0 && in->price < p->buy_below)
		buy(in, d, in->order_size, "price below buyBelow");
	else if (in->st.position > 0 && in->price > p->sell_above)
		sell(in, d, in->order_size, "price above sellAbove");
	else
		keep(in, d, "between the thresholds");
}

/* ---- ema: in while the price is above its EMA, out below it --------------- */

static size_t
ema_lookback(const struct strat_params *p)
{
	/* the seed average needs period closes; more let the EMA settle */
	return (size_t)p->ema_period * 3;
}

static void
ema_decide(const struct strat_params *p, const struct strat_input *in,
    struct strat_decision *d)
{
	int64_t ema;

	if (strat_ema(in->closes, in->n, p->ema_period, &ema) == -1)
		{ keep(in, d, "not enough candles for the EMA"); return; }
	if (in->st.position == 0 && in->price > ema)
		buy(in, d, in->order_size, "price crossed above the EMA");
	else if (in->st.position > 0 && in->price < ema)
		sell(in, d, in->order_size, "price crossed below the EMA");
	else
		keep(in, d, "no crossing");
}

/* ---- rsi: buy oversold, sell overbought ----------------------------------- */

static size_t
rsi_lookback(const struct strat_params *p)
{
	return (size_t)p->rsi_period * 4 + 1;
}

static void
rsi_decide(const struct strat_params *p, const struct strat_input *in,
    struct strat_decision *d)
{
	int64_t rsi;

	if (strat_rsi(in->closes, in->n, p->rsi_period, &rsi) == -1)
		{ keep(in, d, "not enough candles for the RSI"); return; }
	if (in->st.position == 0 && rsi < (int64_t)p->oversold * 100)
		buy(in, d, in->order_size, "RSI below oversold");
	else if (in->st.position > 0 && rsi > (int64_t)p->overbought * 100)
		sell(in, d, in->order_size, "RSI above overbought");
	else
		keep(in, d, "RSI between the bounds");
}

/* ---- grid: buy each level down, sell each level up ------------------------ */

static size_t
grid_lookback(const struct strat_params *p)
{
	(void)p;
	return 0;
}

/*
 * The level the price stands at, 0..levels; steps holds the level last
 * traded at plus one (0: none yet, the first run only takes its bearing).
 */
static void
grid_decide(const struct strat_params *p, const struct strat_input *in,
    struct strat_decision *d)
{
	int64_t step = (p->upper - p->lower) / p->levels;
	int level, last = in->st.steps - 1;

	if (in->price < p->lower || in->price > p->upper || step <= 0)
		{ keep(in, d, "price outside the grid"); return; }
	level = (int)((in->price - p->lower) / step);
	if (level > p->levels)
		level = p->levels;
	if (last < 0 || level == last) {
		keep(in, d, last < 0 ? "grid level taken" : "same grid level");
		d->steps = level + 1;
		return;
	}
	if (level < last)
		buy(in, d, in->order_size, "price fell a grid level");
	else if (in->st.position > 0)
		sell(in, d, in->order_size, "price rose a grid level");
	else
		keep(in, d, "price rose a grid level, nothing held");
	d->steps = level + 1;
}

/* ---- dca: a base order, safety orders on the way down, take profit -------- */

static size_t
dca_lookback(const struct strat_params *p)
{
	(void)p;
	return 0;
}

/* Safety order k (0-based): safety_size x volume_scale^k, at the quantity scale. */
static int64_t
safety_qty(const struct strat_params *p, int k)
{
	i128 q = p->safety_size;

	while (k-- > 0)
		q = div_even(q * p->volume_scale, 100 * STRAT_PCT_ONE);
	return q > INT64_MAX / 4 ? INT64_MAX / 4 : (int64_t)q;
}

static void
dca_decide(const struct strat_params *p, const struct strat_input *in,
    struct strat_decision *d)
{
	if (in->st.position == 0) {
		buy(in, d, in->order_size, "base order");
		d->steps = 0;
		return;
	}
	if (in->price >= pct_of(in->st.avg_entry, p->take_profit, 1)) {
		sell(in, d, in->st.position, "take profit over the average entry");
		d->steps = 0;
		return;
	}
	if (in->st.steps < p->max_safety && in->st.anchor > 0 &&
	    in->price <= pct_of(in->st.anchor, p->deviation, 0)) {
		buy(in, d, safety_qty(p, in->st.steps), "safety order");
		d->steps = in->st.steps + 1;
		return;
	}
	keep(in, d, "waiting");
}

const struct strategy strategies[STRAT__COUNT] = {
	[STRAT_SIMPLE]	= { "simple", simple_lookback, simple_decide },
	[STRAT_EMA]	= { "ema", ema_lookback, ema_decide },
	[STRAT_RSI]	= { "rsi", rsi_lookback, rsi_decide },
	[STRAT_GRID]	= { "grid", grid_lookback, grid_decide },
	[STRAT_DCA]	= { "dca", dca_lookback, dca_decide },
};

void
strat_decide(const struct strat_params *p, const struct strat_input *in,
    struct strat_decision *d)
{
	memset(d, 0, sizeof(*d));
	if (p->kind < 0 || p->kind >= STRAT__COUNT || in->price <= 0 ||
	    in->order_size <= 0 || in->st.position < 0)
		{ keep(in, d, "no decision"); return; }
	strategies[p->kind].decide(p, in, d);
	if (d->action != STRAT_HOLD && d->qty <= 0)
		keep(in, d, "nothing to trade");
}
