/* domain/binance_keys.c — a user's Binance API key (seed 000): checked with Binance, sealed at rest, opened for signing, marked invalid */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "core/arena.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/binance_keys.h"

enum {
	ST_SAVE, ST_GET, ST_DELETE, ST_OPEN, ST_RESEAL, ST_INVALIDATE,
	ST__COUNT
};

static const struct stmt stmts[] = {
	/* A new key replaces the old one whole: a new id, valid again. */
	[ST_SAVE] = { "binance_key_save",
	  "INSERT INTO binance_keys (public_id, user_id, api_key_sealed,"
	  " secret_sealed, api_key_tail, ip_restrict, can_trade, permissions)"
	  " VALUES ($1, $2, $3, $4, $5, $6, $7, string_to_array($8, ','))"
	  " ON CONFLICT (user_id) DO UPDATE SET public_id = EXCLUDED.public_id,"
	  " api_key_sealed = EXCLUDED.api_key_sealed,"
	  " secret_sealed = EXCLUDED.secret_sealed,"
	  " api_key_tail = EXCLUDED.api_key_tail,"
	  " ip_restrict = EXCLUDED.ip_restrict, can_trade = EXCLUDED.can_trade,"
	  " permissions = EXCLUDED.permissions, is_valid = true,"
	  " invalid_reason = NULL, invalidated_at = NULL, created_at = now(),"
	  " validated_at = now()", 8 },
	[ST_GET] = { "binance_key_get",
	  "SELECT public_id, api_key_tail, is_valid, ip_restrict, can_trade,"
	  " array_to_string(permissions, ','), invalid_reason, "
	  DB_ISO("created_at") ", " DB_ISO("validated_at") ", "
	  DB_ISO("invalidated_at") " FROM binance_keys WHERE user_id = $1", 1 },
	[ST_DELETE] = { "binance_key_delete",
	  "DELETE FROM binance_keys WHERE user_id = $1", 1 },
	[ST_OPEN] = { "binance_key_open",
	  "SELECT public_id, api_key_sealed, secret_sealed, is_valid"
	  " FROM binance_keys WHERE user_id = $1", 1 },
	[ST_RESEAL] = { "binance_key_reseal",
	  "UPDATE binance_keys SET api_key_sealed = $3, secret_sealed = $4"
	  " WHERE user_id = $1 AND public_id = $2", 4 },
	[ST_INVALIDATE] = { "binance_key_invalidate",
	  "UPDATE binance_keys SET is_valid = false, invalid_reason = $3,"
	  " invalidated_at = now() WHERE user_id = $1 AND public_id = $2"
	  " AND is_valid", 3 },
};
_Static_assert(sizeof(stmts) / sizeof(stmts[0]) == ST__COUNT, "stmts");

/* The seal's context: the row and the part, so a blob opens nowhere else. */
static void
seal_context(char *out, size_t sz, const char *part, const char *key_id)
{
	snprintf(out, sz, "binance_%s:%s", part, key_id);
}

/* Seal s as a bytea parameter ("\x..."), or NULL. */
static char *
seal_param(struct ctx *c, const char *part, const char *key_id, const char *s)
{
	unsigned char sealed[BINANCE_KEY_MAX + SEAL_OVERHEAD];
	char context[64];
	size_t n;

	seal_context(context, sizeof(context), part, key_id);
	if (crypto_seal(context, s, strlen(s), sealed, sizeof(sealed), &n) == -1) {
		log_error("binance_keys: cannot seal (is data_key_%d configured?)",
		    crypto_key_version());
		return NULL;
	}
	return db_bytea_param(c->arena, sealed, n);
}

static void
refuse(struct binance_key_refusal *why, const char *field, const char *reason)
{
	why->field = field;
	why->reason = reason;
}

/* What Binance's refusal of a key means for the user, by field. */
static void
refusal_of(struct ctx *c, struct binance_key_refusal *why)
{
	switch (why->st.code) {
	case -1022:
		refuse(why, "secret_key", "Binance: the signature is not valid: "
		    "the secret key does not belong to this API key (-1022)");
		break;
	case -2014:
		refuse(why, "api_key", "Binance: API-key format invalid (-2014)");
		break;
	case -2015:
		refuse(why, "api_key", "Binance refused the key: invalid API "
		    "key, IP, or permissions for action (-2015)");
		break;
	default:
		refuse(why, "api_key", arena_printf(c->arena, "Binance refused "
		    "the key: %s (%d)", why->st.msg, why->st.code));
	}
}

