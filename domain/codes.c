/* domain/codes.c — six-digit codes sent by mail or SMS for verification and password reset: only a keyed hash is stored */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/util.h"
#include "domain/codes.h"

enum {
	ST_RECENT, ST_RETIRE, ST_INSERT, ST_CURRENT, ST_FAIL, ST_CONSUME,
	ST__COUNT
};

static const struct stmt stmts[] = {
	/*
	 * Codes of one purpose issued to a user in the last hour, and whether
	 * the newest is still usable and younger than the cooldown ($3 s).
	 */
	[ST_RECENT] = { "codes_recent",
	  "SELECT count(*),"
	  " coalesce(bool_or(consumed_at IS NULL AND expires_at > now()"
	  "  AND attempts < 5 AND created_at > now() -"
	  "  make_interval(secs => $3::int)), false)"
	  " FROM email_codes WHERE user_id = $1 AND purpose = $2"
	  " AND created_at > now() - interval '1 hour'", 3 },
	[ST_RETIRE] = { "codes_retire",
	  "UPDATE email_codes SET consumed_at = now() WHERE user_id = $1"
	  " AND purpose = $2 AND consumed_at IS NULL", 2 },
	[ST_INSERT] = { "codes_insert",
	  "INSERT INTO email_codes (user_id, purpose, code_hash, expires_at)"
	  " VALUES ($1, $2, $3, now() + make_interval(mins => $4::int))", 4 },
	[ST_CURRENT] = { "codes_current",
	  "SELECT id, code_hash, attempts, expires_at > now() FROM email_codes"
	  " WHERE user_id = $1 AND purpose = $2 AND consumed_at IS NULL"
	  " ORDER BY id DESC LIMIT 1 FOR UPDATE", 2 },
	[ST_FAIL] = { "codes_fail",
	  "UPDATE email_codes SET attempts = attempts + 1 WHERE id = $1", 1 },
	[ST_CONSUME] = { "codes_consume",
	  "UPDATE email_codes SET consumed_at = now() WHERE id = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "codes statements");

static const char *const purposes[] = { "VERIFY_EMAIL", "PASSWORD_RESET",
    "VERIFY_PHONE" };

static int
code_mac(const char *user_id, enum code_purpose p, const char *code,
    unsigned char mac[32])
{
	char key[64];

	snprintf(key, sizeof(key), "code:%s:%s", purposes[p], user_id);
	return crypto_mac(key, code, strlen(code), mac);
}

enum err
code_issue(struct ctx *c, const char *user_id, enum code_purpose p,
    char code[7])
{
	unsigned char mac[32];
	uint32_t v;
	char mins[8], cooldown[16];
	const char *pr[] = { user_id, purposes[p], cooldown }, *pi[4];
	PGresult *res;
	enum err e;

	/*
	 * Per address, not only per client: this bounds both the mail one
	 * address receives and the guesses a distributed attacker gets
	 * (CODE_ATTEMPTS a code).
	 */
	snprintf(cooldown, sizeof(cooldown), "%lld",
	    cfg_int("code_cooldown_seconds", CODE_COOLDOWN_SEC));
	if ((e = db_query(c->db, c->arena, &stmts[ST_RECENT], pr,
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
	pi[2] = db_bytea_param(c->arena, mac, sizeof(mac));
	pi[3] = mins;
	if ((e = db_query(c->db, c->arena, &stmts[ST_RETIRE], pr, &res)) != ERR_OK)
		return e;
	return db_query(c->db, c->arena, &stmts[ST_INSERT], pi, &res);
}

enum err
code_check(struct ctx *c, const char *user_id, enum code_purpose p,
    const char *code)
{
	const char *pr[] = { user_id, purposes[p] }, *pid[1];
	unsigned char mac[32], *stored;
	size_t len;
	PGresult *res, *res2;
	enum err e;

	if ((e = db_query(c->db, c->arena, &stmts[ST_CURRENT], pr,
	    &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_INVALID_REQUEST;
	pid[0] = db_val(res, 0, 0);
	if (util_long(db_val(res, 0, 2), CODE_ATTEMPTS) >= CODE_ATTEMPTS ||
	    strcmp(db_val(res, 0, 3), "t") != 0)
		return ERR_INVALID_REQUEST;
	stored = db_bytea(c->arena, db_val(res, 0, 1), &len);
	if (stored == NULL || len != 32 || code_mac(user_id, p, code, mac) == -1)
		return ERR_INTERNAL;
	if (CRYPTO_memcmp(stored, mac, 32) != 0) {
		if ((e = db_query(c->db, c->arena, &stmts[ST_FAIL], pid,
		    &res2)) != ERR_OK)
			return e;
		return ERR_INVALID_REQUEST;
	}
	return db_query(c->db, c->arena, &stmts[ST_CONSUME], pid, &res2);
}
