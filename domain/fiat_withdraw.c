/* domain/fiat_withdraw.c — TRY withdrawals to the user's own Turkish bank account: second factor, name, limits, funds locked at once */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/liveconf.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/fiat_name.h"
#include "domain/fiat_withdraw.h"
#include "domain/limits.h"
#include "domain/outbox.h"
#include "domain/users.h"
#include "domain/withdraw_hold.h"

enum { ST_USER, ST_USED, ST_BALANCE, ST_INSERT, ST_LOCK, ST__COUNT };

/* Columns of ST_USER: the second factor, the name, LIMIT_COLS, the holds. */
enum { U_TOTP_ON, U_TOTP, U_NAME, U_DAILY, U_MONTHLY };

static const struct stmt stmts[] = {
	/*
	 * The user's row is locked first: two withdrawals of one user (TRY or
	 * crypto, which locks it too) are made one after the other, so
	 * neither passes a limit the other uses. The holds are
	 * domain/withdraw_hold's, the same for crypto.
	 */
	[ST_USER] = { "fiat_wd_user",
	  "SELECT u.totp_enabled, u.totp_secret, " FIAT_KYC_NAME_OF("u.id") ","
	  LIMIT_COLS
	  " FROM users u" LIMIT_JOINS " WHERE u.id = $1 FOR UPDATE OF u", 1 },
	/*
	 * What the limits have used: every withdrawal that did not fail,
	 * crypto at its worth and TRY (sql/014_fiat_limits.sql).
	 */
	[ST_USED] = { "fiat_wd_used",
	  "SELECT " LIMIT_USED_DAY("$1::bigint") "::text, "
	  LIMIT_USED_MONTH("$1::bigint") "::text", 1 },
	[ST_BALANCE] = { "fiat_wd_balance",
	  "SELECT trunc(available, 2)::text FROM balances WHERE user_id = $1"
	  " AND asset = '" FIAT_ASSET "' FOR UPDATE", 1 },
	[ST_INSERT] = { "fiat_wd_insert",
	  "INSERT INTO fiat_withdrawals (public_id, user_id, amount, fee, iban,"
	  " account_holder, idempotency_key) VALUES ($1, $2, $3::numeric,"
	  " $4::numeric, $5, $6, $7::uuid) RETURNING " DB_ISO("created_at"), 7 },
	[ST_LOCK] = { "fiat_wd_lock",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref) VALUES ($1, '" FIAT_ASSET "', -($2::numeric), $2::numeric,"
	  " 'WITHDRAWAL_LOCK', 'fiat:' || $3)", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "fiat withdrawal statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* A limit or sum at 2 decimals; past int64 (no limit in practice): INT64_MAX. */
static int64_t
amount_of(const char *s)
{
	int64_t v;

	if (s == NULL)
		return 0;
	return dec_parse(s, strlen(s), FIAT_SCALE, &v) == DEC_OK ? v : INT64_MAX;
}

/* 2FA on, no hold: FORBIDDEN (out->hold says which) or COMPLIANCE_001. */
static enum err
holds_check(struct ctx *c, PGresult *u, struct fiat_wd_out *out)
{
	struct withdraw_hold h;
	enum err e;

	if (strcmp(db_val(u, 0, U_TOTP_ON), "t") != 0)
		return ERR_FORBIDDEN;
	if ((e = withdraw_hold_check(c, c->actor->idtxt, &h)) == ERR_FORBIDDEN) {
		out->hold = h.kind;
		snprintf(out->hold_until, sizeof(out->hold_until), "%s", h.until);
	}
	return e;
}

/* The second factor, in the open transaction (u: ST_USER's row). */
static enum err
second_factor(struct ctx *c, PGresult *u, const char *code)
{
	const unsigned char *sealed;
	size_t len;

	if ((sealed = db_bytea(c->arena, db_val(u, 0, U_TOTP), &len)) == NULL)
		return ERR_INTERNAL;
	return user_totp_check(c, c->actor->idtxt, c->actor->public_id, sealed,
	    len, code);
}

/* The daily and monthly limits against what was used and this amount. */
static enum err
limits_check(struct ctx *c, PGresult *u, int64_t amount, struct fiat_wd_out *out)
{
	const char *p[1] = { c->actor->idtxt };
	int64_t limit[2], used[2];
	PGresult *res;
	enum err e;
	int i;

	if ((e = q(c, ST_USED, p, &res)) != ERR_OK)
		return e;
	limit[0] = amount_of(db_val(u, 0, U_DAILY));
	limit[1] = amount_of(db_val(u, 0, U_MONTHLY));
	used[0] = amount_of(db_val(res, 0, 0));
	used[1] = amount_of(db_val(res, 0, 1));
	for (i = 0; i < 2; i++) {
		if (used[i] <= limit[i] && amount <= limit[i] - used[i])
			continue;
		out->period = i == 0 ? "DAILY" : "MONTHLY";
		snprintf(out->limit, sizeof(out->limit), "%s",
		    db_val(u, 0, i == 0 ? U_DAILY : U_MONTHLY));
		snprintf(out->used, sizeof(out->used), "%s", db_val(res, 0, i));
		return ERR_WALLET_002;
	}
	return ERR_OK;
}

/* Amount and fee against the available balance (locked FOR UPDATE). */
static enum err
funds_check(struct ctx *c, int64_t need, struct fiat_wd_out *out)
{
	const char *p[1] = { c->actor->idtxt };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_BALANCE, p, &res)) != ERR_OK)
		return e;
	fiat_amount_text(need, out->required);
	snprintf(out->available, sizeof(out->available), "%s",
	    PQntuples(res) == 1 ? db_val(res, 0, 0) : "0.00");
	if (PQntuples(res) != 1 || amount_of(db_val(res, 0, 0)) < need)
		return ERR_INSUFFICIENT_BALANCE;
	return ERR_OK;
}

