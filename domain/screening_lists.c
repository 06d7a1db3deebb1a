/* domain/screening_lists.c — the lists staff keep: PEP and sanctions entries imported from CSV, the registration blacklist */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/csv_read.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "core/valid.h"
#include "domain/audit.h"
#include "domain/screening_lists.h"
#include "domain/screening_match.h"

enum {
	ST_IMPORT, ST_COUNTS, ST_DROP, ST_ENTRY, ST_LISTS, ST_BL_ADD, ST_BL_LIST,
	ST_BL_REMOVE, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_IMPORT] = { "screening_import",
	  "INSERT INTO screening_imports (public_id, list, source, entries,"
	  " replaced, imported_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", 6 },
	[ST_COUNTS] = { "screening_import_counts",
	  "UPDATE screening_imports SET entries = $2, replaced = $3"
	  " WHERE public_id = $1", 3 },
	[ST_DROP] = { "screening_drop",
	  "DELETE FROM screening_entries WHERE list = $1 AND source = $2", 2 },
	[ST_ENTRY] = { "screening_entry",
	  "INSERT INTO screening_entries (import_id, list, source, full_name,"
	  " name_key, birth_date, nationality, reference)"
	  " VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8)", 8 },
	[ST_LISTS] = { "screening_lists",
	  "SELECT e.list, e.source, count(*),"
	  " (SELECT " DB_ISO("max(i.created_at)") " FROM screening_imports i"
	  "  WHERE i.list = e.list AND i.source = e.source)"
	  " FROM screening_entries e GROUP BY e.list, e.source"
	  " ORDER BY e.list, e.source", 0 },
	[ST_BL_ADD] = { "idblock_add",
	  "INSERT INTO identity_blacklist (public_id, kind, value, reason,"
	  " created_by) VALUES ($1, $2, $3, $4, $5)"
	  " ON CONFLICT (kind, value) WHERE removed_at IS NULL DO NOTHING"
	  " RETURNING " DB_ISO("created_at"), 5 },
	[ST_BL_LIST] = { "blacklist_list",
	  "SELECT b.public_id, b.kind, b.value, b.reason, u.public_id,"
	  " " DB_ISO("b.created_at") " FROM identity_blacklist b"
	  " JOIN users u ON u.id = b.created_by WHERE b.removed_at IS NULL"
	  " ORDER BY b.id DESC LIMIT 1000", 0 },
	[ST_BL_REMOVE] = { "idblock_remove",
	  "UPDATE identity_blacklist SET removed_at = now(), removed_by = $2"
	  " WHERE public_id = $1 AND removed_at IS NULL RETURNING kind, value", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "screening list statements");

const char *const idblock_kinds[] = { "EMAIL", "EMAIL_DOMAIN", "PHONE", NULL };

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

enum { COL_NAME, COL_BIRTH, COL_NATIONALITY, COL_REFERENCE, COL__COUNT };
static const char *const columns[COL__COUNT] = { "name", "birthDate",
    "nationality", "reference" };

/* The header: where each column is (-1: absent). */
static const char *
import_header(char **f, size_t n, int at[COL__COUNT])
{
	size_t i, k;

	for (k = 0; k < COL__COUNT; k++)
		at[k] = -1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < COL__COUNT; k++)
			if (strcasecmp(f[i], columns[k]) == 0)
				break;
		if (k == COL__COUNT)
			return "the header names an unknown column (name, "
			    "birthDate, nationality, reference)";
		if (at[k] != -1)
			return "the header names a column twice";
		at[k] = (int)i;
	}
	if (at[COL_NAME] == -1)
		return "the header has no name column";
	return NULL;
}

