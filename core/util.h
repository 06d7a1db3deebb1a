/* core/util.h — small helpers: random ids, UTC times, hex, UTF-8 checks */
#ifndef HZM_UTIL_H
#define HZM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))

#define UUID_LEN	36
#define ISO_TIME_LEN	24	/* 2025-11-19T10:30:00.123Z */

int	 util_random(void *, size_t);
int	 util_uuid(char out[UUID_LEN + 1]);
int	 util_uuid_valid(const char *, size_t len);
int	 util_public_id(const char *prefix, char *out, size_t outsz);
void	 util_hex(const void *, size_t, char *out);
int	 util_hexval(int c);
int	 util_unhex(const char *, size_t, void *out);
void	 util_iso_time(const struct timespec *, char out[ISO_TIME_LEN + 1]);
int64_t	 util_now_ms(void);
/* A clock that never jumps (timeouts, intervals): micro-, milliseconds. */
int64_t	 util_mono_us(void);
int64_t	 util_mono_ms(void);
int	 util_utf8_valid(const char *, size_t);
int	 util_token_valid(const char *, size_t maxlen);
long	 util_long(const char *, long dflt);
/* Sorts v[0..n) ascending (latency samples, for their percentiles). */
void	 util_sort_i32(int32_t *v, size_t n);

#endif
