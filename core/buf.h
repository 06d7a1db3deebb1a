/* core/buf.h — a growing byte string with a ceiling; the first failure sticks and is checked once at the end */
#ifndef HZM_BUF_H
#define HZM_BUF_H

#include <stddef.h>

struct arena;

struct buf {
	char	*p;		/* NUL-terminated while len > 0 */
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* 0: no ceiling but SIZE_MAX / 4 */
	int	 err;		/* out of memory or past max */
};

#define BUF_INIT(ceiling)	{ NULL, 0, 0, (ceiling), 0 }

void	 buf_add(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Room for n more bytes at p + len (for read(2) and the like); -1 when not. */
int	 buf_reserve(struct buf *, size_t n);
void	 buf_release(struct buf *);
/* The contents copied into the arena (NULL after a failure); released. */
char	*buf_finish(struct buf *, struct arena *);

#endif
