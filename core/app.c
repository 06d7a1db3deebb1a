/* core/app.c — the FastCGI accept loop and everything every route gets; its routing is core/route.c */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <openssl/crypto.h>

#include "core/app.h"
#include "core/liveconf.h"
#include "core/config.h"
#include "core/idem.h"
#include "core/mc.h"

#define APP_MAXBODY	(1024 * 1024)

extern char **environ;

/* Per-process state, created once at start-up. */
static volatile sig_atomic_t	 stopping, reloading;
static char			 self[PATH_MAX];
static struct db		*procdb;
static size_t			 maxbody = APP_MAXBODY;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static void
on_hup(int sig)
{
	(void)sig;
	reloading = 1;
	FCGX_ShutdownPending();
}

static void
set_signal(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: accept() and waitpid() must wake */
	sigaction(sig, &sa, NULL);
}

/* W3C traceparent "00-<32 hex>-<16 hex>-<2 hex>" gives the trace id. */
static void
trace_init(struct req *r)
{
	const char *tp = req_header(r, "traceparent");
	unsigned char rnd[16];
	size_t i;

	if (tp != NULL && strlen(tp) == 55 && strncmp(tp, "00-", 3) == 0) {
		for (i = 0; i < 32; i++)
			if (strchr("0123456789abcdef", tp[3 + i]) == NULL ||
			    tp[3 + i] == '\0')
				break;
		if (i == 32 && strncmp(tp + 3, "00000000000000000000000000000000",
		    32) != 0) {
			memcpy(r->trace_id, tp + 3, 32);
			r->trace_id[32] = '\0';
			return;
		}
	}
	if (util_random(rnd, sizeof(rnd)) == -1)
		memset(rnd, 0, sizeof(rnd));
	util_hex(rnd, sizeof(rnd), r->trace_id);
}

static void
request_id_init(struct req *r)
{
	if (req_request_id(r, req_header(r, "X-Request-ID")) == -1)
		util_uuid(r->request_id);
}

/*
 * Read the declared body, at most maxbody bytes. Past that the request is
 * 413 and what remains is drained, so the connection stays in step.
 */
static enum err
body_read(struct req *r, body_reader rd, void *ctx)
{
	const char *cl = req_env(r, "CONTENT_LENGTH");
	char *end, sink[4096];
	unsigned long long n;
	size_t got = 0;
	long k;

	if (cl == NULL || *cl == '\0')
		return ERR_OK;
	errno = 0;
	n = strtoull(cl, &end, 10);
	if (errno != 0 || *end != '\0' || cl[0] == '-' || cl[0] == '+')
		return ERR_INVALID_REQUEST;
	if (n > maxbody) {
		while (rd != NULL && (k = rd(ctx, sink, sizeof(sink))) > 0)
			;
		return ERR_PAYLOAD_TOO_LARGE;
	}
	if (n == 0 || rd == NULL)
		return ERR_OK;
	if ((r->body = arena_alloc(r->arena, (size_t)n + 1)) == NULL)
		return ERR_INTERNAL;
	while (got < n && (k = rd(ctx, r->body + got, (size_t)n - got)) > 0)
		got += (size_t)k;
	if (got != n)
		return ERR_INVALID_REQUEST;
	r->body[n] = '\0';
	r->bodylen = (size_t)n;
	return ERR_OK;
}

/* Split REQUEST_URI into path and query, dropping one trailing slash. */
static enum err
uri_split(struct req *r)
{
	const char *uri = req_env(r, "REQUEST_URI"), *q;
	char *path;
	size_t n;

	if (uri == NULL || uri[0] != '/')
		return ERR_INVALID_REQUEST;
	q = strchr(uri, '?');
	n = q ? (size_t)(q - uri) : strlen(uri);
	if (n > REQ_MAXQUERY)
		return ERR_URI_TOO_LONG;
	if (n > 1 && uri[n - 1] == '/')
		n--;
	if ((path = arena_strndup(r->arena, uri, n)) == NULL)
		return ERR_INTERNAL;
	r->path = path;
	return req_parse_query(r, q ? q + 1 : "");
}

