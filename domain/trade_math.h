/* domain/trade_math.h — the money rules of a trade, pure: amounts, fees, locks, notional, the price band */
#ifndef HZM_TRADE_MATH_H
#define HZM_TRADE_MATH_H

#include <stddef.h>
#include <stdint.h>

/*
 * Units. A market's prices are integers at its price precision (ticks),
 * its quantities integers at its quantity precision (lots); amounts of an
 * asset are integers at the asset's precision. Fee rates are integers at
 * TRADE_FEE_SCALE (numeric(8, 6) in the schema).
 *
 * Nothing here touches a database, a socket or the clock: the handlers'
 * order service and the matcher call the same functions, and the unit
 * tests call them without either.
 */
#define TRADE_FEE_SCALE		6
/* The order book's limit on one order (matcher/book.h BOOK_QTY_MAX). */
#define TRADE_QTY_MAX		(INT64_C(1) << 40)
#define TRADE_PRICE_MAX		(INT64_C(1) << 62)
/* A market buy by quantity locks its estimated cost plus this margin (%). */
#define TRADE_MARKET_MARGIN_PCT	5
/*
 * The price band's reference is the last trade price while the market has
 * traded within this long; older, the book's quotes take its place.
 */
#define TRADE_BAND_RECENT_MS	(INT64_C(3600) * 1000)

enum ord_side { ORD_BUY, ORD_SELL };
enum ord_type { ORD_LIMIT, ORD_MARKET };
enum ord_tif { ORD_GTC, ORD_IOC, ORD_FOK };
/* Self-trade prevention modes, as Binance names them; matcher/book.h. */
enum ord_stp { ORD_STP_EXPIRE_TAKER, ORD_STP_EXPIRE_MAKER, ORD_STP_EXPIRE_BOTH };

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
	int64_t		 maker_fee;	/* TRADE_FEE_SCALE */
	int64_t		 taker_fee;
	/* how far from the reference a price may be: a fraction at
	 * TRADE_FEE_SCALE (10% is 100000); 0: no band */
	int64_t		 band;
};

/* What the price band is measured from: the market as the matcher sees it. */
struct trade_ref {
	int64_t		 last;		/* last trade price (ticks), 0: none */
	int64_t		 last_ms;	/* its time, epoch ms */
	int64_t		 bid, ask;	/* best quotes (ticks), 0: none */
};

/* One price level: ticks and lots. */
struct trade_level {
	int64_t		 price;
	int64_t		 qty;
};

/* An order's shape in the market's units, as every path holds it. */
struct trade_order {
	enum ord_side	 side;
	enum ord_type	 type;
	int64_t		 price;		/* ticks: a limit order's */
	int64_t		 qty;		/* lots; 0: a market buy by quote amount */
	int64_t		 qoq;		/* quote units: that amount, else 0 */
	/* ticks: a stop order's stop price (STOP_LOSS is a MARKET order
	 * with one, STOP_LIMIT a LIMIT order), else 0 */
	int64_t		 stop;
};

/* What an order locks (trade_lock()). */
struct trade_lock {
	const char	*asset;		/* the quote asset for a buy, the base for a sell */
	int		 scale;		/* its precision */
	int64_t		 amount;	/* in units of asset */
	/* a market buy by quantity: the amount is priced against the book */
	int		 by_cost;
	int64_t		 need;		/* TRADE_LOCK_POOR: what it must have, more than avail */
};

/*
 * What the balance the order draws on holds and, for a market buy by
 * quantity, what the asks it would take cost (trade_cost(): cost and the
 * lots got; got 0: the book has none).
 */
struct trade_funds {
	int64_t		 avail;
	int64_t		 cost, got;
};

enum trade_lock_rc {
	TRADE_LOCK_OK,
	TRADE_LOCK_RANGE,	/* the amount is out of range */
	TRADE_LOCK_POOR		/* the balance does not cover it: l->need */
};

