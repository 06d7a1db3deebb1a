/* core/session.h — logging in (password, lock-out, TOTP), refresh-token rotation, logout, mailed codes */
#ifndef HZM_SESSION_H
#define HZM_SESSION_H

#include <stddef.h>

#include "core/db.h"
#include "core/err.h"

struct req;
struct resp;
struct user;
struct json_object;

/* Mailed one-time codes. */
enum code_purpose { CODE_VERIFY_EMAIL, CODE_PASSWORD_RESET };

#define CODE_TTL_MIN	15
#define CODE_ATTEMPTS	5

#define CODE_COOLDOWN_SEC	60
#define CODE_MAX_PER_HOUR	5

/*
 * A fresh code for the user (older ones of that purpose stop working), or
 * ERR_RATE_LIMIT_EXCEEDED while the address may not have another yet.
 */
enum err	session_code_issue(struct req *, const char *user_id,
		    enum code_purpose, char code[7]);
/*
 * Check a code inside the caller's transaction: ERR_OK consumes it; a
 * wrong code uses one of its CODE_ATTEMPTS; ERR_INVALID_REQUEST when
 * wrong, expired, used up or absent.
 */
enum err	session_code_check(struct req *, const char *user_id,
		    enum code_purpose, const char *code);

/*
 * POST body {email, password, twoFactorCode?, deviceId?}: the whole login,
 * answering on w. admin: the admin console's login (ADMIN or COMPLIANCE
 * role and 2FA required; tokens marked as admin sessions).
 */
int		session_login(struct req *, struct resp *, int admin);
/* POST {refreshToken}: rotate, detecting reuse. */
int		session_refresh(struct req *, struct resp *);
/* End the caller's session: its refresh family and this access token. */
int		session_logout(struct req *, struct resp *);
/* Revoke every refresh token of a user (password change, blocking). */
enum err	session_revoke_user(struct req *, const char *user_id);

/*
 * TOTP for a user row: check code against the sealed secret and record
 * the step so the same code is refused next time. ERR_AUTH_004 when wrong
 * or replayed.
 */
enum err	session_totp_check(struct req *, const char *user_id,
		    const char *public_id, const unsigned char *sealed,
		    size_t sealedlen, const char *code);

/* Password policy; NULL when acceptable, else the reason. */
const char	*session_password_weak(const char *pw, const char *email);

/* "LEVEL_2" for 2. */
const char	*session_level_text(int level);

/* PGresult bytea (hex escape) -> bytes in the arena. */
unsigned char	*session_bytea(struct req *, const char *hexesc, size_t *len);

extern const struct stmt	session_stmts[];
extern const size_t		session_nstmts;

#endif