/* Ask Binance about the key: account, then its restrictions. */
static enum err
key_check(struct ctx *c, const struct binance_creds *k,
    struct binance_account *acct, struct binance_restrictions *rs,
    struct binance_key_refusal *why)
{
	enum err e;

	if ((e = binance_account(c, k, acct, &why->st)) == ERR_OK &&
	    (e = binance_api_restrictions(c, k, rs, &why->st)) != ERR_OK &&
	    why->st.http_status == 404) {
		/*
		 * A service without Binance's SAPI (a venue that speaks only
		 * its /api/v3, or a stand-in of the seed's get_account()):
		 * the account answered for the key, so it is kept, with no
		 * IP restriction known (the answer warns of that) and spot
		 * trading as the account says.
		 */
		log_info("binance: no apiRestrictions (HTTP 404): the key's "
		    "restrictions are unknown");
		memset(rs, 0, sizeof(*rs));
		rs->enable_spot_trading = acct->can_trade;
		memset(&why->st, 0, sizeof(why->st));
		e = ERR_OK;
	}
	if (e == ERR_INVALID_REQUEST || e == ERR_NOT_FOUND) {
		refusal_of(c, why);
		return ERR_INVALID_REQUEST;
	}
	if (e != ERR_OK)
		return e;
	if (rs->enable_withdrawals) {
		refuse(why, "api_key", "the key may withdraw funds: create a "
		    "Binance API key with withdrawals disabled");
		return ERR_INVALID_REQUEST;
	}
	return ERR_OK;
}

enum err
binance_key_save(struct ctx *c, const char *user_id, const char *api_key,
    const char *secret, struct binance_key *out,
    struct binance_key_refusal *why)
{
	struct binance_creds k;
	struct binance_account acct;
	struct binance_restrictions rs;
	const char *p[8];
	char key_id[BINANCE_KEY_ID_MAX + 1];
	PGresult *res;
	enum err e;

	memset(why, 0, sizeof(*why));
	if (!binance_key_chars_ok(api_key) || strlen(api_key) < 4) {
		refuse(why, "api_key", "must be 4 to 128 letters and digits");
		return ERR_INVALID_REQUEST;
	}
	if (!binance_key_chars_ok(secret)) {
		refuse(why, "secret_key", "must be 1 to 128 letters and digits");
		return ERR_INVALID_REQUEST;
	}
	memset(&k, 0, sizeof(k));
	memcpy(k.api_key, api_key, strlen(api_key));
	memcpy(k.secret, secret, strlen(secret));
	if ((e = key_check(c, &k, &acct, &rs, why)) != ERR_OK)
		goto out;
	e = ERR_INTERNAL;
	if (util_public_id("bnk_", key_id, sizeof(key_id)) == -1 ||
	    (p[2] = seal_param(c, "api_key", key_id, k.api_key)) == NULL ||
	    (p[3] = seal_param(c, "secret", key_id, k.secret)) == NULL)
		goto out;
	p[0] = key_id;
	p[1] = user_id;
	p[4] = api_key + strlen(api_key) - 4;
	p[5] = rs.ip_restrict ? "t" : "f";
	p[6] = acct.can_trade && rs.enable_spot_trading ? "t" : "f";
	p[7] = acct.permissions;
	if ((e = db_query(c->db, c->arena, &stmts[ST_SAVE], p, &res)) != ERR_OK)
		goto out;
	e = binance_key_get(c, user_id, out);
out:
	binance_creds_wipe(&k);
	return e;
}