/* The withdrawal, its lock and its event, in the open transaction. */
static enum err
withdrawal_store(struct ctx *c, const struct fiat_wd_in *in, int64_t need,
    struct fiat_wd_out *out)
{
	char key[UUID_LEN + 1], total[DEC_BUFSZ], evt[OUTBOX_ID_LEN + 1];
	const char *p[7];
	struct json_object *ev;
	PGresult *res;
	enum err e;

	if (util_public_id("fwd_", out->id, sizeof(out->id)) == -1 ||
	    util_uuid(key) == -1)
		return ERR_INTERNAL;
	fiat_amount_text(need, total);
	p[0] = out->id;
	p[1] = c->actor->idtxt;
	p[2] = out->amount;
	p[3] = out->fee;
	p[4] = in->iban;
	p[5] = in->holder;
	p[6] = key;
	if ((e = q(c, ST_INSERT, p, &res)) != ERR_OK)
		return e;
	snprintf(out->created_at, sizeof(out->created_at), "%s", db_val(res, 0, 0));
	p[0] = c->actor->idtxt;
	p[1] = total;
	p[2] = out->id;
	if ((e = q(c, ST_LOCK, p, &res)) != ERR_OK)
		return e;
	if ((ev = json_own(c->arena, fiat_wd_json(out, in))) == NULL)
		return ERR_INTERNAL;
	return outbox_put(c->db, c->arena, c->actor->idtxt,
	    "withdrawal.processing", ev, evt);
}

/*
 * The fee: the live setting withdrawal_fee.TRY once staff have set one
 * (domain/sysconfig.c, this process's copy a second old at most), else
 * hzm.conf's.
 */
static int64_t
withdraw_fee(void)
{
	const char *live = liveconf_get("withdrawal_fee." FIAT_ASSET);
	int64_t v;

	if (live != NULL && dec_parse(live, strlen(live), FIAT_SCALE, &v) ==
	    DEC_OK && v >= 0)
		return v;
	return fiat_setting_amount("fiat_withdraw_fee", FIAT_WITHDRAW_FEE);
}

enum err
fiat_withdraw_request(struct ctx *c, const struct fiat_wd_in *in,
    struct fiat_wd_out *out)
{
	const char *p[1] = { c->actor->idtxt }, *name;
	int64_t min = fiat_setting_amount("fiat_withdraw_min", FIAT_WITHDRAW_MIN);
	int64_t fee = withdraw_fee();
	PGresult *u;
	enum err e;

	memset(out, 0, sizeof(*out));
	fiat_amount_text(in->amount, out->amount);
	fiat_amount_text(fee, out->fee);
	fiat_amount_text(min, out->minimum);
	if ((e = fiat_kyc_gate(c)) != ERR_OK)
		return e;
	if (in->amount < min)
		return ERR_WALLET_003;
	if (in->amount > INT64_MAX - fee)
		return ERR_WALLET_002;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_USER, p, &u)) != ERR_OK)
		goto fail;
	if (PQntuples(u) != 1) {
		e = ERR_INTERNAL;
		goto fail;
	}
	if ((e = holds_check(c, u, out)) != ERR_OK)
		goto fail;
	name = db_val(u, 0, U_NAME);
	if (name == NULL) {
		e = ERR_KYC_REQUIRED;
		goto fail;
	}
	if (!fiat_name_match(name, strlen(name), in->holder, strlen(in->holder))) {
		out->field = "accountHolder";
		out->reason = "the account must be your own: its holder's name must "
		    "be the name verified by KYC";
		e = ERR_WALLET_001;
		goto fail;
	}
	/*
	 * The code last: it confirms a withdrawal that is otherwise good,
	 * and is used up only with it (a refusal rolls its step back).
	 */
	if ((e = limits_check(c, u, in->amount, out)) != ERR_OK ||
	    (e = funds_check(c, in->amount + fee, out)) != ERR_OK ||
	    (e = second_factor(c, u, in->code)) != ERR_OK ||
	    (e = withdrawal_store(c, in, in->amount + fee, out)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	log_info("fiat: withdrawal %s of %s TRY (fee %s) by %s to %s", out->id,
	    out->amount, out->fee, c->actor->public_id, in->iban);
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

struct json_object *
fiat_wd_json(const struct fiat_wd_out *w, const struct fiat_wd_in *in)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "withdrawalId", json_object_new_string(w->id));
	json_object_object_add(o, "asset", json_object_new_string(FIAT_ASSET));
	json_object_object_add(o, "amount", json_object_new_string(w->amount));
	json_object_object_add(o, "fee", json_object_new_string(w->fee));
	json_object_object_add(o, "iban", json_object_new_string(in->iban));
	json_object_object_add(o, "accountHolder",
	    json_object_new_string(in->holder));
	json_object_object_add(o, "status", json_object_new_string("PROCESSING"));
	json_object_object_add(o, "createdAt", json_object_new_string(w->created_at));
	return o;
}
