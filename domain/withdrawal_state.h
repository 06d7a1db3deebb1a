/* domain/withdrawal_state.h — a withdrawal's changes of state and the money and events that go with each */
#ifndef HZM_WITHDRAWAL_STATE_H
#define HZM_WITHDRAWAL_STATE_H

#include "core/err.h"

struct ctx;

/*
 * Each runs inside the caller's transaction, with the withdrawal's row
 * locked or about to be, and changes it only from the state it names;
 * ERR_CONFLICT when the row is not in that state (someone else moved it
 * first), and then nothing was done. id is the internal id, as text.
 * The ledger's unique indexes (sql/012) hold too: one lock per
 * withdrawal, and either one payout or one unlock, never both.
 */

/* The funds of a new request: amount + fee from available to locked. */
enum err	 wd_lock_funds(struct ctx *, const char *user_id, const char *asset,
		    const char *amount, const char *fee, const char *public_id);
/*
 * PENDING_APPROVAL, or PENDING_SIGNATURE not yet claimed by the worker,
 * -> REJECTED by the actor, unlocked, withdrawal.rejected.
 */
enum err	 wd_reject(struct ctx *, const char *id, const char *reason);
/* PROCESSING (not sent) -> FAILED, unlocked, withdrawal.failed. */
enum err	 wd_fail(struct ctx *, const char *id, const char *reason);
/* PROCESSING (not sent) -> sent as txid, withdrawal.processing. */
enum err	 wd_sent(struct ctx *, const char *id, const char *txid);
/*
 * PROCESSING (sent as txid) -> COMPLETED: the amount and the fee leave
 * the locked balance (WITHDRAWAL, FEE), the fee goes to the fee account,
 * withdrawal.completed. network_fee (what the miners got) may be NULL.
 */
enum err	 wd_complete(struct ctx *, const char *id, const char *txid,
		    long confirmations, const char *network_fee);

#endif
