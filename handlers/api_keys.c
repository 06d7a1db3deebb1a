/*
 * handlers/api_keys.c — /api/v1/api-keys: a user's platform API keys (seed 003) and their Binance key (seed 000)
 *
 * Both kinds share the prefix. POST /api/v1/api-keys decides by the
 * body's shape: api_key + secret_key (or apiKey + secretKey) is a
 * Binance key; anything else is a platform key, as POST .../generate.
 * "me" names the caller's Binance key and is never a platform key id.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/app.h"
#include "core/crypto.h"
#include "core/input.h"
#include "core/valid.h"
#include "domain/session.h"
#include "domain/users.h"
#include "domain/auth.h"
#include "domain/binance_keys.h"

#define KEYS_MAX	20
#define PASSWORD_BYTES	32

/* Seed 003's words. */
static const char warning[] = "Store these credentials securely. Password "
    "won't be shown again.";

/*
 * A new key's credentials, shown this once: camelCase as every answer is,
 * and under seed 003's own names (api_key, api_password) as well.
 */
static void
credentials_add(struct json_object *o, const char *apikey, const char *password)
{
	json_object_object_add(o, "apiKey", json_object_new_string(apikey));
	json_object_object_add(o, "apiPassword", json_object_new_string(password));
	json_object_object_add(o, "api_key", json_object_new_string(apikey));
	json_object_object_add(o, "api_password", json_object_new_string(password));
	json_object_object_add(o, "message", json_object_new_string(warning));
}

static const struct stmt stmts[] = {
#define KEY_COLUMNS \
	"SELECT public_id, name, api_key, array_to_string(scopes, ',')," \
	" array_to_string(ip_whitelist, ','), " DB_ISO("created_at") ", " \
	DB_ISO("expires_at") ", " DB_ISO("revoked_at") ", " DB_ISO("last_used_at") "," \
	" last_used_ip, " DB_ISO("regenerated_at") " FROM api_keys"
	{ "keys_list", KEY_COLUMNS " WHERE user_id = $1 ORDER BY created_at, id", 1 },
	{ "keys_get", KEY_COLUMNS " WHERE user_id = $1 AND public_id = $2", 2 },
#undef KEY_COLUMNS
	{ "keys_count",
	  "SELECT count(*) FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL", 1 },
	{ "keys_insert",
	  "INSERT INTO api_keys (public_id, user_id, api_key, password_sealed,"
	  " name, scopes, ip_whitelist, expires_at) VALUES ($1, $2, $3, $4, $5,"
	  " string_to_array($6, ','), string_to_array($7, ',')::cidr[],"
	  " $8::timestamptz)", 8 },
	{ "keys_regenerate",
	  "UPDATE api_keys SET api_key = $3, password_sealed = $4,"
	  " regenerated_at = now() WHERE user_id = $1 AND public_id = $2"
	  " AND revoked_at IS NULL", 4 },
	{ "keys_revoke",
	  "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())"
	  " WHERE user_id = $1 AND public_id = $2", 2 },
	{ "keys_user_totp",
	  "SELECT totp_enabled, totp_secret FROM users WHERE id = $1 FOR UPDATE", 1 },
	/* PostgreSQL's cidr parser decides; its refusal is the user's error. */
	{ "keys_cidr_ok",
	  "SELECT array_to_string(string_to_array($1, ',')::cidr[], ',')", 1 },
	{ "keys_time_ok",
	  "SELECT $1::timestamptz > now() + interval '1 minute',"
	  " $1::timestamptz < now() + interval '10 years'", 1 },
};

enum {
	ST_LIST, ST_GET, ST_COUNT, ST_INSERT, ST_REGENERATE, ST_REVOKE,
	ST_TOTP, ST_CIDR, ST_TIME
};

static enum err
q(struct req *r, int st, const char *const *p, PGresult **res)
{
	return db_query(r->db, r->arena, &stmts[st], p, res);
}

