/* domain/notify.c — telling people: every mail to users and staff goes through here */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/util.h"
#include "domain/notify.h"

#define STAFF_MAX	50	/* recipients of one staff mail (as ST_STAFF's LIMIT) */

enum { ST_STAFF, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_STAFF] = { "notify_staff",
	  "SELECT DISTINCT u.email FROM users u JOIN user_roles r ON r.user_id = u.id"
	  " WHERE r.role IN ('ADMIN', 'COMPLIANCE') AND u.status IN ('ACTIVE', 'EMAIL_VERIFIED')"
	  " ORDER BY u.email LIMIT 50", 0 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "notify statements");

void
notify_mail(struct ctx *c, const char *to, const char *tmpl,
    const struct kv *vars, size_t nvars)
{
	if (to == NULL || mail_send(c->arena, to, tmpl, vars, nvars) == -1)
		log_error("notify: mail %s not sent", tmpl);
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
