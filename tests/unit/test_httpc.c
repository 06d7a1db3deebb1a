/* tests/unit/test_httpc.c — outbound HTTP: the private-address guard, ceilings, retries and timeouts, against a real local server */
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/httpc.h"
#include "core/util.h"
#include "core/log.h"
#include "tap.h"

static int
addr_private(const char *text)
{
	struct sockaddr_in in;
	struct sockaddr_in6 in6;

	memset(&in, 0, sizeof(in));
	memset(&in6, 0, sizeof(in6));
	if (inet_pton(AF_INET, text, &in.sin_addr) == 1) {
		in.sin_family = AF_INET;
		return httpc_addr_private((struct sockaddr *)&in);
	}
	if (inet_pton(AF_INET6, text, &in6.sin6_addr) == 1) {
		in6.sin6_family = AF_INET6;
		return httpc_addr_private((struct sockaddr *)&in6);
	}
	return -1;
}

/* URLs whose host is itself a private address, and those that only name one. */
static void
url_private(void)
{
	ok(httpc_url_private("http://127.0.0.1:8545/") &&
	    httpc_url_private("http://10.1.2.3/x") &&
	    httpc_url_private("http://[::1]:9000") &&
	    httpc_url_private("http://localhost:8080"),
	    "url_private: loopback, 10/8, [::1], localhost");
	ok(!httpc_url_private("https://api.binance.com") &&
	    !httpc_url_private("https://8.8.8.8/") &&
	    !httpc_url_private("not a url") &&
	    !httpc_url_private("https://127.0.0.1.example.com/"),
	    "url_private: a name, a public address, nonsense are not");
}

/* A small HTTP/1.0 server: one answer per path, until killed. */
static void
serve(int ls)
{
	char req[2048], big[4096];
	int flaky = 0, fd;
	ssize_t n;

	memset(big, 'x', sizeof(big));
	for (;;) {
		if ((fd = accept(ls, NULL, NULL)) == -1)
			continue;
		n = read(fd, req, sizeof(req) - 1);
		req[n > 0 ? n : 0] = '\0';
		if (strstr(req, " /ok ") != NULL) {
			dprintf(fd, "HTTP/1.0 200 OK\r\nX-Test: yes \r\n"
			    "Content-Length: 5\r\n\r\nhello");
		} else if (strstr(req, " /echo ") != NULL) {
			char *b = strstr(req, "\r\n\r\n");

			dprintf(fd, "HTTP/1.0 201 Created\r\n\r\n%s %s",
			    strncmp(req, "POST", 4) == 0 ? "POST" : "?",
			    b != NULL ? b + 4 : "");
		} else if (strstr(req, " /big ") != NULL) {
			dprintf(fd, "HTTP/1.0 200 OK\r\n\r\n");
			(void)!write(fd, big, sizeof(big));
		} else if (strstr(req, " /flaky ") != NULL) {
			if (flaky++ % 2 == 0)
				dprintf(fd, "HTTP/1.0 503 Busy\r\nRetry-After: 0\r\n\r\n");
			else
				dprintf(fd, "HTTP/1.0 200 OK\r\n\r\nfine");
		} else if (strstr(req, " /slow ") != NULL) {
			sleep(3);
			dprintf(fd, "HTTP/1.0 200 OK\r\n\r\nlate");
		} else
			dprintf(fd, "HTTP/1.0 404 Not Found\r\n\r\n");
		close(fd);
	}
}

