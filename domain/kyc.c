/* domain/kyc.c — KYC decisions: approving or rejecting an application, with its audit row and event */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/kyc.h"
#include "domain/outbox.h"
#include "domain/users.h"

enum {
	ST_LOCK, ST_DOCS, ST_APPROVE, ST_REJECT, ST_USER_LEVEL, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_LOCK] = { "kyc_lock",
	  "SELECT s.id, s.status, s.user_id, u.public_id, u.email, u.kyc_level,"
	  " (SELECT a.public_id FROM compliance_alerts a WHERE a.id ="
	  "  s.screening_alert_id AND a.resolution NOT IN ('RESOLVED',"
	  "  'FALSE_POSITIVE'))"
	  " FROM kyc_submissions s JOIN users u ON u.id = s.user_id"
	  " WHERE s.public_id = $1 FOR UPDATE OF s, u", 1 },
	[ST_DOCS] = { "kyc_docs",
	  "SELECT kind, encode(sha256, 'hex') FROM kyc_documents"
	  " WHERE kyc_id = $1 ORDER BY kind", 1 },
	[ST_APPROVE] = { "kyc_approve",
	  "UPDATE kyc_submissions SET status = 'APPROVED', level = $2,"
	  " reviewed_by = $3, reviewed_at = now(), review_note = $4"
	  " WHERE id = $1 RETURNING " DB_ISO("reviewed_at"), 4 },
	[ST_REJECT] = { "kyc_reject",
	  "UPDATE kyc_submissions SET status = 'REJECTED', rejected_reason = $2,"
	  " reviewed_by = $3, reviewed_at = now(), review_note = $4"
	  " WHERE id = $1 RETURNING " DB_ISO("reviewed_at"), 4 },
	/*
	 * An approval never lowers a level granted some other way; a level
	 * makes an account that verified its e-mail ACTIVE (sql/022).
	 */
	[ST_USER_LEVEL] = { "kyc_user_level",
	  "UPDATE users SET kyc_level = greatest(kyc_level, $2::smallint),"
	  " status = CASE WHEN status = 'EMAIL_VERIFIED' THEN"
	  "  user_verified_status(email_verified_at, phone_verified_at,"
	  "  greatest(kyc_level, $2::smallint)) ELSE status END,"
	  " updated_at = now() WHERE id = $1 RETURNING kyc_level", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "kyc statements");

const char *const kyc_reject_reasons[] = { "INVALID_DOCUMENT",
    "BLURRY_IMAGE", "EXPIRED_ID", "OTHER", NULL };

const char *
kyc_reject_text(const char *code)
{
	if (strcmp(code, "INVALID_DOCUMENT") == 0)
		return "a document could not be accepted (INVALID_DOCUMENT)";
	if (strcmp(code, "BLURRY_IMAGE") == 0)
		return "an image was not sharp enough to read (BLURRY_IMAGE)";
	if (strcmp(code, "EXPIRED_ID") == 0)
		return "the identity document has expired (EXPIRED_ID)";
	return "the application did not meet our requirements (OTHER)";
}

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* kyc.approved or kyc.rejected for the user, in the decision's transaction. */
static enum err
kyc_event(struct ctx *c, const char *user_id, const char *kyc_id,
    const struct kyc_decision *d)
{
	struct json_object *o = json_own(c->arena, json_object_new_object());
	char evt[OUTBOX_ID_LEN + 1];

	json_object_object_add(o, "kycId", json_object_new_string(kyc_id));
	json_object_object_add(o, d->approve ? "level" : "reason",
	    json_object_new_string(d->approve ? user_level_text(d->level) :
	    d->reason));
	return outbox_put(c->db, c->arena, user_id,
	    d->approve ? "kyc.approved" : "kyc.rejected", o, evt);
}

/* The audit record says what was decided on: each document by its hash. */
static enum err
kyc_audit(struct ctx *c, const char *user_id, const char *kyc_id,
    const struct kyc_decision *d, PGresult *docs, int prev)
{
	struct json_object *det = json_own(c->arena, json_object_new_object());
	struct json_object *arr = json_object_new_array(), *o;
	int i;

	for (i = 0; i < PQntuples(docs); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "kind", json_object_new_string(db_val(docs, i, 0)));
		json_object_object_add(o, "sha256", json_object_new_string(db_val(docs, i, 1)));
		json_object_array_add(arr, o);
	}
	json_object_object_add(det, "reviewedDocuments", arr);
	json_object_object_add(det, "previousLevel",
	    json_object_new_string(user_level_text(prev)));
	if (d->approve)
		json_object_object_add(det, "level",
		    json_object_new_string(user_level_text(d->level)));
	if (d->note != NULL)
		json_object_object_add(det, "note", json_object_new_string(d->note));
	return audit_write(c, "KYC_REVIEW", c->actor, user_id, kyc_id,
	    d->approve ? "APPROVED" : "REJECTED", d->approve ? NULL : d->reason,
	    det);
}

enum err
kyc_decide(struct ctx *c, const char *kyc_id, const struct kyc_decision *d,
    struct kyc_decided *out)
{
	const char *pid[1] = { kyc_id }, *p[4], *pl[2];
	char lvlnum[12], uid[24];
	PGresult *res, *res2, *docs, *lres = NULL;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_LOCK, pid, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	if (strcmp(db_val(res, 0, 1), "PENDING_REVIEW") != 0) {
		snprintf(out->status, sizeof(out->status), "%s", db_val(res, 0, 1));
		e = ERR_CONFLICT;
		goto fail;
	}
	/*
	 * A PEP or sanctions match (domain/screening.c) holds the approval
	 * until compliance has cleared its alert; a rejection may go ahead.
	 */
	if (d->approve && db_val(res, 0, 6) != NULL) {
		snprintf(out->status, sizeof(out->status), "PENDING_REVIEW");
		snprintf(out->screening_alert, sizeof(out->screening_alert), "%s",
		    db_val(res, 0, 6));
		e = ERR_CONFLICT;
		goto fail;
	}
	/* Separation of duties: nobody reviews their own identity. */
	snprintf(uid, sizeof(uid), "%s", db_val(res, 0, 2));
	if (strcmp(c->actor->idtxt, uid) == 0) {
		e = ERR_FORBIDDEN;
		goto fail;
	}
	snprintf(out->email, sizeof(out->email), "%s", db_val(res, 0, 4));
	snprintf(out->user_public_id, sizeof(out->user_public_id), "%s",
	    db_val(res, 0, 3));
	snprintf(lvlnum, sizeof(lvlnum), "%d", d->level);
	p[0] = db_val(res, 0, 0);
	p[1] = d->approve ? lvlnum : d->reason;
	p[2] = c->actor->idtxt;
	p[3] = d->note;
	pl[0] = uid;
	pl[1] = lvlnum;
	if ((e = q(c, ST_DOCS, p, &docs)) != ERR_OK ||
	    (e = q(c, d->approve ? ST_APPROVE : ST_REJECT, p, &res2)) != ERR_OK ||
	    (d->approve && (e = q(c, ST_USER_LEVEL, pl, &lres)) != ERR_OK) ||
	    (e = kyc_event(c, uid, kyc_id, d)) != ERR_OK ||
	    (e = kyc_audit(c, uid, kyc_id, d, docs,
	    (int)util_long(db_val(res, 0, 5), 0))) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	snprintf(out->reviewed_at, sizeof(out->reviewed_at), "%s",
	    db_val(res2, 0, 0));
	out->user_level = d->approve ? (int)util_long(db_val(lres, 0, 0), 0) :
	    (int)util_long(db_val(res, 0, 5), 0);
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}
