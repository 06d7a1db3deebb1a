/* core/httpc.c — outbound HTTP(S) over libcurl: ceilings, timeouts, retries and a private-address guard */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/httpc.h"
#include "core/log.h"
#include "core/util.h"

#define RETRY_BASE_MS	250
#define RETRY_AFTER_MAX	30

/* One attempt's state, shared with libcurl's callbacks. */
struct attempt {
	struct arena		*arena;
	struct buf		 body;
	struct httpc_resp	*resp;
	struct curl_slist	*pin;		/* CURLOPT_RESOLVE's list */
	int			 allow_private;
	int			 blocked;	/* the guard refused an address */
};

static int
v4_private(uint32_t a)
{
	static const struct { uint32_t net, mask; } nets[] = {
		{ 0x00000000, 0xff000000 },	/* 0.0.0.0/8 "this network" */
		{ 0x0a000000, 0xff000000 },	/* 10/8 */
		{ 0x64400000, 0xffc00000 },	/* 100.64/10 shared (CGN) */
		{ 0x7f000000, 0xff000000 },	/* 127/8 loopback */
		{ 0xa9fe0000, 0xffff0000 },	/* 169.254/16 link-local (cloud metadata) */
		{ 0xac100000, 0xfff00000 },	/* 172.16/12 */
		{ 0xc0000000, 0xffffff00 },	/* 192.0.0/24 protocol assignments */
		{ 0xc0000200, 0xffffff00 },	/* 192.0.2/24 TEST-NET-1 */
		{ 0xc0a80000, 0xffff0000 },	/* 192.168/16 */
		{ 0xc6120000, 0xfffe0000 },	/* 198.18/15 benchmarking */
		{ 0xc6336400, 0xffffff00 },	/* 198.51.100/24 TEST-NET-2 */
		{ 0xcb007100, 0xffffff00 },	/* 203.0.113/24 TEST-NET-3 */
		{ 0xe0000000, 0xf0000000 },	/* 224/4 multicast */
		{ 0xf0000000, 0xf0000000 },	/* 240/4 reserved, broadcast */
	};
	size_t i;

	for (i = 0; i < nitems(nets); i++)
		if ((a & nets[i].mask) == nets[i].net)
			return 1;
	return 0;
}

static uint32_t
v4_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

int
httpc_addr_private(const struct sockaddr *sa)
{
	static const unsigned char mapped[12] =
	    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b };
	const unsigned char *b;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		return v4_private(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family != AF_INET6)
		return 1;
	b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	/* IPv4 inside IPv6 is judged as the IPv4 address it carries. */
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return v4_private(v4_at(b + 12));
	if (b[0] == 0x20 && b[1] == 0x02)		/* 2002::/16 6to4 */
		return v4_private(v4_at(b + 2));
	if ((b[0] & 0xfe) == 0xfc ||			/* fc00::/7 unique local */
	    (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||	/* fe80::/10 link-local */
	    (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) ||	/* fec0::/10 site-local */
	    b[0] == 0xff ||				/* multicast */
	    (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) ||
	    (b[0] == 0x01 && b[1] == 0x00 && memcmp(b + 2, mapped, 6) == 0))
		return 1;
	/* :: and ::1, and the deprecated IPv4-compatible ::a.b.c.d */
	if (memcmp(b, mapped, 10) == 0 && b[10] == 0 && b[11] == 0)
		return 1;
	return 0;
}

