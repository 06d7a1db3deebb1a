/* streamer/main.c — the WebSocket streamer: /ws on libwebsockets, fed by the matcher's committed batches and the outbox */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "streamer/streamer.h"

#define TICK_US		(100 * LWS_US_PER_MS)
#define FEED_RCVBUF	(8 << 20)
#define FEED_BURST	8	/* datagrams per wake-up */
#define FEED_EVERY	64	/* client writes between two looks at the feed */
#define STATS_MS	10000	/* how often a fed streamer logs its pace */

static volatile sig_atomic_t	stopping;

static void
on_term(int sig)
{
	(void)sig;
	stopping = 1;
}

/* One datagram of the feed: a gap in its number means some were lost. */
static void
feed_datagram(struct streamer *sm, char *buf)
{
	struct proto_line l;
	char *line, *nl;
	int64_t ts = 0, epoch, n;

	for (line = buf; line != NULL && *line != '\0'; line = nl) {
		if ((nl = strchr(line, '\n')) != NULL)
			*nl++ = '\0';
		if (proto_line_parse(line, &l) == -1)
			continue;
		if (l.kind == 'F') {
			if (strtol(l.tok[0], NULL, 10) != CHAN_FEED_VERSION)
				return;
			epoch = strtoll(l.tok[1], NULL, 10);
			n = strtoll(l.tok[2], NULL, 10);
			ts = strtoll(l.tok[3], NULL, 10);
			if (epoch == sm->feed_epoch && n != sm->feed_n + 1) {
				sm->feed_lost += n - sm->feed_n - 1;
				log_info("streamer: %lld feed datagrams lost",
				    (long long)(n - sm->feed_n - 1));
				market_lost(sm);
			}
			sm->feed_epoch = epoch;
			sm->feed_n = n;
			sm->ndgram++;
			if (sm->nlag < LAG_SAMPLES)
				sm->lag[sm->nlag++] = (int32_t)(util_now_ms() - ts);
		} else if (l.kind == 'O' || l.kind == 'B')
			private_line(sm, &l, ts);
		else
			market_line(sm, &l, ts);
	}
}

static void
feed_readable(struct streamer *sm)
{
	char *buf = sm->feed_buf;
	ssize_t n;
	int k = 0;

	sm->now_ms = util_now_ms();
	/*
	 * A few datagrams at a time, then back to the loop: clients' writes
	 * must go on while the matcher sends faster than they can take it
	 * (the matcher then queues; past its bound it drops: a gap).
	 */
	while (k++ < FEED_BURST &&
	    (n = recv(sm->feed_fd, buf, CHAN_FEED_DGRAM_MAX, MSG_DONTWAIT)) > 0) {
		buf[n] = '\0';
		feed_datagram(sm, buf);
	}
}

static int
feed_bind(struct streamer *sm, const char *path)
{
	struct sockaddr_un sa;
	int fd, sz = FEED_RCVBUF;

	if (path == NULL || strlen(path) >= sizeof(sa.sun_path)) {
		log_error("streamer: no usable %s setting", CHAN_FEED_KEY);
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) == -1)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz));
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	(void)unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		log_error("streamer: bind %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	/* Only the matcher (the same user) writes to it. */
	(void)chmod(path, 0600);
	sm->feed_fd = fd;
	return 0;
}

/*
 * The pace, as the matcher logs its own: how long a batch's datagram
 * took from the batch's start (its trades' timestamp) to us, that is the
 * matcher's work, its commit and the socket. A client's latency less
 * this is our share.
 */
static void
stats_log(struct streamer *sm)
{
	size_t n = sm->nlag;

	if (sm->stats_ms != 0 && sm->ndgram > 0) {
		util_sort_i32(sm->lag, n);
		log_info("streamer: %ld datagrams in %.1f s, batch to streamer"
		    " p50 %d ms, p99 %d ms, max %d ms; %ld messages queued to"
		    " %zu clients; %ld datagrams lost", sm->ndgram,
		    (double)(sm->now_ms - sm->stats_ms) / 1000.0,
		    n ? sm->lag[n / 2] : 0, n ? sm->lag[n * 99 / 100] : 0,
		    n ? sm->lag[n - 1] : 0, sm->sent, sm->nconns, sm->feed_lost);
	}
	sm->stats_ms = sm->now_ms;
	sm->ndgram = 0;
	sm->nlag = 0;
	sm->sent = 0;
	sm->feed_lost = 0;
}

