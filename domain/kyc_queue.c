/* domain/kyc_queue.c — the KYC applications awaiting review, as staff page through them */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/kyc_queue.h"
#include "domain/users.h"

enum { ST_COUNT, ST_PAGE, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_COUNT] = { "kycq_count",
	  "SELECT count(*) FROM kyc_submissions WHERE status = 'PENDING_REVIEW'", 0 },
	/*
	 * Oldest first (applications are reviewed in the order they came),
	 * or $3 = '-submittedAt'.
	 */
	[ST_PAGE] = { "kycq_page",
	  "SELECT s.public_id, u.public_id, u.email, s.first_name, s.last_name,"
	  " s.date_of_birth::text, s.nationality, s.address,"
	  " " DB_ISO("s.submitted_at") ", u.kyc_level,"
	  " (SELECT json_agg(json_build_object('kind', d.kind, 'contentType',"
	  "  d.content_type, 'size', d.size, 'sha256', encode(d.sha256, 'hex'))"
	  "  ORDER BY d.kind) FROM kyc_documents d WHERE d.kyc_id = s.id),"
	  " a.public_id, a.resolution"
	  " FROM kyc_submissions s JOIN users u ON u.id = s.user_id"
	  " LEFT JOIN compliance_alerts a ON a.id = s.screening_alert_id"
	  " WHERE s.status = 'PENDING_REVIEW'"
	  " ORDER BY CASE $3 WHEN '-submittedAt' THEN s.submitted_at END DESC,"
	  " s.submitted_at, s.id LIMIT $1 OFFSET $2", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "kyc_queue statements");

enum err
kyc_queue_page(struct ctx *c, const char *limit, const char *offset,
    const char *sort, PGresult **rows, long long *total)
{
	const char *p[3] = { limit, offset, sort };
	PGresult *cnt;
	enum err e;

	if ((e = db_query(c->db, c->arena, &stmts[ST_COUNT], NULL, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return db_query(c->db, c->arena, &stmts[ST_PAGE], p, rows);
}

static void
add(struct json_object *o, const char *k, PGresult *res, int i, int col)
{
	json_object_object_add(o, k, json_object_new_string(db_val(res, i, col)));
}

struct json_object *
kyc_queue_json(PGresult *res, int i)
{
	static const char *const keys[] = { "kycId", "userId", "email",
	    "firstName", "lastName", "dateOfBirth", "nationality", "address",
	    "submittedAt" };
	struct json_object *o = json_object_new_object(), *docs;
	const char *resolution = db_val(res, i, 12);
	size_t k;

	for (k = 0; k < nitems(keys); k++)
		add(o, keys[k], res, i, (int)k);
	json_object_object_add(o, "currentLevel", json_object_new_string(
	    user_level_text((int)util_long(db_val(res, i, 9), 0))));
	docs = db_val(res, i, 10) != NULL ?
	    json_tokener_parse(db_val(res, i, 10)) : NULL;
	json_object_object_add(o, "documents", docs != NULL ? docs :
	    json_object_new_array());
	/* A PEP or sanctions match holds it until its alert is cleared. */
	json_object_object_add(o, "screeningAlertId",
	    json_str_or_null(db_val(res, i, 11)));
	json_object_object_add(o, "screeningHold", json_object_new_boolean(
	    resolution != NULL && strcmp(resolution, "RESOLVED") != 0 &&
	    strcmp(resolution, "FALSE_POSITIVE") != 0));
	return o;
}
