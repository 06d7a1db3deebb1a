/* handlers/bots.c — /api/v1/bots: a user's trading bots (seed 001): configurations, state, start/stop, trades (list and one), performance, summary, backtest */
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/input.h"
#include "core/list.h"
#include "domain/auth.h"
#include "domain/bot_backtest.h"
#include "domain/bots.h"

static int
no_such_bot(struct resp *w)
{
	return resp_error(w, ERR_NOT_FOUND, "Bot not found");
}

/* A service's refusal: the field and why for bad input, else the code. */
static int
refused(struct resp *w, enum err e, const struct in_err *ie)
{
	if (e == ERR_NOT_FOUND)
		return no_such_bot(w);
	if ((e == ERR_INVALID_REQUEST || e == ERR_TRADE_005) && ie->field != NULL)
		return resp_invalid_code(w, e, ie);
	if (e == ERR_CONFLICT)
		return resp_error(w, e, "Sell the open position before changing "
		    "the bot's symbol, venue or paper mode");
	if (e == ERR_LIMIT_EXCEEDED)
		return resp_error(w, e, "Too many bots: delete one first");
	if (e == ERR_KYC_REQUIRED)
		return resp_error(w, e, "A live bot on hzm trades as you: "
		    "trading needs KYC LEVEL_2");
	return resp_error(w, e, NULL);
}

/* The bot as it is now: every answer about one bot. */
static int
bot_answer(struct req *r, struct resp *w, int status, const char *id)
{
	struct ctx c = ctx_req(r);
	PGresult *res;
	enum err e;

	if ((e = bot_get(&c, id, &res)) != ERR_OK)
		return refused(w, e, NULL);
	return resp_ok(w, status, bot_json(res, 0));
}

static int
bots_list(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *a;
	PGresult *res;
	enum err e;
	int i;

	if ((e = bot_list(&c, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	a = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(a, bot_json(res, i));
	return resp_ok(w, 200, a);
}

static int
bot_create_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	char id[BOT_ID_LEN + 1];
	struct bot_conf bc;
	struct in_err ie = { 0 };
	enum err e;

	if ((e = bot_conf_parse(&c, r->json, NULL, &bc, &ie)) != ERR_OK ||
	    (e = bot_create(&c, &bc, id)) != ERR_OK)
		return refused(w, e, &ie);
	return bot_answer(r, w, 201, id);
}

static int
bot_get_one(struct req *r, struct resp *w)
{
	return bot_answer(r, w, 200, req_param(r, "botId"));
}

static int
bot_put(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "botId");
	struct ctx c = ctx_req(r);
	struct json_object *base;
	struct in_err ie = { 0 };
	struct bot_conf bc;
	PGresult *res;
	enum err e;

	if ((e = bot_get(&c, id, &res)) != ERR_OK)
		return refused(w, e, NULL);
	base = json_own(r->arena, bot_conf_json(res, 0));
	if ((e = bot_conf_parse(&c, r->json, base, &bc, &ie)) != ERR_OK ||
	    (e = bot_update(&c, id, &bc)) != ERR_OK)
		return refused(w, e, &ie);
	return bot_answer(r, w, 200, id);
}

static int
bot_del(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = bot_delete(&c, req_param(r, "botId"))) != ERR_OK)
		return refused(w, e, NULL);
	o = json_object_new_object();
	json_object_object_add(o, "botId", json_object_new_string(req_param(r, "botId")));
	json_object_object_add(o, "deleted", json_object_new_boolean(1));
	return resp_ok(w, 200, o);
}

/* A start refused: a daily limit says why itself. */
static int
not_started(struct resp *w, enum err e, const char *why)
{
	if (e == ERR_CONFLICT && why != NULL)
		return resp_error(w, e, why);
	return refused(w, e, NULL);
}

static int
bot_start_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	const char *why;
	enum err e;

	if ((e = bot_start(&c, req_param(r, "botId"), &why)) != ERR_OK)
		return not_started(w, e, why);
	return bot_answer(r, w, 200, req_param(r, "botId"));
}

static int
bot_stop_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	enum err e;

	if ((e = bot_stop(&c, req_param(r, "botId"))) != ERR_OK)
		return refused(w, e, NULL);
	return bot_answer(r, w, 200, req_param(r, "botId"));
}

static int
state_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	PGresult *res;
	enum err e;

	if ((e = bot_get(&c, req_param(r, "botId"), &res)) != ERR_OK)
		return refused(w, e, NULL);
	return resp_ok(w, 200, bot_state_json(res, 0));
}

/* The state a person may set is its status; the rest is the worker's. */
static const char *const settable[] = { "RUNNING", "STOPPED", NULL };
enum { S_STATUS };
static const struct in_field state_fields[] = {
	[S_STATUS] = { "status", IN_STRING, IN_REQUIRED, 1, 16, .oneof = settable,
	    .hint = "RUNNING or STOPPED" },
	{ NULL }
};

static int
state_put(struct req *r, struct resp *w)
{
	const char *id = req_param(r, "botId"), *why = NULL;
	struct ctx c = ctx_req(r);
	PGresult *res;
	enum err e;

	e = r->in[S_STATUS].num == 0 ? bot_start(&c, id, &why) : bot_stop(&c, id);
	if (e != ERR_OK || (e = bot_get(&c, id, &res)) != ERR_OK)
		return not_started(w, e, why);
	return resp_ok(w, 200, bot_state_json(res, 0));
}

