/* domain/session.h — sessions: logging in (password, lock-out, TOTP), refresh-token rotation, logout */
#ifndef HZM_SESSION_H
#define HZM_SESSION_H

#include "core/err.h"
#include "core/input.h"
#include "core/token.h"

struct ctx;
struct json_object;

#define SESSION_REFRESH_LEN	67	/* "rt_" + 64 hex */

struct login_in {
	char		 email[256];	/* lower-cased */
	const char	*password;
	const char	*code;		/* twoFactorCode, or NULL */
	const char	*device;	/* deviceId (or X-Device-ID), or NULL */
	const char	*client_version; /* X-Client-Version, or NULL */
	int		 admin;		/* the console's login: staff role and 2FA */
};

/* How long a refresh token lives. */
#define SESSION_REFRESH_TTL_DAYS	30

/* A session as the login and refresh answers show it. */
struct session_out {
	char		 user_id[24];	/* internal id, as text */
	char		 public_id[32];
	char		 email[256];
	char		 roles[64];
	int		 kyc_level;
	int		 admin;
	char		 access[TOKEN_MAXLEN];
	char		 refresh[SESSION_REFRESH_LEN + 1];
	long		 expires_in;
	/* when refused */
	long		 retry_after;	/* ERR_RATE_LIMIT_EXCEEDED: seconds */
	int		 need_2fa;	/* ERR_AUTH_004 because no code was sent */
	const char	*message;	/* the error's message, or NULL */
};

/* Work to do inside the session's transaction before it commits (an audit row). */
typedef enum err (*session_hook)(struct ctx *, const struct session_out *, void *);

/*
 * The login body {email, password, twoFactorCode?, deviceId?}, the same
 * for users and staff; session_login_in fills *in from its checked values.
 */
enum { LOGIN_EMAIL, LOGIN_PASSWORD, LOGIN_CODE, LOGIN_DEVICE };
extern const struct in_field session_login_fields[];
void		session_login_in(const struct in_val *, struct login_in *);
/*
 * §1.4's X-Device-ID and X-Client-Version headers (each NULL when not
 * sent) into *in: the body's deviceId wins over the header. -1 with *e
 * naming the header when one is malformed.
 */
int		session_client_in(struct login_in *, const char *device_hdr,
		    const char *version_hdr, struct in_err *);
/*
 * Check the credentials and open a session: a new refresh family and
 * its first access token. Failures are counted (lockout) whatever the
 * outcome; hook, if set, runs in the transaction that stores the session.
 */
enum err	session_login(struct ctx *, const struct login_in *,
		    session_hook, void *hookarg, struct session_out *);
/*
 * Rotate a refresh token; one presented again ends its whole session.
 * client (device and client version, may be NULL) updates the session's.
 */
enum err	session_refresh(struct ctx *, const char *refresh_token,
		    const struct login_in *client, struct session_out *);
/* End the actor's session: its refresh family and its access tokens. */
enum err	session_logout(struct ctx *);
/* Revoke every refresh token of a user (password change, blocking). */
enum err	session_revoke_user(struct ctx *, const char *user_id);
/* A refusal's error details ({twoFactorRequired: true}), or NULL; the caller owns it. */
struct json_object *session_refusal(const struct session_out *);
/* The login/refresh answer's data. */
struct json_object *session_json(const struct session_out *);

#endif
