/* domain/eth_rpc.c — the Ethereum node's JSON-RPC (geth, Nethermind) over domain/jsonrpc: blocks, receipts, logs, payments, answers parsed exactly */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/eth_rpc.h"
#include "domain/jsonrpc.h"

#define TXS_MAX		100000	/* transactions or logs in one answer */

static const struct rpc_node eth_node = {
	.name = "eth",
	.url_key = "eth_node_url",
	.user_key = "eth_node_user",
	.password_key = "eth_node_password",
	.max_key = "eth_rpc_max_bytes",
	.max_default = ETH_MAX_RESPONSE,
};

enum err
eth_call(struct ctx *c, const char *method, struct json_object *params,
    struct json_object **result, struct chain_status *st)
{
	return rpc_call(c, &eth_node, method, params,
	    (long)cfg_int("eth_rpc_timeout_ms", ETH_TIMEOUT_MS), result, st);
}

static enum err
malformed(struct chain_status *st)
{
	memset(st, 0, sizeof(*st));
	rpc_fail(st, CHAIN_MALFORMED);
	return ERR_SYSTEM_003;
}

static int
ishex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

int
eth_qty(struct json_object *o, uint64_t *v)
{
	const char *s;
	size_t n, i;
	uint64_t x = 0;

	if (o == NULL || !json_object_is_type(o, json_type_string))
		return -1;
	s = json_object_get_string(o);
	if (strncmp(s, "0x", 2) != 0 || (n = strlen(s + 2)) == 0 || n > 16 ||
	    !ishex(s + 2, n))
		return -1;
	for (i = 0; i < n; i++)
		x = x << 4 | (uint64_t)util_hexval((unsigned char)s[2 + i]);
	*v = x;
	return 0;
}

/* A quantity of any size as its hex digits (no 0x, no leading zeros kept). */
static int
big_qty(struct json_object *o, char *out, size_t outsz)
{
	const char *s;
	size_t n;

	if (o == NULL || !json_object_is_type(o, json_type_string))
		return -1;
	s = json_object_get_string(o);
	if (strncmp(s, "0x", 2) != 0 || (n = strlen(s + 2)) == 0 || n > 64 ||
	    n >= outsz || !ishex(s + 2, n))
		return -1;
	memcpy(out, s + 2, n + 1);
	return 0;
}

static int
field_qty(struct json_object *o, const char *name, uint64_t *v)
{
	struct json_object *f;

	return json_object_object_get_ex(o, name, &f) ? eth_qty(f, v) : -1;
}

/* A 32-byte hash as 64 lower-case hex digits. */
static int
field_hash(struct json_object *o, const char *name, char out[CHAIN_HASH_LEN + 1])
{
	const char *s = rpc_str_field(o, name);
	size_t i;

	if (s == NULL || strlen(s) != CHAIN_HASH_LEN + 2 || strncmp(s, "0x", 2) != 0 ||
	    !ishex(s + 2, CHAIN_HASH_LEN))
		return -1;
	for (i = 0; i < CHAIN_HASH_LEN; i++)
		out[i] = s[2 + i] >= 'A' && s[2 + i] <= 'F' ?
		    (char)(s[2 + i] - 'A' + 'a') : s[2 + i];
	out[CHAIN_HASH_LEN] = '\0';
	return 0;
}

/* An address as its EIP-55 spelling (nodes write lower case). */
static int
addr_text(const char *s, char out[ETH_ADDR_TEXT + 1])
{
	uint8_t raw[ETH_ADDR_LEN];

	if (eth_addr_parse(s, raw) != ETH_ADDR_OK)
		return -1;
	eth_addr_eip55(raw, out);
	return 0;
}

enum err
eth_tx_parse(struct json_object *o, struct eth_tx *t, struct chain_status *st)
{
	struct json_object *v;
	const char *s;
	uint64_t bn;

	memset(t, 0, sizeof(*t));
	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    field_hash(o, "hash", t->hash) == -1 ||
	    (s = rpc_str_field(o, "from")) == NULL || addr_text(s, t->from) == -1 ||
	    !json_object_object_get_ex(o, "value", &v) ||
	    big_qty(v, t->value, sizeof(t->value)) == -1 ||
	    field_qty(o, "nonce", &t->nonce) == -1)
		return malformed(st);
	/* to is null for a contract creation. */
	if (json_object_object_get_ex(o, "to", &v) && v != NULL &&
	    ((s = rpc_str_field(o, "to")) == NULL || addr_text(s, t->to) == -1))
		return malformed(st);
	if ((s = rpc_str_field(o, "input")) == NULL || strncmp(s, "0x", 2) != 0 ||
	    !ishex(s + 2, strlen(s + 2)))
		return malformed(st);
	t->input = s + 2;
	t->block = -1;
	if (json_object_object_get_ex(o, "blockNumber", &v) && v != NULL) {
		if (eth_qty(v, &bn) == -1 || bn > INT64_MAX)
			return malformed(st);
		t->block = (int64_t)bn;
	}
	memset(st, 0, sizeof(*st));
	return ERR_OK;
}

