/* domain/notify_fanout.h — outbox events turned into messages: per preference and channel, folded against spam */
#ifndef HZM_NOTIFY_FANOUT_H
#define HZM_NOTIFY_FANOUT_H

#include "core/err.h"

struct ctx;

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
enum err	 notify_fanout(struct ctx *, int *n);

#endif
