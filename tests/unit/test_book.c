/* tests/unit/test_book.c — the order book: each rule on its own, then against a naive reference on random streams */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/book.h"
#include "tests/unit/fixture.h"
#include "tests/unit/tap.h"

#define MAXFILLS	4096
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

/* Fills seen by the callback, in order. */
struct rec {
	struct book_fill v[MAXFILLS];
	size_t		 n;
	int		 overflow;
};

static void
rec_fill(void *arg, const struct book_fill *f)
{
	struct rec	*r = arg;

	if (r->n == MAXFILLS) {
		r->overflow = 1;
		return;
	}
	r->v[r->n++] = *f;
}

static struct book_order
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

static int
add(struct book *b, uint64_t id, enum book_side side, enum book_type type,
    enum book_tif tif, int64_t price, int64_t qty, struct book_result *res)
{
	struct book_order	 o = ord(id, side, type, tif, price, qty);
	struct book_result	 dummy;

	return book_add(b, &o, res != NULL ? res : &dummy);
}

static int
gtc(struct book *b, uint64_t id, enum book_side side, int64_t price,
    int64_t qty)
{
	return add(b, id, side, BOOK_LIMIT, BOOK_GTC, price, qty, NULL);
}

static int
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

static int
snap_visit(void *arg, const struct book_entry *e)
{
	struct snap	*s = arg;

	if (s->n == nitems(s->v))
		return -1;
	s->v[s->n++] = *e;
	return 0;
}

static void
snap_take(const struct book *b, struct snap *s)
{
	memset(s, 0, sizeof(*s));
	book_foreach(b, snap_visit, s);
}

static int
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

static void
test_limit_cross(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;
	struct book_level	 lv;
	int			 rc;

	ok(b != NULL, "book_new");
	is_int(gtc(b, 1, BOOK_SELL, 100, 10), BOOK_OK, "sell 10@100 rests");
	rc = add(b, 2, BOOK_BUY, BOOK_LIMIT, BOOK_GTC, 105, 4, &res);
	is_int(rc, BOOK_OK, "buy 4@105 accepted");
	is_int(res.status, BOOK_FILLED, "buy is filled");
	is_int(res.filled, 4, "filled 4");
	is_int(res.left, 0, "nothing left");
	is_int(res.fills, 1, "one fill reported");
	ok(r.n == 1 && fill_is(&r.v[0], 1, 2, 100, 4, 6, 0),
	    "fill at the maker's price 100, maker keeps 6");
	is_int(r.v[0].taker_side, BOOK_BUY, "taker side is buy");
	ok(book_best(b, BOOK_SELL, &lv) == BOOK_OK && lv.price == 100 &&
	    lv.qty == 6 && lv.orders == 1, "best ask 6@100");
	is_int(book_best(b, BOOK_BUY, &lv), BOOK_ENOTFOUND, "no bids");

	/* A sell below the best bid trades at the bid. */
	is_int(gtc(b, 3, BOOK_BUY, 99, 5), BOOK_OK, "buy 5@99 rests");
	r.n = 0;
	rc = add(b, 4, BOOK_SELL, BOOK_LIMIT, BOOK_GTC, 90, 5, &res);
	ok(rc == BOOK_OK && res.status == BOOK_FILLED && r.n == 1 &&
	    fill_is(&r.v[0], 3, 4, 99, 5, 0, 0), "sell 5@90 fills at 99");
	is_int(book_count(b), 1, "one order left");
	book_free(b);
}

