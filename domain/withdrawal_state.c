/* domain/withdrawal_state.c — a withdrawal's changes of state and the money and events that go with each */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/outbox.h"
#include "domain/withdrawal_state.h"

/* Trading fees and withdrawal fees alike go to this account (sql/004). */
#define FEE_ACCOUNT	"usr_feeaccountaaaaaaaaaa"

enum {
	ST_LOCK, ST_REJECT, ST_FAIL, ST_UNLOCK, ST_SENT, ST_COMPLETE, ST_PAYOUT,
	ST_EVENT, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_LOCK] = { "wds_lock",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) VALUES ($1, $2, -($3::numeric + $4::numeric),"
	  " $3::numeric + $4::numeric, 'WITHDRAWAL_LOCK', 'withdrawal:' || $5)", 5 },
	[ST_REJECT] = { "wds_reject",
	  "UPDATE withdrawals SET status = 'REJECTED', reject_reason = $2,"
	  " decided_by = $3, decided_at = now(), updated_at = now()"
	  " WHERE id = $1 AND status IN ('PENDING_APPROVAL', 'PENDING_SIGNATURE')", 3 },
	[ST_FAIL] = { "wds_fail",
	  "UPDATE withdrawals SET status = 'FAILED', failure_reason = $2,"
	  " last_error = $2, updated_at = now()"
	  " WHERE id = $1 AND status = 'PROCESSING' AND tx_hash IS NULL", 2 },
	/* What was locked comes back: amount and fee, locked to available. */
	[ST_UNLOCK] = { "wds_unlock",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) SELECT user_id, asset, amount + fee, -(amount + fee),"
	  " 'WITHDRAWAL_UNLOCK', 'withdrawal:' || public_id FROM withdrawals"
	  " WHERE id = $1", 1 },
	[ST_SENT] = { "wds_sent",
	  "UPDATE withdrawals SET tx_hash = $2, broadcast_at = now(),"
	  " last_error = NULL, next_attempt_at = NULL, updated_at = now()"
	  " WHERE id = $1 AND status = 'PROCESSING' AND tx_hash IS NULL", 2 },
	[ST_COMPLETE] = { "wds_complete",
	  "UPDATE withdrawals SET status = 'COMPLETED', completed_at = now(),"
	  " confirmations = $3, network_fee = $4::numeric, last_error = NULL,"
	  " updated_at = now() WHERE id = $1 AND status = 'PROCESSING'"
	  " AND tx_hash = $2", 4 },
	/* The amount and the fee leave locked; the fee lands with the fee account. */
	[ST_PAYOUT] = { "wds_payout",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref)"
	  " SELECT w.user_id, w.asset, 0, -w.amount, 'WITHDRAWAL',"
	  "  'withdrawal:' || w.public_id FROM withdrawals w WHERE w.id = $1"
	  " UNION ALL SELECT w.user_id, w.asset, 0, -w.fee, 'FEE',"
	  "  'withdrawal:' || w.public_id FROM withdrawals w"
	  "  WHERE w.id = $1 AND w.fee > 0"
	  " UNION ALL SELECT f.id, w.asset, w.fee, 0, 'FEE',"
	  "  'withdrawal:' || w.public_id FROM withdrawals w"
	  "  JOIN users f ON f.public_id = '" FEE_ACCOUNT "'"
	  "  WHERE w.id = $1 AND w.fee > 0", 1 },
	[ST_EVENT] = { "wds_event",
	  "SELECT w.user_id, w.public_id, w.asset, w.network,"
	  " trunc(w.amount, a.precision)::text, trunc(w.fee, a.precision)::text,"
	  " w.address, w.status, w.tx_hash, greatest(w.confirmations, 0),"
	  " " DB_ISO("w.completed_at") ", coalesce(w.reject_reason, w.failure_reason)"
	  " FROM withdrawals w JOIN assets a ON a.code = w.asset WHERE w.id = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "withdrawal state statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* An UPDATE that must change the one row. */
static enum err
moved(struct ctx *c, int st, const char *const *p)
{
	PGresult *res;
	enum err e;

	if ((e = q(c, st, p, &res)) != ERR_OK)
		return e;
	return strcmp(PQcmdTuples(res), "1") == 0 ? ERR_OK : ERR_CONFLICT;
}

/* The withdrawal as it now is, for its owner (Appendix B's private events). */
static enum err
event(struct ctx *c, const char *id, const char *type)
{
	char evt[OUTBOX_ID_LEN + 1];
	const char *p[1] = { id };
	struct json_object *o;
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_EVENT, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1 ||
	    (o = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(o, "withdrawalId", json_str_or_null(db_val(res, 0, 1)));
	json_object_object_add(o, "asset", json_str_or_null(db_val(res, 0, 2)));
	json_object_object_add(o, "network", json_str_or_null(db_val(res, 0, 3)));
	json_object_object_add(o, "amount", json_str_or_null(db_val(res, 0, 4)));
	json_object_object_add(o, "fee", json_str_or_null(db_val(res, 0, 5)));
	json_object_object_add(o, "address", json_str_or_null(db_val(res, 0, 6)));
	json_object_object_add(o, "status", json_str_or_null(db_val(res, 0, 7)));
	json_object_object_add(o, "txHash", json_str_or_null(db_val(res, 0, 8)));
	json_object_object_add(o, "confirmations",
	    json_object_new_int((int)util_long(db_val(res, 0, 9), 0)));
	if (db_val(res, 0, 10) != NULL)
		json_object_object_add(o, "completedAt",
		    json_object_new_string(db_val(res, 0, 10)));
	if (db_val(res, 0, 11) != NULL)
		json_object_object_add(o, "reason",
		    json_object_new_string(db_val(res, 0, 11)));
	return outbox_put(c->db, c->arena, db_val(res, 0, 0), type, o, evt);
}

enum err
wd_lock_funds(struct ctx *c, const char *user_id, const char *asset,
    const char *amount, const char *fee, const char *public_id)
{
	const char *p[5] = { user_id, asset, amount, fee, public_id };
	PGresult *res;

	return q(c, ST_LOCK, p, &res);
}

enum err
wd_reject(struct ctx *c, const char *id, const char *reason)
{
	const char *p[3] = { id, reason, c->actor != NULL ? c->actor->idtxt : NULL };
	PGresult *res;
	enum err e;

	if ((e = moved(c, ST_REJECT, p)) != ERR_OK ||
	    (e = q(c, ST_UNLOCK, p, &res)) != ERR_OK)
		return e;
	return event(c, id, "withdrawal.rejected");
}

enum err
wd_fail(struct ctx *c, const char *id, const char *reason)
{
	const char *p[2] = { id, reason };
	PGresult *res;
	enum err e;

	if ((e = moved(c, ST_FAIL, p)) != ERR_OK ||
	    (e = q(c, ST_UNLOCK, p, &res)) != ERR_OK)
		return e;
	return event(c, id, "withdrawal.failed");
}

enum err
wd_sent(struct ctx *c, const char *id, const char *txid)
{
	const char *p[2] = { id, txid };
	enum err e;

	if ((e = moved(c, ST_SENT, p)) != ERR_OK)
		return e;
	return event(c, id, "withdrawal.processing");
}

enum err
wd_complete(struct ctx *c, const char *id, const char *txid,
    long confirmations, const char *network_fee)
{
	char conf[24];
	const char *p[4] = { id, txid, conf, network_fee };
	PGresult *res;
	enum err e;

	snprintf(conf, sizeof(conf), "%ld", confirmations);
	if ((e = moved(c, ST_COMPLETE, p)) != ERR_OK ||
	    (e = q(c, ST_PAYOUT, p, &res)) != ERR_OK)
		return e;
	return event(c, id, "withdrawal.completed");
}
