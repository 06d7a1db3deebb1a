/* domain/orders.c — placing and cancelling orders: checks, then the matcher's socket or its inbox */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/channels.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/input.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/markets.h"
#include "domain/matcher_line.h"
#include "domain/matcher_link.h"
#include "domain/orders.h"

/* How long a handler waits for the matcher's socket to answer. */
#define DIRECT_WAIT_MS	5000

/* Resting asks read to price a market buy by quantity: a few, else many. */
#define ASKS_FEW	20
#define ASKS_MAX	1000

enum {
	ST_PLACE, ST_AVAILABLE, ST_AVAILABLE_LOCK, ST_ASKS, ST_CANCEL_FIND,
	ST_CANCEL_REQUEST, ST_BY_PID, ST_KYC_STATE, ST_SETTLE, ST__COUNT
};

static const struct stmt stmts[] = {
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
	[ST_PLACE] = { "orders_place",
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
	[ST_AVAILABLE] = { "orders_available",
	  "SELECT available::text FROM balances WHERE user_id = $1"
	  " AND asset = $2", 2 },
	[ST_AVAILABLE_LOCK] = { "orders_available_lock",
	  "SELECT available::text FROM balances WHERE user_id = $1"
	  " AND asset = $2 FOR UPDATE", 2 },
	[ST_ASKS] = { "orders_asks",
	  "SELECT price::text, (quantity - executed_quantity)::text FROM orders"
	  " WHERE symbol = $1 AND side = 'SELL'"
	  " AND status IN ('NEW', 'PARTIALLY_FILLED') AND book_seq IS NOT NULL"
	  " ORDER BY price, book_seq LIMIT $2", 2 },
	[ST_CANCEL_FIND] = { "orders_cancel_find",
	  "SELECT id, status, symbol, cancel_requested_at IS NOT NULL"
	  " FROM orders WHERE public_id = $1 AND user_id = $2 FOR UPDATE", 2 },
	[ST_CANCEL_REQUEST] = { "orders_cancel_request",
	  "WITH u AS (UPDATE orders SET cancel_requested_at = now()"
	  "  WHERE id = $1)"
	  " INSERT INTO order_inbox (seq, kind, order_id, symbol, reply_to)"
	  " VALUES (nextval('order_seq'), 'CANCEL', $1, $2, $3)", 3 },
	[ST_BY_PID] = { "orders_by_pid",
	  "SELECT id FROM orders WHERE public_id = $1 AND user_id = $2", 2 },
	[ST_KYC_STATE] = { "orders_kyc_state",
	  "SELECT status FROM kyc_submissions WHERE user_id = $1"
	  " ORDER BY id DESC LIMIT 1", 1 },
	/* Outside a transaction: waits for whoever holds the row, then lets go. */
	[ST_SETTLE] = { "orders_settle",
	  "SELECT 1 FROM balances WHERE user_id = $1 AND asset = $2"
	  " FOR UPDATE", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "orders statements");

/* An order checked and priced: what the matcher or the inbox takes. */
struct placing {
	const struct order_in	*in;
	struct market		 m;
	struct trade_order	 o;		/* in the market's units */
	struct trade_lock	 lock;		/* what it locks (trade_lock()) */
	int64_t			 deadline_ms;	/* the matcher's: sent, unanswered */
};

/* How one attempt at the inbox ended. */
enum {
	INBOX_PLACED,	/* committed */
	INBOX_DONE,	/* settled either way: *e says how */
	INBOX_AGAIN,	/* a deadlock or serialization failure: try again */
	INBOX_NONE,	/* failed before writing anything */
	INBOX_UNKNOWN	/* failed after writing: committed or not */
};

enum { DIRECT_ANSWERED, DIRECT_NOT_SENT, DIRECT_LOST };

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

static int
fail(struct order_fail *f, const char *field, const char *reason)
{
	f->field = field;
	f->reason = reason;
	return -1;
}

static void
fmt(int64_t v, int scale, char *buf, size_t sz)
{
	if (dec_format(v, scale, buf, sz) == -1 && sz > 0)
		buf[0] = '\0';
}

/*
 * Each refusal as the API says it: its error, the field named, why, and
 * the minimum missed (minQuantity in lots, minNotional in quote units).
 */
static const struct {
	enum err	 err;
	const char	*field;
	const char	*reason;
	const char	*minimum;
} refusals[] = {
	[TRADE_REF_MIN_QTY] = { ERR_TRADE_002, "quantity",
	  "below the market's minimum quantity", "minQuantity" },
	[TRADE_REF_MIN_NOTIONAL] = { ERR_TRADE_002, "quantity",
	  "price x quantity is below the market's minimum notional",
	  "minNotional" },
	[TRADE_REF_MIN_QUOTE] = { ERR_TRADE_002, "quoteOrderQty",
	  "below the market's minimum notional", "minNotional" },
	[TRADE_REF_BAND] = { ERR_TRADE_003, "price",
	  "too far from the market's price: it must be within the price "
	  "band, from minPrice to maxPrice", NULL },
	[TRADE_REF_EXEC_MIN_QTY] = { ERR_TRADE_002, "quoteOrderQty",
	  "buys less than the market's minimum quantity at the prices it "
	  "would execute at", "minQuantity" },
	[TRADE_REF_EXEC_MIN_NOTIONAL] = { ERR_TRADE_002, "quantity",
	  "quantity x the price it would execute at is below the market's "
	  "minimum notional", "minNotional" },
};

/* Why an order was refused, as the API says it. */
static enum err
refusal_fail(const struct market *m, const struct trade_refusal *r,
    struct order_fail *f)
{
	size_t k = (size_t)r->kind;

	if (r->kind == TRADE_REF_NONE || k >= nitems(refusals))
		return ERR_OK;
	if (r->kind == TRADE_REF_BAND) {
		fmt(r->lo, m->price_scale, f->min_price, sizeof(f->min_price));
		fmt(r->hi, m->price_scale, f->max_price, sizeof(f->max_price));
	} else {
		f->minimum_name = refusals[k].minimum;
		fmt(r->min, strcmp(f->minimum_name, "minQuantity") == 0 ?
		    m->qty_scale : m->quote_scale, f->minimum,
		    sizeof(f->minimum));
	}
	fail(f, refusals[k].field, refusals[k].reason);
	return refusals[k].err;
}

enum err
order_refusal(const struct market *m, const char *words, struct order_fail *f)
{
	struct trade_refusal r;

	if (mline_refusal_decode(words, &r) == -1)
		return ERR_OK;
	return refusal_fail(m, &r, f);
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

/* The combinations of fields each type allows, and its default timeInForce. */
static int
in_shape(struct order_in *in, struct order_fail *f)
{
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
		return 0;
	}
	if (in->price != NULL)
		return fail(f, "price", "not allowed for MARKET orders");
	if (in->tif_given && in->tif == ORD_GTC)
		return fail(f, "timeInForce", "MARKET orders are IOC or FOK");
	if (!in->tif_given)
		in->tif = ORD_IOC;
	if (in->quote_order_qty != NULL && in->side != ORD_BUY)
		return fail(f, "quoteOrderQty", "only for MARKET BUY orders");
	if (in->quote_order_qty != NULL && in->quantity != NULL)
		return fail(f, "quantity",
		    "give quantity or quoteOrderQty, not both");
	if (in->quote_order_qty == NULL && in->quantity == NULL)
		return fail(f, "quantity", "required");
	return 0;
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
	return in_shape(in, f);
}

/* ---- checks ---------------------------------------------------------------- */

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

/* Say where the user stands: under review, or turned down. */
static enum err
kyc_refused(struct ctx *c, struct order_fail *f)
{
	const char *p[1] = { c->actor->idtxt };
	PGresult *res;

	fail(f, NULL, "trading needs KYC LEVEL_2");
	if (q(c, ST_KYC_STATE, p, &res) == ERR_OK && PQntuples(res) == 1) {
		if (strcmp(db_val(res, 0, 0), "PENDING_REVIEW") == 0)
			return ERR_KYC_002;
		if (strcmp(db_val(res, 0, 0), "REJECTED") == 0)
			return ERR_KYC_003;
	}
	return ERR_KYC_REQUIRED;
}

/* The request's amounts at the market's precisions, and its minimums. */
static enum err
amounts_check(const struct order_in *in, struct placing *pl,
    struct order_fail *f)
{
	const struct market *m = &pl->m;
	struct trade_order *o = &pl->o;
	struct trade_refusal r;

	o->side = in->side;
	o->type = in->type;
	if (in->price != NULL) {
		if (amount(in->price, m->price_scale, "price", &o->price,
		    f) == -1)
			return ERR_TRADE_003;
		if (o->price > TRADE_PRICE_MAX) {
			fail(f, "price", "out of range");
			return ERR_TRADE_003;
		}
	}
	if (in->quantity != NULL) {
		if (amount(in->quantity, m->qty_scale, "quantity", &o->qty,
		    f) == -1)
			return ERR_INVALID_REQUEST;
		if (o->qty > TRADE_QTY_MAX) {
			fail(f, "quantity", "larger than one order may be");
			return ERR_INVALID_REQUEST;
		}
	}
	if (in->quote_order_qty != NULL && amount(in->quote_order_qty,
	    m->quote_scale, "quoteOrderQty", &o->qoq, f) == -1)
		return ERR_INVALID_REQUEST;
	(void)trade_minimums(m, o, &r);
	return refusal_fail(m, &r, f);
}

/* What the order locks, as far as its shape decides (trade_lock()). */
static enum err
lock_plan(struct placing *pl, struct order_fail *f)
{
	if (trade_lock(&pl->m, &pl->o, NULL, &pl->lock) == TRADE_LOCK_OK)
		return ERR_OK;
	fail(f, "quantity", pl->o.side == ORD_SELL ? "out of range" :
	    "price x quantity out of range");
	return ERR_INVALID_REQUEST;
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
 * Everything checked before the order goes anywhere: the actor's KYC
 * level, the market, the amounts, the minimums and what it locks.
 */
static enum err
order_check(struct ctx *c, const struct order_in *in, struct placing *pl,
    struct order_placed *out, struct order_fail *f)
{
	struct market *m = &pl->m;
	enum err e;

	if (c->actor->kyc_level < ORDER_KYC_LEVEL)
		return kyc_refused(c, f);
	if ((e = market_get(c, in->symbol, m)) != ERR_OK) {
		if (e == ERR_TRADE_005)
			fail(f, "symbol", "no such market");
		return not_placed(e, f);
	}
	out->market = *m;
	if (strcmp(m->status, "ACTIVE") != 0) {
		f->status = arena_strdup(c->arena, m->status);
		fail(f, "symbol", "the market is not open for trading");
		return ERR_MARKET_CLOSED;
	}
	if ((e = amounts_check(in, pl, f)) != ERR_OK)
		return e;
	return lock_plan(pl, f);
}

/* ---- the fund lock and the book -------------------------------------------- */

/* Price a market buy by quantity against the resting asks. */
static enum err
market_buy_estimate(struct ctx *c, const struct market *m, int64_t qty,
    int64_t *cost, int64_t *got)
{
	struct trade_level *lv;
	const char *p[2];
	char lim[16];
	PGresult *res;
	enum err e;
	int i, n, max;

	for (max = ASKS_FEW;; max = ASKS_MAX) {
		snprintf(lim, sizeof(lim), "%d", max);
		p[0] = m->symbol;
		p[1] = lim;
		if ((e = q(c, ST_ASKS, p, &res)) != ERR_OK)
			return e;
		n = PQntuples(res);
		if ((lv = arena_calloc(c->arena, (size_t)n + 1,
		    sizeof(*lv))) == NULL)
			return ERR_INTERNAL;
		for (i = 0; i < n; i++)
			if (db_val(res, i, 0) == NULL || db_val(res, i, 1) == NULL ||
			    market_numeric(db_val(res, i, 0), m->price_scale,
			    &lv[i].price) == -1 ||
			    market_numeric(db_val(res, i, 1), m->qty_scale,
			    &lv[i].qty) == -1)
				return ERR_INTERNAL;
		if (trade_cost(m, lv, (size_t)n, qty, cost, got) == -1)
			return ERR_INVALID_REQUEST;
		/* The first few asks usually hold the whole quantity. */
		if (*got == qty || n < max || max == ASKS_MAX)
			return ERR_OK;
	}
}

static enum err
available_get(struct ctx *c, const char *asset, int scale, int lock,
    int64_t *avail)
{
	const char *p[2] = { c->actor->idtxt, asset };
	PGresult *res;
	enum err e;

	if ((e = q(c, lock ? ST_AVAILABLE_LOCK : ST_AVAILABLE, p, &res)) !=
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
    const struct trade_lock *l)
{
	fmt(need, l->scale, f->required, sizeof(f->required));
	fmt(avail, l->scale, f->available, sizeof(f->available));
	snprintf(f->currency, sizeof(f->currency), "%s", l->asset);
}

/* ---- the matcher's socket ------------------------------------------------ */

/* The order as the matcher's socket takes it. */
static void
request_of(struct ctx *c, const struct placing *pl,
    const struct order_placed *out, struct mline_order *o)
{
	const struct order_in *in = pl->in;

	memset(o, 0, sizeof(*o));
	snprintf(o->public_id, sizeof(o->public_id), "%s", out->public_id);
	o->user_id = c->actor->id;
	if (in->client_order_id != NULL)
		snprintf(o->client_id, sizeof(o->client_id), "%s",
		    in->client_order_id);
	o->side = in->side;
	o->type = in->type;
	o->tif = in->tif;
	o->price = pl->o.price;
	o->qty = pl->o.qty;
	o->qoq = pl->o.qoq;
	o->lock = pl->lock.amount;
	o->by_cost = pl->lock.by_cost;
	o->deadline_ms = pl->deadline_ms;
}

/*
 * Hand the order to the matcher, which locks its funds, stores it and
 * matches it in its next batch, and answers once that is committed.
 */
static int
direct_place(struct ctx *c, struct placing *pl, struct order_placed *out,
    struct order_fail *f, enum err *e)
{
	struct mline_order o;
	struct mline_answer ans;
	char req[CHAN_REQUEST_MAX], *line = NULL;
	enum mlink_rc rc;

	/* The matcher may take it until then; we wait a little longer. */
	pl->deadline_ms = util_now_ms() + DIRECT_WAIT_MS -
	    CHAN_DEADLINE_MARGIN_MS;
	request_of(c, pl, out, &o);
	if (mline_request_encode(&o, req, sizeof(req)) == -1)
		return DIRECT_NOT_SENT;
	rc = mlink_send(pl->m.symbol, req, c->arena, DIRECT_WAIT_MS, &line);
	if (rc != MLINK_ANSWERED)
		return rc == MLINK_NOT_SENT ? DIRECT_NOT_SENT : DIRECT_LOST;
	/* Whatever it said, the matcher is done with the order. */
	pl->deadline_ms = 0;
	if (mline_answer_decode(line, c->arena, &ans) == -1) {
		log_error("matcher answered order %s unreadably", out->public_id);
		return DIRECT_LOST;
	}
	switch (ans.kind) {
	case MLINE_OK:
		if (order_view_answer(c->arena, &pl->m, &o, &ans, &out->view,
		    &out->fills) == -1)
			return DIRECT_LOST;
		out->nfills = ans.nfills;
		out->answered = 1;
		out->done = 1;
		*e = ERR_OK;
		return DIRECT_ANSWERED;
	case MLINE_POOR:
		insufficient(f, ans.need, ans.avail, &pl->lock);
		*e = ERR_INSUFFICIENT_BALANCE;
		return DIRECT_ANSWERED;
	case MLINE_CONFLICT:
		fail(f, "clientOrderId", "already used for another order");
		*e = ERR_CONFLICT;
		return DIRECT_ANSWERED;
	case MLINE_REFUSED:
		*e = refusal_fail(&pl->m, &ans.refusal, f);
		return DIRECT_ANSWERED;
	default:
		/* RETRY, STORED: the inbox settles it by the same public id. */
		return DIRECT_LOST;
	}
}

/* ---- the inbox ------------------------------------------------------------- */

/* The order, placed under our public id by an earlier attempt. */
static enum err
placed_before(struct ctx *c, struct order_placed *out)
{
	const char *p[2] = { out->public_id, c->actor->idtxt };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_BY_PID, p, &res)) != ERR_OK)
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
order_settle(struct ctx *c, const struct placing *pl, struct order_placed *out)
{
	const char *p[2] = { c->actor->idtxt, pl->lock.asset };
	PGresult *res;
	enum err e;

	db_rollback(c->db);
	if ((e = q(c, ST_SETTLE, p, &res)) != ERR_OK)
		return e;
	return placed_before(c, out);
}

/*
 * A market buy by quantity, in the attempt's transaction: its lock, the
 * estimate and a margin for the book moving before the matcher gets the
 * order, within what is available (trade_lock()); the matcher fills no
 * more than the lock pays for and releases the rest. -1: go on; else how
 * the attempt ended.
 */
static int
inbox_by_cost(struct ctx *c, struct placing *pl, int64_t cost, int64_t got,
    int again, struct order_placed *out, struct order_fail *f, enum err *e)
{
	struct trade_funds fu = { 0, cost, got };
	char st[6];

	if ((*e = available_get(c, pl->lock.asset, pl->lock.scale, 1,
	    &fu.avail)) != ERR_OK) {
		snprintf(st, sizeof(st), "%s", db_sqlstate(c->db));
		db_rollback(c->db);
		return strncmp(st, "40", 2) == 0 ? INBOX_AGAIN : INBOX_NONE;
	}
	if (trade_lock(&pl->m, &pl->o, &fu, &pl->lock) == TRADE_LOCK_POOR) {
		db_rollback(c->db);
		if (again && placed_before(c, out) == ERR_OK) {
			*e = ERR_OK;
			return INBOX_DONE;
		}
		insufficient(f, pl->lock.need, fu.avail, &pl->lock);
		*e = ERR_INSUFFICIENT_BALANCE;
		return INBOX_DONE;
	}
	return -1;
}

/* The order, its lock and its inbox row, in one statement. */
static enum err
inbox_insert(struct ctx *c, const struct placing *pl, const char *rc,
    const struct order_placed *out, PGresult **res)
{
	const struct order_in *in = pl->in;
	const struct market *m = &pl->m;
	char pbuf[DEC_BUFSZ], qbuf[DEC_BUFSZ], qoqbuf[DEC_BUFSZ],
	    lockbuf[DEC_BUFSZ];
	const char *p[14];

	fmt(pl->o.price, m->price_scale, pbuf, sizeof(pbuf));
	fmt(pl->o.qty, m->qty_scale, qbuf, sizeof(qbuf));
	fmt(pl->o.qoq, m->quote_scale, qoqbuf, sizeof(qoqbuf));
	fmt(pl->lock.amount, pl->lock.scale, lockbuf, sizeof(lockbuf));
	p[0] = out->public_id;
	p[1] = c->actor->idtxt;
	p[2] = in->client_order_id;
	p[3] = m->symbol;
	p[4] = trade_side_text(in->side);
	p[5] = trade_type_text(in->type);
	p[6] = trade_tif_text(in->tif);
	p[7] = in->price != NULL ? pbuf : NULL;
	p[8] = in->quantity != NULL ? qbuf : NULL;
	p[9] = in->quote_order_qty != NULL ? qoqbuf : NULL;
	p[10] = m->quote;
	p[11] = pl->lock.asset;
	p[12] = lockbuf;
	p[13] = rc;
	return q(c, ST_PLACE, p, res);
}

/* The insert failed with SQLSTATE st: how the attempt ended. */
static int
inbox_refused(struct ctx *c, const struct placing *pl, const char *st,
    int again, struct order_placed *out, struct order_fail *f, enum err *e)
{
	int64_t avail;

	/* 40P01 deadlock, 40001 serialization failure: nothing done. */
	if (strncmp(st, "40", 2) == 0)
		return INBOX_AGAIN;
	if (strncmp(st, "23", 2) != 0)
		return INBOX_UNKNOWN;
	/* The matcher did place it after all. */
	if (again && placed_before(c, out) == ERR_OK) {
		*e = ERR_OK;
		return INBOX_DONE;
	}
	if (strcmp(st, "23505") == 0) {
		fail(f, "clientOrderId", "already used for another order");
		*e = ERR_CONFLICT;
		return INBOX_DONE;
	}
	if (strcmp(st, "23514") == 0) {
		if ((*e = available_get(c, pl->lock.asset, pl->lock.scale, 0,
		    &avail)) != ERR_OK)
			return INBOX_NONE;
		if (avail >= pl->lock.amount) {
			log_error("order refused by a constraint other than the "
			    "balance");
			*e = ERR_INTERNAL;
			return INBOX_DONE;
		}
		insufficient(f, pl->lock.amount, avail, &pl->lock);
		*e = ERR_INSUFFICIENT_BALANCE;
		return INBOX_DONE;
	}
	log_error("order refused by constraint %s", st);
	*e = ERR_INTERNAL;
	return INBOX_DONE;
}

/*
 * One attempt to place the order in a transaction of its own with its
 * inbox row. again: the matcher may have placed it already.
 */
static int
inbox_try(struct ctx *c, struct placing *pl, const char *rc, int again,
    struct order_placed *out, struct order_fail *f, enum err *e)
{
	int64_t cost = 0, got = 0;
	PGresult *res;
	char st[6];
	int t;

	if (pl->lock.by_cost) {
		if ((*e = market_buy_estimate(c, &pl->m, pl->o.qty, &cost,
		    &got)) != ERR_OK) {
			if (*e != ERR_INVALID_REQUEST)
				return INBOX_NONE;
			fail(f, "quantity", "out of range");
			return INBOX_DONE;
		}
		pl->lock.amount = 0;
	}
	if ((*e = db_begin(c->db)) != ERR_OK)
		return INBOX_NONE;
	/* No asks: nothing to price it at, nothing to lock. */
	if (got > 0 && (t = inbox_by_cost(c, pl, cost, got, again, out, f,
	    e)) != -1)
		return t;
	if ((*e = inbox_insert(c, pl, rc, out, &res)) != ERR_OK) {
		snprintf(st, sizeof(st), "%s", db_sqlstate(c->db));
		db_rollback(c->db);
		return inbox_refused(c, pl, st, again, out, f, e);
	}
	out->id = strtoll(db_val(res, 0, 0), NULL, 10);
	snprintf(out->idtxt, sizeof(out->idtxt), "%s", db_val(res, 0, 0));
	if ((*e = db_commit(c->db)) != ERR_OK)
		return INBOX_UNKNOWN;
	return INBOX_PLACED;
}

/*
 * An attempt that could not tell whether the order went in: settle it.
 * t is how the attempt ended and e what it said.
 */
static enum err
inbox_settle(struct ctx *c, struct placing *pl, int t, enum err e,
    struct order_placed *out, struct order_fail *f)
{
	/*
	 * A socket connection that broke before the matcher answered leaves
	 * it free to take the order until its deadline: settle after that.
	 */
	while (util_now_ms() <= pl->deadline_ms)
		(void)poll(NULL, 0, 50);
	switch (order_settle(c, pl, out)) {
	case ERR_OK:
		log_error("order %s: placed after all", out->public_id);
		mlink_wake(c, pl->m.symbol);
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
		f->order_id = arena_strdup(c->arena, out->public_id);
		fail(f, "orderId", "the order may have been placed: look it up "
		    "with GET /api/v1/orders/{orderId} before placing it again");
		return ERR_SYSTEM_002;
	}
}

/*
 * The order through the inbox: attempts while deadlocks allow, and when
 * the outcome is not known, order_settle(). What the caller hears is what
 * was committed: the order (ERR_OK), a refusal, or SYSTEM_002 for an order
 * that does not exist, or whose fate cannot be told now (f->order_id is
 * then set: the client looks it up before placing it again).
 */
static enum err
inbox_place(struct ctx *c, struct placing *pl, enum order_path path,
    unsigned flags, int again, struct order_placed *out, struct order_fail *f)
{
	const char *rc = NULL;
	enum err e = ERR_OK;
	int tries, t;

	/* Without a channel the order goes in all the same, unanswered. */
	if ((flags & ORDER_LISTEN) && (rc = mlink_reply_channel(c->db)) == NULL)
		log_error("no reply channel: order %s not awaited", out->public_id);
	/*
	 * Another attempt cannot repeat the caller's work that shares the
	 * transaction (ORDER_PATH_INBOX): the first failure is the answer.
	 */
	for (tries = 0;; tries++) {
		t = inbox_try(c, pl, rc, again, out, f, &e);
		if (t != INBOX_AGAIN || tries == 2 || path == ORDER_PATH_INBOX)
			break;
		log_info("order %s: deadlock or serialization failure, again",
		    out->public_id);
	}
	switch (t) {
	case INBOX_PLACED:
		mlink_wake(c, pl->m.symbol);
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
	return inbox_settle(c, pl, t, e, out, f);
}

/* ---- the service ------------------------------------------------------------- */

enum err
order_place(struct ctx *c, const struct order_in *in, enum order_path path,
    unsigned flags, struct order_placed *out, struct order_fail *f)
{
	struct placing pl;
	enum err e;
	int again = 0;

	memset(out, 0, sizeof(*out));
	memset(&pl, 0, sizeof(pl));
	pl.in = in;
	if ((e = order_check(c, in, &pl, out, f)) != ERR_OK)
		return e;
	if (util_public_id("ord_", out->public_id, sizeof(out->public_id)) == -1)
		return ERR_INTERNAL;
	/*
	 * Whatever the matcher may not have placed goes through the inbox
	 * under the same public id, which the database lets exist once.
	 */
	if (path == ORDER_PATH_SOCKET) {
		switch (direct_place(c, &pl, out, f, &e)) {
		case DIRECT_ANSWERED:
			return e;
		case DIRECT_LOST:
			again = 1;
			break;
		default:
			break;
		}
	}
	return inbox_place(c, &pl, path, flags, again, out, f);
}

enum err
order_cancel(struct ctx *c, const char *public_id, unsigned flags,
    struct order_placed *out, struct order_fail *f)
{
	const char *p[3], *rc = NULL;
	PGresult *res, *res2;
	const char *st;
	char symbol[24];
	enum err e;

	memset(out, 0, sizeof(*out));
	if (strlen(public_id) != 24 || strncmp(public_id, "ord_", 4) != 0) {
		fail(f, "orderId", "no such order");
		return ERR_TRADE_006;
	}
	snprintf(out->public_id, sizeof(out->public_id), "%s", public_id);
	if ((flags & ORDER_LISTEN) && (rc = mlink_reply_channel(c->db)) == NULL)
		log_error("no reply channel: cancel of %s not awaited", public_id);
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	p[0] = public_id;
	p[1] = c->actor->idtxt;
	if ((e = q(c, ST_CANCEL_FIND, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		db_rollback(c->db);
		fail(f, "orderId", "no such order");
		return ERR_TRADE_006;
	}
	st = db_val(res, 0, 1);
	if (strcmp(st, "NEW") != 0 && strcmp(st, "PARTIALLY_FILLED") != 0) {
		db_rollback(c->db);
		f->status = arena_strdup(c->arena, st);
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
		if ((e = q(c, ST_CANCEL_REQUEST, p, &res2)) != ERR_OK)
			goto fail;
	}
	if ((e = db_commit(c->db)) != ERR_OK)
		return e;
	mlink_wake(c, symbol);
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

int
order_wait(struct ctx *c, struct order_placed *out, int timeout_ms,
    struct order_fail *f)
{
	char word[128];
	int rc;

	out->refused = ERR_OK;
	rc = mlink_wait(c->db, out->public_id, timeout_ms, word, sizeof(word));
	if (rc == 1 && word[0] != '\0' && out->market.symbol[0] != '\0')
		out->refused = order_refusal(&out->market, word, f);
	return rc;
}
