/* tests/unit/test_http_json.c — core/http: JSON bodies, their Content-Type, RFC 8259 strictness, duplicate members, depth */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "tests/unit/fixture_http.h"
#include "tests/unit/tap.h"

#define JSON_CT		"application/json"

static const char *json_field;	/* where the last parse_body() found a duplicate */

static enum err
parse_body(struct req *r, const char *ctype, const char *body, size_t len,
    char **detail)
{
	fresh(r);
	r->body = arena_strndup(A, body, len);
	r->bodylen = len;
	return req_parse_json(r, ctype, detail, &json_field);
}

static void
test_json_ok(void)
{
	static const char *const types[] = {
		"application/json",
		"application/json; charset=utf-8",
		"application/json;charset=UTF-8",
		"application/json ; charset=utf-8",
		"Application/JSON",
	};
	const char *body = "{\"symbol\":\"BTC_TRY\",\"n\":[1,2,{\"x\":null}]}";
	struct json_object *v;
	struct req r;
	char *detail;
	size_t i;

	for (i = 0; i < NELEM(types); i++) {
		detail = "unset";
		is_int(parse_body(&r, types[i], body, strlen(body), &detail),
		    ERR_OK, "object body with Content-Type \"%s\"", types[i]);
	}
	ok(detail == NULL, "  success leaves no detail");
	ok(r.json != NULL && json_object_is_type(r.json, json_type_object),
	    "  r->json is the object");
	ok(json_object_object_get_ex(r.json, "symbol", &v) &&
	    strcmp(json_object_get_string(v), "BTC_TRY") == 0,
	    "  with its members");

	is_int(parse_body(&r, JSON_CT, "{}", 2, &detail), ERR_OK, "{}");
	is_int(parse_body(&r, JSON_CT, " \t\r\n{ }\r\n\t ", 11, &detail),
	    ERR_OK, "whitespace around the object");
	is_int(parse_body(&r, JSON_CT, "{\"a\":\"\xc3\xbc\xe2\x82\xac\"}", 13,
	    &detail), ERR_OK, "UTF-8 in strings");
	is_int(parse_body(&r, JSON_CT, "{\"a\":\"\\u00fc\"}", 14, &detail),
	    ERR_OK, "\\u escapes");

	/* No body: nothing to parse, whatever the type says. */
	detail = "unset";
	is_int(parse_body(&r, NULL, "", 0, &detail), ERR_OK,
	    "an empty body needs no Content-Type");
	ok(r.json == NULL && detail == NULL, "  and yields no object");
	is_int(parse_body(&r, "text/plain", "", 0, &detail), ERR_OK,
	    "  whatever the type");
}

static void
test_json_type(void)
{
	static const char *const types[] = {
		"text/plain",
		"application/x-www-form-urlencoded",
		"application/jsonp",
		"application/json-patch+json",
		"application/jso",
		"application",
		"",
		"multipart/form-data; boundary=x",
	};
	struct req r;
	char *detail;
	size_t i;

	is_int(parse_body(&r, NULL, "{}", 2, &detail),
	    ERR_UNSUPPORTED_MEDIA_TYPE, "a body without Content-Type is 415");
	for (i = 0; i < NELEM(types); i++)
		is_int(parse_body(&r, types[i], "{}", 2, &detail),
		    ERR_UNSUPPORTED_MEDIA_TYPE, "Content-Type \"%s\" is 415",
		    types[i]);
	ok(r.json == NULL, "  and nothing is parsed");
}

