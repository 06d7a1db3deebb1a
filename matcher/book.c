/* matcher/book.c — price-time priority matching for one market (adds, cancels, restores): pure code, no I/O, no locks */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/book_impl.h"

/*
 * Free slot i, then pull back any later entry of the same probe run whose
 * home does not lie cyclically in (i, j]: lookups stay correct without
 * tombstones, so the table never needs a cleaning pass.
 */
static void
tab_del(struct book *b, uint64_t i)
{
	uint64_t	 j, home;

	j = i;
	for (;;) {
		j = (j + 1) & b->tabmask;
		if (b->tab[j].ord == NIL)
			break;
		home = tab_home(b, b->tab[j].id);
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		b->tab[i] = b->tab[j];
		i = j;
	}
	b->tab[i].ord = NIL;
	b->tabused--;
}

static int
tab_alloc(struct book *b, unsigned int bits)
{
	uint64_t	 i, n = UINT64_C(1) << bits;

	if ((b->tab = malloc(n * sizeof(*b->tab))) == NULL)
		return BOOK_ENOMEM;
	for (i = 0; i < n; i++)
		b->tab[i].ord = NIL;
	b->tabmask = n - 1;
	b->tabshift = 64 - bits;
	return BOOK_OK;
}

static int
tab_grow(struct book *b)
{
	struct slot	*old = b->tab;
	uint64_t	 i, n = b->tabmask + 1;
	int		 rc;

	if ((rc = tab_alloc(b, 64 - b->tabshift + 1)) != BOOK_OK) {
		b->tab = old;
		return rc;
	}
	for (i = 0; i < n; i++)
		if (old[i].ord != NIL)
			b->tab[tab_find(b, old[i].id)] = old[i];
	free(old);
	return BOOK_OK;
}

/* Double a pool of fixed-size records, threading the new ones on a free list. */
static int
pool_grow(void **base, uint32_t *cap, uint32_t *freelist, size_t size,
    size_t linkoff)
{
	uint32_t	 i, ncap;
	char		*p;

	/* Tested before doubling: 2 * 2^31 wraps to 0 in 32 bits. */
	if (*cap > POOL_MAX / 2)
		return BOOK_ENOMEM;
	ncap = *cap * 2;
	if ((p = realloc(*base, (size_t)ncap * size)) == NULL)
		return BOOK_ENOMEM;
	for (i = *cap; i < ncap; i++)
		memcpy(p + (size_t)i * size + linkoff,
		    i + 1 < ncap ? &(uint32_t){ i + 1 } : &(uint32_t){ *freelist },
		    sizeof(uint32_t));
	*freelist = *cap;
	*base = p;
	*cap = ncap;
	return BOOK_OK;
}

static int
ladder_grow(struct ladder *l)
{
	struct rung	*v;
	uint32_t	 ncap;

	if (l->cap > POOL_MAX / 2)
		return BOOK_ENOMEM;
	ncap = l->cap * 2;
	if ((v = realloc(l->v, (size_t)ncap * sizeof(*v))) == NULL)
		return BOOK_ENOMEM;
	l->v = v;
	l->cap = ncap;
	return BOOK_OK;
}

/*
 * Make room for one more resting order (an order slot, a level, a table
 * entry and a rung) before anything changes, so that an order which fails
 * for want of memory leaves the book as it was.
 */
static int
book_reserve(struct book *b, unsigned int side)
{
	int	 rc = BOOK_OK;

	if (b->ordfree == NIL && (rc = pool_grow((void **)&b->ord, &b->ordcap,
	    &b->ordfree, sizeof(struct order), offsetof(struct order, next))))
		goto out;
	if (b->lvlfree == NIL && (rc = pool_grow((void **)&b->lvl, &b->lvlcap,
	    &b->lvlfree, sizeof(struct level), offsetof(struct level, head))))
		goto out;
	/* A load factor of at most 1/2 keeps probe runs short. */
	if ((b->tabused + 1) * 2 > b->tabmask + 1 && (rc = tab_grow(b)))
		goto out;
	if (b->side[side].n == b->side[side].cap &&
	    (rc = ladder_grow(&b->side[side])))
		goto out;
out:
	return rc;
}

static inline int
book_need_reserve(const struct book *b, unsigned int side)
{
	return b->ordfree == NIL || b->lvlfree == NIL ||
	    (b->tabused + 1) * 2 > b->tabmask + 1 ||
	    b->side[side].n == b->side[side].cap;
}

