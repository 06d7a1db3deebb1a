/* tests/bench/ws_load.c — many WebSocket clients on one market: idle memory per connection, fan-out rate, commit-to-receipt latency */
/*
 * usage: ws_load PORT SYMBOL CONNECTIONS SECONDS STREAMER_PID [CHANNELS]
 * CHANNELS: a comma-separated list of public channels each client
 * subscribes to (trade by default; kline is its 1m candles). Latency is
 * always measured on trades.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct cl {
	int	 fd;
	int	 up;		/* upgraded */
	int	 timed;		/* its trades' latency is sampled */
	char	 buf[65536];
	size_t	 len;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long
rss_kb(const char *pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtol(line + 6, NULL, 10);
	fclose(f);
	return kb;
}

static void
frame_send(int fd, const char *text)
{
	unsigned char f[512];
	size_t n = strlen(text), i;

	f[0] = 0x81;
	f[1] = (unsigned char)(0x80 | n);
	memset(f + 2, 0x5a, 4);
	for (i = 0; i < n; i++)
		f[6 + i] = (unsigned char)text[i] ^ 0x5a;
	if (write(fd, f, 6 + n) != (ssize_t)(6 + n))
		fprintf(stderr, "ws_load: short write\n");
}

struct counts {
	long	 msgs, closes, trades, books;
};

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Frames in c's buffer: count them, and the latency of trades on the
 * clients that are timed (spread evenly over all of them, so that the
 * samples do not run out on the first ones served).
 */
static void
frames(struct cl *c, struct counts *n, int64_t *lat, size_t *nlat,
    size_t caplat)
{
	size_t off = 0, len, hdr;
	const char *p;

	while (c->len - off >= 2) {
		unsigned char *b = (unsigned char *)c->buf + off;

		len = b[1] & 0x7f;
		hdr = 2;
		if (len == 126) {
			if (c->len - off < 4)
				break;
			len = (size_t)b[2] << 8 | b[3];
			hdr = 4;
		} else if (len == 127)
			break;
		if (c->len - off < hdr + len)
			break;
		n->msgs++;
		if ((b[0] & 0x0f) == 0x8)
			n->closes++;	/* 4008: the streamer found it too slow */
		if (len > 30 && memmem(b + hdr, 30, "\"channel\":\"orderbook\"", 21) != NULL)
			n->books++;
		if (len > 30 && memmem(b + hdr, 30, "\"channel\":\"trade\"", 17) != NULL) {
			n->trades++;
			if (c->timed && (p = memmem(b + hdr, len, "\"timestamp\":", 12)) != NULL &&
			    *nlat < caplat)
				lat[(*nlat)++] = now_ms() - strtoll(p + 12, NULL, 10);
		}
		off += hdr + len;
	}
	memmove(c->buf, c->buf + off, c->len - off);
	c->len -= off;
}

/*
 * SECONDS of receiving: every frame counted, the trades of timed clients
 * timed from their timestamp (their batch's start) to now.
 */
static void
measure(int ep, struct cl *cls, int up, int secs, size_t stride)
{
	struct epoll_event evs[256];
	struct counts cn = { 0, 0, 0, 0 };
	int64_t t_end = now_ms() + secs * 1000, *lat;
	size_t nlat = 0, caplat = 1 << 24;
	ssize_t r;
	int i, k;

	if ((lat = malloc(caplat * sizeof(*lat))) == NULL)
		return;
	while (now_ms() < t_end) {
		k = epoll_wait(ep, evs, 256, 100);
		for (i = 0; i < k; i++) {
			struct cl *c = &cls[evs[i].data.u32];

			r = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
			if (r == 0 || (r < 0 && errno != EAGAIN)) {
				/* Closed: out of the set, or it wakes every wait. */
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				continue;
			}
			if (r < 0)
				continue;
			c->len += (size_t)r;
			frames(c, &cn, lat, &nlat, caplat);
		}
	}
	qsort(lat, nlat, sizeof(*lat), cmp64);
	printf("fan-out: %ld messages in %d s: %.0f messages/s to %d clients"
	    " (%.0f/s trades, %.0f/s orderbook)\n", cn.msgs, secs,
	    (double)cn.msgs / secs, up, (double)cn.trades / secs,
	    (double)cn.books / secs);
	if (cn.closes > 0)
		printf("  %ld clients closed by the streamer (slow consumers)\n",
		    cn.closes);
	if (nlat > 0)
		printf("trade latency, batch time to receipt (1 client in %zu): p50 %lld ms, p99 %lld ms, max %lld ms (%zu samples)\n",
		    stride, (long long)lat[nlat / 2], (long long)lat[nlat * 99 / 100],
		    (long long)lat[nlat - 1], nlat);
	free(lat);
}

