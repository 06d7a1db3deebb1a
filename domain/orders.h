/* domain/orders.h — placing and cancelling orders: checks, fund locks and the matcher's inbox; trade arithmetic */
#ifndef HZM_ORDERS_H
#define HZM_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "core/db.h"
#include "core/decimal.h"
#include "core/err.h"

struct arena;
struct json_object;
struct user;

/*
 * Units. A market's prices are integers at its price precision (ticks),
 * its quantities integers at its quantity precision (lots); amounts of an
 * asset are integers at the asset's precision. Fee rates are integers at
 * ORDER_FEE_SCALE (numeric(8, 6) in the schema).
 */
#define ORDER_FEE_SCALE		6
/* The order book's limit on one order (matcher/book.h BOOK_QTY_MAX). */
#define ORDER_QTY_MAX		(INT64_C(1) << 40)
#define ORDER_PRICE_MAX		(INT64_C(1) << 62)
/* clientOrderId: [A-Za-z0-9._:-]{1,36} */
#define ORDER_CLIENT_ID_MAX	36
/* A market buy by quantity locks its estimated cost plus this margin (%). */
#define ORDER_MARKET_MARGIN_PCT	5
/* The trading KYC level (spec: trading needs LEVEL_2). */
#define ORDER_KYC_LEVEL		2
/*
 * The price band's reference is the last trade price while the market has
 * traded within this long; older, the book's quotes take its place.
 */
#define ORDER_BAND_RECENT_MS	(INT64_C(3600) * 1000)

enum ord_side { ORD_BUY, ORD_SELL };
enum ord_type { ORD_LIMIT, ORD_MARKET };
enum ord_tif { ORD_GTC, ORD_IOC, ORD_FOK };

struct market {
	char		 symbol[24];
	char		 base[16];
	char		 quote[16];
	char		 status[16];
	int		 price_scale;	/* market precisions */
	int		 qty_scale;
	int		 base_scale;	/* asset precisions */
	int		 quote_scale;
	int64_t		 min_qty;	/* lots */
	int64_t		 min_notional;	/* quote units */
	int64_t		 maker_fee;	/* ORDER_FEE_SCALE */
	int64_t		 taker_fee;
	/* how far from the reference a price may be: a fraction at
	 * ORDER_FEE_SCALE (10% is 100000); 0: no band */
	int64_t		 band;
};

/* A request as the client sent it: syntax checked, values not yet. */
struct order_in {
	const char	*symbol;
	const char	*client_order_id;	/* or NULL */
	const char	*price;			/* decimal strings, or NULL */
	const char	*quantity;
	const char	*quote_order_qty;
	enum ord_side	 side;
	enum ord_type	 type;
	enum ord_tif	 tif;
	int		 tif_given;
};

/* Why a request failed: becomes the error's details. */
struct order_fail {
	const char	*field;
	const char	*reason;
	const char	*status;		/* market or order status */
	char		 required[DEC_BUFSZ];	/* INSUFFICIENT_BALANCE */
	char		 available[DEC_BUFSZ];
	char		 currency[16];
	char		 minimum[DEC_BUFSZ];	/* TRADE_002 */
	const char	*minimum_name;		/* "minQuantity", "minNotional" */
	char		 min_price[DEC_BUFSZ];	/* TRADE_003: the price band */
	char		 max_price[DEC_BUFSZ];
	const char	*order_id;		/* an order the answer is about */
};

struct order_placed {
	int64_t		 id;
	char		 idtxt[24];
	char		 public_id[32];
	/* ORDER_DIRECT: the matcher's answer, the order as the API shows it */
	struct json_object *json;
	int		 done;		/* already processed: nothing to wait for */
	/* the matcher rejected it (order_wait()): why, in the failure */
	enum err	 refused;
	struct market	 market;	/* its market, as placed */
};

/* order_place() and order_cancel() flags */
#define ORDER_LISTEN	0x01	/* have the matcher answer on our reply channel */
#define ORDER_DIRECT	0x02	/* hand the order to the matcher's socket */

/*
 * An order as the API shows it (spec Appendix C), every field a string at
 * its market's precision or NULL: one rendering for orders read from the
 * database and orders the matcher answers with.
 */
