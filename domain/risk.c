/* domain/risk.c — the rules engine for withdrawals and large deposits: a score of 0-100 from named, explained factors */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/risk.h"

/*
 * What each factor weighs, and the alert type it raises when it weighs
 * most. The weights add up (at most 100): a large withdrawal over the
 * daily limit is 30 + 40 = 70, HIGH, as §11.3 rates it; a first small
 * one from a young account is 10 + 15, LOW, and goes straight on.
 */
static const struct {
	const char	*name;
	int		 points;
	const char	*alert_type;
} factors[RISK__COUNT] = {
	[RISK_BLACKLISTED]	= { "BLACKLISTED_ADDRESS", 100, "BLACKLIST_HIT" },
	[RISK_OVER_DAILY_LIMIT]	= { "OVER_DAILY_LIMIT", 40, "LARGE_TRANSACTION" },
	[RISK_VERY_LARGE_AMOUNT] = { "VERY_LARGE_AMOUNT", 30, "LARGE_TRANSACTION" },
	[RISK_LARGE_AMOUNT]	= { "LARGE_AMOUNT", 20, "LARGE_TRANSACTION" },
	[RISK_STRUCTURING]	= { "STRUCTURING", 30, "STRUCTURING" },
	[RISK_QUICK_TURNAROUND]	= { "QUICK_TURNAROUND", 15, "STRUCTURING" },
	[RISK_UNUSUAL_AMOUNT]	= { "UNUSUAL_AMOUNT", 20, "SUSPICIOUS_PATTERN" },
	[RISK_SHARED_ADDRESS]	= { "SHARED_ADDRESS", 20, "SUSPICIOUS_PATTERN" },
	[RISK_OPEN_ALERTS]	= { "OPEN_ALERTS", 20, "SUSPICIOUS_PATTERN" },
	[RISK_NEW_ACCOUNT]	= { "NEW_ACCOUNT", 15, "SUSPICIOUS_PATTERN" },
	[RISK_EXCHANGE_ADDRESS]	= { "EXCHANGE_ADDRESS", 15, "SUSPICIOUS_PATTERN" },
	[RISK_VELOCITY]		= { "VELOCITY", 15, "VELOCITY_EXCEEDED" },
	[RISK_FIRST_WITHDRAWAL]	= { "FIRST_WITHDRAWAL", 10, "SUSPICIOUS_PATTERN" },
	[RISK_NEW_ADDRESS]	= { "NEW_ADDRESS", 10, "SUSPICIOUS_PATTERN" },
	[RISK_NO_PRICE]		= { "NO_PRICE", 10, "SUSPICIOUS_PATTERN" },
	/*
	 * Deposits. A large one alone is 20 (LOW: no alert); with a young
	 * account and no history 50, MEDIUM; structuring or money turned
	 * straight round with a young account reaches HIGH.
	 */
	[RISK_DEP_STRUCTURING]	= { "STRUCTURING", 55, "STRUCTURING" },
	[RISK_DEP_TURNOVER]	= { "QUICK_TURNAROUND", 30, "STRUCTURING" },
	[RISK_DEP_VERY_LARGE]	= { "VERY_LARGE_AMOUNT", 30, "LARGE_TRANSACTION" },
	[RISK_DEP_LARGE]	= { "LARGE_AMOUNT", 20, "LARGE_TRANSACTION" },
	[RISK_DEP_UNUSUAL]	= { "UNUSUAL_AMOUNT", 25, "SUSPICIOUS_PATTERN" },
	[RISK_DEP_FIRST]	= { "FIRST_DEPOSIT", 15, "SUSPICIOUS_PATTERN" },
};

static long
setting(const char *key, long dflt, long min, long max)
{
	long long v = cfg_int(key, dflt);

	return v < min || v > max ? dflt : (long)v;
}

