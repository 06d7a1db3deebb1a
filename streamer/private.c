/* streamer/private.c — private channels: who the client is (token or signed API key), their orders, balances and outbox events */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "core/actor.h"
#include "core/app.h"
#include "core/arena.h"
#include "core/decimal.h"
#include "core/channels.h"
#include "core/config.h"
#include "core/db.h"
#include "core/err.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "streamer/streamer.h"

#define OUTBOX_RETRY_MS	2000

enum { ST_BALANCE, ST_OUTBOX, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_BALANCE] = { "streamer_balance",
	  "SELECT round(b.available, a.precision)::text,"
	  " round(b.locked, a.precision)::text,"
	  " round(b.available + b.locked, a.precision)::text"
	  " FROM balances b JOIN assets a ON a.code = b.asset"
	  " WHERE b.user_id = $1 AND b.asset = $2", 2 },
	/* The streamer tells users these; the rest is for mail and webhooks. */
	[ST_OUTBOX] = { "streamer_outbox",
	  "SELECT user_id, event_type, payload::text,"
	  " floor(extract(epoch FROM created_at) * 1000)::bigint"
	  " FROM outbox WHERE id = $1 AND user_id IS NOT NULL AND event_type IN"
	  " ('deposit.confirmed', 'withdrawal.processing', 'withdrawal.completed')", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "private statements");

/*
 * Who the client is, for the limits REST keeps by address. Behind the
 * web server the peer is the proxy, which names the client last in
 * X-Forwarded-For (what comes before is the client's own say); without
 * the header, the peer itself. Only an address is taken.
 */
static void
client_addr(struct conn *c, char *addr, size_t sz)
{
	char xff[256], *last, *end;
	unsigned char any[sizeof(struct in6_addr)];

	if (lws_hdr_custom_copy(c->wsi, xff, sizeof(xff), "x-forwarded-for:",
	    16) > 0) {
		last = strrchr(xff, ',');
		last = last != NULL ? last + 1 : xff;
		last += strspn(last, " \t");
		end = last + strcspn(last, " \t");
		*end = '\0';
		if (inet_pton(AF_INET, last, any) == 1 ||
		    inet_pton(AF_INET6, last, any) == 1) {
			snprintf(addr, sz, "%s", last);
			return;
		}
	}
	if (lws_get_peer_simple(c->wsi, addr, sz) == NULL || addr[0] == '\0')
		snprintf(addr, sz, "127.0.0.1");
}

/*
 * The pipeline's own authenticator, asked as if the client had sent a
 * GET /ws with these headers: a bearer token (revocation, suspended
 * accounts and password changes included), an API key that signs
 * timestamp + "GET" + "/ws" with its password, under the REST rules
 * (60 s of clock skew, a signature and a request id used once per key),
 * or an API key with its email and password (seed 003).
 */
