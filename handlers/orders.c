/* handlers/orders.c — /api/v1/orders and /api/v1/trades: place, show, list and cancel orders; the caller's fills */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/idem.h"
#include "core/valid.h"
#include "core/input.h"
#include "core/list.h"
#include "domain/auth.h"
#include "domain/markets.h"
#include "domain/order_oco.h"
#include "domain/order_view.h"
#include "domain/orders.h"

/*
 * How long an answer waits for the matcher: MARKET, IOC and FOK orders
 * (and cancels) answer with their final state, as Binance does; a GTC
 * order answers with what immediate matching made of it, or NEW.
 */
#define FINAL_WAIT_MS	3000
#define GTC_WAIT_MS	250

#define SORT_SLOTS	3

/* Filters of GET /orders: $1 user, $2 statuses, $3 symbol, $4 side, $5 type. */
#define ORDERS_WHERE \
	" WHERE o.user_id = $1" \
	" AND ($2::text[] IS NULL OR o.status = ANY ($2::text[]))" \
	" AND ($3::text IS NULL OR o.symbol = $3)" \
	" AND ($4::text IS NULL OR o.side = $4)" \
	" AND ($5::text IS NULL OR o.type = $5)"

/*
 * Sorting without building SQL: each slot is a parameter such as
 * '-price' (NULL when unused); numeric fields sort as numbers and text
 * fields in byte order, each slot holding one key per kind and direction
 * of which at most one is not NULL.
 */
#define SORT_NUM(sign, n) \
	"CASE $" n " WHEN '" sign "createdAt' THEN extract(epoch FROM" \
	" o.created_at) WHEN '" sign "updatedAt' THEN extract(epoch FROM" \
	" o.updated_at) WHEN '" sign "price' THEN o.price" \
	" WHEN '" sign "quantity' THEN o.quantity" \
	" WHEN '" sign "executedQuantity' THEN o.executed_quantity END"
#define SORT_TXT(sign, n) \
	"(CASE $" n " WHEN '" sign "symbol' THEN o.symbol" \
	" WHEN '" sign "status' THEN o.status WHEN '" sign "side' THEN o.side" \
	" WHEN '" sign "type' THEN o.type END) COLLATE \"C\""
#define SORT_SLOT(n) \
	SORT_NUM("+", n) " ASC, " SORT_NUM("-", n) " DESC, " \
	SORT_TXT("+", n) " ASC, " SORT_TXT("-", n) " DESC, "

/*
 * The caller's side of each trade: a trade of two of the caller's own
 * orders appears twice, once per role.
 */
#define MY_TRADES(cols) \
	"WITH mine AS (" \
	" SELECT t.id, t.public_id, t.symbol, t.price, t.quantity," \
	"  t.quote_quantity, t.created_at, 'MAKER' AS role," \
	"  t.maker_order_id AS my_order, t.maker_side AS my_side," \
	"  t.maker_fee AS my_fee, t.maker_fee_asset AS my_fee_asset" \
	"  FROM trades t WHERE t.maker_user_id = $1" \
	" UNION ALL" \
	" SELECT t.id, t.public_id, t.symbol, t.price, t.quantity," \
	"  t.quote_quantity, t.created_at, 'TAKER'," \
	"  t.taker_order_id, CASE t.maker_side WHEN 'BUY' THEN 'SELL'" \
	"  ELSE 'BUY' END, t.taker_fee, t.taker_fee_asset" \
	"  FROM trades t WHERE t.taker_user_id = $1)" \
	" SELECT " cols " FROM mine JOIN orders o ON o.id = mine.my_order" \
	" JOIN markets m ON m.symbol = mine.symbol" \
	" JOIN assets q ON q.code = m.quote_asset" \
	" WHERE ($2::text IS NULL OR mine.symbol = $2)" \
	" AND ($3::text IS NULL OR o.public_id = $3)" \
	" AND ($4::text IS NULL OR mine.role = $4)" \
	" AND ($5::text IS NULL OR mine.my_side = $5)"

#define TRADE_COLS \
	"mine.public_id, o.public_id, mine.symbol, mine.my_side," \
	" round(mine.price, m.price_precision)::text," \
	" round(mine.quantity, m.quantity_precision)::text," \
	" round(mine.quote_quantity, q.precision)::text," \
	" round(mine.my_fee, q.precision)::text, mine.my_fee_asset, mine.role," \
	" " DB_ISO("mine.created_at")

