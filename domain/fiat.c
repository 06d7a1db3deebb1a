/* domain/fiat.c — TRY by bank transfer: the platform's account, deposit intents, transfers the bank reports (credited once, or queued), the caller's fiat history */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/bank_callback.h"
#include "domain/compliance.h"
#include "domain/deposit_risk.h"
#include "domain/fiat.h"
#include "domain/fiat_name.h"
#include "domain/outbox.h"

#define REF_TRIES	5	/* new references drawn before giving up */

enum {
	ST_KYC_STATE, ST_KYC_NAME, ST_DEP_LOCK, ST_DEP_OPEN, ST_DEP_INSERT,
	ST_MARK, ST_MARK_PURGE, ST_TR_CLAIM, ST_TR_FIND, ST_INTENT, ST_LEDGER_USER,
	ST_DEP_COMPLETE, ST_TR_CREDITED, ST_LEDGER_SUSPENSE, ST_TR_QUEUED,
	ST_TX_COUNT, ST_TX_NEW, ST_TX_OLD, ST__COUNT
};

/* Columns of ST_INTENT. */
enum {
	I_ID, I_PUBLIC_ID, I_USER_ID, I_STATUS, I_EXPIRED, I_USER_STATUS,
	I_EMAIL, I_USER_PUBLIC_ID, I_NAME
};

/* Deposits and withdrawals of $1 as one list; $2 type, $3 status. */
#define TX_ROWS \
	"WITH t AS (" \
	" SELECT 'DEPOSIT' AS type, d.public_id, d.created_at," \
	"  CASE WHEN d.status = 'PENDING' AND d.expires_at <= now()" \
	"  THEN 'EXPIRED' ELSE d.status END AS status," \
	"  round(coalesce(d.credited_amount, d.amount), 2)::text AS amount," \
	"  round(d.amount, 2)::text AS requested, '0.00' AS fee," \
	"  NULL::text AS reason, d.reference, d.iban, d.account_holder," \
	"  d.bank_name, d.expires_at, d.credited_at AS completed_at" \
	" FROM fiat_deposits d WHERE d.user_id = $1" \
	" UNION ALL" \
	" SELECT 'WITHDRAWAL', w.public_id, w.created_at, w.status," \
	"  round(w.amount, 2)::text, NULL, round(w.fee, 2)::text," \
	"  w.status_reason, NULL, w.iban, w.account_holder, NULL, NULL," \
	"  coalesce(w.completed_at, w.failed_at)" \
	" FROM fiat_withdrawals w WHERE w.user_id = $1 AND w.kind = 'WITHDRAWAL')" \
	" SELECT type, public_id, status, amount, requested, fee, reason," \
	" reference, iban, account_holder, bank_name, " DB_ISO("expires_at") "," \
	" " DB_ISO("created_at") ", " DB_ISO("completed_at") " FROM t" \
	" WHERE ($2::text IS NULL OR type = $2)" \
	" AND ($3::text IS NULL OR status = $3)"

