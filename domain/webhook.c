/* domain/webhook.c — a user's webhook endpoints: URL rule, signing secrets (sealed, rotated), Standard Webhooks signatures */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/httpc.h"
#include "core/util.h"
#include "domain/outbox.h"
#include "domain/webhook.h"

#define SECRET_BYTES	24

enum {
	ST_COUNT, ST_INSERT, ST_LIST, ST_DELETE, ST_GET_SEALED, ST_ROTATE,
	ST_SUBSCRIBE, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_COUNT] = { "webhook_count",
	  "SELECT count(*) FROM webhook_endpoints WHERE user_id = $1"
	  " AND deleted_at IS NULL", 1 },
	[ST_INSERT] = { "webhook_insert",
	  "INSERT INTO webhook_endpoints (public_id, user_id, url, events,"
	  " secret_sealed) VALUES ($1, $2, $3, string_to_array($4, ','), $5)", 5 },
	/* $2 NULL: every endpoint of the user. */
	[ST_LIST] = { "webhook_list",
	  "SELECT public_id, url, array_to_string(events, ','),"
	  " " DB_ISO("created_at") ", " DB_ISO("rotated_at") ","
	  " CASE WHEN old_secret_until > now() THEN "
	  DB_ISO("old_secret_until") " END"
	  " FROM webhook_endpoints WHERE user_id = $1 AND deleted_at IS NULL"
	  " AND ($2::text IS NULL OR public_id = $2) ORDER BY id", 2 },
	[ST_DELETE] = { "webhook_delete",
	  "UPDATE webhook_endpoints SET deleted_at = now() WHERE user_id = $1"
	  " AND public_id = $2 AND deleted_at IS NULL", 2 },
	[ST_GET_SEALED] = { "webhook_get_sealed",
	  "SELECT secret_sealed FROM webhook_endpoints WHERE user_id = $1"
	  " AND public_id = $2 AND deleted_at IS NULL FOR UPDATE", 2 },
	[ST_ROTATE] = { "webhook_rotate",
	  "UPDATE webhook_endpoints SET old_secret_sealed = secret_sealed,"
	  " old_secret_until = now() + interval '" WEBHOOK_ROTATE_GRACE "',"
	  " secret_sealed = $3, rotated_at = now()"
	  " WHERE user_id = $1 AND public_id = $2 AND deleted_at IS NULL", 3 },
	/*
	 * The endpoint of a URL takes a type too (none taken: it had it, or
	 * all with '*'); the row is locked, an endpoint is found or not.
	 */
	[ST_SUBSCRIBE] = { "webhook_subscribe",
	  "WITH e AS (SELECT id, events FROM webhook_endpoints"
	  " WHERE user_id = $1 AND url = $2 AND deleted_at IS NULL"
	  " ORDER BY id LIMIT 1 FOR UPDATE),"
	  " u AS (UPDATE webhook_endpoints w SET events = w.events || $3::text"
	  "  FROM e WHERE w.id = e.id AND NOT ($3 = ANY (e.events)"
	  "  OR '*' = ANY (e.events)) AND cardinality(e.events) < 32"
	  "  RETURNING 1)"
	  " SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM u)", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "webhook statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* Whether "host:port" is one of webhook_allow_hosts (comma-separated). */
static int
host_allowed(const char *host, int port)
{
	const char *list = cfg_get("webhook_allow_hosts", ""), *p, *e;
	char want[300];
	size_t n, wl;

	wl = (size_t)snprintf(want, sizeof(want), "%s:%d", host, port);
	for (p = list; *p != '\0'; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		while (p < e && *p == ' ')
			p++;
		n = (size_t)(e - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == wl && strncasecmp(p, want, n) == 0)
			return 1;
	}
	return 0;
}

static enum err
url_parts(CURLU *u, struct webhook_target *t, int *https, char *why,
    size_t whysz)
{
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL;
	enum err e = ERR_INVALID_REQUEST;

	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK) {
		snprintf(why, whysz, "must be an absolute URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		snprintf(why, whysz, "must not carry credentials");
		goto out;
	}
	if (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0) {
		snprintf(why, whysz, "must be an https URL");
		goto out;
	}
	*https = strcmp(scheme, "https") == 0;
	/* IPv6 literals come bracketed; the resolver wants them bare. */
	snprintf(t->host, sizeof(t->host), "%.*s",
	    host[0] == '[' ? (int)strlen(host) - 2 : (int)strlen(host),
	    host[0] == '[' ? host + 1 : host);
	t->port = (int)util_long(port, 0);
	e = t->port > 0 && t->port < 65536 ? ERR_OK : ERR_INVALID_REQUEST;
	if (e != ERR_OK)
		snprintf(why, whysz, "must name a valid port");
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	return e;
}

enum err
webhook_url_check(const char *url, int resolve, struct webhook_target *t,
    char *why, size_t whysz)
{
	CURLU *u;
	enum err e;
	int https = 0;

	memset(t, 0, sizeof(*t));
	if (strlen(url) > 2048 || strpbrk(url, " \t\r\n") != NULL) {
		snprintf(why, whysz, "must be a URL of at most 2048 bytes");
		return ERR_INVALID_REQUEST;
	}
	if ((u = curl_url()) == NULL)
		return ERR_INTERNAL;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		snprintf(why, whysz, "must be an absolute URL");
		e = ERR_INVALID_REQUEST;
	} else
		e = url_parts(u, t, &https, why, whysz);
	curl_url_cleanup(u);
	if (e != ERR_OK)
		return e;
	t->allowed = host_allowed(t->host, t->port);
	if (!https && !t->allowed) {
		snprintf(why, whysz, "must be an https URL");
		return ERR_INVALID_REQUEST;
	}
	if (!resolve)
		return ERR_OK;
	return httpc_resolve(t->host, t->port, t->allowed, t->pin,
	    sizeof(t->pin), why, whysz);
}

