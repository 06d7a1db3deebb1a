/* cron/bots.c — the bot worker: every due bot runs one cycle (prices once per venue and symbol, the strategy, an order or a paper fill, settled once) */
#include <stdio.h>

#include "core/config.h"
#include "core/liveconf.h"
#include "core/log.h"
#include "core/worker.h"
#include "domain/bot_run.h"

static int
stopping(void *arg)
{
	return worker_stopping(arg);
}

static int
bots(struct worker_ctx *w)
{
	struct ctx c = ctx_worker(w);
	struct bot_run_opts o = {
		.batch = cfg_int("bots_batch", 500),
		.lease_seconds = cfg_int("bots_lease_seconds", 120),
		.interval_seconds = cfg_int("bots_interval_seconds", 60),
		.max_failures = cfg_int("bot_max_failures", 3),
		.stopping = stopping,
		.stopping_arg = w,
	};
	struct bot_run_stats s;
	enum err e;

	/* Maintenance: no orders, as the API takes none (core/app.c). */
	if (liveconf_bool("maintenance_mode")) {
		log_info("bots: maintenance mode; no bot runs");
		printf("maintenance 1\n");
		return 0;
	}
	e = bot_run(&c, &o, &s);
	printf("claimed %ld\ntrades %ld\nholds %ld\nfailures %ld\nerrors %ld\n"
	    "resumed %ld\nhalted %ld\nprice_lookups %ld\ncandle_lookups %ld\n"
	    "skipped %ld\norders %ld\n",
	    s.claimed, s.trades, s.holds, s.failures, s.errors, s.resumed,
	    s.halted, s.price_lookups, s.candle_lookups, s.skipped, s.orders);
	if (s.claimed > 0)
		log_info("bots: %ld run, %ld traded, %ld failed, %ld price lookups",
		    s.claimed, s.trades, s.failures, s.price_lookups);
	return e == ERR_OK ? 0 : -1;
}

int
main(void)
{
	static const struct worker w = {
		.name = "bots",
		.exclusive = 0,		/* runs side by side share the bots (SKIP LOCKED) */
		.max_seconds = 55,
		.run = bots,
	};

	return worker_main(&w);
}
