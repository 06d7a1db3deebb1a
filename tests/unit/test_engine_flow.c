/* tests/unit/test_engine_flow.c — the matcher's engine settling trades without a database: the spec's market buy, socket orders, a change of fees */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "matcher/engine.h"
#include "tests/unit/fixture.h"
#include "tests/unit/fixture_engine.h"
#include "tests/unit/tap.h"

/* Spec §11.2 step 3 in the engine: a market buy against a resting sell. */
static void
flow_take(struct engine *e, struct cmd *sell, struct cmd *buy)
{
	const struct order_rec *r;
	int64_t lock;
	size_t i;

	engine_batch_begin(e, 1700000000000LL);
	ok(engine_apply(e, 0, sell) == 0 && engine_apply(e, 0, buy) == 0,
	    "sell rests, market buy takes");
	ok(engine_batch_seal(e) == 0, "batch sealed");
	is_int(e->ntrades, 1, "one trade");
	is_int(e->trades[0].quote, 925000, "9250.00 TRY");
	is_int(e->trades[0].taker_fee, 1850, "taker fee 18.50");
	is_int(e->trades[0].maker_fee, 925, "maker fee 9.25");
	for (i = 0; i < e->norders; i++) {
		r = &e->orders[i];
		if (r->id == 2) {
			is_int(r->status, OST_FILLED, "the buy is FILLED");
			is_int(r->lock, 0, "and its lock released");
		} else {
			is_int(r->status, OST_PARTIALLY_FILLED, "the sell is partly filled");
			is_int(r->lock, 500000, "and keeps 0.005 BTC locked");
		}
	}
	lock = 0;
	for (i = 0; i < e->nledger; i++)
		if (e->ledger[i].user_id == FEE_USER)
			lock += e->ledger[i].d_available;
	is_int(lock, 2775, "27.75 TRY of fees to the fee account");
	for (i = 0; i < e->nledger; i++)
		if (e->ledger[i].user_id == 1 && e->ledger[i].kind == LK_ORDER_UNLOCK)
			is_int(e->ledger[i].d_available, 973193 - 926850,
			    "the unused lock goes back");
	engine_batch_end(e);
}

/* Then: cancel the rest; FOK that cannot fill; a buy by quote amount. */
static void
flow_after(struct engine *e, struct cmd *sell, struct cmd *buy)
{
	const struct order_rec *r;
	struct cmd cxl;

	engine_batch_begin(e, 1700000001000LL);
	cxl = *sell;
	cxl.seq = 3;
	cxl.kind = CMD_CANCEL;
	ok(engine_apply(e, 0, &cxl) == 0 && e->norders == 1 &&
	    e->orders[0].status == OST_CANCELED && e->orders[0].lock == 0,
	    "cancel releases the rest");
	ok(e->nledger == 1 && e->ledger[0].d_available == 500000 &&
	    e->ledger[0].d_locked == -500000, "as one ORDER_UNLOCK row");
	engine_batch_end(e);
	engine_batch_begin(e, 1700000002000LL);
	sell->seq = 4;
	sell->order_id = 3;
	ok(engine_apply(e, 0, sell) == 0, "a new resting sell of 0.01");
	buy->seq = 5;
	buy->order_id = 4;
	buy->type = ORD_LIMIT;
	buy->tif = ORD_FOK;
	buy->price = 185000000;
	buy->qty = 2000000;
	ok(trade_buy_lock(&e->mk[0].m, buy->price, buy->qty, &buy->lock) == 0 &&
	    engine_apply(e, 0, buy) == 0, "FOK for 0.02 against 0.01");
	r = &e->orders[e->norders - 1];
	ok(r->status == OST_EXPIRED && r->executed == 0 && e->ntrades == 0,
	    "FOK expires untouched");
	buy->seq = 6;
	buy->order_id = 5;
	buy->type = ORD_MARKET;
	buy->tif = ORD_IOC;
	buy->qty = 0;
	buy->lock = 1000000;		/* 10,000.00 TRY */
	ok(engine_apply(e, 0, buy) == 0, "market buy for 10000.00 TRY");
	r = &e->orders[e->norders - 1];
	diag("the buy by quote amount:");
	is_int(r->executed, 539461, "0.00539461 BTC = floor(10000 / 1853700)");
	ok(r->status == OST_FILLED &&
	    r->cum_quote + r->fees <= 1000000,
	    "FILLED, spending at most 10000.00 TRY with the fee");
	engine_batch_end(e);
}

static void
test_flow(void)
{
	struct engine *e = engine_make_two();
	struct cmd sell, buy;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	flow_orders(1, &sell, &buy);
	flow_take(e, &sell, &buy);
	flow_after(e, &sell, &buy);
	engine_free(e);
}

