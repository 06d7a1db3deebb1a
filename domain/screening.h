/* domain/screening.h — §11.1's control points: KYC names screened against PEP and sanctions lists */
#ifndef HZM_SCREENING_H
#define HZM_SCREENING_H

#include "core/err.h"

struct ctx;

/*
 * Screen an application going to review, inside the caller's
 * transaction; *hold is set when a list entry matches.
 */
enum err	screening_kyc(struct ctx *, const char *kyc_rowid,
		    const char *kyc_id, const char *first, const char *last,
		    const char *birth, const char *nationality, int *hold);

#endif
