/* domain/withdrawal.c — crypto withdrawals requested: checked, scored, funds locked, stored; the caller's list */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/input.h"
#include "core/log.h"
#include "core/util.h"
#include "core/valid.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/limits.h"
#include "domain/risk.h"
#include "domain/users.h"
#include "domain/withdrawal.h"
#include "domain/withdrawal_state.h"
#include "domain/withdrawal_view.h"
#include "domain/withdraw_hold.h"

#define AMOUNT_MAX	40	/* characters of an amount */

enum {
	ST_RULES, ST_USER, ST_BLACKLISTED, ST_HOLD, ST_BALANCE, ST_LIMITS,
	ST_INSERT, ST_ALERT_LINK, ST_ONE, ST_COUNT, ST_PAGE_NEW,
	ST_PAGE_OLD, ST__COUNT
};

#define WD_WHERE \
	" WHERE w.user_id = $1 AND ($2::text IS NULL OR w.status = $2)" \
	" AND ($3::text IS NULL OR w.asset = $3)"

static const struct stmt stmts[] = {
	/* The asset and its network ($2, or the default one) with its rules. */
	[ST_RULES] = { "wd_rules",
	  "SELECT a.code, a.precision, n.network, n.withdraw_enabled,"
	  " round(n.min_withdrawal, a.precision)::text,"
	  " round(n.withdraw_fee, a.precision)::text, n.uses_memo,"
	  " n.withdraw_confirmations,"
	  " (SELECT string_agg(x.network, ', ' ORDER BY x.network)"
	  "  FROM asset_networks x WHERE x.asset = a.code AND x.withdraw_enabled),"
	  " EXISTS (SELECT 1 FROM asset_networks x WHERE x.asset = a.code)"
	  " FROM assets a LEFT JOIN asset_networks n ON n.asset = a.code"
	  " AND CASE WHEN $2::text IS NULL THEN n.is_default"
	  " ELSE n.network = $2 END WHERE a.code = $1", 2 },
	/*
	 * The caller, locked: one request of a user at a time, so that two
	 * at once cannot both fit under a limit only one fits under. The
	 * holds are domain/withdraw_hold's.
	 */
	[ST_USER] = { "wd_user",
	  "SELECT u.totp_enabled, u.totp_secret, u.email,"
	  " (SELECT count(*) FROM withdrawals w WHERE w.user_id = u.id"
	  "  AND w.created_at > now() - interval '24 hours'"
	  "  AND w.status NOT IN ('REJECTED', 'FAILED'))"
	  " FROM users u WHERE u.id = $1 FOR NO KEY UPDATE OF u", 1 },
	[ST_BLACKLISTED] = { "wd_blacklisted",
	  "SELECT 1 FROM withdrawal_blacklist WHERE network = $1 AND address = $2", 2 },
	[ST_HOLD] = { "wd_hold",
	  "INSERT INTO withdrawal_holds (user_id, reason, alert_id)"
	  " SELECT $1, 'BLACKLIST_HIT', id FROM compliance_alerts"
	  " WHERE public_id = $2", 2 },
	/*
	 * The balance, locked until the commit: an order placed at the same
	 * moment waits for this request (or this for it), so the two never
	 * both spend the same funds.
	 */
	[ST_BALANCE] = { "wd_balance",
	  "SELECT trunc(b.available, $3::int)::text, b.available >= $4::numeric"
	  " FROM balances b WHERE b.user_id = $1 AND b.asset = $2 FOR UPDATE", 4 },
	/*
	 * Limits (TRY), what the last 24 hours and 30 days used, the worth;
	 * whether the amount passes the asset's review threshold (a live
	 * setting, domain/sysconfig.c: NULL when none is set).
	 */
	[ST_LIMITS] = { "wd_limits",
	  "SELECT round(coalesce(l.daily_withdrawal, d.daily_withdrawal), 2)::text,"
	  " round(coalesce(l.monthly_withdrawal, d.monthly_withdrawal), 2)::text,"
	  " " LIMIT_USED_DAY("u.id") "::text, " LIMIT_USED_MONTH("u.id") "::text,"
	  " round($2::numeric * asset_price_try($3), 2)::text,"
	  " (SELECT $2::numeric > c.value::numeric FROM system_config c"
	  "  WHERE c.key = 'withdrawal_threshold.' || $3 AND c.value <> 'none')"
	  " FROM users u" LIMIT_JOINS " WHERE u.id = $1", 3 },
	[ST_INSERT] = { "wd_insert",
	  "INSERT INTO withdrawals (public_id, user_id, asset, network, address,"
	  " memo, amount, fee, value_try, status, risk_score, risk_factors,"
	  " review_reasons, approvals_required, required_confirmations)"
	  " VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::numeric,"
	  " $9::numeric, $10, $11, $12::jsonb, string_to_array($13, ','), $14, $15)"
	  " RETURNING id", 15 },
	[ST_ALERT_LINK] = { "wd_alert_link",
	  "UPDATE withdrawals SET alert_id = (SELECT id FROM compliance_alerts"
	  " WHERE public_id = $2) WHERE public_id = $1", 2 },
	[ST_ONE] = { "wd_one", WD_COLS " WHERE w.public_id = $1", 1 },
	[ST_COUNT] = { "wd_count", "SELECT count(*) FROM withdrawals w" WD_WHERE, 3 },
	[ST_PAGE_NEW] = { "wd_page_new",
	  WD_COLS WD_WHERE " ORDER BY w.id DESC LIMIT $4 OFFSET $5", 5 },
	[ST_PAGE_OLD] = { "wd_page_old",
	  WD_COLS WD_WHERE " ORDER BY w.id LIMIT $4 OFFSET $5", 5 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "withdrawal statements");

const char *const withdrawal_statuses[] = { "PENDING_APPROVAL",
    "PENDING_SIGNATURE", "PROCESSING", "COMPLETED", "REJECTED", "FAILED", NULL };

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* ---- the body ----------------------------------------------------------------- */

/*
 * Shapes only: types, lengths, characters. The amount's scale and the
 * address are the network's to judge. twoFactorCode is taken as sent:
 * its absence or a malformed one is the 2FA check's to refuse (AUTH_004),
 * not a malformed request.
 */
const struct in_field withdrawal_fields[] = {
	[WD_F_ASSET]	= { "asset", IN_STRING, IN_OPTIONAL, 1, 10 },
	[WD_F_AMOUNT]	= { "amount", IN_STRING, IN_REQUIRED, 1, AMOUNT_MAX,
			    .rule = valid_decimal },
	[WD_F_ADDRESS]	= { "address", IN_STRING, IN_REQUIRED, 1, 2 * CHAIN_ADDR_MAX },
	[WD_F_NETWORK]	= { "network", IN_STRING, IN_OPTIONAL, 2, WITHDRAWAL_NET_MAX,
			    .rule = valid_network },
	[WD_F_MEMO]	= { "memo", IN_STRING, IN_OPTIONAL, 1, WITHDRAWAL_MEMO_MAX,
			    .rule = valid_alnum },
	[WD_F_CODE]	= { "twoFactorCode", IN_ANY, IN_OPTIONAL },
	{ NULL }
};

int
withdrawal_in_from(const struct in_val *v, const char *asset, struct wd_in *in,
    struct in_err *ie)
{
	struct json_object *code = v[WD_F_CODE].o;
	const char *s;
	size_t i;

	memset(in, 0, sizeof(*in));
	in->asset = asset;
	if (v[WD_F_ASSET].s != NULL && strcmp(v[WD_F_ASSET].s, asset) != 0) {
		ie->field = "asset";
		ie->reason = "must be the asset of the path, if given";
		return -1;
	}
	in->amount = v[WD_F_AMOUNT].s;
	in->address = v[WD_F_ADDRESS].s;
	in->network = v[WD_F_NETWORK].s;
	in->memo = v[WD_F_MEMO].s;
	if (code == NULL)
		return 0;
	in->code_why = "a six-digit code from the authenticator";
	if (!json_object_is_type(code, json_type_string))
		return 0;
	s = json_object_get_string(code);
	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i != 6 || s[i] != '\0' || (size_t)json_object_get_string_len(code) != 6)
		return 0;
	in->code = s;
	in->code_why = NULL;
	return 0;
}

