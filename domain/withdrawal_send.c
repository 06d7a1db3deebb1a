/* domain/withdrawal_send.c — paying withdrawals out: sent once through the node, followed to their confirmations */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/chain.h"
#include "domain/compliance.h"
#include "domain/withdrawal_send.h"
#include "domain/withdrawal_state.h"
#include "domain/withdrawal_view.h"

#define BATCH_MAX	500

enum {
	ST_TRYLOCK, ST_UNLOCK, ST_PROCESSING, ST_PICK, ST_CLAIM, ST_ROW,
	ST_ATTEMPT, ST_LATER, ST_ERROR, ST_CONFIRMS, ST_STUCK, ST__COUNT
};

#define WD_LOCK	"hashtextextended('hzm-withdrawal:' || $1, 0)"

static const struct stmt stmts[] = {
	/* Session-level: held through the node's answer, gone with the process. */
	[ST_TRYLOCK] = { "wds_trylock", "SELECT pg_try_advisory_lock(" WD_LOCK ")", 1 },
	[ST_UNLOCK] = { "wds_unlock_id", "SELECT pg_advisory_unlock(" WD_LOCK ")", 1 },
	[ST_PROCESSING] = { "wds_processing",
	  "SELECT id FROM withdrawals WHERE status = 'PROCESSING'"
	  " ORDER BY id LIMIT $1", 1 },
	/* A suspended or blocked account's withdrawals wait for staff. */
	[ST_PICK] = { "wds_pick",
	  "SELECT w.id FROM withdrawals w WHERE w.status = 'PENDING_SIGNATURE'"
	  " AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= now())"
	  " AND EXISTS (SELECT 1 FROM users u WHERE u.id = w.user_id"
	  "  AND u.status IN ('ACTIVE', 'EMAIL_VERIFIED'))"
	  " ORDER BY w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED", 0 },
	/* The try is numbered and committed before the node hears of it. */
	[ST_CLAIM] = { "wds_claim",
	  "UPDATE withdrawals SET status = 'PROCESSING', attempts = attempts + 1,"
	  " attempt_at = now(), next_attempt_at = NULL, updated_at = now()"
	  " WHERE id = $1 AND status = 'PENDING_SIGNATURE'", 1 },
	[ST_ROW] = { "wds_row",
	  "SELECT w.public_id, w.network, w.address, trunc(w.amount, a.precision)::text,"
	  " w.status, w.tx_hash, w.attempts,"
	  " coalesce(extract(epoch FROM now() - w.attempt_at)::bigint, 0),"
	  " w.required_confirmations, w.confirmations, w.stuck_at IS NOT NULL,"
	  " a.precision, w.user_id, u.public_id FROM withdrawals w"
	  " JOIN assets a ON a.code = w.asset JOIN users u ON u.id = w.user_id"
	  " WHERE w.id = $1", 1 },
	[ST_ATTEMPT] = { "wds_attempt",
	  "UPDATE withdrawals SET attempts = attempts + 1, attempt_at = now(),"
	  " updated_at = now() WHERE id = $1 AND status = 'PROCESSING'"
	  " AND tx_hash IS NULL RETURNING attempts", 1 },
	/* Refused for now (funds, a locked wallet): nothing sent, later again. */
	[ST_LATER] = { "wds_later",
	  "UPDATE withdrawals SET status = 'PENDING_SIGNATURE',"
	  " next_attempt_at = now() + make_interval(secs => $2::int),"
	  " last_error = $3, updated_at = now()"
	  " WHERE id = $1 AND status = 'PROCESSING' AND tx_hash IS NULL", 3 },
	[ST_ERROR] = { "wds_error",
	  "UPDATE withdrawals SET last_error = $2, updated_at = now()"
	  " WHERE id = $1 AND last_error IS DISTINCT FROM $2", 2 },
	[ST_CONFIRMS] = { "wds_confirms",
	  "UPDATE withdrawals SET confirmations = $2, last_error = NULL,"
	  " updated_at = now() WHERE id = $1 AND status = 'PROCESSING'"
	  " AND (confirmations, last_error) IS DISTINCT FROM ($2::int, NULL)", 2 },
	[ST_STUCK] = { "wds_stuck",
	  "UPDATE withdrawals SET stuck_at = now(), last_error = $2,"
	  " updated_at = now() WHERE id = $1 AND stuck_at IS NULL", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "withdrawal send statements");

/* Columns of ST_ROW. */
enum {
	R_PUBLIC_ID, R_NETWORK, R_ADDRESS, R_AMOUNT, R_STATUS, R_TX, R_ATTEMPTS,
	R_AGE, R_REQUIRED, R_CONF, R_STUCK, R_PRECISION, R_USER_ID, R_USER_PUBLIC
};

/* One withdrawal as the worker needs it. */
struct wd_row {
	char		 id[24];
	PGresult	*res;
	const struct chain_adapter *ad;
};

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

static const char *
col(const struct wd_row *w, int i)
{
	return db_val(w->res, 0, i);
}

/* One statement in a transaction of its own. */
static enum err
note(struct ctx *c, int st, const char *const *p)
{
	return db_query_commit(c->db, c->arena, &stmts[st], p);
}

/* A state change (domain/withdrawal_state) in a transaction of its own. */
static enum err
change(struct ctx *c, enum err (*fn)(struct ctx *, const char *, const char *),
    const char *id, const char *arg)
{
	enum err e;

	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = fn(c, id, arg)) != ERR_OK || (e = db_commit(c->db)) != ERR_OK)
		db_rollback(c->db);
	return e;
}

