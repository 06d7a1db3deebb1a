/* core/auth.c — bearer-token authentication for the accept loop, and the user it names */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/app.h"
#include "core/auth.h"
#include "core/mc.h"
#include "core/token.h"

const struct stmt auth_stmts[] = {
	{ "auth_user_by_public_id",
	  "SELECT u.id, u.public_id, u.email, u.status, u.kyc_level,"
	  " u.totp_enabled, floor(extract(epoch FROM u.password_changed_at))::bigint,"
	  " coalesce(string_agg(r.role, ',' ORDER BY r.role), '')"
	  " FROM users u LEFT JOIN user_roles r ON r.user_id = u.id"
	  " WHERE u.public_id = $1 GROUP BY u.id", 1 },
	{ "auth_revoked",
	  "SELECT 1 FROM revoked_access_tokens WHERE jti = $1", 1 },
	{ "auth_revoke",
	  "INSERT INTO revoked_access_tokens (jti, expires_at)"
	  " VALUES ($1, to_timestamp($2)) ON CONFLICT DO NOTHING", 2 },
};
const size_t auth_nstmts = nitems(auth_stmts);

enum { ST_USER, ST_REVOKED, ST_REVOKE };

unsigned
auth_roles_parse(const char *s)
{
	unsigned r = 0;
	const char *p = s;
	size_t n;

	while (p != NULL && *p != '\0') {
		n = strcspn(p, ",");
		if (n == 4 && strncmp(p, "USER", 4) == 0)
			r |= ROLE_USER;
		else if (n == 5 && strncmp(p, "ADMIN", 5) == 0)
			r |= ROLE_ADMIN;
		else if (n == 10 && strncmp(p, "COMPLIANCE", 10) == 0)
			r |= ROLE_COMPLIANCE;
		p += n;
		if (*p == ',')
			p++;
	}
	return r;
}

const char *
auth_roles_text(unsigned r, char *buf, size_t sz)
{
	snprintf(buf, sz, "%s%s%s%s%s",
	    (r & ROLE_USER) ? "USER" : "",
	    (r & ROLE_USER) && (r & (ROLE_ADMIN | ROLE_COMPLIANCE)) ? "," : "",
	    (r & ROLE_ADMIN) ? "ADMIN" : "",
	    (r & ROLE_ADMIN) && (r & ROLE_COMPLIANCE) ? "," : "",
	    (r & ROLE_COMPLIANCE) ? "COMPLIANCE" : "");
	return buf;
}

static enum err
user_fill(PGresult *res, struct user *u, long long *pw_changed)
{
	memset(u, 0, sizeof(*u));
	u->id = strtoll(db_val(res, 0, 0), NULL, 10);
	snprintf(u->idtxt, sizeof(u->idtxt), "%s", db_val(res, 0, 0));
	snprintf(u->public_id, sizeof(u->public_id), "%s", db_val(res, 0, 1));
	snprintf(u->email, sizeof(u->email), "%s", db_val(res, 0, 2));
	snprintf(u->status, sizeof(u->status), "%s", db_val(res, 0, 3));
	u->kyc_level = (int)util_long(db_val(res, 0, 4), 0);
	u->totp_enabled = strcmp(db_val(res, 0, 5), "t") == 0;
	if (pw_changed != NULL)
		*pw_changed = strtoll(db_val(res, 0, 6), NULL, 10);
	u->roles = auth_roles_parse(db_val(res, 0, 7));
	return ERR_OK;
}

static enum err
user_load(struct req *r, const char *public_id, struct user *u,
    long long *pw_changed)
{
	const char *p[] = { public_id };
	PGresult *res;
	enum err e;

	if ((e = db_query(r->db, r->arena, &auth_stmts[ST_USER], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	return user_fill(res, u, pw_changed);
}

enum err
auth_user_load(struct req *r, const char *public_id, struct user *u)
{
	return user_load(r, public_id, u, NULL);
}

/*
 * Revoked (logged-out) tokens: memcached first; if memcached cannot
 * answer, PostgreSQL, which holds the same list, so an outage never turns
 * a revoked token valid again.
 */
static enum err
revoked(struct req *r, const char *jti, int *yes)
{
	char key[64];
	const char *p[] = { jti };
	PGresult *res;
	enum err e;
	int m;

	snprintf(key, sizeof(key), "deny:%s", jti);
	if ((m = mc_exists(key)) >= 0) {
		*yes = m;
		return ERR_OK;
	}
	if ((e = db_query(r->db, r->arena, &auth_stmts[ST_REVOKED], p, &res)) != ERR_OK)
		return e;
	*yes = PQntuples(res) > 0;
	return ERR_OK;
}

enum err
auth_revoke_access(struct req *r, const char *jti, time_t exp)
{
	char key[64], when[24];
	const char *p[] = { jti, when };
	PGresult *res;
	time_t ttl = exp - r->now.tv_sec;

	if (ttl <= 0)
		return ERR_OK;
	snprintf(key, sizeof(key), "deny:%s", jti);
	snprintf(when, sizeof(when), "%lld", (long long)exp);
	(void)mc_set(key, "1", 1, ttl + 1);
	return db_query(r->db, r->arena, &auth_stmts[ST_REVOKE], p, &res);
}

enum err
auth_request(struct req *r, enum auth need, struct user *u)
{
	struct token_claims c;
	const char *h = req_header(r, "Authorization");
	long long pw_changed = 0;
	enum err e;
	int rc, rev;

	if (need == AUTH_NONE)
		return ERR_OK;
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return ERR_UNAUTHORIZED;
	h += 7;
	while (*h == ' ')
		h++;
	rc = token_verify(h, r->now.tv_sec, &c);
	if (rc == TOKEN_EXPIRED)
		return ERR_AUTH_002;
	if (rc == TOKEN_ESYS)
		return ERR_INTERNAL;
	if (rc != TOKEN_OK)
		return ERR_AUTH_003;
	if ((e = revoked(r, c.jti, &rev)) != ERR_OK)
		return e;
	if (rev)
		return ERR_AUTH_003;
	if ((e = user_load(r, c.sub, u, &pw_changed)) != ERR_OK)
		return e == ERR_NOT_FOUND ? ERR_AUTH_003 : e;
	/* A password change ends every session that came before it. */
	if ((long long)c.iat < pw_changed)
		return ERR_AUTH_003;
	if (strcmp(u->status, "SUSPENDED") == 0 ||
	    strcmp(u->status, "BLOCKED") == 0)
		return ERR_COMPLIANCE_003;
	if (strcmp(u->status, "ACTIVE") != 0)
		return ERR_FORBIDDEN;
	u->admin_session = c.admin;
	snprintf(u->jti, sizeof(u->jti), "%s", c.jti);
	snprintf(u->sid, sizeof(u->sid), "%s", c.sid);
	u->token_exp = c.exp;
	switch (need) {
	case AUTH_ADMIN:
		if (!u->admin_session || !(u->roles & ROLE_ADMIN))
			return ERR_FORBIDDEN;
		break;
	case AUTH_STAFF:
		if (!u->admin_session ||
		    !(u->roles & (ROLE_ADMIN | ROLE_COMPLIANCE)))
			return ERR_FORBIDDEN;
		break;
	default:
		break;
	}
	return ERR_OK;
}
