/* tests/unit/test_trade_math.c — domain/trade_math: the arithmetic that keeps locks sufficient, the lock rule, the band, the minimums, the ticker's change */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/trade_math.h"
#include "tests/unit/fixture.h"
#include "tests/unit/tap.h"

#define ROUNDS	20000

static struct market
usdttry(void)
{
	struct market m = fx_btctry();

	snprintf(m.symbol, sizeof(m.symbol), "USDTTRY");
	snprintf(m.base, sizeof(m.base), "USDT");
	m.price_scale = 4;
	m.qty_scale = 2;
	m.base_scale = 6;
	return m;
}

static struct market
ethbtc(void)
{
	struct market m = fx_btctry();

	snprintf(m.symbol, sizeof(m.symbol), "ETHBTC");
	snprintf(m.base, sizeof(m.base), "ETH");
	snprintf(m.quote, sizeof(m.quote), "BTC");
	m.price_scale = 8;
	m.qty_scale = 8;
	m.base_scale = 8;
	m.quote_scale = 8;
	return m;
}

static void
test_amounts(void)
{
	struct market m = fx_btctry(), u = usdttry();
	int64_t v;

	/* Spec §11.2: 0.005 BTC at 1,850,000.00 is 9,250.00 TRY. */
	ok(trade_quote_amount(&m, 185000000, 500000, &v) == 0 && v == 925000,
	    "quote amount of 0.005 BTC at 1850000.00 is 9250.00");
	ok(trade_fee(&m, 925000, 0, &v) == 0 && v == 1850,
	    "taker fee 0.2%% of 9250.00 is 18.50");
	ok(trade_fee(&m, 925000, 1, &v) == 0 && v == 925,
	    "maker fee 0.1%% of 9250.00 is 9.25");
	/* 0.00000001 BTC at 1850000.01: 0.0185000001 TRY, rounded down. */
	ok(trade_quote_amount(&m, 185000001, 1, &v) == 0 && v == 1,
	    "a fill's quote amount is rounded down (0.0185 -> 0.01)");
	ok(trade_fee(&m, 999, 0, &v) == 0 && v == 1,
	    "a fee is rounded down (0.01998 -> 0.01)");
	ok(trade_fee(&m, 49, 0, &v) == 0 && v == 0,
	    "a fee below the precision is nothing");
	/* Spec's limit example: 0.01 at 1,850,000.00 = 18,500 + 37 fee. */
	ok(trade_buy_lock(&m, 185000000, 1000000, &v) == 0 && v == 1853700,
	    "limit buy lock: 18500.00 + 37.00");
	ok(trade_buy_lock(&m, 101, 1, &v) == 0 && v == 2,
	    "limit buy lock rounds up: 0.0000000101 -> 0.01, fee 0.01");
	ok(trade_base_amount(&u, 150, &v) == 0 && v == 1500000,
	    "1.50 USDT lots are 1.500000 USDT");
	ok(trade_buy_lock(&m, INT64_MAX / 2, INT64_MAX / 2, &v) == -1,
	    "an impossible lock is refused, not wrapped");
}

/*
 * Whatever a limit buy's fills are (prices at or below its limit, any
 * split, maker or taker), what they spend never exceeds its lock.
 */
static void
test_lock_covers_fills(void)
{
	struct market ms[3] = { fx_btctry(), usdttry(), ethbtc() };
	uint64_t s = 42;
	int round, bad = 0, k;

	for (round = 0; round < ROUNDS; round++) {
		const struct market *m = &ms[round % 3];
		int64_t limit = fx_between(&s, 1, 300000000);
		int64_t qty = fx_between(&s, 1, 5000000);
		int64_t lock, left, spent = 0, take, p, quote, fee;

		if (trade_buy_lock(m, limit, qty, &lock) == -1)
			continue;
		for (left = qty; left > 0; left -= take) {
			take = fx_between(&s, 1, left < 3 ? left : left / 3 + 1);
			if (take > left)
				take = left;
			p = fx_between(&s, limit > 1000 ? limit - 1000 : 1, limit);
			k = (int)(fx_rnd(&s) & 1);
			if (trade_quote_amount(m, p, take, &quote) == -1 ||
			    trade_fee(m, quote, k, &fee) == -1) {
				bad++;
				break;
			}
			spent += quote + fee;
		}
		if (spent > lock) {
			char b[128];

			snprintf(b, sizeof(b), "round %d: spent %lld > lock %lld",
			    round, (long long)spent, (long long)lock);
			diag(b);
			bad++;
		}
	}
	is_int(bad, 0, "%d random limit buys: fills never exceed the lock",
	    ROUNDS);
}

