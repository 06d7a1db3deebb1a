/* tests/unit/test_binance.c — domain/binance: Binance's documented signature, what answers mean, the parsers, and every call against the stand-in */
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/httpc.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/binance.h"
#include "domain/binance_parse.h"
#include "tap.h"

static struct arena *A;

#define S(x)	x, strlen(x)

/* developers.binance.com, "SIGNED Endpoint Examples for POST /api/v3/order". */
static void
signing(void)
{
	static const char secret[] =
	    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
	static const char query[] = "symbol=LTCBTC&side=BUY&type=LIMIT&"
	    "timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
	    "timestamp=1499827319559";
	static const char mixed[] = "symbol=LTCBTC&side=BUY&type=LIMIT&"
	    "timeInForce=GTCquantity=1&price=0.1&recvWindow=5000&"
	    "timestamp=1499827319559";
	char sig[65];

	ok(binance_sign(secret, S(query), sig) == 0, "sign");
	is_str(sig, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71",
	    "Binance's documented example signature (query string or body)");
	ok(binance_sign(secret, S(mixed), sig) == 0, "sign mixed");
	is_str(sig, "0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77",
	    "query string then body, no '&' between: the documented mixed example");
	ok(binance_sign("other", S(query), sig) == 0 &&
	    strcmp(sig, "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71") != 0,
	    "another secret, another signature");
	ok(binance_key_chars_ok("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"),
	    "a real key's characters");
	ok(!binance_key_chars_ok("abc\r\nX-Evil: 1"), "no CR LF into X-MBX-APIKEY");
	ok(!binance_key_chars_ok(""), "not empty");
}

static void
meanings(void)
{
	struct binance_status st;

	memset(&st, 0, sizeof(st));
	st.http_status = 200;
	is_int(binance_status_err(&st), ERR_OK, "200: OK");
	st.http_status = 0;
	is_int(binance_status_err(&st), ERR_SYSTEM_003, "no answer: SYSTEM_003");
	st.http_status = 502;
	is_int(binance_status_err(&st), ERR_SYSTEM_003, "5xx: SYSTEM_003");
	st.http_status = 429;
	st.code = -1003;
	is_int(binance_status_err(&st), ERR_RATE_LIMIT_EXCEEDED, "429: rate limited");
	st.http_status = 418;
	is_int(binance_status_err(&st), ERR_RATE_LIMIT_EXCEEDED, "418: rate limited (banned)");
	st.http_status = 400;
	st.code = -1021;
	is_int(binance_status_err(&st), ERR_SYSTEM_003, "-1021: our clock, SYSTEM_003");
	ok(!binance_key_refused(&st), "-1021 is not the key's fault");
	st.http_status = 408;
	st.code = -1007;
	is_int(binance_status_err(&st), ERR_SYSTEM_003,
	    "408 -1007: status unknown, SYSTEM_003 (looked up, not refused)");
	st.http_status = 400;
	st.code = -1006;
	is_int(binance_status_err(&st), ERR_SYSTEM_003, "400 -1006: status unknown too");
	st.http_status = 400;
	st.code = -1022;
	is_int(binance_status_err(&st), ERR_INVALID_REQUEST, "-1022: refused");
	ok(binance_key_refused(&st), "-1022: the key's (its secret)");
	st.http_status = 401;
	st.code = -2015;
	ok(binance_key_refused(&st) && binance_status_err(&st) == ERR_INVALID_REQUEST,
	    "-2015: the key's");
	st.code = -2014;
	ok(binance_key_refused(&st), "-2014: the key's");
	st.http_status = 400;
	st.code = -2010;
	ok(!binance_key_refused(&st) && binance_status_err(&st) == ERR_INVALID_REQUEST,
	    "-2010: the order's");
	st.code = -2013;
	is_int(binance_status_err(&st), ERR_NOT_FOUND, "-2013: no such order");
	st.http_status = 404;
	st.code = 0;
	is_int(binance_status_err(&st), ERR_SYSTEM_003, "a 4xx without Binance's code: not ours to fix");
}