int
httpc_url_private(const char *url)
{
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
	char *host = NULL, *h;
	CURLU *u;
	int r = 0;

	if ((u = curl_url()) == NULL)
		return 0;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	/* IPv6 literals come bracketed. */
	h = host;
	if (h[0] == '[') {
		h++;
		h[strcspn(h, "]")] = '\0';
	}
	memset(&v4, 0, sizeof(v4));
	memset(&v6, 0, sizeof(v6));
	v4.sin_family = AF_INET;
	v6.sin6_family = AF_INET6;
	if (strcasecmp(h, "localhost") == 0)
		r = 1;
	else if (inet_pton(AF_INET, h, &v4.sin_addr) == 1)
		r = httpc_addr_private((struct sockaddr *)&v4);
	else if (inet_pton(AF_INET6, h, &v6.sin6_addr) == 1)
		r = httpc_addr_private((struct sockaddr *)&v6);
out:
	curl_free(host);
	curl_url_cleanup(u);
	return r;
}

/*
 * libcurl asks here for every socket it connects, after resolving and on
 * every redirect or reconnection: the one place where the address used
 * is the address checked, so DNS rebinding cannot slip between them.
 */
static curl_socket_t
guard_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *addr)
{
	struct attempt *at = clientp;

	(void)purpose;
	if (!at->allow_private && httpc_addr_private(&addr->addr)) {
		at->blocked = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

static size_t
body_write(char *p, size_t size, size_t n, void *ctx)
{
	struct attempt *at = ctx;

	buf_add(&at->body, p, size * n);
	return at->body.err ? 0 : size * n;	/* short: the transfer ends */
}

static size_t
header_write(char *p, size_t size, size_t n, void *ctx)
{
	struct attempt *at = ctx;
	struct httpc_resp *r = at->resp;
	char *name, *colon, *v, *end;
	size_t i;

	(void)size;
	/* A new status line (100 Continue, then the answer) starts over. */
	if (n >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		r->nheaders = 0;
		return n;
	}
	if ((colon = memchr(p, ':', n)) == NULL || r->nheaders == HTTPC_MAX_HEADERS)
		return n;
	if ((name = arena_strndup(at->arena, p, (size_t)(colon - p))) == NULL)
		return 0;
	for (i = 0; name[i] != '\0'; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	v = colon + 1;
	end = p + n;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if ((r->headers[r->nheaders].value = arena_strndup(at->arena, v,
	    (size_t)(end - v))) == NULL)
		return 0;
	r->headers[r->nheaders++].name = name;
	return n;
}

const char *
httpc_header(const struct httpc_resp *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

static int
setup(CURL *c, const struct httpc_req *q, struct attempt *at,
    struct curl_slist *hdrs, long timeout_ms)
{
	const char *proxy = cfg_get("httpc_proxy", "");
	const char *ca = cfg_get("httpc_ca_file", "");

	if (q->pin != NULL && at->pin == NULL &&
	    (at->pin = curl_slist_append(NULL, q->pin)) == NULL)
		return -1;
	return curl_easy_setopt(c, CURLOPT_URL, q->url) != CURLE_OK ||
	    (at->pin != NULL &&
	    curl_easy_setopt(c, CURLOPT_RESOLVE, at->pin) != CURLE_OK) ||
	    /* An extra trust anchor (a test receiver's own certificate). */
	    (*ca != '\0' &&
	    curl_easy_setopt(c, CURLOPT_CAINFO, ca) != CURLE_OK) ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
	    /* Never a proxy from the environment (httpoxy); one only if set. */
	    curl_easy_setopt(c, CURLOPT_PROXY, proxy) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    timeout_ms < HTTPC_CONNECT_MS ? timeout_ms : (long)HTTPC_CONNECT_MS) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, guard_socket) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, at) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_write) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, at) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_write) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_HEADERDATA, at) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_USERAGENT, "hzm/1") != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method) != CURLE_OK ||
	    (hdrs != NULL &&
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs) != CURLE_OK) ||
	    (q->body != NULL &&
	    (curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)q->bodylen) != CURLE_OK)) ||
	    (strcmp(q->method, "HEAD") == 0 &&
	    curl_easy_setopt(c, CURLOPT_NOBODY, 1L) != CURLE_OK) ? -1 : 0;
}

static int	attempt_result(CURL *, CURLcode, struct attempt *, enum err *);

