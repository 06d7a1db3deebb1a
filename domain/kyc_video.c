/* domain/kyc_video.c — LEVEL_3 (enhanced): the video-call review staff record on an approved application */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/kyc_video.h"
#include "domain/outbox.h"

enum { ST_LOCK, ST_INSERT, ST_APP_LEVEL, ST_USER_LEVEL, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_LOCK] = { "kyc_video_lock",
	  "SELECT s.id, s.status, s.level, s.user_id, u.public_id, u.email,"
	  " u.kyc_level FROM kyc_submissions s JOIN users u ON u.id = s.user_id"
	  " WHERE s.public_id = $1 FOR UPDATE OF s, u", 1 },
	[ST_INSERT] = { "kyc_video_insert",
	  "INSERT INTO kyc_video_reviews (kyc_id, reviewer_id, outcome, note,"
	  " called_at) VALUES ($1, $2, $3, $4, now())"
	  " RETURNING " DB_ISO("created_at"), 4 },
	[ST_APP_LEVEL] = { "kyc_video_app_level",
	  "UPDATE kyc_submissions SET level = 3 WHERE id = $1", 1 },
	[ST_USER_LEVEL] = { "kyc_video_user_level",
	  "UPDATE users SET kyc_level = 3, status = CASE WHEN status ="
	  " 'EMAIL_VERIFIED' THEN 'ACTIVE' ELSE status END, updated_at = now()"
	  " WHERE id = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "kyc video statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

static enum err
kyc_video_record(struct ctx *c, PGresult *app, const char *kyc_id,
    int passed, const char *note, struct kyc_video_out *out)
{
	const char *p[4] = { db_val(app, 0, 0), c->actor->idtxt,
	    passed ? "PASSED" : "FAILED", note }, *pu[1] = { db_val(app, 0, 3) };
	struct json_object *det, *evt;
	char evid[OUTBOX_ID_LEN + 1];
	PGresult *res, *res2;
	enum err e;

	if ((e = q(c, ST_INSERT, p, &res)) != ERR_OK)
		return e;
	snprintf(out->reviewed_at, sizeof(out->reviewed_at), "%s", db_val(res, 0, 0));
	out->user_level = (int)util_long(db_val(app, 0, 6), 0);
	if (passed) {
		if ((e = q(c, ST_APP_LEVEL, p, &res2)) != ERR_OK ||
		    (e = q(c, ST_USER_LEVEL, pu, &res2)) != ERR_OK)
			return e;
		out->user_level = 3;
		evt = json_own(c->arena, json_object_new_object());
		json_object_object_add(evt, "kycId", json_object_new_string(kyc_id));
		json_object_object_add(evt, "level", json_object_new_string("LEVEL_3"));
		if ((e = outbox_put(c->db, c->arena, pu[0], "kyc.approved", evt,
		    evid)) != ERR_OK)
			return e;
	}
	det = json_own(c->arena, json_object_new_object());
	json_object_object_add(det, "outcome", json_object_new_string(p[2]));
	json_object_object_add(det, "previousLevel", json_object_new_int(
	    (int)util_long(db_val(app, 0, 6), 0)));
	json_object_object_add(det, "level", json_object_new_int(out->user_level));
	if (note != NULL)
		json_object_object_add(det, "note", json_object_new_string(note));
	return audit_write(c, "KYC_VIDEO_REVIEW", c->actor, pu[0], kyc_id, p[2],
	    NULL, det);
}

enum err
kyc_video_review(struct ctx *c, const char *kyc_id, int passed,
    const char *note, struct kyc_video_out *out)
{
	const char *p[1] = { kyc_id };
	PGresult *app;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_LOCK, p, &app)) != ERR_OK)
		goto fail;
	if (PQntuples(app) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	snprintf(out->status, sizeof(out->status), "%s", db_val(app, 0, 1));
	out->app_level = (int)util_long(db_val(app, 0, 2), 0);
	/* Enhanced verification builds on a full one that still holds. */
	if (strcmp(out->status, "APPROVED") != 0 || out->app_level < 2) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if (strcmp(db_val(app, 0, 3), c->actor->idtxt) == 0) {
		e = ERR_FORBIDDEN;
		goto fail;
	}
	snprintf(out->user_public_id, sizeof(out->user_public_id), "%s",
	    db_val(app, 0, 4));
	snprintf(out->email, sizeof(out->email), "%s", db_val(app, 0, 5));
	if ((e = kyc_video_record(c, app, kyc_id, passed, note, out)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}
