/* handlers/wallets.c — /api/v1/wallets: the caller's balances (valued in TRY at the last trade prices), deposit addresses, deposits and withdrawals */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/valid.h"
#include "core/decimal.h"
#include "core/input.h"
#include "core/list.h"
#include "domain/auth.h"
#include "domain/compliance.h"
#include "domain/deposit.h"
#include "domain/withdrawal.h"
#include "domain/withdrawal_view.h"

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

enum { ST_ALL, ST_ONE, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_ALL] = { "wallets_all", BALANCE_SELECT " ORDER BY a.code", 1 },
	[ST_ONE] = { "wallets_one", BALANCE_SELECT " WHERE a.code = $2", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "wallets statements");

static int
no_such_asset(struct resp *w, int malformed)
{
	struct json_object *d = NULL;

	if (malformed) {
		d = json_object_new_object();
		json_object_object_add(d, "asset", json_object_new_string(
		    "an asset code such as BTC"));
	}
	return resp_error_details(w, ERR_NOT_FOUND, "No such asset", d);
}

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
	/*
	 * The total where §4.3's example has it, beside data, and in meta,
	 * where the envelope keeps a list's figures.
	 */
	meta = json_object_new_object();
	json_object_object_add(meta, "totalValueInTRY",
	    json_object_new_string(buf));
	resp_list(w, data, meta, NULL);
	return resp_beside(w, "totalValueInTRY", json_object_new_string(buf));
}

