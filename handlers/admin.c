/* handlers/admin.c — /api/v1/admin: staff login, users, their status and limits, KYC review and its documents */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "domain/audit.h"
#include "core/decimal.h"
#include "core/input.h"
#include "core/valid.h"
#include "domain/limits.h"
#include "core/list.h"
#include "core/mail.h"
#include "domain/session.h"
#include "domain/users.h"
#include "domain/auth.h"
#include "domain/kyc.h"
#include "domain/kyc_queue.h"
#include "domain/kyc_video.h"
#include "domain/kyc_docs.h"
#include "domain/notify.h"

#define NOTE_MAX		1000
#define REASON_MAX		500	/* characters, of a staff decision's reason */
#define LIMIT_SCALE		2	/* limits are TRY amounts */


/* Filters of GET /admin/users: $1 status, $2 level, $3 e-mail prefix, $4 role. */
#define USERS_WHERE \
	" WHERE ($1::text IS NULL OR u.status = $1)" \
	" AND ($2::smallint IS NULL OR u.kyc_level = $2)" \
	" AND ($3::text IS NULL OR starts_with(u.email, $3))" \
	" AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM user_roles x" \
	"  WHERE x.user_id = u.id AND x.role = $4))"

/*
 * Sorting without building SQL: each of the USERS_SORT_KEYS slots is a
 * parameter such as '-createdAt' (NULL when unused), and for each slot
 * the statement has one ascending and one descending key, of which at
 * most one is non-NULL. Byte order ("C") keeps the order the same on
 * every server. The price is a sort of the filtered rows instead of an
 * index walk; the count that the list's meta needs scans them anyway.
 */
#define USERS_SORT_KEYS	4
#define SORT_KEY(sign, n) \
	"(CASE $" n " WHEN '" sign "createdAt' THEN to_char(u.created_at" \
	" AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')" \
	" WHEN '" sign "email' THEN u.email WHEN '" sign "status' THEN u.status" \
	" WHEN '" sign "kycLevel' THEN u.kyc_level::text END) COLLATE \"C\""
#define SORT_SLOT(n)	SORT_KEY("+", n) " ASC, " SORT_KEY("-", n) " DESC, "

#define ROLES_OF(u) \
	"coalesce((SELECT string_agg(role, ',' ORDER BY role)" \
	" FROM user_roles WHERE user_id = " u "), '')"

static const struct stmt stmts[] = {
	{ "adm_users_count",
	  "SELECT count(*) FROM users u" USERS_WHERE, 4 },
	{ "adm_users_page",
	  "SELECT u.public_id, u.email, u.status, u.kyc_level, u.totp_enabled,"
	  " " DB_ISO("u.created_at") ", " ROLES_OF("u.id")
	  " FROM users u" USERS_WHERE
	  " ORDER BY " SORT_SLOT("5") SORT_SLOT("6") SORT_SLOT("7") SORT_SLOT("8")
	  " u.id LIMIT $9 OFFSET $10", 10 },
	{ "adm_user_detail",
	  "SELECT u.public_id, u.email, u.phone_number, u.display_name,"
	  " u.status, u.status_reason, u.kyc_level, u.totp_enabled,"
	  " u.email_verified_at IS NOT NULL, " DB_ISO("u.created_at") ","
	  " " DB_ISO("u.updated_at") ", " ROLES_OF("u.id") "," LIMIT_COLS ","
	  " k.public_id, k.status, " DB_ISO("k.submitted_at") ","
	  " " DB_ISO("k.reviewed_at") ", k.rejected_reason"
	  " FROM users u" LIMIT_JOINS
	  " LEFT JOIN LATERAL (SELECT * FROM kyc_submissions s"
	  "  WHERE s.user_id = u.id ORDER BY s.id DESC LIMIT 1) k ON true"
	  " WHERE u.public_id = $1", 1 },
	{ "adm_user_lock",
	  "SELECT id, status, email_verified_at IS NOT NULL FROM users"
	  " WHERE public_id = $1 FOR UPDATE", 1 },
	/* ACTIVE lifts a suspension: the state the user's verifications give. */
	{ "adm_user_status",
	  "UPDATE users SET status = CASE WHEN $2 = 'ACTIVE' THEN"
	  "  user_verified_status(email_verified_at, phone_verified_at, kyc_level)"
	  "  ELSE $2 END, status_reason = $3, updated_at = now()"
	  " WHERE id = $1 RETURNING " DB_ISO("updated_at") ", status", 3 },
	{ "adm_limits_of",
	  "SELECT" LIMIT_COLS " FROM users u" LIMIT_JOINS " WHERE u.id = $1", 1 },
	{ "adm_limits_set",
	  "INSERT INTO user_limits (user_id, daily_withdrawal,"
	  " monthly_withdrawal, daily_trading) VALUES ($1, $2, $3, $4)"
	  " ON CONFLICT (user_id) DO UPDATE SET"
	  " daily_withdrawal = EXCLUDED.daily_withdrawal,"
	  " monthly_withdrawal = EXCLUDED.monthly_withdrawal,"
	  " daily_trading = EXCLUDED.daily_trading, updated_at = now()"
	  " RETURNING " DB_ISO("updated_at"), 4 },
};

