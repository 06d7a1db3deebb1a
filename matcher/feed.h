/* matcher/feed.h — each committed batch's trades, depth changes, candles, orders and balances sent to the streamer */
#ifndef HZM_FEED_H
#define HZM_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "core/channels.h"
#include "matcher/engine.h"

struct feed_line;
struct feed_dgram;

/* What the streamer last heard of one market's book. */
struct feed_book {
	struct book_level	 lv[2][CHAN_FEED_LEVELS];
	size_t			 n[2];
	int64_t			 u;		/* last update id sent */
};

struct feed {
	int			 fd;		/* -1: no feed configured */
	char			 path[108];
	int64_t			 epoch;		/* our start, ms */
	int64_t			 n;		/* datagrams numbered */
	int64_t			 quiet_until;	/* streamer absent: skip until */
	long			 sent, dropped;
	struct feed_book	*books;		/* one per engine market */
	size_t			 nbooks;
	char			*buf;
	size_t			 len;
	struct feed_dgram	*q;		/* sent when the streamer can take them */
	size_t			 qhead, qlen;
	struct feed_line	*line;		/* scratch */
};

/* The feed to path (NULL or "": none). 0, or -1 without memory. */
int	 feed_open(struct feed *, const char *path);
/*
 * The engine was (re)built from committed state: the books as they are
 * now are what the depth snapshots show, at each market's last_seq.
 */
int	 feed_reset(struct feed *, const struct engine *);
/*
 * The batch e holds is committed: send it. Never waits: a datagram the
 * streamer cannot take now waits in a bounded queue; past its bound the
 * oldest is dropped (and shows as a gap in the numbers the streamer sees).
 */
void	 feed_batch(struct feed *, struct engine *);
/* Send what waits, as far as the streamer takes it: how many still wait. */
size_t	 feed_drain(struct feed *);
void	 feed_close(struct feed *);

#endif
