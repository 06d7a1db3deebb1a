/* tests/fuzz/fuzz_binance.c — libFuzzer: any bytes as each of Binance's answers (error, account, apiRestrictions, exchangeInfo, prices, klines, order, myTrades); what parses holds only checked values */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "domain/binance_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
dec_or_die(const char *s)
{
	if (!binance_dec_ok(s))
		abort();
}

static void
one_account(struct arena *a, const char *d, size_t n)
{
	struct binance_account ac;
	size_t i;

	if (binance_account_parse(a, d, n, &ac) == -1) {
		if (ac.nbalances != 0)
			abort();
		return;
	}
	for (i = 0; i < ac.nbalances; i++) {
		if (ac.balances[i].asset[0] == '\0')
			abort();
		dec_or_die(ac.balances[i].free);
		dec_or_die(ac.balances[i].locked);
	}
}

static void
one_order(struct arena *a, const char *d, size_t n)
{
	struct binance_order o;
	size_t i;

	if (binance_order_parse(a, d, n, &o) == -1)
		return;
	if (!binance_symbol_ok(o.symbol))
		abort();
	dec_or_die(o.price);
	dec_or_die(o.orig_qty);
	dec_or_die(o.executed_qty);
	dec_or_die(o.cumm_quote_qty);
	for (i = 0; i < o.nfills; i++) {
		dec_or_die(o.fills[i].price);
		dec_or_die(o.fills[i].qty);
		dec_or_die(o.fills[i].commission);
	}
}

static void
one_trades(struct arena *a, const char *d, size_t n)
{
	struct binance_order o;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.order_id = 28;
	if (binance_trades_parse(a, d, n, &o) == -1) {
		if (o.nfills != 0 || o.fills != NULL)
			abort();
		return;
	}
	for (i = 0; i < o.nfills; i++) {
		dec_or_die(o.fills[i].price);
		dec_or_die(o.fills[i].qty);
		dec_or_die(o.fills[i].commission);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const syms[2] = { "BTCUSDT", "ETHUSDT" };
	const char *d = (const char *)data;
	struct arena *a = arena_new();
	struct binance_status st;
	struct binance_restrictions rs;
	struct binance_price p, ps[2];
	struct binance_lot lot;
	struct binance_kline k[8];
	size_t n, i;

	if (a == NULL)
		return 0;
	memset(&st, 0, sizeof(st));
	if (binance_error_parse(d, size, &st) == 0) {
		if (st.code >= 0)
			abort();
		for (i = 0; st.msg[i] != '\0'; i++)
			if ((unsigned char)st.msg[i] < 0x20 || st.msg[i] == 0x7f)
				abort();
	}
	(void)binance_restrictions_parse(d, size, &rs);
	if (binance_lot_parse(d, size, "BTCUSDT", &lot) == 0) {
		if (strcmp(lot.symbol, "BTCUSDT") != 0 || strspn(lot.step, "0.") ==
		    strlen(lot.step))
			abort();
		dec_or_die(lot.step);
		dec_or_die(lot.min_qty);
		dec_or_die(lot.max_qty);
		dec_or_die(lot.min_notional);
	}
	if (binance_price_parse(d, size, "BTCUSDT", &p) == 0) {
		if (strcmp(p.symbol, "BTCUSDT") != 0)
			abort();
		dec_or_die(p.price);
	}
	if (binance_prices_parse(d, size, syms, 2, ps) == 0)
		for (i = 0; i < 2; i++) {
			if (strcmp(ps[i].symbol, syms[i]) != 0)
				abort();
			dec_or_die(ps[i].price);
		}
	if (binance_klines_parse(d, size, k, 8, &n) == 0) {
		if (n > 8)
			abort();
		for (i = 0; i < n; i++) {
			if (k[i].close_time < k[i].open_time ||
			    (i > 0 && k[i].open_time <= k[i - 1].open_time))
				abort();
			dec_or_die(k[i].close);
		}
	}
	one_account(a, d, size);
	one_order(a, d, size);
	one_trades(a, d, size);
	{
		int64_t ms;

		if (binance_time_parse(d, size, &ms) == 0 && ms <= 0)
			abort();
	}
	arena_free(a);
	return 0;
}