static const struct stmt stmts[] = {
	[ST_KYC_STATE] = { "fiat_kyc_state",
	  "SELECT status FROM kyc_submissions WHERE user_id = $1"
	  " ORDER BY id DESC LIMIT 1", 1 },
	[ST_KYC_NAME] = { "fiat_kyc_name", "SELECT " FIAT_KYC_NAME_OF("$1"), 1 },
	/* One user's intents are made one at a time: the open count holds. */
	[ST_DEP_LOCK] = { "fiat_dep_lock",
	  "SELECT pg_advisory_xact_lock(hashtextextended('hzm-fiat-deposit:'"
	  " || $1, 0))", 1 },
	[ST_DEP_OPEN] = { "fiat_dep_open",
	  "SELECT count(*) FROM fiat_deposits WHERE user_id = $1"
	  " AND status = 'PENDING' AND expires_at > now()", 1 },
	[ST_DEP_INSERT] = { "fiat_dep_insert",
	  "INSERT INTO fiat_deposits (public_id, user_id, amount, reference, iban,"
	  " bank_name, account_holder, expires_at) VALUES ($1, $2, $3::numeric,"
	  " $4, $5, $6, $7, now() + make_interval(hours => $8::int))"
	  " ON CONFLICT (reference) DO NOTHING"
	  " RETURNING " DB_ISO("expires_at") ", " DB_ISO("created_at")
	  ", round(amount, 2)::text", 8 },
	[ST_MARK] = { "fiat_mark",
	  "INSERT INTO bank_callback_marks (mac) VALUES ($1::bytea)"
	  " ON CONFLICT (mac) DO NOTHING", 1 },
	[ST_MARK_PURGE] = { "fiat_mark_purge",
	  "DELETE FROM bank_callback_marks WHERE received_at <"
	  " now() - make_interval(secs => $1::int)", 1 },
	/*
	 * The transaction id is claimed first: repeats of it wait here for
	 * the first to commit, and then find it (ST_TR_FIND).
	 */
	[ST_TR_CLAIM] = { "fiat_tr_claim",
	  "INSERT INTO fiat_transfers (public_id, bank_tx_id, amount, sender_name,"
	  " sender_iban, description, reference, answer, status, queue_reason)"
	  " VALUES ($1, $2, $3::numeric, $4, $5, $6, $7, 'QUEUED', 'QUEUED',"
	  " 'NO_REFERENCE') ON CONFLICT (bank_tx_id) DO NOTHING RETURNING id", 7 },
	[ST_TR_FIND] = { "fiat_tr_find",
	  "SELECT public_id, answer, amount = $2::numeric AND sender_name = $3"
	  " AND sender_iban = $4 AND description = $5"
	  " FROM fiat_transfers WHERE bank_tx_id = $1", 5 },
	[ST_INTENT] = { "fiat_intent",
	  "SELECT d.id, d.public_id, d.user_id, d.status, d.expires_at <= now(),"
	  " u.status, u.email, u.public_id, " FIAT_KYC_NAME_OF("d.user_id")
	  " FROM fiat_deposits d JOIN users u ON u.id = d.user_id"
	  " WHERE d.reference = $1 FOR UPDATE OF d", 1 },
	[ST_LEDGER_USER] = { "fiat_ledger_user",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) VALUES ($1, 'TRY', $2::numeric, 0, 'DEPOSIT',"
	  " 'fiat:tx:' || $3) RETURNING id", 3 },
	[ST_DEP_COMPLETE] = { "fiat_dep_complete",
	  "UPDATE fiat_deposits SET status = 'COMPLETED', transfer_id = $2,"
	  " credited_amount = $3::numeric, ledger_id = $4, credited_at = now(),"
	  " updated_at = now() WHERE id = $1 AND status = 'PENDING'"
	  " RETURNING " DB_ISO("credited_at"), 4 },
	[ST_TR_CREDITED] = { "fiat_tr_credited",
	  "UPDATE fiat_transfers SET answer = 'CREDITED', status = 'CREDITED',"
	  " queue_reason = NULL, credited_user_id = $2, deposit_id = $3,"
	  " updated_at = now() WHERE id = $1", 3 },
	[ST_LEDGER_SUSPENSE] = { "fiat_ledger_suspense",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) SELECT id, 'TRY', $1::numeric, 0, 'DEPOSIT',"
	  " 'fiat:suspense:' || $2 FROM users"
	  " WHERE public_id = '" FIAT_SUSPENSE_ACCOUNT "' RETURNING id", 2 },
	[ST_TR_QUEUED] = { "fiat_tr_queued",
	  "UPDATE fiat_transfers SET queue_reason = $2, deposit_id = $3,"
	  " updated_at = now() WHERE id = $1", 3 },
	[ST_TX_COUNT] = { "fiat_tx_count",
	  "SELECT count(*) FROM (" TX_ROWS ") x", 3 },
	[ST_TX_NEW] = { "fiat_tx_new",
	  TX_ROWS " ORDER BY created_at DESC, public_id DESC LIMIT $4 OFFSET $5", 5 },
	[ST_TX_OLD] = { "fiat_tx_old",
	  TX_ROWS " ORDER BY created_at, public_id LIMIT $4 OFFSET $5", 5 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "fiat statements");