void
risk_load_rules(struct risk_rules *r)
{
	/* TRY settings are whole lira; kept in kuruş. */
	r->approval_try = (int64_t)setting("withdraw_approval_try", 50000, 0,
	    1000000000000L) * 100;
	r->dual_try = (int64_t)setting("withdraw_dual_approval_try", 500000, 0,
	    1000000000000L) * 100;
	r->score_medium = (int)setting("risk_score_medium", 40, 1, 100);
	r->score_high = (int)setting("risk_score_high", 70, 1, 100);
	r->score_critical = (int)setting("risk_score_critical", 85, 1, 100);
	r->new_account_days = setting("risk_new_account_days", 30, 0, 3650);
	r->unusual_multiple = setting("risk_unusual_multiple", 5, 1, 1000);
	r->structuring_hours = setting("risk_structuring_hours", 72, 1, 720);
	r->structuring_deposits = setting("risk_structuring_deposits", 3, 2, 1000);
	r->structuring_pct = setting("risk_structuring_pct", 80, 1, 1000);
	r->quick_hours = setting("risk_quick_hours", 24, 1, 720);
	r->quick_pct = setting("risk_quick_pct", 50, 1, 1000);
	r->velocity_count = setting("risk_velocity_count", 3, 1, 1000);
	r->deposit_review_try = (int64_t)setting("deposit_review_try", 50000, 1,
	    1000000000000L) * 100;
	r->deposit_near_pct = setting("deposit_structuring_pct", 80, 1, 99);
	r->deposit_hours = setting("deposit_structuring_hours", 24, 1, 720);
}

const char *
risk_severity(const struct risk_rules *r, int score)
{
	if (score >= r->score_critical)
		return "CRITICAL";
	if (score >= r->score_high)
		return "HIGH";
	if (score >= r->score_medium)
		return "MEDIUM";
	return "LOW";
}

const char *
risk_factor_name(enum risk_factor f)
{
	return f >= 0 && f < RISK__COUNT ? factors[f].name : "UNKNOWN";
}

/* TRY as text ("1850000.00"), into buf. */
static const char *
try_text(int64_t v, char *buf, size_t sz)
{
	if (dec_format(v, RISK_TRY_SCALE, buf, sz) < 0)
		snprintf(buf, sz, "?");
	return buf;
}

