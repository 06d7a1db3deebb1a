/* core/http.c — request parsing (query, headers, JSON body) and the response envelope */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcgiapp.h>
#include <json-c/json.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/jsoncheck.h"
#include "core/util.h"

void
req_init(struct req *r, struct arena *a, char **envp)
{
	memset(r, 0, sizeof(*r));
	r->arena = a;
	r->envp = envp;
	r->query = "";
	clock_gettime(CLOCK_REALTIME, &r->now);
	clock_gettime(CLOCK_MONOTONIC, &r->mono);
}

const char *
req_env(const struct req *r, const char *name)
{
	if (r->envp == NULL)
		return NULL;
	return FCGX_GetParam(name, r->envp);
}

/*
 * "X-Request-ID" -> HTTP_X_REQUEST_ID. Read from the FastCGI params only,
 * never the process environment (httpoxy).
 */
const char *
req_header(const struct req *r, const char *name)
{
	char key[128];
	size_t i, n = strlen(name);

	if (n + 6 > sizeof(key))
		return NULL;
	memcpy(key, "HTTP_", 5);
	for (i = 0; i < n; i++)
		key[5 + i] = name[i] == '-' ? '_' :
		    (char)toupper((unsigned char)name[i]);
	key[5 + n] = '\0';
	if (strcmp(key, "HTTP_CONTENT_TYPE") == 0)
		return req_env(r, "CONTENT_TYPE");
	if (strcmp(key, "HTTP_CONTENT_LENGTH") == 0)
		return req_env(r, "CONTENT_LENGTH");
	return req_env(r, key);
}

int
req_request_id(struct req *r, const char *id)
{
	if (id == NULL || !util_token_valid(id, sizeof(r->request_id) - 1))
		return -1;
	snprintf(r->request_id, sizeof(r->request_id), "%s", id);
	return 0;
}

const char *
req_bearer(const struct req *r)
{
	const char *h = req_header(r, "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	for (h += 7; *h == ' '; h++)
		;
	return h;
}

const char *
req_query(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nqs; i++)
		if (strcmp(r->qs[i].key, name) == 0)
			return r->qs[i].val;
	return NULL;
}

const char *
req_param(const struct req *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].key, name) == 0)
			return r->params[i].val;
	return NULL;
}

/*
 * Decode %XX (and '+' as space in query strings). The result must be
 * valid UTF-8 without NUL, so no handler ever sees a broken string.
 */
int
req_pct_decode(struct arena *a, const char *s, size_t n, int plus, char **out)
{
	char *d;
	size_t i, j;
	int hi, lo;

	if ((d = arena_alloc(a, n + 1)) == NULL)
		return -1;
	for (i = j = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n ||
			    (hi = util_hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = util_hexval((unsigned char)s[i + 2])) < 0)
				return -1;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (plus && s[i] == '+')
			d[j++] = ' ';
		else
			d[j++] = s[i];
	}
	d[j] = '\0';
	if (!util_utf8_valid(d, j))
		return -1;
	*out = d;
	return 0;
}

enum err
req_parse_query(struct req *r, const char *q)
{
	const char *p, *amp, *eq;
	size_t n = strlen(q), cap = 0;

	r->query = q;
	r->nqs = 0;
	if (n > REQ_MAXQUERY)
		return ERR_URI_TOO_LONG;
	if (n == 0)
		return ERR_OK;
	for (p = q; *p != '\0'; p++)
		if (*p == '&')
			cap++;
	if (++cap > REQ_MAXQS)
		return ERR_INVALID_REQUEST;
	if ((r->qs = arena_calloc(r->arena, cap, sizeof(*r->qs))) == NULL)
		return ERR_INTERNAL;
	for (p = q; *p != '\0'; p = *amp ? amp + 1 : amp) {
		char *k, *v;

		if ((amp = strchr(p, '&')) == NULL)
			amp = p + strlen(p);
		if (amp == p)
			continue;
		if ((eq = memchr(p, '=', (size_t)(amp - p))) == NULL)
			eq = amp;
		if (req_pct_decode(r->arena, p, (size_t)(eq - p), 1, &k) == -1)
			return ERR_INVALID_REQUEST;
		if (eq == amp)
			v = arena_strdup(r->arena, "");
		else if (req_pct_decode(r->arena, eq + 1,
		    (size_t)(amp - eq - 1), 1, &v) == -1)
			return ERR_INVALID_REQUEST;
		if (k[0] == '\0' || v == NULL)
			return ERR_INVALID_REQUEST;
		r->qs[r->nqs].key = k;
		r->qs[r->nqs].val = v;
		r->nqs++;
	}
	return ERR_OK;
}

static void
json_put(void *o)
{
	json_object_put(o);
}

