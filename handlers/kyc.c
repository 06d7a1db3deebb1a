/* handlers/kyc.c — /api/v1/kyc: a user submits identity documents and follows the review */
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
	/* Serialises one user's submissions; the unique index is the backstop. */
	{ "kyc_user_lock",
	  "SELECT kyc_level FROM users WHERE id = $1 FOR UPDATE", 1 },
	{ "kyc_pending_of",
	  "SELECT public_id FROM kyc_submissions WHERE user_id = $1"
	  " AND status = 'PENDING_REVIEW'", 1 },
	{ "kyc_insert",
	  "INSERT INTO kyc_submissions (public_id, user_id, first_name,"
	  " last_name, date_of_birth, nationality, id_number, address)"
	  " VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8)"
	  " RETURNING id, " DB_ISO("submitted_at"), 8 },
	{ "kyc_documents_insert",
	  "INSERT INTO kyc_documents (kyc_id, kind, content_type, size, sha256,"
	  " content) VALUES"
	  " ($1, 'ID_DOCUMENT', $2, $3, $4, $5),"
	  " ($1, 'ADDRESS_PROOF', $6, $7, $8, $9),"
	  " ($1, 'SELFIE', $10, $11, $12, $13)", 13 },
	{ "kyc_latest",
	  "SELECT public_id, status, " DB_ISO("submitted_at") ","
	  " " DB_ISO("reviewed_at") ", rejected_reason FROM kyc_submissions"
	  " WHERE user_id = $1 ORDER BY id DESC LIMIT 1", 1 },
	/* A user's own limits, else their level's defaults (TRY, 2 decimals). */
	{ "kyc_limits",
	  "SELECT" LIMIT_COLS " FROM users u" LIMIT_JOINS " WHERE u.id = $1", 1 },
};

enum {
	ST_USER_LOCK, ST_PENDING_OF, ST_INSERT, ST_DOCS_INSERT, ST_LATEST,
	ST_LIMITS
};

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

#define DOC_WHY	"must be an object {contentType, data}"
enum { DOC_ID, DOC_ADDRESS, DOC_SELFIE, DOC__COUNT };
static const struct in_field documents_fields[] = {
	[DOC_ID]	= { "idDocument", IN_OBJECT, IN_REQUIRED,
			    .fields = document_fields, .hint = DOC_WHY },
	[DOC_ADDRESS]	= { "addressProof", IN_OBJECT, IN_REQUIRED,
			    .fields = document_fields, .hint = DOC_WHY },
	[DOC_SELFIE]	= { "selfie", IN_OBJECT, IN_REQUIRED,
			    .fields = photo_fields, .hint = DOC_WHY },
	{ NULL }
};
/* kyc_documents.kind of each */
static const char *const doc_kinds[] = {
	[DOC_ID]	= "ID_DOCUMENT",
	[DOC_ADDRESS]	= "ADDRESS_PROOF",
	[DOC_SELFIE]	= "SELFIE",
};
_Static_assert(nitems(doc_kinds) == DOC__COUNT, "document kinds");

/* A problem with the documents is KYC_004. */
enum { F_FIRST, F_LAST, F_BIRTH, F_NATIONALITY, F_IDNUMBER, F_ADDRESS, F_DOCS };
static const struct in_field submit_fields[] = {
	[F_FIRST]	= { "firstName", IN_NAME, IN_REQUIRED, 1, NAME_MAX_CHARS },
	[F_LAST]	= { "lastName", IN_NAME, IN_REQUIRED, 1, NAME_MAX_CHARS },
	[F_BIRTH]	= { "dateOfBirth", IN_STRING, IN_REQUIRED, 10, 10,
			    .rule = valid_birth_date },
	[F_NATIONALITY]	= { "nationality", IN_STRING, IN_REQUIRED, 2, 2,
			    .rule = valid_country },
	[F_IDNUMBER]	= { "idNumber", IN_STRING, IN_REQUIRED, 5, 20 },
	[F_ADDRESS]	= { "address", IN_TEXT, IN_REQUIRED, 5, 500 },
	[F_DOCS]	= { "documents", IN_OBJECT, IN_REQUIRED,
			    .fields = documents_fields, .code = ERR_KYC_004 },
	{ NULL }
};

