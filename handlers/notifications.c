/* handlers/notifications.c — /api/v1/notifications: preferences, webhook endpoints, balance thresholds and the delivery log (seed 002, Appendix H) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/app.h"
#include "core/config.h"
#include "core/input.h"
#include "core/list.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/notify_prefs.h"
#include "domain/notify_types.h"
#include "domain/webhook.h"


enum { ST_LOG, ST_REDELIVER, ST__COUNT };

static const struct stmt stmts[] = {
	/* $5 't': oldest first. */
	[ST_LOG] = { "ntf_log",
	  "SELECT n.public_id, n.event_id, n.event_type, n.channel, e.public_id,"
	  " n.status, n.attempts, n.last_error, n.last_status, n.events_count,"
	  " " DB_ISO("n.created_at") ", " DB_ISO("n.sent_at") ","
	  " CASE WHEN n.status IN ('PENDING', 'SENDING') THEN "
	  DB_ISO("n.next_at") " END, count(*) OVER ()"
	  " FROM notifications n LEFT JOIN webhook_endpoints e ON e.id = n.endpoint_id"
	  " WHERE n.user_id = $1 AND ($2::text IS NULL OR n.status = $2)"
	  " AND ($3::text IS NULL OR n.channel = $3)"
	  " AND ($4::text IS NULL OR n.event_type = $4)"
	  " ORDER BY CASE WHEN $5 THEN n.id END, n.id DESC"
	  " LIMIT $6 OFFSET $7", 7 },
	[ST_REDELIVER] = { "ntf_redeliver",
	  "WITH t AS (SELECT id, status FROM notifications WHERE user_id = $1"
	  "  AND public_id = $2 FOR UPDATE),"
	  " u AS (UPDATE notifications n SET status = 'PENDING', attempts = 0,"
	  "  next_at = now(), last_error = NULL, last_status = NULL"
	  "  FROM t WHERE n.id = t.id AND t.status IN ('SENT', 'FAILED')"
	  "  RETURNING n.id)"
	  " SELECT t.status, (SELECT count(*) FROM u) FROM t", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "notifications statements");

/* --- preferences */

/* The caller's preferences, as GET answers them, into *out. */
static enum err
prefs_json(struct req *r, struct json_object **out)
{
	struct ctx c = ctx_req(r);
	struct json_object *o, *a, *p;
	const struct notify_type *t;
	const char *lang;
	PGresult *res;
	enum err e;
	int i;

	if ((e = notify_prefs_get(&c, &res, &lang)) != ERR_OK)
		return e;
	o = json_object_new_object();
	a = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		t = notify_type_find(db_val(res, i, 0));
		p = json_object_new_object();
		json_object_object_add(p, "type", json_object_new_string(db_val(res, i, 0)));
		/* The seed's model calls it notification_type. */
		json_object_object_add(p, "notificationType",
		    json_object_new_string(db_val(res, i, 0)));
		json_object_object_add(p, "title", json_object_new_string(
		    strcmp(lang, "en") == 0 ? t->title_en : t->title_tr));
		json_object_object_add(p, "emailEnabled", json_object_new_boolean(
		    !(t->flags & NT_NO_MAIL) && strcmp(db_val(res, i, 1), "t") == 0));
		json_object_object_add(p, "emailAvailable",
		    json_object_new_boolean(!(t->flags & NT_NO_MAIL)));
		json_object_object_add(p, "webhookEnabled", json_object_new_boolean(
		    strcmp(db_val(res, i, 2), "t") == 0));
		json_object_object_add(p, "webhookUrl", json_str_or_null(db_val(res, i, 3)));
		json_object_array_add(a, p);
	}
	json_object_object_add(o, "language", json_object_new_string(lang));
	json_object_object_add(o, "securityEmails", json_object_new_string(
	    "always on (verification codes, password resets, lock-outs)"));
	json_object_object_add(o, "preferences", a);
	*out = o;
	return ERR_OK;
}

static int
prefs_get(struct req *r, struct resp *w)
{
	struct json_object *o;
	enum err e;

	if ((e = prefs_json(r, &o)) != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, o);
}

/*
 * The endpoints the preferences' URLs made, each with its signing secret,
 * shown this once (as POST /notifications/webhooks shows it).
 */
static struct json_object *
hooks_created(struct notify_pref *p, size_t n)
{
	struct json_object *a = json_object_new_array(), *h;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i].hook_id[0] == '\0')
			continue;
		h = json_object_new_object();
		json_object_object_add(h, "webhookId",
		    json_object_new_string(p[i].hook_id));
		json_object_object_add(h, "url",
		    json_object_new_string(p[i].webhook_url));
		json_object_object_add(h, "secret",
		    json_object_new_string(p[i].hook_secret));
		OPENSSL_cleanse(p[i].hook_secret, sizeof(p[i].hook_secret));
		json_object_array_add(a, h);
	}
	return a;
}