enum err
webhook_url_accept(const char *url, char *why, size_t whysz)
{
	struct webhook_target t;
	enum err e = webhook_url_check(url, 1, &t, why, whysz);

	return e == ERR_SERVICE_UNAVAILABLE ? ERR_OK : e;
}

int
webhook_secret_new(char out[WEBHOOK_SECRET_MAX])
{
	unsigned char raw[SECRET_BYTES];

	if (util_random(raw, sizeof(raw)) == -1)
		return -1;
	memcpy(out, "whsec_", 6);
	EVP_EncodeBlock((unsigned char *)out + 6, raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

static char *
secret_seal(struct ctx *c, const char *id, const char *secret)
{
	unsigned char sealed[WEBHOOK_SECRET_MAX + SEAL_OVERHEAD];
	char context[64];
	size_t n;

	snprintf(context, sizeof(context), "webhook:%s", id);
	if (crypto_seal(context, secret, strlen(secret), sealed, sizeof(sealed),
	    &n) == -1)
		return NULL;
	return db_bytea_param(c->arena, sealed, n);
}

int
webhook_secret_open(struct ctx *c, const char *id, const char *sealed_hex,
    char out[WEBHOOK_SECRET_MAX])
{
	unsigned char *sealed;
	char context[64];
	size_t len, n;

	snprintf(context, sizeof(context), "webhook:%s", id);
	if ((sealed = db_bytea(c->arena, sealed_hex, &len)) == NULL ||
	    crypto_open(context, sealed, len, out, WEBHOOK_SECRET_MAX - 1,
	    &n) == -1)
		return -1;
	out[n] = '\0';
	return 0;
}

int
webhook_sign(const char *secret, const char *msg_id, const char *ts,
    const char *body, size_t len, char out[WEBHOOK_SIG_MAX])
{
	unsigned char key[64], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	size_t slen, il = strlen(msg_id), tl = strlen(ts);
	char *m = NULL;
	int klen, rc = -1;

	if (strncmp(secret, "whsec_", 6) != 0 ||
	    (slen = strlen(secret + 6)) < 4 || slen > 84 || slen % 4 != 0)
		return -1;
	if ((klen = EVP_DecodeBlock(key, (const unsigned char *)secret + 6,
	    (int)slen)) <= 0)
		return -1;
	/* EVP_DecodeBlock counts the padding's zero bytes. */
	klen -= (secret[6 + slen - 1] == '=') + (secret[6 + slen - 2] == '=');
	/* The signed content: id "." timestamp "." body. */
	if ((m = malloc(il + tl + len + 2)) == NULL)
		goto out;
	memcpy(m, msg_id, il);
	m[il] = '.';
	memcpy(m + il + 1, ts, tl);
	m[il + 1 + tl] = '.';
	memcpy(m + il + tl + 2, body, len);
	if (HMAC(EVP_sha256(), key, klen, (unsigned char *)m, il + tl + len + 2,
	    mac, &maclen) != NULL && maclen == 32) {
		memcpy(out, "v1,", 3);
		EVP_EncodeBlock((unsigned char *)out + 3, mac, (int)maclen);
		rc = 0;
	}
out:
	free(m);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

enum err
webhook_create(struct ctx *c, const char *url, const char *events,
    char id[WEBHOOK_ID_LEN + 1], char secret[WEBHOOK_SECRET_MAX])
{
	const char *p[5];
	PGresult *res;
	char *sealed;
	enum err e;

	p[0] = c->actor->idtxt;
	if ((e = q(c, ST_COUNT, p, &res)) != ERR_OK)
		return e;
	if (util_long(db_val(res, 0, 0), 0) >= WEBHOOKS_MAX)
		return ERR_CONFLICT;
	if (util_public_id("whk_", id, WEBHOOK_ID_LEN + 1) == -1 ||
	    webhook_secret_new(secret) == -1 ||
	    (sealed = secret_seal(c, id, secret)) == NULL)
		return ERR_INTERNAL;
	p[0] = id;
	p[1] = c->actor->idtxt;
	p[2] = url;
	p[3] = events;
	p[4] = sealed;
	return q(c, ST_INSERT, p, &res);
}

enum err
webhook_ensure(struct ctx *c, const char *url, const char *type,
    char id[WEBHOOK_ID_LEN + 1], char secret[WEBHOOK_SECRET_MAX])
{
	const char *p[3] = { c->actor->idtxt, url, type };
	PGresult *res;
	enum err e;

	id[0] = '\0';
	if ((e = q(c, ST_SUBSCRIBE, p, &res)) != ERR_OK)
		return e;
	if (util_long(db_val(res, 0, 0), 0) > 0)
		return ERR_OK;
	return webhook_create(c, url, type, id, secret);
}

enum err
webhook_list(struct ctx *c, const char *id, PGresult **res)
{
	const char *p[2] = { c->actor->idtxt, id };

	return q(c, ST_LIST, p, res);
}

enum err
webhook_delete(struct ctx *c, const char *id)
{
	const char *p[2] = { c->actor->idtxt, id };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_DELETE, p, &res)) != ERR_OK)
		return e;
	return strcmp(PQcmdTuples(res), "1") == 0 ? ERR_OK : ERR_NOT_FOUND;
}

enum err
webhook_rotate(struct ctx *c, const char *id, char secret[WEBHOOK_SECRET_MAX])
{
	const char *p[3] = { c->actor->idtxt, id, NULL };
	PGresult *res;
	enum err e;

	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_GET_SEALED, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	if (webhook_secret_new(secret) == -1 ||
	    (p[2] = secret_seal(c, id, secret)) == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	if ((e = q(c, ST_ROTATE, p, &res)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	OPENSSL_cleanse(secret, WEBHOOK_SECRET_MAX);
	return e;
}

enum err
webhook_test(struct ctx *c, const char *id, char evt[32])
{
	struct json_object *o;
	PGresult *res;
	enum err e;

	if ((e = webhook_list(c, id, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	o = json_own(c->arena, json_object_new_object());
	json_object_object_add(o, "webhookId", json_object_new_string(id));
	json_object_object_add(o, "message", json_object_new_string(
	    "This is a test event from hzm."));
	return outbox_put(c->db, c->arena, c->actor->idtxt, "webhook.test", o,
	    evt);
}
