/* tests/fuzz/fuzz_decimal.c — libFuzzer: what dec_parse accepts, dec_format writes back and parses again */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"

#define SENTINEL	((int64_t)0x5a5a5a5a5a5a5a5aLL)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The accepted form, -?(0|[1-9][0-9]*)(\.[0-9]+)?, checked on its own. */
static int
well_formed(const char *s, size_t n, int *neg, size_t *ndec, int *zero)
{
	size_t i = 0, start;

	*neg = *zero = 0;
	*ndec = 0;
	if (i < n && s[i] == '-') {
		*neg = 1;
		i++;
	}
	start = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == start || (i - start > 1 && s[start] == '0'))
		return 0;
	*zero = i - start == 1 && s[start] == '0';
	if (i < n && s[i] == '.') {
		start = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (s[i] != '0')
				*zero = 0;
			i++;
		}
		if (i == start)
			return 0;
		*ndec = i - start;
	}
	return i == n;
}

static void
check_parse(const char *s, size_t n, int scale, unsigned flags)
{
	char buf[DEC_BUFSZ];
	int64_t v = SENTINEL, back;
	size_t ndec;
	int rc, len, neg, zero, wf;

	rc = dec_parse_flags(s, n, scale, flags, &v);
	if (rc < DEC_OK || rc > DEC_EINVAL || rc == DEC_EINVAL ||
	    rc == DEC_EINEXACT || rc == DEC_EDIVZERO)
		abort();
	if (rc != DEC_OK && v != SENTINEL)
		abort();			/* *out written on error */

	wf = well_formed(s, n, &neg, &ndec, &zero);
	if (!wf || (neg && zero)) {
		if (rc != DEC_ESYNTAX)
			abort();
		return;
	}
	if (rc == DEC_ESYNTAX)
		abort();
	if (neg && !(flags & DEC_NEG_OK)) {
		if (rc != DEC_ESIGN)
			abort();
		return;
	}
	if (rc == DEC_ESIGN)
		abort();
	if (ndec > (size_t)scale && !(flags & DEC_ZEROS_OK)) {
		if (rc != DEC_EPRECISION)
			abort();
		return;
	}
	if (rc != DEC_OK && rc != DEC_EPRECISION && rc != DEC_ERANGE)
		abort();
	if (rc != DEC_OK)
		return;
	if ((v < 0) != neg || (v == 0) != zero)
		abort();

	/* format -> parse is the identity */
	len = dec_format(v, scale, buf, sizeof(buf));
	if (len <= 0 || (size_t)len != strlen(buf))
		abort();
	back = SENTINEL;
	if (dec_parse_flags(buf, (size_t)len, scale, DEC_NEG_OK, &back) !=
	    DEC_OK || back != v)
		abort();
	/* Written with exactly scale decimals, the input is the output. */
	if (ndec == (size_t)scale && ((size_t)len != n || memcmp(buf, s, n) != 0))
		abort();
	/* More permissive flags accept it as the same value. */
	back = SENTINEL;
	if (dec_parse_flags(s, n, scale, DEC_NEG_OK | DEC_ZEROS_OK, &back) !=
	    DEC_OK || back != v)
		abort();
	/* One more decimal of scale is ten times the value, or out of range. */
	if (scale < DEC_MAXSCALE) {
		back = SENTINEL;
		rc = dec_parse_flags(s, n, scale + 1, flags | DEC_ZEROS_OK,
		    &back);
		if (rc == DEC_OK ? back / 10 != v || back % 10 != 0 :
		    rc != DEC_ERANGE)
			abort();
	}
}

static void
check_format(int64_t v, int scale)
{
	char buf[DEC_BUFSZ], small[8];
	int64_t back = SENTINEL, r;
	int len;

	len = dec_format(v, scale, buf, sizeof(buf));
	if (len <= 0 || (size_t)len != strlen(buf) || len >= DEC_BUFSZ)
		abort();
	if (dec_parse_flags(buf, (size_t)len, scale, DEC_NEG_OK, &back) !=
	    DEC_OK || back != v)
		abort();
	/* A buffer too small is refused, never overrun. */
	if ((size_t)len >= sizeof(small)) {
		if (dec_format(v, scale, small, sizeof(small)) != -1)
			abort();
	} else if (dec_format(v, scale, small, sizeof(small)) != len ||
	    strcmp(small, buf) != 0)
		abort();
	/* Dropping decimals and putting them back loses only what rounding did. */
	if (scale > 0 && dec_rescale(v, scale, scale - 1, DEC_ROUND_DOWN, &r) ==
	    DEC_OK && dec_rescale(r, scale - 1, scale, DEC_ROUND_EXACT,
	    &back) == DEC_OK && (back / 10 != v / 10 || back % 10 != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t v;
	char *s;
	int scale;
	unsigned flags;

	if (size < 1)
		return 0;
	scale = data[0] % (DEC_MAXSCALE + 1);
	flags = (data[0] >> 5) & (DEC_NEG_OK | DEC_ZEROS_OK);

	/* An exact-size copy: a read past len is an ASan report. */
	if ((s = malloc(size - 1 ? size - 1 : 1)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	check_parse(s, size - 1, scale, flags);
	free(s);

	if (size >= 1 + sizeof(v)) {
		memcpy(&v, data + 1, sizeof(v));
		check_format(v, scale);
	}
	return 0;
}
