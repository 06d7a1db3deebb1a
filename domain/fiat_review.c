/* domain/fiat_review.c — the reconciliation queue: transfers no user could be credited with, reviewed by staff (credit a user, or send back), audited */
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
#include "domain/fiat_review.h"
#include "domain/outbox.h"

enum {
	ST_COUNT, ST_PAGE_OLD, ST_PAGE_NEW, ST_GET, ST_LOCK, ST_USER, ST_MOVE,
	ST_DEP_COMPLETE, ST_DEP_INSERT, ST_CREDITED, ST_RETURN_INSERT,
	ST_RETURN_LOCK, ST_RETURNING, ST__COUNT
};

/* Columns of ST_LOCK. */
enum { L_ID, L_STATUS, L_AMOUNT, L_BANK_TX, L_DEP_ID, L_DEP_USER, L_DEP_STATUS,
    L_REASON, L_IBAN, L_NAME };

#define QUEUE_WHERE \
	" WHERE (CASE WHEN $1::text IS NULL" \
	" THEN t.status IN ('QUEUED', 'RETURNING') ELSE t.status = $1 END)" \
	" AND ($2::text IS NULL OR t.queue_reason = $2)"
#define QUEUE_COLS \
	"SELECT t.public_id, t.bank_tx_id, round(t.amount, 2)::text," \
	" t.sender_name, t.sender_iban, t.description, t.reference, t.answer," \
	" t.status, t.queue_reason, d.public_id, du.public_id, cu.public_id," \
	" (SELECT x.public_id FROM fiat_deposits x WHERE x.transfer_id = t.id)," \
	" ru.email, " DB_ISO("t.resolved_at") ", t.resolution_note," \
	" (SELECT w.public_id FROM fiat_withdrawals w WHERE w.transfer_id = t.id" \
	"  ORDER BY w.id DESC LIMIT 1)," \
	" (SELECT w.status FROM fiat_withdrawals w WHERE w.transfer_id = t.id" \
	"  ORDER BY w.id DESC LIMIT 1)," \
	" " DB_ISO("t.created_at") ", " DB_ISO("t.updated_at") \
	" FROM fiat_transfers t" \
	" LEFT JOIN fiat_deposits d ON d.id = t.deposit_id" \
	" LEFT JOIN users du ON du.id = d.user_id" \
	" LEFT JOIN users cu ON cu.id = t.credited_user_id" \
	" LEFT JOIN users ru ON ru.id = t.resolved_by"
#define SUSPENSE_ID \
	"(SELECT id FROM users WHERE public_id = '" FIAT_SUSPENSE_ACCOUNT "')"