enum err
eth_block_parse(struct arena *a, struct json_object *o, int full,
    struct eth_block *b, struct chain_status *st)
{
	struct json_object *txs;
	size_t i, n;

	memset(b, 0, sizeof(*b));
	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    field_qty(o, "number", &b->number) == -1 ||
	    field_hash(o, "hash", b->hash) == -1 ||
	    field_hash(o, "parentHash", b->parent) == -1 ||
	    !json_object_object_get_ex(o, "transactions", &txs) ||
	    !json_object_is_type(txs, json_type_array))
		return malformed(st);
	memset(st, 0, sizeof(*st));
	if (!full || (n = json_object_array_length(txs)) == 0)
		return ERR_OK;
	if (n > TXS_MAX)
		return malformed(st);
	if ((b->txs = arena_calloc(a, n, sizeof(*b->txs))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < n; i++)
		if (eth_tx_parse(json_object_array_get_idx(txs, i), &b->txs[i],
		    st) != ERR_OK)
			return ERR_SYSTEM_003;
	b->ntxs = n;
	return ERR_OK;
}

/* A topic holding an address: 12 zero bytes, then the address. */
static int
topic_addr(struct json_object *t, char out[ETH_ADDR_TEXT + 1])
{
	const char *s;
	char a[ETH_ADDR_TEXT + 1];

	if (t == NULL || !json_object_is_type(t, json_type_string) ||
	    strlen(s = json_object_get_string(t)) != 66 ||
	    strncmp(s, "0x000000000000000000000000", 26) != 0)
		return -1;
	snprintf(a, sizeof(a), "0x%s", s + 26);
	return addr_text(a, out);
}

