/* domain/matcher_link.c — the order service's end of the matcher: its socket, its wake-up call, its word back */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/channels.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/log.h"
#include "core/mc.h"
#include "core/util.h"
#include "domain/matcher_link.h"

/* Connections kept: one per market the process has sent orders to. */
#define LINKS_MAX	16

enum { ST_NOTIFY, ST__COUNT };

static const struct stmt stmts[] = {
	/*
	 * The wake-up call travels in a transaction of its own that need not
	 * reach the disk: NOTIFY serialises committing transactions on a
	 * global lock, which must not be held across a WAL flush.
	 */
	[ST_NOTIFY] = { "mlink_notify",
	  "SELECT set_config('synchronous_commit', 'off', true),"
	  " pg_notify('" CHAN_INBOX "', $1)", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "matcher link statements");

/*
 * Per-process state like the connection itself: the sockets, and the
 * reply channel with the backend that listens on it.
 */
static struct {
	char	 symbol[24];
	int	 fd;
} links[LINKS_MAX];

static struct {
	char	 channel[40];
} reply;

static void
link_drop(size_t i)
{
	if (links[i].fd > 0)
		close(links[i].fd);
	links[i].fd = 0;
	links[i].symbol[0] = '\0';
}

const char *
mlink_socket_dir(void)
{
	const char *dir = cfg_get(CHAN_SOCKET_DIR_KEY, NULL);

	return dir != NULL && *dir != '\0' ? dir : NULL;
}

/* The slot of a connected socket to the matcher of symbol, or -1. */
static int
link_get(const char *symbol)
{
	struct sockaddr_un sa;
	const char *dir = mlink_socket_dir();
	size_t i, slot = 0;
	int fd;

	if (dir == NULL)
		return -1;
	for (i = 0; i < LINKS_MAX; i++) {
		if (links[i].fd > 0 && strcmp(links[i].symbol, symbol) == 0)
			return (int)i;
		if (links[i].fd <= 0)
			slot = i;
	}
	if (links[slot].fd > 0)
		link_drop(slot);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir,
	    symbol) >= sizeof(sa.sun_path))
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	/* No matcher listening (restarting, or none for this market). */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	links[slot].fd = fd;
	snprintf(links[slot].symbol, sizeof(links[slot].symbol), "%s", symbol);
	return (int)slot;
}