struct doc {
	const char	*ctype;
	unsigned char	*data;
	size_t		 len;
	unsigned char	 sha[SHA256_DIGEST_LENGTH];
};

/*
 * What the table cannot say: the identity number's form depends on the
 * nationality, and each document must be a whole file of its declared
 * type (core/image.c), not a header glued to something else.
 */
static int
submit_check(struct req *r, struct doc *docs, struct in_err *ie,
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
	for (i = 0; i < DOC__COUNT; i++) {
		docs[i].ctype = doc[i].sub[D_TYPE].s;
		docs[i].data = doc[i].sub[D_DATA].bytes;
		docs[i].len = doc[i].sub[D_DATA].len;
		if ((why = image_check(docs[i].ctype, docs[i].data,
		    docs[i].len)) != NULL) {
			ie->field = arena_printf(r->arena, "documents.%s.data",
			    documents_fields[i].name);
			ie->reason = why;
			return -1;
		}
		SHA256(docs[i].data, docs[i].len, docs[i].sha);
	}
	return 0;
}

static char *
bytea_param(struct req *r, const unsigned char *b, size_t len)
{
	char *s;

	if ((s = arena_alloc(r->arena, 2 * len + 3)) == NULL)
		return NULL;
	s[0] = '\\';
	s[1] = 'x';
	util_hex(b, len, s + 2);
	return s;
}

/* Seal under a context naming the application and the field. */
static char *
sealed_param(struct req *r, const char *kyc_id, const char *what,
    const void *pt, size_t len)
{
	unsigned char *buf;
	char ctx[80];
	size_t n;

	snprintf(ctx, sizeof(ctx), "kyc:%s:%s", kyc_id, what);
	if ((buf = arena_alloc(r->arena, len + SEAL_OVERHEAD)) == NULL ||
	    crypto_seal(ctx, pt, len, buf, len + SEAL_OVERHEAD, &n) == -1)
		return NULL;
	return bytea_param(r, buf, n);
}

/* ---- routes --------------------------------------------------------------- */

