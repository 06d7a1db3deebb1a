/* handlers/users.c — /api/v1/users: the caller's own profile and sessions */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/app.h"
#include "core/input.h"
#include "core/valid.h"
#include "domain/session.h"
#include "domain/users.h"
#include "domain/auth.h"
#include "domain/codes.h"
#include "domain/notify_sms.h"
#include "domain/session_list.h"

#define DISPLAY_NAME_MAX	64	/* characters */


static const struct stmt stmts[] = {
	{ "users_profile",
	  "SELECT u.public_id, u.email, u.phone_number, u.display_name,"
	  " u.status, u.kyc_level, u.totp_enabled,"
	  " u.email_verified_at IS NOT NULL, " DB_ISO("u.created_at") ","
	  " " DB_ISO("u.updated_at") ","
	  " coalesce((SELECT string_agg(role, ',' ORDER BY role)"
	  "  FROM user_roles WHERE user_id = u.id), ''),"
	  " u.phone_verified_at IS NOT NULL, u.referral_code,"
	  " (SELECT count(*) FROM users f WHERE f.referred_by = u.id)"
	  " FROM users u WHERE u.id = $1", 1 },
	/*
	 * $2/$4: whether the field was sent; null clears it. A new number is
	 * not verified (an account that was ACTIVE by its phone alone is
	 * EMAIL_VERIFIED again); returns whether a code is to be sent: a
	 * number sent that is not verified (sending it again asks anew).
	 */
	{ "users_profile_update",
	  "UPDATE users SET"
	  " phone_number = CASE WHEN $2::boolean THEN $3 ELSE phone_number END,"
	  " phone_verified_at = CASE WHEN $2::boolean AND"
	  "  phone_number IS DISTINCT FROM $3 THEN NULL ELSE phone_verified_at END,"
	  " status = CASE WHEN $2::boolean AND phone_number IS DISTINCT FROM $3"
	  "  AND status IN ('ACTIVE', 'EMAIL_VERIFIED') THEN"
	  "  user_verified_status(email_verified_at, NULL, kyc_level) ELSE status END,"
	  " display_name = CASE WHEN $4::boolean THEN $5 ELSE display_name END,"
	  " updated_at = now() WHERE id = $1"
	  " RETURNING $2::boolean AND phone_number IS NOT NULL"
	  " AND phone_verified_at IS NULL", 5 },
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
	json_object_object_add(o, "phoneVerified",
	    json_object_new_boolean(strcmp(db_val(res, 0, 11), "t") == 0));
	json_object_object_add(o, "referralCode", json_object_new_string(db_val(res, 0, 12)));
	json_object_object_add(o, "referredCount", json_object_new_int64(
	    (int64_t)util_long(db_val(res, 0, 13), 0)));
	json_object_object_add(o, "createdAt", json_object_new_string(db_val(res, 0, 8)));
	json_object_object_add(o, "updatedAt", json_object_new_string(db_val(res, 0, 9)));
	return resp_ok(w, 200, o);
}

static int
profile_get(struct req *r, struct resp *w)
{
	return profile_answer(r, w);
}

/*
 * Only contact details change here. The display name is shown to other
 * people (and to staff), so it is text by valid_text's rules: nothing
 * invisible, no bidi controls, no control characters. Identity fields are
 * named in the refusal, so a client that sends a whole profile back learns
 * why; e-mail changes need their own verified flow, status and KYC level
 * are staff decisions.
 */
enum { P_PHONE, P_NAME };
static const char readonly[] = "cannot be changed here";
static const struct in_field profile_fields[] = {
	[P_PHONE]	= { "phoneNumber", IN_STRING, IN_OPTIONAL, 1, 16,
			    .rule = valid_phone },
	[P_NAME]	= { "displayName", IN_TEXT, IN_OPTIONAL, 1,
			    DISPLAY_NAME_MAX },
	{ "userId",		IN_REFUSED, .hint = readonly },
	{ "email",		IN_REFUSED, .hint = readonly },
	{ "status",		IN_REFUSED, .hint = readonly },
	{ "kycLevel",		IN_REFUSED, .hint = readonly },
	{ "roles",		IN_REFUSED, .hint = readonly },
	{ "twoFactorEnabled",	IN_REFUSED, .hint = readonly },
	{ "emailVerified",	IN_REFUSED, .hint = readonly },
	{ "phoneVerified",	IN_REFUSED, .hint = readonly },
	{ "referralCode",	IN_REFUSED, .hint = readonly },
	{ "referredCount",	IN_REFUSED, .hint = readonly },
	{ "createdAt",		IN_REFUSED, .hint = readonly },
	{ "updatedAt",		IN_REFUSED, .hint = readonly },
	{ NULL }
};

