/* tests/unit/test_engine_limits.c — what the matcher's engine holds orders to, without a database: the price band, the minimums at execution prices, a halted market */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "matcher/engine.h"
#include "tests/unit/fixture.h"
#include "tests/unit/fixture_engine.h"
#include "tests/unit/tap.h"

/* The band's reference, and a sell far below it from the inbox. */
static void
band_inbox(struct engine *e, int64_t now, const struct cmd *sell,
    const struct cmd *buy)
{
	struct trade_refusal rf;
	struct cmd far;
	const struct order_rec *r;
	int64_t lo, hi;
	size_t i;
	int unlocked = 0;

	engine_batch_begin(e, now);
	ok(engine_band(e, 0, ORD_BUY, &lo, &hi) == 0,
	    "an empty market that never traded has no band");
	ok(engine_apply(e, 0, sell) == 0, "an ask at 1,850,000.00");
	ok(engine_band(e, 0, ORD_BUY, &lo, &hi) == 1 && lo == 166500000 &&
	    hi == 203500000, "a buy is measured from it: 1665000.00 to 2035000.00");
	ok(engine_apply(e, 0, buy) == 0 && e->ntrades == 1, "a trade at it");
	ok(engine_band(e, 0, ORD_SELL, &lo, &hi) == 1 && lo == 166500000 &&
	    hi == 203500000, "then the last price is the reference");

	/* From the inbox, a sell at 100.00: REJECTED, its lock released. */
	far = *sell;
	far.seq = 3;
	far.order_id = 3;
	snprintf(far.public_id, sizeof(far.public_id), "ord_far");
	far.price = 10000;
	far.qty = 10000000;
	far.lock = 10000000;
	ok(engine_apply(e, 0, &far) == 0, "a sell at 100.00 from the inbox");
	r = &e->orders[e->norders - 1];
	ok(r->id == 3 && r->status == OST_REJECTED && r->lock == 0,
	    "is REJECTED, nothing left locked");
	ok(e->refused.kind == TRADE_REF_BAND && e->refused.lo == 166500000 &&
	    e->refused.hi == 203500000, "and the engine says why: the band");
	for (i = 0; i < e->nledger; i++)
		if (strcmp(e->ledger[i].ref, "ord_far") == 0 &&
		    e->ledger[i].kind == LK_ORDER_UNLOCK &&
		    e->ledger[i].d_available == 10000000)
			unlocked++;
	is_int(unlocked, 1, "its 0.1 BTC unlocked once");
	is_int(e->mk[0].last_price, 185000000, "the last price has not moved");
	ok(engine_admit(e, 0, &far, &rf) == 0 && rf.kind == TRADE_REF_BAND,
	    "engine_admit() refuses it as well");
	far.price = 203500000;
	ok(engine_admit(e, 0, &far, &rf) == 0 && rf.kind == TRADE_REF_NONE,
	    "and admits the band's edge");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "BTC") == 0 &&
	    engine_batch_net(e, "TRY") == 0, "the batch nets to nothing");
	engine_batch_end(e);
}

/* Asks at 1,900,000.00 and 2,100,000.00: a market buy stops between. */
static void
band_market(struct engine *e, int64_t now, struct cmd *sell, struct cmd *buy)
{
	const struct order_rec *r;
	size_t i;

	engine_batch_begin(e, now);
	sell->seq = 10;
	sell->order_id = 10;
	sell->price = 190000000;
	ok(engine_apply(e, 0, sell) == 0, "an ask at 1,900,000.00");
	e->mk[0].m.band = 200000;	/* 20%, for a moment */
	sell->seq = 11;
	sell->order_id = 11;
	sell->price = 210000000;
	ok(engine_apply(e, 0, sell) == 0, "one at 2,100,000.00 in a 20%% band");
	e->mk[0].m.band = 100000;
	buy->seq = 12;
	buy->order_id = 12;
	buy->qty = 2000000;
	buy->lock = 100000000;
	ok(engine_apply(e, 0, buy) == 0, "back at 10%%, a market buy of both");
	for (i = 0, r = NULL; i < e->norders; i++)
		if (e->orders[i].id == 12)
			r = &e->orders[i];
	ok(r != NULL && r->status == OST_EXPIRED && r->executed == 1500000 &&
	    r->lock == 0, "takes what rests up to 2035000.00 (0.005 + 0.01) "
	    "and expires");
	is_int(e->mk[0].last_price, 190000000, "the last trade at 1,900,000.00");
	sell->seq = 13;
	sell->order_id = 13;
	sell->side = ORD_SELL;
	sell->type = ORD_MARKET;
	sell->tif = ORD_IOC;
	sell->price = 0;
	ok(engine_apply(e, 0, sell) == 0 && e->orders[e->norders - 1].status ==
	    OST_EXPIRED && e->orders[e->norders - 1].executed == 0,
	    "a market sell with no bid expires");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "TRY") == 0,
	    "the batch nets to nothing");
	engine_batch_end(e);
}

