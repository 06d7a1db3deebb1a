/* domain/order_view.c — an order as the API shows it, and why one was refused: one rendering for every answer */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/matcher_line.h"
#include "domain/order_view.h"
#include "domain/orders.h"

/* The fills an order's view shows at most. */
#define FILLS_MAX	"1000"

enum { ST_ONE, ST_BY_PUBLIC_ID, ST_FILLS, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_ONE] = { "order_view_one",
	  "SELECT " ORDER_VIEW_COLUMNS ORDER_VIEW_FROM " WHERE o.id = $1", 1 },
	[ST_BY_PUBLIC_ID] = { "order_view_by_public_id",
	  "SELECT " ORDER_VIEW_COLUMNS ORDER_VIEW_FROM
	  " WHERE o.public_id = $1 AND o.user_id = $2", 2 },
	/* Two index scans: an OR of the two columns defeats both indexes. */
	[ST_FILLS] = { "order_view_fills",
	  "SELECT t.public_id, round(t.price, m.price_precision)::text,"
	  " round(t.quantity, m.quantity_precision)::text,"
	  " round(t.quote_quantity, q.precision)::text, t.role,"
	  " round(t.fee, q.precision)::text, t.fee_asset, " DB_ISO("t.created_at")
	  " FROM (SELECT id, public_id, symbol, price, quantity, quote_quantity,"
	  "  created_at, 'MAKER' AS role, maker_fee AS fee,"
	  "  maker_fee_asset AS fee_asset FROM trades WHERE maker_order_id = $1"
	  "  UNION ALL"
	  "  SELECT id, public_id, symbol, price, quantity, quote_quantity,"
	  "  created_at, 'TAKER', taker_fee, taker_fee_asset FROM trades"
	  "  WHERE taker_order_id = $1) t"
	  " JOIN markets m ON m.symbol = t.symbol"
	  " JOIN assets q ON q.code = m.quote_asset"
	  " ORDER BY t.id LIMIT $2", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "order view statements");

void
order_view_row(struct order_view *v, PGresult *res, int i)
{
	v->order_id = db_val(res, i, 0);
	v->client_order_id = db_val(res, i, 1);
	v->symbol = db_val(res, i, 2);
	v->side = db_val(res, i, 3);
	v->type = db_val(res, i, 4);
	v->tif = db_val(res, i, 5);
	v->price = db_val(res, i, 6);
	v->quantity = db_val(res, i, 7);
	v->quote_order_qty = db_val(res, i, 8);
	v->executed = db_val(res, i, 9);
	v->remaining = db_val(res, i, 10);
	v->cum_quote = db_val(res, i, 11);
	v->avg_price = db_val(res, i, 12);
	v->fee = db_val(res, i, 13);
	v->fee_asset = db_val(res, i, 14);
	v->status = db_val(res, i, 15);
	v->created_at = db_val(res, i, 16);
	v->updated_at = db_val(res, i, 17);
	v->id = db_val(res, i, 18);
	v->stop_price = db_val(res, i, 19);
	v->stp = db_val(res, i, 20);
	v->working = db_val(res, i, 21);
	v->list_id = db_val(res, i, 22);
}

