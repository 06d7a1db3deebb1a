/* domain/bank_api.h — the bank's payout API over core/httpc: a payout sent under an idempotency key, looked up by it */
#ifndef HZM_BANK_API_H
#define HZM_BANK_API_H

#include <stddef.h>

#include "core/err.h"

struct ctx;

#define BANK_TIMEOUT_MS		10000		/* bank_api_timeout_ms */
#define BANK_MAX_RESPONSE	(64 * 1024)
#define BANK_ID_MAX		64
#define BANK_REASON_MAX		127

/* What the bank's answer tells of a payout. */
enum bank_outcome {
	/* First: a zeroed answer never says paid. */
	BANK_UNCERTAIN,		/* no usable answer: it may have been paid or not */
	BANK_PAID,		/* COMPLETED: the money left */
	BANK_PENDING,		/* accepted, not final yet: ask again later */
	BANK_REJECTED,		/* the bank will not pay it (reason) */
	BANK_UNKNOWN,		/* a lookup: the bank has no payout under the key */
};

struct bank_payout {
	enum bank_outcome outcome;
	char		 payout_id[BANK_ID_MAX + 1];	/* the bank's id, or "" */
	char		 reason[BANK_REASON_MAX + 1];	/* BANK_REJECTED: why */
	long		 http_status;			/* 0: no answer */
	char		 error[256];			/* BANK_UNCERTAIN: why */
};

struct bank_payout_req {
	const char	*key;		/* Idempotency-Key: the payout's for ever */
	const char	*amount;	/* "100.00" */
	const char	*iban;		/* the beneficiary's */
	const char	*name;		/* the beneficiary's name */
	const char	*reference;	/* our id, for the bank's statement */
};

/*
 * POST {bank_api_url}/payouts with Authorization: Bearer
 * {bank_api_token} and Idempotency-Key: a repeat of the key is the same
 * payout at the bank, never a second one. The answer into out (always
 * set): 200/201 with the payout; 400 or 422 is BANK_REJECTED (the bank
 * refused the request and made nothing of it); anything else, no answer
 * or one that does not parse is BANK_UNCERTAIN (a 409, the key reused
 * with other content, too: the bank has something under it). ERR_OK, or
 * ERR_INTERNAL when nothing could be sent for want of memory.
 */
enum err	 bank_payout_send(struct ctx *, const struct bank_payout_req *,
		    struct bank_payout *out);
/* GET {bank_api_url}/payouts/{key}: 200 the payout, 404 BANK_UNKNOWN. */
enum err	 bank_payout_lookup(struct ctx *, const char *key,
		    struct bank_payout *out);

/*
 * A payout as the bank answers it: {"payoutId", "idempotencyKey",
 * "status": "PENDING" | "COMPLETED" | "REJECTED", "reason"?, ...} (other
 * members are ignored); the key must be key. 0 with out->outcome,
 * payout_id and reason set, or -1 (out->error says why).
 */
int		 bank_payout_parse(const char *body, size_t len, const char *key,
		    struct bank_payout *out);

#endif
