/* cron/withdraw.c — the withdrawal worker: approved and clean withdrawals sent through the node once, confirmed, completed */
#include <stdio.h>
#include <string.h>

#include "core/ctx.h"
#include "core/log.h"
#include "core/worker.h"
#include "domain/withdrawal_send.h"

static int
stopping(void *arg)
{
	return worker_stopping(arg);
}

/*
 * Not exclusive: runs side by side share the work, each withdrawal
 * claimed (FOR UPDATE SKIP LOCKED) and worked on under its own lock.
 */
static int
withdraw(struct worker_ctx *w)
{
	struct wd_send_stats ss;
	struct ctx c;
	enum err e;

	c = ctx_worker(w);
	if ((e = withdrawal_send_pass(&c, &ss, stopping, w)) != ERR_OK) {
		log_error("withdraw: pass failed (%s)", err_info(e)->code);
		printf("failed %s\n", err_info(e)->code);
		return -1;
	}
	printf("sent %ld found %ld completed %ld failed %ld waiting %ld stuck %ld"
	    " busy %ld\n", ss.sent, ss.found, ss.completed, ss.failed, ss.waiting,
	    ss.stuck, ss.busy);
	if (ss.sent + ss.found + ss.completed + ss.failed + ss.stuck > 0)
		log_info("withdraw: %ld sent, %ld found sent, %ld completed, %ld "
		    "failed, %ld waiting, %ld stuck, %ld busy", ss.sent, ss.found,
		    ss.completed, ss.failed, ss.waiting, ss.stuck, ss.busy);
	return 0;
}

int
main(void)
{
	static const struct worker w = {
		.name = "withdraw",
		.exclusive = 0,
		.max_seconds = 120,
		.run = withdraw,
	};

	return worker_main(&w);
}
