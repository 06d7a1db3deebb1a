/* handlers/admin_compliance.c — /api/v1/admin/compliance: alerts (listed, filtered, moved through their resolutions) and the withdrawal blacklist */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/valid.h"
#include "core/input.h"
#include "core/list.h"
#include "domain/auth.h"
#include "domain/compliance_review.h"

#define NOTE_MAX	2000
#define REASON_MAX	500

static int
user_id_ok(const char *s)
{
	return valid_public_id(s, "usr_");
}

static int
network_ok(const char *s)
{
	return valid_code(s, 2, 10);
}

enum { LF_SEVERITY, LF_TYPE, LF_RESOLUTION, LF_USER };
static const struct list_spec alerts_spec = {
	(const struct list_filter[]){
		[LF_SEVERITY] = { "filter_severity", alert_severities, NULL,
		    "LOW, MEDIUM, HIGH or CRITICAL" },
		[LF_TYPE] = { "filter_type", alert_types, NULL,
		    "VELOCITY_EXCEEDED, SUSPICIOUS_PATTERN, BLACKLIST_HIT, "
		    "LARGE_TRANSACTION, STRUCTURING or CHAIN_REORG" },
		[LF_RESOLUTION] = { "filter_resolution", alert_resolutions, NULL,
		    "NEW, UNDER_REVIEW, RESOLVED, FALSE_POSITIVE or ESCALATED" },
		[LF_USER] = { "filter_userId", NULL, user_id_ok,
		    "a user id (usr_...)" },
		{ NULL } },
	(const char *const[]){ "-createdAt", "+createdAt", "-riskScore", NULL },
	"-createdAt (newest first, the default), +createdAt or -riskScore",
};