struct order_view {
	const char	*order_id, *client_order_id, *symbol, *side, *type,
			*tif, *price, *quantity, *quote_order_qty, *executed,
			*remaining, *cum_quote, *avg_price, *fee, *fee_asset,
			*status, *created_at, *updated_at;
};

/* One fill of an order, from the order's side. */
struct fill_view {
	const char	*trade_id, *price, *quantity, *quote_quantity, *role,
			*fee, *fee_asset, *timestamp;
};

struct json_object *order_view_json(const struct order_view *);
struct json_object *fill_view_json(const struct fill_view *);

/*
 * The matcher's socket protocol, one line each way. Request, integers in
 * the market's units (ticks, lots, asset units), "-" for none:
 *   <public_id> <user_id> <clientOrderId> <B|S> <L|M> <GTC|IOC|FOK>
 *   <price> <qty> <quoteOrderQty> <lock> <estimate 0|1> <deadline>
 * The deadline (epoch milliseconds) is when the handler may stop waiting
 * and place the order through the inbox itself: the matcher takes no order
 * whose deadline has passed once it holds the order's balance lock, so an
 * order it does take holds that lock from before the handler's fallback
 * starts, and the fallback, which locks the balance first, sees it.
 * Answer: "OK <order JSON with fills>", "POOR <required> <available>"
 * (the lock asset's units), "CONFLICT" (clientOrderId), a refusal (below),
 * "STORED" (placed, but not described: read it) or "RETRY" (not placed:
 * use the inbox).
 *
 * Refusals, the same words on the socket and after the order's id in the
 * matcher's word to a waiting handler (an inbox order it rejected):
 *   "BAND <min price> <max price>"	the price band (ticks)
 *   "MINQTY <min quantity>"		the minimum quantity (lots)
 *   "MINNOTIONAL <min notional>"	the minimum notional (quote units)
 */

/* What the price band is measured from: the market as the matcher sees it. */
struct order_ref {
	int64_t		 last;		/* last trade price (ticks), 0: none */
	int64_t		 last_ms;	/* its time, epoch ms */
	int64_t		 bid, ask;	/* best quotes (ticks), 0: none */
};

/* One price level: ticks and lots. */
struct order_level {
	int64_t		 price;
	int64_t		 qty;
};

/* Parse side/type/timeInForce and pick up the strings; -1 with *f set. */
int		 order_in_parse(struct json_object *, struct order_in *,
		    struct order_fail *);

/*
 * The whole of POST /orders but the answer: KYC, market, precision and
 * minimums, then the fund lock (available -> locked through an ORDER_LOCK
 * ledger row) and the order, in one transaction.
 *
 * With ORDER_DIRECT the matcher's socket takes the order: the matcher does
 * the lock and the insert in its own batch transaction and answers once it
 * has committed, with the order in out->json. Otherwise, and whenever the
 * matcher cannot be reached or may not have placed it, the order goes in
 * the handler's own transaction with an inbox row and a word to the
 * matcher; with ORDER_LISTEN the caller can then order_wait() unless
 * out->done says it is already processed.
 */
enum err	 order_place(struct db *, struct arena *, const struct user *,
		    const struct order_in *, unsigned flags, struct order_placed *,
		    struct order_fail *);

/*
 * Ask the matcher to cancel the caller's order: TRADE_006 unknown or not
 * theirs, TRADE_007 when it is already done (f->status says how).
 */
enum err	 order_cancel(struct db *, struct arena *, const struct user *,
		    const char *public_id, unsigned flags, struct order_placed *,
		    struct order_fail *);

/*
 * Wait up to timeout_ms for the matcher's word on a command sent with
 * ORDER_LISTEN: 1 it came, 0 timed out, -1 connection trouble (read the
 * order anyway: the word is a wake-up call, never the outcome itself).
 * A word that says why the matcher rejected a new order sets out->refused
 * and f (a refusal, above).
 */
int		 order_wait(struct db *, struct order_placed *, int timeout_ms,
		    struct order_fail *);

/*
 * A refusal word of the matcher for an order of market m: its error
 * (TRADE_003 the price band, TRADE_002 a minimum) with f saying why, or
 * ERR_OK when words is no refusal.
 */
