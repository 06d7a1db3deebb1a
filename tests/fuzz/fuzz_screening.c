/* tests/fuzz/fuzz_screening.c — libFuzzer: the CSV reader of list imports and the screening name key, on any bytes */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/csv_read.h"
#include "domain/screening_match.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	char *f[CSV_MAX_FIELDS], key[NAME_KEY_MAX], again[NAME_KEY_MAX];
	const char *why;
	struct csv c;
	size_t n, i, records = 0;
	enum csv_rc rc;
	int k, d;

	/* Records come out bounded, each field NUL-terminated within its ceiling. */
	csv_init(&c, (const char *)data, size);
	while ((rc = csv_next(&c, a, f, &n, &why)) == CSV_RECORD) {
		if (n == 0 || n > CSV_MAX_FIELDS || ++records > size + 1)
			abort();
		for (i = 0; i < n; i++)
			if (strlen(f[i]) > CSV_MAX_FIELD)
				abort();
	}
	if (rc == CSV_ERROR && why == NULL)
		abort();
	/* A key is its own key, and a name matches itself at distance 0. */
	k = name_key((const char *)data, size, key);
	if (k >= 0) {
		if ((size_t)k != strlen(key) || k >= NAME_KEY_MAX ||
		    name_key(key, (size_t)k, again) != k || strcmp(key, again) != 0)
			abort();
		if (!name_match(key, again, &d) || d != 0)
			abort();
		for (i = 0; i < (size_t)k; i++)
			if (key[i] >= 'A' && key[i] <= 'Z')
				abort();
	}
	arena_free(a);
	return 0;
}
