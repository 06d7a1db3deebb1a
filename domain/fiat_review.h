/* domain/fiat_review.h — the reconciliation queue: transfers no user could be credited with, reviewed by staff (credit a user, or send back), audited */
#ifndef HZM_FIAT_REVIEW_H
#define HZM_FIAT_REVIEW_H

#include <libpq-fe.h>

#include "core/decimal.h"
#include "core/err.h"
#include "domain/fiat.h"

struct ctx;
struct json_object;

#define FIAT_REVIEW_NOTE_MAX	1000	/* characters of a reviewer's reason */

struct fiat_queue_query {
	const char	*status;	/* NULL: QUEUED and RETURNING (the open queue) */
	const char	*reason;	/* a queue reason, or NULL */
	int		 oldest_first;	/* the default: first in, first reviewed */
	const char	*limit, *offset;
};

extern const char *const fiat_transfer_statuses[];	/* NULL-terminated */
extern const char *const fiat_queue_reasons[];

enum err	 fiat_queue_list(struct ctx *, const struct fiat_queue_query *,
		    PGresult **rows, long long *total);
/* One transfer by its public id (ftr_...): 0 or 1 rows of the list's columns. */
enum err	 fiat_transfer_get(struct ctx *, const char *transfer_id,
		    PGresult **row);
struct json_object *fiat_transfer_json(PGresult *, int row);

struct fiat_resolved {
	char		 status[16];	/* the transfer's status now (ERR_CONFLICT: as it is) */
	char		 deposit_id[FIAT_ID_LEN + 1];		/* credit */
	char		 withdrawal_id[FIAT_ID_LEN + 1];	/* return */
	char		 amount[DEC_BUFSZ];
	char		 email[256];	/* credit: whom to tell */
	const char	*field, *reason;	/* ERR_INVALID_REQUEST, ERR_NOT_FOUND */
};

/*
 * Credit the QUEUED transfer to user_id (usr_...) as the context's actor,
 * in one transaction: the money moves from the suspense account
 * (ADJUSTMENT) to the user (DEPOSIT, 'fiat:tx:' and the bank's id: a
 * transfer credits a user once, whichever way), the user's deposit intent
 * it named is completed (or a deposit without one recorded), a
 * deposit.confirmed event, the audit row with the reason. ERR_NOT_FOUND
 * (no such transfer, or user: out->field), ERR_CONFLICT (not QUEUED;
 * out->status), ERR_INVALID_REQUEST (a system account).
 */
enum err	 fiat_review_credit(struct ctx *, const char *transfer_id,
		    const char *user_id, const char *reason,
		    struct fiat_resolved *out);
/*
 * Send the QUEUED transfer back to its sender: a RETURN payout of its
 * amount to the sender's IBAN and name, locked on the suspense account
 * (WITHDRAWAL_LOCK), paid by the payout worker; the transfer is RETURNING
 * (RETURNED once paid; QUEUED again if the bank refuses). Audited.
 */
enum err	 fiat_review_return(struct ctx *, const char *transfer_id,
		    const char *reason, struct fiat_resolved *out);

#endif
