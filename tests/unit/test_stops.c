/* tests/unit/test_stops.c — the stop book's trigger order, and self-trade prevention in the order book */
#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/book.h"
#include "matcher/stops.h"
#include "tests/unit/fixture.h"
#include "tests/unit/tap.h"

#define MAXFILLS	256

struct rec {
	struct book_fill v[MAXFILLS];
	size_t		 n;
};

static void
rec_fill(void *arg, const struct book_fill *f)
{
	struct rec *r = arg;

	if (r->n < MAXFILLS)
		r->v[r->n++] = *f;
}

static struct stop_order
stop(uint64_t id, enum book_side side, int64_t stopp, uint64_t seq)
{
	struct stop_order so;

	memset(&so, 0, sizeof(so));
	so.o.id = id;
	so.o.side = side;
	so.o.type = BOOK_MARKET;
	so.o.tif = BOOK_IOC;
	so.o.qty = 1;
	so.stop = stopp;
	so.seq = seq;
	return so;
}

static int
add_stop(struct stops *s, uint64_t id, enum book_side side, int64_t stopp,
    uint64_t seq)
{
	struct stop_order so = stop(id, side, stopp, seq);

	return stops_add(s, &so);
}

/* The ids stops_next() gives, as one string. */
static const char *
drain(struct stops *s)
{
	static char buf[256];
	struct stop_order so;
	size_t n = 0;

	buf[0] = '\0';
	while (stops_next(s, &so) && n < sizeof(buf) - 24)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%llu",
		    n ? "," : "", (unsigned long long)so.o.id);
	return buf;
}

static void
test_trigger_order(void)
{
	struct stops *s = stops_new();
	struct stop_order so;

	ok(s != NULL, "stops_new");
	/* SELL stops: the highest triggers first, then placement order. */
	is_int(add_stop(s, 1, BOOK_SELL, 95, 1), BOOK_OK, "sell stop 95");
	is_int(add_stop(s, 2, BOOK_SELL, 98, 2), BOOK_OK, "sell stop 98");
	is_int(add_stop(s, 3, BOOK_SELL, 98, 3), BOOK_OK, "sell stop 98 later");
	is_int(add_stop(s, 4, BOOK_SELL, 90, 4), BOOK_OK, "sell stop 90");
	is_int(add_stop(s, 5, BOOK_BUY, 105, 5), BOOK_OK, "buy stop 105");
	is_int(add_stop(s, 6, BOOK_BUY, 102, 6), BOOK_OK, "buy stop 102");
	is_int(add_stop(s, 6, BOOK_BUY, 103, 7), BOOK_EDUP, "an id twice");
	is_int(add_stop(s, 7, BOOK_BUY, 0, 7), BOOK_EINVAL, "stop 0");
	is_int((int)stops_count(s), 6, "six wait");

	is_int(stops_trade(s, 99), BOOK_OK, "a trade at 99");
	is_str(drain(s), "", "crosses nothing");
	is_int(stops_trade(s, 98), BOOK_OK, "a trade at 98");
	is_str(drain(s), "2,3", "98 crosses both 98s, in placement order");
	is_int(stops_trade(s, 96), BOOK_OK, "96");
	is_int(stops_trade(s, 89), BOOK_OK, "89");
	is_str(drain(s), "1,4", "one queue, in trade order");
	is_int(stops_trade(s, 110), BOOK_OK, "110");
	is_str(drain(s), "6,5", "buys: the lowest first");
	is_int((int)stops_count(s), 0, "none left");

	is_int(add_stop(s, 8, BOOK_BUY, 100, 8), BOOK_OK, "buy 100");
	is_int(add_stop(s, 9, BOOK_SELL, 100, 9), BOOK_OK, "sell 100");
	is_int(stops_get(s, 9, &so), BOOK_OK, "get");
	is_int(so.stop, 100, "its stop");
	is_int(stops_trade(s, 100), BOOK_OK, "100 crosses both sides");
	is_str(drain(s), "8,9", "buys before sells");

	is_int(add_stop(s, 10, BOOK_SELL, 50, 10), BOOK_OK, "sell 50");
	is_int(stops_cancel(s, 10, &so), BOOK_OK, "cancel");
	is_int(so.o.id, 10, "cancelled the one asked");
	is_int(stops_cancel(s, 10, NULL), BOOK_ENOTFOUND, "cancel again");
	is_int(stops_trade(s, 1), BOOK_OK, "1");
	is_str(drain(s), "", "a cancelled stop never triggers");

	ok(stops_crossed(BOOK_SELL, 100, 100), "sell at its stop");
	ok(!stops_crossed(BOOK_SELL, 100, 101), "sell above");
	ok(stops_crossed(BOOK_BUY, 100, 100), "buy at its stop");
	ok(!stops_crossed(BOOK_BUY, 100, 99), "buy below");
	ok(!stops_crossed(BOOK_BUY, 100, 0), "no last price crosses nothing");
	stops_free(s);
}