/* What one attempt ended with; 1: worth another try. */
static int	attempt_result(CURL *, CURLcode, struct attempt *, enum err *);

static int
attempt_one(CURL *c, const struct httpc_req *q, struct attempt *at,
    struct curl_slist *hdrs, long timeout_ms, enum err *e)
{
	struct httpc_resp *r = at->resp;
	CURLcode cc;

	r->nheaders = 0;
	r->status = 0;
	if (setup(c, q, at, hdrs, timeout_ms) == -1) {
		snprintf(r->error, sizeof(r->error), "libcurl setup failed");
		*e = ERR_INTERNAL;
		return 0;
	}
	cc = curl_easy_perform(c);
	return attempt_result(c, cc, at, e);
}

/* What a finished transfer came to (*e); 1: worth another try. */
static int
attempt_result(CURL *c, CURLcode cc, struct attempt *at, enum err *e)
{
	struct httpc_resp *r = at->resp;
	long st = 0;

	if (at->blocked) {
		snprintf(r->error, sizeof(r->error),
		    "address not allowed (private, loopback or reserved)");
		*e = ERR_FORBIDDEN;
		return 0;
	}
	if (cc == CURLE_WRITE_ERROR && at->body.err) {
		snprintf(r->error, sizeof(r->error), "answer larger than %zu bytes",
		    at->body.max);
		*e = ERR_PAYLOAD_TOO_LARGE;
		return 0;
	}
	if (cc == CURLE_UNSUPPORTED_PROTOCOL || cc == CURLE_URL_MALFORMAT) {
		snprintf(r->error, sizeof(r->error), "%s", curl_easy_strerror(cc));
		*e = ERR_FORBIDDEN;
		return 0;
	}
	if (cc != CURLE_OK) {
		snprintf(r->error, sizeof(r->error), "%s", curl_easy_strerror(cc));
		*e = ERR_SERVICE_UNAVAILABLE;
		return cc == CURLE_COULDNT_CONNECT || cc == CURLE_OPERATION_TIMEDOUT ||
		    cc == CURLE_GOT_NOTHING || cc == CURLE_RECV_ERROR ||
		    cc == CURLE_SEND_ERROR || cc == CURLE_COULDNT_RESOLVE_HOST;
	}
	(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st);
	r->status = st;
	*e = ERR_OK;
	return st == 429 || st >= 500;
}

/* How long to wait before attempt n+1 (ms): Retry-After when given. */
static long
backoff_ms(const struct httpc_resp *r, int n)
{
	const char *ra = httpc_header(r, "retry-after");
	long s;

	if (ra != NULL && (s = util_long(ra, -1)) >= 0)
		return (s > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : s) * 1000;
	return (long)RETRY_BASE_MS << (n < 6 ? n : 6);
}

/* q's headers for libcurl, or NULL. */
static struct curl_slist *
headers_make(const struct httpc_req *q)
{
	struct curl_slist *hdrs = NULL, *h;
	size_t i;

	for (i = 0; q->headers != NULL && q->headers[i] != NULL; i++) {
		if ((h = curl_slist_append(hdrs, q->headers[i])) == NULL)
			goto fail;
		hdrs = h;
	}
	/* No "Expect: 100-continue" round trip for bodies. */
	if ((h = curl_slist_append(hdrs, "Expect:")) == NULL)
		goto fail;
	return h;
fail:
	curl_slist_free_all(hdrs);
	return NULL;
}

static int
scheme_ok(const struct httpc_req *q, struct httpc_resp *r)
{
	if (strncasecmp(q->url, "https://", 8) == 0 ||
	    strncasecmp(q->url, "http://", 7) == 0)
		return 1;
	snprintf(r->error, sizeof(r->error), "only http and https URLs");
	return 0;
}

