/* core/session.c — logging in (password, lock-out, TOTP), refresh-token rotation, logout, mailed codes */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/app.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/input.h"
#include "core/mc.h"
#include "core/password.h"
#include "core/session.h"
#include "core/token.h"
#include "core/totp.h"

#define REFRESH_TTL_DAYS	30
#define REFRESH_PREFIX		"rt_"

/*
 * Lock-out (OWASP ASVS 2.2.1): failures are counted per account (the
 * e-mail as typed, whether or not it exists, so the lock-out reveals
 * nothing) and per IP. From the 5th failure of the hour an account waits
 * 2^(n-5) s (at most 5 minutes) between attempts; past 100 failures in an
 * hour it is locked for the rest of that hour. An IP with 50 failures in
 * 15 minutes is refused for the rest of those 15 minutes. An attacker can
 * therefore slow a victim's logins, but never lock them out for long.
 */
#define FAIL_FREE	5
#define FAIL_MAX_DELAY	300
#define FAIL_ACCOUNT_MAX 100
#define FAIL_IP_MAX	50
#define FAIL_IP_WINDOW	900

const struct stmt session_stmts[] = {
	{ "session_user_by_email",
	  "SELECT u.id, u.public_id, u.email, u.status, u.password_hash,"
	  " u.totp_enabled, u.totp_secret, u.kyc_level,"
	  " coalesce((SELECT string_agg(role, ',' ORDER BY role)"
	  "  FROM user_roles WHERE user_id = u.id), '')"
	  " FROM users u WHERE u.email = $1", 1 },
	/*
	 * Codes of one purpose issued to a user in the last hour, and whether
	 * the newest is still usable and younger than the cooldown ($3 s).
	 */
	{ "session_code_recent",
	  "SELECT count(*),"
	  " coalesce(bool_or(consumed_at IS NULL AND expires_at > now()"
	  "  AND attempts < 5 AND created_at > now() -"
	  "  make_interval(secs => $3::int)), false)"
	  " FROM email_codes WHERE user_id = $1 AND purpose = $2"
	  " AND created_at > now() - interval '1 hour'", 3 },
	{ "session_code_retire",
	  "UPDATE email_codes SET consumed_at = now() WHERE user_id = $1"
	  " AND purpose = $2 AND consumed_at IS NULL", 2 },
	{ "session_code_insert",
	  "INSERT INTO email_codes (user_id, purpose, code_hash, expires_at)"
	  " VALUES ($1, $2, $3, now() + make_interval(mins => $4::int))", 4 },
	{ "session_code_current",
	  "SELECT id, code_hash, attempts, expires_at > now() FROM email_codes"
	  " WHERE user_id = $1 AND purpose = $2 AND consumed_at IS NULL"
	  " ORDER BY id DESC LIMIT 1 FOR UPDATE", 2 },
	{ "session_code_fail",
	  "UPDATE email_codes SET attempts = attempts + 1 WHERE id = $1", 1 },
	{ "session_code_consume",
	  "UPDATE email_codes SET consumed_at = now() WHERE id = $1", 1 },
	{ "session_refresh_insert",
	  "INSERT INTO refresh_tokens (user_id, family, token_hash, admin,"
	  " device_id, ip, expires_at) VALUES ($1, $2, $3, $4, $5, $6,"
	  " now() + make_interval(days => $7::int))", 7 },
	{ "session_refresh_find",
	  "SELECT t.id, t.user_id, t.family, t.used_at IS NOT NULL,"
	  " t.revoked_at IS NOT NULL, t.expires_at > now(), t.admin,"
	  " u.public_id, t.device_id FROM refresh_tokens t"
	  " JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1"
	  " FOR UPDATE OF t", 1 },
	{ "session_refresh_use",
	  "UPDATE refresh_tokens SET used_at = now() WHERE id = $1", 1 },
	{ "session_family_revoke",
	  "UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1"
	  " AND revoked_at IS NULL", 1 },
	{ "session_user_revoke",
	  "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1"
	  " AND revoked_at IS NULL", 1 },
	/* Failed logins of a client address ($1) and an account ($3) in their windows. */
	{ "session_lock_peek",
	  "SELECT coalesce((SELECT failures FROM login_failures"
	  "  WHERE subject = $1 AND win = $2::bigint), 0),"
	  " coalesce((SELECT failures FROM login_failures"
	  "  WHERE subject = $3 AND win = $4::bigint), 0),"
	  " coalesce((SELECT ceil(extract(epoch FROM wait_until - now()))::bigint"
	  "  FROM login_failures WHERE subject = $3 AND wait_until > now()), 0)", 4 },
	{ "session_lock_fail",
	  "WITH ip AS (INSERT INTO login_failures (subject, win, failures)"
	  "  VALUES ($1, $2::bigint, 1) ON CONFLICT (subject) DO UPDATE SET"
	  "  failures = CASE WHEN login_failures.win = excluded.win"
	  "   THEN login_failures.failures + 1 ELSE 1 END,"
	  "  win = excluded.win, updated_at = now())"
	  " INSERT INTO login_failures (subject, win, failures)"
	  " VALUES ($3, $4::bigint, 1) ON CONFLICT (subject) DO UPDATE SET"
	  " failures = CASE WHEN login_failures.win = excluded.win"
	  "  THEN login_failures.failures + 1 ELSE 1 END,"
	  " win = excluded.win, updated_at = now() RETURNING failures", 4 },
	{ "session_lock_wait",
	  "UPDATE login_failures SET wait_until = now() +"
	  " make_interval(secs => $2::int) WHERE subject = $1", 2 },
	{ "session_lock_clear",
	  "DELETE FROM login_failures WHERE subject = $1", 1 },
	{ "session_totp_step",
	  "UPDATE users SET totp_last_step = $2 WHERE id = $1"
	  " AND totp_last_step < $2", 2 },
};
const size_t session_nstmts = nitems(session_stmts);

