/* core/spool.h — a message dropped whole into a spool directory (the file transports of mail and SMS) */
#ifndef HZM_SPOOL_H
#define HZM_SPOOL_H

#include <stddef.h>

struct arena;

/*
 * Write p (len bytes) to dir/.ID.tmp, sync it, then rename it to
 * dir/<epoch ms>-ID.EXT, so a reader of the directory sees whole files
 * only. 0, or -1 with why (nothing left behind).
 */
int	spool_drop(struct arena *, const char *dir, const char *id,
	    const char *ext, const void *p, size_t len, char *why, size_t whysz);

#endif
