/* matcher/gate.c — the matcher's socket: handlers hand it orders and cancels, one line each way */
#define _GNU_SOURCE	/* accept4 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/matcher_line.h"
#include "matcher/gate.h"

#define ANSWER_WAIT_MS	1000	/* a handler that reads no answer is dropped */

int
gate_open(struct gate *g, const char *dir, const struct engine *e)
{
	struct sockaddr_un sa;
	size_t i;
	int fd;

	gate_close(g);
	if (dir == NULL || *dir == '\0' || e->nmk == 0)
		return -1;
	if ((g->lfd = calloc(e->nmk, sizeof(*g->lfd))) == NULL)
		return -1;
	for (i = 0; i < e->nmk; i++) {
		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s",
		    dir, e->mk[i].m.symbol) >= sizeof(sa.sun_path)) {
			log_error("socket path %s/%s too long", dir,
			    e->mk[i].m.symbol);
			goto fail;
		}
		/* The market is ours (store_load claimed it): so is its name. */
		(void)unlink(sa.sun_path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0)) == -1)
			goto fail;
		g->lfd[g->nl++] = fd;
		/* Who may connect is the directory's business. */
		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
		    chmod(sa.sun_path, 0666) == -1 || listen(fd, 512) == -1) {
			log_error("socket %s: %s", sa.sun_path, strerror(errno));
			goto fail;
		}
	}
	return 0;
fail:
	gate_close(g);
	return -1;
}

static void
conn_close(struct gate *g, int slot)
{
	struct gate_conn *c = &g->conns[slot];
	size_t i, k = 0;

	if (c->fd > 0)
		close(c->fd);
	c->fd = 0;
	c->busy = 0;
	c->nin = 0;
	/* Its handler has gone: whatever it left pending goes too. */
	for (i = 0; i < g->nq; i++)
		if (!(g->q[i].conn == slot && g->q[i].gen == c->gen))
			g->q[k++] = g->q[i];
	g->nq = k;
	c->gen++;
}

void
gate_close(struct gate *g)
{
	size_t i;

	for (i = 0; i < g->nl; i++)
		close(g->lfd[i]);
	free(g->lfd);
	g->lfd = NULL;
	g->nl = 0;
	for (i = 0; i < GATE_CONNS_MAX; i++)
		if (g->conns[i].fd > 0)
			conn_close(g, (int)i);
	g->nq = 0;
}

size_t
gate_pollfds(const struct gate *g, struct pollfd *p, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < g->nl && n < max; i++) {
		p[n].fd = g->lfd[i];
		p[n].events = POLLIN;
		p[n++].revents = 0;
	}
	for (i = 0; i < GATE_CONNS_MAX && n < max; i++)
		if (g->conns[i].fd > 0) {
			p[n].fd = g->conns[i].fd;
			p[n].events = POLLIN;
			p[n++].revents = 0;
		}
	return n;
}

/* One request line (domain/matcher_line.h) into d; -1 if it is not one. */
static int
parse(const char *line, int mkt, struct direct *d)
{
	struct mline_cancel x;
	struct mline_order o;

	memset(d, 0, sizeof(*d));
	d->c.direct = 1;
	d->mkt = mkt;
	d->state = DS_PENDING;
	d->fill = -1;
	if (mline_cancel_decode(line, &x) == 0) {
		d->c.kind = CMD_CANCEL;
		d->c.order_id = x.order_id;
		d->c.user_id = x.user_id;
		return 0;
	}
	if (mline_request_decode(line, &o) == -1)
		return -1;
	snprintf(d->c.public_id, sizeof(d->c.public_id), "%s", o.public_id);
	d->c.user_id = o.user_id;
	snprintf(d->client_id, sizeof(d->client_id), "%s", o.client_id);
	d->c.side = o.side;
	d->c.type = o.type;
	d->c.tif = o.tif;
	d->c.price = o.price;
	d->c.qty = o.qty;
	d->c.lock = o.lock;
	d->c.stop = o.stop;
	d->c.stp = o.stp;
	d->qoq = o.qoq;
	d->estimate = o.by_cost;
	d->deadline_ms = o.deadline_ms;
	memcpy(d->jti, o.jti, sizeof(d->jti));
	memcpy(d->sid, o.sid, sizeof(d->sid));
	d->iat = o.iat;
	memcpy(d->addr, o.addr, sizeof(d->addr));
	memcpy(d->idem_key, o.idem_key, sizeof(d->idem_key));
	memcpy(d->idem_hash, o.idem_hash, sizeof(d->idem_hash));
	d->c.kind = CMD_NEW;
	return 0;
}

static int
queue(struct gate *g, const struct direct *d)
{
	size_t ncap;
	struct direct *nq;

	if (g->nq == g->capq) {
		ncap = g->capq ? g->capq * 2 : 256;
		if ((nq = realloc(g->q, ncap * sizeof(*nq))) == NULL)
			return -1;
		g->q = nq;
		g->capq = ncap;
	}
	g->q[g->nq] = *d;
	g->q[g->nq++].read_us = util_mono_us();
	return 0;
}