static void
hit(struct risk_result *res, enum risk_factor f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
hit(struct risk_result *res, enum risk_factor f, const char *fmt, ...)
{
	struct risk_hit *h = &res->hits[res->nhits++];
	va_list ap;

	h->f = f;
	h->points = factors[f].points;
	va_start(ap, fmt);
	vsnprintf(h->detail, sizeof(h->detail), fmt, ap);
	va_end(ap);
}

/* a >= b * pct / 100, without overflow. */
static int
at_least_pct(int64_t a, int64_t b, long pct)
{
	return (__int128)a * 100 >= (__int128)b * pct;
}

static int
hit_cmp(const void *x, const void *y)
{
	const struct risk_hit *a = x, *b = y;

	if (a->points != b->points)
		return b->points - a->points;
	return (int)a->f - (int)b->f;
}

/* Factors that need the withdrawal's worth in TRY. */
static void
score_value(const struct risk_rules *r, const struct risk_facts *f,
    struct risk_result *res)
{
	char a[DEC_BUFSZ], b[DEC_BUFSZ], c[DEC_BUFSZ];

	if (f->used_day + f->value > f->daily_limit)
		hit(res, RISK_OVER_DAILY_LIMIT, "%s TRY takes the last 24 hours to "
		    "%s TRY, over the daily limit of %s TRY",
		    try_text(f->value, a, sizeof(a)),
		    try_text(f->used_day + f->value, b, sizeof(b)),
		    try_text(f->daily_limit, c, sizeof(c)));
	if (f->value > r->dual_try)
		hit(res, RISK_VERY_LARGE_AMOUNT, "worth %s TRY, over %s TRY",
		    try_text(f->value, a, sizeof(a)),
		    try_text(r->dual_try, b, sizeof(b)));
	else if (f->value > r->approval_try)
		hit(res, RISK_LARGE_AMOUNT, "worth %s TRY, over %s TRY",
		    try_text(f->value, a, sizeof(a)),
		    try_text(r->approval_try, b, sizeof(b)));
	if (f->largest_prior > 0 &&
	    (__int128)f->value > (__int128)f->largest_prior * r->unusual_multiple)
		hit(res, RISK_UNUSUAL_AMOUNT, "%s TRY is more than %ld times the "
		    "largest earlier withdrawal (%s TRY)",
		    try_text(f->value, a, sizeof(a)), r->unusual_multiple,
		    try_text(f->largest_prior, b, sizeof(b)));
	/* Many deposits, then most of their worth out: structuring. */
	if (f->structuring_count >= r->structuring_deposits &&
	    f->structuring_value > 0 &&
	    at_least_pct(f->value, f->structuring_value, r->structuring_pct))
		hit(res, RISK_STRUCTURING, "%ld deposits worth %s TRY in the last "
		    "%ld hours, then %s TRY out", f->structuring_count,
		    try_text(f->structuring_value, a, sizeof(a)),
		    r->structuring_hours, try_text(f->value, b, sizeof(b)));
	else if (f->quick_count > 0 && f->quick_value > 0 &&
	    at_least_pct(f->value, f->quick_value, r->quick_pct))
		hit(res, RISK_QUICK_TURNAROUND, "deposits worth %s TRY in the last "
		    "%ld hours, then %s TRY out",
		    try_text(f->quick_value, a, sizeof(a)), r->quick_hours,
		    try_text(f->value, b, sizeof(b)));
}

/* The hits, heaviest first, summed to the score (at most 100). */
static void
score_total(const struct risk_rules *r, struct risk_result *res)
{
	size_t i;
	int sum = 0;

	qsort(res->hits, res->nhits, sizeof(res->hits[0]), hit_cmp);
	for (i = 0; i < res->nhits; i++)
		sum += res->hits[i].points;
	res->score = sum > 100 ? 100 : sum;
	res->severity = risk_severity(r, res->score);
}

void
risk_score(const struct risk_rules *r, const struct risk_facts *f,
    struct risk_result *res)
{
	memset(res, 0, sizeof(*res));
	if (f->blacklisted)
		hit(res, RISK_BLACKLISTED, "the address is on the withdrawal "
		    "blacklist");
	if (f->priced)
		score_value(r, f, res);
	else
		hit(res, RISK_NO_PRICE, "the asset has no TRY price: its worth "
		    "and the limits cannot be checked");
	if (f->address_other_users > 0)
		hit(res, RISK_SHARED_ADDRESS, "%ld other account%s withdrew to "
		    "this address", f->address_other_users,
		    f->address_other_users == 1 ? "" : "s");
	if (f->open_alerts > 0)
		hit(res, RISK_OPEN_ALERTS, "%ld unsettled HIGH or CRITICAL "
		    "compliance alert%s", f->open_alerts,
		    f->open_alerts == 1 ? "" : "s");
	if (f->account_age_days < r->new_account_days)
		hit(res, RISK_NEW_ACCOUNT, "the account is %ld day%s old (under "
		    "%ld)", f->account_age_days,
		    f->account_age_days == 1 ? "" : "s", r->new_account_days);
	if (f->exchange_address)
		hit(res, RISK_EXCHANGE_ADDRESS, "the address is a deposit address "
		    "of this exchange");
	if (f->withdrawals_day >= r->velocity_count)
		hit(res, RISK_VELOCITY, "%ld earlier withdrawals in the last 24 "
		    "hours", f->withdrawals_day);
	if (f->prior_withdrawals == 0)
		hit(res, RISK_FIRST_WITHDRAWAL, "the account's first withdrawal");
	else if (f->address_paid_before == 0)
		hit(res, RISK_NEW_ADDRESS, "no earlier withdrawal of the account "
		    "went to this address");
	score_total(r, res);
}

int
risk_deposit_scored(const struct risk_rules *r, int64_t value)
{
	return at_least_pct(value, r->deposit_review_try, r->deposit_near_pct);
}

/* Deposits in the window, the near ones among them: structuring or not. */
static void
score_deposit_pattern(const struct risk_rules *r,
    const struct risk_deposit_facts *f, struct risk_result *res)
{
	char a[DEC_BUFSZ], b[DEC_BUFSZ];

	if (f->near_deposits >= r->structuring_deposits)
		hit(res, RISK_DEP_STRUCTURING, "%ld deposits in %ld hours each "
		    "just under the review threshold of %s TRY (at least %ld%% "
		    "of it)", f->near_deposits, r->deposit_hours,
		    try_text(r->deposit_review_try, a, sizeof(a)),
		    r->deposit_near_pct);
	if (f->window_deposits > 0 && f->window_in > 0 &&
	    at_least_pct(f->window_out, f->window_in, r->quick_pct))
		hit(res, RISK_DEP_TURNOVER, "deposits worth %s TRY in the last "
		    "%ld hours, and %s TRY withdrawn in them: in and straight out",
		    try_text(f->window_in, a, sizeof(a)), r->deposit_hours,
		    try_text(f->window_out, b, sizeof(b)));
}

void
risk_score_deposit(const struct risk_rules *r,
    const struct risk_deposit_facts *f, struct risk_result *res)
{
	char a[DEC_BUFSZ], b[DEC_BUFSZ];

	memset(res, 0, sizeof(*res));
	score_deposit_pattern(r, f, res);
	if ((__int128)f->value >= (__int128)r->deposit_review_try * 10)
		hit(res, RISK_DEP_VERY_LARGE, "worth %s TRY, ten times the review "
		    "threshold of %s TRY or more", try_text(f->value, a, sizeof(a)),
		    try_text(r->deposit_review_try, b, sizeof(b)));
	else if (f->value >= r->deposit_review_try)
		hit(res, RISK_DEP_LARGE, "worth %s TRY, at least the review "
		    "threshold of %s TRY", try_text(f->value, a, sizeof(a)),
		    try_text(r->deposit_review_try, b, sizeof(b)));
	if (f->prior_deposits == 0)
		hit(res, RISK_DEP_FIRST, "the account's first deposit");
	else if (f->largest_prior > 0 && (__int128)f->value >
	    (__int128)f->largest_prior * r->unusual_multiple)
		hit(res, RISK_DEP_UNUSUAL, "%s TRY is more than %ld times the "
		    "largest earlier deposit (%s TRY)",
		    try_text(f->value, a, sizeof(a)), r->unusual_multiple,
		    try_text(f->largest_prior, b, sizeof(b)));
	if (f->open_alerts > 0)
		hit(res, RISK_OPEN_ALERTS, "%ld unsettled HIGH or CRITICAL "
		    "compliance alert%s", f->open_alerts,
		    f->open_alerts == 1 ? "" : "s");
	if (f->account_age_days < r->new_account_days)
		hit(res, RISK_NEW_ACCOUNT, "the account is %ld day%s old (under "
		    "%ld)", f->account_age_days,
		    f->account_age_days == 1 ? "" : "s", r->new_account_days);
	score_total(r, res);
}

const char *
risk_alert_type(const struct risk_result *res)
{
	return res->nhits > 0 ? factors[res->hits[0].f].alert_type : NULL;
}

struct json_object *
risk_factors_json(const struct risk_result *res)
{
	struct json_object *a = json_object_new_array(), *o;
	size_t i;

	for (i = 0; i < res->nhits; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "factor", json_object_new_string(
		    factors[res->hits[i].f].name));
		json_object_object_add(o, "points",
		    json_object_new_int(res->hits[i].points));
		json_object_object_add(o, "detail",
		    json_object_new_string(res->hits[i].detail));
		json_object_array_add(a, o);
	}
	return a;
}

