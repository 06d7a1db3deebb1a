/* tests/unit/test_http.c — core/http and core/app: query and body parsing, routing, the envelope */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "core/app.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define JSON_CT		"application/json"

static struct arena *A;

static void
fresh(struct req *r)
{
	arena_reset(A);
	req_init(r, A, NULL);
}

/* Query strings */

static void
test_query_basic(void)
{
	struct req r;

	fresh(&r);
	is_int(req_parse_query(&r, ""), ERR_OK, "empty query");
	is_int(r.nqs, 0, "  has no parameters");
	ok(req_query(&r, "a") == NULL, "  and no \"a\"");

	fresh(&r);
	is_int(req_parse_query(&r, "symbol=BTC_TRY&limit=50"), ERR_OK,
	    "two parameters");
	is_int(r.nqs, 2, "  both kept");
	is_str(req_query(&r, "symbol"), "BTC_TRY", "  symbol");
	is_str(req_query(&r, "limit"), "50", "  limit");
	ok(req_query(&r, "Symbol") == NULL, "  names are case-sensitive");
	ok(req_query(&r, "sym") == NULL, "  and matched whole");
	is_str(r.query, "symbol=BTC_TRY&limit=50", "  raw query kept");

	fresh(&r);
	is_int(req_parse_query(&r, "name=J%C3%BCrgen&sp=a+b&pct=100%25"
	    "&plus=%2B&slash=a%2fb&eur=%E2%82%AC"), ERR_OK, "percent-encoding");
	is_str(req_query(&r, "name"), "J\xc3\xbcrgen", "  UTF-8 decoded");
	is_str(req_query(&r, "sp"), "a b", "  '+' is a space");
	is_str(req_query(&r, "pct"), "100%", "  %%25 is '%%'");
	is_str(req_query(&r, "plus"), "+", "  %%2B is '+'");
	is_str(req_query(&r, "slash"), "a/b", "  lower-case hex too");
	is_str(req_query(&r, "eur"), "\xe2\x82\xac", "  three-byte sequence");

	fresh(&r);
	is_int(req_parse_query(&r, "a%5Bb%5D=1&x+y=2"), ERR_OK,
	    "encoded names");
	is_str(req_query(&r, "a[b]"), "1", "  names are decoded");
	is_str(req_query(&r, "x y"), "2", "  '+' in a name");

	fresh(&r);
	is_int(req_parse_query(&r, "flag&empty=&eq=a=b"), ERR_OK,
	    "valueless parameters");
	is_str(req_query(&r, "flag"), "", "  no '=' gives \"\"");
	is_str(req_query(&r, "empty"), "", "  '=' and nothing gives \"\"");
	is_str(req_query(&r, "eq"), "a=b", "  the value runs past a second '='");

	fresh(&r);
	is_int(req_parse_query(&r, "&a=1&&b=2&"), ERR_OK, "empty segments");
	is_int(r.nqs, 2, "  are skipped");

	fresh(&r);
	is_int(req_parse_query(&r, "side=buy&side=sell"), ERR_OK,
	    "a repeated name");
	is_int(r.nqs, 2, "  keeps both, in order");
	ok(r.nqs == 2 && strcmp(r.qs[0].val, "buy") == 0 &&
	    strcmp(r.qs[1].val, "sell") == 0, "  buy then sell");
	is_str(req_query(&r, "side"), "buy", "  req_query gives the first");
}

static void
test_query_errors(void)
{
	static const char *const bad[] = {
		"=v",			/* no name */
		"a=1&=2",
		"%3D=1&=",
		"a=%",			/* truncated escapes */
		"a=%4",
		"a=1%",
		"%=1",
		"a=%zz",		/* not hex */
		"a=%G1",
		"a=%-1",
		"a=% 1",
		"a=%00",		/* NUL */
		"a%00b=1",
		"a=%FF",		/* not UTF-8 */
		"a=%C3",		/* truncated sequence */
		"a=%C3%28",
		"a=%C0%AF",		/* overlong '/' */
		"a=%E0%80%AF",
		"a=%ED%A0%80",		/* surrogate */
		"a=%F4%90%80%80",	/* above U+10FFFF */
		"a=\xff",		/* raw bytes are checked too */
		"a=\xc3",
		"\xe9t\xe9=1",
	};
	struct req r;
	size_t i;

	for (i = 0; i < NELEM(bad); i++) {
		fresh(&r);
		is_int(req_parse_query(&r, bad[i]), ERR_INVALID_REQUEST,
		    "query \"%s\" is refused", tap_esc(bad[i], strlen(bad[i])));
	}
}

static void
test_query_limits(void)
{
	char q[REQ_MAXQUERY + 2];
	struct req r;
	size_t i, n;

	/* REQ_MAXQUERY bytes pass, one more is 414. */
	memset(q, 'x', sizeof(q));
	memcpy(q, "a=", 2);
	q[REQ_MAXQUERY] = '\0';
	fresh(&r);
	is_int(req_parse_query(&r, q), ERR_OK, "a %d-byte query", REQ_MAXQUERY);
	ok(req_query(&r, "a") != NULL &&
	    strlen(req_query(&r, "a")) == REQ_MAXQUERY - 2, "  value kept whole");
	q[REQ_MAXQUERY] = 'x';
	q[REQ_MAXQUERY + 1] = '\0';
	fresh(&r);
	is_int(req_parse_query(&r, q), ERR_URI_TOO_LONG, "a %d-byte query",
	    REQ_MAXQUERY + 1);
	is_int(r.nqs, 0, "  yields no parameters");

	/* REQ_MAXQS parameters pass, one more is 400. */
	for (i = 0, n = 0; i < REQ_MAXQS; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, "%sp%zu=%zu",
		    i ? "&" : "", i, i);
	fresh(&r);
	is_int(req_parse_query(&r, q), ERR_OK, "%d parameters", REQ_MAXQS);
	is_int(r.nqs, REQ_MAXQS, "  all kept");
	is_str(req_query(&r, "p63"), "63", "  the last one too");
	snprintf(q + n, sizeof(q) - n, "&p%d=%d", REQ_MAXQS, REQ_MAXQS);
	fresh(&r);
	is_int(req_parse_query(&r, q), ERR_INVALID_REQUEST, "%d parameters",
	    REQ_MAXQS + 1);
}

