/* domain/trade_search.c — every user's orders and trades for staff: filters, pages in index order, a count with a ceiling */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/trade_search.h"

/*
 * The filters are "$n IS NULL OR column = $n"; the plan must be made
 * for the values at hand (a custom plan), where those with NULL fold
 * away and the rest pick their index: orders_search_* and
 * trades_search_* (sql/021), each ending in (created_at, id) so that
 * the page comes off the index already sorted. search_begin() asks for
 * custom plans for this connection.
 *
 * $1 user (usr_), $2 symbol, $3 status / side, $4 side, $5 from, $6 to.
 */
#define ORDERS_WHERE \
	" WHERE ($1::text IS NULL OR o.user_id ="			\
	"  (SELECT id FROM users WHERE public_id = $1))"		\
	" AND ($2::text IS NULL OR o.symbol = $2)"			\
	" AND ($3::text IS NULL OR o.status = $3)"			\
	" AND ($4::text IS NULL OR o.side = $4)"			\
	" AND ($5::timestamptz IS NULL OR o.created_at >= $5)"		\
	" AND ($6::timestamptz IS NULL OR o.created_at < $6)"
#define ORDERS_COLS \
	"SELECT o.public_id, u.public_id, o.symbol, o.side, o.type,"	\
	" o.time_in_force, round(o.price, m.price_precision)::text,"	\
	" round(o.quantity, m.quantity_precision)::text,"		\
	" round(o.quote_order_qty, q.precision)::text,"		\
	" round(o.executed_quantity, m.quantity_precision)::text,"	\
	" round(o.cumulative_quote, q.precision)::text,"		\
	" round(o.fee_total, q.precision)::text, o.fee_asset, o.status,"	\
	" o.client_order_id, " DB_ISO("o.created_at") ", " DB_ISO("o.updated_at") \
	", round(o.stop_price, m.price_precision)::text, o.order_list_id,"	\
	" o.self_trade_prevention,"					\
	" round(o.quantity - o.executed_quantity, m.quantity_precision)::text," \
	" CASE WHEN o.executed_quantity > 0 THEN round(o.cumulative_quote"	\
	"  / o.executed_quantity, m.price_precision)::text END"		\
	" FROM orders o JOIN users u ON u.id = o.user_id"		\
	" JOIN markets m ON m.symbol = o.symbol JOIN assets q ON q.code = m.quote_asset"

/* A trade's side is its taker's: the maker sat on the other one. */
#define TRADES_WHERE \
	" WHERE ($1::text IS NULL OR t.maker_user_id = (SELECT id FROM users"	\
	"  WHERE public_id = $1) OR t.taker_user_id = (SELECT id FROM users"	\
	"  WHERE public_id = $1))"					\
	" AND ($2::text IS NULL OR t.symbol = $2)"			\
	" AND ($3::text IS NULL OR t.maker_side <> $3)"			\
	" AND ($4::timestamptz IS NULL OR t.created_at >= $4)"		\
	" AND ($5::timestamptz IS NULL OR t.created_at < $5)"
#define TRADES_COLS \
	"SELECT t.public_id, t.symbol,"					\
	" CASE t.maker_side WHEN 'BUY' THEN 'SELL' ELSE 'BUY' END,"	\
	" round(t.price, m.price_precision)::text,"			\
	" round(t.quantity, m.quantity_precision)::text,"		\
	" round(t.quote_quantity, q.precision)::text,"			\
	" mo.public_id, mu.public_id, round(t.maker_fee, q.precision)::text,"	\
	" t.maker_fee_asset,"						\
	" tko.public_id, tu.public_id, round(t.taker_fee, q.precision)::text,"	\
	" t.taker_fee_asset,"						\
	" " DB_ISO("t.created_at")					\
	" FROM trades t JOIN markets m ON m.symbol = t.symbol"		\
	" JOIN assets q ON q.code = m.quote_asset"			\
	" JOIN orders mo ON mo.id = t.maker_order_id"			\
	" JOIN orders tko ON tko.id = t.taker_order_id"			\
	" JOIN users mu ON mu.id = t.maker_user_id"			\
	" JOIN users tu ON tu.id = t.taker_user_id"

#define CAP	"10000"
_Static_assert(SEARCH_COUNT_MAX == 10000, "CAP");

