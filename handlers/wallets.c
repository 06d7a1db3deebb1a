/* handlers/wallets.c — /api/v1/wallets: the caller's balances, valued in TRY at the last trade prices */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/decimal.h"
#include "domain/auth.h"

#define VALUE_ASSET	"TRY"

/*
 * Amounts at the asset's precision (balances never hold more). A value in
 * TRY is the total times the last price of the asset's TRY market, rounded
 * to TRY's precision; none when the market has not traded yet.
 */
#define BALANCE_SELECT \
	"SELECT a.code, round(coalesce(b.available, 0), a.precision)::text," \
	" round(coalesce(b.locked, 0), a.precision)::text," \
	" round(coalesce(b.available + b.locked, 0), a.precision)::text," \
	" CASE WHEN a.code = v.code" \
	"  THEN round(coalesce(b.available + b.locked, 0), v.precision)::text" \
	"  ELSE round(coalesce(b.available + b.locked, 0) * s.last_price," \
	"  v.precision)::text END, v.precision" \
	" FROM assets a CROSS JOIN (SELECT code, precision FROM assets" \
	"  WHERE code = '" VALUE_ASSET "') v" \
	" LEFT JOIN balances b ON b.asset = a.code AND b.user_id = $1" \
	" LEFT JOIN markets m ON m.base_asset = a.code AND m.quote_asset = v.code" \
	" LEFT JOIN matcher_state s ON s.symbol = m.symbol"

static const struct stmt stmts[] = {
	{ "wallets_all", BALANCE_SELECT " ORDER BY a.code", 1 },
	{ "wallets_one", BALANCE_SELECT " WHERE a.code = $2", 2 },
};

enum { ST_ALL, ST_ONE };

static struct json_object *
balance_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "asset", json_str_or_null(db_val(res, i, 0)));
	json_object_object_add(o, "available", json_str_or_null(db_val(res, i, 1)));
	json_object_object_add(o, "locked", json_str_or_null(db_val(res, i, 2)));
	json_object_object_add(o, "total", json_str_or_null(db_val(res, i, 3)));
	json_object_object_add(o, "valueInTRY", json_str_or_null(db_val(res, i, 4)));
	return o;
}

static int
balances_get(struct req *r, struct resp *w)
{
	const char *p[1] = { r->user->idtxt };
	struct json_object *data, *meta;
	char buf[DEC_BUFSZ];
	int64_t sum = 0, v;
	PGresult *res;
	enum err e;
	int i, scale = 2;

	if ((e = db_query(r->db, r->arena, &stmts[ST_ALL], p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	data = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		json_object_array_add(data, balance_json(res, i));
		scale = (int)util_long(db_val(res, i, 5), 2);
		if (db_val(res, i, 4) == NULL)
			continue;
		if (dec_parse(db_val(res, i, 4), strlen(db_val(res, i, 4)), scale,
		    &v) != DEC_OK || dec_add(sum, v, &sum) != DEC_OK) {
			json_object_put(data);
			return resp_error(w, ERR_INTERNAL, NULL);
		}
	}
	if (dec_format(sum, scale, buf, sizeof(buf)) == -1) {
		json_object_put(data);
		return resp_error(w, ERR_INTERNAL, NULL);
	}
	/* The envelope keeps totals beside the list in meta. */
	meta = json_object_new_object();
	json_object_object_add(meta, "totalValueInTRY",
	    json_object_new_string(buf));
	return resp_list(w, data, meta, NULL);
}

static int
balance_get(struct req *r, struct resp *w)
{
	const char *asset = req_param(r, "asset");
	const char *p[2] = { r->user->idtxt, asset };
	struct json_object *d;
	PGresult *res;
	enum err e;
	size_t i;

	for (i = 0; asset[i] != '\0'; i++)
		if (!((asset[i] >= 'A' && asset[i] <= 'Z') ||
		    (asset[i] >= '0' && asset[i] <= '9')))
			break;
	if (asset[i] != '\0' || i < 2 || i > 10) {
		d = json_object_new_object();
		json_object_object_add(d, "asset", json_object_new_string(
		    "an asset code such as BTC"));
		return resp_error_details(w, ERR_NOT_FOUND, "No such asset", d);
	}
	if ((e = db_query(r->db, r->arena, &stmts[ST_ONE], p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (PQntuples(res) != 1)
		return resp_error(w, ERR_NOT_FOUND, "No such asset");
	return resp_ok(w, 200, balance_json(res, 0));
}

static const struct route routes[] = {
	{ "GET", "/api/v1/wallets/balances",        balances_get, AUTH_USER, SCOPE_READ, RL_WALLET_GET },
	{ "GET", "/api/v1/wallets/{asset}/balance", balance_get,  AUTH_USER, SCOPE_READ, RL_WALLET_GET },
};

int
main(void)
{
	static const struct app app = {
		.name = "wallets",
		.routes = routes, .nroutes = nitems(routes),
		.auth = auth_request,
	};

	return app_run(&app);
}
