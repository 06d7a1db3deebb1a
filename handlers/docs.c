/* handlers/docs.c — /api/docs: the API's OpenAPI and AsyncAPI descriptions and the pages showing them (spec §8.1) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/app.h"
#include "core/config.h"

/* The largest description served; anything bigger is a broken install. */
#define DOCS_MAX	(2 * 1024 * 1024)

/*
 * The pages' scripts and styles are static files of the web server under
 * /docs/ (Swagger UI, ReDoc, the .js and .css files of docs/ui/); nothing
 * comes from elsewhere, so no policy below names a host.  Every page names
 * an empty data: icon, so browsers ask for no favicon (img-src data:).
 *
 * Swagger UI: scripts and styles from files only (its initializer is
 * docs/ui/swagger-init.js); img-src data: also for the images its
 * stylesheet embeds; connect-src 'self' to fetch openapi.json and to try
 * requests.
 */
#define CSP_SWAGGER \
	"default-src 'none'; script-src 'self'; style-src 'self'; " \
	"img-src data:; connect-src 'self'; " \
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
/*
 * ReDoc: styled-components writes its styles into <style> elements at run
 * time, which only style-src 'unsafe-inline' admits (a nonce would need a
 * page made per request and ReDoc told of it); scripts stay 'self' only,
 * so that opens no way to run code.  Its search index runs in a worker it
 * builds from a blob: URL (worker-src blob:).
 */
#define CSP_REDOC \
	"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " \
	"img-src data:; connect-src 'self'; worker-src blob:; " \
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
/* The WebSocket page: a plain page and its stylesheet, no script at all. */
#define CSP_PLAIN \
	"default-src 'none'; style-src 'self'; img-src data:; " \
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

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

/* A description, as it is (not in the envelope): viewers elsewhere may load it. */
static int
doc_get(struct req *r, struct resp *w, const char *name, const char *ctype)
{
	char *doc;
	size_t len;
	enum err e;

	if ((e = docs_read(r, name, &doc, &len)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ?
		    "The API description is not installed" : NULL);
	resp_header(w, "Access-Control-Allow-Origin", "*");
	w->status = 200;
	w->ctype = ctype;
	w->raw = doc;
	w->rawlen = len;
	return 0;
}

static int
page_send(struct req *r, struct resp *w, const char *name, const char *csp)
{
	char *page;
	size_t len;
	enum err e;

	if ((e = docs_read(r, name, &page, &len)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ?
		    "The documentation page is not installed" : NULL);
	resp_header(w, "Content-Security-Policy", csp);
	w->status = 200;
	w->ctype = "text/html; charset=utf-8";
	w->raw = page;
	w->rawlen = len;
	return 0;
}

static int
openapi_get(struct req *r, struct resp *w)
{
	return doc_get(r, w, "openapi.json", "application/json; charset=utf-8");
}

static int
asyncapi_get(struct req *r, struct resp *w)
{
	return doc_get(r, w, "asyncapi.json", "application/json; charset=utf-8");
}

static int
swagger_get(struct req *r, struct resp *w)
{
	return page_send(r, w, "ui/swagger.html", CSP_SWAGGER);
}

static int
redoc_get(struct req *r, struct resp *w)
{
	return page_send(r, w, "ui/redoc.html", CSP_REDOC);
}

static int
ws_page_get(struct req *r, struct resp *w)
{
	return page_send(r, w, "asyncapi.html", CSP_PLAIN);
}

static const struct route routes[] = {
	{ "GET", "/api/docs/openapi.json",  openapi_get,  AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/docs/asyncapi.json", asyncapi_get, AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/docs/ws",            ws_page_get,  AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/docs",               swagger_get,  AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/redoc",              redoc_get,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
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
