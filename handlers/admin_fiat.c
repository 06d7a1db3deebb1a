/* handlers/admin_fiat.c — /api/v1/admin/fiat: the reconciliation queue of bank transfers, and staff resolving them (credit a user, or send back) */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/valid.h"
#include "core/input.h"
#include "core/list.h"
#include "domain/auth.h"
#include "domain/fiat_mail.h"
#include "domain/fiat_review.h"

static int
no_such_transfer(struct resp *w)
{
	return resp_error(w, ERR_NOT_FOUND, "No such transfer");
}

enum { LF_STATUS, LF_REASON };
static const struct list_spec queue_spec = {
	(const struct list_filter[]){
		[LF_STATUS] = { "filter_status", fiat_transfer_statuses, NULL,
		    "QUEUED, RETURNING, RETURNED or CREDITED" },
		[LF_REASON] = { "filter_reason", fiat_queue_reasons, NULL,
		    "a queue reason such as NAME_MISMATCH" },
		{ NULL } },
	(const char *const[]){ "-createdAt", "+createdAt", NULL },
	"+createdAt (oldest first) or -createdAt",
};

static int
queue_list(struct req *r, struct resp *w)
{
	struct fiat_queue_query fq;
	struct ctx c = ctx_req(r);
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &queue_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	memset(&fq, 0, sizeof(fq));
	fq.status = lq.filter[LF_STATUS];
	fq.reason = lq.filter[LF_REASON];
	/* A queue is worked through from its oldest item. */
	fq.oldest_first = lq.sort == NULL || lq.sort[0] == '+';
	fq.limit = lq.pg.limit;
	fq.offset = lq.pg.offset;
	if ((e = fiat_queue_list(&c, &fq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &queue_spec, &lq, res, total, fiat_transfer_json);
}

static int
transfer_get(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "transferId");
	struct ctx c = ctx_req(r);
	PGresult *res;
	enum err e;

	if (!valid_public_id(id, "ftr_"))
		return no_such_transfer(w);
	if ((e = fiat_transfer_get(&c, id, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (PQntuples(res) != 1)
		return no_such_transfer(w);
	return resp_ok(w, 200, fiat_transfer_json(res, 0));
}

/* The transfer as it is after a decision (or as it was, on a conflict). */
static int
transfer_answer(struct req *r, struct resp *w, int status, enum err e,
    const char *id, const struct fiat_resolved *out)
{
	struct ctx c = ctx_req(r);
	struct json_object *d;
	PGresult *res;

	if (e == ERR_CONFLICT) {
		d = json_object_new_object();
		json_object_object_add(d, "status", json_object_new_string(out->status));
		return resp_error_details(w, e, "The transfer is not waiting for "
		    "review", d);
	}
	if (fiat_transfer_get(&c, id, &res) != ERR_OK || PQntuples(res) != 1)
		return resp_error(w, ERR_INTERNAL, NULL);
	return resp_ok(w, status, fiat_transfer_json(res, 0));
}

static void
credited_mail(struct req *r, void *arg)
{
	struct ctx c = ctx_req(r);

	fiat_notify(&c, arg);
}

/* Credit: to whom (a user id, judged by the review) and why; return: why. */
enum { C_USER, C_REASON };
static const struct in_field credit_fields[] = {
	[C_USER]	= { "userId", IN_STRING, IN_REQUIRED, 1, 32 },
	[C_REASON]	= { "reason", IN_TEXT, IN_REQUIRED, 3, FIAT_REVIEW_NOTE_MAX },
	{ NULL }
};
enum { R_REASON };
static const struct in_field return_fields[] = {
	[R_REASON]	= { "reason", IN_TEXT, IN_REQUIRED, 3, FIAT_REVIEW_NOTE_MAX },
	{ NULL }
};

static int
transfer_credit(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "transferId");
	struct ctx c = ctx_req(r);
	struct fiat_resolved out;
	struct fiat_notice *n;
	struct in_err ie;
	enum err e;

	if (!valid_public_id(id, "ftr_"))
		return no_such_transfer(w);
	e = fiat_review_credit(&c, id, r->in[C_USER].s, r->in[C_REASON].s, &out);
	if (e == ERR_NOT_FOUND && strcmp(out.field, "transferId") == 0)
		return no_such_transfer(w);
	if (e == ERR_NOT_FOUND || e == ERR_INVALID_REQUEST) {
		ie.field = out.field;
		ie.reason = out.reason;
		return resp_invalid_code(w, e, &ie);
	}
	if (e != ERR_OK && e != ERR_CONFLICT)
		return resp_error(w, e, NULL);
	if (e == ERR_OK && (n = arena_calloc(r->arena, 1, sizeof(*n))) != NULL) {
		n->kind = FIAT_NOTICE_CREDITED;
		n->email = arena_strdup(r->arena, out.email);
		n->id = arena_strdup(r->arena, out.deposit_id);
		n->amount = arena_strdup(r->arena, out.amount);
		app_after(r, credited_mail, n);
	}
	return transfer_answer(r, w, 200, e, id, &out);
}

static int
transfer_return(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "transferId");
	struct ctx c = ctx_req(r);
	struct fiat_resolved out;
	enum err e;

	if (!valid_public_id(id, "ftr_"))
		return no_such_transfer(w);
	e = fiat_review_return(&c, id, r->in[R_REASON].s, &out);
	if (e == ERR_NOT_FOUND)
		return no_such_transfer(w);
	if (e != ERR_OK && e != ERR_CONFLICT)
		return resp_error(w, e, NULL);
	return transfer_answer(r, w, 202, e, id, &out);
}

static const struct route routes[] = {
	{ "GET",  "/api/v1/admin/fiat/queue",                     queue_list,      AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "GET",  "/api/v1/admin/fiat/queue/{transferId}",        transfer_get,    AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/fiat/queue/{transferId}/credit", transfer_credit, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    credit_fields, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/fiat/queue/{transferId}/return", transfer_return, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    return_fields, .roles = ROLES_COMPLIANCE },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_fiat",
		.routes = routes, .nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
