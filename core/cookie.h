/* core/cookie.h — the refresh-token cookie browsers opt into: reading a request's cookie, setting and clearing it */
#ifndef HZM_COOKIE_H
#define HZM_COOKIE_H

#include "core/http.h"

/* The request header that opts into the cookie and, being custom, keeps cross-site forms out. */
#define COOKIE_OPT_HEADER	"X-Refresh-Cookie"
#define COOKIE_REFRESH		"hzm_refresh"

/* 1 when the request carries X-Refresh-Cookie: 1. */
int		 cookie_wanted(const struct req *);

/* The value of cookie name in the request's Cookie header (arena copy), or NULL. */
const char	*cookie_get(struct req *, const char *name);

/* Set hzm_refresh to token for max_age seconds, or clear it (token NULL). 0, or -1 when the header did not fit. */
int		 cookie_refresh_set(struct req *, struct resp *, const char *token,
		    long max_age);

#endif