/* ---- the facts, from the database ----------------------------------------- */

#define NOT_UNDONE	" AND w.status NOT IN ('REJECTED', 'FAILED')"
/* Deposits credited in the last $N hours: how many, and their worth in TRY. */
#define DEPOSITS_SINCE(n) \
	" (SELECT count(*) || ' ' || round(coalesce(sum(l.delta_available" \
	"  * coalesce(asset_price_try(l.asset), 0)), 0), 2) FROM ledger l" \
	"  WHERE l.user_id = u.id AND l.kind = 'DEPOSIT'" \
	"  AND l.created_at > now() - make_interval(hours => $" n "::int))"

enum { ST_FACTS, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_FACTS] = { "risk_facts",
	  "SELECT floor(extract(epoch FROM now() - u.created_at) / 86400)::bigint,"
	  " (SELECT count(*) FROM withdrawals w WHERE w.user_id = u.id" NOT_UNDONE "),"
	  " (SELECT coalesce(max(w.value_try), 0) FROM withdrawals w"
	  "  WHERE w.user_id = u.id AND w.status = 'COMPLETED'),"
	  " (SELECT count(*) FROM withdrawals w WHERE w.user_id = u.id"
	  "  AND w.network = $2 AND w.address = $3 AND w.status = 'COMPLETED'),"
	  " (SELECT count(DISTINCT w.user_id) FROM withdrawals w"
	  "  WHERE w.user_id <> u.id AND w.network = $2 AND w.address = $3" NOT_UNDONE "),"
	  " EXISTS (SELECT 1 FROM deposit_addresses d WHERE d.network = $2"
	  "  AND d.address = $3),"
	  DEPOSITS_SINCE("4") "," DEPOSITS_SINCE("5") ","
	  " (SELECT count(*) FROM withdrawals w WHERE w.user_id = u.id"
	  "  AND w.created_at > now() - interval '24 hours'" NOT_UNDONE "),"
	  " (SELECT count(*) FROM compliance_alerts a WHERE a.user_id = u.id"
	  "  AND a.severity IN ('HIGH', 'CRITICAL')"
	  "  AND a.resolution IN ('NEW', 'UNDER_REVIEW', 'ESCALATED'))"
	  " FROM users u WHERE u.id = $1", 5 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "risk statements");

