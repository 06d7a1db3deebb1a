/* tests/fuzz/fuzz_fiat_ref.c — libFuzzer: deposit reference codes found in a transfer's description, and checked alone */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/fiat_ref.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[FIAT_REF_LEN + 1], again[FIAT_REF_LEN + 1];
	char printed[FIAT_REF_LEN + FIAT_REF_LEN / 4 + 2], *s;
	int n;

	memset(out, 'x', sizeof(out));
	n = fiat_ref_find((const char *)data, size, out);
	if (n < 0 || n > 2)
		abort();
	if (n == 0 && out[0] != '\0')
		abort();
	if (n > 0) {
		/* What is found is valid, and is found again in every form. */
		if (!fiat_ref_valid(out))
			abort();
		if (fiat_ref_find(out, strlen(out), again) != 1 ||
		    strcmp(again, out) != 0)
			abort();
		fiat_ref_print(out, printed, sizeof(printed));
		if (fiat_ref_find(printed, strlen(printed), again) != 1 ||
		    strcmp(again, out) != 0)
			abort();
	}
	/* The input alone, as a NUL-terminated string. */
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (fiat_ref_valid(s) && (strlen(s) != FIAT_REF_LEN ||
	    fiat_ref_find(s, strlen(s), again) != 1))
		abort();
	free(s);
	return 0;
}
