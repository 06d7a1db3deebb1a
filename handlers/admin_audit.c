/* handlers/admin_audit.c — /api/v1/admin/audit: the audit log for ADMIN and COMPLIANCE, filtered and paged or exported as CSV, and its hash chain verified */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/input.h"
#include "core/list.h"
#include "core/valid.h"
#include "domain/audit_view.h"
#include "domain/auth.h"

#define EXPORT_CEILING	(64u << 20)	/* bytes of one CSV export */

static int
user_ok(const char *s)
{
	return valid_public_id(s, "usr_");
}

/* KYC_REVIEW, SYSTEM_CONFIG: capitals, digits and underscores. */
static int
event_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 40 || s[0] < 'A' || s[0] > 'Z')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static const char *const formats[] = { "json", "csv", NULL };
static const char *const time_sorts[] = { "-createdAt", "+createdAt", NULL };
#define TIME_WHY "an ISO 8601 UTC time (2025-11-19 or 2025-11-19T10:30:00Z)"

enum { F_ACTOR, F_TARGET, F_EVENT, F_FROM, F_TO, F_FORMAT };
static const struct list_spec audit_spec = {
	(const struct list_filter[]){
		[F_ACTOR] = { "filter_actorId", NULL, user_ok,
		    "the acting staff member's user id (usr_...)" },
		[F_TARGET] = { "filter_targetUserId", NULL, user_ok,
		    "the user concerned (usr_...)" },
		[F_EVENT] = { "filter_eventType", NULL, event_ok,
		    "an event type such as KYC_REVIEW" },
		[F_FROM] = { "filter_from", NULL, valid_iso_time, TIME_WHY },
		[F_TO] = { "filter_to", NULL, valid_iso_time, TIME_WHY },
		[F_FORMAT] = { "format", formats, NULL, "json or csv" },
		{ NULL } },
	time_sorts, "-createdAt (newest first, the default) or +createdAt",
};

static int
audit_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct buf b = BUF_INIT(EXPORT_CEILING);
	struct audit_query aq;
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;
	int csv, rc;

	if (list_read(r, &audit_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	csv = csv_wanted(r);
	memset(&aq, 0, sizeof(aq));
	aq.actor_id = lq.filter[F_ACTOR];
	aq.target_id = lq.filter[F_TARGET];
	aq.event_type = lq.filter[F_EVENT];
	aq.from = lq.filter[F_FROM];
	aq.to = lq.filter[F_TO];
	aq.ascending = lq.sort != NULL && strcmp(lq.sort, "+createdAt") == 0;
	/* An export is every matching row up to its ceiling, not a page. */
	aq.limit = csv ? AUDIT_EXPORT_MAX : lq.pg.limit;
	aq.offset = csv ? "0" : lq.pg.offset;
	if ((e = audit_search(&c, &aq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (csv) {
		audit_rows_csv(&b, res);
		return csv_answer(w, &b, "audit");
	}
	rc = list_answer_rows(r, w, &audit_spec, &lq, res, total,
	    audit_row_json);
	if (w->meta != NULL)
		json_object_object_add(w->meta, "totalCountCapped",
		    json_object_new_boolean(total >= AUDIT_COUNT_MAX));
	return rc;
}

static int
verify_get(struct req *r, struct resp *w)
{
	static const char *const known[] = { "from", "to", NULL };
	struct ctx c = ctx_req(r);
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	struct json_object *o, *b;
	struct audit_check ck;
	struct in_err ie;
	enum err e;

	if (list_query_check(r, known, &ie) == -1)
		return resp_invalid(w, &ie);
	if ((from != NULL && !valid_iso_time(from)) ||
	    (to != NULL && !valid_iso_time(to))) {
		ie.field = from != NULL && !valid_iso_time(from) ? "from" : "to";
		ie.reason = TIME_WHY;
		return resp_invalid(w, &ie);
	}
	if ((e = audit_chain_check(&c, from, to, &ck)) != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "intact",
	    json_object_new_boolean(ck.broken_id == NULL));
	json_object_object_add(o, "checked", json_object_new_int64(ck.checked));
	json_object_object_add(o, "from", json_str_or_null(from));
	json_object_object_add(o, "to", json_str_or_null(to));
	json_object_object_add(o, "firstAuditId", json_str_or_null(ck.first_id));
	json_object_object_add(o, "lastAuditId", json_str_or_null(ck.last_id));
	b = NULL;
	if (ck.broken_id != NULL) {
		b = json_object_new_object();
		json_object_object_add(b, "auditId",
		    json_object_new_string(ck.broken_id));
		json_object_object_add(b, "problem",
		    json_object_new_string(ck.problem));
		json_object_object_add(b, "timestamp",
		    json_str_or_null(ck.broken_at));
	}
	json_object_object_add(o, "firstBroken", b);
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "GET",  "/api/v1/admin/audit",	audit_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "GET",  "/api/v1/admin/audit/verify",	verify_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_REPORT, .roles = ROLES_COMPLIANCE },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_audit",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
