/* matcher/stops.h — the stop book of one market: untriggered stop orders and the order they trigger in; pure code */
#ifndef HZM_STOPS_H
#define HZM_STOPS_H

#include <stddef.h>
#include <stdint.h>

#include "matcher/book.h"

/*
 * A stop order waits here, off the order book, until a trade crosses its
 * stop price: a BUY stop when a trade is at or above it, a SELL stop when
 * one is at or below it. Then it becomes o, an ordinary order for
 * book_add() (MARKET for STOP_LOSS, LIMIT for STOP_LIMIT).
 *
 * The order of triggering is fixed, so that every replay of the same
 * commands gives the same trades (README, "Stop orders"):
 * - stops_trade() is called for each trade, in execution order; each
 *   trade moves the stops it crosses to the end of one FIFO queue:
 *   BUY stops before SELL stops (both cross in one trade only when the
 *   market had no last price), each side nearest stop first (BUY: lowest
 *   stop price, SELL: highest), equal stops by seq (placement order);
 * - the caller takes them from the queue with stops_next() and submits
 *   each in turn; the trades of a triggered order queue further triggers
 *   behind those already waiting, so a cascade runs breadth first.
 */
struct stop_order {
	struct book_order o;
	int64_t		 stop;		/* ticks, 1..BOOK_PRICE_MAX */
	uint64_t	 seq;		/* placement order, unique, caller's */
};

struct stops;

struct stops	*stops_new(void);
void		 stops_free(struct stops *);

/* BOOK_OK, BOOK_EINVAL (bad order or stop), BOOK_EDUP (id waits here), BOOK_ENOMEM. */
int		 stops_add(struct stops *, const struct stop_order *);
/* Take a waiting stop out (a cancel): BOOK_OK with *out, or BOOK_ENOTFOUND. */
int		 stops_cancel(struct stops *, uint64_t id, struct stop_order *out);
int		 stops_get(const struct stops *, uint64_t id, struct stop_order *out);
/* Whether a last trade price (0: none) crosses a stop of side: it would trigger. */
int		 stops_crossed(enum book_side, int64_t stop, int64_t last);
/*
 * A trade at price happened: queue the stops it crosses. BOOK_ENOMEM
 * leaves the stops waiting (the queue did not grow).
 */
int		 stops_trade(struct stops *, int64_t price);
/* The next triggered stop, out of the stop book for good: 1, or 0 when none. */
int		 stops_next(struct stops *, struct stop_order *out);
/* Stops waiting (not counting those queued). */
size_t		 stops_count(const struct stops *);
/* Waiting stops of both sides, each side in trigger order. */
typedef int	(*stops_visit_fn)(void *arg, const struct stop_order *);
int		 stops_foreach(const struct stops *, stops_visit_fn, void *arg);

#endif
