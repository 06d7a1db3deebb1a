/* cron/surveil.c — the compliance job: the trades since its last run looked over for wash trading (round trips between two accounts), alerts raised */
#include <stdio.h>

#include "core/ctx.h"
#include "core/log.h"
#include "core/worker.h"
#include "domain/surveil.h"

/* On the first run, or after a long pause: a day of trades and an hour. */
#define LOOKBACK_HOURS	25

static int
surveil(struct worker_ctx *w)
{
	struct ctx c = ctx_worker(w);
	struct surveil_result sr;

	if (surveil_wash_trades(&c, LOOKBACK_HOURS, &sr) != ERR_OK) {
		log_error("surveil: the round-trip check failed");
		return -1;
	}
	if (sr.raised > 0)
		log_info("surveil: %ld round trips, %ld new alerts", sr.pairs,
		    sr.raised);
	printf("trades_examined %ld\nround_trips %ld\nalerts_raised %ld\n",
	    sr.examined, sr.pairs, sr.raised);
	return 0;
}

int
main(void)
{
	static const struct worker w = {
		.name = "surveil",
		.exclusive = 1,
		.max_seconds = 300,
		.run = surveil,
	};

	return worker_main(&w);
}