/* Many stops at random, cancelled and triggered: the table and sides agree. */
static void
test_random(void)
{
	struct stops *s = stops_new();
	struct stop_order so;
	uint64_t rng = 42, id, waiting[2001] = { 0 };
	int64_t price, prev[2] = { 0, 0 };
	int i, bad = 0, n = 0;

	for (i = 0; i < 20000; i++) {
		id = 1 + fx_rnd(&rng) % 2000;
		if (fx_rnd(&rng) % 3 == 0) {
			if ((stops_cancel(s, id, NULL) == BOOK_OK) !=
			    (waiting[id] != 0))
				bad++;
			if (waiting[id])
				n--;
			waiting[id] = 0;
			continue;
		}
		if (fx_rnd(&rng) % 4 == 0) {
			price = fx_between(&rng, 1, 1000);
			if (stops_trade(s, price) != BOOK_OK)
				bad++;
			prev[0] = prev[1] = 0;
			while (stops_next(s, &so)) {
				if (!stops_crossed(so.o.side, so.stop, price) ||
				    !waiting[so.o.id])
					bad++;
				/* Within a trade: one side, then the other, nearest first. */
				if (prev[so.o.side] != 0 && (so.o.side == BOOK_BUY ?
				    so.stop < prev[BOOK_BUY] :
				    so.stop > prev[BOOK_SELL]))
					bad++;
				if (so.o.side == BOOK_BUY && prev[BOOK_SELL] != 0)
					bad++;
				prev[so.o.side] = so.stop;
				waiting[so.o.id] = 0;
				n--;
			}
			continue;
		}
		if (waiting[id])
			continue;
		if (add_stop(s, id, fx_rnd(&rng) % 2 ? BOOK_BUY : BOOK_SELL,
		    fx_between(&rng, 1, 1000), (uint64_t)i) != BOOK_OK)
			bad++;
		waiting[id] = 1;
		n++;
	}
	is_int(bad, 0, "20000 random operations agree with a plain list");
	is_int((int)stops_count(s), n, "and the count");
	stops_free(s);
}

static struct book_order
ord(uint64_t id, enum book_side side, enum book_tif tif, int64_t price,
    int64_t qty, uint32_t owner, enum book_stp stp)
{
	struct book_order o;

	memset(&o, 0, sizeof(o));
	o.id = id;
	o.side = side;
	o.type = BOOK_LIMIT;
	o.tif = tif;
	o.price = price;
	o.qty = qty;
	o.owner = owner;
	o.stp = stp;
	return o;
}

/* Asks: 10 @100 by owner 1, 10 @100 by owner 2, 10 @101 by owner 1. */
static struct book *
stp_book(struct rec *r)
{
	struct book *b = book_new(rec_fill, r);
	struct book_result res;
	struct book_order o;

	o = ord(1, BOOK_SELL, BOOK_GTC, 100, 10, 1, 0);
	book_add(b, &o, &res);
	o = ord(2, BOOK_SELL, BOOK_GTC, 100, 10, 2, 0);
	book_add(b, &o, &res);
	o = ord(3, BOOK_SELL, BOOK_GTC, 101, 10, 1, 0);
	book_add(b, &o, &res);
	r->n = 0;
	return b;
}