static int
alerts_list(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct alert_query aq;
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &alerts_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	memset(&aq, 0, sizeof(aq));
	aq.severity = lq.filter[LF_SEVERITY];
	aq.type = lq.filter[LF_TYPE];
	aq.resolution = lq.filter[LF_RESOLUTION];
	aq.user_id = lq.filter[LF_USER];
	aq.sort = lq.sort;
	aq.limit = lq.pg.limit;
	aq.offset = lq.pg.offset;
	if ((e = alert_list(&c, &aq, &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &alerts_spec, &lq, res, total, alert_json);
}

static int
alert_get_one(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "alertId");
	struct ctx c = ctx_req(r);
	PGresult *res;
	enum err e;

	if (!valid_public_id(id, "alt_"))
		return resp_error(w, ERR_NOT_FOUND, "No such alert");
	if ((e = alert_get(&c, id, &res)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ? "No such alert" : NULL);
	return resp_ok(w, 200, alert_json(res, 0));
}

/* A resolution staff may set: any of the service's but NEW, where alerts start. */
static const char *
resolution_rule(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	if (!list_oneof(s, alert_resolutions) || strcmp(s, "NEW") == 0)
		return "UNDER_REVIEW, RESOLVED, FALSE_POSITIVE or ESCALATED";
	return NULL;
}

enum { A_RESOLUTION, A_NOTE };
static const struct in_field resolve_fields[] = {
	[A_RESOLUTION]	= { "resolution", IN_STRING, IN_REQUIRED, 1, 16,
			    .rule = resolution_rule },
	[A_NOTE]	= { "note", IN_TEXT, IN_REQUIRED, 1, NOTE_MAX },
	{ NULL }
};

static int
alert_resolve_post(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "alertId");
	const char *resolution = r->in[A_RESOLUTION].s, *note = r->in[A_NOTE].s;
	struct ctx c = ctx_req(r);
	struct json_object *d;
	char from[16];
	PGresult *res;
	int released;
	enum err e;

	if (!valid_public_id(id, "alt_"))
		return resp_error(w, ERR_NOT_FOUND, "No such alert");
	switch ((e = alert_resolve(&c, id, resolution, note, 0, from, &released))) {
	case ERR_OK:
		break;
	case ERR_NOT_FOUND:
		return resp_error(w, e, "No such alert");
	case ERR_CONFLICT:
		d = json_object_new_object();
		json_object_object_add(d, "resolution", json_object_new_string(from));
		return resp_error_details(w, e, strcmp(from, resolution) == 0 ?
		    "The alert has that resolution already" :
		    "The alert is settled (RESOLVED or FALSE_POSITIVE)", d);
	default:
		return resp_error(w, e, NULL);
	}
	if ((e = alert_get(&c, id, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	d = alert_json(res, 0);
	json_object_object_add(d, "previousResolution", json_object_new_string(from));
	json_object_object_add(d, "withdrawalHoldsReleased",
	    json_object_new_int(released));
	return resp_ok(w, 200, d);
}

static const struct list_spec blacklist_spec = {
	(const struct list_filter[]){
		{ "filter_network", NULL, network_ok, "a network code such as BTC" },
		{ NULL } },
	NULL, NULL,
};

static int
blacklist_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &blacklist_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	if ((e = blacklist_list(&c, lq.filter[0], lq.pg.limit, lq.pg.offset,
	    &res, &total)) != ERR_OK)
		return resp_error(w, e, NULL);
	return list_answer_rows(r, w, &blacklist_spec, &lq, res, total, blacklist_json);
}

/* An address is judged by its network's adapter (blacklist_add). */
enum { B_NETWORK, B_ADDRESS, B_REASON };
static const struct in_field blacklist_fields[] = {
	[B_NETWORK]	= { "network", IN_STRING, IN_REQUIRED, 2, 10,
			    .rule = valid_network },
	[B_ADDRESS]	= { "address", IN_STRING, IN_REQUIRED, 1, 256 },
	[B_REASON]	= { "reason", IN_TEXT, IN_REQUIRED, 1, REASON_MAX },
	{ NULL }
};

static int
blacklist_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct blacklist_entry in;
	struct in_err ie;
	const char *why;
	PGresult *res;
	enum err e;

	in.network = r->in[B_NETWORK].s;
	in.address = r->in[B_ADDRESS].s;
	in.reason = r->in[B_REASON].s;
	switch ((e = blacklist_add(&c, &in, &res, &why))) {
	case ERR_OK:
		return resp_ok(w, 201, blacklist_json(res, 0));
	case ERR_INVALID_REQUEST:
		ie.field = strstr(why, "no network") != NULL ? "network" : "address";
		ie.reason = why;
		return resp_invalid(w, &ie);
	case ERR_CONFLICT:
		return resp_error(w, e, "The address is on the blacklist already");
	default:
		return resp_error(w, e, NULL);
	}
}

static const struct in_field remove_fields[] = {
	{ "reason", IN_TEXT, IN_REQUIRED, 1, REASON_MAX },
	{ NULL }
};

static int
blacklist_remove_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct blacklist_entry in;
	struct json_object *o;
	enum err e;

	in.network = req_param(r, "network");
	in.address = req_param(r, "address");
	in.reason = r->in[0].s;
	if (!valid_code(in.network, 2, 10) || strlen(in.address) > 256)
		return resp_error(w, ERR_NOT_FOUND, "No such address on the blacklist");
	if ((e = blacklist_remove(&c, &in)) != ERR_OK)
		return resp_error(w, e, e == ERR_NOT_FOUND ?
		    "No such address on the blacklist" : NULL);
	o = json_object_new_object();
	json_object_object_add(o, "network", json_object_new_string(in.network));
	json_object_object_add(o, "address", json_object_new_string(in.address));
	json_object_object_add(o, "removed", json_object_new_boolean(1));
	return resp_ok(w, 200, o);
}

static const struct route routes[] = {
	{ "GET",  "/api/v1/admin/compliance/alerts",		alerts_list,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "GET",  "/api/v1/admin/compliance/alerts/{alertId}",	alert_get_one,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/compliance/alerts/{alertId}/resolve", alert_resolve_post, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    resolve_fields, .roles = ROLES_COMPLIANCE },
	{ "GET",  "/api/v1/admin/compliance/blacklist",		blacklist_get,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_READ, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/compliance/blacklist",		blacklist_post,	AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    blacklist_fields, .roles = ROLES_COMPLIANCE },
	{ "POST", "/api/v1/admin/compliance/blacklist/{network}/{address}/remove", blacklist_remove_post, AUTH_STAFF, SCOPE_NONE, RL_ADMIN_WRITE,
	    remove_fields, .roles = ROLES_COMPLIANCE },
};

int
main(void)
{
	static const struct app app = {
		.name = "admin_compliance",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