/* Why an order is refused before anything is locked, and the bound it missed. */
enum trade_refusal_kind {
	TRADE_REF_NONE,
	/* on the order alone (trade_minimums()) */
	TRADE_REF_MIN_QTY,		/* its quantity is below the minimum */
	TRADE_REF_MIN_NOTIONAL,		/* a limit price x quantity is */
	TRADE_REF_MIN_QUOTE,		/* its quoteOrderQty is below the minimum notional */
	/* on the order and the book (trade_admit()) */
	TRADE_REF_BAND,			/* a limit price outside the band */
	/* a market buy by quote amount buys fewer lots than the minimum
	 * quantity at the prices it would execute at */
	TRADE_REF_EXEC_MIN_QTY,
	/* a market order by quantity fetches or costs less than the minimum
	 * notional at the prices it would execute at */
	TRADE_REF_EXEC_MIN_NOTIONAL,
	/* the market takes no new orders now (HALTED, CANCEL_ONLY, CLOSED) */
	TRADE_REF_CLOSED
};

struct trade_refusal {
	enum trade_refusal_kind kind;
	int64_t		 lo, hi;	/* TRADE_REF_BAND: the price band (ticks) */
	int64_t		 min;		/* the minimum missed (lots, quote units) */
};

/* Text of the enums as the API spells them. */
const char	*trade_side_text(enum ord_side);
const char	*trade_type_text(enum ord_type);
const char	*trade_tif_text(enum ord_tif);
/* The API's type: STOP_LOSS and STOP_LIMIT are MARKET and LIMIT with a stop. */
const char	*trade_type_name(enum ord_type, int stop);
/* The API's type text: 0 with *type and *stop (is it a stop order), or -1. */
int		 trade_type_parse(const char *, enum ord_type *type, int *stop);
const char	*trade_stp_text(enum ord_stp);
int		 trade_stp_parse(const char *, enum ord_stp *);

/*
 * Rounding is chosen so that a buy's lock always covers what it can
 * spend, however it is split into fills: the quote amount of a fill and
 * each fee are rounded down, the lock is rounded up.
 */
/* price x qty at the quote precision, rounded down. */
int		 trade_quote_amount(const struct market *, int64_t price,
		    int64_t qty, int64_t *quote);
/* The fee on a fill's quote amount, rounded down. */
int		 trade_fee(const struct market *, int64_t quote, int maker,
		    int64_t *fee);
/*
 * The fee a buy pays on a fill of quote: at the market's maker or taker
 * rate now, but for a limit buy (price > 0) at no more than the rate its
 * remaining lock covers for what is left of it (left lots, this fill's
 * included) at its limit price: floor((lock - price x left) / (price x
 * left)) at TRADE_FEE_SCALE. The lock was figured at the higher rate
 * when the order was placed; that rate is always covered, so the cap
 * binds only after the market's fee was raised, and the order's fills
 * never spend more than it locked. A market buy (price 0) is matched
 * against its lock at the rate now (trade_affordable()).
 */
int		 trade_buy_fee(const struct market *, int64_t quote, int maker,
		    int64_t price, int64_t left, int64_t lock, int64_t *fee);
/* A limit buy's lock: ceil(price x qty) plus ceil of the higher fee on it. */
int		 trade_buy_lock(const struct market *, int64_t price, int64_t qty,
		    int64_t *lock);
/* What an order locks: the quote asset for a buy, the base for a sell. */
const char	*trade_lock_asset(const struct market *, enum ord_side, int *scale);
/* Lots at the market's quantity precision as an amount of the base asset. */
int		 trade_base_amount(const struct market *, int64_t lots,
		    int64_t *amount);
/*
 * How many lots, at most want, a taker buy can take from levels (best
 * first) spending at most budget quote units including the taker fee.
 * *by_depth is set when the levels ran out before the budget or want.
 */
int		 trade_affordable(const struct market *, const struct trade_level *,
		    size_t n, int64_t budget, int64_t want, int64_t *lots,
		    int *by_depth);
/*
 * An upper estimate of what taking want lots from levels costs a taker
 * buy: the cost rounded up plus the taker fee rounded up. *got: the lots
 * the levels hold of want.
 */
int		 trade_cost(const struct market *, const struct trade_level *,
		    size_t n, int64_t want, int64_t *cost, int64_t *got);
/*
 * What want lots fetch (a sell) or cost before the fee (a buy) at levels
 * (best first), at the quote precision rounded down: the levels' amount
 * for the lots they hold, and the rest at their average price. *got: the
 * lots the levels hold of want (none: *notional is 0).
 */
int		 trade_notional(const struct market *, const struct trade_level *,
		    size_t n, int64_t want, int64_t *notional, int64_t *got);
