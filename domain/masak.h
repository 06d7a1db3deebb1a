/* domain/masak.h — MASAK reports: suspicious-transaction cases drafted from compliance alerts, their deadline and status, and transfers that need travel-rule data */
#ifndef HZM_MASAK_H
#define HZM_MASAK_H

#include <libpq-fe.h>

#include "core/err.h"

struct buf;
struct ctx;
struct json_object;

#define MASAK_DEADLINE_DAYS	10	/* business days to file, from the alert's day */
#define TRAVEL_RULE_TRY		"15000"	/* a transfer worth this much needs travel-rule data */

struct masak_cases {
	PGresult	 *rows;
	const char	**id_numbers;	/* per row, opened from its seal, or NULL */
};

/*
 * A case is an alert of severity HIGH or CRITICAL, or one staff escalated
 * (a reorganised chain is no suspicion of the customer); its id is the
 * alert's (alt_). Filters NULL: none; status DRAFT, FILED or DISMISSED.
 * The cases carry customers' identity numbers, opened for the report:
 * the read is audited (MASAK_REPORT_VIEW, the cases' ids) and committed
 * before they are handed out.
 */
enum err	masak_cases_read(struct ctx *, const char *status,
		    const char *from, const char *to, struct masak_cases *);
struct json_object *masak_case_json(const struct masak_cases *, int row);
void		masak_cases_csv(struct buf *, const struct masak_cases *);

/* Crypto deposits and withdrawals worth TRAVEL_RULE_TRY or more. */
enum err	masak_travel_rule(struct ctx *, const char *from, const char *to,
		    PGresult **rows);
struct json_object *masak_transfer_json(PGresult *, int row);
void		masak_transfers_csv(struct buf *, PGresult *);

/*
 * File a DRAFT case with MASAK's reference, or dismiss it with a reason,
 * as the context's actor, audited (MASAK_REPORT) in the same transaction.
 * ERR_NOT_FOUND: no such case; ERR_CONFLICT: decided already.
 */
enum err	masak_decide(struct ctx *, const char *case_id, const char *status,
		    const char *reference, const char *reason);

#endif
