/* cron/payout.c — the payout worker: due bank payouts (withdrawals, returns) sent, looked up, settled exactly once; old callback marks dropped */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/log.h"
#include "core/worker.h"
#include "domain/fiat.h"
#include "domain/fiat_mail.h"
#include "domain/payout.h"

/* Callback marks are kept this many times the callbacks' time window. */
#define MARK_KEEP_WINDOWS	2
#define CALLBACK_SKEW_SECONDS	300	/* bank_callback_skew_seconds */

/*
 * Not exclusive: payouts are claimed one at a time (FOR UPDATE SKIP
 * LOCKED and a lease), so runs side by side, here or on other hosts,
 * share them and never send one twice at once.
 */
static int
payout(struct worker_ctx *w)
{
	struct payout_stats ss;
	struct fiat_notice n;
	struct ctx c;
	long purged = 0;
	int rc = 0, r, tell;

	c = ctx_worker(w);
	memset(&ss, 0, sizeof(ss));
	if (fiat_marks_purge(&c, MARK_KEEP_WINDOWS *
	    (long)cfg_int("bank_callback_skew_seconds", CALLBACK_SKEW_SECONDS),
	    &purged) != ERR_OK)
		log_error("payout: dropping old callback marks failed");
	while (!worker_stopping(w)) {
		clock_gettime(CLOCK_REALTIME, &c.now);
		if ((r = payout_one(&c, &ss, &n, &tell)) == 0)
			break;
		if (r == -1) {
			rc = -1;
			break;
		}
		if (tell)
			fiat_notify(&c, &n);
		arena_reset(w->arena);
	}
	printf("claimed %ld paid %ld failed %ld pending %ld uncertain %ld stale %ld"
	    " marks %ld\n", ss.claimed, ss.paid, ss.failed, ss.pending,
	    ss.uncertain, ss.stale, purged);
	if (ss.claimed > 0)
		log_info("payout: %ld claimed, %ld paid, %ld failed, %ld pending at "
		    "the bank, %ld without an answer, %ld taken over", ss.claimed,
		    ss.paid, ss.failed, ss.pending, ss.uncertain, ss.stale);
	return rc;
}

int
main(void)
{
	static const struct worker w = {
		.name = "payout",
		.exclusive = 0,
		.max_seconds = 120,
		.run = payout,
	};

	return worker_main(&w);
}
