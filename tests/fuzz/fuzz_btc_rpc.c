/* tests/fuzz/fuzz_btc_rpc.c — libFuzzer: a node's reply through rpc_reply_parse, then the parsers of listsinceblock, payments (sendtoaddress, gettransaction, listtransactions) and amounts */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/decimal.h"
#include "domain/btc_rpc.h"
#include "domain/jsonrpc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
hex64(const char *s)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

/* What the parser promises of every transfer it hands back. */
static void
check(const struct chain_transfer *t, size_t n)
{
	int64_t v;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!hex64(t[i].txid) || t[i].vout < 0 || t[i].address[0] == '\0' ||
		    (t[i].block[0] != '\0' && !hex64(t[i].block)) ||
		    (t[i].block[0] == '\0' && t[i].height != -1))
			abort();
		for (j = 0; t[i].address[j] != '\0'; j++)
			if (!((t[i].address[j] >= '0' && t[i].address[j] <= '9') ||
			    (t[i].address[j] >= 'a' && t[i].address[j] <= 'z') ||
			    (t[i].address[j] >= 'A' && t[i].address[j] <= 'Z')))
				abort();
		/* The amount is exact text that parses back, and positive. */
		if (dec_parse(t[i].amount, strlen(t[i].amount), BTC_SCALE, &v) !=
		    DEC_OK || v <= 0)
			abort();
	}
}

/* What the payment parsers promise of a payment they hand back. */
static void
check_payment(const struct chain_payment *p, int need_amount)
{
	int64_t v;
	size_t j;

	if (!hex64(p->txid) || strlen(p->comment) > CHAIN_COMMENT_MAX)
		abort();
	for (j = 0; p->comment[j] != '\0'; j++)
		if (p->comment[j] < 0x20 || p->comment[j] >= 0x7f)
			abort();
	for (j = 0; p->address[j] != '\0'; j++)
		if (!((p->address[j] >= '0' && p->address[j] <= '9') ||
		    (p->address[j] >= 'a' && p->address[j] <= 'z') ||
		    (p->address[j] >= 'A' && p->address[j] <= 'Z')))
			abort();
	if ((need_amount || p->amount[0] != '\0') &&
	    (dec_parse(p->amount, strlen(p->amount), BTC_SCALE, &v) != DEC_OK ||
	    v <= 0))
		abort();
	if (p->fee[0] != '\0' &&
	    dec_parse(p->fee, strlen(p->fee), BTC_SCALE, &v) != DEC_OK)
		abort();
}

static void
payments(struct json_object *res)
{
	struct chain_payment p;
	struct chain_status st;
	char txid[CHAIN_HASH_LEN + 1];
	int found = 0;

	if (btc_sent_parse(res, txid, &st) == ERR_OK && !hex64(txid))
		abort();
	if (btc_payment_parse(res, &p, &st) == ERR_OK)
		check_payment(&p, 0);
	if (btc_sends_parse(res, "hzm:", &p, &found, &st) == ERR_OK) {
		if (found < 0)
			abort();
		if (found > 0)
			check_payment(&p, 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct json_object *res, *v;
	struct chain_since s;
	struct chain_status st;
	int64_t sats;
	enum err e;

	if (a == NULL)
		return 0;
	e = rpc_reply_parse(a, (const char *)data, size, "hzm-1", &res, &st);
	if (e == ERR_OK) {
		if (st.fail != CHAIN_OK)
			abort();
		if (btc_since_parse(a, res, &s, &st) == ERR_OK) {
			check(s.transfers, s.ntransfers);
			check(s.removed, s.nremoved);
			if (!hex64(s.next))
				abort();
		}
		payments(res);
		if (res != NULL && json_object_is_type(res, json_type_object) &&
		    json_object_object_get_ex(res, "amount", &v))
			(void)btc_amount(v, &sats);
	} else if (e == ERR_SYSTEM_003) {
		if (st.fail != CHAIN_RPC && st.fail != CHAIN_MALFORMED)
			abort();
		if (strlen(st.message) >= sizeof(st.message))
			abort();
	} else if (e != ERR_INTERNAL) {
		abort();
	}
	arena_free(a);
	return 0;
}
