/* matcher/feed.c — each committed batch's trades, depth changes, candles, orders and balances sent to the streamer */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/decimal.h"
#include "core/log.h"
#include "core/util.h"
#include "matcher/feed.h"

/* With no streamer listening, look again this often. */
#define FEED_RETRY_MS	1000

/*
 * Datagrams the streamer's queue (net.unix.max_dgram_qlen, 10 by default)
 * could not take yet: kept in order, so a burst is late rather than lost.
 */
#define FEED_QUEUE_MAX	1024

static void	queue_pop(struct feed *);

struct feed_dgram {
	char	*b;
	size_t	 n;
};

/* A growable line: appending stops quietly at its end (then it is not sent). */
struct feed_line {
	char	 b[CHAN_FEED_DGRAM_MAX - 64];
	size_t	 n;
	int	 full;
};

int
feed_open(struct feed *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->epoch = util_now_ms();
	if (path == NULL || path[0] == '\0')
		return 0;
	if (strlen(path) >= sizeof(f->path)) {
		log_error("feed: socket path too long: %s", path);
		return 0;
	}
	snprintf(f->path, sizeof(f->path), "%s", path);
	if ((f->buf = malloc(CHAN_FEED_DGRAM_MAX)) == NULL ||
	    (f->q = calloc(FEED_QUEUE_MAX, sizeof(*f->q))) == NULL ||
	    (f->line = malloc(sizeof(*f->line))) == NULL)
		return -1;
	if ((f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1) {
		log_error("feed: socket: %s", strerror(errno));
		return 0;
	}
	return 0;
}

void
feed_close(struct feed *f)
{
	if (f->fd != -1)
		close(f->fd);
	f->fd = -1;
	while (f->qlen > 0)
		queue_pop(f);
	free(f->q);
	f->q = NULL;
	free(f->buf);
	free(f->books);
	free(f->line);
	f->line = NULL;
	f->buf = NULL;
	f->books = NULL;
}

int
feed_reset(struct feed *f, const struct engine *e)
{
	size_t i;
	int s;

	if (f->fd == -1)
		return 0;
	free(f->books);
	if ((f->books = calloc(e->nmk ? e->nmk : 1, sizeof(*f->books))) == NULL)
		return -1;
	f->nbooks = e->nmk;
	for (i = 0; i < e->nmk; i++) {
		for (s = 0; s < 2; s++)
			f->books[i].n[s] = book_depth(e->mk[i].book, (enum book_side)s,
			    f->books[i].lv[s], CHAN_FEED_LEVELS);
		f->books[i].u = e->mk[i].last_seq;
	}
	return 0;
}

static void
queue_pop(struct feed *f)
{
	free(f->q[f->qhead].b);
	f->q[f->qhead].b = NULL;
	f->qhead = (f->qhead + 1) % FEED_QUEUE_MAX;
	f->qlen--;
}

size_t
feed_drain(struct feed *f)
{
	struct sockaddr_un sa;
	struct feed_dgram *d;

	if (f->fd == -1 || f->qlen == 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, f->path, strlen(f->path) + 1);
	while (f->qlen > 0) {
		d = &f->q[f->qhead];
		if (sendto(f->fd, d->b, d->n, MSG_DONTWAIT | MSG_NOSIGNAL,
		    (struct sockaddr *)&sa, sizeof(sa)) == (ssize_t)d->n) {
			f->sent++;
			queue_pop(f);
			continue;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ||
		    errno == EINTR)
			break;
		/*
		 * No streamer: what waits is dropped. Its successor starts
		 * from the published snapshots and resynchronises its books.
		 */
		if (errno == ENOENT || errno == ECONNREFUSED) {
			f->quiet_until = util_now_ms() + FEED_RETRY_MS;
			while (f->qlen > 0) {
				f->dropped++;
				queue_pop(f);
			}
			break;
		}
		f->dropped++;
		queue_pop(f);
	}
	return f->qlen;
}

/*
 * The datagram so far joins the queue, then the queue goes out as far as
 * it can; never waits. A full queue loses its oldest datagram: a gap in
 * the numbers, which the streamer sees and resynchronises after.
 */
static void
dgram_flush(struct feed *f)
{
	struct feed_dgram *d;

	if (f->len == 0)
		return;
	if (f->qlen == FEED_QUEUE_MAX) {
		f->dropped++;
		queue_pop(f);
	}
	d = &f->q[(f->qhead + f->qlen) % FEED_QUEUE_MAX];
	if ((d->b = malloc(f->len)) == NULL) {
		f->dropped++;
		f->len = 0;
		return;
	}
	memcpy(d->b, f->buf, f->len);
	d->n = f->len;
	f->qlen++;
	f->len = 0;
	feed_drain(f);
}

static void
dgram_begin(struct feed *f, int64_t now_ms)
{
	f->len = (size_t)snprintf(f->buf, CHAN_FEED_DGRAM_MAX,
	    "F %d %lld %lld %lld\n", CHAN_FEED_VERSION, (long long)f->epoch,
	    (long long)++f->n, (long long)now_ms);
}

/* Append one line; a line that does not fit starts the next datagram. */
static void
line_add(struct feed *f, int64_t now_ms, const char *line, size_t n)
{
	if (n + 1 > CHAN_FEED_DGRAM_MAX - 64)
		return;
	if (f->len + n + 1 > CHAN_FEED_DGRAM_MAX) {
		dgram_flush(f);
		dgram_begin(f, now_ms);
	}
	memcpy(f->buf + f->len, line, n);
	f->buf[f->len + n] = '\n';
	f->len += n + 1;
}

static void
lput(struct feed_line *l, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (l->full)
		return;
	va_start(ap, fmt);
	k = vsnprintf(l->b + l->n, sizeof(l->b) - l->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof(l->b) - l->n)
		l->full = 1;
	else
		l->n += (size_t)k;
}

static void
lamount(struct feed_line *l, int64_t v, int scale)
{
	char b[DEC_BUFSZ];

	if (dec_format(v, scale, b, sizeof(b)) == -1)
		lput(l, " -");
	else
		lput(l, " %s", b);
}

static void
trades_lines(struct feed *f, const struct engine *e, struct feed_line *l)
{
	const struct trade_rec *t;
	const struct market *m;
	size_t i;

	for (i = 0; i < e->ntrades; i++) {
		t = &e->trades[i];
		m = &e->mk[t->mkt].m;
		l->n = 0;
		l->full = 0;
		lput(l, "T %s %s", m->symbol, t->public_id);
		lamount(l, t->price, m->price_scale);
		lamount(l, t->qty, m->qty_scale);
		lamount(l, t->quote, m->quote_scale);
		lput(l, " %s", t->maker_side == ORD_BUY ? "SELL" : "BUY");
		if (!l->full)
			line_add(f, e->now_ms, l->b, l->n);
	}
}

/* The levels of one side that differ between was and now (qty 0: gone). */
static void
side_diff(struct feed_line *l, const struct market *m, char tag,
    const struct book_level *was, size_t nw, const struct book_level *now,
    size_t nn, int desc)
{
	size_t i = 0, j = 0;
	int c;

	while (i < nw || j < nn) {
		if (i == nw)
			c = 1;
		else if (j == nn)
			c = -1;
		else if (was[i].price == now[j].price)
			c = 0;
		else
			c = (was[i].price < now[j].price) == !desc ? -1 : 1;
		if (c < 0) {
			lput(l, " %c", tag);
			lamount(l, was[i].price, m->price_scale);
			lput(l, " 0");
			i++;
		} else if (c > 0) {
			lput(l, " %c", tag);
			lamount(l, now[j].price, m->price_scale);
			lamount(l, now[j].qty, m->qty_scale);
			j++;
		} else {
			if (was[i].qty != now[j].qty) {
				lput(l, " %c", tag);
				lamount(l, now[j].price, m->price_scale);
				lamount(l, now[j].qty, m->qty_scale);
			}
			i++;
			j++;
		}
	}
}

/* A touched market's top levels against what the streamer last heard. */
static void
depth_line(struct feed *f, struct engine *e, size_t k, struct feed_line *l)
{
	struct engine_market *mk = &e->mk[k];
	struct feed_book *fb = &f->books[k];
	struct book_level now[CHAN_FEED_LEVELS];
	size_t n;
	int s;

	if (mk->last_seq <= fb->u)
		return;
	l->n = 0;
	l->full = 0;
	lput(l, "D %s %lld %lld", mk->m.symbol, (long long)fb->u + 1,
	    (long long)mk->last_seq);
	for (s = 0; s < 2; s++) {
		n = book_depth(mk->book, (enum book_side)s, now, CHAN_FEED_LEVELS);
		side_diff(l, &mk->m, s == BOOK_BUY ? 'b' : 'a', fb->lv[s],
		    fb->n[s], now, n, s == BOOK_BUY);
		memcpy(fb->lv[s], now, n * sizeof(now[0]));
		fb->n[s] = n;
	}
	fb->u = mk->last_seq;
	if (!l->full)
		line_add(f, e->now_ms, l->b, l->n);
}

static void
kline_lines(struct feed *f, const struct engine *e, size_t k, struct feed_line *l)
{
	const struct engine_market *mk = &e->mk[k];
	const struct market *m = &mk->m;
	const struct kline *c;
	int i;

	for (i = 0; i < KL_COUNT; i++) {
		c = &mk->kl[i];
		if (!c->used)
			continue;
		l->n = 0;
		l->full = 0;
		lput(l, "K %s %s %lld", m->symbol, kline_names[i],
		    (long long)c->open_time * 1000);
		lamount(l, c->open, m->price_scale);
		lamount(l, c->high, m->price_scale);
		lamount(l, c->low, m->price_scale);
		lamount(l, c->close, m->price_scale);
		lamount(l, c->volume, m->qty_scale);
		lamount(l, c->quote_volume, m->quote_scale);
		lput(l, " %lld", (long long)c->trades);
		if (!l->full)
			line_add(f, e->now_ms, l->b, l->n);
	}
}

/* One O line: the order as the batch left it, or (fresh) as it came in. */
static void
order_line(struct feed *f, const struct engine *e, const struct order_rec *o,
    int fresh, struct feed_line *l)
{
	const struct market *m = &e->mk[o->mkt].m;
	int64_t avg;

	l->n = 0;
	l->full = 0;
	lput(l, "O %lld %s %s %s %s %s", (long long)o->user_id, m->symbol,
	    o->public_id, trade_side_text(o->side),
	    trade_type_name(o->type, o->stop > 0),
	    engine_status_text(fresh ? OST_NEW : o->status));
	if (o->type == ORD_LIMIT)
		lamount(l, o->price, m->price_scale);
	else
		lput(l, " -");
	if (o->qty > 0)
		lamount(l, o->qty, m->qty_scale);
	else
		lput(l, " -");
	lamount(l, fresh ? 0 : o->executed, m->qty_scale);
	lamount(l, fresh ? 0 : o->cum_quote, m->quote_scale);
	if (!fresh && o->executed > 0 && dec_div(o->cum_quote, m->quote_scale,
	    o->executed, m->qty_scale, m->price_scale, DEC_ROUND_HALF_UP,
	    &avg) == DEC_OK)
		lamount(l, avg, m->price_scale);
	else
		lput(l, " -");
	/* Binance's orderListId: -1 for an order of no list. */
	lput(l, " %lld", o->list_id > 0 ? (long long)o->list_id : -1LL);
	if (!l->full)
		line_add(f, e->now_ms, l->b, l->n);
}

/*
 * Every order the batch changed, in its state after the batch. An order
 * accepted and already filled, expired or cancelled in the same batch is
 * told as new first (spec Appendix B: order.new for every order), as
 * Binance's execution reports are; a refused one never was an order.
 */
static void
order_lines(struct feed *f, const struct engine *e, struct feed_line *l)
{
	const struct order_rec *o;
	size_t i;

	for (i = 0; i < e->norders; i++) {
		o = &e->orders[i];
		if (o->fresh && o->status != OST_NEW && o->status != OST_REJECTED)
			order_line(f, e, o, 1, l);
		order_line(f, e, o, 0, l);
	}
}

/* The ledger is sorted by (user, asset) once sealed: one line a pair. */
static void
balance_lines(struct feed *f, const struct engine *e, struct feed_line *l)
{
	const struct ledger_rec *r, *prev = NULL;
	size_t i;

	for (i = 0; i < e->nledger; i++) {
		r = &e->ledger[i];
		if (prev != NULL && prev->user_id == r->user_id &&
		    strcmp(prev->asset, r->asset) == 0)
			continue;
		prev = r;
		l->n = 0;
		l->full = 0;
		lput(l, "B %lld %s", (long long)r->user_id, r->asset);
		line_add(f, e->now_ms, l->b, l->n);
	}
}

void
feed_batch(struct feed *f, struct engine *e)
{
	struct feed_line *l = f->line;
	int64_t now = util_now_ms();
	size_t k;

	if (f->fd == -1 || f->books == NULL || f->nbooks != e->nmk)
		return;
	/*
	 * No streamer: build nothing. The books' last-heard state stays, so
	 * the first depth line after its return covers every change since.
	 */
	if (now < f->quiet_until)
		return;
	dgram_begin(f, e->now_ms);
	trades_lines(f, e, l);
	for (k = 0; k < e->nmk; k++) {
		if (!e->mk[k].touched)
			continue;
		depth_line(f, e, k, l);
		kline_lines(f, e, k, l);
	}
	order_lines(f, e, l);
	balance_lines(f, e, l);
	dgram_flush(f);
}