static void
test_pct_decode(void)
{
	char *out;

	arena_reset(A);
	out = NULL;
	ok(req_pct_decode(A, "a+b%20c", 7, 0, &out) == 0 && out != NULL &&
	    strcmp(out, "a+b c") == 0, "path decoding keeps '+'");
	ok(req_pct_decode(A, "a+b", 3, 1, &out) == 0 &&
	    strcmp(out, "a b") == 0, "query decoding turns '+' into ' '");
	is_int(req_pct_decode(A, "abc%41", 4, 0, &out), -1,
	    "n is authoritative: \"abc%%41\" cut at 4 is a truncated escape");
	ok(req_pct_decode(A, "%41%42xyz", 6, 0, &out) == 0 &&
	    strcmp(out, "AB") == 0, "  \"%%41%%42\" with n 6 is \"AB\"");
	ok(req_pct_decode(A, "", 0, 0, &out) == 0 && strcmp(out, "") == 0,
	    "empty input");
	out = NULL;
	is_int(req_pct_decode(A, "%4", 2, 0, &out), -1, "truncated escape");
	is_int(req_pct_decode(A, "%00", 3, 0, &out), -1, "encoded NUL");
	is_int(req_pct_decode(A, "%C0%80", 6, 0, &out), -1,
	    "overlong NUL");
	ok(out == NULL, "errors leave *out alone");
}

/* JSON bodies */

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
	char *detail, *s;
	size_t i, n;
	enum err rc;
	clock_t t0;
	double secs;

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

	/* A long name in the details is cut short on a character boundary. */
	{
		char body[2 * 300 + 32];

		n = (size_t)snprintf(body, sizeof(body), "{\"");
		for (i = 0; i < 150; i++)
			n += (size_t)snprintf(body + n, sizeof(body) - n,
			    "\xc3\xa9");
		n += (size_t)snprintf(body + n, sizeof(body) - n, "\":1,\"");
		for (i = 0; i < 150; i++)
			n += (size_t)snprintf(body + n, sizeof(body) - n,
			    "\xc3\xa9");
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
	{
		size_t cap = 50000 * 40 + 64, k;

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

/* Routing */

static int
h_nop(struct req *r, struct resp *w)
{
	(void)r;
	return resp_ok(w, 200, NULL);
}

static const struct route routes[] = {
	{ "GET", "/api/v1/orders", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "POST", "/api/v1/orders", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "GET", "/api/v1/orders/{orderId}", h_nop, AUTH_NONE, SCOPE_NONE,
	    RL_NONE },
	{ "DELETE", "/api/v1/orders/{orderId}", h_nop, AUTH_NONE, SCOPE_NONE,
	    RL_NONE },
	{ "GET", "/api/v1/orders/{orderId}/fills", h_nop, AUTH_NONE,
	    SCOPE_NONE, RL_NONE },
	{ "GET", "/api/v1/markets/{symbol}/trades/{tradeId}", h_nop,
	    AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "PUT", "/api/v1/settings", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "PATCH", "/api/v1/settings", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "GET", "/", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "POST", "/api/v2/{kind}", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "POST", "/api/v2/items", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "DELETE", "/api/v2/items", h_nop, AUTH_NONE, SCOPE_NONE, RL_NONE },
};

static enum err
match(const char *method, const char *path, struct req *r,
    const struct route **rt, char *allow, size_t allowsz)
{
	fresh(r);
	r->method = method;
	r->path = path;
	return route_match(routes, NELEM(routes), r, rt, allow, allowsz);
}

static void
test_route_found(void)
{
	static const struct {
		const char	*method;
		const char	*path;
		size_t		 route;
	} cases[] = {
		{ "GET", "/api/v1/orders", 0 },
		{ "POST", "/api/v1/orders", 1 },
		{ "GET", "/api/v1/orders/ord_1", 2 },
		{ "DELETE", "/api/v1/orders/ord_1", 3 },
		{ "GET", "/api/v1/orders/ord_1/fills", 4 },
		{ "GET", "/api/v1/markets/BTC_TRY/trades/42", 5 },
		{ "PUT", "/api/v1/settings", 6 },
		{ "PATCH", "/api/v1/settings", 7 },
		{ "GET", "/", 8 },
		{ "HEAD", "/api/v1/orders", 0 },
		{ "HEAD", "/api/v1/orders/x", 2 },
		{ "POST", "/api/v2/items", 9 },		/* the first match wins */
		{ "POST", "/api/v2/things", 9 },
		{ "DELETE", "/api/v2/items", 11 },
	};
	const struct route *rt;
	char allow[64];
	struct req r;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		rt = NULL;
		ok(match(cases[i].method, cases[i].path, &r, &rt, allow,
		    sizeof(allow)) == ERR_OK && rt == &routes[cases[i].route],
		    "%s %s matches route %zu", cases[i].method, cases[i].path,
		    cases[i].route);
	}

	match("GET", "/api/v1/orders", &r, &rt, allow, sizeof(allow));
	is_int(r.nparams, 0, "a pattern without {params} sets none");

	match("DELETE", "/api/v1/orders/ord_7f3k", &r, &rt, allow,
	    sizeof(allow));
	is_int(r.nparams, 1, "one {param}");
	is_str(req_param(&r, "orderId"), "ord_7f3k", "  orderId");
	ok(req_param(&r, "orderid") == NULL, "  names are case-sensitive");

	match("GET", "/api/v1/markets/ETH_USDT/trades/1234", &r, &rt, allow,
	    sizeof(allow));
	is_int(r.nparams, 2, "two {params}");
	is_str(req_param(&r, "symbol"), "ETH_USDT", "  symbol");
	is_str(req_param(&r, "tradeId"), "1234", "  tradeId");

	match("GET", "/api/v1/orders/a%20b%C3%BC", &r, &rt, allow,
	    sizeof(allow));
	is_str(req_param(&r, "orderId"), "a b\xc3\xbc",
	    "{params} are percent-decoded");
	match("GET", "/api/v1/orders/a+b", &r, &rt, allow, sizeof(allow));
	is_str(req_param(&r, "orderId"), "a+b", "  '+' stays '+' in a path");
}

static void
test_route_not_found(void)
{
	static const char *const paths[] = {
		"/api/v1/order",
		"/api/v1/ordersX",
		"/api/v1/orders/",		/* an empty {param} */
		"/api/v1/orders//fills",
		"/api/v1/orders/a/b",
		"/api/v1/orders/a/fills/x",
		"/api/v1/orders/a%2Fb",		/* '/' inside a {param} */
		"/api/v1/orders/a%2fb",
		"/api/v1/orders/a%00",		/* NUL */
		"/api/v1/orders/%FF",		/* not UTF-8 */
		"/api/v1/orders/%zz",
		"/api/v1/orders/%4",
		"/api/v1/markets/BTC_TRY/trades",
		"/API/V1/ORDERS",
		"/api/v1/Orders",
		"api/v1/orders",
		"",
		"//",
		"/api/v1/settings/x",
	};
	const struct route *rt;
	char allow[64];
	struct req r;
	size_t i;

	for (i = 0; i < NELEM(paths); i++) {
		rt = &routes[0];
		ok(match("GET", paths[i], &r, &rt, allow, sizeof(allow)) ==
		    ERR_NOT_FOUND && rt == NULL && allow[0] == '\0' &&
		    r.nparams == 0, "GET %s is 404", tap_esc(paths[i],
		    strlen(paths[i])));
	}
}

static void
test_route_405(void)
{
	static const struct {
		const char	*method;
		const char	*path;
		const char	*allow;
	} cases[] = {
		{ "PATCH", "/api/v1/orders", "GET, POST" },
		{ "DELETE", "/api/v1/orders", "GET, POST" },
		{ "PUT", "/api/v1/orders/x", "GET, DELETE" },
		{ "POST", "/api/v1/orders/x/fills", "GET" },
		{ "GET", "/api/v1/settings", "PUT, PATCH" },
		{ "HEAD", "/api/v1/settings", "PUT, PATCH" },
		{ "get", "/api/v1/orders", "GET, POST" },
		{ "", "/api/v1/orders", "GET, POST" },
		{ "OPTIONS", "/", "GET" },
		{ "GET", "/api/v2/items", "POST, DELETE" },	/* POST once */
		{ "PUT", "/api/v2/things", "POST" },
	};
	const struct route *rt;
	char allow[64];
	struct req r;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		rt = &routes[0];
		ok(match(cases[i].method, cases[i].path, &r, &rt, allow,
		    sizeof(allow)) == ERR_METHOD_NOT_ALLOWED && rt == NULL &&
		    strcmp(allow, cases[i].allow) == 0 && r.nparams == 0,
		    "%s %s is 405, Allow: %s (got \"%s\")", cases[i].method,
		    cases[i].path, cases[i].allow, allow);
	}

	/* A short buffer is never overrun and stays a C string. */
	memset(allow, '#', sizeof(allow));
	match("PATCH", "/api/v1/orders", &r, &rt, allow, 6);
	ok(memchr(allow, '\0', 6) != NULL && allow[6] == '#' &&
	    strncmp(allow, "GET", 3) == 0,
	    "a 6-byte Allow buffer holds \"GET\" and is not overrun");
}

