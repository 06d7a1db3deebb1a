/* core/ratelimit.c — fixed windows counted with memcached incr, in PostgreSQL while it is out; limits from the spec's tables */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/mc.h"
#include "core/liveconf.h"
#include "core/ratelimit.h"
#include "core/util.h"

static const struct rl_class classes[RL_NCLASSES] = {
	[RL_NONE]		= { "none",		0,	0,	RL_BY_IP },
	[RL_PUBLIC]		= { "public",		100,	60,	RL_BY_IP },
	[RL_AUTH_REGISTER]	= { "register",		10,	3600,	RL_BY_IP },
	[RL_AUTH_VERIFY]	= { "verify",		10,	3600,	RL_BY_IP },
	[RL_AUTH_LOGIN]		= { "login",		20,	3600,	RL_BY_IP },
	[RL_AUTH_REFRESH]	= { "refresh",		100,	3600,	RL_BY_IP },
	[RL_AUTH_LOGOUT]	= { "logout",		100,	3600,	RL_BY_USER },
	[RL_AUTH_RESET]		= { "reset",		5,	3600,	RL_BY_IP },
	[RL_AUTH_2FA]		= { "2fa",		20,	3600,	RL_BY_USER },
	[RL_PROFILE_GET]	= { "profile_get",	200,	60,	RL_BY_USER },
	[RL_PROFILE_PUT]	= { "profile_put",	50,	60,	RL_BY_USER },
	[RL_KYC_SUBMIT]		= { "kyc_submit",	10,	86400,	RL_BY_USER },
	[RL_KYC_STATUS]		= { "kyc_status",	200,	60,	RL_BY_USER },
	[RL_TRADE_POST]		= { "trade_post",	50,	60,	RL_BY_USER },
	[RL_TRADE_GET]		= { "trade_get",	200,	60,	RL_BY_USER },
	[RL_WALLET]		= { "wallet",		30,	60,	RL_BY_USER },
	[RL_WALLET_GET]		= { "wallet_get",	200,	60,	RL_BY_USER },
	[RL_WALLET_ADDRESS]	= { "wallet_address",	100,	60,	RL_BY_USER },
	[RL_ADMIN_LOGIN]	= { "admin_login",	20,	3600,	RL_BY_IP },
	[RL_ADMIN_READ]		= { "admin_read",	1000,	60,	RL_BY_USER },
	[RL_ADMIN_WRITE]	= { "admin_write",	500,	60,	RL_BY_USER },
	[RL_ADMIN_REPORT]	= { "admin_report",	100,	60,	RL_BY_USER },
};

const struct rl_class *
rl_class(enum rl c)
{
	return (unsigned)c < RL_NCLASSES ? &classes[c] : &classes[RL_NONE];
}

static void
outage(void)
{
	static time_t last;
	time_t now = time(NULL);

	if (now - last >= 60) {
		last = now;
		log_error("rate limiting: memcached unavailable, counting in "
		    "PostgreSQL");
	}
}

/* The window's count in PostgreSQL (sql/035), the same key. */
static const struct stmt count_stmt = { "rl_count",
	"INSERT INTO rate_counters AS c (key, n, expires_at)"
	" VALUES ($1, $2::bigint, now() + $3::int * interval '1 second')"
	" ON CONFLICT (key) DO UPDATE SET n = c.n + excluded.n"
	" RETURNING n", 3 };

/* memcached keys are at most 250 bytes without spaces or controls. */
static void
key_make(char *key, size_t sz, const char *name, const char *who,
    long long win)
{
	char safe[128];
	size_t i;

	for (i = 0; who[i] != '\0' && i < sizeof(safe) - 1; i++)
		safe[i] = (who[i] > ' ' && who[i] < 0x7f) ? who[i] : '_';
	safe[i] = '\0';
	snprintf(key, sz, "rl:%s:%s:%lld", name, safe, win);
}

/* The window's count after this request: memcached, else PostgreSQL. */
static long long
rl_count(struct db *db, struct arena *a, const char *name, const char *who,
    long window, time_t now, uint64_t by)
{
	char key[250], n1[24], ttl[24];
	const char *p[3] = { key, n1, ttl };
	PGresult *res;
	uint64_t n;

	key_make(key, sizeof(key), name, who, (long long)(now / window));
	if (mc_incr(key, by, (time_t)window + 5, &n) == 0)
		return (long long)n;
	outage();
	snprintf(n1, sizeof(n1), "%llu", (unsigned long long)by);
	snprintf(ttl, sizeof(ttl), "%ld", window + 5);
	if (db == NULL || db_query(db, a, &count_stmt, p, &res) != ERR_OK ||
	    PQntuples(res) != 1)
		return -1;
	return util_long(PQgetvalue(res, 0, 0), -1);
}

enum err
rl_check(struct db *db, struct resp *w, enum rl c, const char *who,
    time_t now)
{
	const struct rl_class *k = rl_class(c);
	/* The live setting, when the operator made one, over hzm.conf's. */
	long long scale = liveconf_int("rate_limit_scale",
	    cfg_int("rate_limit_scale", 1)), limit, n, reset;
	char ckey[64];

	if (k->limit == 0 || who == NULL)
		return ERR_OK;
	if (scale < 1)
		scale = 1;
	/* rate_limit_<class> replaces one class's limit outright. */
	snprintf(ckey, sizeof(ckey), "rate_limit_%s", k->name);
	if ((limit = cfg_int(ckey, k->limit * scale)) < 1)
		limit = 1;
	reset = (now / k->window + 1) * k->window;
	resp_header(w, "X-RateLimit-Limit", arena_printf(w->arena, "%lld", limit));
	/* Neither can count: refused, as nothing may fail open. */
	if ((n = rl_count(db, w->arena, k->name, who, k->window, now, 1)) < 0)
		return ERR_SERVICE_UNAVAILABLE;
	resp_header(w, "X-RateLimit-Remaining",
	    arena_printf(w->arena, "%lld", n >= limit ? 0 : limit - n));
	resp_header(w, "X-RateLimit-Reset", arena_printf(w->arena, "%lld", reset));
	if (n > limit) {
		resp_header(w, "Retry-After", arena_printf(w->arena, "%lld",
		    (long long)(reset - now)));
		return ERR_RATE_LIMIT_EXCEEDED;
	}
	return ERR_OK;
}
