/* domain/withdraw_hold.h — whether an account may withdraw now: the security holds and a compliance hold, for crypto and TRY alike */
#ifndef HZM_WITHDRAW_HOLD_H
#define HZM_WITHDRAW_HOLD_H

#include "core/err.h"

struct ctx;

#define WITHDRAW_HOLD_HOURS	24	/* withdraw_security_hold_hours */

struct withdraw_hold {
	const char	*kind;		/* PASSWORD_CHANGED or TWO_FACTOR_DISABLED */
	char		 until[32];	/* when it ends, ISO 8601 */
};

/*
 * ERR_OK, or ERR_FORBIDDEN while a security hold stands (a password
 * changed after the account was made, or 2FA turned off, within
 * withdraw_security_hold_hours; turning 2FA on holds nothing), or
 * ERR_COMPLIANCE_001 while compliance holds the account. Every kind of
 * withdrawal asks here, in the transaction that stores it.
 */
enum err	 withdraw_hold_check(struct ctx *, const char *user_id,
		    struct withdraw_hold *);

#endif