/*
 * Headers reach us as CGI parameters, where "X-API-Key" and "X_API_KEY"
 * are both HTTP_X_API_KEY: a name that arrives twice, or a header the web
 * server flagged (HZM_REJECT_HEADER, set by both servers' header guards
 * in conf/lighttpd-headers.lua and conf/apache2-headers.lua for any name
 * with an underscore), could let one spelling pass a proxy's checks and
 * the other reach us.  Control characters in values are refused as well.
 */
static char *
headers_check(struct req *r)
{
	const char *flag = req_env(r, "HZM_REJECT_HEADER");
	char **e, **f;
	size_t n;

	if (flag != NULL)
		return arena_printf(r->arena, "header %s: '_' in a header "
		    "name is not accepted", flag);
	if (r->envp == NULL)
		return NULL;
	for (e = r->envp; *e != NULL; e++) {
		const char *v;

		if (strncmp(*e, "HTTP_", 5) != 0 ||
		    (v = strchr(*e, '=')) == NULL)
			continue;
		n = (size_t)(v - *e) + 1;
		for (v++; *v != '\0'; v++)
			if (((unsigned char)*v < 0x20 && *v != '\t') ||
			    *v == 0x7f)
				return arena_printf(r->arena, "control "
				    "character in header %.*s", (int)n - 1, *e);
		for (f = e + 1; *f != NULL; f++)
			if (strncmp(*e, *f, n) == 0)
				return arena_printf(r->arena, "header %.*s "
				    "sent more than once", (int)n - 1, *e);
	}
	return NULL;
}

/*
 * Rate limits and authentication, as the route declares them: limits
 * keyed by IP come first (they protect the login itself), limits keyed by
 * user after the user is known.
 */
static enum err
app_guard(const struct app *app, struct req *r, struct resp *w,
    const struct route *rt)
{
	const struct rl_class *k = rl_class(rt->rl);
	struct user *u;
	enum err rc;

	liveconf_sync(r->db, r->arena, (int64_t)r->now.tv_sec * 1000 +
	    r->now.tv_nsec / 1000000);
	if (k->by == RL_BY_IP &&
	    (rc = rl_check(r->db, w, rt->rl, r->remote_addr, r->now.tv_sec)) !=
	    ERR_OK)
		return rc;
	if (rt->auth != AUTH_NONE) {
		if (app->auth == NULL) {
			log_error("%s %s needs a caller but %s has no authenticator",
			    rt->method, rt->pattern, app->name);
			return ERR_INTERNAL;
		}
		if ((u = arena_calloc(r->arena, 1, sizeof(*u))) == NULL)
			return ERR_INTERNAL;
		if ((rc = app->auth(r, rt->auth, (int)rt->scope, u)) != ERR_OK)
			return rc;
		/*
		 * A stored answer is replayed before the handler runs (idem):
		 * who may see one is checked in full first.
		 */
		if (u->unconfirmed && req_header(r, "X-Idempotency-Key") !=
		    NULL && (rc = app->auth(r, AUTH_USER, (int)rt->scope, u)) !=
		    ERR_OK)
			return rc;
		/* The route's table says which staff may call it. */
		if (rt->auth == AUTH_STAFF && !(u->roles &
		    (rt->roles != 0 ? rt->roles : (unsigned)ROLE_ADMIN)))
			return ERR_FORBIDDEN;
		r->user = u;
	}
	/*
	 * Maintenance: reads go on, changes wait; the console stays open so
	 * that staff can end it.
	 */
	if (liveconf_bool("maintenance_mode") && strcmp(rt->method, "GET") != 0 &&
	    strncmp(rt->pattern, "/api/v1/admin/", 14) != 0)
		return ERR_SERVICE_UNAVAILABLE;
	/* Calls made with an API key count against that key. */
	if (k->by == RL_BY_USER) {
		const char *who = r->remote_addr;

		if (r->user != NULL && r->user->via_key)
			who = arena_printf(r->arena, "key:%s", r->user->key_id);
		else if (r->user != NULL)
			who = r->user->public_id;
		if ((rc = rl_check(r->db, w, rt->rl, who, r->now.tv_sec)) !=
		    ERR_OK)
			return rc;
	}
	return ERR_OK;
}

/*
 * The body against the route's declared fields, so the handler finds
 * its values checked in r->in. Inside the idempotency claim, as the
 * handler is: a refusal is the request's answer, kept like any other.
 */