static const char *
node_text(struct ctx *c, const struct chain_status *st)
{
	if (st->fail == CHAIN_RPC)
		return arena_printf(c->arena, "node error %ld: %s", st->code,
		    st->message);
	return chain_fail_text(st);
}

/*
 * A payment that stopped making progress: it stays PROCESSING (the
 * money may still move; a later pass completes it if it does), and
 * staff hear of it once.
 */
static enum err
stuck(struct ctx *c, struct wd_row *w, const char *type, const char *why,
    struct wd_send_stats *ss)
{
	char alert[ALERT_ID_LEN + 1];
	const char *p[2] = { w->id, why };
	struct json_object *det;
	struct alert_in al;
	PGresult *res;
	enum err e;
	int created;

	ss->stuck++;
	if (strcmp(col(w, R_STUCK), "t") == 0)
		return ERR_OK;
	log_error("withdrawal %s: %s", col(w, R_PUBLIC_ID), why);
	if ((det = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(det, "withdrawalId",
	    json_object_new_string(col(w, R_PUBLIC_ID)));
	json_object_object_add(det, "userId",
	    json_object_new_string(col(w, R_USER_PUBLIC)));
	json_object_object_add(det, "txHash", json_str_or_null(col(w, R_TX)));
	json_object_object_add(det, "problem", json_object_new_string(why));
	memset(&al, 0, sizeof(al));
	al.user_id = col(w, R_USER_ID);
	al.severity = "CRITICAL";
	al.type = type;
	al.risk_score = 100;
	al.subject = arena_printf(c->arena, "withdrawal-payment:%s",
	    col(w, R_PUBLIC_ID));
	al.details = det;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_STUCK, p, &res)) != ERR_OK ||
	    (e = compliance_alert_raise(c, &al, alert, &created)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK) {
		db_rollback(c->db);
		return e;
	}
	compliance_alert_notify(c, alert);
	return ERR_OK;
}

/* Ask the node to pay, as try number attempts, and record what it said. */
static enum err
send_try(struct ctx *c, struct wd_row *w, const char *attempts,
    struct wd_send_stats *ss)
{
	char txid[CHAIN_HASH_LEN + 1], secs[24];
	const char *comment, *why, *p[3];
	struct chain_status st;
	enum err e;

	if ((comment = arena_printf(c->arena, "hzm:%s:%s", col(w, R_PUBLIC_ID),
	    attempts)) == NULL)
		return ERR_INTERNAL;
	e = w->ad->send(c, col(w, R_ADDRESS), col(w, R_AMOUNT), comment, txid, &st);
	if (e == ERR_OK) {
		/* Should this commit fail, the next pass finds the payment by its comment. */
		if ((e = change(c, wd_sent, w->id, txid)) != ERR_OK)
			return e;
		log_info("withdrawal %s: sent, %s", col(w, R_PUBLIC_ID), txid);
		ss->sent++;
		withdrawal_notify(c, col(w, R_PUBLIC_ID));
		return ERR_OK;
	}
	if (e != ERR_SYSTEM_003)
		return e;
	why = node_text(c, &st);
	p[0] = w->id;
	if (st.fail == CHAIN_RPC && w->ad->refused_for_good(st.code, st.message)) {
		if ((e = change(c, wd_fail, w->id, arena_printf(c->arena,
		    "The %s node refused the payment: %s", col(w, R_NETWORK),
		    st.message))) != ERR_OK)
			return e;
		log_error("withdrawal %s: refused for good (%s); unlocked",
		    col(w, R_PUBLIC_ID), why);
		ss->failed++;
		withdrawal_notify(c, col(w, R_PUBLIC_ID));
		return ERR_OK;
	}
	ss->waiting++;
	if (st.fail == CHAIN_RPC) {
		/* An answer, so nothing was sent: back in the queue for later. */
		snprintf(secs, sizeof(secs), "%lld",
		    cfg_int("withdraw_retry_seconds", 60));
		p[1] = secs;
		p[2] = why;
		log_error("withdrawal %s: not sent for now (%s)",
		    col(w, R_PUBLIC_ID), why);
		return note(c, ST_LATER, p);
	}
	/* No answer: whether it was sent is told by the wallet, later. */
	p[1] = why;
	log_error("withdrawal %s: try %s: %s; to be looked up", col(w, R_PUBLIC_ID),
	    attempts, why);
	return note(c, ST_ERROR, p);
}

