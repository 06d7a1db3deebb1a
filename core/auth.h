/* core/auth.h — who is calling: bearer tokens checked, the user loaded, roles and status enforced */
#ifndef HZM_AUTH_H
#define HZM_AUTH_H

#include <stdint.h>
#include <time.h>

#include "core/db.h"
#include "core/err.h"

struct req;

enum auth {
	AUTH_NONE,	/* public */
	AUTH_USER,	/* any active user: access token (later also API keys) */
	AUTH_STAFF,	/* admin session of an ADMIN or COMPLIANCE user */
	AUTH_ADMIN,	/* admin session of an ADMIN user */
};

enum role {
	ROLE_USER = 0x01,
	ROLE_ADMIN = 0x02,
	ROLE_COMPLIANCE = 0x04,
};

struct user {
	int64_t		 id;
	char		 idtxt[24];	/* id as text, for statement parameters */
	char		 public_id[32];
	char		 email[256];
	char		 status[24];
	int		 kyc_level;
	unsigned	 roles;
	int		 totp_enabled;
	/* from the access token */
	int		 admin_session;
	char		 jti[40];
	char		 sid[40];
	time_t		 token_exp;
	/* from an API key (seed 003) */
	int		 via_key;	/* 0 token, KEY_PASSWORD or KEY_SIGNED */
	char		 key_id[32];	/* key_... */
	char		 key_idtxt[24];
	unsigned	 key_scopes;	/* 1 << SCOPE_* */
};

enum { KEY_PASSWORD = 1, KEY_SIGNED = 2 };

/* How far a signed request's X-Timestamp may be from the server clock. */
#define AUTH_SIGNED_SKEW_MS	60000
/* A signed request's X-Request-ID is refused again for this long. */
#define AUTH_REPLAY_SECONDS	300

/*
 * Authenticate r for a route needing `need` and `scope` (an enum scope;
 * SCOPE_NONE routes take only user sessions, never API keys), by one of:
 *  - Authorization: Bearer <access token>;
 *  - X-Email + X-API-Key + X-API-Password;
 *  - X-API-Key + X-Timestamp (ms) + X-Signature = hex HMAC-SHA256(
 *    timestamp + method + request URI + body, API password), with an
 *    X-Request-ID used once per key within AUTH_REPLAY_SECONDS.
 * Bearer tokens: token
 * verified (AUTH_002 expired, AUTH_003 invalid or revoked, UNAUTHORIZED
 * when absent), user loaded and active (COMPLIANCE_003 when suspended or
 * blocked), role and admin session as needed (FORBIDDEN). Fills *u.
 */
enum err	 auth_request(struct req *r, enum auth need, int scope,
		    struct user *u);

/* Load a user row by public id or by id into *u (no token fields). */
enum err	 auth_user_load(struct req *r, const char *public_id, struct user *u);

/* Deny-list an access token until exp (memcached and PostgreSQL). */
enum err	 auth_revoke_access(struct req *r, const char *jti, time_t exp);

/* "USER,ADMIN" <-> bits */
unsigned	 auth_roles_parse(const char *);
const char	*auth_roles_text(unsigned, char *buf, size_t sz);

extern const struct stmt	auth_stmts[];
extern const size_t		auth_nstmts;

#endif
