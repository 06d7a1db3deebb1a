/* handlers/admin_withdrawals.c — /api/v1/admin/withdrawals: the review queue with what a reviewer needs (spec §11.3), approvals and rejections */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/valid.h"
#include "core/input.h"
#include "core/list.h"
#include "domain/auth.h"
#include "domain/withdrawal_review.h"
#include "domain/withdrawal_view.h"

#define REASON_MAX	500
#define NOTE_MAX	2000

static int
asset_ok(const char *s)
{
	return valid_code(s, 2, 10);
}

static int
user_id_ok(const char *s)
{
	return valid_public_id(s, "usr_");
}

enum { LF_ASSET, LF_USER };
static const struct list_spec pending_spec = {
	(const struct list_filter[]){
		[LF_ASSET] = { "filter_asset", NULL, asset_ok,
		    "an asset code such as BTC" },
		[LF_USER] = { "filter_userId", NULL, user_id_ok,
		    "a user id (usr_...)" },
		{ NULL } },
	(const char *const[]){ "+createdAt", "-createdAt", "-riskScore",
	    "+riskScore", NULL },
	"+createdAt (oldest first, the default), -createdAt, -riskScore or "
	    "+riskScore",
};

static int
pending_list(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct wd_review_query wq;
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &pending_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	memset(&wq, 0, sizeof(wq));
	wq.asset = lq.filter[LF_ASSET];
	wq.user_id = lq.filter[LF_USER];
	wq.sort = lq.sort;
	wq.limit = lq.pg.limit;
	wq.offset = lq.pg.offset;
	if ((e = withdrawal_review_list(&c, &wq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &pending_spec, &lq, res, total, withdrawal_review_json);
}

static int
withdrawal_get(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "withdrawalId");
	struct ctx c = ctx_req(r);
	PGresult *res;
	enum err e;

	if (!valid_public_id(id, "wdr_"))
		return resp_error(w, ERR_NOT_FOUND, "No such withdrawal");
	if ((e = withdrawal_review_get(&c, id, &res)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ? "No such withdrawal" : NULL);
	return resp_ok(w, 200, withdrawal_review_json(res, 0));
}

/*
 * reviewedDocuments: up to REVIEW_DOCS_MAX names such as "kyc_doc", each
 * once; any other fault of it has the one reason.
 */
#define DOCS_WHY	"an array of names such as \"kyc_doc\", \"transaction_history\""
#define DOCS_FIELD	{ "reviewedDocuments", IN_ARRAY, IN_OPTIONAL | IN_DISTINCT, \
			    0, REVIEW_DOCS_MAX, .fields = document_name, \
			    .hint = DOCS_WHY, .repeat = "each document once" }
static const struct in_field document_name[] = {
	{ "reviewedDocuments", IN_STRING, 0, 1, 32, .rule = valid_slug,
	    .hint = DOCS_WHY },
};
enum { D_REASON, D_NOTE, D_DOCS, D_SUSPEND };
/* §11.3 shows the approval without a body: a reason is kept when given. */
static const struct in_field approve_fields[] = {
	[D_REASON]	= { "reason", IN_TEXT, IN_OPTIONAL, 1, REASON_MAX },
	[D_NOTE]	= { "note", IN_TEXT, IN_OPTIONAL, 1, NOTE_MAX },
	[D_DOCS]	= DOCS_FIELD,
	{ NULL }
};
static const struct in_field reject_fields[] = {
	[D_REASON]	= { "reason", IN_TEXT, IN_REQUIRED, 1, REASON_MAX },
	[D_NOTE]	= { "note", IN_TEXT, IN_OPTIONAL, 1, NOTE_MAX },
	[D_DOCS]	= DOCS_FIELD,
	[D_SUSPEND]	= { "suspendAccount", IN_BOOL, IN_OPTIONAL },
	{ NULL }
};

/* The user hears of a rejection once the answer is out. */
static void
reject_mail(struct req *r, void *arg)
{
	struct ctx c = ctx_req(r);

	withdrawal_notify(&c, arg);
}

static int
decision_post(struct req *r, struct resp *w, int approve)
{
	const char *id = req_param(r, "withdrawalId");
	struct ctx c = ctx_req(r);
	struct wd_decision d;
	struct wd_decided out;
	struct json_object *o;
	enum err e;

	memset(&d, 0, sizeof(d));
	d.approve = approve;
	d.reason = r->in[D_REASON].s;
	d.note = r->in[D_NOTE].s;
	d.documents = r->in[D_DOCS].o;
	d.suspend = !approve && (int)r->in[D_SUSPEND].num;
	if (!valid_public_id(id, "wdr_"))
		return resp_error(w, ERR_NOT_FOUND, "No such withdrawal");
	switch ((e = withdrawal_decide(&c, id, &d, &out))) {
	case ERR_OK:
		break;
	case ERR_NOT_FOUND:
		return resp_error(w, e, "No such withdrawal");
	case ERR_FORBIDDEN:
		return resp_error(w, e, "Staff cannot decide on their own withdrawal");
	case ERR_CONFLICT:
		o = json_object_new_object();
		json_object_object_add(o, "status", json_object_new_string(out.status));
		json_object_object_add(o, "approvalsGiven",
		    json_object_new_int(out.approvals));
		json_object_object_add(o, "approvalsRequired",
		    json_object_new_int(out.required));
		return resp_error_details(w, e, out.already ? "You approved this "
		    "withdrawal already; another reviewer must approve it" :
		    approve ? "The withdrawal is not waiting for approval" :
		    "The withdrawal is being sent or is decided already", o);
	default:
		return resp_error(w, e, NULL);
	}
	if (!approve)
		app_after(r, reject_mail, arena_strdup(r->arena, id));
	o = json_object_new_object();
	json_object_object_add(o, "withdrawalId", json_object_new_string(id));
	json_object_object_add(o, "userId", json_object_new_string(out.user_public_id));
	json_object_object_add(o, "status", json_object_new_string(out.status));
	json_object_object_add(o, "approvalsGiven", json_object_new_int(out.approvals));
	json_object_object_add(o, "approvalsRequired", json_object_new_int(out.required));
	if (!approve) {
		json_object_object_add(o, "rejectedReason",
		    json_object_new_string(d.reason));
		json_object_object_add(o, "accountSuspended",
		    json_object_new_boolean(out.suspended));
	}
	json_object_object_add(o, "decidedBy",
	    json_object_new_string(r->user->public_id));
	return resp_ok(w, 200, o);
}

static int
approve_post(struct req *r, struct resp *w)
{
	return decision_post(r, w, 1);
}

static int
reject_post(struct req *r, struct resp *w)
{
	return decision_post(r, w, 0);
}

static const struct route routes[] = {
	{ "GET",  "/api/v1/admin/withdrawals/pending",		pending_list,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "GET",  "/api/v1/admin/withdrawals/{withdrawalId}",	withdrawal_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/withdrawals/{withdrawalId}/approve", approve_post, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    approve_fields, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/withdrawals/{withdrawalId}/reject", reject_post, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    reject_fields, .roles = ROLES_COMPLIANCE },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_withdrawals",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
