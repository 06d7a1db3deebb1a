/* tests/unit/test_decimal_parse.c — core/decimal: parsing, each refusal and its order, len and every byte, the error messages */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "tests/unit/fixture_decimal.h"
#include "tests/unit/tap.h"

/* Parsing */

struct accept {
	const char	*s;
	int		 scale;
	unsigned	 flags;
	int64_t		 want;
};

static const struct accept accepts[] = {
	{ "0", 0, 0, 0 },
	{ "0", 8, 0, 0 },
	{ "0.0", 1, 0, 0 },
	{ "0.00000000", 8, 0, 0 },
	{ "1", 0, 0, 1 },
	{ "10", 2, 0, 1000 },
	{ "0.5", 8, 0, 50000000 },
	{ "0.01", 2, 0, 1 },
	{ "1850000.00", 2, 0, 185000000 },
	{ "1850000", 2, 0, 185000000 },
	{ "123.456", 3, 0, 123456 },
	{ "123.4", 3, 0, 123400 },
	{ "0.000000000000000001", 18, 0, 1 },
	{ "1.5", 18, 0, 1500000000000000000LL },
	{ "9", 18, 0, 9000000000000000000LL },
	{ "1.50000000000", 8, DEC_ZEROS_OK, 150000000 },
	{ "0.0", 0, DEC_ZEROS_OK, 0 },
	{ "5.000", 0, DEC_ZEROS_OK, 5 },
	{ "0.10", 1, DEC_ZEROS_OK, 1 },
	{ "-1", 0, DEC_NEG_OK, -1 },
	{ "-0.5", 2, DEC_NEG_OK, -50 },
	{ "-0.001", 3, DEC_NEG_OK, -1 },
	{ "-1.50", 1, DEC_NEG_OK | DEC_ZEROS_OK, -15 },
	{ "7", 0, DEC_NEG_OK, 7 },
	{ "9223372036854775807", 0, 0, INT64_MAX },
	{ "92233720368547758.07", 2, 0, INT64_MAX },
	{ "9.223372036854775807", 18, 0, INT64_MAX },
	{ "9.2233720368547758070", 18, DEC_ZEROS_OK, INT64_MAX },
	{ "-9223372036854775808", 0, DEC_NEG_OK, INT64_MIN },
	{ "-92233720368547758.08", 2, DEC_NEG_OK, INT64_MIN },
	{ "-9.223372036854775808", 18, DEC_NEG_OK, INT64_MIN },
	{ "-9223372036854775807", 0, DEC_NEG_OK, -INT64_MAX },
};

struct reject {
	const char	*s;
	size_t		 len;		/* 0: strlen(s) */
	int		 scale;
	unsigned	 flags;
	int		 want;
};