/*
 * PROCESSING, not known to be sent: the earlier try's outcome is looked
 * up in the wallet, and only once it is surely not there is another made.
 */
static enum err
reconcile(struct ctx *c, struct wd_row *w, struct wd_send_stats *ss)
{
	struct chain_payment pay;
	struct chain_status st;
	const char *prefix, *p[2] = { w->id, NULL };
	PGresult *res;
	enum err e;
	int found;

	/* A try may still be in the node's hands: give it time to show. */
	if (util_long(col(w, R_AGE), 0) <
	    cfg_int("withdraw_resend_after_seconds", 120)) {
		ss->waiting++;
		return ERR_OK;
	}
	if ((prefix = arena_printf(c->arena, "hzm:%s:", col(w, R_PUBLIC_ID))) == NULL)
		return ERR_INTERNAL;
	if ((e = w->ad->find_sent(c, prefix, &pay, &found, &st)) != ERR_OK) {
		if (e != ERR_SYSTEM_003)
			return e;
		ss->waiting++;
		p[1] = node_text(c, &st);
		return note(c, ST_ERROR, p);
	}
	if (found > 0) {
		if ((e = change(c, wd_sent, w->id, pay.txid)) != ERR_OK)
			return e;
		log_info("withdrawal %s: try found sent after all: %s",
		    col(w, R_PUBLIC_ID), pay.txid);
		ss->found++;
		withdrawal_notify(c, col(w, R_PUBLIC_ID));
		if (found > 1)
			return stuck(c, w, "SUSPICIOUS_PATTERN", arena_printf(c->arena,
			    "the wallet holds %d payments for this withdrawal", found),
			    ss);
		return ERR_OK;
	}
	/* Not sent: a new try, numbered and committed first. */
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_ATTEMPT, p, &res)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK) {
		db_rollback(c->db);
		return e;
	}
	if (PQntuples(res) != 1)
		return ERR_OK;
	log_info("withdrawal %s: earlier try not in the wallet; trying again",
	    col(w, R_PUBLIC_ID));
	return send_try(c, w, db_val(res, 0, 0), ss);
}

/* Sent: its confirmations, and COMPLETED once there are enough. */
static enum err
follow(struct ctx *c, struct wd_row *w, struct wd_send_stats *ss)
{
	struct chain_payment pay;
	struct chain_status st;
	char conf[24];
	const char *p[2] = { w->id, conf };
	int64_t want, got;
	int prec = (int)util_long(col(w, R_PRECISION), 8);
	enum err e;

	e = w->ad->payment(c, col(w, R_TX), &pay, &st);
	if (e == ERR_NOT_FOUND)
		return stuck(c, w, "CHAIN_REORG", "the node's wallet does not know "
		    "the payment's transaction", ss);
	if (e == ERR_SYSTEM_003) {
		ss->waiting++;
		p[1] = node_text(c, &st);
		return note(c, ST_ERROR, p);
	}
	if (e != ERR_OK)
		return e;
	if (dec_parse(col(w, R_AMOUNT), strlen(col(w, R_AMOUNT)), prec,
	    &want) != DEC_OK || pay.amount[0] == '\0' ||
	    dec_parse(pay.amount, strlen(pay.amount), prec, &got) != DEC_OK ||
	    got != want || strcmp(pay.address, col(w, R_ADDRESS)) != 0)
		return stuck(c, w, "SUSPICIOUS_PATTERN", "the transaction recorded "
		    "is not the payment asked for (address or amount)", ss);
	if (pay.confirmations < 0 || pay.abandoned)
		return stuck(c, w, "CHAIN_REORG", pay.abandoned ? "the wallet "
		    "abandoned the payment" : "a conflicting transaction "
		    "confirmed instead of the payment", ss);
	snprintf(conf, sizeof(conf), "%ld", pay.confirmations);
	if (pay.confirmations < util_long(col(w, R_REQUIRED), 1)) {
		ss->waiting++;
		return note(c, ST_CONFIRMS, p);
	}
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = wd_complete(c, w->id, col(w, R_TX), pay.confirmations,
	    pay.fee[0] != '\0' ? pay.fee : NULL)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK) {
		db_rollback(c->db);
		return e == ERR_CONFLICT ? ERR_OK : e;
	}
	log_info("withdrawal %s: completed, %ld confirmations",
	    col(w, R_PUBLIC_ID), pay.confirmations);
	ss->completed++;
	withdrawal_notify(c, col(w, R_PUBLIC_ID));
	return ERR_OK;
}