static enum err
view_read(struct ctx *c, int st, const char *const *p, struct order_view *v)
{
	PGresult *res;
	enum err e;

	if ((e = db_query(c->db, c->arena, &stmts[st], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	order_view_row(v, res, 0);
	return ERR_OK;
}

enum err
order_view_get(struct ctx *c, const char *idtxt, struct order_view *v)
{
	const char *p[1] = { idtxt };

	return view_read(c, ST_ONE, p, v);
}

enum err
order_view_find(struct ctx *c, const char *public_id, struct order_view *v)
{
	const char *p[2] = { public_id, c->actor->idtxt };

	return view_read(c, ST_BY_PUBLIC_ID, p, v);
}

enum err
order_view_fills(struct ctx *c, const struct order_view *v,
    struct fill_view **out, size_t *n)
{
	const char *p[2] = { v->id, FILLS_MAX };
	struct fill_view *fv;
	PGresult *res;
	enum err e;
	int i, rows = 0;

	*out = NULL;
	*n = 0;
	/* "0.00000000": nothing executed, so no fills to look up. */
	if (v->executed == NULL || strspn(v->executed, "0.") !=
	    strlen(v->executed)) {
		if ((e = db_query(c->db, c->arena, &stmts[ST_FILLS], p,
		    &res)) != ERR_OK)
			return e;
		rows = PQntuples(res);
	}
	if ((fv = arena_calloc(c->arena, (size_t)rows + 1, sizeof(*fv))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < rows; i++) {
		fv[i].trade_id = db_val(res, i, 0);
		fv[i].price = db_val(res, i, 1);
		fv[i].quantity = db_val(res, i, 2);
		fv[i].quote_quantity = db_val(res, i, 3);
		fv[i].role = db_val(res, i, 4);
		fv[i].fee = db_val(res, i, 5);
		fv[i].fee_asset = db_val(res, i, 6);
		fv[i].timestamp = db_val(res, i, 7);
	}
	*out = fv;
	*n = (size_t)rows;
	return ERR_OK;
}

struct json_object *
fill_views_json(const struct fill_view *fv, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, fill_view_json(&fv[i]));
	return a;
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
	if (f->day_limit[0] != '\0') {
		d = json_object_new_object();
		json_object_object_add(d, "period", json_object_new_string("DAY"));
		json_object_object_add(d, "limit",
		    json_object_new_string(f->day_limit));
		json_object_object_add(d, "used",
		    json_object_new_string(f->day_used));
		json_object_object_add(d, "requested",
		    json_object_new_string(f->day_requested));
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

/* A fee as the API shows it: {amount, currency}. */
static struct json_object *
fee_json(const char *amount, const char *currency)
{
	struct json_object *fee = json_object_new_object();

	json_object_object_add(fee, "amount", json_str_or_null(amount));
	json_object_object_add(fee, "currency", json_str_or_null(currency));
	return fee;
}

struct json_object *
fill_view_json(const struct fill_view *v)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "tradeId", json_str_or_null(v->trade_id));
	json_object_object_add(o, "price", json_str_or_null(v->price));
	json_object_object_add(o, "quantity", json_str_or_null(v->quantity));
	json_object_object_add(o, "quoteQuantity",
	    json_str_or_null(v->quote_quantity));
	json_object_object_add(o, "role", json_str_or_null(v->role));
	json_object_object_add(o, "fee", fee_json(v->fee, v->fee_asset));
	json_object_object_add(o, "timestamp", json_str_or_null(v->timestamp));
	return o;
}

struct json_object *
order_view_json(const struct order_view *v)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "orderId", json_str_or_null(v->order_id));
	json_object_object_add(o, "clientOrderId",
	    json_str_or_null(v->client_order_id));
	json_object_object_add(o, "symbol", json_str_or_null(v->symbol));
	json_object_object_add(o, "side", json_str_or_null(v->side));
	json_object_object_add(o, "type", json_str_or_null(v->type));
	json_object_object_add(o, "timeInForce", json_str_or_null(v->tif));
	json_object_object_add(o, "price", json_str_or_null(v->price));
	json_object_object_add(o, "quantity", json_str_or_null(v->quantity));
	json_object_object_add(o, "stopPrice", json_str_or_null(v->stop_price));
	json_object_object_add(o, "selfTradePrevention", json_str_or_null(v->stp));
	/* A stop order is not working until it triggers (Binance's isWorking). */
	json_object_object_add(o, "isWorking", json_object_new_boolean(
	    v->working != NULL && strcmp(v->working, "t") == 0));
	/* Binance's orderListId: -1 for an order of no list. */
	json_object_object_add(o, "orderListId", json_object_new_int64(
	    v->list_id != NULL ? strtoll(v->list_id, NULL, 10) : -1));
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
	json_object_object_add(o, "fee", fee_json(v->fee, v->fee_asset));
	json_object_object_add(o, "status", json_str_or_null(v->status));
	json_object_object_add(o, "createdAt", json_str_or_null(v->created_at));
	json_object_object_add(o, "updatedAt", json_str_or_null(v->updated_at));
	return o;
}

static const char *
amount_text(struct arena *a, int64_t v, int scale)
{
	char b[DEC_BUFSZ];

	if (dec_format(v, scale, b, sizeof(b)) == -1)
		return NULL;
	return arena_strdup(a, b);
}

/* The fills, all at the batch's time (epoch ms), as the trades store it. */
static int
answer_fills(struct arena *a, const struct market *m,
    const struct mline_answer *ans, struct fill_view **out)
{
	struct fill_view *fv;
	struct timespec ts;
	const char *quote = arena_strdup(a, m->quote);
	char *when;
	size_t i;

	ts.tv_sec = (time_t)(ans->time_ms / 1000);
	ts.tv_nsec = (long)(ans->time_ms % 1000) * 1000000L;
	if ((fv = arena_calloc(a, ans->nfills + 1, sizeof(*fv))) == NULL ||
	    (when = arena_alloc(a, ISO_TIME_LEN + 1)) == NULL)
		return -1;
	util_iso_time(&ts, when);
	for (i = 0; i < ans->nfills; i++) {
		const struct mline_fill *f = &ans->fills[i];

		fv[i].trade_id = arena_strdup(a, f->trade_id);
		fv[i].price = amount_text(a, f->price, m->price_scale);
		fv[i].quantity = amount_text(a, f->qty, m->qty_scale);
		fv[i].quote_quantity = amount_text(a, f->quote, m->quote_scale);
		fv[i].role = f->maker ? "MAKER" : "TAKER";
		fv[i].fee = amount_text(a, f->fee, m->quote_scale);
		fv[i].fee_asset = quote;
		fv[i].timestamp = when;
	}
	*out = fv;
	return 0;
}

int
order_view_answer(struct arena *a, const struct market *m,
    const struct mline_order *o, const struct mline_answer *ans,
    struct order_view *v, struct fill_view **fills)
{
	int64_t avg;

	memset(v, 0, sizeof(*v));
	v->order_id = arena_strdup(a, o->public_id);
	if (o->client_id[0] != '\0')
		v->client_order_id = arena_strdup(a, o->client_id);
	v->symbol = arena_strdup(a, m->symbol);
	v->side = trade_side_text(o->side);
	v->type = trade_type_name(o->type, o->stop > 0);
	v->tif = trade_tif_text(o->tif);
	v->stp = trade_stp_text(o->stp);
	if (o->stop > 0)
		v->stop_price = amount_text(a, o->stop, m->price_scale);
	/* The answer does not say whether a stop triggered: read it. */
	v->working = o->stop == 0 ? "t" : NULL;
	if (o->type == ORD_LIMIT)
		v->price = amount_text(a, o->price, m->price_scale);
	if (o->qty > 0) {
		v->quantity = amount_text(a, o->qty, m->qty_scale);
		v->remaining = amount_text(a, o->qty - ans->executed,
		    m->qty_scale);
	}
	if (o->qoq > 0)
		v->quote_order_qty = amount_text(a, o->qoq, m->quote_scale);
	v->executed = amount_text(a, ans->executed, m->qty_scale);
	v->cum_quote = amount_text(a, ans->cum_quote, m->quote_scale);
	/* round(cumulative_quote / executed_quantity, price precision) */
	if (ans->executed > 0 && dec_div(ans->cum_quote, m->quote_scale,
	    ans->executed, m->qty_scale, m->price_scale, DEC_ROUND_HALF_UP,
	    &avg) == DEC_OK)
		v->avg_price = amount_text(a, avg, m->price_scale);
	v->fee = amount_text(a, ans->fees, m->quote_scale);
	v->fee_asset = arena_strdup(a, m->quote);
	v->status = arena_strdup(a, ans->status);
	v->created_at = arena_strdup(a, ans->created);
	v->updated_at = v->created_at;
	return answer_fills(a, m, ans, fills);
}
