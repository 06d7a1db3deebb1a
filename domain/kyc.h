/* domain/kyc.h — KYC decisions: approving or rejecting an application, with its audit row and event */
#ifndef HZM_KYC_H
#define HZM_KYC_H

#include "core/err.h"

struct ctx;

/* Why an application was refused: the codes a reviewer chooses from. */
extern const char *const kyc_reject_reasons[];	/* NULL-terminated */

struct kyc_decision {
	int		 approve;
	int		 level;		/* approve: 1..3 */
	const char	*reason;	/* reject: one of kyc_reject_reasons */
	const char	*note;		/* the reviewer's, never shown to the user; or NULL */
};

struct kyc_decided {
	char		 user_public_id[32];
	char		 email[256];
	char		 reviewed_at[32];
	char		 status[24];	/* ERR_CONFLICT: the status it already has */
	int		 user_level;	/* approve: the user's level now */
	char		 screening_alert[25];	/* ERR_CONFLICT: held by this open alert */
};

/*
 * Decide application kyc_id as the context's actor, in one transaction:
 * the application, the user's level (never lowered), a kyc.approved or
 * kyc.rejected event and the audit row naming each document by hash.
 * ERR_NOT_FOUND, ERR_CONFLICT (already decided: out->status) or
 * ERR_FORBIDDEN (a reviewer's own application).
 */
enum err	 kyc_decide(struct ctx *, const char *kyc_id,
		    const struct kyc_decision *, struct kyc_decided *);
/* What the user is told of a reason: the reason, never the reviewer's note. */
const char	*kyc_reject_text(const char *reason);

#endif