static void
parsers(void)
{
	struct binance_status st;
	struct binance_account ac;
	struct binance_restrictions rs;

	memset(&st, 0, sizeof(st));
	ok(binance_error_parse(S("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"), &st) == 0 &&
	    st.code == -1121, "error: code");
	is_str(st.msg, "Invalid symbol.", "error: msg");
	ok(binance_error_parse(S("{\"code\":-1,\"msg\":\"a\\nb\"}"), &st) == 0 &&
	    strcmp(st.msg, "a?b") == 0, "error: control characters never reach a log");
	ok(binance_error_parse(S("{\"code\":200,\"msg\":\"x\"}"), &st) == -1, "error: a positive code is not one");
	ok(binance_error_parse(S("<html>"), &st) == -1, "error: HTML is not one");

	ok(binance_account_parse(A, S("{\"canTrade\":true,\"canWithdraw\":false,"
	    "\"accountType\":\"SPOT\",\"balances\":[{\"asset\":\"BTC\",\"free\":\"1.5\","
	    "\"locked\":\"0.00000000\"}],\"permissions\":[\"SPOT\",\"MARGIN\"]}"), &ac) == 0,
	    "account");
	ok(ac.can_trade && !ac.can_withdraw && ac.nbalances == 1 &&
	    strcmp(ac.balances[0].free, "1.5") == 0, "account: flags and balances");
	is_str(ac.permissions, "SPOT,MARGIN", "account: permissions");
	ok(binance_account_parse(A, S("{\"canTrade\":true,\"balances\":[{\"asset\":\"BTC\","
	    "\"free\":1.5,\"locked\":\"0\"}]}"), &ac) == -1, "account: a float amount is refused");
	ok(binance_account_parse(A, S("{\"canTrade\":true,\"balances\":[{\"asset\":\"BTC\","
	    "\"free\":\"-1\",\"locked\":\"0\"}]}"), &ac) == -1, "account: a negative amount");
	ok(binance_account_parse(A, S("{\"canTrade\":true,\"balances\":[]} x"), &ac) == -1,
	    "account: data after the JSON");

	ok(binance_restrictions_parse(S("{\"ipRestrict\":false,\"enableWithdrawals\":true,"
	    "\"enableReading\":true,\"enableSpotAndMarginTrading\":true}"), &rs) == 0 &&
	    rs.enable_withdrawals && !rs.ip_restrict && rs.enable_spot_trading,
	    "apiRestrictions");
	ok(binance_restrictions_parse(S("{\"ipRestrict\":true}"), &rs) == -1,
	    "apiRestrictions: no enableWithdrawals is never taken for off");
	ok(binance_restrictions_parse(S("{\"ipRestrict\":true,\"enableWithdrawals\":\"false\"}"),
	    &rs) == -1, "apiRestrictions: a string is not a boolean");

}