/* One entry's fields checked; NULL or why not. */
static const char *
import_row(char **f, size_t n, const int at[COL__COUNT], const char **v,
    char key[NAME_KEY_MAX])
{
	int k, y, m, d;

	for (k = 0; k < COL__COUNT; k++) {
		v[k] = at[k] >= 0 && (size_t)at[k] < n && f[at[k]][0] != '\0' ?
		    f[at[k]] : NULL;
	}
	if (v[COL_NAME] == NULL || !util_utf8_valid(v[COL_NAME],
	    strlen(v[COL_NAME])) || strlen(v[COL_NAME]) > 300 ||
	    name_key(v[COL_NAME], strlen(v[COL_NAME]), key) == -1)
		return "name: missing, not UTF-8, over 300 bytes or without letters";
	if (v[COL_BIRTH] != NULL && valid_date(v[COL_BIRTH], &y, &m, &d) == -1)
		return "birthDate: not a date YYYY-MM-DD";
	if (v[COL_NATIONALITY] != NULL &&
	    valid_country(v[COL_NATIONALITY], 0, NULL) != NULL)
		return "nationality: not an ISO 3166-1 alpha-2 code";
	if (v[COL_REFERENCE] != NULL && (strlen(v[COL_REFERENCE]) > 128 ||
	    !util_utf8_valid(v[COL_REFERENCE], strlen(v[COL_REFERENCE]))))
		return "reference: over 128 bytes or not UTF-8";
	return NULL;
}

static enum err
import_rows(struct ctx *c, const struct screening_import_in *in,
    const char *import_rowid, struct screening_import_out *out)
{
	char *f[CSV_MAX_FIELDS], key[NAME_KEY_MAX];
	const char *v[COL__COUNT], *p[8];
	int at[COL__COUNT];
	struct csv csv;
	enum csv_rc rc;
	PGresult *res;
	size_t n;
	enum err e;

	csv_init(&csv, in->csv, in->csvlen);
	if ((rc = csv_next(&csv, c->arena, f, &n, &out->why)) != CSV_RECORD ||
	    (out->why = import_header(f, n, at)) != NULL) {
		if (rc == CSV_END)
			out->why = "no header row";
		out->line = csv.line;
		return ERR_INVALID_REQUEST;
	}
	while ((rc = csv_next(&csv, c->arena, f, &n, &out->why)) == CSV_RECORD) {
		out->line = csv.line;
		if (out->entries == SCREENING_IMPORT_MAX) {
			out->why = "too many entries in one import";
			return ERR_INVALID_REQUEST;
		}
		if ((out->why = import_row(f, n, at, v, key)) != NULL)
			return ERR_INVALID_REQUEST;
		p[0] = import_rowid;
		p[1] = in->list;
		p[2] = in->source;
		p[3] = v[COL_NAME];
		p[4] = key;
		p[5] = v[COL_BIRTH];
		p[6] = v[COL_NATIONALITY];
		p[7] = v[COL_REFERENCE];
		if ((e = q(c, ST_ENTRY, p, &res)) != ERR_OK)
			return e;
		out->entries++;
	}
	if (rc == CSV_ERROR) {
		out->line = csv.line;
		return ERR_INVALID_REQUEST;
	}
	out->line = 0;
	return ERR_OK;
}

enum err
screening_import(struct ctx *c, const struct screening_import_in *in,
    struct screening_import_out *out)
{
	const char *p[6], *pd[2] = { in->list, in->source };
	struct json_object *det;
	char counts[2][16];
	PGresult *res, *imp;
	enum err e;

