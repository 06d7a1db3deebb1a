/* domain/compliance_review.c — staff's side of compliance: alerts listed and moved through their resolutions, the withdrawal blacklist kept */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/list.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/chain.h"
#include "domain/compliance_review.h"

const char *const alert_severities[] = { "LOW", "MEDIUM", "HIGH", "CRITICAL",
    NULL };
const char *const alert_types[] = { "VELOCITY_EXCEEDED", "SUSPICIOUS_PATTERN",
    "BLACKLIST_HIT", "LARGE_TRANSACTION", "STRUCTURING", "CHAIN_REORG", NULL };
const char *const alert_resolutions[] = { "NEW", "UNDER_REVIEW", "RESOLVED",
    "FALSE_POSITIVE", "ESCALATED", NULL };

#define ALERT_COLS \
	"SELECT a.public_id, a.severity, a.type, a.risk_score, a.resolution," \
	" a.subject, u.public_id, u.email, a.details::text, a.note, r.public_id," \
	" " DB_ISO("a.resolved_at") ", " DB_ISO("a.created_at") "," \
	" " DB_ISO("a.updated_at") "," \
	" EXISTS (SELECT 1 FROM withdrawal_holds h WHERE h.alert_id = a.id" \
	"  AND h.released_at IS NULL)" \
	" FROM compliance_alerts a LEFT JOIN users u ON u.id = a.user_id" \
	" LEFT JOIN users r ON r.id = a.resolved_by"
#define ALERT_WHERE \
	" WHERE ($1::text IS NULL OR a.severity = $1)" \
	" AND ($2::text IS NULL OR a.type = $2)" \
	" AND ($3::text IS NULL OR a.resolution = $3)" \
	" AND ($4::text IS NULL OR u.public_id = $4)"
#define PAGE	" LIMIT $5 OFFSET $6"

#define BL_COLS \
	"SELECT b.network, b.address, b.reason, u.public_id," \
	" " DB_ISO("b.created_at") " FROM withdrawal_blacklist b" \
	" LEFT JOIN users u ON u.id = b.added_by"

