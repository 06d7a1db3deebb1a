/* domain/kyc_queue.h — the KYC applications awaiting review, as staff page through them */
#ifndef HZM_KYC_QUEUE_H
#define HZM_KYC_QUEUE_H

#include <libpq-fe.h>

#include "core/err.h"

struct ctx;
struct json_object;

/*
 * A page of the PENDING_REVIEW applications, oldest first, or newest
 * with sort "-submittedAt"; *total counts them all.
 */
enum err	 kyc_queue_page(struct ctx *, const char *limit,
		    const char *offset, const char *sort, PGresult **rows,
		    long long *total);
/* One row of the page as the reviewer's list shows it. */
struct json_object *kyc_queue_json(PGresult *, int row);

#endif