/* Tie a json-c object's lifetime to the request arena. */
struct json_object *
json_own(struct arena *a, struct json_object *o)
{
	if (o != NULL && arena_defer(a, json_put, o) == -1) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int
ctype_is_json(const char *ct)
{
	size_t n = strlen("application/json");

	if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/*
 * The spec's request envelope (§2.1): {"requestId", "timestamp", "data"}
 * with the payload in data, as its §4 examples send it bare. A body of
 * those members alone, data an object, is its data; its requestId, when
 * no X-Request-ID came, is the request's id, echoed in the answer.
 */
static struct json_object *
envelope_open(struct req *r, struct json_object *o)
{
	struct json_object *data, *id;

	if (!json_object_object_get_ex(o, "data", &data) ||
	    !json_object_is_type(data, json_type_object))
		return o;
	json_object_object_foreach(o, k, v) {
		(void)v;
		if (strcmp(k, "data") != 0 && strcmp(k, "requestId") != 0 &&
		    strcmp(k, "timestamp") != 0)
			return o;
	}
	if (req_header(r, "X-Request-ID") == NULL &&
	    json_object_object_get_ex(o, "requestId", &id) &&
	    json_object_is_type(id, json_type_string))
		(void)req_request_id(r, json_object_get_string(id));
	json_object_get(data);
	json_object_put(o);
	return data;
}

/*
 * The body must be a JSON object: strict RFC 8259, valid UTF-8, bounded
 * depth, no member named twice, nothing after it but whitespace. *detail
 * says what was wrong and, for a duplicate key, *field where.
 */
enum err
req_parse_json(struct req *r, const char *ctype, char **detail,
    const char **field)
{
	struct json_tokener *tok = NULL;
	struct json_object *o;
	enum json_tokener_error jerr;
	const char *why;
	char path[REQ_JSON_PATH];
	size_t end;
	enum err rc = ERR_INVALID_REQUEST;

	*detail = NULL;
	*field = NULL;
	if (r->bodylen == 0)
		return ERR_OK;
	if (!ctype_is_json(ctype))
		return ERR_UNSUPPORTED_MEDIA_TYPE;
	if (!util_utf8_valid(r->body, r->bodylen)) {
		*detail = "body is not valid UTF-8";
		return ERR_INVALID_REQUEST;
	}
	why = json_strict_check(r->body, r->bodylen, REQ_JSON_DEPTH, path,
	    sizeof(path));
	if (why == json_check_nomem)
		return ERR_INTERNAL;
	if (why == json_check_dup) {
		*detail = "duplicate key";
		*field = arena_strdup(r->arena, path);
		return ERR_INVALID_REQUEST;
	}
	if (why != NULL) {
		*detail = arena_printf(r->arena, "malformed JSON: %s", why);
		return ERR_INVALID_REQUEST;
	}
	if ((tok = json_tokener_new_ex(REQ_JSON_DEPTH)) == NULL)
		return ERR_INTERNAL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, r->body, (int)r->bodylen);
	jerr = json_tokener_get_error(tok);
	if (jerr != json_tokener_success) {
		*detail = arena_printf(r->arena, "malformed JSON: %s",
		    jerr == json_tokener_continue ? "unexpected end of input" :
		    json_tokener_error_desc(jerr));
		json_object_put(o);
		goto out;
	}
	for (end = json_tokener_get_parse_end(tok); end < r->bodylen; end++)
		if (!isspace((unsigned char)r->body[end])) {
			*detail = "malformed JSON: data after the value";
			json_object_put(o);
			goto out;
		}
	/* "null" parses to a NULL object. */
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		*detail = "body must be a JSON object";
		json_object_put(o);
		goto out;
	}
	r->json = json_own(r->arena, envelope_open(r, o));
	rc = r->json ? ERR_OK : ERR_INTERNAL;
out:
	json_tokener_free(tok);
	return rc;
}

void
resp_init(struct resp *w, struct arena *a)
{
	memset(w, 0, sizeof(*w));
	w->arena = a;
	w->status = 200;
}

int
resp_ok(struct resp *w, int status, struct json_object *data)
{
	w->status = status;
	w->err = ERR_OK;
	w->data = json_own(w->arena, data);
	return 0;
}

int
resp_list(struct resp *w, struct json_object *data, struct json_object *meta,
    struct json_object *links)
{
	resp_ok(w, 200, data);
	w->meta = json_own(w->arena, meta);
	w->links = json_own(w->arena, links);
	return 0;
}

int
resp_beside(struct resp *w, const char *name, struct json_object *v)
{
	if (w->top == NULL &&
	    (w->top = json_own(w->arena, json_object_new_object())) == NULL) {
		json_object_put(v);
		return -1;
	}
	json_object_object_add(w->top, name, v);
	return 0;
}

int
resp_error_details(struct resp *w, enum err e, const char *message,
    struct json_object *details)
{
	w->err = e;
	w->status = err_info(e)->status;
	w->message = message;
	w->details = json_own(w->arena, details);
	w->data = w->meta = w->links = w->top = NULL;
	return 0;
}

