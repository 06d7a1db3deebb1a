/* domain/fiat_name.c — people's names compared as banks write them: Turkish-aware case and diacritics folding, words in any order */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/fiat_name.h"

#define KEY_MAX		(FIAT_NAME_MAX * 2 + 1)

/*
 * U+00C0..U+017F (Latin-1 Supplement letters and Latin Extended-A) as
 * lower-case ASCII, one entry per code point; "" for the two signs in
 * the range (× ÷), which end up as separators.
 */
static const char *const latin[0x180 - 0xc0] = {
	/* C0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* C8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* D0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* D8 */ "o", "u", "u", "u", "u", "y", "th", "ss",
	/* E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* F0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 100 */ "a", "a", "a", "a", "a", "a", "c", "c",
	/* 108 */ "c", "c", "c", "c", "c", "c", "d", "d",
	/* 110 */ "d", "d", "e", "e", "e", "e", "e", "e",
	/* 118 */ "e", "e", "e", "e", "g", "g", "g", "g",
	/* 120 */ "g", "g", "g", "g", "h", "h", "h", "h",
	/* 128 */ "i", "i", "i", "i", "i", "i", "i", "i",
	/* 130 */ "i", "i", "ij", "ij", "j", "j", "k", "k",
	/* 138 */ "k", "l", "l", "l", "l", "l", "l", "l",
	/* 140 */ "l", "l", "l", "n", "n", "n", "n", "n",
	/* 148 */ "n", "n", "n", "n", "o", "o", "o", "o",
	/* 150 */ "o", "o", "oe", "oe", "r", "r", "r", "r",
	/* 158 */ "r", "r", "s", "s", "s", "s", "s", "s",
	/* 160 */ "s", "s", "t", "t", "t", "t", "t", "t",
	/* 168 */ "u", "u", "u", "u", "u", "u", "u", "u",
	/* 170 */ "u", "u", "u", "u", "w", "w", "y", "y",
	/* 178 */ "y", "z", "z", "z", "z", "z", "z", "s",
};

/* One code point from s[*i..len): -1 on malformed UTF-8. */
static int32_t
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	uint32_t c = s[*i], min;
	size_t n, k;

	if (c < 0x80) {
		(*i)++;
		return (int32_t)c;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 1;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else
		return -1;
	for (k = 1; k <= n; k++) {
		if (*i + k >= len || (s[*i + k] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (s[*i + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*i += n + 1;
	return (int32_t)c;
}

static int
cmp_words(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
fiat_name_key(const char *name, size_t len, char *out, size_t outsz)
{
	char folded[KEY_MAX], *words[FIAT_NAME_WORDS];
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, o = 0, nw = 0, k;
	const char *rep;
	int32_t c;
	int sep = 1;

	if (len > FIAT_NAME_MAX)
		return -1;
	while (i < len) {
		if ((c = utf8_next(s, len, &i)) < 0)
			return -1;
		rep = NULL;
		if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			return -1;
		if (c == ' ' || c == '-' || c == ',' || c == 0xa0 ||
		    c == 0xd7 || c == 0xf7) {
			sep = 1;
			continue;
		}
		if (c == '\'' || c == '.' || c == 0x2019 || c == 0x2bc ||
		    (c >= 0x300 && c <= 0x36f))
			continue;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c >= 0xc0 && c < 0x180)
			rep = latin[c - 0xc0];
		if (sep) {
			if (nw == FIAT_NAME_WORDS || o + 1 >= sizeof(folded))
				return -1;
			if (o > 0)
				folded[o++] = '\0';
			words[nw++] = folded + o;
			sep = 0;
		}
		if (rep != NULL) {
			k = strlen(rep);
			if (o + k >= sizeof(folded))
				return -1;
			memcpy(folded + o, rep, k);
			o += k;
		} else if (c < 0x80) {
			if (o + 1 >= sizeof(folded))
				return -1;
			folded[o++] = (char)c;
		} else {
			/* Another script: its bytes, as written. */
			k = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
			if (o + k >= sizeof(folded))
				return -1;
			memcpy(folded + o, s + i - k, k);
			o += k;
		}
	}
	if (nw == 0)
		return -1;
	folded[o] = '\0';
	qsort(words, nw, sizeof(words[0]), cmp_words);
	for (o = 0, k = 0; k < nw; k++) {
		size_t wl = strlen(words[k]);

		if (o + wl + (k > 0) >= outsz)
			return -1;
		if (k > 0)
			out[o++] = ' ';
		memcpy(out + o, words[k], wl);
		o += wl;
	}
	out[o] = '\0';
	return (int)o;
}

int
fiat_name_match(const char *a, size_t alen, const char *b, size_t blen)
{
	char ka[KEY_MAX], kb[KEY_MAX];

	if (fiat_name_key(a, alen, ka, sizeof(ka)) < 0 ||
	    fiat_name_key(b, blen, kb, sizeof(kb)) < 0)
		return 0;
	return strcmp(ka, kb) == 0;
}
