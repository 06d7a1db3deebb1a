/* streamer/topic.c — who listens to what: each public stream's subscribers and each user's connections, kept as they change */
#include <stdlib.h>
#include <string.h>

#include "streamer/streamer.h"

#define TOPIC_CAP0	16

/*
 * A message goes to a topic's array of connections, not to a walk over
 * every connection: with 10,000 clients and hundreds of feed lines a
 * second, the walk (a cache miss a connection) cost more than the writes.
 */
struct topic *
topic_of(struct streamer *sm, enum proto_channel ch, const char *symbol,
    int interval)
{
	struct market *mk;

	if (PROTO_PRIVATE(ch) || (mk = market_find(sm, symbol)) == NULL)
		return NULL;
	if (ch != PC_KLINE)
		return &mk->topics[ch];
	if (interval < 0 || interval >= KLINE_INTERVALS)
		return NULL;
	return &mk->topics[PC_KLINE + interval];
}

int
topic_join(struct topic *t, struct conn *c, int sub)
{
	struct conn **v;
	unsigned cap;

	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : TOPIC_CAP0;
		if ((v = realloc(t->v, cap * sizeof(*v))) == NULL)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	c->subs[sub].pos = t->n;
	t->v[t->n++] = c;
	return 0;
}

/* The last subscriber takes the leaver's place, and learns where it is. */
void
topic_leave(struct topic *t, struct conn *c, int sub)
{
	const struct sub *s = &c->subs[sub];
	unsigned pos = s->pos;
	struct conn *last;
	int j;


	if (t == NULL || pos >= t->n || t->v[pos] != c)
		return;
	last = t->v[--t->n];
	if (last == c)
		return;
	t->v[pos] = last;
	if ((j = conn_subscribed(last, s->ch, s->symbol, s->interval)) >= 0)
		last->subs[j].pos = pos;
}

void
topic_send(struct topic *t, const char *text)
{
	struct msg *m;
	unsigned i;

	if (t == NULL || t->n == 0 || (m = msg_new(text, strlen(text))) == NULL)
		return;
	for (i = 0; i < t->n; i++)
		conn_send(t->v[i], m);
	msg_unref(m);
}

static size_t
user_bucket(int64_t user_id)
{
	return (size_t)((uint64_t)user_id * 0x9e3779b97f4a7c15ULL >> 52) %
	    USER_BUCKETS;
}

/* c->user_id is set: c joins its user's bucket. */
void
user_join(struct streamer *sm, struct conn *c)
{
	struct conn **head = &sm->users[user_bucket(c->user_id)];

	c->unext = *head;
	*head = c;
}

/* Before c->user_id is cleared. */
void
user_leave(struct streamer *sm, struct conn *c)
{
	struct conn **pp = &sm->users[user_bucket(c->user_id)];

	for (; *pp != NULL; pp = &(*pp)->unext)
		if (*pp == c) {
			*pp = c->unext;
			break;
		}
	c->unext = NULL;
}

/* The connections to look at for user_id: follow unext, check user_id. */
struct conn *
user_conns(struct streamer *sm, int64_t user_id)
{
	return sm->users[user_bucket(user_id)];
}
