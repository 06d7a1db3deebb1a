/* domain/session_list.c — a user's active sessions (§1.4: device, client version, address, last seen), and ending one */
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/session_list.h"

enum { ST_LIST, ST_END, ST__COUNT };

#define ACTIVE(s) "EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family = " \
    s ".family AND t.revoked_at IS NULL AND t.used_at IS NULL" \
    " AND t.expires_at > now())"

static const struct stmt stmts[] = {
	[ST_LIST] = { "sessions_list",
	  "SELECT s.family, s.device_id, s.client_version, s.ip,"
	  " " DB_ISO("s.created_at") ", " DB_ISO("s.last_seen_at") ","
	  " s.family = $2::uuid, s.admin FROM sessions s"
	  " WHERE s.user_id = $1 AND " ACTIVE("s")
	  " ORDER BY s.last_seen_at DESC, s.created_at DESC LIMIT 200", 2 },
	[ST_END] = { "sessions_end",
	  "UPDATE refresh_tokens SET revoked_at = now() WHERE family = $2::uuid"
	  " AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM sessions s"
	  " WHERE s.family = $2::uuid AND s.user_id = $1 AND " ACTIVE("s") ")", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "session list statements");

enum err
session_list_json(struct ctx *c, struct json_object **out)
{
	const char *p[2] = { c->actor->idtxt,
	    c->actor->sid[0] != '\0' ? c->actor->sid : NULL };
	struct json_object *arr, *o;
	PGresult *res;
	enum err e;
	int i;

	if ((e = db_query(c->db, c->arena, &stmts[ST_LIST], p, &res)) != ERR_OK)
		return e;
	arr = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "sessionId", json_object_new_string(db_val(res, i, 0)));
		json_object_object_add(o, "deviceId", json_str_or_null(db_val(res, i, 1)));
		json_object_object_add(o, "clientVersion", json_str_or_null(db_val(res, i, 2)));
		json_object_object_add(o, "ipAddress", json_str_or_null(db_val(res, i, 3)));
		json_object_object_add(o, "createdAt", json_object_new_string(db_val(res, i, 4)));
		json_object_object_add(o, "lastSeenAt", json_object_new_string(db_val(res, i, 5)));
		json_object_object_add(o, "current", json_object_new_boolean(
		    db_val(res, i, 6) != NULL && strcmp(db_val(res, i, 6), "t") == 0));
		json_object_object_add(o, "adminSession", json_object_new_boolean(
		    strcmp(db_val(res, i, 7), "t") == 0));
		json_object_array_add(arr, o);
	}
	*out = arr;
	return ERR_OK;
}

enum err
session_end(struct ctx *c, const char *session_id)
{
	const char *p[2] = { c->actor->idtxt, session_id };
	PGresult *res;
	enum err e;

	if (!util_uuid_valid(session_id, strlen(session_id)))
		return ERR_NOT_FOUND;
	if ((e = db_query(c->db, c->arena, &stmts[ST_END], p, &res)) != ERR_OK)
		return e;
	return util_long(PQcmdTuples(res), 0) > 0 ? ERR_OK : ERR_NOT_FOUND;
}
