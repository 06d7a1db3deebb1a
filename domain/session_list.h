/* domain/session_list.h — a user's active sessions (§1.4: device, client version, address, last seen), and ending one */
#ifndef HZM_SESSION_LIST_H
#define HZM_SESSION_LIST_H

#include "core/err.h"

struct ctx;
struct json_object;

/*
 * The actor's active sessions, last seen first: each {sessionId,
 * deviceId, clientVersion, ipAddress, createdAt, lastSeenAt, current,
 * adminSession}. A session is active while its refresh family holds a
 * token that is neither used, revoked nor expired.
 */
enum err	session_list_json(struct ctx *, struct json_object **);
/*
 * End one of the actor's active sessions: its refresh tokens revoked, so
 * its access tokens stop at once (domain/auth.c checks the family).
 * ERR_NOT_FOUND when it is not the actor's or not active.
 */
enum err	session_end(struct ctx *, const char *session_id);

#endif
