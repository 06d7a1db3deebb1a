/* domain/binance.h — the Binance spot REST client over core/httpc: signed requests, account, prices, klines, orders */
#ifndef HZM_BINANCE_H
#define HZM_BINANCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct ctx;

/*
 * How the bots' worker uses this module
 * -------------------------------------
 * Every call takes the service context (its arena holds what the answer
 * points to), answers enum err, and fills a struct binance_status with
 * what Binance said (always, success or not):
 *
 *   ERR_OK                    Binance answered 2xx and the answer parsed.
 *   ERR_INVALID_REQUEST       Binance refused the request (4xx with a code):
 *                             st.code / st.msg say why. binance_key_refused()
 *                             tells the key's own faults (-2014 key format,
 *                             -2015 key, IP or permissions, -1022 signature,
 *                             i.e. a wrong secret): the worker then calls
 *                             binance_key_invalidate() (domain/binance_keys.h)
 *                             and stops the user's bots; other codes (-1013
 *                             filters, -2010 new order rejected, including
 *                             "Duplicate order sent." and insufficient
 *                             balance, -1121 invalid symbol) are the order's.
 *   ERR_NOT_FOUND             binance_order_get: no such order (-2013).
 *   ERR_RATE_LIMIT_EXCEEDED   429 or 418 (an IP ban): st.retry_after is the
 *                             seconds Binance asked to wait. The wait is kept
 *                             in memcached for every hzm process, and calls
 *                             made before it ends fail at once with this
 *                             code, without a request (Binance bans IPs that
 *                             keep sending after a 429).
 *   ERR_SYSTEM_003            no answer (down, refused, timed out), a 5xx, an
 *                             answer that does not parse, or -1021 (this
 *                             server's clock is outside recvWindow): nothing
 *                             the caller did; try later. For POST order a
 *                             5xx or timeout means "status unknown" as Binance
 *                             documents it: look the order up by its
 *                             newClientOrderId with binance_order_get()
 *                             before sending it again.
 *   ERR_INTERNAL              out of memory, or bad arguments.
 *
 * Signed calls (account, apiRestrictions, orders) take the user's
 * credentials, opened with binance_key_open() and wiped with
 * binance_creds_wipe() as soon as the calls are done. Prices and klines
 * are public. Decimals are kept as Binance writes them ("0.00150000"):
 * checked to be non-negative decimals, never converted to floats; parse
 * them with dec_parse() at the asset's scale.
 *
 * Settings: binance_base_url (https://api.binance.com; the operator's:
 * a private address is allowed there, as for a stand-in or a relay),
 * binance_recv_window (ms, 5000), binance_timeout_ms (5000, the whole
 * exchange). No call is repeated by the client itself: the caller's next
 * cycle asks again.
 */

#define BINANCE_KEY_MAX		128	/* API key and secret: [A-Za-z0-9] */
#define BINANCE_SYMBOL_MAX	20	/* BTCUSDT: [A-Z0-9] */
#define BINANCE_ASSET_MAX	16
#define BINANCE_DEC_MAX		40	/* "12345.67800000" */
#define BINANCE_CLIENT_ID_MAX	36	/* newClientOrderId: [.A-Z:/a-z0-9_-] */
#define BINANCE_MSG_MAX		200
#define BINANCE_PRICES_MAX	100	/* symbols in one ticker/price call */
#define BINANCE_KLINES_MAX	1000	/* Binance's own limit */

struct binance_creds {
	char	api_key[BINANCE_KEY_MAX + 1];
	char	secret[BINANCE_KEY_MAX + 1];
};

/* What Binance answered to one call. */
struct binance_status {
	long	 http_status;			/* 0: no answer */
	int	 code;				/* Binance's error code, 0: none */
	char	 msg[BINANCE_MSG_MAX + 1];	/* its msg, or why no answer */
	long	 retry_after;			/* seconds (429, 418), else 0 */
	long	 used_weight;			/* X-MBX-USED-WEIGHT-1M, -1: absent */
};

struct binance_balance {
	char	asset[BINANCE_ASSET_MAX + 1];
	char	free[BINANCE_DEC_MAX + 1];
	char	locked[BINANCE_DEC_MAX + 1];
};

