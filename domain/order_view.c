/* domain/order_view.c — an order as the API shows it, and why one was refused: one rendering for every answer */
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/matcher_line.h"
#include "domain/order_view.h"
#include "domain/orders.h"

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
	v->type = trade_type_text(o->type);
	v->tif = trade_tif_text(o->tif);
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
