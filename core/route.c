/* core/route.c — a request matched to its route ({name} segments percent-decoded, 405 with Allow), and a deprecated route's Deprecation and Sunset headers */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/app.h"

/*
 * Match path against one pattern; {name} takes one non-empty segment,
 * percent-decoded. Returns 1 on match, 0 otherwise.
 */
static int
pattern_match(const char *pat, const char *path, struct req *r)
{
	size_t np = 0;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == '{') {
			const char *pe = strchr(pat, '}');
			const char *se = strchr(path, '/');
			char *val;

			if (se == NULL)
				se = path + strlen(path);
			if (pe == NULL || se == path || np == REQ_MAXPARAMS)
				return 0;
			if (req_pct_decode(r->arena, path, (size_t)(se - path),
			    0, &val) == -1 || strchr(val, '/') != NULL)
				return 0;
			r->params[np].key = arena_strndup(r->arena, pat + 1,
			    (size_t)(pe - pat - 1));
			r->params[np].val = val;
			np++;
			pat = pe + 1;
			path = se;
		} else if (*pat++ != *path++)
			return 0;
	}
	if (*pat != '\0' || *path != '\0')
		return 0;
	r->nparams = np;
	return 1;
}

/* A route's sunset "YYYY-MM-DD" as an HTTP-date (RFC 8594's Sunset), or -1. */
int
route_sunset_http(const char *ymd, char out[32])
{
	struct tm tm;
	time_t t;
	int y, m, d;

	if (valid_date(ymd, &y, &m, &d) == -1)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	if ((t = timegm(&tm)) == (time_t)-1 || gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 32, "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
		return -1;
	return 0;
}

/* §9.2: every answer of a deprecated route says so, errors too. */
void
route_deprecation_headers(struct req *r, struct resp *w, const struct route *rt)
{
	char sunset[32];

	if (rt->sunset != NULL && route_sunset_http(rt->sunset, sunset) == 0) {
		resp_header(w, "Deprecation", "true");
		resp_header(w, "Sunset", arena_strdup(r->arena, sunset));
	}
}

/*
 * Find the route for r->method and r->path. A path that exists under
 * other methods is 405 with their list in allow (for the Allow header).
 */
enum err
route_match(const struct route *routes, size_t n, struct req *r,
    const struct route **out, char *allow, size_t allowsz)
{
	const char *method = r->method;
	size_t i, alen = 0;
	int found = 0;

	*out = NULL;
	allow[0] = '\0';
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (i = 0; i < n; i++) {
		if (!pattern_match(routes[i].pattern, r->path, r))
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			*out = &routes[i];
			return ERR_OK;
		}
		found = 1;
		if (strstr(allow, routes[i].method) == NULL) {
			int k = snprintf(allow + alen, allowsz - alen, "%s%s",
			    alen ? ", " : "", routes[i].method);

			if (k > 0 && (size_t)k < allowsz - alen)
				alen += (size_t)k;
		}
	}
	r->nparams = 0;
	return found ? ERR_METHOD_NOT_ALLOWED : ERR_NOT_FOUND;
}
