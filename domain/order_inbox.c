/* domain/order_inbox.c — an order through the matcher's inbox: the service's own transaction, its attempts, and settling what is not known */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/markets.h"
#include "domain/matcher_link.h"
#include "domain/order_inbox.h"
#include "domain/trading_day.h"

/* Resting asks read to price a market buy by quantity: a few, else many. */
#define ASKS_FEW	20
#define ASKS_MAX	1000

enum {
	ST_PLACE, ST_AVAILABLE, ST_AVAILABLE_LOCK, ST_ASKS, ST_BY_PID, ST_SETTLE,
	ST__COUNT
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
	[ST_PLACE] = { "order_inbox_place",
	  "WITH b AS (SELECT 1 FROM balances WHERE user_id = $2 AND asset = $12"
	  "  FOR UPDATE),"
	  " s AS (SELECT nextval('order_seq') AS seq"
	  "  FROM (SELECT count(*) FROM b) AS held),"
	  " o AS (INSERT INTO orders (public_id, user_id, client_order_id,"
	  "  symbol, side, type, time_in_force, price, quantity,"
	  "  quote_order_qty, fee_asset, lock_asset, locked_amount,"
	  "  lock_remaining, seq, day_value, stop_price, self_trade_prevention,"
	  "  order_list_id, list_leg)"
	  "  SELECT $1, $2, $3, $4, $5, $6, $7, $8::numeric, $9::numeric,"
	  "  $10::numeric, $11, $12, $13::numeric, $13::numeric, s.seq,"
	  "  $15::numeric, $16::numeric, $17, $18::bigint, $19 FROM s"
	  "  RETURNING id, seq),"
	  " l AS (INSERT INTO ledger (user_id, asset, delta_available,"
	  "  delta_locked, kind, ref)"
	  "  SELECT $2, $12, -$13::numeric, $13::numeric, 'ORDER_LOCK', $1"
	  "  FROM o WHERE $13::numeric > 0),"
	  " i AS (INSERT INTO order_inbox (seq, kind, order_id, symbol, reply_to)"
	  "  SELECT o.seq, 'NEW', o.id, $4, $14 FROM o)"
	  " SELECT id FROM o", 19 },
	[ST_AVAILABLE] = { "order_inbox_available",
	  "SELECT available::text FROM balances WHERE user_id = $1"
	  " AND asset = $2", 2 },
	[ST_AVAILABLE_LOCK] = { "order_inbox_available_lock",
	  "SELECT available::text FROM balances WHERE user_id = $1"
	  " AND asset = $2 FOR UPDATE", 2 },
	[ST_ASKS] = { "order_inbox_asks",
	  "SELECT price::text, (quantity - executed_quantity)::text FROM orders"
	  " WHERE symbol = $1 AND side = 'SELL'"
	  " AND status IN ('NEW', 'PARTIALLY_FILLED') AND book_seq IS NOT NULL"
	  " AND (stop_price IS NULL OR triggered_at IS NOT NULL)"
	  " ORDER BY price, book_seq LIMIT $2", 2 },
	[ST_BY_PID] = { "order_inbox_by_pid",
	  "SELECT id FROM orders WHERE public_id = $1 AND user_id = $2", 2 },
	/* Outside a transaction: waits for whoever holds the row, then lets go. */
	[ST_SETTLE] = { "order_inbox_settle",
	  "SELECT 1 FROM balances WHERE user_id = $1 AND asset = $2"
	  " FOR UPDATE", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "order inbox statements");

/* How one attempt at the inbox ended. */
enum {
	INBOX_PLACED,	/* committed */
	INBOX_DONE,	/* settled either way: *e says how */
	INBOX_AGAIN,	/* a deadlock or serialization failure: try again */
	INBOX_NONE,	/* failed before writing anything */
	INBOX_UNKNOWN	/* failed after writing: committed or not */
};

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

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
		order_fail_poor(f, pl->lock.need, fu.avail, &pl->lock);
		*e = ERR_INSUFFICIENT_BALANCE;
		return INBOX_DONE;
	}
	return -1;
}