/* Work on withdrawal id, whose advisory lock this session holds. */
static enum err
work(struct ctx *c, const char *id, const char *attempt_of_claim,
    struct wd_send_stats *ss)
{
	const char *p[1] = { id };
	struct wd_row w;
	enum err e;

	memset(&w, 0, sizeof(w));
	snprintf(w.id, sizeof(w.id), "%s", id);
	if ((e = q(c, ST_ROW, p, &w.res)) != ERR_OK)
		return e;
	if (PQntuples(w.res) != 1 || strcmp(col(&w, R_STATUS), "PROCESSING") != 0)
		return ERR_OK;
	if ((w.ad = chain_adapter(col(&w, R_NETWORK))) == NULL ||
	    w.ad->send == NULL) {
		ss->waiting++;
		log_error("withdrawal %s: no node adapter for network %s",
		    col(&w, R_PUBLIC_ID), col(&w, R_NETWORK));
		return ERR_OK;
	}
	if (col(&w, R_TX) != NULL)
		return follow(c, &w, ss);
	if (attempt_of_claim != NULL)
		return send_try(c, &w, col(&w, R_ATTEMPTS), ss);
	return reconcile(c, &w, ss);
}

/* The advisory lock of withdrawal id: 1 taken, 0 another worker has it, -1 error. */
static int
lock(struct ctx *c, const char *id)
{
	const char *p[1] = { id };
	PGresult *res;

	if (q(c, ST_TRYLOCK, p, &res) != ERR_OK)
		return -1;
	return strcmp(db_val(res, 0, 0), "t") == 0;
}

static void
unlock(struct ctx *c, const char *id)
{
	const char *p[1] = { id };
	PGresult *res;

	(void)q(c, ST_UNLOCK, p, &res);
}

/* Claim one PENDING_SIGNATURE withdrawal: its id into id, 1; 0 none left; -1 error. */
static int
claim(struct ctx *c, char id[24])
{
	const char *p[1] = { id };
	PGresult *res;
	int rc;

	if (db_begin(c->db) != ERR_OK)
		return -1;
	if (q(c, ST_PICK, NULL, &res) != ERR_OK)
		goto fail;
	if (PQntuples(res) == 0) {
		db_rollback(c->db);
		return 0;
	}
	snprintf(id, 24, "%s", db_val(res, 0, 0));
	/* Held before the claim commits: nobody sees it PROCESSING unowned. */
	if ((rc = lock(c, id)) != 1) {
		db_rollback(c->db);
		return rc == 0 ? 0 : -1;
	}
	if (q(c, ST_CLAIM, p, &res) != ERR_OK || db_commit(c->db) != ERR_OK) {
		unlock(c, id);
		goto fail;
	}
	return 1;
fail:
	db_rollback(c->db);
	return -1;
}

enum err
withdrawal_send_pass(struct ctx *c, struct wd_send_stats *ss,
    int (*stop)(void *), void *arg)
{
	long long batch = cfg_int("withdraw_batch", 50);
	char lim[24], (*ids)[24], id[24];
	const char *p[1] = { lim };
	PGresult *res;
	enum err e;
	int i, n, rc;

	memset(ss, 0, sizeof(*ss));
	if (batch < 1 || batch > BATCH_MAX)
		batch = 50;
	snprintf(lim, sizeof(lim), "%lld", batch);
	if ((ids = calloc((size_t)batch, sizeof(*ids))) == NULL)
		return ERR_INTERNAL;
	/* Those under way first: sent ones to confirm, tries to settle. */
	if ((e = q(c, ST_PROCESSING, p, &res)) != ERR_OK)
		goto out;
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		snprintf(ids[i], sizeof(ids[i]), "%s", db_val(res, i, 0));
	arena_reset(c->arena);
	for (i = 0; i < n && !stop(arg); i++) {
		if ((rc = lock(c, ids[i])) != 1) {
			if (rc == -1) {
				e = ERR_SYSTEM_001;
				goto out;
			}
			ss->busy++;
			continue;
		}
		e = work(c, ids[i], NULL, ss);
		unlock(c, ids[i]);
		arena_reset(c->arena);
		if (e != ERR_OK && e != ERR_CONFLICT)
			goto out;
	}
	/* Then new ones, claimed one at a time. */
	for (i = 0; i < batch && !stop(arg); i++) {
		if ((rc = claim(c, id)) == 0)
			break;
		if (rc == -1) {
			e = ERR_SYSTEM_001;
			goto out;
		}
		e = work(c, id, "claimed", ss);
		unlock(c, id);
		arena_reset(c->arena);
		if (e != ERR_OK && e != ERR_CONFLICT)
			goto out;
	}
	e = ERR_OK;
out:
	free(ids);
	return e;
}
