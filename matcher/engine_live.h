/* matcher/engine_live.h — what engine.c shares with engine_stop.c, engine_oco.c and engine_tab.c: the orders the engine holds; not for other modules */
#ifndef HZM_ENGINE_LIVE_H
#define HZM_ENGINE_LIVE_H

#include "matcher/engine.h"

/*
 * An order the engine holds: resting in a book, waiting in a stop book,
 * or the taker being matched. Everything settlement needs is here, so a
 * fill never asks the database about its maker.
 */
struct live {
	int64_t		 id;
	int64_t		 user_id;
	char		 public_id[32];
	int		 mkt;
	enum ord_side	 side;
	enum ord_type	 type;
	enum ord_tif	 tif;
	enum ord_stp	 stp;
	int64_t		 price;		/* ticks */
	int64_t		 qty;		/* lots; 0: a buy by quote amount */
	int64_t		 stop;		/* ticks, 0: not a stop order */
	int		 triggered;	/* a stop order sent to the book */
	int64_t		 oco;		/* the other leg of its OCO list, else 0 */
	enum list_count	 list_count;	/* moved by engine_oco_cut() */
	int64_t		 list_id;	/* its OCO list, else 0 (for the feed) */
	int64_t		 executed;	/* lots */
	int64_t		 cum_quote;	/* quote units */
	int64_t		 fees;		/* quote units */
	int64_t		 lock;		/* lock asset units */
	int64_t		 book_seq;
	enum ost	 status;
	uint64_t	 gen;		/* batch whose order_rec rec is */
	size_t		 rec;
	struct live	*next_gone;
};

/* engine_tab.c: the orders held, by id (NULL: none). */
struct live	*engine_live_get(const struct engine *, int64_t id);
/* Hold o (its id not held yet): -1 if memory ran out. */
int		 engine_live_put(struct engine *, struct live *o);
/* Hold the order of that id no longer, if it was held. */
void		 engine_live_del(struct engine *, int64_t id);

/* Record the order's state in the batch. */
int		 engine_touch(struct engine *, struct live *);
/* The order is done: its lock released, it leaves at the batch's end. */
int		 engine_finish(struct engine *, struct live *, enum ost);
/* Send the order to its book as a taker, and settle what happens. */
int		 engine_submit(struct engine *, int mkt, struct live *);

/* engine_stop.c */
/* A new stop order: wait in the stop book, or go to the book at once. */
int		 engine_stop_place(struct engine *, int mkt, struct live *);
/* Submit the stops the batch's trades triggered, cascades included. */
int		 engine_stop_run(struct engine *, int mkt);
/* Cancel a stop order still waiting: 1 if it was, 0 if not, -1 on error. */
int		 engine_stop_cancel(struct engine *, int mkt, struct live *);
/* A committed stop order not yet triggered, back into its stop book. */
int		 engine_stop_restore(struct engine *, int mkt, struct live *);

/* engine_oco.c */
/* The leg goes on alone: the other leg is cancelled, its lock moves here. */
int		 engine_oco_cut(struct engine *, struct live *);
/*
 * A new leg's list still stands: the leg placed first (the limit leg,
 * which the other names) or the other leg still names it. Else the
 * link is dropped (0): the list was cut before this leg came.
 */
int		 engine_oco_stands(struct engine *, struct live *);

#endif
