/* domain/notify_prefs.c — what a user wants to hear of, and how: per-type channels, language, balance thresholds */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/input.h"
#include "core/util.h"
#include "domain/notify_prefs.h"
#include "domain/notify_types.h"

enum {
	ST_GET, ST_LANG, ST_LANG_SET, ST_PUT, ST_TH_GET, ST_TH_CLEAR,
	ST_TH_PUT, ST__COUNT
};

static const struct stmt stmts[] = {
	/*
	 * $2: the catalogue's types, comma-separated, in its order; $3 those
	 * whose mail is off until asked for (NT_OPT_IN).
	 */
	[ST_GET] = { "nprefs_get",
	  "SELECT t.t, coalesce(p.email_enabled,"
	  "  t.t <> ALL (string_to_array($3, ','))),"
	  " coalesce(p.webhook_enabled, true), p.webhook_url"
	  " FROM unnest(string_to_array($2, ',')) WITH ORDINALITY AS t (t, n)"
	  " LEFT JOIN notification_preferences p ON p.user_id = $1"
	  " AND p.notification_type = t.t ORDER BY t.n", 3 },
	[ST_LANG] = { "nprefs_lang",
	  "SELECT coalesce((SELECT language FROM notification_settings"
	  " WHERE user_id = $1), 'en')", 1 },
	[ST_LANG_SET] = { "nprefs_lang_set",
	  "INSERT INTO notification_settings (user_id, language) VALUES ($1, $2)"
	  " ON CONFLICT (user_id) DO UPDATE SET language = excluded.language,"
	  " updated_at = now()", 2 },
	[ST_PUT] = { "nprefs_put",
	  "INSERT INTO notification_preferences (user_id, notification_type,"
	  " email_enabled, webhook_enabled, webhook_url) VALUES ($1, $2, $3, $4, $5)"
	  " ON CONFLICT (user_id, notification_type) DO UPDATE SET"
	  " email_enabled = excluded.email_enabled,"
	  " webhook_enabled = excluded.webhook_enabled,"
	  " webhook_url = excluded.webhook_url, updated_at = now()", 5 },
	[ST_TH_GET] = { "nprefs_th_get",
	  "SELECT t.asset, round(t.threshold, greatest(a.precision,"
	  " scale(trim_scale(t.threshold))))::text FROM balance_thresholds t"
	  " JOIN assets a ON a.code = t.asset WHERE t.user_id = $1 ORDER BY t.asset", 1 },
	[ST_TH_CLEAR] = { "nprefs_th_clear",
	  "DELETE FROM balance_thresholds WHERE user_id = $1", 1 },
	/* Refuses (no row) an unknown asset or an amount not a positive number. */
	[ST_TH_PUT] = { "nprefs_th_put",
	  "INSERT INTO balance_thresholds (user_id, asset, threshold)"
	  " SELECT $1, a.code, v.n FROM assets a,"
	  " (SELECT CASE WHEN $3 ~ '^[0-9]{1,20}(\\.[0-9]{1,18})?$'"
	  "  THEN $3::numeric END AS n) v"
	  " WHERE a.code = $2 AND v.n > 0", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "notify_prefs statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

enum err
notify_prefs_get(struct ctx *c, PGresult **res, const char **language)
{
	const struct notify_type *t;
	const char *p[3] = { c->actor->idtxt, "", "" };
	PGresult *lr;
	size_t n, i;
	enum err e;
	char *list = "", *optin = "";

	t = notify_types(&n);
	for (i = 0; i < n && list != NULL && optin != NULL; i++) {
		if (!(t[i].flags & NT_NO_PREF))
			list = arena_printf(c->arena, "%s%s%s", list,
			    *list ? "," : "", t[i].name);
		if (t[i].flags & NT_OPT_IN)
			optin = arena_printf(c->arena, "%s%s%s", optin,
			    *optin ? "," : "", t[i].name);
	}
	if ((p[1] = list) == NULL || (p[2] = optin) == NULL)
		return ERR_INTERNAL;
	if ((e = q(c, ST_GET, p, res)) != ERR_OK ||
	    (e = q(c, ST_LANG, p, &lr)) != ERR_OK)
		return e;
	*language = db_val(lr, 0, 0);
	return ERR_OK;
}

static enum err
pref_check(struct ctx *c, const struct notify_pref *pr, struct in_err *ie)
{
	char *why;
	enum err e;

	if (!notify_type_subscribable(pr->type) || strcmp(pr->type, "*") == 0) {
		ie->field = "preferences.type";
		ie->reason = "unknown notification type";
		return ERR_INVALID_REQUEST;
	}
	if (pr->webhook_url == NULL)
		return ERR_OK;
	/* As POST /notifications/webhooks takes a URL. */
	if ((why = arena_alloc(c->arena, 160)) == NULL)
		return ERR_INTERNAL;
	e = webhook_url_accept(pr->webhook_url, why, 160);
	if (e == ERR_INVALID_REQUEST || e == ERR_FORBIDDEN) {
		ie->field = "preferences.webhookUrl";
		ie->reason = why;
	}
	return e;
}

enum err
notify_prefs_put(struct ctx *c, const char *language,
    struct notify_pref *pr, size_t n, struct in_err *ie)
{
	const char *p[5];
	PGresult *res;
	enum err e;
	size_t i;

	for (i = 0; i < n; i++)
		if ((e = pref_check(c, &pr[i], ie)) != ERR_OK)
			return e;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	p[0] = c->actor->idtxt;
	if (language != NULL) {
		p[1] = language;
		if ((e = q(c, ST_LANG_SET, p, &res)) != ERR_OK)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		if (pr[i].webhook_url != NULL && (e = webhook_ensure(c,
		    pr[i].webhook_url, pr[i].type, pr[i].hook_id,
		    pr[i].hook_secret)) != ERR_OK)
			goto fail;
		p[1] = pr[i].type;
		p[2] = pr[i].email ? "t" : "f";
		p[3] = pr[i].webhook ? "t" : "f";
		p[4] = pr[i].webhook_url;
		if ((e = q(c, ST_PUT, p, &res)) != ERR_OK)
			goto fail;
	}
	if ((e = db_commit(c->db)) == ERR_OK)
		return ERR_OK;
fail:
	db_rollback(c->db);
	for (i = 0; i < n; i++) {
		OPENSSL_cleanse(pr[i].hook_secret, sizeof(pr[i].hook_secret));
		pr[i].hook_id[0] = '\0';
	}
	return e;
}

enum err
notify_thresholds_get(struct ctx *c, PGresult **res)
{
	const char *p[1] = { c->actor->idtxt };

	return q(c, ST_TH_GET, p, res);
}

enum err
notify_thresholds_put(struct ctx *c, const char *const *assets,
    const char *const *amounts, size_t n, struct in_err *ie)
{
	const char *p[3] = { c->actor->idtxt, NULL, NULL };
	PGresult *res;
	enum err e;
	size_t i;

	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_TH_CLEAR, p, &res)) != ERR_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		p[1] = assets[i];
		p[2] = amounts[i];
		if ((e = q(c, ST_TH_PUT, p, &res)) != ERR_OK)
			goto fail;
		if (strcmp(PQcmdTuples(res), "1") != 0) {
			ie->field = "thresholds";
			ie->reason = "each needs a known asset and a positive "
			    "decimal threshold, each asset once";
			e = ERR_INVALID_REQUEST;
			goto fail;
		}
	}
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

