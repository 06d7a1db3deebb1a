/* domain/binance.c — the Binance spot REST client over core/httpc: signing, one call's answer and errors, the calls themselves */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/httpc.h"
#include "core/log.h"
#include "core/mc.h"
#include "core/util.h"
#include "domain/binance.h"
#include "domain/binance_parse.h"

#define BINANCE_DEFAULT_URL	"https://api.binance.com"
#define BINANCE_MAX_RESPONSE	(2 * 1024 * 1024)
/* memcached: until when (epoch ms) Binance asked every caller to wait. */
#define BACKOFF_KEY		"binance:backoff"
#define BACKOFF_DEFAULT_S	5

int
binance_sign(const char *secret, const char *params, size_t len, char out[65])
{
	unsigned char mac[32];
	unsigned int n = sizeof(mac);

	if (HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)params, len, mac, &n) == NULL || n != 32)
		return -1;
	util_hex(mac, sizeof(mac), out);
	out[64] = '\0';
	OPENSSL_cleanse(mac, sizeof(mac));
	return 0;
}

int
binance_key_chars_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= BINANCE_KEY_MAX ||
		    !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return i > 0;
}

void
binance_creds_wipe(struct binance_creds *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

int
binance_key_refused(const struct binance_status *st)
{
	return st->code == -2014 || st->code == -2015 || st->code == -1022;
}

enum err
binance_status_err(const struct binance_status *st)
{
	if (st->http_status == 429 || st->http_status == 418)
		return ERR_RATE_LIMIT_EXCEEDED;
	if (st->http_status >= 200 && st->http_status < 300)
		return ERR_OK;
	/*
	 * Nothing the caller did: the service, or our own clock (-1021);
	 * -1006 and -1007 say Binance does not know yet whether it ran
	 * (whatever the HTTP status), so it is looked up, not refused.
	 */
	if (st->http_status == 0 || st->http_status >= 500 ||
	    st->code == 0 || st->code == -1021 || st->code == -1006 ||
	    st->code == -1007)
		return ERR_SYSTEM_003;
	if (st->code == -2013)
		return ERR_NOT_FOUND;
	return ERR_INVALID_REQUEST;
}

/*
 * What this process knows of its link to Binance, as it knows its
 * database connection: until when it was asked to wait (memcached shares
 * a 429's wait with every process; this keeps it when memcached cannot),
 * and Binance's clock less ours (ms), as GET /api/v3/time last said, read
 * after a -1021 (a timestamp outside recvWindow) as Binance's own
 * clients keep it, so that this host's clock is not the bots' failure.
 */
#define CLOCK_OFFSET_MAX_MS	(24LL * 3600 * 1000)
static struct {
	int64_t	backoff_until_ms;
	int64_t	clock_offset_ms;
	int	clock_stale;		/* a -1021 since the clock was read */
} peer;

/* Whether an earlier 429/418 still asks every caller to wait. */
static int
backoff_active(struct ctx *c, struct binance_status *st)
{
	char *v;
	size_t len;
	int64_t until = peer.backoff_until_ms, now = util_now_ms();

	if ((v = mc_get(c->arena, BACKOFF_KEY, &len)) != NULL &&
	    util_long(v, 0) > until)
		until = util_long(v, 0);
	if (until <= now)
		return 0;
	st->retry_after = (long)((until - now + 999) / 1000);
	snprintf(st->msg, sizeof(st->msg), "waiting %ld s more as Binance "
	    "asked (Retry-After)", st->retry_after);
	return 1;
}

static void
backoff_note(const struct httpc_resp *r, struct binance_status *st)
{
	const char *ra = httpc_header(r, "retry-after");
	char v[24];
	long s;

	s = ra != NULL ? util_long(ra, -1) : -1;
	if (s < 0)
		s = BACKOFF_DEFAULT_S;
	st->retry_after = s > 0 ? s : 1;
	peer.backoff_until_ms = util_now_ms() + (int64_t)st->retry_after * 1000;
	snprintf(v, sizeof(v), "%lld", (long long)peer.backoff_until_ms);
	if (mc_set(BACKOFF_KEY, v, strlen(v), (time_t)st->retry_after + 1) == -1)
		log_error("binance: cannot keep Retry-After %ld s in memcached",
		    st->retry_after);
	log_error("binance: HTTP %ld, waiting %ld s (Retry-After)",
	    st->http_status, st->retry_after);
}

/* What the answer says: status, weight, Retry-After, Binance's error. */
static enum err
answer_read(const struct httpc_resp *r, struct binance_status *st)
{
	const char *w = httpc_header(r, "x-mbx-used-weight-1m");
	enum err e;

	st->http_status = r->status;
	st->used_weight = w != NULL ? util_long(w, -1) : -1;
	if (r->status < 200 || r->status >= 300)
		(void)binance_error_parse(r->body, r->bodylen, st);
	if (r->status == 429 || r->status == 418)
		backoff_note(r, st);
	if ((e = binance_status_err(st)) != ERR_OK && st->msg[0] == '\0')
		snprintf(st->msg, sizeof(st->msg), "HTTP %ld from Binance",
		    r->status);
	/* The operator's to know: Binance failing, or this server's clock. */
	if (e == ERR_SYSTEM_003)
		log_error("binance: HTTP %ld, code %d: %s", r->status, st->code,
		    st->msg);
	return e;
}

/* params + recvWindow + timestamp, then &signature= over all of it. */
static char *
params_signed(struct ctx *c, const struct binance_creds *k, const char *params)
{
	long long win = cfg_int("binance_recv_window", 5000);
	char sig[65], *all;

	if (win < 1 || win > 60000)
		win = 5000;
	if ((all = arena_printf(c->arena, "%s%srecvWindow=%lld&timestamp=%lld",
	    params, params[0] != '\0' ? "&" : "", win,
	    (long long)(util_now_ms() + peer.clock_offset_ms))) == NULL ||
	    binance_sign(k->secret, all, strlen(all), sig) == -1)
		return NULL;
	return arena_printf(c->arena, "%s&signature=%s", all, sig);
}

/*
 * One request made ready to send (q and its headers in the arena). GET
 * (and the signed parameters) in the query string, POST in a form body,
 * as Binance documents both. k NULL: a public call. ERR_OK, or the
 * enum of binance.h without a request (a wait Binance asked for).
 */
static enum err
call_prepare(struct ctx *c, const char *method, const char *path,
    const char *params, const struct binance_creds *k, struct httpc_req *q,
    struct binance_status *st)
{
	const char *base = cfg_get("binance_base_url", BINANCE_DEFAULT_URL);
	const char **hdrs;
	size_t blen = strlen(base), n = 0;
	char *all = (char *)params;
	int post = strcmp(method, "POST") == 0;

	memset(st, 0, sizeof(*st));
	memset(q, 0, sizeof(*q));
	st->used_weight = -1;
	if (backoff_active(c, st))
		return ERR_RATE_LIMIT_EXCEEDED;
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	/*
	 * A URL naming a private or loopback address itself (a relay, the
	 * stand-in) may reach it, and over plain http; a name is guarded
	 * like any outbound request, and takes https.
	 */
	q->operator_url = httpc_url_private(base);
	if (strncmp(base, "https://", 8) != 0 && !q->operator_url) {
		/* The key would go in clear. */
		log_error("binance: binance_base_url must be https:// (plain "
		    "http only to a private or loopback address)");
		return ERR_INTERNAL;
	}
	if (k != NULL && (!binance_key_chars_ok(k->api_key) ||
	    (all = params_signed(c, k, params)) == NULL))
		return ERR_INTERNAL;
	if ((hdrs = arena_calloc(c->arena, 4, sizeof(*hdrs))) == NULL)
		return ERR_INTERNAL;
	q->method = method;
	q->url = arena_printf(c->arena, "%.*s%s%s%s", (int)blen, base, path,
	    !post && all[0] != '\0' ? "?" : "", post ? "" : all);
	hdrs[n++] = "Accept: application/json";
	if (k != NULL)
		hdrs[n++] = arena_printf(c->arena, "X-MBX-APIKEY: %s", k->api_key);
	if (post) {
		hdrs[n++] = "Content-Type: application/x-www-form-urlencoded";
		q->body = all;
		q->bodylen = strlen(all);
	}
	hdrs[n] = NULL;
	if (q->url == NULL || hdrs[n - 1] == NULL)
		return ERR_INTERNAL;
	q->headers = hdrs;
	q->timeout_ms = (long)cfg_int("binance_timeout_ms", 5000);
	q->max_response = BINANCE_MAX_RESPONSE;
	/*
	 * Never asked again here: a 429 must not be followed by more requests
	 * (the wait is kept for everyone instead), an order's unknown outcome
	 * is looked up, and the worker's next cycle repeats the rest.
	 */
	q->retries = 0;
	return ERR_OK;
}

/* What httpc's e and r mean as the enum of binance.h. */
static enum err
call_finish(const char *method, const char *path, enum err e,
    const struct httpc_resp *r, struct binance_status *st)
{
	if (e == ERR_INTERNAL)
		return e;
	if (e != ERR_OK) {
		st->http_status = 0;
		snprintf(st->msg, sizeof(st->msg), "no answer from Binance: %.*s",
		    (int)(sizeof(st->msg) - 32), r->error[0] != '\0' ? r->error :
		    "refused");
		log_error("binance: %s %s: %s", method, path, st->msg);
		return ERR_SYSTEM_003;
	}
	e = answer_read(r, st);
	if (st->code == -1021)
		peer.clock_stale = 1;
	return e;
}

/* One request, sent now, once: its answer in r, as the enum of binance.h. */
static enum err
call_once(struct ctx *c, const char *method, const char *path,
    const char *params, const struct binance_creds *k, struct httpc_resp *r,
    struct binance_status *st)
{
	struct httpc_req q;
	enum err e;

	memset(r, 0, sizeof(*r));
	if ((e = call_prepare(c, method, path, params, k, &q, st)) != ERR_OK)
		return e;
	return call_finish(method, path, httpc_do(c->arena, &q, r), r, st);
}

/*
 * Binance's clock, read (GET /api/v3/time) and kept as an offset from
 * ours, taken at the middle of the round trip. 0, or -1 (unchanged).
 */
static int
clock_sync(struct ctx *c)
{
	struct binance_status st;
	struct httpc_resp r;
	int64_t t0, t1, server;
	enum err e;

	peer.clock_stale = 0;
	t0 = util_now_ms();
	e = call_once(c, "GET", "/api/v3/time", "", NULL, &r, &st);
	t1 = util_now_ms();
	if (e != ERR_OK || binance_time_parse(r.body, r.bodylen, &server) == -1) {
		log_error("binance: Binance's time could not be read");
		return -1;
	}
	/* A day apart is not a clock: Binance's answer is not believed. */
	if (server - (t0 + t1) / 2 > CLOCK_OFFSET_MAX_MS ||
	    server - (t0 + t1) / 2 < -CLOCK_OFFSET_MAX_MS) {
		log_error("binance: Binance's time is %lld ms from ours: not used",
		    (long long)(server - (t0 + t1) / 2));
		return -1;
	}
	peer.clock_offset_ms = server - (t0 + t1) / 2;
	log_info("binance: Binance's clock is %lld ms from ours; its time is "
	    "used for signed requests", (long long)peer.clock_offset_ms);
	return 0;
}

/* One request, sent now: ERR_OK with r's body for a 2xx; otherwise the enum of binance.h. */
static enum err
binance_call(struct ctx *c, const char *method, const char *path,
    const char *params, const struct binance_creds *k, struct httpc_resp *r,
    struct binance_status *st)
{
	enum err e;

	if (k != NULL && peer.clock_stale)
		clock_sync(c);
	e = call_once(c, method, path, params, k, r, st);
	/*
	 * Binance refused the timestamp before it looked at the request:
	 * asked again once, at Binance's time.
	 */
	if (k != NULL && st->code == -1021 && clock_sync(c) == 0)
		e = call_once(c, method, path, params, k, r, st);
	return e;
}

/* A 2xx whose body does not read is Binance answering wrongly. */
static enum err
malformed(struct binance_status *st, const char *what)
{
	snprintf(st->msg, sizeof(st->msg), "Binance's answer to %s does not "
	    "parse", what);
	log_error("binance: %s", st->msg);
	return ERR_SYSTEM_003;
}

enum err
binance_account(struct ctx *c, const struct binance_creds *k,
    struct binance_account *out, struct binance_status *st)
{
	struct httpc_resp r;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = binance_call(c, "GET", "/api/v3/account",
	    "omitZeroBalances=true", k, &r, st)) != ERR_OK)
		return e;
	if (binance_account_parse(c->arena, r.body, r.bodylen, out) == -1)
		return malformed(st, "account");
	return ERR_OK;
}

