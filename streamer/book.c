/* streamer/book.c — each market's order book, kept from the feed's deltas: snapshots and updates for its subscribers, cut to the depth each asked for */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/log.h"
#include "core/mc.h"
#include "core/util.h"
#include "streamer/streamer.h"


/* Set one level (qty zero: remove); bids best (highest) first. */
static void
level_set(struct market *mk, int s, const char *p, const char *q)
{
	struct level *lv = mk->side[s];
	size_t i, n = mk->n[s];
	int c = 1;

	for (i = 0; i < n; i++) {
		c = proto_amount_cmp(p, lv[i].p);
		if (c == 0 || (s == 0 ? c > 0 : c < 0))
			break;
	}
	if (i < n && c == 0) {
		if (proto_amount_zero(q)) {
			memmove(&lv[i], &lv[i + 1], (n - i - 1) * sizeof(*lv));
			mk->n[s]--;
		} else
			snprintf(lv[i].q, sizeof(lv[i].q), "%s", q);
		return;
	}
	if (proto_amount_zero(q) || i == BOOK_LEVELS)
		return;
	if (n == BOOK_LEVELS)
		n--;
	memmove(&lv[i + 1], &lv[i], (n - i) * sizeof(*lv));
	snprintf(lv[i].p, sizeof(lv[i].p), "%s", p);
	snprintf(lv[i].q, sizeof(lv[i].q), "%s", q);
	mk->n[s] = n + 1;
}

/* One level, [price, quantity], onto an array of them. */
static void
level_add(struct json_object *a, const char *p, const char *q)
{
	struct json_object *pair = json_object_new_array();

	json_object_array_add(pair, json_object_new_string(p));
	json_object_array_add(pair, json_object_new_string(q));
	json_object_array_add(a, pair);
}

static struct json_object *
levels_json(const struct market *mk, int s, size_t max)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < mk->n[s] && i < max; i++)
		level_add(a, mk->side[s][i].p, mk->side[s][i].q);
	return a;
}

/* An orderbook message of type ("snapshot", "update") around data (taken). */
static struct msg *
book_msg(struct streamer *sm, struct market *mk, const char *type,
    struct json_object *d)
{
	struct json_object *o = json_object_new_object();
	const char *text;
	struct msg *m;

	json_object_object_add(o, "channel", json_object_new_string("orderbook"));
	json_object_object_add(o, "event", json_object_new_string("orderbook"));
	json_object_object_add(o, "symbol", json_object_new_string(mk->symbol));
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(d, "timestamp", json_object_new_int64(sm->now_ms));
	json_object_object_add(o, "data", d);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	m = msg_new(text, strlen(text));
	json_object_put(o);
	return m;
}

static struct msg *
snapshot_msg(struct streamer *sm, struct market *mk, int depth)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "lastUpdateId", json_object_new_int64(mk->u));
	json_object_object_add(d, "bids", levels_json(mk, 0, (size_t)depth));
	json_object_object_add(d, "asks", levels_json(mk, 1, (size_t)depth));
	return book_msg(sm, mk, "snapshot", d);
}

static void
snapshot_send(struct streamer *sm, struct conn *c, struct market *mk, int depth)
{
	struct msg *m;

	if ((m = snapshot_msg(sm, mk, depth)) != NULL)
		conn_send(c, m);
	msg_unref(m);
}

/* The depth a subscriber of the book asked for. */
static int
depth_of(const struct conn *c, const struct market *mk)
{
	int d = c->subs[conn_subscribed(c, PC_ORDERBOOK, mk->symbol, 0)].depth;

	return d < 1 || d > BOOK_LEVELS ? BOOK_LEVELS : d;
}

/* What the book is now, every subscriber now has (cut to its depth). */
static void
book_sent(struct market *mk)
{
	memcpy(mk->prev, mk->side, sizeof(mk->prev));
	mk->nprev[0] = mk->n[0];
	mk->nprev[1] = mk->n[1];
	mk->sent_u = mk->u;
}

/*
 * A (new) snapshot for every subscriber: after a resynchronisation. One
 * message a depth asked for, shared by its subscribers.
 */
static void
snapshot_all(struct streamer *sm, struct market *mk)
{
	struct topic *t = &mk->topics[PC_ORDERBOOK];
	struct msg *bydepth[BOOK_LEVELS + 1];
	struct conn *c;
	unsigned i;
	int d;

	memset(bydepth, 0, sizeof(bydepth));
	for (i = 0; i < t->n; i++) {
		c = t->v[i];
		d = depth_of(c, mk);
		if (bydepth[d] == NULL &&
		    (bydepth[d] = snapshot_msg(sm, mk, d)) == NULL)
			continue;
		conn_send(c, bydepth[d]);
	}
	for (d = 0; d <= BOOK_LEVELS; d++) {
		msg_unref(bydepth[d]);
		mk->depth_u[d] = mk->u;
	}
	book_sent(mk);
}

