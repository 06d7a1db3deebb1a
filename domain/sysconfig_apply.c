/* domain/sysconfig_apply.c — where each live setting is kept and read: a change written through to the table its service reads, and the value in effect before it */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/input.h"
#include "core/util.h"
#include "domain/fiat.h"
#include "domain/fiat_withdraw.h"
#include "domain/sysconfig.h"

/*
 * A key with a table of its own is written there, in the transaction of
 * its version, history and audit rows, and every service goes on reading
 * that table: a market's fees (markets, read by the order service's copy
 * of the market and by the matcher before each batch), an asset's
 * withdrawal fee (its default network's row of asset_networks, read by
 * each request), a KYC level's limits (kyc_level_limits, read in SQL by
 * every withdrawal and order). The others are kept in system_config
 * itself: maintenance_mode, rate_limit_scale and the TRY withdrawal fee
 * through each process's copy (core/liveconf.c), the withdrawal
 * thresholds by the withdrawal's own statement.
 */
enum {
	ST_OWN, ST_FEE_GET, ST_FEE_SET, ST_ASSET, ST_WFEE_GET, ST_WFEE_SET,
	ST_KYC_GET, ST_KYC_SET, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_OWN] = { "syscfg_own",
	  "SELECT value FROM system_config WHERE key = $1", 1 },
	[ST_FEE_GET] = { "syscfg_fee_get",
	  "SELECT trim_scale(CASE WHEN $2 = 'maker' THEN maker_fee"
	  " ELSE taker_fee END)::text FROM markets WHERE symbol = $1"
	  " FOR UPDATE", 2 },
	[ST_FEE_SET] = { "syscfg_fee_set",
	  "UPDATE markets SET"
	  " maker_fee = CASE WHEN $2 = 'maker' THEN $3::numeric ELSE maker_fee END,"
	  " taker_fee = CASE WHEN $2 = 'taker' THEN $3::numeric ELSE taker_fee END,"
	  " updated_at = now() WHERE symbol = $1", 3 },
	/* The asset's precision, and whether it moves on a blockchain. */
	[ST_ASSET] = { "syscfg_asset",
	  "SELECT a.precision, EXISTS (SELECT 1 FROM asset_networks n"
	  " WHERE n.asset = a.code) FROM assets a WHERE a.code = $1", 1 },
	/* The network a request that names none goes on. */
	[ST_WFEE_GET] = { "syscfg_wfee_get",
	  "SELECT trim_scale(withdraw_fee)::text FROM asset_networks"
	  " WHERE asset = $1 AND is_default FOR UPDATE", 1 },
	[ST_WFEE_SET] = { "syscfg_wfee_set",
	  "UPDATE asset_networks SET withdraw_fee = $2::numeric,"
	  " updated_at = now() WHERE asset = $1 AND is_default", 2 },
	[ST_KYC_GET] = { "syscfg_kyc_get",
	  "SELECT round(daily_withdrawal, 2)::text,"
	  " round(monthly_withdrawal, 2)::text, round(daily_trading, 2)::text"
	  " FROM kyc_level_limits WHERE level = $1::smallint FOR UPDATE", 1 },
	[ST_KYC_SET] = { "syscfg_kyc_set",
	  "UPDATE kyc_level_limits SET"
	  " daily_withdrawal = CASE WHEN $2 = 'dailyWithdrawal' THEN $3::numeric"
	  "  ELSE daily_withdrawal END,"
	  " monthly_withdrawal = CASE WHEN $2 = 'monthlyWithdrawal' THEN $3::numeric"
	  "  ELSE monthly_withdrawal END,"
	  " daily_trading = CASE WHEN $2 = 'dailyTrading' THEN $3::numeric"
	  "  ELSE daily_trading END WHERE level = $1::smallint", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "sysconfig_apply statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

static enum err
refuse(struct in_err *ie, const char *field, const char *reason)
{
	ie->field = field;
	ie->reason = reason;
	return ERR_INVALID_REQUEST;
}

/*
 * key is prefix + a [+ "." b]: a into buf, *b after its dot (NULL when
 * there is none). sysconfig_check() has judged the shape already.
 */
static void
key_parts(const char *key, const char *prefix, char *buf, size_t sz,
    const char **b)
{
	const char *a = key + strlen(prefix), *dot = strchr(a, '.');
	size_t n = dot != NULL ? (size_t)(dot - a) : strlen(a);

	snprintf(buf, sz, "%.*s", (int)(n < sz ? n : sz - 1), a);
	*b = dot != NULL ? dot + 1 : NULL;
}

/* The row of system_config: the home of the keys without a table. */
static enum err
own_value(struct ctx *c, const char *key, const char **old)
{
	const char *p[1] = { key };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_OWN, p, &res)) != ERR_OK)
		return e;
	*old = PQntuples(res) == 1 ? db_val(res, 0, 0) : NULL;
	return ERR_OK;
}

static enum err
market_fee(struct ctx *c, const char *key, const char *value, const char **old,
    struct in_err *ie)
{
	char sym[32];
	const char *p[3] = { sym, NULL, value };
	PGresult *res;
	enum err e;

