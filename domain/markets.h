/* domain/markets.h — markets as orders see them: read from PostgreSQL, kept a second per process */
#ifndef HZM_MARKETS_H
#define HZM_MARKETS_H

#include <stdint.h>

#include <libpq-fe.h>

#include "core/err.h"
#include "domain/trade_math.h"

struct ctx;

/* The market columns market_fill() reads (13 columns). */
#define MARKET_NCOLUMNS	13
#define MARKET_COLUMNS \
	"m.symbol, m.base_asset, m.quote_asset, m.status," \
	" m.price_precision, m.quantity_precision, b.precision, q.precision," \
	" m.min_quantity::text, m.min_notional::text, m.maker_fee::text," \
	" m.taker_fee::text, m.price_band_pct::text"
#define MARKET_FROM \
	" FROM markets m JOIN assets b ON b.code = m.base_asset" \
	" JOIN assets q ON q.code = m.quote_asset"

/* A market from a row of MARKET_COLUMNS starting at column col; -1 if unusable. */
int		 market_fill(struct market *, PGresult *, int row, int col);
/* Load a market by symbol: ERR_TRADE_005 when unknown. */
enum err	 market_load(struct ctx *, const char *symbol, struct market *);
/*
 * The same, from the process's copy when it is under a second old: good
 * enough to accept an order on, since the matcher and the database hold
 * the truth.
 */
enum err	 market_get(struct ctx *, const char *symbol, struct market *);
/* A NUMERIC column's text (trailing zeros to scale 18) at scale; NULL is 0. */
int		 market_numeric(const char *, int scale, int64_t *);

#endif
