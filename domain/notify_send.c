/* domain/notify_send.c — due messages claimed and delivered: mail through core/mail, webhooks signed over libcurl multi */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/httpc.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/notify_mail.h"
#include "domain/notify_send.h"
#include "domain/webhook.h"

#define SEND_MAX	200
#define WEBHOOK_BODY_MAX	(64 * 1024)	/* answers kept */

enum {
	C_ID, C_PUBLIC_ID, C_CHANNEL, C_EVENT_ID, C_TYPE, C_PAYLOAD, C_COUNT,
	C_ATTEMPTS, C_RECIPIENT, C_EVENT_AT, C_ENDPOINT, C_URL, C_SECRET,
	C_OLD_SECRET, C_LANGUAGE, C_USER
};

enum { ST_CLAIM, ST_SENT, ST_RETRY, ST_FAILED, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_CLAIM] = { "nsend_claim",
	  "UPDATE notifications n SET status = 'SENDING',"
	  " attempts = n.attempts + 1,"
	  " next_at = now() + make_interval(secs => $2::int)"
	  " FROM (SELECT id FROM notifications WHERE status IN ('PENDING', 'SENDING')"
	  "  AND next_at <= now() ORDER BY next_at LIMIT $1"
	  "  FOR UPDATE SKIP LOCKED) c"
	  " LEFT JOIN notifications x ON x.id = c.id"
	  " LEFT JOIN webhook_endpoints e ON e.id = x.endpoint_id"
	  " LEFT JOIN notification_settings s ON s.user_id = x.user_id"
	  " LEFT JOIN users u ON u.id = x.user_id"
	  " WHERE n.id = c.id RETURNING n.id, n.public_id, n.channel, n.event_id,"
	  " n.event_type, n.payload::text, n.events_count, n.attempts,"
	  " n.recipient, " DB_ISO("n.event_at") ", e.public_id, e.url,"
	  " e.secret_sealed,"
	  " CASE WHEN e.old_secret_until > now() THEN e.old_secret_sealed END,"
	  " coalesce(s.language, 'en'), u.public_id", 2 },
	[ST_SENT] = { "nsend_sent",
	  "UPDATE notifications SET status = 'SENT', sent_at = now(),"
	  " last_status = $2::int, last_error = NULL WHERE id = $1", 2 },
	[ST_RETRY] = { "nsend_retry",
	  "UPDATE notifications SET status = 'PENDING',"
	  " next_at = now() + make_interval(secs => $2::float8 / 1000),"
	  " last_status = $3::int, last_error = $4 WHERE id = $1", 4 },
	[ST_FAILED] = { "nsend_failed",
	  "UPDATE notifications SET status = 'FAILED', last_status = $2::int,"
	  " last_error = $3 WHERE id = $1", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "notify_send statements");

/* One message's outcome. */
struct outcome {
	int		 ok;
	int		 final;		/* not worth another attempt */
	long		 status;	/* HTTP status, 0 none */
	char		 error[256];
};

static void
record(struct ctx *c, PGresult *m, int i, const struct outcome *o)
{
	const char *p[4];
	char st[16], wait[24];
	long long base = cfg_int("notify_retry_base_ms", 30000);
	int attempts = (int)util_long(db_val(m, i, C_ATTEMPTS), 1);
	unsigned r = 0;
	double w;
	PGresult *res;
	enum err e;

	snprintf(st, sizeof(st), "%ld", o->status);
	p[0] = db_val(m, i, C_ID);
	p[1] = o->status > 0 ? st : NULL;
	if (o->ok)
		e = db_query(c->db, c->arena, &stmts[ST_SENT], p, &res);
	else if (o->final || attempts >= cfg_int("notify_max_attempts", 3)) {
		p[2] = o->error;
		e = db_query(c->db, c->arena, &stmts[ST_FAILED], p, &res);
	} else {
		/* base * 2^(n-1), times a jitter of 0.5 to 1.5. */
		(void)util_random(&r, sizeof(r));
		w = (double)base * (double)(1LL << (attempts - 1 < 16 ?
		    attempts - 1 : 16)) * (0.5 + (double)(r % 1000) / 1000.0);
		snprintf(wait, sizeof(wait), "%.0f", w);
		p[1] = wait;
		p[2] = o->status > 0 ? st : NULL;
		p[3] = o->error;
		e = db_query(c->db, c->arena, &stmts[ST_RETRY], p, &res);
	}
	if (e != ERR_OK)
		log_error("notify: %s: outcome not recorded",
		    db_val(m, i, C_PUBLIC_ID));
	log_info("notify: %s %s %s attempt %d: %s%s%s",
	    db_val(m, i, C_PUBLIC_ID), db_val(m, i, C_CHANNEL),
	    db_val(m, i, C_TYPE), attempts, o->ok ? "sent" : "failed",
	    o->ok ? "" : ": ", o->ok ? "" : o->error);
}

