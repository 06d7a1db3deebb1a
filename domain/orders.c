/* domain/orders.c — placing and cancelling orders: checks, fund locks and the matcher's inbox; trade arithmetic */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/actor.h"
#include "core/channels.h"
#include "core/config.h"
#include "core/http.h"
#include "core/input.h"
#include "core/log.h"
#include "core/mc.h"
#include "core/util.h"
#include "domain/orders.h"

/* How long a handler waits for the matcher's socket to answer. */
#define DIRECT_WAIT_MS	5000

/* Resting asks read to price a market buy by quantity: a few, else many. */
#define ASKS_FEW	20
#define ASKS_MAX	1000

typedef unsigned __int128 u128;

const struct stmt orders_stmts[] = {
	{ "orders_market",
	  "SELECT " ORDER_MARKET_COLUMNS ORDER_MARKET_FROM
	  " WHERE m.symbol = $1", 1 },
	/*
	 * One statement: the order, its lock and its inbox row. The balance
	 * the order draws on is locked first, as the matcher locks it before
	 * it stores a socket order: an attempt racing the matcher's batch for
	 * the same order then waits for that batch instead of deadlocking
	 * with it, and finds the order it stored (the public id is unique).
	 * The ledger trigger applies the lock to balances, whose CHECK
	 * (available >= 0) refuses a lock the balance cannot cover (SQLSTATE
	 * 23514); the row lock serialises one user's concurrent orders.
	 */
	{ "orders_place",
	  "WITH b AS (SELECT 1 FROM balances WHERE user_id = $2 AND asset = $12"
	  "  FOR UPDATE),"
	  " s AS (SELECT nextval('order_seq') AS seq"
	  "  FROM (SELECT count(*) FROM b) AS held),"
	  " o AS (INSERT INTO orders (public_id, user_id, client_order_id,"
	  "  symbol, side, type, time_in_force, price, quantity,"
	  "  quote_order_qty, fee_asset, lock_asset, locked_amount,"
	  "  lock_remaining, seq)"
	  "  SELECT $1, $2, $3, $4, $5, $6, $7, $8::numeric, $9::numeric,"
	  "  $10::numeric, $11, $12, $13::numeric, $13::numeric, s.seq FROM s"
	  "  RETURNING id, seq),"
	  " l AS (INSERT INTO ledger (user_id, asset, delta_available,"
	  "  delta_locked, kind, ref)"
	  "  SELECT $2, $12, -$13::numeric, $13::numeric, 'ORDER_LOCK', $1"
	  "  FROM o WHERE $13::numeric > 0),"
	  " i AS (INSERT INTO order_inbox (seq, kind, order_id, symbol, reply_to)"
	  "  SELECT o.seq, 'NEW', o.id, $4, $14 FROM o)"
	  " SELECT id FROM o", 14 },
	{ "orders_available",
	  "SELECT available::text FROM balances WHERE user_id = $1"
	  " AND asset = $2", 2 },
	{ "orders_available_lock",
	  "SELECT available::text FROM balances WHERE user_id = $1"
	  " AND asset = $2 FOR UPDATE", 2 },
	{ "orders_asks",
	  "SELECT price::text, (quantity - executed_quantity)::text FROM orders"
	  " WHERE symbol = $1 AND side = 'SELL'"
	  " AND status IN ('NEW', 'PARTIALLY_FILLED') AND book_seq IS NOT NULL"
	  " ORDER BY price, book_seq LIMIT $2", 2 },
	/*
	 * The wake-up call travels in a transaction of its own that need not
	 * reach the disk: NOTIFY serialises committing transactions on a
	 * global lock, which must not be held across a WAL flush.
	 */
	{ "orders_notify",
	  "SELECT set_config('synchronous_commit', 'off', true),"
	  " pg_notify('" CHAN_INBOX "', $1)", 1 },
	{ "orders_cancel_find",
	  "SELECT id, status, symbol, cancel_requested_at IS NOT NULL"
	  " FROM orders WHERE public_id = $1 AND user_id = $2 FOR UPDATE", 2 },
	{ "orders_cancel_request",
	  "WITH u AS (UPDATE orders SET cancel_requested_at = now()"
	  "  WHERE id = $1)"
	  " INSERT INTO order_inbox (seq, kind, order_id, symbol, reply_to)"
	  " VALUES (nextval('order_seq'), 'CANCEL', $1, $2, $3)", 3 },
	{ "orders_by_pid",
	  "SELECT id FROM orders WHERE public_id = $1 AND user_id = $2", 2 },
	{ "orders_kyc_state",
	  "SELECT status FROM kyc_submissions WHERE user_id = $1"
	  " ORDER BY id DESC LIMIT 1", 1 },
	/* Outside a transaction: waits for whoever holds the row, then lets go. */
	{ "orders_settle",
	  "SELECT 1 FROM balances WHERE user_id = $1 AND asset = $2"
	  " FOR UPDATE", 2 },
};
const size_t orders_nstmts = nitems(orders_stmts);

enum {
	ST_MARKET, ST_PLACE, ST_AVAILABLE, ST_AVAILABLE_LOCK, ST_ASKS,
	ST_NOTIFY, ST_CANCEL_FIND, ST_CANCEL_REQUEST, ST_BY_PID, ST_KYC_STATE,
	ST_SETTLE
};

static enum err
q(struct db *db, struct arena *a, int st, const char *const *p, PGresult **res)
{
	return db_query(db, a, &orders_stmts[st], p, res);
}

static int
fail(struct order_fail *f, const char *field, const char *reason)
{
	f->field = field;
	f->reason = reason;
	return -1;
}

/* A NUMERIC from PostgreSQL (trailing zeros to scale 18) at scale. */
static int
num(const char *s, int scale, int64_t *v)
{
	if (s == NULL)
		return -1;
	return dec_parse_flags(s, strlen(s), scale, DEC_ZEROS_OK, v) ==
	    DEC_OK ? 0 : -1;
}

static void	fmt(int64_t, int, char *, size_t);

const char *
order_side_text(enum ord_side s)
{
	return s == ORD_BUY ? "BUY" : "SELL";
}

const char *
order_type_text(enum ord_type t)
{
	return t == ORD_LIMIT ? "LIMIT" : "MARKET";
}

const char *
order_tif_text(enum ord_tif t)
{
	return t == ORD_GTC ? "GTC" : t == ORD_IOC ? "IOC" : "FOK";
}

/* ---- arithmetic ---------------------------------------------------------- */

int
order_quote_amount(const struct market *m, int64_t price, int64_t qty,
    int64_t *quote)
{
	return dec_mul(price, m->price_scale, qty, m->qty_scale,
	    m->quote_scale, DEC_ROUND_DOWN, quote) == DEC_OK ? 0 : -1;
}

int
order_fee(const struct market *m, int64_t quote, int maker, int64_t *fee)
{
	return dec_mul(quote, m->quote_scale, maker ? m->maker_fee :
	    m->taker_fee, ORDER_FEE_SCALE, m->quote_scale, DEC_ROUND_DOWN,
	    fee) == DEC_OK ? 0 : -1;
}

