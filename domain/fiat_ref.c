/* domain/fiat_ref.c — deposit reference codes: ISO 11649 creditor references (RF, mod-97 check digits) made, checked, found in a transfer's description */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "domain/fiat_ref.h"


static int
is_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

static char
upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int
in_alphabet(char c)
{
	return c >= '0' && c <= '9';
}

/* ISO 7064 mod 97-10 of body followed by "RF" and the two digits cc. */
static unsigned
rf_mod97(const char *body, const char *cc)
{
	unsigned rem = 0;
	size_t i;
	char tail[5] = { 'R', 'F', cc[0], cc[1], '\0' };
	const char *parts[2] = { body, tail };
	int k;

	for (k = 0; k < 2; k++)
		for (i = 0; parts[k][i] != '\0'; i++) {
			char c = parts[k][i];

			if (c >= '0' && c <= '9')
				rem = (rem * 10 + (unsigned)(c - '0')) % 97;
			else
				rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
		}
	return rem;
}

int
fiat_ref_make(const char *body, char out[FIAT_REF_LEN + 1])
{
	unsigned check;
	size_t i;

	if (strlen(body) != 3 + FIAT_REF_RANDOM ||
	    strncmp(body, FIAT_REF_PREFIX, 3) != 0)
		return -1;
	for (i = 3; body[i] != '\0'; i++)
		if (!in_alphabet(body[i]))
			return -1;
	check = 98 - rf_mod97(body, "00");
	out[0] = 'R';
	out[1] = 'F';
	out[2] = (char)('0' + check / 10);
	out[3] = (char)('0' + check % 10);
	memcpy(out + 4, body, 3 + FIAT_REF_RANDOM);
	out[FIAT_REF_LEN] = '\0';
	return 0;
}

int
fiat_ref_new(char out[FIAT_REF_LEN + 1])
{
	unsigned char rnd;
	char body[3 + FIAT_REF_RANDOM + 1];
	size_t i;

	memcpy(body, FIAT_REF_PREFIX, 3);
	for (i = 0; i < FIAT_REF_RANDOM; i++) {
		/* 250 = 25 x 10: no digit more likely than another. */
		do {
			if (util_random(&rnd, 1) == -1)
				return -1;
		} while (rnd >= 250);
		body[3 + i] = (char)('0' + rnd % 10);
	}
	body[sizeof(body) - 1] = '\0';
	return fiat_ref_make(body, out);
}

int
fiat_ref_valid(const char *s)
{
	size_t i;

	if (strlen(s) != FIAT_REF_LEN || s[0] != 'R' || s[1] != 'F' ||
	    s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9' ||
	    strncmp(s + 4, FIAT_REF_PREFIX, 3) != 0)
		return 0;
	for (i = 7; i < FIAT_REF_LEN; i++)
		if (!in_alphabet(s[i]))
			return 0;
	/* 00, 01 and 99 are never issued (98 - r is 2..98). */
	return rf_mod97(s + 4, s + 2) == 1;
}

void
fiat_ref_print(const char *ref, char *out, size_t outsz)
{
	size_t i, o = 0;

	if (outsz == 0)
		return;
	for (i = 0; ref[i] != '\0' && o + 2 < outsz; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = ref[i];
	}
	out[o] = '\0';
}

/*
 * A candidate starting at text[i] (an 'R' or 'r' that starts a word):
 * its characters, separators skipped, into cand; the offset just past it,
 * or 0 when it is not one.
 */
static size_t
candidate(const char *text, size_t len, size_t i, char cand[FIAT_REF_LEN + 1])
{
	size_t n = 0;
	char c;

	while (n < FIAT_REF_LEN) {
		if (i >= len)
			return 0;
		c = text[i];
		if ((c == ' ' || c == '-') && n > 0) {
			/* One separator, between two characters of the code. */
			if (i + 1 >= len || !is_alnum((unsigned char)text[i + 1]))
				return 0;
			i++;
			continue;
		}
		if (!is_alnum((unsigned char)c))
			return 0;
		cand[n++] = upper(c);
		i++;
	}
	cand[n] = '\0';
	/* The code ends there: no letter or digit straight after it. */
	if (i < len && is_alnum((unsigned char)text[i]))
		return 0;
	return fiat_ref_valid(cand) ? i : 0;
}

int
fiat_ref_find(const char *text, size_t len, char out[FIAT_REF_LEN + 1])
{
	char cand[FIAT_REF_LEN + 1];
	size_t i, end;
	int found = 0;

	out[0] = '\0';
	if (len > FIAT_REF_TEXT_MAX)
		len = FIAT_REF_TEXT_MAX;
	for (i = 0; i + 1 < len; i++) {
		if (upper(text[i]) != 'R' || upper(text[i + 1]) != 'F')
			continue;
		if (i > 0 && is_alnum((unsigned char)text[i - 1]))
			continue;
		if ((end = candidate(text, len, i, cand)) == 0)
			continue;
		if (found == 0) {
			memcpy(out, cand, FIAT_REF_LEN + 1);
			found = 1;
		} else if (strcmp(out, cand) != 0) {
			return 2;
		}
		i = end - 1;
	}
	return found;
}
