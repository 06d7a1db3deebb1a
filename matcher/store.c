/* matcher/store.c — the matcher's PostgreSQL side: inbox, batch commits, recovery; snapshots to memcached */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/channels.h"
#include "core/decimal.h"
#include "core/log.h"
#include "core/mc.h"
#include "core/util.h"
#include "domain/markets.h"
#include "domain/matcher_line.h"
#include "matcher/store.h"

#define DEPTH_LEVELS	100
#define DAY_REFRESH_MS	1000

/*
 * A batch travels as a handful of statements whatever its size: each
 * table's rows go as parallel arrays, unnested into one multi-row INSERT
 * or UPDATE (a statement costs about as much as a thousand rows).
 */
const struct stmt store_stmts[] = {
	{ "store_fee_user",
	  "SELECT id FROM users WHERE public_id = $1", 1 },
	{ "store_state_rows",
	  "INSERT INTO matcher_state (symbol) SELECT symbol FROM markets"
	  " ON CONFLICT DO NOTHING", 0 },
	/* The last trade's time: the price band's reference may be stale. */
	{ "store_markets",
	  "SELECT " MARKET_COLUMNS ", s.book_seq, s.last_price::text,"
	  " s.last_seq, (SELECT (extract(epoch FROM t.created_at) * 1000)::bigint"
	  "  FROM trades t WHERE t.symbol = m.symbol ORDER BY t.id DESC LIMIT 1)"
	  MARKET_FROM
	  " JOIN matcher_state s ON s.symbol = m.symbol"
	  " WHERE $1::text[] IS NULL OR m.symbol = ANY ($1::text[])"
	  " ORDER BY m.symbol", 1 },
	/* One matcher per market: a second one would apply commands twice. */
	{ "store_claim",
	  "SELECT pg_try_advisory_lock(hashtextextended('hzm_matcher:' || $1,"
	  " 0))", 1 },
	{ "store_resting",
	  "SELECT id, public_id, user_id, side, price::text, quantity::text,"
	  " executed_quantity::text, cumulative_quote::text, fee_total::text,"
	  " lock_remaining::text, book_seq FROM orders"
	  " WHERE symbol = $1 AND status IN ('NEW', 'PARTIALLY_FILLED')"
	  " AND book_seq IS NOT NULL ORDER BY book_seq", 1 },
	/* LATERAL: one index probe per command, never a scan of orders. */
	{ "store_fetch",
	  "SELECT i.seq, i.kind, i.symbol, o.id, o.public_id, o.user_id,"
	  " o.side, o.type, o.time_in_force, o.price::text, o.quantity::text,"
	  " o.lock_remaining::text, o.status = 'NEW' AND o.book_seq IS NULL,"
	  " i.reply_to FROM (SELECT * FROM order_inbox"
	  "  WHERE symbol = ANY ($1::text[]) ORDER BY seq LIMIT $2) i,"
	  " LATERAL (SELECT * FROM orders WHERE id = i.order_id) o"
	  " ORDER BY i.seq", 2 },
	{ "store_trades",
	  "INSERT INTO trades (public_id, symbol, price, quantity,"
	  " quote_quantity, maker_order_id, taker_order_id, maker_user_id,"
	  " taker_user_id, maker_side, maker_fee, taker_fee, maker_fee_asset,"
	  " taker_fee_asset, created_at)"
	  " SELECT t.pid, t.sym, t.price, t.qty, t.quote, t.mo, t.tko, t.mu,"
	  " t.tu, t.side, t.mf, t.tf, t.fa, t.fa,"
	  " 'epoch'::timestamptz + $14::bigint * interval '1 millisecond'"
	  " FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[],"
	  " $5::numeric[], $6::bigint[], $7::bigint[], $8::bigint[],"
	  " $9::bigint[], $10::text[], $11::numeric[], $12::numeric[],"
	  " $13::text[]) AS t (pid, sym, price, qty, quote, mo, tko, mu, tu,"
	  " side, mf, tf, fa)", 14 },
	{ "store_orders",
	  "UPDATE orders o SET status = v.st, executed_quantity = v.ex,"
	  " cumulative_quote = v.cq, fee_total = v.fee, lock_remaining = v.lk,"
	  " book_seq = v.bs, updated_at = now()"
	  " FROM unnest($1::bigint[], $2::text[], $3::numeric[], $4::numeric[],"
	  " $5::numeric[], $6::numeric[], $7::bigint[])"
	  " AS v (id, st, ex, cq, fee, lk, bs)"
	  /* The ANY keeps the plan on the primary key, whatever the statistics. */
	  " WHERE o.id = v.id AND o.id = ANY ($1::bigint[])", 7 },
	{ "store_ledger",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref)"
	  " SELECT * FROM unnest($1::bigint[], $2::text[], $3::numeric[],"
	  " $4::numeric[], $5::text[], $6::text[])", 6 },
	{ "store_klines",
	  "INSERT INTO klines AS k (symbol, interval, open_time, open, high,"
	  " low, close, volume, quote_volume, trades)"
	  " SELECT v.sym, v.iv, 'epoch'::timestamptz + v.t * interval '1 second',"
	  " v.o, v.h, v.l, v.c, v.vol, v.qv, v.n"
	  " FROM unnest($1::text[], $2::text[], $3::bigint[], $4::numeric[],"
	  " $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[],"
	  " $9::numeric[], $10::int[])"
	  " AS v (sym, iv, t, o, h, l, c, vol, qv, n)"
	  " ON CONFLICT (symbol, interval, open_time) DO UPDATE SET"
	  " high = greatest(k.high, excluded.high),"
	  " low = least(k.low, excluded.low), close = excluded.close,"
	  " volume = k.volume + excluded.volume,"
	  " quote_volume = k.quote_volume + excluded.quote_volume,"
	  " trades = k.trades + excluded.trades", 10 },
	{ "store_marks",
	  "UPDATE matcher_state s SET last_seq = greatest(s.last_seq, v.ls),"
	  " book_seq = v.bs, last_price = coalesce(v.lp, s.last_price),"
	  " updated_at = now()"
	  " FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::numeric[])"
	  " AS v (sym, ls, bs, lp) WHERE s.symbol = v.sym", 4 },
	{ "store_inbox_done",
	  "DELETE FROM order_inbox WHERE seq = ANY ($1::bigint[])", 1 },
	/* See orders_notify in domain/orders.c: no WAL flush under NOTIFY's lock. */
	{ "store_notify",
	  "SELECT set_config('synchronous_commit', 'off', true),"
	  " (SELECT count(pg_notify(c, p)) FROM unnest($1::text[], $2::text[])"
	  " AS t (c, p))", 2 },
	{ "store_reject",
	  "WITH old AS (SELECT id, public_id, user_id, lock_asset,"
	  "  lock_remaining FROM orders WHERE id = $1 AND status = 'NEW'"
	  "  AND book_seq IS NULL FOR UPDATE),"
	  " u AS (UPDATE orders o SET status = 'REJECTED', lock_remaining = 0,"
	  "  updated_at = now() FROM old WHERE o.id = old.id),"
	  " l AS (INSERT INTO ledger (user_id, asset, delta_available,"
	  "  delta_locked, kind, ref)"
	  "  SELECT user_id, lock_asset, lock_remaining, -lock_remaining,"
	  "  'ORDER_UNLOCK', public_id FROM old WHERE lock_remaining > 0)"
	  " DELETE FROM order_inbox WHERE seq = $2", 2 },
	/* Socket orders: clientOrderIds their users have used already. */
	{ "store_direct_clients",
	  "SELECT o.user_id, o.client_order_id FROM orders o"
	  " JOIN unnest($1::bigint[], $2::text[]) AS k (u, c)"
	  " ON o.user_id = k.u AND o.client_order_id = k.c"
	  " WHERE o.client_order_id IS NOT NULL", 2 },
	/* Their balances, locked in one order (see engine_batch_seal). */
	{ "store_direct_balances",
	  "SELECT b.user_id, b.asset, b.available::text FROM balances b"
	  " WHERE (b.user_id, b.asset) IN (SELECT * FROM"
	  "  unnest($1::bigint[], $2::text[]))"
	  " ORDER BY b.user_id, b.asset COLLATE \"C\" FOR UPDATE OF b", 2 },
	/* Ids, sequence numbers and the time for the batch's socket orders. */
	{ "store_direct_ids",
	  "SELECT nextval('orders_id_seq'), nextval('order_seq'), "
	  DB_ISO("now()") " FROM generate_series(1, $1::int)", 1 },
	/*
	 * Socket orders go in once, as the batch left them: an insert and an
	 * update of the same row would cost twice (every index, every check).
	 */
	{ "store_direct_insert",
	  "INSERT INTO orders (id, public_id, user_id, client_order_id, symbol,"
	  " side, type, time_in_force, price, quantity, quote_order_qty,"
	  " executed_quantity, cumulative_quote, fee_total, fee_asset, status,"
	  " lock_asset, locked_amount, lock_remaining, seq, book_seq)"
	  " OVERRIDING SYSTEM VALUE"
	  " SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[],"
	  " $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
	  " $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[],"
	  " $13::numeric[], $14::numeric[], $15::text[], $16::text[],"
	  " $17::text[], $18::numeric[], $19::numeric[], $20::bigint[],"
	  " $21::bigint[])", 21 },
	{ "store_day",
	  "SELECT (array_agg(open ORDER BY open_time))[1]::text,"
	  " max(high)::text, min(low)::text, coalesce(sum(volume), 0)::text,"
	  " coalesce(sum(quote_volume), 0)::text, coalesce(sum(trades), 0)"
	  " FROM klines WHERE symbol = $1 AND interval = '1m'"
	  " AND open_time > now() - interval '24 hours'", 1 },
};
const size_t store_nstmts = nitems(store_stmts);

