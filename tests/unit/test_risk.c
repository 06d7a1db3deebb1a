/* tests/unit/test_risk.c — domain/risk's rules engine: each factor, the weights, severities, the alert type */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "domain/risk.h"
#include "tests/unit/tap.h"

#define TRY(x)	((int64_t)(x) * 100)

static struct risk_rules R;

/* An established user with history, withdrawing 1,000 TRY to a known address. */
static struct risk_facts
clean(void)
{
	struct risk_facts f;

	memset(&f, 0, sizeof(f));
	f.priced = 1;
	f.value = TRY(1000);
	f.daily_limit = TRY(100000);
	f.account_age_days = 400;
	f.prior_withdrawals = 4;
	f.largest_prior = TRY(2000);
	f.address_paid_before = 2;
	return f;
}

static int
has(const struct risk_result *res, enum risk_factor fac)
{
	size_t i;

	for (i = 0; i < res->nhits; i++)
		if (res->hits[i].f == fac)
			return 1;
	return 0;
}

static void
factors(void)
{
	struct risk_facts f;
	struct risk_result res;

	f = clean();
	risk_score(&R, &f, &res);
	ok(res.score == 0 && res.nhits == 0, "a clean withdrawal scores 0");
	is_str(res.severity, "LOW", "  LOW");
	ok(risk_alert_type(&res) == NULL, "  no alert type");

	/* §11.3: 1 BTC (1,850,000 TRY) against a daily limit of 0.5 BTC. */
	f = clean();
	f.value = TRY(1850000);
	f.daily_limit = TRY(925000);
	f.largest_prior = TRY(500000);
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_OVER_DAILY_LIMIT) && has(&res, RISK_VERY_LARGE_AMOUNT),
	    "over the daily limit and very large");
	ok(!has(&res, RISK_LARGE_AMOUNT), "  large counts once (the higher)");
	is_int(res.score, 70, "  40 + 30");
	is_str(res.severity, "HIGH", "  HIGH, as §11.3 rates it");
	is_str(risk_alert_type(&res), "LARGE_TRANSACTION", "  a LARGE_TRANSACTION alert");
	is_int(res.hits[0].f, RISK_OVER_DAILY_LIMIT, "  the heaviest first");
	ok(strstr(res.hits[0].detail, "925000.00 TRY") != NULL, "  the detail names the limit: %s",
	    res.hits[0].detail);

	f = clean();
	f.used_day = TRY(99500);
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_OVER_DAILY_LIMIT), "what was used today counts");
	f.used_day = TRY(99000);
	risk_score(&R, &f, &res);
	ok(!has(&res, RISK_OVER_DAILY_LIMIT), "  up to the limit exactly is within it");

	f = clean();
	f.value = TRY(50000);
	risk_score(&R, &f, &res);
	ok(!has(&res, RISK_LARGE_AMOUNT), "at the approval threshold: not large");
	f.value = TRY(50000) + 1;
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_LARGE_AMOUNT), "a kurus over: large");

	f = clean();
	f.value = TRY(10001);
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_UNUSUAL_AMOUNT), "over 5 times the largest earlier one");
	f.largest_prior = 0;
	risk_score(&R, &f, &res);
	ok(!has(&res, RISK_UNUSUAL_AMOUNT), "  no history: nothing to compare with");

	f = clean();
	f.structuring_count = 3;
	f.structuring_value = TRY(1200);
	f.quick_count = 3;
	f.quick_value = TRY(1200);
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_STRUCTURING) && !has(&res, RISK_QUICK_TURNAROUND),
	    "three deposits then 83%% of them out: structuring (turnaround not added)");
	is_str(risk_alert_type(&res), "STRUCTURING", "  a STRUCTURING alert");
	f.structuring_count = 2;
	risk_score(&R, &f, &res);
	ok(!has(&res, RISK_STRUCTURING) && has(&res, RISK_QUICK_TURNAROUND),
	    "two deposits: a quick turnaround, not structuring");
	f.quick_value = TRY(2001);
	risk_score(&R, &f, &res);
	ok(!has(&res, RISK_QUICK_TURNAROUND), "  under half of them out: nothing");

	f = clean();
	f.prior_withdrawals = 0;
	f.address_paid_before = 0;
	f.account_age_days = 2;
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_FIRST_WITHDRAWAL) && has(&res, RISK_NEW_ACCOUNT) &&
	    !has(&res, RISK_NEW_ADDRESS), "first withdrawal of a young account (not a new address too)");
	is_int(res.score, 25, "  10 + 15: LOW, goes straight on");
	f = clean();
	f.address_paid_before = 0;
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_NEW_ADDRESS), "an address never paid before");

	f = clean();
	f.address_other_users = 2;
	f.exchange_address = 1;
	f.withdrawals_day = 3;
	f.open_alerts = 1;
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_SHARED_ADDRESS) && has(&res, RISK_EXCHANGE_ADDRESS) &&
	    has(&res, RISK_VELOCITY) && has(&res, RISK_OPEN_ALERTS),
	    "shared address, our own address, velocity, open alerts");
	is_int(res.score, 70, "  20 + 15 + 15 + 20");
	f.withdrawals_day = 2;
	risk_score(&R, &f, &res);
	ok(!has(&res, RISK_VELOCITY), "  two earlier today: no velocity");

	f = clean();
	f.priced = 0;
	f.value = TRY(999999999);
	risk_score(&R, &f, &res);
	ok(has(&res, RISK_NO_PRICE) && !has(&res, RISK_LARGE_AMOUNT) &&
	    !has(&res, RISK_OVER_DAILY_LIMIT), "no price: worth unknown, no amount factors");

	f = clean();
	f.blacklisted = 1;
	f.value = TRY(1850000);
	f.daily_limit = TRY(1000);
	f.account_age_days = 1;
	risk_score(&R, &f, &res);
	is_int(res.score, 100, "blacklisted: 100 at most");
	is_str(res.severity, "CRITICAL", "  CRITICAL");
	is_str(risk_alert_type(&res), "BLACKLIST_HIT", "  a BLACKLIST_HIT alert");
}