int
resp_error(struct resp *w, enum err e, const char *message)
{
	return resp_error_details(w, e, message, NULL);
}

/* Header values come from code, never from a client: still, no CR/LF. */
int
resp_header(struct resp *w, const char *name, const char *val)
{
	if (w->nhdrs == RESP_MAXHDRS || strpbrk(val, "\r\n") != NULL)
		return -1;
	w->hdrs[w->nhdrs].key = name;
	w->hdrs[w->nhdrs].val = val;
	w->nhdrs++;
	return 0;
}

static struct json_object *
envelope(const struct req *r, struct resp *w)
{
	struct json_object *env, *e;
	char ts[ISO_TIME_LEN + 1];
	const struct err_info *ei;

	util_iso_time(&r->now, ts);
	env = json_object_new_object();
	json_object_object_add(env, "success",
	    json_object_new_boolean(w->err == ERR_OK));
	json_object_object_add(env, "requestId",
	    json_object_new_string(r->request_id));
	json_object_object_add(env, "timestamp", json_object_new_string(ts));
	if (w->err == ERR_OK) {
		json_object_object_add(env, "data", w->data ?
		    json_object_get(w->data) : json_object_new_object());
		if (w->meta != NULL)
			json_object_object_add(env, "meta",
			    json_object_get(w->meta));
		if (w->links != NULL)
			json_object_object_add(env, "links",
			    json_object_get(w->links));
		if (w->top != NULL) {
			json_object_object_foreach(w->top, k, v)
				if (!json_object_object_get_ex(env, k, NULL))
					json_object_object_add(env, k,
					    json_object_get(v));
		}
		return env;
	}
	ei = err_info(w->err);
	e = json_object_new_object();
	json_object_object_add(e, "code", json_object_new_string(ei->code));
	json_object_object_add(e, "message",
	    json_object_new_string(w->message ? w->message : ei->message));
	json_object_object_add(e, "details", w->details ?
	    json_object_get(w->details) : json_object_new_object());
	json_object_object_add(e, "traceId",
	    json_object_new_string(r->trace_id));
	json_object_object_add(env, "error", e);
	return env;
}

/* The whole CGI response (headers and body) in one arena buffer. */
/*
 * Turn the envelope into its final JSON text now (w->raw), so it can be
 * stored and later replayed byte for byte.
 */
int
resp_freeze(const struct req *r, struct resp *w)
{
	struct json_object *env;
	const char *body;

	if (w->ctype != NULL)
		return 0;
	if ((env = json_own(w->arena, envelope(r, w))) == NULL)
		return -1;
	body = json_object_to_json_string_ext(env,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if ((w->raw = arena_strdup(w->arena, body)) == NULL)
		return -1;
	w->rawlen = strlen(w->raw);
	w->ctype = "application/json; charset=utf-8";
	return 0;
}

char *
resp_render(const struct req *r, struct resp *w, size_t *len)
{
	struct json_object *env = NULL;
	const char *body, *ctype;
	char *hdrs, *out;
	size_t blen, hlen, i;

	if (w->ctype != NULL) {
		body = w->raw;
		blen = w->rawlen;
		ctype = w->ctype;
	} else {
		env = json_own(w->arena, envelope(r, w));
		if (env == NULL)
			return NULL;
		body = json_object_to_json_string_ext(env,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		blen = strlen(body);
		ctype = "application/json; charset=utf-8";
	}
	hdrs = arena_printf(w->arena,
	    "Status: %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %lu\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "X-Request-ID: %s\r\n",
	    w->status, err_reason(w->status), ctype, (unsigned long)blen,
	    r->request_id);
	if (hdrs == NULL)
		return NULL;
	/* HEAD: the Content-Length a GET would get (RFC 9110 8.6), no body. */
	if (w->head)
		blen = 0;
	for (i = 0; i < w->nhdrs; i++)
		if ((hdrs = arena_printf(w->arena, "%s%s: %s\r\n", hdrs,
		    w->hdrs[i].key, w->hdrs[i].val)) == NULL)
			return NULL;
	hlen = strlen(hdrs);
	if ((out = arena_alloc(w->arena, hlen + 2 + blen + 1)) == NULL)
		return NULL;
	memcpy(out, hdrs, hlen);
	memcpy(out + hlen, "\r\n", 2);
	memcpy(out + hlen + 2, body, blen);
	out[hlen + 2 + blen] = '\0';
	*len = hlen + 2 + blen;
	return out;
}

struct json_object *
json_str_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

struct json_object *
json_csv_array(const char *s)
{
	struct json_object *a = json_object_new_array();
	size_t n;

	while (s != NULL && *s != '\0') {
		n = strcspn(s, ",");
		json_object_array_add(a, json_object_new_string_len(s, (int)n));
		s += n;
		if (*s == ',')
			s++;
	}
	return a;
}
