/* domain/notify_fanout.c — outbox events turned into messages: per preference and channel; e-mail folded against spam, every event its own webhook */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/notify_fanout.h"
#include "domain/notify_types.h"

/*
 * Events claimed at once. A matcher batch writes thousands of
 * order.filled at a time; the events of one user and type in a claim
 * become one e-mail (they would fold into it one by one anyway), so a
 * larger claim means fewer statements. Webhooks take every event: a
 * receiving program needs each one, when it happens.
 */
#define FANOUT_BATCH	"1000"
#define FANOUT_MAX	1000

/*
 * An event whose transaction began this long before the claim's is
 * looked for even below the mark: its transaction may commit after one
 * that drew a higher id. Longer ones wait for the next sweep.
 */
#define FANOUT_LATE_S	"10"

enum {
	EV_ID, EV_PUBLIC_ID, EV_USER, EV_TYPE, EV_PAYLOAD, EV_AT, EV_TOP
};

enum {
	ST_CLAIM, ST_PREFS, ST_ENDPOINTS, ST_ENQUEUE, ST__COUNT
};

static const struct stmt stmts[] = {
	/*
	 * Recent events only: older ones were fanned out or never will be.
	 * Of those, the ones above $1 (struct fanout_mark) and the ones whose
	 * transactions began in the last FANOUT_LATE_S seconds; $1 = 0 looks
	 * at the whole day. Each is looked up in notify_fanout by its key
	 * (a subquery the planner keeps as one, where NOT EXISTS became a
	 * hash of every event fanned out today, built for every claim).
	 * An event is ours once our row in notify_fanout goes in: the row
	 * lock alone does not say so, since a worker that began looking
	 * before another's fan-out committed still sees the event as new and
	 * finds it unlocked; the insert sees the other's row and yields
	 * nothing. Rolled back, the rows go with the deliveries.
	 */
	[ST_CLAIM] = { "fanout_claim",
	  "WITH c AS (SELECT o.id FROM outbox o"
	  "  WHERE (o.id > $1::bigint OR o.created_at > now() - interval '"
	  FANOUT_LATE_S " seconds')"
	  "  AND o.created_at > now() - interval '1 day'"
	  "  AND (SELECT f.outbox_id FROM notify_fanout f"
	  "   WHERE f.outbox_id = o.id) IS NULL"
	  "  ORDER BY o.id LIMIT " FANOUT_BATCH " FOR UPDATE OF o SKIP LOCKED),"
	  " d AS (INSERT INTO notify_fanout (outbox_id) SELECT id FROM c"
	  "  ON CONFLICT DO NOTHING RETURNING outbox_id),"
	  /* The highest event id there is, as this claim saw the table. */
	  " t AS (SELECT coalesce(max(id), 0) AS top FROM outbox)"
	  " SELECT e.id, e.public_id, e.user_id, e.event_type, e.payload,"
	  " e.created_at, t.top FROM t LEFT JOIN (SELECT o.id, o.public_id,"
	  "  o.user_id, o.event_type, o.payload::text AS payload, o.created_at"
	  "  FROM outbox o JOIN d ON d.outbox_id = o.id) e ON true"
	  " ORDER BY e.id", 1 },
	[ST_PREFS] = { "fanout_prefs",
	  "SELECT coalesce(p.email_enabled, $3::boolean),"
	  " coalesce(p.webhook_enabled, true),"
	  " p.webhook_url, u.email FROM users u"
	  " LEFT JOIN notification_preferences p ON p.user_id = u.id"
	  " AND p.notification_type = $2 WHERE u.id = $1", 3 },
	/* $3: only this URL (the preference's), $4: only this endpoint (a test). */
	[ST_ENDPOINTS] = { "fanout_endpoints",
	  "SELECT id FROM webhook_endpoints WHERE user_id = $1"
	  " AND deleted_at IS NULL AND ($2 = ANY (events) OR '*' = ANY (events)"
	  "  OR $4::text IS NOT NULL)"
	  " AND ($3::text IS NULL OR url = $3)"
	  " AND ($4::text IS NULL OR public_id = $4) ORDER BY id", 4 },
	/*
	 * One message, or one more event folded into a waiting one.
	 * $1 user (or NULL: by $5's address), $2 event id, $3 type,
	 * $4 channel, $5 recipient, $6 endpoint, $7 payload, $8 event time,
	 * $9 fold ('t'/'f'), $10 digest window s, $11 rate per hour,
	 * $12 how many events ($7 the latest of them, $2 the first).
	 */
	[ST_ENQUEUE] = { "fanout_enqueue",
	  "WITH u AS (SELECT coalesce($1::bigint,"
	  "  (SELECT id FROM users WHERE email = $5)) AS id),"
	  " recent AS (SELECT n.id, n.status, n.attempts, n.created_at, n.next_at"
	  "  FROM notifications n, u WHERE $9 AND n.user_id = u.id"
	  "  AND n.event_type = $3 AND n.channel = $4"
	  "  AND n.endpoint_id IS NOT DISTINCT FROM $6::bigint"
	  "  AND n.created_at > now() - interval '1 hour' ORDER BY n.id DESC),"
	  " last AS (SELECT * FROM recent LIMIT 1),"
	  " capped AS (SELECT count(*) >= $11::int AS over,"
	  "  min(created_at) + interval '1 hour' AS until FROM recent),"
	  " fold AS (UPDATE notifications n"
	  "  SET events_count = n.events_count + $12::int,"
	  "  payload = $7::jsonb FROM last, capped"
	  "  WHERE n.id = last.id AND last.status = 'PENDING' AND last.attempts = 0"
	  "  AND (last.created_at > now() - make_interval(secs => $10::int)"
	  "   OR capped.over) RETURNING n.id)"
	  " INSERT INTO notifications (public_id, user_id, outbox_id, event_id,"
	  " event_type, channel, recipient, endpoint_id, payload, events_count,"
	  " event_at, next_at)"
	  " SELECT hzm_public_id('msg_'), u.id, o.id, $2, $3, $4, $5, $6::bigint,"
	  " $7::jsonb, $12::int, $8::timestamptz, greatest(now(),"
	  "  CASE WHEN capped.over THEN capped.until"
	  "  WHEN last.created_at > now() - make_interval(secs => $10::int)"
	  "  THEN last.created_at + make_interval(secs => $10::int) END)"
	  " FROM u CROSS JOIN capped LEFT JOIN last ON true"
	  " LEFT JOIN outbox o ON o.public_id = $2"
	  " WHERE NOT EXISTS (SELECT 1 FROM fold)", 12 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "fanout statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

struct event {
	const char	*public_id, *user, *type, *payload, *at;
	const char	*latest;	/* the payload its e-mail shows (folded) */
	int		 fold;		/* its e-mail may fold */
	int		 count;		/* events its e-mail stands for */
	int		 taken;		/* its e-mail is an earlier one's of the claim */
};

static enum err
enqueue(struct ctx *c, const struct event *ev, const char *channel,
    const char *recipient, const char *endpoint)
{
	char window[24], rate[24], count[16];
	int fold = ev->fold && strcmp(channel, "WEBHOOK") != 0;
	const char *p[12];
	PGresult *res;

	snprintf(window, sizeof(window), "%lld",
	    cfg_int("notify_digest_seconds", 300));
	snprintf(rate, sizeof(rate), "%lld", cfg_int("notify_rate_per_hour", 20));
	p[0] = ev->user;
	p[1] = ev->public_id;
	p[2] = ev->type;
	p[3] = channel;
	p[4] = recipient;
	p[5] = endpoint;
	p[6] = fold && ev->latest != NULL ? ev->latest : ev->payload;
	p[7] = ev->at;
	p[8] = fold ? "t" : "f";
	p[9] = window;
	p[10] = rate;
	snprintf(count, sizeof(count), "%d", fold ? ev->count : 1);
	p[11] = count;
	return q(c, ST_ENQUEUE, p, &res);
}

/* mail.<template>: a service's own mail (notify_mail), always sent. */
static enum err
fan_mail(struct ctx *c, struct event *ev)
{
	struct json_object *o, *to;
	enum err e = ERR_OK;

	if ((o = json_tokener_parse(ev->payload)) == NULL)
		return ERR_OK;
	if (json_object_object_get_ex(o, "to", &to) &&
	    json_object_is_type(to, json_type_string)) {
		ev->fold = 0;
		e = enqueue(c, ev, "EMAIL", json_object_get_string(to), NULL);
	}
	json_object_put(o);
	return e;
}

/*
 * A bank deposit's deposit.confirmed: the fiat service mails it itself
 * (fiat_deposit_credited, with the transfer's figures).
 */
static int
service_mailed(const struct event *ev)
{
	struct json_object *o, *m;
	int yes;

	if (strcmp(ev->type, "deposit.confirmed") != 0 ||
	    (o = json_tokener_parse(ev->payload)) == NULL)
		return 0;
	yes = json_object_object_get_ex(o, "method", &m) &&
	    json_object_is_type(m, json_type_string) &&
	    strcmp(json_object_get_string(m), "BANK_TRANSFER") == 0;
	json_object_put(o);
	return yes;
}

static enum err
fan_event(struct ctx *c, struct event *ev)
{
	const struct notify_type *t = notify_type_find(ev->type);
	const char *p[4] = { ev->user, ev->type,
	    t != NULL && (t->flags & NT_OPT_IN) ? "f" : "t", NULL };
	struct json_object *o = NULL, *hook;
	PGresult *pr, *er;
	enum err e;
	int i;

	if (t != NULL && strcmp(t->name, "webhook.test") == 0) {
		if ((o = json_tokener_parse(ev->payload)) != NULL &&
		    json_object_object_get_ex(o, "webhookId", &hook))
			p[3] = arena_strdup(c->arena, json_object_get_string(hook));
		json_object_put(o);
		if (p[3] == NULL)
			return ERR_OK;
	}
	if ((e = q(c, ST_PREFS, p, &pr)) != ERR_OK)
		return e;
	if (PQntuples(pr) != 1)
		return ERR_OK;
	ev->fold = t == NULL || !(t->flags & NT_SECURITY);
	if (p[3] == NULL && !ev->taken && (t == NULL || !(t->flags & NT_NO_MAIL)) &&
	    !service_mailed(ev) &&
	    strcmp(db_val(pr, 0, 0), "t") == 0 &&
	    (e = enqueue(c, ev, "EMAIL", db_val(pr, 0, 3), NULL)) != ERR_OK)
		return e;
	if (p[3] == NULL && strcmp(db_val(pr, 0, 1), "t") != 0)
		return ERR_OK;
	p[2] = p[3] == NULL ? db_val(pr, 0, 2) : NULL;
	if ((e = q(c, ST_ENDPOINTS, p, &er)) != ERR_OK)
		return e;
	for (i = 0; i < PQntuples(er); i++)
		if ((e = enqueue(c, ev, "WEBHOOK", NULL, db_val(er, i, 0))) !=
		    ERR_OK)
			return e;
	return ERR_OK;
}

/*
 * Whether an event may stand for later ones of its user and type in the
 * same claim: the fold rule would put them into its message anyway.
 * Security events, a service's mail and tests are each their own.
 */
static int
fanout_groupable(const struct event *ev)
{
	const struct notify_type *t;

	if (ev->user == NULL || strncmp(ev->type, "mail.", 5) == 0)
		return 0;
	t = notify_type_find(ev->type);
	return t == NULL || !(t->flags & (NT_SECURITY | NT_NO_PREF));
}

/*
 * Fold the claim's events' e-mails per user and type into the first of
 * each: its count grows, its e-mail shows the latest payload. The e-mail
 * keeps the first event's id and time, as folding one by one would.
 * Every event still goes to its webhooks.
 */
static void
fanout_group(struct event *ev, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		if (ev[i].taken || !fanout_groupable(&ev[i]))
			continue;
		for (j = i + 1; j < n; j++)
			if (!ev[j].taken && ev[j].user != NULL &&
			    strcmp(ev[j].user, ev[i].user) == 0 &&
			    strcmp(ev[j].type, ev[i].type) == 0) {
				ev[j].taken = 1;
				ev[i].count++;
				ev[i].latest = ev[j].payload;
			}
	}
}

static enum err
fanout_one(struct ctx *c, struct event *ev)
{
	if (strncmp(ev->type, "mail.", 5) == 0)
		return fan_mail(c, ev);
	if (ev->user != NULL)
		return fan_event(c, ev);
	return ERR_OK;
}

/*
 * After a claim of rows events. A full claim goes on from its last event
 * (a sweep too). One that left nothing behind it moves the mark to the
 * top the claim saw: every event up to it is fanned out, or is another
 * worker's, or was not yet committed (the late window or the next sweep
 * finds those).
 */
static void
mark_move(struct fanout_mark *m, PGresult *res, int rows, int sweep,
    int64_t now)
{
	long long to = strtoll(db_val(res, rows > 0 ? rows - 1 : 0,
	    rows == FANOUT_MAX ? EV_ID : EV_TOP), NULL, 10);

	if (to > m->low)
		m->low = to;
	if (sweep && rows < FANOUT_MAX)
		m->swept_ms = now;
}

enum err
notify_fanout(struct ctx *c, struct fanout_mark *m, int *n)
{
	struct event *ev = NULL;
	int64_t now = util_mono_ms();
	int sweep = m->swept_ms == 0 ||
	    now - m->swept_ms >= cfg_int("notify_sweep_seconds", 60) * 1000;
	char low[24];
	const char *p[1] = { low };
	PGresult *res;
	enum err e;
	int i, rows;

	*n = 0;
	snprintf(low, sizeof(low), "%lld", sweep ? 0 : m->low);
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_CLAIM, p, &res)) != ERR_OK)
		goto fail;
	/* One row with the top alone when there was nothing to claim. */
	if ((rows = PQntuples(res)) == 1 && PQgetisnull(res, 0, EV_ID)) {
		db_rollback(c->db);
		mark_move(m, res, 0, sweep, now);
		return ERR_OK;
	}
	if (rows > FANOUT_MAX ||
	    (ev = arena_calloc(c->arena, rows, sizeof(*ev))) == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	for (i = 0; i < rows; i++) {
		ev[i].public_id = db_val(res, i, EV_PUBLIC_ID);
		ev[i].user = db_val(res, i, EV_USER);
		ev[i].type = db_val(res, i, EV_TYPE);
		ev[i].payload = db_val(res, i, EV_PAYLOAD);
		ev[i].at = db_val(res, i, EV_AT);
		ev[i].count = 1;
	}
	fanout_group(ev, rows);
	for (i = 0; i < rows; i++)
		if ((e = fanout_one(c, &ev[i])) != ERR_OK)
			goto fail;
	if ((e = db_commit(c->db)) != ERR_OK)
		goto fail;
	mark_move(m, res, rows, sweep, now);
	*n = rows;
	return ERR_OK;
fail:
	db_rollback(c->db);
	log_error("notify: fan-out failed");
	return e;
}