enum {
	ST_FEE_USER, ST_STATE_ROWS, ST_MARKETS, ST_CLAIM, ST_RESTING, ST_FETCH,
	ST_TRADES, ST_ORDERS, ST_LEDGER, ST_KLINES, ST_MARKS, ST_INBOX_DONE,
	ST_NOTIFY, ST_REJECT, ST_DIRECT_CLIENTS, ST_DIRECT_BALANCES,
	ST_DIRECT_IDS, ST_DIRECT_INSERT, ST_DAY
};

static enum err
q(struct db *db, struct arena *a, int st, const char *const *p, PGresult **res)
{
	return db_query(db, a, &store_stmts[st], p, res);
}

/* Queue a statement on the pipeline store_commit() runs. */
static enum err
pipe(struct db *db, int st, const char *const *p, PGresult **slot)
{
	db_pipe_add(db, &store_stmts[st], p, slot);
	return ERR_OK;
}

/* ---- array literals ------------------------------------------------------- */

/*
 * An array parameter "{a,b,c}". The elements are numbers, public ids,
 * asset codes, symbols and fixed words: none needs quoting.
 */
struct arr {
	char	*p;
	size_t	 n, cap;
	int	 err;
};

static void
arr_raw(struct arr *a, const char *s, size_t len)
{
	size_t ncap;
	char *np;

	if (a->err)
		return;
	if (a->n + len + 2 > a->cap) {
		ncap = a->cap ? a->cap : 256;
		while (a->n + len + 2 > ncap)
			ncap *= 2;
		if ((np = realloc(a->p, ncap)) == NULL) {
			a->err = 1;
			return;
		}
		a->p = np;
		a->cap = ncap;
	}
	memcpy(a->p + a->n, s, len);
	a->n += len;
	a->p[a->n] = '\0';
}

static void
arr_str(struct arr *a, const char *s)
{
	arr_raw(a, a->n == 0 ? "{" : ",", 1);
	arr_raw(a, s, strlen(s));
}

static void
arr_int(struct arr *a, int64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", (long long)v);
	arr_str(a, b);
}

static void
arr_dec(struct arr *a, int64_t v, int scale)
{
	char b[DEC_BUFSZ];

	if (dec_format(v, scale, b, sizeof(b)) == -1) {
		a->err = 1;
		return;
	}
	arr_str(a, b);
}

/* An array element that may be any clientOrderId, "NULL" included. */
static void
arr_quoted(struct arr *a, const char *s)
{
	arr_raw(a, a->n == 0 ? "{" : ",", 1);
	arr_raw(a, "\"", 1);
	arr_raw(a, s, strlen(s));
	arr_raw(a, "\"", 1);
}

/* Close the literal; its text lives in the arena. */
static const char *
arr_end(struct arr *a, struct arena *ar)
{
	const char *s;

	if (a->n == 0)
		arr_raw(a, "{", 1);
	arr_raw(a, "}", 1);
	s = a->err ? NULL : arena_strdup(ar, a->p);
	free(a->p);
	memset(a, 0, sizeof(*a));
	return s;
}

/* ---- loading ------------------------------------------------------------------ */

static enum err
load_resting(struct db *db, struct arena *a, struct engine *e, int mkt)
{
	const struct market *m = &e->mk[mkt].m;
	const char *p[1] = { m->symbol };
	PGresult *res;
	struct cmd c;
	enum err rc;
	int i, n;

	if ((rc = q(db, a, ST_RESTING, p, &res)) != ERR_OK)
		return rc;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		memset(&c, 0, sizeof(c));
		c.kind = CMD_NEW;
		c.order_id = strtoll(db_val(res, i, 0), NULL, 10);
		snprintf(c.public_id, sizeof(c.public_id), "%s",
		    db_val(res, i, 1));
		c.user_id = strtoll(db_val(res, i, 2), NULL, 10);
		c.side = strcmp(db_val(res, i, 3), "BUY") == 0 ? ORD_BUY :
		    ORD_SELL;
		c.type = ORD_LIMIT;
		c.tif = ORD_GTC;
		c.book_seq = strtoll(db_val(res, i, 10), NULL, 10);
		if (market_numeric(db_val(res, i, 4), m->price_scale, &c.price) == -1 ||
		    market_numeric(db_val(res, i, 5), m->qty_scale, &c.qty) == -1 ||
		    market_numeric(db_val(res, i, 6), m->qty_scale, &c.executed) == -1 ||
		    market_numeric(db_val(res, i, 7), m->quote_scale, &c.cum_quote) == -1 ||
		    market_numeric(db_val(res, i, 8), m->quote_scale, &c.fees) == -1 ||
		    market_numeric(db_val(res, i, 9), c.side == ORD_BUY ? m->quote_scale :
		    m->base_scale, &c.lock) == -1 ||
		    engine_restore(e, mkt, &c) == -1) {
			log_error("%s: order %s cannot be restored", m->symbol,
			    c.public_id);
			return ERR_INTERNAL;
		}
	}
	log_info("%s: %d resting orders restored", m->symbol, n);
	return ERR_OK;
}

