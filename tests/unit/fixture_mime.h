/* tests/unit/fixture_mime.h — a sent message read back independently of core/mail.c: headers, parts, encodings, line lengths */
#ifndef HZM_FIXTURE_MIME_H
#define HZM_FIXTURE_MIME_H

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/util.h"
#include "tests/unit/fixture_mail.h"

#define MAXPARTS	4

struct mime {
	char	*hdrs;			/* unfolded on demand by hdr() */
	int	 nparts;
	char	*ptype[MAXPARTS];
	char	*pcte[MAXPARTS];
	char	*penc[MAXPARTS];	/* the part body as sent */
	char	*pdata[MAXPARTS];	/* decoded, line breaks as LF */
};

/* s without the CR of each CRLF. */
static inline char *
strip_cr(const char *s)
{
	char *o = arena_alloc(A, strlen(s) + 1), *p = o;

	for (; *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			*p++ = *s;
	*p = '\0';
	return o;
}

/* Header field name of hdrs (LF lines), unfolded, leading blanks cut. */
static inline char *
hdr(const char *hdrs, const char *name)
{
	size_t nl = strlen(name);
	const char *p = hdrs, *e;
	char *o, *q;

	for (; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':')
			break;
		if (strchr(p, '\n') == NULL)
			return NULL;
	}
	if (*p == '\0')
		return NULL;
	p += nl + 1;
	for (e = p; *e != '\0'; e++)
		if (e[0] == '\n' && e[1] != ' ' && e[1] != '\t')
			break;
	q = o = arena_alloc(A, (size_t)(e - p) + 1);
	for (; p < e; p++)
		if (*p != '\n')
			*q++ = *p;
	*q = '\0';
	while (*o == ' ' || *o == '\t')
		o++;
	return o;
}

static inline int
hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;	/* RFC 2045: upper case only */
}

static inline char *
qp_decode(const char *s)
{
	char *o = arena_alloc(A, strlen(s) + 1), *p = o;

	while (*s != '\0') {
		if (*s != '=') {
			*p++ = *s++;
			continue;
		}
		if (s[1] == '\n') {
			s += 2;
			continue;
		}
		if (hexv(s[1]) < 0 || hexv(s[2]) < 0)
			return NULL;
		*p++ = (char)(hexv(s[1]) << 4 | hexv(s[2]));
		s += 3;
	}
	*p = '\0';
	return o;
}

static inline char *
b64_decode(const char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = arena_alloc(A, n + 1), *p = o;
	const char *c;
	uint32_t acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n && s[i] != '='; i++) {
		if (s[i] == '\n' || s[i] == '\r' || s[i] == ' ')
			continue;
		if ((c = strchr(tab, s[i])) == NULL || s[i] == '\0')
			return NULL;
		acc = acc << 6 | (uint32_t)(c - tab);
		if ((bits += 6) >= 8) {
			bits -= 8;
			*p++ = (char)(acc >> bits & 0xff);
		}
	}
	*p = '\0';
	return o;
}

/* An unstructured header value with its RFC 2047 words decoded. */
static inline char *
ew_decode(const char *v)
{
	char *o, *d;
	const char *e;
	size_t len = 0;

	if (strstr(v, "=?") == NULL)
		return arena_strdup(A, v);
	o = arena_alloc(A, strlen(v) + 1);
	*o = '\0';
	while (*v != '\0') {
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '\0')
			break;
		if (strncasecmp(v, "=?UTF-8?B?", 10) != 0)
			return NULL;
		v += 10;
		if ((e = strstr(v, "?=")) == NULL ||
		    (d = b64_decode(v, (size_t)(e - v))) == NULL)
			return NULL;
		/* Each word must hold whole characters (RFC 2047 5). */
		if (!util_utf8_valid(d, strlen(d)))
			return NULL;
		memcpy(o + len, d, strlen(d) + 1);
		len += strlen(d);
		v = e + 2;
	}
	return o;
}

/*
 * msg as multipart/alternative: headers, then parts between "--B" lines,
 * closed by "--B--". -1 for any departure from that shape.
 */
static inline int
mime_parse(struct mime *m, const char *msg)
{
	char *raw, *p, *close, *after, *ct, *b, *e, *delim, *ph;
	size_t dl;
	int i;

	memset(m, 0, sizeof(*m));
	raw = strip_cr(msg);
	if ((p = strstr(raw, "\n\n")) == NULL)
		return -1;
	p[1] = '\0';
	m->hdrs = raw;
	p += 2;
	if ((ct = hdr(m->hdrs, "Content-Type")) == NULL ||
	    strncmp(ct, "multipart/alternative;", 22) != 0 ||
	    (b = strstr(ct, "boundary=\"")) == NULL ||
	    (e = strchr(b + 10, '"')) == NULL)
		return -1;
	b += 10;
	delim = arena_printf(A, "--%.*s", (int)(e - b), b);
	dl = strlen(delim);
	/* The preamble runs to the first delimiter line. */
	while (!(strncmp(p, delim, dl) == 0 && p[dl] == '\n')) {
		if ((p = strchr(p, '\n')) == NULL)
			return -1;
		p++;
	}
	p += dl + 1;
	for (;;) {
		char *nd = arena_printf(A, "\n%s", delim);

		if ((close = strstr(p, nd)) == NULL || m->nparts == MAXPARTS)
			return -1;
		*close = '\0';
		after = close + 1 + dl;
		i = m->nparts++;
		ph = p;
		if ((p = strstr(ph, "\n\n")) == NULL)
			return -1;
		p[1] = '\0';
		m->penc[i] = p + 2;
		m->ptype[i] = hdr(ph, "Content-Type");
		m->pcte[i] = hdr(ph, "Content-Transfer-Encoding");
		if (m->ptype[i] == NULL || m->pcte[i] == NULL)
			return -1;
		if (strcmp(m->pcte[i], "quoted-printable") == 0)
			m->pdata[i] = qp_decode(m->penc[i]);
		else if (strcmp(m->pcte[i], "base64") == 0)
			m->pdata[i] = b64_decode(m->penc[i],
			    strlen(m->penc[i]));
		if (m->pdata[i] == NULL)
			return -1;
		m->pdata[i] = strip_cr(m->pdata[i]);
		if (strncmp(after, "--\n", 3) == 0 || strcmp(after, "--") == 0)
			return 0;
		if (*after != '\n')
			return -1;
		p = after + 1;
	}
}

/* 1 if every line break is CRLF; *maxline: the longest line. */
static inline int
crlf_only(const char *s, size_t *maxline)
{
	size_t col = 0;

	*maxline = 0;
	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			if (s[1] != '\n')
				return 0;
			continue;
		}
		if (*s == '\n') {
			if (s[-1] != '\r')
				return 0;
			col = 0;
			continue;
		}
		if (++col > *maxline)
			*maxline = col;
	}
	return 1;
}

/* The longest line of LF text, and whether one ends in a blank. */
static inline size_t
max_line(const char *s, int *trailing_ws)
{
	size_t col = 0, max = 0;

	*trailing_ws = 0;
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			if (col > 0 && (s[-1] == ' ' || s[-1] == '\t'))
				*trailing_ws = 1;
			col = 0;
			continue;
		}
		if (++col > max)
			max = col;
	}
	return max;
}

#endif
