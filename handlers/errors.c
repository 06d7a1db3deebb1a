/* handlers/errors.c — the envelope for every /api/ path no resource claims, and for the web server's own errors */
#include <stdlib.h>

#include "core/app.h"

/*
 * The web server sends its own errors here (lighttpd server.error-handler,
 * Apache ErrorDocument) with the status in REDIRECT_STATUS, so a 411, 501
 * or 505 it decides is still the JSON envelope a client expects, with the
 * server's status.  A client error the table does not know stays a client
 * error (400); anything else is the server's fault (500).
 */
static int
error_page(struct req *r, struct resp *w)
{
	long status = util_long(req_env(r, "REDIRECT_STATUS"), 0);
	enum err e;

	w->head = 0;
	if (status < 400 || status > 599)
		return resp_error(w, ERR_NOT_FOUND, NULL);
	e = err_from_status((int)status);
	if (e == ERR_INTERNAL && status < 500)
		e = ERR_INVALID_REQUEST;
	return resp_error(w, e, NULL);
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