/* The key itself is shown masked after creation: hzm_1ce9…86b7. */
static struct json_object *
key_json(struct req *r, PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();
	const char *k = db_val(res, i, 2);

	json_object_object_add(o, "keyId", json_object_new_string(db_val(res, i, 0)));
	json_object_object_add(o, "name", json_object_new_string(db_val(res, i, 1)));
	json_object_object_add(o, "apiKeyMasked", json_object_new_string(
	    arena_printf(r->arena, "%.8s...%s", k, k + strlen(k) - 4)));
	json_object_object_add(o, "scopes", json_csv_array(db_val(res, i, 3)));
	json_object_object_add(o, "ipWhitelist", json_csv_array(db_val(res, i, 4)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, 5)));
	json_object_object_add(o, "expiresAt", json_str_or_null(db_val(res, i, 6)));
	json_object_object_add(o, "revoked", json_object_new_boolean(db_val(res, i, 7) != NULL));
	json_object_object_add(o, "revokedAt", json_str_or_null(db_val(res, i, 7)));
	json_object_object_add(o, "lastUsedAt", json_str_or_null(db_val(res, i, 8)));
	json_object_object_add(o, "lastUsedIp", json_str_or_null(db_val(res, i, 9)));
	json_object_object_add(o, "regeneratedAt", json_str_or_null(db_val(res, i, 10)));
	return o;
}

/* Creating or regenerating a key needs the user's second factor. */
static enum err
second_factor(struct req *r, struct resp *w, const char *code)
{
	struct ctx c = ctx_req(r);
	const char *p[1] = { r->user->idtxt };
	unsigned char *sealed;
	size_t len;
	PGresult *res;
	enum err e;

	if ((e = q(r, ST_TOTP, p, &res)) != ERR_OK)
		return e;
	if (strcmp(db_val(res, 0, 0), "t") != 0) {
		resp_error(w, ERR_FORBIDDEN, "Enable two-factor authentication "
		    "before creating API keys");
		return ERR_FORBIDDEN;
	}
	if ((sealed = db_bytea(r->arena, db_val(res, 0, 1), &len)) == NULL)
		return ERR_INTERNAL;
	return user_totp_check(&c, r->user->idtxt, r->user->public_id, sealed,
	    len, code);
}

/* A new key and password; the password sealed under the key's id. */
static int
credentials_new(struct req *r, const char *keyid, char apikey[37],
    char password[64], char **sealedhex)
{
	unsigned char raw[PASSWORD_BYTES], kraw[16];
	unsigned char sealed[64 + SEAL_OVERHEAD];
	char ctx[64];
	size_t n, i, o;
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	if (util_random(kraw, sizeof(kraw)) == -1 ||
	    util_random(raw, sizeof(raw)) == -1)
		return -1;
	memcpy(apikey, "hzm_", 4);
	util_hex(kraw, sizeof(kraw), apikey + 4);
	/* 32 random bytes as 43 base64url characters. */
	for (i = 0, o = 0; i < sizeof(raw); i += 3) {
		unsigned v = (unsigned)raw[i] << 16 |
		    (i + 1 < sizeof(raw) ? (unsigned)raw[i + 1] << 8 : 0) |
		    (i + 2 < sizeof(raw) ? raw[i + 2] : 0);

		password[o++] = b64[v >> 18 & 63];
		password[o++] = b64[v >> 12 & 63];
		if (i + 1 < sizeof(raw))
			password[o++] = b64[v >> 6 & 63];
		if (i + 2 < sizeof(raw))
			password[o++] = b64[v & 63];
	}
	password[o] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	snprintf(ctx, sizeof(ctx), "apikey:%s", keyid);
	if (crypto_seal(ctx, password, o, sealed, sizeof(sealed), &n) == -1 ||
	    (*sealedhex = arena_alloc(r->arena, 2 * n + 3)) == NULL)
		return -1;
	(*sealedhex)[0] = '\\';
	(*sealedhex)[1] = 'x';
	util_hex(sealed, n, *sealedhex + 2);
	return 0;
}

