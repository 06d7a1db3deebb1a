/* domain/withdrawal_review.c — staff review of withdrawals (spec §11.3): what a reviewer sees, approvals by one or two people, rejections */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/compliance_review.h"
#include "domain/limits.h"
#include "domain/risk.h"
#include "domain/session.h"
#include "domain/users.h"
#include "domain/withdrawal_review.h"
#include "domain/withdrawal_state.h"

/* The user's history, as one JSON object (deposits, withdrawals, trades). */
#define HISTORY_JSON \
	"json_build_object(" \
	"'deposits30d', (SELECT json_build_object('count', count(*), 'valueInTRY'," \
	"  round(coalesce(sum(l2.delta_available * coalesce(asset_price_try(l2.asset)," \
	"  0)), 0), 2)::text) FROM ledger l2 WHERE l2.user_id = u.id" \
	"  AND l2.kind = 'DEPOSIT' AND l2.created_at > now() - interval '30 days')," \
	"'withdrawals', (SELECT json_build_object('count', count(*)," \
	"  'completed', count(*) FILTER (WHERE x.status = 'COMPLETED')," \
	"  'rejected', count(*) FILTER (WHERE x.status = 'REJECTED')," \
	"  'failed', count(*) FILTER (WHERE x.status = 'FAILED')," \
	"  'largestCompletedInTRY', (max(x.value_try) FILTER" \
	"  (WHERE x.status = 'COMPLETED'))::text," \
	"  'lastCompletedAt', " DB_ISO("max(x.completed_at)") ")" \
	"  FROM withdrawals x WHERE x.user_id = u.id AND x.id <> w.id)," \
	"'trades30d', (SELECT json_build_object('count', count(*), 'volumeInTRY'," \
	"  round(coalesce(sum(CASE WHEN m.quote_asset = 'TRY' THEN t.quote_quantity" \
	"  ELSE t.quantity * coalesce(asset_price_try(m.base_asset), 0) END), 0)," \
	"  2)::text) FROM trades t JOIN markets m ON m.symbol = t.symbol" \
	"  WHERE (t.maker_user_id = u.id OR t.taker_user_id = u.id)" \
	"  AND t.created_at > now() - interval '30 days')," \
	"'recentWithdrawals', (SELECT coalesce(json_agg(json_build_object(" \
	"  'withdrawalId', x.public_id, 'asset', x.asset, 'amount', x.amount::text," \
	"  'status', x.status, 'createdAt', " DB_ISO("x.created_at") ")" \
	"  ORDER BY x.id DESC), '[]') FROM (SELECT * FROM withdrawals y" \
	"  WHERE y.user_id = u.id AND y.id <> w.id ORDER BY y.id DESC LIMIT 5) x)," \
	"'openAlerts', (SELECT count(*) FROM compliance_alerts c2" \
	"  WHERE c2.user_id = u.id AND c2.resolution IN ('NEW', 'UNDER_REVIEW'," \
	"  'ESCALATED')))::text"

/* Who else the address is known to, and whether it is listed. */
#define ADDRESS_JSON \
	"json_build_object('network', w.network," \
	"'blacklisted', EXISTS (SELECT 1 FROM withdrawal_blacklist b" \
	"  WHERE b.network = w.network AND b.address = w.address)," \
	"'paidBeforeByUser', (SELECT count(*) FROM withdrawals x" \
	"  WHERE x.user_id = w.user_id AND x.network = w.network" \
	"  AND x.address = w.address AND x.status = 'COMPLETED' AND x.id <> w.id)," \
	"'otherUsers', (SELECT count(DISTINCT x.user_id) FROM withdrawals x" \
	"  WHERE x.user_id <> w.user_id AND x.network = w.network" \
	"  AND x.address = w.address)," \
	"'exchangeDepositAddress', EXISTS (SELECT 1 FROM deposit_addresses d2" \
	"  WHERE d2.network = w.network AND d2.address = w.address)," \
	"'firstSeenAt', (SELECT " DB_ISO("min(x.created_at)") " FROM withdrawals x" \
	"  WHERE x.network = w.network AND x.address = w.address))::text"

