/* handlers/auth.c — /api/v1/auth: register, verify e-mail and phone, login, refresh, logout, password reset, 2FA */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/app.h"
#include "core/cookie.h"
#include "core/crypto.h"
#include "core/input.h"
#include "core/mail.h"
#include "core/password.h"
#include "core/totp.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/codes.h"
#include "domain/codes_send.h"
#include "domain/notify.h"
#include "domain/notify_sms.h"
#include "domain/compliance.h"
#include "domain/screening.h"
#include "domain/session.h"
#include "domain/twofa.h"
#include "domain/users.h"

static const struct stmt stmts[] = {
	{ "auth_register",
	  "INSERT INTO users (public_id, email, password_hash, phone_number,"
	  " referred_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING"
	  " RETURNING id", 5 },
	{ "auth_role_user",
	  "INSERT INTO user_roles (user_id, role) VALUES ($1, 'USER')"
	  " ON CONFLICT DO NOTHING", 1 },
	{ "auth_by_email",
	  "SELECT id, public_id, status, kyc_level, totp_enabled FROM users"
	  " WHERE email = $1 FOR UPDATE", 1 },
	/* A registration of an address not verified yet replaces the last one's. */
	{ "auth_replace_pending",
	  "UPDATE users SET password_hash = $2, phone_number = $3,"
	  " phone_verified_at = CASE WHEN phone_number IS NOT DISTINCT FROM $3"
	  "  THEN phone_verified_at END, referred_by = $4,"
	  " password_changed_at = now(), updated_at = now()"
	  " WHERE id = $1 AND status = 'PENDING_VERIFICATION'", 4 },
	/* Codes are issued upper-case; people type them as they like. */
	{ "auth_referrer",
	  "SELECT id FROM users WHERE referral_code = upper($1)", 1 },
	{ "auth_keys_revoke",
	  "UPDATE api_keys SET revoked_at = now() WHERE user_id = $1"
	  " AND revoked_at IS NULL", 1 },
	/*
	 * §11.1: EMAIL_VERIFIED, or ACTIVE (LEVEL_1) when the phone was
	 * verified first. user_verified_status() is sql/022's one rule.
	 */
	{ "auth_activate",
	  "UPDATE users SET email_verified_at = now(),"
	  " status = user_verified_status(now(), phone_verified_at, kyc_level),"
	  " kyc_level = CASE WHEN phone_verified_at IS NOT NULL"
	  "  THEN greatest(kyc_level, 1) ELSE kyc_level END,"
	  " updated_at = now() WHERE id = $1 AND status = 'PENDING_VERIFICATION'"
	  " RETURNING status, phone_number IS NOT NULL AND phone_verified_at IS NULL", 1 },
	{ "auth_set_password",
	  "UPDATE users SET password_hash = $2, password_changed_at = now(),"
	  " updated_at = now(), email_verified_at = coalesce(email_verified_at, now()),"
	  " status = CASE status WHEN 'PENDING_VERIFICATION' THEN"
	  "  user_verified_status(now(), phone_verified_at, kyc_level)"
	  " ELSE status END,"
	  " kyc_level = CASE WHEN phone_verified_at IS NOT NULL"
	  "  THEN greatest(kyc_level, 1) ELSE kyc_level END WHERE id = $1", 2 },
	/* The phone verified: LEVEL_1 once the e-mail is too (Appendix C). */
	{ "auth_phone_verified",
	  "UPDATE users SET phone_verified_at = now(),"
	  " status = CASE WHEN status IN ('PENDING_VERIFICATION', 'EMAIL_VERIFIED')"
	  "  THEN user_verified_status(email_verified_at, now(), kyc_level)"
	  "  ELSE status END,"
	  " kyc_level = CASE WHEN email_verified_at IS NOT NULL"
	  "  THEN greatest(kyc_level, 1) ELSE kyc_level END,"
	  " updated_at = now() WHERE id = $1 AND phone_number IS NOT NULL"
	  " AND phone_verified_at IS NULL"
	  " RETURNING status, kyc_level, phone_number, email_verified_at IS NOT NULL", 1 },
};