/*
 * Every fill of the order spends floor(p q) + floor(floor(p q) r) with
 * p <= price and r <= max(maker, taker), hence at most price q (1 + r);
 * summed over its fills, at most ceil(price qty) + ceil(ceil(price qty) r).
 */
int
order_buy_lock(const struct market *m, int64_t price, int64_t qty,
    int64_t *lock)
{
	int64_t cost, fee, rate;

	rate = m->maker_fee > m->taker_fee ? m->maker_fee : m->taker_fee;
	if (dec_mul(price, m->price_scale, qty, m->qty_scale, m->quote_scale,
	    DEC_ROUND_UP, &cost) != DEC_OK ||
	    dec_mul(cost, m->quote_scale, rate, ORDER_FEE_SCALE,
	    m->quote_scale, DEC_ROUND_UP, &fee) != DEC_OK ||
	    dec_add(cost, fee, lock) != DEC_OK)
		return -1;
	return 0;
}

const char *
order_lock_asset(const struct market *m, enum ord_side side, int *scale)
{
	*scale = side == ORD_BUY ? m->quote_scale : m->base_scale;
	return side == ORD_BUY ? m->quote : m->base;
}

int
order_base_amount(const struct market *m, int64_t lots, int64_t *amount)
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
 * In units of 10^-(ps + qs + FEE_SCALE) of the quote asset, a lot at
 * price p costs at most p (10^6 + r): the exact price times quantity
 * plus the taker fee on it, which bounds what the rounded-down fill and
 * fee charge. The budget is compared in the same units.
 */
int
order_affordable(const struct market *m, const struct order_level *lv,
    size_t n, int64_t budget, int64_t want, int64_t *lots, int *by_depth)
{
	int shift = m->price_scale + m->qty_scale + ORDER_FEE_SCALE -
	    m->quote_scale;
	u128 left, per, take, one = pow10u(ORDER_FEE_SCALE);
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

int
order_cost(const struct market *m, const struct order_level *lv, size_t n,
    int64_t want, int64_t *cost, int64_t *got)
{
	u128 exact = 0, unit;
	int64_t take, c, fee;
	size_t i;
	int scale = m->price_scale + m->qty_scale;

	*got = 0;
	for (i = 0; i < n && *got < want; i++) {
		if (lv[i].price <= 0 || lv[i].qty <= 0)
			return -1;
		take = lv[i].qty < want - *got ? lv[i].qty : want - *got;
		exact += (u128)lv[i].price * (u128)take;
		*got += take;
	}
	/* exact is at scale ps + qs: round up to the quote precision. */
	if (scale >= m->quote_scale) {
		unit = pow10u(scale - m->quote_scale);
		exact = exact / unit + (exact % unit != 0);
	} else
		exact = mul_sat(exact, pow10u(m->quote_scale - scale));
	if (exact > (u128)INT64_MAX)
		return -1;
	c = (int64_t)exact;
	if (dec_mul(c, m->quote_scale, m->taker_fee, ORDER_FEE_SCALE,
	    m->quote_scale, DEC_ROUND_UP, &fee) != DEC_OK ||
	    dec_add(c, fee, cost) != DEC_OK)
		return -1;
	return 0;
}

int
order_notional(const struct market *m, const struct order_level *lv,
    size_t n, int64_t want, int64_t *notional, int64_t *got)
{
	u128 exact = 0, g;
	int64_t take;
	size_t i;
	int scale = m->price_scale + m->qty_scale;

	*got = 0;
	*notional = 0;
	for (i = 0; i < n && *got < want; i++) {
		if (lv[i].price <= 0 || lv[i].qty <= 0)
			return -1;
		take = lv[i].qty < want - *got ? lv[i].qty : want - *got;
		exact += (u128)lv[i].price * (u128)take;
		*got += take;
	}
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
order_band(const struct market *m, enum ord_side side,
    const struct order_ref *r, int64_t now_ms, int64_t *lo, int64_t *hi)
{
	u128 one = pow10u(ORDER_FEE_SCALE), x;
	int64_t ref, opposite = side == ORD_BUY ? r->ask : r->bid;

	*lo = *hi = 0;
	if (m->band <= 0)
		return 0;
	if (r->last > 0 && r->last_ms > 0 &&
	    now_ms - r->last_ms <= ORDER_BAND_RECENT_MS)
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
	*hi = x > (u128)ORDER_PRICE_MAX ? ORDER_PRICE_MAX : (int64_t)x;
	return 1;
}

/* One non-negative integer of a refusal, and where the next begins. */
static int
refusal_num(const char *s, const char **next, int64_t *v)
{
	char *end;
	long long x;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno != 0 || (*end != '\0' && *end != ' '))
		return -1;
	*v = x;
	*next = *end == ' ' ? end + 1 : end;
	return 0;
}

enum err
order_refusal(const struct market *m, const char *w, struct order_fail *f)
{
	int64_t a, b;

	if (strncmp(w, "BAND ", 5) == 0) {
		if (refusal_num(w + 5, &w, &a) == -1 ||
		    refusal_num(w, &w, &b) == -1 || *w != '\0')
			return ERR_OK;
		fmt(a, m->price_scale, f->min_price, sizeof(f->min_price));
		fmt(b, m->price_scale, f->max_price, sizeof(f->max_price));
		fail(f, "price", "too far from the market's price: it must be "
		    "within the price band, from minPrice to maxPrice");
		return ERR_TRADE_003;
	}
	if (strncmp(w, "MINQTY ", 7) == 0) {
		if (refusal_num(w + 7, &w, &a) == -1 || *w != '\0')
			return ERR_OK;
		fmt(a, m->qty_scale, f->minimum, sizeof(f->minimum));
		f->minimum_name = "minQuantity";
		fail(f, "quoteOrderQty", "buys less than the market's minimum "
		    "quantity at the prices it would execute at");
		return ERR_TRADE_002;
	}
	if (strncmp(w, "MINNOTIONAL ", 12) == 0) {
		if (refusal_num(w + 12, &w, &a) == -1 || *w != '\0')
			return ERR_OK;
		fmt(a, m->quote_scale, f->minimum, sizeof(f->minimum));
		f->minimum_name = "minNotional";
		fail(f, "quantity", "quantity x the price it would execute at "
		    "is below the market's minimum notional");
		return ERR_TRADE_002;
	}
	return ERR_OK;
}

/* ---- requests -------------------------------------------------------------- */

static int
in_enum(struct json_object *o, const char *name, unsigned flags,
    const char *const *names, int *out, int *given, struct order_fail *f,
    const char *why)
{
	struct in_err ie;
	const char *s;
	int i;

	if (in_string(o, name, flags, 1, 16, &s, &ie) == -1)
		return fail(f, ie.field, ie.reason);
	if (given != NULL)
		*given = s != NULL;
	if (s == NULL)
		return 0;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return fail(f, name, why);
}

int
order_in_parse(struct json_object *o, struct order_in *in, struct order_fail *f)
{
	static const char *const fields[] = { "symbol", "side", "type",
	    "price", "quantity", "quoteOrderQty", "timeInForce",
	    "clientOrderId", NULL };
	static const char *const sides[] = { "BUY", "SELL", NULL };
	static const char *const types[] = { "LIMIT", "MARKET", NULL };
	static const char *const tifs[] = { "GTC", "IOC", "FOK", NULL };
	struct in_err ie;
	int side = 0, type = 0, tif = 0;

	memset(in, 0, sizeof(*in));
	memset(f, 0, sizeof(*f));
	if (o == NULL)
		return fail(f, "body", "a JSON object is required");
	if (in_only(o, fields, &ie) == -1 ||
	    in_string(o, "symbol", IN_REQUIRED, 1, 32, &in->symbol, &ie) == -1 ||
	    in_string(o, "price", IN_OPTIONAL, 1, 64, &in->price, &ie) == -1 ||
	    in_string(o, "quantity", IN_OPTIONAL, 1, 64, &in->quantity, &ie) == -1 ||
	    in_string(o, "quoteOrderQty", IN_OPTIONAL, 1, 64,
	    &in->quote_order_qty, &ie) == -1 ||
	    in_string(o, "clientOrderId", IN_OPTIONAL, 1, 64,
	    &in->client_order_id, &ie) == -1)
		return fail(f, ie.field, ie.reason);
	if (in_enum(o, "side", IN_REQUIRED, sides, &side, NULL, f,
	    "must be BUY or SELL") == -1 ||
	    in_enum(o, "type", IN_REQUIRED, types, &type, NULL, f,
	    "must be LIMIT or MARKET") == -1 ||
	    in_enum(o, "timeInForce", IN_OPTIONAL, tifs, &tif, &in->tif_given,
	    f, "must be GTC, IOC or FOK") == -1)
		return -1;
	in->side = (enum ord_side)side;
	in->type = (enum ord_type)type;
	in->tif = (enum ord_tif)tif;
	if (in->client_order_id != NULL &&
	    !util_token_valid(in->client_order_id, ORDER_CLIENT_ID_MAX))
		return fail(f, "clientOrderId",
		    "1-36 characters of A-Z a-z 0-9 . _ : -");
	if (in->type == ORD_LIMIT) {
		if (in->price == NULL)
			return fail(f, "price", "required for LIMIT orders");
		if (in->quote_order_qty != NULL)
			return fail(f, "quoteOrderQty",
			    "only for MARKET BUY orders");
		if (in->quantity == NULL)
			return fail(f, "quantity", "required");
		if (!in->tif_given)
			in->tif = ORD_GTC;
	} else {
		if (in->price != NULL)
			return fail(f, "price", "not allowed for MARKET orders");
		if (in->tif_given && in->tif == ORD_GTC)
			return fail(f, "timeInForce",
			    "MARKET orders are IOC or FOK");
		if (!in->tif_given)
			in->tif = ORD_IOC;
		if (in->quote_order_qty != NULL && in->side != ORD_BUY)
			return fail(f, "quoteOrderQty",
			    "only for MARKET BUY orders");
		if (in->quote_order_qty != NULL && in->quantity != NULL)
			return fail(f, "quantity",
			    "give quantity or quoteOrderQty, not both");
		if (in->quote_order_qty == NULL && in->quantity == NULL)
			return fail(f, "quantity", "required");
	}
	return 0;
}

int
order_market_fill(struct market *m, PGresult *res, int row, int c)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->symbol, sizeof(m->symbol), "%s", db_val(res, row, c));
	snprintf(m->base, sizeof(m->base), "%s", db_val(res, row, c + 1));
	snprintf(m->quote, sizeof(m->quote), "%s", db_val(res, row, c + 2));
	snprintf(m->status, sizeof(m->status), "%s", db_val(res, row, c + 3));
	m->price_scale = (int)util_long(db_val(res, row, c + 4), -1);
	m->qty_scale = (int)util_long(db_val(res, row, c + 5), -1);
	m->base_scale = (int)util_long(db_val(res, row, c + 6), -1);
	m->quote_scale = (int)util_long(db_val(res, row, c + 7), -1);
	if (m->price_scale < 0 || m->price_scale > DEC_MAXSCALE ||
	    m->qty_scale < 0 || m->qty_scale > m->base_scale ||
	    m->base_scale > DEC_MAXSCALE || m->quote_scale < 0 ||
	    m->quote_scale > DEC_MAXSCALE)
		return -1;
	if (num(db_val(res, row, c + 8), m->qty_scale, &m->min_qty) == -1 ||
	    num(db_val(res, row, c + 9), m->quote_scale, &m->min_notional) == -1)
		return -1;
	if (num(db_val(res, row, c + 10), ORDER_FEE_SCALE, &m->maker_fee) == -1 ||
	    num(db_val(res, row, c + 11), ORDER_FEE_SCALE, &m->taker_fee) == -1)
		return -1;
	/* A percentage at 4 decimals is the fraction at ORDER_FEE_SCALE. */
	if (db_val(res, row, c + 12) != NULL &&
	    (num(db_val(res, row, c + 12), ORDER_FEE_SCALE - 2, &m->band) == -1 ||
	    m->band <= 0))
		return -1;
	return 0;
}

