/* core/pgarr.h — array parameters for PostgreSQL, "{a,b,c}", on core/buf: a batch's rows travel as parallel arrays */
#ifndef HZM_PGARR_H
#define HZM_PGARR_H

#include <stdint.h>

#include "core/buf.h"

struct arena;

/* Zero-initialised ({ 0 }) it is an empty array; the first failure sticks. */
struct pgarr {
	struct buf	 b;
};

/* An element that needs no quoting: a number, a public id, a code, a word. */
void		 pgarr_str(struct pgarr *, const char *);
void		 pgarr_int(struct pgarr *, int64_t);
/* An amount at scale, as a decimal. */
void		 pgarr_dec(struct pgarr *, int64_t, int scale);
/* An element that may be any clientOrderId, "NULL" included. */
void		 pgarr_quoted(struct pgarr *, const char *);
/* The literal, closed, in the arena; NULL after a failure. Released. */
const char	*pgarr_end(struct pgarr *, struct arena *);

#endif
