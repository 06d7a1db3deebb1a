/* matcher/stops.c — the stop book of one market: untriggered stop orders and the order they trigger in; pure code */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/stops.h"

/*
 * Each side is an array sorted so that the next stop to trigger is at its
 * end, as the order book's ladders are: key = -stop for BUY stops (the
 * lowest triggers first), stop for SELL stops (the highest first); equal
 * keys by seq, the earliest at the end. A trade at price p crosses every
 * stop whose key is at least -p (BUY) or p (SELL), a run at the end.
 * An id table (open addressing, backward-shift deletion) finds a stop's
 * key for a cancel, which then bisects its side.
 */

#define TAB_INIT	64
#define SIDE_INIT	16
#define HASH_MUL	UINT64_C(0x9e3779b97f4a7c15)

struct sstop {
	struct stop_order so;
	int64_t		 key;
};

struct sside {
	struct sstop	*v;
	size_t		 n, cap;
};

struct sslot {
	uint64_t	 id;
	int64_t		 key;
	uint64_t	 seq;
	int		 side;		/* -1: free */
};

struct stops {
	struct sside	 side[2];
	struct sslot	*tab;
	size_t		 tabmask, tabused;
	struct stop_order *q;		/* triggered, in order */
	size_t		 qhead, qn, qcap;
};

static int64_t
stop_key(unsigned int side, int64_t stop)
{
	return side == BOOK_BUY ? -stop : stop;
}

/* Sort order of a side: a before b when it triggers later. */
static int
stop_before(int64_t ka, uint64_t sa, int64_t kb, uint64_t sb)
{
	return ka != kb ? ka < kb : sa > sb;
}

static size_t
tab_slot(const struct stops *s, uint64_t id)
{
	size_t i = (size_t)((id * HASH_MUL) >> 32) & s->tabmask;

	while (s->tab[i].side != -1 && s->tab[i].id != id)
		i = (i + 1) & s->tabmask;
	return i;
}

static int
tab_alloc(struct stops *s, size_t n)
{
	size_t i;

	if ((s->tab = malloc(n * sizeof(*s->tab))) == NULL)
		return BOOK_ENOMEM;
	for (i = 0; i < n; i++)
		s->tab[i].side = -1;
	s->tabmask = n - 1;
	return BOOK_OK;
}

static int
tab_reserve(struct stops *s)
{
	struct sslot *old = s->tab;
	size_t i, n = s->tabmask + 1;

	if ((s->tabused + 1) * 2 <= n)
		return BOOK_OK;
	if (tab_alloc(s, n * 2) != BOOK_OK) {
		s->tab = old;
		s->tabmask = n - 1;
		return BOOK_ENOMEM;
	}
	for (i = 0; i < n; i++)
		if (old[i].side != -1)
			s->tab[tab_slot(s, old[i].id)] = old[i];
	free(old);
	return BOOK_OK;
}

static void
tab_del(struct stops *s, size_t i)
{
	size_t j = i, home;

	for (;;) {
		j = (j + 1) & s->tabmask;
		if (s->tab[j].side == -1)
			break;
		home = (size_t)((s->tab[j].id * HASH_MUL) >> 32) & s->tabmask;
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		s->tab[i] = s->tab[j];
		i = j;
	}
	s->tab[i].side = -1;
	s->tabused--;
}

static int
grow(void **v, size_t *cap, size_t n, size_t sz, size_t init)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return BOOK_OK;
	ncap = *cap ? *cap * 2 : init;
	if ((p = realloc(*v, ncap * sz)) == NULL)
		return BOOK_ENOMEM;
	*v = p;
	*cap = ncap;
	return BOOK_OK;
}

