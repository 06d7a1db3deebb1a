/* tests/unit/test_csv.c — CSV cells quoted as RFC 4180 says, formulas defused, numbers left alone; which form a request asks for */
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/http.h"
#include "core/log.h"
#include "tap.h"

static const char *
row_of(struct arena *a, const char *const *cells, size_t n)
{
	struct buf b = BUF_INIT(0);

	csv_row(&b, cells, n);
	return buf_finish(&b, a);
}

static int
wants(struct arena *a, const char *qs, const char *accept)
{
	char *env[2] = { NULL, NULL };
	struct req r;

	if (accept != NULL)
		env[0] = arena_printf(a, "HTTP_ACCEPT=%s", accept);
	req_init(&r, a, env);
	if (req_parse_query(&r, qs) != ERR_OK)
		return -1;
	return csv_wanted(&r);
}

int
main(void)
{
	struct arena *a = arena_new();

	log_open("/dev/null", "test_csv");
	is_str(row_of(a, (const char *const[]){ "a", "b c", NULL }, 3), "a,b c,\r\n",
	    "plain cells as they are, NULL empty, CRLF");
	is_str(row_of(a, (const char *const[]){ "x,y", "say \"hi\"", "two\nlines" }, 3),
	    "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n",
	    "commas, quotes and line breaks quoted, quotes doubled");
	is_str(row_of(a, (const char *const[]){ "=HYPERLINK(\"x\")", "+1+2", "@SUM(A1)" }, 3),
	    "\"'=HYPERLINK(\"\"x\"\")\",\"'+1+2\",\"'@SUM(A1)\"\r\n",
	    "formulas get an apostrophe");
	is_str(row_of(a, (const char *const[]){ "-12.50", "+3", "-", "\tx" }, 4),
	    "-12.50,+3,\"'-\",\"'\tx\"\r\n", "signed numbers stay numbers; a lone sign or a tab does not");
	is_str(row_of(a, (const char *const[]){ "" }, 1), "\r\n", "an empty cell");

	is_int(wants(a, "format=csv", NULL), 1, "format=csv");
	is_int(wants(a, "format=json", "text/csv"), 0, "format=json wins over Accept");
	is_int(wants(a, "", "text/csv;q=0.9, application/json"), 1, "Accept naming text/csv");
	is_int(wants(a, "", "application/json"), 0, "JSON otherwise");
	is_int(wants(a, "", NULL), 0, "and without an Accept");
	arena_free(a);
	return done_testing();
}