enum {
	ST_BY_EMAIL, ST_CODE_RECENT, ST_CODE_RETIRE, ST_CODE_INSERT, ST_CODE_CURRENT,
	ST_CODE_FAIL, ST_CODE_CONSUME, ST_RT_INSERT, ST_RT_FIND, ST_RT_USE,
	ST_FAMILY_REVOKE, ST_USER_REVOKE, ST_LOCK_PEEK, ST_LOCK_FAIL,
	ST_LOCK_WAIT, ST_LOCK_CLEAR, ST_TOTP_STEP
};

/* Verified against when the e-mail is unknown, so both paths cost one hash. */
static const char dummy_hash[] = "$argon2id$v=19$m=19456,t=2,p=1$"
    "c29tZXNhbHRzb21lc2FsdA$Yf0YvLUOIGUNkBPZ8A0c9ybeaUOjm1Kq4OpWBRaxZ8A";

static const char *const purposes[] = { "VERIFY_EMAIL", "PASSWORD_RESET" };

const char *
session_level_text(int level)
{
	static const char *const t[] = { "LEVEL_0", "LEVEL_1", "LEVEL_2", "LEVEL_3" };

	return level >= 0 && level <= 3 ? t[level] : "LEVEL_0";
}

unsigned char *
session_bytea(struct req *r, const char *s, size_t *len)
{
	unsigned char *out;
	size_t n;

	if (s == NULL || strncmp(s, "\\x", 2) != 0 || (n = strlen(s + 2)) % 2)
		return NULL;
	if ((out = arena_alloc(r->arena, n / 2 + 1)) == NULL ||
	    util_unhex(s + 2, n, out) == -1)
		return NULL;
	*len = n / 2;
	return out;
}

static char *
bytea_param(struct req *r, const unsigned char *b, size_t len)
{
	char *s = arena_alloc(r->arena, 2 * len + 3);

	if (s == NULL)
		return NULL;
	s[0] = '\\';
	s[1] = 'x';
	util_hex(b, len, s + 2);
	return s;
}

