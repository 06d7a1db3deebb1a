/* tests/unit/test_strategy.c — domain/strategy: each strategy's decisions on fixed candle series, the indicators, and parameter checks */
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "core/input.h"
#include "domain/strategy.h"
#include "tests/unit/tap.h"

static const struct strat_scales sc = { 2, 8 };	/* BTCTRY: price 2, qty 8 */

static struct strat_params
params(enum strat_kind k, const char *json, int ema_period)
{
	struct json_object *o = json != NULL ? json_tokener_parse(json) : NULL;
	struct strat_params p;
	struct in_err e = { 0 };

	if (strat_params_parse(k, o, ema_period, 1000000, &sc, &p, &e) == -1)
		printf("# params refused: %s %s\n", e.field, e.reason);
	json_object_put(o);
	return p;
}

static struct strat_decision
decide(const struct strat_params *p, const int64_t *c, size_t n,
    int64_t price, int64_t pos, int64_t avg, int64_t anchor, int steps)
{
	struct strat_input in;
	struct strat_decision d;

	memset(&in, 0, sizeof(in));
	in.closes = c;
	in.n = n;
	in.price = price;
	in.order_size = 1000000;	/* 0.01 */
	in.st.position = pos;
	in.st.avg_entry = avg;
	in.st.anchor = anchor;
	in.st.steps = steps;
	in.sc = sc;
	strat_decide(p, &in, &d);
	return d;
}

static void
test_indicators(void)
{
	/* closes 10.00 .. 20.00 by 1.00: SMA(5) of the first five is 12.00 */
	int64_t c[11], ema, rsi;
	int64_t flat[6] = { 500, 500, 500, 500, 500, 500 };
	int64_t down[4] = { 900, 800, 700, 600 };
	int i;

	for (i = 0; i < 11; i++)
		c[i] = 1000 + 100 * i;
	ok(strat_ema(c, 4, 5, &ema) == -1, "EMA(5) needs 5 closes");
	ok(strat_ema(c, 5, 5, &ema) == 0 && ema == 1200, "EMA(5) seeds with the SMA: 12.00");
	/* 12 + (15-12)/3 = 13; 13 + (16-13)/3 = 14 ...: a steady rise keeps 2.00 below */
	ok(strat_ema(c, 11, 5, &ema) == 0 && ema == 1800, "EMA(5) of a steady rise: 18.00");
	/* hand-computed: closes 10, 11, 13 period 2: seed 10.5, then 10.5 + (13-10.5)*2/3 = 12.1666.. */
	{
		int64_t s[3] = { 1000, 1100, 1300 };

		ok(strat_ema(s, 3, 2, &ema) == 0 && ema == 1217, "EMA(2) of 10, 11, 13 is 12.17 (half even)");
	}
	ok(strat_rsi(c, 11, 5, &rsi) == 0 && rsi == 10000, "RSI of only gains is 100.00");
	ok(strat_rsi(down, 4, 3, &rsi) == 0 && rsi == 0, "RSI of only losses is 0.00");
	ok(strat_rsi(flat, 6, 5, &rsi) == 0 && rsi == 5000, "RSI of a flat series is 50.00");
	ok(strat_rsi(c, 5, 5, &rsi) == -1, "RSI(5) needs 6 closes");
	{
		/* gains 2, 0, 1; losses 0, 1, 0 over period 3: 3/(3+1) = 75.00 */
		int64_t s[4] = { 1000, 1200, 1100, 1200 };

		ok(strat_rsi(s, 4, 3, &rsi) == 0 && rsi == 7500, "RSI(3) hand-computed: 75.00");
	}
}

static void
test_simple(void)
{
	struct strat_params p = params(STRAT_SIMPLE,
	    "{\"buyBelow\":\"100.00\",\"sellAbove\":\"110.00\"}", 0);
	struct strat_decision d;

	d = decide(&p, NULL, 0, 9999, 0, 0, 0, 0);
	ok(d.action == STRAT_BUY && d.qty == 1000000, "simple: flat below 100 buys the order size");
	d = decide(&p, NULL, 0, 10000, 0, 0, 0, 0);
	ok(d.action == STRAT_HOLD, "simple: at exactly 100.00 holds");
	d = decide(&p, NULL, 0, 9000, 1000000, 9999, 0, 0);
	ok(d.action == STRAT_HOLD, "simple: holding below buys no more");
	d = decide(&p, NULL, 0, 11001, 400000, 9999, 0, 0);
	ok(d.action == STRAT_SELL && d.qty == 400000, "simple: above 110 sells what is held (less than the size)");
	d = decide(&p, NULL, 0, 11001, 0, 0, 0, 0);
	ok(d.action == STRAT_HOLD, "simple: nothing held, nothing sold");

	/* Seed 001 §33's example is the default: under 100 buys; no sellAbove, no sale. */
	p = params(STRAT_SIMPLE, NULL, 0);
	ok(p.buy_below == 10000, "simple: buyBelow defaults to 100");
	d = decide(&p, NULL, 0, 9999, 0, 0, 0, 0);
	ok(d.action == STRAT_BUY, "simple by default: flat under 100 buys");
	d = decide(&p, NULL, 0, 10000, 0, 0, 0, 0);
	ok(d.action == STRAT_HOLD, "simple by default: 100.00 is not under 100");
	p = params(STRAT_SIMPLE, "{\"buyBelow\":\"100.00\"}", 0);
	d = decide(&p, NULL, 0, 999999999, 1000000, 9999, 0, 0);
	ok(d.action == STRAT_HOLD, "simple without sellAbove: holding, sells at no price");
}

