/* matcher/engine_stop.c — stop orders in the engine: waiting, triggered in the batch whose trades cross them, cancelled, restored */
#include <stdint.h>
#include <string.h>

#include "core/log.h"
#include "matcher/engine.h"
#include "matcher/engine_live.h"

/*
 * A stop order holds its lock from the moment it is placed (trade_lock(),
 * the same rules as any order), waits in its market's stop book with
 * status NEW, and is a normal order once triggered: it gets its time
 * priority then, is judged by the book as any new order (the price band,
 * the minimums at execution; refused, it expires), and trades, rests or
 * expires as a MARKET (STOP_LOSS) or LIMIT (STOP_LIMIT) order would.
 * Triggers run in the order matcher/stops.h fixes, within the command
 * whose trades crossed them, so they commit in that command's batch.
 */

static struct stop_order
stop_of(const struct live *o)
{
	struct stop_order so;

	memset(&so, 0, sizeof(so));
	so.o.id = (uint64_t)o->id;
	so.o.side = o->side == ORD_BUY ? BOOK_BUY : BOOK_SELL;
	so.o.type = o->type == ORD_LIMIT ? BOOK_LIMIT : BOOK_MARKET;
	so.o.tif = o->tif == ORD_GTC ? BOOK_GTC : o->tif == ORD_IOC ?
	    BOOK_IOC : BOOK_FOK;
	so.o.price = o->type == ORD_LIMIT ? o->price : 0;
	/* A buy by quote amount has no lots yet: the engine sizes it. */
	so.o.qty = o->qty > 0 ? o->qty : 1;
	so.o.stp = (enum book_stp)o->stp;
	so.stop = o->stop;
	/* Placement order: the book_seq it was given when placed. */
	so.seq = (uint64_t)o->book_seq;
	return so;
}

static int
stop_trigger(struct engine *e, int mkt, struct live *o)
{
	struct trade_refusal r;
	struct cmd c;

	/* A triggered OCO stop leg takes the list's lock and goes alone. */
	if (o->oco != 0 && engine_oco_cut(e, o) == -1)
		return -1;
	o->triggered = 1;
	o->book_seq = ++e->mk[mkt].book_seq;
	if (engine_touch(e, o) == -1)
		return -1;
	memset(&c, 0, sizeof(c));
	c.side = o->side;
	c.type = o->type;
	c.tif = o->tif;
	c.price = o->price;
	c.qty = o->qty;
	c.lock = o->lock;
	if (engine_admit(e, mkt, &c, &r) == -1)
		return -1;
	if (r.kind != TRADE_REF_NONE)
		return engine_finish(e, o, OST_EXPIRED);
	return engine_submit(e, mkt, o);
}

int
engine_stop_place(struct engine *e, int mkt, struct live *o)
{
	struct engine_market *mk = &e->mk[mkt];
	struct stop_order so = stop_of(o);

	/* Already crossed by the last trade: it goes at once. */
	if (stops_crossed(so.o.side, o->stop, mk->last_price))
		return stop_trigger(e, mkt, o);
	if (stops_add(mk->stops, &so) != BOOK_OK) {
		log_error("stop order %s refused by the stop book",
		    o->public_id);
		return -1;
	}
	return 0;
}

int
engine_stop_run(struct engine *e, int mkt)
{
	struct stop_order so;
	struct live *o;

	while (stops_next(e->mk[mkt].stops, &so)) {
		o = engine_live_get(e, (int64_t)so.o.id);
		/* An OCO leg whose other leg ended after its trigger. */
		if (o == NULL && e->oco_queued > 0) {
			e->oco_queued--;
			continue;
		}
		if (o == NULL) {
			log_error("a triggered stop the engine does not hold");
			return -1;
		}
		if (stop_trigger(e, mkt, o) == -1)
			return -1;
	}
	return 0;
}

int
engine_stop_cancel(struct engine *e, int mkt, struct live *o)
{
	if (o->stop == 0 || o->triggered)
		return 0;
	if (stops_cancel(e->mk[mkt].stops, (uint64_t)o->id, NULL) != BOOK_OK) {
		log_error("stop order %s held but not waiting", o->public_id);
		return -1;
	}
	return 1;
}

int
engine_stop_restore(struct engine *e, int mkt, struct live *o)
{
	struct stop_order so = stop_of(o);

	return stops_add(e->mk[mkt].stops, &so) == BOOK_OK ? 0 : -1;
}
