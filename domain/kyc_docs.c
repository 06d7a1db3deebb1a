/* domain/kyc_docs.c — a reviewer reads a KYC document: opened from its seal, the read itself audited */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/sealed.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/kyc_docs.h"

enum { ST_DOC, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_DOC] = { "kyc_doc_read",
	  "SELECT s.public_id, u.id, d.content_type, d.content,"
	  " encode(d.sha256, 'hex') FROM users u"
	  " JOIN kyc_submissions s ON s.user_id = u.id"
	  " JOIN kyc_documents d ON d.kyc_id = s.id AND d.kind = $2"
	  " WHERE u.public_id = $1 ORDER BY s.id DESC LIMIT 1", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "kyc_docs statements");

/* The API's name of each document, and its kyc_documents.kind. */
static const char *const doc_names[][2] = {
	{ "idDocument", "ID_DOCUMENT" },
	{ "addressProof", "ADDRESS_PROOF" },
	{ "selfie", "SELFIE" },
};

static const char *
doc_kind(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(doc_names); i++)
		if (strcmp(doc_names[i][0], name) == 0)
			return doc_names[i][1];
	return NULL;
}

static enum err
doc_audit(struct ctx *c, const char *uid, const char *kid,
    const char *doc_type, PGresult *res)
{
	struct json_object *d;
	enum err e;

	if ((d = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(d, "document", json_object_new_string(doc_type));
	json_object_object_add(d, "contentType",
	    json_object_new_string(db_val(res, 0, 2)));
	json_object_object_add(d, "sha256",
	    json_object_new_string(db_val(res, 0, 4)));
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = audit_write(c, "KYC_DOCUMENT_VIEW", c->actor, uid, kid,
	    "VIEWED", NULL, d)) != ERR_OK || (e = db_commit(c->db)) != ERR_OK) {
		db_rollback(c->db);
		return e;
	}
	return ERR_OK;
}

enum err
kyc_doc_read(struct ctx *c, const char *user_id, const char *doc_type,
    struct kyc_doc *out)
{
	const char *p[2], *kind;
	char context[80];
	PGresult *res;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((kind = doc_kind(doc_type)) == NULL)
		return ERR_NOT_FOUND;
	p[0] = user_id;
	p[1] = kind;
	if ((e = db_query(c->db, c->arena, &stmts[ST_DOC], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	snprintf(out->kyc_id, sizeof(out->kyc_id), "%s", db_val(res, 0, 0));
	snprintf(out->content_type, sizeof(out->content_type), "%s",
	    db_val(res, 0, 2));
	snprintf(context, sizeof(context), "kyc:%s:%s", out->kyc_id, kind);
	if ((out->data = sealed_open(c->arena, context, db_val(res, 0, 3),
	    &out->len)) == NULL)
		return ERR_INTERNAL;
	if ((e = doc_audit(c, db_val(res, 0, 1), out->kyc_id, doc_type,
	    res)) != ERR_OK) {
		OPENSSL_cleanse(out->data, out->len);
		out->data = NULL;
		return e;
	}
	return ERR_OK;
}
