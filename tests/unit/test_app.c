/* tests/unit/test_app.c — core/app: app_handle, the whole request path short of FastCGI */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "tests/unit/fixture_http.h"
#include "tests/unit/tap.h"

/* How many times the header name is set. */
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
	char cl[32];
	char *post[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    "CONTENT_TYPE=application/json", cl, NULL };
	char *text[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    "CONTENT_TYPE=text/plain", cl, NULL };
	char *notype[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    cl, NULL };
	char *nobody[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    NULL };
	struct src s;
	struct out o;

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
}

/* Bodies that are not one JSON object, or not all there: 400. */
static void
test_app_body_bad(void)
{
	const char *js = "{\"symbol\":\"BTC_TRY\",\"side\":\"buy\"}";
	char cl[32];
	char *post[] = { "REQUEST_METHOD=POST", "REQUEST_URI=/api/v1/orders",
	    "CONTENT_TYPE=application/json", cl, NULL };
	struct src s;
	struct out o;

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
}

/* CONTENT_LENGTH: malformed is 400, over the limit 413. */
static void
test_app_body_length(void)
{
	char ctl[64];
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

/* The pool's size: <name>_workers, then workers; out of range clamped. */
static void
test_app_workers(void)
{
	setenv("HZM_WORKERS_TEST_WORKERS", "32", 1);
	is_int(app_workers("workers_test"), 32, "<name>_workers sizes the pool");
	setenv("HZM_WORKERS_TEST_WORKERS", "96", 1);
	is_int(app_workers("workers_test"), APP_MAXWORKERS,
	    "a pool over the most is the most, not one worker");
	setenv("HZM_WORKERS_TEST_WORKERS", "0", 1);
	is_int(app_workers("workers_test"), 1, "a pool under one is one");
	unsetenv("HZM_WORKERS_TEST_WORKERS");
	setenv("HZM_WORKERS", "3", 1);
	is_int(app_workers("workers_test"), 3, "without it, workers");
	unsetenv("HZM_WORKERS");
}

int
main(void)
{
	if ((A = arena_new()) == NULL)
		return 1;
	diag("app_handle");
	test_app_routing();
	test_app_request_id();
	test_app_body();
	test_app_body_bad();
	test_app_body_length();
	test_app_fields();
	test_app_errors();
	test_app_workers();
	arena_free(A);
	return done_testing();
}
