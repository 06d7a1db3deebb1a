/* tests/unit/fixture_engine.h — what the engine's unit tests share: an engine with one market or two, a stop or limit order command with its lock, the spec's resting sell and market buy, an order's record */
#ifndef HZM_FIXTURE_ENGINE_H
#define HZM_FIXTURE_ENGINE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "matcher/engine.h"
#include "tests/unit/fixture.h"

#define FEE_USER	100	/* the account fees are paid to */

/* An engine with one market, BTCTRY: prices to 2 places, quantities to 8. */

static inline struct engine *
engine_make(void)
{
	static struct engine e;
	struct market a = fx_market("BTCTRY", "BTC", "TRY", 2, 8, 8, 2);

	memset(&e, 0, sizeof(e));
	if (engine_init(&e, FEE_USER) == -1 ||
	    engine_market_add(&e, &a, 0, 0) != 0)
		return NULL;
	return &e;
}

/* An engine with two markets: BTCTRY as above, and ETHBTC, all to 8 places. */
static inline struct engine *
engine_make_two(void)
{
	static struct engine e;
	struct market a = fx_market("BTCTRY", "BTC", "TRY", 2, 8, 8, 2);
	struct market b = fx_market("ETHBTC", "ETH", "BTC", 8, 8, 8, 8);

	memset(&e, 0, sizeof(e));
	if (engine_init(&e, FEE_USER) == -1 ||
	    engine_market_add(&e, &a, 0, 0) != 0 ||
	    engine_market_add(&e, &b, 0, 0) != 1)
		return NULL;
	return &e;
}

/*
 * The orders of spec §11.2 step 3: user 2 sells 0.01 BTC at 1,850,000.00
 * (GTC), user 1 buys 0.005 BTC at market with 9268.50 + 5% locked.
 */
static inline void
flow_orders(int64_t seq, struct cmd *sell, struct cmd *buy)
{
	memset(sell, 0, sizeof(*sell));
	sell->seq = seq;
	sell->kind = CMD_NEW;
	sell->order_id = 1;
	sell->user_id = 2;
	snprintf(sell->public_id, sizeof(sell->public_id), "ord_sell");
	sell->side = ORD_SELL;
	sell->type = ORD_LIMIT;
	sell->tif = ORD_GTC;
	sell->price = 185000000;
	sell->qty = 1000000;		/* 0.01 BTC */
	sell->lock = 1000000;
	*buy = *sell;
	buy->seq = seq + 1;
	buy->order_id = 2;
	buy->user_id = 1;
	snprintf(buy->public_id, sizeof(buy->public_id), "ord_buy");
	buy->side = ORD_BUY;
	buy->type = ORD_MARKET;
	buy->tif = ORD_IOC;
	buy->qty = 500000;		/* 0.005 BTC */
	buy->lock = 973193;		/* 9268.50 + 5% */
}

static inline struct cmd
stop_cmd(int64_t id, int64_t user, enum ord_side side, enum ord_type type,
    int64_t stopp, int64_t price, int64_t qty, const struct market *m)
{
	struct trade_order to = { .side = side, .type = type, .price = price,
	    .qty = qty, .stop = stopp };
	struct trade_lock tl;
	struct cmd c;

	memset(&c, 0, sizeof(c));
	c.seq = id;
	c.kind = CMD_NEW;
	c.order_id = id;
	c.user_id = user;
	snprintf(c.public_id, sizeof(c.public_id), "ord_%lld", (long long)id);
	c.side = side;
	c.type = type;
	c.tif = type == ORD_LIMIT ? ORD_GTC : ORD_IOC;
	c.price = price;
	c.qty = qty;
	c.stop = stopp;
	if (trade_lock(m, &to, NULL, &tl) == TRADE_LOCK_OK)
		c.lock = tl.amount;
	return c;
}

static inline const struct order_rec *
rec_find(const struct engine *e, int64_t id)
{
	size_t i;

	for (i = e->norders; i > 0; i--)
		if (e->orders[i - 1].id == id)
			return &e->orders[i - 1];
	return NULL;
}

#endif
