/* cron/surveil.c — the compliance job: the day's trades looked over for wash trading (round trips between two accounts), alerts raised */
#include <stdio.h>

#include "core/ctx.h"
#include "core/log.h"
#include "core/worker.h"
#include "domain/surveil.h"

/* A day of trades and an hour more: a round trip across two runs is seen. */
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
	printf("round_trips %ld\nalerts_raised %ld\n", sr.pairs, sr.raised);
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
