/* domain/outbox.h — writing events to the outbox, inside the transaction of their cause */
#ifndef HZM_OUTBOX_H
#define HZM_OUTBOX_H

#include "core/err.h"

struct arena;
struct db;
struct json_object;

#define OUTBOX_ID_LEN	24	/* "evt_" + 20 */

/*
 * Record event type ("deposit.confirmed", "bot.stopped_error" ...) for
 * the user with internal id user_id (NULL: no user), with payload (a JSON
 * object, not consumed). Call inside the transaction that makes the
 * change: the event is committed or rolled back with it. id receives the
 * event's public id ("evt_...").
 */
enum err	 outbox_put(struct db *, struct arena *, const char *user_id,
		    const char *type, struct json_object *payload,
		    char id[OUTBOX_ID_LEN + 1]);

#endif
