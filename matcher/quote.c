/* matcher/quote.c — what the book answers before an order is applied: the band, the levels an order would reach, admission, a market buy's cost */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/engine.h"

#define LEVELS_INIT	256
#define LEVELS_FEW	16	/* an order by quantity is usually done by then */

size_t
engine_levels(struct engine *e, struct book *b, enum book_side side,
    int64_t bound, int64_t need, uint32_t except)
{
	struct book_level *l;
	struct trade_level *ol;
	size_t i = 0, n = 0, ncap, lim, few = need > 0 ? LEVELS_FEW : 0;
	int64_t held = 0;

	for (;;) {
		lim = few > 0 && few < e->caplevels ? few : e->caplevels;
		if (lim > 0) {
			n = book_depth_except(b, side, except, e->levels, lim);
			for (i = 0, held = 0; i < n; i++) {
				if (bound > 0 && (side == BOOK_SELL ?
				    e->levels[i].price > bound :
				    e->levels[i].price < bound))
					break;
				if (need > 0 && (held += e->levels[i].qty) >= need) {
					i++;
					break;
				}
			}
			if (i < n || n < lim)
				break;
			if (lim < e->caplevels) {
				few = lim * 8;
				continue;
			}
		}
		/* Short of memory, the order takes the levels seen so far. */
		ncap = e->caplevels ? e->caplevels * 2 : LEVELS_INIT;
		if ((l = realloc(e->levels, ncap * sizeof(*l))) == NULL)
			break;
		e->levels = l;
		if ((ol = realloc(e->olevels, ncap * sizeof(*ol))) == NULL)
			break;
		e->olevels = ol;
		e->caplevels = ncap;
	}
	n = i;
	for (i = 0; i < n; i++) {
		e->olevels[i].price = e->levels[i].price;
		e->olevels[i].qty = e->levels[i].qty;
	}
	return n;
}

int
engine_band(struct engine *e, int mkt, enum ord_side side, int64_t *lo,
    int64_t *hi)
{
	struct engine_market *mk = &e->mk[mkt];
	struct trade_ref ref;
	struct book_level l;

	*lo = *hi = 0;
	if (mk->m.band <= 0)
		return 0;
	memset(&ref, 0, sizeof(ref));
	ref.last = mk->last_price;
	ref.last_ms = mk->last_trade_ms;
	if (book_best(mk->book, BOOK_BUY, &l) == BOOK_OK)
		ref.bid = l.price;
	if (book_best(mk->book, BOOK_SELL, &l) == BOOK_OK)
		ref.ask = l.price;
	return trade_band(&mk->m, side, &ref, e->now_ms, lo, hi);
}

int
engine_admit(struct engine *e, int mkt, const struct cmd *c,
    struct trade_refusal *r)
{
	struct engine_market *mk;
	struct trade_order o;
	int64_t lo, hi, bound;
	size_t n = 0;
	int banded;

	memset(r, 0, sizeof(*r));
	if (mkt < 0 || (size_t)mkt >= e->nmk)
		return -1;
	mk = &e->mk[mkt];
	/* HALTED and CANCEL_ONLY keep the book; only new orders stop. */
	if (strcmp(mk->m.status, "ACTIVE") != 0) {
		r->kind = TRADE_REF_CLOSED;
		return 0;
	}
	/*
	 * A stop order waits for a price the book does not have yet: the
	 * book judges it when it triggers (engine_stop.c).
	 */
	if (c->stop > 0)
		return 0;
	memset(&o, 0, sizeof(o));
	o.side = c->side;
	o.type = c->type;
	o.price = c->price;
	o.qty = c->qty;
	/* A market buy by quote amount locked exactly that amount. */
	o.qoq = c->type == ORD_MARKET && c->qty == 0 ? c->lock : 0;
	banded = engine_band(e, mkt, c->side, &lo, &hi);
	/* A market order at the prices it would execute at, within the band. */
	if (c->type == ORD_MARKET) {
		bound = banded ? (c->side == ORD_BUY ? hi : lo) : 0;
		n = c->qty == 0 ?
		    engine_levels(e, mk->book, BOOK_SELL, bound, 0, 0) :
		    engine_levels(e, mk->book, c->side == ORD_BUY ? BOOK_SELL :
		    BOOK_BUY, bound, c->qty, 0);
	}
	return trade_admit(&mk->m, &o, banded, lo, hi, e->olevels, n, r);
}

int
engine_buy_cost(struct engine *e, int mkt, int64_t qty, int64_t *cost,
    int64_t *got)
{
	struct engine_market *mk;
	int64_t lo, hi;
	int banded;

	if (mkt < 0 || (size_t)mkt >= e->nmk)
		return -1;
	mk = &e->mk[mkt];
	banded = engine_band(e, mkt, ORD_BUY, &lo, &hi);
	return trade_cost(&mk->m, e->olevels, engine_levels(e, mk->book, BOOK_SELL,
	    banded ? hi : 0, qty, 0), qty, cost, got);
}
