/* core/liveconf.c — live settings kept in PostgreSQL, re-read when their version moves, checked at most once a second */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "core/liveconf.h"
#include "core/log.h"
#include "core/util.h"

/*
 * Keys kept: markets and assets add settings of their own (fees,
 * thresholds), which system_config records beside the few read here.
 */
#define LIVECONF_MAX		512
#define LIVECONF_CHECK_MS	1000

enum { ST_VERSION, ST_ALL, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_VERSION] = { "liveconf_version",
	  "SELECT version FROM config_version", 0 },
	/* Plain names first: a family's keys may be many. */
	[ST_ALL] = { "liveconf_all",
	  "SELECT key, value, (SELECT version FROM config_version)"
	  " FROM system_config ORDER BY strpos(key, '.') > 0, key", 0 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "liveconf statements");

/* Per-process state, like the connection it is read through. */
static struct {
	char		 key[LIVECONF_MAX][64];
	char		 val[LIVECONF_MAX][201];
	size_t		 n;
	long long	 version;
	int64_t		 checked_ms;
} live;

static void
liveconf_load(struct db *db, struct arena *a)
{
	PGresult *res;
	int i, n;

	if (db_query(db, a, &stmts[ST_ALL], NULL, &res) != ERR_OK)
		return;
	n = PQntuples(res);
	if (n > LIVECONF_MAX)
		log_error("liveconf: %d settings, only the first %d kept", n,
		    LIVECONF_MAX);
	live.n = 0;
	for (i = 0; i < n && live.n < LIVECONF_MAX; i++, live.n++) {
		snprintf(live.key[live.n], sizeof(live.key[0]), "%s", db_val(res, i, 0));
		snprintf(live.val[live.n], sizeof(live.val[0]), "%s", db_val(res, i, 1));
	}
	if (n > 0)
		live.version = strtoll(db_val(res, 0, 2), NULL, 10);
}

void
liveconf_sync(struct db *db, struct arena *a, int64_t now_ms)
{
	PGresult *res;
	long long v;

	if (db == NULL || (live.checked_ms != 0 &&
	    now_ms - live.checked_ms < LIVECONF_CHECK_MS &&
	    now_ms >= live.checked_ms))
		return;
	live.checked_ms = now_ms;
	if (db_query(db, a, &stmts[ST_VERSION], NULL, &res) != ERR_OK)
		return;
	v = PQntuples(res) == 1 ? strtoll(db_val(res, 0, 0), NULL, 10) : 0;
	if (v != live.version) {
		liveconf_load(db, a);
		live.version = v;
	}
}

const char *
liveconf_get(const char *key)
{
	size_t i;

	for (i = 0; i < live.n; i++)
		if (strcmp(live.key[i], key) == 0)
			return live.val[i];
	return NULL;
}

long long
liveconf_int(const char *key, long long dflt)
{
	const char *s = liveconf_get(key);
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return dflt;
	v = strtoll(s, &end, 10);
	return *end == '\0' ? v : dflt;
}

int
liveconf_bool(const char *key)
{
	const char *s = liveconf_get(key);

	return s != NULL && strcmp(s, "true") == 0;
}

long long
liveconf_version(void)
{
	return live.version;
}
