/* domain/order_view.h — an order as the API shows it, and why one was refused: one rendering for every answer */
#ifndef HZM_ORDER_VIEW_H
#define HZM_ORDER_VIEW_H

#include <stddef.h>

#include <libpq-fe.h>

#include "core/db.h"
#include "core/err.h"

struct arena;
struct ctx;
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
	const char	*stop_price;	/* stop orders' */
	const char	*stp;		/* selfTradePrevention */
	const char	*working;	/* "t": in the book, not a waiting stop */
	const char	*list_id;	/* its OCO list's orderListId, "-1": none */
	const char	*id;		/* orders.id as text; not shown */
};

/*
 * The view's columns at the market's precisions (order_view_row() reads
 * them), from orders o: SELECT ORDER_VIEW_COLUMNS ORDER_VIEW_FROM WHERE ...
 */
#define ORDER_VIEW_NCOLS	23
#define ORDER_VIEW_COLUMNS \
	"o.public_id, o.client_order_id, o.symbol, o.side, o.type," \
	" o.time_in_force, round(o.price, m.price_precision)::text," \
	" round(o.quantity, m.quantity_precision)::text," \
	" round(o.quote_order_qty, q.precision)::text," \
	" round(o.executed_quantity, m.quantity_precision)::text," \
	" round(o.quantity - o.executed_quantity, m.quantity_precision)::text," \
	" round(o.cumulative_quote, q.precision)::text," \
	" CASE WHEN o.executed_quantity > 0 THEN round(o.cumulative_quote" \
	"  / o.executed_quantity, m.price_precision)::text END," \
	" round(o.fee_total, q.precision)::text, o.fee_asset, o.status," \
	" " DB_ISO("o.created_at") ", " DB_ISO("o.updated_at") ", o.id," \
	" round(o.stop_price, m.price_precision)::text," \
	" o.self_trade_prevention," \
	" o.stop_price IS NULL OR o.triggered_at IS NOT NULL," \
	" coalesce(o.order_list_id, -1)::text"
#define ORDER_VIEW_FROM \
	" FROM orders o JOIN markets m ON m.symbol = o.symbol" \
	" JOIN assets q ON q.code = m.quote_asset"

/* One fill of an order, from the order's side. */
struct fill_view {
	const char	*trade_id, *price, *quantity, *quote_quantity, *role,
			*fee, *fee_asset, *timestamp;
};

/* A row of ORDER_VIEW_COLUMNS; the strings are the result's. */
void		 order_view_row(struct order_view *, PGresult *, int row);
/* The order whose orders.id is idtxt: ERR_NOT_FOUND when there is none. */
enum err	 order_view_get(struct ctx *, const char *idtxt,
		    struct order_view *);
/* The actor's order public_id: ERR_NOT_FOUND when they have none such. */
enum err	 order_view_find(struct ctx *, const char *public_id,
		    struct order_view *);
/* Its fills, oldest first (none looked up when nothing was executed). */
enum err	 order_view_fills(struct ctx *, const struct order_view *,
		    struct fill_view **, size_t *n);

struct json_object *order_view_json(const struct order_view *);
struct json_object *fill_view_json(const struct fill_view *);
/* Fills as the array an order's "fills" shows. */
struct json_object *fill_views_json(const struct fill_view *, size_t n);
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