static void
parsers_market(void)
{
	struct binance_price p, ps[2];
	struct binance_kline k[3];
	struct binance_order o;
	const char *syms[2] = { "BTCUSDT", "ETHUSDT" };
	size_t n;

	ok(binance_price_parse(S("{\"symbol\":\"BTCUSDT\",\"price\":\"60000.01\"}"), "BTCUSDT",
	    &p) == 0 && strcmp(p.price, "60000.01") == 0, "price");
	ok(binance_price_parse(S("{\"symbol\":\"ETHUSDT\",\"price\":\"1\"}"), "BTCUSDT", &p) == -1,
	    "price: another symbol's");
	ok(binance_price_parse(S("{\"symbol\":\"BTCUSDT\",\"price\":\"1e5\"}"), "BTCUSDT", &p) == -1,
	    "price: an exponent");
	ok(binance_prices_parse(S("[{\"symbol\":\"ETHUSDT\",\"price\":\"3000\"},"
	    "{\"symbol\":\"BTCUSDT\",\"price\":\"60000\"}]"), syms, 2, ps) == 0 &&
	    strcmp(ps[0].price, "60000") == 0 && strcmp(ps[1].price, "3000") == 0,
	    "prices: in Binance's order, each to its symbol");
	ok(binance_prices_parse(S("[{\"symbol\":\"BTCUSDT\",\"price\":\"1\"},"
	    "{\"symbol\":\"BTCUSDT\",\"price\":\"1\"}]"), syms, 2, ps) == -1, "prices: one twice");
	ok(binance_prices_parse(S("[{\"symbol\":\"BTCUSDT\",\"price\":\"1\"}]"), syms, 2, ps) == -1,
	    "prices: one missing");

	ok(binance_klines_parse(S("[[1499040000000,\"0.01634790\",\"0.80000000\",\"0.01575800\","
	    "\"0.01577100\",\"148976.11427815\",1499644799999,\"2434.19055334\",308,"
	    "\"1756.87402397\",\"28.46694368\",\"0\"]]"), k, 3, &n) == 0 && n == 1 &&
	    k[0].open_time == 1499040000000LL && strcmp(k[0].close, "0.01577100") == 0 &&
	    k[0].trades == 308, "klines: Binance's documented candle");
	ok(binance_klines_parse(S("[[2,\"1\",\"1\",\"1\",\"1\",\"1\",3,\"1\",1],"
	    "[1,\"1\",\"1\",\"1\",\"1\",\"1\",2,\"1\",1]]"), k, 3, &n) == -1,
	    "klines: out of order");
	ok(binance_klines_parse(S("[[1,\"1\",\"1\",\"1\",\"1\",\"1\",2,\"1\",1]]"), k, 0, &n) == -1,
	    "klines: more than room for");

	ok(binance_order_parse(A, S("{\"symbol\":\"BTCUSDT\",\"orderId\":28,\"orderListId\":-1,"
	    "\"clientOrderId\":\"bot-1.c2\",\"transactTime\":1507725176595,\"price\":\"0.00000000\","
	    "\"origQty\":\"10.00000000\",\"executedQty\":\"10.00000000\","
	    "\"cummulativeQuoteQty\":\"10.00000000\",\"status\":\"FILLED\",\"timeInForce\":\"GTC\","
	    "\"type\":\"MARKET\",\"side\":\"SELL\",\"fills\":[{\"price\":\"4000.00000000\","
	    "\"qty\":\"1.00000000\",\"commission\":\"4.00000000\",\"commissionAsset\":\"USDT\","
	    "\"tradeId\":56}]}"), &o) == 0, "order (FULL)");
	ok(o.order_id == 28 && o.nfills == 1 && o.fills[0].trade_id == 56 &&
	    strcmp(o.status, "FILLED") == 0 && o.time == 1507725176595LL &&
	    strcmp(o.client_order_id, "bot-1.c2") == 0, "order: its fields and fills");
	ok(binance_order_parse(A, S("{\"symbol\":\"BTCUSDT\",\"orderId\":28}"), &o) == -1,
	    "order: fields missing");
	ok(binance_dec_ok("0") && binance_dec_ok("0.1") && !binance_dec_ok(".1") &&
	    !binance_dec_ok("1.") && !binance_dec_ok("1.2.3") && !binance_dec_ok("-1") &&
	    !binance_dec_ok(""), "decimals");
	ok(binance_client_id_ok("bot_1:c/2.x-y") && !binance_client_id_ok("a b") &&
	    !binance_client_id_ok("0123456789012345678901234567890123456"), "client order ids");
}

/* ---- every call against the stand-in (tests/stubs/binance) ---------------- */

static pid_t stub;
static int stub_port;

static int
port_free(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int s, port = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(s, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(s);
	return port;
}

/* A control call to the stand-in; its answer's body, or NULL. */
static const char *
control(const char *method, const char *path, const char *body)
{
	static const char *const hdrs[] = { "Content-Type: application/json", NULL };
	struct httpc_req q;
	struct httpc_resp r;

	memset(&q, 0, sizeof(q));
	q.method = method;
	q.url = arena_printf(A, "http://127.0.0.1:%d%s", stub_port, path);
	q.headers = hdrs;
	q.body = body;
	q.bodylen = body != NULL ? strlen(body) : 0;
	q.operator_url = 1;
	return httpc_do(A, &q, &r) == ERR_OK && r.status == 200 ? r.body : NULL;
}

static int
stub_start(void)
{
	char conf[64], *url;
	FILE *f;
	int i;

	if (access("tests/stubs/binance", X_OK) == -1 ||
	    (stub_port = port_free()) == -1)
		return -1;
	snprintf(conf, sizeof(conf), "/tmp/hzm-binance-unit.%d.conf", (int)getpid());
	if ((f = fopen(conf, "w")) == NULL)
		return -1;
	fprintf(f, "port=%d\n", stub_port);
	fclose(f);
	if ((stub = fork()) == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull != -1)
			dup2(devnull, 2);
		execl("tests/stubs/binance", "binance", arena_printf(A, "-conf=%s", conf),
		    (char *)NULL);
		_exit(127);
	}
	url = arena_printf(A, "http://127.0.0.1:%d", stub_port);
	setenv("HZM_BINANCE_BASE_URL", url, 1);
	for (i = 0; i < 100; i++) {
		if (control("GET", "/test/requests", NULL) != NULL) {
			unlink(conf);
			return 0;
		}
		usleep(100 * 1000);
	}
	unlink(conf);
	return -1;
}

