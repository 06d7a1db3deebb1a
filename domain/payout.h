/* domain/payout.h — paying out by bank transfer: claim a due payout, ask or tell the bank under its idempotency key, settle exactly once */
#ifndef HZM_PAYOUT_H
#define HZM_PAYOUT_H

#include "core/err.h"

struct ctx;
struct fiat_notice;

/* Defaults of the settings (conf/hzm.conf). */
#define PAYOUT_LEASE_SECONDS		60	/* bank_payout_lease_seconds */
#define PAYOUT_RETRY_SECONDS		30	/* bank_payout_retry_seconds */
#define PAYOUT_RETRY_MAX_SECONDS	3600	/* bank_payout_retry_max_seconds */
#define PAYOUT_POLL_SECONDS		60	/* bank_payout_poll_seconds */
#define PAYOUT_ALERT_ATTEMPTS		10	/* bank_payout_alert_attempts */

struct payout_stats {
	long	 claimed;	/* payouts taken */
	long	 paid;		/* COMPLETED */
	long	 failed;	/* FAILED, funds unlocked */
	long	 pending;	/* the bank has it, not final yet */
	long	 uncertain;	/* no answer: tried again later, never failed */
	long	 stale;		/* another run took it over meanwhile */
};

/*
 * One due payout (PROCESSING, next_attempt_at passed, no live lease),
 * claimed with FOR UPDATE SKIP LOCKED and a lease of
 * bank_payout_lease_seconds (at least twice bank_api_timeout_ms and 5 s)
 * committed before the bank is called, so runs side by side share the
 * work and one killed midway leaves it to the next once the lease ends.
 * A payout that may have reached the bank before (sent_at set) is looked
 * up by its idempotency key first, and sent only when the bank does not
 * know it. Then, under the claim: paid (WITHDRAWAL or RETURN, and FEE,
 * from locked; COMPLETED), refused (WITHDRAWAL_UNLOCK; FAILED), pending
 * (asked again in bank_payout_poll_seconds) or unknown (asked again
 * after bank_payout_retry_seconds, doubling up to ..._max_seconds: an
 * outcome not learnt never fails a payout, which may have been paid).
 * Returns 1 when one was handled, 0 when none is due, -1 on a failure
 * (logged); *ss counts what happened. *notice gets what the user is to
 * be told (fiat_notify) once this returns.
 */
int		 payout_one(struct ctx *, struct payout_stats *,
		    struct fiat_notice *notice, int *tell);

#endif
