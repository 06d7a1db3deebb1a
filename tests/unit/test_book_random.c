/* tests/unit/test_book_random.c — the order book against a naive reference on random streams of orders, cancels and restores */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/book.h"
#include "tests/unit/fixture.h"
#include "tests/unit/fixture_book.h"
#include "tests/unit/tap.h"

/*
 * The reference: every resting order in one array, best found by a linear
 * scan each time. Slow and obviously right, which is the point.
 */
struct rorder {
	uint64_t	 id, seq;
	int		 side;
	int64_t		 price, qty;
};

struct ref {
	struct rorder	*v;
	size_t		 n, cap;
	uint64_t	 seq;
	struct book_fill fills[MAXFILLS];
	size_t		 nfills;
};

static ssize_t
ref_find(const struct ref *r, uint64_t id)
{
	size_t	 i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].id == id)
			return (ssize_t)i;
	return -1;
}

static void
ref_rest(struct ref *r, uint64_t id, int side, int64_t price, int64_t qty)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		if ((r->v = realloc(r->v, r->cap * sizeof(*r->v))) == NULL)
			abort();
	}
	r->v[r->n++] = (struct rorder){ id, r->seq++, side, price, qty };
}

static void
ref_remove(struct ref *r, size_t i)
{
	r->v[i] = r->v[--r->n];
}

/* Whether resting order a (of the side opposite a taker) matches first. */
static int
ref_before(const struct rorder *a, const struct rorder *b)
{
	if (a->price != b->price)
		return a->side == BOOK_SELL ? a->price < b->price :
		    a->price > b->price;
	return a->seq < b->seq;
}

static int
ref_crosses(int taker_side, int market, int64_t limit, int64_t price)
{
	if (market)
		return 1;
	return taker_side == BOOK_BUY ? price <= limit : price >= limit;
}

static int
ref_add(struct ref *r, const struct book_order *o, struct book_result *res)
{
	ssize_t		 best;
	size_t		 i;
	int64_t		 left = o->qty, avail = 0, q;
	int		 market = o->type == BOOK_MARKET;

	res->status = BOOK_EXPIRED;
	res->filled = 0;
	res->left = o->qty;
	res->fills = 0;
	if ((o->side != BOOK_BUY && o->side != BOOK_SELL) ||
	    (o->tif != BOOK_GTC && o->tif != BOOK_IOC && o->tif != BOOK_FOK) ||
	    (o->type != BOOK_LIMIT && o->type != BOOK_MARKET) ||
	    o->qty < 1 || o->qty > BOOK_QTY_MAX ||
	    (!market && (o->price < 1 || o->price > BOOK_PRICE_MAX)))
		return BOOK_EINVAL;
	if (ref_find(r, o->id) >= 0)
		return BOOK_EDUP;
	if (o->tif == BOOK_FOK) {
		for (i = 0; i < r->n; i++)
			if (r->v[i].side != (int)o->side &&
			    ref_crosses(o->side, market, o->price,
			    r->v[i].price))
				avail += r->v[i].qty;
		if (avail < left)
			return BOOK_OK;
	}
	while (left > 0) {
		best = -1;
		for (i = 0; i < r->n; i++)
			if (r->v[i].side != (int)o->side &&
			    ref_crosses(o->side, market, o->price,
			    r->v[i].price) &&
			    (best < 0 || ref_before(&r->v[i], &r->v[best])))
				best = (ssize_t)i;
		if (best < 0)
			break;
		q = r->v[best].qty < left ? r->v[best].qty : left;
		r->v[best].qty -= q;
		left -= q;
		res->fills++;
		if (r->nfills < MAXFILLS)
			r->fills[r->nfills++] = (struct book_fill){
			    .maker_id = r->v[best].id, .taker_id = o->id,
			    .price = r->v[best].price, .qty = q,
			    .maker_left = r->v[best].qty, .taker_left = left,
			    .taker_side = o->side };
		if (r->v[best].qty == 0)
			ref_remove(r, (size_t)best);
	}
	res->filled = o->qty - left;
	res->left = left;
	if (left == 0)
		res->status = BOOK_FILLED;
	else if (!market && o->tif == BOOK_GTC) {
		ref_rest(r, o->id, o->side, o->price, left);
		res->status = BOOK_RESTING;
	}
	return BOOK_OK;
}

