/* core/csv_read.c — RFC 4180 CSV read record by record from a buffer, with ceilings */
#include <string.h>

#include "core/arena.h"
#include "core/csv_read.h"

void
csv_init(struct csv *c, const char *buf, size_t len)
{
	c->p = buf;
	c->end = buf + len;
	c->line = 0;
}

/* One field from c->p into out (CSV_MAX_FIELD + 1 bytes); 0 or -1. */
static int
csv_field(struct csv *c, char *out, size_t *olen, size_t *lines,
    const char **why)
{
	size_t n = 0;
	int quoted = c->p < c->end && *c->p == '"';

	if (quoted)
		c->p++;
	for (;;) {
		if (c->p >= c->end) {
			if (quoted) {
				*why = "a quoted field is not closed";
				return -1;
			}
			break;
		}
		if (*c->p == '\0') {
			*why = "a NUL byte";
			return -1;
		}
		if (quoted && *c->p == '"') {
			if (c->p + 1 < c->end && c->p[1] == '"')
				c->p++;		/* "" is one quote */
			else {
				c->p++;
				if (c->p < c->end && *c->p != ',' &&
				    *c->p != '\n' && *c->p != '\r') {
					*why = "text after a closing quote";
					return -1;
				}
				break;
			}
		} else if (!quoted && (*c->p == ',' || *c->p == '\n' ||
		    *c->p == '\r'))
			break;
		else if (!quoted && *c->p == '"') {
			*why = "a quote inside an unquoted field";
			return -1;
		}
		if (*c->p == '\n')
			(*lines)++;
		if (n == CSV_MAX_FIELD) {
			*why = "a field is too long";
			return -1;
		}
		out[n++] = *c->p++;
	}
	out[n] = '\0';
	*olen = n;
	return 0;
}

enum csv_rc
csv_next(struct csv *c, struct arena *a, char **fields, size_t *n,
    const char **why)
{
	char buf[CSV_MAX_FIELD + 1];
	size_t len, lines = 0;

	*n = 0;
	/* Empty lines between records are nothing. */
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->line++;
		c->p++;
	}
	if (c->p >= c->end)
		return CSV_END;
	c->line++;
	for (;;) {
		if (*n == CSV_MAX_FIELDS) {
			*why = "too many fields";
			return CSV_ERROR;
		}
		if (csv_field(c, buf, &len, &lines, why) == -1)
			return CSV_ERROR;
		if ((fields[*n] = arena_alloc(a, len + 1)) == NULL) {
			*why = "out of memory";
			return CSV_ERROR;
		}
		memcpy(fields[(*n)++], buf, len + 1);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		break;
	}
	if (c->p < c->end && *c->p == '\r') {
		c->p++;
		if (c->p < c->end && *c->p != '\n') {
			*why = "a CR not followed by LF";
			return CSV_ERROR;
		}
	}
	if (c->p < c->end && *c->p == '\n')
		c->p++;
	c->line += lines;
	return CSV_RECORD;
}
