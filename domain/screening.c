/* domain/screening.c — §11.1's control points: the registration blacklist, PEP and sanctions screening of KYC names */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/compliance.h"
#include "domain/screening.h"
#include "domain/screening_match.h"

enum { ST_CANDIDATES, ST_LINK, ST_BLACKLISTED, ST__COUNT };

static const struct stmt stmts[] = {
	/* Only entries that could be this person: the name is compared in C. */
	[ST_CANDIDATES] = { "screening_candidates",
	  "SELECT list, source, full_name, name_key, birth_date::text,"
	  " nationality, reference FROM screening_entries"
	  " WHERE (birth_date IS NULL OR birth_date = $1::date)"
	  " AND (nationality IS NULL OR nationality = $2)", 2 },
	[ST_LINK] = { "screening_link",
	  "UPDATE kyc_submissions SET screening_alert_id ="
	  " (SELECT id FROM compliance_alerts WHERE public_id = $2)"
	  " WHERE id = $1", 2 },
	[ST_BLACKLISTED] = { "screening_blacklisted",
	  "SELECT public_id, kind, value, reason FROM identity_blacklist"
	  " WHERE removed_at IS NULL AND ((kind = 'EMAIL' AND value = $1)"
	  " OR (kind = 'EMAIL_DOMAIN' AND value = $2)"
	  " OR (kind = 'PHONE' AND value = $3)) ORDER BY id LIMIT 1", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "screening statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

static struct json_object *
entry_json(PGresult *res, int i, int distance)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "list", json_object_new_string(db_val(res, i, 0)));
	json_object_object_add(o, "source", json_object_new_string(db_val(res, i, 1)));
	json_object_object_add(o, "name", json_object_new_string(db_val(res, i, 2)));
	json_object_object_add(o, "birthDate", json_str_or_null(db_val(res, i, 4)));
	json_object_object_add(o, "nationality", json_str_or_null(db_val(res, i, 5)));
	json_object_object_add(o, "reference", json_str_or_null(db_val(res, i, 6)));
	json_object_object_add(o, "distance", json_object_new_int(distance));
	return o;
}

enum err
screening_kyc(struct ctx *c, const char *kyc_rowid, const char *kyc_id,
    const char *first, const char *last, const char *birth,
    const char *nationality, char alert_id[25])
{
	const char *p[2] = { birth, nationality }, *pl[2];
	char key[NAME_KEY_MAX], *full;
	struct json_object *det, *arr;
	struct alert_in a;
	PGresult *res;
	int i, n = 0, d, sanctions = 0, created;
	enum err e;

	alert_id[0] = '\0';
	if ((full = arena_printf(c->arena, "%s %s", first, last)) == NULL)
		return ERR_INTERNAL;
	if (name_key(full, strlen(full), key) == -1)
		return ERR_OK;		/* nothing a list could name */
	if ((e = q(c, ST_CANDIDATES, p, &res)) != ERR_OK)
		return e;
	det = json_own(c->arena, json_object_new_object());
	arr = json_object_new_array();
	for (i = 0; i < PQntuples(res) && n < SCREENING_MATCHES_MAX; i++) {
		if (!name_match(key, db_val(res, i, 3), &d))
			continue;
		json_object_array_add(arr, entry_json(res, i, d));
		sanctions |= strcmp(db_val(res, i, 0), "SANCTIONS") == 0;
		n++;
	}
	json_object_object_add(det, "kycId", json_object_new_string(kyc_id));
	json_object_object_add(det, "screenedName", json_object_new_string(full));
	json_object_object_add(det, "dateOfBirth", json_object_new_string(birth));
	json_object_object_add(det, "nationality", json_object_new_string(nationality));
	json_object_object_add(det, "matches", arr);
	if (n == 0)
		return ERR_OK;
	memset(&a, 0, sizeof(a));
	a.user_id = c->actor != NULL ? c->actor->idtxt : NULL;
	a.severity = sanctions ? "CRITICAL" : "HIGH";
	a.type = "BLACKLIST_HIT";
	a.risk_score = sanctions ? 95 : 75;
	a.subject = arena_printf(c->arena, "kyc:%s", kyc_id);
	a.details = det;
	if ((e = compliance_alert_raise(c, &a, alert_id, &created)) != ERR_OK)
		return e;
	pl[0] = kyc_rowid;
	pl[1] = alert_id;
	return q(c, ST_LINK, pl, &res);
}

enum err
screening_registration(struct ctx *c, const char *email, const char *phone,
    int *refused, char alert_id[25])
{
	const char *at = strchr(email, '@'), *p[3] = { email, at ? at + 1 : "",
	    phone };
	struct json_object *det;
	struct alert_in a;
	PGresult *res;
	int created;
	enum err e;

	*refused = 0;
	alert_id[0] = '\0';
	if ((e = q(c, ST_BLACKLISTED, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) == 0)
		return ERR_OK;
	*refused = 1;
	det = json_own(c->arena, json_object_new_object());
	json_object_object_add(det, "check", json_object_new_string("REGISTRATION"));
	json_object_object_add(det, "entryId", json_object_new_string(db_val(res, 0, 0)));
	json_object_object_add(det, "kind", json_object_new_string(db_val(res, 0, 1)));
	json_object_object_add(det, "value", json_object_new_string(db_val(res, 0, 2)));
	json_object_object_add(det, "email", json_object_new_string(email));
	json_object_object_add(det, "phoneNumber", json_str_or_null(phone));
	memset(&a, 0, sizeof(a));
	a.severity = "HIGH";
	a.type = "BLACKLIST_HIT";
	a.risk_score = 80;
	a.subject = arena_printf(c->arena, "registration:%s", db_val(res, 0, 0));
	a.details = det;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = compliance_alert_raise(c, &a, alert_id, &created)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK) {
		db_rollback(c->db);
		return e;
	}
	if (!created)
		alert_id[0] = '\0';	/* told already: no second mail */
	return ERR_OK;
}