/*
 * The fee a buy pays when the market's rates change while it rests:
 * never more than its lock covers, whatever the new rates and the fills;
 * while the rates stay as they were, the plain fee.
 */
static void
test_buy_fee_changed(void)
{
	struct market ms[3] = { fx_btctry(), usdttry(), ethbtc() };
	uint64_t s = 4242;
	int round, bad = 0, capped = 0, plain = 0, k;
	int64_t v;

	/* 0.01 BTC at 1,850,000.00 locked at 0.2%%: 18,537.00. */
	ok(trade_buy_fee(&ms[0], 1850000, 0, 185000000, 1000000, 1853700,
	    &v) == 0 && v == 3700, "the rate the lock was made at: 37.00");
	ms[0].taker_fee = 5000;
	ok(trade_buy_fee(&ms[0], 1850000, 0, 185000000, 1000000, 1853700,
	    &v) == 0 && v == 3700, "raised to 0.5%%: still the 0.2%% it covers");
	ms[0].taker_fee = 500;
	ok(trade_buy_fee(&ms[0], 1850000, 0, 185000000, 1000000, 1853700,
	    &v) == 0 && v == 925, "lowered to 0.05%%: 9.25");
	ok(trade_buy_fee(&ms[0], 1850000, 0, 0, 0, 0, &v) == 0 && v == 925,
	    "a market buy: the rate now");
	ms[0].taker_fee = 2000;

	for (round = 0; round < ROUNDS; round++) {
		struct market m = ms[round % 3];
		int64_t limit = fx_between(&s, 1, 300000000);
		int64_t qty = fx_between(&s, 1, 5000000);
		int64_t lock, left, spent = 0, take, p, quote, fee, want;
		int changed = 0;

		if (trade_buy_lock(&m, limit, qty, &lock) == -1)
			continue;
		for (left = qty; left > 0; left -= take) {
			/* Now and then the operator sets new rates. */
			if ((fx_rnd(&s) & 3) == 0) {
				m.maker_fee = fx_between(&s, 0, 99999);
				m.taker_fee = fx_between(&s, 0, 99999);
				changed = 1;
			}
			take = fx_between(&s, 1, left < 3 ? left : left / 3 + 1);
			if (take > left)
				take = left;
			p = fx_between(&s, limit > 1000 ? limit - 1000 : 1, limit);
			k = (int)(fx_rnd(&s) & 1);
			if (trade_quote_amount(&m, p, take, &quote) == -1 ||
			    trade_buy_fee(&m, quote, k, limit, left, lock - spent,
			    &fee) == -1 || trade_fee(&m, quote, k, &want) == -1) {
				bad++;
				break;
			}
			if (!changed && fee != want)
				plain++;
			capped += fee < want;
			spent += quote + fee;
		}
		if (spent > lock)
			bad++;
	}
	is_int(bad, 0, "%d random limit buys, rates changed as they fill: "
	    "fills never exceed the lock", ROUNDS);
	is_int(plain, 0, "rates unchanged: the plain fee on every fill");
	ok(capped > 0, "raised rates were capped (%d fills)", capped);
}

/* The exact cost bound the engine relies on, in 128 bits. */
static int
affordable_ok(const struct market *m, const struct trade_level *lv, size_t n,
    int64_t budget, int64_t lots)
{
	int64_t left = lots, take, quote, fee, spent = 0;
	size_t i;

	for (i = 0; i < n && left > 0; i++) {
		take = lv[i].qty < left ? lv[i].qty : left;
		/* Worst split: one lot per fill maximises nothing here since
		 * rounding is down; one fill per level is the real case. */
		if (trade_quote_amount(m, lv[i].price, take, &quote) == -1 ||
		    trade_fee(m, quote, 0, &fee) == -1)
			return 0;
		spent += quote + fee;
		left -= take;
	}
	return left == 0 && spent <= budget;
}

