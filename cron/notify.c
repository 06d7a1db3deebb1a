/* cron/notify.c — the notification worker: outbox events fanned out per preference, then mail and signed webhooks delivered */
#include <sys/select.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/worker.h"
#include "domain/notify_fanout.h"
#include "domain/notify_send.h"

/* --loop: a year's budget, woken by NOTIFY rather than by cron. */
#define LOOP_SECONDS	(365L * 86400)
#define IDLE_MS		1000	/* retries fall due without a NOTIFY */

static int loop_mode;
static struct fanout_mark mark;	/* the process's, across passes */

/* Fan out and send until nothing is left (or the run must stop). */
static int
notify_pass(struct worker_ctx *w)
{
	struct ctx c;
	int n, m;

	do {
		c = ctx_worker(w);
		if (notify_fanout(&c, &mark, &n) != ERR_OK)
			return -1;
		if (notify_send_due(&c, &m) != ERR_OK)
			return -1;
		arena_reset(w->arena);
	} while ((n > 0 || m > 0) && !worker_stopping(w));
	return 0;
}

/* Wait for a NOTIFY on hzm_outbox, or IDLE_MS. */
static void
notify_wait(struct worker_ctx *w)
{
	PGconn *pc = db_conn(w->db);
	struct timeval tv = { IDLE_MS / 1000, (IDLE_MS % 1000) * 1000 };
	PGnotify *nf;
	fd_set fds;
	int fd;

	if (pc == NULL || (fd = PQsocket(pc)) < 0) {
		select(0, NULL, NULL, NULL, &tv);
		return;
	}
	FD_ZERO(&fds);
	FD_SET(fd, &fds);
	if (select(fd + 1, &fds, NULL, NULL, &tv) > 0)
		(void)PQconsumeInput(pc);
	while ((nf = PQnotifies(pc)) != NULL)
		PQfreemem(nf);
}

static int
notify_run(struct worker_ctx *w)
{
	PGresult *res;
	PGconn *pc;
	int ok;

	if (!loop_mode)
		return notify_pass(w);
	while (!worker_stopping(w)) {
		/* Again each time: a reconnected session listens afresh. */
		ok = db_ensure(w->db) == ERR_OK && (pc = db_conn(w->db)) != NULL &&
		    (res = PQexec(pc, "LISTEN hzm_outbox")) != NULL &&
		    PQresultStatus(res) == PGRES_COMMAND_OK;
		if (ok)
			PQclear(res);
		if (!ok) {
			log_error("notify: database unavailable; waiting");
			arena_reset(w->arena);
			notify_wait(w);
			continue;
		}
		if (notify_pass(w) == -1)
			log_error("notify: a pass failed; trying again");
		arena_reset(w->arena);
		notify_wait(w);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct worker wk = {
		.name = "notify",
		.exclusive = 0,		/* runs side by side share by SKIP LOCKED */
		.max_seconds = 50,
		.run = notify_run,
	};
	int rc;

	if (argc == 2 && strcmp(argv[1], "--loop") == 0) {
		loop_mode = 1;
		wk.max_seconds = LOOP_SECONDS;
	} else if (argc != 1) {
		fprintf(stderr, "usage: cron-notify [--loop]\n");
		return WORKER_EXIT_SETUP;
	}
	rc = worker_main(&wk);
	mail_close();		/* the run's mails shared one SMTP connection */
	return rc;
}
