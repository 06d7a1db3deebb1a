/* streamer/streamer.h — the streamer's state: connections, their queues and subscriptions, markets, the feed */
#ifndef HZM_STREAMER_H
#define HZM_STREAMER_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <libwebsockets.h>

#include "core/channels.h"
#include "streamer/proto.h"

#define SUBS_MAX_HARD	64
#define QUEUE_CAP0	8	/* a new client's ring; it doubles as it fills */
#define BOOK_LEVELS	CHAN_FEED_LEVELS
#define PENDING_MAX	512	/* deltas held while a book resynchronises */
#define AMOUNT_MAX	24
#define LAG_SAMPLES	4096

/* WebSocket close codes of our own (RFC 6455 leaves 4000-4999 to us). */
#define CLOSE_SLOW_CONSUMER	4008
#define CLOSE_RATE_LIMIT	4029

/*
 * One message, shared by every connection it is queued on: framed once
 * (a server's frames are not masked, so every client gets the same bytes).
 */
struct msg {
	unsigned	 refs;
	size_t		 off, len;	/* the frame: header and text */
	unsigned char	 buf[];		/* LWS_PRE bytes, then the text */
};

/* Frames written to a client in one go, at most. */
#define WRITE_MAX	(64 << 10)

struct sub {
	enum proto_channel	 ch;
	char			 symbol[16];
	int			 interval;
	int			 depth;		/* orderbook: the levels a side it is sent */
	unsigned		 pos;		/* public: our place in its topic */
};

/*
 * The connections subscribed to one public stream (a market's channel,
 * or one kline interval), so that a message reaches its subscribers
 * without a walk over every connection.
 */
struct topic {
	struct conn	**v;
	unsigned	 n, cap;
};

#define KLINE_INTERVALS	KL_COUNT	/* domain/kline_iv.h */
#define MARKET_TOPICS	(PC_KLINE + KLINE_INTERVALS)
/* Connections by user id, for the private channels. */
#define USER_BUCKETS	4096

struct streamer;

struct conn {
	struct lws		*wsi;
	struct streamer		*sm;
	struct msg		**q;		/* ring of qcap, up to queue_max */
	unsigned		 qhead, qlen, qcap;
	size_t			 qbytes;
	int			 close_code;	/* set: close at the next write */
	const char		*close_why;
	int			 closing;	/* lws has the close: its handshake */
	struct sub		*subs;		/* subs_max of them */
	int			 nsubs;
	int64_t			 user_id;	/* 0: not authenticated */
	char			 user_public[32];
	time_t			 auth_exp;	/* 0: does not expire (API key) */
	/*
	 * The credential the private subscriptions stand on, looked at
	 * again every ws_auth_recheck_seconds (private_recheck()): an API
	 * key ("hzm_..."), or a token's id, session and time of issue.
	 */
	char			 auth_key[40];
	char			 auth_jti[40];
	char			 auth_sid[40];
	time_t			 auth_iat;
	double			 tokens;	/* incoming messages allowed */
	int64_t			 tokens_ms;
	int			 over;		/* refused since the bucket was whole */
	struct conn		*prev, *next;	/* every connection */
	struct conn		*unext;		/* the same user_id bucket */
};

struct level {
	char	 p[AMOUNT_MAX], q[AMOUNT_MAX];
};

struct candle {
	int	 have;
	int	 dirty;		/* changed since the last sent */
	int64_t	 sent_ms;
	int64_t	 open_ms;
	char	 o[AMOUNT_MAX], h[AMOUNT_MAX], l[AMOUNT_MAX], c[AMOUNT_MAX];
	char	 v[AMOUNT_MAX], qv[AMOUNT_MAX];
	int64_t	 n;
};

struct market {
	char		 symbol[16];
	struct level	 side[2][BOOK_LEVELS];	/* 0 bids (best first), 1 asks */
	size_t		 n[2];
	int		 synced;
	int64_t		 u;			/* last update id applied */
	char		*pending[PENDING_MAX];	/* D lines held while syncing */
	size_t		 npending;
	/*
	 * The book as its subscribers were last sent it (update id sent_u),
	 * each cut to its depth, and the last u sent to those of each depth
	 * (book.c; a depth no one had yet starts at its first snapshot).
	 */
	struct level	 prev[2][BOOK_LEVELS];
	size_t		 nprev[2];
	int64_t		 sent_u;
	int64_t		 depth_u[BOOK_LEVELS + 1];
	int		 ticker_dirty;
	int64_t		 ticker_ts;		/* timestamp of the last sent */
	int64_t		 ticker_want;		/* the last batch that changed it */
	int64_t		 ticker_sent_ms;
	int64_t		 dirty_ms;
	struct candle	 k[KLINE_INTERVALS];
	struct topic	 topics[MARKET_TOPICS];
};

