/* matcher/store_load.c — what the matcher reads: its markets and their resting orders at start, the inbox's commands each batch */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/decimal.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/markets.h"
#include "domain/matcher_line.h"
#include "matcher/store.h"

enum {
	ST_FEE_USER, ST_STATE_ROWS, ST_MARKETS, ST_CLAIM, ST_RESTING, ST_FETCH,
	ST_STATUS, ST__COUNT
};

/*
 * An OCO leg's other leg, while the list stands: neither leg has traded
 * or triggered (either cuts the list), and the other is open; else NULL.
 */
#define OCO_OTHER_LEG \
	"(SELECT p.id FROM orders p WHERE p.order_list_id = o.order_list_id" \
	" AND p.id <> o.id AND p.status IN ('NEW', 'PARTIALLY_FILLED')" \
	" AND p.executed_quantity = 0 AND p.triggered_at IS NULL" \
	" AND o.executed_quantity = 0 AND o.triggered_at IS NULL)"

const struct stmt store_load_stmts[] = {
	[ST_FEE_USER] = { "store_fee_user",
	  "SELECT id FROM users WHERE public_id = $1", 1 },
	[ST_STATE_ROWS] = { "store_state_rows",
	  "INSERT INTO matcher_state (symbol) SELECT symbol FROM markets"
	  " ON CONFLICT DO NOTHING", 0 },
	/* The last trade's time: the price band's reference may be stale. */
	[ST_MARKETS] = { "store_markets",
	  "SELECT " MARKET_COLUMNS ", s.book_seq, s.last_price::text,"
	  " s.last_seq, (SELECT (extract(epoch FROM t.created_at) * 1000)::bigint"
	  "  FROM trades t WHERE t.symbol = m.symbol ORDER BY t.id DESC LIMIT 1)"
	  MARKET_FROM
	  " JOIN matcher_state s ON s.symbol = m.symbol"
	  " WHERE $1::text[] IS NULL OR m.symbol = ANY ($1::text[])"
	  " ORDER BY m.symbol", 1 },
	/* One matcher per market: a second one would apply commands twice. */
	[ST_CLAIM] = { "store_claim",
	  "SELECT pg_try_advisory_lock(hashtextextended('hzm_matcher:' || $1,"
	  " 0))", 1 },
	[ST_RESTING] = { "store_resting",
	  "SELECT id, public_id, user_id, side, price::text, quantity::text,"
	  " executed_quantity::text, cumulative_quote::text, fee_total::text,"
	  " lock_remaining::text, book_seq, type, time_in_force,"
	  " stop_price::text, triggered_at IS NOT NULL, self_trade_prevention,"
	  " " OCO_OTHER_LEG ", order_list_id"
	  " FROM orders o"
	  " WHERE symbol = $1 AND status IN ('NEW', 'PARTIALLY_FILLED')"
	  " AND book_seq IS NOT NULL ORDER BY book_seq", 1 },
	/* LATERAL: one index probe per command, never a scan of orders. */
	[ST_FETCH] = { "store_fetch",
	  "SELECT i.seq, i.kind, i.symbol, o.id, o.public_id, o.user_id,"
	  " o.side, o.type, o.time_in_force, o.price::text, o.quantity::text,"
	  " o.lock_remaining::text, o.status = 'NEW' AND o.book_seq IS NULL,"
	  " i.reply_to, o.stop_price::text, o.self_trade_prevention,"
	  " " OCO_OTHER_LEG ", o.order_list_id"
	  " FROM (SELECT * FROM order_inbox"
	  "  WHERE symbol = ANY ($1::text[]) ORDER BY seq LIMIT $2) i,"
	  " LATERAL (SELECT * FROM orders WHERE id = i.order_id) o"
	  " ORDER BY i.seq", 2 },
	/* A halt, a reopening or new fees, seen by the next batch. */
	[ST_STATUS] = { "store_status",
	  "SELECT symbol, status, maker_fee::text, taker_fee::text FROM markets"
	  " WHERE symbol = ANY ($1::text[])", 1 },
};
_Static_assert(nitems(store_load_stmts) == ST__COUNT, "store_load statements");
const size_t store_load_nstmts = nitems(store_load_stmts);

static enum err
q(struct db *db, struct arena *a, int st, const char *const *p, PGresult **res)
{
	return db_query(db, a, &store_load_stmts[st], p, res);
}

