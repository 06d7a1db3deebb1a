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
};

/*
 * Authenticate r for a route needing `need`: Authorization: Bearer, token
 * verified (AUTH_002 expired, AUTH_003 invalid or revoked, UNAUTHORIZED
 * when absent), user loaded and active (COMPLIANCE_003 when suspended or
 * blocked), role and admin session as needed (FORBIDDEN). Fills *u.
 */
enum err	 auth_request(struct req *r, enum auth need, struct user *u);

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
