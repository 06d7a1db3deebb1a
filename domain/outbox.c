/* domain/outbox.c — writing events to the outbox, inside the transaction of their cause */
#include <stdio.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/outbox.h"

static const struct stmt outbox_stmts[] = {
	{ "outbox_put",
	  "INSERT INTO outbox (public_id, user_id, event_type, payload)"
	  " VALUES ($1, $2, $3, $4::jsonb)", 4 },
};

enum err
outbox_put(struct db *db, struct arena *a, const char *user_id,
    const char *type, struct json_object *payload, char id[OUTBOX_ID_LEN + 1])
{
	const char *p[4];
	PGresult *res;

	if (util_public_id("evt_", id, OUTBOX_ID_LEN + 1) == -1)
		return ERR_INTERNAL;
	p[0] = id;
	p[1] = user_id;
	p[2] = type;
	p[3] = json_object_to_json_string_ext(payload, JSON_C_TO_STRING_PLAIN);
	return db_query(db, a, &outbox_stmts[0], p, &res);
}
