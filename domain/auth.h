/* domain/auth.h — who is calling: bearer tokens and API keys checked, the user loaded, roles and status enforced */
#ifndef HZM_DOMAIN_AUTH_H
#define HZM_DOMAIN_AUTH_H

#include <stdint.h>
#include <time.h>

#include "core/actor.h"
#include "core/db.h"
#include "core/err.h"

struct ctx;
struct req;

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

/*
 * The standing of c's actor, authenticated by AUTH_USER_BATCHED, checked
 * as auth_request() checks a bearer token's (AUTH_003, COMPLIANCE_003,
 * FORBIDDEN): *u is the actor as the database has it now.
 */
enum err	 auth_confirm(struct ctx *c, struct user *u);

/*
 * A worker's warm-up (struct app's warm): the statement that loads a
 * token's user prepared, and its tables' catalog loaded, on c's
 * connection; a fresh connection's first bearer token waits some 15 ms
 * for them otherwise.
 */
void		 auth_warm(struct ctx *c);

/*
 * A credential a long-lived connection (the streamer's) holds, as
 * auth_request() took it: an API key, or a token's id, session and time
 * of issue.
 */
struct auth_held {
	int64_t		 user_id;
	const char	*api_key;	/* "hzm_...", or NULL for a token */
	const char	*jti, *sid;	/* the token's ("" or NULL: none) */
	time_t		 iat;
};
/*
 * Each of h[0..n) judged again as auth_request() would judge it now:
 * verdict[i] ERR_OK, ERR_AUTH_003 (the key or session ended, or the
 * password changed since), or the account's refusal (COMPLIANCE_003,
 * FORBIDDEN). In one query; its failure is returned, verdicts unset.
 */
enum err	 auth_recheck(struct ctx *, const struct auth_held *h, size_t n,
		    enum err *verdict);

/* Load a user row by public id into *u (no token fields). */
enum err	 auth_user_load(struct ctx *, const char *public_id, struct user *u);

/* Deny-list an access token until exp (memcached and PostgreSQL). */
enum err	 auth_revoke_access(struct ctx *, const char *jti, time_t exp);

/* "USER,ADMIN" <-> bits */
unsigned	 auth_roles_parse(const char *);
const char	*auth_roles_text(unsigned, char *buf, size_t sz);


#endif
