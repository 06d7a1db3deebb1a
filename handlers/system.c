/* handlers/system.c — /api/v1/system: health (what a load balancer or operator probes) and the deprecation example */
#include "core/app.h"
#include "core/list.h"
#include "core/mc.h"

static const struct stmt stmts[] = {
	{ "system_ping", "SELECT 1", 0 },
};

/*
 * Ready when the database answers; memcached is reported but not
 * required, since every use of it has a fallback.
 */
static int
health_get(struct req *r, struct resp *w)
{
	struct json_object *o = json_object_new_object();
	PGresult *res;
	enum err rc;
	int mc_ok;

	rc = db_query(r->db, r->arena, &stmts[0], NULL, &res);
	mc_ok = mc_ping() == 0;
	json_object_object_add(o, "database",
	    json_object_new_string(rc == ERR_OK ? "up" : "down"));
	json_object_object_add(o, "memcached",
	    json_object_new_string(mc_ok ? "up" : "down"));
	if (rc != ERR_OK)
		return resp_error_details(w, ERR_SERVICE_UNAVAILABLE, NULL, o);
	json_object_object_add(o, "status", json_object_new_string(
	    mc_ok ? "ok" : "degraded"));
	return resp_ok(w, 200, o);
}

/*
 * A route kept deprecated on purpose (§9.2), so that clients can test
 * how they handle Deprecation and Sunset on a real answer.
 */
static int
deprecation_example_get(struct req *r, struct resp *w)
{
	static const char *const known[] = { NULL };
	struct json_object *o;
	struct in_err ie;

	/* It takes no parameters: an error answer shows the headers too. */
	if (list_query_check(r, known, &ie) == -1)
		return resp_invalid(w, &ie);
	o = json_object_new_object();
	json_object_object_add(o, "deprecated", json_object_new_boolean(1));
	json_object_object_add(o, "sunset", json_object_new_string(r->route->sunset));
	json_object_object_add(o, "message", json_object_new_string(
	    "This route is deprecated: see the Deprecation and Sunset headers"));
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "GET", "/api/v1/system/health", health_get, AUTH_NONE, SCOPE_NONE, RL_NONE },
	{ "GET", "/api/v1/system/deprecation-example", deprecation_example_get, AUTH_NONE, SCOPE_NONE,
	    RL_PUBLIC, .sunset = "2030-01-01" },
};

int
main(void)
{
	static const struct app app = {
		.name = "system",
		.routes = routes, .nroutes = nitems(routes),
	};

	return app_run(&app);
}