static int
prefs_put(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct notify_pref p[NOTIFY_PREFS_MAX];
	struct json_object *o;
	const char *lang = NULL;
	struct in_err ie = { NULL, NULL };
	size_t n = 0;
	enum err e;

	if (notify_prefs_parse(r->json, &lang, p, &n, &ie) == -1)
		goto invalid;
	e = notify_prefs_put(&c, lang, p, n, &ie);
	if (e == ERR_INVALID_REQUEST)
		goto invalid;
	if (e == ERR_FORBIDDEN)
		return resp_invalid_code(w, ERR_FORBIDDEN, &ie);
	if (e == ERR_CONFLICT)
		return resp_error(w, e, "At most 10 webhook endpoints");
	if (e == ERR_OK)
		e = prefs_json(r, &o);
	if (e != ERR_OK) {
		json_object_put(hooks_created(p, n));
		return resp_error(w, e, NULL);
	}
	json_object_object_add(o, "webhooksCreated", hooks_created(p, n));
	return resp_ok(w, 200, o);
invalid:
	if (ie.field == NULL) {
		ie.field = "body";
		ie.reason = "must be a JSON object";
	}
	return resp_invalid(w, &ie);
}

/* --- balance thresholds */

static int
thresholds_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *a, *o;
	PGresult *res;
	enum err e;
	int i;

	if ((e = notify_thresholds_get(&c, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	a = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "asset", json_object_new_string(db_val(res, i, 0)));
		json_object_object_add(o, "threshold", json_object_new_string(db_val(res, i, 1)));
		json_object_array_add(a, o);
	}
	o = json_object_new_object();
	json_object_object_add(o, "thresholds", a);
	return resp_ok(w, 200, o);
}

enum { TH_ASSET, TH_AMOUNT };
static const struct in_field threshold_fields[] = {
	[TH_ASSET]	= { "asset", IN_STRING, IN_REQUIRED, 2, 10 },
	[TH_AMOUNT]	= { "threshold", IN_STRING, IN_REQUIRED, 1, 40 },
	{ NULL }
};
static const struct in_field threshold_item = { NULL, IN_OBJECT, IN_REQUIRED,
    .fields = threshold_fields };
static const struct in_field thresholds_body[] = {
	{ "thresholds", IN_ARRAY, IN_REQUIRED, 0, 20, .fields = &threshold_item,
	  .hint = "must be an array of at most 20 {asset, threshold}" },
	{ NULL }
};

static int
thresholds_put(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const struct in_val *v = &r->in[0];
	const char *assets[20], *amounts[20];
	struct in_err ie;
	enum err e;
	size_t i;

	for (i = 0; i < v->n; i++) {
		assets[i] = v->sub[i].sub[TH_ASSET].s;
		amounts[i] = v->sub[i].sub[TH_AMOUNT].s;
	}
	e = notify_thresholds_put(&c, assets, amounts, v->n, &ie);
	if (e == ERR_INVALID_REQUEST)
		return resp_invalid(w, &ie);
	if (e != ERR_OK)
		return resp_error(w, e == ERR_CONFLICT ? ERR_INVALID_REQUEST : e,
		    e == ERR_CONFLICT ? "Each asset at most once" : NULL);
	return thresholds_get(r, w);
}

/* --- webhook endpoints */

static const char *
event_rule(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	return notify_type_subscribable(s) ? NULL :
	    "must be notification types (GET /notifications/preferences) or *";
}

static const struct in_field event_item = { NULL, IN_STRING, IN_REQUIRED,
    1, 64, .rule = event_rule };
enum { H_URL, H_EVENTS };
static const struct in_field hook_fields[] = {
	[H_URL]		= { "url", IN_STRING, IN_REQUIRED, 8, 2048 },
	[H_EVENTS]	= { "events", IN_ARRAY, IN_REQUIRED | IN_DISTINCT, 1, 32,
			    .fields = &event_item,
			    .hint = "must be a non-empty array of notification types" },
	{ NULL }
};

static struct json_object *
hook_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "webhookId", json_object_new_string(db_val(res, i, 0)));
	json_object_object_add(o, "url", json_object_new_string(db_val(res, i, 1)));
	json_object_object_add(o, "events", json_csv_array(db_val(res, i, 2)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, 3)));
	json_object_object_add(o, "rotatedAt", json_str_or_null(db_val(res, i, 4)));
	json_object_object_add(o, "previousSecretValidUntil",
	    json_str_or_null(db_val(res, i, 5)));
	return o;
}

