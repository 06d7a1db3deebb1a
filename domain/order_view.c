/* domain/order_view.c — an order as the API shows it, and why one was refused: one rendering for every answer */
#include <json-c/json.h>

#include "core/http.h"
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
