/* handlers/docs.c — /api/docs: the API's OpenAPI description and a page that links to it (spec §8.1) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/app.h"
#include "core/config.h"

/* The largest description served; anything bigger is a broken install. */
#define DOCS_MAX	(2 * 1024 * 1024)

#define OPENAPI_FILE	"openapi.json"
#define OPENAPI_PATH	"/api/docs/" OPENAPI_FILE

/* Self-contained on purpose: no scripts, no styles or fonts from elsewhere. */
static const char page[] =
    "<!doctype html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>hzm API</title>\n"
    "</head>\n"
    "<body>\n"
    "<h1>hzm API</h1>\n"
    "<p>The REST API under <code>/api/v1/</code> is described by an "
    "OpenAPI 3.0 document:\n"
    "<a href=\"" OPENAPI_PATH "\">" OPENAPI_PATH "</a>.</p>\n"
    "<p>Open it in any OpenAPI viewer or client generator. It covers every "
    "endpoint with its authentication (Bearer token, API key and password, "
    "or a signed request), API-key scope, rate limit, request fields and "
    "the error codes it can answer.</p>\n"
    "<p>Server time: <a href=\"/api/v1/public/time\">/api/v1/public/time</a>"
    "</p>\n"
    "</body>\n"
    "</html>\n";

/*
 * The whole file into the request arena, at most DOCS_MAX bytes. It is
 * read on each request, so a stack that installs a new description serves
 * it at once; at this size that costs less than the request around it.
 */
static enum err
docs_read(struct req *r, const char *name, char **out, size_t *outlen)
{
	const char *dir = cfg_get("docs", "docs");
	struct stat st;
	size_t size, got = 0;
	ssize_t k = 0;
	enum err e = ERR_INTERNAL;
	char *path, *buf;
	int fd;

	if ((path = arena_printf(r->arena, "%s/%s", dir, name)) == NULL)
		return ERR_INTERNAL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return ERR_NOT_FOUND;
		log_error("docs: %s: %s", path, strerror(errno));
		return ERR_INTERNAL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		log_error("docs: %s: not a readable file", path);
		goto out;
	}
	if (st.st_size > DOCS_MAX) {
		log_error("docs: %s: larger than %d bytes", path, DOCS_MAX);
		goto out;
	}
	size = (size_t)st.st_size;
	if ((buf = arena_alloc(r->arena, size + 1)) == NULL)
		goto out;
	while (got < size) {
		if ((k = read(fd, buf + got, size - got)) == -1 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (k == -1) {
		log_error("docs: %s: %s", path, strerror(errno));
		goto out;
	}
	buf[got] = '\0';
	*out = buf;
	*outlen = got;
	e = ERR_OK;
out:
	close(fd);
	return e;
}

static int
openapi_get(struct req *r, struct resp *w)
{
	char *doc;
	size_t len;
	enum err e;

	if ((e = docs_read(r, OPENAPI_FILE, &doc, &len)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ?
		    "The API description is not installed" : NULL);
	/* A public document: viewers served from elsewhere may load it. */
	resp_header(w, "Access-Control-Allow-Origin", "*");
	w->status = 200;
	w->ctype = "application/json; charset=utf-8";
	w->raw = doc;
	w->rawlen = len;
	return 0;
}

static int
page_get(struct req *r, struct resp *w)
{
	(void)r;
	resp_header(w, "Content-Security-Policy",
	    "default-src 'none'; frame-ancestors 'none'");
	w->status = 200;
	w->ctype = "text/html; charset=utf-8";
	w->raw = page;
	w->rawlen = sizeof(page) - 1;
	return 0;
}

static const struct route routes[] = {
	{ "GET", "/api/docs/openapi.json", openapi_get, AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/docs",              page_get,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
};

int
main(void)
{
	static const struct app app = {
		.name = "docs",
		.routes = routes, .nroutes = nitems(routes),
	};

	return app_run(&app);
}