enum err
binance_api_restrictions(struct ctx *c, const struct binance_creds *k,
    struct binance_restrictions *out, struct binance_status *st)
{
	struct httpc_resp r;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = binance_call(c, "GET", "/sapi/v1/account/apiRestrictions",
	    "", k, &r, st)) != ERR_OK)
		return e;
	if (binance_restrictions_parse(r.body, r.bodylen, out) == -1)
		return malformed(st, "apiRestrictions");
	return ERR_OK;
}

/* A public GET of path?symbol=symbol: its answer in r. */
static enum err
symbol_get(struct ctx *c, const char *path, const char *symbol,
    struct httpc_resp *r, struct binance_status *st)
{
	char *p;

	if (!binance_symbol_ok(symbol) ||
	    (p = arena_printf(c->arena, "symbol=%s", symbol)) == NULL)
		return ERR_INTERNAL;
	return binance_call(c, "GET", path, p, NULL, r, st);
}

enum err
binance_lot(struct ctx *c, const char *symbol, struct binance_lot *out,
    struct binance_status *st)
{
	struct httpc_resp r;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = symbol_get(c, "/api/v3/exchangeInfo", symbol, &r, st)) != ERR_OK)
		return e;
	if (binance_lot_parse(r.body, r.bodylen, symbol, out) == -1)
		return malformed(st, "exchangeInfo");
	return ERR_OK;
}