/* An order's type, timeInForce and selfTradePrevention as stored. */
static int
order_kind_read(struct cmd *c, const char *type, const char *tif,
    const char *stp)
{
	int stop;

	if (type == NULL || tif == NULL || stp == NULL ||
	    trade_type_parse(type, &c->type, &stop) == -1 ||
	    trade_stp_parse(stp, &c->stp) == -1)
		return -1;
	c->tif = strcmp(tif, "GTC") == 0 ? ORD_GTC :
	    strcmp(tif, "IOC") == 0 ? ORD_IOC : ORD_FOK;
	return 0;
}

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
		c.book_seq = strtoll(db_val(res, i, 10), NULL, 10);
		/* Untriggered stops go back to the stop book, the rest rest. */
		c.triggered = strcmp(db_val(res, i, 14), "t") == 0;
		c.oco = db_val(res, i, 16) != NULL ?
		    strtoll(db_val(res, i, 16), NULL, 10) : 0;
		c.list_id = db_val(res, i, 17) != NULL ?
		    strtoll(db_val(res, i, 17), NULL, 10) : 0;
		if (order_kind_read(&c, db_val(res, i, 11), db_val(res, i, 12),
		    db_val(res, i, 15)) == -1 ||
		    market_numeric(db_val(res, i, 13), m->price_scale,
		    &c.stop) == -1) {
			log_error("%s: order %s of an unknown kind", m->symbol,
			    c.public_id);
			return ERR_INTERNAL;
		}
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

enum err
store_fetch_read(struct arena *a, struct engine *e, PGresult *res,
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
		if (order_kind_read(c, db_val(res, i, 7), db_val(res, i, 8),
		    db_val(res, i, 15)) == -1 ||
		    market_numeric(db_val(res, i, 14), m->price_scale,
		    &c->stop) == -1 ||
		    market_numeric(db_val(res, i, 9), m->price_scale, &c->price) == -1 ||
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
		c->oco = db_val(res, i, 16) != NULL ?
		    strtoll(db_val(res, i, 16), NULL, 10) : 0;
		c->list_id = db_val(res, i, 17) != NULL ?
		    strtoll(db_val(res, i, 17), NULL, 10) : 0;
		if (db_val(res, i, 13) != NULL)
			snprintf(v[i].reply, sizeof(v[i].reply), "%s",
			    db_val(res, i, 13));
	}
	*out = v;
	*nout = (size_t)n;
	return ERR_OK;
}

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
	return store_fetch_read(a, e, res, out, nout);
}

void
store_fetch_queue(struct db *db, const char *symbols, int limit,
    PGresult **res)
{
	const char *p[2];
	char lim[16];

	snprintf(lim, sizeof(lim), "%d", limit);
	p[0] = symbols;
	p[1] = lim;
	db_pipe_add(db, &store_load_stmts[ST_FETCH], p, res);
}

void
store_status_queue(struct db *db, const char *symbols, PGresult **res)
{
	const char *p[1] = { symbols };

	db_pipe_add(db, &store_load_stmts[ST_STATUS], p, res);
}

void
store_status_read(struct engine *e, PGresult *res)
{
	struct market *m;
	int64_t maker, taker;
	size_t k;
	int i;

	for (i = 0; res != NULL && i < PQntuples(res); i++)
		for (k = 0; k < e->nmk; k++) {
			m = &e->mk[k].m;
			if (strcmp(m->symbol, db_val(res, i, 0)) != 0)
				continue;
			snprintf(m->status, sizeof(m->status), "%s",
			    db_val(res, i, 1));
			/* The schema keeps them in range; a bad read keeps the old. */
			if (market_numeric(db_val(res, i, 2), TRADE_FEE_SCALE,
			    &maker) == -1 || market_numeric(db_val(res, i, 3),
			    TRADE_FEE_SCALE, &taker) == -1) {
				log_error("%s: unusable fees", m->symbol);
				continue;
			}
			if (maker != m->maker_fee || taker != m->taker_fee)
				log_info("%s: fees now maker %s, taker %s",
				    m->symbol, db_val(res, i, 2),
				    db_val(res, i, 3));
			m->maker_fee = maker;
			m->taker_fee = taker;
		}
}

enum err
store_status(struct db *db, struct arena *a, struct engine *e,
    const char *symbols)
{
	const char *p[1] = { symbols };
	PGresult *res;
	enum err rc;

	if ((rc = q(db, a, ST_STATUS, p, &res)) != ERR_OK)
		return rc;
	store_status_read(e, res);
	return ERR_OK;
}