static int
ref_cancel(struct ref *r, uint64_t id, struct book_entry *e)
{
	ssize_t	 i;

	if ((i = ref_find(r, id)) < 0)
		return BOOK_ENOTFOUND;
	e->id = id;
	e->side = r->v[i].side;
	e->price = r->v[i].price;
	e->qty = r->v[i].qty;
	ref_remove(r, (size_t)i);
	return BOOK_OK;
}

static int
ref_restore(struct ref *r, const struct book_entry *e)
{
	size_t	 i;

	if ((e->side != BOOK_BUY && e->side != BOOK_SELL) || e->qty < 1 ||
	    e->qty > BOOK_QTY_MAX || e->price < 1 ||
	    e->price > BOOK_PRICE_MAX)
		return BOOK_EINVAL;
	for (i = 0; i < r->n; i++)
		if (r->v[i].side != (int)e->side &&
		    ref_crosses(e->side, 0, e->price, r->v[i].price))
			return BOOK_ECROSS;
	if (ref_find(r, e->id) >= 0)
		return BOOK_EDUP;
	ref_rest(r, e->id, e->side, e->price, e->qty);
	return BOOK_OK;
}

static int
ref_cmp_entry(const void *a, const void *b)
{
	const struct rorder	*x = a, *y = b;

	if (x->side != y->side)
		return x->side - y->side;
	if (x->price != y->price)
		return ref_before(x, y) ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The reference's levels of one side, best first. */
static size_t
ref_depth(struct ref *r, int side, struct book_level *out, size_t max)
{
	size_t	 i, n = 0;

	if (r->n > 0)
		qsort(r->v, r->n, sizeof(*r->v), ref_cmp_entry);
	for (i = 0; i < r->n; i++) {
		if (r->v[i].side != side)
			continue;
		if (n > 0 && out[n - 1].price == r->v[i].price) {
			out[n - 1].qty += r->v[i].qty;
			out[n - 1].orders++;
			continue;
		}
		if (n == max)
			break;
		out[n].price = r->v[i].price;
		out[n].qty = r->v[i].qty;
		out[n].orders = 1;
		n++;
	}
	return n;
}

static int64_t
xs_below(uint64_t *s, uint64_t n)
{
	return (int64_t)((fx_rnd(s) >> 11) % n);
}

struct walk {
	struct book_entry *v;
	size_t		 n, cap;
};

static int
walk_visit(void *arg, const struct book_entry *e)
{
	struct walk	*w = arg;

	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 256;
		if ((w->v = realloc(w->v, w->cap * sizeof(*w->v))) == NULL)
			abort();
	}
	w->v[w->n++] = *e;
	return 0;
}

#define DEPTH_MAX	2048

/* Both books hold the same orders in the same order, and aggregate alike. */
static const char *
compare_books(struct book *b, struct ref *r)
{
	static struct book_level got[DEPTH_MAX], want[DEPTH_MAX];
	struct book_level	 lv;
	struct walk		 w = { NULL, 0, 0 };
	const char		*err = NULL;
	size_t			 i, n;
	int			 s;

	if (book_count(b) != r->n)
		return "book_count differs";
	for (s = 0; s < 2; s++) {
		n = book_depth(b, s, got, DEPTH_MAX);
		if (n != ref_depth(r, s, want, DEPTH_MAX))
			return "number of levels differs";
		for (i = 0; i < n; i++)
			if (got[i].price != want[i].price ||
			    got[i].qty != want[i].qty ||
			    got[i].orders != want[i].orders)
				return "book_depth differs";
		if (book_best(b, s, &lv) != (n > 0 ? BOOK_OK : BOOK_ENOTFOUND))
			return "book_best rc differs";
		if (n > 0 && (lv.price != want[0].price ||
		    lv.qty != want[0].qty || lv.orders != want[0].orders))
			return "book_best differs";
	}
	/* ref_depth() left the reference sorted as book_foreach() walks. */
	book_foreach(b, walk_visit, &w);
	if (w.n != r->n)
		err = "foreach count differs";
	for (i = 0; err == NULL && i < w.n; i++)
		if (w.v[i].id != r->v[i].id ||
		    (int)w.v[i].side != r->v[i].side ||
		    w.v[i].price != r->v[i].price ||
		    w.v[i].qty != r->v[i].qty)
			err = "foreach entries differ";
	free(w.v);
	return err;
}