static void
test_stp(void)
{
	struct rec r;
	struct book *b;
	struct book_result res;
	struct book_order o;
	struct book_entry e;
	size_t i;
	int self = 0;

	memset(&r, 0, sizeof(r));
	b = stp_book(&r);
	o = ord(10, BOOK_BUY, BOOK_GTC, 101, 25, 1, BOOK_STP_EXPIRE_TAKER);
	is_int(book_add(b, &o, &res), BOOK_OK, "EXPIRE_TAKER: added");
	is_int(res.status, BOOK_EXPIRED, "the taker expires");
	ok(res.stp, "by self-trade prevention");
	is_int(res.filled, 0, "at its own first maker, before any trade");
	is_int((int)r.n, 0, "nothing reported");
	is_int((int)book_count(b), 3, "the makers stay");
	ok(book_get(b, 10, &e) == BOOK_ENOTFOUND, "a GTC taker does not rest");
	book_free(b);

	b = stp_book(&r);
	o = ord(10, BOOK_BUY, BOOK_GTC, 101, 25, 1, BOOK_STP_EXPIRE_MAKER);
	is_int(book_add(b, &o, &res), BOOK_OK, "EXPIRE_MAKER: added");
	is_int(res.status, BOOK_RESTING, "the taker goes on and rests");
	is_int(res.filled, 10, "it took only the other owner's 10");
	is_int((int)r.n, 3, "prevented, trade, prevented");
	ok(r.n == 3 && r.v[0].prevented && r.v[0].maker_id == 1 &&
	    r.v[0].maker_left == 10, "maker 1 removed with its 10");
	ok(r.n == 3 && !r.v[1].prevented && r.v[1].maker_id == 2 &&
	    r.v[1].qty == 10, "a trade with maker 2");
	ok(r.n == 3 && r.v[2].prevented && r.v[2].maker_id == 3,
	    "maker 3 removed");
	is_int((int)book_count(b), 1, "only the taker's rest is left");
	ok(book_get(b, 10, &e) == BOOK_OK && e.qty == 15 && e.owner == 1,
	    "resting 15 with its owner");
	book_free(b);

	b = stp_book(&r);
	o = ord(10, BOOK_BUY, BOOK_GTC, 101, 25, 1, BOOK_STP_EXPIRE_BOTH);
	is_int(book_add(b, &o, &res), BOOK_OK, "EXPIRE_BOTH: added");
	is_int(res.status, BOOK_EXPIRED, "the taker expires");
	ok(res.stp && res.filled == 0, "by STP, unfilled");
	ok(r.n == 1 && r.v[0].prevented && r.v[0].maker_id == 1,
	    "maker 1 removed");
	is_int((int)book_count(b), 2, "makers 2 and 3 stay");
	book_free(b);

	/* FOK: all or nothing, counting only what STP lets it take. */
	b = stp_book(&r);
	o = ord(10, BOOK_BUY, BOOK_FOK, 101, 20, 1, BOOK_STP_EXPIRE_MAKER);
	book_add(b, &o, &res);
	ok(res.status == BOOK_EXPIRED && r.n == 0 && book_count(b) == 3,
	    "FOK EXPIRE_MAKER for 20 with 10 of others': nothing happens");
	o = ord(11, BOOK_BUY, BOOK_FOK, 101, 10, 1, BOOK_STP_EXPIRE_MAKER);
	book_add(b, &o, &res);
	ok(res.status == BOOK_FILLED && res.filled == 10,
	    "FOK EXPIRE_MAKER for 10: filled");
	book_free(b);
	b = stp_book(&r);
	o = ord(10, BOOK_BUY, BOOK_FOK, 101, 5, 2, BOOK_STP_EXPIRE_TAKER);
	book_add(b, &o, &res);
	ok(res.status == BOOK_FILLED && r.n == 1 && r.v[0].maker_id == 1,
	    "FOK of owner 2 for 5: from owner 1, before reaching its own");
	o = ord(11, BOOK_BUY, BOOK_FOK, 101, 10, 2, BOOK_STP_EXPIRE_TAKER);
	r.n = 0;
	book_add(b, &o, &res);
	ok(res.status == BOOK_EXPIRED && r.n == 0,
	    "FOK that would reach its own maker: nothing happens");
	book_free(b);

	/* No owner, no prevention; and a random stream never self-trades. */
	b = stp_book(&r);
	o = ord(10, BOOK_BUY, BOOK_IOC, 101, 30, 0, BOOK_STP_EXPIRE_TAKER);
	book_add(b, &o, &res);
	is_int(res.filled, 30, "owner 0 trades with everyone");
	book_free(b);
	{
		uint64_t rng = 7, id;
		uint32_t owners[4001];

		memset(&r, 0, sizeof(r));
		b = book_new(rec_fill, &r);
		for (id = 1; id <= 4000; id++) {
			o = ord(id, fx_rnd(&rng) % 2 ? BOOK_BUY : BOOK_SELL,
			    fx_rnd(&rng) % 3 ? BOOK_GTC : BOOK_IOC,
			    fx_between(&rng, 95, 105), fx_between(&rng, 1, 9),
			    (uint32_t)fx_between(&rng, 1, 3),
			    (enum book_stp)fx_between(&rng, 0, 2));
			owners[id] = o.owner;
			r.n = 0;
			book_add(b, &o, &res);
			for (i = 0; i < r.n; i++)
				if (!r.v[i].prevented &&
				    owners[r.v[i].maker_id] == o.owner)
					self++;
		}
		is_int(self, 0, "4000 random orders of 3 owners: no self-trade");
		book_free(b);
	}
	o = ord(1, BOOK_BUY, BOOK_GTC, 100, 1, 1, (enum book_stp)3);
	b = book_new(NULL, NULL);
	is_int(book_add(b, &o, &res), BOOK_EINVAL, "an unknown STP mode");
	book_free(b);
}

int
main(void)
{
	test_trigger_order();
	test_random();
	test_stp();
	return done_testing();
}
