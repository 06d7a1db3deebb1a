/* domain/notify_fanout.h — outbox events turned into messages: per preference and channel, folded against spam */
#ifndef HZM_NOTIFY_FANOUT_H
#define HZM_NOTIFY_FANOUT_H

#include <stdint.h>

#include "core/err.h"

struct ctx;

/*
 * How far a worker process has fanned out, so that a claim reads the
 * events since rather than the whole day's: the highest event id it
 * claimed, and when it last looked at the whole day (monotonic ms; 0:
 * never). Events below the mark are still looked for when their
 * transactions began in the last seconds (they may commit after a
 * higher id's), and every notify_sweep_seconds (60) the claim takes in
 * the whole day again: an event whose transaction ran longer, or whose
 * claimer rolled back, is fanned out then. A new process sweeps first.
 */
struct fanout_mark {
	long long	 low;
	int64_t		 swept_ms;
};

/*
 * Claim up to a batch of outbox events no one has fanned out (FOR UPDATE
 * SKIP LOCKED: workers side by side share them), and for each write the
 * messages its user's preferences ask for, in one transaction with the
 * mark that it is done. *n: events handled.
 *
 * Spam rule, per user, type and channel (never for security mail):
 * an event within notify_digest_seconds (300) of the previous message
 * folds into it while it waits to be sent, or else starts a digest sent
 * when the window ends; past notify_rate_per_hour (20) messages in the
 * last hour, events fold into the next one, sent an hour after the
 * oldest of them.
 */
enum err	 notify_fanout(struct ctx *, struct fanout_mark *, int *n);

#endif