/* GET /api/v3/account (with omitZeroBalances=true). */
struct binance_account {
	int			 can_trade;
	int			 can_withdraw;
	char			 account_type[16];	/* "SPOT" */
	char			 permissions[128];	/* "SPOT,MARGIN" */
	struct binance_balance	*balances;		/* in the arena */
	size_t			 nbalances;
};

/* GET /sapi/v1/account/apiRestrictions. */
struct binance_restrictions {
	int	ip_restrict;
	int	enable_reading;
	int	enable_withdrawals;
	int	enable_spot_trading;	/* enableSpotAndMarginTrading */
};

struct binance_price {
	char	symbol[BINANCE_SYMBOL_MAX + 1];
	char	price[BINANCE_DEC_MAX + 1];
};

/*
 * The quantities a symbol takes in a MARKET order (exchangeInfo's
 * MARKET_LOT_SIZE, or LOT_SIZE where that has no step): a multiple of
 * step, at least min_qty, at most max_qty (max_qty "0": no limit); and
 * worth at least min_notional in the quote asset (NOTIONAL with
 * applyMinToMarket, or the older MIN_NOTIONAL with applyToMarket; "0"
 * when none applies).
 */
struct binance_lot {
	char	symbol[BINANCE_SYMBOL_MAX + 1];
	char	step[BINANCE_DEC_MAX + 1];
	char	min_qty[BINANCE_DEC_MAX + 1];
	char	max_qty[BINANCE_DEC_MAX + 1];
	char	min_notional[BINANCE_DEC_MAX + 1];
};

struct binance_kline {
	int64_t	open_time;		/* ms */
	int64_t	close_time;		/* ms */
	char	open[BINANCE_DEC_MAX + 1];
	char	high[BINANCE_DEC_MAX + 1];
	char	low[BINANCE_DEC_MAX + 1];
	char	close[BINANCE_DEC_MAX + 1];
	char	volume[BINANCE_DEC_MAX + 1];
	char	quote_volume[BINANCE_DEC_MAX + 1];
	long	trades;
};

struct binance_klines_req {
	const char	*symbol;
	const char	*interval;	/* 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M */
	int64_t		 start_time;	/* ms, 0: not sent */
	int64_t		 end_time;	/* ms, 0: not sent */
	int		 limit;		/* 1..1000, 0: Binance's default (500) */
};

enum binance_side { BINANCE_BUY, BINANCE_SELL };
enum binance_type { BINANCE_MARKET, BINANCE_LIMIT };

/*
 * POST /api/v3/order. MARKET takes quantity (base) or quote_qty
 * (quoteOrderQty, quote), one of them; LIMIT takes quantity, price and
 * time_in_force ("GTC" when NULL). client_order_id is required: it is
 * the key to look the order up after an unknown outcome, and Binance
 * refuses a second open order under it (-2010 "Duplicate order sent.").
 */
struct binance_order_req {
	const char		*symbol;
	enum binance_side	 side;
	enum binance_type	 type;
	const char		*quantity;	/* or NULL */
	const char		*quote_qty;	/* MARKET only, or NULL */
	const char		*price;		/* LIMIT */
	const char		*time_in_force;	/* LIMIT: GTC, IOC, FOK */
	const char		*client_order_id;
};

struct binance_fill {
	char	price[BINANCE_DEC_MAX + 1];
	char	qty[BINANCE_DEC_MAX + 1];
	char	commission[BINANCE_DEC_MAX + 1];
	char	commission_asset[BINANCE_ASSET_MAX + 1];
	int64_t	trade_id;
};

/*
 * An order as POST (newOrderRespType FULL: with fills) or GET
 * /api/v3/order (no fills) answers it. status: NEW, PARTIALLY_FILLED,
 * FILLED, CANCELED, PENDING_CANCEL, REJECTED, EXPIRED, EXPIRED_IN_MATCH.
 */