static void
test_ema(void)
{
	struct strat_params p = params(STRAT_EMA, NULL, 3);
	int64_t up[6] = { 1000, 1000, 1000, 1000, 1000, 1000 };
	struct strat_decision d;

	ok(p.ema_period == 3, "ema: emaPeriod taken");
	d = decide(&p, up, 2, 2000, 0, 0, 0, 0);
	ok(d.action == STRAT_HOLD, "ema: too few candles holds");
	d = decide(&p, up, 6, 1001, 0, 0, 0, 0);
	ok(d.action == STRAT_BUY, "ema: price above the EMA (10.00) buys");
	d = decide(&p, up, 6, 1000, 0, 0, 0, 0);
	ok(d.action == STRAT_HOLD, "ema: price on the EMA holds");
	d = decide(&p, up, 6, 999, 1000000, 1001, 0, 0);
	ok(d.action == STRAT_SELL && d.qty == 1000000, "ema: price below the EMA sells");
	d = decide(&p, up, 6, 1200, 1000000, 1001, 0, 0);
	ok(d.action == STRAT_HOLD, "ema: holding above the EMA holds");
	p = params(STRAT_EMA, NULL, 0);
	ok(p.ema_period == 20, "ema: emaPeriod defaults to 20");
}

static void
test_rsi(void)
{
	struct strat_params p = params(STRAT_RSI, "{\"rsiPeriod\":3}", 0);
	int64_t falling[5] = { 1000, 900, 800, 700, 600 };
	int64_t rising[5] = { 600, 700, 800, 900, 1000 };
	int64_t mixed[4] = { 1000, 1200, 1100, 1200 };	/* 75.00 */
	struct strat_decision d;

	ok(p.oversold == 30 && p.overbought == 70, "rsi: 30/70 by default");
	d = decide(&p, falling, 5, 600, 0, 0, 0, 0);
	ok(d.action == STRAT_BUY, "rsi: oversold and flat buys");
	d = decide(&p, rising, 5, 1000, 1000000, 700, 0, 0);
	ok(d.action == STRAT_SELL, "rsi: overbought and holding sells");
	d = decide(&p, rising, 5, 1000, 0, 0, 0, 0);
	ok(d.action == STRAT_HOLD, "rsi: overbought and flat holds");
	p = params(STRAT_RSI, "{\"rsiPeriod\":3,\"oversold\":20,\"overbought\":80}", 0);
	d = decide(&p, mixed, 4, 1200, 1000000, 1000, 0, 0);
	ok(d.action == STRAT_HOLD, "rsi: 75 is under overbought 80");
	p = params(STRAT_RSI, "{\"rsiPeriod\":3,\"oversold\":20,\"overbought\":74}", 0);
	d = decide(&p, mixed, 4, 1200, 1000000, 1000, 0, 0);
	ok(d.action == STRAT_SELL, "rsi: 75 is over overbought 74");
}

static void
test_grid(void)
{
	/* 100..200, 4 levels of 25.00 */
	struct strat_params p = params(STRAT_GRID,
	    "{\"lower\":\"100.00\",\"upper\":\"200.00\",\"levels\":4}", 0);
	struct strat_decision d;

	d = decide(&p, NULL, 0, 16000, 0, 0, 0, 0);
	ok(d.action == STRAT_HOLD && d.steps == 3, "grid: the first run takes its bearing (level 2)");
	d = decide(&p, NULL, 0, 15500, 0, 0, 0, 3);
	ok(d.action == STRAT_HOLD && d.steps == 3, "grid: same level holds");
	d = decide(&p, NULL, 0, 14900, 0, 0, 0, 3);
	ok(d.action == STRAT_BUY && d.steps == 2, "grid: a level down buys");
	d = decide(&p, NULL, 0, 15000, 1000000, 14900, 0, 2);
	ok(d.action == STRAT_SELL && d.steps == 3, "grid: a level up sells");
	d = decide(&p, NULL, 0, 17500, 0, 0, 0, 3);
	ok(d.action == STRAT_HOLD && d.steps == 4, "grid: up with nothing held moves the level");
	d = decide(&p, NULL, 0, 25000, 1000000, 0, 0, 3);
	ok(d.action == STRAT_HOLD && d.steps == 3, "grid: outside the range holds");
}

