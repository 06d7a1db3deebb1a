/* matcher/main.c — the matching daemon: start-up, the wait for work, recovery from anything, snapshots and the log between batches */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/channels.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mc.h"
#include "core/util.h"
#include "matcher/admit.h"
#include "matcher/admit_auth.h"
#include "matcher/admit_day.h"
#include "matcher/feed.h"
#include "matcher/gate.h"
#include "matcher/matcher.h"
#include "matcher/publish.h"
#include "matcher/store.h"
#include "matcher/store_direct.h"

#define BATCH_MAX	2000	/* commands per transaction */
#define IDLE_POLL_MS	500	/* the inbox is read this often without a word */
#define REPUBLISH_MS	5000	/* snapshots refreshed this often when idle */
#define RETRY_MS	1000	/* after the database refused us */
#define FEED_DRAIN_MS	2	/* the streamer's backlog is retried this often */
#define ACTIVE_MS	20	/* polling goes on this long after the last command */
#define ACTIVE_POLL_MS	1
#define BUSY_TTL	3	/* seconds a "busy" key outlives its last refresh */
#define BUSY_REFRESH_MS	1000
#define STATS_MS	10000	/* how often a busy matcher logs its pace */

static volatile sig_atomic_t	stopping;
static volatile sig_atomic_t	pace_asked;	/* SIGUSR1: log the pace now */

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
on_usr1(int sig)
{
	(void)sig;
	pace_asked = 1;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (!stopping && nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static int
usage(void)
{
	fprintf(stderr, "usage: matcher [-c hzm.conf] [--markets SYM,SYM...] "
	    "[--batch N]\n");
	return 2;
}

/*
 * Configuration: -c, else $HZM_CONF, else the stack's own file next to
 * the directory the binary was installed in ($HZM_VAR/bin/matcher reads
 * $HZM_VAR/hzm.conf), so the supervisor needs no arguments.
 */
static int
conf_load(const char *path)
{
	char exe[PATH_MAX], conf[PATH_MAX + 16], *slash;
	ssize_t n;

	if (path != NULL || getenv("HZM_CONF") != NULL)
		return cfg_load(path);
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			snprintf(conf, sizeof(conf), "%s/../hzm.conf", exe);
			if (access(conf, R_OK) == 0)
				return cfg_load(conf);
		}
	}
	return cfg_load(NULL);
}

