/* domain/trade_math.c — the money rules of a trade, pure: amounts, fees, locks, notional, the price band */
#include <string.h>

#include "core/decimal.h"
#include "domain/trade_math.h"

typedef unsigned __int128 u128;

const char *
trade_side_text(enum ord_side s)
{
	return s == ORD_BUY ? "BUY" : "SELL";
}

const char *
trade_type_text(enum ord_type t)
{
	return t == ORD_LIMIT ? "LIMIT" : "MARKET";
}

const char *
trade_tif_text(enum ord_tif t)
{
	return t == ORD_GTC ? "GTC" : t == ORD_IOC ? "IOC" : "FOK";
}

const char *
trade_type_name(enum ord_type t, int stop)
{
	if (stop)
		return t == ORD_LIMIT ? "STOP_LIMIT" : "STOP_LOSS";
	return trade_type_text(t);
}

int
trade_type_parse(const char *s, enum ord_type *t, int *stop)
{
	static const struct { const char *name; enum ord_type t; int stop; }
	    types[] = { { "LIMIT", ORD_LIMIT, 0 }, { "MARKET", ORD_MARKET, 0 },
	    { "STOP_LOSS", ORD_MARKET, 1 }, { "STOP_LIMIT", ORD_LIMIT, 1 } };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(s, types[i].name) == 0) {
			*t = types[i].t;
			*stop = types[i].stop;
			return 0;
		}
	return -1;
}

static const char *const stp_text[] = {
	[ORD_STP_EXPIRE_TAKER] = "EXPIRE_TAKER",
	[ORD_STP_EXPIRE_MAKER] = "EXPIRE_MAKER",
	[ORD_STP_EXPIRE_BOTH] = "EXPIRE_BOTH",
};

const char *
trade_stp_text(enum ord_stp m)
{
	return (unsigned)m <= ORD_STP_EXPIRE_BOTH ? stp_text[m] : "EXPIRE_TAKER";
}

int
trade_stp_parse(const char *s, enum ord_stp *m)
{
	unsigned i;

	for (i = 0; i <= ORD_STP_EXPIRE_BOTH; i++)
		if (strcmp(s, stp_text[i]) == 0) {
			*m = (enum ord_stp)i;
			return 0;
		}
	return -1;
}

int
trade_quote_amount(const struct market *m, int64_t price, int64_t qty,
    int64_t *quote)
{
	return dec_mul(price, m->price_scale, qty, m->qty_scale,
	    m->quote_scale, DEC_ROUND_DOWN, quote) == DEC_OK ? 0 : -1;
}

int
trade_fee(const struct market *m, int64_t quote, int maker, int64_t *fee)
{
	return dec_mul(quote, m->quote_scale, maker ? m->maker_fee :
	    m->taker_fee, TRADE_FEE_SCALE, m->quote_scale, DEC_ROUND_DOWN,
	    fee) == DEC_OK ? 0 : -1;
}

/*
 * Every fill of the order spends floor(p q) + floor(floor(p q) r) with
 * p <= price and r <= max(maker, taker), hence at most price q (1 + r);
 * summed over its fills, at most ceil(price qty) + ceil(ceil(price qty) r).
 */
int
trade_buy_lock(const struct market *m, int64_t price, int64_t qty,
    int64_t *lock)
{
	int64_t cost, fee, rate;

	rate = m->maker_fee > m->taker_fee ? m->maker_fee : m->taker_fee;
	if (dec_mul(price, m->price_scale, qty, m->qty_scale, m->quote_scale,
	    DEC_ROUND_UP, &cost) != DEC_OK ||
	    dec_mul(cost, m->quote_scale, rate, TRADE_FEE_SCALE,
	    m->quote_scale, DEC_ROUND_UP, &fee) != DEC_OK ||
	    dec_add(cost, fee, lock) != DEC_OK)
		return -1;
	return 0;
}

const char *
trade_lock_asset(const struct market *m, enum ord_side side, int *scale)
{
	*scale = side == ORD_BUY ? m->quote_scale : m->base_scale;
	return side == ORD_BUY ? m->quote : m->base;
}

int
trade_base_amount(const struct market *m, int64_t lots, int64_t *amount)
{
	return dec_rescale(lots, m->qty_scale, m->base_scale, DEC_ROUND_EXACT,
	    amount) == DEC_OK ? 0 : -1;
}