static int
log_parse(struct json_object *o, struct eth_log *l)
{
	struct json_object *v, *topics;
	const char *s;

	memset(l, 0, sizeof(*l));
	if (!json_object_is_type(o, json_type_object) ||
	    field_hash(o, "transactionHash", l->tx) == -1 ||
	    field_hash(o, "blockHash", l->block_hash) == -1 ||
	    field_qty(o, "blockNumber", &l->block) == -1 ||
	    field_qty(o, "logIndex", &l->index) == -1 ||
	    (s = rpc_str_field(o, "address")) == NULL ||
	    addr_text(s, l->address) == -1 ||
	    !json_object_object_get_ex(o, "topics", &topics) ||
	    !json_object_is_type(topics, json_type_array) ||
	    (s = rpc_str_field(o, "data")) == NULL || strncmp(s, "0x", 2) != 0 ||
	    !ishex(s + 2, strlen(s + 2)))
		return -1;
	if (json_object_object_get_ex(o, "removed", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return -1;
		l->removed = json_object_get_boolean(v);
	}
	/* Transfer(address indexed from, address indexed to, uint256 value) */
	if (json_object_array_length(topics) != 3 || strlen(s + 2) != 64)
		return 0;
	v = json_object_array_get_idx(topics, 0);
	if (!json_object_is_type(v, json_type_string) ||
	    strcasecmp(json_object_get_string(v), "0x" ERC20_TRANSFER_TOPIC) != 0)
		return 0;
	if (topic_addr(json_object_array_get_idx(topics, 1), l->from) == -1 ||
	    topic_addr(json_object_array_get_idx(topics, 2), l->to) == -1)
		return 0;	/* a Transfer of another shape (ERC-721): not ours */
	memcpy(l->value, s + 2, 65);
	l->is_transfer = 1;
	return 0;
}

enum err
eth_logs_parse(struct arena *a, struct json_object *o, struct eth_log **out,
    size_t *n, struct chain_status *st)
{
	size_t i, len;

	*out = NULL;
	*n = 0;
	if (o == NULL || !json_object_is_type(o, json_type_array) ||
	    (len = json_object_array_length(o)) > TXS_MAX)
		return malformed(st);
	memset(st, 0, sizeof(*st));
	if (len == 0)
		return ERR_OK;
	if ((*out = arena_calloc(a, len, sizeof(**out))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < len; i++)
		if (log_parse(json_object_array_get_idx(o, i), &(*out)[i]) == -1)
			return malformed(st);
	*n = len;
	return ERR_OK;
}

/* gasUsed * effectiveGasPrice (or gasPrice), in hex: 0 or -1. */
static int
receipt_fee(struct json_object *o, char out[ETH_QTY_MAX])
{
	static const char hd[] = "0123456789abcdef";
	unsigned __int128 f;
	uint64_t used, price;
	char tmp[40];
	size_t k = 0, i;

	if (field_qty(o, "gasUsed", &used) == -1 ||
	    (field_qty(o, "effectiveGasPrice", &price) == -1 &&
	    field_qty(o, "gasPrice", &price) == -1)) {
		out[0] = '\0';
		return 0;
	}
	f = (unsigned __int128)used * price;
	do {
		tmp[k++] = hd[(unsigned)(f & 0xf)];
		f >>= 4;
	} while (f != 0);
	for (i = 0; i < k; i++)
		out[i] = tmp[k - 1 - i];
	out[k] = '\0';
	return 0;
}

enum err
eth_receipt_parse(struct arena *a, struct json_object *o, struct eth_receipt *r,
    struct chain_status *st)
{
	struct json_object *logs;
	uint64_t status;
	enum err e;

	memset(r, 0, sizeof(*r));
	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    field_hash(o, "transactionHash", r->tx) == -1 ||
	    field_hash(o, "blockHash", r->block_hash) == -1 ||
	    field_qty(o, "blockNumber", &r->block) == -1 ||
	    field_qty(o, "status", &status) == -1 || status > 1 ||
	    receipt_fee(o, r->fee) == -1 ||
	    !json_object_object_get_ex(o, "logs", &logs))
		return malformed(st);
	r->status = (int)status;
	if ((e = eth_logs_parse(a, logs, &r->logs, &r->nlogs, st)) != ERR_OK)
		return e;
	return ERR_OK;
}

/* ---- calls ---------------------------------------------------------------- */

static struct json_object *
params_new(struct ctx *c)
{
	return json_own(c->arena, json_object_new_array());
}

static struct json_object *
qty_new(struct ctx *c, uint64_t v)
{
	char *s = arena_printf(c->arena, "0x%llx", (unsigned long long)v);

	return s != NULL ? json_object_new_string(s) : NULL;
}

enum err
eth_chain_check(struct ctx *c, struct chain_status *st)
{
	static int checked;
	long long want = cfg_int("eth_chain_id", 1);
	struct json_object *res;
	uint64_t id;
	enum err e;

	memset(st, 0, sizeof(*st));
	if (checked)
		return ERR_OK;
	if ((e = eth_call(c, "eth_chainId", NULL, &res, st)) != ERR_OK)
		return e;
	if (eth_qty(res, &id) == -1 || (long long)id != want) {
		log_error("eth: the node is on chain %s, not on eth_chain_id %lld: "
		    "it is not used", res != NULL ? json_object_get_string(res) :
		    "?", want);
		return malformed(st);
	}
	checked = 1;
	return ERR_OK;
}

enum err
eth_tip(struct ctx *c, uint64_t *h, struct chain_status *st)
{
	struct json_object *res;
	enum err e;

	if ((e = eth_chain_check(c, st)) != ERR_OK ||
	    (e = eth_call(c, "eth_blockNumber", NULL, &res, st)) != ERR_OK)
		return e;
	return eth_qty(res, h) == 0 ? ERR_OK : malformed(st);
}

enum err
eth_block(struct ctx *c, uint64_t number, const char *hash, int full,
    struct eth_block *b, int *found, struct chain_status *st)
{
	struct json_object *p, *res;
	enum err e;

	*found = 0;
	if ((p = params_new(c)) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(p, hash != NULL ? json_object_new_string(
	    arena_printf(c->arena, "0x%s", hash)) : qty_new(c, number));
	json_object_array_add(p, json_object_new_boolean(full));
	if ((e = eth_call(c, hash != NULL ? "eth_getBlockByHash" :
	    "eth_getBlockByNumber", p, &res, st)) != ERR_OK || res == NULL)
		return e;
	*found = 1;
	if ((e = eth_block_parse(c->arena, res, full, b, st)) == ERR_SYSTEM_003)
		log_error("eth: a block of another shape");
	return e;
}

/* A call whose one parameter is a transaction's hash; *res NULL: unknown. */
static enum err
by_tx_hash(struct ctx *c, const char *method, const char *tx,
    struct json_object **res, int *found, struct chain_status *st)
{
	struct json_object *p;
	enum err e;

	*found = 0;
	if ((p = params_new(c)) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(p, json_object_new_string(arena_printf(c->arena,
	    "0x%s", tx)));
	if ((e = eth_call(c, method, p, res, st)) == ERR_OK && *res != NULL)
		*found = 1;
	return e;
}

enum err
eth_receipt(struct ctx *c, const char *tx, struct eth_receipt *r, int *found,
    struct chain_status *st)
{
	struct json_object *res;
	enum err e;

	if ((e = by_tx_hash(c, "eth_getTransactionReceipt", tx, &res, found,
	    st)) != ERR_OK || !*found)
		return e;
	if ((e = eth_receipt_parse(c->arena, res, r, st)) == ERR_SYSTEM_003)
		log_error("eth: a receipt of another shape");
	return e;
}

enum err
eth_tx_get(struct ctx *c, const char *tx, struct eth_tx *t, int *found,
    struct chain_status *st)
{
	struct json_object *res;
	enum err e;

	if ((e = by_tx_hash(c, "eth_getTransactionByHash", tx, &res, found,
	    st)) != ERR_OK || !*found)
		return e;
	if ((e = eth_tx_parse(res, t, st)) == ERR_SYSTEM_003)
		log_error("eth: a transaction of another shape");
	return e;
}

enum err
eth_transfer_logs(struct ctx *c, const char *contract, uint64_t from,
    uint64_t to, const char *block_hash, struct eth_log **logs, size_t *n,
    struct chain_status *st)
{
	struct json_object *p, *f, *topics, *res;
	enum err e;

	if ((p = params_new(c)) == NULL || (f = json_object_new_object()) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(p, f);
	if (block_hash != NULL) {
		json_object_object_add(f, "blockHash", json_object_new_string(
		    arena_printf(c->arena, "0x%s", block_hash)));
	} else {
		json_object_object_add(f, "fromBlock", qty_new(c, from));
		json_object_object_add(f, "toBlock", qty_new(c, to));
	}
	json_object_object_add(f, "address", json_object_new_string(contract));
	topics = json_object_new_array();
	json_object_array_add(topics, json_object_new_string("0x"
	    ERC20_TRANSFER_TOPIC));
	json_object_object_add(f, "topics", topics);
	if ((e = eth_call(c, "eth_getLogs", p, &res, st)) != ERR_OK)
		return e;
	if ((e = eth_logs_parse(c->arena, res, logs, n, st)) == ERR_SYSTEM_003)
		log_error("eth: eth_getLogs: an answer of another shape");
	return e;
}

enum err
eth_nonce(struct ctx *c, const char *addr, const char *tag, uint64_t *nonce,
    struct chain_status *st)
{
	struct json_object *p, *res;
	enum err e;

	if ((p = params_new(c)) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(p, json_object_new_string(addr));
	json_object_array_add(p, json_object_new_string(tag));
	if ((e = eth_call(c, "eth_getTransactionCount", p, &res, st)) != ERR_OK)
		return e;
	return eth_qty(res, nonce) == 0 ? ERR_OK : malformed(st);
}

enum err
eth_send_tx(struct ctx *c, const char *from, const char *to,
    const char *value_qty, const char *data, uint64_t nonce,
    char hash[CHAIN_HASH_LEN + 1], struct chain_status *st)
{
	struct json_object *p, *t, *res, *w;
	enum err e;

	if ((e = eth_chain_check(c, st)) != ERR_OK)
		return e;
	if ((p = params_new(c)) == NULL || (t = json_object_new_object()) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(p, t);
	json_object_object_add(t, "from", json_object_new_string(from));
	json_object_object_add(t, "to", json_object_new_string(to));
	json_object_object_add(t, "value", json_object_new_string(value_qty));
	if (data != NULL)
		json_object_object_add(t, "data", json_object_new_string(data));
	json_object_object_add(t, "nonce", qty_new(c, nonce));
	if ((e = eth_call(c, "eth_sendTransaction", p, &res, st)) != ERR_OK)
		return e;
	/* The hash as a bare string; wrap it to read it as a field. */
	if ((w = json_own(c->arena, json_object_new_object())) == NULL)
		return ERR_INTERNAL;
	json_object_object_add(w, "h", json_object_get(res));
	if (field_hash(w, "h", hash) == -1) {
		log_error("eth: eth_sendTransaction: an answer that is not a hash");
		return malformed(st);
	}
	return ERR_OK;
}