/*
 * Appendix H's payload, with whose event it is (seed 002: the user, and
 * in data the bot); a digest says how many events it stands for.
 */
static const char *
webhook_body(struct ctx *c, PGresult *m, int i)
{
	struct json_object *o, *data;
	long count = util_long(db_val(m, i, C_COUNT), 1);

	o = json_own(c->arena, json_object_new_object());
	data = json_tokener_parse(db_val(m, i, C_PAYLOAD));
	if (data == NULL)
		data = json_object_new_object();
	if (count > 1) {
		struct json_object *d = json_object_new_object();

		json_object_object_add(d, "digest", json_object_new_boolean(1));
		json_object_object_add(d, "count", json_object_new_int64(count));
		json_object_object_add(d, "latest", data);
		data = d;
	}
	json_object_object_add(o, "eventId", json_object_new_string(db_val(m, i, C_EVENT_ID)));
	json_object_object_add(o, "eventType", json_object_new_string(db_val(m, i, C_TYPE)));
	json_object_object_add(o, "timestamp", json_object_new_string(db_val(m, i, C_EVENT_AT)));
	json_object_object_add(o, "userId", json_str_or_null(db_val(m, i, C_USER)));
	json_object_object_add(o, "data", data);
	return arena_strdup(c->arena, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
}

/* Signed headers for one webhook; -1 when its secret cannot be opened. */
static int
webhook_headers(struct ctx *c, PGresult *m, int i, const char *body,
    const char **h)
{
	char secret[WEBHOOK_SECRET_MAX], s1[WEBHOOK_SIG_MAX], s2[WEBHOOK_SIG_MAX];
	char ts[24];
	const char *ep = db_val(m, i, C_ENDPOINT), *id = db_val(m, i, C_PUBLIC_ID);
	int rc = -1;

	snprintf(ts, sizeof(ts), "%lld", (long long)(util_now_ms() / 1000));
	s2[0] = '\0';
	if (webhook_secret_open(c, ep, db_val(m, i, C_SECRET), secret) == -1 ||
	    webhook_sign(secret, id, ts, body, strlen(body), s1) == -1)
		goto out;
	/* During a rotation's overlap both secrets sign. */
	if (db_val(m, i, C_OLD_SECRET) != NULL &&
	    (webhook_secret_open(c, ep, db_val(m, i, C_OLD_SECRET), secret) ==
	    -1 || webhook_sign(secret, id, ts, body, strlen(body), s2) == -1))
		goto out;
	h[0] = "Content-Type: application/json";
	h[1] = arena_printf(c->arena, "webhook-id: %s", id);
	h[2] = arena_printf(c->arena, "webhook-timestamp: %s", ts);
	h[3] = arena_printf(c->arena, "webhook-signature: %s%s%s", s1,
	    s2[0] ? " " : "", s2);
	h[4] = NULL;
	rc = h[1] && h[2] && h[3] ? 0 : -1;
out:
	OPENSSL_cleanse(secret, sizeof(secret));
	return rc;
}

/* Build each webhook's request; refusals are final outcomes at once. */
static void
webhooks_send(struct ctx *c, PGresult *m, const int *idx, int n,
    struct outcome *out)
{
	struct httpc_req *rq = arena_calloc(c->arena, (size_t)n + 1, sizeof(*rq));
	struct httpc_resp *rs = arena_calloc(c->arena, (size_t)n + 1, sizeof(*rs));
	enum err *es = arena_calloc(c->arena, (size_t)n + 1, sizeof(*es));
	int *map = arena_calloc(c->arena, (size_t)n + 1, sizeof(*map));
	struct webhook_target t;
	const char **h;
	int i, k = 0;
	enum err e;

	if (rq == NULL || rs == NULL || es == NULL || map == NULL)
		return;
	for (i = 0; i < n; i++) {
		struct outcome *o = &out[idx[i]];
		const char *url = db_val(m, idx[i], C_URL), *body;

		if (url == NULL) {
			o->final = 1;
			snprintf(o->error, sizeof(o->error), "endpoint deleted");
			continue;
		}
		if ((e = webhook_url_check(url, 1, &t, o->error,
		    sizeof(o->error))) != ERR_OK) {
			o->final = e != ERR_SERVICE_UNAVAILABLE;
			continue;
		}
		h = arena_calloc(c->arena, 5, sizeof(*h));
		if (h == NULL || (body = webhook_body(c, m, idx[i])) == NULL ||
		    webhook_headers(c, m, idx[i], body, h) == -1) {
			snprintf(o->error, sizeof(o->error), "cannot sign");
			continue;
		}
		rq[k].method = "POST";
		rq[k].url = url;
		rq[k].headers = h;
		rq[k].body = body;
		rq[k].bodylen = strlen(body);
		rq[k].timeout_ms = (long)cfg_int("notify_webhook_timeout_ms", 10000);
		rq[k].max_response = WEBHOOK_BODY_MAX;
		rq[k].operator_url = t.allowed;
		rq[k].pin = arena_strdup(c->arena, t.pin);
		map[k++] = idx[i];
	}
	/* All of one claim's deliveries at once, each with its own timeout. */
	httpc_do_many(c->arena, rq, rs, es, (size_t)k, (long)k);
	for (i = 0; i < k; i++) {
		struct outcome *o = &out[map[i]];

		o->status = rs[i].status;
		if (es[i] == ERR_OK && rs[i].status >= 200 && rs[i].status < 300)
			o->ok = 1;
		else if (es[i] == ERR_OK)
			snprintf(o->error, sizeof(o->error), "HTTP %ld",
			    rs[i].status);
		else {
			snprintf(o->error, sizeof(o->error), "%s", rs[i].error);
			o->final = es[i] == ERR_FORBIDDEN;
		}
	}
}

enum err
notify_send_due(struct ctx *c, int *n)
{
	char batch[16], lease[16];
	const char *p[2] = { batch, lease };
	struct outcome *out;
	PGresult *m;
	int hooks[SEND_MAX], nh = 0, i;
	enum err e;

	*n = 0;
	snprintf(batch, sizeof(batch), "%lld", cfg_int("notify_batch", 50) > SEND_MAX ?
	    (long long)SEND_MAX : cfg_int("notify_batch", 50));
	snprintf(lease, sizeof(lease), "%lld", cfg_int("notify_lease_seconds", 60));
	/* The claim commits on its own: a lease others can see. */
	if ((e = db_query(c->db, c->arena, &stmts[ST_CLAIM], p, &m)) != ERR_OK)
		return e;
	if ((*n = PQntuples(m)) == 0)
		return ERR_OK;
	if ((out = arena_calloc(c->arena, (size_t)*n, sizeof(*out))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < *n; i++)
		if (strcmp(db_val(m, i, C_CHANNEL), "WEBHOOK") == 0)
			hooks[nh++] = i;
	webhooks_send(c, m, hooks, nh, out);
	for (i = 0; i < *n; i++)
		if (strcmp(db_val(m, i, C_CHANNEL), "EMAIL") == 0)
			out[i].ok = notify_mail_deliver(c, db_val(m, i, C_TYPE),
			    db_val(m, i, C_RECIPIENT), db_val(m, i, C_EVENT_ID),
			    db_val(m, i, C_PAYLOAD), db_val(m, i, C_LANGUAGE),
			    util_long(db_val(m, i, C_COUNT), 1), db_val(m, i,
			    C_EVENT_AT), out[i].error, sizeof(out[i].error)) == 0;
	for (i = 0; i < *n; i++)
		record(c, m, i, &out[i]);
	return ERR_OK;
}