#define REVIEW_COLS \
	"SELECT w.public_id, w.asset, w.network, trunc(w.amount, a.precision)::text," \
	" trunc(w.fee, a.precision)::text, w.address, w.memo, w.status," \
	" " DB_ISO("w.created_at") ", w.value_try::text, w.risk_score," \
	" w.risk_factors::text, array_to_string(w.review_reasons, ',')," \
	" w.approvals_required," \
	" (SELECT coalesce(json_agg(json_build_object('adminUserId', au.public_id," \
	"  'adminEmail', au.email, 'reason', ap.reason, 'approvedAt'," \
	"  " DB_ISO("ap.created_at") ") ORDER BY ap.created_at), '[]')::text" \
	"  FROM withdrawal_approvals ap JOIN users au ON au.id = ap.admin_id" \
	"  WHERE ap.withdrawal_id = w.id)," \
	" al.public_id, al.severity, al.type, al.resolution," \
	" u.public_id, u.email, u.status, u.kyc_level, " DB_ISO("u.created_at") "," \
	" u.totp_enabled, floor(extract(epoch FROM now() - u.created_at) / 86400)::bigint," \
	LIMIT_COLS ", " HISTORY_JSON ", " ADDRESS_JSON "," \
	" w.tx_hash, greatest(w.confirmations, 0), w.required_confirmations," \
	" w.last_error, " DB_ISO("w.updated_at") ", w.reject_reason," \
	" " DB_ISO("w.decided_at") ", dby.public_id" \
	" FROM withdrawals w JOIN assets a ON a.code = w.asset" \
	" JOIN users u ON u.id = w.user_id" LIMIT_JOINS \
	" LEFT JOIN compliance_alerts al ON al.id = w.alert_id" \
	" LEFT JOIN users dby ON dby.id = w.decided_by"

/* Columns of REVIEW_COLS. */
enum {
	C_ID, C_ASSET, C_NETWORK, C_AMOUNT, C_FEE, C_ADDRESS, C_MEMO, C_STATUS,
	C_CREATED, C_VALUE, C_RISK, C_FACTORS, C_REASONS, C_REQUIRED, C_APPROVALS,
	C_ALERT, C_ALERT_SEV, C_ALERT_TYPE, C_ALERT_RES, C_USER, C_EMAIL,
	C_USTATUS, C_LEVEL, C_UCREATED, C_TOTP, C_AGE, C_LIMITS, C_HISTORY = C_LIMITS + 5,
	C_ADDR_JSON, C_TX, C_CONF, C_REQ_CONF, C_LAST_ERROR, C_UPDATED,
	C_REJECTED, C_DECIDED_AT, C_DECIDED_BY
};

#define PENDING_WHERE \
	" WHERE w.status = 'PENDING_APPROVAL' AND ($1::text IS NULL OR w.asset = $1)" \
	" AND ($2::text IS NULL OR u.public_id = $2)"

