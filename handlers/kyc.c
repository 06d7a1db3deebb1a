/* handlers/kyc.c — /api/v1/kyc: a user submits identity documents (at once or as a draft) and follows the review */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "core/app.h"
#include "domain/audit.h"
#include "core/crypto.h"
#include "core/image.h"
#include "core/input.h"
#include "core/valid.h"
#include "domain/compliance.h"
#include "domain/kyc_submit.h"
#include "domain/limits.h"
#include "domain/session.h"
#include "domain/users.h"
#include "domain/auth.h"

/*
 * Each document, decoded. Three of them in base64 stay under the 1 MiB
 * body limit with room for the rest of the form.
 */
#define DOC_MAX		(200 * 1024)
#define NAME_MAX_CHARS	100	/* firstName, lastName */


static const struct stmt stmts[] = {
	{ "kyc_latest",
	  "SELECT s.public_id, s.status, " DB_ISO("s.submitted_at") ","
	  " " DB_ISO("s.reviewed_at") ", s.rejected_reason,"
	  " " DB_ISO("s.expired_at") ", s.id_expiry::text,"
	  " (SELECT string_agg(kind, ',') FROM kyc_documents d"
	  "  WHERE d.kyc_id = s.id)"
	  " FROM kyc_submissions s WHERE s.user_id = $1 ORDER BY s.id DESC LIMIT 1", 1 },
	/* A user's own limits, else their level's defaults (TRY, 2 decimals). */
	{ "kyc_limits",
	  "SELECT" LIMIT_COLS " FROM users u" LIMIT_JOINS " WHERE u.id = $1", 1 },
};

enum { ST_LATEST, ST_LIMITS, ST__COUNT };
_Static_assert(nitems(stmts) == ST__COUNT, "kyc statements");

static enum err
q(struct req *r, int st, const char *const *p, PGresult **res)
{
	return db_query(r->db, r->arena, &stmts[st], p, res);
}

/* ---- the form ------------------------------------------------------------- */

/* Each document {contentType, data}; a selfie is a photograph. */
enum { D_TYPE, D_DATA };
static const struct in_field document_fields[] = {
	[D_TYPE]	= { "contentType", IN_STRING, IN_REQUIRED, 1, 64,
			    .rule = valid_document_type },
	[D_DATA]	= { "data", IN_BASE64, IN_REQUIRED, 0, DOC_MAX },
	{ NULL }
};
static const struct in_field photo_fields[] = {
	[D_TYPE]	= { "contentType", IN_STRING, IN_REQUIRED, 1, 64,
			    .rule = valid_image_type },
	[D_DATA]	= { "data", IN_BASE64, IN_REQUIRED, 0, DOC_MAX },
	{ NULL }
};

/*
 * Each document may come in a later request of a draft: which are still
 * missing is the application's to say (domain/kyc_submit.c), KYC_004.
 */
#define DOC_WHY	"must be an object {contentType, data}"
static const struct in_field documents_fields[] = {
	[KYC_DOC_ID]		= { "idDocument", IN_OBJECT, IN_OPTIONAL,
				    .fields = document_fields, .hint = DOC_WHY },
	[KYC_DOC_ADDRESS]	= { "addressProof", IN_OBJECT, IN_OPTIONAL,
				    .fields = document_fields, .hint = DOC_WHY },
	[KYC_DOC_SELFIE]	= { "selfie", IN_OBJECT, IN_OPTIONAL,
				    .fields = photo_fields, .hint = DOC_WHY },
	{ NULL }
};

/* A problem with the documents is KYC_004. */
enum { F_FIRST, F_LAST, F_BIRTH, F_NATIONALITY, F_IDNUMBER, F_ADDRESS, F_DOCS,
    F_EXPIRY, F_DRAFT };
static const struct in_field submit_fields[] = {
	[F_FIRST]	= { "firstName", IN_NAME, IN_REQUIRED, 1, NAME_MAX_CHARS },
	[F_LAST]	= { "lastName", IN_NAME, IN_REQUIRED, 1, NAME_MAX_CHARS },
	[F_BIRTH]	= { "dateOfBirth", IN_STRING, IN_REQUIRED, 10, 10,
			    .rule = valid_birth_date },
	[F_NATIONALITY]	= { "nationality", IN_STRING, IN_REQUIRED, 2, 2,
			    .rule = valid_country },
	[F_IDNUMBER]	= { "idNumber", IN_STRING, IN_REQUIRED, 5, 20 },
	[F_ADDRESS]	= { "address", IN_TEXT, IN_REQUIRED, 5, 500 },
	[F_DOCS]	= { "documents", IN_OBJECT, IN_OPTIONAL,
			    .fields = documents_fields, .code = ERR_KYC_004 },
	[F_EXPIRY]	= { "idExpiryDate", IN_STRING, IN_OPTIONAL, 10, 10,
			    .rule = valid_expiry_date },
	[F_DRAFT]	= { "draft", IN_BOOL, IN_OPTIONAL },
	{ NULL }
};

