/* handlers/users.c — /api/v1/users: the caller's own profile */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "core/valid.h"
#include "domain/session.h"
#include "domain/users.h"
#include "domain/auth.h"

#define DISPLAY_NAME_MAX	64	/* characters */


static const struct stmt stmts[] = {
	{ "users_profile",
	  "SELECT u.public_id, u.email, u.phone_number, u.display_name,"
	  " u.status, u.kyc_level, u.totp_enabled,"
	  " u.email_verified_at IS NOT NULL, " DB_ISO("u.created_at") ","
	  " " DB_ISO("u.updated_at") ","
	  " coalesce((SELECT string_agg(role, ',' ORDER BY role)"
	  "  FROM user_roles WHERE user_id = u.id), '')"
	  " FROM users u WHERE u.id = $1", 1 },
	/* $2/$4: whether the field was sent; null clears it. */
	{ "users_profile_update",
	  "UPDATE users SET"
	  " phone_number = CASE WHEN $2::boolean THEN $3 ELSE phone_number END,"
	  " display_name = CASE WHEN $4::boolean THEN $5 ELSE display_name END,"
	  " updated_at = now() WHERE id = $1", 5 },
};

enum { ST_PROFILE, ST_UPDATE };

static enum err
q(struct req *r, int st, const char *const *p, PGresult **res)
{
	return db_query(r->db, r->arena, &stmts[st], p, res);
}

static int
profile_answer(struct req *r, struct resp *w)
{
	const char *p[] = { r->user->idtxt };
	struct json_object *o;
	PGresult *res;
	enum err e;

	if ((e = q(r, ST_PROFILE, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (PQntuples(res) != 1)
		return resp_error(w, ERR_NOT_FOUND, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "userId", json_object_new_string(db_val(res, 0, 0)));
	json_object_object_add(o, "email", json_object_new_string(db_val(res, 0, 1)));
	json_object_object_add(o, "phoneNumber", json_str_or_null(db_val(res, 0, 2)));
	json_object_object_add(o, "displayName", json_str_or_null(db_val(res, 0, 3)));
	json_object_object_add(o, "status", json_object_new_string(db_val(res, 0, 4)));
	json_object_object_add(o, "kycLevel", json_object_new_string(
	    user_level_text((int)util_long(db_val(res, 0, 5), 0))));
	json_object_object_add(o, "roles", json_csv_array(db_val(res, 0, 10)));
	json_object_object_add(o, "twoFactorEnabled",
	    json_object_new_boolean(strcmp(db_val(res, 0, 6), "t") == 0));
	json_object_object_add(o, "emailVerified",
	    json_object_new_boolean(strcmp(db_val(res, 0, 7), "t") == 0));
	json_object_object_add(o, "createdAt", json_object_new_string(db_val(res, 0, 8)));
	json_object_object_add(o, "updatedAt", json_object_new_string(db_val(res, 0, 9)));
	return resp_ok(w, 200, o);
}

static int
profile_get(struct req *r, struct resp *w)
{
	return profile_answer(r, w);
}

static int
has_field(struct json_object *o, const char *name)
{
	struct json_object *v;

	return o != NULL && json_object_object_get_ex(o, name, &v);
}

/*
 * Only contact details change here. The display name is shown to other
 * people (and to staff), so it is text by in_text's rules: nothing
 * invisible, no bidi controls, no control characters. Identity fields are named in the
 * refusal, so a client that sends a whole profile back learns why; e-mail
 * changes need their own verified flow, status and KYC level are staff
 * decisions.
 */
static int
profile_put(struct req *r, struct resp *w)
{
	static const char *const fields[] = { "phoneNumber", "displayName", NULL };
	static const char *const readonly[] = { "userId", "email", "status",
	    "kycLevel", "roles", "twoFactorEnabled", "emailVerified",
	    "createdAt", "updatedAt", NULL };
	const char *phone, *name, *p[5];
	const char *const *f;
	struct in_err ie;
	PGresult *res;
	enum err e;
	int hasphone, hasname;

	for (f = readonly; *f != NULL; f++)
		if (has_field(r->json, *f)) {
			ie.field = *f;
			ie.reason = "cannot be changed here";
			return resp_invalid(w, &ie);
		}
	if (in_only(r->json, fields, &ie) == -1 ||
	    in_string(r->json, "phoneNumber", IN_OPTIONAL, 1, 16, &phone, &ie) == -1 ||
	    in_text(r->json, "displayName", IN_OPTIONAL, 1, DISPLAY_NAME_MAX,
	    &name, &ie) == -1)
		return resp_invalid(w, &ie);
	hasphone = has_field(r->json, "phoneNumber");
	hasname = has_field(r->json, "displayName");
	if (!hasphone && !hasname) {
		ie.field = "body";
		ie.reason = "nothing to change: send phoneNumber or displayName";
		return resp_invalid(w, &ie);
	}
	if (phone != NULL &&
	    (ie.reason = valid_phone(phone, r->now.tv_sec, NULL)) != NULL) {
		ie.field = "phoneNumber";
		return resp_invalid(w, &ie);
	}
	p[0] = r->user->idtxt;
	p[1] = hasphone ? "t" : "f";
	p[2] = phone;
	p[3] = hasname ? "t" : "f";
	p[4] = name;
	if ((e = q(r, ST_UPDATE, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	return profile_answer(r, w);
}

static const struct route routes[] = {
	{ "GET", "/api/v1/users/profile", profile_get, AUTH_USER, SCOPE_READ, RL_PROFILE_GET },
	{ "PUT", "/api/v1/users/profile", profile_put, AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
};

int
main(void)
{
	static const struct app app = {
		.name = "users",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
	};

	return app_run(&app);
}
