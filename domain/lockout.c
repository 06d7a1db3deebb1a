/* domain/lockout.c — failed logins slow an account and an address down, counted in PostgreSQL */
#include <stdio.h>

#include <string.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/liveconf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/lockout.h"

/*
 * Lock-out (OWASP ASVS 2.2.1): failures are counted per account (the
 * e-mail as typed, whether or not it exists, so the lock-out reveals
 * nothing) and per IP. From the 5th failure of the hour an account waits
 * 2^(n-5) s (at most 5 minutes) between attempts; past 100 failures in an
 * hour it is locked for the rest of that hour. An IP with 50 failures in
 * 15 minutes (times rate_limit_scale) is refused for the rest of those
 * 15 minutes. An attacker can therefore slow a victim's logins, but
 * never lock them out for long.
 */
#define FAIL_FREE	5
#define FAIL_MAX_DELAY	300
#define FAIL_ACCOUNT_MAX 100
#define FAIL_IP_MAX	50
#define FAIL_IP_WINDOW	900

enum { ST_PEEK, ST_FAIL, ST_FAIL_ONE, ST_WAIT, ST_CLEAR, ST__COUNT };

/* One more failure of a subject in its window (a later window starts at 1). */
#define FAIL_UPSERT(subject, win)						\
	"INSERT INTO login_failures (subject, win, failures)"			\
	" VALUES (" subject ", " win "::bigint, 1) ON CONFLICT (subject) DO UPDATE SET" \
	" failures = CASE WHEN login_failures.win = excluded.win"		\
	"  THEN login_failures.failures + 1 ELSE 1 END,"			\
	" win = excluded.win, updated_at = now()"

