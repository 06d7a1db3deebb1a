/* core/liveconf.h — live settings kept in PostgreSQL, re-read when their version moves, checked at most once a second */
#ifndef HZM_LIVECONF_H
#define HZM_LIVECONF_H

#include <stdint.h>

struct arena;
struct db;

/*
 * Bring the process's copy up to date: at most once per second (now_ms)
 * one look at config_version, and the settings again when it moved. A
 * failure keeps the copy as it was (a missing table reads as none).
 */
void		 liveconf_sync(struct db *, struct arena *, int64_t now_ms);
/* The live value of key, or NULL. */
const char	*liveconf_get(const char *key);
/* As an integer, else dflt (absent or not a number). */
long long	 liveconf_int(const char *key, long long dflt);
/* "true" is 1, anything else 0. */
int		 liveconf_bool(const char *key);
/* The version the copy is at (0: nothing read yet). */
long long	 liveconf_version(void);

#endif
