/* domain/sysconfig.h — the live settings staff change: each key typed and bounded, each change a version with old and new value, audited */
#ifndef HZM_DOMAIN_SYSCONFIG_H
#define HZM_DOMAIN_SYSCONFIG_H

#include <libpq-fe.h>

#include "core/err.h"

struct ctx;
struct json_object;

/*
 * Whether key is a live setting and value fits it: NULL, or the reason
 * (*key_bad set when the key itself is unknown).
 */
const char	*sysconfig_check(const char *key, const char *value, int *key_bad);

/*
 * Set key to value (checked by sysconfig_check) as the next version: the
 * setting, its history row with the old value, config_version and the
 * audit row (SYSTEM_CONFIG with old and new) in one transaction.
 * ERR_CONFLICT when the value is already that. *version: the new one.
 */
enum err	sysconfig_set(struct ctx *, const char *key, const char *value,
		    const char *reason, long long *version);

/* {version, settings: [...], history: [the last 50 changes], keys: [...]} */
enum err	sysconfig_json(struct ctx *, struct json_object **out);

#endif
