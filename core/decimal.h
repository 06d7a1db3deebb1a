/* core/decimal.h — money as int64 scaled by 10^scale: strict parsing, formatting, exact arithmetic */
#ifndef HZM_DECIMAL_H
#define HZM_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/*
 * A value v at scale s means v / 10^s.  The scale is never stored with the
 * value: it is the precision of the asset (TRY 2, BTC 8, USDT 6, ...), and
 * the caller passes it to every function.  Scales run from 0 to DEC_MAXSCALE.
 *
 * Every function writes its result only on success; on error *out is left
 * untouched.  Results are a small enum, DEC_OK being 0.  Arguments are
 * checked first (DEC_EINVAL), and a result out of range is DEC_ERANGE even
 * when it would also have needed rounding under DEC_ROUND_EXACT.
 */

#define DEC_MAXSCALE	18

/*
 * Large enough for dec_format() of any value at any scale, NUL included:
 * a sign, at most 19 digits (or "0" and 18 decimals) and a '.'.
 */
#define DEC_BUFSZ	22

enum dec_err {
	DEC_OK = 0,
	DEC_ESYNTAX,	/* not a decimal number in the accepted form */
	DEC_ESIGN,	/* negative, and DEC_NEG_OK was not given */
	DEC_EPRECISION,	/* more decimals than the scale allows */
	DEC_ERANGE,	/* does not fit in int64 at the requested scale */
	DEC_EINEXACT,	/* DEC_ROUND_EXACT given and the result needs rounding */
	DEC_EDIVZERO,	/* division by zero */
	DEC_EINVAL	/* scale outside 0..DEC_MAXSCALE, unknown mode or flag */
};

/*
 * Rounding when a result has more decimals than the output scale.
 * DEC_ROUND_EXACT is 0 on purpose: a zeroed or forgotten mode refuses to
 * round rather than silently create or lose money.
 */
enum dec_round {
	DEC_ROUND_EXACT = 0,	/* fail with DEC_EINEXACT instead of rounding */
	DEC_ROUND_DOWN,		/* toward zero (truncate) */
	DEC_ROUND_UP,		/* away from zero */
	DEC_ROUND_HALF_UP,	/* nearest, ties away from zero */
	DEC_ROUND_HALF_EVEN	/* nearest, ties to the even neighbour */
};

/* dec_parse_flags() flags. */
#define DEC_NEG_OK	0x01	/* accept a leading '-' */
#define DEC_ZEROS_OK	0x02	/* accept zeros beyond the scale ("1.50000000000" at 8) */

/*
 * Accepted form, and nothing else:  -?(0|[1-9][0-9]*)(\.[0-9]+)?
 *  - len is authoritative: s need not be NUL-terminated, and a NUL byte
 *    inside it is a syntax error like any other byte;
 *  - ASCII digits only: no '+', no whitespace, no exponent, no hex, no
 *    digit group separators, no non-ASCII digits;
 *  - at least one digit on each side of a '.': "1." and ".5" are refused;
 *  - no leading zeros: "0", "0.5" and "10" pass, "007" and "00.5" do not;
 *  - fewer decimals than the scale are fine ("0.5" at scale 8);
 *  - more decimals than the scale are DEC_EPRECISION, even if they are
 *    zeros, unless DEC_ZEROS_OK is given (nonzero ones always are);
 *  - '-' only with DEC_NEG_OK, else DEC_ESIGN; "-0" (any spelling of
 *    negative zero) is DEC_ESYNTAX, since dec_format() never writes it;
 *  - checks run in this order: syntax, sign, precision, range.
 * dec_parse() is dec_parse_flags() with no flags: a non-negative amount
 * exactly as the API receives prices, quantities and amounts.
 */
int	 dec_parse(const char *s, size_t len, int scale, int64_t *out);
int	 dec_parse_flags(const char *s, size_t len, int scale, unsigned flags,
	    int64_t *out);

/*
 * Write v with exactly scale decimals ("1850000.00", "0.01000000",
 * "-0.50", "5" at scale 0).  Returns the length written, NUL excluded, or
 * -1 if buf is too small or scale is invalid.  The output always parses
 * back to v (with DEC_NEG_OK if negative).
 */
int	 dec_format(int64_t v, int scale, char *buf, size_t bufsz);

/* Change the scale of v, rounding if decimals are dropped. */
int	 dec_rescale(int64_t v, int from, int to, enum dec_round mode,
	    int64_t *out);

/*
 * a (scale sa) times b (scale sb), rounded to scale sout.  The product is
 * exact in 128 bits before rounding, so the only errors are DEC_ERANGE,
 * DEC_EINEXACT and DEC_EINVAL.  Price x quantity -> quote amount:
 * dec_mul(price, 2, qty, 8, 2, DEC_ROUND_UP, &quote).
 */
int	 dec_mul(int64_t a, int sa, int64_t b, int sb, int sout,
	    enum dec_round mode, int64_t *out);

/* a (scale sa) divided by b (scale sb), rounded to scale sout. */
int	 dec_div(int64_t a, int sa, int64_t b, int sb, int sout,
	    enum dec_round mode, int64_t *out);

/* Sum and difference of two values of the same scale. */
int	 dec_add(int64_t a, int64_t b, int64_t *out);
int	 dec_sub(int64_t a, int64_t b, int64_t *out);

/* A short English message for a dec_err; never NULL. */
const char	*dec_strerror(int err);

#endif