/* The order, its lock and its inbox row, in one statement. */
enum err
order_inbox_insert(struct ctx *c, const struct placing *pl, const char *rc,
    const struct order_placed *out, PGresult **res)
{
	const struct order_in *in = pl->in;
	const struct market *m = &pl->m;
	char pbuf[DEC_BUFSZ], qbuf[DEC_BUFSZ], qoqbuf[DEC_BUFSZ],
	    lockbuf[DEC_BUFSZ], daybuf[DEC_BUFSZ], stopbuf[DEC_BUFSZ];
	const char *p[19];

	order_amount_text(pl->o.price, m->price_scale, pbuf, sizeof(pbuf));
	order_amount_text(pl->o.qty, m->qty_scale, qbuf, sizeof(qbuf));
	order_amount_text(pl->o.qoq, m->quote_scale, qoqbuf, sizeof(qoqbuf));
	order_amount_text(pl->lock.amount, pl->lock.scale, lockbuf, sizeof(lockbuf));
	p[0] = out->public_id;
	p[1] = c->actor->idtxt;
	p[2] = in->client_order_id;
	p[3] = m->symbol;
	p[4] = trade_side_text(in->side);
	p[5] = trade_type_name(pl->o.type, pl->o.stop > 0);
	p[6] = trade_tif_text(pl->tif);
	p[7] = pl->o.type == ORD_LIMIT ? pbuf : NULL;
	p[8] = in->quantity != NULL ? qbuf : NULL;
	p[9] = in->quote_order_qty != NULL ? qoqbuf : NULL;
	p[10] = m->quote;
	p[11] = pl->lock.asset;
	p[12] = lockbuf;
	p[13] = rc;
	order_amount_text(pl->day_value, 2, daybuf, sizeof(daybuf));
	/* An OCO list counts once against the daily limit: its limit leg. */
	p[14] = pl->list_leg != NULL && strcmp(pl->list_leg, "STOP") == 0 ?
	    NULL : daybuf;
	order_amount_text(pl->o.stop, m->price_scale, stopbuf, sizeof(stopbuf));
	p[15] = pl->o.stop > 0 ? stopbuf : NULL;
	p[16] = trade_stp_text(in->stp);
	p[17] = pl->list_id;
	p[18] = pl->list_leg;
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
		order_fail_set(f, "clientOrderId", "already used for another order");
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
		order_fail_poor(f, pl->lock.amount, avail, &pl->lock);
		*e = ERR_INSUFFICIENT_BALANCE;
		return INBOX_DONE;
	}
	log_error("order refused by constraint %s", st);
	*e = ERR_INTERNAL;
	return INBOX_DONE;
}

/*
 * The daily trading limit, first in the attempt's transaction (its
 * counter is locked before the balance, as the matcher locks them).
 * -1: counted, go on; else how the attempt ended. A refusal tells of the
 * balance first, as the matcher does, and of nothing when the matcher
 * placed the order after all.
 */
static int
inbox_day(struct ctx *c, struct placing *pl, int again,
    struct order_placed *out, struct order_fail *f, enum err *e)
{
	int64_t avail;
	char st[6];

	if ((*e = trading_day_take(c, pl, NULL, &pl->day_value, f)) == ERR_OK)
		return -1;
	snprintf(st, sizeof(st), "%s", db_sqlstate(c->db));
	db_rollback(c->db);
	if (*e == ERR_INVALID_REQUEST) {
		order_fail_set(f, "quantity", "out of range");
		return INBOX_DONE;
	}
	if (*e != ERR_COMPLIANCE_002)
		return strncmp(st, "40", 2) == 0 ? INBOX_AGAIN : INBOX_NONE;
	if (again && placed_before(c, out) == ERR_OK) {
		memset(f, 0, sizeof(*f));
		*e = ERR_OK;
		return INBOX_DONE;
	}
	if (!pl->lock.by_cost && available_get(c, pl->lock.asset,
	    pl->lock.scale, 0, &avail) == ERR_OK && avail < pl->lock.amount) {
		memset(f, 0, sizeof(*f));
		order_fail_poor(f, pl->lock.amount, avail, &pl->lock);
		*e = ERR_INSUFFICIENT_BALANCE;
	}
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
			order_fail_set(f, "quantity", "out of range");
			return INBOX_DONE;
		}
		pl->lock.amount = 0;
	}
	if ((*e = db_begin(c->db)) != ERR_OK)
		return INBOX_NONE;
	if ((t = inbox_day(c, pl, again, out, f, e)) != -1)
		return t;
	/* No asks: nothing to price it at, nothing to lock. */
	if (got > 0 && (t = inbox_by_cost(c, pl, cost, got, again, out, f,
	    e)) != -1)
		return t;
	if ((*e = order_inbox_insert(c, pl, rc, out, &res)) != ERR_OK) {
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

enum err
order_inbox_taken(struct ctx *c, const struct placing *pl,
    struct order_placed *out)
{
	/*
	 * A socket connection that broke before the matcher answered leaves
	 * it free to take the order until its deadline: settle after that.
	 */
	while (util_now_ms() <= pl->deadline_ms)
		(void)poll(NULL, 0, 50);
	return order_settle(c, pl, out);
}

/*
 * An attempt that could not tell whether the order went in: settle it.
 * t is how the attempt ended and e what it said.
 */
static enum err
inbox_settle(struct ctx *c, struct placing *pl, int t, enum err e,
    struct order_placed *out, struct order_fail *f)
{
	switch (order_inbox_taken(c, pl, out)) {
	case ERR_OK:
		log_error("order %s: placed after all", out->public_id);
		mlink_wake(c, pl->m.symbol);
		memset(f, 0, sizeof(*f));
		return ERR_OK;
	case ERR_NOT_FOUND:
		if (t == INBOX_DONE)
			return e;
		log_error("order %s: not placed", out->public_id);
		return order_not_placed(ERR_SYSTEM_002, f);
	default:
		if (t == INBOX_DONE)
			return e;
		log_error("order %s: whether it was placed is not known",
		    out->public_id);
		f->order_id = arena_strdup(c->arena, out->public_id);
		order_fail_set(f, "orderId", "the order may have been placed: look it up "
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
enum err
order_inbox_place(struct ctx *c, struct placing *pl, enum order_path path,
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
			return order_not_placed(e, f);
		break;
	default:
		break;
	}
	return inbox_settle(c, pl, t, e, out, f);
}

