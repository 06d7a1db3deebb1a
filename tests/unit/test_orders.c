/* tests/unit/test_orders.c — domain/orders: request parsing, and the trade arithmetic that keeps locks sufficient */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/decimal.h"
#include "domain/orders.h"
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

static struct json_object *
body(const char *s)
{
	return json_tokener_parse(s);
}

static void
test_parse(void)
{
	static const struct {
		const char	*json;
		const char	*field;		/* NULL: accepted */
	} cases[] = {
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":\"0.01\"}", NULL },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quoteOrderQty\":\"100.00\"}", NULL },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"SELL\",\"type\":\"LIMIT\","
		  "\"price\":\"1.00\",\"quantity\":\"1\",\"timeInForce\":\"FOK\","
		  "\"clientOrderId\":\"my-1\"}", NULL },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"buy\",\"type\":\"MARKET\","
		  "\"quantity\":\"1\"}", "side" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"STOP\","
		  "\"quantity\":\"1\"}", "type" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"LIMIT\","
		  "\"quantity\":\"1\"}", "price" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"price\":\"1\",\"quantity\":\"1\"}", "price" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"SELL\",\"type\":\"MARKET\","
		  "\"quoteOrderQty\":\"1\"}", "quoteOrderQty" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quoteOrderQty\":\"1\",\"quantity\":\"1\"}", "quantity" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\"}",
		  "quantity" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":0.01}", "quantity" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":\"1\",\"timeInForce\":\"GTC\"}", "timeInForce" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":\"1\",\"clientOrderId\":\"has space\"}",
		  "clientOrderId" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":\"1\",\"leverage\":\"10\"}", "leverage" },
	};
	struct order_in in;
	struct order_fail f;
	struct json_object *o;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = body(cases[i].json);
		rc = order_in_parse(o, &in, &f);
		if (cases[i].field == NULL)
			ok(rc == 0, "accepted: %s", cases[i].json);
		else
			ok(rc == -1 && f.field != NULL &&
			    strcmp(f.field, cases[i].field) == 0,
			    "refused naming %s: %s", cases[i].field,
			    cases[i].json);
		json_object_put(o);
	}
	o = body("{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
	    "\"quantity\":\"1\"}");
	ok(order_in_parse(o, &in, &f) == 0 && in.tif == ORD_IOC,
	    "MARKET defaults to IOC");
	json_object_put(o);
	o = body("{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"LIMIT\","
	    "\"price\":\"1\",\"quantity\":\"1\"}");
	ok(order_in_parse(o, &in, &f) == 0 && in.tif == ORD_GTC,
	    "LIMIT defaults to GTC");
	json_object_put(o);
	is_str(trade_tif_text(ORD_FOK), "FOK", "enum names as the API spells them");
	is_str(trade_side_text(ORD_SELL), "SELL", "SELL");
}

/* The price band: its reference, its rounding, its refusal words. */
static void
test_band(void)
{
	struct market m = fx_btctry();
	struct trade_ref r;
	struct order_fail f;
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

	memset(&f, 0, sizeof(f));
	is_int(order_refusal(&m, "BAND 135000900 165001100", &f), ERR_TRADE_003,
	    "BAND: TRADE_003");
	ok(strcmp(f.field, "price") == 0 && strcmp(f.min_price, "1350009.00") == 0 &&
	    strcmp(f.max_price, "1650011.00") == 0, "with the band in decimals");
	memset(&f, 0, sizeof(f));
	is_int(order_refusal(&m, "BAND 1", &f), ERR_OK, "a short BAND is none");
	is_int(order_refusal(&m, "BAND 1 2 3", &f), ERR_OK, "a long BAND is none");
	is_int(order_refusal(&m, "BAND -1 2", &f), ERR_OK, "a negative BAND is none");
	is_int(order_refusal(&m, "OK {}", &f), ERR_OK, "an answer is no refusal");
	memset(&f, 0, sizeof(f));
	is_int(order_refusal(&m, "MINNOTIONAL 1000", &f), ERR_TRADE_002,
	    "MINNOTIONAL: TRADE_002");
	ok(strcmp(f.field, "quantity") == 0 &&
	    strcmp(f.minimum_name, "minNotional") == 0 &&
	    strcmp(f.minimum, "10.00") == 0, "minNotional 10.00");
	memset(&f, 0, sizeof(f));
	is_int(order_refusal(&m, "MINQTY 1000", &f), ERR_TRADE_002,
	    "MINQTY: TRADE_002");
	ok(strcmp(f.field, "quoteOrderQty") == 0 &&
	    strcmp(f.minimum_name, "minQuantity") == 0 &&
	    strcmp(f.minimum, "0.00001000") == 0, "minQuantity 0.00001000");
	is_int(order_refusal(&m, "MINQTY", &f), ERR_OK, "MINQTY without a number");
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

int
main(void)
{
	test_amounts();
	test_band();
	test_notional();
	test_lock_covers_fills();
	test_affordable();
	test_parse();
	return done_testing();
}
