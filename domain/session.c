/* domain/session.c — sessions: logging in (password, lock-out, TOTP), refresh-token rotation, logout */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/actor.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/input.h"
#include "core/http.h"
#include "core/log.h"
#include "core/password.h"
#include "core/util.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/lockout.h"
#include "domain/session.h"
#include "domain/users.h"

#define REFRESH_PREFIX		"rt_"

enum {
	ST_BY_EMAIL, ST_RT_INSERT, ST_RT_FIND, ST_RT_USE, ST_FAMILY_REVOKE,
	ST_USER_REVOKE, ST_SESSION_OPEN, ST_SESSION_SEEN, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_BY_EMAIL] = { "session_user_by_email",
	  "SELECT u.id, u.public_id, u.email, u.status, u.password_hash,"
	  " u.totp_enabled, u.totp_secret, u.kyc_level,"
	  " coalesce((SELECT string_agg(role, ',' ORDER BY role)"
	  "  FROM user_roles WHERE user_id = u.id), '')"
	  " FROM users u WHERE u.email = $1", 1 },
	[ST_RT_INSERT] = { "session_refresh_insert",
	  "INSERT INTO refresh_tokens (user_id, family, token_hash, admin,"
	  " device_id, ip, expires_at) VALUES ($1, $2, $3, $4, $5, $6,"
	  " now() + make_interval(days => $7::int))", 7 },
	[ST_RT_FIND] = { "session_refresh_find",
	  "SELECT t.id, t.user_id, t.family, t.used_at IS NOT NULL,"
	  " t.revoked_at IS NOT NULL, t.expires_at > now(), t.admin,"
	  " u.public_id, t.device_id FROM refresh_tokens t"
	  " JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1"
	  " FOR UPDATE OF t", 1 },
	[ST_RT_USE] = { "session_refresh_use",
	  "UPDATE refresh_tokens SET used_at = now() WHERE id = $1", 1 },
	[ST_FAMILY_REVOKE] = { "session_family_revoke",
	  "UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1"
	  " AND revoked_at IS NULL", 1 },
	[ST_USER_REVOKE] = { "session_user_revoke",
	  "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1"
	  " AND revoked_at IS NULL", 1 },
	/* §1.4: the device and client a session came from (sql/022). */
	[ST_SESSION_OPEN] = { "session_open",
	  "INSERT INTO sessions (family, user_id, admin, device_id,"
	  " client_version, ip) VALUES ($1, $2, $3, $4, $5, $6)", 6 },
	[ST_SESSION_SEEN] = { "session_seen",
	  "UPDATE sessions SET last_seen_at = now(), ip = coalesce($2, ip),"
	  " device_id = coalesce($3, device_id),"
	  " client_version = coalesce($4, client_version) WHERE family = $1", 4 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "session statements");

/* Verified against when the e-mail is unknown, so both paths cost one hash. */
static const char dummy_hash[] = "$argon2id$v=19$m=19456,t=2,p=1$"
    "c29tZXNhbHRzb21lc2FsdA$Yf0YvLUOIGUNkBPZ8A0c9ybeaUOjm1Kq4OpWBRaxZ8A";

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

const struct in_field session_login_fields[] = {
	[LOGIN_EMAIL]		= { "email",	     IN_EMAIL,  IN_REQUIRED },
	[LOGIN_PASSWORD]	= { "password",	     IN_STRING, IN_REQUIRED, 1, 512 },
	[LOGIN_CODE]		= { "twoFactorCode", IN_DIGITS, IN_OPTIONAL, 6, 6 },
	[LOGIN_DEVICE]		= { "deviceId",	     IN_STRING, IN_OPTIONAL, 1, 128 },
	{ NULL }
};

int
session_client_in(struct login_in *in, const char *device_hdr,
    const char *version_hdr, struct in_err *e)
{
	if (device_hdr != NULL && (e->reason = valid_device_id(device_hdr, 0,
	    NULL)) != NULL) {
		e->field = "X-Device-ID";
		return -1;
	}
	if (version_hdr != NULL && (e->reason = valid_client_version(version_hdr,
	    0, NULL)) != NULL) {
		e->field = "X-Client-Version";
		return -1;
	}
	if (in->device == NULL)
		in->device = device_hdr;
	in->client_version = version_hdr;
	return 0;
}

void
session_login_in(const struct in_val *v, struct login_in *in)
{
	memset(in, 0, sizeof(*in));
	snprintf(in->email, sizeof(in->email), "%s", v[LOGIN_EMAIL].s);
	in->password = v[LOGIN_PASSWORD].s;
	in->code = v[LOGIN_CODE].s;
	in->device = v[LOGIN_DEVICE].s;
}

/*
 * A new refresh token in family (a fresh uuid for a new login) and the
 * access token that goes with it, into out (whose user fields are set).
 */
static enum err
session_issue(struct ctx *c, const char *family, const char *device,
    struct session_out *out)
{
	struct token_claims tc;
	unsigned char raw[32], mac[32];
	char days[8];
	const char *p[7];
	PGresult *res;
	enum err e;