static int
keys_list(struct req *r, struct resp *w)
{
	const char *p[1] = { r->user->idtxt };
	struct json_object *a;
	PGresult *res;
	enum err e;
	int i;

	if ((e = q(r, ST_LIST, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	a = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, key_json(r, res, i));
	return resp_ok(w, 200, a);
}

static int
key_get(struct req *r, struct resp *w)
{
	const char *p[2] = { r->user->idtxt, req_param(r, "keyId") };
	PGresult *res;
	enum err e;

	if ((e = q(r, ST_GET, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (PQntuples(res) != 1)
		return resp_error(w, ERR_NOT_FOUND, "API key not found");
	return resp_ok(w, 200, key_json(r, res, 0));
}

/*
 * A key's scopes: read, trade, withdraw, each at most once, and write,
 * seed 003's name for trading (["read", "write"] in its example): it
 * grants what trade grants and never withdrawals. Its IP
 * allow-list: addresses and CIDR ranges, which PostgreSQL's cidr parser
 * decides on (whitelist_canon).
 */
#define SCOPES_WHY	"must be a non-empty array of read, write, trade, withdraw"
#define IPS_WHY		"entries must be IP addresses or CIDR ranges"
static const char *const scope_names[] = { "read", "write", "trade",
    "withdraw", NULL };
static const struct in_field scope_item = { NULL, IN_STRING, IN_REQUIRED,
    0, 8, .oneof = scope_names, .hint = SCOPES_WHY };
static const struct in_field ip_item = { NULL, IN_STRING, IN_REQUIRED,
    0, 43, .rule = valid_ip_entry, .hint = IPS_WHY };

enum { K_NAME, K_SCOPES, K_EXPIRES, K_IPS, K_CODE };
static const struct in_field generate_fields[] = {
	[K_NAME]	= { "name", IN_TEXT, IN_REQUIRED, 1, 64 },
	[K_SCOPES]	= { "scopes", IN_ARRAY, IN_REQUIRED | IN_DISTINCT, 1, 4,
			    .fields = &scope_item, .hint = SCOPES_WHY,
			    .missing = SCOPES_WHY },
	[K_EXPIRES]	= { "expiresAt", IN_STRING, IN_OPTIONAL, 10, 40 },
	[K_IPS]		= { "ipWhitelist", IN_ARRAY, IN_OPTIONAL, 0, 20,
			    .fields = &ip_item, .hint = "must be an array of at "
			    "most 20 IP addresses or CIDR ranges" },
	[K_CODE]	= { "twoFactorCode", IN_DIGITS, IN_REQUIRED, 6, 6 },
	{ NULL }
};

static const struct in_field regenerate_fields[] = {
	{ "twoFactorCode", IN_DIGITS, IN_REQUIRED, 6, 6 },
	{ NULL }
};

/* A checked array's elements joined by ',', as string_to_array takes them. */
static char *
csv_join(struct req *r, const struct in_val *v)
{
	char *s = "";
	size_t i;

	for (i = 0; i < v->n && s != NULL; i++)
		s = arena_printf(r->arena, "%s%s%s", s, i ? "," : "", v->sub[i].s);
	return s;
}

/* All entries in one round trip, written back in canonical form. */
static int
whitelist_canon(struct req *r, char **list, struct in_err *ie)
{
	const char *p[1] = { *list };
	PGresult *res;

	if (r->in[K_IPS].n == 0)
		return 0;
	if (q(r, ST_CIDR, p, &res) != ERR_OK) {
		ie->field = "ipWhitelist";
		ie->reason = IPS_WHY;
		return -1;
	}
	*list = arena_strdup(r->arena, db_val(res, 0, 0));
	return 0;
}

static int
key_generate(struct req *r, struct resp *w)
{
	const char *name = r->in[K_NAME].s, *expires = r->in[K_EXPIRES].s;
	const char *code = r->in[K_CODE].s, *p[8];
	char keyid[32], apikey[37], password[64], *sealed, *scopes, *ips;
	struct json_object *o;
	struct in_err ie;
	PGresult *res;
	enum err e;

	if ((scopes = csv_join(r, &r->in[K_SCOPES])) == NULL ||
	    (ips = csv_join(r, &r->in[K_IPS])) == NULL)
		return resp_error(w, ERR_INTERNAL, NULL);
	if (whitelist_canon(r, &ips, &ie) == -1)
		return resp_invalid(w, &ie);
	if (expires != NULL) {
		p[0] = expires;
		if (q(r, ST_TIME, p, &res) != ERR_OK ||
		    strcmp(db_val(res, 0, 0), "t") != 0 ||
		    strcmp(db_val(res, 0, 1), "t") != 0) {
			ie.field = "expiresAt";
			ie.reason = "must be an ISO 8601 time in the future";
			return resp_invalid(w, &ie);
		}
	}
	if ((e = db_begin(r->db)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = second_factor(r, w, code)) != ERR_OK) {
		db_rollback(r->db);
		return e == ERR_FORBIDDEN ? 0 : resp_error(w, e, NULL);
	}
	p[0] = r->user->idtxt;
	if ((e = q(r, ST_COUNT, p, &res)) != ERR_OK)
		goto fail;
	if (util_long(db_val(res, 0, 0), 0) >= KEYS_MAX) {
		db_rollback(r->db);
		return resp_error(w, ERR_CONFLICT, "At most 20 active API keys");
	}
	if (util_public_id("key_", keyid, sizeof(keyid)) == -1 ||
	    credentials_new(r, keyid, apikey, password, &sealed) == -1) {
		e = ERR_INTERNAL;
		goto fail;
	}
	p[0] = keyid;
	p[1] = r->user->idtxt;
	p[2] = apikey;
	p[3] = sealed;
	p[4] = name;
	p[5] = scopes;
	p[6] = ips;
	p[7] = expires;
	if ((e = q(r, ST_INSERT, p, &res)) != ERR_OK ||
	    (e = db_commit(r->db)) != ERR_OK)
		goto fail;
	p[0] = r->user->idtxt;
	p[1] = keyid;
	if ((e = q(r, ST_GET, p, &res)) != ERR_OK || PQntuples(res) != 1)
		return resp_error(w, ERR_INTERNAL, NULL);
	o = key_json(r, res, 0);
	credentials_add(o, apikey, password);
	OPENSSL_cleanse(password, sizeof(password));
	return resp_ok(w, 201, o);
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

static int
key_regenerate(struct req *r, struct resp *w)
{
	char apikey[37], password[64], *sealed;
	const char *code = r->in[0].s, *keyid = req_param(r, "keyId"), *p[4];
	struct json_object *o;
	PGresult *res;
	enum err e;

	if ((e = db_begin(r->db)) != ERR_OK)
		return resp_error(w, e, NULL);
	if ((e = second_factor(r, w, code)) != ERR_OK) {
		db_rollback(r->db);
		return e == ERR_FORBIDDEN ? 0 : resp_error(w, e, NULL);
	}
	if (credentials_new(r, keyid, apikey, password, &sealed) == -1) {
		e = ERR_INTERNAL;
		goto fail;
	}
	p[0] = r->user->idtxt;
	p[1] = keyid;
	p[2] = apikey;
	p[3] = sealed;
	if ((e = q(r, ST_REGENERATE, p, &res)) != ERR_OK)
		goto fail;
	if (strcmp(PQcmdTuples(res), "1") != 0) {
		db_rollback(r->db);
		return resp_error(w, ERR_NOT_FOUND, "API key not found or revoked");
	}
	if ((e = db_commit(r->db)) != ERR_OK ||
	    (e = q(r, ST_GET, p, &res)) != ERR_OK)
		goto fail;
	o = key_json(r, res, 0);
	credentials_add(o, apikey, password);
	OPENSSL_cleanse(password, sizeof(password));
	return resp_ok(w, 200, o);
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

static int
key_revoke(struct req *r, struct resp *w)
{
	const char *p[2] = { r->user->idtxt, req_param(r, "keyId") };
	PGresult *res;
	enum err e;

	if (r->json != NULL && json_object_object_length(r->json) > 0) {
		struct in_err ie = { "body", "revoke takes no fields" };

		return resp_invalid(w, &ie);
	}
	if ((e = q(r, ST_REVOKE, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (strcmp(PQcmdTuples(res), "1") != 0)
		return resp_error(w, ERR_NOT_FOUND, "API key not found");
	if ((e = q(r, ST_GET, p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, key_json(r, res, 0));
}

/* ---- the Binance key (seed 000) ---------------------------------------- */

static const char ip_warning[] = "The key is not restricted to IP "
    "addresses: restrict it on Binance to this platform's addresses.";
static const char trade_warning[] = "Spot trading is not enabled for the "
    "key: bots cannot place orders with it until it is.";

static struct json_object *
warning_json(const char *code, const char *message)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "code", json_object_new_string(code));
	json_object_object_add(o, "message", json_object_new_string(message));
	return o;
}

/* Only the last four characters of the key: never the key or the secret. */
static struct json_object *
binance_key_json(struct req *r, const struct binance_key *k)
{
	struct json_object *o = json_object_new_object(), *warn;

	json_object_object_add(o, "id", json_object_new_string(k->id));
	json_object_object_add(o, "exchange", json_object_new_string("BINANCE"));
	json_object_object_add(o, "apiKeyMasked", json_object_new_string(
	    arena_printf(r->arena, "****%s", k->tail)));
	json_object_object_add(o, "isValid", json_object_new_boolean(k->is_valid));
	/* Seed 000's ApiKeyResponse spells these three so: both are sent. */
	json_object_object_add(o, "api_key_masked", json_object_new_string(
	    arena_printf(r->arena, "****%s", k->tail)));
	json_object_object_add(o, "is_valid", json_object_new_boolean(k->is_valid));
	json_object_object_add(o, "created_at", json_str_or_null(k->created_at));
	json_object_object_add(o, "ipRestrict", json_object_new_boolean(k->ip_restrict));
	json_object_object_add(o, "canTrade", json_object_new_boolean(k->can_trade));
	json_object_object_add(o, "permissions", json_csv_array(k->permissions));
	json_object_object_add(o, "createdAt", json_str_or_null(k->created_at));
	json_object_object_add(o, "validatedAt", json_str_or_null(k->validated_at));
	json_object_object_add(o, "invalidReason", json_str_or_null(k->invalid_reason));
	json_object_object_add(o, "invalidatedAt", json_str_or_null(k->invalidated_at));
	warn = json_object_new_array();
	if (!k->ip_restrict)
		json_object_array_add(warn, warning_json("IP_NOT_RESTRICTED",
		    ip_warning));
	if (!k->can_trade)
		json_object_array_add(warn, warning_json("TRADING_NOT_ENABLED",
		    trade_warning));
	json_object_object_add(o, "warnings", warn);
	return o;
}

/* Binance's refusal, its wait, or its absence, as the answer. */
static int
binance_refusal(struct resp *w, enum err e, const struct binance_key_refusal *why)
{
	struct json_object *d;
	char ra[24];

	switch (e) {
	case ERR_INVALID_REQUEST:
		d = json_object_new_object();
		json_object_object_add(d, "field", json_object_new_string(why->field));
		json_object_object_add(d, "reason", json_object_new_string(why->reason));
		if (why->st.code != 0)
			json_object_object_add(d, "binanceCode",
			    json_object_new_int(why->st.code));
		return resp_error_details(w, e, why->reason, d);
	case ERR_RATE_LIMIT_EXCEEDED:
		snprintf(ra, sizeof(ra), "%ld", why->st.retry_after);
		resp_header(w, "Retry-After", arena_strdup(w->arena, ra));
		return resp_error(w, e, "Binance asks to wait before the key can "
		    "be checked; try again after Retry-After seconds");
	case ERR_SYSTEM_003:
		return resp_error(w, e, why->st.code == -1021 ?
		    "Binance refused this server's clock (-1021); the key was "
		    "not saved, try again later" :
		    "Binance did not answer; the key was not saved, try again "
		    "later");
	default:
		return resp_error(w, e, NULL);
	}
}

enum { B_KEY, B_SECRET };
static const struct in_field binance_fields[] = {
	[B_KEY]		= { "api_key", IN_STRING, IN_REQUIRED, 4, BINANCE_KEY_MAX,
			    .rule = valid_alnum },
	[B_SECRET]	= { "secret_key", IN_STRING, IN_REQUIRED, 1, BINANCE_KEY_MAX,
			    .rule = valid_alnum },
	{ NULL }
};
static const struct in_field binance_fields_camel[] = {
	[B_KEY]		= { "apiKey", IN_STRING, IN_REQUIRED, 4, BINANCE_KEY_MAX,
			    .rule = valid_alnum },
	[B_SECRET]	= { "secretKey", IN_STRING, IN_REQUIRED, 1, BINANCE_KEY_MAX,
			    .rule = valid_alnum },
	{ NULL }
};

static int
binance_key_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct binance_key k;
	struct binance_key_refusal why;
	enum err e;

	e = binance_key_save(&c, r->user->idtxt, r->in[B_KEY].s,
	    r->in[B_SECRET].s, &k, &why);
	if (e != ERR_OK)
		return binance_refusal(w, e, &why);
	return resp_ok(w, 201, binance_key_json(r, &k));
}

static int
binance_key_me(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct binance_key k;
	enum err e;

	if ((e = binance_key_get(&c, r->user->idtxt, &k)) == ERR_NOT_FOUND)
		return resp_error(w, e, "No Binance API key saved");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, binance_key_json(r, &k));
}

static int
binance_key_forget(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = binance_key_delete(&c, r->user->idtxt)) == ERR_NOT_FOUND)
		return resp_error(w, e, "No Binance API key saved");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "deleted", json_object_new_boolean(1));
	return resp_ok(w, 200, o);
}

/* A member is present (null counts: the field's own check refuses it). */
static int
has(struct req *r, const char *name)
{
	return r->json != NULL && json_object_object_get_ex(r->json, name, NULL);
}

/* POST /api/v1/api-keys: the body's shape says which kind of key. */
static int
keys_post(struct req *r, struct resp *w)
{
	const struct in_field *fields = generate_fields;
	handler_fn fn = key_generate;
	struct in_err ie;
	enum err e;

	if (has(r, "api_key") || has(r, "secret_key")) {
		fields = binance_fields;
		fn = binance_key_post;
	} else if (has(r, "apiKey") || has(r, "secretKey")) {
		fields = binance_fields_camel;
		fn = binance_key_post;
	}
	if ((e = in_read(r->arena, r->json, fields, r->now.tv_sec, &r->in,
	    &ie)) != ERR_OK)
		return ie.field != NULL ? resp_invalid_code(w, e, &ie) :
		    resp_error(w, e, NULL);
	return fn(r, w);
}

/*
 * Key management takes a user session only (SCOPE_NONE): a key cannot
 * mint keys. The "me" routes come before {keyId}, which never matches them.
 */
static const struct route routes[] = {
	{ "GET",  "/api/v1/api-keys",				keys_list,	AUTH_USER, SCOPE_NONE, RL_PROFILE_GET },
	{ "POST", "/api/v1/api-keys",				keys_post,	AUTH_USER, SCOPE_NONE, RL_AUTH_2FA },
	{ "GET",  "/api/v1/api-keys/me",			binance_key_me,	AUTH_USER, SCOPE_NONE, RL_PROFILE_GET },
	{ "DELETE", "/api/v1/api-keys/me",			binance_key_forget, AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
	{ "POST", "/api/v1/api-keys/generate",			key_generate,	AUTH_USER, SCOPE_NONE, RL_AUTH_2FA,
	    generate_fields },
	{ "GET",  "/api/v1/api-keys/{keyId}",			key_get,	AUTH_USER, SCOPE_NONE, RL_PROFILE_GET },
	{ "POST", "/api/v1/api-keys/{keyId}/regenerate",	key_regenerate,	AUTH_USER, SCOPE_NONE, RL_AUTH_2FA,
	    regenerate_fields },
	{ "POST", "/api/v1/api-keys/{keyId}/revoke",		key_revoke,	AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
};

int
main(void)
{
	static const struct app app = {
		.name = "api_keys",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