/* Read what the connection has sent; each whole line is a request. */
static void
conn_read(struct gate *g, int slot, int mkt)
{
	struct gate_conn *c = &g->conns[slot];
	struct direct d;
	char *nl;
	ssize_t n;
	size_t len;

	for (;;) {
		n = read(c->fd, c->in + c->nin, sizeof(c->in) - c->nin - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			conn_close(g, slot);
			return;
		}
		c->nin += (size_t)n;
		c->in[c->nin] = '\0';
		while ((nl = memchr(c->in, '\n', c->nin)) != NULL) {
			*nl = '\0';
			len = (size_t)(nl - c->in) + 1;
			/* One request at a time; anything else is a stranger. */
			if (c->busy || parse(c->in, mkt, &d) == -1) {
				log_error("socket: unreadable request dropped");
				conn_close(g, slot);
				return;
			}
			d.conn = slot;
			d.gen = c->gen;
			if (queue(g, &d) == -1) {
				conn_close(g, slot);
				return;
			}
			c->busy = 1;
			memmove(c->in, c->in + len, c->nin - len);
			c->nin -= len;
		}
		if (c->nin >= sizeof(c->in) - 1) {
			conn_close(g, slot);
			return;
		}
	}
}

static void
accept_all(struct gate *g, size_t l)
{
	size_t s;
	int fd;

	while ((fd = accept4(g->lfd[l], NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1) {
		for (s = 0; s < GATE_CONNS_MAX && g->conns[s].fd > 0; s++)
			;
		if (s == GATE_CONNS_MAX) {
			log_error("socket: %d connections, refusing more",
			    GATE_CONNS_MAX);
			close(fd);
			continue;
		}
		g->conns[s].fd = fd;
		g->conns[s].nin = 0;
		g->conns[s].busy = 0;
		g->conns[s].mkt = (int)l;
	}
}

/* One poll over every socket; only the ready ones are touched. */
void
gate_service(struct gate *g)
{
	struct pollfd p[GATE_CONNS_MAX + 64];
	int slot[GATE_CONNS_MAX + 64];
	size_t i, n = 0;

	for (i = 0; i < g->nl && n < nitems(p); i++) {
		p[n].fd = g->lfd[i];
		p[n].events = POLLIN;
		p[n].revents = 0;
		slot[n++] = -1 - (int)i;
	}
	for (i = 0; i < GATE_CONNS_MAX && n < nitems(p); i++)
		if (g->conns[i].fd > 0) {
			p[n].fd = g->conns[i].fd;
			p[n].events = POLLIN;
			p[n].revents = 0;
			slot[n++] = (int)i;
		}
	if (n == 0 || poll(p, n, 0) <= 0)
		return;
	for (i = 0; i < n; i++) {
		if (p[i].revents == 0)
			continue;
		if (slot[i] < 0) {
			accept_all(g, (size_t)(-1 - slot[i]));
			continue;
		}
		/* From a busy handler only a hang-up is expected. */
		conn_read(g, slot[i], g->conns[slot[i]].mkt);
	}
}

void
gate_answer(struct gate *g, const struct direct *d, const char *line,
    size_t len)
{
	struct gate_conn *c = &g->conns[d->conn];
	int64_t deadline = util_mono_ms() + ANSWER_WAIT_MS;
	int64_t waited = util_mono_us() - d->read_us;
	struct pollfd p;
	struct iovec iov[2];
	struct msghdr mh;
	size_t off = 0;
	ssize_t n;
	int nl = 0;

	if (g->nwaits < GATE_WAITS_MAX)
		g->waits[g->nwaits++] = waited < INT32_MAX ? (int32_t)waited :
		    INT32_MAX;
	if (c->fd <= 0 || c->gen != d->gen)
		return;		/* the handler has gone */
	/*
	 * The line and its newline in one write: the handler reads the
	 * answer in one wake-up instead of two.
	 */
	while (off < len + 1) {
		iov[0].iov_base = (char *)line + (off < len ? off : len);
		iov[0].iov_len = off < len ? len - off : 0;
		iov[1].iov_base = "\n";
		iov[1].iov_len = 1;
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = iov;
		mh.msg_iovlen = 2;
		if ((n = sendmsg(c->fd, &mh, MSG_NOSIGNAL)) > 0) {
			off += (size_t)n;
			nl = off > len;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    util_mono_ms() < deadline) {
			p.fd = c->fd;
			p.events = POLLOUT;
			p.revents = 0;
			(void)poll(&p, 1, 10);
			continue;
		}
		break;
	}
	if (!nl) {
		conn_close(g, d->conn);
		return;
	}
	c->busy = 0;
}

const int32_t *
gate_waits(struct gate *g, size_t *n)
{
	*n = g->nwaits;
	util_sort_i32(g->waits, g->nwaits);
	g->nwaits = 0;
	return g->waits;
}

size_t
gate_take(struct gate *g, size_t max, struct direct *out)
{
	size_t n = g->nq < max ? g->nq : max;

	memcpy(out, g->q, n * sizeof(*out));
	memmove(g->q, g->q + n, (g->nq - n) * sizeof(*g->q));
	g->nq -= n;
	return n;
}
