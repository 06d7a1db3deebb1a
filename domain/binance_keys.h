/* domain/binance_keys.h — a user's Binance API key (seed 000): checked with Binance, sealed at rest, opened for signing, marked invalid */
#ifndef HZM_BINANCE_KEYS_H
#define HZM_BINANCE_KEYS_H

#include "core/err.h"
#include "domain/binance.h"

struct ctx;

#define BINANCE_KEY_ID_MAX	31	/* bnk_ + 20 base32 */

/* A stored key as the API shows it: never the key itself or the secret. */
struct binance_key {
	char		 id[BINANCE_KEY_ID_MAX + 1];
	char		 tail[5];		/* the API key's last 4 characters */
	int		 is_valid;
	int		 ip_restrict;		/* Binance: the key is IP-restricted */
	int		 can_trade;		/* spot trading enabled on the key */
	const char	*permissions;		/* the account's: "SPOT,MARGIN" */
	const char	*invalid_reason;	/* NULL while valid */
	const char	*created_at;
	const char	*validated_at;
	const char	*invalidated_at;	/* NULL while valid */
};

/* Why a key was not kept (ERR_INVALID_REQUEST and Binance's faults). */
struct binance_key_refusal {
	const char		*field;		/* "api_key" or "secret_key" */
	const char		*reason;
	struct binance_status	 st;		/* what Binance answered */
};

/*
 * Check a key with Binance (a signed GET /api/v3/account, then GET
 * /sapi/v1/account/apiRestrictions) and keep it sealed as user_id's one
 * key, replacing any earlier one. Refused (ERR_INVALID_REQUEST, why
 * says which field and why): a key Binance refuses (-2014, -2015, a
 * secret that does not sign for it: -1022) and a key that may withdraw
 * (enableWithdrawals). Binance out of reach, failing or answering
 * wrongly, or -1021: ERR_SYSTEM_003; 429/418: ERR_RATE_LIMIT_EXCEEDED
 * with why->st.retry_after. Nothing is stored unless ERR_OK.
 */
enum err	 binance_key_save(struct ctx *, const char *user_id,
		    const char *api_key, const char *secret,
		    struct binance_key *out, struct binance_key_refusal *why);
/* user_id's key, or ERR_NOT_FOUND. */
enum err	 binance_key_get(struct ctx *, const char *user_id,
		    struct binance_key *out);
/* Forget user_id's key: ERR_OK, or ERR_NOT_FOUND when there was none. */
enum err	 binance_key_delete(struct ctx *, const char *user_id);
/*
 * Open user_id's key for signing into *k (wipe it with
 * binance_creds_wipe() once done) and name it in key_id. ERR_NOT_FOUND:
 * no key; ERR_FORBIDDEN: the key is marked invalid; ERR_INTERNAL: it
 * does not open (a data key missing from the configuration). A key
 * sealed under an older data_key_version is sealed again under the
 * current one on the way.
 */
enum err	 binance_key_open(struct ctx *, const char *user_id,
		    struct binance_creds *k, char key_id[BINANCE_KEY_ID_MAX + 1]);
/*
 * Mark key key_id of user_id invalid (the worker, when Binance refuses
 * it: binance_key_refused()), with a short reason (Binance's message).
 * A key replaced meanwhile is another key_id and stays as it is.
 * ERR_OK, or ERR_NOT_FOUND when no such valid key.
 */
enum err	 binance_key_invalidate(struct ctx *, const char *user_id,
		    const char *key_id, const char *reason);

#endif