static void
test_priority(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;

	gtc(b, 1, BOOK_SELL, 101, 5);
	gtc(b, 2, BOOK_SELL, 100, 5);
	gtc(b, 3, BOOK_SELL, 100, 5);
	gtc(b, 4, BOOK_SELL, 102, 5);
	add(b, 5, BOOK_BUY, BOOK_LIMIT, BOOK_GTC, 101, 12, &res);
	is_int(res.fills, 3, "three fills");
	ok(r.n == 3 && fill_is(&r.v[0], 2, 5, 100, 5, 0, 7) &&
	    fill_is(&r.v[1], 3, 5, 100, 5, 0, 2) &&
	    fill_is(&r.v[2], 1, 5, 101, 2, 3, 0),
	    "best price first, then time order within the price");
	is_int(res.status, BOOK_FILLED, "taker filled");

	/* Same price on the bid side: the earlier order goes first. */
	book_free(b);
	r.n = 0;
	b = book_new(rec_fill, &r);
	gtc(b, 10, BOOK_BUY, 50, 3);
	gtc(b, 11, BOOK_BUY, 51, 3);
	gtc(b, 12, BOOK_BUY, 50, 3);
	add(b, 13, BOOK_SELL, BOOK_LIMIT, BOOK_IOC, 50, 9, &res);
	ok(r.n == 3 && r.v[0].maker_id == 11 && r.v[1].maker_id == 10 &&
	    r.v[2].maker_id == 12, "bids: 51 first, then 50 in time order");
	book_free(b);
}

static void
test_partial(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;
	struct book_entry	 e;

	gtc(b, 1, BOOK_SELL, 100, 5);
	add(b, 2, BOOK_BUY, BOOK_LIMIT, BOOK_GTC, 100, 20, &res);
	ok(res.status == BOOK_RESTING && res.filled == 5 && res.left == 15 &&
	    res.fills == 1, "buy 20@100 fills 5 and rests 15");
	ok(book_get(b, 2, &e) == BOOK_OK && e.qty == 15 && e.price == 100 &&
	    e.side == BOOK_BUY, "remainder rests at its limit");
	is_int(book_get(b, 1, &e), BOOK_ENOTFOUND, "the filled maker is gone");

	/* A maker partly filled keeps its place at the head of the level. */
	gtc(b, 3, BOOK_BUY, 100, 5);
	r.n = 0;
	add(b, 4, BOOK_SELL, BOOK_LIMIT, BOOK_IOC, 100, 10, &res);
	ok(r.n == 1 && fill_is(&r.v[0], 2, 4, 100, 10, 5, 0),
	    "partial fill of the first maker");
	r.n = 0;
	add(b, 5, BOOK_SELL, BOOK_LIMIT, BOOK_IOC, 100, 7, &res);
	ok(r.n == 2 && fill_is(&r.v[0], 2, 5, 100, 5, 0, 2) &&
	    fill_is(&r.v[1], 3, 5, 100, 2, 3, 0),
	    "the partly filled maker is still first");
	book_free(b);
}

static void
test_market(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;
	struct book_level	 lv;

	gtc(b, 1, BOOK_SELL, 100, 5);
	gtc(b, 2, BOOK_SELL, 102, 5);
	gtc(b, 3, BOOK_BUY, 90, 5);
	is_int(add(b, 4, BOOK_BUY, BOOK_MARKET, BOOK_IOC, 0, 20, &res),
	    BOOK_OK, "market buy accepted with price 0");
	ok(res.status == BOOK_EXPIRED && res.filled == 10 && res.left == 10 &&
	    res.fills == 2, "market takes 10 and drops 10");
	ok(r.n == 2 && fill_is(&r.v[0], 1, 4, 100, 5, 0, 15) &&
	    fill_is(&r.v[1], 2, 4, 102, 5, 0, 10), "at any price, best first");
	is_int(book_best(b, BOOK_SELL, &lv), BOOK_ENOTFOUND, "asks swept");
	ok(book_best(b, BOOK_BUY, &lv) == BOOK_OK && lv.price == 90 &&
	    lv.qty == 5, "the market remainder does not rest");

	/* GTC on a market order does not make it rest either. */
	add(b, 5, BOOK_SELL, BOOK_MARKET, BOOK_GTC, 0, 8, &res);
	ok(res.status == BOOK_EXPIRED && res.filled == 5 && res.left == 3,
	    "market sell GTC: 5 filled, 3 dropped");
	is_int(book_count(b), 0, "book empty");
	add(b, 6, BOOK_SELL, BOOK_MARKET, BOOK_IOC, 0, 8, &res);
	ok(res.status == BOOK_EXPIRED && res.filled == 0 && res.left == 8 &&
	    res.fills == 0, "market into an empty book expires");
	book_free(b);
}

