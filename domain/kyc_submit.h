/* domain/kyc_submit.h — a user's KYC application: saved as a draft, completed, sealed and screened */
#ifndef HZM_KYC_SUBMIT_H
#define HZM_KYC_SUBMIT_H

#include <stddef.h>

#include "core/err.h"

struct ctx;

enum { KYC_DOC_ID, KYC_DOC_ADDRESS, KYC_DOC_SELFIE, KYC_DOC__COUNT };

/* kyc_documents.kind and the form's member name of each. */
extern const char *const kyc_doc_kinds[KYC_DOC__COUNT];
extern const char *const kyc_doc_fields[KYC_DOC__COUNT];

struct kyc_doc {
	const char		*ctype;		/* NULL: not in this request */
	const unsigned char	*data;
	size_t			 len;
	unsigned char		 sha[32];
};

/* The form as checked by the handler (names, dates, the id number's form). */
struct kyc_form {
	const char	*first_name, *last_name;
	const char	*birth;		/* YYYY-MM-DD */
	const char	*nationality;	/* ISO 3166-1 alpha-2 */
	const char	*id_number;
	const char	*id_expiry;	/* YYYY-MM-DD or NULL */
	const char	*address;
	int		 draft;		/* keep as PENDING_SUBMISSION */
	struct kyc_doc	 docs[KYC_DOC__COUNT];
};

struct kyc_submitted {
	char		 kyc_id[32];
	char		 status[24];		/* PENDING_SUBMISSION or PENDING_REVIEW */
	char		 submitted_at[32];	/* PENDING_REVIEW: when */
	int		 missing[KYC_DOC__COUNT];	/* documents still to send */
	size_t		 nmissing;
	int		 screening_hold;	/* a list matched: held for review */
	char		 alert_id[25];		/* its alert, to notify once committed */
};

/*
 * Save the actor's application in one transaction: a new one, or the
 * user's draft (PENDING_SUBMISSION) completed with this request's fields
 * and documents. Not a draft: every document must be there by now, and it
 * goes to PENDING_REVIEW, screened against the PEP and sanctions lists
 * (domain/screening.c). ERR_CONFLICT: identity verified at LEVEL_2 or
 * above already, or an application under review (out->kyc_id names it);
 * ERR_KYC_004: documents missing (out->missing), nothing stored.
 */
enum err	kyc_submit(struct ctx *, const struct kyc_form *,
		    struct kyc_submitted *);

#endif