static void
creds_of(struct binance_creds *k, const char *prefix)
{
	static const char alpha[] = "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	memset(k, 0, sizeof(*k));
	snprintf(k->api_key, sizeof(k->api_key), "%s%s%s", prefix, alpha, alpha);
	k->api_key[64] = '\0';
	memcpy(k->secret, k->api_key, 65);
	k->secret[0] = 'S';
}

static void
live_market(struct ctx *c)
{
	const char *syms[3] = { "BTCUSDT", "ETHUSDT", "BNBUSDT" };
	struct binance_price p, ps[3];
	struct binance_kline *k = arena_calloc(A, 10, sizeof(*k));
	struct binance_klines_req kq = { "BTCUSDT", "1h", 0, 0, 5 };
	struct binance_status st;
	const char *counts;
	size_t n;

	is_int(binance_price(c, "BTCUSDT", &p, &st), ERR_OK, "live: one price");
	is_str(p.price, "60000.00000000", "live: as the stand-in holds it");
	ok(st.used_weight > 0, "live: X-MBX-USED-WEIGHT-1M read");
	control("POST", "/test/reset", "{}");
	is_int(binance_prices(c, syms, 3, ps, &st), ERR_OK, "live: three prices");
	ok(strcmp(ps[1].price, "3000.00000000") == 0 &&
	    strcmp(ps[2].price, "500.00000000") == 0, "live: each to its symbol");
	counts = control("GET", "/test/requests", NULL);
	ok(counts != NULL && strstr(counts, "\"GET /api/v3/ticker/price\": 1") != NULL,
	    "live: three symbols, one request");
	is_int(binance_price(c, "NOSUCH", &p, &st), ERR_INVALID_REQUEST, "live: unknown symbol");
	is_int(st.code, -1121, "live: -1121");
	control("POST", "/test/klines", "{\"symbol\":\"BTCUSDT\",\"interval\":\"1h\","
	    "\"closes\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}");
	is_int(binance_klines(c, &kq, k, 10, &n, &st), ERR_OK, "live: klines");
	ok(n == 5 && strcmp(k[4].close, "6.00000000") == 0 &&
	    k[4].open_time - k[3].open_time == 3600000, "live: the last five hourly candles");
}

static void
live_orders(struct ctx *c, const struct binance_creds *k)
{
	struct binance_order_req mk = { "BTCUSDT", BINANCE_BUY, BINANCE_MARKET,
	    "0.01000000", NULL, NULL, NULL, "cycle-1" };
	struct binance_order_req lim = { "BTCUSDT", BINANCE_BUY, BINANCE_LIMIT,
	    "0.01", NULL, "50000", NULL, "cycle-2" };
	struct binance_order o;
	struct binance_status st;

	is_int(binance_order_new(c, k, &mk, &o, &st), ERR_OK, "live: MARKET order");
	ok(strcmp(o.status, "FILLED") == 0 && o.nfills == 1 &&
	    strcmp(o.fills[0].price, "60000.00000000") == 0 &&
	    strcmp(o.executed_qty, "0.01000000") == 0, "live: filled at once at the price");
	is_int(binance_order_new(c, k, &lim, &o, &st), ERR_OK, "live: LIMIT order");
	is_str(o.status, "NEW", "live: below the price it rests");
	is_int(binance_order_new(c, k, &lim, &o, &st), ERR_INVALID_REQUEST,
	    "live: the same newClientOrderId while open");
	ok(st.code == -2010 && strcmp(st.msg, "Duplicate order sent.") == 0, "live: -2010 Duplicate order sent.");
	is_int(binance_order_get(c, k, "BTCUSDT", "cycle-2", &o, &st), ERR_OK,
	    "live: looked up by origClientOrderId");
	ok(strcmp(o.status, "NEW") == 0 && o.nfills == 0, "live: still resting");
	control("POST", "/test/price", "{\"symbol\":\"BTCUSDT\",\"price\":\"49000\"}");
	binance_order_get(c, k, "BTCUSDT", "cycle-2", &o, &st);
	ok(strcmp(o.status, "FILLED") == 0 && strcmp(o.executed_qty, "0.01000000") == 0,
	    "live: filled once the price reaches it");
	is_int(binance_order_get(c, k, "BTCUSDT", "never-sent", &o, &st), ERR_NOT_FOUND,
	    "live: an order never sent: not found");
	is_int(st.code, -2013, "live: -2013");
	lim.quantity = "-1";
	is_int(binance_order_new(c, k, &lim, &o, &st), ERR_INTERNAL,
	    "live: a negative quantity is never sent");
}

