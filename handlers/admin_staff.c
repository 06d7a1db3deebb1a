/* handlers/admin_staff.c — /api/v1/admin/staff: staff accounts listed, given a role, re-roled and disabled (ADMIN only) */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "core/list.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/staff.h"

#define REASON_MAX	500

static struct json_object *
staff_json(PGresult *res, int n)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "userId", json_object_new_string(db_val(res, n, 0)));
	json_object_object_add(o, "email", json_object_new_string(db_val(res, n, 1)));
	json_object_object_add(o, "role", json_object_new_string(db_val(res, n, 2)));
	json_object_object_add(o, "status", json_object_new_string(db_val(res, n, 3)));
	json_object_object_add(o, "twoFactorEnabled",
	    json_object_new_boolean(strcmp(db_val(res, n, 4), "t") == 0));
	json_object_object_add(o, "createdAt", json_object_new_string(db_val(res, n, 5)));
	return o;
}

static const struct list_spec staff_spec = {
	(const struct list_filter[]){ { NULL } }, NULL, NULL,
};

static int
staff_get_list(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &staff_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	if ((e = staff_list(&c, lq.pg.limit, lq.pg.offset, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &staff_spec, &lq, res, total, staff_json);
}

/* The member as it now stands, or the refusal the service gave. */
static int
staff_answer(struct req *r, struct resp *w, const char *id, enum err e,
    const char *why, int status)
{
	struct ctx c = ctx_req(r);
	PGresult *res;

	if (e != ERR_OK)
		return resp_error(w, e, why);
	if ((e = staff_get(&c, id, &res)) == ERR_NOT_FOUND) {
		struct json_object *o = json_object_new_object();

		/* Disabled: no longer staff. */
		json_object_object_add(o, "userId", json_object_new_string(id));
		json_object_object_add(o, "role", NULL);
		json_object_object_add(o, "disabled", json_object_new_boolean(1));
		return resp_ok(w, status, o);
	}
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, status, staff_json(res, 0));
}

enum { G_USER, G_ROLE };
static const struct in_field grant_fields[] = {
	[G_USER]	= { "userId", IN_STRING, IN_REQUIRED, 1, 32,
			    .hint = "a user id (usr_...)" },
	[G_ROLE]	= { "role", IN_STRING, IN_REQUIRED, 1, 16,
			    .oneof = staff_roles },
	{ NULL }
};

static int
staff_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = r->in[G_USER].s, *why;
	struct in_err ie = { "userId", "a user id (usr_...)" };
	enum err e;

	if (!valid_public_id(id, "usr_"))
		return resp_invalid(w, &ie);
	e = staff_grant(&c, id, r->in[G_ROLE].s, &why);
	return staff_answer(r, w, id, e, why, 201);
}

static const struct in_field role_fields[] = {
	{ "role", IN_STRING, IN_REQUIRED, 1, 16, .oneof = staff_roles },
	{ NULL }
};

static int
staff_role_put(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "userId"), *why;
	enum err e;

	if (!valid_public_id(id, "usr_"))
		return resp_error(w, ERR_NOT_FOUND, "No such user");
	e = staff_role_set(&c, id, r->in[0].s, &why);
	return staff_answer(r, w, id, e, why, 200);
}

static const struct in_field disable_fields[] = {
	{ "reason", IN_TEXT, IN_REQUIRED, 1, REASON_MAX },
	{ NULL }
};

static int
staff_disable_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "userId"), *why;
	enum err e;

	if (!valid_public_id(id, "usr_"))
		return resp_error(w, ERR_NOT_FOUND, "No such user");
	e = staff_disable(&c, id, r->in[0].s, &why);
	return staff_answer(r, w, id, e, why, 200);
}

static const struct route routes[] = {
	{ "GET",  "/api/v1/admin/staff",			staff_get_list,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLE_ADMIN },
	{ "POST", "/api/v1/admin/staff",			staff_post,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    grant_fields, .roles = ROLE_ADMIN },
	{ "PUT",  "/api/v1/admin/staff/{userId}/role",		staff_role_put,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    role_fields, .roles = ROLE_ADMIN },
	{ "POST", "/api/v1/admin/staff/{userId}/disable",	staff_disable_post, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    disable_fields, .roles = ROLE_ADMIN },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_staff",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
