/* core/sealed.c — secrets of any length sealed into bytea parameters and opened from bytea columns, in the arena */
#include "core/arena.h"
#include "core/crypto.h"
#include "core/db.h"
#include "core/sealed.h"

const char *
sealed_param(struct arena *a, const char *context, const void *pt, size_t len)
{
	unsigned char *out;
	size_t n;

	if (context == NULL || (out = arena_alloc(a, len + SEAL_OVERHEAD)) == NULL ||
	    crypto_seal(context, pt, len, out, len + SEAL_OVERHEAD, &n) == -1)
		return NULL;
	return db_bytea_param(a, out, n);
}

unsigned char *
sealed_open(struct arena *a, const char *context, const char *bytea, size_t *len)
{
	unsigned char *sealed, *pt;
	size_t n;

	if (context == NULL || (sealed = db_bytea(a, bytea, &n)) == NULL ||
	    n < SEAL_OVERHEAD || (pt = arena_alloc(a, n + 1)) == NULL ||
	    crypto_open(context, sealed, n, pt, n, len) == -1)
		return NULL;
	pt[*len] = '\0';
	return pt;
}