/* "BTCTRY,ETHTRY" -> "{BTCTRY,ETHTRY}", each symbol checked. */
static char *
symbols_literal(const char *list)
{
	size_t i, n = strlen(list);
	char *s;

	if (n == 0 || (s = malloc(n + 3)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		if (!((list[i] >= 'A' && list[i] <= 'Z') ||
		    (list[i] >= '0' && list[i] <= '9') || list[i] == ',')) {
			free(s);
			return NULL;
		}
	s[0] = '{';
	memcpy(s + 1, list, n);
	s[n + 1] = '}';
	s[n + 2] = '\0';
	return s;
}

/* The engine's markets as an array literal for the inbox query. */
static char *
engine_symbols(const struct engine *e)
{
	size_t i, len = 3;
	char *s;

	for (i = 0; i < e->nmk; i++)
		len += strlen(e->mk[i].m.symbol) + 1;
	if ((s = malloc(len)) == NULL)
		return NULL;
	s[0] = '{';
	s[1] = '\0';
	for (i = 0; i < e->nmk; i++) {
		if (i > 0)
			strncat(s, ",", len - strlen(s) - 1);
		strncat(s, e->mk[i].m.symbol, len - strlen(s) - 1);
	}
	strncat(s, "}", len - strlen(s) - 1);
	return s;
}

/*
 * While the matcher polls its inbox it tells handlers so, in memcached
 * (see mlink_wake() in domain/matcher_link.c): under load they then skip
 * the NOTIFY, whose signal wakes every listening backend. The keys go
 * before the last look at the inbox that precedes a sleep.
 */
static void
busy_set(struct matcher *mt, int on)
{
	char key[CHAN_MC_KEY_MAX];
	size_t i;

	for (i = 0; i < mt->e.nmk; i++) {
		snprintf(key, sizeof(key), "%s%s", CHAN_MC_BUSY,
		    mt->e.mk[i].m.symbol);
		if (on)
			(void)mc_set(key, "1", 1, BUSY_TTL);
		else
			(void)mc_delete(key);
	}
	mt->busy = on;
	mt->busy_ms = util_now_ms();
}

/*
 * The session the batches run in: LISTEN for the handlers' NOTIFY, and
 * generic plans only. Each statement is written for any batch (arrays,
 * "= ANY" on the keys), so a plan made for one batch's parameters is no
 * better than the generic one; left to choose, the server planned some
 * of them anew for every batch (the daily counters' update, the ids:
 * 0.19 ms a batch).
 */
static int
listen_inbox(struct matcher *mt)
{
	PGconn *c = db_conn(mt->db);
	PGresult *res;
	int ok;

	if (c == NULL)
		return -1;
	res = PQexec(c, "SET plan_cache_mode = force_generic_plan; "
	    "LISTEN " CHAN_INBOX);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok) {
		log_error("LISTEN failed: %s", PQerrorMessage(c));
		return -1;
	}
	mt->backend = PQbackendPID(c);
	return 0;
}

/*
 * (Re)build everything from committed state: LISTEN first, so that no
 * order committed after the books are read goes unannounced, then the
 * markets and their resting orders. Whatever a failed batch did in memory
 * is forgotten; its commands are still in the inbox.
 */
int
recover(struct matcher *mt)
{
	enum err rc;

	/* Handlers waiting on the socket see it close and use the inbox. */
	gate_close(&mt->gate);
	if (mt->engine_up) {
		engine_free(&mt->e);
		mt->engine_up = 0;
	}
	free(mt->symbols);
	mt->symbols = NULL;
	arena_reset(mt->arena);
	db_rollback(mt->db);
	if (db_ensure(mt->db) != ERR_OK || listen_inbox(mt) == -1)
		return -1;
	mt->engine_up = 1;
	if ((rc = store_load(mt->db, mt->arena, &mt->e, mt->only)) != ERR_OK)
		return -1;
	if (mt->e.nmk == 0) {
		log_error("no markets to match");
		return -1;
	}
	if ((mt->symbols = engine_symbols(&mt->e)) == NULL)
		return -1;
	/* A predecessor's keys would keep handlers from waking us. */
	busy_set(mt, 0);
	engine_batch_begin(&mt->e, util_now_ms());
	publish_markets(mt->db, mt->arena, &mt->e, 1);
	engine_batch_end(&mt->e);
	mt->published_ms = util_now_ms();
	arena_reset(mt->arena);
	if (feed_reset(&mt->feed, &mt->e) == -1)
		return -1;
	if (mt->sockdir != NULL && gate_open(&mt->gate, mt->sockdir, &mt->e) ==
	    -1)
		log_error("no socket in %s: orders come through the inbox only",
		    mt->sockdir);
	log_info("matching %zu markets from %s", mt->e.nmk, mt->symbols);
	return 0;
}

/*
 * Snapshots batch() left for later: at once when there is no more to do,
 * every PUBLISH_BUSY_MS while batches follow each other (a snapshot per
 * batch would cost every batch its JSON and its round trips).
 */
static void
publish(struct matcher *mt, int64_t now, int idle)
{
	size_t k;

	if (!idle && now - mt->published_ms < PUBLISH_BUSY_MS)
		return;
	for (k = 0; k < mt->e.nmk && !mt->e.mk[k].unpublished; k++)
		;
	if (k == mt->e.nmk)
		return;
	engine_batch_begin(&mt->e, now);
	publish_markets(mt->db, mt->arena, &mt->e, 0);
	engine_batch_end(&mt->e);
	mt->published_ms = now;
}

/*
 * The pace since the last line, every STATS_MS while batches come (or at
 * once when SIGUSR1 asked): where a batch's time went, and how long the
 * socket's requests took from their line read to their answer, that is
 * the matcher's share of an order's latency less the time its line
 * waited unread behind the batch in hand.
 */
static void
stats_log(struct matcher *mt, int64_t now, int now_asked)
{
	double nb = (double)mt->stats.batches;
	const int64_t *ph = mt->stats.phase;
	const int32_t *w;
	size_t nw;

	if (mt->stats.batches == 0 ||
	    (!now_asked && now - mt->stats.since_ms < STATS_MS))
		return;
	w = gate_waits(&mt->gate, &nw);
	log_info("%ld batches of %.1f commands (%ld from the socket) in "
	    "%.1f s: %.2f ms each (open %.2f, engine %.2f, commit %.2f, "
	    "answers %.2f), at most %.2f ms; socket requests answered in "
	    "p50 %.2f ms, p99 %.2f ms", mt->stats.batches,
	    (double)mt->stats.commands / nb, mt->stats.socket,
	    (double)(now - mt->stats.since_ms) / 1000.0,
	    (double)mt->stats.us / 1000.0 / nb,
	    (double)ph[PH_OPEN] / 1000.0 / nb,
	    (double)ph[PH_APPLY] / 1000.0 / nb,
	    (double)ph[PH_COMMIT] / 1000.0 / nb,
	    (double)ph[PH_DONE] / 1000.0 / nb,
	    (double)mt->stats.max_us / 1000.0,
	    nw ? (double)w[nw / 2] / 1000.0 : 0.0,
	    nw ? (double)w[nw * 99 / 100] / 1000.0 : 0.0);
	memset(&mt->stats, 0, sizeof(mt->stats));
}

/*
 * Sleep until a handler's NOTIFY or socket order (or the poll interval,
 * or a signal); then take in what the socket has.
 */
static void
wait_io(struct matcher *mt, int ms)
{
	PGconn *c = db_conn(mt->db);
	struct pollfd pfd[GATE_CONNS_MAX + 64];
	PGnotify *nt;
	size_t n = 0;

	if (c == NULL)
		return;
	if (PQconsumeInput(c) == 1 && (nt = PQnotifies(c)) != NULL) {
		PQfreemem(nt);
		while ((nt = PQnotifies(c)) != NULL)
			PQfreemem(nt);
		return;
	}
	if (mt->gate.nq > 0)
		return;
	/* Datagrams wait for the streamer: look again soon to send them. */
	if (mt->feed.qlen > 0 && ms > FEED_DRAIN_MS)
		ms = FEED_DRAIN_MS;
	pfd[n].fd = PQsocket(c);
	pfd[n].events = POLLIN;
	pfd[n++].revents = 0;
	n += gate_pollfds(&mt->gate, pfd + n, nitems(pfd) - n);
	if (poll(pfd, n, ms) > 0) {
		if (pfd[0].fd >= 0 && (pfd[0].revents & POLLIN) &&
		    PQconsumeInput(c) == 1)
			while ((nt = PQnotifies(c)) != NULL)
				PQfreemem(nt);
		gate_service(&mt->gate);
	}
}

/* The command line: -c CONF, --markets LIST, --batch N. -1: usage. */
static int
args_read(struct matcher *mt, int argc, char *argv[], const char **conf)
{
	int i;

	mt->batch_max = BATCH_MAX;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			*conf = argv[++i];
		else if (strcmp(argv[i], "--markets") == 0 && i + 1 < argc) {
			if ((mt->only = symbols_literal(argv[++i])) == NULL)
				return -1;
		} else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
			mt->batch_max = (int)util_long(argv[++i], 0);
			if (mt->batch_max < 1 || mt->batch_max > 100000)
				return -1;
		} else
			return -1;
	}
	mt->batch = mt->batch_max;
	return 0;
}

