/* domain/sysconfig.c — the live settings staff change: each key typed and bounded, each change a version with old and new value, audited */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "core/valid.h"
#include "domain/audit.h"
#include "domain/sysconfig.h"

enum kind { K_BOOL, K_INT, K_FRACTION, K_AMOUNT, K_AMOUNT_OR_NONE };

/*
 * The settings that may change while everything runs. A key is its name
 * or, for a family, its prefix and one part naming a market, an asset
 * or a KYC level with a field. conf/hzm.conf keeps what a process needs
 * before it reaches the database.
 */
static const struct setting {
	const char	*key;		/* "name", or "prefix." for a family */
	const char	*part_why;	/* what the part after the prefix is */
	enum kind	 kind;
	long long	 min, max;	/* K_INT */
	const char	*why;
} settings[] = {
	{ "maintenance_mode", NULL, K_BOOL, 0, 0, "\"true\" or \"false\"" },
	{ "rate_limit_scale", NULL, K_INT, 1, 1000, "an integer from 1 to 1000" },
	{ "market_fee.", "SYMBOL.maker or SYMBOL.taker", K_FRACTION, 0, 0,
	  "a fraction from 0 to 0.099999, at most 6 decimals" },
	{ "withdrawal_threshold.", "a crypto asset's code", K_AMOUNT_OR_NONE,
	  0, 0, "an amount of the asset (a request for more waits for "
	  "approval), or \"none\"" },
	{ "withdrawal_fee.", "an asset code (its default network; TRY: by bank)",
	  K_AMOUNT, 0, 0, "an amount of the asset, at its precision" },
	{ "kyc_limit.", "LEVEL_n.dailyWithdrawal, .monthlyWithdrawal or "
	  ".dailyTrading", K_AMOUNT, 0, 0, "a TRY amount, at most 2 decimals" },
};

static int
part_ok(const struct setting *s, const char *part)
{
	const char *dot = strchr(part, '.');
	char code[32];
	size_t n;

	if (strcmp(s->key, "withdrawal_threshold.") == 0 ||
	    strcmp(s->key, "withdrawal_fee.") == 0)
		return valid_code(part, 2, 10);
	if (dot == NULL || (n = (size_t)(dot - part)) >= sizeof(code))
		return 0;
	memcpy(code, part, n);
	code[n] = '\0';
	if (strcmp(s->key, "market_fee.") == 0)
		return valid_code(code, 4, 20) && (strcmp(dot, ".maker") == 0 ||
		    strcmp(dot, ".taker") == 0);
	return strlen(code) == 7 && strncmp(code, "LEVEL_", 6) == 0 &&
	    code[6] >= '0' && code[6] <= '3' &&
	    (strcmp(dot, ".dailyWithdrawal") == 0 ||
	    strcmp(dot, ".monthlyWithdrawal") == 0 ||
	    strcmp(dot, ".dailyTrading") == 0);
}

/* At most 15 digits before the point and maxdec after it. */
static int
decimals_ok(const char *v, size_t maxdec)
{
	const char *dot = strchr(v, '.');

	return valid_decimal(v, 0, NULL) == NULL &&
	    (dot != NULL ? (size_t)(dot - v) : strlen(v)) <= 15 &&
	    (dot == NULL || strlen(dot + 1) <= maxdec);
}

static int
value_ok(const struct setting *s, const char *key, const char *v)
{
	char *end;
	long long n;

	switch (s->kind) {
	case K_BOOL:
		return strcmp(v, "true") == 0 || strcmp(v, "false") == 0;
	case K_INT:
		n = strtoll(v, &end, 10);
		return *v >= '0' && *v <= '9' && *end == '\0' && strlen(v) < 8 &&
		    n >= s->min && n <= s->max;
	case K_FRACTION:
		return decimals_ok(v, 6) && strncmp(v, "0", 1) == 0 &&
		    (v[1] == '\0' || (v[1] == '.' && v[2] == '0'));
	case K_AMOUNT_OR_NONE:
		if (strcmp(v, "none") == 0)
			return 1;
		/* FALLTHROUGH */
	case K_AMOUNT:
		return decimals_ok(v, strncmp(key, "kyc_limit.", 10) == 0 ? 2 : 18);
	}
	return 0;
}

const char *
sysconfig_check(const char *key, const char *value, int *key_bad)
{
	size_t i, n;

	*key_bad = 0;
	for (i = 0; i < nitems(settings); i++) {
		n = strlen(settings[i].key);
		if (settings[i].part_why == NULL ? strcmp(key, settings[i].key) != 0 :
		    strncmp(key, settings[i].key, n) != 0)
			continue;
		if (settings[i].part_why != NULL && !part_ok(&settings[i], key + n)) {
			*key_bad = 1;
			return settings[i].part_why;
		}
		return value_ok(&settings[i], key, value) ? NULL : settings[i].why;
	}
	*key_bad = 1;
	return "not a live setting (see keys in GET /api/v1/admin/system/config)";
}

enum { ST_BUMP, ST_UPSERT, ST_HISTORY, ST_ALL, ST_LOG, ST__COUNT };

