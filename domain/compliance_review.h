/* domain/compliance_review.h — staff's side of compliance: alerts listed and moved through their resolutions, the withdrawal blacklist kept */
#ifndef HZM_COMPLIANCE_REVIEW_H
#define HZM_COMPLIANCE_REVIEW_H

#include <libpq-fe.h>

#include "core/err.h"

struct ctx;
struct json_object;

/* Appendix C's values. */
extern const char *const alert_severities[];
extern const char *const alert_types[];
extern const char *const alert_resolutions[];

struct alert_query {
	const char	*severity, *type, *resolution;	/* NULL: any */
	const char	*user_id;			/* public id, NULL: any */
	const char	*sort;		/* "-createdAt" (default), "+createdAt", "-riskScore" */
	const char	*limit, *offset;
};

enum err	 alert_list(struct ctx *, const struct alert_query *,
		    PGresult **rows, long long *total);
/* One alert by public id (rows of alert_list's shape); ERR_NOT_FOUND. */
enum err	 alert_get(struct ctx *, const char *id, PGresult **row);
struct json_object *alert_json(PGresult *, int row);

/*
 * Move alert id to resolution as the context's actor, with note (staff
 * only), inside the caller's transaction when in_txn, else in one of its
 * own. NEW, UNDER_REVIEW and ESCALATED may move to any other resolution;
 * RESOLVED and FALSE_POSITIVE are final, and settle the withdrawal holds
 * the alert caused (released). The audit log gets the move. ERR_NOT_FOUND,
 * ERR_CONFLICT (final already, or that resolution already: *from says
 * which), ERR_INVALID_REQUEST (not a resolution).
 */
enum err	 alert_resolve(struct ctx *, const char *id, const char *resolution,
		    const char *note, int in_txn, char from[16], int *released);

/* The blacklist: list, add (the address checked and spelt as the network's adapter does), remove. */
struct blacklist_entry {
	const char	*network;
	const char	*address;
	const char	*reason;
};
enum err	 blacklist_list(struct ctx *, const char *network, const char *limit,
		    const char *offset, PGresult **rows, long long *total);
struct json_object *blacklist_json(PGresult *, int row);
/*
 * ERR_INVALID_REQUEST (no adapter for the network, or not one of its
 * addresses: *why), ERR_CONFLICT (listed already). *row: the entry.
 */
enum err	 blacklist_add(struct ctx *, const struct blacklist_entry *,
		    PGresult **row, const char **why);
/* ERR_NOT_FOUND when the address is not listed. */
enum err	 blacklist_remove(struct ctx *, const struct blacklist_entry *);

#endif
