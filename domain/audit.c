/* domain/audit.c — writing the audit log: one INSERT, the hash chain is the database's */
#include <stddef.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/audit.h"

static const struct stmt audit_stmts[] = {
	{ "audit_insert",
	  "INSERT INTO audit_log (public_id, event_type, actor_user_id,"
	  " actor_email, target_user_id, target_ref, action, reason, details, ip)"
	  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)", 10 },
};

enum { ST_INSERT };

enum err
audit_write(struct ctx *r, const char *event_type, const struct user *actor,
    const char *target_user_id, const char *target_ref, const char *action,
    const char *reason, struct json_object *details)
{
	char pid[32];
	const char *p[10];
	struct json_object *d;
	PGresult *res;

	if (event_type == NULL || action == NULL ||
	    util_public_id("aud_", pid, sizeof(pid)) == -1)
		return ERR_INTERNAL;
	if ((d = json_own(r->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	if (details != NULL && json_object_is_type(details, json_type_object)) {
		json_object_object_foreach(details, k, v)
			json_object_object_add(d, k, json_object_get(v));
	}
	json_object_object_add(d, "requestId",
	    json_object_new_string(r->request_id));
	p[0] = pid;
	p[1] = event_type;
	p[2] = actor != NULL ? actor->idtxt : NULL;
	p[3] = actor != NULL ? actor->email : NULL;
	p[4] = target_user_id;
	p[5] = target_ref;
	p[6] = action;
	p[7] = reason;
	p[8] = json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN);
	p[9] = r->remote_addr;
	return db_query(r->db, r->arena, &audit_stmts[ST_INSERT], p, &res);
}