/* "count value" as two numbers: 0 or -1. */
static int
count_value(const char *s, long *count, int64_t *value)
{
	const char *sp;

	if (s == NULL || (sp = strchr(s, ' ')) == NULL)
		return -1;
	*count = util_long(s, 0);
	return dec_parse(sp + 1, strlen(sp + 1), RISK_TRY_SCALE, value) ==
	    DEC_OK ? 0 : -1;
}

enum err
risk_facts_load(struct ctx *c, const struct risk_rules *r, const char *user_id,
    const char *network, const char *address, struct risk_facts *f)
{
	char sh[16], qh[16];
	const char *p[5] = { user_id, network, address, sh, qh };
	PGresult *res;
	enum err e;

	snprintf(sh, sizeof(sh), "%ld", r->structuring_hours);
	snprintf(qh, sizeof(qh), "%ld", r->quick_hours);
	if ((e = db_query(c->db, c->arena, &stmts[ST_FACTS], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	f->account_age_days = util_long(db_val(res, 0, 0), 0);
	f->prior_withdrawals = util_long(db_val(res, 0, 1), 0);
	if (dec_parse(db_val(res, 0, 2), strlen(db_val(res, 0, 2)),
	    RISK_TRY_SCALE, &f->largest_prior) != DEC_OK)
		return ERR_INTERNAL;
	f->address_paid_before = util_long(db_val(res, 0, 3), 0);
	f->address_other_users = util_long(db_val(res, 0, 4), 0);
	f->exchange_address = strcmp(db_val(res, 0, 5), "t") == 0;
	if (count_value(db_val(res, 0, 6), &f->structuring_count,
	    &f->structuring_value) == -1 ||
	    count_value(db_val(res, 0, 7), &f->quick_count, &f->quick_value) == -1)
		return ERR_INTERNAL;
	f->withdrawals_day = util_long(db_val(res, 0, 8), 0);
	f->open_alerts = util_long(db_val(res, 0, 9), 0);
	return ERR_OK;
}