int
private_auth(struct streamer *sm, struct conn *c, const struct proto_auth *a,
    const char **code, const char **why)
{
	char *env[8], bearer[2100], key[64], ts[48], sig[96], rid[96];
	char email[280], pass[160];
	char addr[64] = "127.0.0.1";
	struct req r;
	struct user u;
	enum err e;
	size_t n = 0;

	memset(&r, 0, sizeof(r));
	env[n++] = "REQUEST_URI=/ws";
	env[n++] = "REQUEST_METHOD=GET";
	if (a->token[0] != '\0') {
		snprintf(bearer, sizeof(bearer), "HTTP_AUTHORIZATION=Bearer %s",
		    a->token);
		env[n++] = bearer;
	} else if (a->signature[0] == '\0' && a->api_password[0] != '\0') {
		/* Seed 003's three parts, as REST takes them. */
		snprintf(key, sizeof(key), "HTTP_X_API_KEY=%s", a->api_key);
		snprintf(email, sizeof(email), "HTTP_X_EMAIL=%s", a->email);
		snprintf(pass, sizeof(pass), "HTTP_X_API_PASSWORD=%s",
		    a->api_password);
		env[n++] = key;
		env[n++] = email;
		env[n++] = pass;
	} else {
		snprintf(key, sizeof(key), "HTTP_X_API_KEY=%s", a->api_key);
		snprintf(ts, sizeof(ts), "HTTP_X_TIMESTAMP=%s", a->timestamp);
		snprintf(sig, sizeof(sig), "HTTP_X_SIGNATURE=%s",
		    a->signature[0] ? a->signature : "-");
		snprintf(rid, sizeof(rid), "HTTP_X_REQUEST_ID=%s", a->request_id);
		env[n++] = key;
		env[n++] = ts;
		env[n++] = sig;
		if (a->request_id[0] != '\0')
			env[n++] = rid;
	}
	env[n] = NULL;
	client_addr(c, addr, sizeof(addr));
	arena_reset(sm->arena);
	r.arena = sm->arena;
	r.envp = env;
	r.method = "GET";
	r.path = "/ws";
	r.query = "";
	r.db = sm->db;
	r.remote_addr = addr;
	clock_gettime(CLOCK_REALTIME, &r.now);
	clock_gettime(CLOCK_MONOTONIC, &r.mono);
	e = auth_request(&r, AUTH_USER, SCOPE_READ, &u);
	explicit_bzero(bearer, sizeof(bearer));
	explicit_bzero(pass, sizeof(pass));
	if (e != ERR_OK) {
		*code = err_info(e)->code;
		*why = r.auth_why != NULL ? r.auth_why : err_info(e)->message;
		return -1;
	}
	if (c->user_id != 0 && c->user_id != u.id) {
		*code = "FORBIDDEN";
		*why = "this connection is another user's";
		return -1;
	}
	if (c->user_id == 0) {
		c->user_id = u.id;
		user_join(sm, c);
	}
	snprintf(c->user_public, sizeof(c->user_public), "%s", u.public_id);
	c->auth_exp = u.via_key ? 0 : u.token_exp;
	snprintf(c->auth_key, sizeof(c->auth_key), "%s", u.via_key ? a->api_key : "");
	snprintf(c->auth_jti, sizeof(c->auth_jti), "%s", u.via_key ? "" : u.jti);
	snprintf(c->auth_sid, sizeof(c->auth_sid), "%s", u.via_key ? "" : u.sid);
	c->auth_iat = u.via_key ? 0 : u.token_iat;
	return 0;
}

/*
 * Whether c is the user's and takes ch's messages about market symbol
 * (NULL: about no one market): subscribed to the channel whole, or to
 * that market's part of it.
 */
static int
takes(const struct conn *c, int64_t user_id, enum proto_channel ch,
    const char *symbol)
{
	int i;

	if (c->user_id != user_id)
		return 0;
	for (i = 0; i < c->nsubs; i++)
		if (c->subs[i].ch == ch && (c->subs[i].symbol[0] == '\0' ||
		    (symbol != NULL && strcmp(c->subs[i].symbol, symbol) == 0)))
			return 1;
	return 0;
}

static void
user_send(struct streamer *sm, int64_t user_id, enum proto_channel ch,
    const char *symbol, const char *text)
{
	struct msg *m = NULL;
	struct conn *c;

	for (c = user_conns(sm, user_id); c != NULL; c = c->unext) {
		if (!takes(c, user_id, ch, symbol))
			continue;
		if (m == NULL && (m = msg_new(text, strlen(text))) == NULL)
			return;
		conn_send(c, m);
	}
	msg_unref(m);
}

static int
user_listens(struct streamer *sm, int64_t user_id, enum proto_channel ch,
    const char *symbol)
{
	struct conn *c;

	for (c = user_conns(sm, user_id); c != NULL; c = c->unext)
		if (takes(c, user_id, ch, symbol))
			return 1;
	return 0;
}

static const char *
order_event(const char *status)
{
	if (strcmp(status, "NEW") == 0)
		return "order.new";
	if (strcmp(status, "PARTIALLY_FILLED") == 0)
		return "order.partial";
	if (strcmp(status, "FILLED") == 0)
		return "order.filled";
	return "order.canceled";	/* CANCELED, EXPIRED(_IN_MATCH), REJECTED */
}

