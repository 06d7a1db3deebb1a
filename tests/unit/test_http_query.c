/* tests/unit/test_http_query.c — core/http: query strings and percent-decoding */
#include <stdio.h>
#include <string.h>

#include "tests/unit/fixture_http.h"
#include "tests/unit/tap.h"

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
	arena_free(A);
	return done_testing();
}