int
main(void)
{
	struct arena *a = arena_new();
	struct httpc_req q;
	struct httpc_resp r;
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char url[128];
	const char *hdrs[] = { "X-Hello: there", NULL };
	int ls, port;
	pid_t pid;
	int64_t t0;
	enum err e;

	url_private();

	log_open("/dev/null", "test_httpc");
	/* ---- the guard's table ---- */
	ok(addr_private("127.0.0.1") == 1, "loopback");
	ok(addr_private("10.1.2.3") == 1, "10/8");
	ok(addr_private("172.31.255.255") == 1, "172.16/12");
	ok(addr_private("172.32.0.1") == 0, "172.32 is public");
	ok(addr_private("192.168.1.1") == 1, "192.168/16");
	ok(addr_private("169.254.169.254") == 1, "link-local (cloud metadata)");
	ok(addr_private("100.64.0.1") == 1, "shared address space");
	ok(addr_private("0.0.0.0") == 1, "this network");
	ok(addr_private("224.0.0.1") == 1, "multicast");
	ok(addr_private("255.255.255.255") == 1, "broadcast");
	ok(addr_private("8.8.8.8") == 0, "a public IPv4 address");
	ok(addr_private("::1") == 1, "IPv6 loopback");
	ok(addr_private("::") == 1, "IPv6 unspecified");
	ok(addr_private("fe80::1") == 1, "IPv6 link-local");
	ok(addr_private("fd00::1") == 1, "IPv6 unique local");
	ok(addr_private("ff02::1") == 1, "IPv6 multicast");
	ok(addr_private("::ffff:127.0.0.1") == 1, "IPv4-mapped loopback");
	ok(addr_private("::ffff:10.0.0.1") == 1, "IPv4-mapped private");
	ok(addr_private("::ffff:8.8.8.8") == 0, "IPv4-mapped public");
	ok(addr_private("64:ff9b::a9fe:a9fe") == 1, "NAT64 of link-local");
	ok(addr_private("2002:7f00:1::") == 1, "6to4 of loopback");
	ok(addr_private("2001:db8::1") == 1, "IPv6 documentation");
	ok(addr_private("2a00:1450:4001::1") == 0, "a public IPv6 address");

	/* ---- a real server on loopback ---- */
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    listen(ls, 16) == -1 ||
	    getsockname(ls, (struct sockaddr *)&sa, &sl) == -1) {
		printf("Bail out! no listening socket\n");
		return 1;
	}
	port = ntohs(sa.sin_port);
	if ((pid = fork()) == 0) {
		serve(ls);
		_exit(0);
	}
	close(ls);

	unsetenv("HZM_HTTPC_ALLOW_PRIVATE");
	memset(&q, 0, sizeof(q));
	q.method = "GET";
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", port);
	q.url = url;
	e = httpc_do(a, &q, &r);
	is_int(e, ERR_FORBIDDEN, "loopback refused by default");
	ok(strstr(r.error, "not allowed") != NULL, "and says why: %s", r.error);
	snprintf(url, sizeof(url), "http://localhost:%d/ok", port);
	is_int(httpc_do(a, &q, &r), ERR_FORBIDDEN, "a name resolving to loopback too");
	q.url = "ftp://example.com/x";
	is_int(httpc_do(a, &q, &r), ERR_FORBIDDEN, "only http and https");
	q.url = "file:///etc/passwd";
	is_int(httpc_do(a, &q, &r), ERR_FORBIDDEN, "no file URLs");

	/* An address from the operator's configuration passes on its own. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", port);
	q.url = url;
	q.operator_url = 1;
	e = httpc_do(a, &q, &r);
	is_int(e, ERR_OK, "loopback allowed for an operator's URL");
	is_int(r.status, 200, "  and answered");
	q.url = "file:///etc/passwd";
	is_int(httpc_do(a, &q, &r), ERR_FORBIDDEN, "  still http and https only");
	q.operator_url = 0;

	setenv("HZM_HTTPC_ALLOW_PRIVATE", "1", 1);
	q.url = url;
	q.headers = hdrs;
	e = httpc_do(a, &q, &r);
	is_int(e, ERR_OK, "allowed by the setting");
	is_int(r.status, 200, "status");
	is_str(r.body, "hello", "body");
	is_int(r.bodylen, 5, "body length");
	is_str(httpc_header(&r, "x-test"), "yes", "a header, trimmed");
	is_str(httpc_header(&r, "X-TEST"), "yes", "found in any case");
	ok(httpc_header(&r, "x-none") == NULL, "an absent header");

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/echo", port);
	q.method = "POST";
	q.body = "{\"a\":1}";
	q.bodylen = 7;
	e = httpc_do(a, &q, &r);
	is_int(r.status, 201, "POST answered");
	is_str(r.body, "POST {\"a\":1}", "the body arrived as sent");
	q.method = "GET";
	q.body = NULL;
	q.bodylen = 0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/big", port);
	q.max_response = 1024;
	is_int(httpc_do(a, &q, &r), ERR_PAYLOAD_TOO_LARGE, "an answer past the ceiling");
	q.max_response = 0;
	is_int(httpc_do(a, &q, &r), ERR_OK, "the same within the default ceiling");
	is_int(r.bodylen, 4096, "all of it");

	/* The server fails every other request to /flaky, the first among them. */
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/flaky", port);
	q.retries = 2;
	e = httpc_do(a, &q, &r);
	is_int(e, ERR_OK, "with retries");
	is_int(r.status, 200, "the 503 is retried (Retry-After: 0) and succeeds");
	is_int(r.attempts, 2, "on the second attempt");
	q.retries = 0;
	e = httpc_do(a, &q, &r);
	is_int(r.status, 503, "without retries the 503 is the answer");
	is_int(r.attempts, 1, "after one attempt");

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/slow", port);
	q.timeout_ms = 500;
	t0 = util_mono_ms();
	e = httpc_do(a, &q, &r);
	is_int(e, ERR_SERVICE_UNAVAILABLE, "a server slower than the timeout");
	ok(util_mono_ms() - t0 < 2500, "given up on in time");
	q.timeout_ms = 0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", port);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	q.retries = 1;
	e = httpc_do(a, &q, &r);
	is_int(e, ERR_SERVICE_UNAVAILABLE, "nobody listening");
	is_int(r.attempts, 2, "tried again once");
	ok(r.error[0] != '\0', "with a reason: %s", r.error);

	arena_free(a);
	return done_testing();
}