enum {
	ST_COUNT, ST_PAGE_RECENT, ST_PAGE_SORTED, ST_TRADES_COUNT,
	ST_TRADES_PAGE, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_COUNT] = { "orders_count",
	  "SELECT count(*) FROM orders o" ORDERS_WHERE, 5 },
	/* The default order walks the (user_id, id DESC) index. */
	[ST_PAGE_RECENT] = { "orders_page_recent",
	  "SELECT " ORDER_VIEW_COLUMNS ORDER_VIEW_FROM ORDERS_WHERE
	  " ORDER BY o.id DESC LIMIT $6 OFFSET $7", 7 },
	[ST_PAGE_SORTED] = { "orders_page_sorted",
	  "SELECT " ORDER_VIEW_COLUMNS ORDER_VIEW_FROM ORDERS_WHERE
	  " ORDER BY " SORT_SLOT("6") SORT_SLOT("7") SORT_SLOT("8")
	  " o.id DESC LIMIT $9 OFFSET $10", 10 },
	[ST_TRADES_COUNT] = { "orders_trades_count",
	  MY_TRADES("count(*)"), 5 },
	/* $6: the sort, spelt fully; the newest first when none. */
	[ST_TRADES_PAGE] = { "orders_trades_page",
	  MY_TRADES(TRADE_COLS)
	  " ORDER BY CASE $6 WHEN '+price' THEN mine.price"
	  "  WHEN '+quantity' THEN mine.quantity END ASC,"
	  " CASE $6 WHEN '-price' THEN mine.price"
	  "  WHEN '-quantity' THEN mine.quantity END DESC,"
	  " CASE WHEN $6 IN ('+timestamp', '+createdAt') THEN mine.id END ASC,"
	  " mine.id DESC, mine.role LIMIT $7 OFFSET $8", 8 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "orders handler statements");

static enum err
q(struct req *r, int st, const char *const *p, PGresult **res)
{
	return db_query(r->db, r->arena, &stmts[st], p, res);
}

/* ---- one order ----------------------------------------------------------- */

/* An order and its fills, as GET /orders/{orderId} shows it. */
static struct json_object *
order_fills_json(struct ctx *c, const struct order_view *v)
{
	struct json_object *o;
	struct fill_view *fv;
	size_t n;

	if (order_view_fills(c, v, &fv, &n) != ERR_OK)
		return NULL;
	o = order_view_json(v);
	json_object_object_add(o, "fills", fill_views_json(fv, n));
	return o;
}

/*
 * Read the order back and answer with it and its fills. The order is
 * committed: if it cannot be read now, the answer says where to look
 * rather than that something failed.
 */
static int
order_answer(struct req *r, struct resp *w, const struct order_placed *out,
    int status)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	struct order_view v;
	struct order_fail f;

	/* A socket order's row id is the matcher's: found by its public id. */
	if ((out->idtxt[0] != '\0' ? order_view_get(&c, out->idtxt, &v) :
	    order_view_find(&c, out->public_id, &v)) == ERR_OK &&
	    (o = order_fills_json(&c, &v)) != NULL)
		return resp_ok(w, status, o);
	memset(&f, 0, sizeof(f));
	f.field = "orderId";
	f.reason = "the order was placed, but cannot be read now: look it up "
	    "with GET /api/v1/orders/{orderId}";
	f.order_id = out->public_id;
	return resp_error_details(w, ERR_SYSTEM_002, NULL, order_fail_json(&f));
}

static int
fail_answer(struct resp *w, enum err e, const struct order_fail *f)
{
	return resp_error_details(w, e, NULL, order_fail_json(f));
}

/*
 * The matcher rejected an order from the inbox and said why (its price
 * band, its minimums): the same error as had it refused it at once, and
 * the order, which exists (REJECTED, nothing locked), is named.
 */
static int
refused_answer(struct req *r, struct resp *w, const struct order_placed *out,
    struct order_fail *f)
{
	struct ctx c = ctx_req(r);
	struct order_view v;

	if (order_view_get(&c, out->idtxt, &v) != ERR_OK ||
	    strcmp(v.status, "REJECTED") != 0)
		return order_answer(r, w, out, 201);
	f->order_id = out->public_id;
	f->status = "REJECTED";
	return fail_answer(w, out->refused, f);
}

