/* domain/compliance.c — compliance alerts: raised once per subject and type, written to the audit log, announced and mailed to staff */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/compliance.h"
#include "domain/notify.h"
#include "domain/outbox.h"

enum { ST_INSERT, ST_FIND, ST_MAIL, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_INSERT] = { "compliance_alert_insert",
	  "INSERT INTO compliance_alerts (public_id, user_id, severity, type,"
	  " risk_score, subject, details) VALUES ($1, $2, $3, $4, $5, $6,"
	  " $7::jsonb) ON CONFLICT (type, subject) DO NOTHING RETURNING id", 7 },
	[ST_FIND] = { "compliance_alert_find",
	  "SELECT public_id FROM compliance_alerts WHERE type = $1"
	  " AND subject = $2", 2 },
	[ST_MAIL] = { "compliance_alert_mail",
	  "SELECT a.severity, a.type, a.risk_score, a.subject,"
	  " coalesce(u.public_id, '-'), " DB_ISO("a.created_at") ","
	  " jsonb_pretty(a.details) FROM compliance_alerts a"
	  " LEFT JOIN users u ON u.id = a.user_id WHERE a.public_id = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "compliance statements");

enum err
compliance_alert_raise(struct ctx *c, const struct alert_in *in,
    char id[ALERT_ID_LEN + 1], int *created)
{
	char risk[8], evt[OUTBOX_ID_LEN + 1];
	const char *p[7];
	struct json_object *ev;
	PGresult *res;
	enum err e;

	*created = 0;
	if (util_public_id("alt_", id, ALERT_ID_LEN + 1) == -1)
		return ERR_INTERNAL;
	snprintf(risk, sizeof(risk), "%d", in->risk_score);
	p[0] = id;
	p[1] = in->user_id;
	p[2] = in->severity;
	p[3] = in->type;
	p[4] = risk;
	p[5] = in->subject;
	p[6] = in->details != NULL ? json_object_to_json_string_ext(in->details,
	    JSON_C_TO_STRING_PLAIN) : "{}";
	if ((e = db_query(c->db, c->arena, &stmts[ST_INSERT], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) == 0) {
		p[0] = in->type;
		p[1] = in->subject;
		if ((e = db_query(c->db, c->arena, &stmts[ST_FIND], p,
		    &res)) != ERR_OK)
			return e;
		if (PQntuples(res) == 1)
			snprintf(id, ALERT_ID_LEN + 1, "%s", db_val(res, 0, 0));
		return ERR_OK;
	}
	*created = 1;
	if ((e = audit_write(c, "COMPLIANCE_ALERT", c->actor, in->user_id, id,
	    "RAISED", in->type, in->details)) != ERR_OK)
		return e;
	if ((ev = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(ev, "alertId", json_object_new_string(id));
	json_object_object_add(ev, "severity", json_object_new_string(in->severity));
	json_object_object_add(ev, "type", json_object_new_string(in->type));
	json_object_object_add(ev, "riskScore", json_object_new_int(in->risk_score));
	json_object_object_add(ev, "subject", json_object_new_string(in->subject));
	/* For staff, not the user: the event names no user. */
	return outbox_put(c->db, c->arena, NULL, "compliance.alert", ev, evt);
}

void
compliance_alert_notify(struct ctx *c, const char *id)
{
	const char *p[1] = { id };
	PGresult *res;

	if (id == NULL || id[0] == '\0')
		return;
	if (db_query(c->db, c->arena, &stmts[ST_MAIL], p, &res) != ERR_OK ||
	    PQntuples(res) != 1) {
		log_error("compliance: alert %s: no mail (not found)", id);
		return;
	}
	if (strcmp(db_val(res, 0, 0), "HIGH") != 0 &&
	    strcmp(db_val(res, 0, 0), "CRITICAL") != 0)
		return;
	{
		struct kv vars[] = {
			{ "alertId", id },
			{ "severity", db_val(res, 0, 0) },
			{ "type", db_val(res, 0, 1) },
			{ "riskScore", db_val(res, 0, 2) },
			{ "subject", db_val(res, 0, 3) },
			{ "userId", db_val(res, 0, 4) },
			{ "createdAt", db_val(res, 0, 5) },
			{ "details", db_val(res, 0, 6) },
		};

		notify_staff(c, "compliance_alert", vars, nitems(vars));
	}
}

void
compliance_alert_after(struct req *r, void *id)
{
	struct ctx c = ctx_req(r);

	compliance_alert_notify(&c, id);
}