/*
 * notificationType is the seed's notification_type, in camelCase; either
 * name, not both. The seed's snake_case names are taken too (in_camel).
 */
static const char *const pref_names[] = { "type", "notificationType",
    "emailEnabled", "webhookEnabled", "webhookUrl", NULL };
static const char *const prefs_body[] = { "language", "preferences", NULL };

/* One element of preferences[], read into *p. */
static int
pref_read(struct json_object *j, struct notify_pref *p, struct in_err *ie)
{
	const char *tkey = "type";

	if (!json_object_is_type(j, json_type_object)) {
		ie->field = "preferences";
		ie->reason = "must be an array of objects";
		return -1;
	}
	memset(p, 0, sizeof(*p));
	if (in_camel(j, pref_names, ie) == -1 || in_only(j, pref_names, ie) == -1)
		return -1;
	if (json_object_object_get_ex(j, "notificationType", NULL)) {
		if (json_object_object_get_ex(j, "type", NULL)) {
			ie->field = "preferences.type";
			ie->reason = "give type or notificationType, not both";
			return -1;
		}
		tkey = "notificationType";
	}
	return in_string(j, tkey, IN_REQUIRED, 3, 64, &p->type, ie) == -1 ||
	    in_bool(j, "emailEnabled", IN_REQUIRED, &p->email, ie) == -1 ||
	    in_bool(j, "webhookEnabled", IN_REQUIRED, &p->webhook, ie) == -1 ||
	    in_string(j, "webhookUrl", IN_OPTIONAL, 8, 2048, &p->webhook_url,
	    ie) == -1 ? -1 : 0;
}

/* --- the body of PUT /notifications/preferences */

int
notify_prefs_parse(struct json_object *j, const char **lang,
    struct notify_pref *p, size_t *n, struct in_err *ie)
{
	struct json_object *a = NULL;
	size_t i;

	*lang = NULL;
	*n = 0;
	if (j == NULL || in_only(j, prefs_body, ie) == -1 ||
	    in_string(j, "language", IN_OPTIONAL, 2, 2, lang, ie) == -1)
		return -1;
	if (*lang != NULL && strcmp(*lang, "tr") != 0 && strcmp(*lang, "en") != 0) {
		ie->field = "language";
		ie->reason = "must be tr or en";
		return -1;
	}
	if (json_object_object_get_ex(j, "preferences", &a) && a != NULL) {
		if (!json_object_is_type(a, json_type_array) ||
		    (*n = json_object_array_length(a)) > NOTIFY_PREFS_MAX) {
			ie->field = "preferences";
			ie->reason = "must be an array of at most 32 objects";
			return -1;
		}
		for (i = 0; i < *n; i++)
			if (pref_read(json_object_array_get_idx(a, i), &p[i],
			    ie) == -1)
				return -1;
	}
	if (*lang == NULL && *n == 0) {
		ie->field = "preferences";
		ie->reason = "give preferences, language or both";
		return -1;
	}
	return 0;
}
