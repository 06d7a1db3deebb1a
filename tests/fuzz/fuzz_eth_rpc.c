/* tests/fuzz/fuzz_eth_rpc.c — libFuzzer: an Ethereum node's reply through rpc_reply_parse and the block, transaction, receipt and log parsers; the bytes as an address, an xpub and a quantity */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "domain/eth_addr.h"
#include "domain/eth_rpc.h"
#include "domain/eth_units.h"
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

/* An address handed back is checksummed: it parses to itself. */
static void
addr_ok(const char *s, int may_be_empty)
{
	uint8_t raw[ETH_ADDR_LEN];
	char again[ETH_ADDR_TEXT + 1];

	if (s[0] == '\0' && may_be_empty)
		return;
	if (eth_addr_parse(s, raw) != ETH_ADDR_OK)
		abort();
	eth_addr_eip55(raw, again);
	if (strcmp(again, s) != 0)
		abort();
}

static void
logs_ok(const struct eth_log *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!hex64(l[i].tx) || !hex64(l[i].block_hash))
			abort();
		addr_ok(l[i].address, 0);
		if (l[i].is_transfer) {
			addr_ok(l[i].from, 0);
			addr_ok(l[i].to, 0);
			if (strlen(l[i].value) != 64)
				abort();
		}
	}
}

static void
parsers(struct arena *a, struct json_object *res)
{
	struct chain_status st;
	struct eth_block b;
	struct eth_receipt r;
	struct eth_log *logs;
	struct eth_tx t;
	size_t n, i;

	if (eth_block_parse(a, res, 1, &b, &st) == ERR_OK) {
		if (!hex64(b.hash) || !hex64(b.parent))
			abort();
		for (i = 0; i < b.ntxs; i++) {
			if (!hex64(b.txs[i].hash))
				abort();
			addr_ok(b.txs[i].from, 0);
			addr_ok(b.txs[i].to, 1);
		}
	}
	if (eth_tx_parse(res, &t, &st) == ERR_OK && !hex64(t.hash))
		abort();
	if (eth_receipt_parse(a, res, &r, &st) == ERR_OK) {
		if (!hex64(r.tx) || (r.status != 0 && r.status != 1))
			abort();
		logs_ok(r.logs, r.nlogs);
	}
	if (eth_logs_parse(a, res, &logs, &n, &st) == ERR_OK)
		logs_ok(logs, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct json_object *res;
	struct chain_status st;
	struct xpub x;
	char *s, out[80], q[ETH_QTY_MAX];
	enum err e;

	if (a == NULL)
		return 0;
	e = rpc_reply_parse(a, (const char *)data, size, "hzm-1", &res, &st);
	if (e == ERR_OK)
		parsers(a, res);
	else if (e != ERR_SYSTEM_003 && e != ERR_INTERNAL)
		abort();
	if ((s = malloc(size + 1)) != NULL) {
		memcpy(s, data, size);
		s[size] = '\0';
		(void)eth_addr_parse(s, NULL);
		(void)xpub_parse(s, &x);
		/* A quantity read back is the same quantity. */
		if (eth_units_dec(s, strlen(s), 18, out, sizeof(out)) == 0 &&
		    (eth_dec_units(out, 18, q) == -1 ||
		    eth_units_dec(q + 2, strlen(q + 2), 18, out + 40, 40) == -1 ||
		    strcmp(out, out + 40) != 0))
			abort();
		free(s);
	}
	arena_free(a);
	return 0;
}
