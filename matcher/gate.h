/* matcher/gate.h — the matcher's socket: handlers hand it orders and cancels, one line each way */
#ifndef HZM_GATE_H
#define HZM_GATE_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/matcher_line.h"
#include "matcher/engine.h"

#define GATE_CONNS_MAX	1024
#define GATE_WAITS_MAX	16384	/* answers timed per stats window, at most */

/* What became of an order from the socket in its batch. */
enum direct_state {
	DS_PENDING,	/* not yet in a batch */
	DS_ACCEPTED,	/* locked, stored and applied (a cancel: applied) */
	DS_POOR,	/* the balance does not cover the lock */
	DS_CONFLICT,	/* clientOrderId already used by the user */
	DS_REFUSED,	/* out of the price band, or below a minimum */
	DS_LATE,	/* its deadline passed before the batch held its lock */
	DS_MISMATCH,	/* its lock is not what the rule gives with this market */
	DS_DAY_LIMIT,	/* over the user's daily trading limit: the inbox says so */
	DS_DENIED,	/* its user may not trade, or its token stands no more:
			 * the handler's own check says why */
	DS_GONE		/* a cancel of an order the engine does not hold for
			 * its user: the inbox path says why */
};

/*
 * An order or a cancel (c.kind) from the socket (c.direct set), and whom
 * to answer.
 */
struct direct {
	struct cmd	 c;
	int		 mkt;
	char		 client_id[40];		/* "" for none */
	int64_t		 qoq;			/* quote units, 0: by quantity */
	int		 estimate;		/* a market buy by quantity */
	int64_t		 deadline_ms;		/* the handler's, epoch ms */
	/* the access token whose user's standing the batch checks, or "" */
	char		 jti[40];
	char		 sid[40];
	int64_t		 iat;
	char		 addr[48];
	/* an X-Idempotency-Key, claimed with the order, and its hash (hex) */
	char		 idem_key[IDEM_KEY_MAX + 1];
	char		 idem_hash[MLINE_IDEM_HASH_LEN + 1];

	enum direct_state state;
	int64_t		 need, avail;		/* DS_POOR */
	struct trade_refusal refusal;		/* DS_REFUSED */
	char		 created[32];		/* ISO time of its insert */
	size_t		 rec;			/* its state: engine orders[rec] */
	int		 conn;			/* slot, and the slot's */
	unsigned	 gen;			/* generation when it came */
	long		 fill;			/* first fill in the batch, -1 */
	int64_t		 day_value;		/* what it counts today (TRY, 2 decimals) */
	/* the first of its user's orders in the batch carries the user's
	 * daily counter as the batch leaves it (store_commit() writes it) */
	int		 day_head;
	int64_t		 day_used;
	int64_t		 read_us;		/* when its line was read (monotonic) */
};

struct gate_conn {
	int		 fd;			/* 0: free */
	unsigned	 gen;
	int		 busy;			/* one request at a time */
	int		 mkt;			/* the market it came for */
	size_t		 nin;
	char		 in[1024];
};

struct gate {
	int		*lfd;			/* per market of the engine */
	size_t		 nl;
	struct gate_conn conns[GATE_CONNS_MAX];
	struct direct	*q;			/* pending, oldest first */
	size_t		 nq, capq;
	/* how long answered requests took from their line read to their
	 * answer (us), the first GATE_WAITS_MAX since gate_waits() */
	int32_t		 waits[GATE_WAITS_MAX];
	size_t		 nwaits;
};

/*
 * Listen on DIR/SYMBOL for each of the engine's markets (replacing what a
 * dead predecessor left). 0, or -1 when dir is NULL or a socket fails.
 */
int	 gate_open(struct gate *, const char *dir, const struct engine *);
/* Close every socket and forget what was pending: those handlers retry. */
void	 gate_close(struct gate *);
/* Poll entries for the gate's sockets; returns how many were written. */
size_t	 gate_pollfds(const struct gate *, struct pollfd *, size_t max);
/* Accept, read and queue whatever is ready, without blocking. */
void	 gate_service(struct gate *);
/* Answer the order's handler with one line (newline added). */
void	 gate_answer(struct gate *, const struct direct *, const char *line,
	    size_t len);
/*
 * The times gate_answer() saw since the last call, sorted (ascending, us):
 * *n of them; the next call starts afresh.
 */
const int32_t *gate_waits(struct gate *, size_t *n);
/* Move up to max pending orders, oldest first, into out; how many. */
size_t	 gate_take(struct gate *, size_t max, struct direct *out);

#endif