static void
tick(lws_sorted_usec_list_t *sul)
{
	struct streamer *sm = lws_container_of(sul, struct streamer, tick);

	sm->now_ms = util_now_ms();
	if (sm->now_ms - sm->stats_ms >= STATS_MS)
		stats_log(sm);
	market_tick(sm);
	private_tick(sm);
	if (sm->pg == NULL && sm->now_ms >= sm->pg_retry_ms &&
	    outbox_open(sm) == -1)
		sm->pg_retry_ms = sm->now_ms + 2000;
	lws_sul_schedule(sm->ctx, 0, &sm->tick, tick, TICK_US);
}

/* The order books' conflated deltas, every ws_depth_interval_ms. */
static void
depth_tick(lws_sorted_usec_list_t *sul)
{
	struct streamer *sm = lws_container_of(sul, struct streamer, depth_tick);

	sm->now_ms = util_now_ms();
	market_flush(sm);
	lws_sul_schedule(sm->ctx, 0, &sm->depth_tick, depth_tick,
	    (lws_usec_t)sm->depth_ms * LWS_US_PER_MS);
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct streamer *sm = lws_context_user(lws_get_context(wsi));
	struct conn *c = user;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		memset(c, 0, sizeof(*c));
		/* Room grows with use: 10,000 idle clients stay small. */
		c->qcap = sm->queue_max < QUEUE_CAP0 ? (unsigned)sm->queue_max :
		    QUEUE_CAP0;
		if ((c->q = calloc(c->qcap, sizeof(*c->q))) == NULL ||
		    (c->subs = calloc((size_t)sm->subs_max, sizeof(*c->subs))) ==
		    NULL) {
			free(c->q);
			c->q = NULL;
			return -1;
		}
		c->wsi = wsi;
		c->sm = sm;
		/*
		 * The kernel's share of a client's backlog is bounded too: a
		 * client that stops reading fills our queue soon, and 10,000
		 * clients cannot pin gigabytes of socket buffers.
		 */
		(void)setsockopt(lws_get_socket_fd(wsi), SOL_SOCKET, SO_SNDBUF,
		    &sm->sndbuf, sizeof(sm->sndbuf));
		c->tokens = sm->burst;
		c->tokens_ms = util_now_ms();
		c->next = sm->conns;
		if (sm->conns != NULL)
			sm->conns->prev = c;
		sm->conns = c;
		sm->nconns++;
		break;
	case LWS_CALLBACK_RECEIVE:
		sm->now_ms = util_now_ms();
		if (lws_frame_is_binary(wsi)) {
			conn_send_text(c, "{\"event\":\"error\",\"error\":{\"code\":"
			    "\"INVALID_REQUEST\",\"message\":\"text frames only\"}}");
			break;
		}
		/* A message in more than one piece is longer than we take. */
		if (!lws_is_final_fragment(wsi) || !lws_is_first_fragment(wsi)) {
			conn_close_later(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
			    "message too long");
			break;
		}
		conn_receive(c, in, len);
		break;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		/*
		 * The feed first: a pass over thousands of writable clients
		 * must not leave the matcher's datagrams waiting behind it.
		 */
		if (++sm->writes % FEED_EVERY == 0)
			feed_readable(sm);
		return conn_writable(c);
	case LWS_CALLBACK_CLOSED:
		if (c->q != NULL)
			conn_gone(c);
		break;
	default:
		break;
	}
	return 0;
}

