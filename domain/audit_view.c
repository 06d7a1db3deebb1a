/* domain/audit_view.c — reading the audit log for staff: filtered pages, CSV rows, and the hash chain checked over a range */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/audit_view.h"

/*
 * $1 actor (usr_), $2 target user (usr_), $3 event type, $4 from, $5 to.
 * Each filter has an index ending in id (sql/003, sql/022); custom plans
 * let the NULL ones fold away, as in domain/trade_search.c.
 */
#define AUDIT_WHERE \
	" WHERE ($1::text IS NULL OR a.actor_user_id ="			\
	"  (SELECT id FROM users WHERE public_id = $1))"		\
	" AND ($2::text IS NULL OR a.target_user_id ="			\
	"  (SELECT id FROM users WHERE public_id = $2))"		\
	" AND ($3::text IS NULL OR a.event_type = $3)"			\
	" AND ($4::timestamptz IS NULL OR a.created_at >= $4)"		\
	" AND ($5::timestamptz IS NULL OR a.created_at < $5)"
#define AUDIT_COLS \
	"SELECT a.public_id, a.event_type, au.public_id, a.actor_email,"	\
	" tu.public_id, a.target_ref, a.action, a.reason, a.details::text,"	\
	" a.ip, " DB_ISO("a.created_at") ", encode(a.hash, 'hex'),"		\
	" encode(a.prev_hash, 'hex')"						\
	" FROM audit_log a LEFT JOIN users au ON au.id = a.actor_user_id"	\
	" LEFT JOIN users tu ON tu.id = a.target_user_id"
#define CAP	"10000"
_Static_assert(AUDIT_COUNT_MAX == 10000, "CAP");

/*
 * The range is the ids from the first row written at or after $1 to the
 * last written before $2 (created_at is the writer's transaction start,
 * so times are not quite in chain order; ids are). The row before the
 * range comes along as the first link's predecessor.
 */
#define CHAIN_CHECK \
	"WITH lo AS (SELECT min(id) AS id FROM audit_log"			\
	"  WHERE $1::timestamptz IS NULL OR created_at >= $1),"			\
	" hi AS (SELECT max(id) AS id FROM audit_log"				\
	"  WHERE $2::timestamptz IS NULL OR created_at < $2),"			\
	" r AS (SELECT a.id, a.public_id, a.created_at, a.prev_hash, a.hash,"	\
	"  sha256(convert_to(audit_row_text(a), 'UTF8')) AS want,"		\
	"  lag(a.hash) OVER (ORDER BY a.id) AS before"				\
	"  FROM audit_log a, lo, hi WHERE a.id <= hi.id AND a.id >="		\
	"  coalesce((SELECT max(p.id) FROM audit_log p WHERE p.id < lo.id), lo.id)),"	\
	" c AS (SELECT r.id, r.public_id, r.created_at,"			\
	"  CASE WHEN r.prev_hash <> coalesce(r.before, '\\x00'::bytea)"		\
	"  THEN 'PREV_HASH_MISMATCH' WHEN r.hash <> r.want"			\
	"  THEN 'HASH_MISMATCH' END AS problem FROM r, lo WHERE r.id >= lo.id)"	\
	" SELECT (SELECT count(*) FROM c),"					\
	" (SELECT public_id FROM c ORDER BY id LIMIT 1),"			\
	" (SELECT public_id FROM c ORDER BY id DESC LIMIT 1),"			\
	" b.public_id, b.problem, " DB_ISO("b.created_at")			\
	" FROM (SELECT 1) one LEFT JOIN (SELECT * FROM c"			\
	"  WHERE problem IS NOT NULL ORDER BY id LIMIT 1) b ON true"

enum { ST_CUSTOM, ST_COUNT, ST_DESC, ST_ASC, ST_CHECK, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_CUSTOM] = { "audit_custom_plans",
	  "SELECT set_config('plan_cache_mode', 'force_custom_plan', false)", 0 },
	[ST_COUNT] = { "audit_search_count",
	  "SELECT count(*) FROM (SELECT 1 FROM audit_log a" AUDIT_WHERE
	  " ORDER BY a.id DESC LIMIT " CAP ") s", 5 },
	[ST_DESC] = { "audit_search_desc",
	  AUDIT_COLS AUDIT_WHERE " ORDER BY a.id DESC LIMIT $6 OFFSET $7", 7 },
	[ST_ASC] = { "audit_search_asc",
	  AUDIT_COLS AUDIT_WHERE " ORDER BY a.id LIMIT $6 OFFSET $7", 7 },
	[ST_CHECK] = { "audit_chain_check", CHAIN_CHECK, 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "audit_view statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

enum err
audit_search(struct ctx *c, const struct audit_query *in, PGresult **rows,
    long long *total)
{
	const char *p[7] = { in->actor_id, in->target_id, in->event_type,
	    in->from, in->to, in->limit, in->offset };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_CUSTOM, NULL, &res)) != ERR_OK ||
	    (e = q(c, ST_COUNT, p, &res)) != ERR_OK)
		return e;
	*total = strtoll(db_val(res, 0, 0), NULL, 10);
	return q(c, in->ascending ? ST_ASC : ST_DESC, p, rows);
}

/* Column of AUDIT_COLS, and the API's name of each. */
static const char *const audit_keys[] = { "auditId", "eventType",
    "adminUserId", "adminEmail", "targetUserId", "targetRef", "action",
    "reason", "details", "ipAddress", "timestamp", "hash", "prevHash" };
enum { COL_DETAILS = 8 };

/*
 * Members of details that §11.3's audit record has beside the others
 * (withdrawalId, riskScore, reviewedDocuments), lifted to the top too
 * where a row's details carry them.
 */
static const char *const lifted[] = { "withdrawalId", "riskScore",
    "reviewedDocuments" };

struct json_object *
audit_row_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object(), *d, *v;
	size_t k;

	for (k = 0; k < nitems(audit_keys); k++) {
		if (k == COL_DETAILS) {
			d = json_tokener_parse(db_val(res, i, (int)k));
			json_object_object_add(o, audit_keys[k], d);
			continue;
		}
		json_object_object_add(o, audit_keys[k],
		    json_str_or_null(db_val(res, i, (int)k)));
	}
	if (!json_object_object_get_ex(o, "details", &d) ||
	    !json_object_is_type(d, json_type_object))
		return o;
	for (k = 0; k < nitems(lifted); k++)
		if (json_object_object_get_ex(d, lifted[k], &v))
			json_object_object_add(o, lifted[k], json_object_get(v));
	return o;
}

void
audit_rows_csv(struct buf *b, PGresult *res)
{
	const char *cells[nitems(audit_keys)];
	int i, n = PQntuples(res);
	size_t k;

	csv_row(b, audit_keys, nitems(audit_keys));
	for (i = 0; i < n; i++) {
		for (k = 0; k < nitems(audit_keys); k++)
			cells[k] = db_val(res, i, (int)k);
		csv_row(b, cells, nitems(cells));
	}
}

enum err
audit_chain_check(struct ctx *c, const char *from, const char *to,
    struct audit_check *out)
{
	const char *p[2] = { from, to };
	PGresult *res;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = q(c, ST_CHECK, p, &res)) != ERR_OK)
		return e;
	out->checked = strtoll(db_val(res, 0, 0), NULL, 10);
	out->first_id = db_val(res, 0, 1);
	out->last_id = db_val(res, 0, 2);
	out->broken_id = db_val(res, 0, 3);
	out->problem = db_val(res, 0, 4);
	out->broken_at = db_val(res, 0, 5);
	return ERR_OK;
}
