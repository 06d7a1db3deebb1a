/* tests/fuzz/fuzz_http.c — libFuzzer: the query string, JSON body (duplicate names too), text/name and route parsers on hostile input */
#define _GNU_SOURCE	/* memmem */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "core/valid.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
h_nop(struct req *r, struct resp *w)
{
	(void)r;
	(void)w;
	return 0;
}

static const struct route routes[] = {
	{ "GET", "/api/v1/orders", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "GET", "/api/v1/orders/{orderId}", h_nop, AUTH_NONE, SCOPE_NONE,
	    RL_NONE },
	{ "DELETE", "/api/v1/orders/{orderId}", h_nop, AUTH_NONE, SCOPE_NONE,
	    RL_NONE },
	{ "GET", "/api/v1/markets/{symbol}/trades/{tradeId}", h_nop,
	    AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "GET", "/{a}/{b}/{c}", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
};

static int
text_ok(const char *s)
{
	return s != NULL && util_utf8_valid(s, strlen(s));
}

/* Every key and string a handler can reach is valid UTF-8. */
static void
check_json(struct json_object *o, int depth)
{
	struct json_object_iterator it, end;
	size_t i;

	if (depth > REQ_JSON_DEPTH)
		abort();
	switch (json_object_get_type(o)) {
	case json_type_object:
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		while (!json_object_iter_equal(&it, &end)) {
			if (!text_ok(json_object_iter_peek_name(&it)))
				abort();
			check_json(json_object_iter_peek_value(&it), depth + 1);
			json_object_iter_next(&it);
		}
		break;
	case json_type_array:
		for (i = 0; i < json_object_array_length(o); i++)
			check_json(json_object_array_get_idx(o, i), depth + 1);
		break;
	case json_type_string:
		if (!text_ok(json_object_get_string(o)))
			abort();
		break;
	default:
		break;
	}
}

/* Members written in the text: a ':' outside strings opens each one. */
static size_t
text_members(const char *s, size_t n)
{
	size_t i, c = 0;
	int in = 0;

	for (i = 0; i < n; i++) {
		if (in) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in = 0;
		} else if (s[i] == '"')
			in = 1;
		else if (s[i] == ':')
			c++;
	}
	return c;
}

/* Members json-c kept: a repeated name would have been kept once. */
static size_t
tree_members(struct json_object *o)
{
	struct json_object_iterator it, end;
	size_t i, c = 0;

	switch (json_object_get_type(o)) {
	case json_type_object:
		it = json_object_iter_begin(o);
		end = json_object_iter_end(o);
		while (!json_object_iter_equal(&it, &end)) {
			c += 1 + tree_members(json_object_iter_peek_value(&it));
			json_object_iter_next(&it);
		}
		break;
	case json_type_array:
		for (i = 0; i < json_object_array_length(o); i++)
			c += tree_members(json_object_array_get_idx(o, i));
		break;
	default:
		break;
	}
	return c;
}

/*
 * An accepted object, given one of its names again in front, must be
 * refused as a duplicate of that name (however json-c escapes it).
 */
static void
fuzz_duplicate(struct arena *a, struct json_object *o)
{
	struct json_object_iterator it = json_object_iter_begin(o);
	struct json_object_iterator end = json_object_iter_end(o);
	struct json_object *name;
	const char *key, *text, *qkey, *field = NULL;
	char *detail = NULL;
	struct req r;
	size_t n;
	enum err rc;

	if (json_object_iter_equal(&it, &end))
		return;
	key = json_object_iter_peek_name(&it);
	if ((name = json_object_new_string(key)) == NULL)
		return;
	qkey = json_object_to_json_string_ext(name, JSON_C_TO_STRING_PLAIN);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	req_init(&r, a, NULL);
	r.body = arena_printf(a, "{%s:0,%s", qkey, text + 1);
	json_object_put(name);
	if (r.body == NULL)
		return;
	r.bodylen = strlen(r.body);
	rc = req_parse_json(&r, "application/json", &detail, &field);
	n = strlen(key);
	if (rc != ERR_INVALID_REQUEST || detail == NULL ||
	    strcmp(detail, "duplicate key") != 0 || field == NULL ||
	    !text_ok(field) || strlen(field) >= REQ_JSON_PATH ||
	    (n < REQ_JSON_PATH && strcmp(field, key) != 0) ||
	    strncmp(field, key, strlen(field)) != 0)
		abort();
}

/*
 * Text and names: what passes is valid UTF-8 without a control byte,
 * without the bidi and zero-width characters spelled in UTF-8, and a
 * name has no ASCII digit; nothing is read past len (an exact copy).
 */
static void
fuzz_text(const uint8_t *data, size_t size)
{
	static const char *const never[] = { "\xe2\x80\xae", "\xe2\x80\x8b",
	    "\xe2\x81\xa6", "\xd8\x9c", "\xef\xbb\xbf", "\xc2\x85",
	    "\xe2\x80\xa8", NULL };
	const char *const *nv;
	char *s;
	size_t i;
	int text, name;

	if ((s = malloc(size ? size : 1)) == NULL)
		return;
	memcpy(s, data, size);
	text = valid_text(s, size, 0, (size_t)-1) == NULL;
	name = valid_name(s, size, 1, (size_t)-1) == NULL;
	if (name && !text)
		abort();
	if (text) {
		if (!util_utf8_valid(s, size))
			abort();
		for (i = 0; i < size; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f ||
			    (name && s[i] >= '0' && s[i] <= '9'))
				abort();
		for (nv = never; *nv != NULL; nv++)
			if (size >= strlen(*nv) &&
			    memmem(s, size, *nv, strlen(*nv)) != NULL)
				abort();
	}
	free(s);
}

