/* domain/twofa.c — a user's TOTP second factor: set up, turned on, turned off */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/actor.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/totp.h"
#include "core/util.h"
#include "domain/twofa.h"
#include "domain/users.h"

enum { ST_STATE, ST_PENDING, ST_ENABLE, ST_DISABLE, ST_STEP_RESET, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_STATE] = { "twofa_state",
	  "SELECT totp_enabled, totp_secret, totp_pending FROM users"
	  " WHERE id = $1 FOR UPDATE", 1 },
	[ST_PENDING] = { "twofa_pending",
	  "UPDATE users SET totp_pending = $2 WHERE id = $1", 2 },
	[ST_ENABLE] = { "twofa_enable",
	  "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL,"
	  " totp_enabled = true, updated_at = now() WHERE id = $1", 1 },
	[ST_DISABLE] = { "twofa_disable",
	  "UPDATE users SET totp_secret = NULL, totp_pending = NULL,"
	  " totp_enabled = false, twofa_disabled_at = now(), updated_at = now()"
	  " WHERE id = $1", 1 },
	[ST_STEP_RESET] = { "twofa_step_reset",
	  "UPDATE users SET totp_last_step = 0 WHERE id = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "twofa statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

enum err
twofa_setup(struct ctx *c, struct twofa_secret *out)
{
	unsigned char sealed[TOTP_B32LEN + SEAL_OVERHEAD];
	char hex[2 * sizeof(sealed) + 3], sctx[64];
	const char *p[2] = { c->actor->idtxt, hex };
	PGresult *res;
	size_t n;
	enum err e;

	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_STATE, p, &res)) != ERR_OK)
		goto fail;
	if (strcmp(db_val(res, 0, 0), "t") == 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	snprintf(sctx, sizeof(sctx), "totp:%s", c->actor->public_id);
	if (totp_secret_new(out->secret) == -1 ||
	    totp_uri(out->secret, "hzm", c->actor->email, out->uri,
	    sizeof(out->uri)) == -1 ||
	    crypto_seal(sctx, out->secret, strlen(out->secret), sealed,
	    sizeof(sealed), &n) == -1) {
		e = ERR_INTERNAL;
		goto fail;
	}
	hex[0] = '\\';
	hex[1] = 'x';
	util_hex(sealed, n, hex + 2);
	if ((e = q(c, ST_PENDING, p, &res)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	OPENSSL_cleanse(out->secret, sizeof(out->secret));
	db_rollback(c->db);
	return e;
}

/* enable: a code of the pending secret; disable: of the current one. */
enum err
twofa_change(struct ctx *c, int enable, const char *code, const char **msg)
{
	const char *p[1] = { c->actor->idtxt };
	unsigned char *sealed;
	size_t len;
	PGresult *res, *res2;
	enum err e;

	*msg = NULL;
	if (!enable && (c->actor->roles & ROLES_STAFF)) {
		*msg = "Staff accounts must keep two-factor authentication";
		return ERR_FORBIDDEN;
	}
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_STATE, p, &res)) != ERR_OK)
		goto fail;
	if ((strcmp(db_val(res, 0, 0), "t") == 0) == enable) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((sealed = db_bytea(c->arena, db_val(res, 0, enable ? 2 : 1),
	    &len)) == NULL) {
		if (enable)
			*msg = "Call /auth/2fa/setup first";
		e = ERR_CONFLICT;
		goto fail;
	}
	/* A new secret starts its own sequence of steps. */
	if (enable && (e = q(c, ST_STEP_RESET, p, &res2)) != ERR_OK)
		goto fail;
	if ((e = user_totp_check(c, c->actor->idtxt, c->actor->public_id,
	    sealed, len, code)) != ERR_OK)
		goto fail;
	if ((e = q(c, enable ? ST_ENABLE : ST_DISABLE, p, &res2)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

enum err
twofa_off(struct ctx *c, const char *user_id)
{
	const char *p[1] = { user_id };
	PGresult *res;

	return q(c, ST_DISABLE, p, &res);
}