static u128
pow10u(int k)
{
	u128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/* a * b, saturating at the top of 128 bits. */
static u128
mul_sat(u128 a, u128 b)
{
	u128 max = ~(u128)0;

	if (a != 0 && b > max / a)
		return max;
	return a * b;
}

/*
 * Every fill spends at most p q (1 + r) (see trade_buy_lock()). With r at
 * most c = (L - P Q) / (P Q), L the lock left and Q the lots left at the
 * limit P, a fill of q lots leaves at least L (Q - q) / Q, so c never
 * falls from one fill to the next and the lock always covers the rest.
 * A fresh lock has c at least the higher rate it was figured at.
 */
static int
buy_cover_rate(const struct market *m, int64_t price, int64_t left,
    int64_t lock, int64_t *rate)
{
	int ps = m->price_scale + m->qty_scale;
	u128 exact, have, one = pow10u(TRADE_FEE_SCALE), r;

	if (price <= 0 || left <= 0 || lock < 0)
		return -1;
	/* Both at the finer of scale ps + qs and the quote precision. */
	exact = (u128)price * (u128)left;
	have = (u128)lock;
	if (ps >= m->quote_scale)
		have = mul_sat(have, pow10u(ps - m->quote_scale));
	else
		exact = mul_sat(exact, pow10u(m->quote_scale - ps));
	/* Saturation only ever makes the rate smaller: still covered. */
	r = have <= exact ? 0 : mul_sat(have - exact, one) / exact;
	*rate = r > (u128)INT64_MAX ? INT64_MAX : (int64_t)r;
	return 0;
}

int
trade_buy_fee(const struct market *m, int64_t quote, int maker,
    int64_t price, int64_t left, int64_t lock, int64_t *fee)
{
	int64_t rate = maker ? m->maker_fee : m->taker_fee, cover;

	if (price > 0) {
		if (buy_cover_rate(m, price, left, lock, &cover) == -1)
			return -1;
		if (cover < rate)
			rate = cover;
	}
	return dec_mul(quote, m->quote_scale, rate, TRADE_FEE_SCALE,
	    m->quote_scale, DEC_ROUND_DOWN, fee) == DEC_OK ? 0 : -1;
}

/*
 * In units of 10^-(ps + qs + FEE_SCALE) of the quote asset, a lot at
 * price p costs at most p (10^6 + r): the exact price times quantity
 * plus the taker fee on it, which bounds what the rounded-down fill and
 * fee charge. The budget is compared in the same units.
 */
int
trade_affordable(const struct market *m, const struct trade_level *lv,
    size_t n, int64_t budget, int64_t want, int64_t *lots, int *by_depth)
{
	int shift = m->price_scale + m->qty_scale + TRADE_FEE_SCALE -
	    m->quote_scale;
	u128 left, per, take, one = pow10u(TRADE_FEE_SCALE);
	int64_t got = 0;
	size_t i;

	*by_depth = 0;
	if (budget < 0 || want < 0 || m->taker_fee < 0)
		return -1;
	if (shift >= 0)
		left = mul_sat((u128)budget, pow10u(shift));
	else
		left = (u128)budget / pow10u(-shift);
	for (i = 0; i < n && got < want; i++) {
		if (lv[i].price <= 0 || lv[i].qty <= 0)
			return -1;
		per = (u128)lv[i].price * (one + (u128)m->taker_fee);
		take = left / per;
		if (take > (u128)lv[i].qty)
			take = (u128)lv[i].qty;
		if (take > (u128)(want - got))
			take = (u128)(want - got);
		got += (int64_t)take;
		left -= take * per;
		if (take < (u128)lv[i].qty && got < want)
			break;		/* the budget is spent */
	}
	if (i == n && got < want)
		*by_depth = 1;
	*lots = got;
	return 0;
}

/*
 * Up to want lots from levels, best first: *got of them, for exactly
 * *exact (price x quantity at scale ps + qs, in 128 bits).
 */
static int
levels_take(const struct trade_level *lv, size_t n, int64_t want, u128 *exact,
    int64_t *got)
{
	int64_t take;
	size_t i;

	*exact = 0;
	*got = 0;
	for (i = 0; i < n && *got < want; i++) {
		if (lv[i].price <= 0 || lv[i].qty <= 0)
			return -1;
		take = lv[i].qty < want - *got ? lv[i].qty : want - *got;
		*exact += (u128)lv[i].price * (u128)take;
		*got += take;
	}
	return 0;
}

int
trade_cost(const struct market *m, const struct trade_level *lv, size_t n,
    int64_t want, int64_t *cost, int64_t *got)
{
	u128 exact, unit;
	int64_t c, fee;
	int scale = m->price_scale + m->qty_scale;

	if (levels_take(lv, n, want, &exact, got) == -1)
		return -1;
	/* exact is at scale ps + qs: round up to the quote precision. */
	if (scale >= m->quote_scale) {
		unit = pow10u(scale - m->quote_scale);
		exact = exact / unit + (exact % unit != 0);
	} else
		exact = mul_sat(exact, pow10u(m->quote_scale - scale));
	if (exact > (u128)INT64_MAX)
		return -1;
	c = (int64_t)exact;
	if (dec_mul(c, m->quote_scale, m->taker_fee, TRADE_FEE_SCALE,
	    m->quote_scale, DEC_ROUND_UP, &fee) != DEC_OK ||
	    dec_add(c, fee, cost) != DEC_OK)
		return -1;
	return 0;
}

int
trade_notional(const struct market *m, const struct trade_level *lv,
    size_t n, int64_t want, int64_t *notional, int64_t *got)
{
	u128 exact, g;
	int scale = m->price_scale + m->qty_scale;

	*notional = 0;
	if (levels_take(lv, n, want, &exact, got) == -1)
		return -1;
	if (*got == 0)
		return 0;
	/* exact x want / got, in steps that stay within 128 bits */
	if (*got < want) {
		g = (u128)*got;
		exact = exact / g * (u128)want + exact % g * (u128)want / g;
	}
	/* exact is at scale ps + qs: down to the quote precision. */
	if (scale >= m->quote_scale)
		exact /= pow10u(scale - m->quote_scale);
	else
		exact = mul_sat(exact, pow10u(m->quote_scale - scale));
	*notional = exact > (u128)INT64_MAX ? INT64_MAX : (int64_t)exact;
	return 0;
}

/*
 * [ref (1 - band), ref (1 + band)], each end rounded inwards to a whole
 * tick, and never below one tick.
 */
int
trade_band(const struct market *m, enum ord_side side,
    const struct trade_ref *r, int64_t now_ms, int64_t *lo, int64_t *hi)
{
	u128 one = pow10u(TRADE_FEE_SCALE), x;
	int64_t ref, opposite = side == ORD_BUY ? r->ask : r->bid;

	*lo = *hi = 0;
	if (m->band <= 0)
		return 0;
	if (r->last > 0 && r->last_ms > 0 &&
	    now_ms - r->last_ms <= TRADE_BAND_RECENT_MS)
		ref = r->last;
	else if (r->bid > 0 && r->ask > 0)
		ref = r->bid + (r->ask - r->bid) / 2;
	else if (opposite > 0)
		ref = opposite;
	else if (r->last > 0)
		ref = r->last;
	else
		return 0;
	if ((u128)m->band >= one)
		*lo = 1;
	else {
		x = (u128)ref * (one - (u128)m->band);
		*lo = (int64_t)(x / one + (x % one != 0));
		if (*lo < 1)
			*lo = 1;
	}
	x = (u128)ref * (one + (u128)m->band) / one;
	*hi = x > (u128)TRADE_PRICE_MAX ? TRADE_PRICE_MAX : (int64_t)x;
	return 1;
}

enum trade_lock_rc
trade_lock(const struct market *m, const struct trade_order *o,
    const struct trade_funds *fu, struct trade_lock *l)
{
	int64_t target;

	memset(l, 0, sizeof(*l));
	l->asset = trade_lock_asset(m, o->side, &l->scale);
	if (o->side == ORD_SELL) {
		if (trade_base_amount(m, o->qty, &l->amount) == -1)
			return TRADE_LOCK_RANGE;
	} else if (o->type == ORD_LIMIT) {
		if (trade_buy_lock(m, o->price, o->qty, &l->amount) == -1)
			return TRADE_LOCK_RANGE;
	} else if (o->qty == 0)
		l->amount = o->qoq;
	else if (o->stop > 0) {
		if (trade_buy_lock(m, o->stop, o->qty, &target) == -1 ||
		    dec_mul(target, l->scale, 100 + TRADE_MARKET_MARGIN_PCT, 2,
		    l->scale, DEC_ROUND_UP, &l->amount) != DEC_OK)
			return TRADE_LOCK_RANGE;
	} else
		l->by_cost = 1;
	if (fu == NULL)
		return TRADE_LOCK_OK;
	if (!l->by_cost) {
		if (fu->avail < l->amount) {
			l->need = l->amount;
			return TRADE_LOCK_POOR;
		}
		return TRADE_LOCK_OK;
	}
	/* The book moves before the order reaches it: a margin on top. */
	if (fu->got == 0)
		return TRADE_LOCK_OK;
	if (fu->avail < fu->cost) {
		l->need = fu->cost;
		return TRADE_LOCK_POOR;
	}
	if (dec_mul(fu->cost, l->scale, 100 + TRADE_MARKET_MARGIN_PCT, 2,
	    l->scale, DEC_ROUND_UP, &target) != DEC_OK)
		target = fu->cost;
	l->amount = target < fu->avail ? target : fu->avail;
	return TRADE_LOCK_OK;
}

static int
refuse(struct trade_refusal *r, enum trade_refusal_kind kind, int64_t min)
{
	r->kind = kind;
	r->min = min;
	return 0;
}

int
trade_minimums(const struct market *m, const struct trade_order *o,
    struct trade_refusal *r)
{
	int64_t notional;

	memset(r, 0, sizeof(*r));
	if (o->qty > 0 && o->qty < m->min_qty)
		return refuse(r, TRADE_REF_MIN_QTY, m->min_qty);
	/* A STOP_LOSS by quantity is measured at its stop price. */
	if ((o->type == ORD_LIMIT || (o->stop > 0 && o->qty > 0)) &&
	    (trade_quote_amount(m, o->type == ORD_LIMIT ? o->price : o->stop,
	    o->qty, &notional) == -1 || notional < m->min_notional))
		return refuse(r, TRADE_REF_MIN_NOTIONAL, m->min_notional);
	if (o->qoq > 0 && o->qoq < m->min_notional)
		return refuse(r, TRADE_REF_MIN_QUOTE, m->min_notional);
	return 0;
}

int
trade_admit(const struct market *m, const struct trade_order *o, int banded,
    int64_t lo, int64_t hi, const struct trade_level *lv, size_t n,
    struct trade_refusal *r)
{
	int64_t lots, notional, got;
	int by_depth;

	memset(r, 0, sizeof(*r));
	if (o->type == ORD_LIMIT) {
		/*
		 * Its minimums are its price's: trade_minimums() has them. The
		 * band guards the side a price trades towards (a buy above it,
		 * a sell below it); a bid under it or an ask over it only rests.
		 */
		if (banded && ((o->side == ORD_BUY && o->price > hi) ||
		    (o->side == ORD_SELL && o->price < lo))) {
			r->kind = TRADE_REF_BAND;
			r->lo = lo;
			r->hi = hi;
		}
		return 0;
	}
	if (o->qty == 0) {
		/* By quote amount: the lots it buys (a thinner book: unknown). */
		if (trade_affordable(m, lv, n, o->qoq, TRADE_QTY_MAX, &lots,
		    &by_depth) == -1)
			return -1;
		if (!by_depth && lots < m->min_qty)
			return refuse(r, TRADE_REF_EXEC_MIN_QTY, m->min_qty);
		return 0;
	}
	if (trade_notional(m, lv, n, o->qty, &notional, &got) == -1)
		return -1;
	if (got > 0 && notional < m->min_notional)
		return refuse(r, TRADE_REF_EXEC_MIN_NOTIONAL, m->min_notional);
	return 0;
}

int
trade_change_pct(int64_t last, int64_t open, int price_scale, int64_t *pct)
{
	*pct = 0;
	if (open <= 0 || last <= 0)
		return 0;
	/* The ratio at scale 4 is the percentage at scale 2. */
	return dec_div(last - open, price_scale, open, price_scale, 4,
	    DEC_ROUND_HALF_EVEN, pct) == DEC_OK ? 0 : -1;
}

int
trade_day_value(const struct market *m, const struct trade_order *o,
    int64_t ref, int64_t rate, int64_t *value)
{
	int64_t quote = 0;

	*value = 0;
	if (o->type == ORD_LIMIT) {
		if (trade_quote_amount(m, o->price, o->qty, &quote) == -1)
			return -1;
	} else if (o->qty == 0)
		quote = o->qoq;
	else if (ref > 0 && trade_quote_amount(m, ref, o->qty, &quote) == -1)
		return -1;
	if (quote == 0 || rate <= 0)
		return 0;
	return dec_mul(quote, m->quote_scale, rate, TRADE_RATE_SCALE, 2,
	    DEC_ROUND_UP, value) == DEC_OK ? 0 : -1;
}

int
trade_day_fits(const struct trade_day *d, int64_t value)
{
	/* used may exceed the limit (lowered by staff, executed above the
	 * counted value): nothing more fits then, not even a zero value. */
	return d->used <= d->limit && value <= d->limit - d->used;
}
