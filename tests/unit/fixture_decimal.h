/* tests/unit/fixture_decimal.h — what the decimal tests share: error and rounding names, and 128-bit reference arithmetic */
#ifndef HZM_FIXTURE_DECIMAL_H
#define HZM_FIXTURE_DECIMAL_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "core/decimal.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define SENTINEL	((int64_t)0x5a5a5a5a5a5a5a5aLL)
#define ALL		(DEC_NEG_OK | DEC_ZEROS_OK)

typedef __int128 i128;

static const char *const errname[] = {
	"DEC_OK", "DEC_ESYNTAX", "DEC_ESIGN", "DEC_EPRECISION", "DEC_ERANGE",
	"DEC_EINEXACT", "DEC_EDIVZERO", "DEC_EINVAL"
};

static const char *const modename[] = {
	"EXACT", "DOWN", "UP", "HALF_UP", "HALF_EVEN"
};

static inline void __attribute__((format(printf, 1, 2)))
diagf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	diag(buf);
}

static inline const char *
ename(int e)
{
	if (e < 0 || (size_t)e >= NELEM(errname))
		return "?";
	return errname[e];
}

static inline i128
ipow10(int k)
{
	i128 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

static inline int
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
static inline int
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

static inline int
sc_ok(int s)
{
	return s >= 0 && s <= DEC_MAXSCALE;
}

static inline int
mode_ok(int m)
{
	return m >= DEC_ROUND_EXACT && m <= DEC_ROUND_HALF_EVEN;
}

static inline int
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

static inline int
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

#endif
