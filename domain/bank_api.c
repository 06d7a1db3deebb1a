/* domain/bank_api.c — the bank's payout API over core/httpc: a payout sent under an idempotency key, looked up by it */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/http.h"
#include "core/httpc.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/bank_api.h"

#define BANK_JSON_DEPTH		8

static void
uncertain(struct bank_payout *out, const char *why)
{
	out->outcome = BANK_UNCERTAIN;
	snprintf(out->error, sizeof(out->error), "%s", why);
}

static int
id_valid(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' || s[i] == '_' ||
		    s[i] == ':' || s[i] == '-'))
			return 0;
	return i >= 1 && i <= max;
}

/* A printable one-line copy of the bank's reason. */
static void
reason_copy(struct bank_payout *out, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < BANK_REASON_MAX; i++)
		out->reason[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ?
		    '?' : s[i];
	out->reason[i] = '\0';
}

static const char *
str_member(struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	/* A NUL inside is not the string it claims to be. */
	if (strlen(json_object_get_string(v)) !=
	    (size_t)json_object_get_string_len(v))
		return NULL;
	return json_object_get_string(v);
}

int
bank_payout_parse(const char *body, size_t len, const char *key,
    struct bank_payout *out)
{
	struct json_tokener *tok;
	struct json_object *j = NULL, *v;
	const char *id, *k, *st, *reason;
	size_t end;
	int rc = -1;

	out->payout_id[0] = out->reason[0] = '\0';
	if (body == NULL || len == 0 || len > INT_MAX) {
		uncertain(out, "empty answer");
		return -1;
	}
	if ((tok = json_tokener_new_ex(BANK_JSON_DEPTH)) == NULL) {
		uncertain(out, "out of memory");
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	j = json_tokener_parse_ex(tok, body, (int)len);
	end = json_tokener_get_error(tok) == json_tokener_success ?
	    json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	if (j == NULL || !json_object_is_type(j, json_type_object)) {
		uncertain(out, "the answer is not a JSON object");
		goto out;
	}
	for (; end < len; end++)
		if (body[end] != ' ' && body[end] != '\n' && body[end] != '\r' &&
		    body[end] != '\t') {
			uncertain(out, "data after the answer's JSON");
			goto out;
		}
	id = str_member(j, "payoutId");
	k = str_member(j, "idempotencyKey");
	st = str_member(j, "status");
	if (id == NULL || !id_valid(id, BANK_ID_MAX)) {
		uncertain(out, "no valid payoutId in the answer");
		goto out;
	}
	if (k == NULL || strcmp(k, key) != 0) {
		uncertain(out, "the answer is for another idempotency key");
		goto out;
	}
	if (st == NULL) {
		uncertain(out, "no status in the answer");
		goto out;
	}
	if (strcmp(st, "COMPLETED") == 0)
		out->outcome = BANK_PAID;
	else if (strcmp(st, "PENDING") == 0)
		out->outcome = BANK_PENDING;
	else if (strcmp(st, "REJECTED") == 0) {
		out->outcome = BANK_REJECTED;
		reason = json_object_object_get_ex(j, "reason", &v) &&
		    json_object_is_type(v, json_type_string) ?
		    json_object_get_string(v) : NULL;
		reason_copy(out, reason != NULL && reason[0] != '\0' ? reason :
		    "REJECTED");
	} else {
		uncertain(out, "unknown payout status in the answer");
		goto out;
	}
	snprintf(out->payout_id, sizeof(out->payout_id), "%s", id);
	rc = 0;
out:
	json_object_put(j);
	return rc;
}

/* The reason of a refused request: the answer's error message, if any. */
static void
refusal_reason(struct bank_payout *out, const struct httpc_resp *r)
{
	struct json_object *j, *e;
	const char *m = NULL;

	j = r->body != NULL && r->bodylen < INT_MAX ?
	    json_tokener_parse(r->body) : NULL;
	if (j != NULL && json_object_is_type(j, json_type_object)) {
		m = str_member(j, "reason");
		if (m == NULL && json_object_object_get_ex(j, "error", &e) &&
		    json_object_is_type(e, json_type_string))
			m = json_object_get_string(e);
	}
	reason_copy(out, m != NULL && m[0] != '\0' ? m : "REFUSED_BY_BANK");
	json_object_put(j);
}

/*
 * One request to the bank: ERR_OK when an answer came (r, and
 * out->http_status, say what), ERR_SERVICE_UNAVAILABLE when none did
 * (out is BANK_UNCERTAIN, and why), ERR_INTERNAL for want of memory.
 */
static enum err
bank_call(struct ctx *c, const char *method, const char *path,
    const char *idem_key, const char *body, struct httpc_resp *r,
    struct bank_payout *out)
{
	const char *base = cfg_get("bank_api_url", ""), *token;
	const char *hdrs[5];
	struct httpc_req q;
	size_t blen = strlen(base), n = 0;
	enum err e;

