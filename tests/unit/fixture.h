/* tests/unit/fixture.h — what the C unit tests share: a replayable random stream and test markets */
#ifndef HZM_FIXTURE_H
#define HZM_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "domain/trade_math.h"

/* xorshift64*, so a failing stream can be replayed from its seed. */
static inline uint64_t
fx_rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* A number in [lo, hi]. */
static inline int64_t
fx_between(uint64_t *s, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(fx_rnd(s) % (uint64_t)(hi - lo + 1));
}

/*
 * An active market with the sandbox's fees (maker 0.1%, taker 0.2%), no
 * minimums and no price band: price, quantity, base and quote precisions.
 */
static inline struct market
fx_market(const char *sym, const char *base, const char *quote, int ps, int qs,
    int bs, int qa)
{
	struct market m;

	memset(&m, 0, sizeof(m));
	snprintf(m.symbol, sizeof(m.symbol), "%s", sym);
	snprintf(m.base, sizeof(m.base), "%s", base);
	snprintf(m.quote, sizeof(m.quote), "%s", quote);
	snprintf(m.status, sizeof(m.status), "ACTIVE");
	m.price_scale = ps;
	m.qty_scale = qs;
	m.base_scale = bs;
	m.quote_scale = qa;
	m.maker_fee = 1000;		/* 0.001 */
	m.taker_fee = 2000;		/* 0.002 */
	return m;
}

/* BTCTRY as the sandbox has it, minimums included (no band). */
static inline struct market
fx_btctry(void)
{
	struct market m = fx_market("BTCTRY", "BTC", "TRY", 2, 8, 8, 2);

	m.min_qty = 1000;		/* 0.00001 */
	m.min_notional = 1000;		/* 10.00 */
	return m;
}

#endif