/* The price band in the engine: inbox orders refused, market orders held. */
static void
test_band(void)
{
	struct engine *e = engine_make_two();
	struct cmd sell, buy;
	int64_t now = 1700000000000LL;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	e->mk[0].m.band = 100000;	/* 10% */
	flow_orders(1, &sell, &buy);
	band_inbox(e, now, &sell, &buy);
	band_market(e, now + 1000, &sell, &buy);
	engine_free(e);
}

/* Market orders held to the minimums at the prices they would execute at. */
static void
test_minimums(void)
{
	struct engine *e = engine_make_two();
	struct trade_refusal rf;
	struct cmd bid, sell;
	int64_t now = 1700000000000LL;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	e->mk[0].m.min_qty = 1000;		/* 0.00001 BTC */
	e->mk[0].m.min_notional = 1000;		/* 10.00 TRY */
	flow_orders(1, &sell, &bid);
	bid.side = ORD_BUY;
	bid.type = ORD_LIMIT;
	bid.tif = ORD_GTC;
	bid.price = 100000;			/* 1000.00 */
	bid.qty = 10000000;			/* 0.1 BTC */
	ok(trade_buy_lock(&e->mk[0].m, bid.price, bid.qty, &bid.lock) == 0,
	    "a bid of 0.1 BTC at 1000.00");
	engine_batch_begin(e, now);
	ok(engine_apply(e, 0, &bid) == 0, "rests");
	sell.seq = 3;
	sell.order_id = 3;
	sell.type = ORD_MARKET;
	sell.tif = ORD_IOC;
	sell.price = 0;
	sell.qty = 1000;			/* 0.00001 BTC: 0.01 TRY */
	sell.lock = 1000;
	ok(engine_admit(e, 0, &sell, &rf) == 0 && rf.kind == TRADE_REF_EXEC_MIN_NOTIONAL &&
	    rf.min == 1000, "a market sell of 0.00001 BTC for 0.01 TRY: refused");
	ok(engine_apply(e, 0, &sell) == 0 && e->refused.kind == TRADE_REF_EXEC_MIN_NOTIONAL &&
	    e->ntrades == 0, "from the inbox: REJECTED, nothing traded");
	sell.seq = 4;
	sell.order_id = 4;
	sell.qty = 1000000;			/* 0.01 BTC: 10.00 TRY */
	sell.lock = 1000000;
	ok(engine_admit(e, 0, &sell, &rf) == 0 && rf.kind == TRADE_REF_NONE,
	    "0.01 BTC for 10.00 TRY: admitted");
	sell.qty = 20000000;			/* 0.2 BTC, the book holds 0.1 */
	ok(engine_admit(e, 0, &sell, &rf) == 0 && rf.kind == TRADE_REF_NONE,
	    "more than the book holds: measured at its average price");
	sell.side = ORD_BUY;
	sell.qty = 1000;
	ok(engine_admit(e, 0, &sell, &rf) == 0 && rf.kind == TRADE_REF_NONE,
	    "a market buy with no asks: nothing to measure, it will expire");
	engine_batch_end(e);
	engine_free(e);
}

/* A halted market keeps its book: new orders are refused, cancels served. */
static void
test_halt(void)
{
	struct engine *e = engine_make_two();
	struct cmd sell, buy, cxl;
	const struct order_rec *r;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	flow_orders(1, &sell, &buy);
	engine_batch_begin(e, 1700000000000LL);
	ok(engine_apply(e, 0, &sell) == 0, "an ask rests");
	snprintf(e->mk[0].m.status, sizeof(e->mk[0].m.status), "HALTED");
	ok(engine_apply(e, 0, &buy) == 0 && e->ntrades == 0,
	    "HALTED: a buy from the inbox trades nothing");
	r = &e->orders[e->norders - 1];
	ok(r->status == OST_REJECTED && r->lock == 0 &&
	    e->refused.kind == TRADE_REF_CLOSED, "it is REJECTED as CLOSED, its lock released");
	cxl = sell;
	cxl.kind = CMD_CANCEL;
	cxl.seq = 9;
	snprintf(e->mk[0].m.status, sizeof(e->mk[0].m.status), "CANCEL_ONLY");
	/* The batch keeps one record per order: the ask's is the first. */
	ok(engine_apply(e, 0, &cxl) == 0 && e->orders[0].id == 1 &&
	    e->orders[0].status == OST_CANCELED && e->orders[0].lock == 0,
	    "CANCEL_ONLY: a cancel is served, its lock released");
	engine_batch_end(e);
	engine_free(e);
}

int
main(void)
{
	test_band();
	test_minimums();
	test_halt();
	return done_testing();
}