enum err
binance_price(struct ctx *c, const char *symbol, struct binance_price *out,
    struct binance_status *st)
{
	struct httpc_resp r;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = symbol_get(c, "/api/v3/ticker/price", symbol, &r, st)) != ERR_OK)
		return e;
	if (binance_price_parse(r.body, r.bodylen, symbol, out) == -1)
		return malformed(st, "ticker/price");
	return ERR_OK;
}

/* symbols=["A","B"] percent-encoded: %5B%22A%22%2C%22B%22%5D */
enum err
binance_prices(struct ctx *c, const char *const *symbols, size_t n,
    struct binance_price *out, struct binance_status *st)
{
	struct httpc_resp r;
	char *p = "symbols=%5B";
	size_t i, k;
	enum err e;

	if (n == 0 || n > BINANCE_PRICES_MAX)
		return ERR_INTERNAL;
	for (i = 0; i < n && p != NULL; i++) {
		if (!binance_symbol_ok(symbols[i]))
			return ERR_INTERNAL;
		for (k = 0; k < i; k++)
			if (strcmp(symbols[k], symbols[i]) == 0)
				return ERR_INTERNAL;
		p = arena_printf(c->arena, "%s%s%%22%s%%22", p, i ? "%2C" : "",
		    symbols[i]);
	}
	if (p == NULL || (p = arena_printf(c->arena, "%s%%5D", p)) == NULL)
		return ERR_INTERNAL;
	if ((e = binance_call(c, "GET", "/api/v3/ticker/price", p, NULL, &r,
	    st)) != ERR_OK)
		return e;
	if (binance_prices_parse(r.body, r.bodylen, symbols, n, out) == -1)
		return malformed(st, "ticker/price");
	return ERR_OK;
}