static const struct stmt stmts[] = {
	[ST_COUNT] = { "fiat_queue_count",
	  "SELECT count(*) FROM fiat_transfers t" QUEUE_WHERE, 2 },
	[ST_PAGE_OLD] = { "fiat_queue_old",
	  QUEUE_COLS QUEUE_WHERE " ORDER BY t.id LIMIT $3 OFFSET $4", 4 },
	[ST_PAGE_NEW] = { "fiat_queue_new",
	  QUEUE_COLS QUEUE_WHERE " ORDER BY t.id DESC LIMIT $3 OFFSET $4", 4 },
	[ST_GET] = { "fiat_transfer_get", QUEUE_COLS " WHERE t.public_id = $1", 1 },
	[ST_LOCK] = { "fiat_review_lock",
	  "SELECT t.id, t.status, round(t.amount, 2)::text, t.bank_tx_id,"
	  " d.id, d.user_id, d.status, t.queue_reason, t.sender_iban,"
	  " t.sender_name FROM fiat_transfers t"
	  " LEFT JOIN fiat_deposits d ON d.id = t.deposit_id"
	  " WHERE t.public_id = $1 FOR UPDATE OF t", 1 },
	[ST_USER] = { "fiat_review_user",
	  "SELECT id, email, public_id, email LIKE '%@system.hzm.invalid'"
	  " FROM users WHERE public_id = $1", 1 },
	/* Out of suspense and to the user, in one statement (one trigger pass). */
	[ST_MOVE] = { "fiat_review_move",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) SELECT " SUSPENSE_ID ", '" FIAT_ASSET "', -($1::numeric),"
	  " 0, 'ADJUSTMENT', 'fiat:tx:' || $2 UNION ALL SELECT $3::bigint,"
	  " '" FIAT_ASSET "', $1::numeric, 0, 'DEPOSIT', 'fiat:tx:' || $2"
	  " RETURNING id, kind", 3 },
	[ST_DEP_COMPLETE] = { "fiat_review_dep_complete",
	  "UPDATE fiat_deposits SET status = 'COMPLETED', transfer_id = $2,"
	  " credited_amount = $3::numeric, ledger_id = $4, credited_at = now(),"
	  " updated_at = now() WHERE id = $1 AND status = 'PENDING'"
	  " RETURNING public_id, " DB_ISO("credited_at"), 4 },
	/* A deposit the user never announced: recorded as credited, no reference. */
	[ST_DEP_INSERT] = { "fiat_review_dep_insert",
	  "INSERT INTO fiat_deposits (public_id, user_id, amount, iban, bank_name,"
	  " account_holder, status, expires_at, transfer_id, credited_amount,"
	  " ledger_id, credited_at) VALUES ($1, $2, $3::numeric, $4, $5, $6,"
	  " 'COMPLETED', now(), $7, $3::numeric, $8, now())"
	  " RETURNING public_id, " DB_ISO("credited_at"), 8 },
	[ST_CREDITED] = { "fiat_review_credited",
	  "UPDATE fiat_transfers SET status = 'CREDITED', credited_user_id = $2,"
	  " resolved_by = $3, resolved_at = now(), resolution_note = $4,"
	  " updated_at = now() WHERE id = $1 AND status = 'QUEUED'", 4 },
	[ST_RETURN_INSERT] = { "fiat_review_return_insert",
	  "INSERT INTO fiat_withdrawals (public_id, user_id, kind, transfer_id,"
	  " amount, fee, iban, account_holder, idempotency_key) VALUES ($1,"
	  " " SUSPENSE_ID ", 'RETURN', $2, $3::numeric, 0, $4, $5, $6::uuid)", 6 },
	[ST_RETURN_LOCK] = { "fiat_review_return_lock",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) VALUES (" SUSPENSE_ID ", '" FIAT_ASSET "', -($1::numeric),"
	  " $1::numeric, 'WITHDRAWAL_LOCK', 'fiat:' || $2)", 2 },
	[ST_RETURNING] = { "fiat_review_returning",
	  "UPDATE fiat_transfers SET status = 'RETURNING', resolved_by = $2,"
	  " resolved_at = now(), resolution_note = $3, updated_at = now()"
	  " WHERE id = $1 AND status = 'QUEUED'", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "fiat review statements");

const char *const fiat_transfer_statuses[] = { "CREDITED", "QUEUED",
    "RETURNING", "RETURNED", NULL };
const char *const fiat_queue_reasons[] = { "NO_REFERENCE",
    "AMBIGUOUS_REFERENCE", "UNKNOWN_REFERENCE", "USED_REFERENCE",
    "EXPIRED_REFERENCE", "NAME_MISMATCH", "NO_VERIFIED_NAME",
    "ACCOUNT_NOT_ACTIVE", NULL };

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

