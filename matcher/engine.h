/* matcher/engine.h — the matching engine: commands in, books changed, one batch of effects out; no I/O */
#ifndef HZM_ENGINE_H
#define HZM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/kline_iv.h"
#include "domain/trade_math.h"
#include "matcher/book.h"
#include "matcher/stops.h"

enum cmd_kind { CMD_NEW, CMD_CANCEL };

enum ost {
	OST_NEW, OST_PARTIALLY_FILLED, OST_FILLED, OST_CANCELED, OST_REJECTED,
	OST_EXPIRED,
	OST_EXPIRED_IN_MATCH	/* expired by self-trade prevention */
};


/* A command from the inbox, or (engine_restore) a resting order. */
struct cmd {
	int64_t		 seq;
	enum cmd_kind	 kind;
	int64_t		 order_id;
	int64_t		 user_id;
	char		 public_id[32];
	enum ord_side	 side;
	enum ord_type	 type;
	enum ord_tif	 tif;
	int64_t		 price;		/* ticks (LIMIT) */
	int64_t		 qty;		/* lots; 0: a market buy by quote amount */
	int64_t		 lock;		/* still locked, in the lock asset's units */
	int64_t		 stop;		/* ticks: a stop order's stop price, else 0 */
	enum ord_stp	 stp;		/* self-trade prevention mode */
	int64_t		 oco;		/* the other leg of its OCO list, else 0 */
	int64_t		 list_id;	/* its OCO list (orderListId), else 0 */
	/* a restored order's progress */
	int		 triggered;	/* a stop order that has gone to the book */
	int64_t		 executed;	/* lots */
	int64_t		 cum_quote;	/* quote units */
	int64_t		 fees;		/* quote units */
	int64_t		 book_seq;
	int		 direct;	/* from the socket: no inbox row */
};

struct trade_rec {
	char		 public_id[32];
	int		 mkt;
	int64_t		 price, qty, quote;
	int64_t		 maker_fee, taker_fee;
	int64_t		 maker_order, taker_order;
	int64_t		 maker_user, taker_user;
	enum ord_side	 maker_side;
};

enum ledger_kind { LK_TRADE, LK_ORDER_UNLOCK, LK_FEE, LK_ORDER_LOCK };

struct ledger_rec {
	int64_t		 user_id;
	const char	*asset;
	int		 scale;
	int64_t		 d_available;
	int64_t		 d_locked;
	enum ledger_kind kind;
	size_t		 n;		/* order of creation */
	char		 ref[40];
};

/*
 * An OCO list counts against the daily limit once. Its cut (the first leg
 * to act, engine_oco_cut()) moves the count with the lock: the leg that
 * goes on holds the list's whole count, the leg cut holds none.
 */
enum list_count {		/* the numbers store_orders reads */
	LC_AS_PLACED = 0, LC_HOLDS = 1, LC_NONE = 2
};

/* An order's state after the batch, once per order touched. */
struct order_rec {
	int64_t		 id;
	char		 public_id[32];
	int		 mkt;
	enum ost	 status;
	int64_t		 user_id;	/* the owner (the streamer's feed, order.filled) */
	enum ord_side	 side;
	enum ord_type	 type;
	int64_t		 price, qty;	/* ticks (LIMIT), lots (0: by quote) */
	int64_t		 executed, cum_quote, fees, lock;
	int		 lock_scale;	/* quote's for buys, base's for sells */
	int64_t		 book_seq;
	int64_t		 stop;		/* ticks, 0: not a stop order */
	int		 triggered;	/* a stop order sent to the book */
	int		 done;		/* left the engine */
	int		 fresh;		/* entered the engine in this batch */
	enum list_count	 list_count;	/* its OCO list's daily count */
	int64_t		 list_id;	/* its OCO list (orderListId), else 0 */
};

struct kline {
	int		 used;
	int64_t		 open_time;	/* epoch seconds */
	int64_t		 open, high, low, close;	/* ticks */
	int64_t		 volume;	/* lots */
	int64_t		 quote_volume;	/* quote units */
	int64_t		 trades;
};

struct engine_market {
	struct market	 m;
	struct book	*book;
	struct stops	*stops;		/* stop orders not yet triggered */
	int64_t		 book_seq;	/* last time priority given */
	int64_t		 last_seq;	/* last command applied */
	int64_t		 last_price;	/* ticks, 0: none yet */
	int64_t		 last_trade_ms;	/* its time (epoch ms), 0: not known */
	int		 touched;	/* by the current batch */
	int		 unpublished;	/* changed since its last snapshot */
	struct kline	 kl[KL_COUNT];
	/* the last 24 hours, refreshed by the publisher now and then */
	struct {
		int64_t	 at_ms;
		int64_t	 open, high, low;	/* ticks, 0: no trades */
		int64_t	 volume;		/* lots */
		int64_t	 quote_volume;		/* quote units */
		int64_t	 trades;
	}		 day;
};

struct live;

