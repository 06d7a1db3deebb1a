/* core/decimal.c — fixed-point money: strict parse, format, rescale, mul/div with explicit rounding */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/decimal.h"

/*
 * Magnitudes are carried unsigned with a separate sign so that INT64_MIN
 * (whose magnitude does not fit in int64) needs no special case until the
 * very end, and so that no signed overflow can happen on the way.
 */
typedef unsigned __int128 u128;

#define U128_MAX	(~(u128)0)
#define ROUND_LAST	DEC_ROUND_HALF_EVEN

static const uint64_t pow10_tab[DEC_MAXSCALE + 1] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL
};

static const char *const errstr[] = {
	[DEC_OK] = "success",
	[DEC_ESYNTAX] = "not a decimal number",
	[DEC_ESIGN] = "negative value not allowed",
	[DEC_EPRECISION] = "too many decimal places",
	[DEC_ERANGE] = "value out of range",
	[DEC_EINEXACT] = "result would need rounding",
	[DEC_EDIVZERO] = "division by zero",
	[DEC_EINVAL] = "invalid scale, rounding mode or flag",
};

static int
scale_ok(int s)
{
	return s >= 0 && s <= DEC_MAXSCALE;
}

static int
mode_ok(enum dec_round m)
{
	return (unsigned)m <= (unsigned)ROUND_LAST;
}

/* 10^k for k in 0..2*DEC_MAXSCALE: a product of two scaled values. */
static u128
pow10_128(int k)
{
	if (k <= DEC_MAXSCALE)
		return pow10_tab[k];
	return (u128)pow10_tab[DEC_MAXSCALE] * pow10_tab[k - DEC_MAXSCALE];
}

