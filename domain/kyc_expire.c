/* domain/kyc_expire.c — approved applications whose identity document has expired: EXPIRED, the level dropped, the user told */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/kyc_expire.h"
#include "domain/notify.h"
#include "domain/outbox.h"
#include "domain/users.h"

enum { ST_DUE, ST_EXPIRE, ST_USER, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_DUE] = { "kyc_expire_due",
	  "SELECT s.id, s.public_id, s.user_id, s.id_expiry::text"
	  " FROM kyc_submissions s WHERE s.status = 'APPROVED'"
	  " AND s.id_expiry < (now() AT TIME ZONE 'UTC')::date"
	  " ORDER BY s.id LIMIT 1 FOR UPDATE SKIP LOCKED", 0 },
	[ST_EXPIRE] = { "kyc_expire",
	  "UPDATE kyc_submissions SET status = 'EXPIRED', expired_at = now()"
	  " WHERE id = $1", 1 },
	/* What still holds once this application no longer does. */
	[ST_USER] = { "kyc_expire_user",
	  "WITH l AS (SELECT greatest(CASE WHEN u.email_verified_at IS NOT NULL"
	  "  AND u.phone_verified_at IS NOT NULL THEN 1 ELSE 0 END,"
	  "  coalesce((SELECT max(s.level) FROM kyc_submissions s"
	  "  WHERE s.user_id = u.id AND s.status = 'APPROVED'), 0))::smallint AS lvl,"
	  "  u.kyc_level AS prev FROM users u WHERE u.id = $1 FOR UPDATE)"
	  " UPDATE users u SET kyc_level = least(l.lvl, l.prev),"
	  " status = CASE WHEN u.status = 'ACTIVE' THEN user_verified_status("
	  "  u.email_verified_at, u.phone_verified_at, least(l.lvl, l.prev))"
	  "  ELSE u.status END, updated_at = now()"
	  " FROM l WHERE u.id = $1 RETURNING u.kyc_level, l.prev, u.email", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "kyc expire statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* One due application, in its own transaction; *found 0 when none is left. */
static enum err
kyc_expire_one(struct ctx *c, int *found)
{
	const char *p[1], *pu[1];
	struct json_object *o, *det;
	char evt[OUTBOX_ID_LEN + 1], expiry[16], email[256], level[16];
	PGresult *due, *res, *u;
	enum err e;

	*found = 0;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_DUE, NULL, &due)) != ERR_OK || PQntuples(due) == 0)
		goto out;
	*found = 1;
	p[0] = db_val(due, 0, 0);
	pu[0] = db_val(due, 0, 2);
	if ((e = q(c, ST_EXPIRE, p, &res)) != ERR_OK ||
	    (e = q(c, ST_USER, pu, &u)) != ERR_OK)
		goto out;
	snprintf(level, sizeof(level), "%s",
	    user_level_text((int)util_long(db_val(u, 0, 0), 0)));
	o = json_own(c->arena, json_object_new_object());
	json_object_object_add(o, "kycId", json_object_new_string(db_val(due, 0, 1)));
	json_object_object_add(o, "level", json_object_new_string(level));
	det = json_own(c->arena, json_object_new_object());
	json_object_object_add(det, "idExpiryDate",
	    json_object_new_string(db_val(due, 0, 3)));
	json_object_object_add(det, "previousLevel", json_object_new_string(
	    user_level_text((int)util_long(db_val(u, 0, 1), 0))));
	json_object_object_add(det, "level", json_object_new_string(level));
	if ((e = outbox_put(c->db, c->arena, pu[0], "kyc.expired", o, evt)) != ERR_OK ||
	    (e = audit_write(c, "KYC_EXPIRED", NULL, pu[0], db_val(due, 0, 1),
	    "EXPIRED", "EXPIRED_ID", det)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto out;
	snprintf(expiry, sizeof(expiry), "%s", db_val(due, 0, 3));
	snprintf(email, sizeof(email), "%s", db_val(u, 0, 2));
	{
		struct kv vars[] = { { "email", email }, { "expiry", expiry },
		    { "level", level } };

		notify_mail(c, email, "kyc_expired", vars, nitems(vars));
	}
	return ERR_OK;
out:
	db_rollback(c->db);
	return e;
}

enum err
kyc_expire_due(struct ctx *c, int batch, int *done)
{
	enum err e = ERR_OK;
	int found = 1;

	*done = 0;
	while (*done < batch && found) {
		if ((e = kyc_expire_one(c, &found)) != ERR_OK) {
			log_error("kyc expiry: an application could not be expired");
			break;
		}
		*done += found;
	}
	return e;
}