static void
test_dca(void)
{
	struct strat_params p = params(STRAT_DCA, "{\"safetyOrderSize\":\"0.02\","
	    "\"maxSafetyOrders\":2,\"priceDeviation\":\"2\",\"volumeScale\":\"1.5\","
	    "\"takeProfit\":\"1.5\"}", 0);
	struct strat_decision d;

	d = decide(&p, NULL, 0, 10000, 0, 0, 0, 0);
	ok(d.action == STRAT_BUY && d.qty == 1000000 && d.anchor == 10000 &&
	    d.steps == 0, "dca: flat places the base order, anchored at 100.00");
	d = decide(&p, NULL, 0, 9801, 1000000, 10000, 10000, 0);
	ok(d.action == STRAT_HOLD, "dca: 1.99%% down holds");
	d = decide(&p, NULL, 0, 9800, 1000000, 10000, 10000, 0);
	ok(d.action == STRAT_BUY && d.qty == 2000000 && d.steps == 1 &&
	    d.anchor == 9800, "dca: 2%% down places safety order 1 (0.02)");
	d = decide(&p, NULL, 0, 9604, 3000000, 9867, 9800, 1);
	ok(d.action == STRAT_BUY && d.qty == 3000000 && d.steps == 2,
	    "dca: 2%% further places safety order 2, 1.5x (0.03)");
	d = decide(&p, NULL, 0, 9000, 6000000, 9735, 9604, 2);
	ok(d.action == STRAT_HOLD, "dca: no more than maxSafetyOrders");
	/* take profit at 1.5% over 97.35 = 98.81 (98.810... half even) */
	d = decide(&p, NULL, 0, 9880, 6000000, 9735, 9604, 2);
	ok(d.action == STRAT_HOLD, "dca: 98.80 is short of the take profit");
	d = decide(&p, NULL, 0, 9881, 6000000, 9735, 9604, 2);
	ok(d.action == STRAT_SELL && d.qty == 6000000 && d.steps == 0,
	    "dca: take profit sells the whole position and resets");
}

static int
refused(enum strat_kind k, const char *json, int ema, const char *field)
{
	struct json_object *o = json != NULL ? json_tokener_parse(json) : NULL;
	struct strat_params p;
	struct in_err e = { 0 };
	int rc = strat_params_parse(k, o, ema, 1000000, &sc, &p, &e);

	json_object_put(o);
	return rc == -1 && e.field != NULL && strcmp(e.field, field) == 0;
}

static void
test_params(void)
{
	ok(strat_kind("ema") == STRAT_EMA && strat_kind("macd") == -1, "strategy names");
	ok(refused(STRAT_SIMPLE, "{\"buyBelow\":\"120\",\"sellAbove\":\"110\"}", 0, "sellAbove"),
	    "simple: sellAbove above buyBelow");
	ok(refused(STRAT_SIMPLE, "{\"buyBelow\":\"1.001\",\"sellAbove\":\"110\"}", 0, "buyBelow"),
	    "simple: price precision of the market");
	ok(refused(STRAT_SIMPLE, "{\"buyBelow\":100,\"sellAbove\":\"110\"}", 0, "buyBelow"),
	    "simple: prices are decimal strings");
	ok(refused(STRAT_SIMPLE, "{\"buyBelow\":\"1\",\"sellAbove\":\"2\",\"x\":1}", 0, "strategyParams"),
	    "unknown parameters refused");
	ok(refused(STRAT_SIMPLE, NULL, 5, "emaPeriod"), "emaPeriod only for ema");
	ok(refused(STRAT_RSI, "{\"rsiPeriod\":1}", 0, "rsiPeriod"), "rsi: period at least 2");
	ok(refused(STRAT_RSI, "{\"rsiPeriod\":\"14\"}", 0, "rsiPeriod"), "rsi: period a whole number");
	ok(refused(STRAT_RSI, "{\"oversold\":80,\"overbought\":70}", 0, "overbought"), "rsi: bounds ordered");
	ok(refused(STRAT_GRID, "{\"lower\":\"1\",\"upper\":\"2\"}", 0, "levels"), "grid: levels required");
	ok(refused(STRAT_GRID, "{\"lower\":\"2\",\"upper\":\"1\",\"levels\":2}", 0, "upper"), "grid: upper above lower");
	ok(refused(STRAT_DCA, "{\"volumeScale\":\"0.5\"}", 0, "volumeScale"), "dca: volumeScale at least 1");
	ok(refused(STRAT_DCA, "{\"priceDeviation\":\"100\"}", 0, "priceDeviation"), "dca: deviation below 100%%");
	ok(refused(STRAT_EMA, "{\"emaPeriod\":5}", 0, "strategyParams"), "ema: emaPeriod is a field of its own");
}

int
main(void)
{
	test_indicators();
	test_simple();
	test_ema();
	test_rsi();
	test_grid();
	test_dca();
	test_params();
	return done_testing();
}