/* ---- refusals ------------------------------------------------------------------ */

/* out->details as {k: v, ...}; v NULL is left out. */
static struct json_object *
details(struct ctx *c, struct wd_out *out, const char *k1, const char *v1,
    const char *k2, const char *v2, const char *k3, const char *v3)
{
	const char *k[3] = { k1, k2, k3 }, *v[3] = { v1, v2, v3 };
	size_t i;

	if ((out->details = json_own(c->arena, json_object_new_object())) == NULL)
		return NULL;
	for (i = 0; i < 3; i++)
		if (k[i] != NULL && v[i] != NULL)
			json_object_object_add(out->details, k[i],
			    json_object_new_string(v[i]));
	return out->details;
}

static enum err
refuse(struct ctx *c, struct wd_out *out, enum err e, const char *message,
    const char *field, const char *reason)
{
	out->message = message;
	if (field != NULL || reason != NULL)
		details(c, out, "field", field, "reason", reason, NULL, NULL);
	return e;
}

/* ---- the request ---------------------------------------------------------------- */

/* What a request is checked against, gathered as it goes. */
struct wd_state {
	const struct chain_adapter *ad;
	char		 asset[16], network[WITHDRAWAL_NET_MAX + 1];
	int		 precision, confirmations;
	char		 address[CHAIN_ADDR_MAX + 1];
	int64_t		 amount, fee, min;
	char		 amount_s[DEC_BUFSZ], fee_s[DEC_BUFSZ], total_s[DEC_BUFSZ];
	const char	*email;
	/* limits, TRY at scale 2 */
	int		 priced;
	int64_t		 value, daily, monthly, used_day, used_month;
	const char	*value_s;
	/* the outcome */
	int		 over_daily;
	int		 over_threshold;	/* withdrawal_threshold.ASSET */
	struct risk_rules rules;
	struct risk_result risk;
};

