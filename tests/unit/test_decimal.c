/* tests/unit/test_decimal.c — core/decimal: parsing, formatting, rescaling and exact arithmetic */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define SENTINEL	((int64_t)0x5a5a5a5a5a5a5a5aLL)
#define ROUNDTRIPS	100000
#define ARITH_ROUNDS	200000

typedef __int128 i128;

static const char *const errname[] = {
	"DEC_OK", "DEC_ESYNTAX", "DEC_ESIGN", "DEC_EPRECISION", "DEC_ERANGE",
	"DEC_EINEXACT", "DEC_EDIVZERO", "DEC_EINVAL"
};

static const char *const modename[] = {
	"EXACT", "DOWN", "UP", "HALF_UP", "HALF_EVEN"
};

static void __attribute__((format(printf, 1, 2)))
diagf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag(buf);
}

static const char *
ename(int e)
{
	if (e < 0 || (size_t)e >= NELEM(errname))
		return "?";
	return errname[e];
}

/* xorshift64*: the same sequence on every run and every libc. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
xs(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/*
 * An int64 whose magnitude is spread over every bit length, so that small
 * amounts, amounts near the int64 edges and the edges themselves all occur.
 */
static int64_t
rand_i64(void)
{
	uint64_t r = xs(), bits = xs() % 66;

	if (bits == 64)
		return INT64_MAX;
	if (bits == 65)
		return INT64_MIN;
	r >>= 63 - bits;	/* at most bits + 1 significant bits */
	r &= ((uint64_t)1 << 63) - 1;
	return (xs() & 1) ? -(int64_t)r : (int64_t)r;
}