/* Rendering the response */

struct out {
	char		*all;
	size_t		 len;
	char		*hdrs;		/* up to the blank line */
	const char	*body;
	size_t		 bodylen;
	struct json_object *json;	/* the body, parsed; owned by A */
};

static int
render(struct req *r, struct resp *w, struct out *o)
{
	char *sep;

	memset(o, 0, sizeof(*o));
	if ((o->all = resp_render(r, w, &o->len)) == NULL)
		return -1;
	if (strlen(o->all) != o->len ||
	    (sep = strstr(o->all, "\r\n\r\n")) == NULL)
		return -1;
	o->hdrs = arena_strndup(A, o->all, (size_t)(sep - o->all) + 2);
	o->body = sep + 4;
	o->bodylen = o->len - (size_t)(o->body - o->all);
	if (o->bodylen > 0)
		o->json = json_own(A, json_tokener_parse(o->body));
	return 0;
}

/* The value of header name, or NULL. */
static const char *
hdr(const struct out *o, const char *name)
{
	const char *p = o->hdrs, *eol;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		if ((eol = strstr(p, "\r\n")) == NULL)
			return NULL;
		if (strncmp(p, name, n) == 0 && p[n] == ':' && p[n + 1] == ' ')
			return arena_strndup(A, p + n + 2,
			    (size_t)(eol - p - n - 2));
		p = eol + 2;
	}
	return NULL;
}

static int
hdr_count(const struct out *o, const char *name)
{
	const char *p = o->hdrs;
	size_t n = strlen(name);
	int k = 0;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == o->hdrs || p[-1] == '\n') && p[n] == ':')
			k++;
		p += n;
	}
	return k;
}