enum err
order_market_load(struct db *db, struct arena *a, const char *symbol,
    struct market *m)
{
	const char *p[1] = { symbol };
	PGresult *res;
	enum err e;
	size_t i;

	for (i = 0; symbol[i] != '\0'; i++)
		if (!((symbol[i] >= 'A' && symbol[i] <= 'Z') ||
		    (symbol[i] >= '0' && symbol[i] <= '9')))
			return ERR_TRADE_005;
	if (i < 4 || i > 20)
		return ERR_TRADE_005;
	if ((e = q(db, a, ST_MARKET, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_TRADE_005;
	if (order_market_fill(m, res, 0, 0) == -1) {
		log_error("market %s: unusable precisions or fees", symbol);
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

/* A decimal field at scale: 0, or -1 with f saying why. */
static int
amount(const char *s, int scale, const char *field, int64_t *v,
    struct order_fail *f)
{
	int rc;

	if ((rc = dec_parse(s, strlen(s), scale, v)) != DEC_OK)
		return fail(f, field, rc == DEC_EPRECISION ?
		    "too many decimal places for this market" :
		    rc == DEC_ERANGE ? "out of range" :
		    rc == DEC_ESIGN ? "must be positive" :
		    "not a decimal number");
	if (*v <= 0)
		return fail(f, field, "must be positive");
	return 0;
}

static void
fmt(int64_t v, int scale, char *buf, size_t sz)
{
	if (dec_format(v, scale, buf, sz) == -1 && sz > 0)
		buf[0] = '\0';
}

/* Price a market buy by quantity against the resting asks. */
static enum err
market_buy_estimate(struct db *db, struct arena *a, const struct market *m,
    int64_t qty, int64_t *cost, int64_t *got)
{
	struct order_level *lv;
	const char *p[2];
	char lim[16];
	PGresult *res;
	enum err e;
	int i, n, max;

	for (max = ASKS_FEW;; max = ASKS_MAX) {
		snprintf(lim, sizeof(lim), "%d", max);
		p[0] = m->symbol;
		p[1] = lim;
		if ((e = q(db, a, ST_ASKS, p, &res)) != ERR_OK)
			return e;
		n = PQntuples(res);
		if ((lv = arena_calloc(a, (size_t)n + 1, sizeof(*lv))) == NULL)
			return ERR_INTERNAL;
		for (i = 0; i < n; i++)
			if (num(db_val(res, i, 0), m->price_scale,
			    &lv[i].price) == -1 ||
			    num(db_val(res, i, 1), m->qty_scale, &lv[i].qty) == -1)
				return ERR_INTERNAL;
		if (order_cost(m, lv, (size_t)n, qty, cost, got) == -1)
			return ERR_INVALID_REQUEST;
		/* The first few asks usually hold the whole quantity. */
		if (*got == qty || n < max || max == ASKS_MAX)
			return ERR_OK;
	}
}

static enum err
available_get(struct db *db, struct arena *a, const struct user *u,
    const char *asset, int scale, int lock, int64_t *avail)
{
	const char *p[2] = { u->idtxt, asset };
	PGresult *res;
	enum err e;

	if ((e = q(db, a, lock ? ST_AVAILABLE_LOCK : ST_AVAILABLE, p, &res)) !=
	    ERR_OK)
		return e;
	*avail = 0;
	if (PQntuples(res) == 1 &&
	    dec_parse_flags(db_val(res, 0, 0), strlen(db_val(res, 0, 0)),
	    scale, DEC_ZEROS_OK, avail) != DEC_OK)
		/* Balances only ever hold amounts at the asset's precision. */
		return ERR_INTERNAL;
	return ERR_OK;
}

static void
insufficient(struct order_fail *f, int64_t need, int64_t avail,
    const char *asset, int scale)
{
	fmt(need, scale, f->required, sizeof(f->required));
	fmt(avail, scale, f->available, sizeof(f->available));
	snprintf(f->currency, sizeof(f->currency), "%s", asset);
}

/*
 * The process's reply channel: LISTENed to once per connection, named in
 * the inbox rows of the commands it sends, so that waiting for the matcher
 * costs no LISTEN and UNLISTEN per order. Per-process state like the
 * connection itself; a new connection (another backend) listens anew.
 */
static struct {
	int	 backend;
	char	 channel[40];
} reply;

static const char *
reply_channel(struct db *db)
{
	PGconn *c = db_conn(db);
	unsigned char rnd[8];
	PGresult *res;
	char sql[64];
	int ok;

	if (db_ensure(db) != ERR_OK || (c = db_conn(db)) == NULL)
		return NULL;
	if (reply.backend == PQbackendPID(c))
		return reply.channel;
	if (util_random(rnd, sizeof(rnd)) == -1)
		return NULL;
	memcpy(reply.channel, CHAN_REPLY_PREFIX, sizeof(CHAN_REPLY_PREFIX) - 1);
	util_hex(rnd, sizeof(rnd), reply.channel + sizeof(CHAN_REPLY_PREFIX) - 1);
	/* LISTEN takes no parameters; the name is ours: the prefix + hex. */
	snprintf(sql, sizeof(sql), "LISTEN %s", reply.channel);
	res = PQexec(c, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok) {
		log_error("LISTEN failed: %s", PQerrorMessage(c));
		reply.backend = 0;
		return NULL;
	}
	reply.backend = PQbackendPID(c);
	return reply.channel;
}

/*
 * Markets change rarely (a halt, new fees); orders come by the thousand.
 * A second-old copy of a market is good enough to accept an order on: the
 * matcher and the database hold the truth.
 */
#define MARKET_CACHE	16
#define MARKET_TTL_MS	1000

static struct {
	struct market	 m;
	int64_t		 at_ms;
} markets[MARKET_CACHE];

static enum err
market_cached(struct db *db, struct arena *a, const char *symbol,
    struct market *m)
{
	int64_t now = util_mono_ms();
	size_t i, slot = 0;
	enum err e;

	for (i = 0; i < MARKET_CACHE; i++) {
		if (markets[i].at_ms != 0 &&
		    strcmp(markets[i].m.symbol, symbol) == 0 &&
		    now - markets[i].at_ms < MARKET_TTL_MS) {
			*m = markets[i].m;
			return ERR_OK;
		}
		if (markets[i].at_ms < markets[slot].at_ms)
			slot = i;
	}
	if ((e = order_market_load(db, a, symbol, m)) != ERR_OK)
		return e;
	markets[slot].m = *m;
	markets[slot].at_ms = now;
	return ERR_OK;
}

/*
 * Wake the matcher, unless it says it is polling the inbox anyway: it
 * keeps CHAN_MC_BUSY SYMBOL in memcached while it does and deletes it
 * before its last look at the inbox, so an order committed before this
 * check is either seen by that look or finds the key gone. No key (or no
 * memcached) means NOTIFY: the safe side.
 */
static void
notify_matcher(struct db *db, struct arena *a, const char *symbol)
{
	const char *p[1] = { symbol };
	char key[CHAN_MC_KEY_MAX], *v;
	size_t len;
	PGresult *res;

	snprintf(key, sizeof(key), "%s%s", CHAN_MC_BUSY, symbol);
	if (mc_fetch(a, key, &v, &len) == 1)
		return;
	/* The matcher also polls: a lost wake-up costs latency, not orders. */
	if (q(db, a, ST_NOTIFY, p, &res) != ERR_OK)
		log_error("matcher not notified of %s", symbol);
}

static int
check_minimums(const struct market *m, const struct order_in *in,
    int64_t price, int64_t qty, int64_t qoq, struct order_fail *f)
{
	int64_t notional;

	if (qty > 0 && qty < m->min_qty) {
		fmt(m->min_qty, m->qty_scale, f->minimum, sizeof(f->minimum));
		f->minimum_name = "minQuantity";
		return fail(f, "quantity", "below the market's minimum quantity");
	}
	if (in->type == ORD_LIMIT &&
	    (order_quote_amount(m, price, qty, &notional) == -1 ||
	    notional < m->min_notional)) {
		fmt(m->min_notional, m->quote_scale, f->minimum,
		    sizeof(f->minimum));
		f->minimum_name = "minNotional";
		return fail(f, "quantity", "price x quantity is below the "
		    "market's minimum notional");
	}
	if (qoq > 0 && qoq < m->min_notional) {
		fmt(m->min_notional, m->quote_scale, f->minimum,
		    sizeof(f->minimum));
		f->minimum_name = "minNotional";
		return fail(f, "quoteOrderQty", "below the market's minimum "
		    "notional");
	}
	return 0;
}

/* ---- the matcher's socket ------------------------------------------------ */

/*
 * One connection per market the process has sent orders to, kept open;
 * the matcher answers each line once the order is committed.
 */
static struct {
	char	 symbol[24];
	int	 fd;
} links[MARKET_CACHE];

enum { DIRECT_ANSWERED, DIRECT_NOT_SENT, DIRECT_LOST };

static void
link_drop(size_t i)
{
	if (links[i].fd > 0)
		close(links[i].fd);
	links[i].fd = 0;
	links[i].symbol[0] = '\0';
}

/* The slot of a connected socket to the matcher of symbol, or -1. */
static int
link_get(const char *symbol)
{
	struct sockaddr_un sa;
	const char *dir = cfg_get(CHAN_SOCKET_DIR_KEY, NULL);
	size_t i, slot = 0;
	int fd;

	if (dir == NULL || *dir == '\0')
		return -1;
	for (i = 0; i < MARKET_CACHE; i++) {
		if (links[i].fd > 0 && strcmp(links[i].symbol, symbol) == 0)
			return (int)i;
		if (links[i].fd <= 0)
			slot = i;
	}
	if (links[slot].fd > 0)
		link_drop(slot);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
	    symbol) >= sizeof(sa.sun_path))
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	/* No matcher listening (restarting, or none for this market). */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	links[slot].fd = fd;
	snprintf(links[slot].symbol, sizeof(links[slot].symbol), "%s", symbol);
	return (int)slot;
}

/* Read one answer line (without its newline); the arena frees it. */
static int
link_read(int fd, struct arena *a, int timeout_ms, char **line)
{
	int64_t deadline = util_mono_ms() + timeout_ms, left;
	char *buf = NULL, *nl, *nb;
	size_t len = 0, cap = 0;
	struct pollfd pfd;
	ssize_t n;
	int rc;

	for (;;) {
		if ((left = deadline - util_mono_ms()) <= 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if ((rc = poll(&pfd, 1, (int)left)) == 0)
			break;
		if (rc == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 16384;
			if (cap > CHAN_ANSWER_MAX ||
			    (nb = realloc(buf, cap)) == NULL)
				break;
			buf = nb;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) == -1 &&
		    (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if ((nl = memchr(buf + len - n, '\n', (size_t)n)) != NULL) {
			/* One request in flight: nothing may follow. */
			if (nl != buf + len - 1 || arena_defer(a, free, buf) == -1)
				break;
			*nl = '\0';
			*line = buf;
			return 0;
		}
	}
	free(buf);
	return -1;
}

/*
 * Send one request line and read the answer. DIRECT_NOT_SENT: the matcher
 * never had it; DIRECT_LOST: it may have (the connection broke or the
 * answer did not come in time).
 */
static int
direct_send(const char *symbol, const char *req, struct arena *a,
    char **answer)
{
	size_t len = strlen(req);
	ssize_t n;
	int slot, tries;

	for (tries = 0; tries < 2; tries++) {
		if ((slot = link_get(symbol)) == -1)
			return DIRECT_NOT_SENT;
		n = send(links[slot].fd, req, len, MSG_NOSIGNAL);
		if (n == (ssize_t)len)
			break;
		link_drop((size_t)slot);
		/* A matcher that went away since: its successor may listen. */
		if (n == -1 && (errno == EPIPE || errno == ECONNRESET))
			continue;
		return n <= 0 ? DIRECT_NOT_SENT : DIRECT_LOST;
	}
	if (tries == 2)
		return DIRECT_NOT_SENT;
	if (link_read(links[slot].fd, a, DIRECT_WAIT_MS, answer) == -1) {
		link_drop((size_t)slot);
		return DIRECT_LOST;
	}
	return DIRECT_ANSWERED;
}

/* An order checked and priced: what the matcher or the inbox takes. */
struct placing {
	const struct order_in	*in;
	struct market		 m;
	int64_t			 price, qty, qoq, lock;	/* market units */
	int			 by_cost;	/* a market buy by quantity */
	const char		*lock_asset;
	int			 lock_scale;
	int64_t			 deadline_ms;	/* the matcher's: sent, unanswered */
};

/*
 * Hand the order to the matcher, which locks its funds, stores it and
 * matches it in its next batch, and answers once that is committed.
 */
static int
direct_place(struct arena *a, const struct user *u, struct placing *pl,
    struct order_placed *out, struct order_fail *f, enum err *e)
{
	const struct order_in *in = pl->in;
	char req[CHAN_REQUEST_MAX], *ans = NULL, *end;
	int64_t need, avail, deadline;
	int rc;

	/* The matcher may take it until then; we wait a little longer. */
	deadline = util_now_ms() + DIRECT_WAIT_MS - CHAN_DEADLINE_MARGIN_MS;
	pl->deadline_ms = deadline;
	if ((size_t)snprintf(req, sizeof(req),
	    "%s %s %s %c %c %s %lld %lld %lld %lld %d %lld\n", out->public_id,
	    u->idtxt, in->client_order_id != NULL ? in->client_order_id : "-",
	    in->side == ORD_BUY ? 'B' : 'S', in->type == ORD_LIMIT ? 'L' : 'M',
	    order_tif_text(in->tif), (long long)pl->price, (long long)pl->qty,
	    (long long)pl->qoq, (long long)pl->lock, pl->by_cost,
	    (long long)deadline) >= sizeof(req))
		return DIRECT_NOT_SENT;
	if ((rc = direct_send(pl->m.symbol, req, a, &ans)) != DIRECT_ANSWERED)
		return rc;
	/* Whatever it said, the matcher is done with the order. */
	pl->deadline_ms = 0;
	if (strncmp(ans, "OK ", 3) == 0) {
		if ((out->json = json_tokener_parse(ans + 3)) == NULL ||
		    !json_object_is_type(out->json, json_type_object)) {
			json_object_put(out->json);
			out->json = NULL;
			log_error("matcher answered order %s unreadably",
			    out->public_id);
			return DIRECT_LOST;
		}
		out->done = 1;
		*e = ERR_OK;
		return DIRECT_ANSWERED;
	}
	if (strncmp(ans, "POOR ", 5) == 0) {
		need = strtoll(ans + 5, &end, 10);
		avail = strtoll(end, NULL, 10);
		insufficient(f, need, avail, pl->lock_asset, pl->lock_scale);
		*e = ERR_INSUFFICIENT_BALANCE;
		return DIRECT_ANSWERED;
	}
	if (strcmp(ans, "CONFLICT") == 0) {
		fail(f, "clientOrderId", "already used for another order");
		*e = ERR_CONFLICT;
		return DIRECT_ANSWERED;
	}
	if ((*e = order_refusal(&pl->m, ans, f)) != ERR_OK)
		return DIRECT_ANSWERED;
	/* RETRY, STORED: the inbox settles it by the same public id. */
	return DIRECT_LOST;
}

/* The order, placed under our public id by an earlier attempt. */
static enum err
placed_before(struct db *db, struct arena *a, const struct user *u,
    struct order_placed *out)
{
	const char *p[2] = { out->public_id, u->idtxt };
	PGresult *res;
	enum err e;

	if ((e = q(db, a, ST_BY_PID, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	out->id = strtoll(db_val(res, 0, 0), NULL, 10);
	snprintf(out->idtxt, sizeof(out->idtxt), "%s", db_val(res, 0, 0));
	out->done = 1;
	return ERR_OK;
}

/*
 * Whether the order went in, after an attempt that ended without saying
 * so (a lost connection, a timeout, a failed commit, the matcher's silence
 * and then our own trouble): the balance the order locks is locked once
 * more, outside a transaction, which waits for whatever transaction still
 * holds it (ours on a connection that broke, or a matcher's batch that
 * took the order before its deadline), and then the order is looked up by
 * its public id. ERR_OK: it is there; ERR_NOT_FOUND: it is not, and no
 * one can place it any more; anything else: it cannot be told now.
 */
static enum err
order_settle(struct db *db, struct arena *a, const struct user *u,
    const struct placing *pl, struct order_placed *out)
{
	const char *p[2] = { u->idtxt, pl->lock_asset };
	PGresult *res;
	enum err e;

	db_rollback(db);
	if ((e = q(db, a, ST_SETTLE, p, &res)) != ERR_OK)
		return e;
	return placed_before(db, a, u, out);
}

/* How one attempt at the inbox ended. */
enum {
	INBOX_PLACED,	/* committed */
	INBOX_DONE,	/* settled either way: *e says how */
	INBOX_AGAIN,	/* a deadlock or serialization failure: try again */
	INBOX_NONE,	/* failed before writing anything */
	INBOX_UNKNOWN	/* failed after writing: committed or not */
};

/*
 * One attempt to place the order in a transaction of its own with its
 * inbox row. again: the matcher may have placed it already.
 */
static int
inbox_try(struct db *db, struct arena *a, const struct user *u,
    struct placing *pl, const char *rc, int again, struct order_placed *out,
    struct order_fail *f, enum err *e)
{
	const struct order_in *in = pl->in;
	const struct market *m = &pl->m;
	char pbuf[DEC_BUFSZ], qbuf[DEC_BUFSZ], qoqbuf[DEC_BUFSZ],
	    lockbuf[DEC_BUFSZ], st[6];
	const char *p[14];
	int64_t cost = 0, got = 0, avail, target;
	PGresult *res;

	if (pl->by_cost) {
		if ((*e = market_buy_estimate(db, a, m, pl->qty, &cost, &got)) !=
		    ERR_OK) {
			if (*e != ERR_INVALID_REQUEST)
				return INBOX_NONE;
			fail(f, "quantity", "out of range");
			return INBOX_DONE;
		}
		pl->lock = 0;
	}
	if ((*e = db_begin(db)) != ERR_OK)
		return INBOX_NONE;
	if (got > 0) {
		/*
		 * Lock the estimate and a margin for the book moving before the
		 * matcher gets the order, within what is available; the matcher
		 * fills no more than the lock pays for and releases the rest.
		 */
		if ((*e = available_get(db, a, u, pl->lock_asset, pl->lock_scale,
		    1, &avail)) != ERR_OK) {
			snprintf(st, sizeof(st), "%s", db_sqlstate(db));
			db_rollback(db);
			return strncmp(st, "40", 2) == 0 ? INBOX_AGAIN : INBOX_NONE;
		}
		if (avail < cost) {
			db_rollback(db);
			if (again && placed_before(db, a, u, out) == ERR_OK) {
				*e = ERR_OK;
				return INBOX_DONE;
			}
			insufficient(f, cost, avail, pl->lock_asset,
			    pl->lock_scale);
			*e = ERR_INSUFFICIENT_BALANCE;
			return INBOX_DONE;
		}
		if (dec_mul(cost, pl->lock_scale, 100 + ORDER_MARKET_MARGIN_PCT,
		    2, pl->lock_scale, DEC_ROUND_UP, &target) != DEC_OK)
			target = cost;
		pl->lock = target < avail ? target : avail;
	}
	fmt(pl->price, m->price_scale, pbuf, sizeof(pbuf));
	fmt(pl->qty, m->qty_scale, qbuf, sizeof(qbuf));
	fmt(pl->qoq, m->quote_scale, qoqbuf, sizeof(qoqbuf));
	fmt(pl->lock, pl->lock_scale, lockbuf, sizeof(lockbuf));
	p[0] = out->public_id;
	p[1] = u->idtxt;
	p[2] = in->client_order_id;
	p[3] = m->symbol;
	p[4] = order_side_text(in->side);
	p[5] = order_type_text(in->type);
	p[6] = order_tif_text(in->tif);
	p[7] = in->price != NULL ? pbuf : NULL;
	p[8] = in->quantity != NULL ? qbuf : NULL;
	p[9] = in->quote_order_qty != NULL ? qoqbuf : NULL;
	p[10] = m->quote;
	p[11] = pl->lock_asset;
	p[12] = lockbuf;
	p[13] = rc;
	if ((*e = q(db, a, ST_PLACE, p, &res)) != ERR_OK) {
		snprintf(st, sizeof(st), "%s", db_sqlstate(db));
		db_rollback(db);
		/* 40P01 deadlock, 40001 serialization failure: nothing done. */
		if (strncmp(st, "40", 2) == 0)
			return INBOX_AGAIN;
		if (strncmp(st, "23", 2) != 0)
			return INBOX_UNKNOWN;
		/* The matcher did place it after all. */
		if (again && placed_before(db, a, u, out) == ERR_OK) {
			*e = ERR_OK;
			return INBOX_DONE;
		}
		if (strcmp(st, "23505") == 0) {
			fail(f, "clientOrderId", "already used for another order");
			*e = ERR_CONFLICT;
			return INBOX_DONE;
		}
		if (strcmp(st, "23514") == 0) {
			if ((*e = available_get(db, a, u, pl->lock_asset,
			    pl->lock_scale, 0, &avail)) != ERR_OK)
				return INBOX_NONE;
			if (avail >= pl->lock) {
				log_error("order refused by a constraint other "
				    "than the balance");
				*e = ERR_INTERNAL;
				return INBOX_DONE;
			}
			insufficient(f, pl->lock, avail, pl->lock_asset,
			    pl->lock_scale);
			*e = ERR_INSUFFICIENT_BALANCE;
			return INBOX_DONE;
		}
		log_error("order refused by constraint %s", st);
		*e = ERR_INTERNAL;
		return INBOX_DONE;
	}
	out->id = strtoll(db_val(res, 0, 0), NULL, 10);
	snprintf(out->idtxt, sizeof(out->idtxt), "%s", db_val(res, 0, 0));
	if ((*e = db_commit(db)) != ERR_OK)
		return INBOX_UNKNOWN;
	return INBOX_PLACED;
}

/* A failure of the database before the order was placed: try again later. */
static enum err
not_placed(enum err e, struct order_fail *f)
{
	if (e != ERR_SYSTEM_001 && e != ERR_SERVICE_UNAVAILABLE &&
	    e != ERR_SYSTEM_002)
		return e;
	fail(f, NULL, "the order was not placed: try again");
	return ERR_SYSTEM_002;
}

/*
 * The order through the inbox: attempts while deadlocks allow, and when
 * the outcome is not known, order_settle(). What the caller hears is what
 * was committed: the order (ERR_OK), a refusal, or SYSTEM_002 for an order
 * that does not exist, or whose fate cannot be told now (f->order_id is
 * then set: the client looks it up before placing it again).
 */
static enum err
inbox_place(struct db *db, struct arena *a, const struct user *u,
    struct placing *pl, unsigned flags, int again, struct order_placed *out,
    struct order_fail *f)
{
	const char *rc = NULL;
	enum err e = ERR_OK;
	int tries, t;

	/* Without a channel the order goes in all the same, unanswered. */
	if ((flags & ORDER_LISTEN) && (rc = reply_channel(db)) == NULL)
		log_error("no reply channel: order %s not awaited", out->public_id);
	/*
	 * Another attempt cannot repeat work that must share the transaction
	 * (an idempotency key's claim): the first failure is the answer.
	 */
	for (tries = 0;; tries++) {
		t = inbox_try(db, a, u, pl, rc, again, out, f, &e);
		if (t != INBOX_AGAIN || tries == 2 || db_has_begin_hook(db))
			break;
		log_info("order %s: deadlock or serialization failure, again",
		    out->public_id);
	}
	switch (t) {
	case INBOX_PLACED:
		notify_matcher(db, a, pl->m.symbol);
		return ERR_OK;
	case INBOX_DONE:
		/* Refused here: unless the matcher may yet take it, that is all. */
		if (!again || e == ERR_OK || e == ERR_INTERNAL)
			return e;
		break;
	case INBOX_NONE:
	case INBOX_AGAIN:
		if (!again)
			return not_placed(e, f);
		break;
	default:
		break;
	}
	/*
	 * A socket connection that broke before the matcher answered leaves
	 * it free to take the order until its deadline: settle after that.
	 */
	while (util_now_ms() <= pl->deadline_ms)
		(void)poll(NULL, 0, 50);
	switch (order_settle(db, a, u, pl, out)) {
	case ERR_OK:
		log_error("order %s: placed after all", out->public_id);
		notify_matcher(db, a, pl->m.symbol);
		memset(f, 0, sizeof(*f));
		return ERR_OK;
	case ERR_NOT_FOUND:
		if (t == INBOX_DONE)
			return e;
		log_error("order %s: not placed", out->public_id);
		return not_placed(ERR_SYSTEM_002, f);
	default:
		if (t == INBOX_DONE)
			return e;
		log_error("order %s: whether it was placed is not known",
		    out->public_id);
		f->order_id = arena_strdup(a, out->public_id);
		fail(f, "orderId", "the order may have been placed: look it up "
		    "with GET /api/v1/orders/{orderId} before placing it again");
		return ERR_SYSTEM_002;
	}
}

enum err
order_place(struct db *db, struct arena *a, const struct user *u,
    const struct order_in *in, unsigned flags, struct order_placed *out,
    struct order_fail *f)
{
	struct placing pl;
	struct market *m = &pl.m;
	PGresult *res;
	enum err e;
	int again = 0;

	memset(out, 0, sizeof(*out));
	memset(&pl, 0, sizeof(pl));
	pl.in = in;
	if (u->kyc_level < ORDER_KYC_LEVEL) {
		const char *pk[1] = { u->idtxt };

		/* Say where the user stands: under review, or turned down. */
		fail(f, NULL, "trading needs KYC LEVEL_2");
		if (q(db, a, ST_KYC_STATE, pk, &res) == ERR_OK &&
		    PQntuples(res) == 1) {
			if (strcmp(db_val(res, 0, 0), "PENDING_REVIEW") == 0)
				return ERR_KYC_002;
			if (strcmp(db_val(res, 0, 0), "REJECTED") == 0)
				return ERR_KYC_003;
		}
		return ERR_KYC_REQUIRED;
	}
	if ((e = market_cached(db, a, in->symbol, m)) != ERR_OK) {
		if (e == ERR_TRADE_005)
			fail(f, "symbol", "no such market");
		return not_placed(e, f);
	}
	out->market = *m;
	if (strcmp(m->status, "ACTIVE") != 0) {
		f->status = arena_strdup(a, m->status);
		fail(f, "symbol", "the market is not open for trading");
		return ERR_MARKET_CLOSED;
	}
	if (in->price != NULL) {
		if (amount(in->price, m->price_scale, "price", &pl.price, f) == -1)
			return ERR_TRADE_003;
		if (pl.price > ORDER_PRICE_MAX) {
			fail(f, "price", "out of range");
			return ERR_TRADE_003;
		}
	}
	if (in->quantity != NULL) {
		if (amount(in->quantity, m->qty_scale, "quantity", &pl.qty,
		    f) == -1)
			return ERR_INVALID_REQUEST;
		if (pl.qty > ORDER_QTY_MAX) {
			fail(f, "quantity", "larger than one order may be");
			return ERR_INVALID_REQUEST;
		}
	}
	if (in->quote_order_qty != NULL && amount(in->quote_order_qty,
	    m->quote_scale, "quoteOrderQty", &pl.qoq, f) == -1)
		return ERR_INVALID_REQUEST;
	if (check_minimums(m, in, pl.price, pl.qty, pl.qoq, f) == -1)
		return ERR_TRADE_002;

	/* What the order locks: see order_buy_lock() and the README. */
	pl.lock_asset = order_lock_asset(m, in->side, &pl.lock_scale);
	if (in->side == ORD_SELL) {
		if (order_base_amount(m, pl.qty, &pl.lock) == -1) {
			fail(f, "quantity", "out of range");
			return ERR_INVALID_REQUEST;
		}
	} else {
		if (in->type == ORD_LIMIT) {
			if (order_buy_lock(m, pl.price, pl.qty, &pl.lock) == -1) {
				fail(f, "quantity", "price x quantity out of range");
				return ERR_INVALID_REQUEST;
			}
		} else if (pl.qoq > 0)
			pl.lock = pl.qoq;
		else
			pl.by_cost = 1;
	}

	if (util_public_id("ord_", out->public_id, sizeof(out->public_id)) == -1)
		return ERR_INTERNAL;
	/*
	 * The matcher's socket, unless the request must share a transaction
	 * with something else (an idempotency key's claim). Whatever the
	 * matcher may not have placed goes through the inbox under the same
	 * public id, which the database lets exist once.
	 */
	if ((flags & ORDER_DIRECT) && !db_has_begin_hook(db)) {
		switch (direct_place(a, u, &pl, out, f, &e)) {
		case DIRECT_ANSWERED:
			return e;
		case DIRECT_LOST:
			again = 1;
			break;
		default:
			break;
		}
	}
	return inbox_place(db, a, u, &pl, flags, again, out, f);
}

enum err
order_cancel(struct db *db, struct arena *a, const struct user *u,
    const char *public_id, unsigned flags, struct order_placed *out,
    struct order_fail *f)
{
	const char *p[3], *rc = NULL;
	PGresult *res, *res2;
	const char *st;
	char symbol[24];
	size_t i;
	enum err e;

	memset(out, 0, sizeof(*out));
	for (i = 0; public_id[i] != '\0'; i++)
		;
	if (i != 24 || strncmp(public_id, "ord_", 4) != 0) {
		fail(f, "orderId", "no such order");
		return ERR_TRADE_006;
	}
	snprintf(out->public_id, sizeof(out->public_id), "%s", public_id);
	if ((flags & ORDER_LISTEN) && (rc = reply_channel(db)) == NULL)
		log_error("no reply channel: cancel of %s not awaited", public_id);
	if ((e = db_begin(db)) != ERR_OK)
		return e;
	p[0] = public_id;
	p[1] = u->idtxt;
	if ((e = q(db, a, ST_CANCEL_FIND, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		db_rollback(db);
		fail(f, "orderId", "no such order");
		return ERR_TRADE_006;
	}
	st = db_val(res, 0, 1);
	if (strcmp(st, "NEW") != 0 && strcmp(st, "PARTIALLY_FILLED") != 0) {
		db_rollback(db);
		f->status = arena_strdup(a, st);
		fail(f, "orderId", "the order is no longer open");
		return ERR_TRADE_007;
	}
	out->id = strtoll(db_val(res, 0, 0), NULL, 10);
	snprintf(out->idtxt, sizeof(out->idtxt), "%s", db_val(res, 0, 0));
	snprintf(symbol, sizeof(symbol), "%s", db_val(res, 0, 2));
	/* One cancel command per order: a repeat only waits for it. */
	if (strcmp(db_val(res, 0, 3), "t") != 0) {
		p[0] = out->idtxt;
		p[1] = symbol;
		p[2] = rc;
		if ((e = q(db, a, ST_CANCEL_REQUEST, p, &res2)) != ERR_OK)
			goto fail;
	}
	if ((e = db_commit(db)) != ERR_OK)
		return e;
	notify_matcher(db, a, symbol);
	return ERR_OK;
fail:
	db_rollback(db);
	return e;
}

/*
 * Take what notifications have arrived; 1 if one is about the order. Its
 * payload is the order's public id, and after it a refusal (domain/orders.h)
 * when the matcher rejected the order: that goes to word.
 */
static int
notified(PGconn *c, const char *public_id, char *word, size_t wordsz)
{
	size_t len = strlen(public_id);
	PGnotify *n;
	int hit = 0;

	while ((n = PQnotifies(c)) != NULL) {
		if (strcmp(n->relname, reply.channel) == 0 &&
		    strncmp(n->extra, public_id, len) == 0 &&
		    (n->extra[len] == '\0' || n->extra[len] == ' ')) {
			hit = 1;
			if (n->extra[len] == ' ')
				snprintf(word, wordsz, "%s", n->extra + len + 1);
		}
		PQfreemem(n);
	}
	return hit;
}

int
order_wait(struct db *db, struct order_placed *out, int timeout_ms,
    struct order_fail *f)
{
	PGconn *c = db_conn(db);
	struct pollfd pfd;
	int64_t deadline = util_mono_ms() + timeout_ms, left;
	char word[128] = "";

	out->refused = ERR_OK;
	if (c == NULL || PQstatus(c) != CONNECTION_OK ||
	    reply.backend != PQbackendPID(c))
		return -1;
	for (;;) {
		if (PQconsumeInput(c) == 0)
			return -1;
		if (notified(c, out->public_id, word, sizeof(word))) {
			if (word[0] != '\0' && out->market.symbol[0] != '\0')
				out->refused = order_refusal(&out->market, word, f);
			return 1;
		}
		if ((left = deadline - util_mono_ms()) <= 0)
			return 0;
		pfd.fd = PQsocket(c);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			return -1;
	}
}

struct json_object *
order_fail_json(const struct order_fail *f)
{
	struct json_object *d;

	if (f->required[0] != '\0') {
		d = json_object_new_object();
		json_object_object_add(d, "required",
		    json_object_new_string(f->required));
		json_object_object_add(d, "available",
		    json_object_new_string(f->available));
		json_object_object_add(d, "currency",
		    json_object_new_string(f->currency));
		return d;
	}
	if (f->field == NULL && f->reason == NULL && f->status == NULL &&
	    f->order_id == NULL)
		return NULL;
	d = json_object_new_object();
	if (f->field != NULL)
		json_object_object_add(d, "field",
		    json_object_new_string(f->field));
	if (f->reason != NULL)
		json_object_object_add(d, "reason",
		    json_object_new_string(f->reason));
	if (f->status != NULL)
		json_object_object_add(d, "status",
		    json_object_new_string(f->status));
	if (f->minimum_name != NULL)
		json_object_object_add(d, f->minimum_name,
		    json_object_new_string(f->minimum));
	if (f->min_price[0] != '\0') {
		json_object_object_add(d, "minPrice",
		    json_object_new_string(f->min_price));
		json_object_object_add(d, "maxPrice",
		    json_object_new_string(f->max_price));
	}
	if (f->order_id != NULL)
		json_object_object_add(d, "orderId",
		    json_object_new_string(f->order_id));
	return d;
}

/* ---- the API's order --------------------------------------------------------- */

struct json_object *
fill_view_json(const struct fill_view *v)
{
	struct json_object *o = json_object_new_object(), *fee;

	json_object_object_add(o, "tradeId", json_str_or_null(v->trade_id));
	json_object_object_add(o, "price", json_str_or_null(v->price));
	json_object_object_add(o, "quantity", json_str_or_null(v->quantity));
	json_object_object_add(o, "quoteQuantity",
	    json_str_or_null(v->quote_quantity));
	json_object_object_add(o, "role", json_str_or_null(v->role));
	fee = json_object_new_object();
	json_object_object_add(fee, "amount", json_str_or_null(v->fee));
	json_object_object_add(fee, "currency", json_str_or_null(v->fee_asset));
	json_object_object_add(o, "fee", fee);
	json_object_object_add(o, "timestamp", json_str_or_null(v->timestamp));
	return o;
}

struct json_object *
order_view_json(const struct order_view *v)
{
	struct json_object *o = json_object_new_object(), *fee;

	json_object_object_add(o, "orderId", json_str_or_null(v->order_id));
	json_object_object_add(o, "clientOrderId",
	    json_str_or_null(v->client_order_id));
	json_object_object_add(o, "symbol", json_str_or_null(v->symbol));
	json_object_object_add(o, "side", json_str_or_null(v->side));
	json_object_object_add(o, "type", json_str_or_null(v->type));
	json_object_object_add(o, "timeInForce", json_str_or_null(v->tif));
	json_object_object_add(o, "price", json_str_or_null(v->price));
	json_object_object_add(o, "quantity", json_str_or_null(v->quantity));
	if (v->quote_order_qty != NULL)
		json_object_object_add(o, "quoteOrderQty",
		    json_str_or_null(v->quote_order_qty));
	json_object_object_add(o, "executedQuantity",
	    json_str_or_null(v->executed));
	json_object_object_add(o, "remainingQuantity",
	    json_str_or_null(v->remaining));
	json_object_object_add(o, "cumulativeQuoteQuantity",
	    json_str_or_null(v->cum_quote));
	json_object_object_add(o, "averagePrice", json_str_or_null(v->avg_price));
	fee = json_object_new_object();
	json_object_object_add(fee, "amount", json_str_or_null(v->fee));
	json_object_object_add(fee, "currency", json_str_or_null(v->fee_asset));
	json_object_object_add(o, "fee", fee);
	json_object_object_add(o, "status", json_str_or_null(v->status));
	json_object_object_add(o, "createdAt", json_str_or_null(v->created_at));
	json_object_object_add(o, "updatedAt", json_str_or_null(v->updated_at));
	return o;
}