/* ---- mailed codes ------------------------------------------------------- */

static int
code_mac(const char *user_id, enum code_purpose p, const char *code,
    unsigned char mac[32])
{
	char ctx[64];

	snprintf(ctx, sizeof(ctx), "code:%s:%s", purposes[p], user_id);
	return crypto_mac(ctx, code, strlen(code), mac);
}

enum err
session_code_issue(struct req *r, const char *user_id, enum code_purpose p,
    char code[7])
{
	unsigned char mac[32];
	uint32_t v;
	char mins[8];
	char cooldown[16];
	const char *pr[] = { user_id, purposes[p], cooldown }, *pi[4];
	PGresult *res;
	enum err e;

	/*
	 * Per address, not only per client: a code may be asked for again
	 * once the last is used up or older than the cooldown, and at most
	 * code_max_per_hour times an hour, which bounds both the mail one
	 * address receives and the guesses a distributed attacker gets
	 * (CODE_ATTEMPTS a code).
	 */
	snprintf(cooldown, sizeof(cooldown), "%lld",
	    cfg_int("code_cooldown_seconds", CODE_COOLDOWN_SEC));
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_CODE_RECENT], pr,
	    &res)) != ERR_OK)
		return e;
	if (util_long(db_val(res, 0, 0), 0) >=
	    cfg_int("code_max_per_hour", CODE_MAX_PER_HOUR) ||
	    strcmp(db_val(res, 0, 1), "t") == 0)
		return ERR_RATE_LIMIT_EXCEEDED;

	/* Uniform over 000000..999999: reject the biased top of the range. */
	do {
		if (util_random(&v, sizeof(v)) == -1)
			return ERR_INTERNAL;
	} while (v >= 4294000000u);
	snprintf(code, 7, "%06u", v % 1000000u);
	if (code_mac(user_id, p, code, mac) == -1)
		return ERR_INTERNAL;
	snprintf(mins, sizeof(mins), "%d", CODE_TTL_MIN);
	pi[0] = user_id;
	pi[1] = purposes[p];
	pi[2] = bytea_param(r, mac, sizeof(mac));
	pi[3] = mins;
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_CODE_RETIRE], pr,
	    &res)) != ERR_OK)
		return e;
	return db_query(r->db, r->arena, &session_stmts[ST_CODE_INSERT], pi, &res);
}

enum err
session_code_check(struct req *r, const char *user_id, enum code_purpose p,
    const char *code)
{
	const char *pr[] = { user_id, purposes[p] }, *pid[1];
	unsigned char mac[32], *stored;
	size_t len;
	PGresult *res, *res2;
	enum err e;

	if ((e = db_query(r->db, r->arena, &session_stmts[ST_CODE_CURRENT], pr,
	    &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_INVALID_REQUEST;
	pid[0] = db_val(res, 0, 0);
	if (util_long(db_val(res, 0, 2), CODE_ATTEMPTS) >= CODE_ATTEMPTS ||
	    strcmp(db_val(res, 0, 3), "t") != 0)
		return ERR_INVALID_REQUEST;
	stored = session_bytea(r, db_val(res, 0, 1), &len);
	if (stored == NULL || len != 32 || code_mac(user_id, p, code, mac) == -1)
		return ERR_INTERNAL;
	if (CRYPTO_memcmp(stored, mac, 32) != 0) {
		if ((e = db_query(r->db, r->arena, &session_stmts[ST_CODE_FAIL],
		    pid, &res2)) != ERR_OK)
			return e;
		return ERR_INVALID_REQUEST;
	}
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_CODE_CONSUME], pid,
	    &res2)) != ERR_OK)
		return e;
	return ERR_OK;
}

/* ---- passwords -------------------------------------------------------- */

