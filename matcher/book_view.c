/* matcher/book_view.c — what the order book shows without changing it: one order, the best level, depth, every order, its memory */
#include <stdint.h>
#include <stddef.h>

#include "matcher/book_impl.h"

int
book_get(const struct book *b, uint64_t id, struct book_entry *e)
{
	uint32_t	 oi;

	if ((oi = b->tab[tab_find(b, id)].ord) == NIL)
		return BOOK_ENOTFOUND;
	entry_fill(b, oi, e);
	return BOOK_OK;
}

int
book_best(const struct book *b, enum book_side side, struct book_level *out)
{
	const struct ladder	*l;
	const struct level	*lv;

	/* Checked before indexing: a bad side must not even form an address. */
	if ((unsigned int)side > BOOK_SELL)
		return BOOK_EINVAL;
	l = &b->side[side];
	if (l->n == 0)
		return BOOK_ENOTFOUND;
	lv = &b->lvl[l->v[l->n - 1].lvl];
	out->price = lv->price;
	out->qty = lv->total;
	out->orders = lv->count;
	return BOOK_OK;
}

size_t
book_depth(const struct book *b, enum book_side side, struct book_level *out,
    size_t max)
{
	return book_depth_except(b, side, 0, out, max);
}

/* With an owner, the levels as that owner's taker under EXPIRE_MAKER sees them. */
size_t
book_depth_except(const struct book *b, enum book_side side, uint32_t owner,
    struct book_level *out, size_t max)
{
	const struct ladder	*l;
	const struct level	*lv;
	uint32_t		 i, oi;
	size_t			 n = 0;

	if ((unsigned int)side > BOOK_SELL)
		return 0;
	l = &b->side[side];
	for (i = l->n; i > 0 && n < max; i--) {
		lv = &b->lvl[l->v[i - 1].lvl];
		if (lv->count == 0)
			continue;
		out[n].price = lv->price;
		out[n].qty = lv->total;
		out[n].orders = lv->count;
		for (oi = owner != 0 ? lv->head : NIL; oi != NIL;
		    oi = b->ord[oi].next)
			if (b->ord[oi].owner == owner) {
				out[n].qty -= b->ord[oi].qty;
				out[n].orders--;
			}
		if (out[n].orders > 0)
			n++;
	}
	return n;
}

size_t
book_count(const struct book *b)
{
	return b->resting;
}

/* Bids best first, then asks best first; time order within a level. */
int
book_foreach(const struct book *b, book_visit_fn fn, void *arg)
{
	const struct ladder	*l;
	struct book_entry	 e;
	uint32_t		 i, oi;
	int			 s, rc = 0;

	for (s = 0; s < 2; s++) {
		l = &b->side[s];
		for (i = l->n; i > 0; i--) {
			oi = b->lvl[l->v[i - 1].lvl].head;
			for (; oi != NIL; oi = b->ord[oi].next) {
				entry_fill(b, oi, &e);
				if ((rc = fn(arg, &e)) != 0)
					goto out;
			}
		}
	}
out:
	return rc;
}

/* Bytes held by the book's tables, for capacity accounting. */
size_t
book_memory(const struct book *b)
{
	return sizeof(*b) +
	    (size_t)b->ordcap * sizeof(struct order) +
	    (size_t)b->lvlcap * sizeof(struct level) +
	    ((size_t)b->side[0].cap + b->side[1].cap) * sizeof(struct rung) +
	    (size_t)(b->tabmask + 1) * sizeof(struct slot);
}
