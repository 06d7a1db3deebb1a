/* core/ratelimit.h — fixed-window request limits in memcached (PostgreSQL while it is out), per IP, user or API key */
#ifndef HZM_RATELIMIT_H
#define HZM_RATELIMIT_H

#include <stdint.h>
#include <time.h>

#include "core/err.h"

struct arena;
struct db;
struct resp;

/* Rate-limit classes: the limits of the spec's endpoint tables. */
enum rl {
	RL_NONE,
	RL_PUBLIC,		/* 100/min per IP */
	RL_AUTH_REGISTER,	/* 10/hour per IP */
	RL_AUTH_VERIFY,		/* 10/hour per IP */
	RL_AUTH_LOGIN,		/* 20/hour per IP */
	RL_AUTH_REFRESH,	/* 100/hour per IP */
	RL_AUTH_LOGOUT,		/* 100/hour per user */
	RL_AUTH_RESET,		/* 5/hour per IP */
	RL_AUTH_2FA,		/* 20/hour per user */
	RL_PROFILE_GET,		/* 200/min per user */
	RL_PROFILE_PUT,		/* 50/min per user */
	RL_KYC_SUBMIT,		/* 10/day per user */
	RL_KYC_STATUS,		/* 200/min per user */
	RL_TRADE_POST,		/* 50/min per user */
	RL_TRADE_GET,		/* 200/min per user */
	RL_WALLET,		/* 30/min per user */
	RL_WALLET_GET,		/* 200/min per user */
	RL_WALLET_ADDRESS,	/* 100/min per user (deposit addresses) */
	RL_ADMIN_LOGIN,		/* 20/hour per IP */
	RL_ADMIN_READ,		/* 1000/min per user */
	RL_ADMIN_WRITE,		/* 500/min per user */
	RL_ADMIN_REPORT,	/* 100/min per user (reports) */
	RL_NCLASSES
};

enum rl_key { RL_BY_IP, RL_BY_USER };

struct rl_class {
	const char	*name;
	long		 limit;
	long		 window;	/* seconds */
	enum rl_key	 by;
};

const struct rl_class	*rl_class(enum rl);

/*
 * Count one request of class c for who (an IP, a user's or a key's id) at
 * now. Sets X-RateLimit-Limit/-Remaining/-Reset on w, and on refusal
 * Retry-After; returns ERR_RATE_LIMIT_EXCEEDED past the limit.
 * Limits are scaled by the rate_limit_scale setting (the sandbox runs at
 * 10x, spec §12.1). When memcached cannot be reached the window is
 * counted in PostgreSQL (db; sql/035), the outage logged once a minute;
 * when neither can count, ERR_SERVICE_UNAVAILABLE: no limit fails open.
 */
enum err	 rl_check(struct db *db, struct resp *w, enum rl c,
		    const char *who, time_t now);


#endif