enum {
	ST_USERS_COUNT, ST_USERS_PAGE, ST_USER_DETAIL, ST_USER_LOCK,
	ST_USER_STATUS, ST_LIMITS_OF, ST_LIMITS_SET
};

static enum err
q(struct req *r, int st, const char *const *p, PGresult **res)
{
	return db_query(r->db, r->arena, &stmts[st], p, res);
}

static struct json_object *
bool_json(const char *pgbool)
{
	return json_object_new_boolean(pgbool != NULL && strcmp(pgbool, "t") == 0);
}

/* "LEVEL_0".."LEVEL_3" -> 0..3, or -1. */
static int
level_parse(const char *s)
{
	if (strncmp(s, "LEVEL_", 6) != 0 || s[6] < '0' || s[6] > '3' ||
	    s[7] != '\0')
		return -1;
	return s[6] - '0';
}

static int
is_self(const struct req *r, const char *user_id)
{
	return strcmp(r->user->idtxt, user_id) == 0;
}

/* ---- login ---------------------------------------------------------------- */

/*
 * A staff session opening is itself recorded, in the same transaction
 * as its refresh token, so no console session exists without its audit
 * row.
 */
static enum err
login_audit(struct ctx *c, const struct session_out *s, void *arg)
{
	struct json_object *det = json_own(c->arena, json_object_new_object());
	struct user who;
	char roles[64];
	enum err e;

	(void)arg;
	if ((e = auth_user_load(c, s->public_id, &who)) != ERR_OK)
		return e;
	json_object_object_add(det, "roles", json_csv_array(auth_roles_text(
	    who.roles, roles, sizeof(roles))));
	return audit_write(c, "ADMIN_LOGIN", &who, who.idtxt, who.public_id,
	    "LOGIN", NULL, det);
}

/* The console login: a staff role and 2FA required, an admin session. */
static int
login_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct session_out s;
	struct login_in in;
	enum err e;

	struct in_err ie;

	session_login_in(r->in, &in);
	if (session_client_in(&in, req_header(r, "X-Device-ID"),
	    req_header(r, "X-Client-Version"), &ie) == -1)
		return resp_invalid(w, &ie);
	in.admin = 1;
	if ((e = session_login(&c, &in, login_audit, NULL, &s)) == ERR_OK)
		return resp_ok(w, 200, session_json(&s));
	if (s.retry_after > 0)
		resp_header(w, "Retry-After", arena_printf(r->arena, "%ld",
		    s.retry_after));
	return resp_error_details(w, e, s.message, session_refusal(&s));
}

/* ---- users ---------------------------------------------------------------- */

static const char *const user_statuses[] = { "PENDING_VERIFICATION",
    "EMAIL_VERIFIED", "ACTIVE", "SUSPENDED", "BLOCKED", NULL };
static const char *const roles_known[] = { "USER", "ADMIN", "COMPLIANCE",
    "SUPPORT", NULL };
