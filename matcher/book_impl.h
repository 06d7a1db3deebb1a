/* matcher/book_impl.h — the order book's layout, shared by its matching (book.c) and its read views (book_view.c) */
#ifndef HZM_BOOK_IMPL_H
#define HZM_BOOK_IMPL_H

#include <stdint.h>

#include "matcher/book.h"

/*
 * Layout, chosen for a steady stream of adds and cancels near the spread
 * and for deep books alike:
 *
 * - Orders live in one pool (an array grown by doubling, with a free list)
 *   and are named by 32-bit indices, so a resting order costs 32 bytes and
 *   growing the pool never invalidates a link.
 * - Each price level keeps its orders in an intrusive doubly-linked FIFO,
 *   and each order knows its level: a cancel unlinks in O(1).
 * - An open-addressing table (linear probing, backward-shift deletion, no
 *   tombstones) maps an order id to its pool index.
 * - Each side has a "ladder": an array of (key, level) sorted by key with the
 *   best price at the end, key = price for bids and -price for asks, so one
 *   comparison serves both sides. Matching pops from the end and new orders
 *   mostly land near the end, where insertion moves little.
 * - A level emptied by a cancel below the best stays on its ladder, empty,
 *   until the ladder holds as many empty levels as live ones; then it is
 *   compacted at once. Cancels thus never search the ladder, and a price
 *   that empties and fills again costs no insertion.
 */

#define NIL		UINT32_MAX
#define POOL_MAX	(UINT32_C(1) << 31)
#define HASH_MUL	UINT64_C(0x9e3779b97f4a7c15)
#define ORD_INIT	1024
#define LVL_INIT	256
#define RUNG_INIT	64
#define TAB_INIT_BITS	11
#define EMPTY_SLACK	64

struct order {
	uint64_t	 id;
	int64_t		 qty;		/* remaining */
	uint32_t	 prev, next;	/* level FIFO; next also links the free list */
	uint32_t	 lvl;
	uint32_t	 owner;		/* in what was padding: still 32 bytes */
};

struct level {
	int64_t		 price;
	int64_t		 total;		/* sum of the qty resting here */
	uint32_t	 head, tail;	/* head also links the free list */
	uint32_t	 count;		/* 0: empty, still on its ladder */
	uint32_t	 side;
};

struct rung {
	int64_t		 key;
	uint32_t	 lvl;
};

struct ladder {
	struct rung	*v;
	uint32_t	 n, cap;
	uint32_t	 nempty;	/* empty levels on the ladder */
};

struct slot {
	uint64_t	 id;
	uint32_t	 ord;		/* NIL: free */
};

struct book {
	struct order	*ord;
	uint32_t	 ordcap, ordfree;
	struct level	*lvl;
	uint32_t	 lvlcap, lvlfree;
	struct ladder	 side[2];
	struct slot	*tab;
	uint64_t	 tabmask;
	unsigned int	 tabshift;
	size_t		 tabused;
	size_t		 resting;
	book_fill_fn	 fill;
	void		*arg;
};

static inline int64_t
side_key(unsigned int side, int64_t price)
{
	return side == BOOK_BUY ? price : -price;
}

/* Fibonacci hashing spreads the sequential ids the engine uses over the table. */
static inline uint64_t
tab_home(const struct book *b, uint64_t id)
{
	return (id * HASH_MUL) >> b->tabshift;
}

/* The slot holding id, or the free slot where it would go. */
static inline uint64_t
tab_find(const struct book *b, uint64_t id)
{
	uint64_t	 i;

	i = tab_home(b, id);
	while (b->tab[i].ord != NIL && b->tab[i].id != id)
		i = (i + 1) & b->tabmask;
	return i;
}

static inline void
entry_fill(const struct book *b, uint32_t oi, struct book_entry *e)
{
	const struct order	*o = &b->ord[oi];
	const struct level	*lv = &b->lvl[o->lvl];

	e->id = o->id;
	e->side = lv->side;
	e->price = lv->price;
	e->qty = o->qty;
	e->owner = o->owner;
}

#endif
