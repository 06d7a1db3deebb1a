/* domain/deposit_scan.c — the chain watcher: transfers to deposit addresses recorded at once, confirmed, credited exactly once */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/chain.h"
#include "domain/compliance.h"
#include "domain/deposit_risk.h"
#include "domain/deposit.h"
#include "domain/deposit_scan.h"
#include "domain/outbox.h"

enum {
	ST_NETWORKS, ST_TRYLOCK, ST_UNLOCK, ST_TARGET, ST_CURSOR, ST_CURSOR_SET,
	ST_RECORD, ST_LOCK, ST_SEEN, ST_FAIL, ST_LEDGER, ST_CREDIT, ST_REORGED,
	ST_PENDING, ST__COUNT
};

/* Columns of ST_LOCK. */
enum {
	C_ID, C_PUBLIC_ID, C_USER_ID, C_STATUS, C_REQUIRED, C_REORGED, C_ASSET,
	C_AMOUNT, C_CREDITED_AT, C_USER_PUBLIC_ID, C_CONFIRMATIONS
};

#define CHAIN_LOCK	"hashtextextended('hzm-chain:' || $1, 0)"

static const struct stmt stmts[] = {
	[ST_NETWORKS] = { "scan_networks",
	  "SELECT DISTINCT network FROM asset_networks WHERE deposit_enabled"
	  " ORDER BY 1", 0 },
	[ST_TRYLOCK] = { "scan_trylock",
	  "SELECT pg_try_advisory_lock(" CHAIN_LOCK ")", 1 },
	[ST_UNLOCK] = { "scan_unlock",
	  "SELECT pg_advisory_unlock(" CHAIN_LOCK ")", 1 },
	/* Transfers are followed until the most any asset there waits for. */
	[ST_TARGET] = { "scan_target",
	  "SELECT max(confirmations) FROM asset_networks WHERE network = $1"
	  " AND deposit_enabled", 1 },
	[ST_CURSOR] = { "scan_cursor",
	  "SELECT last_block FROM chain_cursors WHERE network = $1", 1 },
	[ST_CURSOR_SET] = { "scan_cursor_set",
	  "INSERT INTO chain_cursors (network, last_block) VALUES ($1, $2)"
	  " ON CONFLICT (network) DO UPDATE SET last_block = EXCLUDED.last_block,"
	  " updated_at = now()", 2 },
	/*
	 * A transfer to a deposit address is recorded when first seen (none
	 * when the address is not one: the select is empty); below the
	 * minimum it is recorded as REJECTED and never credited.
	 */
	[ST_RECORD] = { "scan_record",
	  "INSERT INTO deposits (public_id, user_id, asset, network, address_id,"
	  " address, txid, vout, amount, confirmations, required_confirmations,"
	  " block_hash, block_height, status, status_reason)"
	  " SELECT $1, a.user_id, a.asset, a.network, a.id, a.address, $4, $5,"
	  " $6::numeric, $7, n.confirmations, $8, $9,"
	  " CASE WHEN $6::numeric < n.min_deposit THEN 'REJECTED' ELSE 'PENDING' END,"
	  " CASE WHEN $6::numeric < n.min_deposit THEN 'BELOW_MINIMUM' END"
	  " FROM deposit_addresses a JOIN asset_networks n ON n.asset = a.asset"
	  " AND n.network = a.network WHERE a.network = $2 AND a.address = $3"
	  " AND a.memo IS NULL"
	  " ON CONFLICT (network, txid, vout) DO NOTHING"
	  " RETURNING public_id, status, asset, amount::text", 9 },
	[ST_LOCK] = { "scan_lock",
	  "SELECT d.id, d.public_id, d.user_id, d.status,"
	  " d.required_confirmations, d.reorged_at IS NOT NULL, d.asset,"
	  " trunc(d.amount, a.precision)::text, " DB_ISO("d.credited_at") ","
	  " u.public_id, d.confirmations FROM deposits d"
	  " JOIN assets a ON a.code = d.asset"
	  " JOIN users u ON u.id = d.user_id"
	  " WHERE d.network = $1 AND d.txid = $2 AND d.vout = $3 FOR UPDATE OF d", 3 },
	[ST_SEEN] = { "scan_seen",
	  "UPDATE deposits SET confirmations = $2, block_hash = $3,"
	  " block_height = $4, updated_at = now() WHERE id = $1"
	  " AND (confirmations, block_hash, block_height) IS DISTINCT FROM"
	  " ($2::integer, $3::text, $4::bigint)", 4 },
	[ST_FAIL] = { "scan_fail",
	  "UPDATE deposits SET status = 'FAILED', status_reason = 'DOUBLE_SPENT',"
	  " confirmations = $2, block_hash = NULL, block_height = NULL,"
	  " updated_at = now() WHERE id = $1 AND status = 'PENDING'", 2 },
	/* What is credited: the amount, at the asset's precision, never more. */
	[ST_LEDGER] = { "scan_ledger",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) SELECT d.user_id, d.asset, trunc(d.amount, a.precision), 0,"
	  " 'DEPOSIT', 'deposit:' || d.public_id FROM deposits d"
	  " JOIN assets a ON a.code = d.asset"
	  " WHERE d.id = $1 AND d.status = 'PENDING' RETURNING id", 1 },
	[ST_CREDIT] = { "scan_credit",
	  "UPDATE deposits SET status = 'COMPLETED', ledger_id = $2,"
	  " credited_at = now(), confirmations = $3, block_hash = $4,"
	  " block_height = $5, updated_at = now()"
	  " WHERE id = $1 AND status = 'PENDING'"
	  " RETURNING " DB_ISO("credited_at"), 5 },
	[ST_REORGED] = { "scan_reorged",
	  "UPDATE deposits SET reorged_at = now(), confirmations = $2,"
	  " block_hash = NULL, block_height = NULL, updated_at = now()"
	  " WHERE id = $1 AND reorged_at IS NULL", 2 },
	/* Pending deposits, to look after those a pass did not list. */
	[ST_PENDING] = { "scan_pending",
	  "SELECT txid, vout, address, amount::text FROM deposits"
	  " WHERE network = $1 AND status = 'PENDING' ORDER BY id LIMIT 1000", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "deposit scan statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* A transfer's fields as statement parameters. */
struct tparams {
	char		 vout[16], conf[16], height[24];
	const char	*block, *h;
};

static void
tparams_make(const struct chain_transfer *t, struct tparams *tp)
{
	snprintf(tp->vout, sizeof(tp->vout), "%ld", t->vout);
	snprintf(tp->conf, sizeof(tp->conf), "%ld", t->confirmations);
	snprintf(tp->height, sizeof(tp->height), "%ld", t->height);
	tp->block = t->block[0] != '\0' ? t->block : NULL;
	tp->h = t->height >= 0 ? tp->height : NULL;
}

/* Credit a PENDING deposit (locked) and announce it, in the open transaction. */
static enum err
deposit_credit(struct ctx *c, const char *network, PGresult *d,
    const struct chain_transfer *t, const struct tparams *tp)
{
	char evt[OUTBOX_ID_LEN + 1];
	const char *p[5];
	struct json_object *ev;
	PGresult *led, *res;
	enum err e;

	p[0] = db_val(d, 0, C_ID);
	if ((e = q(c, ST_LEDGER, p, &led)) != ERR_OK)
		return e;
	if (PQntuples(led) != 1)
		return ERR_CONFLICT;
	p[1] = db_val(led, 0, 0);
	p[2] = tp->conf;
	p[3] = tp->block;
	p[4] = tp->h;
	if ((e = q(c, ST_CREDIT, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_CONFLICT;
	if ((ev = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(ev, "depositId",
	    json_object_new_string(db_val(d, 0, C_PUBLIC_ID)));
	json_object_object_add(ev, "asset",
	    json_object_new_string(db_val(d, 0, C_ASSET)));
	json_object_object_add(ev, "network", json_object_new_string(network));
	json_object_object_add(ev, "amount",
	    json_object_new_string(db_val(d, 0, C_AMOUNT)));
	json_object_object_add(ev, "txHash", json_object_new_string(t->txid));
	json_object_object_add(ev, "confirmations",
	    json_object_new_int((int)t->confirmations));
	json_object_object_add(ev, "creditedAt",
	    json_object_new_string(db_val(res, 0, 0)));
	return outbox_put(c->db, c->arena, db_val(d, 0, C_USER_ID),
	    "deposit.confirmed", ev, evt);
}

/* The credited deposit d through the rules engine (domain/deposit_risk). */
static enum err
deposit_scored(struct ctx *c, PGresult *d, char alert[ALERT_ID_LEN + 1])
{
	struct deposit_risk_in in;

	memset(&in, 0, sizeof(in));
	in.user_id = db_val(d, 0, C_USER_ID);
	in.asset = db_val(d, 0, C_ASSET);
	in.amount = db_val(d, 0, C_AMOUNT);
	in.deposit_id = db_val(d, 0, C_PUBLIC_ID);
	if ((in.ledger_ref = arena_printf(c->arena, "deposit:%s",
	    in.deposit_id)) == NULL || (in.subject = in.ledger_ref) == NULL)
		return ERR_INTERNAL;
	return deposit_risk_check(c, &in, alert);
}

/* A credited deposit left the main chain: the money it brought is not backed. */
static enum err
deposit_reorged(struct ctx *c, const char *network, PGresult *d,
    const struct chain_transfer *t, const struct tparams *tp,
    char alert[ALERT_ID_LEN + 1])
{
	const char *p[2] = { db_val(d, 0, C_ID), tp->conf };
	struct json_object *det;
	struct alert_in in;
	PGresult *res;
	enum err e;
	int created;

	if ((e = q(c, ST_REORGED, p, &res)) != ERR_OK)
		return e;
	if ((det = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(det, "depositId",
	    json_object_new_string(db_val(d, 0, C_PUBLIC_ID)));
	json_object_object_add(det, "userId",
	    json_object_new_string(db_val(d, 0, C_USER_PUBLIC_ID)));
	json_object_object_add(det, "asset",
	    json_object_new_string(db_val(d, 0, C_ASSET)));
	json_object_object_add(det, "network", json_object_new_string(network));
	json_object_object_add(det, "amount",
	    json_object_new_string(db_val(d, 0, C_AMOUNT)));
	json_object_object_add(det, "txHash", json_object_new_string(t->txid));
	json_object_object_add(det, "vout", json_object_new_int((int)t->vout));
	json_object_object_add(det, "creditedAt",
	    json_str_or_null(db_val(d, 0, C_CREDITED_AT)));
	json_object_object_add(det, "confirmations",
	    json_object_new_int((int)t->confirmations));
	json_object_object_add(det, "reason", json_object_new_string(
	    t->confirmations < 0 ? "double-spent after it was credited" :
	    "no longer in the main chain after it was credited"));
	memset(&in, 0, sizeof(in));
	in.user_id = db_val(d, 0, C_USER_ID);
	in.severity = "CRITICAL";
	in.type = "CHAIN_REORG";
	in.risk_score = 100;
	if ((in.subject = arena_printf(c->arena, "deposit:%s",
	    db_val(d, 0, C_PUBLIC_ID))) == NULL)
		return ERR_INTERNAL;
	in.details = det;
	return compliance_alert_raise(c, &in, alert, &created);
}

/* What a transfer does to its deposit. */
enum act { ACT_SEEN, ACT_FAIL, ACT_CREDIT, ACT_REORG };

static enum act
transfer_act(PGresult *d, const struct chain_transfer *t)
{
	const char *status = db_val(d, 0, C_STATUS);

	if (strcmp(status, "PENDING") == 0) {
		if (t->confirmations < 0)
			return ACT_FAIL;
		if (t->confirmations >= util_long(db_val(d, 0, C_REQUIRED), 1))
			return ACT_CREDIT;
	} else if (strcmp(status, "COMPLETED") == 0 && t->confirmations <= 0 &&
	    strcmp(db_val(d, 0, C_REORGED), "f") == 0) {
		return ACT_REORG;
	}
	/* Confirmations counted; REJECTED and FAILED ones never move again. */
	return ACT_SEEN;
}

static void
transfer_log(PGresult *d, const struct chain_transfer *t, int fresh,
    enum act act, const char *alert, struct scan_stats *ss)
{
	const char *id = db_val(d, 0, C_PUBLIC_ID);
	int rejected = strcmp(db_val(d, 0, C_STATUS), "REJECTED") == 0;

	if (fresh) {
		ss->recorded++;
		ss->rejected += rejected;
		log_info("deposit %s: %s %s to %s in %s:%ld (%ld confirmations)%s",
		    id, db_val(d, 0, C_AMOUNT), db_val(d, 0, C_ASSET), t->address,
		    t->txid, t->vout, t->confirmations, rejected ?
		    ", below the minimum: never credited" : "");
	}
	switch (act) {
	case ACT_SEEN:
		/* A conflict undone by a later reorganisation: for people to decide. */
		if (strcmp(db_val(d, 0, C_STATUS), "FAILED") == 0 &&
		    t->confirmations >= util_long(db_val(d, 0, C_REQUIRED), 1) &&
		    util_long(db_val(d, 0, C_CONFIRMATIONS), 0) <
		    util_long(db_val(d, 0, C_REQUIRED), 1))
			log_error("deposit %s: FAILED as double-spent, but its "
			    "transaction now has %ld confirmations: not credited, "
			    "review it", id, t->confirmations);
		break;
	case ACT_FAIL:
		ss->failed++;
		log_info("deposit %s: double-spent before it was credited: FAILED",
		    id);
		break;
	case ACT_CREDIT:
		ss->credited++;
		log_info("deposit %s: %ld confirmations, credited", id,
		    t->confirmations);
		break;
	case ACT_REORG:
		ss->alerts++;
		log_error("deposit %s: left the chain after it was credited "
		    "(%ld confirmations); CRITICAL compliance alert %s", id,
		    t->confirmations, alert);
		break;
	}
}

/* The deposit of a transfer, locked: one row, or none yet. */
static enum err
deposit_lock(struct ctx *c, const char *network, const struct chain_transfer *t,
    const struct tparams *tp, PGresult **d)
{
	const char *p[3] = { network, t->txid, tp->vout };

	return q(c, ST_LOCK, p, d);
}

/*
 * Record a transfer seen for the first time (*fresh), if it is to a
 * deposit address. Looked for first (deposit_lock), not inserted on
 * every pass: each attempted insert would use up an id.
 */
static enum err
deposit_record(struct ctx *c, const char *network,
    const struct chain_transfer *t, const struct tparams *tp, int *fresh)
{
	char id[DEPOSIT_ID_LEN + 1];
	const char *p[9];
	PGresult *res;
	enum err e;

	if (util_public_id("dep_", id, sizeof(id)) == -1)
		return ERR_INTERNAL;
	p[0] = id;
	p[1] = network;
	p[2] = t->address;
	p[3] = t->txid;
	p[4] = tp->vout;
	p[5] = t->amount;
	p[6] = tp->conf;
	p[7] = tp->block;
	p[8] = tp->h;
	if ((e = q(c, ST_RECORD, p, &res)) != ERR_OK)
		return e;
	*fresh = PQntuples(res) == 1;
	return ERR_OK;
}

/* What one transfer changes, in one transaction; what it did into *ss. */
static enum err
transfer_apply(struct ctx *c, const char *network,
    const struct chain_transfer *t, struct scan_stats *ss)
{
	char alert[ALERT_ID_LEN + 1];
	const char *p[4];
	struct tparams tp;
	PGresult *res, *d;
	enum act act;
	enum err e;
	int fresh = 0;

	tparams_make(t, &tp);
	alert[0] = '\0';
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = deposit_lock(c, network, t, &tp, &d)) != ERR_OK)
		goto fail;
	/* New, unless first seen already double-spent: it never arrived. */
	if (PQntuples(d) == 0 && t->confirmations >= 0) {
		if ((e = deposit_record(c, network, t, &tp, &fresh)) != ERR_OK ||
		    (e = deposit_lock(c, network, t, &tp, &d)) != ERR_OK)
			goto fail;
	}
	if (PQntuples(d) != 1) {
		db_rollback(c->db);
		return ERR_OK;		/* not to one of our addresses */
	}
	ss->seen++;
	p[0] = db_val(d, 0, C_ID);
	p[1] = tp.conf;
	p[2] = tp.block;
	p[3] = tp.h;
	switch ((act = transfer_act(d, t))) {
	case ACT_FAIL:
		e = q(c, ST_FAIL, p, &res);
		break;
	case ACT_CREDIT:
		if ((e = deposit_credit(c, network, d, t, &tp)) == ERR_OK)
			e = deposit_scored(c, d, alert);
		break;
	case ACT_REORG:
		e = deposit_reorged(c, network, d, t, &tp, alert);
		break;
	case ACT_SEEN:
		e = q(c, ST_SEEN, p, &res);
		break;
	}
	if (e != ERR_OK || (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	transfer_log(d, t, fresh, act, alert, ss);
	/* A reorganisation's alert, or a large deposit's: staff are mailed. */
	if (alert[0] != '\0')
		compliance_alert_notify(c, alert);
	return ERR_OK;
fail:
	db_rollback(c->db);
	log_error("deposit %s:%ld on %s: %s", t->txid, t->vout, network,
	    err_info(e)->code);
	return e;
}

enum err
deposit_scan_networks(struct ctx *c, const char ***networks)
{
	PGresult *res;
	enum err e;
	int i;

	if ((e = q(c, ST_NETWORKS, NULL, &res)) != ERR_OK)
		return e;
	if ((*networks = arena_calloc(c->arena, (size_t)PQntuples(res) + 1,
	    sizeof(**networks))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < PQntuples(res); i++)
		(*networks)[i] = db_val(res, i, 0);
	return ERR_OK;
}

/* The transfers since the cursor; a cursor the node does not know restarts. */
static enum err
scan_read(struct ctx *c, const struct chain_adapter *ad, const char *network,
    int target, struct chain_since *since)
{
	const char *p[1] = { network }, *cursor = "";
	struct chain_status st;
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_CURSOR, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) == 1)
		cursor = db_val(res, 0, 0);
	e = ad->since(c, cursor, target, since, &st);
	if (e == ERR_SYSTEM_003 && st.fail == CHAIN_RPC &&
	    st.code == ad->err_no_block && cursor[0] != '\0') {
		/* Repeating every transfer is safe; missing one is not. */
		log_error("chain %s: the node does not know block %s; reading "
		    "its wallet from the start", network, cursor);
		e = ad->since(c, "", target, since, &st);
	}
	return e;
}

/* Whether the pass listed txid:vout. */
static int
listed(const struct chain_since *since, const char *txid, long vout)
{
	size_t i;

	for (i = 0; i < since->ntransfers; i++)
		if (since->transfers[i].vout == vout &&
		    strcmp(since->transfers[i].txid, txid) == 0)
			return 1;
	for (i = 0; i < since->nremoved; i++)
		if (since->removed[i].vout == vout &&
		    strcmp(since->removed[i].txid, txid) == 0)
			return 1;
	return 0;
}

/*
 * A pending deposit is within every pass's reach (the cursor stays the
 * most confirmations any asset waits for behind the tip), so one the
 * pass did not list has left it: the node is asked about its
 * transaction, and one a conflicting transaction beat (negative depth:
 * double-spent, or replaced by its sender) fails as a listed one would.
 */
static enum err
pending_unlisted(struct ctx *c, const struct chain_adapter *ad,
    const char *network, const struct chain_since *since, struct scan_stats *ss)
{
	const char *p[1] = { network };
	struct chain_transfer t;
	struct chain_payment pay;
	struct chain_status st;
	PGresult *res;
	enum err e;
	int i;

	if (!ad->conflicts_unlisted || ad->payment == NULL)
		return ERR_OK;
	if ((e = q(c, ST_PENDING, p, &res)) != ERR_OK)
		return e;
	for (i = 0; i < PQntuples(res); i++) {
		memset(&t, 0, sizeof(t));
		snprintf(t.txid, sizeof(t.txid), "%s", db_val(res, i, 0));
		t.vout = util_long(db_val(res, i, 1), -1);
		if (listed(since, t.txid, t.vout))
			continue;
		if ((e = ad->payment(c, t.txid, &pay, &st)) == ERR_NOT_FOUND)
			continue;	/* the wallet forgot it: it stays pending */
		if (e == ERR_INTERNAL)
			return e;
		if (e != ERR_OK) {
			/* Asked again next pass; the pass itself goes on. */
			log_error("chain %s: pending deposit %s not looked up: %s",
			    network, t.txid, chain_fail_text(&st));
			return ERR_OK;
		}
		if (pay.confirmations >= 0)
			continue;
		snprintf(t.address, sizeof(t.address), "%s", db_val(res, i, 2));
		snprintf(t.amount, sizeof(t.amount), "%s", db_val(res, i, 3));
		t.confirmations = pay.confirmations;
		t.height = -1;
		if ((e = transfer_apply(c, network, &t, ss)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err
deposit_scan(struct ctx *c, const char *network, struct scan_stats *ss)
{
	const struct chain_adapter *ad = chain_adapter(network);
	const char *p[2] = { network, NULL };
	struct chain_since since;
	PGresult *res;
	enum err e;
	size_t i;
	int target;

	memset(ss, 0, sizeof(*ss));
	if (ad == NULL) {
		log_error("chain %s: deposits are open but no node adapter "
		    "supports the network", network);
		return ERR_SYSTEM_003;
	}
	if ((e = q(c, ST_TRYLOCK, p, &res)) != ERR_OK)
		return e;
	if (strcmp(db_val(res, 0, 0), "t") != 0)
		return ERR_CONFLICT;
	if ((e = q(c, ST_TARGET, p, &res)) != ERR_OK)
		goto out;
	if (db_val(res, 0, 0) == NULL)
		goto out;		/* closed since the list was read */
	target = (int)util_long(db_val(res, 0, 0), 1);
	if ((e = scan_read(c, ad, network, target, &since)) != ERR_OK)
		goto out;
	/* Removed first: a transfer in both has its newest state last. */
	for (i = 0; i < since.nremoved && e == ERR_OK; i++)
		e = transfer_apply(c, network, &since.removed[i], ss);
	for (i = 0; i < since.ntransfers && e == ERR_OK; i++)
		e = transfer_apply(c, network, &since.transfers[i], ss);
	if (e == ERR_OK)
		e = pending_unlisted(c, ad, network, &since, ss);
	if (e == ERR_OK) {
		p[1] = since.next;
		e = q(c, ST_CURSOR_SET, p, &res);
	}
out:
	if (q(c, ST_UNLOCK, p, &res) != ERR_OK)
		log_error("chain %s: unlock failed (the session's end releases it)",
		    network);
	return e;
}