static int
performance_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = bot_performance(&c, req_param(r, "botId"), &o)) != ERR_OK)
		return refused(w, e, NULL);
	return resp_ok(w, 200, json_object_get(o));
}

static const char *const sides[] = { "BUY", "SELL", NULL };
static const char *const reasons[] = { "SIGNAL", "STOP_LOSS", "TAKE_PROFIT", NULL };
enum { LF_SIDE, LF_REASON };
static const struct list_spec trades_spec = {
	(const struct list_filter[]){
		[LF_SIDE] = { "filter_side", sides, NULL, "BUY or SELL" },
		[LF_REASON] = { "filter_reason", reasons, NULL,
		    "SIGNAL, STOP_LOSS or TAKE_PROFIT" },
		{ NULL } },
	(const char *const[]){ "-createdAt", "+createdAt", NULL },
	"-createdAt (newest first, the default) or +createdAt",
};

static int
trades_get(struct req *r, struct resp *w)
{
	struct bot_trade_query tq;
	struct ctx c = ctx_req(r);
	struct list_query lq;
	struct in_err ie;
	long long total;
	PGresult *res;
	enum err e;

	if (list_read(r, &trades_spec, &lq, &ie) == -1)
		return resp_invalid(w, &ie);
	memset(&tq, 0, sizeof(tq));
	tq.side = lq.filter[LF_SIDE];
	tq.reason = lq.filter[LF_REASON];
	tq.oldest_first = lq.sort != NULL && lq.sort[0] == '+';
	tq.limit = lq.pg.limit;
	tq.offset = lq.pg.offset;
	if ((e = bot_trades_list(&c, req_param(r, "botId"), &tq, &res, &total)) != ERR_OK)
		return refused(w, e, NULL);
	return list_answer_rows(r, w, &trades_spec, &lq, res, total, bot_trade_json);
}

static int
trade_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	PGresult *res;
	enum err e;

	if ((e = bot_trade_get(&c, req_param(r, "botId"), req_param(r, "tradeId"),
	    &res)) == ERR_NOT_FOUND)
		return resp_error(w, e, "Trade not found");
	if (e != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, bot_trade_json(res, 0));
}

static int
summary_get(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	enum err e;

	if ((e = bot_summary(&c, &o)) != ERR_OK)
		return resp_error(w, e, NULL);
	return resp_ok(w, 200, json_object_get(o));
}

static int
backtest_post(struct req *r, struct resp *w)
{
	struct ctx c = ctx_req(r);
	struct json_object *o;
	struct in_err ie = { 0 };
	enum err e;

	if ((e = bot_backtest(&c, r->json, &o, &ie)) != ERR_OK)
		return refused(w, e, &ie);
	return resp_ok(w, 200, json_object_get(o));
}

/* Literal paths before {botId}: the first pattern that matches serves. */
static const struct route routes[] = {
	{ "GET",    "/api/v1/bots",				bots_list,	AUTH_USER, SCOPE_READ,  RL_TRADE_GET },
	{ "POST",   "/api/v1/bots",				bot_create_post, AUTH_USER, SCOPE_TRADE, RL_TRADE_POST },
	{ "GET",    "/api/v1/bots/summary",			summary_get,	AUTH_USER, SCOPE_READ,  RL_TRADE_GET },
	{ "POST",   "/api/v1/bots/backtest",			backtest_post,	AUTH_USER, SCOPE_READ,  RL_TRADE_POST },
	{ "GET",    "/api/v1/bots/{botId}",			bot_get_one,	AUTH_USER, SCOPE_READ,  RL_TRADE_GET },
	{ "PUT",    "/api/v1/bots/{botId}",			bot_put,	AUTH_USER, SCOPE_TRADE, RL_TRADE_POST },
	{ "DELETE", "/api/v1/bots/{botId}",			bot_del,	AUTH_USER, SCOPE_TRADE, RL_TRADE_POST },
	{ "GET",    "/api/v1/bots/{botId}/state",		state_get,	AUTH_USER, SCOPE_READ,  RL_TRADE_GET },
	{ "PUT",    "/api/v1/bots/{botId}/state",		state_put,	AUTH_USER, SCOPE_TRADE, RL_TRADE_POST,
	    state_fields },
	{ "POST",   "/api/v1/bots/{botId}/start",		bot_start_post,	AUTH_USER, SCOPE_TRADE, RL_TRADE_POST },
	{ "POST",   "/api/v1/bots/{botId}/stop",		bot_stop_post,	AUTH_USER, SCOPE_TRADE, RL_TRADE_POST },
	{ "GET",    "/api/v1/bots/{botId}/performance",		performance_get, AUTH_USER, SCOPE_READ, RL_TRADE_GET },
	{ "GET",    "/api/v1/bots/{botId}/trades",		trades_get,	AUTH_USER, SCOPE_READ,  RL_TRADE_GET },
	{ "GET",    "/api/v1/bots/{botId}/trades/{tradeId}",	trade_get,	AUTH_USER, SCOPE_READ,  RL_TRADE_GET },
};

int
main(void)
{
	static const struct app app = {
		.name = "bots",
		.routes = routes,
		.nroutes = nitems(routes),
		.auth = auth_request,
		.warm = auth_warm,
	};

	return app_run(&app);
}