static int
fields_read(struct req *r, struct resp *w, const struct route *rt)
{
	struct in_err ie;
	enum err rc;

	if (rt->fields == NULL)
		return 0;
	rc = in_read(r->arena, r->json, rt->fields, r->now.tv_sec, &r->in, &ie);
	if (rc == ERR_OK)
		return 0;
	if (ie.field != NULL)
		resp_invalid_code(w, rc, &ie);
	else
		resp_error(w, rc, NULL);
	return -1;
}

/* An error with {field, reason} details (either may be NULL). */
static void
refuse(struct resp *w, enum err rc, const char *field, const char *reason)
{
	struct json_object *d = NULL;

	if (reason != NULL) {
		d = json_object_new_object();
		if (field != NULL)
			json_object_object_add(d, "field",
			    json_object_new_string(field));
		json_object_object_add(d, "reason",
		    json_object_new_string(reason));
	}
	resp_error_details(w, rc, NULL, d);
}

/*
 * The body read (or drained) and the headers checked, whatever the
 * route: an oversized body is 413 on any path. An error page for the web
 * server keeps the server's own error. -1: answered.
 */
static int
request_checks(struct req *r, struct resp *w, body_reader rd, void *ctx)
{
	const char *detail;
	enum err rc;
	int redirected;

	redirected = util_long(req_env(r, "REDIRECT_STATUS"), 0) >= 400;
	rc = body_read(r, rd, ctx);
	if (redirected)
		return 0;
	/*
	 * GET and HEAD carry no body (web servers differ on passing one on):
	 * refuse it rather than ignore what the client meant to send.
	 */
	if (rc != ERR_PAYLOAD_TOO_LARGE &&
	    util_long(req_env(r, "CONTENT_LENGTH"), 0) > 0 &&
	    (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)) {
		refuse(w, ERR_INVALID_REQUEST, NULL,
		    "a GET or HEAD request carries no body");
		return -1;
	}
	if (rc != ERR_OK) {
		resp_error(w, rc, NULL);
		return -1;
	}
	if ((detail = headers_check(r)) != NULL) {
		/* Nothing from a refused header set is echoed back. */
		util_uuid(r->request_id);
		refuse(w, ERR_INVALID_REQUEST, NULL, detail);
		return -1;
	}
	return 0;
}

void
app_handle(const struct app *app, struct req *r, struct resp *w,
    body_reader rd, void *ctx)
{
	const struct route *rt = NULL;
	char allow[64], *detail = NULL;
	const char *field = NULL;
	struct idem *idem = NULL;
	enum err rc;

	r->method = req_env(r, "REQUEST_METHOD");
	r->remote_addr = req_env(r, "REMOTE_ADDR");
	request_id_init(r);
	trace_init(r);
	r->db = procdb;
	if (r->method == NULL)
		r->method = "";
	if (strcmp(r->method, "HEAD") == 0)
		w->head = 1;
	if ((rc = uri_split(r)) != ERR_OK) {
		body_read(r, rd, ctx);
		/* The web server's own error pages may lack a usable URI. */
		if (app->fallback != NULL) {
			app->fallback(r, w);
			return;
		}
		resp_error(w, rc, NULL);
		return;
	}
	if (request_checks(r, w, rd, ctx) == -1)
		return;
	rc = route_match(app->routes, app->nroutes, r, &rt, allow,
	    sizeof(allow));
	if (rc != ERR_OK && app->fallback != NULL) {
		app->fallback(r, w);
		return;
	}
	if (rc == ERR_METHOD_NOT_ALLOWED)
		resp_header(w, "Allow", arena_strdup(r->arena, allow));
	if (rc == ERR_OK)
		route_deprecation_headers(r, w, rt);
	if (rc == ERR_OK)
		rc = req_parse_json(r, req_env(r, "CONTENT_TYPE"), &detail,
		    &field);
	if (rc != ERR_OK) {
		refuse(w, rc, field, detail);
		return;
	}
	r->route = rt;
	if ((rc = app_guard(app, r, w, rt)) != ERR_OK) {
		resp_error(w, rc, r->auth_why);
		if (rc == ERR_UNAUTHORIZED || rc == ERR_AUTH_002 ||
		    rc == ERR_AUTH_003)
			resp_header(w, "WWW-Authenticate", "Bearer");
		if (rc == ERR_RATE_LIMIT_EXCEEDED && r->auth_retry_after > 0)
			resp_header(w, "Retry-After", arena_printf(r->arena,
			    "%ld", r->auth_retry_after));
		return;
	}
	if (idem_begin(r, w, &idem)) {
		r->idem = idem;
		if (fields_read(r, w, rt) == 0 && rt->fn(r, w) != 0 &&
		    w->err == ERR_OK && w->status < 400)
			resp_error(w, ERR_INTERNAL, NULL);
		/*
		 * A handler that returned inside a transaction leaves nothing
		 * half-done, nor its connection listening (core/db.h).
		 */
		db_rollback(r->db);
		db_unlisten(r->db);
		idem_end(r, w, idem);
	}
	if (w->status == 503)
		resp_header(w, "Retry-After", "1");
}