static const char *
jstr(struct json_object *o, const char *path)
{
	struct json_object *v = o;
	char key[64];
	const char *p = path, *dot;

	while (v != NULL && *p != '\0') {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s",
		    (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		if (!json_object_object_get_ex(v, key, &v))
			return NULL;
		p = dot ? dot + 1 : p + strlen(p);
	}
	if (v == NULL)
		return "null";
	return json_object_get_string(v);
}

static struct json_object *
jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static void
req_fixed(struct req *r)
{
	fresh(r);
	snprintf(r->request_id, sizeof(r->request_id), "%s", "req-42");
	snprintf(r->trace_id, sizeof(r->trace_id), "%s",
	    "4bf92f3577b34da6a3ce929d0e0e4736");
	r->now.tv_sec = 1763548200;
	r->now.tv_nsec = 123456789;
}

static void
test_render_ok(void)
{
	struct json_object *d;
	struct req r;
	struct resp w;
	struct out o;
	char cl[32];

	req_fixed(&r);
	resp_init(&w, A);
	d = json_object_new_object();
	json_object_object_add(d, "symbol", json_object_new_string("BTC_TRY"));
	json_object_object_add(d, "path", json_object_new_string("a/b \"q\""));
	resp_ok(&w, 200, d);
	is_int(render(&r, &w, &o), 0, "render a success");
	ok(strncmp(o.all, "Status: 200 OK\r\n", 16) == 0,
	    "  Status: 200 OK comes first");
	is_str(hdr(&o, "Content-Type"), "application/json; charset=utf-8",
	    "  Content-Type");
	snprintf(cl, sizeof(cl), "%zu", o.bodylen);
	is_str(hdr(&o, "Content-Length"), cl, "  Content-Length is the body's");
	is_str(hdr(&o, "Cache-Control"), "no-store", "  Cache-Control");
	is_str(hdr(&o, "X-Content-Type-Options"), "nosniff", "  nosniff");
	is_str(hdr(&o, "X-Request-ID"), "req-42", "  X-Request-ID");
	ok(o.json != NULL, "  the body is JSON");
	is_str(jstr(o.json, "success"), "true", "  success: true");
	is_str(jstr(o.json, "requestId"), "req-42", "  requestId");
	is_str(jstr(o.json, "timestamp"), "2025-11-19T10:30:00.123Z",
	    "  timestamp from r->now");
	is_str(jstr(o.json, "data.symbol"), "BTC_TRY", "  data");
	is_str(jstr(o.json, "data.path"), "a/b \"q\"", "  strings survive");
	ok(strstr(o.body, "a/b") != NULL, "  '/' is not escaped");
	ok(jget(o.json, "error") == NULL && jget(o.json, "meta") == NULL &&
	    jget(o.json, "links") == NULL, "  no error, meta or links");

	req_fixed(&r);
	resp_init(&w, A);
	resp_ok(&w, 201, NULL);
	render(&r, &w, &o);
	ok(strncmp(o.all, "Status: 201 Created\r\n", 21) == 0,
	    "201 Created");
	ok(json_object_is_type(jget(o.json, "data"), json_type_object) &&
	    json_object_object_length(jget(o.json, "data")) == 0,
	    "  NULL data is {}");

	req_fixed(&r);
	resp_init(&w, A);
	d = json_object_new_object();
	json_object_object_add(d, "total", json_object_new_int(3));
	resp_list(&w, json_object_new_array(), d, json_object_new_object());
	render(&r, &w, &o);
	ok(json_object_is_type(jget(o.json, "data"), json_type_array),
	    "resp_list: data is the array");
	is_str(jstr(o.json, "meta.total"), "3", "  meta");
	ok(jget(o.json, "links") != NULL, "  links");
}

static void
test_render_error(void)
{
	struct json_object *d;
	struct req r;
	struct resp w;
	struct out o;

	req_fixed(&r);
	resp_init(&w, A);
	resp_error(&w, ERR_ORDER_NOT_FOUND, NULL);
	is_int(w.status, 404, "resp_error takes the status from the table");
	is_int(render(&r, &w, &o), 0, "render an error");
	ok(strncmp(o.all, "Status: 404 Not Found\r\n", 23) == 0,
	    "  Status: 404 Not Found");
	is_str(jstr(o.json, "success"), "false", "  success: false");
	is_str(jstr(o.json, "error.code"), "ORDER_NOT_FOUND", "  code");
	is_str(jstr(o.json, "error.message"), "Order does not exist",
	    "  the table's message");
	ok(json_object_is_type(jget(jget(o.json, "error"), "details"),
	    json_type_object), "  details is {}");
	is_str(jstr(o.json, "error.traceId"),
	    "4bf92f3577b34da6a3ce929d0e0e4736", "  traceId");
	is_str(jstr(o.json, "requestId"), "req-42", "  requestId");
	ok(jget(o.json, "data") == NULL, "  no data");

	req_fixed(&r);
	resp_init(&w, A);
	resp_ok(&w, 200, json_object_new_object());
	d = json_object_new_object();
	json_object_object_add(d, "field", json_object_new_string("price"));
	resp_error_details(&w, ERR_TRADE_003, "price must be positive", d);
	render(&r, &w, &o);
	ok(strncmp(o.all, "Status: 400 Bad Request\r\n", 25) == 0,
	    "an error after a success replaces it: 400");
	is_str(jstr(o.json, "error.code"), "TRADE_003", "  code");
	is_str(jstr(o.json, "error.message"), "price must be positive",
	    "  the message given");
	is_str(jstr(o.json, "error.details.field"), "price", "  details");
	ok(jget(o.json, "data") == NULL, "  the earlier data is gone");

	req_fixed(&r);
	resp_init(&w, A);
	resp_error(&w, ERR_SERVICE_UNAVAILABLE, NULL);
	render(&r, &w, &o);
	ok(strncmp(o.all, "Status: 503 Service Unavailable\r\n", 33) == 0,
	    "503 Service Unavailable");
}

static void
test_render_headers(void)
{
	struct req r;
	struct resp w;
	struct out o;
	char name[RESP_MAXHDRS + 1][16];
	int i;

	req_fixed(&r);
	resp_init(&w, A);
	resp_ok(&w, 200, NULL);
	is_int(resp_header(&w, "Location", "/api/v1/orders/1"), 0,
	    "resp_header adds a header");
	is_int(resp_header(&w, "X-Evil", "a\r\nSet-Cookie: x=1"), -1,
	    "  CR LF in a value is refused");
	is_int(resp_header(&w, "X-Evil", "a\nb"), -1, "  so is a lone LF");
	is_int(resp_header(&w, "X-Evil", "a\rb"), -1, "  and a lone CR");
	render(&r, &w, &o);
	is_str(hdr(&o, "Location"), "/api/v1/orders/1", "  it is rendered");
	ok(hdr(&o, "X-Evil") == NULL && hdr(&o, "Set-Cookie") == NULL,
	    "  the refused ones are not");

	req_fixed(&r);
	resp_init(&w, A);
	for (i = 0; i < RESP_MAXHDRS; i++) {
		snprintf(name[i], sizeof(name[i]), "X-H%d", i);
		if (resp_header(&w, name[i], "v") != 0)
			break;
	}
	is_int(i, RESP_MAXHDRS, "%d headers fit", RESP_MAXHDRS);
	is_int(resp_header(&w, "X-One-Too-Many", "v"), -1, "  one more does not");
	render(&r, &w, &o);
	ok(hdr(&o, "X-H0") != NULL && hdr(&o, "X-H15") != NULL &&
	    hdr(&o, "X-One-Too-Many") == NULL, "  all %d are rendered",
	    RESP_MAXHDRS);
}

static void
test_render_raw_and_head(void)
{
	struct req r;
	struct resp w;
	struct out o;
	char cl[32];
	size_t getlen;

	req_fixed(&r);
	resp_init(&w, A);
	w.ctype = "text/plain; charset=utf-8";
	w.raw = "hello\n";
	w.rawlen = 6;
	render(&r, &w, &o);
	is_str(hdr(&o, "Content-Type"), "text/plain; charset=utf-8",
	    "a raw body has its own Content-Type");
	is_str(hdr(&o, "Content-Length"), "6", "  and length");
	ok(o.bodylen == 6 && memcmp(o.body, "hello\n", 6) == 0,
	    "  and is sent as is");

	/* HEAD: the same headers as GET, no body. */
	req_fixed(&r);
	resp_init(&w, A);
	resp_ok(&w, 200, json_object_new_string("some data"));
	render(&r, &w, &o);
	getlen = o.bodylen;
	w.head = 1;
	render(&r, &w, &o);
	is_int(o.bodylen, 0, "HEAD: no body");
	snprintf(cl, sizeof(cl), "%zu", getlen);
	is_str(hdr(&o, "Content-Length"), cl,
	    "  Content-Length is what GET would send (RFC 9110 8.6)");
	is_str(hdr(&o, "Content-Type"), "application/json; charset=utf-8",
	    "  Content-Type as for GET");
	ok(o.len >= 4 && memcmp(o.all + o.len - 4, "\r\n\r\n", 4) == 0,
	    "  the output ends with the blank line");
}

/* app_handle: the whole request path short of FastCGI */

static struct calls {
	int		 n;
	const char	*which;
	char		 param[64];
	char		 query[64];
	char		 symbol[64];
	int		 json;
} calls;

struct src {
	const char	*p;
	size_t		 n;
	size_t		 off;
	size_t		 chunk;		/* at most this much per read */
	int		 reads;
};

static long
src_read(void *ctx, char *buf, size_t n)
{
	struct src *s = ctx;
	size_t k = s->n - s->off;

	s->reads++;
	if (k > n)
		k = n;
	if (s->chunk != 0 && k > s->chunk)
		k = s->chunk;
	memcpy(buf, s->p + s->off, k);
	s->off += k;
	return (long)k;
}

static void
record(struct req *r, const char *which)
{
	const char *v;
	struct json_object *o;

	calls.n++;
	calls.which = which;
	calls.json = r->json != NULL;
	snprintf(calls.param, sizeof(calls.param), "%s",
	    (v = req_param(r, "orderId")) ? v : "");
	snprintf(calls.query, sizeof(calls.query), "%s",
	    (v = req_query(r, "limit")) ? v : "");
	calls.symbol[0] = '\0';
	if (r->json != NULL && json_object_object_get_ex(r->json, "symbol", &o))
		snprintf(calls.symbol, sizeof(calls.symbol), "%s",
		    json_object_get_string(o));
}

static int
h_list(struct req *r, struct resp *w)
{
	record(r, "list");
	return resp_ok(w, 200, json_object_new_array());
}

static int
h_create(struct req *r, struct resp *w)
{
	struct json_object *d = json_object_new_object();

	record(r, "create");
	json_object_object_add(d, "symbol", json_object_new_string(calls.symbol));
	return resp_ok(w, 201, d);
}

static int
h_get(struct req *r, struct resp *w)
{
	struct json_object *d = json_object_new_object();

	record(r, "get");
	json_object_object_add(d, "orderId", json_object_new_string(
	    req_param(r, "orderId")));
	return resp_ok(w, 200, d);
}

static int
h_fail(struct req *r, struct resp *w)
{
	(void)w;
	record(r, "fail");
	return -1;
}

static int
h_busy(struct req *r, struct resp *w)
{
	record(r, "busy");
	return resp_error(w, ERR_SERVICE_UNAVAILABLE, NULL);
}

static int
h_private(struct req *r, struct resp *w)
{
	record(r, "private");
	return resp_ok(w, 200, NULL);
}

/* A form: its fields checked before h_form runs, read by index. */
enum { FORM_NAME, FORM_LEVEL, FORM_DOC };
static const char *const form_levels[] = { "LOW", "HIGH", NULL };
static const struct in_field form_doc[] = {
	{ "data", IN_BASE64, IN_REQUIRED, 0, 16 },
	{ NULL }
};
static const struct in_field form_fields[] = {
	[FORM_NAME]	= { "name", IN_STRING, IN_REQUIRED, 1, 8 },
	[FORM_LEVEL]	= { "level", IN_STRING, IN_OPTIONAL, 1, 8,
			    .oneof = form_levels },
	[FORM_DOC]	= { "doc", IN_OBJECT, IN_OPTIONAL, .fields = form_doc,
			    .code = ERR_KYC_004 },
	{ NULL }
};

static int
h_form(struct req *r, struct resp *w)
{
	struct json_object *d = json_object_new_object();

	record(r, "form");
	json_object_object_add(d, "name", json_object_new_string(
	    r->in[FORM_NAME].s));
	json_object_object_add(d, "level", json_object_new_int(
	    r->in[FORM_LEVEL].s != NULL ? (int)r->in[FORM_LEVEL].num : -1));
	return resp_ok(w, 200, d);
}

static const struct route app_routes[] = {
	{ "GET", "/api/v1/orders", h_list, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "POST", "/api/v1/orders", h_create, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "GET", "/api/v1/orders/{orderId}", h_get, AUTH_NONE, SCOPE_NONE,
	    RL_NONE },
	{ "GET", "/api/v1/fail", h_fail, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "GET", "/api/v1/busy", h_busy, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "GET", "/api/v1/account", h_private, AUTH_USER, SCOPE_READ,
	    RL_NONE },
	{ "POST", "/api/v1/forms", h_form, AUTH_NONE, SCOPE_NONE, RL_NONE,
	    form_fields },
	{ "POST", "/api/v1/account/forms", h_form, AUTH_USER, SCOPE_NONE,
	    RL_NONE, form_fields },
};

/* The identity service's part, reduced to refusing whoever is not known. */
static enum err
test_auth(struct req *r, enum auth need, int scope, struct user *u)
{
	(void)need;
	(void)scope;
	(void)u;
	return req_header(r, "Authorization") == NULL ? ERR_UNAUTHORIZED :
	    ERR_AUTH_003;
}

static const struct app test_app = {
	.name = "test",
	.routes = app_routes,
	.nroutes = NELEM(app_routes),
	.auth = test_auth,
};

/* A program that declares a private route but no authenticator. */
static const struct app test_app_noauth = {
	.name = "noauth",
	.routes = app_routes,
	.nroutes = NELEM(app_routes),
};

static int
handle_app(const struct app *app, char **envp, struct src *body,
    struct out *o)
{
	static struct req r;
	static struct resp w;

	arena_reset(A);
	memset(&calls, 0, sizeof(calls));
	req_init(&r, A, envp);
	resp_init(&w, A);
	app_handle(app, &r, &w, src_read, body);
	if (render(&r, &w, o) == -1)
		return -1;
	return w.status;
}

static int
handle(char **envp, struct src *body, struct out *o)
{
	return handle_app(&test_app, envp, body, o);
}

static void
test_app_routing(void)
{
	char *list[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/api/v1/orders?limit=5", "REMOTE_ADDR=192.0.2.1",
	    NULL };
	char *slash[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/api/v1/orders/?limit=7", NULL };
	char *get[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/api/v1/orders/ord_9/", NULL };
	char *head[] = { "REQUEST_METHOD=HEAD",
	    "REQUEST_URI=/api/v1/orders/ord_9", NULL };
	char *patch[] = { "REQUEST_METHOD=PATCH",
	    "REQUEST_URI=/api/v1/orders", NULL };
	char *nope[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/nope",
	    NULL };
	char *twoslash[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/api/v1/orders//", NULL };
	struct src none = { "", 0, 0, 0, 0 };
	struct out o;
	char cl[32];
	size_t getlen;

	is_int(handle(list, &none, &o), 200, "GET /api/v1/orders?limit=5");
	ok(calls.n == 1 && strcmp(calls.which, "list") == 0,
	    "  reaches its handler once");
	is_str(calls.query, "5", "  which sees the query");
	is_str(jstr(o.json, "success"), "true", "  success envelope");

	is_int(handle(slash, &none, &o), 200, "a trailing slash");
	ok(calls.n == 1 && strcmp(calls.which, "list") == 0,
	    "  is dropped before matching");
	is_str(calls.query, "7", "  the query still parsed");

	is_int(handle(get, &none, &o), 200, "GET /api/v1/orders/ord_9/");
	ok(calls.n == 1 && strcmp(calls.which, "get") == 0 &&
	    strcmp(calls.param, "ord_9") == 0, "  {orderId} is ord_9");
	is_str(jstr(o.json, "data.orderId"), "ord_9", "  and comes back");
	getlen = o.bodylen;

	is_int(handle(head, &none, &o), 200, "HEAD on a GET route");
	ok(calls.n == 1 && strcmp(calls.which, "get") == 0,
	    "  runs the GET handler");
	is_int(o.bodylen, 0, "  sends no body");
	snprintf(cl, sizeof(cl), "%zu", getlen);
	is_str(hdr(&o, "Content-Length"), cl, "  but GET's Content-Length");

	is_int(handle(patch, &none, &o), 405, "PATCH /api/v1/orders");
	is_int(calls.n, 0, "  runs no handler");
	is_str(hdr(&o, "Allow"), "GET, POST", "  Allow: GET, POST");
	is_int(hdr_count(&o, "Allow"), 1, "  once");
	is_str(jstr(o.json, "error.code"), "METHOD_NOT_ALLOWED", "  code");

	is_int(handle(nope, &none, &o), 404, "an unknown path");
	is_int(calls.n, 0, "  runs no handler");
	is_str(jstr(o.json, "error.code"), "NOT_FOUND", "  code NOT_FOUND");
	ok(hdr(&o, "Allow") == NULL, "  and has no Allow");

	is_int(handle(twoslash, &none, &o), 404,
	    "only one trailing slash is dropped");
}

static void
test_app_request_id(void)
{
	char *given[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/orders",
	    "HTTP_X_REQUEST_ID=client-id.1:2_3", NULL };
	char *bad[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/orders",
	    "HTTP_X_REQUEST_ID=bad id<script>", NULL };
	char *trace[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/nope",
	    "HTTP_TRACEPARENT=00-4bf92f3577b34da6a3ce929d0e0e4736-"
	    "00f067aa0ba902b7-01", NULL };
	char *zero[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/nope",
	    "HTTP_TRACEPARENT=00-00000000000000000000000000000000-"
	    "00f067aa0ba902b7-01", NULL };
	struct src none = { "", 0, 0, 0, 0 };
	struct out o;
	const char *id;

	handle(given, &none, &o);
	is_str(hdr(&o, "X-Request-ID"), "client-id.1:2_3",
	    "a well-formed X-Request-ID is echoed");
	is_str(jstr(o.json, "requestId"), "client-id.1:2_3", "  in the body too");

	handle(bad, &none, &o);
	id = hdr(&o, "X-Request-ID");
	ok(id != NULL && strlen(id) == 36 && id[8] == '-' && id[14] == '4',
	    "a malformed one is replaced by a UUID (%s)", id ? id : "none");

	handle(trace, &none, &o);
	is_str(jstr(o.json, "error.traceId"), "4bf92f3577b34da6a3ce929d0e0e4736",
	    "traceparent gives the trace id");
	handle(zero, &none, &o);
	id = jstr(o.json, "error.traceId");
	ok(id != NULL && strlen(id) == 32 &&
	    strcmp(id, "00000000000000000000000000000000") != 0,
	    "an all-zero trace id is replaced");
}

/* POST body under env, whose CONTENT_LENGTH entry is form_cl. */
static char form_cl[48];
static int
send_form(char **env, const char *body, struct out *o)
{
	static struct src s;

	snprintf(form_cl, sizeof(form_cl), "CONTENT_LENGTH=%zu", strlen(body));
	s = (struct src){ body, strlen(body), 0, 0, 0 };
	return handle(env, &s, o);
}

static void
test_app_fields(void)
{
	char *cl = form_cl;
	char *post[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/forms",
	    "CONTENT_TYPE=application/json", cl, NULL };
	char *priv[] = { "REQUEST_METHOD=POST",
	    "REQUEST_URI=/api/v1/account/forms",
	    "CONTENT_TYPE=application/json", cl, NULL };
	char *nobody[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/forms",
	    NULL };
	struct src s;
	struct out o;

	is_int(send_form(post, "{\"name\":\"ann\",\"level\":\"HIGH\"}", &o), 200,
	    "a form with its declared fields");
	ok(calls.n == 1 && strcmp(calls.which, "form") == 0, "  reaches its handler");
	is_str(jstr(o.json, "data.name"), "ann", "  which reads r->in by index");
	is_str(jstr(o.json, "data.level"), "1", "  and the index of a oneof");

	is_int(send_form(post, "{\"name\":\"ann\",\"level\":\"MID\"}", &o), 400,
	    "a value out of its set");
	is_int(calls.n, 0, "  runs no handler");
	is_str(jstr(o.json, "error.code"), "INVALID_REQUEST", "  code");
	is_str(jstr(o.json, "error.details.field"), "level", "  details.field");
	is_str(jstr(o.json, "error.details.reason"), "one of LOW, HIGH",
	    "  details.reason");

	is_int(send_form(post, "{\"name\":\"ann\",\"nick\":\"a\"}", &o), 400,
	    "an undeclared field");
	is_str(jstr(o.json, "error.details.field"), "nick", "  named");
	is_str(jstr(o.json, "error.details.reason"), "unknown field", "  as unknown");

	is_int(send_form(post, "{\"name\":\"ann\",\"doc\":{\"data\":\"x\"}}", &o),
	    400,
	    "a fault inside an object");
	is_str(jstr(o.json, "error.code"), "KYC_004", "  answered with its field's code");
	is_str(jstr(o.json, "error.details.field"), "doc.data", "  named by its path");

	s = (struct src){ "", 0, 0, 0, 0 };
	is_int(handle(nobody, &s, &o), 400, "no body at all");
	is_str(jstr(o.json, "error.details.field"), "name", "  a required field missing");
	is_int(calls.n, 0, "  runs no handler");

	is_int(send_form(priv, "{\"nick\":1}", &o), 401,
	    "a private route: the caller before the fields");
	is_int(calls.n, 0, "  runs no handler");
}

static void
test_app_body(void)
{
	const char *js = "{\"symbol\":\"BTC_TRY\",\"side\":\"buy\"}";
	char cl[32], ctl[64];
	char *post[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    "CONTENT_TYPE=application/json", cl, NULL };
	char *text[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    "CONTENT_TYPE=text/plain", cl, NULL };
	char *notype[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    cl, NULL };
	char *nobody[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    NULL };
	char *badlen[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    "CONTENT_TYPE=application/json", ctl, NULL };
	struct src s;
	struct out o;
	struct {
		const char	*cl;
	} badcl[] = { { "CONTENT_LENGTH=abc" }, { "CONTENT_LENGTH=-1" },
	    { "CONTENT_LENGTH=+5" }, { "CONTENT_LENGTH=5x" },
	    { "CONTENT_LENGTH=99999999999999999999999" } };
	size_t i;

	snprintf(cl, sizeof(cl), "CONTENT_LENGTH=%zu", strlen(js));
	s = (struct src){ js, strlen(js), 0, 7, 0 };
	is_int(handle(post, &s, &o), 201, "POST a JSON object, read in "
	    "7-byte pieces");
	ok(calls.n == 1 && calls.json && strcmp(calls.symbol, "BTC_TRY") == 0,
	    "  the handler sees r->json");
	is_int(s.off, s.n, "  the whole body was read");
	is_str(jstr(o.json, "data.symbol"), "BTC_TRY", "  201 envelope");

	s = (struct src){ js, strlen(js), 0, 0, 0 };
	is_int(handle(text, &s, &o), 415, "text/plain body");
	is_int(calls.n, 0, "  runs no handler");
	is_str(jstr(o.json, "error.code"), "UNSUPPORTED_MEDIA_TYPE", "  code");

	s = (struct src){ js, strlen(js), 0, 0, 0 };
	is_int(handle(notype, &s, &o), 415, "a body without Content-Type");

	s = (struct src){ "", 0, 0, 0, 0 };
	is_int(handle(nobody, &s, &o), 201, "POST without a body");
	ok(calls.n == 1 && !calls.json, "  the handler sees no r->json");

	s = (struct src){ "{\"a\":1} x", 9, 0, 0, 0 };
	snprintf(cl, sizeof(cl), "CONTENT_LENGTH=9");
	is_int(handle(post, &s, &o), 400, "trailing data after the object");
	is_int(calls.n, 0, "  runs no handler");
	is_str(jstr(o.json, "error.code"), "INVALID_REQUEST", "  code");
	ok(jstr(o.json, "error.details.reason") != NULL &&
	    strncmp(jstr(o.json, "error.details.reason"), "malformed JSON: ",
	    16) == 0, "  details.reason says why: %s",
	    jstr(o.json, "error.details.reason"));

	s = (struct src){ "{\"symbol\":\"A\",\"symbol\":\"B\"}", 27, 0, 0, 0 };
	snprintf(cl, sizeof(cl), "CONTENT_LENGTH=27");
	is_int(handle(post, &s, &o), 400, "a member named twice");
	is_int(calls.n, 0, "  runs no handler");
	is_str(jstr(o.json, "error.code"), "INVALID_REQUEST", "  code");
	is_str(jstr(o.json, "error.details.field"), "symbol",
	    "  details.field names it");
	is_str(jstr(o.json, "error.details.reason"), "duplicate key",
	    "  details.reason says why");

	s = (struct src){ "[1,2]", 5, 0, 0, 0 };
	snprintf(cl, sizeof(cl), "CONTENT_LENGTH=5");
	is_int(handle(post, &s, &o), 400, "an array body");
	is_str(jstr(o.json, "error.details.reason"),
	    "body must be a JSON object", "  details.reason says why");

	/* A body shorter than declared is an error, not a hang. */
	s = (struct src){ js, 10, 0, 0, 0 };
	snprintf(cl, sizeof(cl), "CONTENT_LENGTH=%zu", strlen(js));
	is_int(handle(post, &s, &o), 400, "a body shorter than Content-Length");
	is_int(calls.n, 0, "  runs no handler");

	for (i = 0; i < NELEM(badcl); i++) {
		snprintf(ctl, sizeof(ctl), "%s", badcl[i].cl);
		s = (struct src){ "{}", 2, 0, 0, 0 };
		is_int(handle(badlen, &s, &o), 400, "%s is 400", badcl[i].cl);
		is_int(calls.n, 0, "  runs no handler");
	}

	/* Over the limit: 413, and what was sent is drained. */
	{
		size_t big = 2 * 1024 * 1024;
		char *p = calloc(1, big);

		if (p == NULL)
			abort();
		snprintf(ctl, sizeof(ctl), "CONTENT_LENGTH=%zu", big);
		s = (struct src){ p, big, 0, 0, 0 };
		is_int(handle(badlen, &s, &o), 413, "a 2 MiB body is 413");
		is_int(calls.n, 0, "  runs no handler");
		is_int(s.off, big, "  and the body is drained");
		is_str(jstr(o.json, "error.code"), "PAYLOAD_TOO_LARGE", "  code");
		free(p);
	}
}

static void
test_app_errors(void)
{
	char *fail[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/fail",
	    NULL };
	char *busy[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/busy",
	    NULL };
	char *priv[] = { "REQUEST_METHOD=GET", "REQUEST_URI=/api/v1/account",
	    NULL };
	char *nouri[] = { "REQUEST_METHOD=GET", NULL };
	char *relative[] = { "REQUEST_METHOD=GET", "REQUEST_URI=api/v1/orders",
	    NULL };
	char *badq[] = { "REQUEST_METHOD=GET",
	    "REQUEST_URI=/api/v1/orders?limit=%zz", NULL };
	char longq[REQ_MAXQUERY + 64], longp[REQ_MAXQUERY + 64];
	char *toolongq[] = { "REQUEST_METHOD=GET", longq, NULL };
	char *toolongp[] = { "REQUEST_METHOD=GET", longp, NULL };
	struct src none = { "", 0, 0, 0, 0 };
	struct out o;
	int n;

	is_int(handle(fail, &none, &o), 500,
	    "a handler failing without a response is 500");
	is_str(jstr(o.json, "error.code"), "INTERNAL_ERROR", "  INTERNAL_ERROR");

	is_int(handle(busy, &none, &o), 503, "a 503 from a handler");
	is_str(hdr(&o, "Retry-After"), "1", "  gets Retry-After");

	is_int(handle(priv, &none, &o), 401,
	    "a route needing a user, without credentials");
	is_str(jstr(o.json, "error.code"), "UNAUTHORIZED", "  UNAUTHORIZED");
	is_int(calls.n, 0, "  runs no handler");
	is_int(handle_app(&test_app_noauth, priv, &none, &o), 500,
	    "a private route in a program without an authenticator is 500");
	is_int(calls.n, 0, "  runs no handler");

	is_int(handle(nouri, &none, &o), 400, "no REQUEST_URI is 400");
	is_int(handle(relative, &none, &o), 400, "a relative URI is 400");
	is_int(handle(badq, &none, &o), 400, "a malformed query is 400");
	is_int(calls.n, 0, "  runs no handler");

	n = snprintf(longq, sizeof(longq), "REQUEST_URI=/api/v1/orders?a=");
	memset(longq + n, 'x', sizeof(longq) - (size_t)n - 1);
	longq[sizeof(longq) - 1] = '\0';
	is_int(handle(toolongq, &none, &o), 414, "a query over %d bytes is 414",
	    REQ_MAXQUERY);
	is_str(jstr(o.json, "error.code"), "URI_TOO_LONG", "  URI_TOO_LONG");

	n = snprintf(longp, sizeof(longp), "REQUEST_URI=/");
	memset(longp + n, 'p', sizeof(longp) - (size_t)n - 1);
	longp[sizeof(longp) - 1] = '\0';
	is_int(handle(toolongp, &none, &o), 414, "a path over %d bytes is 414",
	    REQ_MAXQUERY);
}

int
main(void)
{
	if ((A = arena_new()) == NULL)
		return 1;
	diag("query strings");
	test_query_basic();
	test_query_errors();
	test_query_limits();
	test_pct_decode();
	diag("JSON bodies");
	test_json_ok();
	test_json_type();
	test_json_bad();
	test_json_strictness();
	test_json_depth();
	test_json_duplicates();
	diag("route_match");
	test_route_found();
	test_route_not_found();
	test_route_405();
	diag("resp_render");
	test_render_ok();
	test_render_error();
	test_render_headers();
	test_render_raw_and_head();
	diag("app_handle");
	test_app_routing();
	test_app_request_id();
	test_app_body();
	test_app_fields();
	test_app_errors();
	arena_free(A);
	return done_testing();
}
