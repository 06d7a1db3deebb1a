/* core/csv_read.h — RFC 4180 CSV read record by record from a buffer, with ceilings */
#ifndef HZM_CSV_READ_H
#define HZM_CSV_READ_H

#include <stddef.h>

struct arena;

#define CSV_MAX_FIELDS	16	/* per record */
#define CSV_MAX_FIELD	1024	/* bytes per field, after unquoting */

struct csv {
	const char	*p, *end;
	size_t		 line;		/* 1-based line of the record last read */
};

enum csv_rc {
	CSV_RECORD = 1,		/* a record: *n fields */
	CSV_END = 0,		/* no more records */
	CSV_ERROR = -1,		/* malformed: *why says what, c->line where */
};

void		csv_init(struct csv *, const char *buf, size_t len);
/*
 * The next record: fields separated by ',', each either bare (no '"',
 * CR or LF in it) or quoted ("..." with "" for a quote, which may hold
 * commas and line breaks); records end with LF or CRLF, the last one
 * optionally. Empty lines are skipped. Fields are NUL-terminated copies in
 * the arena; NUL bytes, a quote inside a bare field, text after a closing
 * quote, an unterminated quote, more than CSV_MAX_FIELDS fields or a
 * field over CSV_MAX_FIELD bytes are errors.
 */
enum csv_rc	csv_next(struct csv *, struct arena *, char **fields,
		    size_t *n, const char **why);

#endif