/* Where (key, seq) is, or belongs, on a side. */
static size_t
side_find(const struct sside *sd, int64_t key, uint64_t seq)
{
	size_t lo = 0, hi = sd->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (stop_before(sd->v[mid].key, sd->v[mid].so.seq, key, seq))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct stops *
stops_new(void)
{
	struct stops *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (tab_alloc(s, TAB_INIT) != BOOK_OK) {
		free(s);
		return NULL;
	}
	return s;
}

void
stops_free(struct stops *s)
{
	if (s == NULL)
		return;
	free(s->side[0].v);
	free(s->side[1].v);
	free(s->tab);
	free(s->q);
	free(s);
}

static int
stop_valid(const struct stop_order *so)
{
	const struct book_order *o = &so->o;

	if ((unsigned int)o->side > BOOK_SELL ||
	    (unsigned int)o->tif > BOOK_FOK ||
	    (unsigned int)o->stp > BOOK_STP_EXPIRE_BOTH ||
	    o->qty <= 0 || o->qty > BOOK_QTY_MAX ||
	    so->stop <= 0 || so->stop > BOOK_PRICE_MAX)
		return 0;
	if (o->type == BOOK_MARKET)
		return 1;
	return o->type == BOOK_LIMIT && o->price > 0 &&
	    o->price <= BOOK_PRICE_MAX;
}

int
stops_add(struct stops *s, const struct stop_order *so)
{
	struct sside *sd;
	struct sslot *t;
	size_t pos, i;
	int64_t key;
	int rc;

	if (!stop_valid(so))
		return BOOK_EINVAL;
	sd = &s->side[so->o.side];
	if ((rc = tab_reserve(s)) != BOOK_OK ||
	    (rc = grow((void **)&sd->v, &sd->cap, sd->n, sizeof(*sd->v),
	    SIDE_INIT)) != BOOK_OK)
		return rc;
	i = tab_slot(s, so->o.id);
	if (s->tab[i].side != -1)
		return BOOK_EDUP;
	key = stop_key(so->o.side, so->stop);
	pos = side_find(sd, key, so->seq);
	memmove(&sd->v[pos + 1], &sd->v[pos], (sd->n - pos) * sizeof(*sd->v));
	sd->v[pos].so = *so;
	sd->v[pos].key = key;
	sd->n++;
	t = &s->tab[i];
	t->id = so->o.id;
	t->key = key;
	t->seq = so->seq;
	t->side = (int)so->o.side;
	s->tabused++;
	return BOOK_OK;
}

int
stops_get(const struct stops *s, uint64_t id, struct stop_order *out)
{
	const struct sslot *t = &s->tab[tab_slot(s, id)];
	const struct sside *sd;
	size_t pos;

	if (t->side == -1)
		return BOOK_ENOTFOUND;
	sd = &s->side[t->side];
	pos = side_find(sd, t->key, t->seq);
	if (pos >= sd->n || sd->v[pos].so.o.id != id)
		return BOOK_ENOTFOUND;
	if (out != NULL)
		*out = sd->v[pos].so;
	return BOOK_OK;
}

int
stops_cancel(struct stops *s, uint64_t id, struct stop_order *out)
{
	size_t i = tab_slot(s, id), pos;
	struct sside *sd;

	if (s->tab[i].side == -1)
		return BOOK_ENOTFOUND;
	sd = &s->side[s->tab[i].side];
	pos = side_find(sd, s->tab[i].key, s->tab[i].seq);
	if (pos >= sd->n || sd->v[pos].so.o.id != id)
		return BOOK_ENOTFOUND;
	if (out != NULL)
		*out = sd->v[pos].so;
	sd->n--;
	memmove(&sd->v[pos], &sd->v[pos + 1], (sd->n - pos) * sizeof(*sd->v));
	tab_del(s, i);
	return BOOK_OK;
}

int
stops_crossed(enum book_side side, int64_t stop, int64_t last)
{
	if (last <= 0)
		return 0;
	return side == BOOK_BUY ? last >= stop : last <= stop;
}

int
stops_trade(struct stops *s, int64_t price)
{
	struct sside *sd;
	size_t n, k, need;
	int side;

	/* Room for every stop it crosses first: all or nothing moves. */
	for (need = 0, side = BOOK_BUY; side <= BOOK_SELL; side++) {
		sd = &s->side[side];
		for (n = sd->n; n > 0 &&
		    sd->v[n - 1].key >= stop_key((unsigned int)side, price); n--)
			need++;
	}
	if (need == 0)
		return BOOK_OK;
	if (s->qhead > 0 && s->qn + need > s->qcap) {
		memmove(s->q, s->q + s->qhead, (s->qn - s->qhead) * sizeof(*s->q));
		s->qn -= s->qhead;
		s->qhead = 0;
	}
	while (s->qn + need > s->qcap)
		if (grow((void **)&s->q, &s->qcap, s->qcap, sizeof(*s->q),
		    SIDE_INIT) != BOOK_OK)
			return BOOK_ENOMEM;
	for (side = BOOK_BUY; side <= BOOK_SELL; side++) {
		sd = &s->side[side];
		while (sd->n > 0 &&
		    sd->v[sd->n - 1].key >= stop_key((unsigned int)side, price)) {
			k = --sd->n;
			s->q[s->qn++] = sd->v[k].so;
			tab_del(s, tab_slot(s, sd->v[k].so.o.id));
		}
	}
	return BOOK_OK;
}

int
stops_next(struct stops *s, struct stop_order *out)
{
	if (s->qhead == s->qn) {
		s->qhead = s->qn = 0;
		return 0;
	}
	*out = s->q[s->qhead++];
	return 1;
}

size_t
stops_count(const struct stops *s)
{
	return s->side[0].n + s->side[1].n;
}

int
stops_foreach(const struct stops *s, stops_visit_fn fn, void *arg)
{
	size_t i;
	int side, rc = 0;

	for (side = BOOK_BUY; side <= BOOK_SELL; side++)
		for (i = s->side[side].n; i > 0; i--)
			if ((rc = fn(arg, &s->side[side].v[i - 1].so)) != 0)
				return rc;
	return rc;
}
