/* handlers/admin_reports.c — /api/v1/admin/reports: the trading report and MASAK's (suspicious-transaction cases, travel-rule transfers), as JSON or CSV */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/input.h"
#include "core/list.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/masak.h"
#include "domain/reports.h"

#define EXPORT_CEILING	(64u << 20)
#define TIME_WHY "an ISO 8601 UTC time (2025-11-19 or 2025-11-19T10:30:00Z)"

static const char *const formats[] = { "json", "csv", NULL };
static const char *const periods[] = { "day", "month", NULL };
static const char *const groupings[] = { "market", "user", NULL };
static const char *const case_statuses[] = { "DRAFT", "FILED", "DISMISSED", NULL };
static const char *const sections[] = { "cases", "travelRule", NULL };

/* Query parameters: each known, once, and each value allowed. */
struct qp {
	const char		*name;
	const char *const	*oneof;
	int			(*valid)(const char *);
	const char		*why;
};

static int
params_read(struct req *r, const struct qp *qp, size_t n, const char **out,
    struct in_err *ie)
{
	const char *known[12];
	size_t i;

	for (i = 0; i < n && i < nitems(known) - 1; i++)
		known[i] = qp[i].name;
	known[i] = NULL;
	if (list_query_check(r, known, ie) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		out[i] = req_query(r, qp[i].name);
		if (out[i] == NULL)
			continue;
		if ((qp[i].oneof != NULL && !list_oneof(out[i], qp[i].oneof)) ||
		    (qp[i].valid != NULL && !qp[i].valid(out[i]))) {
			ie->field = qp[i].name;
			ie->reason = qp[i].why;
			return -1;
		}
	}
	return 0;
}

enum { T_FROM, T_TO, T_PERIOD, T_GROUP, T_SYMBOL, T_FORMAT, T__COUNT };
static const struct qp trading_qp[] = {
	[T_FROM] = { "from", NULL, valid_iso_time, TIME_WHY },
	[T_TO] = { "to", NULL, valid_iso_time, TIME_WHY },
	[T_PERIOD] = { "period", periods, NULL, "day (the default) or month" },
	[T_GROUP] = { "groupBy", groupings, NULL, "market (the default) or user" },
	[T_SYMBOL] = { "symbol", NULL, valid_symbol, "a market symbol" },
	[T_FORMAT] = { "format", formats, NULL, "json or csv" },
};
_Static_assert(nitems(trading_qp) == T__COUNT, "trading parameters");

