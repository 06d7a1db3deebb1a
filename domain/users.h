/* domain/users.h — rules about accounts: KYC level names, the password policy, a user's second factor */
#ifndef HZM_USERS_H
#define HZM_USERS_H

#include <stddef.h>

#include "core/err.h"

struct ctx;

/*
 * Whether an account in this status may sign in and be served: its
 * e-mail verified (EMAIL_VERIFIED, or ACTIVE: LEVEL_1 and above), not
 * SUSPENDED or BLOCKED, not PENDING_VERIFICATION.
 */
int		 user_status_usable(const char *status);
/* The same statuses as an SQL list, for statements that check many users. */
#define USER_USABLE_SQL	"('ACTIVE', 'EMAIL_VERIFIED')"
/* "LEVEL_2" for 2 (LEVEL_0 for anything out of range). */
const char	*user_level_text(int level);
/* The password policy: NULL when acceptable, else the reason. */
const char	*user_password_weak(const char *pw, const char *email);
/*
 * TOTP for a user row: check code against the sealed secret and record
 * the step so the same code is refused next time. ERR_AUTH_004 when
 * absent, wrong or replayed.
 */
enum err	 user_totp_check(struct ctx *, const char *user_id,
		    const char *public_id, const unsigned char *sealed,
		    size_t sealedlen, const char *code);

#endif
