/* domain/notify_send.h — due messages claimed and delivered: mail through core/mail, webhooks signed over libcurl multi */
#ifndef HZM_NOTIFY_SEND_H
#define HZM_NOTIFY_SEND_H

#include "core/err.h"

struct ctx;

/*
 * Claim up to notify_batch (50) due messages (FOR UPDATE SKIP LOCKED; a
 * claim is a lease of notify_lease_seconds, 60, after which a message a
 * dead worker held is due again, with the same webhook-id), deliver them
 * (webhooks at once over libcurl multi, mail one after another) and
 * record each outcome: SENT, or due again after an exponential backoff
 * with jitter (notify_retry_base_ms, 30000, doubled each attempt), or
 * FAILED with the last error after notify_max_attempts (3, Appendix H). *n: claimed.
 */
enum err	 notify_send_due(struct ctx *, int *n);

#endif