struct binance_order {
	char			 symbol[BINANCE_SYMBOL_MAX + 1];
	int64_t			 order_id;
	char			 client_order_id[BINANCE_CLIENT_ID_MAX + 1];
	char			 status[20];
	char			 side[8];		/* BUY, SELL */
	char			 type[24];		/* MARKET, LIMIT */
	char			 time_in_force[8];
	char			 price[BINANCE_DEC_MAX + 1];
	char			 orig_qty[BINANCE_DEC_MAX + 1];
	char			 executed_qty[BINANCE_DEC_MAX + 1];
	char			 cumm_quote_qty[BINANCE_DEC_MAX + 1];
	int64_t			 time;			/* transactTime or time, ms */
	struct binance_fill	*fills;			/* in the arena */
	size_t			 nfills;
};

/* The user's account: balances, canTrade, permissions. */
enum err	 binance_account(struct ctx *, const struct binance_creds *,
		    struct binance_account *, struct binance_status *);
/* The key's permissions: withdrawals, IP restriction, trading. */
enum err	 binance_api_restrictions(struct ctx *,
		    const struct binance_creds *, struct binance_restrictions *,
		    struct binance_status *);
/* GET /api/v3/exchangeInfo?symbol=: the quantities a MARKET order takes. */
enum err	 binance_lot(struct ctx *, const char *symbol, struct binance_lot *,
		    struct binance_status *);
/* GET /api/v3/ticker/price?symbol=: one symbol's last price. */
enum err	 binance_price(struct ctx *, const char *symbol,
		    struct binance_price *, struct binance_status *);
/*
 * GET /api/v3/ticker/price?symbols=[...]: several symbols in one request
 * (1..BINANCE_PRICES_MAX, each once); out[i] is symbols[i]'s price.
 */
enum err	 binance_prices(struct ctx *, const char *const *symbols,
		    size_t n, struct binance_price *out, struct binance_status *);
/* GET /api/v3/klines, oldest first; *n candles into out (at most max). */
enum err	 binance_klines(struct ctx *, const struct binance_klines_req *,
		    struct binance_kline *out, size_t max, size_t *n,
		    struct binance_status *);
/* POST /api/v3/order (never retried by itself). */
enum err	 binance_order_new(struct ctx *, const struct binance_creds *,
		    const struct binance_order_req *, struct binance_order *,
		    struct binance_status *);
/*
 * Several POST /api/v3/order at once (libcurl multi, at most
 * binance_parallel (16) connections at a time), each with its own
 * credentials: o[i].e, .out and .st as binance_order_new() answers for
 * o[i].req. A wait Binance asked for fails them all without a request.
 */
struct binance_order_call {
	const struct binance_creds	*k;
	struct binance_order_req	 req;
	struct binance_order		 out;
	struct binance_status		 st;
	enum err			 e;
};
void		 binance_orders_new(struct ctx *, struct binance_order_call *o,
		    size_t n);
/* GET /api/v3/order?origClientOrderId=: ERR_NOT_FOUND when unknown. */
enum err	 binance_order_get(struct ctx *, const struct binance_creds *,
		    const char *symbol, const char *client_order_id,
		    struct binance_order *, struct binance_status *);
/*
 * GET /api/v3/myTrades?symbol=&orderId=: o's trades as its fills, with
 * the commissions GET /api/v3/order does not carry.
 */
enum err	 binance_order_trades(struct ctx *, const struct binance_creds *,
		    struct binance_order *o, struct binance_status *);

/* The key itself is at fault (-2014, -2015, -1022): mark it invalid. */
int		 binance_key_refused(const struct binance_status *);
void		 binance_creds_wipe(struct binance_creds *);

/*
 * For tests and the parsers: the signature of a SIGNED request, the hex
 * HMAC-SHA256 of all its parameters (query string then body, as sent)
 * keyed with the secret. 0, or -1.
 */
int		 binance_sign(const char *secret, const char *params,
		    size_t len, char out[65]);
/* What an answer means (status, code) as the enum above. */
enum err	 binance_status_err(const struct binance_status *);
/* [A-Za-z0-9], 1..BINANCE_KEY_MAX: what may go into X-MBX-APIKEY. */
int		 binance_key_chars_ok(const char *);

#endif
