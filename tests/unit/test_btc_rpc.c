/* tests/unit/test_btc_rpc.c — domain/btc_rpc's parsers: JSON-RPC 1.0/2.0 replies, Core's errors, exact amounts, listsinceblock */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/btc_rpc.h"
#include "tests/unit/tap.h"

#define TXID "38b9a30825c973ebaa2bb484e91a8ff64ac37755c0f0a45a7754af8dc99ece0f"
#define BLK "6678ce1af7997b74f2d530d968db532b5cd5b33e1fefd2242f83a9762ea0c695"
#define ADDR "bcrt1q0fdgt68mc6299l4wkcn5k2pnwszvl9jqw3zzuw"

static struct arena *A;

static enum err
reply(const char *body, const char *id, struct json_object **res,
    struct chain_status *st)
{
	return btc_reply_parse(A, body, strlen(body), id, res, st);
}

static void
replies(void)
{
	struct json_object *res;
	struct chain_status st;
	enum err e;

	e = reply("{\"result\":3,\"error\":null,\"id\":\"hzm-1\"}\n", "hzm-1", &res, &st);
	is_int(e, ERR_OK, "1.0 reply");
	ok(res != NULL && json_object_get_int(res) == 3, "  its result");
	e = reply("{\"jsonrpc\":\"2.0\",\"result\":\"x\",\"id\":\"hzm-2\"}", "hzm-2", &res, &st);
	is_int(e, ERR_OK, "2.0 reply without error");
	e = reply("{\"result\":null,\"error\":null,\"id\":\"hzm-3\"}", "hzm-3", &res, &st);
	ok(e == ERR_OK && res == NULL, "a null result (invalidateblock) is a result");

	e = reply("{\"result\":null,\"error\":{\"code\":-5,\"message\":\"Block not found\"},"
	    "\"id\":\"hzm-4\"}\n", "hzm-4", &res, &st);
	is_int(e, ERR_SYSTEM_003, "an error object is SYSTEM_003");
	is_int(st.fail, CHAIN_RPC, "  from the node");
	is_int(st.code, -5, "  with its code");
	is_str(st.message, "Block not found", "  and message");
	e = reply("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":"
	    "\"Method not found\"},\"id\":null}", "hzm-5", &res, &st);
	ok(e == ERR_SYSTEM_003 && st.code == -32601, "2.0 error, id null (Core's parse errors)");
	e = reply("{\"result\":null,\"error\":{\"code\":-1,\"message\":\"a\\nb\\u0001\"},"
	    "\"id\":\"x\"}", "x", &res, &st);
	is_str(st.message, "a?b?", "  control characters never reach the log");

	e = reply("{\"result\":1,\"error\":null,\"id\":\"hzm-7\"}", "hzm-6", &res, &st);
	ok(e == ERR_SYSTEM_003 && st.fail == CHAIN_MALFORMED && res == NULL,
	    "another request's id is refused");
	e = reply("{\"result\":1,\"error\":null,\"id\":7}", "7", &res, &st);
	is_int(st.fail, CHAIN_MALFORMED, "a numeric id is not the string sent");
	e = reply("{\"error\":null,\"id\":\"a\"}", "a", &res, &st);
	is_int(st.fail, CHAIN_MALFORMED, "no result and no error");
	e = reply("{\"result\":1,\"error\":null,\"id\":\"a\"} x", "a", &res, &st);
	is_int(st.fail, CHAIN_MALFORMED, "trailing bytes");
	e = reply("<html><body>502 proxy error</body></html>", "a", &res, &st);
	is_int(st.fail, CHAIN_MALFORMED, "an HTML page");
	e = reply("{\"result\":1,\"err", "a", &res, &st);
	is_int(st.fail, CHAIN_MALFORMED, "a truncated answer");
	e = reply("[{\"result\":1,\"error\":null,\"id\":\"a\"}]", "a", &res, &st);
	is_int(st.fail, CHAIN_MALFORMED, "a batch answer to one request");
	e = reply("{\"result\":1,\"error\":{\"code\":\"x\",\"message\":\"m\"},\"id\":\"a\"}",
	    "a", &res, &st);
	is_int(st.fail, CHAIN_MALFORMED, "an error object of another shape");
	e = reply("{\"result\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]],\"error\":null,\"id\":\"a\"}",
	    "a", &res, &st);
	is_int(st.fail, CHAIN_MALFORMED, "nesting deeper than any answer needs");
	ok(btc_reply_parse(A, "", 0, "a", &res, &st) == ERR_SYSTEM_003, "an empty body");
}

