/* domain/withdrawal_review.h — staff review of withdrawals (spec §11.3): what a reviewer sees, approvals by one or two people, rejections */
#ifndef HZM_WITHDRAWAL_REVIEW_H
#define HZM_WITHDRAWAL_REVIEW_H

#include <libpq-fe.h>

#include "core/err.h"
#include "domain/compliance.h"

struct ctx;
struct json_object;

#define REVIEW_DOCS_MAX		16	/* reviewedDocuments entries */

struct wd_review_query {
	const char	*asset;		/* NULL: any */
	const char	*user_id;	/* public id, NULL: any */
	const char	*sort;		/* "-riskScore", "+createdAt"...; NULL: oldest first */
	const char	*limit, *offset;
};

/* PENDING_APPROVAL withdrawals with their review data; *total counts them all. */
enum err	 withdrawal_review_list(struct ctx *, const struct wd_review_query *,
		    PGresult **rows, long long *total);
/* One withdrawal (any status) with its review data; ERR_NOT_FOUND. */
enum err	 withdrawal_review_get(struct ctx *, const char *id, PGresult **row);
/*
 * Row i as staff see it: the withdrawal, its risk score and the reasons,
 * its approvals, its alert, the user (profile, KYC level, limits and what
 * is used of them), their history (deposits, withdrawals, trades) and an
 * analysis of the address.
 */
struct json_object *withdrawal_review_json(PGresult *, int row);

struct wd_decision {
	int		 approve;
	const char	*reason;	/* required; a rejection's is told the user */
	const char	*note;		/* staff only, or NULL */
	struct json_object *documents;	/* reviewedDocuments: strings, or NULL */
	int		 suspend;	/* reject: suspend the account too */
};

struct wd_decided {
	char		 status[24];	/* now, or (ERR_CONFLICT) as it stands */
	int		 approvals;	/* given so far */
	int		 required;
	int		 suspended;
	char		 user_public_id[32];
	int		 already;	/* ERR_CONFLICT: this reviewer approved already */
};

/*
 * Decide withdrawal id as the context's actor, in one transaction with
 * its audit row (spec §11.3's fields: adminUserId, adminEmail,
 * targetUserId, withdrawalId, action, reason, riskScore,
 * reviewedDocuments, ipAddress). An approval counts once per person; the
 * last one needed moves it to PENDING_SIGNATURE for the worker. A
 * rejection, possible until the worker claims the withdrawal, unlocks the
 * funds (once) and may suspend the account. The
 * withdrawal's alert, while NEW or UNDER_REVIEW, follows: UNDER_REVIEW at
 * a first approval, RESOLVED when decided, ESCALATED when the account is
 * suspended. ERR_NOT_FOUND,
 * ERR_CONFLICT (not waiting for approval, or for a rejection sent
 * already; or approved by this reviewer already), ERR_FORBIDDEN (a
 * reviewer's own withdrawal).
 */
enum err	 withdrawal_decide(struct ctx *, const char *id,
		    const struct wd_decision *, struct wd_decided *);

#endif