static void
test_affordable(void)
{
	struct market m = fx_btctry();
	struct trade_level lv[3] = {
		{ 185000000, 500000 },		/* 0.005 at 1,850,000.00 */
		{ 186000000, 1000000 },		/* 0.01 at 1,860,000.00 */
		{ 190000000, 100000000 },	/* 1 at 1,900,000.00 */
	};
	struct trade_level rl[8];
	int64_t lots, cost, got, budget;
	int depth, round, bad = 0, notmax = 0;
	uint64_t s = 7;
	size_t n, i;

	ok(trade_affordable(&m, lv, 3, 926850, INT64_MAX, &lots, &depth) == 0 &&
	    lots == 500000 && !depth,
	    "9268.50 TRY buys exactly the first 0.005 BTC with its fee");
	ok(trade_affordable(&m, lv, 3, 926849, INT64_MAX, &lots, &depth) == 0 &&
	    lots == 499999, "one kurus less buys one lot less");
	ok(trade_affordable(&m, lv, 3, 100000000000, 700000, &lots, &depth) == 0 &&
	    lots == 700000 && !depth, "a quantity cap is kept");
	ok(trade_affordable(&m, lv, 1, 100000000000, 700000, &lots, &depth) == 0 &&
	    lots == 500000 && depth, "running out of levels is reported");
	ok(trade_affordable(&m, lv, 3, 0, 700000, &lots, &depth) == 0 &&
	    lots == 0, "no budget, nothing");
	ok(trade_cost(&m, lv, 3, 1500000, &cost, &got) == 0 && got == 1500000 &&
	    cost == 925000 + 1860000 + 1850 + 3720,
	    "cost of 0.015 BTC across two levels with the taker fee");
	ok(trade_cost(&m, lv, 1, 1500000, &cost, &got) == 0 && got == 500000,
	    "cost reports what the levels hold");

	for (round = 0; round < ROUNDS; round++) {
		n = (size_t)fx_between(&s, 1, 8);
		for (i = 0; i < n; i++) {
			rl[i].price = fx_between(&s, 100, 300000000) + (int64_t)i;
			rl[i].qty = fx_between(&s, 1, 10000000);
		}
		budget = fx_between(&s, 0, 2000000000);
		if (trade_affordable(&m, rl, n, budget, INT64_MAX, &lots,
		    &depth) == -1 || !affordable_ok(&m, rl, n, budget, lots)) {
			bad++;
			continue;
		}
		/* Maximal under the bound p q (1 + fee): one lot more breaks it. */
		if (!depth && trade_cost(&m, rl, n, lots + 1, &cost, &got) == 0 &&
		    got == lots + 1 && cost < budget - 2)
			notmax++;
	}
	is_int(bad, 0, "%d random market buys stay within their budget", ROUNDS);
	is_int(notmax, 0, "and take all the budget allows");
}

static void
test_band(void)
{
	struct market m = fx_btctry();
	struct trade_ref r;
	int64_t lo, hi, now = 1700000000000LL;

	memset(&r, 0, sizeof(r));
	m.band = 100000;		/* 10% */
	r.last = 150001000;		/* 1,500,010.00, a minute ago */
	r.last_ms = now - 60000;
	ok(trade_band(&m, ORD_SELL, &r, now, &lo, &hi) == 1 &&
	    lo == 135000900 && hi == 165001100,
	    "10%% around a recent last price: 1350009.00 to 1650011.00");
	r.last = 100001;		/* 1,000.01: the ends round inwards */
	ok(trade_band(&m, ORD_BUY, &r, now, &lo, &hi) == 1 && lo == 90001 &&
	    hi == 110001, "900.009 rounds up to 900.01, 1100.011 down to 1100.01");
	r.last = 150001000;
	r.bid = 140000000;
	r.ask = 160000000;
	r.last_ms = now - TRADE_BAND_RECENT_MS - 1;
	ok(trade_band(&m, ORD_BUY, &r, now, &lo, &hi) == 1 &&
	    lo == 135000000 && hi == 165000000,
	    "a stale last price: the mid of the quotes");
	r.bid = 0;
	ok(trade_band(&m, ORD_BUY, &r, now, &lo, &hi) == 1 &&
	    lo == 144000000 && hi == 176000000,
	    "no bid: a buy is measured from the best ask");
	ok(trade_band(&m, ORD_SELL, &r, now, &lo, &hi) == 1 &&
	    lo == 135000900 && hi == 165001100,
	    "a sell has no bid to trade with: the stale last price");
	r.last = 0;
	ok(trade_band(&m, ORD_SELL, &r, now, &lo, &hi) == 0,
	    "nothing to measure from: no band");
	r.ask = 0;
	ok(trade_band(&m, ORD_BUY, &r, now, &lo, &hi) == 0,
	    "an empty market that never traded: no band");
	r.last = 150001000;
	r.last_ms = now;
	m.band = 0;
	ok(trade_band(&m, ORD_BUY, &r, now, &lo, &hi) == 0, "band off: none");
	m.band = 2000000;		/* 200% */
	ok(trade_band(&m, ORD_BUY, &r, now, &lo, &hi) == 1 && lo == 1 &&
	    hi == 450003000, "200%%: from one tick to three times the price");
}