struct after {
	after_fn	 fn;
	void		*arg;
	struct after	*next;
};

void
app_after(struct req *r, after_fn fn, void *arg)
{
	struct after *a, **tail;

	if ((a = arena_alloc(r->arena, sizeof(*a))) == NULL) {
		fn(r, arg);
		return;
	}
	a->fn = fn;
	a->arg = arg;
	a->next = NULL;
	for (tail = &r->after; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = a;
}

static void
after_run(struct req *r)
{
	struct after *a;

	for (a = r->after; a != NULL; a = a->next)
		a->fn(r, a->arg);
	/* Nothing a job left open outlives it. */
	db_rollback(r->db);
	db_unlisten(r->db);
}

static long
fcgi_read(void *ctx, char *buf, size_t n)
{
	FCGX_Stream *in = ctx;

	return FCGX_GetStr(buf, n > INT_MAX ? INT_MAX : (int)n, in);
}

static long
stdin_read(void *ctx, char *buf, size_t n)
{
	(void)ctx;
	return (long)fread(buf, 1, n, stdin);
}

/*
 * End a FastCGI request. libfcgi's close first waits for the web server
 * to close its end (a shutdown, then reads until EOF): a sleep and a
 * wake-up per request, and a worker held until the server gets round to
 * it. That wait keeps data the peer still sends from turning a TCP
 * close into a reset that loses the answer. Once the request's input is
 * read to its end, nothing more comes for this request and the
 * connection closes at once. With a declared length, body_read() took
 * the body and what follows is the empty record that ends it, sent right
 * after it; without one (a body streamed as it comes) the end is not
 * waited for here, where nothing would bound the wait: libfcgi's close
 * does, as ever.
 */
static void
fcgi_finish(FCGX_Request *rq)
{
	const char *cl = FCGX_GetParam("CONTENT_LENGTH", rq->envp);

	if (cl != NULL && *cl != '\0' && FCGX_GetError(rq->in) == 0 &&
	    FCGX_GetChar(rq->in) == EOF && FCGX_HasSeenEOF(rq->in) == EOF)
		(void)FCGX_Detach(rq);
	FCGX_Finish_r(rq);
}

/*
 * rq: the FastCGI request (NULL: plain CGI), finished here so the client
 * has its whole answer before any app_after work starts.
 */
static void
serve_one(const struct app *app, struct arena *a, char **envp,
    body_reader rd, void *ctx, FCGX_Request *rq)
{
	struct req r;
	struct resp w;
	char *buf;
	size_t len = 0;

	req_init(&r, a, envp);
	resp_init(&w, a);
	app_handle(app, &r, &w, rd, ctx);
	if ((buf = resp_render(&r, &w, &len)) == NULL) {
		static const char oom[] = "Status: 500 Internal Server Error\r\n"
		    "Content-Type: application/json\r\n\r\n"
		    "{\"success\":false,\"error\":{\"code\":\"INTERNAL_ERROR\","
		    "\"message\":\"Internal server error\"}}";

		buf = (char *)oom;
		len = sizeof(oom) - 1;
		w.status = 500;
	}
	if (rq != NULL)
		FCGX_PutStr(buf, (int)len, rq->out);
	else
		fwrite(buf, 1, len, stdout);
	log_request(&r, w.status, app->name);
	if (r.after != NULL && r.remote_addr != NULL)
		r.remote_addr = arena_strdup(a, r.remote_addr);
	/* The parameters go with the request: jobs read only what was kept. */
	r.envp = NULL;
	r.user = NULL;
	if (rq != NULL)
		fcgi_finish(rq);
	else
		fflush(stdout);
	if (r.after != NULL)
		after_run(&r);
	arena_reset(a);
}

/* Plain CGI: one request from the environment, for tests and debugging. */
static int
serve_cgi(const struct app *app, struct arena *a)
{
	/* The request is the environment here; keep it from libcurl. */
	unsetenv("HTTP_PROXY");
	serve_one(app, a, environ, stdin_read, NULL, NULL);
	fflush(stdout);
	return 0;
}

/*
 * What a worker's first request would otherwise set up, done before it
 * takes one: a pool just started (a deploy, a respawn) meets a burst as a
 * warm one does. Nothing here is needed: a database or memcached that is
 * down is only logged, and requests meet it as ever.
 */
static void
worker_warm(const struct app *app, struct arena *a)
{
	struct ctx c = { procdb, a, { 0, 0 }, NULL, "", NULL };

	(void)OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
	if (db_ensure(procdb) == ERR_OK) {
		liveconf_sync(procdb, a, util_now_ms());
		clock_gettime(CLOCK_REALTIME, &c.now);
		if (app->warm != NULL)
			app->warm(&c);
	}
	(void)mc_ping();
	arena_reset(a);
}

static void
worker_loop(const struct app *app, struct arena *a)
{
	FCGX_Request rq;

	worker_warm(app, a);
	FCGX_InitRequest(&rq, 0, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!stopping && !reloading) {
		if (FCGX_Accept_r(&rq) < 0) {
			if (errno == EINTR && !stopping && !reloading)
				continue;
			break;
		}
		serve_one(app, a, rq.envp, fcgi_read, rq.in, &rq);
	}
	FCGX_Free(&rq, 0);
}

static pid_t
worker_spawn(const struct app *app, struct arena *a)
{
	pid_t pid, master = getpid();

	if ((pid = fork()) != 0)
		return pid;
	set_signal(SIGTERM, on_term);
	signal(SIGHUP, SIG_IGN);	/* reloads are the master's */
	/*
	 * Under a supervisor that restarts the master (scripts/supervise,
	 * under either server), a master that dies (kill -9) takes its
	 * workers with it, each after the request in hand, so that the new
	 * one can bind the socket (Apache) or take it over (lighttpd) and no
	 * orphan serves an old binary. A re-executing master lives on.
	 */
	if (getenv("HZM_SUPERVISED") != NULL &&
	    (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 || getppid() != master))
		_exit(0);
	worker_loop(app, a);
	db_free(procdb);
	_exit(0);
}

/*
 * Replace this process with the binary now at our path, keeping the
 * listening socket (fd 0): the kernel queues connections meanwhile, so a
 * deploy loses no request. The new image retires the old workers.
 */
static void
reexec(pid_t *pids, size_t n)
{
	char list[APP_MAXWORKERS * 12] = "", *argv[] = { self, NULL };
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		int k = snprintf(list + len, sizeof(list) - len, "%s%ld",
		    len ? "," : "", (long)pids[i]);

		if (k > 0 && (size_t)k < sizeof(list) - len)
			len += (size_t)k;
	}
	setenv("HZM_OLD_WORKERS", list, 1);
	log_info("reloading %s", self);
	execv(self, argv);
	log_error("reload failed: exec %s: %s", self, strerror(errno));
	unsetenv("HZM_OLD_WORKERS");
}