enum {
	ST_COUNT, ST_PAGE, ST_ONE, ST_LOCK, ST_APPROVAL, ST_RELEASE,
	ST_SUSPEND, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_COUNT] = { "wdr_pending_count",
	  "SELECT count(*) FROM withdrawals w JOIN users u ON u.id = w.user_id"
	  PENDING_WHERE, 2 },
	/*
	 * $5, the sort: by risk or by time, each way; without one, oldest
	 * first (requests are reviewed in the order they came).
	 */
	[ST_PAGE] = { "wdr_pending_page",
	  REVIEW_COLS PENDING_WHERE " ORDER BY"
	  " CASE $5 WHEN '-riskScore' THEN w.risk_score END DESC,"
	  " CASE $5 WHEN '+riskScore' THEN w.risk_score END ASC,"
	  " CASE $5 WHEN '-createdAt' THEN w.created_at END DESC,"
	  " w.created_at, w.id LIMIT $3 OFFSET $4", 5 },
	[ST_ONE] = { "wdr_review_one", REVIEW_COLS " WHERE w.public_id = $1", 1 },
	[ST_LOCK] = { "wdr_decide_lock",
	  "SELECT w.id, w.status, w.user_id, u.public_id, w.risk_score,"
	  " w.approvals_required, (SELECT count(*) FROM withdrawal_approvals ap"
	  "  WHERE ap.withdrawal_id = w.id),"
	  " EXISTS (SELECT 1 FROM withdrawal_approvals ap WHERE"
	  "  ap.withdrawal_id = w.id AND ap.admin_id = $2), al.public_id,"
	  " al.resolution FROM withdrawals w JOIN users u ON u.id = w.user_id"
	  " LEFT JOIN compliance_alerts al ON al.id = w.alert_id"
	  " WHERE w.public_id = $1 FOR UPDATE OF w", 2 },
	[ST_APPROVAL] = { "wdr_approval",
	  "INSERT INTO withdrawal_approvals (withdrawal_id, admin_id, reason)"
	  " VALUES ($1, $2, $3)", 3 },
	[ST_RELEASE] = { "wdr_release",
	  "UPDATE withdrawals SET status = 'PENDING_SIGNATURE', decided_by = $2,"
	  " decided_at = now(), updated_at = now()"
	  " WHERE id = $1 AND status = 'PENDING_APPROVAL'", 2 },
	/* An account in good standing (sql/022's states); its state before. */
	[ST_SUSPEND] = { "wdr_suspend",
	  "UPDATE users u SET status = 'SUSPENDED', status_reason = $2,"
	  " updated_at = now() FROM (SELECT status FROM users WHERE id = $1"
	  " FOR UPDATE) o WHERE u.id = $1"
	  " AND u.status IN ('ACTIVE', 'EMAIL_VERIFIED') RETURNING o.status", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "withdrawal review statements");

/* Columns of ST_LOCK. */
enum {
	L_ID, L_STATUS, L_USER_ID, L_USER_PUBLIC, L_RISK, L_REQUIRED, L_GIVEN,
	L_MINE, L_ALERT, L_ALERT_RES
};

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* ---- what a reviewer sees ------------------------------------------------------- */

