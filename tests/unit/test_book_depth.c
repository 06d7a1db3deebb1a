/* tests/unit/test_book_depth.c — what the order book shows: depth and best levels, many levels emptied and used again, restore and foreach */
#include <stdint.h>
#include <string.h>

#include "matcher/book.h"
#include "tests/unit/fixture_book.h"
#include "tests/unit/tap.h"

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

int
main(void)
{
	test_depth();
	test_many_levels();
	test_restore();
	return done_testing();
}
