/* tests/fuzz/fuzz_iban.c — libFuzzer: IBANs through iban_parse and iban_parse_tr; what passes is an IBAN, and parses again to itself */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/iban.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const char *out)
{
	char again[IBAN_MAX + 1], printed[IBAN_MAX + IBAN_MAX / 4 + 2];
	size_t n = strlen(out), i;

	if (n < 15 || n > IBAN_MAX || iban_mod97(out) != 1)
		abort();
	for (i = 0; i < n; i++)
		if (!((out[i] >= 'A' && out[i] <= 'Z') ||
		    (out[i] >= '0' && out[i] <= '9')))
			abort();
	if (strncmp(out, "TR", 2) == 0 && n != IBAN_TR_LEN)
		abort();
	/* The electronic form and the printed one parse back to it. */
	if (iban_parse(out, n, again) != NULL || strcmp(again, out) != 0)
		abort();
	iban_print(out, printed, sizeof(printed));
	if (iban_parse(printed, strlen(printed), again) != NULL ||
	    strcmp(again, out) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[IBAN_MAX + 1];

	memset(out, 'x', sizeof(out));
	if (iban_parse((const char *)data, size, out) == NULL)
		check(out);
	else if (out[0] != '\0')
		abort();
	if (iban_parse_tr((const char *)data, size, out) == NULL) {
		check(out);
		if (strncmp(out, "TR", 2) != 0)
			abort();
	} else if (out[0] != '\0')
		abort();
	return 0;
}