	memset(out, 0, sizeof(*out));
	memset(r, 0, sizeof(*r));
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	if (blen == 0) {
		uncertain(out, "bank_api_url is not set");
		log_error("bank: bank_api_url is not set; payouts wait");
		return ERR_SERVICE_UNAVAILABLE;
	}
	token = cfg_get("bank_api_token", "");
	memset(&q, 0, sizeof(q));
	q.method = method;
	if ((q.url = arena_printf(c->arena, "%.*s%s", (int)blen, base,
	    path)) == NULL)
		return ERR_INTERNAL;
	hdrs[n++] = "Accept: application/json";
	if (token[0] != '\0' && (hdrs[n++] = arena_printf(c->arena,
	    "Authorization: Bearer %s", token)) == NULL)
		return ERR_INTERNAL;
	if (idem_key != NULL && (hdrs[n++] = arena_printf(c->arena,
	    "Idempotency-Key: %s", idem_key)) == NULL)
		return ERR_INTERNAL;
	if (body != NULL) {
		hdrs[n++] = "Content-Type: application/json";
		q.body = body;
		q.bodylen = strlen(body);
	}
	hdrs[n] = NULL;
	q.headers = hdrs;
	q.timeout_ms = (long)cfg_int("bank_api_timeout_ms", BANK_TIMEOUT_MS);
	q.max_response = BANK_MAX_RESPONSE;
	/* A lookup may be repeated; a payout is repeated by its worker only. */
	q.retries = body == NULL ? 1 : 0;
	/* The bank's URL is the operator's setting, on a private network often. */
	q.operator_url = 1;
	e = httpc_do(c->arena, &q, r);
	out->http_status = r->status;
	if (e == ERR_INTERNAL)
		return e;
	if (e != ERR_OK) {
		uncertain(out, r->error[0] != '\0' ? r->error : err_info(e)->code);
		/* The URL without its query: a secret may sit there. */
		log_error("bank: %s %.*s: %s", method, (int)strcspn(q.url, "?#"),
		    q.url, out->error);
		return ERR_SERVICE_UNAVAILABLE;
	}
	return ERR_OK;
}

enum err
bank_payout_send(struct ctx *c, const struct bank_payout_req *p,
    struct bank_payout *out)
{
	struct json_object *b;
	struct httpc_resp r;
	const char *body;
	enum err e;

	if ((b = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(b, "amount", json_object_new_string(p->amount));
	json_object_object_add(b, "currency", json_object_new_string("TRY"));
	json_object_object_add(b, "iban", json_object_new_string(p->iban));
	json_object_object_add(b, "name", json_object_new_string(p->name));
	json_object_object_add(b, "reference",
	    json_object_new_string(p->reference));
	body = json_object_to_json_string_ext(b, JSON_C_TO_STRING_PLAIN);
	if (body == NULL)
		return ERR_INTERNAL;
	if ((e = bank_call(c, "POST", "/payouts", p->key, body, &r, out)) !=
	    ERR_OK)
		return e == ERR_INTERNAL ? e : ERR_OK;
	if (r.status == 200 || r.status == 201) {
		(void)bank_payout_parse(r.body, r.bodylen, p->key, out);
	} else if (r.status == 400 || r.status == 422) {
		out->outcome = BANK_REJECTED;
		refusal_reason(out, &r);
	} else {
		uncertain(out, r.status == 409 ? "the bank holds another payout "
		    "under this idempotency key" : "unexpected HTTP status");
	}
	if (out->outcome == BANK_UNCERTAIN)
		log_error("bank: payout %s: %s (HTTP %ld)", p->reference,
		    out->error, r.status);
	return ERR_OK;
}

enum err
bank_payout_lookup(struct ctx *c, const char *key, struct bank_payout *out)
{
	struct httpc_resp r;
	const char *path;
	enum err e;

	if (!id_valid(key, BANK_ID_MAX)) {
		memset(out, 0, sizeof(*out));
		uncertain(out, "not an idempotency key");
		return ERR_OK;
	}
	if ((path = arena_printf(c->arena, "/payouts/%s", key)) == NULL)
		return ERR_INTERNAL;
	if ((e = bank_call(c, "GET", path, NULL, NULL, &r, out)) != ERR_OK)
		return e == ERR_INTERNAL ? e : ERR_OK;
	if (r.status == 200)
		(void)bank_payout_parse(r.body, r.bodylen, key, out);
	else if (r.status == 404)
		out->outcome = BANK_UNKNOWN;
	else
		uncertain(out, "unexpected HTTP status");
	if (out->outcome == BANK_UNCERTAIN)
		log_error("bank: lookup %s: %s (HTTP %ld)", key, out->error,
		    r.status);
	return ERR_OK;
}
