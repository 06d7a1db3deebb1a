/* domain/audit.h — the append-only, hash-chained audit log of staff actions and compliance events */
#ifndef HZM_AUDIT_H
#define HZM_AUDIT_H

#include "core/db.h"
#include "core/err.h"

struct ctx;
struct user;
struct json_object;

/*
 * Append one row to audit_log inside the caller's transaction, so the
 * record and the change it describes commit (or vanish) together.
 * event_type names the kind of event ("KYC_REVIEW"), action what was
 * decided ("APPROVED"); actor is the caller (NULL for the system), its id
 * and e-mail are recorded as they are now. target_user_id is an internal
 * users.id as text, target_ref the public id of the object acted on;
 * both, reason and details may be NULL. details is copied, never kept or
 * freed, and the copy gains the requestId that links the row to the
 * request log. The database chains each row to the one before it
 * (sql/002_identity.sql); audit_verify() checks the chain.
 */
enum err	audit_write(struct ctx *, const char *event_type,
		    const struct user *actor, const char *target_user_id,
		    const char *target_ref, const char *action,
		    const char *reason, struct json_object *details);


#endif
