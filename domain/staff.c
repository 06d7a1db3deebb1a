/* domain/staff.c — staff accounts: a user with 2FA given one staff role, re-roled or disabled by an admin, each change audited */
#include <string.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/list.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/staff.h"
#include "domain/users.h"

const char *const staff_roles[] = { "ADMIN", "COMPLIANCE", "SUPPORT", NULL };

#define STAFF_ROW \
	"SELECT u.public_id, u.email, r.role, u.status, u.totp_enabled," \
	" " DB_ISO("u.created_at") \
	" FROM user_roles r JOIN users u ON u.id = r.user_id" \
	" WHERE r.role <> 'USER'"

enum {
	ST_COUNT, ST_LIST, ST_ONE, ST_LOCK, ST_GRANT, ST_SET, ST_DROP,
	ST_END_SESSIONS, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_COUNT] = { "staff_count",
	  "SELECT count(*) FROM user_roles WHERE role <> 'USER'", 0 },
	[ST_LIST] = { "staff_list",
	  STAFF_ROW " ORDER BY u.id LIMIT $1 OFFSET $2", 2 },
	[ST_ONE] = { "staff_one", STAFF_ROW " AND u.public_id = $1", 1 },
	/* The user and their staff role (NULL: none), locked for the change. */
	[ST_LOCK] = { "staff_lock",
	  "SELECT u.id, u.status, u.totp_enabled, (SELECT role FROM user_roles"
	  "  WHERE user_id = u.id AND role <> 'USER')"
	  " FROM users u WHERE u.public_id = $1 FOR UPDATE", 1 },
	[ST_GRANT] = { "staff_grant",
	  "INSERT INTO user_roles (user_id, role) VALUES ($1, $2)", 2 },
	[ST_SET] = { "staff_set",
	  "UPDATE user_roles SET role = $2 WHERE user_id = $1 AND role <> 'USER'", 2 },
	[ST_DROP] = { "staff_drop",
	  "DELETE FROM user_roles WHERE user_id = $1 AND role <> 'USER'", 1 },
	/* Console sessions end with their refresh family (domain/auth.c). */
	[ST_END_SESSIONS] = { "staff_end_sessions",
	  "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1"
	  " AND admin AND revoked_at IS NULL", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "staff statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

enum err
staff_list(struct ctx *c, const char *limit, const char *offset,
    PGresult **rows, long long *total)
{
	const char *p[2] = { limit, offset };
	PGresult *cnt;
	enum err e;

	if ((e = q(c, ST_COUNT, NULL, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return q(c, ST_LIST, p, rows);
}

enum err
staff_get(struct ctx *c, const char *user_id, PGresult **row)
{
	const char *p[1] = { user_id };
	enum err e;

	if ((e = q(c, ST_ONE, p, row)) != ERR_OK)
		return e;
	return PQntuples(*row) == 1 ? ERR_OK : ERR_NOT_FOUND;
}

/* The target locked: its id, status, 2FA and staff role (NULL: none). */
struct target {
	const char	*id;
	const char	*status;
	int		 totp;
	const char	*role;
};

static enum err
target_lock(struct ctx *c, const char *user_id, struct target *t,
    const char **why)
{
	const char *p[1] = { user_id };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_LOCK, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1) {
		*why = "No such user";
		return ERR_NOT_FOUND;
	}
	t->id = db_val(res, 0, 0);
	t->status = db_val(res, 0, 1);
	t->totp = strcmp(db_val(res, 0, 2), "t") == 0;
	t->role = db_val(res, 0, 3);
	/* An admin who re-roles or disables themselves may lock everyone out. */
	if (c->actor != NULL && strcmp(c->actor->idtxt, t->id) == 0) {
		*why = "Staff cannot change their own role";
		return ERR_FORBIDDEN;
	}
	return ERR_OK;
}

static enum err
audit_change(struct ctx *c, const struct target *t, const char *user_id,
    const char *action, const char *from, const char *to, const char *reason)
{
	struct json_object *d = json_own(c->arena, json_object_new_object());

	if (d == NULL)
		return ERR_INTERNAL;
	json_object_object_add(d, "previousRole", json_str_or_null(from));
	json_object_object_add(d, "role", json_str_or_null(to));
	return audit_write(c, "STAFF", c->actor, t->id, user_id, action, reason, d);
}

/* One change in one transaction: lock, decide, write, audit. */
enum staff_op { OP_GRANT, OP_SET, OP_DISABLE };

static enum err
staff_change(struct ctx *c, enum staff_op op, const char *user_id,
    const char *role, const char *reason, const char **why)
{
	struct target t;
	const char *p[2];
	PGresult *res;
	enum err e;

	*why = NULL;
	if (role != NULL && !list_oneof(role, staff_roles))
		return ERR_INVALID_REQUEST;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = target_lock(c, user_id, &t, why)) != ERR_OK)
		goto fail;
	p[0] = t.id;
	p[1] = role;
	e = ERR_CONFLICT;
	if (op == OP_GRANT) {
		if (t.role != NULL) {
			*why = "The user is staff already";
			goto fail;
		}
		/* Staff work with 2FA only: no code, no console. */
		e = ERR_FORBIDDEN;
		if (!user_status_usable(t.status) || !t.totp) {
			*why = "Staff accounts must be in good standing with 2FA enabled";
			goto fail;
		}
		if ((e = q(c, ST_GRANT, p, &res)) != ERR_OK ||
		    (e = audit_change(c, &t, user_id, "GRANTED", NULL, role,
		    reason)) != ERR_OK)
			goto fail;
	} else if (t.role == NULL) {
		*why = "The user is not staff";
		e = ERR_NOT_FOUND;
		goto fail;
	} else if (op == OP_SET) {
		if (strcmp(t.role, role) == 0) {
			*why = "The member has that role already";
			goto fail;
		}
		if ((e = q(c, ST_SET, p, &res)) != ERR_OK ||
		    (e = audit_change(c, &t, user_id, "ROLE_CHANGED", t.role,
		    role, reason)) != ERR_OK)
			goto fail;
	} else {
		if ((e = q(c, ST_DROP, p, &res)) != ERR_OK ||
		    (e = q(c, ST_END_SESSIONS, p, &res)) != ERR_OK ||
		    (e = audit_change(c, &t, user_id, "DISABLED", t.role, NULL,
		    reason)) != ERR_OK)
			goto fail;
	}
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

enum err
staff_grant(struct ctx *c, const char *user_id, const char *role,
    const char **why)
{
	return staff_change(c, OP_GRANT, user_id, role, NULL, why);
}

enum err
staff_role_set(struct ctx *c, const char *user_id, const char *role,
    const char **why)
{
	return staff_change(c, OP_SET, user_id, role, NULL, why);
}

enum err
staff_disable(struct ctx *c, const char *user_id, const char *reason,
    const char **why)
{
	return staff_change(c, OP_DISABLE, user_id, NULL, reason, why);
}