/* The order the matcher answered with, and its fills. */
static struct json_object *
answered_json(const struct order_placed *out)
{
	struct json_object *o = order_view_json(&out->view);

	json_object_object_add(o, "fills", fill_views_json(out->fills,
	    out->nfills));
	return o;
}

/* ---- OCO lists ---------------------------------------------------------------- */

/* The list, read back once the matcher has taken both legs (or not yet). */
static int
oco_answer(struct req *r, struct resp *w, const char *list_id, int status)
{
	struct ctx c = ctx_req(r);
	struct order_oco_view l;
	struct json_object *o;
	enum err e;

	if ((e = order_oco_read(&c, list_id, &l)) != ERR_OK)
		return resp_error(w, e == ERR_NOT_FOUND ? ERR_ORDER_NOT_FOUND :
		    e, NULL);
	if ((o = order_oco_json(&c, &l)) == NULL)
		return resp_error(w, ERR_INTERNAL, NULL);
	return resp_ok(w, status, o);
}

/* POST /orders with type OCO: 201 with the list and both its orders. */
static int
oco_create(struct req *r, struct resp *w, const struct order_in *in)
{
	struct ctx c = ctx_req(r);
	struct order_oco out;
	struct order_fail f;
	enum err e;

	memset(&f, 0, sizeof(f));
	if ((e = order_oco_place(&c, in, &out, &f)) != ERR_OK)
		return fail_answer(w, e, &f);
	/* The stop leg's word: the matcher has taken both by then. */
	(void)order_wait(&c, &out.leg[1], GTC_WAIT_MS, &f);
	return oco_answer(r, w, out.list_id, 201);
}

static int
oco_get(struct req *r, struct resp *w)
{
	return oco_answer(r, w, req_param(r, "orderListId"), 200);
}

/* Both legs cancelled, as a DELETE of either leg would. */
static int
oco_delete(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct order_oco_view l;
	struct order_fail f;
	struct json_object *o;
	enum err e;

	memset(&f, 0, sizeof(f));
	if ((e = order_oco_cancel(&c, req_param(r, "orderListId"), &l,
	    &f)) != ERR_OK) {
		/* As a DELETE of an order not the caller's: TRADE_006. */
		if (e == ERR_NOT_FOUND) {
			f.field = "orderListId";
			f.reason = "no such order list";
			e = ERR_TRADE_006;
		}
		return fail_answer(w, e, &f);
	}
	if ((o = order_oco_json(&c, &l)) == NULL)
		return resp_error(w, ERR_INTERNAL, NULL);
	return resp_ok(w, l.open > 0 ? 202 : 200, o);
}

/* ---- orders ------------------------------------------------------------------- */

static int
order_create(struct req *r, struct resp *w)
{
	struct order_in in;
	struct order_fail f;
	struct order_placed out;
	struct ctx c = ctx_req(r);
	enum err e;
	int wait;

	if (order_in_parse(r->json, &in, &f) == -1)
		return fail_answer(w, ERR_INVALID_REQUEST, &f);
	if (in.oco)
		return oco_create(r, w, &in);
	wait = in.type == ORD_MARKET || in.tif != ORD_GTC ? FINAL_WAIT_MS :
	    GTC_WAIT_MS;
	/*
	 * An idempotency key is claimed with the order: by the matcher in
	 * the batch that stores it, or in the inbox's transaction.
	 */
	if (r->idem != NULL) {
		in.idem_key = idem_key(r->idem);
		in.idem_hash = idem_hash(r->idem);
	}
	if ((e = order_place(&c, &in, ORDER_PATH_SOCKET, ORDER_LISTEN, &out,
	    &f)) != ERR_OK)
		return fail_answer(w, e, &f);
	/*
	 * The matcher answered with the committed order itself; whether a
	 * stop order triggered at once is the database's to say.
	 */
	if (out.answered && !in.stop)
		return resp_ok(w, 201, answered_json(&out));
	if (out.answered)
		return order_answer(r, w, &out, 201);
	/* No word in time: the order is accepted all the same. */
	if (!out.done)
		(void)order_wait(&c, &out, wait, &f);
	if (out.refused != ERR_OK)
		return refused_answer(r, w, &out, &f);
	return order_answer(r, w, &out, 201);
}