enum err
httpc_do(struct arena *a, const struct httpc_req *q, struct httpc_resp *r)
{
	struct curl_slist *hdrs = NULL;
	struct attempt at;
	long total = q->timeout_ms > 0 ? q->timeout_ms : HTTPC_TIMEOUT_MS;
	int64_t deadline = util_mono_ms() + total, left;
	long wait;
	CURL *c = NULL;
	enum err e = ERR_INTERNAL;
	int again;

	memset(r, 0, sizeof(*r));
	memset(&at, 0, sizeof(at));
	at.arena = a;
	at.resp = r;
	at.allow_private = q->operator_url ||
	    cfg_int("httpc_allow_private", 0) == 1;
	if (!scheme_ok(q, r))
		return ERR_FORBIDDEN;
	if ((hdrs = headers_make(q)) == NULL || (c = curl_easy_init()) == NULL)
		goto out;
	for (;;) {
		left = deadline - util_mono_ms();
		if (left <= 0) {
			if (r->status == 0 && r->error[0] == '\0')
				snprintf(r->error, sizeof(r->error), "timed out");
			break;
		}
		buf_release(&at.body);
		at.body.err = 0;
		at.body.max = q->max_response > 0 ? q->max_response :
		    HTTPC_MAX_RESPONSE;
		r->attempts++;
		again = attempt_one(c, q, &at, hdrs, (long)left, &e);
		if (!again || r->attempts > q->retries)
			break;
		wait = backoff_ms(r, r->attempts - 1);
		if (util_mono_ms() + wait >= deadline)
			break;
		/* The URL without its query, which may carry a secret. */
		log_info("httpc: %s %.*s: attempt %d failed (%s %ld), retrying "
		    "in %ld ms", q->method, (int)strcspn(q->url, "?#"), q->url,
		    r->attempts, r->error, r->status, wait);
		usleep((useconds_t)wait * 1000);
		curl_easy_reset(c);
	}
	if (e == ERR_OK) {
		r->bodylen = at.body.len;
		if ((r->body = buf_finish(&at.body, a)) == NULL)
			e = ERR_INTERNAL;
	}
out:
	buf_release(&at.body);
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	curl_slist_free_all(at.pin);
	return e;
}

/* ---- several requests at once (libcurl multi) ---------------------------------- */

/* One transfer of httpc_do_many(). */
struct transfer {
	CURL			*c;
	struct curl_slist	*hdrs;
	struct attempt		 at;
	int			 added;
};

static void
transfers_free(CURLM *m, struct transfer *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (t[i].added)
			(void)curl_multi_remove_handle(m, t[i].c);
		if (t[i].c != NULL)
			curl_easy_cleanup(t[i].c);
		curl_slist_free_all(t[i].hdrs);
		curl_slist_free_all(t[i].at.pin);
		buf_release(&t[i].at.body);
	}
	free(t);
}

/* Set transfer i up and hand it to m; 0, or -1 with e[i] set. */
static int
transfer_add(CURLM *m, struct arena *a, const struct httpc_req *q,
    struct httpc_resp *r, struct transfer *t, enum err *e)
{
	long timeout = q->timeout_ms > 0 ? q->timeout_ms : HTTPC_TIMEOUT_MS;

	memset(r, 0, sizeof(*r));
	t->at.arena = a;
	t->at.resp = r;
	t->at.allow_private = q->operator_url ||
	    cfg_int("httpc_allow_private", 0) == 1;
	t->at.body.max = q->max_response > 0 ? q->max_response :
	    HTTPC_MAX_RESPONSE;
	*e = ERR_INTERNAL;
	if (!scheme_ok(q, r)) {
		*e = ERR_FORBIDDEN;
		return -1;
	}
	if ((t->hdrs = headers_make(q)) == NULL ||
	    (t->c = curl_easy_init()) == NULL ||
	    setup(t->c, q, &t->at, t->hdrs, timeout) == -1 ||
	    curl_easy_setopt(t->c, CURLOPT_PRIVATE, t) != CURLE_OK ||
	    curl_multi_add_handle(m, t->c) != CURLM_OK)
		return -1;
	t->added = 1;
	r->attempts = 1;
	return 0;
}