static int
balance_get(struct req *r, struct resp *w)
{
	const char *asset = req_param(r, "asset");
	const char *p[2] = { r->user->idtxt, asset };
	PGresult *res;
	enum err e;

	if (!valid_code(asset, 2, 10))
		return no_such_asset(w, 1);
	if ((e = db_query(r->db, r->arena, &stmts[ST_ONE], p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (PQntuples(res) != 1)
		return no_such_asset(w, 0);
	return resp_ok(w, 200, balance_json(res, 0));
}

/* The node failed: SYSTEM_003 (503), naming the network. */
static int
node_error(struct resp *w, const char *network, const struct chain_status *st)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "network", json_object_new_string(network));
	return resp_error_details(w, ERR_SYSTEM_003, st->fail == CHAIN_DOWN ||
	    st->fail == CHAIN_UNCONFIGURED ? "Blockchain node unavailable" : NULL,
	    d);
}

static int
deposit_address_get(struct req *r, struct resp *w)
{
	static const char *const known[] = { "network", NULL };
	const char *asset = req_param(r, "asset"), *network;
	struct deposit_addr out;
	struct ctx c = ctx_req(r);
	struct in_err ie;
	enum err e;

	if (!valid_code(asset, 2, 10))
		return no_such_asset(w, 1);
	if (list_query_check(r, known, &ie) == -1)
		return resp_invalid(w, &ie);
	if ((network = req_query(r, "network")) != NULL &&
	    !valid_code(network, 2, DEPOSIT_NET_MAX)) {
		ie.field = "network";
		ie.reason = "a network code such as BTC";
		return resp_invalid(w, &ie);
	}
	switch ((e = deposit_address(&c, asset, network, &out))) {
	case ERR_OK:
		return resp_ok(w, 200, deposit_address_json(&out));
	case ERR_NOT_FOUND:
		return no_such_asset(w, 0);
	case ERR_INVALID_REQUEST:
		ie.field = out.field;
		ie.reason = out.reason;
		return resp_invalid(w, &ie);
	case ERR_SYSTEM_003:
		return node_error(w, out.network, &out.node);
	default:
		return resp_error(w, e, NULL);
	}
}

static int
asset_code(const char *s)
{
	return valid_code(s, 2, 10);
}

/* Both money lists: by status and asset, newest first unless asked. */
enum { LF_STATUS, LF_ASSET };
static const char *const created_sorts[] = { "-createdAt", "+createdAt", NULL };
#define CREATED_SORT_WHY "-createdAt (newest first) or +createdAt"

static const struct list_spec deposits_spec = {
	(const struct list_filter[]){
		[LF_STATUS] = { "filter_status", deposit_statuses, NULL,
		    "PENDING, COMPLETED, REJECTED or FAILED" },
		[LF_ASSET] = { "filter_asset", NULL, asset_code,
		    "an asset code such as BTC" },
		{ NULL } },
	created_sorts, CREATED_SORT_WHY,
};

static int
deposits_list(struct req *r, struct resp *w)
{
	struct deposit_query dq;
	struct ctx c = ctx_req(r);
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &deposits_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	memset(&dq, 0, sizeof(dq));
	dq.status = lq.filter[LF_STATUS];
	dq.asset = lq.filter[LF_ASSET];
	dq.oldest_first = lq.sort != NULL && lq.sort[0] == '+';
	dq.limit = lq.pg.limit;
	dq.offset = lq.pg.offset;
	if ((e = deposit_list(&c, &dq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &deposits_spec, &lq, res, total, deposit_json);
}

static int
withdraw_post(struct req *r, struct resp *w)
{
	const char *asset = req_param(r, "asset");
	struct ctx c = ctx_req(r);
	struct wd_in in;
	struct wd_out out;
	struct in_err ie;
	enum err e;

	if (!valid_code(asset, 2, 10))
		return no_such_asset(w, 1);
	if (withdrawal_in_from(r->in, asset, &in, &ie) == -1)
		return resp_invalid(w, &ie);
	e = withdrawal_request(&c, &in, &out);
	if (out.alert_id[0] != '\0')
		app_after(r, compliance_alert_after,
		    arena_strdup(r->arena, out.alert_id));
	switch (e) {
	case ERR_OK:
		return resp_ok(w, 201, withdrawal_json(out.row, 0));
	case ERR_NOT_FOUND:
		return no_such_asset(w, 0);
	default:
		if (out.details != NULL)
			json_object_get(out.details);
		return resp_error_details(w, e, out.message, out.details);
	}
}

static const struct list_spec withdrawals_spec = {
	(const struct list_filter[]){
		[LF_STATUS] = { "filter_status", withdrawal_statuses, NULL,
		    "PENDING_APPROVAL, PENDING_SIGNATURE, PROCESSING, "
		    "COMPLETED, REJECTED or FAILED" },
		[LF_ASSET] = { "filter_asset", NULL, asset_code,
		    "an asset code such as BTC" },
		{ NULL } },
	created_sorts, CREATED_SORT_WHY,
};

static int
withdrawals_list(struct req *r, struct resp *w)
{
	struct wd_query wq;
	struct ctx c = ctx_req(r);
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &withdrawals_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	memset(&wq, 0, sizeof(wq));
	wq.status = lq.filter[LF_STATUS];
	wq.asset = lq.filter[LF_ASSET];
	wq.oldest_first = lq.sort != NULL && lq.sort[0] == '+';
	wq.limit = lq.pg.limit;
	wq.offset = lq.pg.offset;
	if ((e = withdrawal_list(&c, &wq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &withdrawals_spec, &lq, res, total, withdrawal_json);
}

static const struct route routes[] = {
	{ "GET", "/api/v1/wallets/balances",        balances_get, AUTH_USER, SCOPE_READ, RL_WALLET_GET },
	{ "GET", "/api/v1/wallets/{asset}/balance", balance_get,  AUTH_USER, SCOPE_READ, RL_WALLET_GET },
	{ "GET", "/api/v1/wallets/{asset}/deposit-address", deposit_address_get, AUTH_USER, SCOPE_READ, RL_WALLET_ADDRESS },
	{ "GET", "/api/v1/wallets/deposits",        deposits_list, AUTH_USER, SCOPE_READ, RL_WALLET_GET },
	{ "POST", "/api/v1/wallets/{asset}/withdraw", withdraw_post, AUTH_USER, SCOPE_WITHDRAW, RL_WALLET,
	    withdrawal_fields },
	{ "GET", "/api/v1/wallets/withdrawals",     withdrawals_list, AUTH_USER, SCOPE_READ, RL_WALLET_GET },
};

int
main(void)
{
	static const struct app app = {
		.name = "wallets",
		.routes = routes, .nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
