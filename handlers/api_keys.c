/* handlers/api_keys.c — /api/v1/api-keys: a user's platform API keys (seed 003) */
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

#define KEYS_MAX	20
#define PASSWORD_BYTES	32

static const char warning[] = "Store these credentials securely. The API "
    "password will not be shown again; it signs your requests.";

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

/* scopes: a non-empty array of distinct read/trade/withdraw. */
static int
scopes_read(struct req *r, char *out, size_t sz, struct in_err *ie)
{
	struct json_object *a, *v;
	size_t i, n, len = 0;
	int seen = 0, bit;
	const char *s;

	(void)r;
	ie->field = "scopes";
	if (!json_object_object_get_ex(r->json, "scopes", &a) ||
	    !json_object_is_type(a, json_type_array) ||
	    (n = json_object_array_length(a)) == 0 || n > 3) {
		ie->reason = "must be a non-empty array of read, trade, withdraw";
		return -1;
	}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(a, i);
		s = json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : "";
		bit = strcmp(s, "read") == 0 ? 1 : strcmp(s, "trade") == 0 ? 2 :
		    strcmp(s, "withdraw") == 0 ? 4 : 0;
		if (bit == 0 || (seen & bit)) {
			ie->reason = "must be a non-empty array of read, trade, withdraw";
			return -1;
		}
		seen |= bit;
		len += (size_t)snprintf(out + len, sz - len, "%s%s", len ? "," : "", s);
	}
	return 0;
}

static int
whitelist_read(struct req *r, char **out, struct in_err *ie)
{
	struct json_object *a, *v;
	const char *p[1];
	PGresult *res;
	size_t i, n;
	char *list = "";

	*out = list;
	ie->field = "ipWhitelist";
	if (!json_object_object_get_ex(r->json, "ipWhitelist", &a) ||
	    json_object_is_type(a, json_type_null))
		return 0;
	if (!json_object_is_type(a, json_type_array) ||
	    (n = json_object_array_length(a)) > 20) {
		ie->reason = "must be an array of at most 20 IP addresses or CIDR ranges";
		return -1;
	}
	for (i = 0; i < n; i++) {
		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) > 43 ||
		    valid_ip_entry(json_object_get_string(v), 0, NULL) != NULL) {
			ie->reason = "entries must be IP addresses or CIDR ranges";
			return -1;
		}
		list = arena_printf(r->arena, "%s%s%s", list, i ? "," : "",
		    json_object_get_string(v));
	}
	/* All entries in one round trip, written back in canonical form. */
	if (n > 0) {
		p[0] = list;
		if (q(r, ST_CIDR, p, &res) != ERR_OK) {
			ie->reason = "entries must be IP addresses or CIDR ranges";
			return -1;
		}
		list = arena_strdup(r->arena, db_val(res, 0, 0));
	}
	*out = list;
	return 0;
}

static int
key_generate(struct req *r, struct resp *w)
{
	static const char *const fields[] = { "name", "scopes", "expiresAt",
	    "ipWhitelist", "twoFactorCode", NULL };
	char scopes[32], keyid[32], apikey[37], password[64], *sealed, *ips;
	const char *name, *expires, *code, *p[8];
	struct json_object *o;
	struct in_err ie;
	PGresult *res;
	enum err e;

	if (in_only(r->json, fields, &ie) == -1 ||
	    in_text(r->json, "name", IN_REQUIRED, 1, 64, &name, &ie) == -1 ||
	    scopes_read(r, scopes, sizeof(scopes), &ie) == -1 ||
	    in_string(r->json, "expiresAt", IN_OPTIONAL, 10, 40, &expires, &ie) == -1 ||
	    whitelist_read(r, &ips, &ie) == -1 ||
	    in_digits(r->json, "twoFactorCode", IN_REQUIRED, 6, &code, &ie) == -1)
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
	json_object_object_add(o, "apiKey", json_object_new_string(apikey));
	json_object_object_add(o, "apiPassword", json_object_new_string(password));
	json_object_object_add(o, "message", json_object_new_string(warning));
	OPENSSL_cleanse(password, sizeof(password));
	return resp_ok(w, 201, o);
fail:
	db_rollback(r->db);
	return resp_error(w, e, NULL);
}

static int
key_regenerate(struct req *r, struct resp *w)
{
	static const char *const fields[] = { "twoFactorCode", NULL };
	char apikey[37], password[64], *sealed;
	const char *code, *keyid = req_param(r, "keyId"), *p[4];
	struct json_object *o;
	struct in_err ie;
	PGresult *res;
	enum err e;

	if (in_only(r->json, fields, &ie) == -1 ||
	    in_digits(r->json, "twoFactorCode", IN_REQUIRED, 6, &code, &ie) == -1)
		return resp_invalid(w, &ie);
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
	json_object_object_add(o, "apiKey", json_object_new_string(apikey));
	json_object_object_add(o, "apiPassword", json_object_new_string(password));
	json_object_object_add(o, "message", json_object_new_string(warning));
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

/* Key management takes a user session only (SCOPE_NONE): a key cannot mint keys. */
static const struct route routes[] = {
	{ "GET",  "/api/v1/api-keys",				keys_list,	AUTH_USER, SCOPE_NONE, RL_PROFILE_GET },
	{ "POST", "/api/v1/api-keys/generate",			key_generate,	AUTH_USER, SCOPE_NONE, RL_AUTH_2FA },
	{ "GET",  "/api/v1/api-keys/{keyId}",			key_get,	AUTH_USER, SCOPE_NONE, RL_PROFILE_GET },
	{ "POST", "/api/v1/api-keys/{keyId}/regenerate",	key_regenerate,	AUTH_USER, SCOPE_NONE, RL_AUTH_2FA },
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
	};

	return app_run(&app);
}
