/* core/httpc.h — outbound HTTP(S) over libcurl: ceilings, timeouts, retries and a private-address guard */
#ifndef HZM_HTTPC_H
#define HZM_HTTPC_H

#include <stddef.h>

#include "core/err.h"

struct arena;
struct sockaddr;

#define HTTPC_TIMEOUT_MS	10000		/* the whole exchange */
#define HTTPC_CONNECT_MS	5000
#define HTTPC_MAX_RESPONSE	(1024 * 1024)	/* body bytes kept */
#define HTTPC_MAX_HEADERS	32

struct httpc_req {
	const char		*method;	/* "GET", "POST", "DELETE" ... */
	const char		*url;		/* http:// or https:// only */
	const char *const	*headers;	/* "Name: value", NULL-terminated, or NULL */
	const char		*body;		/* or NULL */
	size_t			 bodylen;
	long			 timeout_ms;	/* 0: HTTPC_TIMEOUT_MS */
	size_t			 max_response;	/* 0: HTTPC_MAX_RESPONSE */
	/*
	 * Further attempts after a connection failure, a timeout, 429 or a
	 * 5xx, waiting 2^n * 250 ms between them (or Retry-After, up to
	 * the timeout). Only for requests that are safe to repeat.
	 */
	int			 retries;
	/*
	 * The URL is the operator's (a setting such as a node's RPC URL),
	 * never a user's: private and loopback addresses are allowed, as
	 * such services live on them. URLs that come from users (webhooks)
	 * leave it 0 and keep the guard.
	 */
	int			 operator_url;
	/*
	 * "host:port:address" (CURLOPT_RESOLVE): connect to the address
	 * the caller resolved and checked itself (httpc_resolve), not to
	 * whatever the name resolves to when libcurl asks. NULL: resolve.
	 */
	const char		*pin;
};

struct httpc_hdr {
	const char	*name;		/* lower case */
	const char	*value;
};

struct httpc_resp {
	long		 status;	/* 0 when no answer came */
	char		*body;		/* NUL-terminated, in the arena */
	size_t		 bodylen;
	struct httpc_hdr headers[HTTPC_MAX_HEADERS];
	size_t		 nheaders;
	int		 attempts;
	char		 error[256];	/* why there was no answer */
};

/*
 * Perform one request. ERR_OK: an answer came (any status; resp->status
 * says which). ERR_FORBIDDEN: the address is private, loopback,
 * link-local or otherwise not public, the setting httpc_allow_private is
 * not 1 and the request is not an operator_url one (checked on every address actually
 * connected to, so a name that resolves, or later re-resolves, to such
 * an address is refused too), or the scheme is not http(s).
 * ERR_PAYLOAD_TOO_LARGE: the answer passed max_response.
 * ERR_SERVICE_UNAVAILABLE: no answer (resp->error says why).
 * Redirects are not followed.
 */
enum err	 httpc_do(struct arena *, const struct httpc_req *,
		    struct httpc_resp *);
/*
 * Perform n requests at once over libcurl's multi interface, at most
 * parallel connections at a time (the rest wait their turn): e[i] and
 * r[i] as httpc_do() would answer q[i], each with its own timeout and
 * the same guard. Never retried (retries is ignored): for requests that
 * must not be repeated blindly, such as orders.
 */
void		 httpc_do_many(struct arena *, const struct httpc_req *q,
		    struct httpc_resp *r, enum err *e, size_t n, long parallel);
/*
 * Resolve host for port and check every address it has: ERR_FORBIDDEN
 * when any is private, loopback, link-local or reserved (unless
 * allow_private), ERR_SERVICE_UNAVAILABLE when it does not resolve;
 * else ERR_OK and pin receives "host:port:address" of the first, for
 * httpc_req.pin. why says what was refused.
 */
enum err	 httpc_resolve(const char *host, int port, int allow_private,
		    char *pin, size_t pinsz, char *why, size_t whysz);
/* A response header by lower-case name, or NULL. */
const char	*httpc_header(const struct httpc_resp *, const char *name);
/* Whether an IPv4/IPv6 socket address is one the guard refuses. */
int		 httpc_addr_private(const struct sockaddr *);
/*
 * Whether url's host is itself such an address, written out ("127.0.0.1",
 * "[::1]") or "localhost": an operator's URL that names its own network.
 * A name (api.binance.com) is not: it is judged when it resolves.
 */
int		 httpc_url_private(const char *url);

#endif