int
main(int argc, char *argv[])
{
	struct sockaddr_in sa;
	struct epoll_event ev, evs[256];
	struct cl *cls;
	char hs[512], sub[4][256], chans[128], *ch, *save;
	int n, i, j, k, ep, secs, up = 0, nsub = 0;
	long rss0, rss1;
	int64_t t0;
	size_t stride;
	ssize_t r;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: ws_load PORT SYMBOL CONNECTIONS SECONDS"
		    " STREAMER_PID [CHANNELS]\n");
		return 2;
	}
	n = atoi(argv[3]);
	secs = atoi(argv[4]);
	if ((cls = calloc((size_t)n, sizeof(*cls))) == NULL)
		return 1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	snprintf(hs, sizeof(hs), "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
	snprintf(chans, sizeof(chans), "%s", argc == 7 ? argv[6] : "trade");
	for (ch = strtok_r(chans, ",", &save); ch != NULL && nsub < 4;
	    ch = strtok_r(NULL, ",", &save))
		snprintf(sub[nsub++], sizeof(sub[0]), "{\"method\":\"SUBSCRIBE\","
		    "\"params\":{\"channel\":\"%s\",\"symbol\":\"%s\"%s}}", ch,
		    argv[2], strcmp(ch, "kline") == 0 ? ",\"interval\":\"1m\"" :
		    strcmp(ch, "orderbook") == 0 ? ",\"depth\":20" : "");
	/* At most ~1,000 clients timed: samples of every part of the sweep. */
	stride = n > 1000 ? (size_t)n / 1000 : 1;
	for (i = 0; i < n; i++)
		cls[i].timed = (size_t)i % stride == 0;
	ep = epoll_create1(0);
	rss0 = rss_kb(argv[5]);
	for (i = 0; i < n; i++) {
		if ((cls[i].fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    connect(cls[i].fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
			fprintf(stderr, "ws_load: connection %d: %s\n", i, strerror(errno));
			n = i;
			break;
		}
		if (write(cls[i].fd, hs, strlen(hs)) != (ssize_t)strlen(hs))
			fprintf(stderr, "ws_load: short write\n");
		fcntl(cls[i].fd, F_SETFL, O_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.u32 = (uint32_t)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, cls[i].fd, &ev);
	}
	/* Upgrades and subscriptions, then a quiet second for the memory. */
	t0 = now_ms();
	while (up < n && now_ms() - t0 < 60000) {
		k = epoll_wait(ep, evs, 256, 1000);
		for (i = 0; i < k; i++) {
			struct cl *c = &cls[evs[i].data.u32];
			char *e;

			r = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len - 1);
			if (r <= 0)
				continue;
			c->len += (size_t)r;
			c->buf[c->len] = '\0';
			if (!c->up && (e = strstr(c->buf, "\r\n\r\n")) != NULL) {
				c->up = 1;
				up++;
				c->len = 0;
				for (j = 0; j < nsub; j++)
					frame_send(c->fd, sub[j]);
			}
		}
	}
	sleep(2);
	/* The subscriptions' answers are not part of the figures. */
	for (i = 0; i < n; i++) {
		while (read(cls[i].fd, cls[i].buf, sizeof(cls[i].buf)) > 0)
			;
		cls[i].len = 0;
	}
	rss1 = rss_kb(argv[5]);
	printf("connections %d upgraded %d; streamer RSS %ld -> %ld KiB: %.1f KiB per idle connection\n",
	    n, up, rss0, rss1, up > 0 ? (double)(rss1 - rss0) / up : 0.0);
	printf("READY\n");
	fflush(stdout);
	measure(ep, cls, up, secs, stride);
	return 0;
}