struct sms_job {
	const char	*to;
	char		 code[7];
};

static void
sms_job_run(struct req *r, void *arg)
{
	struct sms_job *j = arg;
	struct ctx c = ctx_req(r);
	char mins[8];
	struct kv vars[] = { { "code", j->code }, { "minutes", mins } };

	snprintf(mins, sizeof(mins), "%d", CODE_TTL_MIN);
	notify_sms(&c, j->to, "verify_phone", vars, nitems(vars));
	OPENSSL_cleanse(j->code, sizeof(j->code));
}

/* The code goes by SMS after the answer (POST /auth/verify-phone takes it). */
static void
phone_code_later(struct req *r, const char *to, char code[7])
{
	struct sms_job *j;

	if ((j = arena_alloc(r->arena, sizeof(*j))) != NULL &&
	    (j->to = arena_strdup(r->arena, to)) != NULL) {
		memcpy(j->code, code, sizeof(j->code));
		app_after(r, sms_job_run, j);
	} else
		log_error("sms verify_phone not sent: out of memory");
	OPENSSL_cleanse(code, 7);
}

/*
 * A field sent as null is cleared. A new phone number gets a code by SMS
 * to verify it with POST /auth/verify-phone.
 */
static int
profile_put(struct req *r, struct resp *w)
{
	const struct in_val *phone = &r->in[P_PHONE], *name = &r->in[P_NAME];
	struct ctx c = ctx_req(r);
	char code[7] = "";
	const char *p[5];
	struct in_err ie;
	PGresult *res;
	enum err e;

	if (!phone->set && !name->set) {
		ie.field = "body";
		ie.reason = "nothing to change: send phoneNumber or displayName";
		return resp_invalid(w, &ie);
	}
	p[0] = r->user->idtxt;
	p[1] = phone->set ? "t" : "f";
	p[2] = phone->s;
	p[3] = name->set ? "t" : "f";
	p[4] = name->s;
	if ((e = db_begin(r->db)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = q(r, ST_UPDATE, p, &res)) != ERR_OK)
		goto fail;
	if (strcmp(db_val(res, 0, 0), "t") == 0) {
		e = code_issue(&c, r->user->idtxt, CODE_VERIFY_PHONE, code);
		if (e == ERR_RATE_LIMIT_EXCEEDED)
			code[0] = '\0';	/* too soon: the last code stands */
		else if (e != ERR_OK)
			goto fail;
	}
	if ((e = db_commit(r->db)) != ERR_OK)
		goto fail;
	if (code[0] != '\0')
		phone_code_later(r, phone->s, code);
	return profile_answer(r, w);
fail:
	db_rollback(r->db);
	OPENSSL_cleanse(code, sizeof(code));
	return resp_error(w, e, NULL);
}

/* §1.4: the devices signed in, and ending one (a user session only). */
static int
sessions_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = session_list_json(&c, &o)) != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, o);
}

static int
session_delete(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "sessionId");
	struct json_object *o;
	enum err e;

	if ((e = session_end(&c, id)) == ERR_NOT_FOUND)
		return resp_error(w, e, "No such active session");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "sessionId", json_object_new_string(id));
	json_object_object_add(o, "ended", json_object_new_boolean(1));
	json_object_object_add(o, "current", json_object_new_boolean(
	    strcmp(id, r->user->sid) == 0));
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "GET", "/api/v1/users/profile", profile_get, AUTH_USER, SCOPE_READ, RL_PROFILE_GET },
	{ "GET", "/api/v1/users/sessions", sessions_get, AUTH_USER, SCOPE_NONE, RL_PROFILE_GET },
	{ "DELETE", "/api/v1/users/sessions/{sessionId}", session_delete, AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
	{ "PUT", "/api/v1/users/profile", profile_put, AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT,
	    profile_fields },
};

int
main(void)
{
	static const struct app app = {
		.name = "users",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
