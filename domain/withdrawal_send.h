/* domain/withdrawal_send.h — paying withdrawals out: sent once through the node, followed to their confirmations */
#ifndef HZM_WITHDRAWAL_SEND_H
#define HZM_WITHDRAWAL_SEND_H

#include "core/err.h"

struct ctx;

struct wd_send_stats {
	long	 sent;		/* payments the node made in this pass */
	long	 found;		/* earlier tries found made after all */
	long	 completed;
	long	 failed;	/* refused for good by the node: unlocked */
	long	 waiting;	/* left for a later pass: node down, too early */
	long	 stuck;		/* payments that stopped making progress: staff told */
	long	 busy;		/* in another worker's hands */
};

/*
 * One pass: first the withdrawals in PROCESSING (sent ones followed to
 * their confirmations and COMPLETED; tries whose outcome is unknown
 * looked up in the node's wallet by their comment, and only when not
 * found there, and withdraw_resend_after_seconds after the try, made
 * again), then up to withdraw_batch PENDING_SIGNATURE ones claimed (FOR
 * UPDATE SKIP LOCKED) and sent. Each withdrawal is worked on under a
 * session advisory lock, so two workers never handle one at once and a
 * worker's death releases it; each try is numbered and committed before
 * the node is asked. stop(arg) is asked between withdrawals.
 * ERR_OK unless the database fails.
 */
enum err	 withdrawal_send_pass(struct ctx *, struct wd_send_stats *,
		    int (*stop)(void *), void *arg);

#endif
