/* tests/unit/test_engine_stops.c — stop orders and self-trade prevention in the matcher's engine, without a database */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/engine.h"
#include "tests/unit/fixture_engine.h"
#include "tests/unit/tap.h"

/*
 * Stops triggered by other users' trades, a cascade in the documented
 * order, a cancel before the trigger, and self-trade prevention.
 */
static void
test_stops(void)
{
	struct engine *e = engine_make();
	const struct market *m;
	const struct order_rec *r;
	struct cmd c;
	int64_t p = 185000000;		/* 1,850,000.00 */

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	m = &e->mk[0].m;
	engine_batch_begin(e, 1700000000000LL);
	/* Bids of user 2 at p, p-100.00, p-200.00, 0.01 BTC each. */
	c = stop_cmd(1, 2, ORD_BUY, ORD_LIMIT, 0, p, 1000000, m);
	ok(engine_apply(e, 0, &c) == 0, "bid 1");
	c = stop_cmd(2, 2, ORD_BUY, ORD_LIMIT, 0, p - 10000, 1000000, m);
	ok(engine_apply(e, 0, &c) == 0, "bid 2");
	c = stop_cmd(3, 2, ORD_BUY, ORD_LIMIT, 0, p - 20000, 1000000, m);
	ok(engine_apply(e, 0, &c) == 0, "bid 3");
	/* User 3: SELL STOP_LOSS at p-100.00, STOP_LIMIT at p-200.00. */
	c = stop_cmd(4, 3, ORD_SELL, ORD_MARKET, p - 10000, 0, 1000000, m);
	ok(engine_apply(e, 0, &c) == 0, "a STOP_LOSS sell waits");
	r = rec_find(e, 4);
	ok(r != NULL && r->status == OST_NEW && !r->triggered && r->lock ==
	    1000000, "NEW, not triggered, 0.01 BTC locked");
	c = stop_cmd(5, 3, ORD_SELL, ORD_LIMIT, p - 20000, p - 20000, 1000000,
	    m);
	ok(engine_apply(e, 0, &c) == 0, "a STOP_LIMIT sell waits");
	c = stop_cmd(6, 3, ORD_SELL, ORD_MARKET, p - 30000, 0, 1000000, m);
	ok(engine_apply(e, 0, &c) == 0, "a third stop");
	c.kind = CMD_CANCEL;
	c.seq = 7;
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 6)) != NULL &&
	    r->status == OST_CANCELED && r->lock == 0,
	    "cancelled before its trigger: lock released");
	is_int(e->ntrades, 0, "no trade yet");
	is_int((int)stops_count(e->mk[0].stops), 2, "two stops wait");

	/* User 1 sells 0.01 at market: takes bid 1 at p: nothing crossed. */
	c = stop_cmd(8, 1, ORD_SELL, ORD_MARKET, 0, 0, 1000000, m);
	ok(engine_apply(e, 0, &c) == 0, "a market sell of user 1");
	is_int(e->ntrades, 1, "one trade at p");
	/* Half of bid 2 at p-100.00: the trade crosses stop 4. */
	c = stop_cmd(9, 1, ORD_SELL, ORD_MARKET, 0, 0, 500000, m);
	ok(engine_apply(e, 0, &c) == 0, "0.005 at p-100.00");
	is_int(e->ntrades, 5, "its trade, stop 4's two trades, then stop 5's");
	ok(e->ntrades == 5 && e->trades[1].taker_order == 9 &&
	    e->trades[2].taker_order == 4 &&
	    e->trades[2].price == p - 10000 && e->trades[3].taker_order == 4 &&
	    e->trades[3].price == p - 20000,
	    "the STOP_LOSS sells the rest of bid 2, then into bid 3");
	ok(e->ntrades == 5 && e->trades[4].taker_order == 5 &&
	    e->trades[4].qty == 500000,
	    "which crossed p-200.00: the STOP_LIMIT takes what bid 3 has left");
	r = rec_find(e, 4);
	ok(r && r->status == OST_FILLED && r->triggered, "stop 4 FILLED");
	r = rec_find(e, 5);
	ok(r && r->status == OST_PARTIALLY_FILLED && r->triggered &&
	    r->lock == 500000, "stop 5 rests, partly filled, as a limit order");
	is_int((int)stops_count(e->mk[0].stops), 0, "no stop waits");
	c = stop_cmd(5, 3, ORD_SELL, ORD_LIMIT, 0, 0, 0, m);
	c.kind = CMD_CANCEL;
	c.seq = 10;
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 5)) != NULL &&
	    r->status == OST_CANCELED && r->lock == 0,
	    "cancelled after its trigger, from the book");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "BTC") == 0 &&
	    engine_batch_net(e, "TRY") == 0, "the batch nets to zero");
	engine_batch_end(e);

	/* A BUY stop already crossed by the last price goes at once. */
	engine_batch_begin(e, 1700000001000LL);
	c = stop_cmd(11, 2, ORD_SELL, ORD_LIMIT, 0, p, 1000000, m);
	ok(engine_apply(e, 0, &c) == 0, "an ask of user 2 at p");
	c = stop_cmd(12, 3, ORD_BUY, ORD_MARKET, p - 30000, 0, 500000, m);
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 12)) != NULL &&
	    r->triggered && r->status == OST_FILLED,
	    "a BUY STOP_LOSS below the last price triggers on placement");

	/* Self-trade prevention in the engine: user 2 meets its own ask. */
	c = stop_cmd(13, 2, ORD_BUY, ORD_LIMIT, 0, p, 200000, m);
	c.stp = ORD_STP_EXPIRE_MAKER;
	ok(engine_apply(e, 0, &c) == 0, "EXPIRE_MAKER buy against its own ask");
	r = rec_find(e, 11);
	ok(r && r->status == OST_EXPIRED_IN_MATCH && r->lock == 0,
	    "its ask EXPIRED_IN_MATCH, the lock released");
	r = rec_find(e, 13);
	ok(r && r->status == OST_NEW && r->executed == 0, "the buy rests");
	c = stop_cmd(14, 2, ORD_SELL, ORD_LIMIT, 0, p, 100000, m);
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 14)) != NULL &&
	    r->status == OST_EXPIRED_IN_MATCH && r->executed == 0 && r->lock == 0,
	    "EXPIRE_TAKER (the default): the sell expires");
	ok((r = rec_find(e, 13)) != NULL && r->status == OST_NEW,
	    "the maker stays");
	c = stop_cmd(15, 2, ORD_SELL, ORD_LIMIT, 0, p, 100000, m);
	c.stp = ORD_STP_EXPIRE_BOTH;
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 15)) != NULL &&
	    r->status == OST_EXPIRED_IN_MATCH && (r = rec_find(e, 13)) != NULL &&
	    r->status == OST_EXPIRED_IN_MATCH && r->lock == 0,
	    "EXPIRE_BOTH: both expire");
	/* A taker that traded before it met its own order: in match too. */
	c = stop_cmd(16, 3, ORD_SELL, ORD_LIMIT, 0, p, 100000, m);
	ok(engine_apply(e, 0, &c) == 0, "user 3 asks at p");
	c = stop_cmd(17, 2, ORD_SELL, ORD_LIMIT, 0, p, 100000, m);
	ok(engine_apply(e, 0, &c) == 0, "user 2 asks at p behind it");
	c = stop_cmd(18, 2, ORD_BUY, ORD_LIMIT, 0, p, 300000, m);
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 18)) != NULL &&
	    r->status == OST_EXPIRED_IN_MATCH && r->executed == 100000 &&
	    r->lock == 0, "user 2's bid takes user 3's ask, then expires "
	    "in match at its own");
	ok((r = rec_find(e, 17)) != NULL && r->status == OST_NEW,
	    "its own ask stays");
	c = stop_cmd(19, 3, ORD_SELL, ORD_MARKET, 0, 0, 100000, m);
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 19)) != NULL &&
	    r->status == OST_EXPIRED && r->executed == 0,
	    "a market sell with no bid is EXPIRED, not in match");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "BTC") == 0 &&
	    engine_batch_net(e, "TRY") == 0, "the batch nets to zero");
	engine_batch_end(e);
	engine_free(e);
}

int
main(void)
{
	test_stops();
	return done_testing();
}
