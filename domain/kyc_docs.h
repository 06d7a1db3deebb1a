/* domain/kyc_docs.h — a reviewer reads a KYC document: opened from its seal, the read itself audited */
#ifndef HZM_KYC_DOCS_H
#define HZM_KYC_DOCS_H

#include <stddef.h>

#include "core/err.h"

struct ctx;

struct kyc_doc {
	char		 kyc_id[32];	/* the application it belongs to */
	char		 content_type[32];
	unsigned char	*data;		/* in the context's arena */
	size_t		 len;
};

/*
 * The document of kind doc_type ("idDocument", "addressProof" or
 * "selfie", as submitted) from user_id's latest application, opened for
 * the context's actor. The read is written to the audit log
 * (KYC_DOCUMENT_VIEW) and committed before the bytes are handed out, so
 * no document is seen without its record. ERR_NOT_FOUND: no such user,
 * application or document type.
 */
enum err	kyc_doc_read(struct ctx *, const char *user_id,
		    const char *doc_type, struct kyc_doc *);

#endif