static int
interval_ok(const char *s)
{
	static const char *const iv[] = { "1s", "1m", "3m", "5m", "15m", "30m",
	    "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M", NULL };
	size_t i;

	for (i = 0; s != NULL && iv[i] != NULL; i++)
		if (strcmp(s, iv[i]) == 0)
			return 1;
	return 0;
}

enum err
binance_klines(struct ctx *c, const struct binance_klines_req *q,
    struct binance_kline *out, size_t max, size_t *n,
    struct binance_status *st)
{
	struct httpc_resp r;
	char *p;
	enum err e;

	*n = 0;
	if (!binance_symbol_ok(q->symbol) || !interval_ok(q->interval) ||
	    q->limit < 0 || q->limit > BINANCE_KLINES_MAX ||
	    q->start_time < 0 || q->end_time < 0 ||
	    (p = arena_printf(c->arena, "symbol=%s&interval=%s", q->symbol,
	    q->interval)) == NULL)
		return ERR_INTERNAL;
	if (q->start_time > 0)
		p = arena_printf(c->arena, "%s&startTime=%lld", p,
		    (long long)q->start_time);
	if (p != NULL && q->end_time > 0)
		p = arena_printf(c->arena, "%s&endTime=%lld", p,
		    (long long)q->end_time);
	if (p != NULL && q->limit > 0)
		p = arena_printf(c->arena, "%s&limit=%d", p, q->limit);
	if (p == NULL)
		return ERR_INTERNAL;
	if ((e = binance_call(c, "GET", "/api/v3/klines", p, NULL, &r,
	    st)) != ERR_OK)
		return e;
	if (binance_klines_parse(r.body, r.bodylen, out, max, n) == -1)
		return malformed(st, "klines");
	return ERR_OK;
}

