/* tests/fuzz/fuzz_fiat_name.c — libFuzzer: names folded for comparison; a key is lower case, sorted, and its own key */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/fiat_name.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define KEYSZ	(FIAT_NAME_MAX * 2 + 1)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char key[KEYSZ], again[KEYSZ], small[8];
	size_t i;
	int n;

	n = fiat_name_key((const char *)data, size, key, sizeof(key));
	if (n < 0)
		return 0;
	if ((size_t)n != strlen(key) || n == 0 || key[0] == ' ' ||
	    key[n - 1] == ' ')
		abort();
	for (i = 0; i < (size_t)n; i++)
		if ((key[i] >= 'A' && key[i] <= 'Z') || key[i] == '\'' ||
		    key[i] == '-' || key[i] == ',' || key[i] == '.' ||
		    (key[i] == ' ' && key[i + 1] == ' '))
			abort();
	/* Folding is done once and for all (the words come out sorted). */
	if (fiat_name_key(key, (size_t)n, again, sizeof(again)) != n ||
	    strcmp(again, key) != 0)
		abort();
	if (!fiat_name_match((const char *)data, size, key, (size_t)n))
		abort();
	/* A buffer too small is refused, never overrun. */
	(void)fiat_name_key((const char *)data, size, small, sizeof(small));
	return 0;
}