static int
order_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	struct order_view v;
	enum err e;

	if ((e = order_view_find(&c, req_param(r, "orderId"), &v)) != ERR_OK)
		return resp_error(w, e == ERR_NOT_FOUND ? ERR_ORDER_NOT_FOUND :
		    e, NULL);
	if ((o = order_fills_json(&c, &v)) == NULL)
		return resp_error(w, ERR_INTERNAL, NULL);
	return resp_ok(w, 200, o);
}

/*
 * The matcher cancels; the answer waits for it. An order that filled in
 * the meantime cannot be cancelled (TRADE_007); one the matcher has not
 * reached in time is 202 with cancelRequested.
 */
static int
order_delete(struct req *r, struct resp *w)
{
	struct order_fail f;
	struct order_placed out;
	struct order_view v;
	struct fill_view *fv;
	struct json_object *o;
	struct ctx c = ctx_req(r);
	size_t n;
	enum err e;

	memset(&f, 0, sizeof(f));
	if ((e = order_cancel(&c, req_param(r, "orderId"), ORDER_LISTEN, &out,
	    &f)) != ERR_OK)
		return fail_answer(w, e, &f);
	(void)order_wait(&c, &out, FINAL_WAIT_MS, &f);
	if ((e = order_view_get(&c, out.idtxt, &v)) != ERR_OK)
		return resp_error(w, e == ERR_NOT_FOUND ? ERR_INTERNAL : e, NULL);
	if (strcmp(v.status, "FILLED") == 0) {
		f.field = "orderId";
		f.reason = "the order was filled before it could be cancelled";
		f.status = v.status;
		return fail_answer(w, ERR_TRADE_007, &f);
	}
	if (order_view_fills(&c, &v, &fv, &n) != ERR_OK)
		return resp_error(w, ERR_INTERNAL, NULL);
	o = order_view_json(&v);
	json_object_object_add(o, "cancelRequested", json_object_new_boolean(1));
	json_object_object_add(o, "fills", fill_views_json(fv, n));
	return resp_ok(w, strcmp(v.status, "NEW") == 0 ||
	    strcmp(v.status, "PARTIALLY_FILLED") == 0 ? 202 : 200, o);
}

static const char *const order_statuses[] = { "NEW", "PARTIALLY_FILLED",
    "FILLED", "CANCELED", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH",
    "OPEN", NULL };
static const char *const sort_fields[] = { "createdAt", "updatedAt", "price",
    "quantity", "executedQuantity", "symbol", "status", "side", "type", NULL };
static const char *const sides[] = { "BUY", "SELL", NULL };
static const char *const types[] = { "LIMIT", "MARKET", "STOP_LOSS",
    "STOP_LIMIT", NULL };

/*
 * filter_status=NEW,PARTIALLY_FILLED (OPEN stands for both) as an array
 * literal of known words.
 */
static int
status_parse(struct req *r, const char *s, const char **lit, struct in_err *ie)
{
	const char *out = "{";
	char *word;
	size_t n;
	int first = 1;

	for (;;) {
		n = strcspn(s, ",");
		if ((word = arena_strndup(r->arena, s, n)) == NULL)
			return -1;
		if (!list_oneof(word, order_statuses)) {
			ie->field = "filter_status";
			ie->reason = "NEW, PARTIALLY_FILLED, FILLED, CANCELED, "
			    "REJECTED, EXPIRED, EXPIRED_IN_MATCH or OPEN, "
			    "comma-separated";
			return -1;
		}
		if (strcmp(word, "OPEN") == 0)
			word = "NEW,PARTIALLY_FILLED";
		if ((out = arena_printf(r->arena, "%s%s%s", out, first ? "" : ",",
		    word)) == NULL)
			return -1;
		first = 0;
		s += n;
		if (*s == '\0')
			break;
		s++;
	}
	*lit = arena_printf(r->arena, "%s}", out);
	return *lit != NULL ? 0 : -1;
}

/* GET /orders' filters, as given, and the statuses as an array literal. */
struct order_filters {
	const char *status, *symbol, *side, *type, *statuses;
};

/*
 * The query's filters into f; -1 with ie naming the field, or with no
 * field when memory ran out.
 */