/* The network's rules and the amount, address and memo against them. */
static enum err
check_static(struct ctx *c, const struct wd_in *in, struct wd_state *s,
    struct wd_out *out)
{
	const char *p[2] = { in->asset, in->network }, *why;
	PGresult *res;
	enum err e;
	int rc;

	if ((e = q(c, ST_RULES, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return refuse(c, out, ERR_NOT_FOUND, "No such asset", NULL, NULL);
	snprintf(s->asset, sizeof(s->asset), "%s", db_val(res, 0, 0));
	s->precision = (int)util_long(db_val(res, 0, 1), 0);
	if (db_val(res, 0, 2) == NULL || strcmp(db_val(res, 0, 3), "t") != 0 ||
	    (s->ad = chain_adapter(db_val(res, 0, 2))) == NULL ||
	    s->ad->address_check == NULL)
		return refuse(c, out, ERR_INVALID_REQUEST, NULL,
		    in->network != NULL ? "network" : "asset",
		    strcmp(db_val(res, 0, 9), "f") == 0 ?
		    arena_printf(c->arena, "%s moves on no blockchain: no crypto "
		    "withdrawal", s->asset) : db_val(res, 0, 8) == NULL ?
		    arena_printf(c->arena, "withdrawals of %s are not open",
		    s->asset) : arena_printf(c->arena, "withdrawals of %s are open "
		    "on: %s", s->asset, db_val(res, 0, 8)));
	snprintf(s->network, sizeof(s->network), "%s", db_val(res, 0, 2));
	s->confirmations = (int)util_long(db_val(res, 0, 7), 1);
	rc = dec_parse(in->amount, strlen(in->amount), s->precision, &s->amount);
	if (rc != DEC_OK || s->amount <= 0)
		return refuse(c, out, ERR_INVALID_REQUEST, NULL, "amount",
		    rc == DEC_EPRECISION ? arena_printf(c->arena, "at most %d "
		    "decimals for %s", s->precision, s->asset) : rc == DEC_ERANGE ?
		    "too large" : "must be more than zero");
	if (dec_parse(db_val(res, 0, 4), strlen(db_val(res, 0, 4)), s->precision,
	    &s->min) != DEC_OK ||
	    dec_parse(db_val(res, 0, 5), strlen(db_val(res, 0, 5)), s->precision,
	    &s->fee) != DEC_OK ||
	    dec_format(s->amount, s->precision, s->amount_s, sizeof(s->amount_s)) < 0 ||
	    dec_format(s->fee, s->precision, s->fee_s, sizeof(s->fee_s)) < 0)
		return ERR_INTERNAL;
	if (in->memo != NULL && strcmp(db_val(res, 0, 6), "t") != 0)
		return refuse(c, out, ERR_INVALID_REQUEST, NULL, "memo",
		    arena_printf(c->arena, "%s on %s takes no memo", s->asset,
		    s->network));
	if (s->ad->address_check(in->address, s->address, sizeof(s->address),
	    &why) == -1) {
		details(c, out, "field", "address", "network", s->network,
		    "reason", why);
		return ERR_WALLET_001;
	}
	if (s->amount < s->min) {
		details(c, out, "minWithdrawal", db_val(res, 0, 4), "asset",
		    s->asset, "network", s->network);
		out->message = arena_printf(c->arena, "The smallest withdrawal of "
		    "%s is %s", s->asset, db_val(res, 0, 4));
		return ERR_WALLET_003;
	}
	return ERR_OK;
}

/*
 * Within the transaction, the caller locked: second factor, holds, the
 * day's count. The code is checked last, so that a request refused for
 * another reason does not use it up.
 */
static enum err
check_user(struct ctx *c, const struct wd_in *in, struct wd_state *s,
    struct wd_out *out)
{
	const char *p[1] = { c->actor->idtxt };
	struct withdraw_hold h;
	unsigned char *sealed;
	size_t len;
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_USER, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_INTERNAL;
	s->email = arena_strdup(c->arena, db_val(res, 0, 2));
	if (strcmp(db_val(res, 0, 0), "t") != 0)
		return refuse(c, out, ERR_FORBIDDEN, "Enable two-factor "
		    "authentication before withdrawing", NULL, NULL);
	if ((e = withdraw_hold_check(c, c->actor->idtxt, &h)) == ERR_FORBIDDEN) {
		details(c, out, "hold", h.kind, "holdUntil", h.until, NULL, NULL);
		out->message = strcmp(h.kind, "PASSWORD_CHANGED") == 0 ?
		    "Withdrawals are held for a while after a password change" :
		    "Withdrawals are held for a while after two-factor "
		    "authentication was turned off";
		return e;
	}
	if (e == ERR_COMPLIANCE_001)
		return refuse(c, out, e, "Withdrawals are held while the account "
		    "is under compliance review", NULL, NULL);
	if (e != ERR_OK)
		return e;
	if (util_long(db_val(res, 0, 3), 0) >= cfg_int("withdraw_max_per_day", 10)) {
		details(c, out, "limit", arena_printf(c->arena, "%lld",
		    cfg_int("withdraw_max_per_day", 10)), "window", "24 hours",
		    NULL, NULL);
		return ERR_COMPLIANCE_002;
	}
	if (in->code_why != NULL)
		return refuse(c, out, ERR_AUTH_004, NULL, "twoFactorCode",
		    in->code_why);
	if ((sealed = db_bytea(c->arena, db_val(res, 0, 1), &len)) == NULL)
		return ERR_INTERNAL;
	if ((e = user_totp_check(c, c->actor->idtxt, c->actor->public_id, sealed,
	    len, in->code)) == ERR_AUTH_004)
		return refuse(c, out, e, NULL, "twoFactorCode", in->code == NULL ?
		    "required" : "wrong, or already used");
	return e;
}

/*
 * A blacklisted address: the account is held and staff alerted, in a
 * transaction of its own that commits although the request is refused.
 */
static enum err
blacklist_hit(struct ctx *c, struct wd_state *s, struct wd_out *out)
{
	struct json_object *det;
	struct alert_in al;
	const char *p[2];
	PGresult *res;
	enum err e;
	int created;

	if ((det = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(det, "withdrawalId", json_object_new_string(out->id));
	json_object_object_add(det, "userId",
	    json_object_new_string(c->actor->public_id));
	json_object_object_add(det, "asset", json_object_new_string(s->asset));
	json_object_object_add(det, "network", json_object_new_string(s->network));
	json_object_object_add(det, "amount", json_object_new_string(s->amount_s));
	json_object_object_add(det, "address", json_object_new_string(s->address));
	json_object_object_add(det, "outcome", json_object_new_string(
	    "refused (WALLET_006); withdrawals held"));
	memset(&al, 0, sizeof(al));
	al.user_id = c->actor->idtxt;
	al.severity = "CRITICAL";
	al.type = "BLACKLIST_HIT";
	al.risk_score = 100;
	al.subject = arena_printf(c->arena, "withdrawal:%s", out->id);
	al.details = det;
	if ((e = compliance_alert_raise(c, &al, out->alert_id, &created)) != ERR_OK)
		return e;
	p[0] = c->actor->idtxt;
	p[1] = out->alert_id;
	if ((e = q(c, ST_HOLD, p, &res)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		return e;
	log_info("withdrawal: %s asked to pay a blacklisted %s address; "
	    "withdrawals held, alert %s", c->actor->public_id, s->network,
	    out->alert_id);
	details(c, out, "field", "address", "network", s->network, NULL, NULL);
	out->message = "The address cannot be paid; withdrawals are held for "
	    "a compliance review";
	return ERR_WALLET_006;
}

static int
try_parse(const char *s, int64_t *v)
{
	return s != NULL && dec_parse(s, strlen(s), RISK_TRY_SCALE, v) == DEC_OK ?
	    0 : -1;
}

#define WD_NO_FUNDS	"Insufficient balance for this withdrawal and its fee"

/* Funds, then the limits in TRY: the day may be passed with approval, the month not. */
static enum err
check_money(struct ctx *c, struct wd_state *s, struct wd_out *out)
{
	char prec[8], ds[DEC_BUFSZ], us[DEC_BUFSZ];
	const char *p[4] = { c->actor->idtxt, s->asset, prec, s->total_s };
	int64_t total, cap, want;
	PGresult *res;
	enum err e;
	long pct;

	snprintf(prec, sizeof(prec), "%d", s->precision);
	if (dec_add(s->amount, s->fee, &total) != DEC_OK ||
	    dec_format(total, s->precision, s->total_s, sizeof(s->total_s)) < 0)
		return ERR_INTERNAL;
	if ((e = q(c, ST_BALANCE, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1 || strcmp(db_val(res, 0, 1), "t") != 0) {
		details(c, out, "required", s->total_s, "available",
		    PQntuples(res) == 1 ? db_val(res, 0, 0) : "0", "currency",
		    s->asset);
		out->message = WD_NO_FUNDS;
		return ERR_INSUFFICIENT_BALANCE;
	}
	p[1] = s->amount_s;
	p[2] = s->asset;
	if ((e = q(c, ST_LIMITS, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1 || try_parse(db_val(res, 0, 0), &s->daily) == -1 ||
	    try_parse(db_val(res, 0, 1), &s->monthly) == -1 ||
	    try_parse(db_val(res, 0, 2), &s->used_day) == -1 ||
	    try_parse(db_val(res, 0, 3), &s->used_month) == -1)
		return ERR_INTERNAL;
	s->over_threshold = db_val(res, 0, 5) != NULL &&
	    strcmp(db_val(res, 0, 5), "t") == 0;
	s->value_s = db_val(res, 0, 4) != NULL ?
	    arena_strdup(c->arena, db_val(res, 0, 4)) : NULL;
	if ((s->priced = s->value_s != NULL) && try_parse(s->value_s, &s->value) == -1)
		return ERR_INTERNAL;
	if (!s->priced)
		return ERR_OK;
	want = s->used_month + s->value;
	if (want > s->monthly) {
		dec_format(s->monthly, 2, ds, sizeof(ds));
		dec_format(s->used_month, 2, us, sizeof(us));
		details(c, out, "period", "MONTHLY", "limit", ds, "used", us);
		json_object_object_add(out->details, "requested",
		    json_object_new_string(s->value_s));
		json_object_object_add(out->details, "currency",
		    json_object_new_string("TRY"));
		out->message = "The withdrawal would pass the 30-day limit";
		return ERR_WALLET_002;
	}
	want = s->used_day + s->value;
	pct = (long)cfg_int("withdraw_limit_review_pct", 100);
	if (pct < 0)
		pct = 0;
	cap = (int64_t)((__int128)s->daily * (100 + pct) / 100);
	if (want > cap) {
		dec_format(s->daily, 2, ds, sizeof(ds));
		dec_format(s->used_day, 2, us, sizeof(us));
		details(c, out, "period", "DAILY", "limit", ds, "used", us);
		json_object_object_add(out->details, "requested",
		    json_object_new_string(s->value_s));
		json_object_object_add(out->details, "currency",
		    json_object_new_string("TRY"));
		out->message = "The withdrawal would pass the 24-hour limit by more "
		    "than staff may approve";
		return ERR_WALLET_002;
	}
	s->over_daily = want > s->daily;
	return ERR_OK;
}

/* The rules engine's word, and from it the status and approvals needed. */
static enum err
judge(struct ctx *c, struct wd_state *s, const char **status,
    const char **reasons, int *approvals)
{
	struct risk_facts f;
	char *r;
	enum err e;

	memset(&f, 0, sizeof(f));
	f.priced = s->priced;
	f.value = s->value;
	f.daily_limit = s->daily;
	f.used_day = s->used_day;
	if ((e = risk_facts_load(c, &s->rules, c->actor->idtxt, s->network,
	    s->address, &f)) != ERR_OK)
		return e;
	risk_score(&s->rules, &f, &s->risk);
	if ((r = arena_printf(c->arena, "%s%s%s%s",
	    s->over_daily ? "OVER_DAILY_LIMIT," : "",
	    (s->priced && s->value > s->rules.approval_try) ||
	    s->over_threshold ? "ABOVE_APPROVAL_THRESHOLD," : "",
	    !s->priced ? "NO_PRICE," : "",
	    s->risk.score >= s->rules.score_medium ? "RISK_SCORE," : "")) == NULL)
		return ERR_INTERNAL;
	if (r[0] != '\0')
		r[strlen(r) - 1] = '\0';
	*reasons = r;
	*status = r[0] != '\0' ? "PENDING_APPROVAL" : "PENDING_SIGNATURE";
	*approvals = r[0] == '\0' ? 0 :
	    s->priced && s->value > s->rules.dual_try ? 2 : 1;
	return ERR_OK;
}

/* HIGH or CRITICAL: an alert for staff, linked to the request. */
static enum err
alert(struct ctx *c, struct wd_state *s, struct wd_out *out)
{
	struct json_object *det;
	struct alert_in al;
	const char *p[2];
	PGresult *res;
	enum err e;
	int created;

	if (s->risk.score < s->rules.score_high)
		return ERR_OK;
	if ((det = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(det, "withdrawalId", json_object_new_string(out->id));
	json_object_object_add(det, "userId",
	    json_object_new_string(c->actor->public_id));
	json_object_object_add(det, "asset", json_object_new_string(s->asset));
	json_object_object_add(det, "network", json_object_new_string(s->network));
	json_object_object_add(det, "amount", json_object_new_string(s->amount_s));
	json_object_object_add(det, "address", json_object_new_string(s->address));
	json_object_object_add(det, "valueInTRY", json_str_or_null(s->value_s));
	json_object_object_add(det, "riskFactors", risk_factors_json(&s->risk));
	memset(&al, 0, sizeof(al));
	al.user_id = c->actor->idtxt;
	al.severity = s->risk.severity;
	al.type = risk_alert_type(&s->risk);
	al.risk_score = s->risk.score;
	al.subject = arena_printf(c->arena, "withdrawal:%s", out->id);
	al.details = det;
	if ((e = compliance_alert_raise(c, &al, out->alert_id, &created)) != ERR_OK)
		return e;
	p[0] = out->id;
	p[1] = out->alert_id;
	return q(c, ST_ALERT_LINK, p, &res);
}

/* Store the request and lock its funds, in the open transaction. */
static enum err
store(struct ctx *c, struct wd_state *s, const struct wd_in *in,
    struct wd_out *out)
{
	char score[8], appr[8], conf[16];
	const char *status, *reasons, *p[15];
	struct json_object *det;
	PGresult *res;
	int approvals;
	enum err e;

	if ((e = judge(c, s, &status, &reasons, &approvals)) != ERR_OK)
		return e;
	snprintf(score, sizeof(score), "%d", s->risk.score);
	snprintf(appr, sizeof(appr), "%d", approvals);
	snprintf(conf, sizeof(conf), "%d", s->confirmations);
	p[0] = out->id;
	p[1] = c->actor->idtxt;
	p[2] = s->asset;
	p[3] = s->network;
	p[4] = s->address;
	p[5] = in->memo;
	p[6] = s->amount_s;
	p[7] = s->fee_s;
	p[8] = s->value_s;
	p[9] = status;
	p[10] = score;
	p[11] = json_object_to_json_string_ext(json_own(c->arena,
	    risk_factors_json(&s->risk)), JSON_C_TO_STRING_PLAIN);
	p[12] = reasons;
	p[13] = appr;
	p[14] = conf;
	if ((e = q(c, ST_INSERT, p, &res)) != ERR_OK)
		return e;
	if ((e = wd_lock_funds(c, c->actor->idtxt, s->asset, s->amount_s,
	    s->fee_s, out->id)) != ERR_OK ||
	    (e = alert(c, s, out)) != ERR_OK)
		return e;
	if (strcmp(status, "PENDING_APPROVAL") != 0)
		return ERR_OK;
	/* Why it waits, in the audit log with the rest of the review. */
	if ((det = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(det, "withdrawalId", json_object_new_string(out->id));
	json_object_object_add(det, "riskScore", json_object_new_int(s->risk.score));
	json_object_object_add(det, "riskFactors", risk_factors_json(&s->risk));
	json_object_object_add(det, "approvalsRequired", json_object_new_int(approvals));
	json_object_object_add(det, "valueInTRY", json_str_or_null(s->value_s));
	if (out->alert_id[0] != '\0')
		json_object_object_add(det, "alertId",
		    json_object_new_string(out->alert_id));
	return audit_write(c, "WITHDRAWAL_REVIEW", c->actor, c->actor->idtxt,
	    out->id, "PENDING_APPROVAL", reasons, det);
}

enum err
withdrawal_request(struct ctx *c, const struct wd_in *in, struct wd_out *out)
{
	struct wd_state s;
	char state[8];
	const char *p[2];
	PGresult *res;
	enum err e;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	risk_load_rules(&s.rules);
	if (util_public_id("wdr_", out->id, sizeof(out->id)) == -1)
		return ERR_INTERNAL;
	if ((e = check_static(c, in, &s, out)) != ERR_OK)
		return e;
	if (c->actor->kyc_level < 2)
		return refuse(c, out, ERR_KYC_001, "Withdrawals need KYC LEVEL_2",
		    NULL, NULL);
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = check_user(c, in, &s, out)) != ERR_OK)
		goto fail;
	snprintf(out->email, sizeof(out->email), "%s", s.email);
	p[0] = s.network;
	p[1] = s.address;
	if ((e = q(c, ST_BLACKLISTED, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) > 0) {
		if ((e = blacklist_hit(c, &s, out)) != ERR_WALLET_006)
			goto fail;
		return e;
	}
	if ((e = check_money(c, &s, out)) != ERR_OK ||
	    (e = store(c, &s, in, out)) != ERR_OK)
		goto fail;
	p[0] = out->id;
	if ((e = q(c, ST_ONE, p, &out->row)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	log_info("withdrawal: %s %s %s by %s: %s, risk %d", out->id, s.amount_s,
	    s.asset, c->actor->public_id, db_val(out->row, 0, WD_C_STATUS),
	    s.risk.score);
	return ERR_OK;
fail:
	snprintf(state, sizeof(state), "%s", db_sqlstate(c->db));
	db_rollback(c->db);
	/*
	 * CHECK (available >= 0), the last line of defence, held: nothing
	 * gets here past the balance's lock, but should it, it is the same
	 * refusal.
	 */
	if (e == ERR_CONFLICT && strcmp(state, "23514") == 0) {
		log_error("withdrawal: %s: the balance's CHECK refused the lock",
		    out->id);
		details(c, out, "required", s.total_s, "currency", s.asset,
		    NULL, NULL);
		out->message = WD_NO_FUNDS;
		return ERR_INSUFFICIENT_BALANCE;
	}
	return e;
}

/* ---- the caller's list ------------------------------------------------------------ */

enum err
withdrawal_list(struct ctx *c, const struct wd_query *in, PGresult **rows,
    long long *total)
{
	const char *p[5] = { c->actor->idtxt, in->status, in->asset, in->limit,
	    in->offset };
	PGresult *cnt;
	enum err e;

	if ((e = q(c, ST_COUNT, p, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return q(c, in->oldest_first ? ST_PAGE_OLD : ST_PAGE_NEW, p, rows);
}