enum {
	ST_CUSTOM, ST_ORD_COUNT, ST_ORD_DESC, ST_ORD_ASC, ST_TRD_COUNT,
	ST_TRD_DESC, ST_TRD_ASC, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_CUSTOM] = { "search_custom_plans",
	  "SELECT set_config('plan_cache_mode', 'force_custom_plan', false)", 0 },
	[ST_ORD_COUNT] = { "search_orders_count",
	  "SELECT count(*) FROM (SELECT 1 FROM orders o" ORDERS_WHERE
	  " ORDER BY o.created_at DESC, o.id DESC LIMIT " CAP ") s", 6 },
	[ST_ORD_DESC] = { "search_orders_desc",
	  ORDERS_COLS ORDERS_WHERE
	  " ORDER BY o.created_at DESC, o.id DESC LIMIT $7 OFFSET $8", 8 },
	[ST_ORD_ASC] = { "search_orders_asc",
	  ORDERS_COLS ORDERS_WHERE
	  " ORDER BY o.created_at, o.id LIMIT $7 OFFSET $8", 8 },
	[ST_TRD_COUNT] = { "search_trades_count",
	  "SELECT count(*) FROM (SELECT 1 FROM trades t" TRADES_WHERE
	  " ORDER BY t.created_at DESC, t.id DESC LIMIT " CAP ") s", 5 },
	[ST_TRD_DESC] = { "search_trades_desc",
	  TRADES_COLS TRADES_WHERE
	  " ORDER BY t.created_at DESC, t.id DESC LIMIT $6 OFFSET $7", 7 },
	[ST_TRD_ASC] = { "search_trades_asc",
	  TRADES_COLS TRADES_WHERE
	  " ORDER BY t.created_at, t.id LIMIT $6 OFFSET $7", 7 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "trade_search statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

const struct stmt *
search_stmt(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(stmts); i++)
		if (strcmp(stmts[i].name, name) == 0)
			return &stmts[i];
	return NULL;
}

/* The capped count and the page, with custom plans. */
static enum err
search_run(struct ctx *c, int st_count, int st_page, const char **p,
    PGresult **rows, long long *total)
{
	PGresult *cnt, *res;
	enum err e;

	if ((e = q(c, ST_CUSTOM, NULL, &res)) != ERR_OK ||
	    (e = q(c, st_count, p, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return q(c, st_page, p, rows);
}

enum err
search_orders(struct ctx *c, const struct search_query *in, PGresult **rows,
    long long *total)
{
	const char *p[8] = { in->user_id, in->symbol, in->status, in->side,
	    in->from, in->to, in->limit, in->offset };

	return search_run(c, ST_ORD_COUNT, in->ascending ? ST_ORD_ASC :
	    ST_ORD_DESC, p, rows, total);
}

enum err
search_trades(struct ctx *c, const struct search_query *in, PGresult **rows,
    long long *total)
{
	const char *p[7] = { in->user_id, in->symbol, in->side, in->from,
	    in->to, in->limit, in->offset };

	return search_run(c, ST_TRD_COUNT, in->ascending ? ST_TRD_ASC :
	    ST_TRD_DESC, p, rows, total);
}

static void
add(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_str_or_null(v));
}

/* A fee at its asset's precision, as the user's own views have it. */
static struct json_object *
fee_json(PGresult *res, int row, int amount, int asset)
{
	struct json_object *f = json_object_new_object();

	add(f, "amount", db_val(res, row, amount));
	add(f, "currency", db_val(res, row, asset));
	return f;
}

struct json_object *
search_order_json(PGresult *res, int i)
{
	static const char *const keys[] = { "orderId", "userId", "symbol",
	    "side", "type", "timeInForce", "price", "quantity", "quoteOrderQty",
	    "executedQuantity", "cumulativeQuoteQty" };
	struct json_object *o = json_object_new_object();
	size_t k;

	for (k = 0; k < nitems(keys); k++)
		add(o, keys[k], db_val(res, i, (int)k));
	json_object_object_add(o, "fee", fee_json(res, i, 11, 12));
	add(o, "status", db_val(res, i, 13));
	add(o, "clientOrderId", db_val(res, i, 14));
	add(o, "createdAt", db_val(res, i, 15));
	add(o, "updatedAt", db_val(res, i, 16));
	add(o, "stopPrice", db_val(res, i, 17));
	/* Binance's orderListId: -1 for an order of no list. */
	json_object_object_add(o, "orderListId", json_object_new_int64(
	    db_val(res, i, 18) != NULL ? strtoll(db_val(res, i, 18), NULL, 10) : -1));
	add(o, "selfTradePrevention", db_val(res, i, 19));
	/* The names and figures of the user's GET /orders beside them. */
	add(o, "cumulativeQuoteQuantity", db_val(res, i, 10));
	add(o, "remainingQuantity", db_val(res, i, 20));
	add(o, "averagePrice", db_val(res, i, 21));
	return o;
}

struct json_object *
search_trade_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object(), *m, *t;

	add(o, "tradeId", db_val(res, i, 0));
	add(o, "symbol", db_val(res, i, 1));
	add(o, "side", db_val(res, i, 2));
	add(o, "price", db_val(res, i, 3));
	add(o, "quantity", db_val(res, i, 4));
	add(o, "quoteQuantity", db_val(res, i, 5));
	m = json_object_new_object();
	add(m, "orderId", db_val(res, i, 6));
	add(m, "userId", db_val(res, i, 7));
	json_object_object_add(m, "fee", fee_json(res, i, 8, 9));
	t = json_object_new_object();
	add(t, "orderId", db_val(res, i, 10));
	add(t, "userId", db_val(res, i, 11));
	json_object_object_add(t, "fee", fee_json(res, i, 12, 13));
	json_object_object_add(o, "maker", m);
	json_object_object_add(o, "taker", t);
	add(o, "timestamp", db_val(res, i, 14));
	return o;
}
