/* domain/masak.c — MASAK reports: suspicious-transaction cases drafted from compliance alerts, their deadline and status, and transfers that need travel-rule data */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/sealed.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/masak.h"

#define CASE_WHERE \
	" (a.severity IN ('HIGH', 'CRITICAL') OR a.resolution = 'ESCALATED')"	\
	" AND a.type <> 'CHAIN_REORG'"
/*
 * The deadline counts from the alert's day in Turkey, where MASAK's
 * business days are. The customer is who their latest approved KYC
 * application (else the latest) says; the transaction is the alert's
 * subject ("deposit:dep_...", "withdrawal:wdr_...", "fiat-transfer:ftr_...").
 */
#define CASE_COLS \
	"SELECT a.public_id, a.type, a.severity, a.risk_score,"		\
	" coalesce(a.details->'factors', '[]')::text, a.details::text,"	\
	" " DB_ISO("a.created_at") ","					\
	" business_days_after((a.created_at AT TIME ZONE 'Europe/Istanbul')::date, 10)::text," \
	" coalesce(mc.status, 'DRAFT'), mc.filing_reference, mc.reason,"	\
	" du.public_id, " DB_ISO("mc.decided_at") ","			\
	" u.public_id, u.email, k.first_name, k.last_name,"		\
	" k.date_of_birth::text, k.nationality, k.address, k.public_id,"	\
	" split_part(a.subject, ':', 1), split_part(a.subject, ':', 2),"	\
	" coalesce(d.asset, w.asset, CASE WHEN f.id IS NOT NULL THEN 'TRY' END)," \
	" round(coalesce(d.amount, w.amount, f.amount), (SELECT x.precision"	\
	"  FROM assets x WHERE x.code = coalesce(d.asset, w.asset, 'TRY')))::text," \
	" " DB_ISO("coalesce(d.created_at, w.created_at, f.created_at)") ","	\
	" (business_days_after((a.created_at AT TIME ZONE 'Europe/Istanbul')::date, 10)"	\
	"  < (now() AT TIME ZONE 'Europe/Istanbul')::date"		\
	"  AND coalesce(mc.status, 'DRAFT') = 'DRAFT')::text,"		\
	" k.id_number"							\
	" FROM compliance_alerts a"					\
	" LEFT JOIN masak_cases mc ON mc.alert_id = a.id"		\
	" LEFT JOIN users du ON du.id = mc.decided_by"			\
	" LEFT JOIN users u ON u.id = a.user_id"			\
	" LEFT JOIN LATERAL (SELECT * FROM kyc_submissions s"		\
	"  WHERE s.user_id = a.user_id ORDER BY s.status = 'APPROVED' DESC,"	\
	"  s.id DESC LIMIT 1) k ON true"				\
	" LEFT JOIN deposits d ON split_part(a.subject, ':', 1) = 'deposit'"	\
	"  AND d.public_id = split_part(a.subject, ':', 2)"		\
	" LEFT JOIN withdrawals w ON split_part(a.subject, ':', 1) = 'withdrawal'"	\
	"  AND w.public_id = split_part(a.subject, ':', 2)"		\
	" LEFT JOIN fiat_transfers f ON split_part(a.subject, ':', 1) = 'fiat-transfer'" \
	"  AND f.public_id = split_part(a.subject, ':', 2)"

#define TRANSFERS \
	"SELECT * FROM (SELECT 'WITHDRAWAL' AS kind, w.public_id, u.public_id,"	\
	" w.asset, w.network, round(w.amount, ast.precision)::text,"	\
	" w.value_try::text,"						\
	" w.address, w.status, " DB_ISO("w.created_at") " AS at, w.created_at"	\
	" FROM withdrawals w JOIN users u ON u.id = w.user_id"		\
	" JOIN assets ast ON ast.code = w.asset"			\
	" WHERE w.value_try >= " TRAVEL_RULE_TRY				\
	" AND ($1::timestamptz IS NULL OR w.created_at >= $1)"		\
	" AND ($2::timestamptz IS NULL OR w.created_at < $2)"		\
	" UNION ALL SELECT 'DEPOSIT', d.public_id, u.public_id, d.asset,"	\
	" d.network, round(d.amount, ast.precision)::text,"		\
	" round(d.amount * asset_price_try(d.asset), 2)::text, d.address,"	\
	" d.status, " DB_ISO("d.created_at") ", d.created_at"		\
	" FROM deposits d JOIN users u ON u.id = d.user_id"		\
	" JOIN assets ast ON ast.code = d.asset"			\
	" WHERE d.amount * asset_price_try(d.asset) >= " TRAVEL_RULE_TRY	\
	" AND ($1::timestamptz IS NULL OR d.created_at >= $1)"		\
	" AND ($2::timestamptz IS NULL OR d.created_at < $2)) x"	\
	" ORDER BY x.created_at DESC LIMIT 5000"