/* Read one answer line (without its newline); the arena frees it. */
static int
link_read(int fd, struct arena *a, int timeout_ms, char **line)
{
	int64_t deadline = util_mono_ms() + timeout_ms, left;
	struct buf b = BUF_INIT(CHAN_ANSWER_MAX);
	struct pollfd pfd;
	ssize_t n;
	char *nl;
	int rc;

	for (;;) {
		if ((left = deadline - util_mono_ms()) <= 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if ((rc = poll(&pfd, 1, (int)left)) == 0)
			break;
		if (rc == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (buf_reserve(&b, 4096) == -1)
			break;
		if ((n = read(fd, b.p + b.len, b.cap - b.len - 1)) == -1 &&
		    (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;
		b.len += (size_t)n;
		b.p[b.len] = '\0';
		if ((nl = memchr(b.p + b.len - n, '\n', (size_t)n)) != NULL) {
			/* One request in flight: nothing may follow. */
			if (nl != b.p + b.len - 1 ||
			    arena_defer(a, free, b.p) == -1)
				break;
			*nl = '\0';
			*line = b.p;
			return 0;
		}
	}
	buf_release(&b);
	return -1;
}

enum mlink_rc
mlink_send(const char *symbol, const char *line, struct arena *a,
    int timeout_ms, char **answer)
{
	size_t len = strlen(line);
	ssize_t n;
	int slot, tries;

	for (tries = 0; tries < 2; tries++) {
		if ((slot = link_get(symbol)) == -1)
			return MLINK_NOT_SENT;
		n = send(links[slot].fd, line, len, MSG_NOSIGNAL);
		if (n == (ssize_t)len)
			break;
		link_drop((size_t)slot);
		/* A matcher that went away since: its successor may listen. */
		if (n == -1 && (errno == EPIPE || errno == ECONNRESET))
			continue;
		return n <= 0 ? MLINK_NOT_SENT : MLINK_LOST;
	}
	if (tries == 2)
		return MLINK_NOT_SENT;
	if (link_read(links[slot].fd, a, timeout_ms, answer) == -1) {
		link_drop((size_t)slot);
		return MLINK_LOST;
	}
	return MLINK_ANSWERED;
}

/*
 * The matcher keeps CHAN_MC_BUSY SYMBOL in memcached while it polls its
 * inbox and deletes it before its last look at the inbox, so an order
 * committed before this check is either seen by that look or finds the
 * key gone. No key (or no memcached) means NOTIFY: the safe side.
 */
void
mlink_wake(struct ctx *c, const char *symbol)
{
	const char *p[1] = { symbol };
	char key[CHAN_MC_KEY_MAX], *v;
	size_t len;
	PGresult *res;

	snprintf(key, sizeof(key), "%s%s", CHAN_MC_BUSY, symbol);
	if (mc_fetch(c->arena, key, &v, &len) == 1)
		return;
	/* The matcher also polls: a lost wake-up costs latency, not orders. */
	if (db_query(c->db, c->arena, &stmts[ST_NOTIFY], p, &res) != ERR_OK)
		log_error("matcher not notified of %s", symbol);
}

/* Made once per process; listened to per connection (core/db.h). */
const char *
mlink_reply_channel(struct db *db)
{
	unsigned char rnd[8];

	if (reply.channel[0] == '\0') {
		if (util_random(rnd, sizeof(rnd)) == -1)
			return NULL;
		memcpy(reply.channel, CHAN_REPLY_PREFIX,
		    sizeof(CHAN_REPLY_PREFIX) - 1);
		util_hex(rnd, sizeof(rnd),
		    reply.channel + sizeof(CHAN_REPLY_PREFIX) - 1);
	}
	return db_listen(db, reply.channel) == ERR_OK ? reply.channel : NULL;
}

/*
 * Take what notifications have arrived; 1 if one is about the order. Its
 * payload is the order's public id, and after it a refusal when the
 * matcher rejected the order: that goes to word.
 */
static int
notified(PGconn *c, const char *public_id, char *word, size_t wordsz)
{
	size_t len = strlen(public_id);
	PGnotify *n;
	int hit = 0;

	while ((n = PQnotifies(c)) != NULL) {
		if (strcmp(n->relname, reply.channel) == 0 &&
		    strncmp(n->extra, public_id, len) == 0 &&
		    (n->extra[len] == '\0' || n->extra[len] == ' ')) {
			hit = 1;
			if (n->extra[len] == ' ')
				snprintf(word, wordsz, "%s", n->extra + len + 1);
		}
		PQfreemem(n);
	}
	return hit;
}

/* The waiting itself: 1 the word came, 0 timed out, -1 connection trouble. */
static int
word_wait(PGconn *c, const char *public_id, int timeout_ms, char *word,
    size_t wordsz)
{
	struct pollfd pfd;
	int64_t deadline = util_mono_ms() + timeout_ms, left;

	for (;;) {
		if (PQconsumeInput(c) == 0)
			return -1;
		if (notified(c, public_id, word, wordsz))
			return 1;
		if ((left = deadline - util_mono_ms()) <= 0)
			return 0;
		pfd.fd = PQsocket(c);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			return -1;
	}
}

int
mlink_wait(struct db *db, const char *public_id, int timeout_ms, char *word,
    size_t wordsz)
{
	int rc = -1;

	if (wordsz > 0)
		word[0] = '\0';
	if (db_listening(db))
		rc = word_wait(db_conn(db), public_id, timeout_ms, word, wordsz);
	db_unlisten(db);
	return rc;
}