static const char *const sort_fields[] = { "createdAt", "email", "status",
    "kycLevel", NULL };

/* A user's row of the list. */
static struct json_object *
user_row_json(PGresult *res, int n)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "userId", json_object_new_string(db_val(res, n, 0)));
	json_object_object_add(o, "email", json_object_new_string(db_val(res, n, 1)));
	json_object_object_add(o, "status", json_object_new_string(db_val(res, n, 2)));
	json_object_object_add(o, "kycLevel", json_object_new_string(
	    user_level_text((int)util_long(db_val(res, n, 3), 0))));
	json_object_object_add(o, "twoFactorEnabled", bool_json(db_val(res, n, 4)));
	json_object_object_add(o, "createdAt", json_object_new_string(db_val(res, n, 5)));
	json_object_object_add(o, "roles", json_csv_array(db_val(res, n, 6)));
	return o;
}

/*
 * The list's filters checked, filter_email lower-cased (addresses are
 * stored so): 0, or -1 with *ie saying which is wrong (ie->reason NULL:
 * no memory).
 */
static int
users_filters(struct req *r, const char **status, const char **level,
    const char **email, const char **role, struct in_err *ie)
{
	*status = list_filter_value(r, "filter_status");
	*level = list_filter_value(r, "filter_kycLevel");
	*email = list_filter_value(r, "filter_email");
	*role = list_filter_value(r, "filter_role");
	if (*status != NULL && !list_oneof(*status, user_statuses)) {
		ie->field = "filter_status";
		ie->reason = "one of PENDING_VERIFICATION, ACTIVE, SUSPENDED, BLOCKED";
		return -1;
	}
	if (*level != NULL && level_parse(*level) == -1) {
		ie->field = "filter_kycLevel";
		ie->reason = "one of LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3";
		return -1;
	}
	if (*role != NULL && !list_oneof(*role, roles_known)) {
		ie->field = "filter_role";
		ie->reason = "one of USER, ADMIN, COMPLIANCE, SUPPORT";
		return -1;
	}
	if (*email == NULL)
		return 0;
	if (**email == '\0' || strlen(*email) > 254) {
		ie->field = "filter_email";
		ie->reason = "1 to 254 characters";
		return -1;
	}
	if ((*email = arena_strlower(r->arena, *email)) == NULL) {
		ie->reason = NULL;
		return -1;
	}
	return 0;
}