static void
test_json_bad(void)
{
	static const struct {
		const char	*body;
		size_t		 len;		/* 0: strlen */
		const char	*detail;	/* how it starts; NULL: any */
	} cases[] = {
		{ "[]", 0, "body must be a JSON object" },
		{ "[{}]", 0, "body must be a JSON object" },
		{ "\"s\"", 0, "body must be a JSON object" },
		{ "1 ", 0, "body must be a JSON object" },
		{ "true ", 0, "body must be a JSON object" },
		{ "null ", 0, "body must be a JSON object" },
		{ "1", 0, NULL },
		{ "null", 0, NULL },
		{ "{} x", 0, "malformed JSON: " },
		{ "{}{}", 0, "malformed JSON: " },
		{ "{},", 0, "malformed JSON: " },
		{ "{}\n{}", 0, "malformed JSON: " },
		{ "{", 0, "malformed JSON: unexpected end of input" },
		{ "{\"a\":", 0, "malformed JSON: unexpected end of input" },
		{ "{\"a\":[1,2}", 0, NULL },
		{ "{\"a\":1,}", 0, NULL },
		{ "{a:1}", 0, NULL },
		{ "{\"a\":01}", 0, NULL },
		{ "{\"a\":.5}", 0, NULL },
		{ "{\"a\":+1}", 0, NULL },
		{ "{\"a\" 1}", 0, NULL },
		{ "/* c */{}", 0, NULL },
		{ "{\"a\":tru}", 0, NULL },
		{ "{\"a\":\"\\x41\"}", 0, NULL },
		{ "", 1, "body is not valid UTF-8" },		/* one NUL */
		{ "{}\0", 3, "body is not valid UTF-8" },
		{ "{\"a\":\"\0\"}", 9, "body is not valid UTF-8" },
		{ "{\"a\":\"\xff\"}", 0, "body is not valid UTF-8" },
		{ "{\"a\":\"\xc3\"}", 0, "body is not valid UTF-8" },
		{ "{\"a\":\"\xc0\xaf\"}", 0, "body is not valid UTF-8" },
		{ "{\"a\":\"\xed\xa0\x80\"}", 0, "body is not valid UTF-8" },
		{ "{\"a\":\"\xf4\x90\x80\x80\"}", 0, "body is not valid UTF-8" },
		{ "{\"\xe9\":1}", 0, "body is not valid UTF-8" },
	};
	struct req r;
	char *detail;
	size_t i, len;
	enum err rc;

	for (i = 0; i < NELEM(cases); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].body);
		detail = NULL;
		rc = parse_body(&r, JSON_CT, cases[i].body, len, &detail);
		ok(rc == ERR_INVALID_REQUEST && r.json == NULL &&
		    detail != NULL && (cases[i].detail == NULL ||
		    strncmp(detail, cases[i].detail,
		    strlen(cases[i].detail)) == 0),
		    "body \"%s\" is 400: %s", tap_esc(cases[i].body, len),
		    detail ? detail : "(no detail)");
	}
}

/* json-c 0.16 with JSON_TOKENER_STRICT still takes some non-RFC 8259 input; our own check refuses it. */
static void
test_json_strictness(void)
{
	static const struct {
		const char	*body;
		const char	*what;
	} cases[] = {
		{ "{'a':1}", "single-quoted strings" },
		{ "{\"a\":NaN}", "NaN" },
		{ "{\"a\":Infinity}", "Infinity" },
		{ "{\"a\":\"\t\"}", "a raw control character in a string" },
		{ "{\"a\":\"\x01\"}", "a raw U+0001 in a string" },
		{ "{\"a\":\"x\\u0000y\"}", "an escaped NUL" },
		{ "{\"a\":\"\\ud800\"}", "an unpaired surrogate escape" },
		{ "{\"a\":01}", "a leading zero" },
		{ "{\"a\":1.}", "a number ending in a point" },
		{ "{\"a\":+1}", "a plus sign" },
		{ "{\"a\":\"\\x41\"}", "a \\x escape" },
		{ "{a:1}", "an unquoted key" },
		{ "{\"a\":1,}", "a trailing comma" },
		{ "{\"a\":[1,]}", "a trailing comma in an array" },
		{ "{\"a\":tru}", "a truncated literal" },
		{ "{\"a\":1} // c", "a comment after the value" },
		{ "{\"a\":/*c*/1}", "a comment inside" },
	};
	struct req r;
	char *detail;
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		ok(parse_body(&r, JSON_CT, cases[i].body,
		    strlen(cases[i].body), &detail) == ERR_INVALID_REQUEST,
		    "body with %s is refused", cases[i].what);
	/* and what RFC 8259 allows still passes */
	{
		static const char all[] = "{\"a\":[-0.5e+3,1E2,0,true,false,"
		    "null,\"\\u00e9\\ud83d\\ude00\\n\\/\"],\"b\":{},"
		    " \"c\" : [ ] }";

		ok(parse_body(&r, JSON_CT, all, strlen(all), &detail) == ERR_OK,
		    "a body using every RFC 8259 form is accepted");
	}
}