static void
retire_old_workers(void)
{
	const char *list = getenv("HZM_OLD_WORKERS");
	char *end;
	long pid;

	if (list == NULL)
		return;
	while (*list != '\0') {
		pid = strtol(list, &end, 10);
		if (end == list)
			break;
		if (pid > 1)
			kill((pid_t)pid, SIGTERM);
		list = *end == ',' ? end + 1 : end;
	}
	unsetenv("HZM_OLD_WORKERS");
}

static int
master_loop(const struct app *app, struct arena *a, size_t nworkers)
{
	pid_t pids[APP_MAXWORKERS], pid;
	time_t born[APP_MAXWORKERS];
	size_t i, alive;
	int status;

	for (i = 0; i < nworkers; i++) {
		pids[i] = worker_spawn(app, a);
		born[i] = time(NULL);
	}
	retire_old_workers();
	while (!stopping) {
		if (reloading) {
			reexec(pids, nworkers);
			reloading = 0;
		}
		pid = waitpid(-1, &status, 0);
		if (pid == -1) {
			if (errno == ECHILD)
				sleep(1);
			continue;
		}
		for (i = 0; i < nworkers; i++) {
			if (pids[i] != pid || stopping || reloading)
				continue;
			log_error("worker %ld exited (status %d); restarting",
			    (long)pid, status);
			/* A worker that dies at once must not spin the CPU. */
			if (time(NULL) - born[i] < 1)
				sleep(1);
			pids[i] = worker_spawn(app, a);
			born[i] = time(NULL);
		}
	}
	for (i = 0; i < nworkers; i++)
		kill(pids[i], SIGTERM);
	/* Workers finish the request in hand; wait for them, boundedly. */
	for (alive = nworkers, i = 0; alive > 0 && i < 100; i++) {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			alive--;
		if (pid == -1 && errno == ECHILD)
			break;
		usleep(100000);
	}
	return 0;
}

