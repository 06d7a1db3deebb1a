/* streamer/conn.c — one client's connection: its bounded queue, its commands, its subscriptions */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/log.h"
#include "core/util.h"
#include "streamer/streamer.h"

_Static_assert(LWS_PRE >= 10, "room for a frame header");

/* A text frame of RFC 6455 (final, not masked): its header before text. */
struct msg *
msg_new(const char *text, size_t len)
{
	struct msg *m;
	unsigned char *h;
	size_t hl = len < 126 ? 2 : len < 65536 ? 4 : 10, i;

	if ((m = malloc(sizeof(*m) + LWS_PRE + len)) == NULL)
		return NULL;
	m->refs = 1;
	m->off = LWS_PRE - hl;
	m->len = hl + len;
	memcpy(m->buf + LWS_PRE, text, len);
	h = m->buf + m->off;
	h[0] = 0x81;
	if (hl == 2)
		h[1] = (unsigned char)len;
	else if (hl == 4) {
		h[1] = 126;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
	} else {
		h[1] = 127;
		for (i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	}
	return m;
}

void
msg_unref(struct msg *m)
{
	if (m != NULL && --m->refs == 0)
		free(m);
}

void
conn_close_later(struct conn *c, int code, const char *why)
{
	if (c->close_code == 0) {
		c->close_code = code;
		c->close_why = why;
	}
	lws_callback_on_writable(c->wsi);
}

/* The ring doubles as it fills, up to queue_max: an idle client holds little. */
static int
queue_grow(struct conn *c)
{
	unsigned cap = c->qcap * 2, i;
	struct msg **q;

	if (cap > (unsigned)c->sm->queue_max)
		cap = (unsigned)c->sm->queue_max;
	if ((q = malloc(cap * sizeof(*q))) == NULL)
		return -1;
	for (i = 0; i < c->qlen; i++)
		q[i] = c->q[(c->qhead + i) % c->qcap];
	free(c->q);
	c->q = q;
	c->qhead = 0;
	c->qcap = cap;
	return 0;
}

/*
 * Queue m for c. A client whose queue is full is not waited for: it is
 * cut off with CLOSE_SLOW_CONSUMER, and everyone else goes on.
 */
void
conn_send(struct conn *c, struct msg *m)
{
	struct streamer *sm = c->sm;

	if (c->close_code != 0)
		return;
	if (c->qlen == (unsigned)sm->queue_max ||
	    c->qbytes + m->len > sm->queue_bytes ||
	    (c->qlen == c->qcap && queue_grow(c) == -1)) {
		conn_close_later(c, CLOSE_SLOW_CONSUMER, "slow consumer");
		return;
	}
	m->refs++;
	c->q[(c->qhead + c->qlen) % c->qcap] = m;
	c->qlen++;
	c->qbytes += m->len;
	sm->sent++;
	if (c->qlen == 1)
		lws_callback_on_writable(c->wsi);
}

void
conn_send_text(struct conn *c, const char *text)
{
	struct msg *m;

	if ((m = msg_new(text, strlen(text))) == NULL)
		return;
	conn_send(c, m);
	msg_unref(m);
}

/*
 * The queued frames, as many as WRITE_MAX holds, in one write: with
 * thousands of clients a system call a message was what the latency
 * waited for. They go as raw bytes, already framed; lws keeps what the
 * socket did not take and sends it before anything of its own (a PING,
 * a close), so no frame is ever cut by another. -1: close now.
 */
int
conn_writable(struct conn *c)
{
	unsigned qmax = c->qcap, k = 0;
	unsigned char *p;
	struct msg *m;
	size_t n = 0;

	/*
	 * The close goes to lws once: it sends the close frame and waits
	 * for the client's, reading and dropping what comes before it. A
	 * second -1 while it waits would drop the socket at once, with the
	 * client's frames unread: a reset, which a proxy may pass on
	 * before the close frame (Apache does), and the client sees 1006.
	 */
	if (c->closing)
		return 0;
	if (c->close_code != 0) {
		lws_close_reason(c->wsi, (enum lws_close_status)c->close_code,
		    (unsigned char *)(uintptr_t)c->close_why, strlen(c->close_why));
		c->closing = 1;
		return -1;
	}
	if (c->qlen == 0)
		return 0;
	m = c->q[c->qhead];
	if (c->qlen == 1 || m->len + c->q[(c->qhead + 1) % qmax]->len > WRITE_MAX) {
		p = m->buf + m->off;
		n = m->len;
		k = 1;
	} else {
		p = c->sm->wbuf + LWS_PRE;
		for (; k < c->qlen; k++) {
			m = c->q[(c->qhead + k) % qmax];
			if (n + m->len > WRITE_MAX)
				break;
			memcpy(p + n, m->buf + m->off, m->len);
			n += m->len;
		}
	}
	if (lws_write(c->wsi, p, n, LWS_WRITE_RAW) < (int)n)
		return -1;
	while (k-- > 0) {
		m = c->q[c->qhead];
		c->qhead = (c->qhead + 1) % qmax;
		c->qlen--;
		c->qbytes -= m->len;
		msg_unref(m);
	}
	if (c->qlen > 0)
		lws_callback_on_writable(c->wsi);
	return 0;
}

void
conn_gone(struct conn *c)
{
	struct streamer *sm = c->sm;
	int i;

	for (i = 0; i < c->nsubs; i++)
		topic_leave(topic_of(sm, c->subs[i].ch, c->subs[i].symbol,
		    c->subs[i].interval), c, i);
	c->nsubs = 0;
	if (c->user_id != 0)
		user_leave(sm, c);
	while (c->qlen > 0) {
		msg_unref(c->q[c->qhead]);
		c->qhead = (c->qhead + 1) % c->qcap;
		c->qlen--;
	}
	free(c->q);
	c->q = NULL;
	free(c->subs);
	c->subs = NULL;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else if (sm->conns == c)
		sm->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	sm->nconns--;
}

int
conn_subscribed(const struct conn *c, enum proto_channel ch,
    const char *symbol, int interval)
{
	int i;

	for (i = 0; i < c->nsubs; i++)
		if (c->subs[i].ch == ch && c->subs[i].interval == interval &&
		    strcmp(c->subs[i].symbol, symbol) == 0)
			return i;
	return -1;
}

/* The client's id as it came: a number, or a string. */
static struct json_object *
id_json(const struct proto_msg *m)
{
	if (m->id_number)
		return json_object_new_int64(strtoll(m->id, NULL, 10));
	return json_object_new_string(m->id);
}

static void
reply(struct conn *c, const struct proto_msg *m, const char *event,
    const char *code, const char *message)
{
	struct json_object *o = json_object_new_object(), *e;

	if (m != NULL && m->id[0] != '\0')
		json_object_object_add(o, "id", id_json(m));
	json_object_object_add(o, "event", json_object_new_string(event));
	if (m != NULL && (m->method == PM_SUBSCRIBE || m->method == PM_UNSUBSCRIBE) &&
	    code == NULL) {
		json_object_object_add(o, "channel",
		    json_object_new_string(proto_channels[m->channel]));
		if (m->symbol[0] != '\0')
			json_object_object_add(o, "symbol",
			    json_object_new_string(m->symbol));
		if (m->channel == PC_KLINE)
			json_object_object_add(o, "interval",
			    json_object_new_string(kline_names[m->interval]));
	}
	if (code != NULL) {
		e = json_object_new_object();
		json_object_object_add(e, "code", json_object_new_string(code));
		json_object_object_add(e, "message", json_object_new_string(message));
		json_object_object_add(o, "error", e);
	}
	conn_send_text(c, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

static void
list_reply(struct conn *c, const struct proto_msg *m)
{
	struct json_object *o = json_object_new_object(), *a, *s;
	int i;

	if (m->id[0] != '\0')
		json_object_object_add(o, "id", id_json(m));
	json_object_object_add(o, "event", json_object_new_string("subscriptions"));
	a = json_object_new_array();
	for (i = 0; i < c->nsubs; i++) {
		s = json_object_new_object();
		json_object_object_add(s, "channel",
		    json_object_new_string(proto_channels[c->subs[i].ch]));
		if (c->subs[i].symbol[0] != '\0')
			json_object_object_add(s, "symbol",
			    json_object_new_string(c->subs[i].symbol));
		if (c->subs[i].ch == PC_KLINE)
			json_object_object_add(s, "interval", json_object_new_string(
			    kline_names[c->subs[i].interval]));
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "subscriptions", a);
	conn_send_text(c, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

static void
subscribe(struct conn *c, struct proto_msg *m)
{
	struct streamer *sm = c->sm;
	struct market *mk = NULL;
	const char *code, *why;
	int iv = m->channel == PC_KLINE ? m->interval : 0;

	if (m->symbol_asked && market_find(sm, m->symbol) == NULL) {
		reply(c, m, "error", "TRADE_005", "unknown symbol");
		return;
	}
	if (!PROTO_PRIVATE(m->channel))
		mk = market_find(sm, m->symbol);
	if (PROTO_PRIVATE(m->channel)) {
		if (m->has_auth && private_auth(sm, c, &m->auth, &code, &why) == -1) {
			reply(c, m, "error", code, why);
			return;
		}
		if (c->user_id == 0) {
			reply(c, m, "error", "UNAUTHORIZED",
			    "private channels need params.auth");
			return;
		}
	}
	if (m->channel == PC_ORDERBOOK)
		market_book_settle(sm, mk, m->depth);
	if (conn_subscribed(c, m->channel, m->symbol, iv) < 0) {
		if (c->nsubs >= sm->subs_max) {
			reply(c, m, "error", "LIMIT_EXCEEDED",
			    "too many subscriptions on this connection");
			return;
		}
		c->subs[c->nsubs].ch = m->channel;
		memcpy(c->subs[c->nsubs].symbol, m->symbol, sizeof(m->symbol));
		c->subs[c->nsubs].interval = iv;
		if (mk != NULL && topic_join(topic_of(sm, m->channel, m->symbol,
		    iv), c, c->nsubs) == -1) {
			reply(c, m, "error", "INTERNAL_ERROR", "out of memory");
			return;
		}
		c->nsubs++;
	}
	c->subs[conn_subscribed(c, m->channel, m->symbol, iv)].depth = m->depth;
	reply(c, m, "subscribed", NULL, NULL);
	if (m->channel == PC_ORDERBOOK)
		market_book_snapshot(sm, c, mk, m->depth);
	else if (m->channel == PC_TICKER)
		market_ticker_now(sm, c, mk);
}

static void
unsubscribe(struct conn *c, struct proto_msg *m)
{
	int i = conn_subscribed(c, m->channel, m->symbol,
	    m->channel == PC_KLINE ? m->interval : 0);

	if (i < 0) {
		reply(c, m, "error", "NOT_FOUND", "not subscribed");
		return;
	}
	topic_leave(topic_of(c->sm, m->channel, m->symbol, c->subs[i].interval),
	    c, i);
	c->subs[i] = c->subs[--c->nsubs];
	reply(c, m, "unsubscribed", NULL, NULL);
}

/* A token bucket per connection: rate a second, burst at most. */
static int
rate_ok(struct conn *c)
{
	struct streamer *sm = c->sm;
	int64_t now = util_now_ms();

	c->tokens += (double)(now - c->tokens_ms) * sm->rate / 1000.0;
	c->tokens_ms = now;
	/*
	 * Whole again: the client has been quiet long enough, and its
	 * refusals are forgiven. A message let through now and then does
	 * not forgive a flood that goes on.
	 */
	if (c->tokens >= sm->burst) {
		c->tokens = sm->burst;
		c->over = 0;
	}
	if (c->tokens < 1.0)
		return 0;
	c->tokens -= 1.0;
	return 1;
}

void
conn_receive(struct conn *c, const char *buf, size_t len)
{
	struct proto_msg m;
	const char *why;

	if (!rate_ok(c)) {
		/* A client that goes on regardless is cut off. */
		if (++c->over > c->sm->burst)
			conn_close_later(c, CLOSE_RATE_LIMIT, "too many messages");
		else
			reply(c, NULL, "error", "RATE_LIMIT_EXCEEDED",
			    "too many messages; slow down");
		return;
	}
	if (proto_msg_parse(buf, len, &m, &why) == -1) {
		reply(c, &m, "error", "INVALID_REQUEST", why);
		return;
	}
	switch (m.method) {
	case PM_PING:
		reply(c, &m, "pong", NULL, NULL);
		break;
	case PM_LIST:
		list_reply(c, &m);
		break;
	case PM_SUBSCRIBE:
		subscribe(c, &m);
		break;
	case PM_UNSUBSCRIBE:
		unsubscribe(c, &m);
		break;
	}
	/* Tokens can be long: none stays on the stack. */
	explicit_bzero(&m.auth, sizeof(m.auth));
}