static i128
ipow10(int k)
{
	i128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

static int
ref_fit(i128 v, int64_t *out)
{
	if (v > INT64_MAX || v < INT64_MIN)
		return DEC_ERANGE;
	*out = (int64_t)v;
	return DEC_OK;
}

/*
 * num / den rounded by mode, with den > 0, in plain signed 128-bit
 * arithmetic: C division truncates toward zero, and the remainder has the
 * sign of num.
 */
static int
ref_round(i128 num, i128 den, int mode, int64_t *out)
{
	i128 q = num / den, r = num % den, ar, sgn;

	if (r == 0)
		return ref_fit(q, out);
	if (q > INT64_MAX || q < INT64_MIN)
		return DEC_ERANGE;
	sgn = num < 0 ? -1 : 1;
	ar = r < 0 ? -r : r;
	switch (mode) {
	case DEC_ROUND_EXACT:
		return DEC_EINEXACT;
	case DEC_ROUND_DOWN:
		break;
	case DEC_ROUND_UP:
		q += sgn;
		break;
	case DEC_ROUND_HALF_UP:
		if (2 * ar >= den)
			q += sgn;
		break;
	case DEC_ROUND_HALF_EVEN:
		if (2 * ar > den || (2 * ar == den && q % 2 != 0))
			q += sgn;
		break;
	}
	return ref_fit(q, out);
}

static int
sc_ok(int s)
{
	return s >= 0 && s <= DEC_MAXSCALE;
}

static int
mode_ok(int m)
{
	return m >= DEC_ROUND_EXACT && m <= DEC_ROUND_HALF_EVEN;
}

static int
ref_mul(int64_t a, int sa, int64_t b, int sb, int sout, int mode,
    int64_t *out)
{
	i128 p, v;
	int k;

	if (!sc_ok(sa) || !sc_ok(sb) || !sc_ok(sout) || !mode_ok(mode))
		return DEC_EINVAL;
	p = (i128)a * b;
	k = sout - sa - sb;
	if (k >= 0) {
		if (__builtin_mul_overflow(p, ipow10(k), &v))
			return DEC_ERANGE;
		return ref_fit(v, out);
	}
	return ref_round(p, ipow10(-k), mode, out);
}

static int
ref_div(int64_t a, int sa, int64_t b, int sb, int sout, int mode,
    int64_t *out)
{
	i128 num, den;
	int e;

	if (!sc_ok(sa) || !sc_ok(sb) || !sc_ok(sout) || !mode_ok(mode))
		return DEC_EINVAL;
	if (b == 0)
		return DEC_EDIVZERO;
	e = sout + sb - sa;
	num = a;
	den = b;
	if (e >= 0) {
		/* |num| would pass 2^127: the quotient passes 2^64. */
		if (__builtin_mul_overflow(num, ipow10(e), &num))
			return DEC_ERANGE;
	} else
		den *= ipow10(-e);
	if (den < 0) {
		den = -den;
		num = -num;
	}
	return ref_round(num, den, mode, out);
}

/* v at scale s written digit by digit, independently of dec_format(). */
static void
ref_format(int64_t v, int s, char buf[64])
{
	char digits[32];
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	size_t n, i, o = 0, pad, total;

	n = (size_t)snprintf(digits, sizeof(digits), "%llu",
	    (unsigned long long)mag);
	pad = n <= (size_t)s ? (size_t)s + 1 - n : 0;
	total = pad + n;
	if (v < 0)
		buf[o++] = '-';
	for (i = 0; i < total; i++) {
		if (s > 0 && i == total - (size_t)s)
			buf[o++] = '.';
		buf[o++] = i < pad ? '0' : digits[i - pad];
	}
	buf[o] = '\0';
}

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

#define ALL	(DEC_NEG_OK | DEC_ZEROS_OK)

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

/* format -> parse gives back the value, over the whole int64 range. */
static void
test_roundtrip(void)
{
	char buf[DEC_BUFSZ], ref[64];
	int i, n, s, rc, s2;
	int64_t v, back, want;
	long bad_fmt = 0, bad_len = 0, bad_rt = 0, bad_plain = 0, bad_rescale = 0;
	long neg = 0, small = 0, big = 0;

	for (i = 0; i < ROUNDTRIPS; i++) {
		v = rand_i64();
		s = (int)(xs() % (DEC_MAXSCALE + 1));
		if (v < 0)
			neg++;
		if (v > -1000000 && v < 1000000)
			small++;
		if (v > INT64_MAX / 2 || v < INT64_MIN / 2)
			big++;

		n = dec_format(v, s, buf, sizeof(buf));
		ref_format(v, s, ref);
		if (n < 0 || strcmp(buf, ref) != 0) {
			if (bad_fmt++ < 3)
				diagf("format %lld at %d: \"%s\", want \"%s\"",
				    (long long)v, s, n < 0 ? "(error)" : buf,
				    ref);
			continue;
		}
		if ((size_t)n != strlen(buf))
			bad_len++;

		back = SENTINEL;
		rc = dec_parse_flags(buf, (size_t)n, s, DEC_NEG_OK, &back);
		if (rc != DEC_OK || back != v) {
			if (bad_rt++ < 3)
				diagf("\"%s\" at %d parses to %s %lld, want "
				    "%lld", buf, s, ename(rc),
				    (long long)back, (long long)v);
		}
		if (v >= 0) {
			back = SENTINEL;
			rc = dec_parse(buf, (size_t)n, s, &back);
			if (rc != DEC_OK || back != v)
				bad_plain++;
		}

		/*
		 * Parsed at another scale, the string means the same amount:
		 * exactly what an exact rescale gives, EPRECISION where that
		 * would need rounding (with ZEROS_OK, so only nonzero digits
		 * count), ERANGE where it does not fit.
		 */
		s2 = (int)(xs() % (DEC_MAXSCALE + 1));
		want = SENTINEL;
		rc = dec_rescale(v, s, s2, DEC_ROUND_EXACT, &want);
		if (rc == DEC_EINEXACT)
			rc = DEC_EPRECISION;
		back = SENTINEL;
		if (dec_parse_flags(buf, (size_t)n, s2, ALL, &back) != rc ||
		    back != want) {
			if (bad_rescale++ < 3)
				diagf("\"%s\" at scale %d: %lld, want %s %lld",
				    buf, s2, (long long)back, ename(rc),
				    (long long)want);
		}
	}
	is_int(bad_fmt, 0, "%d random values: dec_format matches a digit-by-digit "
	    "reference", ROUNDTRIPS);
	is_int(bad_len, 0, "dec_format returns strlen of what it wrote");
	is_int(bad_rt, 0, "%d random values at random scales: format then "
	    "parse gives the value back", ROUNDTRIPS);
	is_int(bad_plain, 0, "non-negative ones round trip through dec_parse");
	is_int(bad_rescale, 0, "parsing at another scale agrees with "
	    "dec_rescale");
	ok(neg > ROUNDTRIPS / 3 && small > ROUNDTRIPS / 10 &&
	    big > ROUNDTRIPS / 40, "the sample covers negative (%ld), small "
	    "(%ld) and large (%ld) values", neg, small, big);

	/* The edges, at every scale. */
	bad_rt = 0;
	for (s = 0; s <= DEC_MAXSCALE; s++) {
		static const int64_t edge[] = { INT64_MIN, INT64_MIN + 1,
		    -INT64_MAX + 1, -1, 0, 1, INT64_MAX - 1, INT64_MAX };
		size_t k;

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

/* Rescaling */

struct rs {
	int64_t		 v;
	int		 from, to;
	int		 mode;
	int		 want;
	int64_t		 val;
};

static const struct rs rescales[] = {
	/* up: exact or out of range, whatever the mode */
	{ 15, 1, 3, DEC_ROUND_EXACT, DEC_OK, 1500 },
	{ -15, 1, 3, DEC_ROUND_HALF_EVEN, DEC_OK, -1500 },
	{ 1, 0, 18, DEC_ROUND_EXACT, DEC_OK, 1000000000000000000LL },
	{ 9, 0, 18, DEC_ROUND_EXACT, DEC_OK, 9000000000000000000LL },
	{ 10, 0, 18, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ -10, 0, 18, DEC_ROUND_DOWN, DEC_ERANGE, 0 },
	{ INT64_MAX, 0, 1, DEC_ROUND_DOWN, DEC_ERANGE, 0 },
	{ INT64_MIN, 0, 1, DEC_ROUND_DOWN, DEC_ERANGE, 0 },
	{ 922337203685477580LL, 0, 1, DEC_ROUND_EXACT, DEC_OK,
	    9223372036854775800LL },
	{ 922337203685477581LL, 0, 1, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ -922337203685477580LL, 0, 1, DEC_ROUND_EXACT, DEC_OK,
	    -9223372036854775800LL },
	{ -922337203685477581LL, 0, 1, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ 0, 0, 18, DEC_ROUND_EXACT, DEC_OK, 0 },
	/* same scale: the identity, EXACT included */
	{ INT64_MIN, 7, 7, DEC_ROUND_EXACT, DEC_OK, INT64_MIN },
	{ INT64_MAX, 18, 18, DEC_ROUND_UP, DEC_OK, INT64_MAX },
	/* down by one digit: 1.5, 2.5, -1.5, ... to scale 0 */
	{ 10, 1, 0, DEC_ROUND_EXACT, DEC_OK, 1 },
	{ -10, 1, 0, DEC_ROUND_EXACT, DEC_OK, -1 },
	{ 0, 1, 0, DEC_ROUND_EXACT, DEC_OK, 0 },
	{ 15, 1, 0, DEC_ROUND_EXACT, DEC_EINEXACT, 0 },
	{ -1, 1, 0, DEC_ROUND_EXACT, DEC_EINEXACT, 0 },
	{ 15, 1, 0, DEC_ROUND_DOWN, DEC_OK, 1 },
	{ 19, 1, 0, DEC_ROUND_DOWN, DEC_OK, 1 },
	{ -15, 1, 0, DEC_ROUND_DOWN, DEC_OK, -1 },
	{ -19, 1, 0, DEC_ROUND_DOWN, DEC_OK, -1 },
	{ 5, 1, 0, DEC_ROUND_DOWN, DEC_OK, 0 },
	{ -5, 1, 0, DEC_ROUND_DOWN, DEC_OK, 0 },
	{ 11, 1, 0, DEC_ROUND_UP, DEC_OK, 2 },
	{ 10, 1, 0, DEC_ROUND_UP, DEC_OK, 1 },
	{ 1, 1, 0, DEC_ROUND_UP, DEC_OK, 1 },
	{ -1, 1, 0, DEC_ROUND_UP, DEC_OK, -1 },
	{ -11, 1, 0, DEC_ROUND_UP, DEC_OK, -2 },
	{ 14, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, 1 },
	{ 15, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, 2 },
	{ 25, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, 3 },
	{ -14, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, -1 },
	{ -15, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, -2 },
	{ -25, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, -3 },
	{ 5, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, 1 },
	{ -5, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, -1 },
	{ 15, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 2 },
	{ 25, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 2 },
	{ 35, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 4 },
	{ 45, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 4 },
	{ 5, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 0 },
	{ -5, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 0 },
	{ -15, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, -2 },
	{ -25, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, -2 },
	{ -35, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, -4 },
	{ 14, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 1 },
	{ 16, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 2 },
	{ 26, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 3 },
	{ -16, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, -2 },
	{ -24, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, -2 },
	/* down by several digits: ties exactly at half, and just past it */
	{ 12345, 4, 2, DEC_ROUND_DOWN, DEC_OK, 123 },
	{ 12345, 4, 2, DEC_ROUND_UP, DEC_OK, 124 },
	{ 12345, 4, 2, DEC_ROUND_HALF_UP, DEC_OK, 123 },
	{ 12349, 4, 2, DEC_ROUND_HALF_UP, DEC_OK, 123 },
	{ 12350, 4, 2, DEC_ROUND_HALF_UP, DEC_OK, 124 },
	{ 12350, 4, 2, DEC_ROUND_HALF_EVEN, DEC_OK, 124 },
	{ 12250, 4, 2, DEC_ROUND_HALF_EVEN, DEC_OK, 122 },
	{ 12250, 4, 2, DEC_ROUND_HALF_UP, DEC_OK, 123 },
	{ 12251, 4, 2, DEC_ROUND_HALF_EVEN, DEC_OK, 123 },
	{ -12250, 4, 2, DEC_ROUND_HALF_EVEN, DEC_OK, -122 },
	{ -12251, 4, 2, DEC_ROUND_HALF_EVEN, DEC_OK, -123 },
	{ -12350, 4, 2, DEC_ROUND_HALF_EVEN, DEC_OK, -124 },
	{ 500000000000000000LL, 18, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 0 },
	{ 500000000000000000LL, 18, 0, DEC_ROUND_HALF_UP, DEC_OK, 1 },
	{ 500000000000000001LL, 18, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 1 },
	{ 499999999999999999LL, 18, 0, DEC_ROUND_HALF_UP, DEC_OK, 0 },
	{ 1500000000000000000LL, 18, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 2 },
	{ -1500000000000000000LL, 18, 0, DEC_ROUND_HALF_EVEN, DEC_OK, -2 },
	{ 2500000000000000000LL, 18, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 2 },
	{ 1, 18, 0, DEC_ROUND_UP, DEC_OK, 1 },
	{ -1, 18, 0, DEC_ROUND_UP, DEC_OK, -1 },
	{ 1, 18, 0, DEC_ROUND_HALF_UP, DEC_OK, 0 },
	{ 1, 18, 0, DEC_ROUND_EXACT, DEC_EINEXACT, 0 },
	{ INT64_MAX, 18, 0, DEC_ROUND_DOWN, DEC_OK, 9 },
	{ INT64_MAX, 18, 0, DEC_ROUND_UP, DEC_OK, 10 },
	{ INT64_MAX, 18, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 9 },
	{ INT64_MIN, 18, 0, DEC_ROUND_DOWN, DEC_OK, -9 },
	{ INT64_MIN, 18, 0, DEC_ROUND_UP, DEC_OK, -10 },
	{ INT64_MIN, 1, 0, DEC_ROUND_HALF_EVEN, DEC_OK, -922337203685477581LL },
	{ INT64_MIN, 1, 0, DEC_ROUND_DOWN, DEC_OK, -922337203685477580LL },
	{ INT64_MAX, 1, 0, DEC_ROUND_HALF_UP, DEC_OK, 922337203685477581LL },
	{ INT64_MIN, 0, 0, DEC_ROUND_EXACT, DEC_OK, INT64_MIN },
	/* invalid arguments, even where nothing needs doing */
	{ 1, -1, 0, DEC_ROUND_DOWN, DEC_EINVAL, 0 },
	{ 1, 0, -1, DEC_ROUND_DOWN, DEC_EINVAL, 0 },
	{ 1, 19, 0, DEC_ROUND_DOWN, DEC_EINVAL, 0 },
	{ 1, 0, 19, DEC_ROUND_DOWN, DEC_EINVAL, 0 },
	{ 10, 1, 1, 5, DEC_EINVAL, 0 },
	{ 10, 1, 1, -1, DEC_EINVAL, 0 },
	{ 15, 1, 0, 99, DEC_EINVAL, 0 },
	{ INT64_MAX, 0, 19, DEC_ROUND_EXACT, DEC_EINVAL, 0 },
};

static void
test_rescale(void)
{
	size_t i;
	int64_t v, want;
	int rc, wrc, k, from, to, mode;
	long bad = 0, nok = 0;

	for (i = 0; i < NELEM(rescales); i++) {
		const struct rs *t = &rescales[i];

		v = SENTINEL;
		rc = dec_rescale(t->v, t->from, t->to, (enum dec_round)t->mode,
		    &v);
		ok(rc == t->want && v == (rc == DEC_OK ? t->val : SENTINEL),
		    "rescale %lld from %d to %d, %s: %s %lld", (long long)t->v,
		    t->from, t->to, mode_ok(t->mode) ? modename[t->mode] :
		    "bad mode", ename(rc), (long long)v);
	}

	/* Against the reference, which rescales as a multiplication by 1. */
	for (k = 0; k < ARITH_ROUNDS; k++) {
		int64_t a = rand_i64();

		from = (int)(xs() % (DEC_MAXSCALE + 1));
		to = (int)(xs() % (DEC_MAXSCALE + 1));
		mode = (int)(xs() % 5);
		v = want = SENTINEL;
		rc = dec_rescale(a, from, to, (enum dec_round)mode, &v);
		wrc = ref_mul(a, from, 1, 0, to, mode, &want);
		if (rc == DEC_OK)
			nok++;
		if (rc != wrc || v != want) {
			if (bad++ < 3)
				diagf("rescale %lld %d->%d %s: %s %lld, want "
				    "%s %lld", (long long)a, from, to,
				    modename[mode], ename(rc), (long long)v,
				    ename(wrc), (long long)want);
		}
	}
	is_int(bad, 0, "%d random rescales agree with the 128-bit reference",
	    ARITH_ROUNDS);
	ok(nok > ARITH_ROUNDS / 4, "  %ld of them succeeded", nok);
}

/* Multiplication and division */

struct ar {
	int64_t		 a;
	int		 sa;
	int64_t		 b;
	int		 sb;
	int		 sout;
	int		 mode;
	int		 want;
	int64_t		 val;
};

static const struct ar muls[] = {
	/* the header's example: 1850000.00 TRY x 0.00012345 BTC */
	{ 185000000, 2, 12345, 8, 2, DEC_ROUND_UP, DEC_OK, 22839 },
	{ 185000000, 2, 12345, 8, 2, DEC_ROUND_DOWN, DEC_OK, 22838 },
	{ 185000000, 2, 12345, 8, 2, DEC_ROUND_HALF_UP, DEC_OK, 22838 },
	{ 185000000, 2, 12345, 8, 2, DEC_ROUND_EXACT, DEC_EINEXACT, 0 },
	{ 185000000, 2, 12345, 8, 4, DEC_ROUND_EXACT, DEC_OK, 2283825 },
	{ 185000000, 2, 12345, 8, 10, DEC_ROUND_EXACT, DEC_OK,
	    2283825000000 },
	/* -1.5 x 0.5 = -0.75 and -1.3 x 0.5 = -0.65, to one decimal */
	{ -15, 1, 5, 1, 1, DEC_ROUND_DOWN, DEC_OK, -7 },
	{ -15, 1, 5, 1, 1, DEC_ROUND_UP, DEC_OK, -8 },
	{ -15, 1, 5, 1, 1, DEC_ROUND_HALF_UP, DEC_OK, -8 },
	{ -15, 1, 5, 1, 1, DEC_ROUND_HALF_EVEN, DEC_OK, -8 },
	{ -13, 1, 5, 1, 1, DEC_ROUND_HALF_EVEN, DEC_OK, -6 },
	{ -13, 1, 5, 1, 1, DEC_ROUND_HALF_UP, DEC_OK, -7 },
	{ 13, 1, -5, 1, 1, DEC_ROUND_HALF_EVEN, DEC_OK, -6 },
	{ -13, 1, -5, 1, 1, DEC_ROUND_HALF_EVEN, DEC_OK, 6 },
	{ -13, 1, -5, 1, 1, DEC_ROUND_UP, DEC_OK, 7 },
	{ 0, 5, -5, 1, 0, DEC_ROUND_EXACT, DEC_OK, 0 },
	/* the int64 edges */
	{ INT64_MAX, 0, 1, 0, 0, DEC_ROUND_EXACT, DEC_OK, INT64_MAX },
	{ INT64_MAX, 0, -1, 0, 0, DEC_ROUND_EXACT, DEC_OK, -INT64_MAX },
	{ INT64_MIN, 0, 1, 0, 0, DEC_ROUND_EXACT, DEC_OK, INT64_MIN },
	{ INT64_MIN, 0, -1, 0, 0, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ INT64_MAX, 0, 2, 0, 0, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ INT64_MIN, 0, INT64_MIN, 0, 0, DEC_ROUND_DOWN, DEC_ERANGE, 0 },
	{ INT64_MIN, 18, INT64_MIN, 18, 18, DEC_ROUND_DOWN, DEC_ERANGE, 0 },
	{ INT64_MAX, 18, INT64_MAX, 18, 17, DEC_ROUND_DOWN, DEC_OK,
	    8507059173023461584LL },
	{ INT64_MIN, 18, INT64_MIN, 18, 0, DEC_ROUND_HALF_EVEN, DEC_OK, 85 },
	{ INT64_MIN, 9, 2, 0, 9, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ 4611686018427387904LL, 0, -2, 0, 0, DEC_ROUND_EXACT, DEC_OK,
	    INT64_MIN },
	{ 4611686018427387904LL, 0, 2, 0, 0, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	/* a product 1.5 x INT64_MAX: out of range and inexact is ERANGE */
	{ INT64_MAX, 0, 15, 1, 0, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	/* upscaling the product */
	{ 1, 0, 1, 0, 18, DEC_ROUND_EXACT, DEC_OK, 1000000000000000000LL },
	{ 10, 0, 1, 0, 18, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	/* the full 36-digit shift down */
	{ INT64_MAX, 18, INT64_MAX, 18, 0, DEC_ROUND_UP, DEC_OK, 86 },
	{ 1, 18, 1, 18, 0, DEC_ROUND_UP, DEC_OK, 1 },
	{ 1, 18, 1, 18, 0, DEC_ROUND_HALF_UP, DEC_OK, 0 },
	{ -1, 18, 1, 18, 0, DEC_ROUND_UP, DEC_OK, -1 },
	{ 1, 18, 1, 18, 0, DEC_ROUND_EXACT, DEC_EINEXACT, 0 },
	/* invalid arguments first */
	{ 1, 19, 1, 0, 0, DEC_ROUND_EXACT, DEC_EINVAL, 0 },
	{ 1, 0, 1, -1, 0, DEC_ROUND_EXACT, DEC_EINVAL, 0 },
	{ 1, 0, 1, 0, 19, DEC_ROUND_EXACT, DEC_EINVAL, 0 },
	{ 1, 0, 1, 0, 0, 5, DEC_EINVAL, 0 },
	{ INT64_MAX, 0, 2, 0, 0, 7, DEC_EINVAL, 0 },
};

static const struct ar divs[] = {
	{ 1, 0, 3, 0, 2, DEC_ROUND_DOWN, DEC_OK, 33 },
	{ 1, 0, 3, 0, 2, DEC_ROUND_UP, DEC_OK, 34 },
	{ 1, 0, 3, 0, 2, DEC_ROUND_HALF_UP, DEC_OK, 33 },
	{ 1, 0, 3, 0, 2, DEC_ROUND_EXACT, DEC_EINEXACT, 0 },
	{ 2, 0, 3, 0, 2, DEC_ROUND_HALF_UP, DEC_OK, 67 },
	{ 2, 0, 3, 0, 2, DEC_ROUND_HALF_EVEN, DEC_OK, 67 },
	{ -2, 0, 3, 0, 2, DEC_ROUND_HALF_EVEN, DEC_OK, -67 },
	{ -2, 0, 3, 0, 2, DEC_ROUND_DOWN, DEC_OK, -66 },
	/* 0.125 and 0.375 are exact ties at two decimals */
	{ 1, 0, 8, 0, 2, DEC_ROUND_HALF_UP, DEC_OK, 13 },
	{ 1, 0, 8, 0, 2, DEC_ROUND_HALF_EVEN, DEC_OK, 12 },
	{ 3, 0, 8, 0, 2, DEC_ROUND_HALF_EVEN, DEC_OK, 38 },
	{ -1, 0, 8, 0, 2, DEC_ROUND_HALF_EVEN, DEC_OK, -12 },
	{ 1, 0, -8, 0, 2, DEC_ROUND_HALF_UP, DEC_OK, -13 },
	{ -1, 0, -8, 0, 2, DEC_ROUND_HALF_UP, DEC_OK, 13 },
	{ 1, 0, 8, 0, 3, DEC_ROUND_EXACT, DEC_OK, 125 },
	/* 100.00 TRY / 1850000.00 TRY per BTC, in BTC at 8 */
	{ 10000, 2, 185000000, 2, 8, DEC_ROUND_DOWN, DEC_OK, 5405 },
	{ 10000, 2, 185000000, 2, 8, DEC_ROUND_UP, DEC_OK, 5406 },
	/* scales on either side */
	{ 15, 1, 5, 2, 0, DEC_ROUND_EXACT, DEC_OK, 30 },
	{ 15, 1, 5, 2, 3, DEC_ROUND_EXACT, DEC_OK, 30000 },
	{ 1500, 3, 3, 0, 1, DEC_ROUND_EXACT, DEC_OK, 5 },
	{ 1, 18, 1, 0, 0, DEC_ROUND_UP, DEC_OK, 1 },
	{ 1, 18, INT64_MAX, 0, 18, DEC_ROUND_UP, DEC_OK, 1 },
	{ 1, 18, INT64_MAX, 0, 18, DEC_ROUND_HALF_UP, DEC_OK, 0 },
	/* division by zero, after argument checks */
	{ 1, 0, 0, 0, 0, DEC_ROUND_EXACT, DEC_EDIVZERO, 0 },
	{ 0, 0, 0, 0, 0, DEC_ROUND_DOWN, DEC_EDIVZERO, 0 },
	{ INT64_MIN, 18, 0, 18, 18, DEC_ROUND_HALF_EVEN, DEC_EDIVZERO, 0 },
	{ 1, 19, 0, 0, 0, DEC_ROUND_EXACT, DEC_EINVAL, 0 },
	{ 1, 0, 0, 0, 0, 9, DEC_EINVAL, 0 },
	/* out of range */
	{ INT64_MIN, 0, -1, 0, 0, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ INT64_MIN, 0, 1, 0, 0, DEC_ROUND_EXACT, DEC_OK, INT64_MIN },
	{ INT64_MAX, 0, -1, 0, 0, DEC_ROUND_EXACT, DEC_OK, -INT64_MAX },
	{ INT64_MAX, 0, 1, 1, 0, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ 1, 0, 1, 18, 18, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	{ INT64_MAX, 0, 1, 18, 18, DEC_ROUND_DOWN, DEC_ERANGE, 0 },
	{ INT64_MIN, 0, 1, 18, 18, DEC_ROUND_DOWN, DEC_ERANGE, 0 },
	/* out of range and inexact is ERANGE */
	{ INT64_MAX, 0, 3, 1, 0, DEC_ROUND_EXACT, DEC_ERANGE, 0 },
	/* invalid arguments */
	{ 1, -1, 1, 0, 0, DEC_ROUND_EXACT, DEC_EINVAL, 0 },
	{ 1, 0, 1, 19, 0, DEC_ROUND_EXACT, DEC_EINVAL, 0 },
	{ 1, 0, 1, 0, -1, DEC_ROUND_EXACT, DEC_EINVAL, 0 },
};

static void
test_arith_tables(void)
{
	size_t i;
	int64_t v, ref;
	int rc, wrc;

	for (i = 0; i < NELEM(muls); i++) {
		const struct ar *t = &muls[i];

		v = ref = SENTINEL;
		rc = dec_mul(t->a, t->sa, t->b, t->sb, t->sout,
		    (enum dec_round)t->mode, &v);
		wrc = ref_mul(t->a, t->sa, t->b, t->sb, t->sout, t->mode, &ref);
		ok(rc == t->want && v == (rc == DEC_OK ? t->val : SENTINEL) &&
		    wrc == rc && ref == v,
		    "mul %lld@%d x %lld@%d -> @%d %s: %s %lld", (long long)t->a,
		    t->sa, (long long)t->b, t->sb, t->sout,
		    mode_ok(t->mode) ? modename[t->mode] : "bad mode",
		    ename(rc), (long long)v);
	}
	for (i = 0; i < NELEM(divs); i++) {
		const struct ar *t = &divs[i];

		v = ref = SENTINEL;
		rc = dec_div(t->a, t->sa, t->b, t->sb, t->sout,
		    (enum dec_round)t->mode, &v);
		wrc = ref_div(t->a, t->sa, t->b, t->sb, t->sout, t->mode, &ref);
		ok(rc == t->want && v == (rc == DEC_OK ? t->val : SENTINEL) &&
		    wrc == rc && ref == v,
		    "div %lld@%d / %lld@%d -> @%d %s: %s %lld", (long long)t->a,
		    t->sa, (long long)t->b, t->sb, t->sout,
		    mode_ok(t->mode) ? modename[t->mode] : "bad mode",
		    ename(rc), (long long)v);
	}
}

static void
test_arith_random(int is_div)
{
	long bad = 0, seen[8] = { 0 };
	int64_t a, b, v, want;
	int k, sa, sb, sout, mode, rc, wrc;

	for (k = 0; k < ARITH_ROUNDS; k++) {
		a = rand_i64();
		b = rand_i64();
		if (is_div && xs() % 64 == 0)
			b = 0;
		sa = (int)(xs() % (DEC_MAXSCALE + 1));
		sb = (int)(xs() % (DEC_MAXSCALE + 1));
		sout = (int)(xs() % (DEC_MAXSCALE + 1));
		mode = (int)(xs() % 5);
		v = want = SENTINEL;
		if (is_div) {
			rc = dec_div(a, sa, b, sb, sout, (enum dec_round)mode,
			    &v);
			wrc = ref_div(a, sa, b, sb, sout, mode, &want);
		} else {
			rc = dec_mul(a, sa, b, sb, sout, (enum dec_round)mode,
			    &v);
			wrc = ref_mul(a, sa, b, sb, sout, mode, &want);
		}
		if (rc >= 0 && rc < 8)
			seen[rc]++;
		if (rc != wrc || v != want) {
			if (bad++ < 3)
				diagf("%s %lld@%d, %lld@%d -> @%d %s: %s %lld, "
				    "want %s %lld", is_div ? "div" : "mul",
				    (long long)a, sa, (long long)b, sb, sout,
				    modename[mode], ename(rc), (long long)v,
				    ename(wrc), (long long)want);
		}
	}
	is_int(bad, 0, "%d random %s agree with __int128 arithmetic",
	    ARITH_ROUNDS, is_div ? "divisions" : "multiplications");
	ok(seen[DEC_OK] > ARITH_ROUNDS / 10 &&
	    seen[DEC_ERANGE] > ARITH_ROUNDS / 20 &&
	    seen[DEC_EINEXACT] > ARITH_ROUNDS / 100 &&
	    (!is_div || seen[DEC_EDIVZERO] > 0),
	    "  outcomes: %ld ok, %ld ERANGE, %ld EINEXACT, %ld EDIVZERO",
	    seen[DEC_OK], seen[DEC_ERANGE], seen[DEC_EINEXACT],
	    seen[DEC_EDIVZERO]);
}

/*
 * Rounding never creates or loses more than the last unit: for a product
 * rounded DOWN and UP, the two results bracket the exact value and differ
 * by one exactly when the product is inexact.
 */
static void
test_arith_bracket(void)
{
	long bad = 0, n = 0;
	int64_t a, b, lo, hi;
	int k, sa, sb, sout, rlo, rhi, rex;

	for (k = 0; k < ARITH_ROUNDS / 4; k++) {
		int64_t ex;

		a = (int64_t)(xs() % 2000000001) - 1000000000;
		b = (int64_t)(xs() % 2000000001) - 1000000000;
		sa = (int)(xs() % 9);
		sb = (int)(xs() % 9);
		sout = (int)(xs() % 9);
		rlo = dec_mul(a, sa, b, sb, sout, DEC_ROUND_DOWN, &lo);
		rhi = dec_mul(a, sa, b, sb, sout, DEC_ROUND_UP, &hi);
		rex = dec_mul(a, sa, b, sb, sout, DEC_ROUND_EXACT, &ex);
		if (rlo != DEC_OK || rhi != DEC_OK)
			continue;
		n++;
		if (rex == DEC_OK) {
			if (lo != hi || lo != ex)
				bad++;
		} else if (rex != DEC_EINEXACT ||
		    hi - lo != ((a < 0) != (b < 0) ? -1 : 1))
			bad++;
	}
	is_int(bad, 0, "DOWN and UP bracket the exact product, one unit "
	    "apart when inexact (%ld cases)", n);
}

static void
test_add_sub(void)
{
	int64_t v;

	v = SENTINEL;
	ok(dec_add(150, 275, &v) == DEC_OK && v == 425, "1.50 + 2.75 = 4.25");
	ok(dec_add(-150, 100, &v) == DEC_OK && v == -50, "-1.50 + 1.00");
	ok(dec_add(INT64_MAX, 0, &v) == DEC_OK && v == INT64_MAX,
	    "INT64_MAX + 0");
	ok(dec_add(INT64_MIN, INT64_MAX, &v) == DEC_OK && v == -1,
	    "INT64_MIN + INT64_MAX = -1");
	v = SENTINEL;
	is_int(dec_add(INT64_MAX, 1, &v), DEC_ERANGE, "INT64_MAX + 1");
	is_int(dec_add(INT64_MIN, -1, &v), DEC_ERANGE, "INT64_MIN + -1");
	is_int(dec_add(INT64_MIN, INT64_MIN, &v), DEC_ERANGE,
	    "INT64_MIN + INT64_MIN");
	ok(v == SENTINEL, "dec_add errors leave *out alone");

	ok(dec_sub(425, 275, &v) == DEC_OK && v == 150, "4.25 - 2.75 = 1.50");
	ok(dec_sub(0, INT64_MAX, &v) == DEC_OK && v == -INT64_MAX,
	    "0 - INT64_MAX");
	ok(dec_sub(-1, INT64_MAX, &v) == DEC_OK && v == INT64_MIN,
	    "-1 - INT64_MAX = INT64_MIN");
	v = SENTINEL;
	is_int(dec_sub(0, INT64_MIN, &v), DEC_ERANGE, "0 - INT64_MIN");
	is_int(dec_sub(INT64_MIN, 1, &v), DEC_ERANGE, "INT64_MIN - 1");
	is_int(dec_sub(INT64_MAX, -1, &v), DEC_ERANGE, "INT64_MAX - -1");
	ok(v == SENTINEL, "dec_sub errors leave *out alone");
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
	test_format();
	test_roundtrip();
	test_rescale();
	test_arith_tables();
	test_arith_random(0);
	test_arith_random(1);
	test_arith_bracket();
	test_add_sub();
	test_strerror();
	return done_testing();
}