static const struct reject rejects[] = {
	/* syntax */
	{ "", 0, 2, ALL, DEC_ESYNTAX },
	{ "-", 0, 2, ALL, DEC_ESYNTAX },
	{ ".", 0, 2, ALL, DEC_ESYNTAX },
	{ "1.", 0, 2, ALL, DEC_ESYNTAX },
	{ ".5", 0, 2, ALL, DEC_ESYNTAX },
	{ "-.5", 0, 2, ALL, DEC_ESYNTAX },
	{ "-1.", 0, 2, ALL, DEC_ESYNTAX },
	{ "+1", 0, 2, ALL, DEC_ESYNTAX },
	{ "--1", 0, 2, ALL, DEC_ESYNTAX },
	{ "-+1", 0, 2, ALL, DEC_ESYNTAX },
	{ "1-", 0, 2, ALL, DEC_ESYNTAX },
	{ " 1", 0, 2, ALL, DEC_ESYNTAX },
	{ "1 ", 0, 2, ALL, DEC_ESYNTAX },
	{ "\t1", 0, 2, ALL, DEC_ESYNTAX },
	{ "1\n", 0, 2, ALL, DEC_ESYNTAX },
	{ "- 1", 0, 2, ALL, DEC_ESYNTAX },
	{ "1e5", 0, 2, ALL, DEC_ESYNTAX },
	{ "1E5", 0, 2, ALL, DEC_ESYNTAX },
	{ "1.5e-1", 0, 2, ALL, DEC_ESYNTAX },
	{ "0x10", 0, 2, ALL, DEC_ESYNTAX },
	{ "1,000", 0, 2, ALL, DEC_ESYNTAX },
	{ "1,5", 0, 2, ALL, DEC_ESYNTAX },
	{ "1_000", 0, 2, ALL, DEC_ESYNTAX },
	{ "1 000", 0, 2, ALL, DEC_ESYNTAX },
	{ "1'000", 0, 2, ALL, DEC_ESYNTAX },
	{ "1..2", 0, 2, ALL, DEC_ESYNTAX },
	{ "1.2.3", 0, 2, ALL, DEC_ESYNTAX },
	{ "1.-2", 0, 2, ALL, DEC_ESYNTAX },
	{ "1/2", 0, 2, ALL, DEC_ESYNTAX },
	{ "inf", 0, 2, ALL, DEC_ESYNTAX },
	{ "NaN", 0, 2, ALL, DEC_ESYNTAX },
	{ "a", 0, 2, ALL, DEC_ESYNTAX },
	{ "12a", 0, 2, ALL, DEC_ESYNTAX },
	{ "\xd9\xa1", 0, 2, ALL, DEC_ESYNTAX },		/* ARABIC-INDIC ONE */
	{ "\xef\xbc\x91", 0, 2, ALL, DEC_ESYNTAX },	/* FULLWIDTH ONE */
	{ "1\xc2\xa0", 0, 2, ALL, DEC_ESYNTAX },	/* NO-BREAK SPACE */
	{ "00", 0, 2, ALL, DEC_ESYNTAX },
	{ "007", 0, 2, ALL, DEC_ESYNTAX },
	{ "01", 0, 2, ALL, DEC_ESYNTAX },
	{ "00.5", 0, 2, ALL, DEC_ESYNTAX },
	{ "-01", 0, 2, ALL, DEC_ESYNTAX },
	{ "-00.5", 0, 2, ALL, DEC_ESYNTAX },
	/* negative zero, in any spelling, and before the sign check */
	{ "-0", 0, 2, ALL, DEC_ESYNTAX },
	{ "-0", 0, 2, 0, DEC_ESYNTAX },
	{ "-0.0", 0, 2, ALL, DEC_ESYNTAX },
	{ "-0.00", 0, 2, DEC_NEG_OK, DEC_ESYNTAX },
	{ "-0.000", 0, 1, 0, DEC_ESYNTAX },
	{ "-0.000000000000000000000", 0, 18, ALL, DEC_ESYNTAX },
	/* syntax is checked before range */
	{ "99999999999999999999x", 0, 0, ALL, DEC_ESYNTAX },
	/* sign */
	{ "-1", 0, 0, 0, DEC_ESIGN },
	{ "-1", 0, 2, DEC_ZEROS_OK, DEC_ESIGN },
	{ "-0.01", 0, 2, 0, DEC_ESIGN },
	{ "-1.234", 0, 2, 0, DEC_ESIGN },		/* before precision */
	{ "-99999999999999999999", 0, 0, 0, DEC_ESIGN },	/* before range */
	/* precision */
	{ "0.5", 0, 0, 0, DEC_EPRECISION },
	{ "1.0", 0, 0, 0, DEC_EPRECISION },
	{ "1.0", 0, 0, DEC_NEG_OK, DEC_EPRECISION },
	{ "1.50000000000", 0, 8, 0, DEC_EPRECISION },
	{ "0.001", 0, 2, 0, DEC_EPRECISION },
	{ "1.001", 0, 2, DEC_ZEROS_OK, DEC_EPRECISION },
	{ "1.0000000001", 0, 8, DEC_ZEROS_OK, DEC_EPRECISION },
	{ "-1.001", 0, 2, ALL, DEC_EPRECISION },
	{ "0.0000000000000000001", 0, 18, ALL, DEC_EPRECISION },
	{ "99999999999999999999.001", 0, 2, 0, DEC_EPRECISION },	/* before range */
	/* range */
	{ "9223372036854775808", 0, 0, 0, DEC_ERANGE },
	{ "9223372036854775808", 0, 0, ALL, DEC_ERANGE },
	{ "-9223372036854775809", 0, 0, DEC_NEG_OK, DEC_ERANGE },
	{ "92233720368547758.08", 0, 2, 0, DEC_ERANGE },
	{ "-92233720368547758.09", 0, 2, DEC_NEG_OK, DEC_ERANGE },
	{ "9.223372036854775808", 0, 18, 0, DEC_ERANGE },
	{ "-9.223372036854775809", 0, 18, DEC_NEG_OK, DEC_ERANGE },
	{ "10", 0, 18, 0, DEC_ERANGE },
	{ "92233720368547758070", 0, 0, 0, DEC_ERANGE },
	{ "18446744073709551615", 0, 0, 0, DEC_ERANGE },
	{ "18446744073709551616", 0, 0, 0, DEC_ERANGE },
	{ "36893488147419103232", 0, 0, 0, DEC_ERANGE },
	{ "100000000000000000000000000000000000000000", 0, 0, 0, DEC_ERANGE },
	{ "9223372036854775807", 0, 1, 0, DEC_ERANGE },
	{ "922337203685477581", 0, 1, 0, DEC_ERANGE },
	/* invalid arguments come first */
	{ "1", 0, -1, 0, DEC_EINVAL },
	{ "1", 0, 19, 0, DEC_EINVAL },
	{ "1", 0, 2, 0x04, DEC_EINVAL },
	{ "1", 0, 2, 0x80000000u, DEC_EINVAL },
	{ "abc", 0, 19, 0, DEC_EINVAL },
	{ "-1", 0, 2, 0x100, DEC_EINVAL },
};

