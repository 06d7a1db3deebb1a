/* domain/fiat_withdraw.h — TRY withdrawals to the user's own Turkish bank account: second factor, name, limits, funds locked at once */
#ifndef HZM_FIAT_WITHDRAW_H
#define HZM_FIAT_WITHDRAW_H

#include <stdint.h>

#include "core/decimal.h"
#include "core/err.h"
#include "domain/fiat.h"

struct ctx;
struct json_object;

#define FIAT_WITHDRAW_MIN	"100.00"	/* fiat_withdraw_min */
#define FIAT_WITHDRAW_FEE	"5.00"		/* fiat_withdraw_fee */

struct fiat_wd_in {
	int64_t		 amount;		/* hundredths */
	char		 iban[IBAN_MAX + 1];	/* checked, a TR one */
	const char	*holder;		/* the account holder's name */
	const char	*code;			/* the TOTP code */
};

struct fiat_wd_out {
	char		 id[FIAT_ID_LEN + 1];
	char		 amount[DEC_BUFSZ], fee[DEC_BUFSZ];
	char		 created_at[32];
	/* Why not: the field and reason (WALLET_001, INVALID_REQUEST). */
	const char	*field, *reason;
	/* WALLET_003: the minimum; WALLET_002: which limit, it, what was used. */
	char		 minimum[DEC_BUFSZ];
	const char	*period;		/* "DAILY" or "MONTHLY" */
	char		 limit[48], used[48];
	/* INSUFFICIENT_BALANCE: amount and fee, and what is available. */
	char		 required[DEC_BUFSZ], available[48];
	/* FORBIDDEN for a hold: which (NULL: 2FA is off), and until when. */
	const char	*hold;
	char		 hold_until[32];
};

/*
 * The caller's withdrawal of in->amount TRY (plus fiat_withdraw_fee) to
 * in->iban, in one transaction: KYC LEVEL_2 (fiat_kyc_gate's codes);
 * at least fiat_withdraw_min (WALLET_003); 2FA on, and no hold, as for
 * crypto withdrawals: none within withdraw_security_hold_hours of a
 * password change or of 2FA turned off (FORBIDDEN, out->hold), no
 * compliance hold (COMPLIANCE_001); the holder's name the caller's
 * verified name (WALLET_001, field accountHolder; fiat_name_match); the
 * amount within the daily (last 24 hours) and monthly (last 30 days)
 * withdrawal limits of the user or their KYC level, counting every
 * withdrawal not failed, crypto ones at their worth (WALLET_002); amount
 * and fee available (INSUFFICIENT_BALANCE); and, last, the TOTP code
 * right and unused (AUTH_004). Then the funds are locked
 * (WITHDRAWAL_LOCK), the withdrawal is PROCESSING for the payout worker,
 * and withdrawal.processing is told.
 */
enum err	 fiat_withdraw_request(struct ctx *, const struct fiat_wd_in *,
		    struct fiat_wd_out *);
struct json_object *fiat_wd_json(const struct fiat_wd_out *,
		    const struct fiat_wd_in *);

#endif