static const struct stmt stmts[] = {
	/* Failed logins of a client address ($1) and an account ($3) in their windows. */
	[ST_PEEK] = { "lockout_peek",
	  "SELECT coalesce((SELECT failures FROM login_failures"
	  "  WHERE subject = $1 AND win = $2::bigint), 0),"
	  " coalesce((SELECT failures FROM login_failures"
	  "  WHERE subject = $3 AND win = $4::bigint), 0),"
	  " coalesce((SELECT ceil(extract(epoch FROM wait_until - now()))::bigint"
	  "  FROM login_failures WHERE subject = $3 AND wait_until > now()), 0)", 4 },
	/* The address's ($1, $2) and the account's ($3, $4): the account's count. */
	[ST_FAIL] = { "lockout_fail",
	  "WITH ip AS (" FAIL_UPSERT("$1", "$2") ") "
	  FAIL_UPSERT("$3", "$4") " RETURNING failures", 4 },
	[ST_FAIL_ONE] = { "lockout_fail_one", FAIL_UPSERT("$1", "$2"), 2 },
	[ST_WAIT] = { "lockout_wait",
	  "UPDATE login_failures SET wait_until = now() +"
	  " make_interval(secs => $2::int) WHERE subject = $1", 2 },
	[ST_CLEAR] = { "lockout_clear",
	  "DELETE FROM login_failures WHERE subject = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "lockout statements");

/* An address's counter of kind ("ip", "keyip"): its subject and window. */
static void
ip_counter(const struct ctx *r, const char *kind, char subject[LOCKOUT_SUBJLEN],
    char win[24])
{
	snprintf(subject, LOCKOUT_SUBJLEN, "%s:%s", kind,
	    r->remote_addr ? r->remote_addr : "");
	snprintf(win, 24, "%lld", (long long)(r->now.tv_sec / FAIL_IP_WINDOW));
}

/*
 * With failures counted in the address's window: 0, or the seconds left
 * of it once they reach FAIL_IP_MAX, scaled as every rate limit is (the
 * sandbox runs at 10x).
 */
static long
ip_wait(const struct ctx *r, long long failures)
{
	long long scale = liveconf_int("rate_limit_scale",
	    cfg_int("rate_limit_scale", 1));

	if (failures < FAIL_IP_MAX * (scale < 1 ? 1 : scale))
		return 0;
	return (long)(FAIL_IP_WINDOW - r->now.tv_sec % FAIL_IP_WINDOW);
}

int
lockout_key(char key[LOCKOUT_KEYLEN], const char *email)
{
	unsigned char mac[32];
	char hex[17];

	/* Keys name the account without writing the address into memcached. */
	if (crypto_mac("login-lock", email, strlen(email), mac) == -1)
		return -1;
	util_hex(mac, 8, hex);
	snprintf(key, LOCKOUT_KEYLEN, "acct:%s", hex);
	return 0;
}

/*
 * The counters live in PostgreSQL, not memcached: a lock-out that vanished
 * whenever the cache did would fail open (and login waits ~30 ms for
 * argon2 anyway, so one more statement is not felt).
 */
enum err
lockout_check(struct ctx *r, const char *acct, long *retry_after)
{
	char ipkey[LOCKOUT_SUBJLEN], ipwin[24], acwin[24];
	const char *p[4] = { ipkey, ipwin, acct, acwin };
	time_t now = r->now.tv_sec;
	long long wait;
	PGresult *res;
	enum err e;

	ip_counter(r, "ip", ipkey, ipwin);
	snprintf(acwin, sizeof(acwin), "%lld", (long long)(now / 3600));
	if ((e = db_query(r->db, r->arena, &stmts[ST_PEEK], p,
	    &res)) != ERR_OK)
		return e;
	if ((*retry_after = ip_wait(r, util_long(db_val(res, 0, 0), 0))) > 0)
		return ERR_RATE_LIMIT_EXCEEDED;
	if (util_long(db_val(res, 0, 1), 0) >= FAIL_ACCOUNT_MAX) {
		*retry_after = (long)(3600 - now % 3600);
		return ERR_RATE_LIMIT_EXCEEDED;
	}
	if ((wait = util_long(db_val(res, 0, 2), 0)) > 0) {
		*retry_after = (long)wait;
		return ERR_RATE_LIMIT_EXCEEDED;
	}
	return ERR_OK;
}

void
lockout_fail(struct ctx *r, const char *acct)
{
	char ipkey[LOCKOUT_SUBJLEN], ipwin[24], acwin[24], wait[24];
	const char *p[4] = { ipkey, ipwin, acct, acwin }, *pw[2];
	time_t now = r->now.tv_sec;
	long long n, d;
	PGresult *res;

	ip_counter(r, "ip", ipkey, ipwin);
	snprintf(acwin, sizeof(acwin), "%lld", (long long)(now / 3600));
	if (db_query(r->db, r->arena, &stmts[ST_FAIL], p,
	    &res) != ERR_OK || PQntuples(res) != 1) {
		log_error("login failure not counted");
		return;
	}
	if ((n = util_long(db_val(res, 0, 0), 0)) < FAIL_FREE)
		return;
	d = n - FAIL_FREE >= 9 ? FAIL_MAX_DELAY :
	    (1LL << (n - FAIL_FREE)) < FAIL_MAX_DELAY ? (1LL << (n - FAIL_FREE)) :
	    FAIL_MAX_DELAY;
	snprintf(wait, sizeof(wait), "%lld", d);
	pw[0] = acct;
	pw[1] = wait;
	if (db_query(r->db, r->arena, &stmts[ST_WAIT], pw,
	    &res) != ERR_OK)
		log_error("login wait not recorded");
}

void
lockout_clear(struct ctx *r, const char *acct)
{
	const char *p[1] = { acct };
	PGresult *res;

	if (db_query(r->db, r->arena, &stmts[ST_CLEAR], p,
	    &res) != ERR_OK)
		log_error("login failures not cleared");
}

/*
 * API keys: an address that failed as often as ip_wait() allows in
 * FAIL_IP_WINDOW (an unknown key, a wrong password or signature) is
 * refused for the rest of the window, whatever it sends then; keys themselves are not
 * locked, so no one can lock another's key out. The count is read in
 * the key's own lookup (auth_apikey()), not in a round trip of its own.
 */
void
lockout_keyip(const struct ctx *r, char subject[LOCKOUT_SUBJLEN], char win[24])
{
	ip_counter(r, "keyip", subject, win);
}

long
lockout_keyip_wait(const struct ctx *r, long failures)
{
	return ip_wait(r, failures);
}

void
lockout_keyip_fail(struct ctx *r)
{
	char subject[LOCKOUT_SUBJLEN], win[24];
	const char *p[2] = { subject, win };
	PGresult *res;

	lockout_keyip(r, subject, win);
	if (db_query(r->db, r->arena, &stmts[ST_FAIL_ONE], p, &res) != ERR_OK)
		log_error("API key failure not counted");
}