/* Strings with a NUL byte inside: len counts it, and it is a bad byte. */
static const struct reject nuls[] = {
	{ "\0", 1, 2, ALL, DEC_ESYNTAX },
	{ "1\0", 2, 2, ALL, DEC_ESYNTAX },
	{ "\0" "1", 2, 2, ALL, DEC_ESYNTAX },
	{ "1\0" "5", 3, 2, ALL, DEC_ESYNTAX },
	{ "1.\0" "5", 4, 2, ALL, DEC_ESYNTAX },
	{ "1.5\0", 4, 2, ALL, DEC_ESYNTAX },
	{ "-\0" "1", 3, 2, ALL, DEC_ESYNTAX },
	{ "1.50\0" "0", 6, 2, ALL, DEC_ESYNTAX },
};

static void
test_parse_tables(void)
{
	size_t i;
	int64_t v;
	int rc;

	for (i = 0; i < NELEM(accepts); i++) {
		const struct accept *t = &accepts[i];

		v = SENTINEL;
		rc = dec_parse_flags(t->s, strlen(t->s), t->scale, t->flags,
		    &v);
		ok(rc == DEC_OK && v == t->want,
		    "parse \"%s\" at scale %d flags %#x: %s %lld",
		    tap_esc(t->s, strlen(t->s)),
		    t->scale, t->flags, ename(rc), (long long)v);
	}

	for (i = 0; i < NELEM(rejects); i++) {
		const struct reject *t = &rejects[i];
		size_t len = t->len ? t->len : strlen(t->s);

		v = SENTINEL;
		rc = dec_parse_flags(t->s, len, t->scale, t->flags, &v);
		ok(rc == t->want && v == SENTINEL,
		    "refuse \"%s\" at scale %d flags %#x: %s (want %s)%s",
		    tap_esc(t->s, len),
		    t->scale, t->flags, ename(rc), ename(t->want),
		    v == SENTINEL ? "" : ", and *out was written");
	}

	for (i = 0; i < NELEM(nuls); i++) {
		const struct reject *t = &nuls[i];

		v = SENTINEL;
		rc = dec_parse_flags(t->s, t->len, t->scale, t->flags, &v);
		ok(rc == t->want && v == SENTINEL,
		    "NUL inside \"%s\": %s", tap_esc(t->s, t->len), ename(rc));
	}
}

static void
test_parse_plain(void)
{
	int64_t v;

	/* dec_parse() is dec_parse_flags() with no flags. */
	v = SENTINEL;
	is_int(dec_parse("12.34", 5, 2, &v), DEC_OK, "dec_parse accepts 12.34");
	is_int(v, 1234, "dec_parse 12.34 at scale 2 is 1234");
	v = SENTINEL;
	is_int(dec_parse("-1", 2, 2, &v), DEC_ESIGN, "dec_parse refuses -1");
	is_int(dec_parse("1.500", 5, 2, &v), DEC_EPRECISION,
	    "dec_parse refuses extra zeros");
	is_int(dec_parse("1", 1, 19, &v), DEC_EINVAL,
	    "dec_parse refuses scale 19");
	ok(v == SENTINEL, "dec_parse errors leave *out alone");

	v = SENTINEL;
	is_int(dec_parse_flags(NULL, 0, 2, 0, &v), DEC_ESYNTAX,
	    "NULL string of length 0 is a syntax error");
	is_int(dec_parse_flags(NULL, 3, 2, 0, &v), DEC_ESYNTAX,
	    "NULL string of length 3 is a syntax error");
	ok(v == SENTINEL, "NULL string leaves *out alone");
}