struct stream_cfg {
	int64_t		 prices;	/* limit prices in 1..prices */
	int64_t		 maxqty;
	int		 pcancel;	/* per mille */
	int		 pcancel_late;	/* per mille, in the second half */
	int		 pbuy_low;	/* per mille of bids kept below the asks */
};

/* A cancel, mostly of a live id, sometimes of a finished or unknown one. */
static const char *
stream_cancel(struct book *b, struct ref *ref, uint64_t *s, uint64_t nextid)
{
	struct book_entry	 e, re;
	uint64_t		 id;
	int			 rc, rrc;

	if (ref->n > 0 && xs_below(s, 4) != 0)
		id = ref->v[xs_below(s, (uint64_t)ref->n)].id;
	else
		id = 1 + (uint64_t)xs_below(s, nextid + 2);
	memset(&e, 0, sizeof(e));
	memset(&re, 0, sizeof(re));
	rc = book_cancel(b, id, &e);
	rrc = ref_cancel(ref, id, &re);
	if (rc != rrc)
		return "cancel rc differs";
	if (rc == BOOK_OK && (e.id != re.id || e.side != re.side ||
	    e.price != re.price || e.qty != re.qty))
		return "cancel entry differs";
	if (xs_below(s, 2) == 0) {
		rc = book_get(b, id, &e);
		if (rc != BOOK_ENOTFOUND)
			return "book_get after cancel";
	}
	return NULL;
}

/* A restore, now and then of a resting id or of nothing at all. */
static const char *
stream_restore(struct book *b, struct ref *ref, uint64_t *s,
    const struct stream_cfg *c, uint64_t *nextid)
{
	struct book_entry	 e;
	int			 rc, rrc;

	memset(&e, 0, sizeof(e));
	e.id = xs_below(s, 8) == 0 && ref->n > 0 ?
	    ref->v[0].id : (*nextid)++;
	e.side = xs_below(s, 2);
	e.price = 1 + xs_below(s, (uint64_t)c->prices);
	e.qty = xs_below(s, 20) == 0 ? 0 :
	    1 + xs_below(s, (uint64_t)c->maxqty);
	rc = book_restore(b, &e);
	rrc = ref_restore(ref, &e);
	if (rc != rrc)
		return "restore rc differs";
	return NULL;
}

/* Both books' fills from the last add, one by one. */
static const char *
fills_differ(const struct rec *rec, const struct ref *ref)
{
	size_t	 i;

	for (i = 0; i < rec->n; i++)
		if (rec->v[i].maker_id != ref->fills[i].maker_id ||
		    rec->v[i].taker_id != ref->fills[i].taker_id ||
		    rec->v[i].price != ref->fills[i].price ||
		    rec->v[i].qty != ref->fills[i].qty ||
		    rec->v[i].maker_left != ref->fills[i].maker_left ||
		    rec->v[i].taker_left != ref->fills[i].taker_left ||
		    rec->v[i].taker_side != ref->fills[i].taker_side)
			return "fill differs";
	return NULL;
}

