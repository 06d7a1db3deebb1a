/* domain/btc_rpc.c — the Bitcoin node adapter: Bitcoin Core's JSON-RPC over core/httpc, answers parsed exactly */
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
#include "core/decimal.h"
#include "core/http.h"
#include "core/httpc.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/btc_addr.h"
#include "domain/btc_rpc.h"

#define RPC_JSON_DEPTH		16
#define RPC_IN_WARMUP		(-28)	/* Core is loading: as good as down */
#define CONFIRMATIONS_MAX	100000000L

static void
fail_set(struct chain_status *st, enum chain_fail f)
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

static int
hex64(const char *s)
{
	size_t i;

	for (i = 0; i < CHAIN_HASH_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

int
btc_amount(struct json_object *o, int64_t *sats)
{
	const char *s;

	if (o == NULL || !(json_object_is_type(o, json_type_double) ||
	    json_object_is_type(o, json_type_int)))
		return -1;
	/* json-c keeps a parsed number's text: no float on the way. */
	if ((s = json_object_get_string(o)) == NULL)
		return -1;
	return dec_parse_flags(s, strlen(s), BTC_SCALE, DEC_NEG_OK, sats) ==
	    DEC_OK ? 0 : -1;
}

enum err
btc_reply_parse(struct arena *a, const char *body, size_t len, const char *id,
    struct json_object **result, struct chain_status *st)
{
	struct json_tokener *tok;
	struct json_object *j, *err, *code, *msg, *jid;
	size_t end;

	*result = NULL;
	memset(st, 0, sizeof(*st));
	fail_set(st, CHAIN_MALFORMED);
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
	/* Core ends its answer with a newline; nothing else may follow. */
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
		fail_set(st, CHAIN_RPC);
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
	fail_set(st, CHAIN_OK);
	return ERR_OK;
}

static int
int_field(struct json_object *o, const char *name, long lo, long hi, long *out)
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

static const char *
str_field(struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* 1: a receive to t, 0: another kind of entry, -1: malformed. */
static int
transfer_parse(struct json_object *e, struct chain_transfer *t)
{
	struct json_object *v;
	const char *s;
	int64_t sats;
	size_t i;

	if (!json_object_is_type(e, json_type_object) ||
	    (s = str_field(e, "category")) == NULL)
		return -1;
	/* Sends, change, mined coins: never a deposit. */
	if (strcmp(s, "receive") != 0)
		return 0;
	/* An output without an address (a bare script) cannot be ours. */
	if (!json_object_object_get_ex(e, "address", &v))
		return 0;
	if ((s = str_field(e, "address")) == NULL || s[0] == '\0' ||
	    strlen(s) > CHAIN_ADDR_MAX)
		return -1;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z')))
			return -1;
	memcpy(t->address, s, i + 1);
	if ((s = str_field(e, "txid")) == NULL || !hex64(s))
		return -1;
	memcpy(t->txid, s, CHAIN_HASH_LEN + 1);
	if (int_field(e, "vout", 0, INT32_MAX, &t->vout) == -1 ||
	    int_field(e, "confirmations", -CONFIRMATIONS_MAX, CONFIRMATIONS_MAX,
	    &t->confirmations) == -1)
		return -1;
	if (!json_object_object_get_ex(e, "amount", &v) ||
	    btc_amount(v, &sats) == -1 || sats <= 0 ||
	    dec_format(sats, BTC_SCALE, t->amount, sizeof(t->amount)) < 0)
		return -1;
	t->block[0] = '\0';
	t->height = -1;
	if (json_object_object_get_ex(e, "blockhash", &v)) {
		if ((s = str_field(e, "blockhash")) == NULL || !hex64(s) ||
		    int_field(e, "blockheight", 0, INT32_MAX, &t->height) == -1)
			return -1;
		memcpy(t->block, s, CHAIN_HASH_LEN + 1);
	}
	return 1;
}

static int
transfers_parse(struct arena *a, struct json_object *arr,
    struct chain_transfer **out, size_t *n)
{
	size_t len, i;
	int rc;

	*out = NULL;
	*n = 0;
	if (!json_object_is_type(arr, json_type_array))
		return -1;
	if ((len = json_object_array_length(arr)) == 0)
		return 0;
	if ((*out = arena_calloc(a, len, sizeof(**out))) == NULL)
		return -2;
	for (i = 0; i < len; i++) {
		rc = transfer_parse(json_object_array_get_idx(arr, i), &(*out)[*n]);
		if (rc == -1)
			return -1;
		*n += (size_t)rc;
	}
	return 0;
}

enum err
btc_since_parse(struct arena *a, struct json_object *res, struct chain_since *s,
    struct chain_status *st)
{
	struct json_object *v;
	const char *last;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(st, 0, sizeof(*st));
	fail_set(st, CHAIN_MALFORMED);
	if (res == NULL || !json_object_is_type(res, json_type_object) ||
	    (last = str_field(res, "lastblock")) == NULL || !hex64(last) ||
	    !json_object_object_get_ex(res, "transactions", &v))
		return ERR_SYSTEM_003;
	memcpy(s->next, last, CHAIN_HASH_LEN + 1);
	if ((rc = transfers_parse(a, v, &s->transfers, &s->ntransfers)) != 0)
		return rc == -2 ? ERR_INTERNAL : ERR_SYSTEM_003;
	/* Only asked for with include_removed; absent means none. */
	if (json_object_object_get_ex(res, "removed", &v) &&
	    (rc = transfers_parse(a, v, &s->removed, &s->nremoved)) != 0)
		return rc == -2 ? ERR_INTERNAL : ERR_SYSTEM_003;
	fail_set(st, CHAIN_OK);
	return ERR_OK;
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

enum err
btc_call(struct ctx *c, const char *method, struct json_object *params,
    long timeout_ms, struct json_object **result, struct chain_status *st)
{
	static unsigned long seq;
	const char *url = cfg_get("btc_rpc_url", "");
	const char *user = cfg_get("btc_rpc_user", "");
	const char *hdrs[3] = { "Content-Type: application/json", NULL, NULL };
	struct json_object *req;
	struct httpc_req q;
	struct httpc_resp r;
	char *auth = NULL, *id;
	enum err e;

	*result = NULL;
	memset(st, 0, sizeof(*st));
	if (url[0] == '\0' || url_has_userinfo(url)) {
		fail_set(st, CHAIN_UNCONFIGURED);
		log_error("btc: %s: %s", method, url[0] == '\0' ?
		    "no node configured (btc_rpc_url)" :
		    "btc_rpc_url must not carry credentials; set btc_rpc_user "
		    "and btc_rpc_password");
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
		    cfg_get("btc_rpc_password", ""))) == NULL)
			return ERR_INTERNAL;
		hdrs[1] = auth;
	}
	memset(&q, 0, sizeof(q));
	q.method = "POST";
	q.url = url;
	q.headers = hdrs;
	q.body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	q.bodylen = strlen(q.body);
	q.timeout_ms = timeout_ms;
	q.max_response = (size_t)cfg_int("btc_rpc_max_bytes", BTC_MAX_RESPONSE);
	/* The node is the operator's, on a private address more often than not. */
	q.operator_url = 1;
	e = httpc_do(c->arena, &q, &r);
	if (auth != NULL)
		OPENSSL_cleanse(auth, strlen(auth));
	switch (e) {
	case ERR_OK:
		break;
	case ERR_SERVICE_UNAVAILABLE:
		fail_set(st, CHAIN_DOWN);
		log_error("btc: %s: no answer from %.*s (%s)", method,
		    url_loglen(url), url, r.error);
		return ERR_SYSTEM_003;
	case ERR_FORBIDDEN:
		fail_set(st, CHAIN_UNCONFIGURED);
		log_error("btc: %s: %.*s refused (%s)", method, url_loglen(url),
		    url, r.error);
		return ERR_SYSTEM_003;
	case ERR_PAYLOAD_TOO_LARGE:
		fail_set(st, CHAIN_MALFORMED);
		log_error("btc: %s: %s (btc_rpc_max_bytes)", method, r.error);
		return ERR_SYSTEM_003;
	default:
		return ERR_INTERNAL;
	}
	if (r.status == 401 || r.status == 403) {
		fail_set(st, CHAIN_AUTH);
		log_error("btc: %s: the node refused the credentials of "
		    "btc_rpc_user (HTTP %ld)", method, r.status);
		return ERR_SYSTEM_003;
	}
	if (r.status == 503) {
		/* Core's "Work queue depth exceeded". */
		fail_set(st, CHAIN_DOWN);
		log_error("btc: %s: node busy (HTTP 503)", method);
		return ERR_SYSTEM_003;
	}
	if ((e = btc_reply_parse(c->arena, r.body, r.bodylen, id, result,
	    st)) == ERR_OK)
		return ERR_OK;
	if (st->fail == CHAIN_RPC && st->code == RPC_IN_WARMUP)
		fail_set(st, CHAIN_DOWN);
	if (st->fail == CHAIN_RPC || st->fail == CHAIN_DOWN)
		log_error("btc: %s: node error %ld: %s", method, st->code,
		    st->message);
	else if (e == ERR_SYSTEM_003)
		log_error("btc: %s: not a JSON-RPC answer (HTTP %ld, %zu bytes)",
		    method, r.status, r.bodylen);
	return e;
}

enum err
btc_new_address(struct ctx *c, const char *label, char *addr, size_t addrsz,
    struct chain_status *st)
{
	const char *chain = cfg_get("btc_chain", "main"), *s;
	struct json_object *params, *res;
	enum btc_addr_kind k;
	enum err e;

	if ((params = json_own(c->arena, json_object_new_array())) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(params, json_object_new_string(label));
	json_object_array_add(params, json_object_new_string("bech32"));
	if ((e = btc_call(c, "getnewaddress", params,
	    (long)cfg_int("btc_rpc_timeout_ms", BTC_TIMEOUT_MS), &res,
	    st)) != ERR_OK)
		return e;
	if (!json_object_is_type(res, json_type_string) ||
	    strlen(s = json_object_get_string(res)) >= addrsz ||
	    ((k = btc_addr_check(chain, s)) != BTC_ADDR_P2WPKH &&
	    k != BTC_ADDR_P2WSH && k != BTC_ADDR_P2TR)) {
		/* A node of another chain would hand out addresses users lose coins to. */
		fail_set(st, CHAIN_MALFORMED);
		log_error("btc: getnewaddress: the node's answer is not a segwit "
		    "address of chain %s (btc_chain)", chain);
		return ERR_SYSTEM_003;
	}
	memcpy(addr, s, strlen(s) + 1);
	return ERR_OK;
}

enum err
btc_since(struct ctx *c, const char *block, int target, struct chain_since *s,
    struct chain_status *st)
{
	struct json_object *params, *res;
	enum err e;

	if ((params = json_own(c->arena, json_object_new_array())) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(params, json_object_new_string(block != NULL ?
	    block : ""));
	json_object_array_add(params, json_object_new_int(target));
	json_object_array_add(params, json_object_new_boolean(1));
	json_object_array_add(params, json_object_new_boolean(1));
	if ((e = btc_call(c, "listsinceblock", params,
	    (long)cfg_int("btc_rpc_scan_timeout_ms", BTC_SCAN_TIMEOUT_MS), &res,
	    st)) != ERR_OK)
		return e;
	if ((e = btc_since_parse(c->arena, res, s, st)) == ERR_SYSTEM_003)
		log_error("btc: listsinceblock: an answer of another shape");
	return e;
}
