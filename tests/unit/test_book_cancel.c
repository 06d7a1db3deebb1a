/* tests/unit/test_book_cancel.c — the order book's cancels, duplicate ids and the orders it refuses */
#include <stdint.h>
#include <string.h>

#include "matcher/book.h"
#include "tests/unit/fixture_book.h"
#include "tests/unit/tap.h"

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

int
main(void)
{
	test_cancel();
	test_dup();
	test_invalid();
	return done_testing();
}