static uint64_t
mag64(int64_t v)
{
	/* Unsigned negation is defined for every value, INT64_MIN included. */
	return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* The largest magnitude an int64 of that sign can hold. */
static u128
limit(int neg)
{
	return neg ? (u128)INT64_MAX + 1 : (u128)INT64_MAX;
}

static int
finish(int neg, u128 mag, int64_t *out)
{
	if (mag > limit(neg))
		return DEC_ERANGE;
	if (!neg)
		*out = (int64_t)mag;
	else if (mag == (u128)INT64_MAX + 1)
		*out = INT64_MIN;
	else
		*out = -(int64_t)mag;
	return DEC_OK;
}

/*
 * sign * n / d rounded by mode.  A quotient already out of range is
 * DEC_ERANGE before any question of exactness: the caller learns the
 * more fundamental problem first.  d - r stands for the distance to the
 * next multiple so that 2 * r, which may not fit, is never computed.
 */
static int
round_div(int neg, u128 n, u128 d, enum dec_round mode, int64_t *out)
{
	u128 q = n / d, r = n % d;

	if (q > limit(neg))
		return DEC_ERANGE;
	if (r == 0)
		return finish(neg, q, out);
	switch (mode) {
	case DEC_ROUND_EXACT:
		return DEC_EINEXACT;
	case DEC_ROUND_DOWN:
		break;
	case DEC_ROUND_UP:
		q++;
		break;
	case DEC_ROUND_HALF_UP:
		if (r >= d - r)
			q++;
		break;
	case DEC_ROUND_HALF_EVEN:
		if (r > d - r || (r == d - r && (q & 1) != 0))
			q++;
		break;
	}
	return finish(neg, q, out);
}

/* sign * mag * 10^shift, rounding when shift is negative. */
static int
shift_round(int neg, u128 mag, int shift, enum dec_round mode, int64_t *out)
{
	u128 p;

	if (shift < 0)
		return round_div(neg, mag, pow10_128(-shift), mode, out);
	p = pow10_128(shift);
	if (mag > limit(neg) / p)
		return DEC_ERANGE;
	return finish(neg, mag * p, out);
}

static int
isdigit_ascii(char c)
{
	/* Not isdigit(3): its answer depends on the locale. */
	return c >= '0' && c <= '9';
}

int
dec_parse(const char *s, size_t len, int scale, int64_t *out)
{
	return dec_parse_flags(s, len, scale, 0, out);
}

int
dec_parse_flags(const char *s, size_t len, int scale, unsigned flags,
    int64_t *out)
{
	const char *p, *end, *ip, *fp = NULL;
	size_t ni, nf = 0, i;
	uint64_t mag = 0, lim;
	unsigned d;
	int neg = 0, zero;

	if (!scale_ok(scale) || (flags & ~(unsigned)(DEC_NEG_OK | DEC_ZEROS_OK)))
		return DEC_EINVAL;
	if (s == NULL)
		return DEC_ESYNTAX;
	p = s;
	end = s + len;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	ip = p;
	while (p < end && isdigit_ascii(*p))
		p++;
	ni = (size_t)(p - ip);
	if (ni == 0 || (ni > 1 && ip[0] == '0'))
		return DEC_ESYNTAX;
	if (p < end && *p == '.') {
		fp = ++p;
		while (p < end && isdigit_ascii(*p))
			p++;
		if ((nf = (size_t)(p - fp)) == 0)
			return DEC_ESYNTAX;
	}
	if (p != end)
		return DEC_ESYNTAX;

	/* Leading zeros are refused, so the integer part is zero only as "0". */
	zero = ni == 1 && ip[0] == '0';
	for (i = 0; zero && i < nf; i++)
		if (fp[i] != '0')
			zero = 0;
	/* One spelling per value: "-0" would not survive a format round trip. */
	if (neg && zero)
		return DEC_ESYNTAX;
	if (neg && !(flags & DEC_NEG_OK))
		return DEC_ESIGN;
	for (i = (size_t)scale; i < nf; i++)
		if (fp[i] != '0' || !(flags & DEC_ZEROS_OK))
			return DEC_EPRECISION;

	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (i = 0; i < ni + (size_t)scale; i++) {
		if (i < ni)
			d = (unsigned)(ip[i] - '0');
		else if (i - ni < nf)
			d = (unsigned)(fp[i - ni] - '0');
		else
			d = 0;
		if (mag > (lim - d) / 10)
			return DEC_ERANGE;
		mag = mag * 10 + d;
	}
	return finish(neg, mag, out);
}

int
dec_format(int64_t v, int scale, char *buf, size_t bufsz)
{
	char tmp[DEC_BUFSZ];
	size_t i = sizeof(tmp), len;
	uint64_t mag;
	int nd = 0;

	if (!scale_ok(scale) || buf == NULL)
		return -1;
	mag = mag64(v);
	/* At least scale + 1 digits so that 0.5 at scale 2 reads "0.50". */
	do {
		tmp[--i] = (char)('0' + mag % 10);
		mag /= 10;
		if (++nd == scale)
			tmp[--i] = '.';
	} while (mag != 0 || nd <= scale);
	if (v < 0)
		tmp[--i] = '-';
	len = sizeof(tmp) - i;
	if (len >= bufsz)
		return -1;
	memcpy(buf, tmp + i, len);
	buf[len] = '\0';
	return (int)len;
}

int
dec_rescale(int64_t v, int from, int to, enum dec_round mode, int64_t *out)
{
	if (!scale_ok(from) || !scale_ok(to) || !mode_ok(mode))
		return DEC_EINVAL;
	return shift_round(v < 0, mag64(v), to - from, mode, out);
}

int
dec_mul(int64_t a, int sa, int64_t b, int sb, int sout, enum dec_round mode,
    int64_t *out)
{
	u128 p;

	if (!scale_ok(sa) || !scale_ok(sb) || !scale_ok(sout) || !mode_ok(mode))
		return DEC_EINVAL;
	/* Both magnitudes are at most 2^63: the product fits in 2^126. */
	p = (u128)mag64(a) * mag64(b);
	return shift_round((a < 0) != (b < 0), p, sout - sa - sb, mode, out);
}

int
dec_div(int64_t a, int sa, int64_t b, int sb, int sout, enum dec_round mode,
    int64_t *out)
{
	u128 n, d, p;
	int neg, e;

	if (!scale_ok(sa) || !scale_ok(sb) || !scale_ok(sout) || !mode_ok(mode))
		return DEC_EINVAL;
	if (b == 0)
		return DEC_EDIVZERO;
	neg = (a < 0) != (b < 0);
	n = mag64(a);
	d = mag64(b);
	/*
	 * (a / 10^sa) / (b / 10^sb) * 10^sout = a * 10^e / b.  A positive e
	 * scales the numerator up; if that overflows 128 bits the quotient is
	 * at least 2^128 / 2^63 = 2^65, out of range anyway.  A negative e
	 * scales the divisor: at most 2^63 * 10^18, well inside 128 bits.
	 */
	e = sout + sb - sa;
	if (e >= 0) {
		p = pow10_128(e);
		if (n > U128_MAX / p)
			return DEC_ERANGE;
		n *= p;
	} else
		d *= pow10_128(-e);
	return round_div(neg, n, d, mode, out);
}

int
dec_add(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return DEC_ERANGE;
	*out = r;
	return DEC_OK;
}

int
dec_sub(int64_t a, int64_t b, int64_t *out)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return DEC_ERANGE;
	*out = r;
	return DEC_OK;
}

const char *
dec_strerror(int err)
{
	if (err < 0 || (size_t)err >= sizeof(errstr) / sizeof(errstr[0]) ||
	    errstr[err] == NULL)
		return "unknown decimal error";
	return errstr[err];
}
