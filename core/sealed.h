/* core/sealed.h — secrets of any length sealed into bytea parameters and opened from bytea columns, in the arena */
#ifndef HZM_SEALED_H
#define HZM_SEALED_H

#include <stddef.h>

struct arena;

/* pt sealed under context (core/crypto.c), as a bytea parameter; NULL on failure. */
const char	*sealed_param(struct arena *, const char *context, const void *pt,
		    size_t len);
/*
 * A bytea column's text ("\x...") opened under context: the plain bytes,
 * NUL-terminated, their length in *len; NULL if there is none or it does
 * not open (another context, another key, tampered).
 */
unsigned char	*sealed_open(struct arena *, const char *context, const char *bytea,
		    size_t *len);

#endif