static int
trading_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct buf b = BUF_INIT(EXPORT_CEILING);
	const char *v[T__COUNT];
	struct report_query rq;
	struct json_object *o;
	struct in_err ie;
	PGresult *res;
	enum err e;

	if (params_read(r, trading_qp, T__COUNT, v, &ie) == -1)
		return resp_invalid(w, &ie);
	memset(&rq, 0, sizeof(rq));
	rq.from = v[T_FROM];
	rq.to = v[T_TO];
	rq.period = v[T_PERIOD] != NULL ? v[T_PERIOD] : "day";
	rq.by_user = v[T_GROUP] != NULL && strcmp(v[T_GROUP], "user") == 0;
	rq.symbol = v[T_SYMBOL];
	if ((e = report_trading(&c, &rq, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (csv_wanted(r)) {
		report_trading_csv(&b, res, rq.by_user);
		return csv_answer(w, &b, rq.by_user ? "trading-users" :
		    "trading-markets");
	}
	o = json_object_new_object();
	json_object_object_add(o, "from", json_str_or_null(rq.from));
	json_object_object_add(o, "to", json_str_or_null(rq.to));
	json_object_object_add(o, "period", json_object_new_string(rq.period));
	json_object_object_add(o, "groupBy",
	    json_object_new_string(rq.by_user ? "user" : "market"));
	json_object_object_add(o, "rows", report_trading_json(res, rq.by_user));
	return resp_ok(w, 200, o);
}

enum { M_STATUS, M_FROM, M_TO, M_SECTION, M_FORMAT, M__COUNT };
static const struct qp masak_qp[] = {
	[M_STATUS] = { "filter_status", case_statuses, NULL,
	    "DRAFT, FILED or DISMISSED" },
	[M_FROM] = { "from", NULL, valid_iso_time, TIME_WHY },
	[M_TO] = { "to", NULL, valid_iso_time, TIME_WHY },
	[M_SECTION] = { "section", sections, NULL,
	    "cases (the default for CSV) or travelRule" },
	[M_FORMAT] = { "format", formats, NULL, "json or csv" },
};
_Static_assert(nitems(masak_qp) == M__COUNT, "masak parameters");

static struct json_object *
rows_json(PGresult *res, struct json_object *(*row)(PGresult *, int))
{
	struct json_object *a = json_object_new_array();
	int i, n = PQntuples(res);

	for (i = 0; i < n; i++)
		json_object_array_add(a, row(res, i));
	return a;
}

static struct json_object *
cases_json(const struct masak_cases *mc)
{
	struct json_object *a = json_object_new_array();
	int i, n = PQntuples(mc->rows);

	for (i = 0; i < n; i++)
		json_object_array_add(a, masak_case_json(mc, i));
	return a;
}

static int
masak_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct buf b = BUF_INIT(EXPORT_CEILING);
	const char *v[M__COUNT];
	struct json_object *o;
	struct masak_cases cases;
	PGresult *tr;
	struct in_err ie;
	enum err e;
	int travel;

	if (params_read(r, masak_qp, M__COUNT, v, &ie) == -1)
		return resp_invalid(w, &ie);
	travel = v[M_SECTION] != NULL && strcmp(v[M_SECTION], "travelRule") == 0;
	if ((e = masak_cases_read(&c, v[M_STATUS], v[M_FROM], v[M_TO],
	    &cases)) != ERR_OK ||
	    (e = masak_travel_rule(&c, v[M_FROM], v[M_TO], &tr)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (csv_wanted(r)) {
		if (travel)
			masak_transfers_csv(&b, tr);
		else
			masak_cases_csv(&b, &cases);
		return csv_answer(w, &b, travel ? "masak-travel-rule" :
		    "masak-cases");
	}
	o = json_object_new_object();
	json_object_object_add(o, "deadlineBusinessDays",
	    json_object_new_int(MASAK_DEADLINE_DAYS));
	json_object_object_add(o, "travelRuleThresholdTry",
	    json_object_new_string(TRAVEL_RULE_TRY ".00"));
	json_object_object_add(o, "cases", cases_json(&cases));
	json_object_object_add(o, "travelRule",
	    rows_json(tr, masak_transfer_json));
	return resp_ok(w, 200, o);
}

static int
reference_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr("._/-", s[i]) != NULL))
			return 0;
	return 1;
}

enum { D_STATUS, D_REF, D_REASON };
static const struct in_field decide_fields[] = {
	[D_STATUS]	= { "status", IN_STRING, IN_REQUIRED, 5, 9 },
	[D_REF]		= { "filingReference", IN_STRING, 0, 1, 64 },
	[D_REASON]	= { "reason", IN_TEXT, 0, 1, 1000 },
	{ NULL }
};

static int
masak_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *st = r->in[D_STATUS].s, *ref = r->in[D_REF].s,
	    *why = r->in[D_REASON].s, *id = req_param(r, "caseId");
	struct json_object *o;
	struct in_err ie = { 0 };
	enum err e;

	if (strcmp(st, "FILED") != 0 && strcmp(st, "DISMISSED") != 0) {
		ie.field = "status";
		ie.reason = "FILED or DISMISSED";
	} else if (strcmp(st, "FILED") == 0 &&
	    (ref == NULL || !reference_ok(ref))) {
		ie.field = "filingReference";
		ie.reason = "MASAK's reference of the filing ([A-Za-z0-9._/-], 1-64)";
	} else if (strcmp(st, "DISMISSED") == 0 && (why == NULL || ref != NULL)) {
		ie.field = why == NULL ? "reason" : "filingReference";
		ie.reason = "a dismissal takes a reason and no reference";
	}
	if (ie.field != NULL)
		return resp_invalid(w, &ie);
	if (!valid_public_id(id, "alt_"))
		return resp_error(w, ERR_NOT_FOUND, "No such case");
	e = masak_decide(&c, id, st, ref, why);
	if (e == ERR_NOT_FOUND)
		return resp_error(w, e, "No such case");
	if (e == ERR_CONFLICT)
		return resp_error(w, e, "The case is filed or dismissed already");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "caseId", json_object_new_string(id));
	json_object_object_add(o, "status", json_object_new_string(st));
	json_object_object_add(o, "filingReference", json_str_or_null(ref));
	json_object_object_add(o, "reason", json_str_or_null(why));
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "GET",  "/api/v1/admin/reports/trading",	trading_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_REPORT, .roles = ROLES_COMPLIANCE },
	{ "GET",  "/api/v1/admin/reports/masak",	masak_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_REPORT, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/reports/masak/{caseId}", masak_post,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_REPORT,
	    decide_fields, .roles = ROLES_COMPLIANCE },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_reports",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