static void
amounts(void)
{
	static const struct { const char *json; int ok; int64_t sats; } v[] = {
		{ "0.10000000", 1, 10000000 },
		{ "0.00000001", 1, 1 },
		{ "21000000.00000000", 1, 2100000000000000LL },
		{ "1", 1, 100000000 },
		{ "0.1", 1, 10000000 },
		{ "-0.00010000", 1, -10000 },
		/* 0.1 + 0.2 as a double is 0.30000000000000004: the text decides. */
		{ "0.30000000", 1, 30000000 },
		{ "1e-8", 0, 0 },
		{ "0.000000001", 0, 0 },
		{ "\"0.1\"", 0, 0 },
		{ "true", 0, 0 },
		{ "null", 0, 0 },
	};
	struct json_object *o;
	int64_t sats;
	size_t i;
	int rc;

	for (i = 0; i < nitems(v); i++) {
		o = json_tokener_parse(v[i].json);
		sats = -42;
		rc = btc_amount(o, &sats);
		if (v[i].ok)
			ok(rc == 0 && sats == v[i].sats, "amount %s is %lld satoshis",
			    v[i].json, (long long)v[i].sats);
		else
			ok(rc == -1, "amount %s refused", v[i].json);
		json_object_put(o);
	}
}

static enum err
since(const char *text, struct chain_since *s, struct chain_status *st)
{
	struct json_object *o = json_own(A, json_tokener_parse(text));

	return btc_since_parse(A, o, s, st);
}

