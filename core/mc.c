/* core/mc.c — one libmemcached handle per process; every failure is reported, never fatal */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmemcached/memcached.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/mc.h"

static memcached_st	*mc;

/*
 * The "memcached" setting lists servers, comma-separated: host:port, or
 * the path of a unix socket (it starts with '/').  The stack uses a socket
 * that only its own users can open, where a TCP port would let any local
 * user read and write the cache (rate limits, the token deny-list).
 * Writes libmemcached's options for them to out, space-separated (its
 * parser refuses a trailing space); -1 if they do not fit or an entry is
 * malformed.
 */
int
mc_servers(const char *list, char *out, size_t outsz)
{
	size_t len = 0, n;
	int w;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	while (*list != '\0') {
		while (*list == ' ' || *list == ',')
			list++;
		if ((n = strcspn(list, ",")) == 0)
			break;
		while (n > 0 && list[n - 1] == ' ')
			n--;
		/* A quote or a space would end libmemcached's option early. */
		if (memchr(list, '"', n) != NULL || memchr(list, ' ', n) != NULL)
			return -1;
		w = snprintf(out + len, outsz - len, list[0] == '/' ?
		    "%s--SOCKET=\"%.*s\"" : "%s--SERVER=%.*s",
		    len > 0 ? " " : "", (int)n, list);
		if (w < 0 || (size_t)w >= outsz - len)
			return -1;
		len += (size_t)w;
		list += n;
	}
	return len > 0 ? 0 : -1;
}

/*
 * Short timeouts: a memcached that is down must cost a request
 * milliseconds, not seconds; callers decide what to do without it.
 */
static memcached_st *
mc_handle(void)
{
	static const char opts[] = " --CONNECT-TIMEOUT=200 --POLL-TIMEOUT=200 "
	    "--RETRY-TIMEOUT=2 --BINARY-PROTOCOL";
	const char *list = cfg_get("memcached", "127.0.0.1:11211");
	char conf[1536];
	size_t n;

	if (mc != NULL)
		return mc;
	if (mc_servers(list, conf, sizeof(conf) - sizeof(opts)) == -1) {
		log_error("memcached: cannot use server list \"%s\"", list);
		return NULL;
	}
	n = strlen(conf);
	memcpy(conf + n, opts, sizeof(opts));
	if ((mc = memcached(conf, strlen(conf))) == NULL)
		log_error("memcached configuration rejected: %s", conf);
	return mc;
}

int
mc_set(const char *key, const void *val, size_t len, time_t ttl)
{
	memcached_st *m = mc_handle();

	if (m == NULL)
		return -1;
	return memcached_success(memcached_set(m, key, strlen(key), val, len,
	    ttl, 0)) ? 0 : -1;
}

/* 0 stored, 1 the key already existed, -1 memcached unavailable. */
int
mc_add(const char *key, const void *val, size_t len, time_t ttl)
{
	memcached_st *m = mc_handle();
	memcached_return_t rc;

	if (m == NULL)
		return -1;
	rc = memcached_add(m, key, strlen(key), val, len, ttl, 0);
	if (memcached_success(rc))
		return 0;
	return rc == MEMCACHED_NOTSTORED || rc == MEMCACHED_DATA_EXISTS ? 1 : -1;
}

/* 1 found (*out in the arena), 0 no such key, -1 memcached unavailable. */
int
mc_fetch(struct arena *a, const char *key, char **out, size_t *len)
{
	memcached_st *m = mc_handle();
	memcached_return_t rc;
	uint32_t flags;
	char *v;

	*out = NULL;
	if (m == NULL)
		return -1;
	v = memcached_get(m, key, strlen(key), len, &flags, &rc);
	if (v == NULL)
		return rc == MEMCACHED_NOTFOUND ? 0 : -1;
	*out = arena_strndup(a, v, *len);
	free(v);
	return *out != NULL ? 1 : -1;
}

char *
mc_get(struct arena *a, const char *key, size_t *len)
{
	char *v;

	return mc_fetch(a, key, &v, len) == 1 ? v : NULL;
}

int
mc_delete(const char *key)
{
	memcached_st *m = mc_handle();

	if (m == NULL)
		return -1;
	return memcached_success(memcached_delete(m, key, strlen(key), 0)) ?
	    0 : -1;
}

/* incr does not create a missing key: add the first value, then count. */
int
mc_incr(const char *key, uint64_t by, time_t ttl, uint64_t *out)
{
	memcached_st *m = mc_handle();
	memcached_return_t rc;
	char buf[24];
	int i, n;

	if (m == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		rc = memcached_increment(m, key, strlen(key), (uint32_t)by, out);
		if (memcached_success(rc))
			return 0;
		if (rc != MEMCACHED_NOTFOUND)
			return -1;
		n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)by);
		if (mc_add(key, buf, (size_t)n, ttl) == 0) {
			*out = by;
			return 0;
		}
	}
	return -1;
}

int
mc_ping(void)
{
	static const char key[] = "hzm:ping";

	return mc_set(key, "1", 1, 10);
}