static int
hooks_list(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *a;
	PGresult *res;
	enum err e;
	int i;

	if ((e = webhook_list(&c, NULL, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	a = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, hook_json(res, i));
	return resp_ok(w, 200, a);
}

/* The secret in an answer: shown once, then only its signatures. */
static int
hook_answer(struct req *r, struct resp *w, int status, const char *id,
    char secret[WEBHOOK_SECRET_MAX])
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	PGresult *res;
	enum err e;

	if ((e = webhook_list(&c, id, &res)) != ERR_OK || PQntuples(res) != 1) {
		OPENSSL_cleanse(secret, WEBHOOK_SECRET_MAX);
		return resp_error(w, ERR_INTERNAL, NULL);
	}
	o = hook_json(res, 0);
	json_object_object_add(o, "secret", json_object_new_string(secret));
	json_object_object_add(o, "message", json_object_new_string("Store this "
	    "signing secret now: it will not be shown again."));
	OPENSSL_cleanse(secret, WEBHOOK_SECRET_MAX);
	return resp_ok(w, status, o);
}

static int
hook_create(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const struct in_val *ev = &r->in[H_EVENTS];
	char id[WEBHOOK_ID_LEN + 1], secret[WEBHOOK_SECRET_MAX], why[160];
	struct in_err ie = { "url", why };
	char *events = "";
	enum err e;
	size_t i;

	e = webhook_url_accept(r->in[H_URL].s, why, sizeof(why));
	if (e == ERR_INVALID_REQUEST)
		return resp_invalid(w, &ie);
	if (e == ERR_FORBIDDEN)
		return resp_invalid_code(w, ERR_FORBIDDEN, &ie);
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	for (i = 0; i < ev->n && events != NULL; i++)
		events = arena_printf(r->arena, "%s%s%s", events, i ? "," : "",
		    ev->sub[i].s);
	if (events == NULL)
		return resp_error(w, ERR_INTERNAL, NULL);
	if ((e = webhook_create(&c, r->in[H_URL].s, events, id, secret)) ==
	    ERR_CONFLICT)
		return resp_error(w, e, "At most 10 webhook endpoints");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	return hook_answer(r, w, 201, id, secret);
}

static int
hook_delete(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "webhookId");
	struct json_object *o;
	enum err e;

	if ((e = webhook_delete(&c, id)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ?
		    "Webhook endpoint not found" : NULL);
	o = json_object_new_object();
	json_object_object_add(o, "webhookId", json_object_new_string(id));
	json_object_object_add(o, "deleted", json_object_new_boolean(1));
	return resp_ok(w, 200, o);
}

static int
hook_rotate(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "webhookId");
	char secret[WEBHOOK_SECRET_MAX];
	enum err e;

	if ((e = webhook_rotate(&c, id, secret)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ?
		    "Webhook endpoint not found" : NULL);
	return hook_answer(r, w, 200, id, secret);
}

static int
hook_test(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "webhookId");
	struct json_object *o;
	char evt[32];
	enum err e;

	if ((e = webhook_test(&c, id, evt)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ?
		    "Webhook endpoint not found" : NULL);
	o = json_object_new_object();
	json_object_object_add(o, "eventId", json_object_new_string(evt));
	json_object_object_add(o, "eventType", json_object_new_string("webhook.test"));
	json_object_object_add(o, "webhookId", json_object_new_string(id));
	return resp_ok(w, 202, o);
}

/* Appendix H's IP whitelisting: the addresses hzm's webhooks come from. */
static int
hook_sources(struct req *r, struct resp *w)
{
	struct json_object *o = json_object_new_object();

	(void)r;
	json_object_object_add(o, "addresses", json_csv_array(
	    cfg_get("webhook_source_addresses", "")));
	json_object_object_add(o, "signatureHeader",
	    json_object_new_string("webhook-signature"));
	json_object_object_add(o, "scheme", json_object_new_string(
	    "Standard Webhooks v1 (HMAC-SHA256)"));
	return resp_ok(w, 200, o);
}

/* --- the delivery log */

static const char *const log_statuses[] = { "PENDING", "SENDING", "SENT",
    "FAILED", NULL };
static const char *const log_channels[] = { "EMAIL", "WEBHOOK", NULL };
static const char *const log_sorts[] = { "-createdAt", "+createdAt", NULL };

static int
log_type_ok(const char *s)
{
	return notify_type_find(s) != NULL;
}

enum { LF_STATUS, LF_CHANNEL, LF_TYPE };
static const struct list_spec log_spec = {
	(const struct list_filter[]){
		[LF_STATUS] = { "filter_status", log_statuses, NULL,
		    "PENDING, SENDING, SENT or FAILED" },
		[LF_CHANNEL] = { "filter_channel", log_channels, NULL,
		    "EMAIL or WEBHOOK" },
		[LF_TYPE] = { "filter_eventType", NULL, log_type_ok,
		    "a notification type" },
		{ NULL } },
	log_sorts, "-createdAt (newest first) or +createdAt",
};

static struct json_object *
log_row(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "notificationId", json_object_new_string(db_val(res, i, 0)));
	json_object_object_add(o, "eventId", json_object_new_string(db_val(res, i, 1)));
	json_object_object_add(o, "eventType", json_object_new_string(db_val(res, i, 2)));
	json_object_object_add(o, "channel", json_object_new_string(db_val(res, i, 3)));
	json_object_object_add(o, "webhookId", json_str_or_null(db_val(res, i, 4)));
	json_object_object_add(o, "status", json_object_new_string(db_val(res, i, 5)));
	json_object_object_add(o, "attempts", json_object_new_int(
	    (int)util_long(db_val(res, i, 6), 0)));
	json_object_object_add(o, "lastError", json_str_or_null(db_val(res, i, 7)));
	json_object_object_add(o, "lastHttpStatus", db_val(res, i, 8) == NULL ?
	    NULL : json_object_new_int((int)util_long(db_val(res, i, 8), 0)));
	json_object_object_add(o, "eventsCount", json_object_new_int(
	    (int)util_long(db_val(res, i, 9), 1)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, 10)));
	json_object_object_add(o, "sentAt", json_str_or_null(db_val(res, i, 11)));
	json_object_object_add(o, "nextAttemptAt", json_str_or_null(db_val(res, i, 12)));
	return o;
}

