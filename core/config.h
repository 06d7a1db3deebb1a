/* core/config.h — settings from hzm.conf, each overridable by an HZM_* variable */
#ifndef HZM_CONFIG_H
#define HZM_CONFIG_H

#include <stddef.h>

int		 cfg_load(const char *path);
const char	*cfg_get(const char *key, const char *dflt);
long long	 cfg_int(const char *key, long long dflt);
int		 cfg_parse_line(const char *line, char *key, size_t keysz,
		    char *val, size_t valsz);

#endif