/*
 * The pool's size: "<name>_workers" first, as handlers that wait (orders)
 * need more; an explicit HZM_WORKERS wins (Apache's mod_fcgid manages
 * processes itself and sets it to 1). Out of range is said and taken as
 * the nearer end: a pool of 96 must not become a pool of one.
 */
int
app_workers(const char *name)
{
	char key[64];
	long long n;

	snprintf(key, sizeof(key), "%s_workers", name);
	n = getenv("HZM_WORKERS") != NULL ? cfg_int("workers", 1) :
	    cfg_int(key, cfg_int("workers", 1));
	if (n >= 1 && n <= APP_MAXWORKERS)
		return (int)n;
	log_error("%s = %lld is out of range (1 to %d): %d workers", key, n,
	    APP_MAXWORKERS, n < 1 ? 1 : APP_MAXWORKERS);
	return n < 1 ? 1 : APP_MAXWORKERS;
}

int
app_run(const struct app *app)
{
	struct arena *a;
	char key[64];
	ssize_t n;
	long long workers;
	int rc = 0;

	if (cfg_load(NULL) == -1)
		fprintf(stderr, "%s: configuration has errors\n", app->name);
	if (log_open(cfg_get("log", "-"), app->name) == -1)
		fprintf(stderr, "%s: cannot open log\n", app->name);
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		n = 0;
	self[n] = '\0';
	maxbody = (size_t)cfg_int("max_body", APP_MAXBODY);
	workers = app_workers(app->name);
	if ((procdb = db_new(cfg_get("db", "dbname=hzm"))) == NULL ||
	    (a = arena_new()) == NULL) {
		log_error("start-up failed");
		return 1;
	}
	/* A sunset that is not a date would go unannounced: refuse to start. */
	for (n = 0; (size_t)n < app->nroutes; n++)
		if (app->routes[n].sunset != NULL &&
		    route_sunset_http(app->routes[n].sunset, key) == -1) {
			log_error("route %s %s: sunset is not YYYY-MM-DD",
			    app->routes[n].method, app->routes[n].pattern);
			return 1;
		}
	signal(SIGPIPE, SIG_IGN);
	set_signal(SIGTERM, on_term);
	set_signal(SIGINT, on_term);
	set_signal(SIGHUP, on_hup);
	if (FCGX_Init() != 0) {
		log_error("FCGX_Init failed");
		return 1;
	}
	if (FCGX_IsCGI())
		rc = serve_cgi(app, a);
	else if (workers == 1) {
		worker_loop(app, a);
		if (reloading && !stopping) {
			pid_t none[1];

			db_free(procdb);
			procdb = NULL;
			reexec(none, 0);
		}
	} else
		rc = master_loop(app, a, (size_t)workers);
	arena_free(a);
	db_free(procdb);
	return rc;
}