enum err
store_load(struct db *db, struct arena *a, struct engine *e,
    const char *symbols)
{
	const char *p[1];
	struct market m;
	PGresult *res, *res2;
	int64_t book_seq, last_price;
	enum err rc;
	int i, n, k, c;

	p[0] = STORE_FEE_ACCOUNT;
	if ((rc = q(db, a, ST_FEE_USER, p, &res)) != ERR_OK)
		return rc;
	if (PQntuples(res) != 1) {
		log_error("no fee account %s", STORE_FEE_ACCOUNT);
		return ERR_INTERNAL;
	}
	if (engine_init(e, strtoll(db_val(res, 0, 0), NULL, 10)) == -1)
		return ERR_INTERNAL;
	if ((rc = q(db, a, ST_STATE_ROWS, NULL, &res)) != ERR_OK)
		return rc;
	p[0] = symbols;
	if ((rc = q(db, a, ST_MARKETS, p, &res)) != ERR_OK)
		return rc;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		if (market_fill(&m, res, i, 0) == -1) {
			log_error("market %s: unusable precisions or fees",
			    db_val(res, i, 0));
			return ERR_INTERNAL;
		}
		c = MARKET_NCOLUMNS;
		book_seq = strtoll(db_val(res, i, c), NULL, 10);
		if (market_numeric(db_val(res, i, c + 1), m.price_scale, &last_price) == -1)
			last_price = 0;
		p[0] = m.symbol;
		if ((rc = q(db, a, ST_CLAIM, p, &res2)) != ERR_OK)
			return rc;
		if (strcmp(db_val(res2, 0, 0), "t") != 0) {
			log_error("%s: another matcher holds this market",
			    m.symbol);
			return ERR_CONFLICT;
		}
		if ((k = engine_market_add(e, &m, book_seq, last_price)) == -1)
			return ERR_INTERNAL;
		e->mk[k].last_seq = strtoll(db_val(res, i, c + 2), NULL, 10);
		if (db_val(res, i, c + 3) != NULL)
			e->mk[k].last_trade_ms = strtoll(db_val(res, i, c + 3),
			    NULL, 10);
		if ((rc = load_resting(db, a, e, k)) != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

static enum err	fetch_read(struct arena *, struct engine *, PGresult *,
		    struct store_cmd **, size_t *);

enum err
store_fetch(struct db *db, struct arena *a, struct engine *e,
    const char *symbols, int limit, struct store_cmd **out, size_t *nout)
{
	const char *p[2];
	char lim[16];
	PGresult *res;
	enum err rc;

	*out = NULL;
	*nout = 0;
	snprintf(lim, sizeof(lim), "%d", limit);
	p[0] = symbols;
	p[1] = lim;
	if ((rc = q(db, a, ST_FETCH, p, &res)) != ERR_OK)
		return rc;
	return fetch_read(a, e, res, out, nout);
}

/* The commands of a fetch's result. */
static enum err
fetch_read(struct arena *a, struct engine *e, PGresult *res,
    struct store_cmd **out, size_t *nout)
{
	struct store_cmd *v;
	struct cmd *c;
	const struct market *m;
	int i, n, k;

	*out = NULL;
	*nout = 0;
	if (res == NULL || (n = PQntuples(res)) == 0)
		return ERR_OK;
	if ((v = arena_calloc(a, (size_t)n, sizeof(*v))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < n; i++) {
		c = &v[i].c;
		c->seq = strtoll(db_val(res, i, 0), NULL, 10);
		c->kind = strcmp(db_val(res, i, 1), "NEW") == 0 ? CMD_NEW :
		    CMD_CANCEL;
		if ((k = engine_market_find(e, db_val(res, i, 2))) == -1)
			return ERR_INTERNAL;
		m = &e->mk[k].m;
		v[i].mkt = k;
		c->order_id = strtoll(db_val(res, i, 3), NULL, 10);
		snprintf(c->public_id, sizeof(c->public_id), "%s",
		    db_val(res, i, 4));
		c->user_id = strtoll(db_val(res, i, 5), NULL, 10);
		c->side = strcmp(db_val(res, i, 6), "BUY") == 0 ? ORD_BUY :
		    ORD_SELL;
		c->type = strcmp(db_val(res, i, 7), "LIMIT") == 0 ? ORD_LIMIT :
		    ORD_MARKET;
		c->tif = strcmp(db_val(res, i, 8), "GTC") == 0 ? ORD_GTC :
		    strcmp(db_val(res, i, 8), "IOC") == 0 ? ORD_IOC : ORD_FOK;
		if (market_numeric(db_val(res, i, 9), m->price_scale, &c->price) == -1 ||
		    market_numeric(db_val(res, i, 10), m->qty_scale, &c->qty) == -1 ||
		    market_numeric(db_val(res, i, 11), c->side == ORD_BUY ? m->quote_scale :
		    m->base_scale, &c->lock) == -1) {
			log_error("order %s: amounts beyond the market's "
			    "precision", c->public_id);
			return ERR_INTERNAL;
		}
		/* A NEW whose order the engine already took: only drop it. */
		v[i].skip = c->kind == CMD_NEW &&
		    strcmp(db_val(res, i, 12), "t") != 0;
		if (db_val(res, i, 13) != NULL)
			snprintf(v[i].reply, sizeof(v[i].reply), "%s",
			    db_val(res, i, 13));
	}
	*out = v;
	*nout = (size_t)n;
	return ERR_OK;
}

struct idx {
	int64_t	 id;
	size_t	 i;
};

static int
idx_cmp(const void *x, const void *y)
{
	const struct idx *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

static const struct idx *
idx_find(const struct idx *v, size_t n, int64_t id)
{
	struct idx key = { id, 0 };

	if (n == 0)
		return NULL;
	return bsearch(&key, v, n, sizeof(*v), idx_cmp);
}

static enum err
put_trades(struct db *db, struct arena *a, struct engine *e)
{
	struct arr pid = { 0 }, sym = { 0 }, price = { 0 }, qty = { 0 },
	    quote = { 0 }, mo = { 0 }, tko = { 0 }, mu = { 0 }, tu = { 0 },
	    side = { 0 }, mf = { 0 }, tf = { 0 }, fa = { 0 };
	const char *p[14];
	char now[24];
	size_t i;

	if (e->ntrades == 0)
		return ERR_OK;
	for (i = 0; i < e->ntrades; i++) {
		const struct trade_rec *t = &e->trades[i];
		const struct market *m = &e->mk[t->mkt].m;

		arr_str(&pid, t->public_id);
		arr_str(&sym, m->symbol);
		arr_dec(&price, t->price, m->price_scale);
		arr_dec(&qty, t->qty, m->qty_scale);
		arr_dec(&quote, t->quote, m->quote_scale);
		arr_int(&mo, t->maker_order);
		arr_int(&tko, t->taker_order);
		arr_int(&mu, t->maker_user);
		arr_int(&tu, t->taker_user);
		arr_str(&side, trade_side_text(t->maker_side));
		arr_dec(&mf, t->maker_fee, m->quote_scale);
		arr_dec(&tf, t->taker_fee, m->quote_scale);
		arr_str(&fa, m->quote);
	}
	snprintf(now, sizeof(now), "%lld", (long long)e->now_ms);
	p[0] = arr_end(&pid, a);
	p[1] = arr_end(&sym, a);
	p[2] = arr_end(&price, a);
	p[3] = arr_end(&qty, a);
	p[4] = arr_end(&quote, a);
	p[5] = arr_end(&mo, a);
	p[6] = arr_end(&tko, a);
	p[7] = arr_end(&mu, a);
	p[8] = arr_end(&tu, a);
	p[9] = arr_end(&side, a);
	p[10] = arr_end(&mf, a);
	p[11] = arr_end(&tf, a);
	p[12] = arr_end(&fa, a);
	p[13] = now;
	for (i = 0; i < 13; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	return pipe(db, ST_TRADES, p, NULL);
}

/* The orders the batch changed, but for those it inserts (skip, sorted). */
static enum err
put_orders(struct db *db, struct arena *a, struct engine *e,
    const struct idx *skip, size_t nskip, PGresult **res, size_t *expect)
{
	struct arr id = { 0 }, st = { 0 }, ex = { 0 }, cq = { 0 }, fee = { 0 },
	    lk = { 0 }, bs = { 0 };
	const char *p[7];
	size_t i, k = 0;

	for (i = 0; i < e->norders; i++) {
		const struct order_rec *o = &e->orders[i];
		const struct market *m = &e->mk[o->mkt].m;

		if (idx_find(skip, nskip, o->id) != NULL)
			continue;
		k++;

		arr_int(&id, o->id);
		arr_str(&st, engine_status_text(o->status));
		arr_dec(&ex, o->executed, m->qty_scale);
		arr_dec(&cq, o->cum_quote, m->quote_scale);
		arr_dec(&fee, o->fees, m->quote_scale);
		arr_dec(&lk, o->lock, o->lock_scale);
		arr_int(&bs, o->book_seq);
	}
	p[0] = arr_end(&id, a);
	p[1] = arr_end(&st, a);
	p[2] = arr_end(&ex, a);
	p[3] = arr_end(&cq, a);
	p[4] = arr_end(&fee, a);
	p[5] = arr_end(&lk, a);
	p[6] = arr_end(&bs, a);
	if (k == 0)
		return ERR_OK;
	for (i = 0; i < 7; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	*expect = k;
	return pipe(db, ST_ORDERS, p, res);
}

/*
 * The batch's socket orders as it left them. Sorted by id into *ids, for
 * put_orders() to skip; each one's order_rec goes to d[i].rec.
 */
static enum err
put_direct(struct db *db, struct arena *a, struct engine *e,
    struct direct *d, size_t n, struct idx **ids, size_t *nids)
{
	struct arr id = { 0 }, pid = { 0 }, u = { 0 }, cid = { 0 },
	    sym = { 0 }, side = { 0 }, type = { 0 }, tif = { 0 }, price = { 0 },
	    qty = { 0 }, qoq = { 0 }, ex = { 0 }, cq = { 0 }, fee = { 0 },
	    fa = { 0 }, st = { 0 }, la = { 0 }, lk = { 0 }, left = { 0 },
	    seq = { 0 }, bs = { 0 };
	struct arr *all[21] = { &id, &pid, &u, &cid, &sym, &side, &type, &tif,
	    &price, &qty, &qoq, &ex, &cq, &fee, &fa, &st, &la, &lk, &left,
	    &seq, &bs };
	const char *p[21];
	struct idx *recs, *v;
	const struct idx *x;
	size_t i, k = 0;
	int scale;

	*ids = NULL;
	*nids = 0;
	if (n == 0)
		return ERR_OK;
	if ((v = arena_calloc(a, n, sizeof(*v))) == NULL ||
	    (recs = arena_calloc(a, e->norders + 1, sizeof(*recs))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < e->norders; i++) {
		recs[i].id = e->orders[i].id;
		recs[i].i = i;
	}
	qsort(recs, e->norders, sizeof(*recs), idx_cmp);
	for (i = 0; i < n; i++) {
		const struct market *m = &e->mk[d[i].mkt].m;
		const struct order_rec *o;

		if (d[i].state != DS_ACCEPTED)
			continue;
		/* Every order the engine takes has its state in the batch. */
		if ((x = idx_find(recs, e->norders, d[i].c.order_id)) == NULL)
			return ERR_INTERNAL;
		o = &e->orders[x->i];
		d[i].rec = x->i;
		v[k].id = d[i].c.order_id;
		v[k++].i = i;
		arr_int(&id, d[i].c.order_id);
		arr_str(&pid, d[i].c.public_id);
		arr_int(&u, d[i].c.user_id);
		if (d[i].client_id[0] != '\0')
			arr_quoted(&cid, d[i].client_id);
		else
			arr_str(&cid, "NULL");
		arr_str(&sym, m->symbol);
		arr_str(&side, trade_side_text(d[i].c.side));
		arr_str(&type, trade_type_text(d[i].c.type));
		arr_str(&tif, trade_tif_text(d[i].c.tif));
		if (d[i].c.type == ORD_LIMIT)
			arr_dec(&price, d[i].c.price, m->price_scale);
		else
			arr_str(&price, "NULL");
		if (d[i].c.qty > 0)
			arr_dec(&qty, d[i].c.qty, m->qty_scale);
		else
			arr_str(&qty, "NULL");
		if (d[i].qoq > 0)
			arr_dec(&qoq, d[i].qoq, m->quote_scale);
		else
			arr_str(&qoq, "NULL");
		arr_dec(&ex, o->executed, m->qty_scale);
		arr_dec(&cq, o->cum_quote, m->quote_scale);
		arr_dec(&fee, o->fees, m->quote_scale);
		arr_str(&fa, m->quote);
		arr_str(&st, engine_status_text(o->status));
		arr_str(&la, trade_lock_asset(m, d[i].c.side, &scale));
		arr_dec(&lk, d[i].c.lock, o->lock_scale);
		arr_dec(&left, o->lock, o->lock_scale);
		arr_int(&seq, d[i].c.seq);
		if (o->book_seq > 0)
			arr_int(&bs, o->book_seq);
		else
			arr_str(&bs, "NULL");
	}
	for (i = 0; i < 21; i++)
		p[i] = arr_end(all[i], a);
	qsort(v, k, sizeof(*v), idx_cmp);
	*ids = v;
	*nids = k;
	if (k == 0)
		return ERR_OK;
	for (i = 0; i < 21; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	return pipe(db, ST_DIRECT_INSERT, p, NULL);
}

static const char *const ledger_kind_text[] = {
	[LK_TRADE] = "TRADE", [LK_ORDER_UNLOCK] = "ORDER_UNLOCK",
	[LK_FEE] = "FEE", [LK_ORDER_LOCK] = "ORDER_LOCK",
};

static enum err
put_ledger(struct db *db, struct arena *a, struct engine *e)
{
	struct arr user = { 0 }, asset = { 0 }, da = { 0 }, dl = { 0 },
	    kind = { 0 }, ref = { 0 };
	const char *p[6];
	size_t i;

	if (e->nledger == 0)
		return ERR_OK;
	for (i = 0; i < e->nledger; i++) {
		const struct ledger_rec *l = &e->ledger[i];

		arr_int(&user, l->user_id);
		arr_str(&asset, l->asset);
		arr_dec(&da, l->d_available, l->scale);
		arr_dec(&dl, l->d_locked, l->scale);
		arr_str(&kind, ledger_kind_text[l->kind]);
		arr_str(&ref, l->ref);
	}
	p[0] = arr_end(&user, a);
	p[1] = arr_end(&asset, a);
	p[2] = arr_end(&da, a);
	p[3] = arr_end(&dl, a);
	p[4] = arr_end(&kind, a);
	p[5] = arr_end(&ref, a);
	for (i = 0; i < 6; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	return pipe(db, ST_LEDGER, p, NULL);
}

static enum err
put_klines(struct db *db, struct arena *a, struct engine *e)
{
	struct arr sym = { 0 }, iv = { 0 }, t = { 0 }, o = { 0 }, h = { 0 },
	    l = { 0 }, c = { 0 }, vol = { 0 }, qv = { 0 }, n = { 0 };
	const char *p[10];
	size_t i, j, rows = 0;

	for (i = 0; i < e->nmk; i++) {
		const struct market *m = &e->mk[i].m;

		for (j = 0; j < KL_COUNT; j++) {
			const struct kline *k = &e->mk[i].kl[j];

			if (!k->used)
				continue;
			arr_str(&sym, m->symbol);
			arr_str(&iv, kline_names[j]);
			arr_int(&t, k->open_time);
			arr_dec(&o, k->open, m->price_scale);
			arr_dec(&h, k->high, m->price_scale);
			arr_dec(&l, k->low, m->price_scale);
			arr_dec(&c, k->close, m->price_scale);
			arr_dec(&vol, k->volume, m->qty_scale);
			arr_dec(&qv, k->quote_volume, m->quote_scale);
			arr_int(&n, k->trades);
			rows++;
		}
	}
	p[0] = arr_end(&sym, a);
	p[1] = arr_end(&iv, a);
	p[2] = arr_end(&t, a);
	p[3] = arr_end(&o, a);
	p[4] = arr_end(&h, a);
	p[5] = arr_end(&l, a);
	p[6] = arr_end(&c, a);
	p[7] = arr_end(&vol, a);
	p[8] = arr_end(&qv, a);
	p[9] = arr_end(&n, a);
	if (rows == 0)
		return ERR_OK;
	for (i = 0; i < 10; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	return pipe(db, ST_KLINES, p, NULL);
}

static enum err
put_marks(struct db *db, struct arena *a, struct engine *e)
{
	struct arr sym = { 0 }, ls = { 0 }, bs = { 0 }, lp = { 0 };
	const char *p[4];
	size_t i, rows = 0;

	for (i = 0; i < e->nmk; i++) {
		const struct engine_market *mk = &e->mk[i];

		if (!mk->touched)
			continue;
		arr_str(&sym, mk->m.symbol);
		arr_int(&ls, mk->last_seq);
		arr_int(&bs, mk->book_seq);
		if (mk->last_price > 0)
			arr_dec(&lp, mk->last_price, mk->m.price_scale);
		else
			arr_str(&lp, "NULL");
		rows++;
	}
	p[0] = arr_end(&sym, a);
	p[1] = arr_end(&ls, a);
	p[2] = arr_end(&bs, a);
	p[3] = arr_end(&lp, a);
	if (rows == 0)
		return ERR_OK;
	for (i = 0; i < 4; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	return pipe(db, ST_MARKS, p, NULL);
}

static enum err
put_inbox(struct db *db, struct arena *a, struct engine *e, PGresult **res)
{
	struct arr seq = { 0 };
	const char *p[1];
	size_t i;

	if (e->nseqs == 0)
		return ERR_OK;
	for (i = 0; i < e->nseqs; i++)
		arr_int(&seq, e->seqs[i]);
	if ((p[0] = arr_end(&seq, a)) == NULL)
		return ERR_INTERNAL;
	return pipe(db, ST_INBOX_DONE, p, res);
}

/*
 * The batch's statements go as one pipeline (one round trip to the
 * server), the commit after the counts have been checked.
 */
enum err
store_commit(struct db *db, struct arena *a, struct engine *e,
    struct direct *d, size_t nd)
{
	PGresult *inbox = NULL, *orders = NULL;
	struct idx *ids = NULL;
	size_t nids = 0, norders = 0;
	enum err rc, run;

	if ((rc = db_pipe_begin(db)) != ERR_OK)
		return rc;
	if (nd == 0)
		db_pipe_txn(db, 1);
	/*
	 * The ledger goes last: its trigger locks the users' balances, which
	 * their own new orders wait for until this transaction ends.
	 */
	if ((rc = put_inbox(db, a, e, &inbox)) == ERR_OK &&
	    (rc = put_direct(db, a, e, d, nd, &ids, &nids)) == ERR_OK &&
	    (rc = put_trades(db, a, e)) == ERR_OK &&
	    (rc = put_orders(db, a, e, ids, nids, &orders, &norders)) ==
	    ERR_OK &&
	    (rc = put_klines(db, a, e)) == ERR_OK &&
	    (rc = put_marks(db, a, e)) == ERR_OK)
		rc = put_ledger(db, a, e);
	run = db_pipe_run(db, a);
	if (rc == ERR_OK)
		rc = run;
	/* Fewer deleted than applied: another matcher took them too. */
	if (rc == ERR_OK && inbox != NULL &&
	    strtoul(PQcmdTuples(inbox), NULL, 10) != e->nseqs) {
		log_error("batch: %zu commands applied, %s left the inbox",
		    e->nseqs, PQcmdTuples(inbox));
		rc = ERR_CONFLICT;
	}
	if (rc == ERR_OK && orders != NULL &&
	    strtoul(PQcmdTuples(orders), NULL, 10) != norders) {
		log_error("batch: %zu orders to update, %s found", norders,
		    PQcmdTuples(orders));
		rc = ERR_INTERNAL;
	}
	if (rc != ERR_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

void
store_notify(struct db *db, struct arena *a, const struct store_cmd *cmds,
    size_t n)
{
	struct arr ch = { 0 }, id = { 0 };
	const char *p[2];
	char word[96];
	PGresult *res;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (cmds[i].reply[0] == '\0')
			continue;
		arr_str(&ch, cmds[i].reply);
		/* A rejected order's id, and why (domain/matcher_line.h). */
		if (mline_refusal_encode(&cmds[i].refused, word,
		    sizeof(word)) == 0)
			arr_quoted(&id, arena_printf(a, "%s %s",
			    cmds[i].c.public_id, word));
		else
			arr_str(&id, cmds[i].c.public_id);
		k++;
	}
	p[0] = arr_end(&ch, a);
	p[1] = arr_end(&id, a);
	if (k == 0)
		return;
	if (p[0] == NULL || p[1] == NULL || q(db, a, ST_NOTIFY, p, &res) != ERR_OK)
		log_error("batch: waiting handlers not notified");
}

enum err
store_reject(struct db *db, struct arena *a, const struct cmd *c)
{
	char id[24], seq[24];
	const char *p[2] = { id, seq };
	PGresult *res;
	enum err rc;

	snprintf(id, sizeof(id), "%lld", (long long)c->order_id);
	snprintf(seq, sizeof(seq), "%lld", (long long)c->seq);
	if ((rc = db_begin(db)) != ERR_OK)
		return rc;
	if ((rc = q(db, a, ST_REJECT, p, &res)) != ERR_OK) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) != ERR_OK)
		return rc;
	log_error("command %lld (%s of order %s) rejected", (long long)c->seq,
	    c->kind == CMD_NEW ? "NEW" : "CANCEL", c->public_id);
	return ERR_OK;
}

/* ---- orders from the socket ------------------------------------------------ */

struct bal {
	int64_t		 user;
	const char	*asset;
	const char	*text;
	int64_t		 v;
	int		 parsed;
};

static int
bal_cmp(const void *x, const void *y)
{
	const struct bal *a = x, *b = y;

	if (a->user != b->user)
		return a->user < b->user ? -1 : 1;
	return strcmp(a->asset, b->asset);
}

/* clientOrderIds used before (looked up in *res), or twice in the batch. */
static enum err
direct_clients(struct db *db, struct arena *a, struct direct *d, size_t n,
    PGresult **res)
{
	struct arr u = { 0 }, c = { 0 };
	const char *p[2];
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		if (d[i].client_id[0] == '\0')
			continue;
		for (j = 0; j < i; j++)
			if (d[j].c.user_id == d[i].c.user_id &&
			    strcmp(d[j].client_id, d[i].client_id) == 0)
				d[i].state = DS_CONFLICT;
		arr_int(&u, d[i].c.user_id);
		arr_quoted(&c, d[i].client_id);
		k++;
	}
	p[0] = arr_end(&u, a);
	p[1] = arr_end(&c, a);
	if (k == 0)
		return ERR_OK;
	if (p[0] == NULL || p[1] == NULL)
		return ERR_INTERNAL;
	return pipe(db, ST_DIRECT_CLIENTS, p, res);
}

static void
clients_used(PGresult *res, struct direct *d, size_t n)
{
	size_t i;
	int r;

	for (r = 0; res != NULL && r < PQntuples(res); r++)
		for (i = 0; i < n; i++)
			if (d[i].c.user_id == strtoll(db_val(res, r, 0), NULL,
			    10) && strcmp(d[i].client_id, db_val(res, r, 1)) == 0)
				d[i].state = DS_CONFLICT;
}

/* Lock the balances the orders draw on (what each has: *res). */
static enum err
direct_balances(struct db *db, struct arena *a, struct engine *e,
    struct direct *d, size_t n, PGresult **res)
{
	struct arr u = { 0 }, as = { 0 };
	const char *p[2], *asset;
	size_t i;
	int scale;

	for (i = 0; i < n; i++) {
		asset = trade_lock_asset(&e->mk[d[i].mkt].m, d[i].c.side,
		    &scale);
		arr_int(&u, d[i].c.user_id);
		arr_str(&as, asset);
	}
	p[0] = arr_end(&u, a);
	p[1] = arr_end(&as, a);
	if (p[0] == NULL || p[1] == NULL)
		return ERR_INTERNAL;
	return pipe(db, ST_DIRECT_BALANCES, p, res);
}

static enum err
balances_read(struct arena *a, PGresult *res, struct bal **out, size_t *nout)
{
	struct bal *b;
	int r, n = res != NULL ? PQntuples(res) : 0;

	if ((b = arena_calloc(a, (size_t)n + 1, sizeof(*b))) == NULL)
		return ERR_INTERNAL;
	for (r = 0; r < n; r++) {
		b[r].user = strtoll(db_val(res, r, 0), NULL, 10);
		b[r].asset = db_val(res, r, 1);
		b[r].text = db_val(res, r, 2);
		if (b[r].asset == NULL || b[r].text == NULL)
			return ERR_INTERNAL;
	}
	*out = b;
	*nout = (size_t)n;
	return ERR_OK;
}

/* What the balance the order draws on holds, as the batch has left it. */
static int
direct_avail(const struct direct *d, const struct trade_lock *l,
    struct bal *b, size_t nb, struct bal **hit, int64_t *avail)
{
	struct bal key;

	*avail = 0;
	key.user = d->c.user_id;
	key.asset = l->asset;
	if ((*hit = bsearch(&key, b, nb, sizeof(*b), bal_cmp)) == NULL)
		return 0;
	if (!(*hit)->parsed) {
		if (market_numeric((*hit)->text, l->scale, &(*hit)->v) == -1)
			return -1;
		(*hit)->parsed = 1;
	}
	*avail = (*hit)->v;
	return 0;
}

/*
 * What the order must lock (trade_lock(), the rule the handler applied
 * to the lock it sent), and whether the balance covers it.
 */
static int
direct_decide(struct engine *e, struct direct *d, struct bal *b, size_t nb)
{
	const struct market *m = &e->mk[d->mkt].m;
	struct trade_order o = { d->c.side, d->c.type, d->c.price, d->c.qty,
	    d->qoq };
	struct trade_funds fu;
	struct trade_lock l;
	struct bal *hit;

	/* The band and the minimums first: a refused order locks nothing. */
	if (engine_admit(e, d->mkt, &d->c, &d->refusal) == -1)
		return -1;
	if (d->refusal.kind != TRADE_REF_NONE) {
		d->state = DS_REFUSED;
		return 0;
	}
	/* A handler that sees the market otherwise: its inbox path decides. */
	if (trade_lock(m, &o, NULL, &l) != TRADE_LOCK_OK ||
	    l.by_cost != d->estimate || (!l.by_cost && l.amount != d->c.lock)) {
		log_error("order %s: its lock is not this market's rule: "
		    "left to the inbox", d->c.public_id);
		d->state = DS_MISMATCH;
		return 0;
	}
	memset(&fu, 0, sizeof(fu));
	if (direct_avail(d, &l, b, nb, &hit, &fu.avail) == -1)
		return -1;
	/* A market buy by quantity: the asks it would take now. */
	if (l.by_cost && engine_buy_cost(e, d->mkt, d->c.qty, &fu.cost,
	    &fu.got) == -1)
		return -1;
	if (trade_lock(m, &o, &fu, &l) == TRADE_LOCK_POOR) {
		d->state = DS_POOR;
		d->need = l.need;
		d->avail = fu.avail;
		return 0;
	}
	d->c.lock = l.amount;
	if (hit != NULL)
		hit->v -= d->c.lock;
	d->state = DS_ACCEPTED;
	return 0;
}

/* Ids, seqs and the creation time, one row per order (*res). */
static enum err
direct_ids(struct db *db, size_t n, char *cnt, size_t cntsz, PGresult **res)
{
	const char *p[1];

	snprintf(cnt, cntsz, "%zu", n);
	p[0] = cnt;
	return pipe(db, ST_DIRECT_IDS, p, res);
}

enum err
store_direct_take(struct db *db, struct arena *a, struct engine *e,
    struct direct *d, size_t n, const char *symbols, int limit,
    struct store_cmd **cmds, size_t *ncmds)
{
	PGresult *inbox = NULL, *used = NULL, *held = NULL, *ids = NULL;
	const char *p[2];
	struct bal *b;
	char cnt[24], lim[16];
	size_t i, nb;
	enum err rc, run;
	int64_t now;
	int r = 0;

	/*
	 * One round trip: the transaction, the inbox's commands, the
	 * orders' checks, their locks and their ids.
	 */
	*cmds = NULL;
	*ncmds = 0;
	if ((rc = db_pipe_begin(db)) != ERR_OK)
		return rc;
	db_pipe_txn(db, 1);
	snprintf(lim, sizeof(lim), "%d", limit);
	p[0] = symbols;
	p[1] = lim;
	if (limit > 0)
		(void)pipe(db, ST_FETCH, p, &inbox);
	if ((rc = direct_clients(db, a, d, n, &used)) == ERR_OK &&
	    (rc = direct_balances(db, a, e, d, n, &held)) == ERR_OK)
		rc = direct_ids(db, n, cnt, sizeof(cnt), &ids);
	run = db_pipe_run(db, a);
	if (rc == ERR_OK)
		rc = run;
	if (rc != ERR_OK)
		return rc;
	if (held == NULL || ids == NULL || (size_t)PQntuples(ids) != n)
		return ERR_INTERNAL;
	if ((rc = fetch_read(a, e, inbox, cmds, ncmds)) != ERR_OK)
		return rc;
	/*
	 * The batch holds the orders' balance locks now. An order whose
	 * handler may already be placing it through the inbox is not taken:
	 * that handler locks the same balance first, so whatever the batch
	 * takes it finds, and what the batch leaves it places.
	 */
	now = util_now_ms();
	for (i = 0; i < n; i++)
		if (d[i].state == DS_PENDING && d[i].deadline_ms <= now)
			d[i].state = DS_LATE;
	clients_used(used, d, n);
	if ((rc = balances_read(a, held, &b, &nb)) != ERR_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (d[i].state == DS_PENDING &&
		    direct_decide(e, &d[i], b, nb) == -1)
			return ERR_INTERNAL;
		if (d[i].state != DS_ACCEPTED)
			continue;
		d[i].c.order_id = strtoll(db_val(ids, r, 0), NULL, 10);
		d[i].c.seq = strtoll(db_val(ids, r, 1), NULL, 10);
		snprintf(d[i].created, sizeof(d[i].created), "%s",
		    db_val(ids, r, 2));
		r++;
	}
	return ERR_OK;
}

/* ---- answers ------------------------------------------------------------------ */

/* The fills of the batch's socket orders: a trade, and which side it was. */
struct dfill {
	size_t	 trade;
	int	 maker;
	long	 next;
};

static int
add_fill(struct direct *d, const struct idx *di, size_t ndi, int64_t order,
    size_t trade, int maker, struct dfill *fl, long *nfl, long *tail)
{
	const struct idx *x;

	if ((x = idx_find(di, ndi, order)) == NULL)
		return 0;
	fl[*nfl].trade = trade;
	fl[*nfl].maker = maker;
	fl[*nfl].next = -1;
	if (d[x->i].fill == -1)
		d[x->i].fill = *nfl;
	else
		fl[tail[x->i]].next = *nfl;
	tail[x->i] = *nfl;
	(*nfl)++;
	return 0;
}

/* Link each accepted socket order to its fills (d[i].fill, fl[].next). */
static struct dfill *
fills_link(struct arena *a, const struct engine *e, struct direct *d,
    size_t n)
{
	struct idx *di;
	struct dfill *fl;
	long *tail, nfl = 0;
	size_t i, ndi = 0;

	if ((di = arena_calloc(a, n + 1, sizeof(*di))) == NULL ||
	    (tail = arena_calloc(a, n + 1, sizeof(*tail))) == NULL ||
	    (fl = arena_calloc(a, e->ntrades * 2 + 1, sizeof(*fl))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		d[i].fill = -1;
		if (d[i].state == DS_ACCEPTED) {
			di[ndi].id = d[i].c.order_id;
			di[ndi++].i = i;
		}
	}
	qsort(di, ndi, sizeof(*di), idx_cmp);
	/* Trades are in the order they happened, as their ids will be. */
	for (i = 0; i < e->ntrades && ndi > 0; i++) {
		add_fill(d, di, ndi, e->trades[i].maker_order, i, 1, fl, &nfl,
		    tail);
		add_fill(d, di, ndi, e->trades[i].taker_order, i, 0, fl, &nfl,
		    tail);
	}
	return fl;
}

/* An accepted order as stored, and its fills. */
static int
accepted_answer(struct arena *a, const struct engine *e,
    const struct direct *d, const struct dfill *fl, struct mline_answer *ans)
{
	const struct order_rec *o = &e->orders[d->rec];
	struct mline_fill *f;
	size_t n = 0;
	long k;

	for (k = d->fill; k != -1; k = fl[k].next)
		n++;
	if ((f = arena_calloc(a, n + 1, sizeof(*f))) == NULL)
		return -1;
	ans->kind = MLINE_OK;
	snprintf(ans->created, sizeof(ans->created), "%s", d->created);
	ans->time_ms = e->now_ms;
	snprintf(ans->status, sizeof(ans->status), "%s",
	    engine_status_text(o->status));
	ans->executed = o->executed;
	ans->cum_quote = o->cum_quote;
	ans->fees = o->fees;
	for (n = 0, k = d->fill; k != -1; k = fl[k].next, n++) {
		const struct trade_rec *t = &e->trades[fl[k].trade];

		snprintf(f[n].trade_id, sizeof(f[n].trade_id), "%s",
		    t->public_id);
		f[n].maker = fl[k].maker;
		f[n].price = t->price;
		f[n].qty = t->qty;
		f[n].quote = t->quote;
		f[n].fee = fl[k].maker ? t->maker_fee : t->taker_fee;
	}
	ans->fills = f;
	ans->nfills = n;
	return 0;
}

int
store_direct_answers(struct arena *a, const struct engine *e,
    struct direct *d, size_t n, const char **line)
{
	struct mline_answer ans;
	struct dfill *fl;
	struct buf b;
	size_t i;

	if ((fl = fills_link(a, e, d, n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		memset(&ans, 0, sizeof(ans));
		switch (d[i].state) {
		case DS_ACCEPTED:
			if (accepted_answer(a, e, &d[i], fl, &ans) == -1)
				ans.kind = MLINE_STORED;
			break;
		case DS_POOR:
			ans.kind = MLINE_POOR;
			ans.need = d[i].need;
			ans.avail = d[i].avail;
			break;
		case DS_CONFLICT:
			ans.kind = MLINE_CONFLICT;
			break;
		case DS_REFUSED:
			/* Nothing was stored: without words, the inbox decides. */
			ans.kind = MLINE_REFUSED;
			ans.refusal = d[i].refusal;
			break;
		case DS_LATE:		/* its handler uses the inbox */
		case DS_MISMATCH:
		case DS_PENDING:	/* not decided: cannot happen */
			ans.kind = MLINE_RETRY;
			break;
		}
		b = (struct buf)BUF_INIT(CHAN_ANSWER_MAX);
		mline_answer_encode(&b, &ans);
		/* Stored, but no memory to say how: the handler reads it. */
		if ((line[i] = buf_finish(&b, a)) == NULL)
			line[i] = d[i].state == DS_ACCEPTED ? "STORED" : "RETRY";
	}
	return 0;
}

/* ---- snapshots ------------------------------------------------------------------ */

static struct json_object *
dec_json(int64_t v, int scale)
{
	char b[DEC_BUFSZ];

	if (dec_format(v, scale, b, sizeof(b)) == -1)
		return NULL;
	return json_object_new_string(b);
}

static struct json_object *
levels_json(const struct market *m, const struct book_level *lv, size_t n)
{
	struct json_object *a = json_object_new_array(), *pair;
	size_t i;

	for (i = 0; i < n; i++) {
		pair = json_object_new_array();
		json_object_array_add(pair, dec_json(lv[i].price, m->price_scale));
		json_object_array_add(pair, dec_json(lv[i].qty, m->qty_scale));
		json_object_array_add(a, pair);
	}
	return a;
}

/* Refresh the 24-hour figures from the 1m candles, at most once a second. */
static void
day_refresh(struct db *db, struct arena *a, struct engine_market *mk,
    int64_t now_ms, int force)
{
	const struct market *m = &mk->m;
	const char *p[1] = { m->symbol };
	PGresult *res;

	if (!force && now_ms - mk->day.at_ms < DAY_REFRESH_MS)
		return;
	mk->day.at_ms = now_ms;
	if (q(db, a, ST_DAY, p, &res) != ERR_OK || PQntuples(res) != 1)
		return;
	if (market_numeric(db_val(res, 0, 0), m->price_scale, &mk->day.open) == -1 ||
	    market_numeric(db_val(res, 0, 1), m->price_scale, &mk->day.high) == -1 ||
	    market_numeric(db_val(res, 0, 2), m->price_scale, &mk->day.low) == -1 ||
	    market_numeric(db_val(res, 0, 3), m->qty_scale, &mk->day.volume) == -1 ||
	    market_numeric(db_val(res, 0, 4), m->quote_scale, &mk->day.quote_volume) == -1)
		memset(&mk->day, 0, sizeof(mk->day));
	mk->day.at_ms = now_ms;
	mk->day.trades = util_long(db_val(res, 0, 5), 0);
}

static void
publish_one(struct db *db, struct arena *a, struct engine *e,
    struct engine_market *mk, int force)
{
	const struct market *m = &mk->m;
	struct book_level lv[DEPTH_LEVELS], best;
	struct json_object *o, *t;
	const char *s;
	char key[CHAN_MC_KEY_MAX];
	int64_t change;
	size_t n;

	o = json_object_new_object();
	json_object_object_add(o, "symbol", json_object_new_string(m->symbol));
	n = book_depth(mk->book, BOOK_BUY, lv, DEPTH_LEVELS);
	json_object_object_add(o, "bids", levels_json(m, lv, n));
	n = book_depth(mk->book, BOOK_SELL, lv, DEPTH_LEVELS);
	json_object_object_add(o, "asks", levels_json(m, lv, n));
	json_object_object_add(o, "lastUpdateId",
	    json_object_new_int64(mk->last_seq));
	json_object_object_add(o, "timestamp", json_object_new_int64(e->now_ms));
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	snprintf(key, sizeof(key), "%s%s", CHAN_MC_DEPTH, m->symbol);
	(void)mc_set(key, s, strlen(s), 0);
	json_object_put(o);

	day_refresh(db, a, mk, e->now_ms, force);
	t = json_object_new_object();
	json_object_object_add(t, "symbol", json_object_new_string(m->symbol));
	json_object_object_add(t, "lastPrice", mk->last_price > 0 ?
	    dec_json(mk->last_price, m->price_scale) : NULL);
	if (book_best(mk->book, BOOK_BUY, &best) == BOOK_OK) {
		json_object_object_add(t, "bidPrice",
		    dec_json(best.price, m->price_scale));
		json_object_object_add(t, "bidQty", dec_json(best.qty, m->qty_scale));
	} else {
		json_object_object_add(t, "bidPrice", NULL);
		json_object_object_add(t, "bidQty", NULL);
	}
	if (book_best(mk->book, BOOK_SELL, &best) == BOOK_OK) {
		json_object_object_add(t, "askPrice",
		    dec_json(best.price, m->price_scale));
		json_object_object_add(t, "askQty", dec_json(best.qty, m->qty_scale));
	} else {
		json_object_object_add(t, "askPrice", NULL);
		json_object_object_add(t, "askQty", NULL);
	}
	json_object_object_add(t, "openPrice24h", mk->day.open > 0 ?
	    dec_json(mk->day.open, m->price_scale) : NULL);
	json_object_object_add(t, "high24h", mk->day.high > 0 ?
	    dec_json(mk->day.high, m->price_scale) : NULL);
	json_object_object_add(t, "low24h", mk->day.low > 0 ?
	    dec_json(mk->day.low, m->price_scale) : NULL);
	/* Spec Appendix C: volume24h is in the quote asset. */
	json_object_object_add(t, "volume24h",
	    dec_json(mk->day.quote_volume, m->quote_scale));
	json_object_object_add(t, "baseVolume24h",
	    dec_json(mk->day.volume, m->qty_scale));
	json_object_object_add(t, "trades24h", json_object_new_int64(mk->day.trades));
	/* Percent with 2 decimals: the ratio at scale 4 is that number. */
	if (mk->day.open > 0 && mk->last_price > 0 &&
	    dec_div(mk->last_price - mk->day.open, m->price_scale, mk->day.open,
	    m->price_scale, 4, DEC_ROUND_HALF_EVEN, &change) == DEC_OK)
		json_object_object_add(t, "priceChange24h", dec_json(change, 2));
	else
		json_object_object_add(t, "priceChange24h",
		    json_object_new_string("0.00"));
	json_object_object_add(t, "timestamp", json_object_new_int64(e->now_ms));
	s = json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN);
	snprintf(key, sizeof(key), "%s%s", CHAN_MC_TICKER, m->symbol);
	(void)mc_set(key, s, strlen(s), 0);
	json_object_put(t);
}

void
store_publish(struct db *db, struct arena *a, struct engine *e, int force)
{
	size_t i;

	for (i = 0; i < e->nmk; i++)
		if (force || e->mk[i].unpublished) {
			publish_one(db, a, e, &e->mk[i], force);
			e->mk[i].unpublished = 0;
		}
}
