/* tests/unit/test_cookie.c — core/cookie: the refresh cookie read from a request's Cookie header, set and cleared */
#include <string.h>

#include "core/app.h"
#include "core/cookie.h"
#include "tests/unit/tap.h"

static struct arena *A;

/* A request whose FastCGI params hold the one header given (NULL: none). */
static void
with_header(struct req *r, char **envp, const char *name, const char *val)
{
	arena_reset(A);
	envp[0] = val == NULL ? NULL : arena_printf(A, "%s=%s", name, val);
	envp[1] = NULL;
	req_init(r, A, envp);
}

static const char *
cookie_of(const char *header)
{
	static char *envp[2];
	static struct req r;

	with_header(&r, envp, "HTTP_COOKIE", header);
	return cookie_get(&r, COOKIE_REFRESH);
}

static void
test_get(void)
{
	ok(cookie_of(NULL) == NULL, "no Cookie header: none");
	is_str(cookie_of("hzm_refresh=rt_abc123"), "rt_abc123", "the one cookie");
	is_str(cookie_of("a=1; hzm_refresh=rt_x; b=2"), "rt_x", "among others");
	is_str(cookie_of("hzm_refresh=rt_1; hzm_refresh=rt_2"), "rt_1", "the first of two");
	ok(cookie_of("xhzm_refresh=rt_1") == NULL, "a longer name is another cookie");
	ok(cookie_of("hzm_refresh_old=rt_1") == NULL, "so is a name it starts");
	ok(cookie_of("hzm_refresh=") == NULL, "an empty value: none");
	ok(cookie_of("hzm_refresh=rt<script>") == NULL, "markup: refused");
	ok(cookie_of("hzm_refresh=a b") == NULL, "a space: refused");
	ok(cookie_of("hzm_refresh=\"rt_1\"") == NULL, "quotes: refused");
	is_str(cookie_of(";;  hzm_refresh=rt_9;"), "rt_9", "stray separators");
}

static void
test_wanted(void)
{
	static char *envp[2];
	struct req r;

	with_header(&r, envp, "HTTP_X_REFRESH_COOKIE", "1");
	ok(cookie_wanted(&r), "X-Refresh-Cookie: 1 opts in");
	with_header(&r, envp, "HTTP_X_REFRESH_COOKIE", "true");
	ok(!cookie_wanted(&r), "any other value does not");
	with_header(&r, envp, "HTTP_X_REFRESH_COOKIE", NULL);
	ok(!cookie_wanted(&r), "nor its absence");
}

static void
test_set(void)
{
	static char *envp[2];
	struct req r;
	struct resp w;

	with_header(&r, envp, "HTTP_X", NULL);
	resp_init(&w, A);
	is_int(cookie_refresh_set(&r, &w, "rt_abc", 2592000L), 0, "set");
	is_str(w.hdrs[w.nhdrs - 1].key, "Set-Cookie", "  a Set-Cookie header");
	is_str(w.hdrs[w.nhdrs - 1].val, "hzm_refresh=rt_abc; Path=/api/v1/auth; Max-Age=2592000;"
	    " HttpOnly; SameSite=Strict; Secure", "  httpOnly, SameSite=Strict, Secure, the auth path only");
	is_int(cookie_refresh_set(&r, &w, NULL, 0), 0, "clear");
	ok(strstr(w.hdrs[w.nhdrs - 1].val, "hzm_refresh=; ") == w.hdrs[w.nhdrs - 1].val &&
	    strstr(w.hdrs[w.nhdrs - 1].val, "Max-Age=0;") != NULL, "  empty, Max-Age=0");
}

int
main(void)
{
	if ((A = arena_new()) == NULL)
		return 1;
	test_get();
	test_wanted();
	test_set();
	done_testing();
	return 0;
}
