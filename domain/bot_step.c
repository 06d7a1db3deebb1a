/* domain/bot_step.c — one cycle of a bot as pure arithmetic: stop-loss and take-profit, the strategy's decision, a fill applied to the FIFO lots */
#include <string.h>

#include "core/decimal.h"
#include "domain/bot_step.h"

const char *const bot_reason_names[] = { "SIGNAL", "STOP_LOSS", "TAKE_PROFIT", NULL };
const char *const bot_halt_events[] = { NULL, "bot.daily_target", "bot.daily_loss" };
const char *const bot_halt_reasons[] = { NULL, "daily profit target reached",
    "daily loss limit reached" };

/* A limit of the configuration at scale: 0 when none or unreadable. */
static int64_t
daily_limit(const char *s, int scale)
{
	int64_t v;

	if (s == NULL || dec_parse_flags(s, strlen(s), scale, DEC_ZEROS_OK,
	    &v) != DEC_OK)
		return 0;
	return v;
}

enum bot_halt
bot_step_daily(const char *target, const char *limit, int scale, int64_t today)
{
	int64_t t = daily_limit(target, scale), l = daily_limit(limit, scale);

	if (t > 0 && today >= t)
		return BOT_HALT_TARGET;
	if (l > 0 && today <= -l)
		return BOT_HALT_LOSS;
	return BOT_HALT_NONE;
}

int
bot_step_pnl(const char *s, int scale, int64_t *out)
{
	char b[64];
	const char *dot;
	size_t n;
	int64_t v;

	*out = 0;
	if (s == NULL || scale < 0 || scale >= DEC_MAXSCALE)
		return -1;
	/* One digit past the scale decides half up. */
	n = strlen(s);
	if ((dot = strchr(s, '.')) != NULL && n > (size_t)(dot - s) + 2 + (size_t)scale)
		n = (size_t)(dot - s) + 2 + (size_t)scale;
	if (n >= sizeof(b))
		return -1;
	memcpy(b, s, n);
	b[n] = '\0';
	if (dec_parse_flags(b, n, scale + 1, DEC_NEG_OK | DEC_ZEROS_OK, &v) != DEC_OK ||
	    dec_rescale(v, scale + 1, scale, DEC_ROUND_HALF_UP, out) != DEC_OK)
		return -1;
	return 0;
}

/* avg x (1 +/- pct), half even, at the price scale. */
static int64_t
around(int64_t avg, int64_t pct, int up)
{
	__int128 f = 100 * STRAT_PCT_ONE + (up ? pct : -pct);
	__int128 x = (__int128)avg * f, d = 100 * STRAT_PCT_ONE;
	__int128 qt = x / d, r = x % d;

	if (2 * r > d || (2 * r == d && (qt & 1)))
		qt++;
	return (int64_t)qt;
}

void
bot_step_decide(const struct bot_rules *br, const int64_t *closes, size_t n,
    int64_t price, const struct strat_state *st, struct strat_decision *d,
    enum bot_reason *why)
{
	struct strat_input in;

	*why = BOT_SIGNAL;
	memset(d, 0, sizeof(*d));
	if (st->position > 0 && st->avg_entry > 0) {
		if (br->stop_loss > 0 &&
		    price <= around(st->avg_entry, br->stop_loss, 0)) {
			*why = BOT_STOP_LOSS;
			d->why = "stop-loss";
		} else if (br->take_profit > 0 &&
		    price >= around(st->avg_entry, br->take_profit, 1)) {
			*why = BOT_TAKE_PROFIT;
			d->why = "take-profit";
		}
		if (*why != BOT_SIGNAL) {
			d->action = STRAT_SELL;
			d->qty = st->position;
			d->anchor = 0;
			d->steps = 0;
			return;
		}
	}
	memset(&in, 0, sizeof(in));
	in.closes = closes;
	in.n = n;
	in.price = price;
	in.order_size = br->order_size;
	in.st = *st;
	in.sc.price = br->sc.price;
	in.sc.qty = br->sc.qty;
	strat_decide(&br->sp, &in, d);
}

int64_t
bot_step_avg(const struct pnl_fifo *f, const struct bot_scales *sc)
{
	int64_t qty, cost, avg;

	pnl_fifo_open(f, &qty, &cost);
	if (qty <= 0 || dec_div(cost, sc->quote, qty, sc->qty, sc->price,
	    DEC_ROUND_HALF_EVEN, &avg) != DEC_OK)
		return 0;
	/* a position bought for nothing still has an entry price */
	return avg > 0 ? avg : 1;
}

int
bot_step_quote(const struct bot_scales *sc, int64_t price, int64_t qty,
    int64_t *quote)
{
	return dec_mul(price, sc->price, qty, sc->qty, sc->quote, DEC_ROUND_DOWN,
	    quote) == DEC_OK ? 0 : -1;
}

int
bot_step_fill(struct pnl_fifo *f, const struct bot_scales *sc, int sell,
    int64_t id, int64_t qty, int64_t quote, int64_t fee, int64_t *realized,
    struct strat_state *st)
{
	int64_t cost, open;

	*realized = 0;
	if (sell) {
		if (pnl_fifo_sell(f, qty, quote - fee, realized, &cost) == -1)
			return -1;
	} else if (pnl_fifo_buy(f, id, qty, quote + fee) == -1)
		return -1;
	pnl_fifo_open(f, &st->position, &open);
	st->avg_entry = bot_step_avg(f, sc);
	return 0;
}

static int
dec_or_zero(const char *s, int scale, int64_t *v)
{
	*v = 0;
	if (s == NULL)
		return 0;
	return dec_parse_flags(s, strlen(s), scale, DEC_ZEROS_OK, v) == DEC_OK ?
	    0 : -1;
}

int
bot_rules_make(struct bot_rules *br, const struct strat_params *sp,
    const struct bot_scales *sc, const char *order_size, const char *stop_loss,
    const char *take_profit)
{
	struct bot_scales scales = *sc;	/* sc may be br's own */
	struct strat_params params = *sp;

	memset(br, 0, sizeof(*br));
	br->sp = params;
	br->sc = scales;
	if (dec_or_zero(order_size, scales.qty, &br->order_size) == -1 ||
	    dec_or_zero(stop_loss, STRAT_PCT_SCALE, &br->stop_loss) == -1 ||
	    dec_or_zero(take_profit, STRAT_PCT_SCALE, &br->take_profit) == -1 ||
	    br->order_size <= 0)
		return -1;
	return 0;
}
