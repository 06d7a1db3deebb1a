/* handlers/admin_screening.c — /api/v1/admin/screening: PEP and sanctions lists (CSV import), the registration blacklist */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "core/valid.h"
#include "domain/auth.h"
#include "domain/screening_lists.h"

#define REASON_MAX	500

static const char *const list_names[] = { "PEP", "SANCTIONS", NULL };

/*
 * The CSV travels as a JSON string (the API takes JSON bodies only): a
 * header row (name, birthDate, nationality, reference) and an entry a
 * line, up to the body limit.
 */
enum { I_LIST, I_SOURCE, I_CSV, I_REPLACE };
static const struct in_field import_fields[] = {
	[I_LIST]	= { "list", IN_STRING, IN_REQUIRED, 1, 16,
			    .oneof = list_names },
	[I_SOURCE]	= { "source", IN_TEXT, IN_REQUIRED, 1, 64 },
	[I_CSV]		= { "csv", IN_ANY, IN_REQUIRED },
	[I_REPLACE]	= { "replace", IN_BOOL, IN_OPTIONAL },
	{ NULL }
};

static int
import_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct screening_import_in in;
	struct screening_import_out out;
	struct json_object *o, *det;
	struct in_err ie = { "csv", "must be a string: CSV text with a header row" };
	enum err e;

	if (!json_object_is_type(r->in[I_CSV].o, json_type_string))
		return resp_invalid(w, &ie);
	memset(&in, 0, sizeof(in));
	in.list = r->in[I_LIST].s;
	in.source = r->in[I_SOURCE].s;
	in.csv = json_object_get_string(r->in[I_CSV].o);
	in.csvlen = (size_t)json_object_get_string_len(r->in[I_CSV].o);
	in.replace = r->in[I_REPLACE].num == 1;
	e = screening_import(&c, &in, &out);
	if (e == ERR_INVALID_REQUEST) {
		det = json_object_new_object();
		json_object_object_add(det, "field", json_object_new_string("csv"));
		json_object_object_add(det, "reason", json_object_new_string(out.why));
		if (out.line > 0)
			json_object_object_add(det, "line",
			    json_object_new_int64((int64_t)out.line));
		return resp_error_details(w, e, "The list could not be read", det);
	}
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "importId", json_object_new_string(out.import_id));
	json_object_object_add(o, "list", json_object_new_string(in.list));
	json_object_object_add(o, "source", json_object_new_string(in.source));
	json_object_object_add(o, "entries", json_object_new_int(out.entries));
	json_object_object_add(o, "replaced", json_object_new_int(out.replaced));
	return resp_ok(w, 201, o);
}

static int
lists_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = screening_lists_json(&c, &o)) != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, o);
}

static int
blacklist_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = idblock_json(&c, &o)) != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, o);
}

enum { B_KIND, B_VALUE, B_REASON };
static const struct in_field blacklist_fields[] = {
	[B_KIND]	= { "kind", IN_STRING, IN_REQUIRED, 1, 16,
			    .oneof = idblock_kinds },
	[B_VALUE]	= { "value", IN_STRING, IN_REQUIRED, 3, 254 },
	[B_REASON]	= { "reason", IN_TEXT, IN_REQUIRED, 3, REASON_MAX },
	{ NULL }
};

static int
blacklist_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o = NULL;
	struct in_err ie = { "value", NULL };
	char *value;
	enum err e;

	/* Addresses and domains are compared lower-cased, as users.email is. */
	if ((value = arena_strlower(r->arena, r->in[B_VALUE].s)) == NULL)
		return resp_error(w, ERR_INTERNAL, NULL);
	e = idblock_add(&c, r->in[B_KIND].s, value, r->in[B_REASON].s, &o,
	    &ie.reason);
	if (e == ERR_INVALID_REQUEST)
		return resp_invalid(w, &ie);
	if (e == ERR_CONFLICT)
		return resp_error(w, e, "Already on the blacklist");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 201, o);
}

static const struct in_field remove_fields[] = {
	{ "reason", IN_TEXT, IN_REQUIRED, 3, REASON_MAX },
	{ NULL }
};

static int
blacklist_remove_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *id = req_param(r, "entryId");
	struct json_object *o;
	enum err e;

	if (!valid_public_id(id, "blk_"))
		return resp_error(w, ERR_NOT_FOUND, "No such blacklist entry");
	if ((e = idblock_remove(&c, id, r->in[0].s)) == ERR_NOT_FOUND)
		return resp_error(w, e, "No such blacklist entry");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "entryId", json_object_new_string(id));
	json_object_object_add(o, "removed", json_object_new_boolean(1));
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "POST", "/api/v1/admin/screening/lists/import", import_post, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    import_fields },
	{ "GET",  "/api/v1/admin/screening/lists",	lists_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ },
	{ "GET",  "/api/v1/admin/screening/blacklist",	blacklist_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ },
	{ "POST", "/api/v1/admin/screening/blacklist",	blacklist_post,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    blacklist_fields },
	{ "POST", "/api/v1/admin/screening/blacklist/{entryId}/remove", blacklist_remove_post, AUTH_STAFF, SCOPE_NONE,
	    RL_ADMIN_WRITE, remove_fields },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_screening",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
