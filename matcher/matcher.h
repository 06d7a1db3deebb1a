/* matcher/matcher.h — the daemon's state, shared by its loop (main.c) and its batches (batch.c) */
#ifndef HZM_MATCHER_H
#define HZM_MATCHER_H

#include <stdint.h>

#include "core/arena.h"
#include "core/db.h"
#include "matcher/engine.h"
#include "matcher/feed.h"
#include "matcher/gate.h"

#define PUBLISH_BUSY_MS	20	/* while batches follow each other, at most */

/*
 * Where a batch's time goes, for the log: reading the inbox or opening
 * the transaction with the socket orders admitted (a round trip), the
 * engine, the writes and COMMIT (a round trip), the answers and snapshots.
 */
enum { PH_OPEN, PH_APPLY, PH_COMMIT, PH_DONE, PHASES };

struct matcher {
	struct db	*db;
	struct arena	*arena;
	struct engine	 e;
	int		 engine_up;
	const char	*only;		/* --markets literal, or NULL */
	char		*symbols;	/* the engine's, for fetching */
	int		 backend;	/* PQbackendPID we LISTEN and lock on */
	int		 batch;		/* BATCH_MAX, or 1 while isolating */
	int		 batch_max;
	long		 isolate;	/* commands left to take one at a time */
	int64_t		 published_ms;
	int		 busy;		/* polling: handlers need not NOTIFY */
	int64_t		 busy_ms;	/* when the keys were last set */
	int64_t		 active_ms;	/* when a batch last had commands */
	struct gate	 gate;		/* orders handed over the socket */
	struct feed	 feed;		/* committed batches to the streamer */
	struct {			/* for the log, every STATS_MS */
		int64_t	 since_ms;
		long	 batches, commands, socket;
		int64_t	 us, max_us;
		int64_t	 phase[PHASES];	/* us in each phase, summed */
	}		 stats;
	const char	*sockdir;	/* where its sockets go, or NULL */
};

/* Rebuilds everything from committed state (main.c). -1: try again later. */
int	recover(struct matcher *);
/* Whether the database connection is still the one we LISTEN on. */
int	same_connection(struct matcher *);
/*
 * One batch (batch.c): the commands applied, 0 when there was nothing to
 * do, -1 when the engine must be rebuilt.
 */
long	batch(struct matcher *);

#endif
