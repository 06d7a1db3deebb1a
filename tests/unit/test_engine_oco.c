/* tests/unit/test_engine_oco.c — OCO lists in the matcher's engine, without a database: the first leg to act cancels the other, one lock */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/engine.h"
#include "tests/unit/fixture_engine.h"
#include "tests/unit/tap.h"

/* An OCO SELL of user 3: a limit leg at lim holding the lock, a stop leg. */
static int
oco_sell(struct engine *e, int64_t id, int64_t lim, int64_t stopp,
    int64_t qty, const struct market *m)
{
	struct cmd a, b;

	a = stop_cmd(id, 3, ORD_SELL, ORD_LIMIT, 0, lim, qty, m);
	b = stop_cmd(id + 1, 3, ORD_SELL, ORD_MARKET, stopp, 0, qty, m);
	a.oco = id + 1;
	b.oco = id;
	b.lock = 0;
	return engine_apply(e, 0, &a) == 0 && engine_apply(e, 0, &b) == 0 ?
	    0 : -1;
}

static void
test_oco(void)
{
	struct engine *e = engine_make();
	const struct market *m;
	const struct order_rec *r;
	struct stop_order so;
	struct cmd c;
	int64_t p = 185000000;		/* 1,850,000.00 */

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	m = &e->mk[0].m;
	engine_batch_begin(e, 1700000000000LL);
	/* The last price p: user 2 bids, user 4 sells into it. */
	c = stop_cmd(1, 2, ORD_BUY, ORD_LIMIT, 0, p, 100000, m);
	ok(engine_apply(e, 0, &c) == 0, "a bid at p");
	c = stop_cmd(2, 4, ORD_SELL, ORD_LIMIT, 0, p, 100000, m);
	ok(engine_apply(e, 0, &c) == 0 && e->mk[0].last_price == p,
	    "a trade at p");

	/* A part of the limit leg fills: the stop leg is cancelled. */
	ok(oco_sell(e, 10, p + 10000, p - 10000, 1000000, m) == 0,
	    "an OCO sell: limit at p+100.00, stop at p-100.00");
	ok((r = rec_find(e, 10)) != NULL && r->lock == 1000000 &&
	    (r = rec_find(e, 11)) != NULL && r->lock == 0 &&
	    r->status == OST_NEW, "one lock, on the limit leg");
	c = stop_cmd(12, 2, ORD_BUY, ORD_LIMIT, 0, p + 10000, 400000, m);
	ok(engine_apply(e, 0, &c) == 0, "user 2 takes 0.004 of it");
	ok((r = rec_find(e, 10)) != NULL &&
	    r->status == OST_PARTIALLY_FILLED && r->lock == 600000,
	    "the limit leg is partly filled, 0.006 still locked");
	ok((r = rec_find(e, 11)) != NULL && r->status == OST_CANCELED &&
	    r->lock == 0, "the stop leg is cancelled");
	c = stop_cmd(13, 2, ORD_BUY, ORD_LIMIT, 0, p - 10000, 2000000, m);
	ok(engine_apply(e, 0, &c) == 0, "a bid at p-100.00");
	c = stop_cmd(14, 4, ORD_SELL, ORD_LIMIT, 0, p - 10000, 100000, m);
	ok(engine_apply(e, 0, &c) == 0 && e->mk[0].last_price == p - 10000,
	    "a trade at p-100.00");
	ok((r = rec_find(e, 13)) != NULL && r->executed == 100000,
	    "the cancelled stop leg did not trigger");

	/* The stop leg triggers: the limit leg is cancelled. */
	c.kind = CMD_CANCEL;
	c.order_id = 10;
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 10)) != NULL &&
	    r->status == OST_CANCELED && r->lock == 0, "leg 10 cancelled");
	ok(oco_sell(e, 20, p + 20000, p - 20000, 1000000, m) == 0,
	    "an OCO sell: limit at p+200.00, stop at p-200.00");
	c = stop_cmd(22, 2, ORD_BUY, ORD_LIMIT, 0, p - 20000, 2000000, m);
	ok(engine_apply(e, 0, &c) == 0, "a bid at p-200.00");
	c = stop_cmd(23, 4, ORD_SELL, ORD_LIMIT, 0, p - 20000, 2000000, m);
	ok(engine_apply(e, 0, &c) == 0, "user 4 sells down to p-200.00");
	ok((r = rec_find(e, 21)) != NULL && r->triggered &&
	    r->status == OST_FILLED && r->executed == 1000000 && r->lock == 0,
	    "the stop leg triggers and fills with the list's lock");
	ok((r = rec_find(e, 20)) != NULL && r->status == OST_CANCELED &&
	    r->executed == 0 && r->lock == 0, "the limit leg is cancelled");
	ok(book_get(e->mk[0].book, 20, NULL) != BOOK_OK,
	    "and gone from the book");

	/* A leg cancelled cancels the list. */
	ok(oco_sell(e, 30, p + 20000, p - 30000, 1000000, m) == 0,
	    "an OCO sell: limit at p+200.00, stop at p-300.00");
	c.kind = CMD_CANCEL;
	c.order_id = 31;
	ok(engine_apply(e, 0, &c) == 0, "its stop leg cancelled");
	ok((r = rec_find(e, 31)) != NULL && r->status == OST_CANCELED &&
	    (r = rec_find(e, 30)) != NULL && r->status == OST_CANCELED &&
	    r->lock == 0, "both legs CANCELED, the lock released");

	/* A limit leg that trades when placed goes on alone. */
	c = stop_cmd(40, 2, ORD_BUY, ORD_LIMIT, 0, p + 5000, 400000, m);
	ok(engine_apply(e, 0, &c) == 0, "a bid at p+50.00");
	ok(oco_sell(e, 41, p + 5000, p - 40000, 1000000, m) == 0,
	    "an OCO sell whose limit leg meets it when placed");
	ok((r = rec_find(e, 41)) != NULL &&
	    r->status == OST_PARTIALLY_FILLED && r->lock == 600000,
	    "the limit leg trades 0.004 and rests, 0.006 locked");
	ok((r = rec_find(e, 42)) != NULL && r->status == OST_CANCELED &&
	    r->lock == 0, "its stop leg, coming after, is CANCELED");
	ok(stops_get(e->mk[0].stops, 42, &so) != BOOK_OK,
	    "and never waits in the stop book");
	c.kind = CMD_CANCEL;
	c.order_id = 41;
	ok(engine_apply(e, 0, &c) == 0 && (r = rec_find(e, 41)) != NULL &&
	    r->status == OST_CANCELED && r->lock == 0,
	    "the limit leg cancels alone, its lock released");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "BTC") == 0 &&
	    engine_batch_net(e, "TRY") == 0, "the batch nets to zero");
	engine_batch_end(e);
	engine_free(e);
}

int
main(void)
{
	test_oco();
	return done_testing();
}
