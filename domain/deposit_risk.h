/* domain/deposit_risk.h — large deposits scored by the rules engine as they are credited, and an alert when the score calls for one */
#ifndef HZM_DEPOSIT_RISK_H
#define HZM_DEPOSIT_RISK_H

#include "core/err.h"
#include "domain/compliance.h"

struct ctx;

/* A deposit being credited. */
struct deposit_risk_in {
	const char	*user_id;	/* users.id as text */
	const char	*asset;
	const char	*amount;	/* decimal text */
	const char	*ledger_ref;	/* its DEPOSIT row's ref: "deposit:dep_..." */
	const char	*deposit_id;	/* public id, for the alert's details */
	const char	*subject;	/* the alert's subject */
};

/*
 * In the crediting transaction, after the DEPOSIT ledger row: a deposit
 * worth at least deposit_review_try, or just under it, is scored
 * (risk_score_deposit()); from risk_score_medium on, an alert of the
 * heaviest factor's type is raised with the factors in its details, and
 * its id left in alert (else alert is ""). Never refuses the credit: an
 * asset without a TRY price is not scored. Once committed, the caller
 * hands alert to compliance_alert_notify(), which mails staff about
 * HIGH and CRITICAL.
 */
enum err	 deposit_risk_check(struct ctx *, const struct deposit_risk_in *,
		    char alert[ALERT_ID_LEN + 1]);

#endif