static int
log_list(struct req *r, struct resp *w)
{
	struct list_query lq;
	struct in_err ie;
	const char *p[7];
	PGresult *res;
	enum err e;

	if (list_read(r, &log_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	p[0] = r->user->idtxt;
	p[1] = lq.filter[LF_STATUS];
	p[2] = lq.filter[LF_CHANNEL];
	p[3] = lq.filter[LF_TYPE];
	p[4] = lq.sort != NULL && lq.sort[0] == '+' ? "t" : "f";
	p[5] = lq.pg.limit;
	p[6] = lq.pg.offset;
	if ((e = db_query(r->db, r->arena, &stmts[ST_LOG], p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &log_spec, &lq, res, PQntuples(res) > 0 ?
	    strtoll(db_val(res, 0, 13), NULL, 10) : 0, log_row);
}

static int
log_redeliver(struct req *r, struct resp *w)
{
	const char *p[2] = { r->user->idtxt, req_param(r, "notificationId") };
	struct json_object *o;
	PGresult *res;
	enum err e;

	if ((e = db_query(r->db, r->arena, &stmts[ST_REDELIVER], p, &res)) !=
	    ERR_OK)
		return resp_error(w, e, NULL);
	if (PQntuples(res) != 1)
		return resp_error(w, ERR_NOT_FOUND, "Notification not found");
	if (strcmp(db_val(res, 0, 1), "1") != 0)
		return resp_error(w, ERR_CONFLICT, "The notification is still "
		    "being delivered");
	o = json_object_new_object();
	json_object_object_add(o, "notificationId", json_object_new_string(p[1]));
	json_object_object_add(o, "status", json_object_new_string("PENDING"));
	return resp_ok(w, 202, o);
}

static const struct route routes[] = {
	{ "GET",    "/api/v1/notifications",			log_list,	AUTH_USER, SCOPE_READ, RL_PROFILE_GET },
	{ "GET",    "/api/v1/notifications/preferences",	prefs_get,	AUTH_USER, SCOPE_READ, RL_PROFILE_GET },
	{ "PUT",    "/api/v1/notifications/preferences",	prefs_put,	AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
	{ "GET",    "/api/v1/notifications/thresholds",		thresholds_get,	AUTH_USER, SCOPE_READ, RL_PROFILE_GET },
	{ "PUT",    "/api/v1/notifications/thresholds",		thresholds_put,	AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT,
	    thresholds_body },
	{ "GET",    "/api/v1/notifications/webhooks",		hooks_list,	AUTH_USER, SCOPE_READ, RL_PROFILE_GET },
	{ "POST",   "/api/v1/notifications/webhooks",		hook_create,	AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT,
	    hook_fields },
	{ "GET",    "/api/v1/notifications/webhooks/sources",	hook_sources,	AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "DELETE", "/api/v1/notifications/webhooks/{webhookId}", hook_delete,	AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
	{ "POST",   "/api/v1/notifications/webhooks/{webhookId}/rotate", hook_rotate, AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
	{ "POST",   "/api/v1/notifications/webhooks/{webhookId}/test", hook_test, AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
	{ "POST",   "/api/v1/notifications/{notificationId}/redeliver", log_redeliver, AUTH_USER, SCOPE_NONE, RL_PROFILE_PUT },
};

int
main(void)
{
	static const struct app app = {
		.name = "notifications",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
