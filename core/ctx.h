/* core/ctx.h — what a domain service is handed: the database, memory, the clock, who acts, and for which request */
#ifndef HZM_CTX_H
#define HZM_CTX_H

#include <time.h>

struct arena;
struct db;
struct user;

struct ctx {
	struct db		*db;
	struct arena		*arena;		/* the service's allocations live as long as it */
	struct timespec		 now;		/* wall clock of the request or the run */
	const struct user	*actor;		/* NULL: no user; a worker or the matcher acts */
	const char		*request_id;	/* "" outside a request */
	const char		*remote_addr;	/* NULL outside a request */
};

#endif
