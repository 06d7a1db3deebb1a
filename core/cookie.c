/* core/cookie.c — the refresh-token cookie browsers opt into: reading a request's cookie, setting and clearing it */
#include <string.h>

#include "core/arena.h"
#include "core/cookie.h"

int
cookie_wanted(const struct req *r)
{
	const char *v = req_header(r, COOKIE_OPT_HEADER);

	return v != NULL && strcmp(v, "1") == 0;
}

/*
 * RFC 6265 §5.4: pairs separated by "; ". The first pair of that name wins;
 * a value is returned only if it is plain token characters, so nothing
 * odd reaches the session code.
 */
const char *
cookie_get(struct req *r, const char *name)
{
	const char *h = req_header(r, "Cookie"), *p, *v, *end;
	size_t n = strlen(name), len, i;
	char *out;

	if (h == NULL)
		return NULL;
	for (p = h; *p != '\0'; p = end) {
		while (*p == ' ' || *p == ';')
			p++;
		end = p + strcspn(p, ";");
		if ((size_t)(end - p) <= n || strncmp(p, name, n) != 0 || p[n] != '=')
			continue;
		v = p + n + 1;
		len = (size_t)(end - v);
		if (len == 0 || len > 256)
			return NULL;
		for (i = 0; i < len; i++)
			if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789-_.~", v[i]) == NULL)
				return NULL;
		if ((out = arena_alloc(r->arena, len + 1)) == NULL)
			return NULL;
		memcpy(out, v, len);
		out[len] = '\0';
		return out;
	}
	return NULL;
}

/*
 * HttpOnly: no script reads it (Appendix G); SameSite=Strict: no other
 * site's page makes the browser send it; Path: only the auth routes see
 * it; Secure: browsers keep it over HTTPS and on loopback (Chromium and
 * Firefox treat http://127.0.0.1 and localhost as secure contexts).
 */
int
cookie_refresh_set(struct req *r, struct resp *w, const char *token,
    long max_age)
{
	const char *v;

	if (token == NULL)
		v = COOKIE_REFRESH "=; Path=/api/v1/auth; Max-Age=0; HttpOnly;"
		    " SameSite=Strict; Secure";
	else
		v = arena_printf(r->arena, COOKIE_REFRESH "=%s; Path=/api/v1/auth;"
		    " Max-Age=%ld; HttpOnly; SameSite=Strict; Secure", token, max_age);
	if (v == NULL)
		return -1;
	return resp_header(w, "Set-Cookie", v);
}
