/* tests/unit/fixture_book.h — what the order book's tests share: fills recorded in order, orders made short, snapshots of the whole book */
#ifndef HZM_FIXTURE_BOOK_H
#define HZM_FIXTURE_BOOK_H

#include <stdint.h>
#include <string.h>

#include "matcher/book.h"

#define MAXFILLS	4096
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Fills seen by the callback, in order. */
struct rec {
	struct book_fill v[MAXFILLS];
	size_t		 n;
	int		 overflow;
};

static inline void
rec_fill(void *arg, const struct book_fill *f)
{
	struct rec	*r = arg;

	if (r->n == MAXFILLS) {
		r->overflow = 1;
		return;
	}
	r->v[r->n++] = *f;
}

static inline struct book_order
ord(uint64_t id, enum book_side side, enum book_type type, enum book_tif tif,
    int64_t price, int64_t qty)
{
	struct book_order	 o;

	memset(&o, 0, sizeof(o));
	o.id = id;
	o.side = side;
	o.type = type;
	o.tif = tif;
	o.price = price;
	o.qty = qty;
	return o;
}

static inline int
add(struct book *b, uint64_t id, enum book_side side, enum book_type type,
    enum book_tif tif, int64_t price, int64_t qty, struct book_result *res)
{
	struct book_order	 o = ord(id, side, type, tif, price, qty);
	struct book_result	 dummy;

	return book_add(b, &o, res != NULL ? res : &dummy);
}

static inline int
gtc(struct book *b, uint64_t id, enum book_side side, int64_t price,
    int64_t qty)
{
	return add(b, id, side, BOOK_LIMIT, BOOK_GTC, price, qty, NULL);
}

static inline int
fill_is(const struct book_fill *f, uint64_t maker, uint64_t taker,
    int64_t price, int64_t qty, int64_t maker_left, int64_t taker_left)
{
	return f->maker_id == maker && f->taker_id == taker &&
	    f->price == price && f->qty == qty &&
	    f->maker_left == maker_left && f->taker_left == taker_left;
}

/* A snapshot of the whole book through book_foreach(). */
struct snap {
	struct book_entry v[256];
	size_t		 n;
};

static inline int
snap_visit(void *arg, const struct book_entry *e)
{
	struct snap	*s = arg;

	if (s->n == nitems(s->v))
		return -1;
	s->v[s->n++] = *e;
	return 0;
}

static inline void
snap_take(const struct book *b, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	book_foreach(b, snap_visit, s);
}

static inline int
snap_eq(const struct snap *a, const struct snap *b)
{
	size_t	 i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->v[i].id != b->v[i].id || a->v[i].side != b->v[i].side ||
		    a->v[i].price != b->v[i].price ||
		    a->v[i].qty != b->v[i].qty)
			return 0;
	return 1;
}

#endif
