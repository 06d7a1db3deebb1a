/* domain/notify.c — telling people: every mail to users and staff goes through here */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/mime.h"
#include "core/tmpl.h"
#include "core/util.h"
#include "domain/notify.h"
#include "domain/notify_mail.h"
#include "domain/outbox.h"

#define STAFF_MAX	50	/* recipients of one staff mail (as ST_STAFF's LIMIT) */

enum { ST_STAFF, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_STAFF] = { "notify_staff",
	  "SELECT DISTINCT u.email FROM users u JOIN user_roles r ON r.user_id = u.id"
	  " WHERE r.role IN ('ADMIN', 'COMPLIANCE') AND u.status IN ('ACTIVE', 'EMAIL_VERIFIED')"
	  " ORDER BY u.email LIMIT 50", 0 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "notify statements");

/*
 * Queued as the event "mail.<tmpl>" for the delivery worker
 * (cron/notify.c), which sends every mail through core/mail: one way out,
 * with its retries and delivery log. The variables are sealed: they may
 * carry codes.
 */
void
notify_mail(struct ctx *c, const char *to, const char *tmpl,
    const struct kv *vars, size_t nvars)
{
	struct json_object *payload;
	char evt[OUTBOX_ID_LEN + 1], *type;

	if (to == NULL || !tmpl_name_ok(tmpl) || !mime_addr_ok(to) ||
	    (type = arena_printf(c->arena, "mail.%s", tmpl)) == NULL ||
	    (payload = notify_mail_payload(c, to, vars, nvars)) == NULL ||
	    outbox_put(c->db, c->arena, NULL, type, payload, evt) != ERR_OK)
		log_error("notify: mail %s not queued", tmpl);
}

void
notify_staff(struct ctx *c, const char *tmpl, const struct kv *vars,
    size_t nvars)
{
	const char *list = cfg_get("compliance_alert_mail_to", "");
	char *copy, *p, *e, *end;
	PGresult *res;
	int i, n = 0;

	if (list[0] != '\0') {
		if ((copy = arena_strdup(c->arena, list)) == NULL)
			return;
		for (p = copy; *p != '\0' && n < STAFF_MAX; p = e) {
			e = p + strcspn(p, ",");
			if (*e == ',')
				*e++ = '\0';
			while (*p == ' ')
				p++;
			for (end = p + strlen(p); end > p && end[-1] == ' '; end--)
				end[-1] = '\0';
			if (*p != '\0') {
				notify_mail(c, p, tmpl, vars, nvars);
				n++;
			}
		}
		return;
	}
	if (db_query(c->db, c->arena, &stmts[ST_STAFF], NULL, &res) != ERR_OK) {
		log_error("notify: staff addresses unavailable; mail %s not sent",
		    tmpl);
		return;
	}
	for (i = 0; i < PQntuples(res); i++)
		notify_mail(c, db_val(res, i, 0), tmpl, vars, nvars);
}
