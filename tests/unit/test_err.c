/* tests/unit/test_err.c — core/err: every code complete and distinct, the spec's codes and statuses, reason phrases */
#include <stddef.h>
#include <string.h>

#include "core/err.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Every err complete and distinct, and the spec's codes at their statuses. */
static void
test_err_table(void)
{
	static const struct {
		enum err	 e;
		const char	*code;
		int		 status;
	} spec[] = {
		{ ERR_INVALID_REQUEST, "INVALID_REQUEST", 400 },
		{ ERR_UNAUTHORIZED, "UNAUTHORIZED", 401 },
		{ ERR_FORBIDDEN, "FORBIDDEN", 403 },
		{ ERR_NOT_FOUND, "NOT_FOUND", 404 },
		{ ERR_INSUFFICIENT_BALANCE, "INSUFFICIENT_BALANCE", 400 },
		{ ERR_ORDER_NOT_FOUND, "ORDER_NOT_FOUND", 404 },
		{ ERR_RATE_LIMIT_EXCEEDED, "RATE_LIMIT_EXCEEDED", 429 },
		{ ERR_INTERNAL, "INTERNAL_ERROR", 500 },
		{ ERR_SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", 503 },
		{ ERR_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", 405 },
		{ ERR_PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", 413 },
		{ ERR_AUTH_002, "AUTH_002", 401 },
		{ ERR_TRADE_001, "TRADE_001", 400 },
		{ ERR_SYSTEM_003, "SYSTEM_003", 503 },
	};
	int e, f, complete = 1, unique = 1, shape = 1, status_ok = 1, rt = 1;
	size_t i;

	for (e = 0; e < ERR__COUNT; e++) {
		const struct err_info *ei = err_info((enum err)e);

		if (ei == NULL || ei->code == NULL || ei->reason == NULL ||
		    ei->message == NULL || *ei->code == '\0' ||
		    *ei->reason == '\0' || *ei->message == '\0') {
			complete = 0;
			diag("an err without code, reason or message");
			continue;
		}
		if (strspn(ei->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
		    strlen(ei->code))
			shape = 0;
		if (e == ERR_OK ? ei->status != 200 :
		    ei->status < 400 || ei->status > 599)
			status_ok = 0;
		for (f = 0; f < e; f++)
			if (strcmp(err_info((enum err)f)->code, ei->code) == 0)
				unique = 0;
		/* The generic code for an error's status has that status. */
		if (e != ERR_OK &&
		    err_info(err_from_status(ei->status))->status != ei->status)
			rt = 0;
		if (strcmp(err_reason(ei->status), ei->reason) != 0)
			rt = 0;
	}
	ok(complete, "each of the %d errs has a code, reason and message",
	    ERR__COUNT);
	ok(shape, "  codes are [A-Z0-9_]");
	ok(unique, "  no two share a code");
	ok(status_ok, "  errors are 4xx or 5xx, ERR_OK is 200");
	ok(rt, "  err_from_status and err_reason agree with the table");

	for (i = 0; i < NELEM(spec); i++) {
		const struct err_info *ei = err_info(spec[i].e);

		ok(strcmp(ei->code, spec[i].code) == 0 &&
		    ei->status == spec[i].status, "%s is %d", spec[i].code,
		    spec[i].status);
	}

	ok(err_info(ERR__COUNT) == err_info(ERR_INTERNAL),
	    "an out-of-range err reads as ERR_INTERNAL");
	ok(err_info((enum err)-1) == err_info(ERR_INTERNAL), "  so does -1");
}

/* An HTTP status to its generic err, and to its reason phrase. */
static void
test_err_status(void)
{
	static const struct {
		int		 status;
		enum err	 e;
		const char	*reason;
	} statuses[] = {
		{ 400, ERR_INVALID_REQUEST, "Bad Request" },
		{ 401, ERR_UNAUTHORIZED, "Unauthorized" },
		{ 403, ERR_FORBIDDEN, "Forbidden" },
		{ 404, ERR_NOT_FOUND, "Not Found" },
		{ 405, ERR_METHOD_NOT_ALLOWED, "Method Not Allowed" },
		{ 409, ERR_CONFLICT, "Conflict" },
		{ 413, ERR_PAYLOAD_TOO_LARGE, "Payload Too Large" },
		{ 414, ERR_URI_TOO_LONG, "URI Too Long" },
		{ 415, ERR_UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type" },
		{ 422, ERR_UNPROCESSABLE, "Unprocessable Content" },
		{ 429, ERR_RATE_LIMIT_EXCEEDED, "Too Many Requests" },
		{ 431, ERR_HEADER_TOO_LARGE, "Request Header Fields Too Large" },
		{ 500, ERR_INTERNAL, "Internal Server Error" },
		{ 503, ERR_SERVICE_UNAVAILABLE, "Service Unavailable" },
		{ 418, ERR_INTERNAL, "Internal Server Error" },
		{ 0, ERR_INTERNAL, "Internal Server Error" },
	};
	size_t i;

	for (i = 0; i < NELEM(statuses); i++) {
		is_int(err_from_status(statuses[i].status), statuses[i].e,
		    "err_from_status(%d)", statuses[i].status);
		if (statuses[i].status != 418 && statuses[i].status != 0)
			is_str(err_reason(statuses[i].status),
			    statuses[i].reason, "err_reason(%d)",
			    statuses[i].status);
	}
	is_str(err_reason(200), "OK", "err_reason(200)");
	is_str(err_reason(201), "Created", "err_reason(201)");
	is_str(err_reason(202), "Accepted", "err_reason(202)");
	is_str(err_reason(204), "No Content", "err_reason(204)");
}

int
main(void)
{
	test_err_table();
	test_err_status();
	return done_testing();
}
