/* handlers/errors.c — the envelope for every /api/ path no resource claims, and for the web server's own errors */
#include <stdlib.h>

#include "core/app.h"

/*
 * The web server sends its own errors here (lighttpd server.error-handler,
 * Apache ErrorDocument) with the status in REDIRECT_STATUS, so a 413 or
 * 404 it decides is still the JSON envelope a client expects.
 */
static int
error_page(struct req *r, struct resp *w)
{
	long status = util_long(req_env(r, "REDIRECT_STATUS"), 0);

	w->head = 0;
	if (status >= 400 && status <= 599)
		return resp_error(w, err_from_status((int)status), NULL);
	return resp_error(w, ERR_NOT_FOUND, NULL);
}

int
main(void)
{
	static const struct app app = {
		.name = "errors",
		.fallback = error_page,
	};

	return app_run(&app);
}