/* An order of any type and time in force, a few of them invalid. */
static const char *
stream_add(struct book *b, struct ref *ref, struct rec *rec, uint64_t *s,
    const struct stream_cfg *c, uint64_t *nextid)
{
	struct book_order	 o;
	struct book_result	 res, rres;
	int64_t			 r, half = c->prices / 2;
	int			 rc, rrc;

	memset(&o, 0, sizeof(o));
	o.id = xs_below(s, 50) == 0 && ref->n > 0 ?
	    ref->v[xs_below(s, (uint64_t)ref->n)].id :
	    (*nextid)++;
	o.side = xs_below(s, 2);
	r = xs_below(s, 100);
	o.type = r < 8 ? BOOK_MARKET : BOOK_LIMIT;
	r = xs_below(s, 100);
	o.tif = r < 70 ? BOOK_GTC : r < 85 ? BOOK_IOC : BOOK_FOK;
	o.price = 1 + xs_below(s, (uint64_t)c->prices);
	/* Keep some passive orders apart so the book can grow. */
	if (xs_below(s, 1000) < c->pbuy_low)
		o.price = o.side == BOOK_BUY ?
		    1 + xs_below(s, (uint64_t)half) :
		    c->prices - xs_below(s, (uint64_t)half);
	if (o.type == BOOK_MARKET)
		o.price = 0;
	o.qty = 1 + xs_below(s, (uint64_t)c->maxqty);
	if (xs_below(s, 100) == 0)
		o.qty = xs_below(s, 2) ? 0 : BOOK_QTY_MAX + 1;
	if (xs_below(s, 200) == 0)
		o.tif = (enum book_tif)3;
	rec->n = 0;
	ref->nfills = 0;
	rc = book_add(b, &o, &res);
	rrc = ref_add(ref, &o, &rres);
	if (rc != rrc)
		return "add rc differs";
	if (res.status != rres.status || res.filled != rres.filled ||
	    res.left != rres.left || res.fills != rres.fills)
		return "add result differs";
	if (rec->overflow || rec->n != ref->nfills)
		return "number of fills differs";
	return fills_differ(rec, ref);
}

/* One random stream through both books; returns NULL or what went wrong. */
static const char *
run_stream(uint64_t seed, const struct stream_cfg *c, int ncmd, int *at)
{
	static struct rec	 rec;
	struct ref		 ref;
	struct book		*b;
	const char		*err = NULL;
	uint64_t		 s = seed * 2 + 1, nextid = 1;
	int64_t			 r;
	int			 k, pc;

	memset(&ref, 0, sizeof(ref));
	rec.n = 0;
	if ((b = book_new(rec_fill, &rec)) == NULL)
		return "book_new failed";
	for (k = 0; k < ncmd && err == NULL; k++) {
		*at = k;
		pc = k < ncmd / 2 ? c->pcancel : c->pcancel_late;
		r = xs_below(&s, 1000);
		if (r < pc)
			err = stream_cancel(b, &ref, &s, nextid);
		else if (r < pc + 15)
			err = stream_restore(b, &ref, &s, c, &nextid);
		else
			err = stream_add(b, &ref, &rec, &s, c, &nextid);
		if (err == NULL && (k % 97 == 0 || k == ncmd - 1))
			err = compare_books(b, &ref);
	}
	book_free(b);
	free(ref.v);
	return err;
}

static void
test_differential(void)
{
	static const struct stream_cfg cfg[] = {
		{ 5, 10, 300, 300, 0 },		/* few prices: constant crossing */
		{ 12, 20, 400, 400, 100 },
		{ 30, 50, 450, 450, 300 },
		{ 400, 30, 600, 600, 900 },	/* many levels, many emptied */
		{ 3000, 100, 150, 150, 950 },	/* a book that grows */
		/* Grows sparse, then empties levels below the best. */
		{ 5000, 20, 100, 800, 990 },
	};
	const struct stream_cfg	*c;
	const char		*err;
	char			 msg[128];
	int			 i, at, bad = 0;

	for (i = 0; i < 200; i++) {
		c = &cfg[i % nitems(cfg)];
		err = run_stream((uint64_t)i, c, 2000, &at);
		if (!is_str(err, NULL, "stream %d (prices 1..%lld, cancels "
		    "%d then %d/1000)", i, (long long)c->prices, c->pcancel,
		    c->pcancel_late)) {
			snprintf(msg, sizeof(msg), "stream %d, command %d: %s",
			    i, at, err);
			diag(msg);
			bad++;
		}
	}
	/* A long one to take the pools and the table through several growths. */
	err = run_stream(1000, &(struct stream_cfg){ 20000, 100, 100, 100,
	    990 },
	    6000, &at);
	if (!is_str(err, NULL, "long stream growing the book")) {
		snprintf(msg, sizeof(msg), "command %d: %s", at, err);
		diag(msg);
	}
	is_int(bad, 0, "no stream diverged");
}

int
main(void)
{
	test_differential();
	return done_testing();
}
