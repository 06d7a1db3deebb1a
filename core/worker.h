/* core/worker.h — the runner every cron program is built on: config, log, db, a lock, bounded batches, exit codes */
#ifndef HZM_WORKER_H
#define HZM_WORKER_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/err.h"

struct arena;

/* Exit codes of a cron program. */
#define WORKER_EXIT_OK		0	/* done, or another run holds the lock */
#define WORKER_EXIT_FAILED	1	/* the job failed; the log says why */
#define WORKER_EXIT_SETUP	2	/* configuration, log or database unusable */

struct worker_ctx {
	struct db	*db;
	struct arena	*arena;		/* reset by worker_drain between batches */
	const char	*name;
	int64_t		 deadline_ms;	/* util_mono_ms() after which to stop */
};

struct worker {
	const char	*name;		/* "housekeeping": log name, lock, settings */
	/*
	 * One run at a time: a second run while one holds the lock (a
	 * session advisory lock in PostgreSQL, so it ends with the process,
	 * even under kill -9) leaves at once with WORKER_EXIT_OK. Jobs that
	 * share work by claiming rows (FOR UPDATE SKIP LOCKED) leave it 0 and
	 * run side by side.
	 */
	int		 exclusive;
	/* How long a run may take (setting <name>_max_seconds overrides). */
	long		 max_seconds;
	/* The job: 0 done, -1 failed. */
	int		(*run)(struct worker_ctx *);
};

/* A service's context for the run: its db and arena, the clock now, no actor. */
struct ctx	 ctx_worker(const struct worker_ctx *);

/*
 * main() of a cron program: returns one of the WORKER_EXIT_ codes. The
 * job sees the live settings (core/liveconf.h) as they were when it
 * started.
 */
int		 worker_main(const struct worker *);
/* Whether to stop now: SIGTERM or SIGINT came, or the deadline passed. */
int		 worker_stopping(const struct worker_ctx *);
/*
 * Run st (which changes at most a bounded number of rows a time, e.g.
 * "... WHERE ctid IN (SELECT ctid ... LIMIT 5000)") again and again until
 * it changes nothing or the run must stop; *total counts the rows.
 */
enum err	 worker_drain(struct worker_ctx *, const struct stmt *,
		    const char *const *params, long *total);

#endif
