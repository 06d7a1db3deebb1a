/* tests/unit/test_route.c — core/route: route_match, {params}, 404 and 405 with Allow */
#include <stdio.h>
#include <string.h>

#include "tests/unit/fixture_http.h"
#include "tests/unit/tap.h"

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

int
main(void)
{
	if ((A = arena_new()) == NULL)
		return 1;
	diag("route_match");
	test_route_found();
	test_route_not_found();
	test_route_405();
	arena_free(A);
	return done_testing();
}