static void
severities(void)
{
	is_str(risk_severity(&R, 39), "LOW", "39 LOW");
	is_str(risk_severity(&R, 40), "MEDIUM", "40 MEDIUM");
	is_str(risk_severity(&R, 69), "MEDIUM", "69 MEDIUM");
	is_str(risk_severity(&R, 70), "HIGH", "70 HIGH");
	is_str(risk_severity(&R, 84), "HIGH", "84 HIGH");
	is_str(risk_severity(&R, 85), "CRITICAL", "85 CRITICAL");
	is_str(risk_factor_name(RISK_STRUCTURING), "STRUCTURING", "factor names");
	is_str(risk_factor_name(RISK__COUNT), "UNKNOWN", "  out of range");
}

static void
as_json(void)
{
	struct risk_facts f = clean();
	struct risk_result res;
	struct json_object *a, *o, *v;

	f.value = TRY(60000);
	f.address_paid_before = 0;
	risk_score(&R, &f, &res);
	a = risk_factors_json(&res);
	ok(json_object_array_length(a) == 3, "three factors as JSON");
	o = json_object_array_get_idx(a, 0);
	ok(json_object_object_get_ex(o, "factor", &v) &&
	    strcmp(json_object_get_string(v), "LARGE_AMOUNT") == 0, "  the heaviest first");
	ok(json_object_object_get_ex(o, "points", &v) && json_object_get_int(v) == 20,
	    "  its points");
	ok(json_object_object_get_ex(o, "detail", &v) &&
	    strstr(json_object_get_string(v), "60000.00 TRY") != NULL, "  its detail");
	json_object_put(a);
}

/* Deposits: which are looked at, and each factor. */
static void
deposits(void)
{
	struct risk_deposit_facts f;
	struct risk_result res;

	is_int(R.deposit_review_try, TRY(50000), "deposit_review_try: 50000 TRY");
	ok(risk_deposit_scored(&R, TRY(50000)), "a deposit at the threshold is scored");
	ok(risk_deposit_scored(&R, TRY(40000)), "so is one just under it (80%%)");
	ok(!risk_deposit_scored(&R, TRY(39999)), "not one below that");
	memset(&f, 0, sizeof(f));
	f.value = TRY(60000);
	f.account_age_days = 400;
	f.prior_deposits = 5;
	f.largest_prior = TRY(40000);
	risk_score_deposit(&R, &f, &res);
	ok(res.score == 20 && has(&res, RISK_DEP_LARGE), "a large deposit of an "
	    "established user: LARGE_AMOUNT alone, 20");
	is_str(res.severity, "LOW", "  LOW: no alert");
	f.value = TRY(500000);
	risk_score_deposit(&R, &f, &res);
	ok(has(&res, RISK_DEP_VERY_LARGE) && !has(&res, RISK_DEP_LARGE) &&
	    has(&res, RISK_DEP_UNUSUAL) && res.score == 55,
	    "ten times the threshold, twelve times the largest: 30 + 25");
	is_str(risk_alert_type(&res), "LARGE_TRANSACTION", "  LARGE_TRANSACTION");
	f.value = TRY(45000);
	f.near_deposits = 3;
	f.account_age_days = 2;
	risk_score_deposit(&R, &f, &res);
	ok(has(&res, RISK_DEP_STRUCTURING) && has(&res, RISK_NEW_ACCOUNT) &&
	    res.score == 70, "three just under the threshold, young account: 55 + 15");
	is_str(res.severity, "HIGH", "  HIGH");
	is_str(risk_alert_type(&res), "STRUCTURING", "  a STRUCTURING alert");
	f.near_deposits = 0;
	f.window_deposits = 2;
	f.window_in = TRY(80000);
	f.window_out = TRY(40000);
	risk_score_deposit(&R, &f, &res);
	ok(has(&res, RISK_DEP_TURNOVER), "half of today's deposits out again: "
	    "QUICK_TURNAROUND");
	f.window_out = TRY(39999);
	risk_score_deposit(&R, &f, &res);
	ok(!has(&res, RISK_DEP_TURNOVER), "  not below risk_quick_pct");
	f.prior_deposits = 0;
	risk_score_deposit(&R, &f, &res);
	ok(has(&res, RISK_DEP_FIRST) && !has(&res, RISK_DEP_UNUSUAL),
	    "the first deposit is FIRST_DEPOSIT");
}

int
main(void)
{
	risk_load_rules(&R);
	is_int(R.approval_try, TRY(50000), "withdraw_approval_try: 50000 TRY by default");
	is_int(R.dual_try, TRY(500000), "withdraw_dual_approval_try: 500000 TRY");
	factors();
	severities();
	as_json();
	deposits();
	return done_testing();
}