enum { ST_CASES, ST_TRANSFERS, ST_DECIDE, ST_CASE_OF, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_CASES] = { "masak_cases",
	  CASE_COLS " WHERE" CASE_WHERE
	  " AND ($1::text IS NULL OR coalesce(mc.status, 'DRAFT') = $1)"
	  " AND ($2::timestamptz IS NULL OR a.created_at >= $2)"
	  " AND ($3::timestamptz IS NULL OR a.created_at < $3)"
	  " ORDER BY a.id DESC LIMIT 5000", 3 },
	[ST_TRANSFERS] = { "masak_travel_rule", TRANSFERS, 2 },
	/* No row is a DRAFT; a decided case is never decided again. */
	[ST_DECIDE] = { "masak_decide",
	  "INSERT INTO masak_cases (alert_id, status, filing_reference, reason,"
	  " decided_by, decided_at) SELECT a.id, $2, $3, $4, $5, now()"
	  " FROM compliance_alerts a WHERE a.public_id = $1 AND" CASE_WHERE
	  " ON CONFLICT (alert_id) DO NOTHING RETURNING alert_id", 5 },
	[ST_CASE_OF] = { "masak_case_of",
	  "SELECT a.user_id, coalesce(mc.status, 'DRAFT'),"
	  " business_days_after((a.created_at AT TIME ZONE 'Europe/Istanbul')::date, 10)::text"
	  " FROM compliance_alerts a LEFT JOIN masak_cases mc ON mc.alert_id = a.id"
	  " WHERE a.public_id = $1 AND" CASE_WHERE, 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "masak statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* CASE_COLS in order, by the name the CSV gives each. */
static const char *const case_keys[] = { "caseId", "alertType", "severity",
    "riskScore", "factors", "alertDetails", "alertCreatedAt", "deadline",
    "status", "filingReference", "reason", "decidedBy", "decidedAt",
    "userId", "email", "firstName", "lastName", "dateOfBirth", "nationality",
    "address", "kycId", "transactionType", "transactionId", "asset",
    "amount", "transactionAt", "overdue", "idNumber" };
enum { C_SCORE = 3, C_FACTORS, C_DETAILS, C_USER = 13, C_KYC = 20, C_TX = 21,
    C_OVERDUE = 26, C_IDNUM = 27 };

/* The identity number of row i's application, opened, or NULL. */
static const char *
id_number_open(struct ctx *c, PGresult *res, int i)
{
	const char *kid = db_val(res, i, C_KYC);
	char context[80];
	size_t n;

	if (kid == NULL)
		return NULL;
	snprintf(context, sizeof(context), "kyc:%s:ID_NUMBER", kid);
	return (const char *)sealed_open(c->arena, context,
	    db_val(res, i, C_IDNUM), &n);
}

static enum err
cases_audit(struct ctx *c, PGresult *res)
{
	struct json_object *d, *ids;
	int i, n = PQntuples(res);
	enum err e;

	if ((d = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	ids = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(ids, json_object_new_string(db_val(res, i, 0)));
	json_object_object_add(d, "caseIds", ids);
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = audit_write(c, "MASAK_REPORT_VIEW", c->actor, NULL, NULL,
	    "VIEWED", NULL, d)) != ERR_OK || (e = db_commit(c->db)) != ERR_OK) {
		db_rollback(c->db);
		return e;
	}
	return ERR_OK;
}

enum err
masak_cases_read(struct ctx *c, const char *status, const char *from,
    const char *to, struct masak_cases *out)
{
	const char *p[3] = { status, from, to };
	enum err e;
	int i, n;

	memset(out, 0, sizeof(*out));
	if ((e = q(c, ST_CASES, p, &out->rows)) != ERR_OK)
		return e;
	n = PQntuples(out->rows);
	if ((out->id_numbers = arena_alloc(c->arena,
	    sizeof(*out->id_numbers) * (size_t)(n + 1))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < n; i++)
		out->id_numbers[i] = id_number_open(c, out->rows, i);
	return cases_audit(c, out->rows);
}

enum err
masak_travel_rule(struct ctx *c, const char *from, const char *to,
    PGresult **rows)
{
	const char *p[2] = { from, to };

	return q(c, ST_TRANSFERS, p, rows);
}


static void
put(struct json_object *o, const char *k, PGresult *res, int i, int col)
{
	json_object_object_add(o, k, json_str_or_null(db_val(res, i, col)));
}

struct json_object *
masak_case_json(const struct masak_cases *mc, int i)
{
	PGresult *res = mc->rows;
	struct json_object *o = json_object_new_object(), *cu, *tx;
	int k;

	for (k = 0; k < C_USER; k++) {
		if (k == C_SCORE)
			json_object_object_add(o, case_keys[k], json_object_new_int(
			    (int)strtol(db_val(res, i, k), NULL, 10)));
		else if (k == C_FACTORS || k == C_DETAILS)
			json_object_object_add(o, case_keys[k],
			    json_tokener_parse(db_val(res, i, k)));
		else
			put(o, case_keys[k], res, i, k);
	}
	cu = json_object_new_object();
	for (k = C_USER; k < C_TX; k++)
		put(cu, case_keys[k], res, i, k);
	json_object_object_add(cu, "idNumber", json_str_or_null(mc->id_numbers[i]));
	tx = json_object_new_object();
	put(tx, "type", res, i, C_TX);
	put(tx, "id", res, i, C_TX + 1);
	put(tx, "asset", res, i, C_TX + 2);
	put(tx, "amount", res, i, C_TX + 3);
	put(tx, "createdAt", res, i, C_TX + 4);
	json_object_object_add(o, "customer", cu);
	json_object_object_add(o, "transactions", json_object_new_array());
	json_object_array_add(json_object_object_get(o, "transactions"), tx);
	json_object_object_add(o, "overdue", json_object_new_boolean(
	    strcmp(db_val(res, i, C_OVERDUE), "true") == 0));
	return o;
}

/* Each row's columns, the last replaced by last[i] when last is set. */
static void
rows_csv(struct buf *b, PGresult *res, const char *const *keys, size_t nk,
    const char **last)
{
	const char *cells[32];
	int i, n = PQntuples(res);
	size_t k;

	csv_row(b, keys, nk);
	for (i = 0; i < n; i++) {
		for (k = 0; k < nk && k < nitems(cells); k++)
			cells[k] = db_val(res, i, (int)k);
		if (last != NULL)
			cells[nk - 1] = last[i];
		csv_row(b, cells, nk);
	}
}

void
masak_cases_csv(struct buf *b, const struct masak_cases *mc)
{
	rows_csv(b, mc->rows, case_keys, nitems(case_keys), mc->id_numbers);
}

static const char *const transfer_keys[] = { "type", "id", "userId",
    "asset", "network", "amount", "valueTry", "address", "status",
    "createdAt" };

struct json_object *
masak_transfer_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();
	size_t k;

	for (k = 0; k < nitems(transfer_keys); k++)
		put(o, transfer_keys[k], res, i, (int)k);
	return o;
}

void
masak_transfers_csv(struct buf *b, PGresult *res)
{
	rows_csv(b, res, transfer_keys, nitems(transfer_keys), NULL);
}

enum err
masak_decide(struct ctx *c, const char *case_id, const char *status,
    const char *reference, const char *reason)
{
	const char *p[5] = { case_id, status, reference, reason,
	    c->actor != NULL ? c->actor->idtxt : NULL };
	struct json_object *d;
	PGresult *res, *cur;
	enum err e;

	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_CASE_OF, p, &cur)) != ERR_OK)
		goto fail;
	if (PQntuples(cur) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	if ((e = q(c, ST_DECIDE, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((d = json_own(c->arena, json_object_new_object())) == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	json_object_object_add(d, "filingReference", json_str_or_null(reference));
	json_object_object_add(d, "deadline",
	    json_object_new_string(db_val(cur, 0, 2)));
	if ((e = audit_write(c, "MASAK_REPORT", c->actor, db_val(cur, 0, 0),
	    case_id, status, reason, d)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}