/*
 * What the table cannot say: the identity number's form depends on the
 * nationality, and each document must be a whole file of its declared
 * type (core/image.c), not a header glued to something else.
 */
static int
submit_check(struct req *r, struct kyc_form *f, struct in_err *ie,
    enum err *code)
{
	const struct in_val *doc = r->in[F_DOCS].sub;
	const char *why;
	size_t i;

	*code = ERR_INVALID_REQUEST;
	if ((why = valid_id_number(r->in[F_IDNUMBER].s,
	    r->in[F_NATIONALITY].s)) != NULL) {
		ie->field = "idNumber";
		ie->reason = why;
		return -1;
	}
	*code = ERR_KYC_004;
	for (i = 0; doc != NULL && i < KYC_DOC__COUNT; i++) {
		struct kyc_doc *d = &f->docs[i];

		if (doc[i].sub == NULL || doc[i].sub[D_TYPE].s == NULL)
			continue;
		d->ctype = doc[i].sub[D_TYPE].s;
		d->data = doc[i].sub[D_DATA].bytes;
		d->len = doc[i].sub[D_DATA].len;
		if ((why = image_check(d->ctype, d->data, d->len)) != NULL) {
			ie->field = arena_printf(r->arena, "documents.%s.data",
			    kyc_doc_fields[i]);
			ie->reason = why;
			return -1;
		}
		SHA256(d->data, d->len, d->sha);
	}
	return 0;
}

/* ---- routes --------------------------------------------------------------- */

/* Documents still missing from a completed application: KYC_004. */
static int
submit_missing(struct req *r, struct resp *w, const struct kyc_submitted *out)
{
	struct in_err ie = { "documents", "required" };
	struct json_object *det;
	struct json_object *arr;
	size_t i;

	if (r->in[F_DOCS].set || out->nmissing < KYC_DOC__COUNT)
		ie.field = arena_printf(r->arena, "documents.%s",
		    kyc_doc_fields[out->missing[0]]);
	det = json_object_new_object();
	json_object_object_add(det, "field", json_object_new_string(ie.field));
	json_object_object_add(det, "reason", json_object_new_string(ie.reason));
	arr = json_object_new_array();
	for (i = 0; i < out->nmissing; i++)
		json_object_array_add(arr, json_object_new_string(
		    kyc_doc_fields[out->missing[i]]));
	json_object_object_add(det, "missingDocuments", arr);
	return resp_error_details(w, ERR_KYC_004, "Documents missing", det);
}

static struct json_object *
missing_json(const struct kyc_submitted *out)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < out->nmissing; i++)
		json_object_array_add(arr, json_object_new_string(
		    kyc_doc_fields[out->missing[i]]));
	return arr;
}

/*
 * The form, with every document, goes to review (PENDING_REVIEW); with
 * "draft": true it is kept as PENDING_SUBMISSION and later requests
 * complete it. domain/kyc_submit.c stores, seals and screens it.
 */
static int
submit_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct kyc_submitted out;
	struct kyc_form f;
	struct json_object *o, *det;
	char *alert;
	struct in_err ie;
	enum err e, code;
	size_t i;

	memset(&f, 0, sizeof(f));
	if (submit_check(r, &f, &ie, &code) == -1)
		return resp_invalid_code(w, code, &ie);
	if (r->user->kyc_level >= 2)
		return resp_error(w, ERR_CONFLICT,
		    "Identity already verified at LEVEL_2 or above");
	f.first_name = r->in[F_FIRST].s;
	f.last_name = r->in[F_LAST].s;
	f.birth = r->in[F_BIRTH].s;
	f.nationality = r->in[F_NATIONALITY].s;
	f.id_number = r->in[F_IDNUMBER].s;
	f.id_expiry = r->in[F_EXPIRY].s;
	f.address = r->in[F_ADDRESS].s;
	f.draft = r->in[F_DRAFT].num == 1;
	e = kyc_submit(&c, &f, &out);
	for (i = 0; i < KYC_DOC__COUNT; i++)
		if (f.docs[i].data != NULL)
			OPENSSL_cleanse((void *)f.docs[i].data, f.docs[i].len);
	switch (e) {
	case ERR_OK:
		break;
	case ERR_KYC_004:
		return submit_missing(r, w, &out);
	case ERR_CONFLICT:
		if (out.kyc_id[0] == '\0')
			return resp_error(w, e, out.status[0] != '\0' ?
			    "A KYC application is already under review" :
			    "Identity already verified at LEVEL_2 or above");
		det = json_object_new_object();
		json_object_object_add(det, "kycId",
		    json_object_new_string(out.kyc_id));
		json_object_object_add(det, "status",
		    json_object_new_string("PENDING_REVIEW"));
		return resp_error_details(w, ERR_CONFLICT,
		    "A KYC application is already under review", det);
	default:
		return resp_error(w, e, NULL);
	}
	/*
	 * A screening match is for staff (their alert, mailed after the
	 * answer); the user is not told (AML tipping-off).
	 */
	if (out.alert_id[0] != '\0' &&
	    (alert = arena_strdup(r->arena, out.alert_id)) != NULL)
		app_after(r, compliance_alert_after, alert);
	o = json_object_new_object();
	json_object_object_add(o, "kycId", json_object_new_string(out.kyc_id));
	json_object_object_add(o, "status", json_object_new_string(out.status));
	json_object_object_add(o, "submittedAt", out.submitted_at[0] != '\0' ?
	    json_object_new_string(out.submitted_at) : NULL);
	if (strcmp(out.status, "PENDING_SUBMISSION") == 0)
		json_object_object_add(o, "missingDocuments", missing_json(&out));
	return resp_ok(w, 201, o);
}