static void
test_ioc(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;

	gtc(b, 1, BOOK_SELL, 100, 4);
	gtc(b, 2, BOOK_SELL, 101, 5);
	add(b, 3, BOOK_BUY, BOOK_LIMIT, BOOK_IOC, 100, 10, &res);
	ok(res.status == BOOK_EXPIRED && res.filled == 4 && res.left == 6,
	    "IOC takes what crosses and drops the rest");
	ok(r.n == 1 && fill_is(&r.v[0], 1, 3, 100, 4, 0, 6),
	    "IOC does not go past its limit");
	is_int(book_count(b), 1, "IOC remainder does not rest");
	is_int(book_get(b, 3, &(struct book_entry){ 0 }), BOOK_ENOTFOUND,
	    "no IOC entry");
	add(b, 4, BOOK_BUY, BOOK_LIMIT, BOOK_IOC, 99, 10, &res);
	ok(res.status == BOOK_EXPIRED && res.filled == 0 && res.left == 10,
	    "IOC that crosses nothing expires whole");
	add(b, 5, BOOK_BUY, BOOK_LIMIT, BOOK_IOC, 101, 5, &res);
	ok(res.status == BOOK_FILLED && res.left == 0, "IOC fully filled");
	book_free(b);
}

static void
test_fok(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;
	struct snap		 s0, s1;

	gtc(b, 1, BOOK_SELL, 100, 5);
	gtc(b, 2, BOOK_SELL, 101, 5);
	gtc(b, 3, BOOK_SELL, 103, 5);
	gtc(b, 4, BOOK_BUY, 95, 5);
	snap_take(b, &s0);

	add(b, 5, BOOK_BUY, BOOK_LIMIT, BOOK_FOK, 100, 8, &res);
	ok(res.status == BOOK_EXPIRED && res.filled == 0 && res.left == 8 &&
	    res.fills == 0 && r.n == 0, "FOK 8@100: not fillable, no fills");
	snap_take(b, &s1);
	ok(snap_eq(&s0, &s1), "FOK not fillable leaves the book untouched");
	add(b, 6, BOOK_BUY, BOOK_MARKET, BOOK_FOK, 0, 16, &res);
	snap_take(b, &s1);
	ok(res.status == BOOK_EXPIRED && res.filled == 0 && r.n == 0 &&
	    snap_eq(&s0, &s1), "market FOK for more than the side holds");
	add(b, 7, BOOK_SELL, BOOK_LIMIT, BOOK_FOK, 96, 1, &res);
	snap_take(b, &s1);
	ok(res.status == BOOK_EXPIRED && r.n == 0 && snap_eq(&s0, &s1),
	    "FOK sell above the best bid");

	add(b, 8, BOOK_BUY, BOOK_LIMIT, BOOK_FOK, 101, 10, &res);
	ok(res.status == BOOK_FILLED && res.filled == 10 && res.left == 0 &&
	    res.fills == 2, "FOK 10@101: exactly fillable");
	ok(r.n == 2 && fill_is(&r.v[0], 1, 8, 100, 5, 0, 5) &&
	    fill_is(&r.v[1], 2, 8, 101, 5, 0, 0), "FOK fills in order");
	r.n = 0;
	add(b, 9, BOOK_BUY, BOOK_MARKET, BOOK_FOK, 0, 3, &res);
	ok(res.status == BOOK_FILLED && r.n == 1 &&
	    fill_is(&r.v[0], 3, 9, 103, 3, 2, 0), "market FOK fillable");
	add(b, 10, BOOK_BUY, BOOK_LIMIT, BOOK_FOK, 200, 2, &res);
	ok(res.status == BOOK_FILLED, "FOK of exactly what is left");
	is_int(book_count(b), 1, "only the bid remains");
	book_free(b);
}