	if (util_random(raw, sizeof(raw)) == -1)
		return ERR_INTERNAL;
	memcpy(out->refresh, REFRESH_PREFIX, sizeof(REFRESH_PREFIX) - 1);
	util_hex(raw, sizeof(raw), out->refresh + sizeof(REFRESH_PREFIX) - 1);
	OPENSSL_cleanse(raw, sizeof(raw));
	if (crypto_mac("refresh", out->refresh, strlen(out->refresh), mac) == -1)
		return ERR_INTERNAL;
	snprintf(days, sizeof(days), "%d", SESSION_REFRESH_TTL_DAYS);
	p[0] = out->user_id;
	p[1] = family;
	p[2] = db_bytea_param(c->arena, mac, sizeof(mac));
	p[3] = out->admin ? "t" : "f";
	p[4] = device;
	p[5] = c->remote_addr;
	p[6] = days;
	if ((e = q(c, ST_RT_INSERT, p, &res)) != ERR_OK)
		return e;
	memset(&tc, 0, sizeof(tc));
	snprintf(tc.sub, sizeof(tc.sub), "%s", out->public_id);
	snprintf(tc.sid, sizeof(tc.sid), "%s", family);
	snprintf(tc.roles, sizeof(tc.roles), "%s", out->roles);
	tc.kyc_level = out->kyc_level;
	tc.admin = out->admin;
	if (token_issue(&tc, c->now.tv_sec, out->access, sizeof(out->access)) !=
	    TOKEN_OK)
		return ERR_INTERNAL;
	out->expires_in = (long)(tc.exp - tc.iat);
	return ERR_OK;
}

struct json_object *
session_json(const struct session_out *s)
{
	struct json_object *o = json_object_new_object(), *u;

	json_object_object_add(o, "accessToken", json_object_new_string(s->access));
	json_object_object_add(o, "refreshToken", json_object_new_string(s->refresh));
	json_object_object_add(o, "expiresIn", json_object_new_int((int)s->expires_in));
	json_object_object_add(o, "tokenType", json_object_new_string("Bearer"));
	u = json_object_new_object();
	json_object_object_add(u, "userId", json_object_new_string(s->public_id));
	json_object_object_add(u, "email", json_object_new_string(s->email));
	json_object_object_add(u, "kycLevel",
	    json_object_new_string(user_level_text(s->kyc_level)));
	json_object_object_add(u, "roles", json_csv_array(s->roles));
	json_object_object_add(o, "user", u);
	if (s->admin)
		json_object_object_add(o, "adminSession", json_object_new_boolean(1));
	return o;
}

struct json_object *
session_refusal(const struct session_out *s)
{
	struct json_object *d;

	if (!s->need_2fa)
		return NULL;
	d = json_object_new_object();
	json_object_object_add(d, "twoFactorRequired", json_object_new_boolean(1));
	return d;
}

/* The credentials: password, account state, role and second factor. */
static enum err
login_check(struct ctx *c, const struct login_in *in, const char *acct,
    PGresult **res, struct session_out *out)
{
	const char *p[1] = { in->email };
	unsigned char *sealed;
	size_t sealedlen;
	unsigned roles;
	enum err e;
	int found, ok;

	if ((e = q(c, ST_BY_EMAIL, p, res)) != ERR_OK)
		return e;
	found = PQntuples(*res) == 1;
	/* Same work whether or not the account exists. */
	ok = password_verify(found ? db_val(*res, 0, 4) : dummy_hash,
	    in->password) && found;
	roles = ok ? auth_roles_parse(db_val(*res, 0, 8)) : 0;
	if (!ok || (in->admin && !(roles & ROLES_STAFF))) {
		lockout_fail(c, acct);
		return ERR_AUTH_001;
	}
	if (strcmp(db_val(*res, 0, 3), "SUSPENDED") == 0 ||
	    strcmp(db_val(*res, 0, 3), "BLOCKED") == 0)
		return ERR_COMPLIANCE_003;
	if (!user_status_usable(db_val(*res, 0, 3))) {
		out->message = "E-mail address not verified yet";
		return ERR_FORBIDDEN;
	}
	if (strcmp(db_val(*res, 0, 5), "t") != 0) {
		/* Staff accounts work only with 2FA. */
		if (in->admin) {
			out->message = "Two-factor authentication must be "
			    "enabled for admin access";
			return ERR_FORBIDDEN;
		}
		return ERR_OK;
	}
	if (in->code == NULL) {
		out->need_2fa = 1;
		out->message = "Two-factor code required";
		return ERR_AUTH_004;
	}
	if ((sealed = db_bytea(c->arena, db_val(*res, 0, 6), &sealedlen)) == NULL)
		return ERR_INTERNAL;
	e = user_totp_check(c, db_val(*res, 0, 0), db_val(*res, 0, 1), sealed,
	    sealedlen, in->code);
	if (e == ERR_AUTH_004)
		lockout_fail(c, acct);
	return e;
}