	key_parts(key, "market_fee.", sym, sizeof(sym), &p[1]);
	if ((e = q(c, ST_FEE_GET, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return refuse(ie, "key", "no such market");
	*old = db_val(res, 0, 0);
	return q(c, ST_FEE_SET, p, &res);
}

/* An amount of the asset: within its precision and what its code holds. */
static enum err
asset_amount(struct ctx *c, const char *asset, const char *value, int *moves,
    struct in_err *ie)
{
	const char *p[1] = { asset };
	PGresult *res;
	int64_t v;
	enum err e;
	int prec, rc;

	if ((e = q(c, ST_ASSET, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return refuse(ie, "key", "no such asset");
	prec = (int)util_long(db_val(res, 0, 0), 0);
	*moves = strcmp(db_val(res, 0, 1), "t") == 0;
	if (strcmp(value, "none") == 0)
		return ERR_OK;
	rc = dec_parse(value, strlen(value), prec, &v);
	if (rc == DEC_EPRECISION)
		return refuse(ie, "value", arena_printf(c->arena,
		    "at most %d decimals for %s", prec, asset));
	if (rc != DEC_OK)
		return refuse(ie, "value", "too large");
	return ERR_OK;
}

static enum err
withdrawal_fee(struct ctx *c, const char *key, const char *value,
    const char **old, struct in_err *ie)
{
	char asset[32];
	const char *p[2] = { asset, value }, *none;
	PGresult *res;
	enum err e;
	int moves;

	key_parts(key, "withdrawal_fee.", asset, sizeof(asset), &none);
	if ((e = asset_amount(c, asset, value, &moves, ie)) != ERR_OK)
		return e;
	/* TRY leaves by bank transfer: its fee is kept here, over hzm.conf's. */
	if (strcmp(asset, FIAT_ASSET) == 0) {
		if ((e = own_value(c, key, old)) != ERR_OK)
			return e;
		if (*old == NULL)
			*old = cfg_get("fiat_withdraw_fee", FIAT_WITHDRAW_FEE);
		return ERR_OK;
	}
	if (!moves)
		return refuse(ie, "key", "the asset is not withdrawn");
	if ((e = q(c, ST_WFEE_GET, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return refuse(ie, "key", "the asset has no default network");
	*old = db_val(res, 0, 0);
	return q(c, ST_WFEE_SET, p, &res);
}

static enum err
withdrawal_threshold(struct ctx *c, const char *key, const char *value,
    const char **old, struct in_err *ie)
{
	char asset[32];
	const char *none;
	enum err e;
	int moves;

	key_parts(key, "withdrawal_threshold.", asset, sizeof(asset), &none);
	if ((e = asset_amount(c, asset, value, &moves, ie)) != ERR_OK)
		return e;
	if (!moves)
		return refuse(ie, "key", "only crypto withdrawals wait for review; "
		    "the asset has none");
	if ((e = own_value(c, key, old)) == ERR_OK && *old == NULL)
		*old = "none";
	return e;
}

/* TRY at 2 decimals (sysconfig_check() kept it to 15 digits before them). */
static int64_t
try_units(const char *s)
{
	int64_t v;

	return s != NULL && dec_parse(s, strlen(s), 2, &v) == DEC_OK ? v : -1;
}

static enum err
kyc_limit(struct ctx *c, const char *key, const char *value, const char **old,
    struct in_err *ie)
{
	char level[16], digit[2];
	const char *p[3] = { digit, NULL, value };
	PGresult *res;
	int64_t daily, monthly, v = try_units(value);
	enum err e;

	key_parts(key, "kyc_limit.", level, sizeof(level), &p[1]);
	snprintf(digit, sizeof(digit), "%c", level[6]);
	if ((e = q(c, ST_KYC_GET, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return refuse(ie, "key", "no such KYC level");
	daily = try_units(db_val(res, 0, 0));
	monthly = try_units(db_val(res, 0, 1));
	if (strcmp(p[1], "dailyWithdrawal") == 0) {
		*old = db_val(res, 0, 0);
		if (v > monthly)
			return refuse(ie, "value", arena_printf(c->arena, "above "
			    "the level's monthlyWithdrawal (%s)", db_val(res, 0, 1)));
	} else if (strcmp(p[1], "monthlyWithdrawal") == 0) {
		*old = db_val(res, 0, 1);
		if (v < daily)
			return refuse(ie, "value", arena_printf(c->arena, "below "
			    "the level's dailyWithdrawal (%s)", db_val(res, 0, 0)));
	} else
		*old = db_val(res, 0, 2);
	return q(c, ST_KYC_SET, p, &res);
}

enum err
sysconfig_apply(struct ctx *c, const char *key, const char *value,
    const char **old, struct in_err *ie)
{
	*old = NULL;
	if (strncmp(key, "market_fee.", 11) == 0)
		return market_fee(c, key, value, old, ie);
	if (strncmp(key, "withdrawal_fee.", 15) == 0)
		return withdrawal_fee(c, key, value, old, ie);
	if (strncmp(key, "withdrawal_threshold.", 21) == 0)
		return withdrawal_threshold(c, key, value, old, ie);
	if (strncmp(key, "kyc_limit.", 10) == 0)
		return kyc_limit(c, key, value, old, ie);
	return own_value(c, key, old);
}
