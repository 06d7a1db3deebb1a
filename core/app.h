/* core/app.h — a handler program is a route table handed to app_run() */
#ifndef HZM_APP_H
#define HZM_APP_H

#include <stddef.h>

#include "core/arena.h"
#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/err.h"
#include "core/http.h"
#include "core/input.h"
#include "core/log.h"
#include "core/ratelimit.h"
#include "core/util.h"

enum scope {
	SCOPE_NONE,
	SCOPE_READ,
	SCOPE_TRADE,
	SCOPE_WITHDRAW,
};

typedef int (*handler_fn)(struct req *, struct resp *);

/*
 * Who calls: fills *u for a route needing `need` (and, for API keys,
 * `scope`), or answers why not. The identity service supplies it
 * (auth_request, a business service); the pipeline only calls it.
 */
typedef enum err (*auth_fn)(struct req *, enum auth need, int scope,
    struct user *u);

/*
 * What a worker sets up before its first request, so that the first
 * caller does not wait for it (statements prepared, the tables' catalog
 * loaded on the worker's connection). Best effort: failures are the
 * first request's to meet.
 */
typedef void (*warm_fn)(struct ctx *);

/*
 * fields: the body the route takes (core/input.h), checked before fn
 * runs; fn reads the values from r->in. NULL: the body is fn's business.
 * roles: for AUTH_STAFF, the staff roles (ROLE_*) that may call; 0 is
 * ADMIN alone, so a route that forgets to say is closed, not open.
 */
struct route {
	const char		*method;
	const char		*pattern;	/* "/api/v1/orders/{orderId}" */
	handler_fn		 fn;
	enum auth		 auth;
	enum scope		 scope;
	enum rl			 rl;
	const struct in_field	*fields;
	/*
	 * Deprecated (§9.2): the sunset date, "YYYY-MM-DD" (UTC midnight).
	 * Every answer of the route carries "Deprecation: true" and "Sunset:"
	 * with that date as an HTTP-date (RFC 8594); NULL: not deprecated.
	 */
	const char		*sunset;
	unsigned		 roles;
	/*
	 * A route that issues a session (login, refresh): X-Idempotency-Key
	 * is not honoured, so that no answer holding tokens is kept, and a
	 * retry gets a session (and its cookie) of its own.
	 */
	int			 no_idem;
};

struct app {
	const char		*name;		/* "public" for public.fcgi */
	const struct route	*routes;
	size_t			 nroutes;
	auth_fn			 auth;		/* needed by routes other than AUTH_NONE */
	warm_fn			 warm;		/* before a worker's first request, if set */
	handler_fn		 fallback;	/* instead of 404/405, if set */
};

/* A service's context for the request being served. */
static inline struct ctx
ctx_req(const struct req *r)
{
	struct ctx c = { r->db, r->arena, r->now, r->user, r->request_id,
	    r->remote_addr };

	return c;
}

#define APP_MAXWORKERS	64	/* a handler's pool, at most */

int		 app_run(const struct app *);
/* The pool size the configuration gives the handler named, 1 to the most. */
int		 app_workers(const char *name);

/*
 * Run fn(r, arg) once the answer has gone to the client, before the next
 * request: work whose duration must not show in the answer's timing
 * (whether an address has an account) or that the client need not wait
 * for (mail). fn sees r->db and r->arena, not the request's headers; it
 * opens and ends its own transactions. When memory is short, fn runs at
 * once instead of being lost.
 */
typedef void (*after_fn)(struct req *, void *arg);
void		 app_after(struct req *, after_fn fn, void *arg);
/* Reads up to n bytes of request body; returns bytes read, 0 at end. */
typedef long (*body_reader)(void *ctx, char *buf, size_t n);

void		 app_handle(const struct app *, struct req *, struct resp *,
		    body_reader, void *ctx);
enum err	 route_match(const struct route *, size_t, struct req *,
		    const struct route **, char *allow, size_t allowsz);
/* A sunset date "YYYY-MM-DD" as an HTTP-date (IMF-fixdate); -1 when not a date. */
int		 route_sunset_http(const char *ymd, char out[32]);
/* Deprecation: true and Sunset: for a route with a sunset date. */
void		 route_deprecation_headers(struct req *, struct resp *,
		    const struct route *);

#endif
