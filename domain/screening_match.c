/* domain/screening_match.c — names compared as screening compares them: Turkish letters folded, small edit distances tolerated */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/screening_match.h"

#define WORDS_MAX	16

/* A code point folded to one ASCII letter, or 0 when it is not one we fold. */
static char
fold_cp(uint32_t cp)
{
	if (cp < 0x80) {
		if (cp >= 'A' && cp <= 'Z')
			return (char)(cp - 'A' + 'a');
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
			return (char)cp;
		return 0;
	}
	switch (cp) {
	case 0x131: case 0x130:	return 'i';	/* ı İ */
	case 0x15f: case 0x15e:	return 's';	/* ş Ş */
	case 0x11f: case 0x11e:	return 'g';	/* ğ Ğ */
	case 0xe7: case 0xc7:	return 'c';	/* ç Ç */
	case 0xf6: case 0xd6:	return 'o';	/* ö Ö */
	case 0xfc: case 0xdc:	return 'u';	/* ü Ü */
	case 0xe2: case 0xc2: case 0xe0: case 0xc0: case 0xe1: case 0xc1:
	case 0xe4: case 0xc4: case 0xe3: case 0xc3: case 0xe5: case 0xc5:
		return 'a';
	case 0xee: case 0xce: case 0xec: case 0xcc: case 0xed: case 0xcd:
	case 0xef: case 0xcf:
		return 'i';
	case 0xfb: case 0xdb: case 0xf9: case 0xd9: case 0xfa: case 0xda:
		return 'u';
	case 0xe9: case 0xc9: case 0xe8: case 0xc8: case 0xea: case 0xca:
	case 0xeb: case 0xcb:
		return 'e';
	case 0xf3: case 0xd3: case 0xf2: case 0xd2: case 0xf4: case 0xd4:
	case 0xf5: case 0xd5: case 0xf8: case 0xd8:
		return 'o';
	case 0xf1: case 0xd1:	return 'n';
	case 0xdf:		return 's';	/* ß */
	}
	return 0;
}

/* The code point at s (n bytes left) and its length, or -1. */
static int
utf8_cp(const unsigned char *s, size_t n, uint32_t *cp)
{
	int len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : -1;
	if (len == -1 || (size_t)len > n)
		return -1;
	*cp = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++)
		*cp = (*cp << 6) | (s[i] & 0x3f);
	return len;
}

static int
word_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
name_key(const char *name, size_t len, char key[NAME_KEY_MAX])
{
	char buf[NAME_KEY_MAX], *words[WORDS_MAX];
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, o = 0, nw = 0, w;
	int letters = 0, cl, sep = 1;
	uint32_t cp;
	char f;

	if (!util_utf8_valid(name, len))
		return -1;
	while (i < len) {
		if ((cl = utf8_cp(s + i, len - i, &cp)) == -1)
			return -1;
		f = fold_cp(cp);
		if (f != 0 || cp >= 0x370) {
			/* a letter: folded, or kept as it is (other scripts) */
			if (sep) {
				if (nw == WORDS_MAX || o + 1 >= sizeof(buf))
					return -1;
				if (nw > 0)
					buf[o++] = '\0';
				words[nw++] = buf + o;
				sep = 0;
			}
			if (o + (size_t)cl + 1 >= sizeof(buf))
				return -1;
			if (f != 0)
				buf[o++] = f;
			else {
				memcpy(buf + o, s + i, (size_t)cl);
				o += (size_t)cl;
			}
			letters++;
		} else
			sep = 1;
		i += (size_t)cl;
	}
	if (letters == 0)
		return -1;
	buf[o] = '\0';
	qsort(words, nw, sizeof(words[0]), word_cmp);
	for (o = 0, w = 0; w < nw; w++) {
		size_t l = strlen(words[w]);

		if (o + l + (w > 0) >= NAME_KEY_MAX)
			return -1;
		if (w > 0)
			key[o++] = ' ';
		memcpy(key + o, words[w], l);
		o += l;
	}
	key[o] = '\0';
	return (int)o;
}

int
name_distance(const char *a, const char *b, int max)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[NAME_KEY_MAX + 1], prev, cur, best;

	if (la >= NAME_KEY_MAX || lb >= NAME_KEY_MAX)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > (size_t)max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (cur + 1 < row[j])
				row[j] = cur + 1;
			prev = cur;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max)
			return max + 1;
	}
	return row[lb] > max ? max + 1 : row[lb];
}

int
name_tolerance(size_t len)
{
	return len <= 4 ? 0 : len <= 8 ? 1 : len <= 16 ? 2 : 3;
}

int
name_match(const char *a, const char *b, int *distance)
{
	size_t la = strlen(a), lb = strlen(b);
	int tol = name_tolerance(la < lb ? la : lb), d;

	if ((d = name_distance(a, b, tol)) > tol)
		return 0;
	*distance = d;
	return 1;
}