/* An object naming a member twice is refused at any depth, with where. */
static void
test_json_duplicates(void)
{
	static const struct {
		const char	*body;
		const char	*field;		/* NULL: accepted */
	} cases[] = {
		{ "{\"quantity\":\"0.01\",\"quantity\":\"0.02\"}", "quantity" },
		{ "{\"a\":1,\"b\":2,\"a\":3}", "a" },
		{ "{\"a\":1,\"a\":1}", "a" },
		{ "{\"a\":null,\"a\":{}}", "a" },
		{ "{\"a\":\"x\",\"\\u0061\":\"y\"}", "a" },
		{ "{\"\\u00e9\":1,\"\xc3\xa9\":2}", "\xc3\xa9" },
		{ "{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}",
		    "\xf0\x9f\x98\x80" },
		{ "{\"a\\/b\":1,\"a/b\":2}", "a/b" },
		{ "{\"\\n\":1,\"\\u000a\":2}", "\n" },
		{ "{\"\":1,\"\":2}", "" },
		{ "{\"a\":{\"b\":1,\"b\":2}}", "a.b" },
		{ "{\"a\":[{\"x\":1},{\"y\":1,\"y\":2}]}", "a[1].y" },
		{ "{\"a\":[[],[{\"k\":{\"z\":0,\"z\":0}}]]}", "a[1][0].k.z" },
		{ "{\"a\":1,\"b\":{\"c\":{\"d\":[1]}},\"a\":2}", "a" },
		{ "{\"documents\":{\"selfie\":{\"data\":\"AA==\",\"data\":"
		    "\"AQ==\"}}}", "documents.selfie.data" },
		/* what is not a duplicate */
		{ "{\"a\":{\"b\":1},\"b\":2}", NULL },
		{ "{\"a\":1,\"A\":1}", NULL },
		{ "{\"ab\":1,\"a\":1,\"b\":1,\"ba\":1}", NULL },
		{ "{\"a\":[{\"x\":1},{\"x\":1}]}", NULL },
		{ "{\"x\":{\"a\":1},\"y\":{\"a\":1}}", NULL },
		{ "{\"a\":\"a\",\"b\":[\"a\",\"a\"]}", NULL },
		{ "{\"\\u00e9\":1,\"e\\u0301\":1}", NULL },	/* not normalised */
		{ "{\"a\":1,\"a \":1,\" a\":1}", NULL },
	};
	struct req r;
	char *detail;
	size_t i;
	enum err rc;

	for (i = 0; i < NELEM(cases); i++) {
		detail = NULL;
		rc = parse_body(&r, JSON_CT, cases[i].body,
		    strlen(cases[i].body), &detail);
		if (cases[i].field == NULL) {
			ok(rc == ERR_OK && r.json != NULL, "%s is accepted",
			    tap_esc(cases[i].body, strlen(cases[i].body)));
			continue;
		}
		ok(rc == ERR_INVALID_REQUEST && r.json == NULL &&
		    detail != NULL && strcmp(detail, "duplicate key") == 0 &&
		    json_field != NULL && strcmp(json_field,
		    cases[i].field) == 0, "%s is 400, duplicate \"%s\"",
		    tap_esc(cases[i].body, strlen(cases[i].body)),
		    json_field ? tap_esc(json_field, strlen(json_field)) : "-");
	}

	/* Other faults are not reported as duplicates. */
	parse_body(&r, JSON_CT, "{\"a\":1,}", 8, &detail);
	ok(json_field == NULL, "a syntax error names no field");
}

/* A long name in the details is cut short on a character boundary. */
static void
test_json_duplicate_long(void)
{
	char body[2 * 300 + 32];
	struct req r;
	char *detail;
	size_t i, n;
	enum err rc;

	n = (size_t)snprintf(body, sizeof(body), "{\"");
	for (i = 0; i < 150; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "\xc3\xa9");
	n += (size_t)snprintf(body + n, sizeof(body) - n, "\":1,\"");
	for (i = 0; i < 150; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "\xc3\xa9");
	n += (size_t)snprintf(body + n, sizeof(body) - n, "\":2}");
	rc = parse_body(&r, JSON_CT, body, n, &detail);
	ok(rc == ERR_INVALID_REQUEST && json_field != NULL &&
	    strlen(json_field) < REQ_JSON_PATH &&
	    strlen(json_field) > REQ_JSON_PATH - 4 &&
	    util_utf8_valid(json_field, strlen(json_field)),
	    "a 300-byte duplicate is named in %zu bytes of valid UTF-8",
	    json_field ? strlen(json_field) : 0);
}

/*
 * Big objects: 50,000 members (about 600 KiB), distinct, then with
 * the last one repeating the first, then with names sharing a long
 * prefix. The check sorts, so it stays near-linear.
 */