static inline void
level_release(struct book *b, uint32_t li)
{
	b->lvl[li].head = b->lvlfree;
	b->lvlfree = li;
}

/* Drop empty levels from the best end, so the last rung is always live. */
static void
ladder_trim(struct book *b, struct ladder *l)
{
	uint32_t	 li;

	while (l->n > 0 && b->lvl[li = l->v[l->n - 1].lvl].count == 0) {
		level_release(b, li);
		l->n--;
		l->nempty--;
	}
}

static void
ladder_compact(struct book *b, struct ladder *l)
{
	uint32_t	 i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (b->lvl[l->v[i].lvl].count == 0)
			level_release(b, l->v[i].lvl);
		else
			l->v[n++] = l->v[i];
	}
	l->n = n;
	l->nempty = 0;
}

static void
level_emptied(struct book *b, uint32_t li)
{
	struct ladder	*l = &b->side[b->lvl[li].side];

	l->nempty++;
	if (l->v[l->n - 1].lvl == li)
		ladder_trim(b, l);
	else if (l->nempty > EMPTY_SLACK && l->nempty * 2 > l->n)
		ladder_compact(b, l);
}

/*
 * Index of key on the ladder: returns 1 if present, else 0 with the index
 * where it belongs. New orders mostly arrive at or near the best price, at
 * the end, so a few rungs there are tried before bisecting.
 */
