/* tests/unit/test_decimal_random.c — core/decimal against references on one replayable random stream: format then parse, rescale, multiply and divide, rounding that brackets */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/decimal.h"
#include "tests/unit/fixture_decimal.h"
#include "tests/unit/tap.h"

#define ROUNDTRIPS	100000
#define ARITH_ROUNDS	200000

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

/* What went wrong over the random values, by kind. */
struct rt_bad {
	long	 fmt, len, rt, plain, rescale;
};

/*
 * v at scale s: formatted as the reference writes it, parsed back with and
 * without DEC_NEG_OK, and parsed at another scale, drawn from the stream.
 */
static void
roundtrip_one(int64_t v, int s, struct rt_bad *bad)
{
	char buf[DEC_BUFSZ], ref[64];
	int n, rc, s2;
	int64_t back, want;

	n = dec_format(v, s, buf, sizeof(buf));
	ref_format(v, s, ref);
	if (n < 0 || strcmp(buf, ref) != 0) {
		if (bad->fmt++ < 3)
			diagf("format %lld at %d: \"%s\", want \"%s\"",
			    (long long)v, s, n < 0 ? "(error)" : buf,
			    ref);
		return;
	}
	if ((size_t)n != strlen(buf))
		bad->len++;

	back = SENTINEL;
	rc = dec_parse_flags(buf, (size_t)n, s, DEC_NEG_OK, &back);
	if (rc != DEC_OK || back != v) {
		if (bad->rt++ < 3)
			diagf("\"%s\" at %d parses to %s %lld, want "
			    "%lld", buf, s, ename(rc),
			    (long long)back, (long long)v);
	}
	if (v >= 0) {
		back = SENTINEL;
		rc = dec_parse(buf, (size_t)n, s, &back);
		if (rc != DEC_OK || back != v)
			bad->plain++;
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
		if (bad->rescale++ < 3)
			diagf("\"%s\" at scale %d: %lld, want %s %lld",
			    buf, s2, (long long)back, ename(rc),
			    (long long)want);
	}
}

/* format -> parse gives back the value, over the whole int64 range. */
static void
test_roundtrip(void)
{
	struct rt_bad bad = { 0 };
	int i, s;
	int64_t v;
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
		roundtrip_one(v, s, &bad);
	}
	is_int(bad.fmt, 0, "%d random values: dec_format matches a "
	    "digit-by-digit reference", ROUNDTRIPS);
	is_int(bad.len, 0, "dec_format returns strlen of what it wrote");
	is_int(bad.rt, 0, "%d random values at random scales: format then "
	    "parse gives the value back", ROUNDTRIPS);
	is_int(bad.plain, 0, "non-negative ones round trip through dec_parse");
	is_int(bad.rescale, 0, "parsing at another scale agrees with "
	    "dec_rescale");
	ok(neg > ROUNDTRIPS / 3 && small > ROUNDTRIPS / 10 &&
	    big > ROUNDTRIPS / 40, "the sample covers negative (%ld), small "
	    "(%ld) and large (%ld) values", neg, small, big);
}

/* Against the reference, which rescales as a multiplication by 1. */
static void
test_rescale_random(void)
{
	int64_t v, want;
	int rc, wrc, k, from, to, mode;
	long bad = 0, nok = 0;

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

/* One stream: each test draws from where the one before left off. */
int
main(void)
{
	test_roundtrip();
	test_rescale_random();
	test_arith_random(0);
	test_arith_random(1);
	test_arith_bracket();
	return done_testing();
}