static int
submit_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *idnum = r->in[F_IDNUMBER].s;
	struct doc docs[DOC__COUNT];
	char kid[32], sizes[DOC__COUNT][16];
	const char *p[13];
	struct json_object *o, *det;
	struct in_err ie;
	PGresult *res, *res2;
	enum err e, code;
	size_t i;

	if (submit_check(r, docs, &ie, &code) == -1)
		return resp_invalid_code(w, code, &ie);
	if (r->user->kyc_level >= 2)
		return resp_error(w, ERR_CONFLICT,
		    "Identity already verified at LEVEL_2 or above");
	if (util_public_id("kyc_", kid, sizeof(kid)) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	p[0] = kid;
	p[1] = r->user->idtxt;
	p[2] = r->in[F_FIRST].s;
	p[3] = r->in[F_LAST].s;
	p[4] = r->in[F_BIRTH].s;
	p[5] = r->in[F_NATIONALITY].s;
	p[6] = sealed_param(r, kid, "ID_NUMBER", idnum, strlen(idnum));
	p[7] = r->in[F_ADDRESS].s;
	if (p[6] == NULL)
		return resp_error(w, ERR_INTERNAL, NULL);
	if ((e = db_begin(r->db)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = q(r, ST_USER_LOCK, &p[1], &res2)) != ERR_OK)
		goto fail;
	/* The level may have changed since the token's user was loaded. */
	if (PQntuples(res2) != 1 || util_long(db_val(res2, 0, 0), 0) >= 2) {
		db_rollback(r->db);
		return resp_error(w, ERR_CONFLICT,
		    "Identity already verified at LEVEL_2 or above");
	}
	if ((e = q(r, ST_PENDING_OF, &p[1], &res2)) != ERR_OK)
		goto fail;
	if (PQntuples(res2) > 0) {
		det = json_object_new_object();
		json_object_object_add(det, "kycId",
		    json_object_new_string(db_val(res2, 0, 0)));
		json_object_object_add(det, "status",
		    json_object_new_string("PENDING_REVIEW"));
		db_rollback(r->db);
		return resp_error_details(w, ERR_CONFLICT,
		    "A KYC application is already under review", det);
	}
	if ((e = q(r, ST_INSERT, p, &res)) != ERR_OK)
		goto fail;
	p[0] = db_val(res, 0, 0);
	for (i = 0; i < DOC__COUNT; i++) {
		struct doc *d = &docs[i];

		snprintf(sizes[i], sizeof(sizes[i]), "%zu", d->len);
		p[1 + 4 * i] = d->ctype;
		p[2 + 4 * i] = sizes[i];
		p[3 + 4 * i] = bytea_param(r, d->sha, sizeof(d->sha));
		p[4 + 4 * i] = sealed_param(r, kid, doc_kinds[i], d->data, d->len);
		if (p[3 + 4 * i] == NULL || p[4 + 4 * i] == NULL) {
			e = ERR_INTERNAL;
			goto fail;
		}
		OPENSSL_cleanse(d->data, d->len);
	}
	if ((e = q(r, ST_DOCS_INSERT, p, &res2)) != ERR_OK)
		goto fail;
	det = json_own(r->arena, json_object_new_object());
	json_object_object_add(det, "status", json_object_new_string("PENDING_REVIEW"));
	if ((e = audit_write(&c, "KYC_SUBMISSION", r->user, r->user->idtxt, kid,
	    "SUBMITTED", NULL, det)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		goto fail;
	o = json_object_new_object();
	json_object_object_add(o, "kycId", json_object_new_string(kid));
	json_object_object_add(o, "status", json_object_new_string("PENDING_REVIEW"));
	json_object_object_add(o, "submittedAt",
	    json_object_new_string(db_val(res, 0, 1)));
	return resp_ok(w, 201, o);
fail:
	db_rollback(r->db);
	/* Two submissions at once: the unique index stopped the second. */
	if (e == ERR_CONFLICT)
		return resp_error(w, ERR_CONFLICT,
		    "A KYC application is already under review");
	return resp_error(w, e, NULL);
}

/*
 * The latest application decides the status; a user verified without
 * one (by staff, or the sandbox seed) is APPROVED at their level.
 */
static int
status_get(struct req *r, struct resp *w)
{
	const char *p[] = { r->user->idtxt }, *st;
	struct json_object *o;
	PGresult *res, *lim;
	enum err e;
	int has;

	if ((e = q(r, ST_LATEST, p, &res)) != ERR_OK ||
	    (e = q(r, ST_LIMITS, p, &lim)) != ERR_OK)
		return resp_error(w, e, NULL);
	has = PQntuples(res) == 1;
	st = has ? db_val(res, 0, 1) :
	    r->user->kyc_level >= 2 ? "APPROVED" : "NOT_STARTED";
	o = json_object_new_object();
	json_object_object_add(o, "kycId", has ?
	    json_object_new_string(db_val(res, 0, 0)) : NULL);
	json_object_object_add(o, "status", json_object_new_string(st));
	json_object_object_add(o, "level",
	    json_object_new_string(user_level_text(r->user->kyc_level)));
	json_object_object_add(o, "submittedAt", has ?
	    json_str_or_null(db_val(res, 0, 2)) : NULL);
	json_object_object_add(o, "approvedAt", has &&
	    strcmp(st, "APPROVED") == 0 ? json_str_or_null(db_val(res, 0, 3)) : NULL);
	json_object_object_add(o, "rejectedReason", has &&
	    strcmp(st, "REJECTED") == 0 ? json_str_or_null(db_val(res, 0, 4)) : NULL);
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
	};

	return app_run(&app);
}
