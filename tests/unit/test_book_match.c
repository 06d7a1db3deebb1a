/* tests/unit/test_book_match.c — the order book's matching: price then time priority, partial fills, market, IOC and FOK orders */
#include <stdint.h>
#include <string.h>

#include "matcher/book.h"
#include "tests/unit/fixture_book.h"
#include "tests/unit/tap.h"

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

int
main(void)
{
	test_limit_cross();
	test_priority();
	test_partial();
	test_market();
	test_ioc();
	test_fok();
	return done_testing();
}