static void
test_cancel(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;
	struct book_entry	 e;
	struct book_level	 lv;

	gtc(b, 1, BOOK_BUY, 100, 5);
	gtc(b, 2, BOOK_BUY, 100, 6);
	gtc(b, 3, BOOK_BUY, 100, 7);
	gtc(b, 4, BOOK_BUY, 99, 1);
	memset(&e, 0, sizeof(e));
	is_int(book_cancel(b, 2, &e), BOOK_OK, "cancel a resting order");
	ok(e.id == 2 && e.side == BOOK_BUY && e.price == 100 && e.qty == 6,
	    "cancel reports the order");
	is_int(book_cancel(b, 2, &e), BOOK_ENOTFOUND, "second cancel");
	is_int(book_cancel(b, 77, NULL), BOOK_ENOTFOUND, "unknown id");
	ok(book_best(b, BOOK_BUY, &lv) == BOOK_OK && lv.qty == 12 &&
	    lv.orders == 2, "level total follows the cancel");

	add(b, 5, BOOK_SELL, BOOK_LIMIT, BOOK_IOC, 100, 3, &res);
	is_int(book_cancel(b, 1, &e), BOOK_OK, "cancel a partly filled order");
	is_int(e.qty, 2, "it reports what was left");
	r.n = 0;
	add(b, 6, BOOK_SELL, BOOK_LIMIT, BOOK_IOC, 99, 10, &res);
	ok(r.n == 2 && r.v[0].maker_id == 3 && r.v[1].maker_id == 4,
	    "a cancel in mid-queue keeps the others' order");
	is_int(book_count(b), 0, "book empty");
	is_int(book_cancel(b, 3, NULL), BOOK_ENOTFOUND, "cancel of a filled order");

	/* The new head of a level after a fill, cancelled before it trades. */
	gtc(b, 20, BOOK_SELL, 100, 5);
	gtc(b, 21, BOOK_SELL, 100, 5);
	gtc(b, 22, BOOK_SELL, 100, 5);
	add(b, 23, BOOK_BUY, BOOK_LIMIT, BOOK_IOC, 100, 5, &res);
	is_int(book_cancel(b, 21, NULL), BOOK_OK, "cancel the new head");
	r.n = 0;
	add(b, 24, BOOK_BUY, BOOK_LIMIT, BOOK_IOC, 100, 10, &res);
	ok(r.n == 1 && fill_is(&r.v[0], 22, 24, 100, 5, 0, 5),
	    "the order behind it trades next");
	is_int(book_count(b), 0, "book empty again");

	/* Cancelling the best level uncovers the next one. */
	gtc(b, 7, BOOK_SELL, 110, 1);
	gtc(b, 8, BOOK_SELL, 111, 1);
	book_cancel(b, 7, NULL);
	ok(book_best(b, BOOK_SELL, &lv) == BOOK_OK && lv.price == 111,
	    "best ask moves to 111");
	book_cancel(b, 8, NULL);
	is_int(book_best(b, BOOK_SELL, &lv), BOOK_ENOTFOUND, "asks empty");
	book_free(b);
}