static void
live_faults(struct ctx *c, const struct binance_creds *k)
{
	struct binance_creds bad = *k;
	struct binance_account ac;
	struct binance_restrictions rs;
	struct binance_price p;
	struct binance_status st;

	is_int(binance_account(c, k, &ac, &st), ERR_OK, "live: account");
	ok(ac.can_trade && ac.nbalances >= 4, "live: its balances");
	is_int(binance_api_restrictions(c, k, &rs, &st), ERR_OK, "live: apiRestrictions");
	ok(!rs.ip_restrict && !rs.enable_withdrawals, "live: OPENKEY's restrictions");
	bad.secret[5] ^= 1;
	is_int(binance_account(c, &bad, &ac, &st), ERR_INVALID_REQUEST, "live: a wrong secret");
	ok(st.code == -1022 && binance_key_refused(&st), "live: -1022, the key's fault");
	creds_of(&bad, "UNKNOWN");
	binance_account(c, &bad, &ac, &st);
	ok(st.code == -2015 && st.http_status == 401, "live: an unknown key: -2015, 401");
	/* -1021: Binance's time is read, and the request asked once more. */
	control("POST", "/test/clock", "{\"offsetMs\":-20000}");
	is_int(binance_account(c, k, &ac, &st), ERR_OK,
	    "live: our clock 20 s ahead of Binance's: answered at its time");
	control("POST", "/test/clock", "{\"offsetMs\":0}");
	is_int(binance_account(c, k, &ac, &st), ERR_OK,
	    "live: and again once the clocks agree");
	control("POST", "/test/fault", "{\"mode\":\"503\"}");
	is_int(binance_price(c, "BTCUSDT", &p, &st), ERR_SYSTEM_003, "live: 503");
	control("POST", "/test/fault", "{\"mode\":\"down\"}");
	is_int(binance_price(c, "BTCUSDT", &p, &st), ERR_SYSTEM_003, "live: no answer");
	ok(st.http_status == 0 && strstr(st.msg, "no answer") != NULL, "live: says so");
	control("POST", "/test/fault", "{\"mode\":\"429\",\"retryAfter\":7}");
	is_int(binance_price(c, "BTCUSDT", &p, &st), ERR_RATE_LIMIT_EXCEEDED, "live: 429");
	is_int(st.retry_after, 7, "live: Retry-After read");
}

static void
live(void)
{
	struct ctx c;
	struct binance_creds k;
	int status;

	/* No memcached here: the shared back-off is the API tests' to check. */
	setenv("HZM_MEMCACHED", "/nonexistent/hzm-unit.sock", 1);
	log_open("/dev/null", "test_binance");
	if (stub_start() == -1) {
		ok(0, "the stand-in Binance starts (python3 tests/stubs/binance)");
		return;
	}
	memset(&c, 0, sizeof(c));
	c.arena = A;
	creds_of(&k, "OPENKEY");
	live_market(&c);
	live_orders(&c, &k);
	live_faults(&c, &k);
	binance_creds_wipe(&k);
	ok(k.secret[0] == '\0' && k.api_key[10] == '\0', "creds wiped");
	kill(stub, SIGTERM);
	waitpid(stub, &status, 0);
}

