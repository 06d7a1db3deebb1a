/* matcher/publish.h — the matcher's snapshots in memcached: each market's depth and ticker, for the public handlers */
#ifndef HZM_PUBLISH_H
#define HZM_PUBLISH_H

#include "core/db.h"
#include "matcher/engine.h"

struct arena;

/*
 * Depth and ticker (core/channels.h CHAN_MC_DEPTH, CHAN_MC_TICKER) of the
 * markets changed since they were last published, or of all with force;
 * the 24-hour figures come from the 1m candles, at most once a second,
 * and count each batch's trades in between.
 */
void		 publish_markets(struct db *, struct arena *, struct engine *,
		    int force);

/* A committed batch's trades, counted in the 24-hour figures at once. */
void		 publish_day_add(struct engine *);

extern const struct stmt	publish_stmts[];
extern const size_t		publish_nstmts;

#endif