static void
test_dup(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;
	struct snap		 s0, s1;

	gtc(b, 1, BOOK_SELL, 100, 5);
	gtc(b, 2, BOOK_BUY, 90, 5);
	snap_take(b, &s0);
	is_int(gtc(b, 1, BOOK_SELL, 101, 5), BOOK_EDUP, "same id again: EDUP");
	is_int(add(b, 1, BOOK_BUY, BOOK_LIMIT, BOOK_IOC, 100, 5, &res),
	    BOOK_EDUP, "a taker with a resting id would trade with itself");
	is_int(add(b, 2, BOOK_SELL, BOOK_MARKET, BOOK_IOC, 0, 5, &res),
	    BOOK_EDUP, "market taker with a resting id");
	snap_take(b, &s1);
	ok(snap_eq(&s0, &s1) && r.n == 0, "EDUP changes nothing");
	is_int(book_restore(b, &(struct book_entry){ .id = 2,
	    .side = BOOK_BUY, .price = 80, .qty = 1 }), BOOK_EDUP,
	    "restore of a resting id");
	book_cancel(b, 1, NULL);
	is_int(gtc(b, 1, BOOK_SELL, 101, 5), BOOK_OK,
	    "an id no longer resting may come again");
	book_free(b);
}

static void
test_invalid(void)
{
	struct book		*b = book_new(NULL, NULL);
	struct book_result	 res;
	struct book_order	 o;
	struct book_level	 lv[4];

	is_int(gtc(b, 1, BOOK_BUY, 100, 0), BOOK_EINVAL, "qty 0");
	is_int(gtc(b, 1, BOOK_BUY, 100, -3), BOOK_EINVAL, "negative qty");
	is_int(gtc(b, 1, BOOK_BUY, 100, BOOK_QTY_MAX + 1), BOOK_EINVAL,
	    "qty above BOOK_QTY_MAX");
	is_int(gtc(b, 1, BOOK_BUY, 100, BOOK_QTY_MAX), BOOK_OK,
	    "qty BOOK_QTY_MAX");
	is_int(gtc(b, 2, BOOK_BUY, 0, 1), BOOK_EINVAL, "limit price 0");
	is_int(gtc(b, 2, BOOK_BUY, -1, 1), BOOK_EINVAL, "negative limit price");
	is_int(gtc(b, 2, BOOK_SELL, BOOK_PRICE_MAX + 1, 1), BOOK_EINVAL,
	    "price above BOOK_PRICE_MAX");
	is_int(gtc(b, 2, BOOK_SELL, BOOK_PRICE_MAX, 1), BOOK_OK,
	    "price BOOK_PRICE_MAX");
	o = ord(3, BOOK_BUY, BOOK_LIMIT, BOOK_GTC, 10, 1);
	o.side = (enum book_side)2;
	is_int(book_add(b, &o, &res), BOOK_EINVAL, "bad side");
	o = ord(3, BOOK_BUY, BOOK_LIMIT, BOOK_GTC, 10, 1);
	o.type = (enum book_type)2;
	is_int(book_add(b, &o, &res), BOOK_EINVAL, "bad type");
	o = ord(3, BOOK_BUY, BOOK_LIMIT, BOOK_GTC, 10, 1);
	o.tif = (enum book_tif)3;
	is_int(book_add(b, &o, &res), BOOK_EINVAL, "bad time in force");
	is_int(add(b, 3, BOOK_BUY, BOOK_MARKET, BOOK_IOC, 0, 0, &res),
	    BOOK_EINVAL, "market qty 0");
	is_int(book_count(b), 2, "only the valid orders rest");
	is_int(book_best(b, (enum book_side)5, lv), BOOK_EINVAL,
	    "book_best of a bad side");
	is_int(book_depth(b, (enum book_side)5, lv, 4), 0,
	    "book_depth of a bad side");
	is_int(book_restore(b, &(struct book_entry){ .id = 9,
	    .side = BOOK_BUY, .price = 0, .qty = 1 }), BOOK_EINVAL,
	    "restore at price 0");
	is_int(book_restore(b, &(struct book_entry){ .id = 9,
	    .side = BOOK_BUY, .price = 5, .qty = 0 }), BOOK_EINVAL,
	    "restore of qty 0");
	is_int(book_restore(b, &(struct book_entry){ .id = 9,
	    .side = (enum book_side)2, .price = 5, .qty = 1 }), BOOK_EINVAL,
	    "restore of a bad side");

	/* Without a callback the result still counts the fills. */
	add(b, 4, BOOK_SELL, BOOK_MARKET, BOOK_IOC, 0, 3, &res);
	ok(res.status == BOOK_FILLED && res.fills == 1 && res.filled == 3,
	    "no callback: result still complete");
	ok(book_memory(b) > 0, "book_memory");
	book_free(b);
	book_free(NULL);
}

