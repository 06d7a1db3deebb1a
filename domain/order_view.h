/* domain/order_view.h — an order as the API shows it, and why one was refused: one rendering for every answer */
#ifndef HZM_ORDER_VIEW_H
#define HZM_ORDER_VIEW_H

struct arena;
struct json_object;
struct market;
struct mline_answer;
struct mline_order;
struct order_fail;

/*
 * An order as the API shows it (spec Appendix C), every field a string at
 * its market's precision or NULL: one rendering for orders read from the
 * database and orders the matcher answers with.
 */
struct order_view {
	const char	*order_id, *client_order_id, *symbol, *side, *type,
			*tif, *price, *quantity, *quote_order_qty, *executed,
			*remaining, *cum_quote, *avg_price, *fee, *fee_asset,
			*status, *created_at, *updated_at;
};

/* One fill of an order, from the order's side. */
struct fill_view {
	const char	*trade_id, *price, *quantity, *quote_quantity, *role,
			*fee, *fee_asset, *timestamp;
};

struct json_object *order_view_json(const struct order_view *);
struct json_object *fill_view_json(const struct fill_view *);
/*
 * The order as the matcher answered with it (o as sent, a as decoded), in
 * the view GET /orders/{orderId} reads from the database: the same fields
 * at the same precisions. The strings live in the arena; *fills has
 * a->nfills entries. -1 on no memory.
 */
int		 order_view_answer(struct arena *, const struct market *,
		    const struct mline_order *o, const struct mline_answer *a,
		    struct order_view *, struct fill_view **fills);
/* The details object of an order error; NULL when there is nothing to say. */
struct json_object *order_fail_json(const struct order_fail *);

#endif