/* Orders from the socket: their lock row, no inbox row, the buy estimate. */
static void
test_direct(void)
{
	struct engine *e = engine_make_two();
	struct cmd sell, buy;
	int64_t cost, got, net;
	size_t i, locks = 0;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	flow_orders(10, &sell, &buy);
	sell.direct = buy.direct = 1;
	engine_batch_begin(e, 1700000000000LL);
	ok(engine_lock(e, 0, &sell) == 0 && engine_apply(e, 0, &sell) == 0,
	    "a socket sell: locked, then applied");
	is_int(e->nseqs, 0, "no inbox row to delete for it");
	is_int(e->mk[0].last_seq, 10, "its seq is the market's last");
	ok(e->nledger == 1 && e->ledger[0].kind == LK_ORDER_LOCK &&
	    e->ledger[0].d_available == -1000000 &&
	    e->ledger[0].d_locked == 1000000 &&
	    strcmp(e->ledger[0].asset, "BTC") == 0,
	    "ORDER_LOCK: 0.01 BTC from available to locked");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "BTC") == 0,
	    "the batch creates no BTC");
	engine_batch_end(e);

	/* 0.005 BTC of the ask at 1,850,000.00: 9250.00 + 0.2% = 9268.50. */
	ok(engine_buy_cost(e, 0, 500000, &cost, &got) == 0,
	    "the cost of a market buy from the book");
	is_int(cost, 926850, "9268.50 TRY with the taker fee");
	is_int(got, 500000, "the book holds all of it");
	ok(engine_buy_cost(e, 0, 3000000, &cost, &got) == 0 && got == 1000000,
	    "more than the book holds: what it holds");

	engine_batch_begin(e, 1700000001000LL);
	ok(engine_lock(e, 0, &buy) == 0 && engine_apply(e, 0, &buy) == 0 &&
	    engine_batch_seal(e) == 0, "a socket market buy takes it");
	for (i = 0; i < e->nledger; i++)
		if (e->ledger[i].kind == LK_ORDER_LOCK)
			locks++;
	is_int(locks, 1, "one ORDER_LOCK row for it");
	net = engine_batch_net(e, "TRY");
	is_int(net, 0, "lock, trade, fees and unlock net to nothing in TRY");
	is_int(e->nseqs, 0, "and nothing to delete from the inbox");
	engine_batch_end(e);
	engine_free(e);
}

/*
 * New fees take effect with the next fill: a sell pays the new rate; a
 * bid that rested since before a rise pays what its lock covers.
 */
static void
test_fee_change(void)
{
	struct engine *e = engine_make_two();
	struct cmd sell, bid;
	const struct order_rec *r;
	size_t i;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	flow_orders(1, &sell, &bid);
	bid.type = ORD_LIMIT;
	bid.tif = ORD_GTC;
	bid.price = 185000000;
	bid.qty = 1000000;			/* 0.01 BTC */
	ok(trade_buy_lock(&e->mk[0].m, bid.price, bid.qty, &bid.lock) == 0 &&
	    bid.lock == 1853700, "a bid of 0.01 BTC at 1,850,000.00 locks 18537.00");
	engine_batch_begin(e, 1700000000000LL);
	ok(engine_apply(e, 0, &bid) == 0, "it rests");
	engine_batch_end(e);
	/* The operator raises both rates to 0.5% and 0.8%. */
	e->mk[0].m.maker_fee = 5000;
	e->mk[0].m.taker_fee = 8000;
	engine_batch_begin(e, 1700000001000LL);
	sell.seq = 3;
	sell.order_id = 3;
	sell.qty = 500000;			/* 0.005 BTC */
	sell.lock = 500000;
	ok(engine_apply(e, 0, &sell) == 0 && e->ntrades == 1 && !e->fault,
	    "a sell takes half of it");
	is_int(e->trades[0].taker_fee, 7400, "the seller pays the new taker rate: 74.00");
	is_int(e->trades[0].maker_fee, 1850, "the bid pays the 0.2%% its lock covers: 18.50");
	sell.seq = 4;
	sell.order_id = 4;
	ok(engine_apply(e, 0, &sell) == 0 && e->ntrades == 2 && !e->fault,
	    "another sell takes the rest");
	is_int(e->trades[1].maker_fee, 1850, "  18.50 again");
	for (i = 0; i < e->norders; i++) {
		r = &e->orders[i];
		if (r->id == 2)
			ok(r->status == OST_FILLED && r->lock == 0 &&
			    r->fees == 3700, "the bid is FILLED, its lock spent to the last kurus");
	}
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "TRY") == 0,
	    "nothing created in TRY");
	engine_batch_end(e);
	engine_free(e);
}

int
main(void)
{
	is_str(engine_status_text(OST_PARTIALLY_FILLED), "PARTIALLY_FILLED",
	    "statuses as the API spells them");
	test_flow();
	test_direct();
	test_fee_change();
	return done_testing();
}