static void
test_json_duplicates_big(void)
{
	size_t cap = 50000 * 40 + 64, i, k, n;
	struct req r;
	char *detail, *s;
	enum err rc;
	clock_t t0;
	double secs;

	if ((s = malloc(cap)) == NULL)
		abort();
	for (k = 0; k < 3; k++) {
		n = (size_t)snprintf(s, cap, "{");
		for (i = 0; i < 50000; i++)
			n += (size_t)snprintf(s + n, cap - n,
			    "%s\"%s%zu\":%zu", i ? "," : "",
			    k == 2 ? "pppppppppppppppppppppppp" : "k",
			    k == 1 && i == 49999 ? (size_t)0 : i, i);
		n += (size_t)snprintf(s + n, cap - n, "}");
		t0 = clock();
		rc = parse_body(&r, JSON_CT, s, n, &detail);
		secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		if (k == 1)
			ok(rc == ERR_INVALID_REQUEST && json_field &&
			    strcmp(json_field, "k0") == 0,
			    "50,000 members, the last repeating the "
			    "first: 400 \"k0\" in %.3f s", secs);
		else
			ok(rc == ERR_OK, "50,000 distinct members%s: "
			    "accepted in %.3f s", k == 2 ?
			    " with a long common prefix" : "", secs);
		ok(secs < 2.0, "  well under 2 s");
	}
	free(s);
}

/*
 * {"a":[[...[0]...]]} with depth values on the way down to the innermost
 * 0, that included ({"a":0} is 2), as json-c counts; the caller frees.
 */
static char *
nested(int depth)
{
	size_t n;
	char *s;
	int i;

	if ((s = malloc(2 * (size_t)depth + 9)) == NULL)
		abort();
	memcpy(s, "{\"a\":", 5);
	n = 5;
	for (i = 2; i < depth; i++)
		s[n++] = '[';
	s[n++] = '0';
	for (i = 2; i < depth; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

static void
test_json_depth(void)
{
	struct req r;
	char *detail, *s;
	int d;
	enum err rc;

	for (d = 2; d <= REQ_JSON_DEPTH; d++) {
		s = nested(d);
		rc = parse_body(&r, JSON_CT, s, strlen(s), &detail);
		free(s);
		if (rc != ERR_OK)
			break;
	}
	is_int(d, REQ_JSON_DEPTH + 1, "values nested %d deep are accepted",
	    REQ_JSON_DEPTH);
	for (d = REQ_JSON_DEPTH + 1; d <= REQ_JSON_DEPTH + 3; d++) {
		s = nested(d);
		detail = NULL;
		rc = parse_body(&r, JSON_CT, s, strlen(s), &detail);
		free(s);
		ok(rc == ERR_INVALID_REQUEST && detail != NULL,
		    "%d deep are refused: %s", d, detail ? detail : "");
	}
	s = nested(100000);
	is_int(parse_body(&r, JSON_CT, s, strlen(s), &detail),
	    ERR_INVALID_REQUEST, "100000 deep are refused (no stack "
	    "exhaustion)");
	free(s);
}

/* §2.1's envelope: its data is the payload; anything else stays as sent. */
static void
test_json_envelope(void)
{
	const char *env = "{\"requestId\":\"3f0e4c5a-1b2c-4d3e-8f90-a1b2c3d4e5f6\","
	    "\"timestamp\":\"2025-11-19T10:30:00Z\","
	    "\"data\":{\"email\":\"a@example.com\"}}";
	const char *extra = "{\"data\":{\"x\":1},\"email\":\"a@example.com\"}";
	const char *scalar = "{\"requestId\":\"r1\",\"data\":\"x\"}";
	struct json_object *v;
	struct req r;
	char *detail;

	is_int(parse_body(&r, JSON_CT, env, strlen(env), &detail), ERR_OK,
	    "a body in the spec's envelope");
	ok(json_object_object_get_ex(r.json, "email", &v) &&
	    !json_object_object_get_ex(r.json, "data", NULL),
	    "  is read as its data");
	is_str(r.request_id, "3f0e4c5a-1b2c-4d3e-8f90-a1b2c3d4e5f6",
	    "  and its requestId is the request's");
	is_int(parse_body(&r, JSON_CT, extra, strlen(extra), &detail), ERR_OK,
	    "data beside other members");
	ok(json_object_object_get_ex(r.json, "data", NULL) &&
	    json_object_object_get_ex(r.json, "email", NULL),
	    "  is a field like any other, not an envelope");
	is_int(parse_body(&r, JSON_CT, scalar, strlen(scalar), &detail), ERR_OK,
	    "data that is not an object");
	ok(json_object_object_get_ex(r.json, "requestId", NULL),
	    "  is no envelope either");
	ok(strcmp(r.request_id, "r1") != 0, "  nor its requestId the request's");
}

int
main(void)
{
	if ((A = arena_new()) == NULL)
		return 1;
	diag("JSON bodies");
	test_json_ok();
	test_json_type();
	test_json_bad();
	test_json_strictness();
	test_json_depth();
	test_json_duplicates();
	test_json_duplicate_long();
	test_json_duplicates_big();
	test_json_envelope();
	arena_free(A);
	return done_testing();
}