/* The form of a new order; NULL when the request is not one to send. */
static char *
order_params(struct ctx *c, const struct binance_order_req *o)
{
	const char *tif = o->time_in_force != NULL ? o->time_in_force : "GTC";
	char *p;

	if (!binance_symbol_ok(o->symbol) ||
	    !binance_client_id_ok(o->client_order_id) ||
	    (o->quantity != NULL && !binance_dec_ok(o->quantity)) ||
	    (o->quote_qty != NULL && !binance_dec_ok(o->quote_qty)) ||
	    (o->side != BINANCE_BUY && o->side != BINANCE_SELL))
		return NULL;
	p = arena_printf(c->arena, "symbol=%s&side=%s", o->symbol,
	    o->side == BINANCE_BUY ? "BUY" : "SELL");
	if (p == NULL)
		return NULL;
	if (o->type == BINANCE_MARKET) {
		if ((o->quantity == NULL) == (o->quote_qty == NULL))
			return NULL;
		p = o->quantity != NULL ?
		    arena_printf(c->arena, "%s&type=MARKET&quantity=%s", p, o->quantity) :
		    arena_printf(c->arena, "%s&type=MARKET&quoteOrderQty=%s", p, o->quote_qty);
	} else if (o->type == BINANCE_LIMIT) {
		if (o->quantity == NULL || o->quote_qty != NULL ||
		    !binance_dec_ok(o->price) || (strcmp(tif, "GTC") != 0 &&
		    strcmp(tif, "IOC") != 0 && strcmp(tif, "FOK") != 0))
			return NULL;
		p = arena_printf(c->arena, "%s&type=LIMIT&timeInForce=%s"
		    "&quantity=%s&price=%s", p, tif, o->quantity, o->price);
	} else
		return NULL;
	return p == NULL ? NULL : arena_printf(c->arena,
	    "%s&newClientOrderId=%s&newOrderRespType=FULL", p, o->client_order_id);
}

enum err
binance_order_new(struct ctx *c, const struct binance_creds *k,
    const struct binance_order_req *o, struct binance_order *out,
    struct binance_status *st)
{
	struct httpc_resp r;
	char *p;
	enum err e;