void
market_book_snapshot(struct streamer *sm, struct conn *c, struct market *mk,
    int depth)
{
	/* Not in step with the matcher yet: the snapshot follows the sync. */
	if (mk->synced)
		snapshot_send(sm, c, mk, depth);
}

/* Levels of a delta line (tokens 3.. as triples) into the book. */
static void
delta_apply(struct market *mk, const struct proto_line *l)
{
	size_t i;

	for (i = 3; i + 2 < l->ntok; i += 3)
		level_set(mk, l->tok[i][0] == 'b' ? 0 : 1, l->tok[i + 1],
		    l->tok[i + 2]);
}

static void
pending_clear(struct market *mk)
{
	size_t i;

	for (i = 0; i < mk->npending; i++)
		free(mk->pending[i]);
	mk->npending = 0;
}

/* The depth snapshot the matcher published to memcached (the REST one). */
static int
snapshot_load(struct streamer *sm, struct market *mk)
{
	struct json_object *o, *v, *a, *pair;
	char key[CHAN_MC_KEY_MAX];
	const char *s[2] = { "bids", "asks" };
	char *text;
	size_t len, i;
	int side, rc = -1;

	snprintf(key, sizeof(key), "%s%s", CHAN_MC_DEPTH, mk->symbol);
	arena_reset(sm->arena);
	if ((text = mc_get(sm->arena, key, &len)) == NULL ||
	    (o = json_tokener_parse(text)) == NULL)
		return -1;
	if (!json_object_object_get_ex(o, "lastUpdateId", &v))
		goto out;
	mk->u = json_object_get_int64(v);
	for (side = 0; side < 2; side++) {
		mk->n[side] = 0;
		if (!json_object_object_get_ex(o, s[side], &a) ||
		    !json_object_is_type(a, json_type_array))
			goto out;
		for (i = 0; i < json_object_array_length(a) && i < BOOK_LEVELS; i++) {
			pair = json_object_array_get_idx(a, i);
			snprintf(mk->side[side][i].p, AMOUNT_MAX, "%s",
			    json_object_get_string(json_object_array_get_idx(pair, 0)));
			snprintf(mk->side[side][i].q, AMOUNT_MAX, "%s",
			    json_object_get_string(json_object_array_get_idx(pair, 1)));
			mk->n[side]++;
		}
	}
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

/*
 * Binance's procedure, on our side: the published snapshot at L, then the
 * held deltas past it, the first of which must cover L + 1. A snapshot
 * older than what is held is tried again at the next delta or tick.
 */
void
book_resync(struct streamer *sm, struct market *mk)
{
	struct proto_line l;
	char *line;
	size_t i;

	if (snapshot_load(sm, mk) == -1)
		return;
	for (i = 0; i < mk->npending; i++) {
		if ((line = strdup(mk->pending[i])) == NULL ||
		    proto_line_parse(line, &l) == -1) {
			free(line);
			continue;
		}
		if (strtoll(l.tok[2], NULL, 10) > mk->u) {
			if (strtoll(l.tok[1], NULL, 10) > mk->u + 1) {
				free(line);
				return;
			}
			delta_apply(mk, &l);
			mk->u = strtoll(l.tok[2], NULL, 10);
		}
		free(line);
	}
	pending_clear(mk);
	mk->synced = 1;
	/* The new snapshot is where the next update starts from. */
	snapshot_all(sm, mk);
}

static void
pending_add(struct market *mk, const struct proto_line *l)
{
	char buf[CHAN_FEED_DGRAM_MAX];
	size_t i, n = 0;

	if (mk->npending == PENDING_MAX) {
		free(mk->pending[0]);
		memmove(&mk->pending[0], &mk->pending[1],
		    (PENDING_MAX - 1) * sizeof(mk->pending[0]));
		mk->npending--;
	}
	n = (size_t)snprintf(buf, sizeof(buf), "D");
	for (i = 0; i < l->ntok && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s", l->tok[i]);
	if (n < sizeof(buf) && (mk->pending[mk->npending] = strdup(buf)) != NULL)
		mk->npending++;
}

/*
 * The levels among the best depth of side s that differ between the book
 * as last sent and now, each at its quantity now ("0": out of the
 * window, taken or pushed beyond the depth).
 */
static struct json_object *
window_diff(const struct market *mk, int s, size_t depth)
{
	const struct level *was = mk->prev[s], *now = mk->side[s];
	size_t nw = mk->nprev[s] < depth ? mk->nprev[s] : depth;
	size_t nn = mk->n[s] < depth ? mk->n[s] : depth;
	struct json_object *a = json_object_new_array();
	size_t i = 0, j = 0;
	int c;

	while (i < nw || j < nn) {
		if (i == nw)
			c = 1;
		else if (j == nn)
			c = -1;
		else if ((c = proto_amount_cmp(was[i].p, now[j].p)) != 0)
			/* -1: was[i] comes first (bids best, highest, first). */
			c = (s == 0) == (c > 0) ? -1 : 1;
		if (c < 0)
			level_add(a, was[i++].p, "0");
		else if (c > 0) {
			level_add(a, now[j].p, now[j].q);
			j++;
		} else {
			if (proto_amount_cmp(was[i].q, now[j].q) != 0)
				level_add(a, now[j].p, now[j].q);
			i++;
			j++;
		}
	}
	return a;
}

/*
 * The update for the subscribers of one depth, from the last u they were
 * sent to u; empty when nothing in their window moved.
 */
static struct msg *
update_msg(struct streamer *sm, struct market *mk, int depth)
{
	struct json_object *d, *bids, *asks;

	bids = window_diff(mk, 0, (size_t)depth);
	asks = window_diff(mk, 1, (size_t)depth);
	d = json_object_new_object();
	json_object_object_add(d, "U", json_object_new_int64(mk->depth_u[depth] + 1));
	json_object_object_add(d, "u", json_object_new_int64(mk->u));
	json_object_object_add(d, "bids", bids);
	json_object_object_add(d, "asks", asks);
	return book_msg(sm, mk, "update", d);
}

/*
 * The book's moves since it was last sent, one update a depth subscribed
 * (shared by its subscribers): a client that applies it to its copy has
 * the best levels it asked for at u. A client about to join at depth
 * join (0: none) is sent a snapshot at u next, so that the first update
 * it sees starts at the snapshot's lastUpdateId + 1.
 */
static void
delta_flush(struct streamer *sm, struct market *mk, int join)
{
	struct topic *t = &mk->topics[PC_ORDERBOOK];
	struct msg *bydepth[BOOK_LEVELS + 1];
	char asked[BOOK_LEVELS + 1];
	int moved = mk->u > mk->sent_u, d;
	struct conn *c;
	unsigned i;

	if (!moved && join == 0)
		return;
	memset(bydepth, 0, sizeof(bydepth));
	memset(asked, 0, sizeof(asked));
	for (i = 0; i < t->n; i++) {
		c = t->v[i];
		d = depth_of(c, mk);
		if (!asked[d]) {
			asked[d] = 1;
			/*
			 * Every depth hears of every move, if only by an
			 * empty update: a client's last u is then the book's,
			 * REST's lastUpdateId, whatever depth it took.
			 */
			if (moved || mk->depth_u[d] < mk->u)
				bydepth[d] = update_msg(sm, mk, d);
		}
		if (bydepth[d] != NULL)
			conn_send(c, bydepth[d]);
	}
	for (d = 0; d <= BOOK_LEVELS; d++)
		if (bydepth[d] != NULL) {
			msg_unref(bydepth[d]);
			mk->depth_u[d] = mk->u;
		}
	/* A depth no one had yet starts at the joining client's snapshot. */
	if (join > 0 && join <= BOOK_LEVELS && !asked[join])
		mk->depth_u[join] = mk->u;
	book_sent(mk);
}

/*
 * Before a client joins a book's subscribers at depth: what moved goes out
 * to the others, so that the client's snapshot is at the last u sent and
 * its first update's U is the snapshot's lastUpdateId + 1, as documented.
 */
void
market_book_settle(struct streamer *sm, struct market *mk, int depth)
{
	if (mk->synced)
		delta_flush(sm, mk, depth);
}

/* Conflated updates, every ws_depth_interval_ms: those of changed books. */
void
market_flush(struct streamer *sm)
{
	size_t i;

	for (i = 0; i < sm->nmk; i++)
		if (sm->mk[i].synced)
			delta_flush(sm, &sm->mk[i], 0);
}

void
book_line(struct streamer *sm, struct market *mk, struct proto_line *l)
{
	int64_t U = strtoll(l->tok[1], NULL, 10), u = strtoll(l->tok[2], NULL, 10);

	if (!mk->synced) {
		pending_add(mk, l);
		book_resync(sm, mk);
		return;
	}
	if (u <= mk->u)
		return;
	if (U > mk->u + 1) {
		log_info("streamer: %s book gap (%lld after %lld): resync",
		    mk->symbol, (long long)U, (long long)mk->u);
		/* What was held is sound up to the gap: it goes first. */
		delta_flush(sm, mk, 0);
		mk->synced = 0;
		pending_add(mk, l);
		book_resync(sm, mk);
		return;
	}
	/* Our updates chain without a hole, whatever the matcher's U was. */
	delta_apply(mk, l);
	mk->u = u;
	if (sm->depth_ms == 0)
		delta_flush(sm, mk, 0);
}

void
market_lost(struct streamer *sm)
{
	size_t i;

	for (i = 0; i < sm->nmk; i++) {
		if (sm->mk[i].synced)
			delta_flush(sm, &sm->mk[i], 0);
		sm->mk[i].synced = 0;
	}
}
