/* core/spool.c — a message dropped whole into a spool directory (the file transports of mail and SMS) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/spool.h"
#include "core/util.h"

int
spool_drop(struct arena *a, const char *dir, const char *id, const char *ext,
    const void *p, size_t len, char *why, size_t whysz)
{
	const char *b = p;
	char *tmp, *dst;
	size_t off = 0;
	ssize_t n;
	int fd, rc = -1;

	tmp = arena_printf(a, "%s/.%s.tmp", dir, id);
	dst = arena_printf(a, "%s/%lld-%s.%s", dir, (long long)util_now_ms(),
	    id, ext);
	if (tmp == NULL || dst == NULL) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0640)) == -1) {
		snprintf(why, whysz, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, b + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(why, whysz, "write: %s", strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1) {
		snprintf(why, whysz, "fsync: %s", strerror(errno));
		goto out;
	}
	n = close(fd);
	fd = -1;
	if (n == -1) {
		snprintf(why, whysz, "close: %s", strerror(errno));
		goto out;
	}
	if (rename(tmp, dst) == -1) {
		snprintf(why, whysz, "rename: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc == -1)
		unlink(tmp);
	return rc;
}