/* What a market order by quantity would fetch: the minimum notional's measure. */
static void
test_notional(void)
{
	struct market m = fx_btctry();
	struct trade_level lv[2] = { { 100000, 1000 }, { 200000, 1000 } };
	int64_t v, got;

	ok(trade_notional(&m, lv, 2, 1000, &v, &got) == 0 && v == 1 &&
	    got == 1000, "0.00001 at 1000.00: 0.01 (the defect's 0.01 TRY)");
	ok(trade_notional(&m, lv, 2, 2000, &v, &got) == 0 && v == 3 &&
	    got == 2000, "across two levels: 0.01 + 0.02");
	ok(trade_notional(&m, lv, 2, 4000, &v, &got) == 0 && v == 6 &&
	    got == 2000, "beyond the book: the rest at the average price");
	ok(trade_notional(&m, lv, 0, 4000, &v, &got) == 0 && v == 0 &&
	    got == 0, "an empty book: nothing to measure");
	lv[0].price = 185000000;
	lv[0].qty = TRADE_QTY_MAX;
	ok(trade_notional(&m, lv, 1, TRADE_QTY_MAX, &v, &got) == 0 &&
	    v == (int64_t)((unsigned __int128)185000000 * TRADE_QTY_MAX /
	    100000000), "no overflow at the largest order");
	lv[0].qty = 0;
	ok(trade_notional(&m, lv, 1, 10, &v, &got) == -1, "an empty level is refused");
}

/* The one rule of what an order locks, on its own and against a balance. */
static void
test_lock(void)
{
	struct market m = fx_btctry();
	struct trade_order o;
	struct trade_funds fu;
	struct trade_lock l;

	memset(&o, 0, sizeof(o));
	o.side = ORD_SELL;
	o.type = ORD_LIMIT;
	o.price = 185000000;
	o.qty = 1000000;
	ok(trade_lock(&m, &o, NULL, &l) == TRADE_LOCK_OK && l.amount == 1000000 &&
	    strcmp(l.asset, "BTC") == 0 && l.scale == 8 && !l.by_cost,
	    "a sell locks its quantity of the base asset");
	o.side = ORD_BUY;
	ok(trade_lock(&m, &o, NULL, &l) == TRADE_LOCK_OK && l.amount == 1853700 &&
	    strcmp(l.asset, "TRY") == 0 && l.scale == 2,
	    "a limit buy: 18500.00 + 37.00 of TRY");
	o.price = INT64_MAX / 2;
	o.qty = INT64_MAX / 2;
	is_int(trade_lock(&m, &o, NULL, &l), TRADE_LOCK_RANGE,
	    "an impossible lock is out of range");
	o.type = ORD_MARKET;
	o.price = 0;
	o.qty = 0;
	o.qoq = 10000;
	ok(trade_lock(&m, &o, NULL, &l) == TRADE_LOCK_OK && l.amount == 10000,
	    "a market buy by quote amount locks that amount");
	memset(&fu, 0, sizeof(fu));
	fu.avail = 9999;
	ok(trade_lock(&m, &o, &fu, &l) == TRADE_LOCK_POOR && l.need == 10000,
	    "a balance one kurus short: POOR, needing the amount");
	fu.avail = 10000;
	is_int(trade_lock(&m, &o, &fu, &l), TRADE_LOCK_OK, "covered exactly");

	o.qoq = 0;
	o.qty = 500000;
	ok(trade_lock(&m, &o, NULL, &l) == TRADE_LOCK_OK && l.by_cost &&
	    l.amount == 0, "a market buy by quantity is priced against the book");
	fu.cost = 926850;		/* 9268.50: 0.005 BTC at 1,850,000.00 */
	fu.got = 500000;
	fu.avail = 10000000;
	ok(trade_lock(&m, &o, &fu, &l) == TRADE_LOCK_OK && l.amount == 973193,
	    "its cost and 5%%, rounded up: 9731.93");
	fu.avail = 950000;
	ok(trade_lock(&m, &o, &fu, &l) == TRADE_LOCK_OK && l.amount == 950000,
	    "the margin within what is available");
	fu.avail = 926849;
	ok(trade_lock(&m, &o, &fu, &l) == TRADE_LOCK_POOR && l.need == 926850,
	    "less than the cost: POOR, needing the cost");
	fu.got = 0;
	fu.cost = 0;
	ok(trade_lock(&m, &o, &fu, &l) == TRADE_LOCK_OK && l.amount == 0,
	    "no asks: nothing locked (it expires)");
}