/* Run m until every transfer is done, noting each one's outcome. */
static void
transfers_run(CURLM *m, struct transfer *t, enum err *e)
{
	struct transfer *x;
	CURLMsg *msg;
	int running = 1, left;
	size_t i;

	while (running > 0) {
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		while ((msg = curl_multi_info_read(m, &left)) != NULL) {
			if (msg->msg != CURLMSG_DONE ||
			    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
			    (char **)&x) != CURLE_OK)
				continue;
			i = (size_t)(x - t);
			x->at.resp->error[0] = '\0';
			(void)attempt_result(x->c, msg->data.result, &x->at, &e[i]);
			if (e[i] == ERR_OK) {
				x->at.resp->bodylen = x->at.body.len;
				if ((x->at.resp->body = buf_finish(&x->at.body,
				    x->at.arena)) == NULL)
					e[i] = ERR_INTERNAL;
			}
		}
		if (running > 0 && curl_multi_poll(m, NULL, 0, 1000, NULL) != CURLM_OK)
			break;
	}
}

void
httpc_do_many(struct arena *a, const struct httpc_req *q,
    struct httpc_resp *r, enum err *e, size_t n, long parallel)
{
	struct transfer *t;
	CURLM *m;
	size_t i;

	for (i = 0; i < n; i++)
		e[i] = ERR_INTERNAL;
	if (n == 0 || (m = curl_multi_init()) == NULL)
		return;
	if ((t = calloc(n, sizeof(*t))) == NULL) {
		curl_multi_cleanup(m);
		return;
	}
	/* Beyond this many connections, libcurl queues the rest. */
	(void)curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	    parallel > 0 ? parallel : 8L);
	for (i = 0; i < n; i++) {
		if (transfer_add(m, a, &q[i], &r[i], &t[i], &e[i]) == -1)
			continue;
		e[i] = ERR_SERVICE_UNAVAILABLE;	/* until it finishes */
		snprintf(r[i].error, sizeof(r[i].error), "not finished");
	}
	transfers_run(m, t, e);
	transfers_free(m, t, n);
	curl_multi_cleanup(m);
}

enum err
httpc_resolve(const char *host, int port, int allow_private, char *pin,
    size_t pinsz, char *why, size_t whysz)
{
	struct addrinfo hints, *res = NULL, *ai;
	char addr[INET6_ADDRSTRLEN], first[INET6_ADDRSTRLEN + 2];
	enum err e = ERR_OK;
	const void *raw;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	first[0] = '\0';
	if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL) {
		snprintf(why, whysz, "host does not resolve");
		return ERR_SERVICE_UNAVAILABLE;
	}
	/* Every address: a name with one private record among public ones is refused. */
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			raw = &((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			raw = &((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr;
		else
			continue;
		if (inet_ntop(ai->ai_family, raw, addr, sizeof(addr)) == NULL)
			continue;
		if (!allow_private && httpc_addr_private(ai->ai_addr)) {
			snprintf(why, whysz, "address not allowed (private, "
			    "loopback, link-local or reserved)");
			e = ERR_FORBIDDEN;
			break;
		}
		if (first[0] == '\0')
			snprintf(first, sizeof(first), ai->ai_family == AF_INET6 ?
			    "[%s]" : "%s", addr);
	}
	freeaddrinfo(res);
	if (e != ERR_OK)
		return e;
	if (first[0] == '\0') {
		snprintf(why, whysz, "host has no IP address");
		return ERR_SERVICE_UNAVAILABLE;
	}
	if ((size_t)snprintf(pin, pinsz, "%s:%d:%s", host, port, first) >= pinsz) {
		snprintf(why, whysz, "host name too long");
		return ERR_FORBIDDEN;
	}
	return ERR_OK;
}
