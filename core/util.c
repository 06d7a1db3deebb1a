/* core/util.c — random ids, UTC timestamps, hex and UTF-8 validation */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include "core/util.h"

/*
 * The kernel's generator, which OpenSSL's own is seeded from: one system
 * call, where RAND_bytes() cost each request (a request id, an order id)
 * more than its locks and DRBG bookkeeping are worth.
 */
int
util_random(void *buf, size_t n)
{
	unsigned char *p = buf;
	ssize_t got;

	while (n > 0) {
		if ((got = getrandom(p, n, 0)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

int
util_uuid(char out[UUID_LEN + 1])
{
	unsigned char b[16];

	if (util_random(b, sizeof(b)) == -1)
		return -1;
	b[6] = (b[6] & 0x0f) | 0x40;	/* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	snprintf(out, UUID_LEN + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
	    b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

/*
 * The canonical 8-4-4-4-12 lower-case hex spelling that util_uuid and
 * PostgreSQL write: len bytes of s.
 */
int
util_uuid_valid(const char *s, size_t len)
{
	size_t i;

	if (s == NULL || len != UUID_LEN)
		return 0;
	for (i = 0; i < UUID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return 1;
}

/* prefix + 20 characters of base32 (100 random bits): not guessable. */
int
util_public_id(const char *prefix, char *out, size_t outsz)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char r[20];
	size_t plen = strlen(prefix), i;

	if (outsz < plen + sizeof(r) + 1 || util_random(r, sizeof(r)) == -1)
		return -1;
	memcpy(out, prefix, plen);
	for (i = 0; i < sizeof(r); i++)
		out[plen + i] = b32[r[i] & 31];
	out[plen + i] = '\0';
	return 0;
}

void
util_hex(const void *buf, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* The value of hex digit c (either case), or -1. */
int
util_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode exactly len hex characters (len even) into out. */
int
util_unhex(const char *s, size_t len, void *out)
{
	unsigned char *p = out;
	size_t i;
	int hi, lo;

	if (len % 2 != 0)
		return -1;
	for (i = 0; i < len; i += 2) {
		if ((hi = util_hexval((unsigned char)s[i])) < 0 ||
		    (lo = util_hexval((unsigned char)s[i + 1])) < 0)
			return -1;
		p[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

void
util_iso_time(const struct timespec *ts, char out[ISO_TIME_LEN + 1])
{
	struct tm tm;
	char buf[32], full[64];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(full, sizeof(full), "%s.%03dZ", buf,
	    (int)(ts->tv_nsec / 1000000));
	memcpy(out, full, ISO_TIME_LEN);	/* years past 9999 are not ours */
	out[ISO_TIME_LEN] = '\0';
}

int64_t
util_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
util_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
util_mono_ms(void)
{
	return util_mono_us() / 1000;
}

/*
 * Well-formed UTF-8 per RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF. NUL bytes are refused too: no C string may hide one.
 */
int
util_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	unsigned c;
	int len, i;

	while (p < end) {
		c = *p;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			return 0;
		if (end - p < len)
			return 0;
		for (i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		if (c == 0xe0 && p[1] < 0xa0)		/* overlong */
			return 0;
		if (c == 0xed && p[1] >= 0xa0)		/* surrogates */
			return 0;
		if (c == 0xf0 && p[1] < 0x90)		/* overlong */
			return 0;
		if (c == 0xf4 && p[1] >= 0x90)		/* > U+10FFFF */
			return 0;
		p += len;
	}
	return 1;
}

/* An identifier a client may choose (request ids): [A-Za-z0-9._:-]{1,max}. */
int
util_token_valid(const char *s, size_t maxlen)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (i >= maxlen)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == ':' || c == '-'))
			return 0;
	}
	return i > 0;
}

/* A whole decimal integer, or dflt: for numbers the database hands back. */
long
util_long(const char *s, long dflt)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return dflt;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno != 0 || *end != '\0' ? dflt : v;
}

static int
i32_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

void
util_sort_i32(int32_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), i32_cmp);
}