static int
raw_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	struct streamer *sm = lws_context_user(lws_get_context(wsi));

	(void)user;
	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (wsi == sm->pg_wsi)
			outbox_readable(sm);
		else
			feed_readable(sm);
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (wsi == sm->pg_wsi)
			outbox_lost(sm);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "hzm", ws_callback, sizeof(struct conn), PROTO_MSG_MAX, 0, NULL, 0 },
	{ "hzm-feed", raw_callback, 0, 0, 0, NULL, 0 },
	{ "hzm-outbox", raw_callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static struct lws_context *
context_new(struct streamer *sm)
{
	struct lws_context_creation_info info;

	memset(&info, 0, sizeof(info));
	/* Heartbeats: a PING after ws_ping_seconds of silence, closed after ws_idle_seconds. */
	sm->retry.secs_since_valid_ping = (uint16_t)cfg_int("ws_ping_seconds", 20);
	sm->retry.secs_since_valid_hangup = (uint16_t)cfg_int("ws_idle_seconds", 60);
	/* A credential REST has stopped taking ends its subscriptions within this. */
	sm->recheck_ms = (int64_t)cfg_int("ws_auth_recheck_seconds", 5) * 1000;
	info.port = (int)cfg_int("streamer_port", 8090);
	info.iface = cfg_get("streamer_bind", "127.0.0.1");
	info.protocols = protocols;
	info.user = sm;
	info.retry_and_idle_policy = &sm->retry;
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6 |
	    LWS_SERVER_OPTION_VALIDATE_UTF8;
	info.fd_limit_per_thread = (unsigned)cfg_int("ws_max_connections", 20000) + 64;
	info.max_http_header_data = 4096;
	info.timeout_secs = 10;
	return lws_create_context(&info);
}

static int
settings(struct streamer *sm)
{
	sm->queue_max = (int)cfg_int("ws_queue_max", 1024);
	sm->sndbuf = (int)cfg_int("ws_socket_buffer", 65536);
	sm->queue_bytes = (size_t)cfg_int("ws_queue_bytes", 4 << 20);
	sm->subs_max = (int)cfg_int("ws_max_subscriptions", 20);
	sm->rate = (int)cfg_int("ws_messages_per_second", 10);
	sm->burst = (int)cfg_int("ws_messages_burst", 20);
	/* Market data conflated as large exchanges do (Binance's depth@100ms). */
	sm->depth_ms = (int)cfg_int("ws_depth_interval_ms", 100);
	sm->ticker_ms = (int)cfg_int("ws_ticker_interval_ms", 1000);
	sm->kline_ms = (int)cfg_int("ws_kline_interval_ms", 1000);
	if (sm->queue_max < 1 || sm->subs_max < 1 || sm->subs_max > SUBS_MAX_HARD ||
	    sm->rate < 1 || sm->burst < 1 || sm->depth_ms < 0 ||
	    sm->depth_ms > 60000 || sm->ticker_ms < 0 || sm->kline_ms < 0)
		return -1;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct streamer sm;
	lws_sock_file_fd_type fd;
	struct sigaction sa;

	memset(&sm, 0, sizeof(sm));
	sm.feed_fd = -1;
	if (cfg_load(argc == 3 && strcmp(argv[1], "-c") == 0 ? argv[2] : NULL) == -1)
		fprintf(stderr, "streamer: configuration has errors\n");
	if (log_open(cfg_get("log", "-"), "streamer") == -1)
		fprintf(stderr, "streamer: cannot open the log\n");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(LLL_ERR, NULL);
	if (settings(&sm) == -1 || (sm.arena = arena_new()) == NULL ||
	    (sm.feed_buf = malloc(CHAN_FEED_DGRAM_MAX + 1)) == NULL ||
	    (sm.wbuf = malloc(LWS_PRE + WRITE_MAX)) == NULL ||
	    (sm.db = db_new(cfg_get("db", "dbname=hzm"))) == NULL ||
	    markets_load(&sm) == -1 ||
	    feed_bind(&sm, cfg_get(CHAN_FEED_KEY, NULL)) == -1 ||
	    (sm.ctx = context_new(&sm)) == NULL ||
	    (sm.vh = lws_get_vhost_by_name(sm.ctx, "default")) == NULL) {
		log_error("streamer: start-up failed");
		return 1;
	}
	fd.filefd = sm.feed_fd;
	if (lws_adopt_descriptor_vhost(sm.vh, LWS_ADOPT_RAW_FILE_DESC, fd,
	    "hzm-feed", NULL) == NULL) {
		log_error("streamer: cannot watch the feed");
		return 1;
	}
	(void)outbox_open(&sm);
	lws_sul_schedule(sm.ctx, 0, &sm.tick, tick, TICK_US);
	if (sm.depth_ms > 0)
		lws_sul_schedule(sm.ctx, 0, &sm.depth_tick, depth_tick,
		    (lws_usec_t)sm.depth_ms * LWS_US_PER_MS);
	log_info("streamer: %zu markets, port %lld", sm.nmk,
	    cfg_int("streamer_port", 8090));
	while (!stopping)
		if (lws_service(sm.ctx, 0) < 0)
			break;
	log_info("streamer stopping");
	lws_context_destroy(sm.ctx);
	db_free(sm.db);
	arena_free(sm.arena);
	free(sm.feed_buf);
	free(sm.wbuf);
	return 0;
}
