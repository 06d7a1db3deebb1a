/* tests/unit/test_matcher_line.c — the matcher's socket request lines: an order with and without the access token whose account the batch checks, with and without an idempotency key; a cancel */
#include <stdint.h>
#include <string.h>

#include "core/channels.h"
#include "domain/matcher_line.h"
#include "domain/orders.h"
#include "tests/unit/tap.h"

static const char base[] = "ord_abcdefghijklmnopqrst 7 - B L GTC 185000000 "
    "10000 0 18537 0 0 T 1700000004000";

/* base with the four token fields after it. */
static int
decode_with(const char *fields, struct mline_order *o)
{
	char line[CHAN_REQUEST_MAX];

	snprintf(line, sizeof(line), "%s %s", base, fields);
	return mline_request_decode(line, o);
}

static void
test_roundtrip(void)
{
	struct mline_order o, back;
	char line[CHAN_REQUEST_MAX];
	size_t n;

	ok(decode_with("0b6f7c2e-1d2a-4c3b-9e8f-7a6b5c4d3e2f "
	    "5e1a9c7d-2b3f-4d6e-8a1b-0c2d3e4f5a6b 1700000000 2001:db8::1",
	    &o) == 0, "an order with its token's id, session, issue time, address");
	is_str(o.jti, "0b6f7c2e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", "  the token id");
	is_str(o.sid, "5e1a9c7d-2b3f-4d6e-8a1b-0c2d3e4f5a6b", "  the session");
	is_int(o.iat, 1700000000, "  the issue time");
	is_str(o.addr, "2001:db8::1", "  the address");
	ok(mline_request_encode(&o, line, sizeof(line)) == 0, "  written back");
	n = strlen(line);
	line[n - 1] = '\0';
	ok(mline_request_decode(line, &back) == 0 &&
	    memcmp(&o, &back, sizeof(o)) == 0, "  and read the same");

	ok(decode_with("- - 0 -", &o) == 0, "an order whose handler checked the account");
	ok(o.jti[0] == '\0' && o.sid[0] == '\0' && o.iat == 0 && o.addr[0] == '\0',
	    "  carries no token");
	ok(decode_with("0b6f7c2e-1d2a-4c3b-9e8f-7a6b5c4d3e2f - 1700000000 -", &o) == 0,
	    "a token without a session");
}

static void
test_refused(void)
{
	struct mline_order o;

	ok(decode_with("- 5e1a9c7d-2b3f-4d6e-8a1b-0c2d3e4f5a6b 0 -", &o) == -1,
	    "a session without a token id is refused");
	ok(decode_with("- - 1700000000 -", &o) == -1,
	    "an issue time without a token id is refused");
	ok(decode_with("0B6F'; - 1 -", &o) == -1, "a token id of other characters is refused");
	ok(decode_with("0b6f - 1 127.0.0.1%eth0", &o) == -1, "an address with a zone id is refused");
	ok(decode_with("- - 0", &o) == -1, "a line one field short is refused");
	ok(mline_request_decode(base, &o) == -1, "a version 3 line is refused");
}

static void
test_cancel(void)
{
	struct mline_cancel x = { 12345, 7 }, back;
	struct mline_order o;
	char line[CHAN_REQUEST_MAX];
	size_t n;

	ok(mline_cancel_encode(&x, line, sizeof(line)) == 0, "a cancel written");
	is_str(line, "CANCEL 12345 7\n", "  as CANCEL, the order's id, its owner's");
	n = strlen(line);
	line[n - 1] = '\0';
	ok(mline_cancel_decode(line, &back) == 0 && back.order_id == 12345 &&
	    back.user_id == 7, "  and read the same");
	ok(mline_request_decode(line, &o) == -1, "  which is no order");
	ok(mline_cancel_decode(base, &x) == -1, "an order is no cancel");
	ok(mline_cancel_decode("CANCEL 12345", &x) == -1, "a cancel without its owner is refused");
	ok(mline_cancel_decode("CANCEL 12345 7 8", &x) == -1, "one with a field more is refused");
	ok(mline_cancel_decode("CANCEL 0 7", &x) == -1, "order 0 is refused");
	ok(mline_cancel_decode("CANCEL 12345 0", &x) == -1, "user 0 is refused");
	ok(mline_cancel_decode("CANCEL -1 7", &x) == -1, "a negative id is refused");
	ok(mline_cancel_decode("cancel 12345 7", &x) == -1, "the word is CANCEL");
	ok(mline_cancel_decode("CANCEL  12345 7", &x) == -1, "one space between fields");
	ok(mline_cancel_decode("CANCEL 99999999999999999999 7", &x) == -1,
	    "an id past 64 bits is refused");
}

