/* domain/screening.h — §11.1's control points: the registration blacklist, PEP and sanctions screening of KYC names */
#ifndef HZM_SCREENING_H
#define HZM_SCREENING_H

#include <stddef.h>

#include "core/err.h"

struct ctx;

#define SCREENING_MATCHES_MAX	5

/*
 * Screen an application going to review, inside the caller's
 * transaction: its name (name_key), birth date and nationality against
 * every PEP and sanctions entry (an entry without a birth date or a
 * nationality matches any). A match raises a BLACKLIST_HIT alert (subject
 * "kyc:<kycId>", CRITICAL for a sanctions list, HIGH for PEP) naming the
 * matched entries, and links it to the application, which then cannot be
 * approved until the alert is RESOLVED or FALSE_POSITIVE. alert_id gets
 * the alert's id ("" when nothing matched).
 */
enum err	screening_kyc(struct ctx *, const char *kyc_rowid,
		    const char *kyc_id, const char *first, const char *last,
		    const char *birth, const char *nationality,
		    char alert_id[25]);

/*
 * Registration against the identity blacklist (the address, its domain,
 * the phone number), in its own transaction: on a hit, a BLACKLIST_HIT
 * alert (one per blacklist entry) is committed and *refused set.
 */
enum err	screening_registration(struct ctx *, const char *email,
		    const char *phone, int *refused, char alert_id[25]);

#endif