static void
test_depth(void)
{
	struct book		*b = book_new(NULL, NULL);
	struct book_level	 lv[8];
	size_t			 n;

	ok(book_depth(b, BOOK_BUY, lv, 8) == 0, "empty depth");
	gtc(b, 1, BOOK_BUY, 100, 5);
	gtc(b, 2, BOOK_BUY, 98, 1);
	gtc(b, 3, BOOK_BUY, 100, 7);
	gtc(b, 4, BOOK_BUY, 99, 2);
	gtc(b, 5, BOOK_BUY, 98, 3);
	gtc(b, 6, BOOK_SELL, 103, 4);
	gtc(b, 7, BOOK_SELL, 101, 4);
	gtc(b, 8, BOOK_SELL, 101, 1);
	n = book_depth(b, BOOK_BUY, lv, 8);
	ok(n == 3 && lv[0].price == 100 && lv[0].qty == 12 &&
	    lv[0].orders == 2 && lv[1].price == 99 && lv[1].qty == 2 &&
	    lv[1].orders == 1 && lv[2].price == 98 && lv[2].qty == 4 &&
	    lv[2].orders == 2, "bid depth aggregated, best first");
	n = book_depth(b, BOOK_SELL, lv, 8);
	ok(n == 2 && lv[0].price == 101 && lv[0].qty == 5 &&
	    lv[0].orders == 2 && lv[1].price == 103 && lv[1].qty == 4,
	    "ask depth aggregated, best first");
	n = book_depth(b, BOOK_BUY, lv, 2);
	ok(n == 2 && lv[1].price == 99, "depth stops at max");
	book_cancel(b, 4, NULL);
	n = book_depth(b, BOOK_BUY, lv, 8);
	ok(n == 2 && lv[0].price == 100 && lv[1].price == 98,
	    "an emptied level below the best is not shown");
	ok(book_best(b, BOOK_BUY, lv) == BOOK_OK && lv[0].price == 100 &&
	    lv[0].qty == 12 && lv[0].orders == 2, "best bid 12@100 in 2");
	ok(book_best(b, BOOK_SELL, lv) == BOOK_OK && lv[0].price == 101 &&
	    lv[0].qty == 5 && lv[0].orders == 2, "best ask 5@101 in 2");
	gtc(b, 9, BOOK_BUY, 99, 6);
	n = book_depth(b, BOOK_BUY, lv, 8);
	ok(n == 3 && lv[1].price == 99 && lv[1].qty == 6 &&
	    lv[1].orders == 1, "a level emptied and refilled");
	is_int(book_count(b), 8, "count");
	book_free(b);
}

/* Many levels emptied below the best, enough to make the ladder compact. */
static void
test_many_levels(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_result	 res;
	struct book_level	 lv[256];
	int64_t			 p;
	size_t			 n;
	int			 good = 1;

	for (p = 1; p <= 200; p++)
		gtc(b, (uint64_t)p, BOOK_BUY, p, 1);
	for (p = 1; p <= 150; p++)
		book_cancel(b, (uint64_t)p, NULL);
	n = book_depth(b, BOOK_BUY, lv, 256);
	for (p = 0; p < 50 && good; p++)
		good = lv[p].price == 200 - p && lv[p].qty == 1;
	ok(n == 50 && good, "50 levels left, best first");
	for (p = 1; p <= 150; p += 2)
		gtc(b, (uint64_t)(1000 + p), BOOK_BUY, p, 2);
	n = book_depth(b, BOOK_BUY, lv, 256);
	ok(n == 125 && lv[49].price == 151 && lv[50].price == 149 &&
	    lv[50].qty == 2 && lv[124].price == 1, "emptied prices used again");
	add(b, 2000, BOOK_SELL, BOOK_MARKET, BOOK_IOC, 0, 1000, &res);
	ok(res.filled == 50 + 75 * 2 && res.fills == 125 && r.n == 125 &&
	    r.v[0].price == 200 && r.v[124].price == 1 &&
	    r.v[124].maker_id == 1001, "a sweep meets every level in order");
	is_int(book_count(b), 0, "book empty");
	book_free(b);
}