enum err
withdrawal_review_list(struct ctx *c, const struct wd_review_query *in,
    PGresult **rows, long long *total)
{
	const char *p[5] = { in->asset, in->user_id, in->limit, in->offset,
	    in->sort };
	PGresult *cnt;
	enum err e;

	if ((e = q(c, ST_COUNT, p, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return q(c, ST_PAGE, p, rows);
}

enum err
withdrawal_review_get(struct ctx *c, const char *id, PGresult **row)
{
	const char *p[1] = { id };
	enum err e;

	if ((e = q(c, ST_ONE, p, row)) != ERR_OK)
		return e;
	return PQntuples(*row) == 1 ? ERR_OK : ERR_NOT_FOUND;
}

/* A JSON text column of the database's own making, or fallback. */
static struct json_object *
json_col(PGresult *res, int i, int col, struct json_object *fallback)
{
	struct json_object *o = db_val(res, i, col) != NULL ?
	    json_tokener_parse(db_val(res, i, col)) : NULL;

	if (o == NULL)
		return fallback;
	json_object_put(fallback);
	return o;
}

/* One limits row (LIMIT_COLS) of a multi-row result, for limits_json (row 0 only). */
static struct json_object *
limits_of(PGresult *res, int i)
{
	struct json_object *l = json_object_new_object(), *used;
	const char *cur = db_val(res, i, C_LIMITS + 3);
	static const char *const keys[2] = { "dailyWithdrawal", "monthlyWithdrawal" };
	static const char *const ukeys[2] = { "dailyUsed", "monthlyUsed" };
	struct json_object *x, *v, *o;
	int k;

	x = json_col(res, i, C_LIMITS + 4, json_object_new_object());
	for (k = 0; k < 2; k++) {
		o = json_object_new_object();
		json_object_object_add(o, "limit",
		    json_str_or_null(db_val(res, i, C_LIMITS + k)));
		used = json_object_object_get_ex(x, ukeys[k], &v) ?
		    json_object_get(v) : json_object_new_string("0.00");
		json_object_object_add(o, "used", used);
		json_object_object_add(o, "currency", json_str_or_null(cur));
		json_object_object_add(l, keys[k], o);
	}
	json_object_object_add(l, "dailyTrading",
	    json_str_or_null(db_val(res, i, C_LIMITS + 2)));
	json_object_object_add(l, "source", json_object_new_string(
	    json_object_object_get_ex(x, "own", &v) && json_object_get_boolean(v) ?
	    "USER" : "KYC_LEVEL"));
	json_object_put(x);
	return l;
}

struct json_object *
withdrawal_review_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object(), *u, *al = NULL;
	struct risk_rules rules;
	int score = (int)util_long(db_val(res, i, C_RISK), 0);

	risk_load_rules(&rules);
	json_object_object_add(o, "withdrawalId", json_str_or_null(db_val(res, i, C_ID)));
	json_object_object_add(o, "asset", json_str_or_null(db_val(res, i, C_ASSET)));
	json_object_object_add(o, "network", json_str_or_null(db_val(res, i, C_NETWORK)));
	json_object_object_add(o, "amount", json_str_or_null(db_val(res, i, C_AMOUNT)));
	json_object_object_add(o, "fee", json_str_or_null(db_val(res, i, C_FEE)));
	json_object_object_add(o, "address", json_str_or_null(db_val(res, i, C_ADDRESS)));
	json_object_object_add(o, "memo", json_str_or_null(db_val(res, i, C_MEMO)));
	json_object_object_add(o, "status", json_str_or_null(db_val(res, i, C_STATUS)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, C_CREATED)));
	json_object_object_add(o, "updatedAt", json_str_or_null(db_val(res, i, C_UPDATED)));
	json_object_object_add(o, "valueInTRY", json_str_or_null(db_val(res, i, C_VALUE)));
	json_object_object_add(o, "riskScore", json_object_new_int(score));
	json_object_object_add(o, "riskLevel",
	    json_object_new_string(risk_severity(&rules, score)));
	json_object_object_add(o, "riskFactors",
	    json_col(res, i, C_FACTORS, json_object_new_array()));
	json_object_object_add(o, "reviewReasons",
	    json_csv_array(db_val(res, i, C_REASONS)));
	json_object_object_add(o, "approvalsRequired",
	    json_object_new_int((int)util_long(db_val(res, i, C_REQUIRED), 0)));
	json_object_object_add(o, "approvals",
	    json_col(res, i, C_APPROVALS, json_object_new_array()));
	if (db_val(res, i, C_ALERT) != NULL) {
		al = json_object_new_object();
		json_object_object_add(al, "alertId",
		    json_object_new_string(db_val(res, i, C_ALERT)));
		json_object_object_add(al, "severity",
		    json_str_or_null(db_val(res, i, C_ALERT_SEV)));
		json_object_object_add(al, "type",
		    json_str_or_null(db_val(res, i, C_ALERT_TYPE)));
		json_object_object_add(al, "resolution",
		    json_str_or_null(db_val(res, i, C_ALERT_RES)));
	}
	json_object_object_add(o, "alert", al);
	u = json_object_new_object();
	json_object_object_add(u, "userId", json_str_or_null(db_val(res, i, C_USER)));
	json_object_object_add(u, "email", json_str_or_null(db_val(res, i, C_EMAIL)));
	json_object_object_add(u, "status", json_str_or_null(db_val(res, i, C_USTATUS)));
	json_object_object_add(u, "kycLevel", json_object_new_string(
	    user_level_text((int)util_long(db_val(res, i, C_LEVEL), 0))));
	json_object_object_add(u, "createdAt", json_str_or_null(db_val(res, i, C_UCREATED)));
	json_object_object_add(u, "accountAgeDays",
	    json_object_new_int64(util_long(db_val(res, i, C_AGE), 0)));
	json_object_object_add(u, "twoFactorEnabled", json_object_new_boolean(
	    strcmp(db_val(res, i, C_TOTP), "t") == 0));
	json_object_object_add(u, "limits", limits_of(res, i));
	json_object_object_add(o, "user", u);
	/* §11.3's queue names the owner beside the withdrawal as well. */
	json_object_object_add(o, "userId", json_str_or_null(db_val(res, i, C_USER)));
	json_object_object_add(o, "history",
	    json_col(res, i, C_HISTORY, json_object_new_object()));
	json_object_object_add(o, "addressAnalysis",
	    json_col(res, i, C_ADDR_JSON, json_object_new_object()));
	json_object_object_add(o, "txHash", json_str_or_null(db_val(res, i, C_TX)));
	json_object_object_add(o, "confirmations",
	    json_object_new_int((int)util_long(db_val(res, i, C_CONF), 0)));
	json_object_object_add(o, "requiredConfirmations",
	    json_object_new_int((int)util_long(db_val(res, i, C_REQ_CONF), 0)));
	json_object_object_add(o, "lastError", json_str_or_null(db_val(res, i, C_LAST_ERROR)));
	json_object_object_add(o, "rejectedReason", json_str_or_null(db_val(res, i, C_REJECTED)));
	json_object_object_add(o, "decidedAt", json_str_or_null(db_val(res, i, C_DECIDED_AT)));
	json_object_object_add(o, "decidedBy", json_str_or_null(db_val(res, i, C_DECIDED_BY)));
	return o;
}

/* ---- decisions ---------------------------------------------------------------------- */

/* The audit row of §11.3: who, on what, what they decided and why, having seen what. */
static enum err
decision_audit(struct ctx *c, PGresult *w, const char *id,
    const struct wd_decision *d, const struct wd_decided *out)
{
	struct json_object *det = json_own(c->arena, json_object_new_object());
	const char *action = d->approve ? "APPROVED" : "REJECTED";

	if (det == NULL)
		return ERR_INTERNAL;
	json_object_object_add(det, "adminUserId",
	    json_object_new_string(c->actor->public_id));
	json_object_object_add(det, "adminEmail", json_object_new_string(c->actor->email));
	json_object_object_add(det, "targetUserId",
	    json_object_new_string(db_val(w, 0, L_USER_PUBLIC)));
	json_object_object_add(det, "withdrawalId", json_object_new_string(id));
	json_object_object_add(det, "action", json_object_new_string(action));
	json_object_object_add(det, "reason", json_str_or_null(d->reason));
	json_object_object_add(det, "riskScore",
	    json_object_new_int((int)util_long(db_val(w, 0, L_RISK), 0)));
	json_object_object_add(det, "reviewedDocuments", d->documents != NULL ?
	    json_object_get(d->documents) : json_object_new_array());
	json_object_object_add(det, "ipAddress", json_str_or_null(c->remote_addr));
	json_object_object_add(det, "approvalsGiven", json_object_new_int(out->approvals));
	json_object_object_add(det, "approvalsRequired", json_object_new_int(out->required));
	json_object_object_add(det, "status", json_object_new_string(out->status));
	if (!d->approve)
		json_object_object_add(det, "accountSuspended",
		    json_object_new_boolean(out->suspended));
	if (d->note != NULL)
		json_object_object_add(det, "note", json_object_new_string(d->note));
	return audit_write(c, "WITHDRAWAL_APPROVAL", c->actor,
	    db_val(w, 0, L_USER_ID), id, action, d->reason, det);
}

/*
 * The withdrawal's alert follows the decision while it is NEW or
 * UNDER_REVIEW; one that compliance escalated or settled is theirs.
 */
static enum err
alert_follow(struct ctx *c, PGresult *w, const char *resolution, const char *note)
{
	char from[16];
	int released;
	enum err e;

	if (db_val(w, 0, L_ALERT) == NULL ||
	    (strcmp(db_val(w, 0, L_ALERT_RES), "NEW") != 0 &&
	    strcmp(db_val(w, 0, L_ALERT_RES), "UNDER_REVIEW") != 0))
		return ERR_OK;
	e = alert_resolve(c, db_val(w, 0, L_ALERT), resolution, note, 1, from,
	    &released);
	return e == ERR_CONFLICT ? ERR_OK : e;
}

/* An alert's note: what happened, and why when a reason was given. */
static const char *
because(struct ctx *c, const char *what, const char *reason)
{
	return reason == NULL ? what : arena_printf(c->arena, "%s: %s", what, reason);
}

static enum err
approve(struct ctx *c, PGresult *w, const struct wd_decision *d,
    struct wd_decided *out)
{
	const char *p[3] = { db_val(w, 0, L_ID), c->actor->idtxt, d->reason };
	PGresult *res;
	enum err e;

	if (strcmp(db_val(w, 0, L_MINE), "t") == 0) {
		out->already = 1;
		return ERR_CONFLICT;
	}
	if ((e = q(c, ST_APPROVAL, p, &res)) != ERR_OK)
		return e;
	out->approvals++;
	if (out->approvals < out->required)
		return alert_follow(c, w, "UNDER_REVIEW", because(c, arena_printf(
		    c->arena, "approval %d of %d", out->approvals, out->required),
		    d->reason));
	if ((e = q(c, ST_RELEASE, p, &res)) != ERR_OK)
		return e;
	snprintf(out->status, sizeof(out->status), "PENDING_SIGNATURE");
	return alert_follow(c, w, "RESOLVED", because(c, "withdrawal approved",
	    d->reason));
}

static enum err
reject(struct ctx *c, PGresult *w, const char *id, const struct wd_decision *d,
    struct wd_decided *out)
{
	const char *p[2] = { db_val(w, 0, L_USER_ID), NULL };
	PGresult *res;
	struct json_object *det;
	enum err e;

	if ((e = wd_reject(c, db_val(w, 0, L_ID), d->reason)) != ERR_OK)
		return e;
	snprintf(out->status, sizeof(out->status), "REJECTED");
	if (d->suspend) {
		p[1] = arena_printf(c->arena, "withdrawal %s rejected: %s", id,
		    d->reason);
		if ((e = q(c, ST_SUSPEND, p, &res)) != ERR_OK)
			return e;
		out->suspended = strcmp(PQcmdTuples(res), "1") == 0;
		if (out->suspended) {
			if ((det = json_own(c->arena, json_object_new_object())) == NULL)
				return ERR_INTERNAL;
			json_object_object_add(det, "previousStatus",
			    json_object_new_string(db_val(res, 0, 0)));
			json_object_object_add(det, "status",
			    json_object_new_string("SUSPENDED"));
			if ((e = session_revoke_user(c, p[0])) != ERR_OK ||
			    (e = audit_write(c, "USER_STATUS_CHANGE", c->actor, p[0],
			    db_val(w, 0, L_USER_PUBLIC), "SUSPENDED", d->reason,
			    det)) != ERR_OK)
				return e;
		}
	}
	return alert_follow(c, w, out->suspended ? "ESCALATED" : "RESOLVED",
	    arena_printf(c->arena, "withdrawal rejected%s: %s",
	    out->suspended ? ", account suspended" : "", d->reason));
}

enum err
withdrawal_decide(struct ctx *c, const char *id, const struct wd_decision *d,
    struct wd_decided *out)
{
	const char *p[2] = { id, c->actor->idtxt };
	PGresult *w;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_LOCK, p, &w)) != ERR_OK)
		goto fail;
	if (PQntuples(w) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	snprintf(out->status, sizeof(out->status), "%s", db_val(w, 0, L_STATUS));
	snprintf(out->user_public_id, sizeof(out->user_public_id), "%s",
	    db_val(w, 0, L_USER_PUBLIC));
	out->required = (int)util_long(db_val(w, 0, L_REQUIRED), 1);
	out->approvals = (int)util_long(db_val(w, 0, L_GIVEN), 0);
	/* Approved once; stopped any time before the worker claims it. */
	if (strcmp(out->status, "PENDING_APPROVAL") != 0 && (d->approve ||
	    strcmp(out->status, "PENDING_SIGNATURE") != 0)) {
		e = ERR_CONFLICT;
		goto fail;
	}
	/* Separation of duties: nobody decides on their own withdrawal. */
	if (strcmp(db_val(w, 0, L_USER_ID), c->actor->idtxt) == 0) {
		e = ERR_FORBIDDEN;
		goto fail;
	}
	if ((e = d->approve ? approve(c, w, d, out) : reject(c, w, id, d, out)) != ERR_OK ||
	    (e = decision_audit(c, w, id, d, out)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	log_info("withdrawal %s %s by %s (%d of %d)%s", id, d->approve ?
	    "approved" : "rejected", c->actor->public_id, out->approvals,
	    out->required, out->suspended ? ", account suspended" : "");
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}