const char *const fiat_tx_types[] = { "DEPOSIT", "WITHDRAWAL", NULL };
const char *const fiat_tx_statuses[] = { "PENDING", "COMPLETED", "EXPIRED",
    "PROCESSING", "FAILED", "REJECTED", "PENDING_APPROVAL",
    "PENDING_SIGNATURE", NULL };

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

void
fiat_amount_text(int64_t v, char out[DEC_BUFSZ])
{
	if (dec_format(v, FIAT_SCALE, out, DEC_BUFSZ) < 0)
		snprintf(out, DEC_BUFSZ, "0.00");
}

int64_t
fiat_setting_amount(const char *key, const char *dflt)
{
	const char *s = cfg_get(key, dflt);
	int64_t v;

	if (dec_parse(s, strlen(s), FIAT_SCALE, &v) == DEC_OK)
		return v;
	log_error("fiat: setting %s = '%s' is not a TRY amount; using %s", key,
	    s, dflt);
	if (dec_parse(dflt, strlen(dflt), FIAT_SCALE, &v) != DEC_OK)
		v = 0;
	return v;
}

int
fiat_account_get(struct fiat_account *a)
{
	const char *iban = cfg_get("fiat_iban", ""), *why;

	memset(a, 0, sizeof(*a));
	a->bank_name = cfg_get("fiat_bank_name", "");
	a->holder = cfg_get("fiat_account_holder", "");
	if ((why = iban_parse_tr(iban, strlen(iban), a->iban)) != NULL) {
		log_error("fiat: setting fiat_iban: %s", why);
		return -1;
	}
	if (a->bank_name[0] == '\0' || a->holder[0] == '\0') {
		log_error("fiat: fiat_bank_name and fiat_account_holder must be set");
		return -1;
	}
	return 0;
}

enum err
fiat_kyc_gate(struct ctx *c)
{
	const char *p[1] = { c->actor->idtxt };
	PGresult *res;

	if (c->actor->kyc_level >= FIAT_KYC_LEVEL)
		return ERR_OK;
	if (q(c, ST_KYC_STATE, p, &res) == ERR_OK && PQntuples(res) == 1) {
		if (strcmp(db_val(res, 0, 0), "PENDING_REVIEW") == 0)
			return ERR_KYC_002;
		if (strcmp(db_val(res, 0, 0), "REJECTED") == 0)
			return ERR_KYC_003;
	}
	return ERR_KYC_REQUIRED;
}

enum err
fiat_kyc_name(struct ctx *c, const char *user_id, const char **name)
{
	const char *p[1] = { user_id };
	PGresult *res;
	enum err e;

	*name = NULL;
	if ((e = q(c, ST_KYC_NAME, p, &res)) != ERR_OK)
		return e;
	*name = db_val(res, 0, 0);
	return ERR_OK;
}

/* ---- deposit intents ------------------------------------------------------ */

