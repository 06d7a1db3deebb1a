/* core/token.h — access tokens: JWT (HS256, pinned) issued and verified with libjwt */
#ifndef HZM_TOKEN_H
#define HZM_TOKEN_H

#include <stddef.h>
#include <time.h>

/*
 * Configuration: jwt_key (hex, at least 64 hex digits = 256 bits; start-up
 * fails without it), jwt_issuer (default "hzm"), jwt_audience (default
 * "hzm-api"), access_ttl seconds (default 900, clamped to 900..1800).
 */

#define TOKEN_MAXLEN	2048

enum token_rc {
	TOKEN_OK = 0,
	TOKEN_INVALID,		/* bad signature, algorithm, format, claims */
	TOKEN_EXPIRED,		/* good signature, exp passed */
	TOKEN_ESYS		/* no key configured, out of memory */
};

struct token_claims {
	char	 sub[32];	/* the user's public id, usr_... */
	char	 jti[40];	/* unique token id (uuid) */
	char	 sid[40];	/* session: the refresh-token family (uuid), claim "sid" */
	char	 roles[64];	/* "USER" or "USER,ADMIN" ... comma separated */
	int	 kyc_level;	/* 0..3 */
	int	 admin;		/* issued by /admin/auth/login (claim "adm": true) */
	time_t	 iat;
	time_t	 exp;
};

/*
 * Issue a token for c (sub, sid, roles, kyc_level, admin used; jti, iat, exp
 * are set here, from now and the configured ttl, and written back to c).
 * sid may be empty (no "sid" claim), roles too ("roles": []).
 * TOKEN_INVALID when c is malformed: sub not usr_ + 20 of [a-z2-7], sid
 * not a lower-case uuid, roles not a comma list of up to 8 [A-Z_] names,
 * kyc_level outside 0..3. TOKEN_ESYS without a key, out of memory, or
 * when the token does not fit in outsz.
 */
int	token_issue(struct token_claims *c, time_t now, char *out, size_t outsz);

/*
 * Verify: signature with the configured key, algorithm exactly HS256
 * (whatever the header says), iss and aud as configured, iat not in the
 * future beyond 60 s, exp in the future (else TOKEN_EXPIRED), sub/jti
 * present and well-formed, sid well-formed or absent (then ""). Fills
 * *c only on TOKEN_OK (and on TOKEN_EXPIRED, so a caller can log who it
 * was); c may be NULL. TOKEN_EXPIRED only when every other check passed.
 */
int	token_verify(const char *jwt, time_t now, struct token_claims *c);

/* Access token lifetime in seconds, as configured. */
int	token_ttl(void);

#endif