static struct json_object *
amount_or_null(const char *s)
{
	return strcmp(s, "-") == 0 ? NULL : json_object_new_string(s);
}

/*
 * quantity less executed, both written at the market's quantity scale;
 * NULL for an order by quote amount (no quantity).
 */
static struct json_object *
remaining_json(const char *qty, const char *exec)
{
	const char *dot = strchr(qty, '.');
	int scale = dot != NULL ? (int)strlen(dot + 1) : 0;
	int64_t q, x;
	char buf[48];

	if (strcmp(qty, "-") == 0 ||
	    dec_parse(qty, strlen(qty), scale, &q) != DEC_OK ||
	    dec_parse(exec, strlen(exec), scale, &x) != DEC_OK || x > q ||
	    dec_format(q - x, scale, buf, sizeof(buf)) == -1)
		return NULL;
	return json_object_new_string(buf);
}

/*
 * O userId sym orderId side type status price qty executed cumQuote avg
 * [orderListId]
 */
static void
order_line(struct streamer *sm, struct proto_line *l, int64_t ts)
{
	int64_t uid = strtoll(l->tok[0], NULL, 10);
	struct json_object *o, *d;

	if (!user_listens(sm, uid, PC_ORDERS, l->tok[1]))
		return;
	o = json_object_new_object();
	json_object_object_add(o, "channel", json_object_new_string("orders"));
	json_object_object_add(o, "event",
	    json_object_new_string(order_event(l->tok[5])));
	d = json_object_new_object();
	json_object_object_add(d, "orderId", json_object_new_string(l->tok[2]));
	json_object_object_add(d, "symbol", json_object_new_string(l->tok[1]));
	json_object_object_add(d, "side", json_object_new_string(l->tok[3]));
	json_object_object_add(d, "type", json_object_new_string(l->tok[4]));
	json_object_object_add(d, "status", json_object_new_string(l->tok[5]));
	json_object_object_add(d, "price", amount_or_null(l->tok[6]));
	json_object_object_add(d, "quantity", amount_or_null(l->tok[7]));
	json_object_object_add(d, "executedQuantity", json_object_new_string(l->tok[8]));
	json_object_object_add(d, "cumulativeQuoteQty", json_object_new_string(l->tok[9]));
	/* REST's and Appendix C's names of the order's figures. */
	json_object_object_add(d, "cumulativeQuoteQuantity",
	    json_object_new_string(l->tok[9]));
	json_object_object_add(d, "remainingQuantity",
	    remaining_json(l->tok[7], l->tok[8]));
	json_object_object_add(d, "averagePrice", amount_or_null(l->tok[10]));
	json_object_object_add(d, "orderListId", json_object_new_int64(
	    l->ntok > 11 ? strtoll(l->tok[11], NULL, 10) : -1));
	json_object_object_add(d, "timestamp", json_object_new_int64(ts));
	json_object_object_add(o, "data", d);
	user_send(sm, uid, PC_ORDERS, l->tok[1],
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* The user's balance of asset as committed now, to their balances channel. */
static void
balance_send(struct streamer *sm, const char *user_id, const char *asset,
    int64_t ts)
{
	int64_t uid = strtoll(user_id, NULL, 10);
	const char *p[2] = { user_id, asset };
	PGresult *res;
	char buf[512];

	if (!user_listens(sm, uid, PC_BALANCES, NULL))
		return;
	arena_reset(sm->arena);
	if (db_query(sm->db, sm->arena, &stmts[ST_BALANCE], p, &res) != ERR_OK ||
	    PQntuples(res) != 1)
		return;
	snprintf(buf, sizeof(buf), "{\"channel\":\"balances\",\"event\":"
	    "\"balance.update\",\"data\":{\"asset\":\"%s\",\"available\":\"%s\","
	    "\"locked\":\"%s\",\"total\":\"%s\",\"timestamp\":%lld}}", asset,
	    db_val(res, 0, 0), db_val(res, 0, 1), db_val(res, 0, 2),
	    (long long)ts);
	user_send(sm, uid, PC_BALANCES, NULL, buf);
}

void
private_line(struct streamer *sm, struct proto_line *l, int64_t ts)
{
	if (l->kind == 'O')
		order_line(sm, l, ts);
	else if (l->kind == 'B')
		balance_send(sm, l->tok[0], l->tok[1], ts);	/* B userId asset */
}

/*
 * The credential ended: the private subscriptions end, each with a word
 * why, and the connection is nobody's until it authenticates again.
 */
static void
private_end(struct streamer *sm, struct conn *c, const char *code,
    const char *why)
{
	char buf[256];
	int i;

	for (i = c->nsubs - 1; i >= 0; i--)
		if (PROTO_PRIVATE(c->subs[i].ch)) {
			snprintf(buf, sizeof(buf), "{\"event\":\"unsubscribed\","
			    "\"channel\":\"%s\",\"error\":{\"code\":\"%s\","
			    "\"message\":\"%s\"}}", proto_channels[c->subs[i].ch],
			    code, why);
			conn_send_text(c, buf);
			c->subs[i] = c->subs[--c->nsubs];
		}
	user_leave(sm, c);
	c->user_id = 0;
	c->auth_exp = 0;
}

/*
 * Every authenticated connection's credential, judged again as REST
 * would judge it now (auth_recheck(), one query): what it refuses (a
 * revoked API key, an ended session, a suspended account) ends its
 * private subscriptions too. If the database cannot answer, next time.
 */
static void
private_recheck(struct streamer *sm)
{
	struct auth_held *held;
	struct conn *c, **who;
	struct ctx cx;
	enum err *verdict;
	size_t n = 0, i;

	for (c = sm->conns; c != NULL; c = c->next)
		if (c->user_id != 0)
			n++;
	if (n == 0)
		return;
	arena_reset(sm->arena);
	if ((who = arena_calloc(sm->arena, n, sizeof(*who))) == NULL ||
	    (held = arena_calloc(sm->arena, n, sizeof(*held))) == NULL ||
	    (verdict = arena_calloc(sm->arena, n, sizeof(*verdict))) == NULL)
		return;
	n = 0;
	for (c = sm->conns; c != NULL; c = c->next) {
		if (c->user_id == 0)
			continue;
		who[n] = c;
		held[n].user_id = c->user_id;
		held[n].api_key = c->auth_key[0] ? c->auth_key : NULL;
		held[n].jti = c->auth_jti;
		held[n].sid = c->auth_sid;
		held[n++].iat = c->auth_iat;
	}
	memset(&cx, 0, sizeof(cx));
	cx.db = sm->db;
	cx.arena = sm->arena;
	clock_gettime(CLOCK_REALTIME, &cx.now);
	if (auth_recheck(&cx, held, n, verdict) != ERR_OK) {
		log_error("streamer: credentials of %zu connections not looked "
		    "at; next time", n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (verdict[i] == ERR_OK)
			continue;
		private_end(sm, who[i], err_info(verdict[i])->code,
		    verdict[i] != ERR_AUTH_003 ? err_info(verdict[i])->message :
		    who[i]->auth_key[0] ? "the API key was revoked, replaced or "
		    "has expired" : "the session has ended");
	}
}

/*
 * Tokens run out: the private subscriptions end, with a word why. Every
 * ws_auth_recheck_seconds, what else ends a credential is looked at.
 */
void
private_tick(struct streamer *sm)
{
	struct conn *c;
	time_t now = time(NULL);

	for (c = sm->conns; c != NULL; c = c->next)
		if (c->user_id != 0 && c->auth_exp != 0 && c->auth_exp <= now)
			private_end(sm, c, "AUTH_002", "token expired");
	if (sm->recheck_ms > 0 && sm->now_ms - sm->rechecked_ms >= sm->recheck_ms) {
		sm->rechecked_ms = sm->now_ms;
		private_recheck(sm);
	}
}

/* ---- the outbox ------------------------------------------------------------ */

int
outbox_open(struct streamer *sm)
{
	PGconn *pg;
	PGresult *res;
	lws_sock_file_fd_type fd;
	int ok;

	if (sm->pg != NULL)
		return 0;
	pg = PQconnectdb(cfg_get("db", "dbname=hzm"));
	if (PQstatus(pg) != CONNECTION_OK) {
		log_error("streamer: outbox connection: %s", PQerrorMessage(pg));
		PQfinish(pg);
		return -1;
	}
	res = PQexec(pg, "LISTEN " CHAN_OUTBOX "; LISTEN " CHAN_BALANCE);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	PQsetnonblocking(pg, 1);
	/* lws closes what it adopts: it gets a copy of libpq's socket. */
	if (!ok || (fd.filefd = dup(PQsocket(pg))) == -1) {
		PQfinish(pg);
		return -1;
	}
	if ((sm->pg_wsi = lws_adopt_descriptor_vhost(sm->vh,
	    LWS_ADOPT_RAW_FILE_DESC, fd, "hzm-outbox", NULL)) == NULL) {
		close(fd.filefd);
		PQfinish(pg);
		return -1;
	}
	sm->pg = pg;
	return 0;
}

/* lws closed the adopted copy; ours goes too, and comes back by the tick. */
void
outbox_lost(struct streamer *sm)
{
	sm->pg_wsi = NULL;
	if (sm->pg != NULL)
		PQfinish(sm->pg);
	sm->pg = NULL;
	sm->pg_retry_ms = util_now_ms() + OUTBOX_RETRY_MS;
}

static void
outbox_event(struct streamer *sm, const char *id)
{
	const char *p[1] = { id };
	struct json_object *o, *d;
	PGresult *res;
	int64_t uid;

	arena_reset(sm->arena);
	if (db_query(sm->db, sm->arena, &stmts[ST_OUTBOX], p, &res) != ERR_OK ||
	    PQntuples(res) != 1)
		return;
	uid = strtoll(db_val(res, 0, 0), NULL, 10);
	if (!user_listens(sm, uid, PC_BALANCES, NULL) ||
	    (d = json_tokener_parse(db_val(res, 0, 2))) == NULL)
		return;
	json_object_object_add(d, "timestamp",
	    json_object_new_int64(strtoll(db_val(res, 0, 3), NULL, 10)));
	o = json_object_new_object();
	json_object_object_add(o, "channel", json_object_new_string("balances"));
	json_object_object_add(o, "event", json_object_new_string(db_val(res, 0, 1)));
	json_object_object_add(o, "data", d);
	user_send(sm, uid, PC_BALANCES, NULL,
	    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/*
 * A balance moved outside the matcher: "<userId> <asset>", read with
 * care (anyone who may connect may NOTIFY).
 */
static void
balance_notified(struct streamer *sm, const char *payload)
{
	char uid[24], asset[16];

	if (sscanf(payload, "%23[0-9] %15[A-Z0-9]", uid, asset) != 2)
		return;
	balance_send(sm, uid, asset, util_now_ms());
}

/*
 * NOTIFY arrives at commit: an outbox payload is a committed row's id, a
 * balance one names the balance.
 */
void
outbox_readable(struct streamer *sm)
{
	PGnotify *nt;
	char payload[64];
	int balance;

	if (sm->pg == NULL)
		return;
	if (PQconsumeInput(sm->pg) != 1) {
		log_error("streamer: outbox connection lost");
		if (sm->pg_wsi != NULL)
			lws_set_timeout(sm->pg_wsi, PENDING_TIMEOUT_CLOSE_ACK,
			    LWS_TO_KILL_ASYNC);
		return;
	}
	while ((nt = PQnotifies(sm->pg)) != NULL) {
		snprintf(payload, sizeof(payload), "%s", nt->extra);
		balance = strcmp(nt->relname, CHAN_BALANCE) == 0;
		PQfreemem(nt);
		if (balance)
			balance_notified(sm, payload);
		else
			outbox_event(sm, payload);
	}
}
