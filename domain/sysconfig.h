/* domain/sysconfig.h — the live settings staff change: each key typed and bounded, each change a version with old and new value, audited */
#ifndef HZM_DOMAIN_SYSCONFIG_H
#define HZM_DOMAIN_SYSCONFIG_H

#include <libpq-fe.h>

#include "core/err.h"

struct ctx;
struct in_err;
struct json_object;

/*
 * Whether key is a live setting and value fits it: NULL, or the reason
 * (*key_bad set when the key itself is unknown).
 */
const char	*sysconfig_check(const char *key, const char *value, int *key_bad);

/*
 * Set key to value (checked by sysconfig_check) as the next version: the
 * setting, written through to the table its service reads
 * (sysconfig_apply()), its history row with the value in effect before,
 * config_version and the audit row (SYSTEM_CONFIG with old and new) in
 * one transaction. ERR_CONFLICT when the value is already that;
 * ERR_INVALID_REQUEST with *ie when the setting's target refuses it (no
 * such market, more decimals than the asset has ...). *version: the new
 * one; *old: the value before (NULL: none), in c's arena.
 */
enum err	sysconfig_set(struct ctx *, const char *key, const char *value,
		    const char *reason, long long *version, const char **old,
		    struct in_err *ie);

/*
 * In the open transaction: the value of key in effect (*old, NULL when
 * none) and, for a key kept by its service's table (a market's fees, an
 * asset's withdrawal fee, a KYC level's limits), value written there.
 * ERR_INVALID_REQUEST with *ie: the market, asset or level does not
 * exist, or value does not fit it. domain/sysconfig_apply.c.
 */
enum err	sysconfig_apply(struct ctx *, const char *key, const char *value,
		    const char **old, struct in_err *ie);

/* {version, settings: [...], history: [the last 50 changes], keys: [...]} */
enum err	sysconfig_json(struct ctx *, struct json_object **out);

#endif
