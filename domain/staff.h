/* domain/staff.h — staff accounts: a user with 2FA given one staff role, re-roled or disabled by an admin, each change audited */
#ifndef HZM_DOMAIN_STAFF_H
#define HZM_DOMAIN_STAFF_H

#include <libpq-fe.h>

#include "core/err.h"

struct ctx;

/* The staff roles, as stored and as the API spells them. */
extern const char *const staff_roles[];	/* ADMIN, COMPLIANCE, SUPPORT */

/*
 * Staff members, oldest first: public id, e-mail, role, status, 2FA,
 * created (ISO), in rows; the count in *total.
 */
enum err	staff_list(struct ctx *, const char *limit, const char *offset,
		    PGresult **rows, long long *total);
/* One member as staff_list() renders it; ERR_NOT_FOUND when not staff. */
enum err	staff_get(struct ctx *, const char *user_id, PGresult **row);

/*
 * Give user_id (usr_...) the staff role. The account must be ACTIVE with
 * 2FA on (ERR_FORBIDDEN with *why), not staff yet (ERR_CONFLICT), and not
 * the caller's. Audited as STAFF / GRANTED.
 */
enum err	staff_grant(struct ctx *, const char *user_id, const char *role,
		    const char **why);
/* Replace a member's role (ERR_NOT_FOUND: not staff). STAFF / ROLE_CHANGED. */
enum err	staff_role_set(struct ctx *, const char *user_id, const char *role,
		    const char **why);
/*
 * Take the staff role away and end the member's console sessions; the
 * user account stays. STAFF / DISABLED with the reason.
 */
enum err	staff_disable(struct ctx *, const char *user_id, const char *reason,
		    const char **why);

#endif
