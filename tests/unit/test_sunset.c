/* tests/unit/test_sunset.c — a deprecated route's sunset date as the HTTP-date of its Sunset header (RFC 8594) */
#include <stdio.h>

#include "core/app.h"
#include "tests/unit/tap.h"

int
main(void)
{
	char out[32];

	is_int(route_sunset_http("2030-01-01", out), 0, "a date");
	is_str(out, "Tue, 01 Jan 2030 00:00:00 GMT", "IMF-fixdate, GMT");
	is_int(route_sunset_http("2028-02-29", out), 0, "a leap day");
	is_str(out, "Tue, 29 Feb 2028 00:00:00 GMT", "its weekday");
	is_int(route_sunset_http("2027-02-29", out), -1, "no 29 February 2027");
	is_int(route_sunset_http("2030-1-1", out), -1, "not YYYY-MM-DD");
	is_int(route_sunset_http("Tue, 01 Jan 2030", out), -1, "already an HTTP-date");
	return done_testing();
}
