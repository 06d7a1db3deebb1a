/* domain/jsonrpc.c — JSON-RPC over core/httpc to a node of the operator's: one call, replies parsed strictly, the node's failures named */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/http.h"
#include "core/httpc.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/jsonrpc.h"

#define RPC_JSON_DEPTH		16

void
rpc_fail(struct chain_status *st, enum chain_fail f)
{
	st->fail = f;
}

/* The node's message, one printable line. */
static void
message_copy(struct chain_status *st, const char *m)
{
	size_t i;

	for (i = 0; m != NULL && m[i] != '\0' && i < sizeof(st->message) - 1; i++)
		st->message[i] = (unsigned char)m[i] < 0x20 || m[i] == 0x7f ?
		    '?' : m[i];
	st->message[i] = '\0';
}

int
rpc_hex64(const char *s)
{
	size_t i;

	for (i = 0; i < CHAIN_HASH_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

enum err
rpc_reply_parse(struct arena *a, const char *body, size_t len, const char *id,
    struct json_object **result, struct chain_status *st)
{
	struct json_tokener *tok;
	struct json_object *j, *err, *code, *msg, *jid;
	size_t end;

	*result = NULL;
	memset(st, 0, sizeof(*st));
	rpc_fail(st, CHAIN_MALFORMED);
	if (body == NULL || len == 0 || len > INT_MAX ||
	    (tok = json_tokener_new_ex(RPC_JSON_DEPTH)) == NULL)
		return body == NULL || len == 0 || len > INT_MAX ?
		    ERR_SYSTEM_003 : ERR_INTERNAL;
	j = json_tokener_parse_ex(tok, body, (int)len);
	end = json_tokener_get_error(tok) == json_tokener_success ?
	    json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	if (j == NULL)
		return ERR_SYSTEM_003;
	if (json_own(a, j) == NULL)
		return ERR_INTERNAL;
	/* A node may end its answer with a newline; nothing else may follow. */
	for (; end < len; end++)
		if (body[end] != ' ' && body[end] != '\n' && body[end] != '\r' &&
		    body[end] != '\t')
			return ERR_SYSTEM_003;
	if (!json_object_is_type(j, json_type_object))
		return ERR_SYSTEM_003;
	/* 1.0 answers carry "error": null; 2.0 answers only one of the two. */
	if (json_object_object_get_ex(j, "error", &err) && err != NULL) {
		if (!json_object_is_type(err, json_type_object) ||
		    !json_object_object_get_ex(err, "code", &code) ||
		    !json_object_is_type(code, json_type_int) ||
		    !json_object_object_get_ex(err, "message", &msg) ||
		    !json_object_is_type(msg, json_type_string))
			return ERR_SYSTEM_003;
		rpc_fail(st, CHAIN_RPC);
		st->code = (long)json_object_get_int64(code);
		message_copy(st, json_object_get_string(msg));
		return ERR_SYSTEM_003;
	}
	if (!json_object_object_get_ex(j, "result", result) ||
	    !json_object_object_get_ex(j, "id", &jid) ||
	    !json_object_is_type(jid, json_type_string) ||
	    strcmp(json_object_get_string(jid), id) != 0) {
		*result = NULL;
		return ERR_SYSTEM_003;
	}
	rpc_fail(st, CHAIN_OK);
	return ERR_OK;
}

int
rpc_int_field(struct json_object *o, const char *name, long lo, long hi, long *out)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	n = json_object_get_int64(v);
	if (n < lo || n > hi)
		return -1;
	*out = (long)n;
	return 0;
}

const char *
rpc_str_field(struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The URL as logged: never a query string (nor, refused earlier, credentials). */
static int
url_loglen(const char *url)
{
	return (int)strcspn(url, "?#");
}

static int
url_has_userinfo(const char *url)
{
	const char *h = strstr(url, "://");
	size_t n;

	if (h == NULL)
		return 0;
	h += 3;
	n = strcspn(h, "/?#");
	return memchr(h, '@', n) != NULL;
}

/* "Authorization: Basic base64(user:password)" in the arena, or NULL. */
static char *
basic_auth(struct arena *a, const char *user, const char *pw)
{
	static const char pre[] = "Authorization: Basic ";
	size_t ul = strlen(user), pl = strlen(pw), n = ul + 1 + pl;
	unsigned char *raw;
	char *h;

	if (n > 1024 || (raw = arena_alloc(a, n)) == NULL ||
	    (h = arena_alloc(a, sizeof(pre) + 4 * ((n + 2) / 3) + 1)) == NULL)
		return NULL;
	memcpy(raw, user, ul);
	raw[ul] = ':';
	memcpy(raw + ul + 1, pw, pl);
	memcpy(h, pre, sizeof(pre) - 1);
	EVP_EncodeBlock((unsigned char *)h + sizeof(pre) - 1, raw, (int)n);
	OPENSSL_cleanse(raw, n);
	return h;
}

/* What httpc and the HTTP status say of an exchange: ERR_OK when a reply is there to parse. */
/* The setting the call's credentials came from: the user, or else the cookie file. */
static const char *
credentials_key(const struct rpc_node *n)
{
	return cfg_get(n->user_key, "")[0] != '\0' || n->cookie_key == NULL ?
	    n->user_key : n->cookie_key;
}

static enum err
transport_check(const struct rpc_node *n, const char *method, const char *url,
    enum err e, const struct httpc_resp *rp, struct chain_status *st)
{
	switch (e) {
	case ERR_OK:
		break;
	case ERR_SERVICE_UNAVAILABLE:
		rpc_fail(st, CHAIN_DOWN);
		log_error("%s: %s: no answer from %.*s (%s)", n->name, method,
		    url_loglen(url), url, rp->error);
		return ERR_SYSTEM_003;
	case ERR_FORBIDDEN:
		rpc_fail(st, CHAIN_UNCONFIGURED);
		log_error("%s: %s: %.*s refused (%s)", n->name, method,
		    url_loglen(url), url, rp->error);
		return ERR_SYSTEM_003;
	case ERR_PAYLOAD_TOO_LARGE:
		rpc_fail(st, CHAIN_MALFORMED);
		log_error("%s: %s: %s (%s)", n->name, method, rp->error,
		    n->max_key);
		return ERR_SYSTEM_003;
	default:
		return ERR_INTERNAL;
	}
	if (rp->status == 401 || rp->status == 403) {
		rpc_fail(st, CHAIN_AUTH);
		log_error("%s: %s: the node refused the credentials of %s "
		    "(HTTP %ld)", n->name, method, credentials_key(n), rp->status);
		return ERR_SYSTEM_003;
	}
	if (rp->status == 503) {
		/* Busy (Core's "Work queue depth exceeded"), or a proxy's 503. */
		rpc_fail(st, CHAIN_DOWN);
		log_error("%s: %s: node busy (HTTP 503)", n->name, method);
		return ERR_SYSTEM_003;
	}
	return ERR_OK;
}

/*
 * The credentials in the node's cookie file ("__cookie__:<hex>", one
 * line), as "Authorization: Basic ..."; NULL with no file set, or when
 * it cannot be read (the node then answers 401, which the log tells).
 */
static char *
cookie_auth(struct ctx *c, const struct rpc_node *n)
{
	const char *path = n->cookie_key != NULL ? cfg_get(n->cookie_key, "") : "";
	char line[512], *colon, *auth = NULL;
	size_t len;
	FILE *f;

	if (path[0] == '\0')
		return NULL;
	if ((f = fopen(path, "r")) == NULL) {
		log_error("%s: cannot read the cookie file %s (%s)", n->name,
		    n->cookie_key, path);
		return NULL;
	}
	if (fgets(line, sizeof(line), f) != NULL) {
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if ((colon = strchr(line, ':')) != NULL && colon != line) {
			*colon = '\0';
			auth = basic_auth(c->arena, line, colon + 1);
		}
	}
	fclose(f);
	OPENSSL_cleanse(line, sizeof(line));
	return auth;
}

enum err
rpc_call(struct ctx *c, const struct rpc_node *n, const char *method,
    struct json_object *params, long timeout_ms, struct json_object **result, struct chain_status *st)
{
	static unsigned long seq;
	const char *url = cfg_get(n->url_key, "");
	const char *user = cfg_get(n->user_key, "");
	const char *hdrs[3] = { "Content-Type: application/json", NULL, NULL };
	struct json_object *req;
	struct httpc_req q;
	struct httpc_resp r;
	char *auth = NULL, *id;
	enum err e;

	*result = NULL;
	memset(st, 0, sizeof(*st));
	if (url[0] == '\0' || url_has_userinfo(url)) {
		rpc_fail(st, CHAIN_UNCONFIGURED);
		if (url[0] == '\0')
			log_error("%s: %s: no node configured (%s)", n->name,
			    method, n->url_key);
		else
			log_error("%s: %s: %s must not carry credentials; set %s "
			    "and %s", n->name, method, n->url_key, n->user_key,
			    n->password_key);
		return ERR_SYSTEM_003;
	}
	if ((id = arena_printf(c->arena, "hzm-%ld-%lu", (long)getpid(),
	    ++seq)) == NULL ||
	    (req = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(req, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(req, "id", json_object_new_string(id));
	json_object_object_add(req, "method", json_object_new_string(method));
	json_object_object_add(req, "params", params != NULL ?
	    json_object_get(params) : json_object_new_array());
	if (user[0] != '\0') {
		if ((auth = basic_auth(c->arena, user,
		    cfg_get(n->password_key, ""))) == NULL)
			return ERR_INTERNAL;
		hdrs[1] = auth;
	} else if ((auth = cookie_auth(c, n)) != NULL)
		hdrs[1] = auth;
	memset(&q, 0, sizeof(q));
	q.method = "POST";
	q.url = url;
	q.headers = hdrs;
	q.body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	q.bodylen = strlen(q.body);
	q.timeout_ms = timeout_ms;
	q.max_response = (size_t)cfg_int(n->max_key,
	    (long long)n->max_default);
	/* The node is the operator's, on a private address more often than not. */
	q.operator_url = 1;
	e = httpc_do(c->arena, &q, &r);
	if (auth != NULL)
		OPENSSL_cleanse(auth, strlen(auth));
	if ((e = transport_check(n, method, url, e, &r, st)) != ERR_OK)
		return e;
	if ((e = rpc_reply_parse(c->arena, r.body, r.bodylen, id, result,
	    st)) == ERR_OK)
		return ERR_OK;
	if (st->fail == CHAIN_RPC && n->warmup_code != 0 &&
	    st->code == n->warmup_code)
		rpc_fail(st, CHAIN_DOWN);
	if (st->fail == CHAIN_RPC || st->fail == CHAIN_DOWN)
		log_error("%s: %s: node error %ld: %s", n->name, method,
		    st->code, st->message);
	else if (e == ERR_SYSTEM_003)
		log_error("%s: %s: not a JSON-RPC answer (HTTP %ld, %zu "
		    "bytes)", n->name, method, r.status, r.bodylen);
	return e;
}

