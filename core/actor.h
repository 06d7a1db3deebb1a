/* core/actor.h — who a request or a service acts for: the user, how they authenticated, what they may do */
#ifndef HZM_ACTOR_H
#define HZM_ACTOR_H

#include <stdint.h>
#include <time.h>

/* What a route requires of its caller. */
enum auth {
	AUTH_NONE,	/* public */
	AUTH_USER,	/* any active user: access token or API key */
	AUTH_STAFF,	/* admin session of a staff user whose role the route lists */
	AUTH_ADMIN,	/* admin session of an ADMIN user */
	/*
	 * As AUTH_USER, except that a bearer token of a user this process
	 * has seen is checked here for its signature alone: whether the
	 * account may still trade (status, KYC level, revocation, password
	 * change) is checked by the matcher, in the transaction that would
	 * place the order (domain/auth.c, auth_confirm()).
	 */
	AUTH_USER_BATCHED,
};

enum role {
	ROLE_USER = 0x01,
	ROLE_ADMIN = 0x02,
	ROLE_COMPLIANCE = 0x04,
	ROLE_SUPPORT = 0x08,
};

/*
 * Staff carry one of the staff roles; a route of AUTH_STAFF lists those
 * that may call it (struct route's roles). ADMIN may do everything,
 * COMPLIANCE the reviews (KYC, alerts, withdrawals, reports, audit),
 * SUPPORT read users, orders and trades.
 */
#define ROLES_STAFF		(ROLE_ADMIN | ROLE_COMPLIANCE | ROLE_SUPPORT)
#define ROLES_COMPLIANCE	(ROLE_ADMIN | ROLE_COMPLIANCE)
#define ROLES_SUPPORT		(ROLE_ADMIN | ROLE_COMPLIANCE | ROLE_SUPPORT)

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
	time_t		 token_iat;
	/*
	 * AUTH_USER_BATCHED: the account's standing not checked yet (status
	 * and kyc_level are this process's last sight of them).
	 */
	int		 unconfirmed;
	/* from an API key (seed 003) */
	int		 via_key;	/* 0 token, KEY_PASSWORD or KEY_SIGNED */
	char		 key_id[32];	/* key_... */
	char		 key_idtxt[24];
	unsigned	 key_scopes;	/* 1 << SCOPE_* */
};

enum { KEY_PASSWORD = 1, KEY_SIGNED = 2 };

#endif
