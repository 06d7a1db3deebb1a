/* tests/unit/test_http_resp.c — core/http: resp_render, the envelope, status lines, headers, raw bodies and HEAD */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "tests/unit/fixture_http.h"
#include "tests/unit/tap.h"

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

int
main(void)
{
	if ((A = arena_new()) == NULL)
		return 1;
	diag("resp_render");
	test_render_ok();
	test_render_error();
	test_render_headers();
	test_render_raw_and_head();
	arena_free(A);
	return done_testing();
}
