/* handlers/admin_trading.c — /api/v1/admin/orders and /admin/trades: every user's, for staff, filtered and paged from indexes */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "core/list.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/trade_search.h"

static int
user_ok(const char *s)
{
	return valid_public_id(s, "usr_");
}

static const char *const order_statuses[] = { "NEW", "PARTIALLY_FILLED",
    "FILLED", "CANCELED", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH", NULL };
static const char *const sides[] = { "BUY", "SELL", NULL };
static const char *const time_sorts[] = { "-createdAt", "+createdAt", NULL };
#define TIME_WHY "an ISO 8601 UTC time (2025-11-19 or 2025-11-19T10:30:00Z)"
#define SORT_WHY "-createdAt (newest first, the default) or +createdAt"

enum { F_USER, F_SYMBOL, F_SIDE, F_FROM, F_TO, F_STATUS };
#define COMMON_FILTERS \
	[F_USER] = { "filter_userId", NULL, user_ok, "a user id (usr_...)" },	\
	[F_SYMBOL] = { "filter_symbol", NULL, valid_symbol, "a market symbol" },	\
	[F_SIDE] = { "filter_side", sides, NULL, "BUY or SELL" },		\
	[F_FROM] = { "filter_from", NULL, valid_iso_time, TIME_WHY },		\
	[F_TO] = { "filter_to", NULL, valid_iso_time, TIME_WHY }

static const struct list_spec orders_spec = {
	(const struct list_filter[]){
		COMMON_FILTERS,
		[F_STATUS] = { "filter_status", order_statuses, NULL,
		    "NEW, PARTIALLY_FILLED, FILLED, CANCELED, REJECTED, EXPIRED "
		    "or EXPIRED_IN_MATCH" },
		{ NULL } },
	time_sorts, SORT_WHY,
};

static const struct list_spec trades_spec = {
	(const struct list_filter[]){ COMMON_FILTERS, { NULL } },
	time_sorts, SORT_WHY,
};

static void
query_of(const struct list_query *lq, struct search_query *sq)
{
	memset(sq, 0, sizeof(*sq));
	sq->user_id = lq->filter[F_USER];
	sq->symbol = lq->filter[F_SYMBOL];
	sq->side = lq->filter[F_SIDE];
	sq->from = lq->filter[F_FROM];
	sq->to = lq->filter[F_TO];
	sq->ascending = lq->sort != NULL && strcmp(lq->sort, "+createdAt") == 0;
	sq->limit = lq->pg.limit;
	sq->offset = lq->pg.offset;
}

/* The list, and whether its count stopped at the ceiling. */
static int
search_answer(struct req *r, struct resp *w, const struct list_spec *spec,
    const struct list_query *lq, PGresult *res, long long total,
    list_row_fn row)
{
	int rc = list_answer_rows(r, w, spec, lq, res, total, row);

	if (w->meta != NULL)
		json_object_object_add(w->meta, "totalCountCapped",
		    json_object_new_boolean(total >= SEARCH_COUNT_MAX));
	return rc;
}

static int
orders_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct search_query sq;
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &orders_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	query_of(&lq, &sq);
	sq.status = lq.filter[F_STATUS];
	if ((e = search_orders(&c, &sq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return search_answer(r, w, &orders_spec, &lq, res, total,
	    search_order_json);
}

static int
trades_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct search_query sq;
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &trades_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	query_of(&lq, &sq);
	if ((e = search_trades(&c, &sq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return search_answer(r, w, &trades_spec, &lq, res, total,
	    search_trade_json);
}

static const struct route routes[] = {
	{ "GET",  "/api/v1/admin/orders",	orders_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_SUPPORT },
	{ "GET",  "/api/v1/admin/trades",	trades_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_SUPPORT },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_trading",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
