/* tests/fuzz/fuzz_orders.c — libFuzzer: POST /orders bodies through order_in_parse and the lock arithmetic; the lock rule; the band; refusals */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/decimal.h"
#include "domain/orders.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * The lock rule against a balance: a market buy by quantity locks at
 * least the asks' cost and never more than the balance holds; any order
 * the balance covers locks what the rule gave it without the balance.
 */
static void
lock_check(const struct market *m, uint64_t raw)
{
	struct trade_order o;
	struct trade_funds fu;
	struct trade_lock plan, l;

	memset(&o, 0, sizeof(o));
	o.side = raw & 1 ? ORD_BUY : ORD_SELL;
	o.type = raw & 2 ? ORD_MARKET : ORD_LIMIT;
	o.price = o.type == ORD_LIMIT ? (int64_t)(raw >> 8 & 0xffffff) + 1 : 0;
	o.qty = (int64_t)(raw >> 32 & 0xffffff);
	if (o.side == ORD_BUY && o.type == ORD_MARKET && raw & 4) {
		o.qoq = o.qty + 1;
		o.qty = 0;
	} else
		o.qty++;
	fu.avail = (int64_t)(raw >> 20 & 0xfffffff);
	fu.cost = (int64_t)(raw >> 12 & 0xfffffff);
	fu.got = raw & 8 ? 0 : o.qty;
	if (trade_lock(m, &o, NULL, &plan) != TRADE_LOCK_OK)
		return;
	switch (trade_lock(m, &o, &fu, &l)) {
	case TRADE_LOCK_OK:
		if (l.amount > fu.avail || l.amount < 0 ||
		    (plan.by_cost && fu.got > 0 && l.amount < fu.cost) ||
		    (!plan.by_cost && l.amount != plan.amount))
			abort();
		break;
	case TRADE_LOCK_POOR:
		if (l.need <= fu.avail)
			abort();
		break;
	default:
		abort();
	}
}

/*
 * The market is taken from the first bytes, so scales and fees vary too:
 * the lock must cover every way the matcher can split the order into
 * fills (quote amounts and fees rounded down, the lock rounded up).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct market m;
	struct order_in in;
	struct order_fail f;
	struct trade_ref ref;
	struct json_object *o;
	int64_t price, qty, lock, whole, fee, half, q1, q2, f1, f2, lo, hi;
	uint64_t raw = 0;
	char *text;

	if (size < 4)
		return 0;
	memset(&m, 0, sizeof(m));
	m.price_scale = data[0] % 9;
	m.qty_scale = data[1] % 9;
	m.quote_scale = m.price_scale < 2 ? m.price_scale : 2 + data[2] % 7;
	m.base_scale = m.qty_scale;
	m.maker_fee = data[3] % 100;		/* up to 0.0099 at scale 6 */
	m.taker_fee = data[3] % 200;
	data += 4;
	size -= 4;
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	o = json_tokener_parse(text);
	if (order_in_parse(o, &in, &f) == 0) {
		/* What parsing promises the handler. */
		if (in.symbol == NULL || (in.type == ORD_LIMIT && in.price == NULL) ||
		    (in.quantity == NULL && in.quote_order_qty == NULL) ||
		    (!in.oco && (in.stop != 0) != (in.stop_price != NULL)) ||
		    (in.oco && (in.stop != 0 || in.stop_price == NULL ||
		    in.quantity == NULL || in.tif != ORD_GTC)) ||
		    (!in.oco && in.stop_limit_price != NULL) ||
		    (in.type == ORD_MARKET && in.tif == ORD_GTC) ||
		    (unsigned)in.stp > ORD_STP_EXPIRE_BOTH)
			abort();
		if (in.type == ORD_LIMIT && in.side == ORD_BUY &&
		    dec_parse(in.price, strlen(in.price), m.price_scale, &price) == DEC_OK &&
		    in.quantity != NULL &&
		    dec_parse(in.quantity, strlen(in.quantity), m.qty_scale, &qty) == DEC_OK &&
		    price > 0 && qty > 0 && price <= TRADE_PRICE_MAX &&
		    qty <= TRADE_QTY_MAX && trade_buy_lock(&m, price, qty, &lock) == 0) {
			/* One fill, or two halves: never more than the lock. */
			if (trade_quote_amount(&m, price, qty, &whole) == 0 &&
			    trade_fee(&m, whole, 0, &fee) == 0 && whole + fee > lock)
				abort();
			half = qty / 2;
			if (half > 0 &&
			    trade_quote_amount(&m, price, half, &q1) == 0 &&
			    trade_quote_amount(&m, price, qty - half, &q2) == 0 &&
			    trade_fee(&m, q1, 0, &f1) == 0 &&
			    trade_fee(&m, q2, 1, &f2) == 0 &&
			    q1 + q2 + f1 + f2 > lock)
				abort();
		}
	} else if (f.field == NULL && f.reason == NULL)
		abort();	/* a refusal always says why */
	json_object_put(o);

	/* The matcher's refusal words: any text; a refusal always says why. */
	memset(&f, 0, sizeof(f));
	if (order_refusal(&m, text, &f) != ERR_OK && f.field == NULL)
		abort();
	/* The band holds its reference and stays within prices, whatever the rate. */
	memcpy(&raw, data, size < sizeof(raw) ? size : sizeof(raw));
	memset(&ref, 0, sizeof(ref));
	ref.last = (int64_t)(raw % (uint64_t)TRADE_PRICE_MAX) + 1;
	ref.last_ms = 1;
	m.band = (int64_t)(raw >> 40) % 20000000 + 1;
	if (trade_band(&m, ORD_BUY, &ref, 2, &lo, &hi) != 1 || lo < 1 ||
	    lo > ref.last || hi < ref.last || hi > TRADE_PRICE_MAX)
		abort();
	lock_check(&m, raw);
	free(text);
	return 0;
}