static int
stop_at_third(void *arg, const struct book_entry *e)
{
	int	*n = arg;

	(void)e;
	return ++*n == 3 ? 42 : 0;
}

static void
test_restore(void)
{
	struct rec		 r = { .n = 0 };
	struct book		*b = book_new(rec_fill, &r);
	struct book_entry	 e = { .id = 1, .side = BOOK_SELL, .price = 100,
	    .qty = 5 };
	struct snap		 s;
	int			 n = 0;

	is_int(book_restore(b, &e), BOOK_OK, "restore ask 5@100");
	e = (struct book_entry){ .id = 2, .side = BOOK_BUY, .price = 100,
	    .qty = 5 };
	is_int(book_restore(b, &e), BOOK_ECROSS, "bid at the ask: ECROSS");
	e.price = 101;
	is_int(book_restore(b, &e), BOOK_ECROSS, "bid above the ask: ECROSS");
	e.price = 99;
	is_int(book_restore(b, &e), BOOK_OK, "bid below the ask");
	e = (struct book_entry){ .id = 3, .side = BOOK_SELL, .price = 99,
	    .qty = 1 };
	is_int(book_restore(b, &e), BOOK_ECROSS, "ask at the bid: ECROSS");
	ok(r.n == 0 && book_count(b) == 2, "restore never trades");
	e = (struct book_entry){ .id = 3, .side = BOOK_SELL, .price = 100,
	    .qty = 7 };
	is_int(book_restore(b, &e), BOOK_OK, "second ask at 100");
	gtc(b, 4, BOOK_SELL, 100, 1);
	snap_take(b, &s);
	ok(s.n == 4 && s.v[0].id == 2 && s.v[1].id == 1 && s.v[2].id == 3 &&
	    s.v[3].id == 4, "foreach: bids, then asks in time order");
	is_int(book_foreach(b, stop_at_third, &n), 42,
	    "foreach stops with the visitor's value");
	is_int(n, 3, "after three entries");
	book_free(b);
}

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