static int
order_filters(struct req *r, struct order_filters *f, struct in_err *ie)
{
	f->status = list_filter_value(r, "filter_status");
	f->symbol = list_filter_value(r, "filter_symbol");
	f->side = list_filter_value(r, "filter_side");
	f->type = list_filter_value(r, "filter_type");
	f->statuses = NULL;
	ie->field = NULL;
	if (f->status != NULL &&
	    status_parse(r, f->status, &f->statuses, ie) == -1)
		return -1;
	if (f->symbol != NULL && !valid_symbol(f->symbol)) {
		ie->field = "filter_symbol";
		ie->reason = "a market symbol such as BTCTRY";
		return -1;
	}
	if (f->side != NULL && !list_oneof(f->side, sides)) {
		ie->field = "filter_side";
		ie->reason = "BUY or SELL";
		return -1;
	}
	if (f->type != NULL && !list_oneof(f->type, types)) {
		ie->field = "filter_type";
		ie->reason = "LIMIT, MARKET, STOP_LOSS or STOP_LIMIT";
		return -1;
	}
	return 0;
}

static int
order_list(struct req *r, struct resp *w)
{
	static const char *const known[] = { "page", "pageSize", "sort",
	    "filter_status", "filter_symbol", "filter_side", "filter_type",
	    NULL };
	const char *p[10], *sort, *canon = NULL, *keys[SORT_SLOTS], *rest;
	struct order_filters f;
	struct json_object *data;
	struct order_view v;
	struct in_err ie;
	struct list_page pg;
	PGresult *cnt, *res;
	enum err e;
	size_t i;
	int n;

	if (list_query_check(r, known, &ie) == -1 || list_page_parse(r, &pg, &ie) == -1)
		return resp_invalid(w, &ie);
	if (order_filters(r, &f, &ie) == -1)
		return ie.field != NULL ? resp_invalid(w, &ie) :
		    resp_error(w, ERR_INTERNAL, NULL);
	sort = req_query(r, "sort");
	for (i = 0; i < SORT_SLOTS; i++)
		keys[i] = NULL;
	if (sort != NULL && list_sort_parse(r->arena, sort, sort_fields,
	    "fields: createdAt, updatedAt, price, quantity, executedQuantity, "
	    "symbol, status, side, type; each with + (ascending) or - "
	    "(descending)", keys, SORT_SLOTS, &canon, &ie) == -1)
		return ie.reason != NULL ? resp_invalid(w, &ie) :
		    resp_error(w, ERR_INTERNAL, NULL);
	p[0] = r->user->idtxt;
	p[1] = f.statuses;
	p[2] = f.symbol;
	p[3] = f.side;
	p[4] = f.type;
	if ((e = q(r, ST_COUNT, p, &cnt)) != ERR_OK)
		return resp_error(w, e, NULL);
	/* "-createdAt" is the index's own order. */
	if (canon == NULL || strcmp(canon, "-createdAt") == 0) {
		p[5] = pg.limit;
		p[6] = pg.offset;
		e = q(r, ST_PAGE_RECENT, p, &res);
	} else {
		for (i = 0; i < SORT_SLOTS; i++)
			p[5 + i] = keys[i];
		p[8] = pg.limit;
		p[9] = pg.offset;
		e = q(r, ST_PAGE_SORTED, p, &res);
	}
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	data = json_object_new_array();
	for (n = 0; n < PQntuples(res); n++) {
		order_view_row(&v, res, n);
		json_object_array_add(data, order_view_json(&v));
	}
	rest = "";
	rest = list_qs_add(r->arena, rest, "filter_status", f.status);
	rest = list_qs_add(r->arena, rest, "filter_symbol", f.symbol);
	rest = list_qs_add(r->arena, rest, "filter_side", f.side);
	rest = list_qs_add(r->arena, rest, "filter_type", f.type);
	rest = list_qs_add(r->arena, rest, "sort", canon);
	return list_answer(r, w, data, &pg, strtoll(db_val(cnt, 0, 0), NULL, 10),
	    rest);
}

/* Row i of ST_TRADES_PAGE as the spec's trade object. */
static struct json_object *
trade_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object(), *fee;

	json_object_object_add(o, "tradeId", json_str_or_null(db_val(res, i, 0)));
	json_object_object_add(o, "orderId", json_str_or_null(db_val(res, i, 1)));
	json_object_object_add(o, "symbol", json_str_or_null(db_val(res, i, 2)));
	json_object_object_add(o, "side", json_str_or_null(db_val(res, i, 3)));
	json_object_object_add(o, "price", json_str_or_null(db_val(res, i, 4)));
	json_object_object_add(o, "quantity", json_str_or_null(db_val(res, i, 5)));
	json_object_object_add(o, "quoteQuantity", json_str_or_null(db_val(res, i, 6)));
	fee = json_object_new_object();
	json_object_object_add(fee, "amount", json_str_or_null(db_val(res, i, 7)));
	json_object_object_add(fee, "currency", json_str_or_null(db_val(res, i, 8)));
	json_object_object_add(o, "fee", fee);
	json_object_object_add(o, "role", json_str_or_null(db_val(res, i, 9)));
	json_object_object_add(o, "timestamp", json_str_or_null(db_val(res, i, 10)));
	return o;
}

