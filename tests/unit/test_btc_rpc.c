/* tests/unit/test_btc_rpc.c — domain/btc_rpc's parsers: JSON-RPC 1.0/2.0 replies, Core's errors, exact amounts, listsinceblock, payments */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/btc_rpc.h"
#include "domain/jsonrpc.h"
#include "tests/unit/tap.h"

#define TXID "38b9a30825c973ebaa2bb484e91a8ff64ac37755c0f0a45a7754af8dc99ece0f"
#define BLK "6678ce1af7997b74f2d530d968db532b5cd5b33e1fefd2242f83a9762ea0c695"
#define ADDR "bcrt1q0fdgt68mc6299l4wkcn5k2pnwszvl9jqw3zzuw"

static struct arena *A;

static enum err
reply(const char *body, const char *id, struct json_object **res,
    struct chain_status *st)
{
	return rpc_reply_parse(A, body, strlen(body), id, res, st);
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
	ok(rpc_reply_parse(A, "", 0, "a", &res, &st) == ERR_SYSTEM_003, "an empty body");
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

static struct json_object *
parsed(const char *text)
{
	return json_own(A, json_tokener_parse(text));
}

#define SEND_ENTRY(comment, txid, amount) \
	"{\"address\":\"" ADDR "\",\"category\":\"send\",\"amount\":" amount "," \
	"\"vout\":0,\"fee\":-0.00002820,\"confirmations\":2,\"txid\":\"" txid "\"," \
	"\"abandoned\":false" comment "}"
#define TXID2 "1111111111111111111111111111111111111111111111111111111111111111"

static void
payments(void)
{
	struct chain_payment p;
	struct chain_status st;
	char txid[CHAIN_HASH_LEN + 1], norm[CHAIN_ADDR_MAX + 1];
	const char *why;
	enum err e;
	int found;

	e = btc_sent_parse(parsed("\"" TXID "\""), txid, &st);
	ok(e == ERR_OK && strcmp(txid, TXID) == 0, "sendtoaddress: a txid");
	e = btc_sent_parse(parsed("{\"txid\":\"" TXID "\",\"fee_reason\":\"x\"}"),
	    txid, &st);
	ok(e == ERR_OK && strcmp(txid, TXID) == 0, "  or {txid} when verbose");
	e = btc_sent_parse(parsed("\"" TXID "0\""), txid, &st);
	ok(e == ERR_SYSTEM_003 && st.fail == CHAIN_MALFORMED, "  not a txid: malformed");
	e = btc_sent_parse(NULL, txid, &st);
	is_int(e, ERR_SYSTEM_003, "  null: malformed");

	e = btc_payment_parse(parsed("{\"amount\":-0.50000000,\"fee\":-0.00002820,"
	    "\"confirmations\":2,\"txid\":\"" TXID "\",\"comment\":\"hzm:wdr_a:1\","
	    "\"details\":[{\"address\":\"" ADDR "\",\"category\":\"send\","
	    "\"amount\":-0.50000000,\"vout\":0,\"fee\":-0.00002820,"
	    "\"abandoned\":false}],\"hex\":\"00\"}"), &p, &st);
	is_int(e, ERR_OK, "gettransaction of a payment");
	is_str(p.txid, TXID, "  txid");
	is_str(p.address, ADDR, "  address");
	is_str(p.amount, "0.50000000", "  amount, positive and exact");
	is_str(p.fee, "0.00002820", "  fee, positive");
	is_str(p.comment, "hzm:wdr_a:1", "  comment");
	is_int(p.confirmations, 2, "  confirmations");
	is_int(p.abandoned, 0, "  not abandoned");
	e = btc_payment_parse(parsed("{\"amount\":0.1,\"confirmations\":-1,"
	    "\"txid\":\"" TXID "\",\"details\":[{\"address\":\"" ADDR "\","
	    "\"category\":\"receive\",\"amount\":0.1,\"vout\":0}]}"), &p, &st);
	ok(e == ERR_OK && p.amount[0] == '\0' && p.confirmations == -1,
	    "  a receive only: no payment amount, conflicted");
	e = btc_payment_parse(parsed("{\"confirmations\":1,\"txid\":\"" TXID "\","
	    "\"details\":[{\"category\":\"send\",\"amount\":0.5,\"vout\":0}]}"),
	    &p, &st);
	is_int(e, ERR_SYSTEM_003, "  a send of a positive amount: malformed");
	e = btc_payment_parse(parsed("{\"confirmations\":1,\"txid\":\"" TXID "\","
	    "\"details\":{}}"), &p, &st);
	is_int(e, ERR_SYSTEM_003, "  details not an array");
	e = btc_payment_parse(parsed("{\"confirmations\":1,\"txid\":\"" TXID "\","
	    "\"comment\":5,\"details\":[]}"), &p, &st);
	is_int(e, ERR_SYSTEM_003, "  a comment that is not a string");
	e = btc_payment_parse(parsed("{\"confirmations\":1,\"txid\":\"" TXID "\","
	    "\"comment\":\"a\\nb\",\"details\":[]}"), &p, &st);
	ok(e == ERR_OK && strcmp(p.comment, "a?b") == 0, "  control characters never kept");

	found = 0;
	e = btc_sends_parse(parsed("[" SEND_ENTRY(",\"comment\":\"other\"", TXID2, "-1")
	    "," SEND_ENTRY(",\"comment\":\"hzm:wdr_a:2\"", TXID, "-0.5")
	    "," SEND_ENTRY(",\"comment\":\"hzm:wdr_a:2\"", TXID, "-0.5")
	    "," SEND_ENTRY("", TXID2, "-1")
	    ",{\"category\":\"receive\",\"comment\":\"hzm:wdr_a:3\"}]"),
	    "hzm:wdr_a:", &p, &found, &st);
	is_int(e, ERR_OK, "listtransactions searched by comment");
	is_int(found, 1, "  one payment (two entries of one transaction)");
	is_str(p.txid, TXID, "  its txid");
	is_str(p.amount, "0.50000000", "  its amount");
	is_int(p.confirmations, 2, "  its confirmations");
	found = 0;
	e = btc_sends_parse(parsed("[" SEND_ENTRY(",\"comment\":\"hzm:wdr_a:1\"", TXID2, "-0.5")
	    "," SEND_ENTRY(",\"comment\":\"hzm:wdr_a:2\"", TXID, "-0.5") "]"),
	    "hzm:wdr_a:", &p, &found, &st);
	ok(e == ERR_OK && found == 2 && strcmp(p.txid, TXID2) == 0,
	    "  two transactions for one withdrawal are both counted");
	found = 0;
	e = btc_sends_parse(parsed("[" SEND_ENTRY(",\"comment\":\"hzm:wdr_ab:1\"", TXID, "-0.5")
	    "]"), "hzm:wdr_a:", &p, &found, &st);
	ok(e == ERR_OK && found == 0, "  another withdrawal's comment does not match");
	found = 0;
	e = btc_sends_parse(parsed("[" SEND_ENTRY(",\"comment\":\"hzm:wdr_a:1\"", "xyz", "-0.5")
	    "]"), "hzm:wdr_a:", &p, &found, &st);
	is_int(e, ERR_SYSTEM_003, "  a matching entry with a bad txid: malformed");
	found = 0;
	e = btc_sends_parse(parsed("[5]"), "hzm:", &p, &found, &st);
	is_int(e, ERR_SYSTEM_003, "  an entry that is not an object");
	e = btc_sends_parse(parsed("{}"), "hzm:", &p, &found, &st);
	is_int(e, ERR_SYSTEM_003, "  not an array");

	ok(btc_address_check("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", norm,
	    sizeof(norm), &why) == 0, "a mainnet P2WPKH address (btc_chain main)");
	ok(btc_address_check("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", norm,
	    sizeof(norm), &why) == 0 &&
	    strcmp(norm, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4") == 0,
	    "  in capitals: kept in lower case");
	ok(btc_address_check("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", norm,
	    sizeof(norm), &why) == 0 &&
	    strcmp(norm, "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2") == 0, "P2PKH, as is");
	ok(btc_address_check("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", norm,
	    sizeof(norm), &why) == 0, "P2SH");
	ok(btc_address_check(ADDR, norm, sizeof(norm), &why) == -1 &&
	    strstr(why, "test network") != NULL, "a regtest address: another network");
	ok(btc_address_check("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", norm,
	    sizeof(norm), &why) == -1 && strstr(why, "test network") != NULL,
	    "a testnet address: another network");
	ok(btc_address_check("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", norm,
	    sizeof(norm), &why) == -1 && strstr(why, "checksum") != NULL,
	    "a wrong checksum");
	ok(btc_address_check("0x52908400098527886E0F7030069857D2E4169EE7", norm,
	    sizeof(norm), &why) == -1, "an Ethereum address");
	ok(btc_address_check("", norm, sizeof(norm), &why) == -1, "nothing");
	ok(btc_address_check("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
	    norm, sizeof(norm), &why) == -1 && strstr(why, "witness version") != NULL,
	    "a witness v1 program of 40 bytes (not taproot): refused");
	ok(btc_refused_for_good(-5, "Invalid address") &&
	    btc_refused_for_good(-26, "min relay fee not met") &&
	    !btc_refused_for_good(-6, "Insufficient funds") &&
	    !btc_refused_for_good(-13, "Please enter the wallet passphrase") &&
	    !btc_refused_for_good(-28, "Loading wallet..."), "refusals for good, and for now");
	/* Core's SendMoney(): every failure to build the transaction is -6. */
	ok(btc_refused_for_good(-6, "Transaction amount too small") &&
	    btc_refused_for_good(-6, "The transaction amount is too small to pay the fee"),
	    "-6 that never passes: for good");
	ok(!btc_refused_for_good(-6, "Transaction too large") &&
	    !btc_refused_for_good(-6, "Fee exceeds maximum configured by user "
	    "(e.g. -maxtxfee, maxfeerate)"), "-6 the operator or the fees mend: for now");
	ok(!btc_refused_for_good(-6, "Fee estimation failed. Fallbackfee is disabled. "
	    "Wait a few blocks or enable -fallbackfee."), "-6 no fee estimate yet: for now");
	ok(!btc_refused_for_good(-4, "Error: Private keys are disabled for this wallet") &&
	    !btc_refused_for_good(-4, NULL), "-4 the wallet's state: for now");
}

int
main(void)
{
	A = arena_new();
	replies();
	amounts();
	sinceblock();
	payments();
	arena_free(A);
	return done_testing();
}
