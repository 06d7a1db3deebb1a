/* core/jsoncheck.c — strict RFC 8259 checking of a body before json-c parses it: syntax, depth, duplicate members */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jsoncheck.h"
#include "core/util.h"

/*
 * RFC 8259 syntax, checked before json-c sees the text: json-c (0.16),
 * even in strict mode, takes single-quoted strings, NaN, Infinity and raw
 * control characters. Also refused: \u0000 (C strings would end there),
 * unpaired surrogate escapes, and an object naming a member twice (json-c
 * keeps the last one, so {"quantity":"1","quantity":"2"} would mean
 * whatever the last copy says while a proxy or a log reads the first).
 * Depth is bounded by maxdepth.
 *
 * Duplicates: the keys of every open object sit on one stack, innermost
 * object last; when an object closes, its keys are sorted and neighbours
 * compared, then popped. O(n log n) in the number of keys whatever the
 * keys are (no hash to flood). Keys are compared decoded, so "a" and
 * "\u0061" are the same name.
 */
struct jkey {
	const char	*s;		/* decoded bytes */
	size_t		 n;
};

struct jlevel {
	int		 object;	/* else an array */
	size_t		 base;		/* objects: its first key on the stack */
	size_t		 index;		/* arrays: the current element */
};

struct jscan {
	const char	*p, *end;
	int		 depth, maxdepth;
	const char	*why;
	int		 nomem;
	int		 escaped;	/* the last string had a backslash */
	struct jkey	*keys;		/* keys of the open objects */
	size_t		 nkeys, capkeys;
	char		*dec;		/* decoded keys that had escapes */
	size_t		 declen;
	struct jlevel	*levels;	/* [1..depth]: the open containers */
	char		*path;		/* where a duplicate was: a.b[2].c */
	size_t		 pathsz;
};

