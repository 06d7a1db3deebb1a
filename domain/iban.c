/* domain/iban.c — International Bank Account Numbers: normalised, checked (ISO 13616 mod 97), Turkish ones by their own rules */
#include <stdio.h>
#include <string.h>

#include "domain/iban.h"

#define IBAN_MIN	15	/* the shortest any country uses (Norway) */

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

int
iban_mod97(const char *iban)
{
	size_t n = strlen(iban), i, k;
	unsigned rem = 0;
	char c;

	if (n < 4)
		return -1;
	/* The first four characters move to the end. */
	for (k = 0; k < n; k++) {
		i = (k + 4) % n;
		c = iban[i];
		if (is_digit(c))
			rem = (rem * 10 + (unsigned)(c - '0')) % 97;
		else if (is_upper(c))
			rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return -1;
	}
	return (int)rem;
}

/* Upper case, spaces out: single spaces between characters only. */
static const char *
normalise(const char *s, size_t len, char out[IBAN_MAX + 1])
{
	size_t i, o = 0;
	char c;

	if (len == 0)
		return "must not be empty";
	if (len > IBAN_INPUT_MAX)
		return "too long for an IBAN";
	if (s[0] == ' ' || s[len - 1] == ' ')
		return "must not start or end with a space";
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == ' ') {
			if (s[i + 1] == ' ')
				return "must not contain two spaces in a row";
			continue;
		}
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!is_upper(c) && !is_digit(c))
			return "only letters, digits and single spaces";
		if (o == IBAN_MAX)
			return "longer than 34 characters";
		out[o++] = c;
	}
	out[o] = '\0';
	return NULL;
}

const char *
iban_parse(const char *s, size_t len, char out[IBAN_MAX + 1])
{
	const char *why;
	size_t n, i;

	out[0] = '\0';
	if ((why = normalise(s, len, out)) != NULL)
		goto fail;
	n = strlen(out);
	if (n < 2 || !is_upper(out[0]) || !is_upper(out[1])) {
		why = "must start with a two-letter country code";
		goto fail;
	}
	if (n < 4 || !is_digit(out[2]) || !is_digit(out[3])) {
		why = "the country code must be followed by two check digits";
		goto fail;
	}
	if (n < IBAN_MIN) {
		why = "too short for an IBAN";
		goto fail;
	}
	if (strncmp(out, "TR", 2) == 0) {
		if (n != IBAN_TR_LEN) {
			why = "a TR IBAN has 26 characters";
			goto fail;
		}
		for (i = 4; i < 10; i++)
			if (!is_digit(out[i])) {
				why = "a TR IBAN has a 5-digit bank code and a '0'";
				goto fail;
			}
		if (out[9] != '0') {
			why = "a TR IBAN has a '0' after its bank code";
			goto fail;
		}
	}
	if (iban_mod97(out) != 1) {
		why = "check digits do not match (mod 97)";
		goto fail;
	}
	return NULL;
fail:
	out[0] = '\0';
	return why;
}

const char *
iban_parse_tr(const char *s, size_t len, char out[IBAN_MAX + 1])
{
	const char *why;

	if ((why = iban_parse(s, len, out)) != NULL)
		return why;
	if (strncmp(out, "TR", 2) != 0) {
		out[0] = '\0';
		return "must be a Turkish (TR) IBAN";
	}
	return NULL;
}

void
iban_print(const char *iban, char *out, size_t outsz)
{
	size_t i, o = 0;

	if (outsz == 0)
		return;
	for (i = 0; iban[i] != '\0' && o + 2 < outsz; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = iban[i];
	}
	out[o] = '\0';
}