enum {
	ST_COUNT, ST_NEW, ST_OLD, ST_RISK, ST_ONE, ST_LOCK, ST_MOVE, ST_RELEASE,
	ST_BL_COUNT, ST_BL_PAGE, ST_BL_ADD, ST_BL_ONE, ST_BL_REMOVE, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_COUNT] = { "alerts_count",
	  "SELECT count(*) FROM compliance_alerts a"
	  " LEFT JOIN users u ON u.id = a.user_id" ALERT_WHERE, 4 },
	[ST_NEW] = { "alerts_new", ALERT_COLS ALERT_WHERE " ORDER BY a.id DESC" PAGE, 6 },
	[ST_OLD] = { "alerts_old", ALERT_COLS ALERT_WHERE " ORDER BY a.id" PAGE, 6 },
	[ST_RISK] = { "alerts_risk",
	  ALERT_COLS ALERT_WHERE " ORDER BY a.risk_score DESC, a.id DESC" PAGE, 6 },
	[ST_ONE] = { "alerts_one", ALERT_COLS " WHERE a.public_id = $1", 1 },
	[ST_LOCK] = { "alerts_lock",
	  "SELECT id, resolution, user_id FROM compliance_alerts"
	  " WHERE public_id = $1 FOR UPDATE", 1 },
	[ST_MOVE] = { "alerts_move",
	  "UPDATE compliance_alerts SET resolution = $2, note = $3,"
	  " resolved_by = CASE WHEN $2 IN ('RESOLVED', 'FALSE_POSITIVE')"
	  "  THEN $4::bigint END,"
	  " resolved_at = CASE WHEN $2 IN ('RESOLVED', 'FALSE_POSITIVE')"
	  "  THEN now() END, updated_at = now() WHERE id = $1", 4 },
	[ST_RELEASE] = { "alerts_release_holds",
	  "UPDATE withdrawal_holds SET released_at = now(), released_by = $2"
	  " WHERE alert_id = $1 AND released_at IS NULL", 2 },
	[ST_BL_COUNT] = { "blacklist_count",
	  "SELECT count(*) FROM withdrawal_blacklist WHERE ($1::text IS NULL"
	  " OR network = $1)", 1 },
	[ST_BL_PAGE] = { "blacklist_page",
	  BL_COLS " WHERE ($1::text IS NULL OR b.network = $1)"
	  " ORDER BY b.id DESC LIMIT $2 OFFSET $3", 3 },
	[ST_BL_ADD] = { "blacklist_add",
	  "INSERT INTO withdrawal_blacklist (network, address, reason, added_by)"
	  " VALUES ($1, $2, $3, $4) ON CONFLICT (network, address) DO NOTHING"
	  " RETURNING id", 4 },
	[ST_BL_ONE] = { "blacklist_one",
	  BL_COLS " WHERE b.network = $1 AND b.address = $2", 2 },
	[ST_BL_REMOVE] = { "blacklist_remove",
	  "DELETE FROM withdrawal_blacklist WHERE network = $1 AND address = $2"
	  " RETURNING reason", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "compliance review statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* ---- alerts ---------------------------------------------------------------- */

enum err
alert_list(struct ctx *c, const struct alert_query *in, PGresult **rows,
    long long *total)
{
	const char *p[6] = { in->severity, in->type, in->resolution, in->user_id,
	    in->limit, in->offset };
	PGresult *cnt;
	enum err e;
	int st = ST_NEW;

	if ((e = q(c, ST_COUNT, p, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	if (in->sort != NULL && strcmp(in->sort, "+createdAt") == 0)
		st = ST_OLD;
	else if (in->sort != NULL && strcmp(in->sort, "-riskScore") == 0)
		st = ST_RISK;
	return q(c, st, p, rows);
}

enum err
alert_get(struct ctx *c, const char *id, PGresult **row)
{
	const char *p[1] = { id };
	enum err e;

	if ((e = q(c, ST_ONE, p, row)) != ERR_OK)
		return e;
	return PQntuples(*row) == 1 ? ERR_OK : ERR_NOT_FOUND;
}

struct json_object *
alert_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object(), *d;

	json_object_object_add(o, "alertId", json_str_or_null(db_val(res, i, 0)));
	json_object_object_add(o, "severity", json_str_or_null(db_val(res, i, 1)));
	json_object_object_add(o, "type", json_str_or_null(db_val(res, i, 2)));
	json_object_object_add(o, "riskScore",
	    json_object_new_int((int)util_long(db_val(res, i, 3), 0)));
	json_object_object_add(o, "resolution", json_str_or_null(db_val(res, i, 4)));
	json_object_object_add(o, "subject", json_str_or_null(db_val(res, i, 5)));
	json_object_object_add(o, "userId", json_str_or_null(db_val(res, i, 6)));
	json_object_object_add(o, "userEmail", json_str_or_null(db_val(res, i, 7)));
	d = json_tokener_parse(db_val(res, i, 8));
	json_object_object_add(o, "details", d != NULL ? d : json_object_new_object());
	json_object_object_add(o, "note", json_str_or_null(db_val(res, i, 9)));
	json_object_object_add(o, "resolvedBy", json_str_or_null(db_val(res, i, 10)));
	json_object_object_add(o, "resolvedAt", json_str_or_null(db_val(res, i, 11)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, 12)));
	json_object_object_add(o, "updatedAt", json_str_or_null(db_val(res, i, 13)));
	json_object_object_add(o, "withdrawalsHeld", json_object_new_boolean(
	    strcmp(db_val(res, i, 14), "t") == 0));
	return o;
}

static int
final(const char *resolution)
{
	return strcmp(resolution, "RESOLVED") == 0 ||
	    strcmp(resolution, "FALSE_POSITIVE") == 0;
}

enum err
alert_resolve(struct ctx *c, const char *id, const char *resolution,
    const char *note, int in_txn, char from[16], int *released)
{
	const char *p[4];
	struct json_object *det;
	PGresult *res, *res2;
	enum err e;

	from[0] = '\0';
	*released = 0;
	if (!list_oneof(resolution, alert_resolutions) ||
	    strcmp(resolution, "NEW") == 0)
		return ERR_INVALID_REQUEST;
	if (!in_txn && (e = db_begin(c->db)) != ERR_OK)
		return e;
	p[0] = id;
	if ((e = q(c, ST_LOCK, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	snprintf(from, 16, "%s", db_val(res, 0, 1));
	if (final(from) || strcmp(from, resolution) == 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	p[0] = db_val(res, 0, 0);
	p[1] = resolution;
	p[2] = note;
	p[3] = c->actor->idtxt;
	if ((e = q(c, ST_MOVE, p, &res2)) != ERR_OK)
		goto fail;
	if (final(resolution)) {
		p[1] = c->actor->idtxt;
		if ((e = q(c, ST_RELEASE, p, &res2)) != ERR_OK)
			goto fail;
		*released = (int)util_long(PQcmdTuples(res2), 0);
	}
	if ((det = json_own(c->arena, json_object_new_object())) == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	json_object_object_add(det, "from", json_object_new_string(from));
	json_object_object_add(det, "to", json_object_new_string(resolution));
	json_object_object_add(det, "withdrawalHoldsReleased",
	    json_object_new_int(*released));
	if ((e = audit_write(c, "COMPLIANCE_ALERT", c->actor, db_val(res, 0, 2), id,
	    resolution, note, det)) != ERR_OK)
		goto fail;
	if (!in_txn && (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	if (!in_txn)
		db_rollback(c->db);
	return e;
}

/* ---- the blacklist ------------------------------------------------------------- */

enum err
blacklist_list(struct ctx *c, const char *network, const char *limit,
    const char *offset, PGresult **rows, long long *total)
{
	const char *p[3] = { network, limit, offset };
	PGresult *cnt;
	enum err e;

	if ((e = q(c, ST_BL_COUNT, p, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return q(c, ST_BL_PAGE, p, rows);
}

struct json_object *
blacklist_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "network", json_str_or_null(db_val(res, i, 0)));
	json_object_object_add(o, "address", json_str_or_null(db_val(res, i, 1)));
	json_object_object_add(o, "reason", json_str_or_null(db_val(res, i, 2)));
	json_object_object_add(o, "addedBy", json_str_or_null(db_val(res, i, 3)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, 4)));
	return o;
}

/* The network's canonical spelling of an address, or why there is none. */
static const char *
canonical(struct ctx *c, const char *network, const char *address,
    const char **why)
{
	const struct chain_adapter *ad = chain_adapter(network);
	char *norm;

	if (ad == NULL || ad->address_check == NULL) {
		*why = "no network of that name takes withdrawals";
		return NULL;
	}
	if ((norm = arena_alloc(c->arena, CHAIN_ADDR_MAX + 1)) == NULL) {
		*why = NULL;
		return NULL;
	}
	if (ad->address_check(address, norm, CHAIN_ADDR_MAX + 1, why) == -1)
		return NULL;
	return norm;
}

static struct json_object *
entry_details(struct ctx *c, const char *network, const char *address)
{
	struct json_object *d = json_own(c->arena, json_object_new_object());

	if (d != NULL) {
		json_object_object_add(d, "network", json_object_new_string(network));
		json_object_object_add(d, "address", json_object_new_string(address));
	}
	return d;
}

enum err
blacklist_add(struct ctx *c, const struct blacklist_entry *in, PGresult **row,
    const char **why)
{
	const char *p[4], *addr;
	PGresult *res;
	enum err e;

	if ((addr = canonical(c, in->network, in->address, why)) == NULL)
		return *why != NULL ? ERR_INVALID_REQUEST : ERR_INTERNAL;
	p[0] = in->network;
	p[1] = addr;
	p[2] = in->reason;
	p[3] = c->actor->idtxt;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_BL_ADD, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = audit_write(c, "WITHDRAWAL_BLACKLIST", c->actor, NULL, addr,
	    "ADDED", in->reason, entry_details(c, in->network, addr))) != ERR_OK ||
	    (e = q(c, ST_BL_ONE, p, row)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

enum err
blacklist_remove(struct ctx *c, const struct blacklist_entry *in)
{
	const char *p[2], *addr, *why;
	PGresult *res;
	enum err e;

	/* An address the network would not take cannot be listed either. */
	if ((addr = canonical(c, in->network, in->address, &why)) == NULL)
		return why != NULL ? ERR_NOT_FOUND : ERR_INTERNAL;
	p[0] = in->network;
	p[1] = addr;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_BL_REMOVE, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	if ((e = audit_write(c, "WITHDRAWAL_BLACKLIST", c->actor, NULL, addr,
	    "REMOVED", in->reason, entry_details(c, in->network, addr))) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}