static void
js_ws(struct jscan *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
js_fail(struct jscan *j, const char *why)
{
	if (j->why == NULL)
		j->why = why;
	return -1;
}

static int
js_hex4(struct jscan *j, unsigned *v)
{
	int i, d;

	*v = 0;
	if (j->end - j->p < 4)
		return js_fail(j, "bad \\u escape");
	for (i = 0; i < 4; i++, j->p++) {
		if ((d = util_hexval((unsigned char)*j->p)) < 0)
			return js_fail(j, "bad \\u escape");
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

static int
js_string(struct jscan *j)
{
	unsigned v, lo;

	j->p++;		/* the opening quote */
	j->escaped = 0;
	while (j->p < j->end) {
		unsigned char c = (unsigned char)*j->p++;

		if (c == '"')
			return 0;
		if (c < 0x20)
			return js_fail(j, "control character in a string");
		if (c != '\\')
			continue;
		j->escaped = 1;
		if (j->p == j->end)
			break;
		switch (*j->p++) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			break;
		case 'u':
			if (js_hex4(j, &v) == -1)
				return -1;
			if (v == 0)
				return js_fail(j, "\\u0000 in a string");
			if (v >= 0xdc00 && v <= 0xdfff)
				return js_fail(j, "unpaired surrogate escape");
			if (v >= 0xd800 && v <= 0xdbff) {
				if (j->end - j->p < 2 || j->p[0] != '\\' ||
				    j->p[1] != 'u')
					return js_fail(j, "unpaired surrogate escape");
				j->p += 2;
				if (js_hex4(j, &lo) == -1)
					return -1;
				if (lo < 0xdc00 || lo > 0xdfff)
					return js_fail(j, "unpaired surrogate escape");
			}
			break;
		default:
			return js_fail(j, "bad escape in a string");
		}
	}
	return js_fail(j, "unterminated string");
}

static int
js_digits(struct jscan *j)
{
	const char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s ? 0 : js_fail(j, "malformed number");
}

static int
js_number(struct jscan *j)
{
	if (*j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (js_digits(j) == -1)
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (js_digits(j) == -1)
			return -1;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (js_digits(j) == -1)
			return -1;
	}
	return 0;
}

static int	js_value(struct jscan *);

const char json_check_nomem[] = "out of memory";
const char json_check_dup[] = "duplicate key";

static unsigned
js_hexval(const char *s)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = v << 4 | (unsigned)util_hexval((unsigned char)s[i]);
	return v;
}

/*
 * The bytes a checked string (between its quotes, s..e) stands for, into
 * out, which has room for e - s bytes: no escape decodes to more bytes
 * than it takes to write.
 */
static size_t
js_unescape(const char *s, const char *e, char *out)
{
	size_t n = 0;
	unsigned v, lo;

	while (s < e) {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		s++;
		switch (*s++) {
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u':
			v = js_hexval(s);
			s += 4;
			if (v >= 0xd800 && v <= 0xdbff) {
				lo = js_hexval(s + 2);
				s += 6;
				v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (v < 0x80)
				out[n++] = (char)v;
			else if (v < 0x800) {
				out[n++] = (char)(0xc0 | v >> 6);
				out[n++] = (char)(0x80 | (v & 0x3f));
			} else if (v < 0x10000) {
				out[n++] = (char)(0xe0 | v >> 12);
				out[n++] = (char)(0x80 | (v >> 6 & 0x3f));
				out[n++] = (char)(0x80 | (v & 0x3f));
			} else {
				out[n++] = (char)(0xf0 | v >> 18);
				out[n++] = (char)(0x80 | (v >> 12 & 0x3f));
				out[n++] = (char)(0x80 | (v >> 6 & 0x3f));
				out[n++] = (char)(0x80 | (v & 0x3f));
			}
			break;
		default:	/* " \ / */
			out[n++] = s[-1];
			break;
		}
	}
	return n;
}

/* Push the key just scanned (its text between the quotes is s..e). */
static int
js_key_push(struct jscan *j, const char *s, const char *e)
{
	struct jkey *k;

	if (j->nkeys == j->capkeys) {
		size_t cap = j->capkeys ? 2 * j->capkeys : 64;

		if ((k = realloc(j->keys, cap * sizeof(*k))) == NULL)
			goto nomem;
		j->keys = k;
		j->capkeys = cap;
	}
	k = &j->keys[j->nkeys++];
	if (!j->escaped) {
		k->s = s;
		k->n = (size_t)(e - s);
		return 0;
	}
	/* Decoded keys never add up to more than the text they came from. */
	if (j->dec == NULL && (j->dec = malloc((size_t)(j->end - s))) == NULL)
		goto nomem;
	k->s = j->dec + j->declen;
	k->n = js_unescape(s, e, j->dec + j->declen);
	j->declen += k->n;
	return 0;
nomem:
	j->nomem = 1;
	return js_fail(j, json_check_nomem);
}

static int
jkey_cmp(const void *a, const void *b)
{
	const struct jkey *x = a, *y = b;
	int c;

	if ((c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n)) != 0)
		return c;
	return (x->n > y->n) - (x->n < y->n);
}

/* Append n bytes to the path, cut short on a UTF-8 boundary if need be. */
static void
js_path_add(struct jscan *j, const char *s, size_t n)
{
	size_t len = strlen(j->path), room;

	if (len + 1 >= j->pathsz)
		return;
	room = j->pathsz - len - 1;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(j->path + len, s, n);
	j->path[len + n] = '\0';
}

/* Where the duplicate key k is: the member names and indexes down to it. */
static void
js_path_set(struct jscan *j, const struct jkey *k)
{
	char idx[24];
	int d;

	j->path[0] = '\0';
	for (d = 1; d < j->depth; d++) {
		if (j->levels[d].object) {
			const struct jkey *m = &j->keys[j->levels[d + 1].base - 1];

			if (d > 1)
				js_path_add(j, ".", 1);
			js_path_add(j, m->s, m->n);
		} else {
			snprintf(idx, sizeof(idx), "[%zu]", j->levels[d].index);
			js_path_add(j, idx, strlen(idx));
		}
	}
	if (j->depth > 1)
		js_path_add(j, ".", 1);
	js_path_add(j, k->s, k->n);
}

/* The object now closing names no member twice; its keys are popped. */
static int
js_keys_check(struct jscan *j)
{
	size_t base = j->levels[j->depth].base, i, n = j->nkeys - base;
	struct jkey *k = j->keys + base;

	if (n > 1) {
		qsort(k, n, sizeof(*k), jkey_cmp);
		for (i = 1; i < n; i++)
			if (jkey_cmp(&k[i - 1], &k[i]) == 0) {
				js_path_set(j, &k[i]);
				return js_fail(j, json_check_dup);
			}
	}
	j->nkeys = base;
	return 0;
}

static int
js_literal(struct jscan *j, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return js_fail(j, "unexpected token");
	j->p += n;
	return 0;
}

static int
js_container(struct jscan *j, char close)
{
	struct jlevel *l;
	const char *key;

	if (++j->depth > j->maxdepth)
		return js_fail(j, "nested too deeply");
	l = &j->levels[j->depth];
	l->object = close == '}';
	l->base = j->nkeys;
	l->index = 0;
	j->p++;
	js_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		j->depth--;
		return 0;
	}
	for (;; l->index++) {
		js_ws(j);
		if (j->p == j->end)
			return js_fail(j, "unexpected end of input");
		if (l->object) {
			if (*j->p != '"')
				return js_fail(j, "object keys must be strings");
			key = j->p + 1;
			if (js_string(j) == -1 ||
			    js_key_push(j, key, j->p - 1) == -1)
				return -1;
			js_ws(j);
			if (j->p == j->end || *j->p++ != ':')
				return js_fail(j, "expected ':'");
		}
		if (js_value(j) == -1)
			return -1;
		js_ws(j);
		if (j->p == j->end)
			return js_fail(j, "unexpected end of input");
		if (*j->p == close) {
			j->p++;
			break;
		}
		if (*j->p++ != ',')
			return js_fail(j, "expected ',' or the end of a container");
	}
	if (l->object && js_keys_check(j) == -1)
		return -1;
	j->depth--;
	return 0;
}

static int
js_value(struct jscan *j)
{
	js_ws(j);
	if (j->p == j->end)
		return js_fail(j, "unexpected end of input");
	switch (*j->p) {
	case '{':
		return js_container(j, '}');
	case '[':
		return js_container(j, ']');
	case '"':
		return js_string(j);
	case 't':
		return js_literal(j, "true");
	case 'f':
		return js_literal(j, "false");
	case 'n':
		return js_literal(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return js_number(j);
		return js_fail(j, "unexpected token");
	}
}

const char *
json_strict_check(const char *text, size_t len, int maxdepth, char *path,
    size_t pathsz)
{
	struct jscan j;
	const char *why = NULL;

	memset(&j, 0, sizeof(j));
	j.p = text;
	j.end = text + len;
	j.maxdepth = maxdepth;
	j.path = path;
	j.pathsz = pathsz;
	path[0] = '\0';
	if ((j.levels = calloc((size_t)maxdepth + 1, sizeof(*j.levels))) == NULL) {
		why = json_check_nomem;
		goto out;
	}
	if (js_value(&j) == -1) {
		why = j.why;
		goto out;
	}
	js_ws(&j);
	if (j.p != j.end)
		why = "data after the value";
out:
	free(j.levels);
	free(j.keys);
	free(j.dec);
	return why;
}