/* The minimums on the order alone, then at the prices it would execute at. */
static void
test_minimums(void)
{
	struct market m = fx_btctry();
	struct trade_level lv[2] = { { 100000, 1000 }, { 200000, 100000000 } };
	struct trade_level dear[1] = { { 2000000000, 1000000 } };
	struct trade_refusal r;
	struct trade_order o;

	memset(&o, 0, sizeof(o));
	o.side = ORD_BUY;
	o.type = ORD_LIMIT;
	o.price = 185000000;
	o.qty = 999;
	ok(trade_minimums(&m, &o, &r) == 0 && r.kind == TRADE_REF_MIN_QTY &&
	    r.min == 1000, "0.00000999 BTC: below the minimum quantity");
	o.qty = 1000;
	o.price = 100;
	ok(trade_minimums(&m, &o, &r) == 0 && r.kind == TRADE_REF_MIN_NOTIONAL &&
	    r.min == 1000, "0.00001 at 1.00: below the minimum notional");
	o.price = 100000000;
	ok(trade_minimums(&m, &o, &r) == 0 && r.kind == TRADE_REF_NONE,
	    "0.00001 at 1,000,000.00 (10.00): enough");
	o.type = ORD_MARKET;
	o.price = 0;
	o.qty = 0;
	o.qoq = 999;
	ok(trade_minimums(&m, &o, &r) == 0 && r.kind == TRADE_REF_MIN_QUOTE,
	    "for 9.99 TRY: below the minimum notional");

	o.qoq = 1000;
	ok(trade_admit(&m, &o, 0, 0, 0, dear, 1, &r) == 0 &&
	    r.kind == TRADE_REF_EXEC_MIN_QTY && r.min == 1000,
	    "10.00 TRY buys less than 0.00001 BTC at 20,000,000.00");
	ok(trade_admit(&m, &o, 0, 0, 0, lv, 2, &r) == 0 &&
	    r.kind == TRADE_REF_NONE, "and enough at 1000.00");
	ok(trade_admit(&m, &o, 0, 0, 0, lv, 0, &r) == 0 &&
	    r.kind == TRADE_REF_NONE, "an empty book: not refused, it expires");
	o.side = ORD_SELL;
	o.qoq = 0;
	o.qty = 1000;
	ok(trade_admit(&m, &o, 0, 0, 0, lv, 2, &r) == 0 &&
	    r.kind == TRADE_REF_EXEC_MIN_NOTIONAL && r.min == 1000,
	    "a market sell of 0.00001 BTC for 0.01 TRY: below the minimum notional");
	o.qty = 100000000;
	ok(trade_admit(&m, &o, 0, 0, 0, lv, 2, &r) == 0 &&
	    r.kind == TRADE_REF_NONE, "1 BTC fetches enough");
	o.type = ORD_LIMIT;
	o.side = ORD_BUY;
	o.price = 300000;
	ok(trade_admit(&m, &o, 1, 100000, 250000, NULL, 0, &r) == 0 &&
	    r.kind == TRADE_REF_BAND && r.lo == 100000 && r.hi == 250000,
	    "a limit buy above the band");
	o.price = 250000;
	ok(trade_admit(&m, &o, 1, 100000, 250000, NULL, 0, &r) == 0 &&
	    r.kind == TRADE_REF_NONE, "at the band's edge: admitted");
	o.price = 50000;
	ok(trade_admit(&m, &o, 1, 100000, 250000, NULL, 0, &r) == 0 &&
	    r.kind == TRADE_REF_NONE, "a limit buy below the band only rests: admitted");
	o.side = ORD_SELL;
	o.price = 99999;
	ok(trade_admit(&m, &o, 1, 100000, 250000, NULL, 0, &r) == 0 &&
	    r.kind == TRADE_REF_BAND, "a limit sell below the band");
	o.price = 300000;
	ok(trade_admit(&m, &o, 1, 100000, 250000, NULL, 0, &r) == 0 &&
	    r.kind == TRADE_REF_NONE, "a limit sell above the band only rests: admitted");
	lv[0].qty = 0;
	o.type = ORD_MARKET;
	is_int(trade_admit(&m, &o, 0, 0, 0, lv, 2, &r), -1,
	    "an empty level is no level");
}

