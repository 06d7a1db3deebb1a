/* tests/unit/test_decimal_format.c — core/decimal: formatting, buffer sizes, and the int64 edges formatted and parsed back at every scale */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/decimal.h"
#include "tests/unit/fixture_decimal.h"
#include "tests/unit/tap.h"

/* Formatting */

static void
test_format(void)
{
	static const struct {
		int64_t		 v;
		int		 scale;
		const char	*want;
	} cases[] = {
		{ 185000000, 2, "1850000.00" },
		{ 1000000, 8, "0.01000000" },
		{ -50, 2, "-0.50" },
		{ 5, 0, "5" },
		{ 0, 0, "0" },
		{ 0, 2, "0.00" },
		{ 0, 18, "0.000000000000000000" },
		{ 1, 18, "0.000000000000000001" },
		{ -1, 18, "-0.000000000000000001" },
		{ 10, 1, "1.0" },
		{ -7, 0, "-7" },
		{ 123456789, 4, "12345.6789" },
		{ 100, 2, "1.00" },
		{ 99, 2, "0.99" },
		{ -100, 2, "-1.00" },
		{ INT64_MAX, 0, "9223372036854775807" },
		{ INT64_MAX, 2, "92233720368547758.07" },
		{ INT64_MAX, 18, "9.223372036854775807" },
		{ INT64_MIN, 0, "-9223372036854775808" },
		{ INT64_MIN, 2, "-92233720368547758.08" },
		{ INT64_MIN, 18, "-9.223372036854775808" },
		{ -INT64_MAX, 18, "-9.223372036854775807" },
	};
	char buf[DEC_BUFSZ + 8];
	size_t i;
	int n;

	for (i = 0; i < NELEM(cases); i++) {
		memset(buf, 'x', sizeof(buf));
		n = dec_format(cases[i].v, cases[i].scale, buf, sizeof(buf));
		is_str(n >= 0 ? buf : NULL, cases[i].want,
		    "format %lld at scale %d", (long long)cases[i].v,
		    cases[i].scale);
		is_int(n, (long long)strlen(cases[i].want),
		    "  returns the length of \"%s\"", cases[i].want);
	}

	/* DEC_BUFSZ holds the longest output, and not a byte is spare. */
	n = dec_format(INT64_MIN, 18, buf, DEC_BUFSZ);
	is_int(n, DEC_BUFSZ - 1, "INT64_MIN at scale 18 fills DEC_BUFSZ");

	memset(buf, 'x', sizeof(buf));
	is_int(dec_format(12345, 2, buf, 7), 6, "123.45 fits in 7 bytes");
	is_str(buf, "123.45", "  and is written whole");
	is_int(dec_format(12345, 2, buf, 6), -1, "123.45 does not fit in 6");
	is_int(dec_format(12345, 2, buf, 1), -1, "nor in 1");
	is_int(dec_format(0, 0, buf, 0), -1, "a zero-size buffer is refused");
	is_int(dec_format(0, 0, buf, 2), 1, "\"0\" fits in 2 bytes");
	is_int(dec_format(1, 0, NULL, 10), -1, "a NULL buffer is refused");
	is_int(dec_format(1, -1, buf, sizeof(buf)), -1, "scale -1 is refused");
	is_int(dec_format(1, 19, buf, sizeof(buf)), -1, "scale 19 is refused");
}

/* format -> parse at the int64 edges, at every scale. */
static void
test_roundtrip_edges(void)
{
	static const int64_t edge[] = { INT64_MIN, INT64_MIN + 1,
	    -INT64_MAX + 1, -1, 0, 1, INT64_MAX - 1, INT64_MAX };
	char buf[DEC_BUFSZ];
	int n, s;
	int64_t back;
	long bad_rt = 0;
	size_t k;

	for (s = 0; s <= DEC_MAXSCALE; s++) {
		for (k = 0; k < NELEM(edge); k++) {
			n = dec_format(edge[k], s, buf, sizeof(buf));
			back = SENTINEL;
			if (n < 0 || dec_parse_flags(buf, (size_t)n, s,
			    DEC_NEG_OK, &back) != DEC_OK || back != edge[k])
				bad_rt++;
		}
	}
	is_int(bad_rt, 0, "INT64_MIN, INT64_MAX, 0, +-1 round trip at every "
	    "scale");
}

int
main(void)
{
	test_format();
	test_roundtrip_edges();
	return done_testing();
}