struct engine {
	struct engine_market	*mk;
	size_t			 nmk;
	int64_t			 fee_user;	/* the fee account's users.id */
	int64_t			 now_ms;	/* the batch's clock */

	/* the batch */
	struct trade_rec	*trades;
	size_t			 ntrades, captrades;
	struct ledger_rec	*ledger;
	size_t			 nledger, capledger;
	struct order_rec	*orders;
	size_t			 norders, caporders;
	int64_t			*seqs;		/* inbox commands applied */
	size_t			 nseqs, capseqs;
	int64_t			 top_seq;	/* the batch's last command */

	/* orders the engine holds: resting, or being matched */
	struct live		**tab;
	size_t			 tabmask, tabused;
	struct live		*taker;
	struct live		*gone;		/* done in this batch, freed at its end */
	struct book_level	*levels;
	struct trade_level	*olevels;
	size_t			 caplevels;
	int			 cur;		/* market of the command being applied */
	uint64_t		 gen;		/* batch number */
	int64_t			*feesum;	/* fees per market's quote asset */
	int			 fault;
	int			 oco_queued;	/* OCO legs cancelled while triggered */
	/* why engine_apply() rejected the new order it was given, if it did */
	struct trade_refusal	 refused;
};

const char	*engine_status_text(enum ost);

int		 engine_init(struct engine *, int64_t fee_user);
/* Add a market (m copied); returns its index or -1. */
int		 engine_market_add(struct engine *, const struct market *,
		    int64_t book_seq, int64_t last_price);
int		 engine_market_find(const struct engine *, const char *symbol);
/*
 * Put a committed resting order back into its book (in book_seq order),
 * or a stop order not yet triggered back into the market's stop book.
 */
int		 engine_restore(struct engine *, int mkt, const struct cmd *);

void		 engine_batch_begin(struct engine *, int64_t now_ms);
/*
 * Apply one command. -1 means the engine's state can no longer be
 * trusted (a broken invariant or no memory): the caller drops the batch
 * and rebuilds the engine from the database. A new order from the inbox
 * that engine_admit() refuses is REJECTED, its lock released, and
 * e->refused says why; a socket order (c->direct) was admitted before it
 * was locked. A market order fills only within the price band: what it
 * cannot fill there expires.
 */
int		 engine_apply(struct engine *, int mkt, const struct cmd *);
/*
 * Whether a new order may go to the book as the market stands: a limit
 * price within the price band (trade_band()); for a market order, the
 * market's minimum quantity (a buy by quote amount) or minimum notional
 * (by quantity) at the prices it would execute at, within the band. A
 * market order that would execute nothing is not refused: it expires. 0
 * with r->kind TRADE_REF_NONE (admitted) or the refusal; -1 on no memory.
 */
int		 engine_admit(struct engine *, int mkt, const struct cmd *,
		    struct trade_refusal *r);
/* The market's price band for an order of side now: 1 and [*lo, *hi], or 0. */
int		 engine_band(struct engine *, int mkt, enum ord_side,
		    int64_t *lo, int64_t *hi);
/*
 * The levels of one side, best first, as far as an order could reach: no
 * further than the price bound (0: none) and, when need > 0, no further
 * than they hold need lots. In e->olevels; returns how many.
 */
size_t		 engine_levels(struct engine *, struct book *, enum book_side,
		    int64_t bound, int64_t need, uint32_t except);
/*
 * Who owns an order in the book, for self-trade prevention: the user's
 * id (ids beyond 32 bits share owners, so some of their trades would be
 * prevented, never made between one user's orders).
 */
uint32_t	 engine_owner(int64_t user_id);
/*
 * Whether the engine holds order_id, open in market mkt, for user_id (a
 * resting order or a stop not yet triggered): what a cancel can cancel.
 */
int		 engine_holds(const struct engine *, int mkt, int64_t order_id,
		    int64_t user_id);
/*
 * Move amount of the order's lock asset from available to locked, as a
 * socket order's ORDER_LOCK row; before engine_apply() of the order.
 */
int		 engine_lock(struct engine *, int mkt, const struct cmd *);
/*
 * What taking qty lots from the market's asks within the price band would
 * cost a buy at most, fee included (trade_cost()); *got: the lots those
 * asks hold of qty.
 */
int		 engine_buy_cost(struct engine *, int mkt, int64_t qty,
		    int64_t *cost, int64_t *got);
/* A command already applied in an earlier batch: only leaves the inbox. */
int		 engine_skip(struct engine *, int64_t seq);
/*
 * Close the batch: credit the fees to the fee account (one row per asset)
 * and sort the ledger by (user, asset), so that writers lock balances in
 * one order and cannot deadlock.
 */
int		 engine_batch_seal(struct engine *);
/* The batch has been committed (or dropped): clear it for the next. */
void		 engine_batch_end(struct engine *);
/* Sum of the batch's ledger deltas for an asset: always 0. */
int64_t		 engine_batch_net(const struct engine *, const char *asset);

void		 engine_free(struct engine *);

#endif