/* exchangeInfo as Binance documents it: LOT_SIZE, and MARKET_LOT_SIZE when it has a step. */
static void
parsers_lot(void)
{
	static const char info[] = "{\"timezone\":\"UTC\",\"symbols\":[{\"symbol\":"
	    "\"BTCUSDT\",\"status\":\"TRADING\",\"filters\":[{\"filterType\":"
	    "\"PRICE_FILTER\",\"minPrice\":\"0.01000000\",\"maxPrice\":"
	    "\"1000000.00000000\",\"tickSize\":\"0.01000000\"},{\"filterType\":"
	    "\"LOT_SIZE\",\"minQty\":\"0.00001000\",\"maxQty\":\"9000.00000000\","
	    "\"stepSize\":\"0.00001000\"},{\"filterType\":\"MARKET_LOT_SIZE\","
	    "\"minQty\":\"0.00000000\",\"maxQty\":\"105.50000000\",\"stepSize\":"
	    "\"0.00000000\"},{\"filterType\":\"NOTIONAL\",\"minNotional\":"
	    "\"5.00000000\",\"applyMinToMarket\":true}]}]}";
	static const char market[] = "{\"symbols\":[{\"symbol\":\"BTCUSDT\","
	    "\"filters\":[{\"filterType\":\"LOT_SIZE\",\"minQty\":\"0.00001000\","
	    "\"maxQty\":\"9000.00000000\",\"stepSize\":\"0.00001000\"},"
	    "{\"filterType\":\"MARKET_LOT_SIZE\",\"minQty\":\"0.00010000\","
	    "\"maxQty\":\"100.00000000\",\"stepSize\":\"0.00010000\"}]}]}";
	struct binance_lot l;

	ok(binance_lot_parse(info, sizeof(info) - 1, "BTCUSDT", &l) == 0 &&
	    strcmp(l.step, "0.00001000") == 0 && strcmp(l.min_qty, "0.00001000") == 0 &&
	    strcmp(l.max_qty, "9000.00000000") == 0,
	    "exchangeInfo: MARKET_LOT_SIZE without a step, LOT_SIZE's holds");
	is_str(l.min_notional, "5.00000000", "  NOTIONAL applied to MARKET: its minNotional");
	ok(binance_lot_parse(market, sizeof(market) - 1, "BTCUSDT", &l) == 0 &&
	    strcmp(l.step, "0.00010000") == 0 && strcmp(l.min_qty, "0.00010000") == 0,
	    "  MARKET_LOT_SIZE with a step: it holds");
	is_str(l.min_notional, "0", "  no notional filter: 0");
	ok(binance_lot_parse(info, sizeof(info) - 1, "ETHUSDT", &l) == -1 &&
	    l.step[0] == '\0', "  another symbol's: refused");
	ok(binance_lot_parse(S("{\"symbols\":[{\"symbol\":\"BTCUSDT\",\"filters\":[]}]}"),
	    "BTCUSDT", &l) == -1, "  no LOT_SIZE: refused");
	{
		static const char trades[] = "[{\"symbol\":\"BTCUSDT\",\"id\":28457,"
		    "\"orderId\":100234,\"orderListId\":-1,\"price\":\"4.00000100\","
		    "\"qty\":\"12.00000000\",\"quoteQty\":\"48.000012\",\"commission\":"
		    "\"10.10000000\",\"commissionAsset\":\"BNB\",\"time\":1499865549590,"
		    "\"isBuyer\":true,\"isMaker\":false,\"isBestMatch\":true}]";
		struct binance_order o;

		memset(&o, 0, sizeof(o));
		o.order_id = 100234;
		ok(binance_trades_parse(A, trades, sizeof(trades) - 1, &o) == 0 &&
		    o.nfills == 1 && strcmp(o.fills[0].commission, "10.10000000") == 0 &&
		    strcmp(o.fills[0].commission_asset, "BNB") == 0 &&
		    o.fills[0].trade_id == 28457, "myTrades (Binance's example): the commission");
		{
			int64_t ms;

			ok(binance_time_parse(S("{\"serverTime\":1499827319559}"), &ms) == 0 &&
			    ms == 1499827319559LL, "time: serverTime");
			ok(binance_time_parse(S("{\"serverTime\":\"1\"}"), &ms) == -1,
			    "  not a number: refused");
		}
		o.order_id = 7;
		ok(binance_trades_parse(A, trades, sizeof(trades) - 1, &o) == -1 &&
		    o.nfills == 0, "  another order's trades: refused");
	}
	ok(binance_lot_parse(S("{\"symbols\":[{\"symbol\":\"BTCUSDT\",\"filters\":"
	    "[{\"filterType\":\"LOT_SIZE\",\"minQty\":\"1\",\"maxQty\":\"2\","
	    "\"stepSize\":\"0\"}]}]}"), "BTCUSDT", &l) == -1, "  a step of 0: refused");
}

int
main(void)
{
	A = arena_new();
	signing();
	meanings();
	parsers();
	parsers_market();
	parsers_lot();
	live();
	arena_free(A);
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}