/* One random stream through both books; returns NULL or what went wrong. */
static const char *
run_stream(uint64_t seed, const struct stream_cfg *c, int ncmd, int *at)
{
	static struct rec	 rec;
	struct ref		 ref;
	struct book		*b;
	struct book_order	 o;
	struct book_result	 res, rres;
	struct book_entry	 e, re;
	const char		*err = NULL;
	uint64_t		 s = seed * 2 + 1, nextid = 1;
	int64_t			 r, half = c->prices / 2;
	size_t			 i;
	int			 k, pc, rc, rrc;

	memset(&ref, 0, sizeof(ref));
	rec.n = 0;
	if ((b = book_new(rec_fill, &rec)) == NULL)
		return "book_new failed";
	for (k = 0; k < ncmd && err == NULL; k++) {
		*at = k;
		pc = k < ncmd / 2 ? c->pcancel : c->pcancel_late;
		r = xs_below(&s, 1000);
		if (r < pc) {
			/* Mostly live ids, sometimes finished or unknown. */
			if (ref.n > 0 && xs_below(&s, 4) != 0)
				o.id = ref.v[xs_below(&s, (uint64_t)ref.n)].id;
			else
				o.id = 1 + (uint64_t)xs_below(&s, nextid + 2);
			memset(&e, 0, sizeof(e));
			memset(&re, 0, sizeof(re));
			rc = book_cancel(b, o.id, &e);
			rrc = ref_cancel(&ref, o.id, &re);
			if (rc != rrc)
				err = "cancel rc differs";
			else if (rc == BOOK_OK && (e.id != re.id ||
			    e.side != re.side || e.price != re.price ||
			    e.qty != re.qty))
				err = "cancel entry differs";
			if (err == NULL && xs_below(&s, 2) == 0) {
				rc = book_get(b, o.id, &e);
				if (rc != BOOK_ENOTFOUND)
					err = "book_get after cancel";
			}
		} else if (r < pc + 15) {
			e.id = xs_below(&s, 8) == 0 && ref.n > 0 ?
			    ref.v[0].id : nextid++;
			e.side = xs_below(&s, 2);
			e.price = 1 + xs_below(&s, (uint64_t)c->prices);
			e.qty = xs_below(&s, 20) == 0 ? 0 :
			    1 + xs_below(&s, (uint64_t)c->maxqty);
			rc = book_restore(b, &e);
			rrc = ref_restore(&ref, &e);
			if (rc != rrc)
				err = "restore rc differs";
		} else {
			memset(&o, 0, sizeof(o));
			o.id = xs_below(&s, 50) == 0 && ref.n > 0 ?
			    ref.v[xs_below(&s, (uint64_t)ref.n)].id :
			    nextid++;
			o.side = xs_below(&s, 2);
			r = xs_below(&s, 100);
			o.type = r < 8 ? BOOK_MARKET : BOOK_LIMIT;
			r = xs_below(&s, 100);
			o.tif = r < 70 ? BOOK_GTC : r < 85 ? BOOK_IOC : BOOK_FOK;
			o.price = 1 + xs_below(&s, (uint64_t)c->prices);
			/* Keep some passive orders apart so the book can grow. */
			if (xs_below(&s, 1000) < c->pbuy_low)
				o.price = o.side == BOOK_BUY ?
				    1 + xs_below(&s, (uint64_t)half) :
				    c->prices - xs_below(&s, (uint64_t)half);
			if (o.type == BOOK_MARKET)
				o.price = 0;
			o.qty = 1 + xs_below(&s, (uint64_t)c->maxqty);
			if (xs_below(&s, 100) == 0)
				o.qty = xs_below(&s, 2) ? 0 : BOOK_QTY_MAX + 1;
			if (xs_below(&s, 200) == 0)
				o.tif = (enum book_tif)3;
			rec.n = 0;
			ref.nfills = 0;
			rc = book_add(b, &o, &res);
			rrc = ref_add(&ref, &o, &rres);
			if (rc != rrc)
				err = "add rc differs";
			else if (res.status != rres.status ||
			    res.filled != rres.filled ||
			    res.left != rres.left || res.fills != rres.fills)
				err = "add result differs";
			else if (rec.overflow || rec.n != ref.nfills)
				err = "number of fills differs";
			for (i = 0; err == NULL && i < rec.n; i++)
				if (rec.v[i].maker_id != ref.fills[i].maker_id ||
				    rec.v[i].taker_id != ref.fills[i].taker_id ||
				    rec.v[i].price != ref.fills[i].price ||
				    rec.v[i].qty != ref.fills[i].qty ||
				    rec.v[i].maker_left !=
				    ref.fills[i].maker_left ||
				    rec.v[i].taker_left !=
				    ref.fills[i].taker_left ||
				    rec.v[i].taker_side !=
				    ref.fills[i].taker_side)
					err = "fill differs";
		}
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
	test_limit_cross();
	test_priority();
	test_partial();
	test_market();
	test_ioc();
	test_fok();
	test_cancel();
	test_dup();
	test_invalid();
	test_depth();
	test_many_levels();
	test_restore();
	test_differential();
	return done_testing();
}