enum err
fiat_queue_list(struct ctx *c, const struct fiat_queue_query *in,
    PGresult **rows, long long *total)
{
	const char *p[4] = { in->status, in->reason, in->limit, in->offset };
	PGresult *cnt;
	enum err e;

	if ((e = q(c, ST_COUNT, p, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return q(c, in->oldest_first ? ST_PAGE_OLD : ST_PAGE_NEW, p, rows);
}

enum err
fiat_transfer_get(struct ctx *c, const char *transfer_id, PGresult **row)
{
	const char *p[1] = { transfer_id };

	return q(c, ST_GET, p, row);
}

struct json_object *
fiat_transfer_json(PGresult *res, int i)
{
	static const char *const names[] = { "transferId", "bankTransactionId",
	    "amount", "senderName", "senderIban", "description", "referenceCode",
	    "answer", "status", "queueReason", "depositId", "depositUserId",
	    "creditedUserId", "creditedDepositId", "resolvedBy", "resolvedAt",
	    "resolutionNote", "returnId", "returnStatus", "createdAt",
	    "updatedAt" };
	struct json_object *o = json_object_new_object();
	size_t k;

	for (k = 0; k < nitems(names); k++) {
		json_object_object_add(o, names[k],
		    json_str_or_null(db_val(res, i, (int)k)));
		if (k == 2)
			json_object_object_add(o, "asset",
			    json_object_new_string(FIAT_ASSET));
	}
	return o;
}

/* The transfer, locked and QUEUED: ERR_OK, ERR_NOT_FOUND or ERR_CONFLICT. */
static enum err
transfer_lock(struct ctx *c, const char *transfer_id, PGresult **t,
    struct fiat_resolved *out)
{
	const char *p[1] = { transfer_id };
	enum err e;

	if ((e = q(c, ST_LOCK, p, t)) != ERR_OK)
		return e;
	if (PQntuples(*t) != 1) {
		out->field = "transferId";
		out->reason = "no such transfer";
		return ERR_NOT_FOUND;
	}
	snprintf(out->status, sizeof(out->status), "%s",
	    db_val(*t, 0, L_STATUS));
	snprintf(out->amount, sizeof(out->amount), "%s", db_val(*t, 0, L_AMOUNT));
	return strcmp(out->status, "QUEUED") == 0 ? ERR_OK : ERR_CONFLICT;
}

static struct json_object *
review_details(struct ctx *c, const char *transfer_id, PGresult *t)
{
	struct json_object *d = json_own(c->arena, json_object_new_object());

	if (d == NULL)
		return NULL;
	json_object_object_add(d, "transferId", json_object_new_string(transfer_id));
	json_object_object_add(d, "bankTransactionId",
	    json_object_new_string(db_val(t, 0, L_BANK_TX)));
	json_object_object_add(d, "amount",
	    json_object_new_string(db_val(t, 0, L_AMOUNT)));
	json_object_object_add(d, "asset", json_object_new_string(FIAT_ASSET));
	json_object_object_add(d, "queueReason",
	    json_str_or_null(db_val(t, 0, L_REASON)));
	return d;
}

/* The user's deposit record for the credit: their named intent, or a new one. */
static enum err
credit_deposit(struct ctx *c, PGresult *t, const char *user_id,
    const char *ledger_id, struct fiat_resolved *out, const char **at)
{
	struct fiat_account acct;
	const char *p[8];
	PGresult *res;
	enum err e;

	if (db_val(t, 0, L_DEP_ID) != NULL &&
	    strcmp(db_val(t, 0, L_DEP_USER), user_id) == 0 &&
	    strcmp(db_val(t, 0, L_DEP_STATUS), "PENDING") == 0) {
		p[0] = db_val(t, 0, L_DEP_ID);
		p[1] = db_val(t, 0, L_ID);
		p[2] = db_val(t, 0, L_AMOUNT);
		p[3] = ledger_id;
		if ((e = q(c, ST_DEP_COMPLETE, p, &res)) != ERR_OK)
			return e;
	} else {
		/* The account as configured now: where such money arrives. */
		if (fiat_account_get(&acct) == -1) {
			snprintf(acct.iban, sizeof(acct.iban), "-");
			acct.bank_name = acct.holder = "-";
		}
		if (util_public_id("fdp_", out->deposit_id,
		    sizeof(out->deposit_id)) == -1)
			return ERR_INTERNAL;
		p[0] = out->deposit_id;
		p[1] = user_id;
		p[2] = db_val(t, 0, L_AMOUNT);
		p[3] = acct.iban;
		p[4] = acct.bank_name;
		p[5] = acct.holder;
		p[6] = db_val(t, 0, L_ID);
		p[7] = ledger_id;
		if ((e = q(c, ST_DEP_INSERT, p, &res)) != ERR_OK)
			return e;
	}
	if (PQntuples(res) != 1)
		return ERR_CONFLICT;
	snprintf(out->deposit_id, sizeof(out->deposit_id), "%s", db_val(res, 0, 0));
	*at = db_val(res, 0, 1);
	return ERR_OK;
}

/* The money moved and recorded; the transfer locked and QUEUED. */
static enum err
credit_apply(struct ctx *c, const char *transfer_id, PGresult *t, PGresult *u,
    const char *reason, struct fiat_resolved *out)
{
	char evt[OUTBOX_ID_LEN + 1];
	const char *p[4], *ledger_id = NULL, *at;
	struct json_object *ev, *det;
	PGresult *res;
	enum err e;
	int i;

	p[0] = db_val(t, 0, L_AMOUNT);
	p[1] = db_val(t, 0, L_BANK_TX);
	p[2] = db_val(u, 0, 0);
	if ((e = q(c, ST_MOVE, p, &res)) != ERR_OK)
		return e;
	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(db_val(res, i, 1), "DEPOSIT") == 0)
			ledger_id = db_val(res, i, 0);
	if (ledger_id == NULL)
		return ERR_INTERNAL;
	if ((e = credit_deposit(c, t, db_val(u, 0, 0), ledger_id, out, &at)) !=
	    ERR_OK)
		return e;
	p[0] = db_val(t, 0, L_ID);
	p[1] = db_val(u, 0, 0);
	p[2] = c->actor->idtxt;
	p[3] = reason;
	if ((e = q(c, ST_CREDITED, p, &res)) != ERR_OK)
		return e;
	if ((ev = json_own(c->arena, json_object_new_object())) == NULL ||
	    (det = review_details(c, transfer_id, t)) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(ev, "depositId", json_object_new_string(out->deposit_id));
	json_object_object_add(ev, "asset", json_object_new_string(FIAT_ASSET));
	json_object_object_add(ev, "amount", json_object_new_string(out->amount));
	json_object_object_add(ev, "method", json_object_new_string("BANK_TRANSFER"));
	json_object_object_add(ev, "transferId", json_object_new_string(transfer_id));
	json_object_object_add(ev, "creditedAt", json_object_new_string(at));
	if ((e = outbox_put(c->db, c->arena, db_val(u, 0, 0), "deposit.confirmed",
	    ev, evt)) != ERR_OK)
		return e;
	json_object_object_add(det, "userId",
	    json_object_new_string(db_val(u, 0, 2)));
	json_object_object_add(det, "depositId",
	    json_object_new_string(out->deposit_id));
	return audit_write(c, "FIAT_REVIEW", c->actor, db_val(u, 0, 0),
	    transfer_id, "CREDITED", reason, det);
}

enum err
fiat_review_credit(struct ctx *c, const char *transfer_id, const char *user_id,
    const char *reason, struct fiat_resolved *out)
{
	const char *p[1] = { user_id };
	PGresult *t, *u;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = q(c, ST_USER, p, &u)) != ERR_OK)
		return e;
	if (PQntuples(u) != 1) {
		out->field = "userId";
		out->reason = "no such user";
		return ERR_NOT_FOUND;
	}
	if (strcmp(db_val(u, 0, 3), "t") == 0) {
		out->field = "userId";
		out->reason = "a system account, not a customer";
		return ERR_INVALID_REQUEST;
	}
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = transfer_lock(c, transfer_id, &t, out)) != ERR_OK ||
	    (e = credit_apply(c, transfer_id, t, u, reason, out)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	snprintf(out->status, sizeof(out->status), "CREDITED");
	snprintf(out->email, sizeof(out->email), "%s", db_val(u, 0, 1));
	log_info("fiat: transfer %s credited to %s by %s (deposit %s)",
	    transfer_id, user_id, c->actor->public_id, out->deposit_id);
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

enum err
fiat_review_return(struct ctx *c, const char *transfer_id, const char *reason,
    struct fiat_resolved *out)
{
	char key[UUID_LEN + 1];
	const char *p[6];
	struct json_object *det;
	PGresult *t, *res;
	enum err e;

	memset(out, 0, sizeof(*out));
	if (util_public_id("fwd_", out->withdrawal_id,
	    sizeof(out->withdrawal_id)) == -1 || util_uuid(key) == -1)
		return ERR_INTERNAL;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = transfer_lock(c, transfer_id, &t, out)) != ERR_OK)
		goto fail;
	p[0] = out->withdrawal_id;
	p[1] = db_val(t, 0, L_ID);
	p[2] = db_val(t, 0, L_AMOUNT);
	p[3] = db_val(t, 0, L_IBAN);
	p[4] = db_val(t, 0, L_NAME);
	p[5] = key;
	if ((e = q(c, ST_RETURN_INSERT, p, &res)) != ERR_OK)
		goto fail;
	p[0] = db_val(t, 0, L_AMOUNT);
	p[1] = out->withdrawal_id;
	if ((e = q(c, ST_RETURN_LOCK, p, &res)) != ERR_OK)
		goto fail;
	p[0] = db_val(t, 0, L_ID);
	p[1] = c->actor->idtxt;
	p[2] = reason;
	if ((e = q(c, ST_RETURNING, p, &res)) != ERR_OK)
		goto fail;
	if ((det = review_details(c, transfer_id, t)) == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	json_object_object_add(det, "returnId",
	    json_object_new_string(out->withdrawal_id));
	json_object_object_add(det, "iban",
	    json_object_new_string(db_val(t, 0, L_IBAN)));
	if ((e = audit_write(c, "FIAT_REVIEW", c->actor, NULL, transfer_id,
	    "RETURN_REQUESTED", reason, det)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	snprintf(out->status, sizeof(out->status), "RETURNING");
	log_info("fiat: transfer %s to be returned by %s (payout %s)",
	    transfer_id, c->actor->public_id, out->withdrawal_id);
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}
