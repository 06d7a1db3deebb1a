/* handlers/public.c — /api/v1/public/... and /api/v1/markets: market data anyone may read */
#include <stdlib.h>
#include <string.h>

#include "core/app.h"

static const struct stmt stmts[] = {
#define MARKET_COLUMNS \
	"SELECT m.symbol, m.base_asset, m.quote_asset, m.status," \
	" m.price_precision, m.quantity_precision," \
	" round(m.min_quantity, m.quantity_precision)::text," \
	" round(m.min_notional, q.precision)::text," \
	" trim_scale(m.maker_fee)::text, trim_scale(m.taker_fee)::text" \
	" FROM markets m JOIN assets q ON q.code = m.quote_asset"
	{ "public_markets_all", MARKET_COLUMNS " ORDER BY m.symbol", 0 },
	{ "public_markets_active", MARKET_COLUMNS
	    " WHERE m.status = 'ACTIVE' ORDER BY m.symbol", 0 },
#undef MARKET_COLUMNS
};

enum { STMT_MARKETS_ALL, STMT_MARKETS_ACTIVE };

static int
time_get(struct req *r, struct resp *w)
{
	struct json_object *o = json_object_new_object();
	char iso[ISO_TIME_LEN + 1];

	util_iso_time(&r->now, iso);
	json_object_object_add(o, "serverTime", json_object_new_int64(
	    (int64_t)r->now.tv_sec * 1000 + r->now.tv_nsec / 1000000));
	json_object_object_add(o, "iso", json_object_new_string(iso));
	return resp_ok(w, 200, o);
}

static struct json_object *
market_json(PGresult *res, int i)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "symbol",
	    json_object_new_string(db_val(res, i, 0)));
	json_object_object_add(m, "baseAsset",
	    json_object_new_string(db_val(res, i, 1)));
	json_object_object_add(m, "quoteAsset",
	    json_object_new_string(db_val(res, i, 2)));
	json_object_object_add(m, "status",
	    json_object_new_string(db_val(res, i, 3)));
	json_object_object_add(m, "pricePrecision",
	    json_object_new_int((int)util_long(db_val(res, i, 4), 0)));
	json_object_object_add(m, "quantityPrecision",
	    json_object_new_int((int)util_long(db_val(res, i, 5), 0)));
	json_object_object_add(m, "minQuantity",
	    json_object_new_string(db_val(res, i, 6)));
	json_object_object_add(m, "minNotional",
	    json_object_new_string(db_val(res, i, 7)));
	json_object_object_add(m, "makerFee",
	    json_object_new_string(db_val(res, i, 8)));
	json_object_object_add(m, "takerFee",
	    json_object_new_string(db_val(res, i, 9)));
	return m;
}

static int
markets_send(struct req *r, struct resp *w, const struct stmt *s)
{
	struct json_object *list;
	PGresult *res;
	enum err rc;
	int i;

	if ((rc = db_query(r->db, r->arena, s, NULL, &res)) != ERR_OK)
		return resp_error(w, rc, NULL);
	list = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(list, market_json(res, i));
	return resp_ok(w, 200, list);
}

/* Every market, whatever its status (spec §3.6). */
static int
markets_all(struct req *r, struct resp *w)
{
	return markets_send(r, w, &stmts[STMT_MARKETS_ALL]);
}

/* The markets open for trading (spec §3.3). */
static int
markets_active(struct req *r, struct resp *w)
{
	return markets_send(r, w, &stmts[STMT_MARKETS_ACTIVE]);
}

static const struct route routes[] = {
	{ "GET", "/api/v1/public/time",    time_get,       AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/public/markets", markets_all,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/markets",        markets_active, AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
};

int
main(void)
{
	static const struct app app = {
		.name = "public",
		.routes = routes, .nroutes = nitems(routes),
		.stmts = stmts, .nstmts = nitems(stmts),
	};

	return app_run(&app);
}