enum {
	ST_REGISTER, ST_ROLE_USER, ST_BY_EMAIL, ST_REPLACE_PENDING, ST_REFERRER,
	ST_KEYS_REVOKE,
	ST_ACTIVATE, ST_SET_PASSWORD, ST_PHONE_VERIFIED, ST__COUNT
};
_Static_assert(nitems(stmts) == ST__COUNT, "auth statements");

static enum err
q(struct req *r, int st, const char *const *p, PGresult **res)
{
	return db_query(r->db, r->arena, &stmts[st], p, res);
}

static struct json_object *
registered_json(const char *public_id, const char *email, const char *phone)
{
	struct json_object *o = json_object_new_object(), *v;

	json_object_object_add(o, "userId", json_object_new_string(public_id));
	json_object_object_add(o, "email", json_object_new_string(email));
	json_object_object_add(o, "status",
	    json_object_new_string("PENDING_VERIFICATION"));
	v = json_object_new_array();
	json_object_array_add(v, json_object_new_string("EMAIL"));
	if (phone != NULL)
		json_object_array_add(v, json_object_new_string("PHONE"));
	json_object_object_add(o, "verificationRequired", v);
	return o;
}

/*
 * Registering an address that already has an account answers exactly as
 * a new registration does (with an id that names nothing) and mails the
 * owner instead, so the endpoint cannot tell anyone who has an account.
 */
enum { REG_EMAIL, REG_PASSWORD, REG_PHONE, REG_REFERRAL };
static const struct in_field register_fields[] = {
	[REG_EMAIL]	= { "email",	    IN_EMAIL,  IN_REQUIRED },
	[REG_PASSWORD]	= { "password",	    IN_STRING, IN_REQUIRED, 1, 512 },
	[REG_PHONE]	= { "phoneNumber",  IN_STRING, IN_OPTIONAL, 8, 16,
			    .rule = valid_phone },
	[REG_REFERRAL]	= { "referralCode", IN_STRING, IN_OPTIONAL, 4, 16,
			    .rule = valid_referral_code },
	{ NULL }
};

/*
 * What refuses a registration before anything is written: a password weak
 * against the address too (a rule across fields), and §11.1's Compliance
 * Check 1 (the address or the phone blacklisted). 1 with *rc the answer
 * sent, else 0.
 */
static int
register_refused(struct req *r, struct resp *w, int *rc)
{
	struct ctx c = ctx_req(r);
	const char *email = r->in[REG_EMAIL].s, *phone = r->in[REG_PHONE].s;
	char alert[25], *alert_copy;
	struct in_err ie;
	int refused;
	enum err e;

	if ((ie.reason = user_password_weak(r->in[REG_PASSWORD].s, email)) != NULL) {
		ie.field = "password";
		*rc = resp_invalid(w, &ie);
		return 1;
	}
	if ((e = screening_registration(&c, email, phone, &refused,
	    alert)) != ERR_OK) {
		*rc = resp_error(w, e, NULL);
		return 1;
	}
	if (!refused)
		return 0;
	if (alert[0] != '\0' && (alert_copy = arena_strdup(r->arena,
	    alert)) != NULL)
		app_after(r, compliance_alert_after, alert_copy);
	*rc = resp_error(w, ERR_COMPLIANCE_001,
	    "Registration is not possible with these details");
	return 1;
}

/* The referrer's id of the referralCode given (NULL: none given, or no such code). */
static enum err
referrer_of(struct req *r, const char **referrer)
{
	const char *p[1] = { r->in[REG_REFERRAL].s };
	PGresult *res;
	enum err e;

	*referrer = NULL;
	if (p[0] == NULL)
		return ERR_OK;
	if ((e = q(r, ST_REFERRER, p, &res)) != ERR_OK)
		return e;
	/*
	 * A code nobody holds registers the user without a referrer: spec
	 * §4.1's own example sends "REF123", and a mistyped code is no reason
	 * to lose a sign-up.
	 */
	if (PQntuples(res) != 1)
		return ERR_OK;
	if ((*referrer = arena_strdup(r->arena, db_val(res, 0, 0))) == NULL)
		return ERR_INTERNAL;
	return ERR_OK;
}