struct streamer {
	struct lws_context	*ctx;
	struct lws_vhost	*vh;
	struct db		*db;
	struct arena		*arena;
	struct conn		*conns;
	size_t			 nconns;
	struct conn		*users[USER_BUCKETS];	/* authenticated, by id */
	unsigned char		*wbuf;		/* LWS_PRE + WRITE_MAX: frames gathered */
	struct market		*mk;
	size_t			 nmk;
	/* settings */
	int			 queue_max;	/* messages a client may have waiting */
	size_t			 queue_bytes;
	int			 subs_max;
	int			 sndbuf;	/* SO_SNDBUF of client sockets */
	int			 rate;		/* client messages a second */
	int			 burst;
	/* the feed */
	int			 feed_fd;
	char			*feed_buf;	/* one datagram */
	lws_retry_bo_t		 retry;		/* heartbeats */
	int64_t			 feed_epoch, feed_n;
	long			 feed_lost;
	/* the outbox */
	void			*pg;		/* PGconn LISTENing on CHAN_OUTBOX, CHAN_BALANCE */
	struct lws		*pg_wsi;
	int64_t			 pg_retry_ms;
	int64_t			 recheck_ms;	/* ws_auth_recheck_seconds, in ms */
	int64_t			 rechecked_ms;	/* when credentials were last looked at */
	lws_sorted_usec_list_t	 tick;
	lws_sorted_usec_list_t	 depth_tick;	/* conflated deltas go out */
	int			 depth_ms;	/* 0: a delta per batch */
	int			 ticker_ms;	/* a market's ticker at most this often */
	int			 kline_ms;	/* a candle's update at most this often */
	int64_t			 now_ms;
	long			 sent;		/* messages queued, for the log */
	/* the pace, logged every STATS_MS while the feed speaks */
	int64_t			 stats_ms;
	long			 ndgram;
	unsigned long		 writes;	/* client write callbacks, for FEED_EVERY */
	size_t			 nlag;
	int32_t			 lag[LAG_SAMPLES];	/* batch to here, ms */
};

/* conn.c */
struct msg	*msg_new(const char *text, size_t len);
void		 msg_unref(struct msg *);
void		 conn_send(struct conn *, struct msg *);
void		 conn_send_text(struct conn *, const char *text);
void		 conn_close_later(struct conn *, int code, const char *why);
int		 conn_writable(struct conn *);
void		 conn_receive(struct conn *, const char *buf, size_t len);
void		 conn_gone(struct conn *);
int		 conn_subscribed(const struct conn *, enum proto_channel,
		    const char *symbol, int interval);

/* topic.c */
struct topic	*topic_of(struct streamer *, enum proto_channel,
		    const char *symbol, int interval);
int		 topic_join(struct topic *, struct conn *, int sub);
void		 topic_leave(struct topic *, struct conn *, int sub);
/* Every connection of the topic gets text, built into one message. */
void		 topic_send(struct topic *, const char *text);
void		 user_join(struct streamer *, struct conn *);
void		 user_leave(struct streamer *, struct conn *);
struct conn	*user_conns(struct streamer *, int64_t user_id);

/* market.c */
struct market	*market_find(struct streamer *, const char *symbol);
int		 markets_load(struct streamer *);
void		 market_line(struct streamer *, struct proto_line *, int64_t ts);
void		 market_lost(struct streamer *);
void		 market_book_snapshot(struct streamer *, struct conn *,
		    struct market *, int depth);
void		 market_tick(struct streamer *);
void		 market_flush(struct streamer *);
void		 market_book_settle(struct streamer *, struct market *, int depth);
void		 book_line(struct streamer *, struct market *, struct proto_line *);
void		 book_resync(struct streamer *, struct market *);
void		 market_ticker_now(struct streamer *, struct conn *,
		    struct market *);

/* private.c */
int		 private_auth(struct streamer *, struct conn *,
		    const struct proto_auth *, const char **code,
		    const char **why);
void		 private_line(struct streamer *, struct proto_line *, int64_t ts);
void		 private_tick(struct streamer *);
int		 outbox_open(struct streamer *);
void		 outbox_readable(struct streamer *);
void		 outbox_lost(struct streamer *);

#endif