enum err
fiat_deposit_create(struct ctx *c, int64_t amount, struct fiat_intent *out)
{
	char amt[DEC_BUFSZ], hours[16];
	const char *p[8], *name;
	int64_t min = fiat_setting_amount("fiat_deposit_min", FIAT_DEPOSIT_MIN);
	int64_t max = fiat_setting_amount("fiat_deposit_max", FIAT_DEPOSIT_MAX);
	long long ttl = cfg_int("fiat_deposit_ttl_hours", FIAT_DEPOSIT_TTL_HOURS);
	PGresult *res;
	enum err e;
	int i;

	memset(out, 0, sizeof(*out));
	out->open_max = (int)cfg_int("fiat_deposit_open_max", FIAT_DEPOSIT_OPEN_MAX);
	if (amount < min || amount > max) {
		char lo[DEC_BUFSZ], hi[DEC_BUFSZ];

		fiat_amount_text(min, lo);
		fiat_amount_text(max, hi);
		out->field = "amount";
		out->reason = arena_printf(c->arena, "from %s to %s TRY", lo, hi);
		return out->reason != NULL ? ERR_INVALID_REQUEST : ERR_INTERNAL;
	}
	if (fiat_account_get(&out->account) == -1)
		return ERR_SERVICE_UNAVAILABLE;
	if (ttl < 1 || ttl > 24 * 30)
		ttl = FIAT_DEPOSIT_TTL_HOURS;
	snprintf(hours, sizeof(hours), "%lld", ttl);
	fiat_amount_text(amount, amt);
	if ((e = fiat_kyc_name(c, c->actor->idtxt, &name)) != ERR_OK)
		return e;
	if (name == NULL)
		return ERR_KYC_REQUIRED;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	p[0] = c->actor->idtxt;
	if ((e = q(c, ST_DEP_LOCK, p, &res)) != ERR_OK ||
	    (e = q(c, ST_DEP_OPEN, p, &res)) != ERR_OK)
		goto fail;
	out->open = (int)util_long(db_val(res, 0, 0), 0);
	if (out->open >= out->open_max) {
		e = ERR_LIMIT_EXCEEDED;
		goto fail;
	}
	for (i = 0; i < REF_TRIES; i++) {
		if (util_public_id("fdp_", out->id, sizeof(out->id)) == -1 ||
		    fiat_ref_new(out->reference) == -1) {
			e = ERR_INTERNAL;
			goto fail;
		}
		p[0] = out->id;
		p[1] = c->actor->idtxt;
		p[2] = amt;
		p[3] = out->reference;
		p[4] = out->account.iban;
		p[5] = out->account.bank_name;
		p[6] = out->account.holder;
		p[7] = hours;
		if ((e = q(c, ST_DEP_INSERT, p, &res)) != ERR_OK)
			goto fail;
		if (PQntuples(res) == 1)
			break;
	}
	if (i == REF_TRIES) {
		log_error("fiat: no free reference code in %d draws", REF_TRIES);
		e = ERR_INTERNAL;
		goto fail;
	}
	snprintf(out->expires_at, sizeof(out->expires_at), "%s", db_val(res, 0, 0));
	snprintf(out->created_at, sizeof(out->created_at), "%s", db_val(res, 0, 1));
	snprintf(out->amount, sizeof(out->amount), "%s", db_val(res, 0, 2));
	if ((e = db_commit(c->db)) != ERR_OK)
		return e;
	log_info("fiat: deposit %s of %s TRY for %s, reference %s", out->id,
	    out->amount, c->actor->public_id, out->reference);
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

struct json_object *
fiat_intent_json(const struct fiat_intent *d)
{
	struct json_object *o = json_object_new_object();
	char printed[FIAT_REF_LEN + 8], iban[IBAN_MAX + 10];

	fiat_ref_print(d->reference, printed, sizeof(printed));
	iban_print(d->account.iban, iban, sizeof(iban));
	json_object_object_add(o, "depositId", json_object_new_string(d->id));
	json_object_object_add(o, "asset", json_object_new_string(FIAT_ASSET));
	json_object_object_add(o, "amount", json_object_new_string(d->amount));
	json_object_object_add(o, "iban", json_object_new_string(d->account.iban));
	json_object_object_add(o, "ibanDisplay", json_object_new_string(iban));
	json_object_object_add(o, "bankName",
	    json_object_new_string(d->account.bank_name));
	json_object_object_add(o, "accountHolder",
	    json_object_new_string(d->account.holder));
	json_object_object_add(o, "referenceCode",
	    json_object_new_string(d->reference));
	json_object_object_add(o, "referenceCodeDisplay",
	    json_object_new_string(printed));
	json_object_object_add(o, "status", json_object_new_string("PENDING"));
	json_object_object_add(o, "expiresAt", json_object_new_string(d->expires_at));
	json_object_object_add(o, "createdAt", json_object_new_string(d->created_at));
	return o;
}

/* ---- the bank's callbacks --------------------------------------------------- */

enum err
fiat_callback_mark(struct ctx *c, const unsigned char mac[32])
{
	const char *p[1];
	PGresult *res;
	enum err e;

	if ((p[0] = db_bytea_param(c->arena, mac, 32)) == NULL)
		return ERR_INTERNAL;
	if ((e = q(c, ST_MARK, p, &res)) != ERR_OK)
		return e;
	return strcmp(PQcmdTuples(res), "1") == 0 ? ERR_OK : ERR_CONFLICT;
}

enum err
fiat_marks_purge(struct ctx *c, long older_than_seconds, long *n)
{
	char secs[24];
	const char *p[1] = { secs };
	PGresult *res;
	enum err e;

	snprintf(secs, sizeof(secs), "%ld", older_than_seconds);
	if ((e = q(c, ST_MARK_PURGE, p, &res)) != ERR_OK)
		return e;
	*n = util_long(PQcmdTuples(res), 0);
	return ERR_OK;
}

/* Why a transfer cannot be credited to the intent it names, or NULL. */
static const char *
intent_refusal(PGresult *d, const struct bank_transfer *t)
{
	const char *name = db_val(d, 0, I_NAME);

	if (strcmp(db_val(d, 0, I_STATUS), "PENDING") != 0)
		return "USED_REFERENCE";
	if (strcmp(db_val(d, 0, I_EXPIRED), "t") == 0)
		return "EXPIRED_REFERENCE";
	if (strcmp(db_val(d, 0, I_USER_STATUS), "ACTIVE") != 0)
		return "ACCOUNT_NOT_ACTIVE";
	if (name == NULL)
		return "NO_VERIFIED_NAME";
	if (!fiat_name_match(name, strlen(name), t->sender_name,
	    strlen(t->sender_name)))
		return "NAME_MISMATCH";
	return NULL;
}

/* A third party paid into a user's deposit: for compliance to look at. */
static enum err
mismatch_alert(struct ctx *c, PGresult *d, const struct bank_transfer *t,
    const char *transfer_id)
{
	char alert[ALERT_ID_LEN + 1];
	struct json_object *det;
	struct alert_in in;
	int created;

	if ((det = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(det, "transferId",
	    json_object_new_string(transfer_id));
	json_object_object_add(det, "bankTransactionId",
	    json_object_new_string(t->transaction_id));
	json_object_object_add(det, "depositId",
	    json_object_new_string(db_val(d, 0, I_PUBLIC_ID)));
	json_object_object_add(det, "userId",
	    json_object_new_string(db_val(d, 0, I_USER_PUBLIC_ID)));
	json_object_object_add(det, "amount",
	    json_object_new_string(t->amount_text));
	json_object_object_add(det, "asset", json_object_new_string(FIAT_ASSET));
	json_object_object_add(det, "senderName",
	    json_object_new_string(t->sender_name));
	json_object_object_add(det, "senderIban",
	    json_object_new_string(t->sender_iban));
	json_object_object_add(det, "reason", json_object_new_string(
	    "the sender is not the account's verified holder"));
	memset(&in, 0, sizeof(in));
	in.user_id = db_val(d, 0, I_USER_ID);
	in.severity = "MEDIUM";
	in.type = "SUSPICIOUS_PATTERN";
	in.risk_score = 50;
	if ((in.subject = arena_printf(c->arena, "fiat-transfer:%s",
	    transfer_id)) == NULL)
		return ERR_INTERNAL;
	in.details = det;
	return compliance_alert_raise(c, &in, alert, &created);
}

/* The credit through the rules engine (domain/deposit_risk): never refused. */
static enum err
transfer_scored(struct ctx *c, const char *tid, PGresult *d,
    const struct bank_transfer *t, struct fiat_receipt *out)
{
	struct deposit_risk_in in;

	memset(&in, 0, sizeof(in));
	in.user_id = db_val(d, 0, I_USER_ID);
	in.asset = FIAT_ASSET;
	in.amount = t->amount_text;
	in.deposit_id = db_val(d, 0, I_PUBLIC_ID);
	if ((in.ledger_ref = arena_printf(c->arena, "fiat:tx:%s",
	    t->transaction_id)) == NULL ||
	    (in.subject = arena_printf(c->arena, "fiat-transfer:%s", tid)) ==
	    NULL)
		return ERR_INTERNAL;
	return deposit_risk_check(c, &in, out->alert_id);
}

/* Credit the intent's user (d, locked), in the open transaction. */
static enum err
transfer_credit(struct ctx *c, const char *tid, PGresult *d,
    const struct bank_transfer *t, struct fiat_receipt *out)
{
	char evt[OUTBOX_ID_LEN + 1];
	const char *p[4];
	struct json_object *ev;
	PGresult *led, *res;
	enum err e;

	p[0] = db_val(d, 0, I_USER_ID);
	p[1] = t->amount_text;
	p[2] = t->transaction_id;
	if ((e = q(c, ST_LEDGER_USER, p, &led)) != ERR_OK)
		return e;
	p[0] = db_val(d, 0, I_ID);
	p[1] = tid;
	p[2] = t->amount_text;
	p[3] = db_val(led, 0, 0);
	if ((e = q(c, ST_DEP_COMPLETE, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_CONFLICT;
	if ((e = transfer_scored(c, tid, d, t, out)) != ERR_OK)
		return e;
	if ((ev = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(ev, "depositId",
	    json_object_new_string(db_val(d, 0, I_PUBLIC_ID)));
	json_object_object_add(ev, "asset", json_object_new_string(FIAT_ASSET));
	json_object_object_add(ev, "amount", json_object_new_string(t->amount_text));
	json_object_object_add(ev, "method", json_object_new_string("BANK_TRANSFER"));
	json_object_object_add(ev, "transferId", json_object_new_string(out->transfer_id));
	json_object_object_add(ev, "creditedAt",
	    json_object_new_string(db_val(res, 0, 0)));
	if ((e = outbox_put(c->db, c->arena, db_val(d, 0, I_USER_ID),
	    "deposit.confirmed", ev, evt)) != ERR_OK)
		return e;
	p[0] = tid;
	p[1] = db_val(d, 0, I_USER_ID);
	p[2] = db_val(d, 0, I_ID);
	if ((e = q(c, ST_TR_CREDITED, p, &res)) != ERR_OK)
		return e;
	out->credited = 1;
	snprintf(out->status, sizeof(out->status), "CREDITED");
	snprintf(out->deposit_id, sizeof(out->deposit_id), "%s",
	    db_val(d, 0, I_PUBLIC_ID));
	snprintf(out->email, sizeof(out->email), "%s", db_val(d, 0, I_EMAIL));
	snprintf(out->amount, sizeof(out->amount), "%s", t->amount_text);
	snprintf(out->reference, sizeof(out->reference), "%s", t->reference);
	return ERR_OK;
}

/* Park it on the suspense account, for review, in the open transaction. */
static enum err
transfer_queue(struct ctx *c, const char *tid, PGresult *d, const char *why,
    const struct bank_transfer *t, struct fiat_receipt *out)
{
	const char *p[3];
	PGresult *res;
	enum err e;

	p[0] = t->amount_text;
	p[1] = t->transaction_id;
	if ((e = q(c, ST_LEDGER_SUSPENSE, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1) {
		log_error("fiat: no suspense account %s", FIAT_SUSPENSE_ACCOUNT);
		return ERR_INTERNAL;
	}
	p[0] = tid;
	p[1] = why;
	p[2] = d != NULL && PQntuples(d) == 1 ? db_val(d, 0, I_ID) : NULL;
	if ((e = q(c, ST_TR_QUEUED, p, &res)) != ERR_OK)
		return e;
	if (strcmp(why, "NAME_MISMATCH") == 0 &&
	    (e = mismatch_alert(c, d, t, out->transfer_id)) != ERR_OK)
		return e;
	out->queue_reason = why;
	snprintf(out->status, sizeof(out->status), "QUEUED");
	return ERR_OK;
}

/* A transaction id reported before: its first answer, if the content agrees. */
static enum err
transfer_known(struct ctx *c, const struct bank_transfer *t,
    struct fiat_receipt *out)
{
	const char *p[5] = { t->transaction_id, t->amount_text, t->sender_name,
	    t->sender_iban, t->description };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_TR_FIND, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_INTERNAL;
	snprintf(out->transfer_id, sizeof(out->transfer_id), "%s",
	    db_val(res, 0, 0));
	snprintf(out->status, sizeof(out->status), "%s", db_val(res, 0, 1));
	out->repeat = 1;
	return strcmp(db_val(res, 0, 2), "t") == 0 ? ERR_OK : ERR_CONFLICT;
}

enum err
fiat_transfer_receive(struct ctx *c, const struct bank_transfer *t,
    struct fiat_receipt *out)
{
	const char *p[7], *why = NULL, *tid;
	PGresult *res, *d = NULL;
	enum err e;

	memset(out, 0, sizeof(*out));
	if (util_public_id("ftr_", out->transfer_id, sizeof(out->transfer_id)) == -1)
		return ERR_INTERNAL;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	p[0] = out->transfer_id;
	p[1] = t->transaction_id;
	p[2] = t->amount_text;
	p[3] = t->sender_name;
	p[4] = t->sender_iban;
	p[5] = t->description;
	p[6] = t->nrefs == 1 ? t->reference : NULL;
	if ((e = q(c, ST_TR_CLAIM, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) == 0) {
		/* Reported before, and committed: the same answer again. */
		db_rollback(c->db);
		return transfer_known(c, t, out);
	}
	tid = arena_strdup(c->arena, db_val(res, 0, 0));
	if (tid == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	if (t->nrefs == 0)
		why = "NO_REFERENCE";
	else if (t->nrefs > 1)
		why = "AMBIGUOUS_REFERENCE";
	else {
		p[0] = t->reference;
		if ((e = q(c, ST_INTENT, p, &d)) != ERR_OK)
			goto fail;
		why = PQntuples(d) != 1 ? "UNKNOWN_REFERENCE" :
		    intent_refusal(d, t);
	}
	e = why == NULL ? transfer_credit(c, tid, d, t, out) :
	    transfer_queue(c, tid, d, why, t, out);
	if (e != ERR_OK || (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	if (why == NULL)
		log_info("fiat: transfer %s (bank %s) of %s TRY credited to %s "
		    "for deposit %s", out->transfer_id, t->transaction_id,
		    t->amount_text, db_val(d, 0, I_USER_PUBLIC_ID), out->deposit_id);
	else
		log_info("fiat: transfer %s (bank %s) of %s TRY queued for review: "
		    "%s", out->transfer_id, t->transaction_id, t->amount_text, why);
	return ERR_OK;
fail:
	db_rollback(c->db);
	if (e != ERR_CONFLICT)
		log_error("fiat: transfer (bank %s): %s", t->transaction_id,
		    err_info(e)->code);
	return e;
}

/* ---- the caller's history ------------------------------------------------- */

enum err
fiat_tx_list(struct ctx *c, const struct fiat_tx_query *in, PGresult **rows,
    long long *total)
{
	const char *p[5] = { c->actor->idtxt, in->type, in->status, in->limit,
	    in->offset };
	PGresult *cnt;
	enum err e;

	if ((e = q(c, ST_TX_COUNT, p, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return q(c, in->oldest_first ? ST_TX_OLD : ST_TX_NEW, p, rows);
}

struct json_object *
fiat_tx_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();
	int dep = strcmp(db_val(res, i, 0), "DEPOSIT") == 0;

	json_object_object_add(o, "transactionId", json_str_or_null(db_val(res, i, 1)));
	json_object_object_add(o, "type", json_str_or_null(db_val(res, i, 0)));
	json_object_object_add(o, "asset", json_object_new_string(FIAT_ASSET));
	json_object_object_add(o, "amount", json_str_or_null(db_val(res, i, 3)));
	if (dep)
		json_object_object_add(o, "requestedAmount",
		    json_str_or_null(db_val(res, i, 4)));
	json_object_object_add(o, "fee", json_str_or_null(db_val(res, i, 5)));
	json_object_object_add(o, "status", json_str_or_null(db_val(res, i, 2)));
	json_object_object_add(o, "statusReason", json_str_or_null(db_val(res, i, 6)));
	if (dep) {
		json_object_object_add(o, "referenceCode",
		    json_str_or_null(db_val(res, i, 7)));
		json_object_object_add(o, "bankName",
		    json_str_or_null(db_val(res, i, 10)));
		json_object_object_add(o, "expiresAt",
		    json_str_or_null(db_val(res, i, 11)));
	}
	/* Deposits: the platform's account; withdrawals: the user's. */
	json_object_object_add(o, "iban", json_str_or_null(db_val(res, i, 8)));
	json_object_object_add(o, "accountHolder", json_str_or_null(db_val(res, i, 9)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, 12)));
	json_object_object_add(o, "completedAt", json_str_or_null(db_val(res, i, 13)));
	return o;
}