/*
 * A registration for a known address, in the transaction register_post()
 * began. Until the address is verified, nobody has shown they own it:
 * this registration's credentials replace the last one's, and the new
 * code (the old one no longer works) activates only them. Whoever
 * registered first cannot keep a password in an account its owner then
 * verifies. A verified address is told of the attempt instead. ERR_OK
 * when the answer is "registered", whatever was done; else the error,
 * for the caller to roll back.
 */
static enum err
register_known(struct req *r, const char *email, const char *hash,
    const char *phone, const char *referrer)
{
	struct ctx c = ctx_req(r);
	const char *pe[1] = { email }, *pp[4];
	char code[7], pcode[7] = "";
	PGresult *res, *res2;
	enum err e;

	if ((e = q(r, ST_BY_EMAIL, pe, &res2)) != ERR_OK)
		return e;
	if (PQntuples(res2) != 1 ||
	    strcmp(db_val(res2, 0, 2), "PENDING_VERIFICATION") != 0) {
		db_rollback(r->db);
		code_mail(r, email, "account_exists", NULL);
		return ERR_OK;
	}
	pp[0] = db_val(res2, 0, 0);
	pp[1] = hash;
	pp[2] = phone;
	pp[3] = referrer;
	e = code_issue(&c, pp[0], CODE_VERIFY_EMAIL, code);
	if (e == ERR_RATE_LIMIT_EXCEEDED) {
		/* Too soon or too often: nothing changes. */
		db_rollback(r->db);
		return ERR_OK;
	}
	if (e != ERR_OK ||
	    (e = q(r, ST_REPLACE_PENDING, pp, &res)) != ERR_OK ||
	    (e = code_phone(r, pp[0], phone, pcode)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		return e;
	code_mail(r, email, "verify_email", code);
	code_sms(r, phone, pcode);
	OPENSSL_cleanse(code, sizeof(code));
	return ERR_OK;
}

static int
register_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *email = r->in[REG_EMAIL].s, *pw = r->in[REG_PASSWORD].s;
	const char *phone = r->in[REG_PHONE].s, *p[5], *pe[1], *referrer = NULL;
	char hash[PASSWORD_HASHLEN], pid[32], code[7], pcode[7] = "";
	int rc;
	PGresult *res, *res2;
	enum err e;

	if (register_refused(r, w, &rc))
		return rc;
	if (password_hash(pw, hash) == -1 ||
	    util_public_id("usr_", pid, sizeof(pid)) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	if ((e = db_begin(r->db)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = referrer_of(r, &referrer)) != ERR_OK)
		goto fail;
	p[0] = pid;
	p[1] = email;
	p[2] = hash;
	p[3] = phone;
	p[4] = referrer;
	if ((e = q(r, ST_REGISTER, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) == 1) {
		pe[0] = db_val(res, 0, 0);
		if ((e = q(r, ST_ROLE_USER, pe, &res2)) != ERR_OK ||
		    (e = code_issue(&c, pe[0], CODE_VERIFY_EMAIL, code)) != ERR_OK ||
		    (e = code_phone(r, pe[0], phone, pcode)) != ERR_OK ||
		    (e = db_commit(r->db)) != ERR_OK)
			goto fail;
		code_mail(r, email, "verify_email", code);
		code_sms(r, phone, pcode);
	} else if ((e = register_known(r, email, hash, phone, referrer)) !=
	    ERR_OK)
		goto fail;
	OPENSSL_cleanse(code, sizeof(code));
	return resp_ok(w, 201, registered_json(pid, email, phone));
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

static int
bad_code(struct resp *w)
{
	struct in_err ie = { "code", "invalid or expired code" };

	return resp_invalid(w, &ie);
}

/*
 * Open a transaction and redeem a mailed code for the account at email,
 * if its status is eligible. ERR_OK: the code is consumed and the
 * transaction stays open for the caller's change, *res holding id,
 * public id and status. Otherwise the answer is on w already: a wrong
 * code (its attempt counted and committed) reads exactly like an unknown
 * address or an ineligible account.
 */
static enum err
code_redeem(struct req *r, struct resp *w, const char *email,
    enum code_purpose purpose, const char *code,
    int (*eligible)(const char *status), PGresult **res)
{
	struct ctx c = ctx_req(r);
	const char *p[1] = { email };
	enum err e;

	if ((e = db_begin(r->db)) != ERR_OK ||
	    (e = q(r, ST_BY_EMAIL, p, res)) != ERR_OK)
		goto fail;
	if (PQntuples(*res) != 1 || !eligible(db_val(*res, 0, 2))) {
		db_rollback(r->db);
		bad_code(w);
		return ERR_INVALID_REQUEST;
	}
	e = code_check(&c, db_val(*res, 0, 0), purpose, code);
	if (e == ERR_INVALID_REQUEST) {
		if ((e = db_commit(r->db)) != ERR_OK)
			goto fail;
		bad_code(w);
		return ERR_INVALID_REQUEST;
	}
	if (e == ERR_OK)
		return ERR_OK;
fail:
	db_rollback(r->db);
	resp_error(w, e, NULL);
	return e;
}

static int
pending(const char *status)
{
	return strcmp(status, "PENDING_VERIFICATION") == 0;
}

static int
not_blocked(const char *status)
{
	return strcmp(status, "BLOCKED") != 0;
}

/* An address and its mailed code: verifying it, resetting a password. */
enum { CODE_EMAIL, CODE_CODE, CODE_PASSWORD };
static const struct in_field verify_fields[] = {
	[CODE_EMAIL]	= { "email", IN_EMAIL,  IN_REQUIRED },
	[CODE_CODE]	= { "code",  IN_DIGITS, IN_REQUIRED, 6, 6 },
	{ NULL }
};

static int
verify_email_post(struct req *r, struct resp *w)
{
	const char *email = r->in[CODE_EMAIL].s, *code = r->in[CODE_CODE].s;
	const char *p[1];
	struct json_object *o, *v;
	PGresult *res, *res2;
	enum err e;

	if (code_redeem(r, w, email, CODE_VERIFY_EMAIL, code, pending, &res) != ERR_OK)
		return 0;
	p[0] = db_val(res, 0, 0);
	if ((e = q(r, ST_ACTIVATE, p, &res2)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		goto fail;
	o = json_object_new_object();
	json_object_object_add(o, "userId", json_object_new_string(db_val(res, 0, 1)));
	json_object_object_add(o, "email", json_object_new_string(email));
	json_object_object_add(o, "status", json_object_new_string(db_val(res2, 0, 0)));
	json_object_object_add(o, "emailVerified", json_object_new_boolean(1));
	v = json_object_new_array();
	if (strcmp(db_val(res2, 0, 1), "t") == 0)
		json_object_array_add(v, json_object_new_string("PHONE"));
	json_object_object_add(o, "verificationRequired", v);
	return resp_ok(w, 200, o);
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

static int
in_good_standing(const char *status)
{
	return strcmp(status, "SUSPENDED") != 0 && strcmp(status, "BLOCKED") != 0;
}

/*
 * The code sent by SMS at registration (or when the number changed):
 * the same limits as the e-mail's, and the same answer for a wrong code,
 * an unknown address and an account with no number to verify.
 */
static int
verify_phone_post(struct req *r, struct resp *w)
{
	const char *email = r->in[CODE_EMAIL].s, *code = r->in[CODE_CODE].s;
	const char *p[1];
	struct json_object *o, *v;
	PGresult *res, *res2;
	enum err e;

	if (code_redeem(r, w, email, CODE_VERIFY_PHONE, code, in_good_standing,
	    &res) != ERR_OK)
		return 0;
	p[0] = db_val(res, 0, 0);
	if ((e = q(r, ST_PHONE_VERIFIED, p, &res2)) != ERR_OK)
		goto fail;
	if (PQntuples(res2) != 1) {
		db_rollback(r->db);
		return bad_code(w);
	}
	if ((e = db_commit(r->db)) != ERR_OK)
		goto fail;
	o = json_object_new_object();
	json_object_object_add(o, "userId", json_object_new_string(db_val(res, 0, 1)));
	json_object_object_add(o, "email", json_object_new_string(email));
	json_object_object_add(o, "phoneNumber", json_object_new_string(db_val(res2, 0, 2)));
	json_object_object_add(o, "status", json_object_new_string(db_val(res2, 0, 0)));
	json_object_object_add(o, "kycLevel", json_object_new_string(
	    user_level_text((int)util_long(db_val(res2, 0, 1), 0))));
	json_object_object_add(o, "phoneVerified", json_object_new_boolean(1));
	v = json_object_new_array();
	if (strcmp(db_val(res2, 0, 3), "t") != 0)
		json_object_array_add(v, json_object_new_string("EMAIL"));
	json_object_object_add(o, "verificationRequired", v);
	return resp_ok(w, 200, o);
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

/*
 * A browser that asked for the cookie (X-Refresh-Cookie: 1) gets the refresh
 * token there, httpOnly, and not in the body, so no script of the page can
 * ever read it (Appendix G).
 */
static int
session_answer_cookie(struct req *r, struct resp *w,
    const struct session_out *s)
{
	struct json_object *o = session_json(s);

	if (cookie_refresh_set(r, w, s->refresh,
	    SESSION_REFRESH_TTL_DAYS * 86400L) == -1) {
		json_object_put(o);
		return resp_error(w, ERR_INTERNAL, NULL);
	}
	json_object_object_del(o, "refreshToken");
	return resp_ok(w, 200, o);
}

/* A session opened or refreshed, or why not. */
static int
session_answer(struct req *r, struct resp *w, enum err e,
    const struct session_out *s)
{
	if (e == ERR_OK && cookie_wanted(r))
		return session_answer_cookie(r, w, s);
	if (e == ERR_OK)
		return resp_ok(w, 200, session_json(s));
	if (cookie_wanted(r))
		cookie_refresh_set(r, w, NULL, 0);
	if (s->retry_after > 0)
		resp_header(w, "Retry-After", arena_printf(r->arena, "%ld",
		    s->retry_after));
	return resp_error_details(w, e, s->message, session_refusal(s));
}

static int
login_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct session_out s;
	struct login_in in;

	struct in_err ie;

	session_login_in(r->in, &in);
	if (session_client_in(&in, req_header(r, "X-Device-ID"),
	    req_header(r, "X-Client-Version"), &ie) == -1)
		return resp_invalid(w, &ie);
	return session_answer(r, w, session_login(&c, &in, NULL, NULL, &s), &s);
}

static const struct in_field refresh_fields[] = {
	{ "refreshToken", IN_STRING, IN_OPTIONAL, 1, 128 },
	{ NULL }
};

static int
refresh_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct session_out s;
	struct login_in client;
	struct in_err ie;

	const char *token = r->in[0].s;

	memset(&client, 0, sizeof(client));
	if (session_client_in(&client, req_header(r, "X-Device-ID"),
	    req_header(r, "X-Client-Version"), &ie) == -1)
		return resp_invalid(w, &ie);
	/*
	 * The cookie only with the opt-in header: a cross-site form cannot
	 * send a custom header, and SameSite=Strict keeps the cookie home.
	 */
	if (token == NULL && cookie_wanted(r))
		token = cookie_get(r, COOKIE_REFRESH);
	if (token == NULL && cookie_wanted(r))
		return session_answer(r, w, ERR_AUTH_003, &(struct session_out){ 0 });
	/* §3.1's auth column for refresh: the refresh token, as a bearer. */
	if (token == NULL)
		token = req_bearer(r);
	if (token == NULL || *token == '\0') {
		ie.field = "refreshToken";
		ie.reason = "required";
		return resp_invalid(w, &ie);
	}
	return session_answer(r, w, session_refresh(&c, token, &client,
	    &s), &s);
}

static int
logout_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = session_logout(&c)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (cookie_wanted(r))
		cookie_refresh_set(r, w, NULL, 0);
	o = json_object_new_object();
	json_object_object_add(o, "loggedOut", json_object_new_boolean(1));
	return resp_ok(w, 200, o);
}

static struct json_object *
reset_requested_json(void)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "message", json_object_new_string(
	    "If an account exists for this address, a reset code has been sent."));
	return o;
}

/*
 * Whether an address has an account must not show in the answer nor in
 * how long it takes: the request is answered at once, the same for every
 * address, and the lookup, the code and the mail happen after.
 */
static void
reset_request_run(struct req *r, void *arg)
{
	struct ctx c = ctx_req(r);
	const char *p[1] = { arg };
	char code[7] = "";
	PGresult *res;
	enum err e;

	if (db_begin(r->db) != ERR_OK)
		goto fail;
	if (q(r, ST_BY_EMAIL, p, &res) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1 || strcmp(db_val(res, 0, 2), "BLOCKED") == 0)
		goto out;
	e = code_issue(&c, db_val(res, 0, 0), CODE_PASSWORD_RESET, code);
	if (e == ERR_RATE_LIMIT_EXCEEDED)
		goto out;
	if (e != ERR_OK || db_commit(r->db) != ERR_OK)
		goto fail;
	code_mail(r, p[0], "password_reset", code);
	OPENSSL_cleanse(code, sizeof(code));
	/* Jobs queued by a job run too: the mail goes after this. */
	return;
fail:
	log_error("password reset code not issued");
out:
	db_rollback(r->db);
}

static const struct in_field reset_request_fields[] = {
	{ "email", IN_EMAIL, IN_REQUIRED },
	{ NULL }
};

static int
reset_request_post(struct req *r, struct resp *w)
{
	char *copy;

	/* The job after the answer keeps its own copy. */
	if ((copy = arena_strdup(r->arena, r->in[0].s)) == NULL)
		return resp_error(w, ERR_INTERNAL, NULL);
	app_after(r, reset_request_run, copy);
	return resp_ok(w, 200, reset_requested_json());
}

static const struct in_field reset_fields[] = {
	[CODE_EMAIL]	= { "email",	   IN_EMAIL,  IN_REQUIRED },
	[CODE_CODE]	= { "code",	   IN_DIGITS, IN_REQUIRED, 6, 6 },
	[CODE_PASSWORD]	= { "newPassword", IN_STRING, IN_REQUIRED, 1, 512 },
	{ NULL }
};

static int
reset_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *email = r->in[CODE_EMAIL].s, *code = r->in[CODE_CODE].s;
	const char *pw = r->in[CODE_PASSWORD].s, *p[2];
	char hash[PASSWORD_HASHLEN];
	struct json_object *o;
	struct in_err ie;
	PGresult *res, *res2;
	enum err e;
	int off;

	if ((ie.reason = user_password_weak(pw, email)) != NULL) {
		ie.field = "newPassword";
		return resp_invalid(w, &ie);
	}
	if (password_hash(pw, hash) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	if (code_redeem(r, w, email, CODE_PASSWORD_RESET, code, not_blocked,
	    &res) != ERR_OK)
		return 0;
	p[0] = db_val(res, 0, 0);
	p[1] = hash;
	/* New password: every existing session ends. */
	if ((e = q(r, ST_SET_PASSWORD, p, &res2)) != ERR_OK ||
	    (e = session_revoke_user(&c, p[0])) != ERR_OK)
		goto fail;
	/*
	 * At LEVEL_0 the address is all that identifies the owner, and
	 * whoever proves it holds the account: 2FA set up by someone else
	 * (who registered the address first, say) goes, with the API keys
	 * made under it. From LEVEL_1 on, the account belongs to a verified
	 * person and 2FA outlives a reset by e-mail.
	 */
	off = strcmp(db_val(res, 0, 4), "t") == 0 &&
	    util_long(db_val(res, 0, 3), 1) == 0;
	if (off && ((e = twofa_off(&c, p[0])) != ERR_OK ||
	    (e = q(r, ST_KEYS_REVOKE, p, &res2)) != ERR_OK))
		goto fail;
	if ((e = db_commit(r->db)) != ERR_OK)
		goto fail;
	o = json_object_new_object();
	json_object_object_add(o, "passwordChanged", json_object_new_boolean(1));
	if (off)
		json_object_object_add(o, "twoFactorDisabled",
		    json_object_new_boolean(1));
	return resp_ok(w, 200, o);
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

/* ---- two-factor (domain/twofa.c) -------------------------------------------- */

static int
twofa_setup_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct twofa_secret t;
	struct json_object *o;
	enum err e;

	if ((e = twofa_setup(&c, &t)) == ERR_CONFLICT)
		return resp_error(w, e, "Two-factor authentication is already enabled");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "secret", json_object_new_string(t.secret));
	json_object_object_add(o, "otpauthUri", json_object_new_string(t.uri));
	OPENSSL_cleanse(t.secret, sizeof(t.secret));
	return resp_ok(w, 200, o);
}

/* code, or twoFactorCode: the name every other 2FA-guarded body uses. */
static const struct in_field twofa_fields[] = {
	{ "code", IN_DIGITS, IN_OPTIONAL, 6, 6 },
	{ "twoFactorCode", IN_DIGITS, IN_OPTIONAL, 6, 6 },
	{ NULL }
};

static int
twofa_change_post(struct req *r, struct resp *w, int enable)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	const char *msg = NULL, *code = r->in[0].s ? r->in[0].s : r->in[1].s;
	struct in_err ie = { "code", "required" };
	enum err e;

	if (code == NULL)
		return resp_invalid(w, &ie);
	if ((e = twofa_change(&c, enable, code, &msg)) != ERR_OK)
		return resp_error(w, e, msg);
	o = json_object_new_object();
	json_object_object_add(o, "twoFactorEnabled", json_object_new_boolean(enable));
	return resp_ok(w, 200, o);
}

static int
twofa_enable_post(struct req *r, struct resp *w)
{
	return twofa_change_post(r, w, 1);
}

static int
twofa_disable_post(struct req *r, struct resp *w)
{
	return twofa_change_post(r, w, 0);
}

static const struct route routes[] = {
	{ "POST", "/api/v1/auth/register",		register_post,		AUTH_NONE, SCOPE_NONE, RL_AUTH_REGISTER,
	    register_fields },
	{ "POST", "/api/v1/auth/verify-email",		verify_email_post,	AUTH_NONE, SCOPE_NONE, RL_AUTH_VERIFY,
	    verify_fields },
	{ "POST", "/api/v1/auth/verify-phone",		verify_phone_post,	AUTH_NONE, SCOPE_NONE, RL_AUTH_VERIFY,
	    verify_fields },
	{ "POST", "/api/v1/auth/login",			login_post,		AUTH_NONE, SCOPE_NONE, RL_AUTH_LOGIN,
	    session_login_fields, .no_idem = 1 },
	{ "POST", "/api/v1/auth/refresh",		refresh_post,		AUTH_NONE, SCOPE_NONE, RL_AUTH_REFRESH,
	    refresh_fields, .no_idem = 1 },
	{ "POST", "/api/v1/auth/logout",		logout_post,		AUTH_USER, SCOPE_NONE, RL_AUTH_LOGOUT },
	{ "POST", "/api/v1/auth/password/reset-request", reset_request_post,	AUTH_NONE, SCOPE_NONE, RL_AUTH_RESET,
	    reset_request_fields },
	{ "POST", "/api/v1/auth/password/reset",	reset_post,		AUTH_NONE, SCOPE_NONE, RL_AUTH_RESET,
	    reset_fields },
	{ "POST", "/api/v1/auth/2fa/setup",		twofa_setup_post,	AUTH_USER, SCOPE_NONE, RL_AUTH_2FA },
	{ "POST", "/api/v1/auth/2fa/enable",		twofa_enable_post,	AUTH_USER, SCOPE_NONE, RL_AUTH_2FA,
	    twofa_fields },
	{ "POST", "/api/v1/auth/2fa/disable",		twofa_disable_post,	AUTH_USER, SCOPE_NONE, RL_AUTH_2FA,
	    twofa_fields },
};

int
main(void)
{
	static const struct app app = {
		.name = "auth",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
