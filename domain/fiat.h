/* domain/fiat.h — TRY by bank transfer: the platform's account, deposit intents, transfers the bank reports (credited once, or queued), the caller's fiat history */
#ifndef HZM_FIAT_H
#define HZM_FIAT_H

#include <stdint.h>

#include <libpq-fe.h>

#include "core/decimal.h"
#include "core/err.h"
#include "domain/compliance.h"
#include "domain/fiat_ref.h"
#include "domain/iban.h"

struct bank_transfer;
struct ctx;
struct json_object;

#define FIAT_ASSET		"TRY"
#define FIAT_SCALE		2	/* Appendix E: fiat amounts have 2 decimals */
#define FIAT_ID_LEN		24	/* "fdp_", "fwd_", "ftr_" + 20 */
#define FIAT_KYC_LEVEL		2	/* a verified name, to match transfers against */
/* Where transfers wait for review, and where fees go (sql/013, sql/004). */
#define FIAT_SUSPENSE_ACCOUNT	"usr_fiatsuspenseaaaaaaaa"
#define FIAT_FEE_ACCOUNT	"usr_feeaccountaaaaaaaaaa"

/* A user's verified name, "first last", from their approved KYC application. */
#define FIAT_KYC_NAME_OF(uid) \
	"(SELECT k.first_name || ' ' || k.last_name FROM kyc_submissions k" \
	" WHERE k.user_id = " uid " AND k.status = 'APPROVED'" \
	" ORDER BY k.id DESC LIMIT 1)"

/* Defaults of the settings (conf/hzm.conf). */
#define FIAT_DEPOSIT_TTL_HOURS	24		/* fiat_deposit_ttl_hours */
#define FIAT_DEPOSIT_MIN	"10.00"		/* fiat_deposit_min */
#define FIAT_DEPOSIT_MAX	"10000000.00"	/* fiat_deposit_max */
#define FIAT_DEPOSIT_OPEN_MAX	10		/* fiat_deposit_open_max */

/* The platform's bank account (settings fiat_iban, fiat_bank_name, fiat_account_holder). */
struct fiat_account {
	char		 iban[IBAN_MAX + 1];
	const char	*bank_name;
	const char	*holder;
};

/* The account from the settings: 0, or -1 (logged) when unset or not a valid TR IBAN. */
int		 fiat_account_get(struct fiat_account *);
/* A TRY amount setting, in hundredths (dflt when unset; logged when malformed). */
int64_t		 fiat_setting_amount(const char *key, const char *dflt);
/* Hundredths as "1234.50". */
void		 fiat_amount_text(int64_t v, char out[DEC_BUFSZ]);

/*
 * Whether the caller may move TRY by bank transfer: FIAT_KYC_LEVEL, the
 * level that verifies a name. ERR_KYC_002 while an application is under
 * review, ERR_KYC_003 when the last was rejected, else ERR_KYC_REQUIRED.
 */
enum err	 fiat_kyc_gate(struct ctx *);
/* The user's (users.id as text) verified name, "first last", or NULL. */
enum err	 fiat_kyc_name(struct ctx *, const char *user_id, const char **name);

struct fiat_intent {
	char		 id[FIAT_ID_LEN + 1];
	char		 reference[FIAT_REF_LEN + 1];
	char		 amount[DEC_BUFSZ];
	char		 expires_at[32], created_at[32];
	struct fiat_account account;
	int		 open, open_max;	/* ERR_LIMIT_EXCEEDED */
	const char	*field, *reason;	/* ERR_INVALID_REQUEST */
};

/*
 * A deposit intent of amount (hundredths) for the caller: a new reference
 * code, valid fiat_deposit_ttl_hours, and the account to pay into.
 * ERR_INVALID_REQUEST: amount outside fiat_deposit_min..max (out->field,
 * reason); ERR_KYC_REQUIRED: no verified name; ERR_LIMIT_EXCEEDED:
 * fiat_deposit_open_max intents are open already; ERR_SERVICE_UNAVAILABLE:
 * the platform's account is not configured.
 */
enum err	 fiat_deposit_create(struct ctx *, int64_t amount,
		    struct fiat_intent *out);
struct json_object *fiat_intent_json(const struct fiat_intent *);

/*
 * A callback delivery's mark (its HMAC): ERR_CONFLICT when the same
 * delivery came before. Marks older than fiat_marks_purge's age go.
 */
enum err	 fiat_callback_mark(struct ctx *, const unsigned char mac[32]);
enum err	 fiat_marks_purge(struct ctx *, long older_than_seconds, long *n);

/* What the bank is told of a transfer, and what to tell the user. */
struct fiat_receipt {
	char		 transfer_id[FIAT_ID_LEN + 1];
	char		 status[12];		/* CREDITED or QUEUED: the answer */
	const char	*queue_reason;		/* QUEUED now: why */
	int		 repeat;		/* the answer given before */
	/* Credited by this call: whom to tell. */
	int		 credited;
	char		 deposit_id[FIAT_ID_LEN + 1];
	char		 email[256];
	char		 amount[DEC_BUFSZ];
	char		 reference[FIAT_REF_LEN + 1];
	/* a large deposit's compliance alert, or "": staff hear of it */
	char		 alert_id[ALERT_ID_LEN + 1];
};

/*
 * A transfer the bank reports, in one transaction, once per bank
 * transaction id: credited to the user whose open, unexpired intent its
 * description names (a DEPOSIT row, 'fiat:tx:' and the bank's id, and a
 * deposit.confirmed event) when the sender's name is that user's
 * verified name; otherwise credited to the suspense account and queued
 * for review with the reason (a name that does not match also raises a
 * compliance alert). A transaction id seen before gets its first answer
 * (out->repeat); ERR_CONFLICT when its content differs from the first.
 */
enum err	 fiat_transfer_receive(struct ctx *, const struct bank_transfer *,
		    struct fiat_receipt *out);

struct fiat_tx_query {
	const char	*type;		/* DEPOSIT, WITHDRAWAL or NULL */
	const char	*status;	/* or NULL */
	int		 oldest_first;
	const char	*limit, *offset;
};

/* The caller's deposits and withdrawals, newest first unless asked. */
enum err	 fiat_tx_list(struct ctx *, const struct fiat_tx_query *,
		    PGresult **rows, long long *total);
struct json_object *fiat_tx_json(PGresult *, int row);
extern const char *const fiat_tx_types[];	/* NULL-terminated */
extern const char *const fiat_tx_statuses[];

#endif