enum err
session_login(struct ctx *c, const struct login_in *in, session_hook hook,
    void *hookarg, struct session_out *out)
{
	char acct[LOCKOUT_KEYLEN], family[UUID_LEN + 1];
	PGresult *res;
	enum err e;

	memset(out, 0, sizeof(*out));
	if (lockout_key(acct, in->email) == -1)
		return ERR_INTERNAL;
	if ((e = lockout_check(c, acct, &out->retry_after)) != ERR_OK) {
		if (e == ERR_RATE_LIMIT_EXCEEDED)
			out->message = "Too many failed logins; try again later";
		return e;
	}
	/* Failures are counted outside any transaction: they must stay. */
	if ((e = login_check(c, in, acct, &res, out)) != ERR_OK)
		return e;
	lockout_clear(c, acct);
	snprintf(out->user_id, sizeof(out->user_id), "%s", db_val(res, 0, 0));
	snprintf(out->public_id, sizeof(out->public_id), "%s", db_val(res, 0, 1));
	snprintf(out->email, sizeof(out->email), "%s", db_val(res, 0, 2));
	snprintf(out->roles, sizeof(out->roles), "%s", db_val(res, 0, 8));
	out->kyc_level = (int)util_long(db_val(res, 0, 7), 0);
	out->admin = in->admin;
	util_uuid(family);
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	{
		const char *ps[6] = { family, out->user_id, out->admin ? "t" : "f",
		    in->device, in->client_version, c->remote_addr };

		if ((e = q(c, ST_SESSION_OPEN, ps, &res)) != ERR_OK) {
			db_rollback(c->db);
			return e;
		}
	}
	if ((e = session_issue(c, family, in->device, out)) != ERR_OK ||
	    (hook != NULL && (e = hook(c, out, hookarg)) != ERR_OK) ||
	    (e = db_commit(c->db)) != ERR_OK) {
		db_rollback(c->db);
		return e;
	}
	return ERR_OK;
}

enum err
session_refresh(struct ctx *c, const char *rt, const struct login_in *client,
    struct session_out *out)
{
	unsigned char mac[32];
	const char *p[1], *pf[1], *ps[4];
	struct user u;
	PGresult *res, *res2;
	enum err e;

	memset(out, 0, sizeof(*out));
	if (crypto_mac("refresh", rt, strlen(rt), mac) == -1)
		return ERR_INTERNAL;
	p[0] = db_bytea_param(c->arena, mac, sizeof(mac));
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_RT_FIND, p, &res)) != ERR_OK)
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
		if ((e = q(c, ST_FAMILY_REVOKE, pf, &res2)) != ERR_OK ||
		    (e = db_commit(c->db)) != ERR_OK)
			goto fail;
		log_info("refresh token reuse: family %s revoked", pf[0]);
		out->message = "Refresh token reused; session revoked";
		return ERR_AUTH_003;
	}
	if (strcmp(db_val(res, 0, 4), "t") == 0 ||
	    strcmp(db_val(res, 0, 5), "t") != 0) {
		e = ERR_AUTH_003;
		goto fail;
	}
	if ((e = auth_user_load(c, db_val(res, 0, 7), &u)) != ERR_OK)
		goto fail;
	if (!user_status_usable(u.status)) {
		e = strcmp(u.status, "PENDING_VERIFICATION") == 0 ?
		    ERR_AUTH_003 : ERR_COMPLIANCE_003;
		goto fail;
	}
	p[0] = db_val(res, 0, 0);
	snprintf(out->user_id, sizeof(out->user_id), "%s", u.idtxt);
	snprintf(out->public_id, sizeof(out->public_id), "%s", u.public_id);
	snprintf(out->email, sizeof(out->email), "%s", u.email);
	auth_roles_text(u.roles, out->roles, sizeof(out->roles));
	out->kyc_level = u.kyc_level;
	out->admin = strcmp(db_val(res, 0, 6), "t") == 0;
	ps[0] = pf[0];
	ps[1] = c->remote_addr;
	ps[2] = client != NULL ? client->device : NULL;
	ps[3] = client != NULL ? client->client_version : NULL;
	if ((e = q(c, ST_RT_USE, p, &res2)) != ERR_OK ||
	    (e = q(c, ST_SESSION_SEEN, ps, &res2)) != ERR_OK ||
	    (e = session_issue(c, pf[0], ps[2] != NULL ? ps[2] :
	    db_val(res, 0, 8), out)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

enum err
session_logout(struct ctx *c)
{
	const char *p[] = { c->actor->sid };
	PGresult *res;
	enum err e;

	if (c->actor->sid[0] != '\0' &&
	    (e = q(c, ST_FAMILY_REVOKE, p, &res)) != ERR_OK)
		return e;
	return auth_revoke_access(c, c->actor->jti, c->actor->token_exp);
}

enum err
session_revoke_user(struct ctx *c, const char *user_id)
{
	const char *p[] = { user_id };
	PGresult *res;

	return q(c, ST_USER_REVOKE, p, &res);
}
