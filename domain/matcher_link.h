/* domain/matcher_link.h — the order service's end of the matcher: its socket, its wake-up call, its word back */
#ifndef HZM_MATCHER_LINK_H
#define HZM_MATCHER_LINK_H

#include <stddef.h>

struct arena;
struct ctx;
struct db;

/* How a request on the matcher's socket ended. */
enum mlink_rc {
	MLINK_ANSWERED,		/* *answer holds the matcher's line */
	MLINK_NOT_SENT,		/* the matcher never had it */
	MLINK_LOST		/* it may have: the connection broke, or no answer in time */
};

/* The directory of the matchers' sockets (hzm.conf), or NULL: none. */
const char	*mlink_socket_dir(void);
/*
 * Send one request line (newline included) to the matcher of symbol and
 * read its answer line (newline removed; the arena frees it). One
 * connection per market is kept open between requests.
 */
enum mlink_rc	 mlink_send(const char *symbol, const char *line,
		    struct arena *, int timeout_ms, char **answer);
/*
 * Wake the matcher of symbol for what was committed to its inbox, unless
 * it says it is polling the inbox anyway (core/channels.h CHAN_MC_BUSY).
 */
void		 mlink_wake(struct ctx *, const char *symbol);
/*
 * The process's reply channel, LISTENed to on the connection until
 * mlink_wait() or the request's end (db_listen()), or NULL when it cannot
 * be: commands name it in their inbox rows, and the matcher's word comes
 * back on it.
 */
const char	*mlink_reply_channel(struct db *);
/*
 * Wait up to timeout_ms for the matcher's word about public_id on the
 * reply channel, then stop listening: 1 it came (word holds what followed
 * the id, "" for nothing), 0 timed out, -1 connection trouble.
 */
int		 mlink_wait(struct db *, const char *public_id, int timeout_ms,
		    char *word, size_t wordsz);

#endif
