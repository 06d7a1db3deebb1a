/* handlers/admin_system.c — /api/v1/admin/system/config: the live settings, their versions and history; a change checked by type and range, audited */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "domain/auth.h"
#include "domain/sysconfig.h"

#define REASON_MAX	500

static int
config_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = sysconfig_json(&c, &o)) != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, o);
}

enum { C_KEY, C_VALUE, C_REASON };
static const struct in_field config_fields[] = {
	[C_KEY]		= { "key", IN_STRING, IN_REQUIRED, 1, 63 },
	[C_VALUE]	= { "value", IN_STRING, IN_REQUIRED, 1, 200 },
	[C_REASON]	= { "reason", IN_TEXT, IN_REQUIRED, 1, REASON_MAX },
	{ NULL }
};

static int
config_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *key = r->in[C_KEY].s, *value = r->in[C_VALUE].s, *why, *old;
	struct json_object *o;
	struct in_err ie;
	long long version;
	int key_bad;
	enum err e;

	if ((why = sysconfig_check(key, value, &key_bad)) != NULL) {
		ie.field = key_bad ? "key" : "value";
		ie.reason = why;
		return resp_invalid(w, &ie);
	}
	e = sysconfig_set(&c, key, value, r->in[C_REASON].s, &version, &old, &ie);
	if (e == ERR_INVALID_REQUEST)
		return resp_invalid(w, &ie);
	if (e == ERR_CONFLICT)
		return resp_error(w, e, "The setting has that value already");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "key", json_object_new_string(key));
	json_object_object_add(o, "value", json_object_new_string(value));
	json_object_object_add(o, "oldValue", json_str_or_null(old));
	json_object_object_add(o, "version", json_object_new_int64(version));
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "GET",  "/api/v1/admin/system/config",	config_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/system/config",	config_post,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    config_fields, .roles = ROLE_ADMIN },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_system",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
