/* matcher/engine_oco.c — OCO lists in the engine: when one leg fills, triggers or ends, the other is cancelled in the same batch */
#include <stdint.h>

#include "core/log.h"
#include "matcher/engine.h"
#include "matcher/engine_live.h"

/*
 * An OCO list is two orders of one user on one side, each knowing the
 * other (live.oco): a limit leg resting in the book and a stop leg
 * waiting in the stop book. The list's one lock (the larger of the two
 * legs' needs) sits on the limit leg; the stop leg holds nothing.
 *
 * The first leg to act goes on alone: a fill of the limit leg (a part is
 * enough), the stop leg's trigger, or either leg ending (cancelled,
 * expired) cuts the list. The cut takes the other leg out of its book
 * and finishes it CANCELED, moving its lock to the leg that goes on, so
 * the lock is released once, by that leg; the list's daily count moves
 * with it (list_count). A stop leg already queued by
 * a trade of the same command cannot be taken out of the queue: it is
 * finished here and engine_stop_run() skips it (engine.oco_queued).
 */
int
engine_oco_cut(struct engine *e, struct live *o)
{
	struct live *s;

	s = engine_live_get(e, o->oco);
	o->oco = 0;
	if (s == NULL)
		return 0;
	s->oco = 0;
	o->lock += s->lock;
	s->lock = 0;
	o->list_count = LC_HOLDS;
	s->list_count = LC_NONE;
	if (s->stop > 0 && !s->triggered) {
		if (stops_cancel(e->mk[s->mkt].stops, (uint64_t)s->id,
		    NULL) != BOOK_OK)
			e->oco_queued++;
	} else if (book_cancel(e->mk[s->mkt].book, (uint64_t)s->id,
	    NULL) != BOOK_OK) {
		log_error("OCO leg %s held but not in the book", s->public_id);
		return -1;
	}
	return engine_finish(e, s, OST_CANCELED);
}

int
engine_oco_stands(struct engine *e, struct live *o)
{
	struct live *s;

	/* The limit leg comes first: its stop leg is not held yet. */
	if (o->stop == 0)
		return 1;
	if ((s = engine_live_get(e, o->oco)) != NULL && s->oco == o->id)
		return 1;
	o->oco = 0;
	return 0;
}