static void
sinceblock(void)
{
	struct chain_since s;
	struct chain_status st;
	enum err e;

	e = since("{\"transactions\":["
	    "{\"address\":\"" ADDR "\",\"category\":\"receive\",\"amount\":0.50000000,"
	    "\"label\":\"usr_x\",\"vout\":1,\"confirmations\":3,\"blockhash\":\"" BLK "\","
	    "\"blockheight\":101,\"blockindex\":1,\"blocktime\":1,\"txid\":\"" TXID "\","
	    "\"wtxid\":\"" TXID "\",\"walletconflicts\":[],\"time\":1,\"timereceived\":1,"
	    "\"bip125-replaceable\":\"no\"},"
	    "{\"address\":\"" ADDR "\",\"category\":\"send\",\"amount\":-0.1,\"vout\":0,"
	    "\"confirmations\":0,\"txid\":\"" TXID "\"},"
	    "{\"category\":\"receive\",\"amount\":0.1,\"vout\":2,\"confirmations\":0,"
	    "\"txid\":\"" TXID "\"},"
	    "{\"address\":\"" ADDR "\",\"category\":\"generate\",\"amount\":50,\"vout\":0,"
	    "\"confirmations\":1,\"txid\":\"" TXID "\"},"
	    "{\"address\":\"" ADDR "\",\"category\":\"receive\",\"amount\":0.00010000,"
	    "\"vout\":0,\"confirmations\":-4,\"trusted\":false,\"txid\":\"" TXID "\"}],"
	    "\"removed\":[{\"address\":\"" ADDR "\",\"category\":\"receive\","
	    "\"amount\":1.00000000,\"vout\":0,\"confirmations\":0,\"txid\":\"" TXID "\"}],"
	    "\"lastblock\":\"" BLK "\"}", &s, &st);
	is_int(e, ERR_OK, "listsinceblock's shape");
	is_int(s.ntransfers, 2, "  two receives: sends, bare scripts and coinbase left out");
	is_str(s.transfers[0].txid, TXID, "  txid");
	is_int(s.transfers[0].vout, 1, "  vout");
	is_str(s.transfers[0].address, ADDR, "  address");
	is_str(s.transfers[0].amount, "0.50000000", "  amount, exact");
	is_int(s.transfers[0].confirmations, 3, "  confirmations");
	is_str(s.transfers[0].block, BLK, "  block");
	is_int(s.transfers[0].height, 101, "  height");
	is_int(s.transfers[1].confirmations, -4, "  a conflicted one, negative");
	is_str(s.transfers[1].block, "", "  in no block");
	is_int(s.transfers[1].height, -1, "  at no height");
	is_int(s.nremoved, 1, "  one removed by a reorganisation");
	is_str(s.removed[0].amount, "1.00000000", "  its amount");
	is_str(s.next, BLK, "  the next block to ask from");

	e = since("{\"transactions\":[],\"lastblock\":\"" BLK "\"}", &s, &st);
	ok(e == ERR_OK && s.ntransfers == 0 && s.nremoved == 0, "nothing new");

	e = since("{\"transactions\":[],\"lastblock\":\"" BLK "0\"}", &s, &st);
	is_int(e, ERR_SYSTEM_003, "a block hash of 65 digits");
	e = since("{\"transactions\":[],\"lastblock\":\"6678CE1AF7997B74F2D530D968DB532B5CD5B33E1FEFD2242F83A9762EA0C695\"}", &s, &st);
	is_int(e, ERR_SYSTEM_003, "upper-case hex (Core writes lower case)");
	e = since("{\"lastblock\":\"" BLK "\"}", &s, &st);
	is_int(e, ERR_SYSTEM_003, "no transactions");
	e = since("[]", &s, &st);
	is_int(e, ERR_SYSTEM_003, "not an object");
	e = since("{\"transactions\":[{\"address\":\"" ADDR "\",\"category\":\"receive\","
	    "\"amount\":0.1,\"vout\":0,\"confirmations\":1,\"txid\":\"" TXID "\"}],"
	    "\"lastblock\":\"" BLK "\"}", &s, &st);
	ok(e == ERR_OK && s.transfers[0].height == -1, "confirmed without a block hash: taken");
	e = since("{\"transactions\":[{\"address\":\"" ADDR "\",\"category\":\"receive\","
	    "\"amount\":0,\"vout\":0,\"confirmations\":1,\"txid\":\"" TXID "\"}],"
	    "\"lastblock\":\"" BLK "\"}", &s, &st);
	is_int(e, ERR_SYSTEM_003, "a receive of nothing");
	e = since("{\"transactions\":[{\"address\":\"" ADDR "\",\"category\":\"receive\","
	    "\"amount\":0.1,\"vout\":-1,\"confirmations\":1,\"txid\":\"" TXID "\"}],"
	    "\"lastblock\":\"" BLK "\"}", &s, &st);
	is_int(e, ERR_SYSTEM_003, "a negative vout");
	e = since("{\"transactions\":[{\"address\":\"bc1q'; DROP\",\"category\":\"receive\","
	    "\"amount\":0.1,\"vout\":0,\"confirmations\":1,\"txid\":\"" TXID "\"}],"
	    "\"lastblock\":\"" BLK "\"}", &s, &st);
	is_int(e, ERR_SYSTEM_003, "an address with other characters");
	e = since("{\"transactions\":[{\"address\":\"" ADDR "\",\"category\":\"receive\","
	    "\"amount\":0.1,\"vout\":0,\"confirmations\":1.5,\"txid\":\"" TXID "\"}],"
	    "\"lastblock\":\"" BLK "\"}", &s, &st);
	is_int(e, ERR_SYSTEM_003, "confirmations not a whole number");
	e = since("{\"transactions\":[],\"removed\":{},\"lastblock\":\"" BLK "\"}", &s, &st);
	is_int(e, ERR_SYSTEM_003, "removed not an array");
}

int
main(void)
{
	A = arena_new();
	replies();
	amounts();
	sinceblock();
	arena_free(A);
	return done_testing();
}