static int
ladder_find(const struct ladder *l, int64_t key, uint32_t *pos)
{
	uint32_t	 lo = 0, hi = l->n, mid;

	while (hi > 0 && hi + 4 > l->n) {
		if (l->v[hi - 1].key == key) {
			*pos = hi - 1;
			return 1;
		}
		if (l->v[hi - 1].key < key) {
			*pos = hi;
			return 0;
		}
		hi--;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->v[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return lo < l->n && l->v[lo].key == key;
}

/* Append to the FIFO of its price; book_reserve() made room. */
static void
book_rest(struct book *b, uint64_t id, unsigned int side, int64_t price,
    int64_t qty, uint32_t owner)
{
	struct ladder	*l = &b->side[side];
	struct level	*lv;
	struct order	*o;
	int64_t		 key = side_key(side, price);
	uint32_t	 pos, li, oi;

	if (ladder_find(l, key, &pos)) {
		li = l->v[pos].lvl;
		lv = &b->lvl[li];
		if (lv->count == 0)
			l->nempty--;
	} else {
		li = b->lvlfree;
		lv = &b->lvl[li];
		b->lvlfree = lv->head;
		lv->price = price;
		lv->total = 0;
		lv->head = lv->tail = NIL;
		lv->count = 0;
		lv->side = side;
		memmove(&l->v[pos + 1], &l->v[pos], (l->n - pos) * sizeof(*l->v));
		l->v[pos].key = key;
		l->v[pos].lvl = li;
		l->n++;
	}

	oi = b->ordfree;
	o = &b->ord[oi];
	b->ordfree = o->next;
	o->id = id;
	o->qty = qty;
	o->owner = owner;
	o->lvl = li;
	o->next = NIL;
	o->prev = lv->tail;
	if (lv->tail != NIL)
		b->ord[lv->tail].next = oi;
	else
		lv->head = oi;
	lv->tail = oi;
	lv->count++;
	lv->total += qty;

	b->tab[tab_find(b, id)] = (struct slot){ .id = id, .ord = oi };
	b->tabused++;
	b->resting++;
}

/*
 * Whether the opposite ladder holds qty at keys >= thr for the taker t,
 * without touching it: with an owner, order by order, as self-trade
 * prevention will let it take them (book.h).
 */
static int
book_can_fill(const struct book *b, const struct ladder *l, int64_t thr,
    const struct book_order *t)
{
	const struct order	*m;
	uint32_t		 i, oi;
	int64_t			 qty = t->qty;

	for (i = l->n; i > 0 && l->v[i - 1].key >= thr; i--) {
		if (t->owner == 0) {
			if ((qty -= b->lvl[l->v[i - 1].lvl].total) <= 0)
				return 1;
			continue;
		}
		for (oi = b->lvl[l->v[i - 1].lvl].head; oi != NIL;
		    oi = m->next) {
			m = &b->ord[oi];
			if (m->owner != t->owner)
				qty -= m->qty;
			else if (t->stp != BOOK_STP_EXPIRE_MAKER)
				return 0;
			if (qty <= 0)
				return 1;
		}
	}
	return 0;
}

/* Self-trade prevention takes maker m out of the book, telling the caller. */
static void
book_prevent(struct book *b, const struct book_order *t, struct level *lv,
    struct order *m, int64_t left)
{
	struct book_fill	 f;

	if (b->fill != NULL) {
		memset(&f, 0, sizeof(f));
		f.maker_id = m->id;
		f.taker_id = t->id;
		f.price = lv->price;
		f.maker_left = m->qty;
		f.taker_left = left;
		f.taker_side = t->side;
		f.prevented = 1;
		b->fill(b->arg, &f);
	}
	lv->total -= m->qty;
	m->qty = 0;
}

/*
 * Take from the opposite ladder, best level first and in time order within
 * a level, while the level's key is at least thr. Returns what is left;
 * *stp is set when self-trade prevention expired the taker.
 */
static int64_t
book_match(struct book *b, const struct book_order *t, int64_t thr,
    uint32_t *nfills, int *stp)
{
	struct ladder	*l = &b->side[!t->side];
	struct level	*lv;
	struct order	*m;
	struct book_fill f;
	uint32_t	 oi, li;
	int64_t		 q, left = t->qty;

	f.taker_id = t->id;
	f.taker_side = t->side;
	f.prevented = 0;
	while (left > 0 && !*stp && l->n > 0 && l->v[l->n - 1].key >= thr) {
		li = l->v[l->n - 1].lvl;
		lv = &b->lvl[li];
		f.price = lv->price;
		oi = lv->head;
		do {
			m = &b->ord[oi];
			if (t->owner != 0 && m->owner == t->owner) {
				*stp = t->stp != BOOK_STP_EXPIRE_MAKER;
				if (t->stp == BOOK_STP_EXPIRE_TAKER)
					break;
				book_prevent(b, t, lv, m, left);
			} else {
				q = m->qty < left ? m->qty : left;
				m->qty -= q;
				lv->total -= q;
				left -= q;
				(*nfills)++;
				if (b->fill != NULL) {
					f.maker_id = m->id;
					f.qty = q;
					f.maker_left = m->qty;
					f.taker_left = left;
					b->fill(b->arg, &f);
				}
				if (m->qty > 0)
					break;
			}
			tab_del(b, tab_find(b, m->id));
			lv->count--;
			b->resting--;
			oi = m->next;
			m->next = b->ordfree;
			b->ordfree = (uint32_t)(m - b->ord);
		} while (left > 0 && !*stp && oi != NIL);
		lv->head = oi;
		if (oi != NIL) {
			b->ord[oi].prev = NIL;
			break;
		}
		lv->tail = NIL;
		l->nempty++;
		ladder_trim(b, l);
	}
	return left;
}

struct book *
book_new(book_fill_fn fill, void *arg)
{
	struct book	*b;
	uint32_t	 fl;
	int		 s;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	b->fill = fill;
	b->arg = arg;
	b->ordfree = b->lvlfree = NIL;

	/* pool_grow() doubles: start from half the initial size. */
	b->ordcap = ORD_INIT / 2;
	b->ord = NULL;
	fl = NIL;
	if (pool_grow((void **)&b->ord, &b->ordcap, &fl,
	    sizeof(struct order), offsetof(struct order, next)))
		goto fail;
	b->ordfree = b->ordcap / 2;
	/* The first half was never handed out: chain it in too. */
	b->ordcap = ORD_INIT;
	for (fl = 0; fl < ORD_INIT; fl++)
		b->ord[fl].next = fl + 1 < ORD_INIT ? fl + 1 : NIL;
	b->ordfree = 0;

	if ((b->lvl = malloc(LVL_INIT * sizeof(*b->lvl))) == NULL)
		goto fail;
	b->lvlcap = LVL_INIT;
	for (fl = 0; fl < LVL_INIT; fl++)
		b->lvl[fl].head = fl + 1 < LVL_INIT ? fl + 1 : NIL;
	b->lvlfree = 0;

	for (s = 0; s < 2; s++) {
		if ((b->side[s].v = malloc(RUNG_INIT * sizeof(struct rung))) ==
		    NULL)
			goto fail;
		b->side[s].cap = RUNG_INIT;
	}
	if (tab_alloc(b, TAB_INIT_BITS) != BOOK_OK)
		goto fail;
	return b;
fail:
	book_free(b);
	return NULL;
}

void
book_free(struct book *b)
{
	if (b == NULL)
		return;
	free(b->ord);
	free(b->lvl);
	free(b->side[0].v);
	free(b->side[1].v);
	free(b->tab);
	free(b);
}

static int
order_valid(const struct book_order *o)
{
	if ((unsigned int)o->side > BOOK_SELL ||
	    (unsigned int)o->tif > BOOK_FOK ||
	    o->qty <= 0 || o->qty > BOOK_QTY_MAX)
		return 0;
	if ((unsigned int)o->stp > BOOK_STP_EXPIRE_BOTH)
		return 0;
	if (o->type == BOOK_MARKET)
		return 1;
	return o->type == BOOK_LIMIT && o->price > 0 &&
	    o->price <= BOOK_PRICE_MAX;
}

int
book_add(struct book *b, const struct book_order *o, struct book_result *res)
{
	int64_t		 thr, left = o->qty;
	int		 rests, rc = BOOK_OK;

	res->status = BOOK_EXPIRED;
	res->filled = 0;
	res->left = o->qty;
	res->fills = 0;
	res->stp = 0;
	if (!order_valid(o)) {
		rc = BOOK_EINVAL;
		goto out;
	}
	rests = o->type == BOOK_LIMIT && o->tif == BOOK_GTC;
	if (rests && book_need_reserve(b, o->side) &&
	    (rc = book_reserve(b, o->side)) != BOOK_OK)
		goto out;
	/* A taker sharing a resting maker's id would trade with itself. */
	if (b->tab[tab_find(b, o->id)].ord != NIL) {
		rc = BOOK_EDUP;
		goto out;
	}

	thr = o->type == BOOK_MARKET ? INT64_MIN : side_key(!o->side, o->price);
	if (o->tif == BOOK_FOK && !book_can_fill(b, &b->side[!o->side], thr, o))
		goto out;
	left = book_match(b, o, thr, &res->fills, &res->stp);
	res->filled = o->qty - left;
	res->left = left;
	if (left == 0)
		res->status = BOOK_FILLED;
	else if (rests && !res->stp) {
		book_rest(b, o->id, o->side, o->price, left, o->owner);
		res->status = BOOK_RESTING;
	}
out:
	return rc;
}

int
book_cancel(struct book *b, uint64_t id, struct book_entry *e)
{
	struct order	*o;
	struct level	*lv;
	uint64_t	 si;
	uint32_t	 oi;

	si = tab_find(b, id);
	if ((oi = b->tab[si].ord) == NIL)
		return BOOK_ENOTFOUND;
	if (e != NULL)
		entry_fill(b, oi, e);
	tab_del(b, si);

	o = &b->ord[oi];
	lv = &b->lvl[o->lvl];
	if (o->prev != NIL)
		b->ord[o->prev].next = o->next;
	else
		lv->head = o->next;
	if (o->next != NIL)
		b->ord[o->next].prev = o->prev;
	else
		lv->tail = o->prev;
	lv->total -= o->qty;
	if (--lv->count == 0)
		level_emptied(b, o->lvl);
	o->next = b->ordfree;
	b->ordfree = oi;
	b->resting--;
	return BOOK_OK;
}

/*
 * Rest an order without matching, for rebuilding a book from committed
 * state: restoring each side's orders in their time order (as the engine
 * does with its sequence numbers, or as book_foreach() yields them) gives
 * the same priorities. An order that would cross is refused, since a
 * committed book never crosses and matching here would invent trades.
 */
int
book_restore(struct book *b, const struct book_entry *e)
{
	const struct ladder	*opp;
	int			 rc = BOOK_OK;

	if ((unsigned int)e->side > BOOK_SELL || e->qty <= 0 ||
	    e->qty > BOOK_QTY_MAX || e->price <= 0 ||
	    e->price > BOOK_PRICE_MAX) {
		rc = BOOK_EINVAL;
		goto out;
	}
	opp = &b->side[!e->side];
	if (opp->n > 0 &&
	    opp->v[opp->n - 1].key >= side_key(!e->side, e->price)) {
		rc = BOOK_ECROSS;
		goto out;
	}
	if (book_need_reserve(b, e->side) &&
	    (rc = book_reserve(b, e->side)) != BOOK_OK)
		goto out;
	if (b->tab[tab_find(b, e->id)].ord != NIL) {
		rc = BOOK_EDUP;
		goto out;
	}
	book_rest(b, e->id, e->side, e->price, e->qty, e->owner);
out:
	return rc;
}
