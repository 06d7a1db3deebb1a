/* handlers/kyc.c — /api/v1/kyc: a user submits identity documents and follows the review */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
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
#define DOC_B64_MAX	(4 * ((DOC_MAX + 2) / 3))
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

/* ---- documents ------------------------------------------------------------ */

struct doc_kind {
	const char	*field;		/* in the request */
	const char	*kind;		/* kyc_documents.kind */
	int		 pdf_ok;	/* a selfie is a photograph */
};

static const struct doc_kind kinds[] = {
	{ "idDocument",		"ID_DOCUMENT",		1 },
	{ "addressProof",	"ADDRESS_PROOF",	1 },
	{ "selfie",		"SELFIE",		0 },
};

struct doc {
	const char	*ctype;
	unsigned char	*data;
	size_t		 len;
	unsigned char	 sha[SHA256_DIGEST_LENGTH];
};

/*
 * Standard base64 with padding, nothing else (valid_base64); the padding
 * is taken off the count EVP_DecodeBlock gives.
 */
static int
b64_decode(struct req *r, const char *s, size_t n, unsigned char **out,
    size_t *outlen)
{
	size_t pad;
	unsigned char *buf;
	int k;

	if (valid_base64(s, n) != NULL)
		return -1;
	pad = s[n - 1] != '=' ? 0 : s[n - 2] == '=' ? 2 : 1;
	if ((buf = arena_alloc(r->arena, n / 4 * 3 + 1)) == NULL)
		return -1;
	if ((k = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)n)) < 0 ||
	    (size_t)k != n / 4 * 3)
		return -1;
	*out = buf;
	*outlen = (size_t)k - pad;
	return 0;
}

static int
doc_fail(struct in_err *ie, struct req *r, const char *field, const char *sub,
    const char *reason)
{
	ie->field = sub != NULL ?
	    arena_printf(r->arena, "documents.%s.%s", field, sub) :
	    arena_printf(r->arena, "documents.%s", field);
	ie->reason = reason;
	return -1;
}

/* One document {contentType, data}: decoded, bounded, its structure proven. */
static int
doc_parse(struct req *r, struct json_object *docs, const struct doc_kind *k,
    struct doc *d, struct in_err *ie)
{
	static const char *const fields[] = { "contentType", "data", NULL };
	struct json_object *o, *v;
	const char *data, *why;
	size_t n;