/* An X-Idempotency-Key and its request's hash, after the token's fields. */
static void
test_idem(void)
{
	static const char hash[] =
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
	struct mline_order o, back;
	char line[CHAN_REQUEST_MAX], f[256];
	size_t n;

	ok(decode_with("- - 0 -", &o) == 0 && o.idem_key[0] == '\0' &&
	    o.idem_hash[0] == '\0', "an order without a key carries none");
	snprintf(f, sizeof(f), "- - 0 - order:42 %s", hash);
	ok(decode_with(f, &o) == 0, "an order with an idempotency key");
	is_str(o.idem_key, "order:42", "  the key");
	is_str(o.idem_hash, hash, "  its request's hash");
	ok(mline_request_encode(&o, line, sizeof(line)) == 0, "  written back");
	n = strlen(line);
	ok(n > 65 && strncmp(line + n - 65, hash, 64) == 0 && line[n - 1] == '\n',
	    "  the hash last");
	line[n - 1] = '\0';
	ok(mline_request_decode(line, &back) == 0 &&
	    memcmp(&o, &back, sizeof(o)) == 0, "  and read the same");
	snprintf(f, sizeof(f), "- - 0 - - %s", hash);
	ok(decode_with(f, &o) == 0 && strcmp(o.idem_key, "-") == 0,
	    "\"-\" is a key there, not \"none\"");

	/* The longest key and every field at its widest still fit a line. */
	memset(&o, 0, sizeof(o));
	memset(o.public_id, 'a', 24);
	memcpy(o.public_id, "ord_", 4);
	o.user_id = INT64_MAX;
	memset(o.client_id, 'c', ORDER_CLIENT_ID_MAX);
	o.price = o.qty = o.stop = 999999999999999999;
	o.qoq = o.lock = o.deadline_ms = o.iat = INT64_MAX;
	memset(o.jti, 'f', 36);
	memset(o.sid, 'f', 36);
	memset(o.addr, 'f', 45);
	memset(o.idem_key, '~', IDEM_KEY_MAX);
	memcpy(o.idem_hash, hash, 64);
	ok(mline_request_encode(&o, line, sizeof(line)) == 0,
	    "the widest order with the longest key fits CHAN_REQUEST_MAX");

	ok(decode_with("- - 0 - order:42", &o) == -1, "a key without its hash is refused");
	snprintf(f, sizeof(f), "- - 0 - order/42 %s", hash);
	ok(decode_with(f, &o) == -1, "a key of other characters is refused");
	snprintf(f, sizeof(f), "- - 0 - %.65s %s",
	    "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
	    hash);
	ok(decode_with(f, &o) == -1, "a key over 64 characters is refused");
	ok(decode_with("- - 0 - k 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
	    &o) == -1, "a hash in capitals is refused");
	ok(decode_with("- - 0 - k 9f86d0", &o) == -1, "a short hash is refused");
	snprintf(f, sizeof(f), "- - 0 - k %s x", hash);
	ok(decode_with(f, &o) == -1, "a field after the hash is refused");
}

int
main(void)
{
	test_roundtrip();
	test_refused();
	test_idem();
	test_cancel();
	done_testing();
	return 0;
}