/*
 * The latest application decides the status; a user verified without
 * one (by staff, or the sandbox seed) is APPROVED at their level.
 */
static struct json_object *
missing_of(const char *have)
{
	struct json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < KYC_DOC__COUNT; i++)
		if (have == NULL || strstr(have, kyc_doc_kinds[i]) == NULL)
			json_object_array_add(arr, json_object_new_string(
			    kyc_doc_fields[i]));
	return arr;
}

/*
 * The latest application decides the status (Appendix C): NOT_STARTED,
 * PENDING_SUBMISSION (a draft: missingDocuments), PENDING_REVIEW,
 * APPROVED, REJECTED (rejectedReason), EXPIRED (the ID's expiry date
 * passed: expiredAt). A user verified without one (by staff, or the
 * sandbox seed) is APPROVED at their level.
 */
static int
status_get(struct req *r, struct resp *w)
{
	const char *p[] = { r->user->idtxt }, *st;
	struct json_object *o;
	PGresult *res, *lim;
	enum err e;
	int has, draft;

	if ((e = q(r, ST_LATEST, p, &res)) != ERR_OK ||
	    (e = q(r, ST_LIMITS, p, &lim)) != ERR_OK)
		return resp_error(w, e, NULL);
	has = PQntuples(res) == 1;
	st = has ? db_val(res, 0, 1) :
	    r->user->kyc_level >= 2 ? "APPROVED" : "NOT_STARTED";
	draft = strcmp(st, "PENDING_SUBMISSION") == 0;
	o = json_object_new_object();
	json_object_object_add(o, "kycId", has ?
	    json_object_new_string(db_val(res, 0, 0)) : NULL);
	json_object_object_add(o, "status", json_object_new_string(st));
	json_object_object_add(o, "level",
	    json_object_new_string(user_level_text(r->user->kyc_level)));
	json_object_object_add(o, "submittedAt", has && !draft ?
	    json_str_or_null(db_val(res, 0, 2)) : NULL);
	json_object_object_add(o, "approvedAt", has &&
	    (strcmp(st, "APPROVED") == 0 || strcmp(st, "EXPIRED") == 0) ?
	    json_str_or_null(db_val(res, 0, 3)) : NULL);
	json_object_object_add(o, "rejectedReason", has &&
	    strcmp(st, "REJECTED") == 0 ? json_str_or_null(db_val(res, 0, 4)) : NULL);
	if (has && strcmp(st, "EXPIRED") == 0)
		json_object_object_add(o, "expiredAt", json_str_or_null(db_val(res, 0, 5)));
	if (has)
		json_object_object_add(o, "idExpiryDate", json_str_or_null(db_val(res, 0, 6)));
	if (draft)
		json_object_object_add(o, "missingDocuments",
		    missing_of(db_val(res, 0, 7)));
	if (PQntuples(lim) == 1)
		json_object_object_add(o, "limits", limits_json(lim, 0));
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "POST", "/api/v1/kyc/submit",	submit_post,	AUTH_USER, SCOPE_NONE, RL_KYC_SUBMIT,
	    submit_fields },
	{ "GET",  "/api/v1/kyc/status",	status_get,	AUTH_USER, SCOPE_READ, RL_KYC_STATUS },
};

int
main(void)
{
	static const struct app app = {
		.name = "kyc",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
