/* domain/codes.h — six-digit codes sent for e-mail and phone verification and password reset */
#ifndef HZM_CODES_H
#define HZM_CODES_H

#include "core/err.h"

struct ctx;

enum code_purpose { CODE_VERIFY_EMAIL, CODE_PASSWORD_RESET, CODE_VERIFY_PHONE };

#define CODE_TTL_MIN		15
#define CODE_ATTEMPTS		5
#define CODE_COOLDOWN_SEC	60
#define CODE_MAX_PER_HOUR	5

/*
 * A fresh code for the user (older ones of that purpose stop working), or
 * ERR_RATE_LIMIT_EXCEEDED while the address may not have another yet: a
 * new one only once the last is used up or older than the cooldown
 * (setting code_cooldown_seconds), and at most code_max_per_hour an hour.
 * Inside the caller's transaction.
 */
enum err	code_issue(struct ctx *, const char *user_id, enum code_purpose,
		    char code[7]);
/*
 * Check a code inside the caller's transaction: ERR_OK consumes it; a
 * wrong code uses one of its CODE_ATTEMPTS; ERR_INVALID_REQUEST when
 * wrong, expired, used up or absent.
 */
enum err	code_check(struct ctx *, const char *user_id, enum code_purpose,
		    const char *code);

#endif