enum err	 order_refusal(const struct market *, const char *words,
		    struct order_fail *);

/*
 * The price band [*lo, *hi] (ticks) an order of side may trade in: the
 * market's band around the reference, which is the last trade price if it
 * is recent (ORDER_BAND_RECENT_MS), else the mid of the best quotes, else
 * the best quote the order would trade against, else the last trade price
 * however old. 0 when there is no band (none set, or nothing to measure
 * from), 1 when there is.
 */
int		 order_band(const struct market *, enum ord_side,
		    const struct order_ref *, int64_t now_ms, int64_t *lo,
		    int64_t *hi);

/* The details object of an order error; NULL when there is nothing to say. */
struct json_object *order_fail_json(const struct order_fail *);

/* Load a market by symbol: ERR_TRADE_005 when unknown. */
enum err	 order_market_load(struct db *, struct arena *, const char *symbol,
		    struct market *);
/* A market from a row of ORDER_MARKET_COLUMNS starting at column col. */
int		 order_market_fill(struct market *, PGresult *, int row, int col);

/*
 * Trade arithmetic, shared with the matcher. Rounding is chosen so that a
 * buy's lock always covers what it can spend, however it is split into
 * fills: the quote amount of a fill and each fee are rounded down, the
 * lock is rounded up.
 */
/* price x qty at the quote precision, rounded down. */
int		 order_quote_amount(const struct market *, int64_t price,
		    int64_t qty, int64_t *quote);
/* The fee on a fill's quote amount, rounded down. */
int		 order_fee(const struct market *, int64_t quote, int maker,
		    int64_t *fee);
/* A limit buy's lock: ceil(price x qty) plus ceil of the higher fee on it. */
int		 order_buy_lock(const struct market *, int64_t price, int64_t qty,
		    int64_t *lock);
/* What an order locks: the quote asset for a buy, the base for a sell. */
const char	*order_lock_asset(const struct market *, enum ord_side, int *scale);
/* Lots at the market's quantity precision as an amount of the base asset. */
int		 order_base_amount(const struct market *, int64_t lots,
		    int64_t *amount);
/*
 * How many lots, at most want, a taker buy can take from levels (best
 * first) spending at most budget quote units including the taker fee.
 * *by_depth is set when the levels ran out before the budget or want.
 */
int		 order_affordable(const struct market *, const struct order_level *,
		    size_t n, int64_t budget, int64_t want, int64_t *lots,
		    int *by_depth);
/*
 * An upper estimate of what taking want lots from levels costs a taker
 * buy: the cost rounded up plus the taker fee rounded up. *got: the lots
 * the levels hold of want.
 */
int		 order_cost(const struct market *, const struct order_level *,
		    size_t n, int64_t want, int64_t *cost, int64_t *got);

/*
 * What want lots fetch (a sell) or cost before the fee (a buy) at levels
 * (best first), at the quote precision rounded down: the levels' amount
 * for the lots they hold, and the rest at their average price. *got: the
 * lots the levels hold of want (none: *notional is 0).
 */
int		 order_notional(const struct market *, const struct order_level *,
		    size_t n, int64_t want, int64_t *notional, int64_t *got);

/* Text of the enums as the API spells them. */
const char	*order_side_text(enum ord_side);
const char	*order_type_text(enum ord_type);
const char	*order_tif_text(enum ord_tif);

/* The market columns order_market_fill() reads (13 columns). */
#define ORDER_MARKET_NCOLUMNS	13
#define ORDER_MARKET_COLUMNS \
	"m.symbol, m.base_asset, m.quote_asset, m.status," \
	" m.price_precision, m.quantity_precision, b.precision, q.precision," \
	" m.min_quantity::text, m.min_notional::text, m.maker_fee::text," \
	" m.taker_fee::text, m.price_band_pct::text"
#define ORDER_MARKET_FROM \
	" FROM markets m JOIN assets b ON b.code = m.base_asset" \
	" JOIN assets q ON q.code = m.quote_asset"

extern const struct stmt	orders_stmts[];
extern const size_t		orders_nstmts;

#endif
