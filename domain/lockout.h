/* domain/lockout.h — failed logins slow an account and an address down, counted in PostgreSQL */
#ifndef HZM_LOCKOUT_H
#define HZM_LOCKOUT_H

#include "core/err.h"

struct ctx;

#define LOCKOUT_KEYLEN	24	/* "acct:" + 16 hex */
#define LOCKOUT_SUBJLEN	80	/* "keyip:" + an address */

/* The counter's name for an address as typed: a keyed hash, never the address. */
int		 lockout_key(char key[LOCKOUT_KEYLEN], const char *email);
/*
 * Whether a login for account key from the context's address may be
 * tried now: ERR_RATE_LIMIT_EXCEEDED with *retry_after seconds when not.
 */
enum err	 lockout_check(struct ctx *, const char *key, long *retry_after);
/* Count a failure for the account and the address (outside any transaction). */
void		 lockout_fail(struct ctx *, const char *key);
/* A success clears the account's failures. */
void		 lockout_clear(struct ctx *, const char *key);

/* API-key failures, per client address: the counter's name and window. */
void		 lockout_keyip(const struct ctx *, char subject[LOCKOUT_SUBJLEN],
		    char win[24]);
/* With failures counted so far: 0, or the seconds the address must wait. */
long		 lockout_keyip_wait(const struct ctx *, long failures);
/* Count a failed API-key authentication of the address. */
void		 lockout_keyip_fail(struct ctx *);

#endif