static int
users_list(struct req *r, struct resp *w)
{
	static const char *const known[] = { "page", "pageSize", "sort",
	    "filter_status", "filter_kycLevel", "filter_email", "filter_role",
	    NULL };
	const char *p[10], *status, *level, *email, *role, *sort;
	const char *keys[USERS_SORT_KEYS];
	const char *canon, *rest;
	char lvl[12];
	struct json_object *data;
	struct in_err ie;
	struct list_page pg;
	PGresult *cnt, *res;
	long long total;
	enum err e;
	size_t i;
	int n;

	memset(&ie, 0, sizeof(ie));
	if (list_query_check(r, known, &ie) == -1 || list_page_parse(r, &pg, &ie) == -1)
		return resp_invalid(w, &ie);
	if (users_filters(r, &status, &level, &email, &role, &ie) == -1)
		return ie.reason != NULL ? resp_invalid(w, &ie) :
		    resp_error(w, ERR_INTERNAL, NULL);
	sort = req_query(r, "sort");
	if (list_sort_parse(r->arena, sort != NULL ? sort : "-createdAt",
	    sort_fields, "fields: createdAt, email, status, kycLevel, each "
	    "with + (ascending) or - (descending)", keys, USERS_SORT_KEYS,
	    &canon, &ie) == -1)
		return ie.reason != NULL ? resp_invalid(w, &ie) :
		    resp_error(w, ERR_INTERNAL, NULL);
	if (level != NULL)
		snprintf(lvl, sizeof(lvl), "%d", level_parse(level));
	p[0] = status;
	p[1] = level != NULL ? lvl : NULL;
	p[2] = email;
	p[3] = role;
	for (i = 0; i < USERS_SORT_KEYS; i++)
		p[4 + i] = keys[i];
	p[8] = pg.limit;
	p[9] = pg.offset;
	if ((e = q(r, ST_USERS_COUNT, p, &cnt)) != ERR_OK ||
	    (e = q(r, ST_USERS_PAGE, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	data = json_object_new_array();
	for (n = 0; n < PQntuples(res); n++)
		json_object_array_add(data, user_row_json(res, n));
	rest = list_qs_add(r->arena, "", "filter_status", status);
	rest = list_qs_add(r->arena, rest, "filter_kycLevel", level);
	rest = list_qs_add(r->arena, rest, "filter_email", email);
	rest = list_qs_add(r->arena, rest, "filter_role", role);
	rest = list_qs_add(r->arena, rest, "sort", canon);
	return list_answer(r, w, data, &pg, total, rest);
}

static int
user_get(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "userId"), *p[1] = { id };
	struct json_object *o, *k;
	PGresult *res;
	enum err e;

	if (!valid_public_id(id, "usr_"))
		return resp_error(w, ERR_NOT_FOUND, "No such user");
	if ((e = q(r, ST_USER_DETAIL, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (PQntuples(res) != 1)
		return resp_error(w, ERR_NOT_FOUND, "No such user");
	o = json_object_new_object();
	json_object_object_add(o, "userId", json_object_new_string(db_val(res, 0, 0)));
	json_object_object_add(o, "email", json_object_new_string(db_val(res, 0, 1)));
	json_object_object_add(o, "phoneNumber", json_str_or_null(db_val(res, 0, 2)));
	json_object_object_add(o, "displayName", json_str_or_null(db_val(res, 0, 3)));
	json_object_object_add(o, "status", json_object_new_string(db_val(res, 0, 4)));
	json_object_object_add(o, "statusReason", json_str_or_null(db_val(res, 0, 5)));
	json_object_object_add(o, "kycLevel", json_object_new_string(
	    user_level_text((int)util_long(db_val(res, 0, 6), 0))));
	json_object_object_add(o, "twoFactorEnabled", bool_json(db_val(res, 0, 7)));
	json_object_object_add(o, "emailVerified", bool_json(db_val(res, 0, 8)));
	json_object_object_add(o, "createdAt", json_object_new_string(db_val(res, 0, 9)));
	json_object_object_add(o, "updatedAt", json_object_new_string(db_val(res, 0, 10)));
	json_object_object_add(o, "roles", json_csv_array(db_val(res, 0, 11)));
	json_object_object_add(o, "limits", limits_json(res, 12));
	k = NULL;
	if (db_val(res, 0, 17) != NULL) {
		k = json_object_new_object();
		json_object_object_add(k, "kycId", json_object_new_string(db_val(res, 0, 17)));
		json_object_object_add(k, "status", json_object_new_string(db_val(res, 0, 18)));
		json_object_object_add(k, "submittedAt", json_str_or_null(db_val(res, 0, 19)));
		json_object_object_add(k, "reviewedAt", json_str_or_null(db_val(res, 0, 20)));
		json_object_object_add(k, "rejectedReason", json_str_or_null(db_val(res, 0, 21)));
	}
	json_object_object_add(o, "kyc", k);
	return resp_ok(w, 200, o);
}

/*
 * Locks the target user row (until the caller's commit) and refuses
 * what no admin may do to an account: their own.
 */
static enum err
target_lock(struct req *r, PGresult **res, const char **msg)
{
	const char *id = req_param(r, "userId"), *p[1] = { id };
	enum err e;

	*msg = "No such user";
	if (!valid_public_id(id, "usr_"))
		return ERR_NOT_FOUND;
	if ((e = q(r, ST_USER_LOCK, p, res)) != ERR_OK)
		return e;
	if (PQntuples(*res) != 1)
		return ERR_NOT_FOUND;
	*msg = "Admins cannot change their own account";
	if (is_self(r, db_val(*res, 0, 0)))
		return ERR_FORBIDDEN;
	*msg = NULL;
	return ERR_OK;
}

/*
 * Suspending or blocking ends the user's sessions: refresh tokens are
 * revoked here, and access tokens stop working at once because every
 * request re-reads the status (COMPLIANCE_003).
 */
static const char *const settable[] = { "ACTIVE", "SUSPENDED", "BLOCKED",
    NULL };
enum { S_STATUS, S_REASON };
static const struct in_field status_fields[] = {
	[S_STATUS]	= { "status", IN_STRING, IN_REQUIRED, 1, 32,
			    .oneof = settable },
	[S_REASON]	= { "reason", IN_TEXT, IN_REQUIRED, 3, REASON_MAX },
	{ NULL }
};

static int
user_status_put(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *status = r->in[S_STATUS].s, *reason = r->in[S_REASON].s;
	const char *msg, *p[3], *old;
	struct json_object *o, *det;
	PGresult *res, *res2;
	enum err e;

	if ((e = db_begin(r->db)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = target_lock(r, &res, &msg)) != ERR_OK) {
		db_rollback(r->db);
		return resp_error(w, e, msg);
	}
	old = db_val(res, 0, 1);
	/* Activation is not a way around e-mail verification. */
	if (strcmp(status, "ACTIVE") == 0 && strcmp(db_val(res, 0, 2), "t") != 0) {
		db_rollback(r->db);
		return resp_error(w, ERR_CONFLICT,
		    "The user has not verified their e-mail address");
	}
	p[0] = db_val(res, 0, 0);
	p[1] = status;
	p[2] = reason;
	det = json_own(r->arena, json_object_new_object());
	json_object_object_add(det, "previousStatus", json_object_new_string(old));
	json_object_object_add(det, "status", json_object_new_string(status));
	if ((e = q(r, ST_USER_STATUS, p, &res2)) != ERR_OK ||
	    (strcmp(status, "ACTIVE") != 0 &&
	    (e = session_revoke_user(&c, p[0])) != ERR_OK) ||
	    (e = audit_write(&c, "USER_STATUS_CHANGE", r->user, p[0],
	    req_param(r, "userId"), status, reason, det)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		goto fail;
	o = json_object_new_object();
	json_object_object_add(o, "userId", json_object_new_string(req_param(r, "userId")));
	json_object_object_add(o, "status", json_object_new_string(db_val(res2, 0, 1)));
	json_object_object_add(o, "previousStatus", json_object_new_string(old));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	json_object_object_add(o, "updatedAt", json_object_new_string(db_val(res2, 0, 0)));
	return resp_ok(w, 200, o);
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

static struct json_object *
limits_plain(const char *dw, const char *mw, const char *dt)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "dailyWithdrawal", json_object_new_string(dw));
	json_object_object_add(o, "monthlyWithdrawal", json_object_new_string(mw));
	json_object_object_add(o, "dailyTrading", json_object_new_string(dt));
	return o;
}

/*
 * Limits are TRY amounts: "100000.00", or as Appendix C shows a limit,
 * {"limit": "100000.00", "currency": "TRY"} (used, if sent, is ignored:
 * it is counted, not set).
 */
enum { L_DAILY_WD, L_MONTHLY_WD, L_DAILY_TRADING, L_REASON };
static const struct in_field limits_fields[] = {
	[L_DAILY_WD]	  = { "dailyWithdrawal", IN_ANY, IN_REQUIRED },
	[L_MONTHLY_WD]	  = { "monthlyWithdrawal", IN_ANY, IN_REQUIRED },
	[L_DAILY_TRADING] = { "dailyTrading", IN_ANY, IN_REQUIRED },
	[L_REASON]	  = { "reason", IN_TEXT, IN_OPTIONAL, 3, REASON_MAX },
	{ NULL }
};

/* One limit of the body, at scale 2 in *out; -1 with *ie saying why. */
static int
limit_read(const struct req *r, int f, int64_t *out, struct in_err *ie)
{
	ie->field = limits_fields[f].name;
	return limit_amount_read(r->in[f].o, r->now.tv_sec, out, &ie->reason);
}

static int
user_limits_put(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	char dw[DEC_BUFSZ], mw[DEC_BUFSZ], dt[DEC_BUFSZ];
	int64_t vdw, vmw, vdt;
	const char *reason = r->in[L_REASON].s, *msg, *p[4];
	struct json_object *det, *o;
	struct in_err ie;
	PGresult *res, *old, *res2, *now;
	enum err e;

	if (limit_read(r, L_DAILY_WD, &vdw, &ie) == -1 ||
	    limit_read(r, L_MONTHLY_WD, &vmw, &ie) == -1 ||
	    limit_read(r, L_DAILY_TRADING, &vdt, &ie) == -1)
		return resp_invalid(w, &ie);
	/* Canonical forms, as stored and audited. */
	if (dec_format(vdw, LIMIT_SCALE, dw, sizeof(dw)) == -1 ||
	    dec_format(vmw, LIMIT_SCALE, mw, sizeof(mw)) == -1 ||
	    dec_format(vdt, LIMIT_SCALE, dt, sizeof(dt)) == -1)
		return resp_error(w, ERR_INTERNAL, NULL);
	if (vmw < vdw) {
		ie.field = "monthlyWithdrawal";
		ie.reason = "must not be less than dailyWithdrawal";
		return resp_invalid(w, &ie);
	}
	if ((e = db_begin(r->db)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = target_lock(r, &res, &msg)) != ERR_OK) {
		db_rollback(r->db);
		return resp_error(w, e, msg);
	}
	p[0] = db_val(res, 0, 0);
	p[1] = dw;
	p[2] = mw;
	p[3] = dt;
	if ((e = q(r, ST_LIMITS_OF, p, &old)) != ERR_OK ||
	    (e = q(r, ST_LIMITS_SET, p, &res2)) != ERR_OK ||
	    (e = q(r, ST_LIMITS_OF, p, &now)) != ERR_OK)
		goto fail;
	det = json_own(r->arena, json_object_new_object());
	json_object_object_add(det, "old", limits_plain(db_val(old, 0, 0),
	    db_val(old, 0, 1), db_val(old, 0, 2)));
	json_object_object_add(det, "new", limits_plain(dw, mw, dt));
	json_object_object_add(det, "currency", json_object_new_string(db_val(old, 0, 3)));
	if ((e = audit_write(&c, "USER_LIMITS_CHANGE", r->user, p[0],
	    req_param(r, "userId"), "UPDATED", reason, det)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		goto fail;
	o = json_object_new_object();
	json_object_object_add(o, "userId", json_object_new_string(req_param(r, "userId")));
	json_object_object_add(o, "limits", limits_json(now, 0));
	json_object_object_add(o, "updatedAt", json_object_new_string(db_val(res2, 0, 0)));
	return resp_ok(w, 200, o);
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

/* ---- KYC review ------------------------------------------------------------ */

static const struct list_spec kyc_pending_spec = {
	(const struct list_filter[]){ { NULL } },
	(const char *const[]){ "+submittedAt", "-submittedAt", NULL },
	"+submittedAt (oldest first, the default) or -submittedAt",
};

static int
kyc_pending(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &kyc_pending_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	if ((e = kyc_queue_page(&c, lq.pg.limit, lq.pg.offset, lq.sort, &res,
	    &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &kyc_pending_spec, &lq, res, total,
	    kyc_queue_json);
}

/* approve: the level granted (LEVEL_2 unless said); reject: why. */
static const char *const review_levels[] = { "LEVEL_1", "LEVEL_2", "LEVEL_3",
    NULL };
enum { A_LEVEL, A_NOTE };
static const struct in_field approve_fields[] = {
	[A_LEVEL]	= { "level", IN_STRING, IN_OPTIONAL, 1, 16,
			    .oneof = review_levels },
	[A_NOTE]	= { "note", IN_TEXT, IN_OPTIONAL, 1, NOTE_MAX },
	{ NULL }
};
enum { R_REASON, R_NOTE };
static const struct in_field reject_fields[] = {
	[R_REASON]	= { "reason", IN_STRING, IN_REQUIRED, 1, 32,
			    .oneof = kyc_reject_reasons },
	[R_NOTE]	= { "note", IN_TEXT, IN_OPTIONAL, 1, NOTE_MAX },
	{ NULL }
};

/*
 * The decision is domain/kyc's, in one transaction; the user is told
 * after the commit.
 */
static int
kyc_decision_post(struct req *r, struct resp *w, const struct kyc_decision *d)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "kycId");
	struct kyc_decided out;
	struct json_object *o;
	enum err e;

	if (!valid_public_id(id, "kyc_"))
		return resp_error(w, ERR_NOT_FOUND, "No such KYC application");
	switch ((e = kyc_decide(&c, id, d, &out))) {
	case ERR_OK:
		break;
	case ERR_NOT_FOUND:
		return resp_error(w, e, "No such KYC application");
	case ERR_CONFLICT:
		o = json_object_new_object();
		json_object_object_add(o, "status", json_object_new_string(out.status));
		if (out.screening_alert[0] != '\0') {
			json_object_object_add(o, "screeningAlertId",
			    json_object_new_string(out.screening_alert));
			return resp_error_details(w, e, "Held by screening: the "
			    "compliance alert must be resolved first", o);
		}
		return resp_error_details(w, e,
		    "The application has already been decided", o);
	case ERR_FORBIDDEN:
		return resp_error(w, e, "Staff cannot review their own application");
	default:
		return resp_error(w, e, NULL);
	}
	/* The user's mail follows from the decision's event (cron/notify.c). */
	o = json_object_new_object();
	json_object_object_add(o, "kycId", json_object_new_string(id));
	json_object_object_add(o, "userId", json_object_new_string(out.user_public_id));
	json_object_object_add(o, "status",
	    json_object_new_string(d->approve ? "APPROVED" : "REJECTED"));
	if (d->approve) {
		json_object_object_add(o, "level",
		    json_object_new_string(user_level_text(d->level)));
		json_object_object_add(o, "userKycLevel",
		    json_object_new_string(user_level_text(out.user_level)));
	} else
		json_object_object_add(o, "rejectedReason",
		    json_object_new_string(d->reason));
	json_object_object_add(o, "reviewedAt", json_object_new_string(out.reviewed_at));
	json_object_object_add(o, "reviewedBy",
	    json_object_new_string(r->user->public_id));
	return resp_ok(w, 200, o);
}

static int
kyc_approve(struct req *r, struct resp *w)
{
	struct kyc_decision d = { 1, 2, NULL, r->in[A_NOTE].s };
	struct in_err ie = { "level", "LEVEL_3 is granted by a video-call "
	    "review: POST /api/v1/admin/kyc/{kycId}/video-review" };

	if (r->in[A_LEVEL].s != NULL)
		d.level = (int)r->in[A_LEVEL].num + 1;	/* review_levels[0] is 1 */
	/* Appendix C: LEVEL_3 is enhanced verification, by video call. */
	if (d.level == 3)
		return resp_invalid(w, &ie);
	return kyc_decision_post(r, w, &d);
}

/* LEVEL_3: the video call's outcome, recorded by domain/kyc_video.c. */
static const char *const video_outcomes[] = { "PASSED", "FAILED", NULL };
enum { V_OUTCOME, V_NOTE };
static const struct in_field video_fields[] = {
	[V_OUTCOME]	= { "outcome", IN_STRING, IN_REQUIRED, 1, 16,
			    .oneof = video_outcomes },
	[V_NOTE]	= { "note", IN_TEXT, IN_OPTIONAL, 1, NOTE_MAX },
	{ NULL }
};

static int
kyc_video_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "kycId");
	int passed = r->in[V_OUTCOME].num == 0;
	struct kyc_video_out out;
	struct json_object *o;
	enum err e;

	if (!valid_public_id(id, "kyc_"))
		return resp_error(w, ERR_NOT_FOUND, "No such KYC application");
	e = kyc_video_review(&c, id, passed, r->in[V_NOTE].s, &out);
	if (e == ERR_NOT_FOUND)
		return resp_error(w, e, "No such KYC application");
	if (e == ERR_FORBIDDEN)
		return resp_error(w, e, "Staff cannot review their own application");
	if (e == ERR_CONFLICT) {
		o = json_object_new_object();
		json_object_object_add(o, "status", json_object_new_string(out.status));
		json_object_object_add(o, "level", json_object_new_string(
		    user_level_text(out.app_level)));
		return resp_error_details(w, e, "A video-call review follows an "
		    "application approved at LEVEL_2", o);
	}
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "kycId", json_object_new_string(id));
	json_object_object_add(o, "userId", json_object_new_string(out.user_public_id));
	json_object_object_add(o, "outcome", json_object_new_string(passed ?
	    "PASSED" : "FAILED"));
	json_object_object_add(o, "userKycLevel", json_object_new_string(
	    user_level_text(out.user_level)));
	json_object_object_add(o, "reviewedAt", json_object_new_string(out.reviewed_at));
	json_object_object_add(o, "reviewedBy",
	    json_object_new_string(r->user->public_id));
	return resp_ok(w, 200, o);
}

static int
kyc_reject(struct req *r, struct resp *w)
{
	struct kyc_decision d = { 0, 2, r->in[R_REASON].s, r->in[R_NOTE].s };
	struct in_err ie = { "note", "required when the reason is OTHER" };

	/* A rule across fields: OTHER says nothing without its note. */
	if (strcmp(d.reason, "OTHER") == 0 && d.note == NULL)
		return resp_invalid(w, &ie);
	return kyc_decision_post(r, w, &d);
}

/*
 * A document as it was submitted, its own content type; the read is
 * audited before it is answered (domain/kyc_docs.c). Never cached.
 */
static int
kyc_document_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct kyc_doc d;
	enum err e;

	if (!valid_public_id(req_param(r, "userId"), "usr_"))
		return resp_error(w, ERR_NOT_FOUND, "No such user");
	e = kyc_doc_read(&c, req_param(r, "userId"), req_param(r, "docType"), &d);
	if (e == ERR_NOT_FOUND)
		return resp_error(w, e, "No such document: docType is idDocument,"
		    " addressProof or selfie, of the user's latest application");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	resp_header(w, "X-Content-Type-Options", "nosniff");
	resp_header(w, "Content-Disposition", "inline");
	resp_header(w, "X-KYC-Id", arena_strdup(r->arena, d.kyc_id));
	w->status = 200;
	w->ctype = arena_strdup(r->arena, d.content_type);
	w->raw = (const char *)d.data;
	w->rawlen = d.len;
	return 0;
}

static const struct route routes[] = {
	{ "POST", "/api/v1/admin/auth/login",		login_post,	AUTH_NONE,  SCOPE_NONE, RL_ADMIN_LOGIN,
	    session_login_fields, .no_idem = 1 },
	{ "GET",  "/api/v1/admin/users",		users_list,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_SUPPORT },
	{ "GET",  "/api/v1/admin/users/{userId}",	user_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_SUPPORT },
	{ "PUT",  "/api/v1/admin/users/{userId}/status", user_status_put, AUTH_ADMIN, SCOPE_NONE, RL_ADMIN_WRITE,
	    status_fields },
	{ "PUT",  "/api/v1/admin/users/{userId}/limits", user_limits_put, AUTH_ADMIN, SCOPE_NONE, RL_ADMIN_WRITE,
	    limits_fields },
	{ "GET",  "/api/v1/admin/kyc/pending",		kyc_pending,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/kyc/{kycId}/approve",	kyc_approve,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    approve_fields, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/kyc/{kycId}/reject",	kyc_reject,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    reject_fields, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/kyc/{kycId}/video-review", kyc_video_post, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    video_fields, .roles = ROLES_COMPLIANCE },
	{ "GET",  "/api/v1/admin/kyc/{userId}/documents/{docType}", kyc_document_get, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ,
	    .roles = ROLES_COMPLIANCE },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
