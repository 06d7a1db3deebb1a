/* domain/payout.c — paying out by bank transfer: claim a due payout, ask or tell the bank under its idempotency key, settle exactly once */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/bank_api.h"
#include "domain/fiat.h"
#include "domain/fiat_mail.h"
#include "domain/outbox.h"
#include "domain/payout.h"

enum {
	ST_CLAIM, ST_LOCK, ST_PAID_LEDGER, ST_PAID, ST_UNLOCK_LEDGER, ST_FAILED,
	ST_RESCHEDULE, ST_TR_RETURNED, ST_TR_REQUEUED, ST__COUNT
};

/* Columns of ST_CLAIM. */
enum { C_ID, C_PUBLIC_ID, C_KIND, C_AMOUNT, C_IBAN, C_HOLDER, C_KEY,
    C_WAS_SENT, C_ATTEMPTS };

/* Columns of ST_LOCK. */
enum { L_ID, L_PUBLIC_ID, L_KIND, L_USER_ID, L_AMOUNT, L_FEE, L_IBAN,
    L_TRANSFER_ID, L_EMAIL, L_TRANSFER };

#define PAYOUT_REF	"'fiat:' || w.public_id"
#define RETRY_CEILING	(30L * 86400)	/* any wait, whatever the settings say */

static const struct stmt stmts[] = {
	/*
	 * The claim commits on its own, before the bank is called: the lease
	 * keeps other runs off while this one talks to the bank, and ends by
	 * itself if this one is killed. sent_at is set before the first
	 * request goes, so a later claim knows to ask the bank first.
	 */
	[ST_CLAIM] = { "payout_claim",
	  "WITH c AS (SELECT id, sent_at IS NOT NULL AS was_sent"
	  " FROM fiat_withdrawals WHERE status = 'PROCESSING'"
	  " AND next_attempt_at <= now()"
	  " AND (lease_until IS NULL OR lease_until <= now())"
	  " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
	  " UPDATE fiat_withdrawals w SET claim = $1::uuid,"
	  " lease_until = now() + make_interval(secs => $2::int),"
	  " attempts = w.attempts + 1, sent_at = coalesce(w.sent_at, now()),"
	  " updated_at = now() FROM c WHERE w.id = c.id"
	  " RETURNING w.id, w.public_id, w.kind, round(w.amount, 2)::text,"
	  " w.iban, w.account_holder, w.idempotency_key::text, c.was_sent,"
	  " w.attempts", 2 },
	/* Settling needs the claim still ours and the payout still open. */
	[ST_LOCK] = { "payout_lock",
	  "SELECT w.id, w.public_id, w.kind, w.user_id, round(w.amount, 2)::text,"
	  " round(w.fee, 2)::text, w.iban, w.transfer_id, u.email, t.public_id"
	  " FROM fiat_withdrawals w JOIN users u ON u.id = w.user_id"
	  " LEFT JOIN fiat_transfers t ON t.id = w.transfer_id"
	  " WHERE w.id = $1 AND w.claim = $2::uuid AND w.status = 'PROCESSING'"
	  " FOR UPDATE OF w", 2 },
	/* The amount and the fee leave locked funds; the fee account gains the fee. */
	[ST_PAID_LEDGER] = { "payout_paid_ledger",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) SELECT w.user_id, w.asset, 0, -w.amount,"
	  " CASE w.kind WHEN 'RETURN' THEN 'RETURN' ELSE 'WITHDRAWAL' END,"
	  " " PAYOUT_REF " FROM fiat_withdrawals w WHERE w.id = $1"
	  " UNION ALL SELECT w.user_id, w.asset, 0, -w.fee, 'FEE', " PAYOUT_REF
	  " FROM fiat_withdrawals w WHERE w.id = $1 AND w.fee > 0"
	  " UNION ALL SELECT f.id, w.asset, w.fee, 0, 'FEE', " PAYOUT_REF
	  " FROM fiat_withdrawals w, users f WHERE w.id = $1 AND w.fee > 0"
	  " AND f.public_id = '" FIAT_FEE_ACCOUNT "'", 1 },
	[ST_PAID] = { "payout_paid",
	  "UPDATE fiat_withdrawals SET status = 'COMPLETED', completed_at = now(),"
	  " bank_payout_id = $2, bank_status = 'COMPLETED', claim = NULL,"
	  " lease_until = NULL, last_error = NULL, updated_at = now()"
	  " WHERE id = $1 AND status = 'PROCESSING'"
	  " RETURNING " DB_ISO("completed_at"), 2 },
	[ST_UNLOCK_LEDGER] = { "payout_unlock_ledger",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) SELECT w.user_id, w.asset, w.amount + w.fee,"
	  " -(w.amount + w.fee), 'WITHDRAWAL_UNLOCK', " PAYOUT_REF
	  " FROM fiat_withdrawals w WHERE w.id = $1", 1 },
	[ST_FAILED] = { "payout_failed",
	  "UPDATE fiat_withdrawals SET status = 'FAILED', status_reason = $2,"
	  " failed_at = now(), bank_payout_id = coalesce(nullif($3, ''),"
	  " bank_payout_id), bank_status = 'REJECTED', claim = NULL,"
	  " lease_until = NULL, updated_at = now()"
	  " WHERE id = $1 AND status = 'PROCESSING'"
	  " RETURNING " DB_ISO("failed_at"), 3 },
	/* Not settled yet: asked again later, the claim given up. */
	[ST_RESCHEDULE] = { "payout_reschedule",
	  "UPDATE fiat_withdrawals SET next_attempt_at = now()"
	  " + make_interval(secs => $3::int), claim = NULL, lease_until = NULL,"
	  " last_error = $4, bank_payout_id = coalesce(nullif($5, ''),"
	  " bank_payout_id), bank_status = coalesce($6, bank_status),"
	  " updated_at = now()"
	  " WHERE id = $1 AND claim = $2::uuid AND status = 'PROCESSING'", 6 },
	[ST_TR_RETURNED] = { "payout_tr_returned",
	  "UPDATE fiat_transfers SET status = 'RETURNED', updated_at = now()"
	  " WHERE id = $1 AND status = 'RETURNING'", 1 },
	/* A return the bank refused is back in the queue, with why. */
	[ST_TR_REQUEUED] = { "payout_tr_requeued",
	  "UPDATE fiat_transfers SET status = 'QUEUED', resolution_note ="
	  " left('return failed: ' || $2, 1000), updated_at = now()"
	  " WHERE id = $1 AND status = 'RETURNING'", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "payout statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* The claim's lease: long enough for a lookup and a send, each up to the timeout. */
static long
lease_seconds(void)
{
	long lease = (long)cfg_int("bank_payout_lease_seconds", PAYOUT_LEASE_SECONDS);
	long need = (long)(2 * cfg_int("bank_api_timeout_ms", BANK_TIMEOUT_MS) /
	    1000) + 5;

	if (lease < need)
		lease = need;
	return lease < RETRY_CEILING ? lease : RETRY_CEILING;
}

/* Seconds before attempt n+1 after n without an answer. */
static long
backoff_seconds(long attempts)
{
	long base = (long)cfg_int("bank_payout_retry_seconds", PAYOUT_RETRY_SECONDS);
	long max = (long)cfg_int("bank_payout_retry_max_seconds",
	    PAYOUT_RETRY_MAX_SECONDS);
	/* At least a second: a run never takes the same payout twice. */
	long d = base < 1 ? 1 : base > RETRY_CEILING ? RETRY_CEILING : base;
	long i;

	if (max < d)
		max = d;
	if (max > RETRY_CEILING)
		max = RETRY_CEILING;

	for (i = 1; i < attempts && d < max; i++)
		d *= 2;
	return d < max ? d : max;
}

/* An event and the audit trail of a settled payout, in the open transaction. */
static enum err
settled_record(struct ctx *c, PGresult *w, int paid, const char *reason,
    const char *at)
{
	char evt[OUTBOX_ID_LEN + 1];
	const char *p[2];
	struct json_object *ev;
	PGresult *res;
	enum err e;

	if ((ev = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(ev, "withdrawalId",
	    json_object_new_string(db_val(w, 0, L_PUBLIC_ID)));
	json_object_object_add(ev, "asset", json_object_new_string(FIAT_ASSET));
	json_object_object_add(ev, "amount",
	    json_object_new_string(db_val(w, 0, L_AMOUNT)));
	json_object_object_add(ev, "fee", json_object_new_string(db_val(w, 0, L_FEE)));
	json_object_object_add(ev, "iban", json_object_new_string(db_val(w, 0, L_IBAN)));
	json_object_object_add(ev, paid ? "completedAt" : "failedAt",
	    json_object_new_string(at));
	if (!paid)
		json_object_object_add(ev, "reason", json_object_new_string(reason));
	if (strcmp(db_val(w, 0, L_KIND), "RETURN") != 0)
		return outbox_put(c->db, c->arena, db_val(w, 0, L_USER_ID),
		    paid ? "withdrawal.completed" : "withdrawal.failed", ev, evt);
	/* A return: the transfer's state follows, and the trail says so. */
	p[0] = db_val(w, 0, L_TRANSFER_ID);
	p[1] = reason;
	if ((e = q(c, paid ? ST_TR_RETURNED : ST_TR_REQUEUED, p, &res)) != ERR_OK)
		return e;
	return audit_write(c, "FIAT_REVIEW", NULL, NULL, db_val(w, 0, L_TRANSFER),
	    paid ? "RETURNED" : "RETURN_FAILED", paid ? NULL : reason, ev);
}

/*
 * Paid or refused, settled under the claim in one transaction. 1 settled,
 * 0 the claim was no longer ours (another run settled it or took it).
 */
static int
settle(struct ctx *c, PGresult *cl, const char *claim,
    const struct bank_payout *b, struct fiat_notice *n, int *tell)
{
	const char *p[3], *reason = b->reason[0] != '\0' ? b->reason :
	    "REJECTED";
	int paid = b->outcome == BANK_PAID;
	PGresult *w, *res;
	enum err e;

	if ((e = db_begin(c->db)) != ERR_OK)
		return -1;
	p[0] = db_val(cl, 0, C_ID);
	p[1] = claim;
	if ((e = q(c, ST_LOCK, p, &w)) != ERR_OK)
		goto fail;
	if (PQntuples(w) != 1) {
		db_rollback(c->db);
		return 0;
	}
	if ((e = q(c, paid ? ST_PAID_LEDGER : ST_UNLOCK_LEDGER, p, &res)) != ERR_OK)
		goto fail;
	p[1] = paid ? b->payout_id : reason;
	p[2] = b->payout_id;
	if ((e = q(c, paid ? ST_PAID : ST_FAILED, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = settled_record(c, w, paid, reason, db_val(res, 0, 0))) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	if (strcmp(db_val(w, 0, L_KIND), "WITHDRAWAL") == 0) {
		n->kind = paid ? FIAT_NOTICE_PAID : FIAT_NOTICE_FAILED;
		n->email = db_val(w, 0, L_EMAIL);
		n->id = db_val(w, 0, L_PUBLIC_ID);
		n->amount = db_val(w, 0, L_AMOUNT);
		n->fee = db_val(w, 0, L_FEE);
		n->iban = db_val(w, 0, L_IBAN);
		n->reason = paid ? NULL : arena_strdup(c->arena, reason);
		*tell = 1;
	}
	return 1;
fail:
	db_rollback(c->db);
	log_error("payout %s: settling failed (%s)", db_val(cl, 0, C_PUBLIC_ID),
	    err_info(e)->code);
	return -1;
}

/* Not final: when to ask again, and what is known so far. */
static int
reschedule(struct ctx *c, PGresult *cl, const char *claim,
    const struct bank_payout *b)
{
	char secs[24];
	const char *p[6];
	PGresult *res;
	long attempts = util_long(db_val(cl, 0, C_ATTEMPTS), 1);
	long wait = b->outcome == BANK_PENDING ?
	    (long)cfg_int("bank_payout_poll_seconds", PAYOUT_POLL_SECONDS) :
	    backoff_seconds(attempts);

	if (wait < 1 || wait > RETRY_CEILING)
		wait = wait < 1 ? 1 : RETRY_CEILING;

	snprintf(secs, sizeof(secs), "%ld", wait);
	p[0] = db_val(cl, 0, C_ID);
	p[1] = claim;
	p[2] = secs;
	p[3] = b->outcome == BANK_PENDING ? NULL : b->error;
	p[4] = b->payout_id;
	p[5] = b->outcome == BANK_PENDING ? "PENDING" : NULL;
	if (q(c, ST_RESCHEDULE, p, &res) != ERR_OK)
		return -1;
	if (b->outcome == BANK_UNCERTAIN && attempts >=
	    cfg_int("bank_payout_alert_attempts", PAYOUT_ALERT_ATTEMPTS))
		log_error("payout %s: no outcome from the bank after %ld attempts "
		    "(%s); its funds stay locked until the bank answers",
		    db_val(cl, 0, C_PUBLIC_ID), attempts, b->error);
	return strcmp(PQcmdTuples(res), "1") == 0 ? 1 : 0;
}

/* What the bank says of the claimed payout: asked first if it may have it. */
static enum err
bank_ask(struct ctx *c, PGresult *cl, struct bank_payout *b)
{
	struct bank_payout_req r;
	enum err e;

	if (strcmp(db_val(cl, 0, C_WAS_SENT), "t") == 0) {
		if ((e = bank_payout_lookup(c, db_val(cl, 0, C_KEY), b)) != ERR_OK)
			return e;
		if (b->outcome != BANK_UNKNOWN)
			return ERR_OK;
		log_info("payout %s: the bank has nothing under its key; sending it",
		    db_val(cl, 0, C_PUBLIC_ID));
	}
	memset(&r, 0, sizeof(r));
	r.key = db_val(cl, 0, C_KEY);
	r.amount = db_val(cl, 0, C_AMOUNT);
	r.iban = db_val(cl, 0, C_IBAN);
	r.name = db_val(cl, 0, C_HOLDER);
	r.reference = db_val(cl, 0, C_PUBLIC_ID);
	return bank_payout_send(c, &r, b);
}

int
payout_one(struct ctx *c, struct payout_stats *ss, struct fiat_notice *n,
    int *tell)
{
	char claim[UUID_LEN + 1], lease[24];
	const char *p[2] = { claim, lease }, *id;
	struct bank_payout b;
	PGresult *cl;
	int rc;

	*tell = 0;
	memset(n, 0, sizeof(*n));
	if (util_uuid(claim) == -1)
		return -1;
	snprintf(lease, sizeof(lease), "%ld", lease_seconds());
	if (q(c, ST_CLAIM, p, &cl) != ERR_OK) {
		log_error("payout: claiming failed (database)");
		return -1;
	}
	if (PQntuples(cl) != 1)
		return 0;
	ss->claimed++;
	id = db_val(cl, 0, C_PUBLIC_ID);
	if (bank_ask(c, cl, &b) != ERR_OK) {
		log_error("payout %s: out of memory", id);
		return -1;
	}
	switch (b.outcome) {
	case BANK_PAID:
	case BANK_REJECTED:
		if ((rc = settle(c, cl, claim, &b, n, tell)) == -1)
			return -1;
		if (rc == 0) {
			ss->stale++;
			log_info("payout %s: settled or taken over by another run",
			    id);
			return 1;
		}
		if (b.outcome == BANK_PAID) {
			ss->paid++;
			log_info("payout %s: paid by the bank (%s)", id, b.payout_id);
		} else {
			ss->failed++;
			log_info("payout %s: refused by the bank (%s): FAILED, funds "
			    "unlocked", id, b.reason);
		}
		return 1;
	case BANK_PENDING:
		ss->pending++;
		break;
	case BANK_UNKNOWN:
	case BANK_UNCERTAIN:
		/* UNKNOWN after a send cannot happen; treat it as no answer. */
		ss->uncertain++;
		break;
	}
	if ((rc = reschedule(c, cl, claim, &b)) == -1) {
		log_error("payout %s: rescheduling failed (database); the lease "
		    "ends by itself", id);
		return -1;
	}
	if (rc == 0)
		ss->stale++;
	return 1;
}