static const struct stmt stmts[] = {
	/* The row lock makes changes one at a time, versions without gaps. */
	[ST_BUMP] = { "syscfg_bump",
	  "UPDATE config_version SET version = version + 1 RETURNING version", 0 },
	[ST_UPSERT] = { "syscfg_upsert",
	  "INSERT INTO system_config (key, value, version, updated_by)"
	  " VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET"
	  " value = EXCLUDED.value, version = EXCLUDED.version,"
	  " updated_by = EXCLUDED.updated_by, updated_at = now()", 4 },
	[ST_HISTORY] = { "syscfg_history",
	  "INSERT INTO system_config_history (version, key, old_value,"
	  " new_value, changed_by, reason) VALUES ($1, $2, $3, $4, $5, $6)", 6 },
	[ST_ALL] = { "syscfg_all",
	  "SELECT c.key, c.value, c.version, " DB_ISO("c.updated_at") ","
	  " u.public_id, (SELECT version FROM config_version)"
	  " FROM system_config c LEFT JOIN users u ON u.id = c.updated_by"
	  " ORDER BY c.key", 0 },
	[ST_LOG] = { "syscfg_log",
	  "SELECT h.version, h.key, h.old_value, h.new_value, u.public_id,"
	  " h.reason, " DB_ISO("h.changed_at")
	  " FROM system_config_history h LEFT JOIN users u ON u.id = h.changed_by"
	  " ORDER BY h.version DESC LIMIT 50", 0 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "sysconfig statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* Its length without a fraction's trailing zeros: "0.0020" is "0.002". */
static size_t
value_len(const char *v)
{
	size_t n = strlen(v);

	if (strchr(v, '.') == NULL)
		return n;
	while (v[n - 1] == '0')
		n--;
	return v[n - 1] == '.' ? n - 1 : n;
}

static int
value_same(const char *a, const char *b)
{
	size_t n = value_len(a);

	return n == value_len(b) && memcmp(a, b, n) == 0;
}

enum err
sysconfig_set(struct ctx *c, const char *key, const char *value,
    const char *reason, long long *version, const char **oldp,
    struct in_err *ie)
{
	const char *p[6], *old, *ver, *who = c->actor != NULL ? c->actor->idtxt : NULL;
	struct json_object *d;
	PGresult *res, *r2;
	enum err e;

	*oldp = NULL;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	/* The version's row lock first: one change at a time, in order. */
	if ((e = q(c, ST_BUMP, NULL, &res)) != ERR_OK ||
	    (e = sysconfig_apply(c, key, value, &old, ie)) != ERR_OK)
		goto fail;
	ver = db_val(res, 0, 0);
	if (old != NULL && value_same(old, value)) {
		e = ERR_CONFLICT;
		goto fail;
	}
	p[0] = key; p[1] = value; p[2] = ver; p[3] = who;
	if ((e = q(c, ST_UPSERT, p, &r2)) != ERR_OK)
		goto fail;
	p[0] = ver; p[1] = key; p[2] = old; p[3] = value; p[4] = who; p[5] = reason;
	if ((e = q(c, ST_HISTORY, p, &r2)) != ERR_OK)
		goto fail;
	if ((d = json_own(c->arena, json_object_new_object())) == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	json_object_object_add(d, "key", json_object_new_string(key));
	json_object_object_add(d, "oldValue", json_str_or_null(old));
	json_object_object_add(d, "newValue", json_object_new_string(value));
	json_object_object_add(d, "version", json_object_new_int64(strtoll(ver, NULL, 10)));
	if ((e = audit_write(c, "SYSTEM_CONFIG", c->actor, NULL, key, "CHANGED",
	    reason, d)) != ERR_OK)
		goto fail;
	*version = strtoll(ver, NULL, 10);
	*oldp = old;
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

static void
add(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_str_or_null(v));
}

enum err
sysconfig_json(struct ctx *c, struct json_object **out)
{
	struct json_object *o, *a, *h, *k, *x;
	PGresult *res, *log;
	enum err e;
	size_t i;
	int n;

	if ((e = q(c, ST_ALL, NULL, &res)) != ERR_OK ||
	    (e = q(c, ST_LOG, NULL, &log)) != ERR_OK)
		return e;
	o = json_object_new_object();
	a = json_object_new_array();
	for (n = 0; n < PQntuples(res); n++) {
		x = json_object_new_object();
		add(x, "key", db_val(res, n, 0));
		add(x, "value", db_val(res, n, 1));
		json_object_object_add(x, "version",
		    json_object_new_int64(strtoll(db_val(res, n, 2), NULL, 10)));
		add(x, "updatedAt", db_val(res, n, 3));
		add(x, "updatedBy", db_val(res, n, 4));
		json_object_array_add(a, x);
	}
	h = json_object_new_array();
	for (n = 0; n < PQntuples(log); n++) {
		x = json_object_new_object();
		json_object_object_add(x, "version",
		    json_object_new_int64(strtoll(db_val(log, n, 0), NULL, 10)));
		add(x, "key", db_val(log, n, 1));
		add(x, "oldValue", db_val(log, n, 2));
		add(x, "newValue", db_val(log, n, 3));
		add(x, "changedBy", db_val(log, n, 4));
		add(x, "reason", db_val(log, n, 5));
		add(x, "changedAt", db_val(log, n, 6));
		json_object_array_add(h, x);
	}
	k = json_object_new_array();
	for (i = 0; i < nitems(settings); i++) {
		x = json_object_new_object();
		add(x, "key", settings[i].key);
		add(x, "part", settings[i].part_why);
		add(x, "value", settings[i].why);
		json_object_array_add(k, x);
	}
	json_object_object_add(o, "version", json_object_new_int64(
	    PQntuples(res) > 0 ? strtoll(db_val(res, 0, 5), NULL, 10) : 0));
	json_object_object_add(o, "settings", a);
	json_object_object_add(o, "history", h);
	json_object_object_add(o, "keys", k);
	*out = o;
	return ERR_OK;
}
