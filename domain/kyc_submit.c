/* domain/kyc_submit.c — a user's KYC application: saved as a draft, completed, sealed and screened */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/sealed.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/kyc_submit.h"
#include "domain/screening.h"

const char *const kyc_doc_kinds[KYC_DOC__COUNT] = {
	[KYC_DOC_ID]		= "ID_DOCUMENT",
	[KYC_DOC_ADDRESS]	= "ADDRESS_PROOF",
	[KYC_DOC_SELFIE]	= "SELFIE",
};
const char *const kyc_doc_fields[KYC_DOC__COUNT] = {
	[KYC_DOC_ID]		= "idDocument",
	[KYC_DOC_ADDRESS]	= "addressProof",
	[KYC_DOC_SELFIE]	= "selfie",
};

enum {
	ST_USER_LOCK, ST_OPEN_OF, ST_INSERT, ST_UPDATE, ST_DOC_PUT, ST_DOCS_HAVE,
	ST_TO_REVIEW, ST__COUNT
};

static const struct stmt stmts[] = {
	/* Serialises one user's submissions; the unique index is the backstop. */
	[ST_USER_LOCK] = { "kyc_user_lock",
	  "SELECT kyc_level FROM users WHERE id = $1 FOR UPDATE", 1 },
	[ST_OPEN_OF] = { "kyc_open_of",
	  "SELECT id, public_id, status FROM kyc_submissions WHERE user_id = $1"
	  " AND status IN ('PENDING_SUBMISSION', 'PENDING_REVIEW') FOR UPDATE", 1 },
	[ST_INSERT] = { "kyc_insert",
	  "INSERT INTO kyc_submissions (public_id, user_id, status, first_name,"
	  " last_name, date_of_birth, nationality, id_number, address, id_expiry)"
	  " VALUES ($1, $2, 'PENDING_SUBMISSION', $3, $4, $5::date, $6, $7, $8,"
	  " $9::date) RETURNING id", 9 },
	/* A draft completed: this request's form replaces the last one's. */
	[ST_UPDATE] = { "kyc_draft_update",
	  "UPDATE kyc_submissions SET first_name = $2, last_name = $3,"
	  " date_of_birth = $4::date, nationality = $5, id_number = $6,"
	  " address = $7, id_expiry = $8::date WHERE id = $1", 8 },
	[ST_DOC_PUT] = { "kyc_document_put",
	  "INSERT INTO kyc_documents (kyc_id, kind, content_type, size, sha256,"
	  " content) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (kyc_id, kind)"
	  " DO UPDATE SET content_type = EXCLUDED.content_type,"
	  " size = EXCLUDED.size, sha256 = EXCLUDED.sha256,"
	  " content = EXCLUDED.content", 6 },
	[ST_DOCS_HAVE] = { "kyc_documents_have",
	  "SELECT kind FROM kyc_documents WHERE kyc_id = $1", 1 },
	[ST_TO_REVIEW] = { "kyc_to_review",
	  "UPDATE kyc_submissions SET status = 'PENDING_REVIEW',"
	  " submitted_at = now() WHERE id = $1"
	  " RETURNING " DB_ISO("submitted_at"), 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "kyc submit statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* Sealed under a context naming the application and the field. */
static const char *
sealed(struct ctx *c, const char *kyc_id, const char *what, const void *pt,
    size_t len)
{
	char ctxs[80];

	snprintf(ctxs, sizeof(ctxs), "kyc:%s:%s", kyc_id, what);
	return sealed_param(c->arena, ctxs, pt, len);
}

/* The form into the application: a new row, or the open draft updated. */
static enum err
kyc_store_form(struct ctx *c, const struct kyc_form *f, PGresult *open,
    char rowid[24], struct kyc_submitted *out)
{
	const char *p[9], *idn;
	PGresult *res;
	enum err e;

	if (PQntuples(open) == 1) {
		snprintf(rowid, 24, "%s", db_val(open, 0, 0));
		snprintf(out->kyc_id, sizeof(out->kyc_id), "%s", db_val(open, 0, 1));
	} else if (util_public_id("kyc_", out->kyc_id, sizeof(out->kyc_id)) == -1)
		return ERR_INTERNAL;
	if ((idn = sealed(c, out->kyc_id, "ID_NUMBER", f->id_number,
	    strlen(f->id_number))) == NULL)
		return ERR_INTERNAL;
	if (PQntuples(open) == 1) {
		const char *pu[8] = { rowid, f->first_name, f->last_name, f->birth,
		    f->nationality, idn, f->address, f->id_expiry };

		return q(c, ST_UPDATE, pu, &res);
	}
	p[0] = out->kyc_id;
	p[1] = c->actor->idtxt;
	p[2] = f->first_name;
	p[3] = f->last_name;
	p[4] = f->birth;
	p[5] = f->nationality;
	p[6] = idn;
	p[7] = f->address;
	p[8] = f->id_expiry;
	if ((e = q(c, ST_INSERT, p, &res)) != ERR_OK)
		return e;
	snprintf(rowid, 24, "%s", db_val(res, 0, 0));
	return ERR_OK;
}

/* This request's documents in, then which the application still lacks. */
static enum err
kyc_store_docs(struct ctx *c, const struct kyc_form *f, const char *rowid,
    const char *kyc_id, struct kyc_submitted *out)
{
	const char *p[6], *pk[1] = { rowid };
	char size[24];
	PGresult *res;
	enum err e;
	int i, j, have;

	for (i = 0; i < KYC_DOC__COUNT; i++) {
		const struct kyc_doc *d = &f->docs[i];

		if (d->ctype == NULL)
			continue;
		snprintf(size, sizeof(size), "%zu", d->len);
		p[0] = rowid;
		p[1] = kyc_doc_kinds[i];
		p[2] = d->ctype;
		p[3] = size;
		p[4] = db_bytea_param(c->arena, d->sha, sizeof(d->sha));
		p[5] = sealed(c, kyc_id, kyc_doc_kinds[i], d->data, d->len);
		if (p[4] == NULL || p[5] == NULL)
			return ERR_INTERNAL;
		if ((e = q(c, ST_DOC_PUT, p, &res)) != ERR_OK)
			return e;
	}
	if ((e = q(c, ST_DOCS_HAVE, pk, &res)) != ERR_OK)
		return e;
	out->nmissing = 0;
	for (i = 0; i < KYC_DOC__COUNT; i++) {
		for (have = 0, j = 0; j < PQntuples(res); j++)
			have |= strcmp(db_val(res, j, 0), kyc_doc_kinds[i]) == 0;
		if (!have)
			out->missing[out->nmissing++] = i;
	}
	return ERR_OK;
}

static enum err
kyc_submit_audit(struct ctx *c, const struct kyc_submitted *out)
{
	struct json_object *det = json_own(c->arena, json_object_new_object());

	json_object_object_add(det, "status", json_object_new_string(out->status));
	if (out->screening_hold)
		json_object_object_add(det, "screeningHold",
		    json_object_new_boolean(1));
	return audit_write(c, "KYC_SUBMISSION", c->actor, c->actor->idtxt,
	    out->kyc_id, strcmp(out->status, "PENDING_REVIEW") == 0 ?
	    "SUBMITTED" : "SAVED", NULL, det);
}

enum err
kyc_submit(struct ctx *c, const struct kyc_form *f, struct kyc_submitted *out)
{
	const char *pu[1] = { c->actor->idtxt }, *pk[1];
	char rowid[24];
	PGresult *res, *open;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_USER_LOCK, pu, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1 || util_long(db_val(res, 0, 0), 0) >= 2) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = q(c, ST_OPEN_OF, pu, &open)) != ERR_OK)
		goto fail;
	if (PQntuples(open) == 1 &&
	    strcmp(db_val(open, 0, 2), "PENDING_REVIEW") == 0) {
		snprintf(out->kyc_id, sizeof(out->kyc_id), "%s", db_val(open, 0, 1));
		snprintf(out->status, sizeof(out->status), "PENDING_REVIEW");
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = kyc_store_form(c, f, open, rowid, out)) != ERR_OK ||
	    (e = kyc_store_docs(c, f, rowid, out->kyc_id, out)) != ERR_OK)
		goto fail;
	snprintf(out->status, sizeof(out->status), "PENDING_SUBMISSION");
	if (!f->draft) {
		if (out->nmissing > 0) {
			e = ERR_KYC_004;
			goto fail;
		}
		pk[0] = rowid;
		if ((e = q(c, ST_TO_REVIEW, pk, &res)) != ERR_OK)
			goto fail;
		snprintf(out->status, sizeof(out->status), "PENDING_REVIEW");
		snprintf(out->submitted_at, sizeof(out->submitted_at), "%s",
		    db_val(res, 0, 0));
		if ((e = screening_kyc(c, rowid, out->kyc_id, f->first_name,
		    f->last_name, f->birth, f->nationality,
		    out->alert_id)) != ERR_OK)
			goto fail;
		out->screening_hold = out->alert_id[0] != '\0';
	}
	if ((e = kyc_submit_audit(c, out)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}