enum err
binance_key_get(struct ctx *c, const char *user_id, struct binance_key *out)
{
	const char *p[1] = { user_id };
	PGresult *res;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = db_query(c->db, c->arena, &stmts[ST_GET], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	snprintf(out->id, sizeof(out->id), "%s", db_val(res, 0, 0));
	snprintf(out->tail, sizeof(out->tail), "%s", db_val(res, 0, 1));
	out->is_valid = strcmp(db_val(res, 0, 2), "t") == 0;
	out->ip_restrict = strcmp(db_val(res, 0, 3), "t") == 0;
	out->can_trade = strcmp(db_val(res, 0, 4), "t") == 0;
	out->permissions = db_val(res, 0, 5);
	out->invalid_reason = db_val(res, 0, 6);
	out->created_at = db_val(res, 0, 7);
	out->validated_at = db_val(res, 0, 8);
	out->invalidated_at = db_val(res, 0, 9);
	return ERR_OK;
}

enum err
binance_key_delete(struct ctx *c, const char *user_id)
{
	const char *p[1] = { user_id };
	PGresult *res;
	enum err e;

	if ((e = db_query(c->db, c->arena, &stmts[ST_DELETE], p, &res)) != ERR_OK)
		return e;
	return strcmp(PQcmdTuples(res), "1") == 0 ? ERR_OK : ERR_NOT_FOUND;
}

/* Open one sealed part into out (size BINANCE_KEY_MAX + 1). */
static int
part_open(struct ctx *c, const char *part, const char *key_id,
    const char *hex, char *out, int *old)
{
	unsigned char *sealed;
	char context[64];
	size_t len, n;

	if ((sealed = db_bytea(c->arena, hex, &len)) == NULL || len == 0)
		return -1;
	seal_context(context, sizeof(context), part, key_id);
	if (crypto_open(context, sealed, len, out, BINANCE_KEY_MAX, &n) == -1)
		return -1;
	out[n] = '\0';
	if (sealed[0] != crypto_key_version())
		*old = 1;
	return 0;
}

/* Seal both parts again under the current data key; a failure is logged only. */
static void
reseal(struct ctx *c, const char *user_id, const char *key_id,
    const struct binance_creds *k)
{
	const char *p[4] = { user_id, key_id, NULL, NULL };
	PGresult *res;

	if ((p[2] = seal_param(c, "api_key", key_id, k->api_key)) == NULL ||
	    (p[3] = seal_param(c, "secret", key_id, k->secret)) == NULL ||
	    db_query(c->db, c->arena, &stmts[ST_RESEAL], p, &res) != ERR_OK)
		log_error("binance_keys: %s: cannot seal again under data key %d",
		    key_id, crypto_key_version());
}

enum err
binance_key_open(struct ctx *c, const char *user_id, struct binance_creds *k,
    char key_id[BINANCE_KEY_ID_MAX + 1])
{
	const char *p[1] = { user_id };
	PGresult *res;
	enum err e;
	int old = 0;

	memset(k, 0, sizeof(*k));
	key_id[0] = '\0';
	if ((e = db_query(c->db, c->arena, &stmts[ST_OPEN], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	snprintf(key_id, BINANCE_KEY_ID_MAX + 1, "%s", db_val(res, 0, 0));
	if (strcmp(db_val(res, 0, 3), "t") != 0)
		return ERR_FORBIDDEN;
	if (part_open(c, "api_key", key_id, db_val(res, 0, 1), k->api_key,
	    &old) == -1 ||
	    part_open(c, "secret", key_id, db_val(res, 0, 2), k->secret,
	    &old) == -1) {
		binance_creds_wipe(k);
		log_error("binance_keys: %s does not open (data key missing?)",
		    key_id);
		return ERR_INTERNAL;
	}
	if (old)
		reseal(c, user_id, key_id, k);
	return ERR_OK;
}

enum err
binance_key_invalidate(struct ctx *c, const char *user_id, const char *key_id,
    const char *reason)
{
	char why[201];
	const char *p[3] = { user_id, key_id, why };
	PGresult *res;
	enum err e;
	size_t i;

	snprintf(why, sizeof(why), "%s", reason != NULL && reason[0] != '\0' ?
	    reason : "refused by Binance");
	/* ASCII only: a cut never splits a character. */
	for (i = 0; why[i] != '\0'; i++)
		if ((unsigned char)why[i] < 0x20 || (unsigned char)why[i] > 0x7e)
			why[i] = '?';
	if ((e = db_query(c->db, c->arena, &stmts[ST_INVALIDATE], p,
	    &res)) != ERR_OK)
		return e;
	if (strcmp(PQcmdTuples(res), "1") != 0)
		return ERR_NOT_FOUND;
	log_info("binance_keys: %s marked invalid: %s", key_id, why);
	return ERR_OK;
}
