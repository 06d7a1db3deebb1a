/* core/pgarr.c — array parameters for PostgreSQL, "{a,b,c}", on core/buf: a batch's rows travel as parallel arrays */
#include <stdio.h>

#include "core/decimal.h"
#include "core/pgarr.h"

static void
sep(struct pgarr *a)
{
	buf_add(&a->b, a->b.len == 0 ? "{" : ",", 1);
}

void
pgarr_str(struct pgarr *a, const char *s)
{
	sep(a);
	buf_puts(&a->b, s);
}

void
pgarr_int(struct pgarr *a, int64_t v)
{
	char b[24];

	snprintf(b, sizeof(b), "%lld", (long long)v);
	pgarr_str(a, b);
}

void
pgarr_dec(struct pgarr *a, int64_t v, int scale)
{
	char b[DEC_BUFSZ];

	if (dec_format(v, scale, b, sizeof(b)) == -1) {
		a->b.err = 1;
		return;
	}
	pgarr_str(a, b);
}

void
pgarr_quoted(struct pgarr *a, const char *s)
{
	sep(a);
	buf_add(&a->b, "\"", 1);
	buf_puts(&a->b, s);
	buf_add(&a->b, "\"", 1);
}

const char *
pgarr_end(struct pgarr *a, struct arena *ar)
{
	if (a->b.len == 0)
		buf_add(&a->b, "{", 1);
	buf_add(&a->b, "}", 1);
	return buf_finish(&a->b, ar);
}