/* len is authoritative: bytes past it are never looked at. */
static void
test_parse_len(void)
{
	static const struct {
		const char	*buf;
		size_t		 len;
		int		 scale;
		int		 want;
		int64_t		 val;
	} cases[] = {
		{ "12345", 3, 0, DEC_OK, 123 },
		{ "1.25xyz", 4, 2, DEC_OK, 125 },
		{ "1.25", 3, 2, DEC_OK, 120 },
		{ "1.25", 2, 2, DEC_ESYNTAX, 0 },
		{ "007", 1, 0, DEC_OK, 0 },
		{ "-5", 1, 0, DEC_ESYNTAX, 0 },
		{ "5", 0, 0, DEC_ESYNTAX, 0 },
		{ "9223372036854775807999", 19, 0, DEC_OK, INT64_MAX },
		{ "1.5 trailing", 3, 1, DEC_OK, 15 },
	};
	size_t i;
	int64_t v;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		char *p;

		/* Exactly len bytes on the heap, no NUL: ASan sees overreads. */
		if ((p = malloc(cases[i].len ? cases[i].len : 1)) == NULL)
			abort();
		memcpy(p, cases[i].buf, cases[i].len);
		v = SENTINEL;
		rc = dec_parse_flags(p, cases[i].len, cases[i].scale,
		    DEC_NEG_OK, &v);
		ok(rc == cases[i].want &&
		    v == (rc == DEC_OK ? cases[i].val : SENTINEL),
		    "first %zu bytes of \"%s\" at scale %d: %s, %lld",
		    cases[i].len, tap_esc(cases[i].buf, strlen(cases[i].buf)),
		    cases[i].scale, ename(rc),
		    (long long)v);
		free(p);
	}
}

/* Every byte value in every position of a short number. */
static void
test_parse_bytes(void)
{
	char s[4];
	int c, pos, rc, want, bad = 0;
	int64_t v;

	for (pos = 0; pos < 4; pos++)
		for (c = 0; c < 256; c++) {
			memcpy(s, "1.25", 4);
			s[pos] = (char)c;
			/* "0.25", "1025" and "1.05" are all well formed. */
			want = (c >= '0' && c <= '9') || (pos == 1 && c == '.') ?
			    DEC_OK : DEC_ESYNTAX;
			v = SENTINEL;
			rc = dec_parse_flags(s, 4, 2, ALL, &v);
			if (rc != want && bad++ < 5)
				diagf("byte %#x at %d: %s, want %s", c, pos,
				    ename(rc), ename(want));
		}
	is_int(bad, 0, "each of 1024 single-byte changes to \"1.25\" "
	    "parses or fails as expected");
}

static void
test_strerror(void)
{
	int e, f, distinct = 1, nonempty = 1;

	for (e = DEC_OK; e <= DEC_EINVAL; e++) {
		const char *m = dec_strerror(e);

		if (m == NULL || *m == '\0')
			nonempty = 0;
		for (f = DEC_OK; f < e; f++)
			if (m != NULL && dec_strerror(f) != NULL &&
			    strcmp(m, dec_strerror(f)) == 0)
				distinct = 0;
	}
	ok(nonempty, "every dec_err has a message");
	ok(distinct, "and no two share one");
	ok(dec_strerror(-1) != NULL && dec_strerror(DEC_EINVAL + 1) != NULL &&
	    dec_strerror(1000) != NULL, "unknown codes still get a message");
	ok(strcmp(dec_strerror(DEC_EINVAL + 1), dec_strerror(DEC_EINVAL)) != 0,
	    "which is not that of a known code");
}

int
main(void)
{
	test_parse_tables();
	test_parse_plain();
	test_parse_len();
	test_parse_bytes();
	test_strerror();
	return done_testing();
}
