/* handlers/admin_markets.c — /api/v1/admin/markets: a market's status (halt, cancel-only, reopen) and new markets (ADMIN, audited) */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/market_admin.h"

#define REASON_MAX	500

/* A precision: 0..18 digits after the point. */
static const char *
precision_rule(const char *s, time_t now, int64_t *num)
{
	(void)now;
	*num = util_long(s, -1);
	return *num < 0 || *num > 18 || strlen(s) > 2 ?
	    "an integer from 0 to 18, as a string" : NULL;
}

/* A positive amount, up to 18 decimals (NUMERIC(38, 18)). */
static const char *
amount_rule(const char *s, time_t now, int64_t *num)
{
	const char *dot = strchr(s, '.');

	(void)num;
	if (valid_decimal(s, now, NULL) != NULL || strspn(s, "0.") == strlen(s) ||
	    (dot != NULL && strlen(dot + 1) > 18) ||
	    (dot == NULL ? strlen(s) : (size_t)(dot - s)) > 20)
		return "a decimal string above 0, at most 18 decimals";
	return NULL;
}

/* A fee rate: a fraction under 0.1 with at most 6 decimals ("0.001" is 0.1%). */
static const char *
fee_rule(const char *s, time_t now, int64_t *num)
{
	const char *dot;

	(void)num;
	if (valid_decimal(s, now, NULL) != NULL ||
	    strncmp(s, "0", 1) != 0 || (s[1] != '\0' && s[1] != '.') ||
	    ((dot = strchr(s, '.')) != NULL && (strlen(dot + 1) > 6 ||
	    dot[1] != '0')))
		return "a fraction from 0 to 0.099999, at most 6 decimals "
		    "(\"0.001\" is 0.1%)";
	return NULL;
}

static const char *
band_rule(const char *s, time_t now, int64_t *num)
{
	const char *dot = strchr(s, '.');

	(void)num;
	if (valid_decimal(s, now, NULL) != NULL || strspn(s, "0.") == strlen(s) ||
	    (dot != NULL && strlen(dot + 1) > 4) || (dot == NULL ? strlen(s) :
	    (size_t)(dot - s)) > 4 || util_long(s, 0) > 1000)
		return "a percentage above 0 and at most 1000, 4 decimals";
	return NULL;
}

static const char *
symbol_rule(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	return valid_symbol(s) ? NULL : "4 to 20 of A-Z and 0-9";
}

static const char *
asset_rule(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	return valid_code(s, 2, 10) ? NULL : "an asset code such as BTC";
}

static int
market_answer(struct req *r, struct resp *w, const char *symbol, int status,
    const char *old)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	PGresult *res;
	enum err e;

	if ((e = market_admin_get(&c, symbol, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	o = market_admin_json(res, 0);
	if (old != NULL)
		json_object_object_add(o, "previousStatus", json_object_new_string(old));
	return resp_ok(w, status, o);
}

enum { S_STATUS, S_REASON };
static const struct in_field status_fields[] = {
	[S_STATUS]	= { "status", IN_STRING, IN_REQUIRED, 1, 16,
			    .oneof = market_statuses },
	[S_REASON]	= { "reason", IN_TEXT, IN_REQUIRED, 1, REASON_MAX },
	{ NULL }
};

static int
status_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *sym = req_param(r, "symbol");
	struct json_object *d;
	char old[16];
	enum err e;

	if (!valid_symbol(sym))
		return resp_error(w, ERR_TRADE_005, "No such market");
	e = market_status_set(&c, sym, r->in[S_STATUS].s, r->in[S_REASON].s, old);
	if (e == ERR_CONFLICT) {
		d = json_object_new_object();
		json_object_object_add(d, "status", json_object_new_string(old));
		return resp_error_details(w, e, "The market has that status already", d);
	}
	if (e != ERR_OK)
		return resp_error(w, e, e == ERR_TRADE_005 ? "No such market" : NULL);
	return market_answer(r, w, sym, 200, old);
}

static int
market_get_one(struct req *r, struct resp *w)
{
	const char *sym = req_param(r, "symbol");

	if (!valid_symbol(sym))
		return resp_error(w, ERR_TRADE_005, "No such market");
	return market_answer(r, w, sym, 200, NULL);
}

enum { M_SYMBOL, M_BASE, M_QUOTE, M_STATUS, M_PP, M_QP, M_MINQ, M_MINN,
    M_MAKER, M_TAKER, M_BAND };
static const struct in_field create_fields[] = {
	[M_SYMBOL]	= { "symbol", IN_STRING, IN_REQUIRED, 4, 20, .rule = symbol_rule },
	[M_BASE]	= { "baseAsset", IN_STRING, IN_REQUIRED, 2, 10, .rule = asset_rule },
	[M_QUOTE]	= { "quoteAsset", IN_STRING, IN_REQUIRED, 2, 10, .rule = asset_rule },
	[M_STATUS]	= { "status", IN_STRING, IN_OPTIONAL, 1, 16, .oneof = market_statuses },
	[M_PP]		= { "pricePrecision", IN_STRING, IN_REQUIRED, 1, 2, .rule = precision_rule },
	[M_QP]		= { "quantityPrecision", IN_STRING, IN_REQUIRED, 1, 2, .rule = precision_rule },
	[M_MINQ]	= { "minQuantity", IN_STRING, IN_REQUIRED, 1, 40, .rule = amount_rule },
	[M_MINN]	= { "minNotional", IN_STRING, IN_REQUIRED, 1, 40, .rule = amount_rule },
	[M_MAKER]	= { "makerFee", IN_STRING, IN_REQUIRED, 1, 8, .rule = fee_rule },
	[M_TAKER]	= { "takerFee", IN_STRING, IN_REQUIRED, 1, 8, .rule = fee_rule },
	[M_BAND]	= { "priceBandPct", IN_STRING, IN_OPTIONAL, 1, 9, .rule = band_rule },
	{ NULL }
};

static int
market_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct market_new m;
	struct in_err ie;
	const char *why;
	enum err e;

	m.symbol = r->in[M_SYMBOL].s;
	m.base = r->in[M_BASE].s;
	m.quote = r->in[M_QUOTE].s;
	/* A new market opens when the operator says so, not on creation. */
	m.status = r->in[M_STATUS].s != NULL ? r->in[M_STATUS].s : "HALTED";
	m.price_precision = r->in[M_PP].s;
	m.qty_precision = r->in[M_QP].s;
	m.min_qty = r->in[M_MINQ].s;
	m.min_notional = r->in[M_MINN].s;
	m.maker_fee = r->in[M_MAKER].s;
	m.taker_fee = r->in[M_TAKER].s;
	m.band_pct = r->in[M_BAND].s;
	switch ((e = market_create(&c, &m, &why))) {
	case ERR_OK:
		return market_answer(r, w, m.symbol, 201, NULL);
	case ERR_INVALID_REQUEST:
		ie.field = strstr(why, "quantityPrecision") != NULL ?
		    "quantityPrecision" : strstr(why, "asset") != NULL ?
		    "baseAsset" : "quoteAsset";
		ie.reason = why;
		return resp_invalid(w, &ie);
	default:
		return resp_error(w, e, why);
	}
}

static const struct route routes[] = {
	{ "POST", "/api/v1/admin/markets",			market_post,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    create_fields, .roles = ROLE_ADMIN },
	{ "GET",  "/api/v1/admin/markets/{symbol}",		market_get_one,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_SUPPORT },
	{ "POST", "/api/v1/admin/markets/{symbol}/status",	status_post,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    status_fields, .roles = ROLE_ADMIN },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_markets",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