const char *
session_password_weak(const char *pw, const char *email)
{
	static const char *const common[] = {
		"password", "1234567890", "qwertyuiop", "123456789a",
		"password123", "password1!", "iloveyou12", "qwerty1234",
		"1q2w3e4r5t", "abcdefghij", "letmein123", "welcome123",
		"admin12345", "passw0rd12",
	};
	size_t chars = 0, i, local;
	const char *p, *at;

	for (p = pw; *p != '\0'; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			chars++;
	if (chars < 10)
		return "must be at least 10 characters";
	if (chars > 128 || strlen(pw) > 512)
		return "must be at most 128 characters";
	if (!util_utf8_valid(pw, strlen(pw)))
		return "must be valid UTF-8";
	for (i = 0; i < nitems(common); i++)
		if (strcasecmp(pw, common[i]) == 0)
			return "is too common";
	for (p = pw + 1; *p == pw[0]; p++)
		;
	if (*p == '\0')
		return "must not repeat one character";
	if (email != NULL && (at = strchr(email, '@')) != NULL &&
	    (local = (size_t)(at - email)) >= 4) {
		char lp[65];

		snprintf(lp, sizeof(lp), "%.*s", (int)(local < 64 ? local : 64), email);
		if (strcasestr(pw, lp) != NULL)
			return "must not contain the e-mail address";
	}
	return NULL;
}

/* ---- TOTP ------------------------------------------------------------- */

enum err
session_totp_check(struct req *r, const char *user_id, const char *public_id,
    const unsigned char *sealed, size_t sealedlen, const char *code)
{
	char ctx[64], secret[TOTP_B32LEN + 8], stepbuf[24];
	const char *p[] = { user_id, stepbuf };
	size_t n;
	long long step;
	PGresult *res;
	enum err e;

	if (code == NULL)
		return ERR_AUTH_004;
	snprintf(ctx, sizeof(ctx), "totp:%s", public_id);
	if (crypto_open(ctx, sealed, sealedlen, secret, sizeof(secret) - 1,
	    &n) == -1)
		return ERR_INTERNAL;
	secret[n] = '\0';
	step = totp_verify(secret, code, r->now.tv_sec);
	OPENSSL_cleanse(secret, sizeof(secret));
	if (step < 0)
		return ERR_AUTH_004;
	/* A code is good once: the step must move forward. */
	snprintf(stepbuf, sizeof(stepbuf), "%lld", step);
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_TOTP_STEP], p,
	    &res)) != ERR_OK)
		return e;
	return strcmp(PQcmdTuples(res), "1") == 0 ? ERR_OK : ERR_AUTH_004;
}

/* ---- sessions --------------------------------------------------------- */

static int
lock_key(char *key, size_t sz, const char *email)
{
	unsigned char mac[32];
	char hex[17];

	/* Keys name the account without writing the address into memcached. */
	if (crypto_mac("login-lock", email, strlen(email), mac) == -1)
		return -1;
	util_hex(mac, 8, hex);
	snprintf(key, sz, "acct:%s", hex);
	return 0;
}

/*
 * The counters live in PostgreSQL, not memcached: a lock-out that vanished
 * whenever the cache did would fail open (and login waits ~30 ms for
 * argon2 anyway, so one more statement is not felt).
 */
static enum err
lockout_check(struct req *r, struct resp *w, const char *acct)
{
	char ipkey[80], ipwin[24], acwin[24];
	const char *p[4] = { ipkey, ipwin, acct, acwin };
	time_t now = r->now.tv_sec;
	long long wait;
	PGresult *res;
	enum err e;

	snprintf(ipkey, sizeof(ipkey), "ip:%s", r->remote_addr ? r->remote_addr : "");
	snprintf(ipwin, sizeof(ipwin), "%lld", (long long)(now / FAIL_IP_WINDOW));
	snprintf(acwin, sizeof(acwin), "%lld", (long long)(now / 3600));
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_LOCK_PEEK], p,
	    &res)) != ERR_OK)
		return e;
	if (util_long(db_val(res, 0, 0), 0) >= FAIL_IP_MAX) {
		resp_header(w, "Retry-After", arena_printf(r->arena, "%lld",
		    (long long)(FAIL_IP_WINDOW - now % FAIL_IP_WINDOW)));
		return ERR_RATE_LIMIT_EXCEEDED;
	}
	if (util_long(db_val(res, 0, 1), 0) >= FAIL_ACCOUNT_MAX) {
		resp_header(w, "Retry-After", arena_printf(r->arena, "%lld",
		    (long long)(3600 - now % 3600)));
		return ERR_RATE_LIMIT_EXCEEDED;
	}
	if ((wait = util_long(db_val(res, 0, 2), 0)) > 0) {
		resp_header(w, "Retry-After", arena_printf(r->arena, "%lld", wait));
		return ERR_RATE_LIMIT_EXCEEDED;
	}
	return ERR_OK;
}

