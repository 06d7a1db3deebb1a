/* matcher/book.h — the order book of one market: price-time priority matching, pure code without I/O */
#ifndef HZM_BOOK_H
#define HZM_BOOK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Prices are integer ticks and quantities integer lots; the engine converts
 * from the market's decimals. Order ids are chosen by the caller (the global
 * sequence of accepted orders) and must be unique.
 *
 * Quantities are capped so that a price level's int64 total cannot overflow
 * for any book the engine can build: 2^40 lots per order leaves room for
 * 2^23 orders of maximal size at one price, far beyond what locked funds
 * allow.
 */
#define BOOK_QTY_MAX	(INT64_C(1) << 40)
#define BOOK_PRICE_MAX	(INT64_C(1) << 62)

enum book_side { BOOK_BUY = 0, BOOK_SELL = 1 };
enum book_type { BOOK_LIMIT = 0, BOOK_MARKET = 1 };
enum book_tif { BOOK_GTC = 0, BOOK_IOC = 1, BOOK_FOK = 2 };

/*
 * Self-trade prevention, decided by the taker's mode when it meets a
 * resting order of the same owner (Binance's selfTradePreventionMode):
 * EXPIRE_TAKER drops what the taker still wants, EXPIRE_MAKER removes the
 * maker and goes on matching, EXPIRE_BOTH does both. No trade is ever made
 * between two orders of one owner; owner 0 is nobody and never prevents.
 * A FOK taker counts only the liquidity it could take without meeting its
 * own orders (EXPIRE_TAKER/BOTH: up to the first one; EXPIRE_MAKER: all
 * but its own), so it stays all or nothing.
 */
enum book_stp { BOOK_STP_EXPIRE_TAKER = 0, BOOK_STP_EXPIRE_MAKER = 1,
	BOOK_STP_EXPIRE_BOTH = 2 };

enum book_rc {
	BOOK_OK = 0,
	BOOK_EINVAL,		/* bad enum, qty or limit price out of range */
	BOOK_EDUP,		/* an order with this id is resting */
	BOOK_ENOMEM,		/* nothing was changed */
	BOOK_ENOTFOUND,		/* no resting order (or level) of that kind */
	BOOK_ECROSS		/* book_restore() of an order that would match */
};

/* What became of an incoming order once book_add() returned BOOK_OK. */
enum book_status {
	BOOK_FILLED,		/* fully executed, left == 0 */
	BOOK_RESTING,		/* GTC LIMIT: left rests in the book */
	BOOK_EXPIRED		/* left dropped: IOC/MARKET remainder, FOK not fillable */
};

struct book_order {
	uint64_t	 id;
	enum book_side	 side;
	enum book_type	 type;
	enum book_tif	 tif;	/* MARKET: FOK is all-or-nothing, others take what there is */
	int64_t		 price;	/* 1..BOOK_PRICE_MAX ticks; ignored for MARKET */
	int64_t		 qty;	/* 1..BOOK_QTY_MAX lots */
	uint32_t	 owner;	/* who placed it, for self-trade prevention; 0: nobody */
	enum book_stp	 stp;
};

/*
 * One trade, at the resting (maker) order's price. maker_left == 0 means the
 * maker is fully filled and gone from the book; taker_left is what the taker
 * still wants after this fill.
 *
 * prevented: no trade (qty 0); self-trade prevention removed the maker
 * from the book with maker_left lots it never got to trade.
 */
struct book_fill {
	uint64_t	 maker_id;
	uint64_t	 taker_id;
	int64_t		 price;
	int64_t		 qty;
	int64_t		 maker_left;
	int64_t		 taker_left;
	enum book_side	 taker_side;
	int		 prevented;
};

struct book_result {
	enum book_status status;
	int64_t		 filled;	/* lots executed */
	int64_t		 left;		/* lots resting (RESTING) or dropped (EXPIRED) */
	uint32_t	 fills;		/* number of trades reported */
	int		 stp;		/* EXPIRED by self-trade prevention */
};

/* A resting order, as book_get(), book_cancel() and book_foreach() see it. */
struct book_entry {
	uint64_t	 id;
	enum book_side	 side;
	int64_t		 price;
	int64_t		 qty;		/* remaining lots */
	uint32_t	 owner;
};

/* One price level, aggregated. */
struct book_level {
	int64_t		 price;
	int64_t		 qty;
	uint32_t	 orders;
};

/*
 * Called for every fill, in execution order, while the book is being
 * changed: it must not call back into the same book.
 */
typedef void	(*book_fill_fn)(void *arg, const struct book_fill *);

/* Return non-zero to stop the walk; book_foreach() returns that value. */
typedef int	(*book_visit_fn)(void *arg, const struct book_entry *);

struct book;

struct book	*book_new(book_fill_fn fill, void *arg);
void		 book_free(struct book *);

int		 book_add(struct book *, const struct book_order *, struct book_result *);
int		 book_cancel(struct book *, uint64_t id, struct book_entry *);
int		 book_restore(struct book *, const struct book_entry *);

int		 book_get(const struct book *, uint64_t id, struct book_entry *);
int		 book_best(const struct book *, enum book_side, struct book_level *);
size_t		 book_depth(const struct book *, enum book_side, struct book_level *, size_t max);
/* The same without the orders of owner (0: all orders). */
size_t		 book_depth_except(const struct book *, enum book_side,
		    uint32_t owner, struct book_level *, size_t max);
size_t		 book_count(const struct book *);
int		 book_foreach(const struct book *, book_visit_fn, void *arg);
size_t		 book_memory(const struct book *);

#endif
