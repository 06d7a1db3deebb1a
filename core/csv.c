/* core/csv.c — CSV answers (RFC 4180): which form the client asked for, cells quoted, formulas defused */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/http.h"

int
csv_wanted(const struct req *r)
{
	const char *f = req_query(r, "format"), *acc;

	if (f != NULL)
		return strcmp(f, "csv") == 0;
	acc = req_header(r, "Accept");
	return acc != NULL && strcasestr(acc, "text/csv") != NULL;
}

/* A plain decimal number ("-12.50") is data, not a formula. */
static int
is_number(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s != '.')
			return 0;
	}
	return digits > 0;
}

static void
csv_cell(struct buf *b, const char *s)
{
	const char *p;

	if (s == NULL)
		return;
	if (strchr("=+-@\t\r", *s) != NULL && *s != '\0' && !is_number(s)) {
		buf_puts(b, "\"'");
	} else if (strpbrk(s, ",\"\r\n") != NULL) {
		buf_puts(b, "\"");
	} else {
		buf_puts(b, s);
		return;
	}
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_add(b, "\"", 1);
		buf_add(b, p, 1);
	}
	buf_puts(b, "\"");
}

void
csv_row(struct buf *b, const char *const *cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(b, ",");
		csv_cell(b, cells[i]);
	}
	buf_puts(b, "\r\n");
}

int
csv_answer(struct resp *w, struct buf *b, const char *name)
{
	char disp[128];
	size_t len = b->len;
	char *s;

	if (b->err || (s = buf_finish(b, w->arena)) == NULL) {
		buf_release(b);
		return resp_error(w, ERR_INTERNAL, NULL);
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s.csv\"", name);
	resp_header(w, "Content-Disposition", arena_strdup(w->arena, disp));
	w->status = 200;
	w->ctype = "text/csv; charset=utf-8";
	w->raw = s;
	w->rawlen = len;
	return 0;
}