static int
order_id_ok(const char *s)
{
	return valid_public_id(s, "ord_");
}

enum { TF_SYMBOL, TF_ORDER, TF_ROLE, TF_SIDE };
static const struct list_spec trades_spec = {
	(const struct list_filter[]){
		[TF_SYMBOL] = { "filter_symbol", NULL, valid_symbol,
		    "a market symbol such as BTCTRY" },
		[TF_ORDER] = { "filter_orderId", NULL, order_id_ok,
		    "an order id (ord_...)" },
		[TF_ROLE] = { "filter_role",
		    (const char *const[]){ "MAKER", "TAKER", NULL }, NULL,
		    "MAKER or TAKER" },
		[TF_SIDE] = { "filter_side",
		    (const char *const[]){ "BUY", "SELL", NULL }, NULL,
		    "BUY or SELL (the caller's side)" },
		{ NULL } },
	/* createdAt, as every other list sorts: a trade's time is its creation. */
	(const char *const[]){ "-timestamp", "+timestamp", "-createdAt",
	    "+createdAt", "-price", "+price", "-quantity", "+quantity", NULL },
	"-timestamp (newest first), +timestamp (or createdAt), price or "
	    "quantity, each + or -",
};

static int
trades_list(struct req *r, struct resp *w)
{
	const char *p[8];
	struct json_object *data;
	struct list_query lq;
	struct in_err ie;
	PGresult *cnt, *res;
	enum err e;
	int i;

	if (list_read(r, &trades_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	p[0] = r->user->idtxt;
	p[1] = lq.filter[TF_SYMBOL];
	p[2] = lq.filter[TF_ORDER];
	p[3] = lq.filter[TF_ROLE];
	p[4] = lq.filter[TF_SIDE];
	p[5] = lq.sort;
	p[6] = lq.pg.limit;
	p[7] = lq.pg.offset;
	if ((e = q(r, ST_TRADES_COUNT, p, &cnt)) != ERR_OK ||
	    (e = q(r, ST_TRADES_PAGE, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	data = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(data, trade_json(res, i));
	return list_answer(r, w, data, &lq.pg, strtoll(db_val(cnt, 0, 0), NULL,
	    10), list_rest(r->arena, &trades_spec, &lq));
}

static const struct route routes[] = {
	{ "POST",   "/api/v1/orders",           order_create, AUTH_USER_BATCHED, SCOPE_TRADE, RL_TRADE_POST },
	{ "GET",    "/api/v1/orders",           order_list,   AUTH_USER, SCOPE_READ,  RL_TRADE_GET  },
	{ "GET",    "/api/v1/orders/{orderId}", order_get,    AUTH_USER, SCOPE_READ,  RL_TRADE_GET  },
	{ "DELETE", "/api/v1/orders/{orderId}", order_delete, AUTH_USER, SCOPE_TRADE, RL_TRADE_POST },
	{ "GET",    "/api/v1/order-lists/{orderListId}", oco_get,     AUTH_USER, SCOPE_READ,  RL_TRADE_GET  },
	{ "DELETE", "/api/v1/order-lists/{orderListId}", oco_delete,  AUTH_USER, SCOPE_TRADE, RL_TRADE_POST },
	{ "GET",    "/api/v1/trades",           trades_list,  AUTH_USER, SCOPE_READ,  RL_TRADE_GET  },
};

/*
 * The pool's warm-up: a bearer token's user, and the statement that
 * loads a market (run for a symbol no market has).
 */
static void
orders_warm(struct ctx *c)
{
	struct market m;

	auth_warm(c);
	(void)market_load(c, "WARM", &m);
}

int
main(void)
{
	static const struct app app = {
		.name = "orders",
		.routes = routes, .nroutes = nitems(routes),
		.auth = auth_request,
		.warm = orders_warm,
	};

	return app_run(&app);
}
