/* core/config.c — read hzm.conf once at start-up; HZM_<KEY> in the environment wins */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

#define CFG_MAX		128
#define CFG_KEYSZ	64
#define CFG_VALSZ	1024

struct cfg_entry {
	char	key[CFG_KEYSZ];
	char	val[CFG_VALSZ];
};

/* Process-wide configuration, written once before the first request. */
static struct cfg_entry	cfg[CFG_MAX];
static size_t		ncfg;

/*
 * One "key = value" line. Blank lines and '#' comments yield 0 with an
 * empty key; a malformed line is -1. Keys are [a-z0-9_].
 */
int
cfg_parse_line(const char *line, char *key, size_t keysz, char *val,
    size_t valsz)
{
	const char *p = line, *k, *v, *end;
	size_t klen, vlen;

	key[0] = val[0] = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '\n' || *p == '#' ||
	    (*p == '\r' && (p[1] == '\n' || p[1] == '\0')))
		return 0;
	for (k = p; islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
	    *p == '_'; p++)
		;
	if ((klen = (size_t)(p - k)) == 0 || klen >= keysz)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=')
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	v = p;
	end = v + strlen(v);
	while (end > v && (end[-1] == '\n' || end[-1] == '\r' ||
	    end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if ((vlen = (size_t)(end - v)) >= valsz)
		return -1;
	memcpy(key, k, klen);
	key[klen] = '\0';
	memcpy(val, v, vlen);
	val[vlen] = '\0';
	return 0;
}

static int
cfg_set(const char *key, const char *val)
{
	size_t i;

	for (i = 0; i < ncfg; i++)
		if (strcmp(cfg[i].key, key) == 0)
			break;
	if (i == ncfg) {
		if (ncfg == CFG_MAX)
			return -1;
		ncfg++;
	}
	snprintf(cfg[i].key, sizeof(cfg[i].key), "%s", key);
	snprintf(cfg[i].val, sizeof(cfg[i].val), "%s", val);
	return 0;
}

/*
 * Load path (or $HZM_CONF when path is NULL). A missing file is not an
 * error: every key has a default and the environment can supply the rest.
 */
int
cfg_load(const char *path)
{
	char line[CFG_KEYSZ + CFG_VALSZ + 16], key[CFG_KEYSZ], val[CFG_VALSZ];
	FILE *f;
	int lineno = 0, rc = 0;

	ncfg = 0;
	if (path == NULL && (path = getenv("HZM_CONF")) == NULL)
		return 0;
	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (cfg_parse_line(line, key, sizeof(key), val,
		    sizeof(val)) == -1) {
			fprintf(stderr, "%s:%d: malformed line\n", path,
			    lineno);
			rc = -1;
			continue;
		}
		if (key[0] != '\0' && cfg_set(key, val) == -1)
			rc = -1;
	}
	fclose(f);
	return rc;
}

const char *
cfg_get(const char *key, const char *dflt)
{
	char env[CFG_KEYSZ + 8];
	const char *v;
	size_t i;

	/* HZM_ + upper-cased key, so "max_body" is HZM_MAX_BODY. */
	snprintf(env, sizeof(env), "HZM_%s", key);
	for (i = 4; env[i] != '\0'; i++)
		env[i] = (char)toupper((unsigned char)env[i]);
	if ((v = getenv(env)) != NULL)
		return v;
	for (i = 0; i < ncfg; i++)
		if (strcmp(cfg[i].key, key) == 0)
			return cfg[i].val;
	return dflt;
}

long long
cfg_int(const char *key, long long dflt)
{
	const char *v = cfg_get(key, NULL);
	char *end;
	long long n;

	if (v == NULL || *v == '\0')
		return dflt;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return dflt;
	return n;
}
