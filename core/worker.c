/* core/worker.c — the runner every cron program is built on: config, log, db, a lock, bounded batches, exit codes */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/liveconf.h"
#include "core/log.h"
#include "core/util.h"
#include "core/worker.h"

static volatile sig_atomic_t stop;

static const struct stmt worker_stmts[] = {
	/* Session-level: released when the connection ends, however it ends. */
	{ "worker_lock",
	  "SELECT pg_try_advisory_lock(hashtextextended('hzm-worker:' || $1, 0))", 1 },
};

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

struct ctx
ctx_worker(const struct worker_ctx *w)
{
	struct ctx c;

	memset(&c, 0, sizeof(c));
	c.db = w->db;
	c.arena = w->arena;
	c.request_id = "";
	clock_gettime(CLOCK_REALTIME, &c.now);
	return c;
}

int
worker_stopping(const struct worker_ctx *w)
{
	return stop || util_mono_ms() >= w->deadline_ms;
}

enum err
worker_drain(struct worker_ctx *w, const struct stmt *st,
    const char *const *params, long *total)
{
	PGresult *res;
	enum err e;
	long n;

	*total = 0;
	do {
		if ((e = db_query(w->db, w->arena, st, params, &res)) != ERR_OK)
			return e;
		n = util_long(PQcmdTuples(res), 0);
		*total += n;
		arena_reset(w->arena);
	} while (n > 0 && !worker_stopping(w));
	return ERR_OK;
}

int
worker_main(const struct worker *wk)
{
	/* log_open keeps the name: it must outlive this frame's other uses. */
	static char prog[96];
	struct worker_ctx w;
	struct sigaction sa;
	char key[96];
	const char *p[1] = { wk->name };
	PGresult *res;
	long secs;
	int rc = WORKER_EXIT_SETUP;

	memset(&w, 0, sizeof(w));
	w.name = wk->name;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	if (cfg_load(NULL) == -1)
		fprintf(stderr, "%s: configuration has errors\n", wk->name);
	snprintf(prog, sizeof(prog), "cron-%s", wk->name);
	if (log_open(cfg_get("log", "-"), prog) == -1)
		fprintf(stderr, "%s: cannot open log\n", wk->name);
	snprintf(key, sizeof(key), "%s_max_seconds", wk->name);
	secs = (long)cfg_int(key, wk->max_seconds > 0 ? wk->max_seconds : 300);
	w.deadline_ms = util_mono_ms() + (int64_t)secs * 1000;
	if ((w.db = db_new(cfg_get("db", "dbname=hzm"))) == NULL ||
	    (w.arena = arena_new()) == NULL)
		goto out;
	if (wk->exclusive) {
		if (db_query(w.db, w.arena, &worker_stmts[0], p, &res) != ERR_OK) {
			log_error("%s: database unavailable", wk->name);
			goto out;
		}
		if (strcmp(db_val(res, 0, 0), "t") != 0) {
			log_info("%s: another run holds the lock; leaving it to that one",
			    wk->name);
			rc = WORKER_EXIT_OK;
			goto out;
		}
		arena_reset(w.arena);
	}
	/* The live settings as they are now: a run is short. */
	liveconf_sync(w.db, w.arena, util_now_ms());
	arena_reset(w.arena);
	rc = wk->run(&w) == 0 ? WORKER_EXIT_OK : WORKER_EXIT_FAILED;
	if (rc == WORKER_EXIT_OK && stop)
		log_info("%s: stopped by a signal", wk->name);
out:
	db_rollback(w.db);
	arena_free(w.arena);
	db_free(w.db);
	return rc;
}