/* Configuration, log, signals, the feed, the statements, the database. */
static int
start_up(struct matcher *mt, const char *conf)
{
	struct sigaction sa;

	if (conf_load(conf) == -1)
		fprintf(stderr, "matcher: configuration has errors\n");
	mt->sockdir = cfg_get(CHAN_SOCKET_DIR_KEY, NULL);
	if (log_open(cfg_get("log", "-"), "matcher") == -1)
		fprintf(stderr, "matcher: cannot open the log\n");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (feed_open(&mt->feed, cfg_get(CHAN_FEED_KEY, NULL)) == -1 ||
	    db_register(store_stmts, store_nstmts) == -1 ||
	    db_register(store_direct_stmts, store_direct_nstmts) == -1 ||
	    db_register(store_load_stmts, store_load_nstmts) == -1 ||
	    db_register(admit_stmts, admit_nstmts) == -1 ||
	    db_register(admit_day_stmts, admit_day_nstmts) == -1 ||
	    db_register(admit_auth_stmts, admit_auth_nstmts) == -1 ||
	    db_register(publish_stmts, publish_nstmts) == -1 ||
	    (mt->db = db_new(cfg_get("db", "dbname=hzm"))) == NULL ||
	    (mt->arena = arena_new()) == NULL) {
		log_error("matcher: start-up failed");
		return -1;
	}
	return 0;
}

/* Batches until SIGTERM: rebuilt after any failure, idle waits between. */
static void
serve(struct matcher *mt)
{
	int64_t now;
	long n;
	int up = 0;

	while (!stopping) {
		if (!up) {
			if (recover(mt) == -1) {
				sleep_ms(RETRY_MS);
				continue;
			}
			up = 1;
		}
		gate_service(&mt->gate);
		if ((n = batch(mt)) < 0) {
			up = 0;
			continue;
		}
		now = util_now_ms();
		publish(mt, now, n == 0);
		feed_drain(&mt->feed);
		stats_log(mt, now, pace_asked);
		pace_asked = 0;
		if (n > 0) {
			mt->active_ms = now;
			if (!mt->busy || now - mt->busy_ms >= BUSY_REFRESH_MS)
				busy_set(mt, 1);
			continue;
		}
		if (mt->busy && now - mt->active_ms < ACTIVE_MS) {
			wait_io(mt, ACTIVE_POLL_MS);
			continue;
		}
		if (mt->busy) {
			/* Handlers NOTIFY from now on; one more look first. */
			busy_set(mt, 0);
			continue;
		}
		if (now - mt->published_ms >= REPUBLISH_MS) {
			engine_batch_begin(&mt->e, now);
			publish_markets(mt->db, mt->arena, &mt->e, 1);
			engine_batch_end(&mt->e);
			mt->published_ms = util_now_ms();
		}
		wait_io(mt, IDLE_POLL_MS);
	}
}

int
main(int argc, char *argv[])
{
	struct matcher mt;
	const char *conf = NULL;

	memset(&mt, 0, sizeof(mt));
	if (args_read(&mt, argc, argv, &conf) == -1)
		return usage();
	if (start_up(&mt, conf) == -1)
		return 1;
	serve(&mt);
	log_info("matcher stopping");
	gate_close(&mt.gate);
	feed_close(&mt.feed);
	if (mt.engine_up)
		engine_free(&mt.e);
	free(mt.symbols);
	arena_free(mt.arena);
	db_free(mt.db);
	return 0;
}
