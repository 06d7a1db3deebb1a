/* core/arena.h — per-request memory: allocate freely, free everything at once */
#ifndef HZM_ARENA_H
#define HZM_ARENA_H

#include <stddef.h>

struct arena;

struct arena	*arena_new(void);
void		 arena_free(struct arena *);
void		 arena_reset(struct arena *);
void		*arena_alloc(struct arena *, size_t);
void		*arena_calloc(struct arena *, size_t, size_t);
char		*arena_strdup(struct arena *, const char *);
char		*arena_strndup(struct arena *, const char *, size_t);
/* A copy with A-Z made a-z (addresses and domains compare so). */
char		*arena_strlower(struct arena *, const char *);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
int		 arena_defer(struct arena *, void (*)(void *), void *);

#endif
