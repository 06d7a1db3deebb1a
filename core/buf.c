/* core/buf.c — a growing byte string with a ceiling (in the manner of curl's dynbuf) */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"

int
buf_reserve(struct buf *b, size_t n)
{
	size_t ncap, max = b->max != 0 ? b->max : SIZE_MAX / 4;
	char *np;

	if (b->err)
		return -1;
	if (n > max || b->len > max - n) {
		b->err = 1;
		return -1;
	}
	if (b->len + n + 1 <= b->cap)
		return 0;
	ncap = b->cap != 0 ? b->cap : 1024;
	while (ncap < b->len + n + 1)
		ncap *= 2;
	if ((np = realloc(b->p, ncap)) == NULL) {
		b->err = 1;
		return -1;
	}
	b->p = np;
	b->cap = ncap;
	return 0;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) == -1)
		return;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n) == -1) {
		b->err = 1;
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_release(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

char *
buf_finish(struct buf *b, struct arena *a)
{
	char *s = NULL;

	if (!b->err)
		s = arena_strndup(a, b->p != NULL ? b->p : "", b->len);
	buf_release(b);
	return s;
}
