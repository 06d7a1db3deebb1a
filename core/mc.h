/* core/mc.h — memcached: rate limits, deny-lists, snapshots; a cache, never the truth */
#ifndef HZM_MC_H
#define HZM_MC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct arena;

int	 mc_set(const char *key, const void *val, size_t len, time_t ttl);
int	 mc_add(const char *key, const void *val, size_t len, time_t ttl);
char	*mc_get(struct arena *, const char *key, size_t *len);
int	 mc_fetch(struct arena *, const char *key, char **out, size_t *len);
int	 mc_incr(const char *key, uint64_t by, time_t ttl, uint64_t *out);
int	 mc_delete(const char *key);
int	 mc_ping(void);
/* "host:port,/path/to/socket" -> libmemcached options (0, or -1). */
int	 mc_servers(const char *list, char *out, size_t outsz);

#endif