	memset(out, 0, sizeof(*out));
	memset(st, 0, sizeof(*st));
	if ((p = order_params(c, o)) == NULL)
		return ERR_INTERNAL;
	if ((e = binance_call(c, "POST", "/api/v3/order", p, k, &r,
	    st)) != ERR_OK)
		return e;
	if (binance_order_parse(c->arena, r.body, r.bodylen, out) == -1)
		return malformed(st, "order");
	return ERR_OK;
}

enum err
binance_order_get(struct ctx *c, const struct binance_creds *k,
    const char *symbol, const char *client_order_id,
    struct binance_order *out, struct binance_status *st)
{
	struct httpc_resp r;
	char *p;
	enum err e;

	memset(out, 0, sizeof(*out));
	memset(st, 0, sizeof(*st));
	if (!binance_symbol_ok(symbol) || !binance_client_id_ok(client_order_id) ||
	    (p = arena_printf(c->arena, "symbol=%s&origClientOrderId=%s",
	    symbol, client_order_id)) == NULL)
		return ERR_INTERNAL;
	if ((e = binance_call(c, "GET", "/api/v3/order", p, k, &r,
	    st)) != ERR_OK)
		return e;
	if (binance_order_parse(c->arena, r.body, r.bodylen, out) == -1)
		return malformed(st, "order");
	return ERR_OK;
}

enum err
binance_order_trades(struct ctx *c, const struct binance_creds *k,
    struct binance_order *o, struct binance_status *st)
{
	struct httpc_resp r;
	char *p;
	enum err e;

	memset(st, 0, sizeof(*st));
	if (!binance_symbol_ok(o->symbol) ||
	    (p = arena_printf(c->arena, "symbol=%s&orderId=%lld", o->symbol,
	    (long long)o->order_id)) == NULL)
		return ERR_INTERNAL;
	if ((e = binance_call(c, "GET", "/api/v3/myTrades", p, k, &r,
	    st)) != ERR_OK)
		return e;
	if (binance_trades_parse(c->arena, r.body, r.bodylen, o) == -1)
		return malformed(st, "myTrades");
	return ERR_OK;
}

void
binance_orders_new(struct ctx *c, struct binance_order_call *o, size_t n)
{
	struct httpc_req *q;
	struct httpc_resp *r;
	enum err *e;
	size_t i, m = 0, *at;
	char *p;

	q = arena_calloc(c->arena, n + 1, sizeof(*q));
	r = arena_calloc(c->arena, n + 1, sizeof(*r));
	e = arena_calloc(c->arena, n + 1, sizeof(*e));
	at = arena_calloc(c->arena, n + 1, sizeof(*at));
	if (peer.clock_stale)
		clock_sync(c);
	for (i = 0; i < n; i++) {
		memset(&o[i].out, 0, sizeof(o[i].out));
		memset(&o[i].st, 0, sizeof(o[i].st));
		o[i].e = ERR_INTERNAL;
		if (q == NULL || r == NULL || e == NULL || at == NULL ||
		    (p = order_params(c, &o[i].req)) == NULL)
			continue;
		if ((o[i].e = call_prepare(c, "POST", "/api/v3/order", p, o[i].k,
		    &q[m], &o[i].st)) != ERR_OK)
			continue;
		at[m++] = i;
	}
	if (m == 0)
		return;
	httpc_do_many(c->arena, q, r, e, m, (long)cfg_int("binance_parallel", 16));
	for (i = 0; i < m; i++) {
		struct binance_order_call *x = &o[at[i]];

		if ((x->e = call_finish("POST", "/api/v3/order", e[i], &r[i],
		    &x->st)) == ERR_OK && binance_order_parse(c->arena, r[i].body,
		    r[i].bodylen, &x->out) == -1)
			x->e = malformed(&x->st, "order");
	}
	/*
	 * Refused for our clock before Binance looked at them (-1021): each
	 * asked once more, at Binance's time (binance_call() reads it).
	 */
	for (i = 0; i < m; i++) {
		struct binance_order_call *x = &o[at[i]];

		if (x->st.code == -1021)
			x->e = binance_order_new(c, x->k, &x->req, &x->out, &x->st);
	}
}