static void
fuzz_query(struct arena *a, const char *q, size_t n)
{
	struct req r;
	enum err rc;
	size_t i;

	req_init(&r, a, NULL);
	rc = req_parse_query(&r, q);
	if (n > REQ_MAXQUERY) {
		if (rc != ERR_URI_TOO_LONG)
			abort();
		return;
	}
	if (rc != ERR_OK) {
		if (rc != ERR_INVALID_REQUEST)
			abort();
		return;
	}
	if (r.nqs > REQ_MAXQS || (n == 0 && r.nqs != 0))
		abort();
	for (i = 0; i < r.nqs; i++) {
		if (!text_ok(r.qs[i].key) || r.qs[i].key[0] == '\0' ||
		    !text_ok(r.qs[i].val) || strlen(r.qs[i].key) > n ||
		    strlen(r.qs[i].val) > n)
			abort();
		if (req_query(&r, r.qs[i].key) == NULL)
			abort();
	}
}

static void
fuzz_body(struct arena *a, const uint8_t *data, size_t size)
{
	struct json_object *again;
	struct req r;
	char *detail = NULL;
	const char *text, *field = NULL;
	struct json_object *whole, *inner;
	struct json_tokener *tok;
	enum err rc;

	req_init(&r, a, NULL);
	/* An exact-size copy: a read past bodylen is an ASan report. */
	if ((r.body = arena_alloc(a, size)) == NULL)
		return;
	memcpy(r.body, data, size);
	r.bodylen = size;
	rc = req_parse_json(&r, "application/json; charset=utf-8", &detail,
	    &field);
	if (size == 0) {
		if (rc != ERR_OK || r.json != NULL)
			abort();
		return;
	}
	if (rc != ERR_OK) {
		if (rc != ERR_INVALID_REQUEST || detail == NULL ||
		    r.json != NULL || !text_ok(detail))
			abort();
		/* A field is named for a duplicate, and only then. */
		if ((field != NULL) != (strcmp(detail, "duplicate key") == 0) ||
		    (field != NULL && (!text_ok(field) ||
		    strlen(field) >= REQ_JSON_PATH)))
			abort();
		return;
	}
	if (r.json == NULL || !json_object_is_type(r.json, json_type_object) ||
	    !util_utf8_valid(r.body, r.bodylen) || field != NULL)
		abort();
	check_json(r.json, 1);
	/*
	 * Accepted: json-c kept every member written, so none was repeated;
	 * r->json is the body, or the data of §2.1's envelope.
	 */
	if ((tok = json_tokener_new_ex(REQ_JSON_DEPTH)) == NULL)
		return;
	whole = json_tokener_parse_ex(tok, r.body, (int)r.bodylen);
	json_tokener_free(tok);
	if (whole == NULL || text_members(r.body, r.bodylen) !=
	    tree_members(whole))
		abort();
	if (!json_object_equal(whole, r.json) &&
	    (!json_object_object_get_ex(whole, "data", &inner) ||
	    !json_object_equal(inner, r.json)))
		abort();
	json_object_put(whole);
	fuzz_duplicate(a, r.json);
	/* What was accepted serializes to something that parses again. */
	text = json_object_to_json_string_ext(r.json, JSON_C_TO_STRING_PLAIN);
	if ((again = json_tokener_parse(text)) == NULL ||
	    !json_object_is_type(again, json_type_object))
		abort();
	json_object_put(again);
}

static void
fuzz_route(struct arena *a, const char *path)
{
	const struct route *rt;
	struct req r;
	char allow[64];
	enum err rc;
	size_t i;

	req_init(&r, a, NULL);
	r.method = "GET";
	r.path = path;
	rc = route_match(routes, sizeof(routes) / sizeof(routes[0]), &r, &rt,
	    allow, sizeof(allow));
	if (rc == ERR_OK) {
		if (rt == NULL || r.nparams > REQ_MAXPARAMS)
			abort();
		for (i = 0; i < r.nparams; i++)
			if (!text_ok(r.params[i].val) ||
			    r.params[i].val[0] == '\0' ||
			    strchr(r.params[i].val, '/') != NULL)
				abort();
	} else if (rt != NULL || r.nparams != 0 ||
	    (rc != ERR_NOT_FOUND && rc != ERR_METHOD_NOT_ALLOWED) ||
	    strlen(allow) >= sizeof(allow))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	char *s, *out;
	size_t n;

	if (a == NULL && (a = arena_new()) == NULL)
		abort();

	/* As a C string: the query and, behind a '/', a path. */
	if ((s = malloc(size + 2)) == NULL)
		return 0;
	s[0] = '/';
	memcpy(s + 1, data, size);
	s[size + 1] = '\0';
	n = strlen(s + 1);
	fuzz_query(a, s + 1, n);
	arena_reset(a);
	fuzz_route(a, s);
	arena_reset(a);
	free(s);

	/* As raw bytes: the body, text rules, and percent-decoding with a length. */
	fuzz_body(a, data, size);
	fuzz_text(data, size);
	arena_reset(a);
	out = NULL;
	if (req_pct_decode(a, (const char *)data, size, 1, &out) == 0 &&
	    (out == NULL || !text_ok(out) || strlen(out) > size))
		abort();
	arena_reset(a);
	return 0;
}
