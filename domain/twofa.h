/* domain/twofa.h — a user's TOTP second factor: set up, turned on, turned off */
#ifndef HZM_TWOFA_H
#define HZM_TWOFA_H

#include "core/err.h"
#include "core/totp.h"

struct ctx;

struct twofa_secret {
	char	secret[TOTP_B32LEN];	/* base32, shown once */
	char	uri[512];		/* otpauth:// for an authenticator app */
};

/*
 * A new secret for the actor, sealed and kept pending until enabled.
 * ERR_CONFLICT when 2FA is on already. The caller wipes out->secret.
 */
enum err	twofa_setup(struct ctx *, struct twofa_secret *out);
/*
 * Turn the actor's 2FA on (with a code of the pending secret) or off
 * (with a code of the current one; staff must keep it: ERR_FORBIDDEN).
 * ERR_CONFLICT with *msg when already so, or no setup came first;
 * ERR_AUTH_004 for a wrong or reused code.
 */
enum err	twofa_change(struct ctx *, int enable, const char *code,
		    const char **msg);
/* Inside the caller's transaction: 2FA off for user_id (a reset by e-mail at LEVEL_0). */
enum err	twofa_off(struct ctx *, const char *user_id);

#endif
