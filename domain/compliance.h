/* domain/compliance.h — compliance alerts: raised once per subject and type, written to the audit log, announced and mailed to staff */
#ifndef HZM_COMPLIANCE_H
#define HZM_COMPLIANCE_H

#include "core/err.h"

struct ctx;
struct json_object;
struct req;

#define ALERT_ID_LEN	24	/* "alt_" + 20 */

struct alert_in {
	const char		*user_id;	/* users.id as text, or NULL */
	const char		*severity;	/* LOW, MEDIUM, HIGH, CRITICAL */
	const char		*type;		/* Appendix C's types, CHAIN_REORG */
	int			 risk_score;	/* 0..100 */
	const char		*subject;	/* what it concerns: "deposit:dep_..." */
	struct json_object	*details;	/* an object, not consumed */
};

/*
 * Raise an alert inside the caller's transaction: it commits (with its
 * audit row and a "compliance.alert" event for staff) or vanishes with
 * the change that caused it. A subject has one alert of a type: when it
 * exists already, *created is 0 and id is that alert's.
 */
enum err	 compliance_alert_raise(struct ctx *, const struct alert_in *,
		    char id[ALERT_ID_LEN + 1], int *created);

/*
 * Mail staff (domain/notify: notify_staff) about alert id when it is
 * HIGH or CRITICAL; call once the alert is committed.
 */
void		 compliance_alert_notify(struct ctx *, const char *id);
/*
 * The same for app_after(): staff hear of alert id (a string in the
 * request's arena) once the answer is out.
 */
void		 compliance_alert_after(struct req *, void *id);

#endif