	memset(out, 0, sizeof(*out));
	if (util_public_id("imp_", out->import_id, sizeof(out->import_id)) == -1)
		return ERR_INTERNAL;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if (in->replace) {
		if ((e = q(c, ST_DROP, pd, &res)) != ERR_OK)
			goto fail;
		out->replaced = (int)util_long(PQcmdTuples(res), 0);
	}
	p[0] = out->import_id;
	p[1] = in->list;
	p[2] = in->source;
	p[3] = "0";
	p[4] = "0";
	p[5] = c->actor->idtxt;
	if ((e = q(c, ST_IMPORT, p, &imp)) != ERR_OK ||
	    (e = import_rows(c, in, db_val(imp, 0, 0), out)) != ERR_OK)
		goto fail;
	snprintf(counts[0], sizeof(counts[0]), "%d", out->entries);
	snprintf(counts[1], sizeof(counts[1]), "%d", out->replaced);
	det = json_own(c->arena, json_object_new_object());
	json_object_object_add(det, "list", json_object_new_string(in->list));
	json_object_object_add(det, "source", json_object_new_string(in->source));
	json_object_object_add(det, "entries", json_object_new_int(out->entries));
	json_object_object_add(det, "replaced", json_object_new_int(out->replaced));
	p[0] = out->import_id;
	p[1] = counts[0];
	p[2] = counts[1];
	if ((e = q(c, ST_COUNTS, p, &res)) != ERR_OK)
		goto fail;
	if ((e = audit_write(c, "SCREENING_LIST_IMPORT", c->actor, NULL,
	    out->import_id, in->replace ? "REPLACED" : "IMPORTED", NULL,
	    det)) != ERR_OK || (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

enum err
screening_lists_json(struct ctx *c, struct json_object **out)
{
	struct json_object *arr, *o;
	PGresult *res;
	enum err e;
	int i;

	if ((e = q(c, ST_LISTS, NULL, &res)) != ERR_OK)
		return e;
	arr = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "list", json_object_new_string(db_val(res, i, 0)));
		json_object_object_add(o, "source", json_object_new_string(db_val(res, i, 1)));
		json_object_object_add(o, "entries", json_object_new_int(
		    (int)util_long(db_val(res, i, 2), 0)));
		json_object_object_add(o, "importedAt", json_str_or_null(db_val(res, i, 3)));
		json_object_array_add(arr, o);
	}
	*out = arr;
	return ERR_OK;
}

static const char *
idblock_value_ok(struct ctx *c, const char *kind, const char *value)
{
	const char *addr;

	if (strcmp(kind, "PHONE") == 0)
		return valid_phone(value, 0, NULL) == NULL ? NULL :
		    "must be E.164, e.g. +905551234567";
	if (strcmp(kind, "EMAIL") == 0)
		return valid_email(value) == NULL ? NULL :
		    "must be an e-mail address";
	/* EMAIL_DOMAIN: what follows the @ of an address */
	addr = arena_printf(c->arena, "x@%s", value);
	if (strchr(value, '@') == NULL && addr != NULL &&
	    valid_email(addr) == NULL)
		return NULL;
	return "must be a domain, e.g. example.com";
}

static struct json_object *
idblock_row_json(const char *id, const char *kind, const char *value,
    const char *reason, const char *by, const char *at)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "entryId", json_object_new_string(id));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	json_object_object_add(o, "value", json_object_new_string(value));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	json_object_object_add(o, "createdBy", json_object_new_string(by));
	json_object_object_add(o, "createdAt", json_object_new_string(at));
	return o;
}

enum err
idblock_add(struct ctx *c, const char *kind, const char *value,
    const char *reason, struct json_object **entry, const char **why)
{
	char id[32];
	const char *p[5] = { id, kind, value, reason, c->actor->idtxt };
	struct json_object *det;
	PGresult *res;
	enum err e;

	if ((*why = idblock_value_ok(c, kind, value)) != NULL)
		return ERR_INVALID_REQUEST;
	if (util_public_id("blk_", id, sizeof(id)) == -1)
		return ERR_INTERNAL;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_BL_ADD, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_CONFLICT;
		goto fail;
	}
	det = json_own(c->arena, json_object_new_object());
	json_object_object_add(det, "kind", json_object_new_string(kind));
	json_object_object_add(det, "value", json_object_new_string(value));
	if ((e = audit_write(c, "IDENTITY_BLACKLIST_ADD", c->actor, NULL, id,
	    "ADDED", reason, det)) != ERR_OK || (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	*entry = idblock_row_json(id, kind, value, reason,
	    c->actor->public_id, db_val(res, 0, 0));
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

enum err
idblock_json(struct ctx *c, struct json_object **out)
{
	PGresult *res;
	enum err e;
	int i;

	if ((e = q(c, ST_BL_LIST, NULL, &res)) != ERR_OK)
		return e;
	*out = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(*out, idblock_row_json(db_val(res, i, 0),
		    db_val(res, i, 1), db_val(res, i, 2), db_val(res, i, 3),
		    db_val(res, i, 4), db_val(res, i, 5)));
	return ERR_OK;
}

enum err
idblock_remove(struct ctx *c, const char *id, const char *reason)
{
	const char *p[2] = { id, c->actor->idtxt };
	struct json_object *det;
	PGresult *res;
	enum err e;

	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_BL_REMOVE, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	det = json_own(c->arena, json_object_new_object());
	json_object_object_add(det, "kind", json_object_new_string(db_val(res, 0, 0)));
	json_object_object_add(det, "value", json_object_new_string(db_val(res, 0, 1)));
	if ((e = audit_write(c, "IDENTITY_BLACKLIST_REMOVE", c->actor, NULL, id,
	    "REMOVED", reason, det)) != ERR_OK || (e = db_commit(c->db)) != ERR_OK)
		goto fail;
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}