	if (!json_object_object_get_ex(docs, k->field, &o) ||
	    json_object_is_type(o, json_type_null))
		return doc_fail(ie, r, k->field, NULL, "required");
	if (!json_object_is_type(o, json_type_object))
		return doc_fail(ie, r, k->field, NULL,
		    "must be an object {contentType, data}");
	if (in_only(o, fields, ie) == -1)
		return doc_fail(ie, r, k->field, ie->field, "unknown field");
	if (in_string(o, "contentType", IN_REQUIRED, 1, 64, &d->ctype, ie) == -1)
		return doc_fail(ie, r, k->field, "contentType", ie->reason);
	if ((why = (k->pdf_ok ? valid_document_type : valid_image_type)(d->ctype,
	    r->now.tv_sec, NULL)) != NULL)
		return doc_fail(ie, r, k->field, "contentType", why);
	if (!json_object_object_get_ex(o, "data", &v) ||
	    json_object_is_type(v, json_type_null))
		return doc_fail(ie, r, k->field, "data", "required");
	if (!json_object_is_type(v, json_type_string))
		return doc_fail(ie, r, k->field, "data", "must be a base64 string");
	data = json_object_get_string(v);
	n = (size_t)json_object_get_string_len(v);
	if (n == 0)
		return doc_fail(ie, r, k->field, "data", "must not be empty");
	if (n > DOC_B64_MAX)
		return doc_fail(ie, r, k->field, "data",
		    "larger than 200 KiB");
	if (b64_decode(r, data, n, &d->data, &d->len) == -1)
		return doc_fail(ie, r, k->field, "data",
		    "not valid base64 (RFC 4648, padded, no whitespace)");
	if (d->len == 0)
		return doc_fail(ie, r, k->field, "data", "must not be empty");
	if (d->len > DOC_MAX)
		return doc_fail(ie, r, k->field, "data", "larger than 200 KiB");
	/* The whole file, not its first bytes: see core/image.c. */
	if ((why = image_check(d->ctype, d->data, d->len)) != NULL)
		return doc_fail(ie, r, k->field, "data", why);
	SHA256(d->data, d->len, d->sha);
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

struct kyc_in {
	const char	*first, *last, *dob, *nat, *idnum, *addr;
	struct doc	 docs[nitems(kinds)];
};

static int
submit_parse(struct req *r, struct kyc_in *in, struct in_err *ie, enum err *code)
{
	static const char *const fields[] = { "firstName", "lastName",
	    "dateOfBirth", "nationality", "idNumber", "address", "documents",
	    NULL };
	static const char *const docfields[] = { "idDocument", "addressProof",
	    "selfie", NULL };
	struct json_object *docs;
	const char *why;
	size_t i;

	*code = ERR_INVALID_REQUEST;
	if (in_only(r->json, fields, ie) == -1 ||
	    in_name(r->json, "firstName", IN_REQUIRED, NAME_MAX_CHARS, &in->first, ie) == -1 ||
	    in_name(r->json, "lastName", IN_REQUIRED, NAME_MAX_CHARS, &in->last, ie) == -1 ||
	    in_string(r->json, "dateOfBirth", IN_REQUIRED, 10, 10, &in->dob, ie) == -1 ||
	    in_string(r->json, "nationality", IN_REQUIRED, 2, 2, &in->nat, ie) == -1 ||
	    in_string(r->json, "idNumber", IN_REQUIRED, 5, 20, &in->idnum, ie) == -1 ||
	    in_text(r->json, "address", IN_REQUIRED, 5, 500, &in->addr, ie) == -1)
		return -1;
	if ((why = valid_birth_date(in->dob, r->now.tv_sec, NULL)) != NULL) {
		ie->field = "dateOfBirth";
		ie->reason = why;
		return -1;
	}
	if ((why = valid_country(in->nat, r->now.tv_sec, NULL)) != NULL) {
		ie->field = "nationality";
		ie->reason = why;
		return -1;
	}
	if ((why = valid_id_number(in->idnum, in->nat)) != NULL) {
		ie->field = "idNumber";
		ie->reason = why;
		return -1;
	}
	/* From here on a problem is with the documents: KYC_004. */
	*code = ERR_KYC_004;
	if (in_object(r->json, "documents", IN_REQUIRED, &docs, ie) == -1)
		return -1;
	if (in_only(docs, docfields, ie) == -1) {
		ie->field = arena_printf(r->arena, "documents.%s", ie->field);
		return -1;
	}
	for (i = 0; i < nitems(kinds); i++)
		if (doc_parse(r, docs, &kinds[i], &in->docs[i], ie) == -1)
			return -1;
	return 0;
}

static int
submit_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct kyc_in in;
	char kid[32], sizes[nitems(kinds)][16];
	const char *p[13];
	struct json_object *o, *det;
	struct in_err ie;
	PGresult *res, *res2;
	enum err e, code;
	size_t i;

	memset(&in, 0, sizeof(in));
	if (submit_parse(r, &in, &ie, &code) == -1)
		return resp_invalid_code(w, code, &ie);
	if (r->user->kyc_level >= 2)
		return resp_error(w, ERR_CONFLICT,
		    "Identity already verified at LEVEL_2 or above");
	if (util_public_id("kyc_", kid, sizeof(kid)) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	p[0] = kid;
	p[1] = r->user->idtxt;
	p[2] = in.first;
	p[3] = in.last;
	p[4] = in.dob;
	p[5] = in.nat;
	p[6] = sealed_param(r, kid, "ID_NUMBER", in.idnum, strlen(in.idnum));
	p[7] = in.addr;
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
	for (i = 0; i < nitems(kinds); i++) {
		struct doc *d = &in.docs[i];

		snprintf(sizes[i], sizeof(sizes[i]), "%zu", d->len);
		p[1 + 4 * i] = d->ctype;
		p[2 + 4 * i] = sizes[i];
		p[3 + 4 * i] = bytea_param(r, d->sha, sizeof(d->sha));
		p[4 + 4 * i] = sealed_param(r, kid, kinds[i].kind, d->data, d->len);
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
	{ "POST", "/api/v1/kyc/submit",	submit_post,	AUTH_USER, SCOPE_NONE, RL_KYC_SUBMIT },
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
