/* domain/binance_parse.h — Binance's JSON answers read into domain/binance.h's structs: strict, bounded, decimals as strings */
#ifndef HZM_BINANCE_PARSE_H
#define HZM_BINANCE_PARSE_H

#include <stddef.h>

#include "domain/binance.h"

struct arena;

/*
 * Each parser takes the answer's bytes (len is authoritative: no NUL is
 * needed, and one inside is a fault), wants one JSON value and nothing
 * but whitespace after it, and answers 0 with out filled, or -1. Strings
 * must fit their fields; decimals must be non-negative plain decimals
 * ("0", "0.00100000"); arrays land in the arena.
 */

/* {"code": -1121, "msg": "Invalid symbol."}: st->code and st->msg. */
int	binance_error_parse(const char *, size_t, struct binance_status *st);
int	binance_account_parse(struct arena *, const char *, size_t,
	    struct binance_account *);
int	binance_restrictions_parse(const char *, size_t,
	    struct binance_restrictions *);
/* GET /api/v3/time: Binance's clock, ms. */
int	binance_time_parse(const char *, size_t, int64_t *server_ms);
/*
 * GET /api/v3/myTrades?orderId=: out's trades (out->order_id's, each)
 * as its fills, with their commissions; -1 (no fills) otherwise.
 */
int	binance_trades_parse(struct arena *, const char *, size_t,
	    struct binance_order *out);
/* GET /api/v3/exchangeInfo?symbol=: symbol's lot for MARKET orders. */
int	binance_lot_parse(const char *, size_t, const char *symbol,
	    struct binance_lot *out);
/* One {"symbol","price"}; its symbol must be symbol. */
int	binance_price_parse(const char *, size_t, const char *symbol,
	    struct binance_price *);
/* An array of them: each of symbols[0..n) exactly once, in any order. */
int	binance_prices_parse(const char *, size_t, const char *const *symbols,
	    size_t n, struct binance_price *out);
int	binance_klines_parse(const char *, size_t, struct binance_kline *out,
	    size_t max, size_t *n);
int	binance_order_parse(struct arena *, const char *, size_t,
	    struct binance_order *);

/* A plain non-negative decimal of 1..BINANCE_DEC_MAX bytes. */
int	binance_dec_ok(const char *);
/* Whether such a decimal is zero ("0.00000000"). */
int	binance_dec_zero(const char *);
/* A symbol: [A-Z0-9], 1..BINANCE_SYMBOL_MAX. */
int	binance_symbol_ok(const char *);
/* newClientOrderId: [.A-Z:/a-z0-9_-], 1..BINANCE_CLIENT_ID_MAX. */
int	binance_client_id_ok(const char *);

#endif
