/* tests/unit/test_decimal_arith.c — core/decimal: rescaling, multiplication and division in each rounding mode by table, addition and subtraction at the int64 edges */
#include <stdint.h>
#include <stdio.h>

#include "core/decimal.h"
#include "tests/unit/fixture_decimal.h"
#include "tests/unit/tap.h"

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
test_rescale_table(void)
{
	size_t i;
	int64_t v;
	int rc;

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

int
main(void)
{
	test_rescale_table();
	test_arith_tables();
	test_add_sub();
	return done_testing();
}