/*
 * The price band [*lo, *hi] (ticks) an order of side may trade in: the
 * market's band around the reference, which is the last trade price if it
 * is recent (TRADE_BAND_RECENT_MS), else the mid of the best quotes, else
 * the best quote the order would trade against, else the last trade price
 * however old. 0 when there is no band (none set, or nothing to measure
 * from), 1 when there is.
 */
int		 trade_band(const struct market *, enum ord_side,
		    const struct trade_ref *, int64_t now_ms, int64_t *lo,
		    int64_t *hi);

/*
 * What an order locks, on every path (README, "What an order locks"): a
 * sell its quantity of the base asset; a limit buy trade_buy_lock(); a
 * market buy by quote amount exactly that amount; a STOP_LOSS buy by
 * quantity what a limit buy at its stop price locks plus
 * TRADE_MARKET_MARGIN_PCT (the book at its trigger is not known when it
 * is placed; triggered, it buys what that lock pays for and the rest
 * expires, as any market buy); a market buy by
 * quantity (l->by_cost) the cost of the asks it would take plus
 * TRADE_MARKET_MARGIN_PCT, at most what the balance holds, and nothing
 * when there are no asks: it never fills beyond its lock.
 *
 * Without funds, what the order's shape decides: a market buy by quantity
 * is only marked by_cost (amount 0). With funds, the lock is also held
 * against the balance: TRADE_LOCK_POOR with l->need when it cannot be
 * covered (for a market buy by quantity, when the balance is short of the
 * asks' cost).
 */
enum trade_lock_rc trade_lock(const struct market *, const struct trade_order *,
		    const struct trade_funds *, struct trade_lock *);
/*
 * The minimums every order must meet on its own, before any book is
 * looked at: a quantity's minimum quantity, a limit order's price x
 * quantity and a quoteOrderQty's minimum notional. 0 with r->kind
 * TRADE_REF_NONE, or the refusal.
 */
int		 trade_minimums(const struct market *, const struct trade_order *,
		    struct trade_refusal *);
/*
 * Whether a new order may go to the book as the market stands: a limit
 * price within the price band (banded: [lo, hi] is one); a market order
 * held to the minimums at the prices it would execute at, lv (best
 * first, within the band, for a quantity as far as they hold it): a buy
 * by quote amount (o->qoq, all of which it locked) the minimum quantity
 * of what it buys, one by quantity the minimum notional of what it
 * fetches or costs. A market order that would execute nothing is not
 * refused: it expires. 0 with r->kind TRADE_REF_NONE or the refusal; -1
 * for levels that are no levels.
 */
int		 trade_admit(const struct market *, const struct trade_order *,
		    int banded, int64_t lo, int64_t hi, const struct trade_level *lv,
		    size_t n, struct trade_refusal *);

/*
 * The daily trading limit (README, "Daily trading limit"), in TRY at 2
 * decimals: the limit, what the user's orders of the UTC day count so
 * far, and the TRY price of the market's quote asset at
 * TRADE_RATE_SCALE (0: it has none).
 */
#define TRADE_RATE_SCALE	8
struct trade_day {
	int64_t		 limit;
	int64_t		 used;
	int64_t		 rate;
};

/*
 * What an order counts against the daily trading limit when placed, in
 * TRY at 2 decimals, rounded up: its quote amount (a limit order's price
 * x quantity, a market buy's quoteOrderQty, a market order by quantity
 * at ref, the market's last trade price in ticks; with none, 0 until it
 * executes) at the quote asset's rate (none: 0). The one rule of every
 * path, with trade_day_fits(): the order is taken when what is used
 * plus this stays within the limit. -1 when out of range.
 */
int		 trade_day_value(const struct market *, const struct trade_order *,
		    int64_t ref, int64_t rate, int64_t *value);
/* 1 when an order counting value fits d's limit, 0 when it does not. */
int		 trade_day_fits(const struct trade_day *, int64_t value);

/*
 * A ticker's 24-hour change in percent, with two decimals (*pct at scale
 * 2): (last - open) / open x 100 from prices in ticks, rounded half to
 * even, so that a tie (0.125%) goes to its even neighbour (0.12%). Both
 * sources of the ticker, the matcher's snapshot and the database behind
 * the public handler, give it through this function. *pct is 0 without
 * an open or a last price; -1 when it is out of range.
 */
int		 trade_change_pct(int64_t last, int64_t open, int price_scale,
		    int64_t *pct);

#endif
