/* cron/chain.c — the chain watcher: each open network's node read since the last pass, deposits recorded, confirmed, credited */
#include <stdio.h>
#include <string.h>

#include "core/ctx.h"
#include "core/log.h"
#include "core/util.h"
#include "core/worker.h"
#include "domain/deposit_scan.h"

/*
 * Not exclusive: each network is claimed on its own (an advisory lock
 * in deposit_scan), so two runs at once, here or on another host, share
 * the networks and never scan one twice at the same time.
 */
static int
chain(struct worker_ctx *w)
{
	struct ctx c;
	struct scan_stats ss;
	const char **nets;
	size_t i;
	enum err e;
	int rc = 0;

	c = ctx_worker(w);
	if (deposit_scan_networks(&c, &nets) != ERR_OK) {
		log_error("chain: database unavailable");
		return -1;
	}
	for (i = 0; nets[i] != NULL && !worker_stopping(w); i++) {
		clock_gettime(CLOCK_REALTIME, &c.now);
		e = deposit_scan(&c, nets[i], &ss);
		if (e == ERR_CONFLICT) {
			log_info("chain %s: another run holds it; leaving it to that one",
			    nets[i]);
			printf("%s busy\n", nets[i]);
			continue;
		}
		if (e != ERR_OK) {
			log_error("chain %s: pass failed (%s)", nets[i],
			    err_info(e)->code);
			printf("%s failed %s\n", nets[i], err_info(e)->code);
			rc = -1;
			continue;
		}
		printf("%s seen %ld recorded %ld credited %ld rejected %ld failed %ld"
		    " alerts %ld\n", nets[i], ss.seen, ss.recorded, ss.credited,
		    ss.rejected, ss.failed, ss.alerts);
		if (ss.recorded + ss.credited + ss.failed + ss.alerts > 0)
			log_info("chain %s: %ld seen, %ld new, %ld credited, %ld below "
			    "the minimum, %ld failed, %ld alerts", nets[i], ss.seen,
			    ss.recorded, ss.credited, ss.rejected, ss.failed,
			    ss.alerts);
	}
	return rc;
}

int
main(void)
{
	static const struct worker w = {
		.name = "chain",
		.exclusive = 0,
		.max_seconds = 120,
		.run = chain,
	};

	return worker_main(&w);
}