static void
lockout_fail(struct req *r, const char *acct)
{
	char ipkey[80], ipwin[24], acwin[24], wait[24];
	const char *p[4] = { ipkey, ipwin, acct, acwin }, *pw[2];
	time_t now = r->now.tv_sec;
	long long n, d;
	PGresult *res;

	snprintf(ipkey, sizeof(ipkey), "ip:%s", r->remote_addr ? r->remote_addr : "");
	snprintf(ipwin, sizeof(ipwin), "%lld", (long long)(now / FAIL_IP_WINDOW));
	snprintf(acwin, sizeof(acwin), "%lld", (long long)(now / 3600));
	if (db_query(r->db, r->arena, &session_stmts[ST_LOCK_FAIL], p,
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
	if (db_query(r->db, r->arena, &session_stmts[ST_LOCK_WAIT], pw,
	    &res) != ERR_OK)
		log_error("login wait not recorded");
}

static void
lockout_clear(struct req *r, const char *acct)
{
	const char *p[1] = { acct };
	PGresult *res;

	if (db_query(r->db, r->arena, &session_stmts[ST_LOCK_CLEAR], p,
	    &res) != ERR_OK)
		log_error("login failures not cleared");
}

/*
 * A new refresh token in family (a fresh uuid for a new login) and the
 * access token that goes with it, as the login/refresh response.
 */
static int
session_issue(struct req *r, struct resp *w, const char *user_id,
    const char *public_id, const char *email, int kyc, const char *roles,
    int admin, const char *family, const char *device, int status)
{
	struct token_claims c;
	unsigned char raw[32], mac[32];
	char rt[sizeof(REFRESH_PREFIX) + 64], jwt[TOKEN_MAXLEN], days[8];
	const char *p[7];
	struct json_object *o, *u;
	PGresult *res;
	enum err e;

	if (util_random(raw, sizeof(raw)) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	memcpy(rt, REFRESH_PREFIX, sizeof(REFRESH_PREFIX) - 1);
	util_hex(raw, sizeof(raw), rt + sizeof(REFRESH_PREFIX) - 1);
	if (crypto_mac("refresh", rt, strlen(rt), mac) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	snprintf(days, sizeof(days), "%d", REFRESH_TTL_DAYS);
	p[0] = user_id;
	p[1] = family;
	p[2] = bytea_param(r, mac, sizeof(mac));
	p[3] = admin ? "t" : "f";
	p[4] = device;
	p[5] = r->remote_addr;
	p[6] = days;
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_RT_INSERT], p,
	    &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	memset(&c, 0, sizeof(c));
	snprintf(c.sub, sizeof(c.sub), "%s", public_id);
	snprintf(c.sid, sizeof(c.sid), "%s", family);
	snprintf(c.roles, sizeof(c.roles), "%s", roles);
	c.kyc_level = kyc;
	c.admin = admin;
	if (token_issue(&c, r->now.tv_sec, jwt, sizeof(jwt)) != TOKEN_OK)
		return resp_error(w, ERR_INTERNAL, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "accessToken", json_object_new_string(jwt));
	json_object_object_add(o, "refreshToken", json_object_new_string(rt));
	json_object_object_add(o, "expiresIn",
	    json_object_new_int((int)(c.exp - c.iat)));
	json_object_object_add(o, "tokenType", json_object_new_string("Bearer"));
	u = json_object_new_object();
	json_object_object_add(u, "userId", json_object_new_string(public_id));
	json_object_object_add(u, "email", json_object_new_string(email));
	json_object_object_add(u, "kycLevel",
	    json_object_new_string(session_level_text(kyc)));
	json_object_object_add(u, "roles", json_csv_array(roles));
	json_object_object_add(o, "user", u);
	if (admin)
		json_object_object_add(o, "adminSession", json_object_new_boolean(1));
	OPENSSL_cleanse(raw, sizeof(raw));
	return resp_ok(w, status, o);
}

int
session_login(struct req *r, struct resp *w, int admin)
{
	static const char *const fields[] = { "email", "password",
	    "twoFactorCode", "deviceId", NULL };
	char email[256], acct[40], family[UUID_LEN + 1];
	const char *pw, *code, *device, *p[1];
	unsigned char *sealed;
	size_t sealedlen;
	struct in_err ie;
	PGresult *res;
	unsigned roles;
	enum err e;
	int found, ok;

	if (in_only(r->json, fields, &ie) == -1 ||
	    in_email(r->json, "email", email, sizeof(email), &ie) == -1 ||
	    in_string(r->json, "password", IN_REQUIRED, 1, 512, &pw, &ie) == -1 ||
	    in_digits(r->json, "twoFactorCode", IN_OPTIONAL, 6, &code, &ie) == -1 ||
	    in_string(r->json, "deviceId", IN_OPTIONAL, 1, 128, &device, &ie) == -1)
		return resp_invalid(w, &ie);
	if (lock_key(acct, sizeof(acct), email) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	if ((e = lockout_check(r, w, acct)) != ERR_OK)
		return resp_error(w, e, e == ERR_RATE_LIMIT_EXCEEDED ?
		    "Too many failed logins; try again later" : NULL);
	p[0] = email;
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_BY_EMAIL], p,
	    &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	found = PQntuples(res) == 1;
	/* Same work whether or not the account exists. */
	ok = password_verify(found ? db_val(res, 0, 4) : dummy_hash, pw) && found;
	if (!ok) {
		lockout_fail(r, acct);
		return resp_error(w, ERR_AUTH_001, NULL);
	}
	roles = auth_roles_parse(db_val(res, 0, 8));
	if (admin && !(roles & (ROLE_ADMIN | ROLE_COMPLIANCE))) {
		lockout_fail(r, acct);
		return resp_error(w, ERR_AUTH_001, NULL);
	}
	if (strcmp(db_val(res, 0, 3), "SUSPENDED") == 0 ||
	    strcmp(db_val(res, 0, 3), "BLOCKED") == 0)
		return resp_error(w, ERR_COMPLIANCE_003, NULL);
	if (strcmp(db_val(res, 0, 3), "ACTIVE") != 0)
		return resp_error(w, ERR_FORBIDDEN,
		    "E-mail address not verified yet");
	if (strcmp(db_val(res, 0, 5), "t") == 0) {
		if (code == NULL) {
			struct json_object *d = json_object_new_object();

			json_object_object_add(d, "twoFactorRequired",
			    json_object_new_boolean(1));
			return resp_error_details(w, ERR_AUTH_004,
			    "Two-factor code required", d);
		}
		sealed = session_bytea(r, db_val(res, 0, 6), &sealedlen);
		if (sealed == NULL)
			return resp_error(w, ERR_INTERNAL, NULL);
		if ((e = session_totp_check(r, db_val(res, 0, 0),
		    db_val(res, 0, 1), sealed, sealedlen, code)) != ERR_OK) {
			if (e == ERR_AUTH_004)
				lockout_fail(r, acct);
			return resp_error(w, e, NULL);
		}
	} else if (admin) {
		/* Staff accounts work only with 2FA. */
		return resp_error(w, ERR_FORBIDDEN,
		    "Two-factor authentication must be enabled for admin access");
	}
	lockout_clear(r, acct);
	util_uuid(family);
	return session_issue(r, w, db_val(res, 0, 0), db_val(res, 0, 1),
	    db_val(res, 0, 2), (int)util_long(db_val(res, 0, 7), 0),
	    db_val(res, 0, 8), admin, family, device, 200);
}

int
session_refresh(struct req *r, struct resp *w)
{
	static const char *const fields[] = { "refreshToken", NULL };
	unsigned char mac[32];
	const char *rt, *p[1], *pf[1];
	struct in_err ie;
	struct user u;
	PGresult *res, *res2;
	enum err e;
	int rc;

	if (in_only(r->json, fields, &ie) == -1 ||
	    in_string(r->json, "refreshToken", IN_REQUIRED, 1, 128, &rt, &ie) == -1)
		return resp_invalid(w, &ie);
	if (crypto_mac("refresh", rt, strlen(rt), mac) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	p[0] = bytea_param(r, mac, sizeof(mac));
	if ((e = db_begin(r->db)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_RT_FIND], p,
	    &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_AUTH_003;
		goto fail;
	}
	pf[0] = db_val(res, 0, 2);
	if (strcmp(db_val(res, 0, 3), "t") == 0 &&
	    strcmp(db_val(res, 0, 4), "f") == 0) {
		/*
		 * A used token again: a copy is in someone else's hands.
		 * End the whole family, for the thief and the owner alike.
		 */
		if ((e = db_query(r->db, r->arena,
		    &session_stmts[ST_FAMILY_REVOKE], pf, &res2)) != ERR_OK ||
		    (e = db_commit(r->db)) != ERR_OK)
			goto fail;
		log_info("refresh token reuse: family %s revoked", pf[0]);
		return resp_error(w, ERR_AUTH_003, "Refresh token reused; "
		    "session revoked");
	}
	if (strcmp(db_val(res, 0, 4), "t") == 0 ||
	    strcmp(db_val(res, 0, 5), "t") != 0) {
		e = ERR_AUTH_003;
		goto fail;
	}
	if ((e = auth_user_load(r, db_val(res, 0, 7), &u)) != ERR_OK)
		goto fail;
	if (strcmp(u.status, "ACTIVE") != 0) {
		e = strcmp(u.status, "PENDING_VERIFICATION") == 0 ?
		    ERR_AUTH_003 : ERR_COMPLIANCE_003;
		goto fail;
	}
	p[0] = db_val(res, 0, 0);
	if ((e = db_query(r->db, r->arena, &session_stmts[ST_RT_USE], p,
	    &res2)) != ERR_OK)
		goto fail;
	{
		char roles[64];

		rc = session_issue(r, w, u.idtxt, u.public_id, u.email,
		    u.kyc_level, auth_roles_text(u.roles, roles, sizeof(roles)),
		    strcmp(db_val(res, 0, 6), "t") == 0, pf[0],
		    db_val(res, 0, 8), 200);
	}
	if (w->err != ERR_OK) {
		db_rollback(r->db);
		return rc;
	}
	if ((e = db_commit(r->db)) != ERR_OK)
		goto fail;
	return rc;
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

int
session_logout(struct req *r, struct resp *w)
{
	const char *p[] = { r->user->sid };
	struct json_object *o;
	PGresult *res;
	enum err e;

	if (r->user->sid[0] != '\0' &&
	    (e = db_query(r->db, r->arena, &session_stmts[ST_FAMILY_REVOKE], p,
	    &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = auth_revoke_access(r, r->user->jti, r->user->token_exp)) != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "loggedOut", json_object_new_boolean(1));
	return resp_ok(w, 200, o);
}

enum err
session_revoke_user(struct req *r, const char *user_id)
{
	const char *p[] = { user_id };
	PGresult *res;

	return db_query(r->db, r->arena, &session_stmts[ST_USER_REVOKE], p, &res);
}