/* The ticker's 24-hour change: one rule for both of its sources. */
static void
test_change(void)
{
	int64_t pct;

	ok(trade_change_pct(80100, 80000, 2, &pct) == 0 && pct == 12,
	    "800.00 to 801.00 is 0.125%%: a tie, to the even 0.12");
	ok(trade_change_pct(80300, 80000, 2, &pct) == 0 && pct == 38,
	    "800.00 to 803.00 is 0.375%%: a tie, to the even 0.38");
	ok(trade_change_pct(79900, 80000, 2, &pct) == 0 && pct == -12,
	    "800.00 to 799.00 is -0.125%%: -0.12");
	ok(trade_change_pct(80101, 80000, 2, &pct) == 0 && pct == 13,
	    "800.00 to 801.01 is 0.12625%%: 0.13");
	ok(trade_change_pct(165000000, 150000000, 2, &pct) == 0 && pct == 1000,
	    "1,500,000.00 to 1,650,000.00: 10.00%%");
	ok(trade_change_pct(100, 0, 2, &pct) == 0 && pct == 0,
	    "no open price: 0.00");
	ok(trade_change_pct(0, 100, 2, &pct) == 0 && pct == 0,
	    "no last price: 0.00");
}

/* The daily trading limit: what an order counts, and whether it fits. */
static void
test_day_limit(void)
{
	struct market m = fx_btctry(), eb = fx_market("ETHBTC", "ETH", "BTC",
	    6, 8, 8, 8);
	const int64_t one = 100000000;	/* a rate of 1 at TRADE_RATE_SCALE */
	struct trade_order lim = { ORD_BUY, ORD_LIMIT, 185000000, 1000000, 0 };
	struct trade_order qoq = { ORD_BUY, ORD_MARKET, 0, 0, 100000 };
	struct trade_order mkt = { ORD_SELL, ORD_MARKET, 0, 1000000, 0 };
	struct trade_order eth = { ORD_BUY, ORD_LIMIT, 50000, 100000000, 0 };
	struct trade_day d = { 1000000, 0, one };
	int64_t v;

	ok(trade_day_value(&m, &lim, 0, one, &v) == 0 && v == 1850000,
	    "a limit order counts price x quantity: 0.01 BTC at 1,850,000 is "
	    "18,500.00 TRY");
	ok(trade_day_value(&m, &qoq, 185000000, one, &v) == 0 && v == 100000,
	    "a market buy by quoteOrderQty counts that amount");
	ok(trade_day_value(&m, &mkt, 180000000, one, &v) == 0 && v == 1800000,
	    "a market order by quantity counts it at the last price");
	ok(trade_day_value(&m, &mkt, 0, one, &v) == 0 && v == 0,
	    "with no last price it counts nothing until it executes");
	/* 0.05 BTC a ETH x 1 ETH = 0.05 BTC at 1,850,000.00 TRY = 92,500.00 */
	ok(trade_day_value(&eb, &eth, 0, INT64_C(185000000000000), &v) == 0 &&
	    v == 9250000, "another quote asset counts at its TRY price");
	ok(trade_day_value(&eb, &eth, 0, 0, &v) == 0 && v == 0,
	    "a quote asset without a TRY price counts nothing");
	ok(trade_day_fits(&d, 1000000), "exactly the limit fits");
	ok(!trade_day_fits(&d, 1000001), "one kuruş more does not");
	d.used = 400000;
	ok(trade_day_fits(&d, 600000) && !trade_day_fits(&d, 600001),
	    "what is used counts");
	d.used = 1000001;
	ok(!trade_day_fits(&d, 0), "past the limit nothing more fits");
	d.used = -500;
	ok(trade_day_fits(&d, 1000500), "a negative count (a fold) leaves room");
}

int
main(void)
{
	test_amounts();
	test_band();
	test_notional();
	test_lock_covers_fills();
	test_buy_fee_changed();
	test_affordable();
	test_lock();
	test_minimums();
	test_change();
	test_day_limit();
	return done_testing();
}
