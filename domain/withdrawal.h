/* domain/withdrawal.h — crypto withdrawals requested: checked, scored, funds locked, stored; the caller's list */
#ifndef HZM_WITHDRAWAL_H
#define HZM_WITHDRAWAL_H

#include <libpq-fe.h>

#include "core/err.h"
#include "core/input.h"
#include "domain/chain.h"
#include "domain/compliance.h"

struct ctx;
struct json_object;

#define WITHDRAWAL_ID_LEN	24	/* "wdr_" + 20 */
#define WITHDRAWAL_NET_MAX	10	/* network codes: [A-Z0-9]{2,10} */
#define WITHDRAWAL_MEMO_MAX	64

/* The request body of spec §4.3, read but not yet judged. */
struct wd_in {
	const char	*asset;		/* the path's */
	const char	*network;	/* NULL: the asset's default network */
	const char	*amount;	/* decimal text */
	const char	*address;
	const char	*memo;		/* NULL: none */
	const char	*code;		/* twoFactorCode; NULL when absent */
	const char	*code_why;	/* set when given but not six digits */
};

/*
 * The body {asset?, amount, address, network?, memo?, twoFactorCode} as
 * a route declares it (core/input.h): shapes only (types, lengths,
 * characters). twoFactorCode is taken as sent (IN_ANY): its absence or a
 * malformed one is the 2FA check's to refuse (AUTH_004), not a malformed
 * request.
 */
enum { WD_F_ASSET, WD_F_AMOUNT, WD_F_ADDRESS, WD_F_NETWORK, WD_F_MEMO,
    WD_F_CODE };
extern const struct in_field withdrawal_fields[];

/*
 * The values read by withdrawal_fields, for the path's asset: a body's
 * asset, if given, must be it (0, or -1 with *ie filled); the code is
 * kept only when six digits, else code_why says why.
 */
int		 withdrawal_in_from(const struct in_val *, const char *asset,
		    struct wd_in *, struct in_err *ie);

struct wd_out {
	char		 id[WITHDRAWAL_ID_LEN + 1];
	PGresult	*row;		/* the stored request, for withdrawal_json */
	/* an alert raised (HIGH or CRITICAL), to announce once committed */
	char		 alert_id[ALERT_ID_LEN + 1];
	/* a refusal: its message (NULL: the code's) and details */
	const char	*message;
	struct json_object *details;	/* the arena's */
	/* for the mail that follows */
	char		 email[256];
};

/*
 * Request a withdrawal for the caller (c->actor), in one transaction: the
 * checks, the rules engine, the request with its status, the funds
 * locked (WITHDRAWAL_LOCK) and, when it weighs HIGH or more, a compliance
 * alert. Refusals: ERR_NOT_FOUND (asset), ERR_INVALID_REQUEST, WALLET_001
 * (address), WALLET_003 (minimum), KYC_001, ERR_FORBIDDEN (no 2FA, or a
 * security hold after a password change or 2FA turned off), AUTH_004,
 * COMPLIANCE_001 (a compliance hold), COMPLIANCE_002 (too many today),
 * WALLET_006 (a blacklisted address: committed anyway with a hold and a
 * CRITICAL alert), ERR_INSUFFICIENT_BALANCE, WALLET_002 (limits).
 */
enum err	 withdrawal_request(struct ctx *, const struct wd_in *,
		    struct wd_out *);

struct wd_query {
	const char	*status;	/* NULL: any */
	const char	*asset;		/* NULL: any */
	int		 oldest_first;
	const char	*limit, *offset;
};

/* The caller's withdrawals (rows for withdrawal_json), newest first unless asked; *total counts them all. */
enum err	 withdrawal_list(struct ctx *, const struct wd_query *,
		    PGresult **rows, long long *total);

/* The statuses of Appendix C. */
extern const char *const withdrawal_statuses[];

#endif
