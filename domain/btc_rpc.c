/* domain/btc_rpc.c — the Bitcoin node adapter: Bitcoin Core's JSON-RPC over core/httpc, answers parsed exactly */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/btc_addr.h"
#include "domain/btc_rpc.h"
#include "domain/jsonrpc.h"

#define CONFIRMATIONS_MAX	100000000L

int
btc_amount(struct json_object *o, int64_t *sats)
{
	const char *s;

	if (o == NULL || !(json_object_is_type(o, json_type_double) ||
	    json_object_is_type(o, json_type_int)))
		return -1;
	/* json-c keeps a parsed number's text: no float on the way. */
	if ((s = json_object_get_string(o)) == NULL)
		return -1;
	return dec_parse_flags(s, strlen(s), BTC_SCALE, DEC_NEG_OK, sats) ==
	    DEC_OK ? 0 : -1;
}

/* 1: a receive to t, 0: another kind of entry, -1: malformed. */
static int
transfer_parse(struct json_object *e, struct chain_transfer *t)
{
	struct json_object *v;
	const char *s;
	int64_t sats;
	size_t i;

	if (!json_object_is_type(e, json_type_object) ||
	    (s = rpc_str_field(e, "category")) == NULL)
		return -1;
	/* Sends, change, mined coins: never a deposit. */
	if (strcmp(s, "receive") != 0)
		return 0;
	/* An output without an address (a bare script) cannot be ours. */
	if (!json_object_object_get_ex(e, "address", &v))
		return 0;
	if ((s = rpc_str_field(e, "address")) == NULL || s[0] == '\0' ||
	    strlen(s) > CHAIN_ADDR_MAX)
		return -1;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z')))
			return -1;
	memcpy(t->address, s, i + 1);
	if ((s = rpc_str_field(e, "txid")) == NULL || !rpc_hex64(s))
		return -1;
	memcpy(t->txid, s, CHAIN_HASH_LEN + 1);
	if (rpc_int_field(e, "vout", 0, INT32_MAX, &t->vout) == -1 ||
	    rpc_int_field(e, "confirmations", -CONFIRMATIONS_MAX, CONFIRMATIONS_MAX,
	    &t->confirmations) == -1)
		return -1;
	if (!json_object_object_get_ex(e, "amount", &v) ||
	    btc_amount(v, &sats) == -1 || sats <= 0 ||
	    dec_format(sats, BTC_SCALE, t->amount, sizeof(t->amount)) < 0)
		return -1;
	t->block[0] = '\0';
	t->height = -1;
	if (json_object_object_get_ex(e, "blockhash", &v)) {
		if ((s = rpc_str_field(e, "blockhash")) == NULL || !rpc_hex64(s) ||
		    rpc_int_field(e, "blockheight", 0, INT32_MAX, &t->height) == -1)
			return -1;
		memcpy(t->block, s, CHAIN_HASH_LEN + 1);
	}
	return 1;
}

static int
transfers_parse(struct arena *a, struct json_object *arr,
    struct chain_transfer **out, size_t *n)
{
	size_t len, i;
	int rc;

	*out = NULL;
	*n = 0;
	if (!json_object_is_type(arr, json_type_array))
		return -1;
	if ((len = json_object_array_length(arr)) == 0)
		return 0;
	if ((*out = arena_calloc(a, len, sizeof(**out))) == NULL)
		return -2;
	for (i = 0; i < len; i++) {
		rc = transfer_parse(json_object_array_get_idx(arr, i), &(*out)[*n]);
		if (rc == -1)
			return -1;
		*n += (size_t)rc;
	}
	return 0;
}

enum err
btc_since_parse(struct arena *a, struct json_object *res, struct chain_since *s,
    struct chain_status *st)
{
	struct json_object *v;
	const char *last;
	int rc;

	memset(s, 0, sizeof(*s));
	memset(st, 0, sizeof(*st));
	rpc_fail(st, CHAIN_MALFORMED);
	if (res == NULL || !json_object_is_type(res, json_type_object) ||
	    (last = rpc_str_field(res, "lastblock")) == NULL || !rpc_hex64(last) ||
	    !json_object_object_get_ex(res, "transactions", &v))
		return ERR_SYSTEM_003;
	memcpy(s->next, last, CHAIN_HASH_LEN + 1);
	if ((rc = transfers_parse(a, v, &s->transfers, &s->ntransfers)) != 0)
		return rc == -2 ? ERR_INTERNAL : ERR_SYSTEM_003;
	/* Only asked for with include_removed; absent means none. */
	if (json_object_object_get_ex(res, "removed", &v) &&
	    (rc = transfers_parse(a, v, &s->removed, &s->nremoved)) != 0)
		return rc == -2 ? ERR_INTERNAL : ERR_SYSTEM_003;
	rpc_fail(st, CHAIN_OK);
	return ERR_OK;
}

/* Bitcoin Core: btc_rpc_url, btc_rpc_user, btc_rpc_password; -28 is "loading", as good as down. */
static const struct rpc_node btc_node = {
	.name = "btc",
	.url_key = "btc_rpc_url",
	.user_key = "btc_rpc_user",
	.password_key = "btc_rpc_password",
	.cookie_key = "btc_rpc_cookie_file",
	.max_key = "btc_rpc_max_bytes",
	.max_default = BTC_MAX_RESPONSE,
	.warmup_code = -28,
};

enum err
btc_call(struct ctx *c, const char *method, struct json_object *params,
    long timeout_ms, struct json_object **result, struct chain_status *st)
{
	return rpc_call(c, &btc_node, method, params, timeout_ms, result, st);
}

enum err
btc_new_address(struct ctx *c, const char *label, long long index, char *addr,
    size_t addrsz, struct chain_status *st)
{
	const char *chain = cfg_get("btc_chain", "main"), *s;
	struct json_object *params, *res;
	enum btc_addr_kind k;
	enum err e;

	(void)index;
	if ((params = json_own(c->arena, json_object_new_array())) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(params, json_object_new_string(label));
	json_object_array_add(params, json_object_new_string("bech32"));
	if ((e = btc_call(c, "getnewaddress", params,
	    (long)cfg_int("btc_rpc_timeout_ms", BTC_TIMEOUT_MS), &res,
	    st)) != ERR_OK)
		return e;
	if (!json_object_is_type(res, json_type_string) ||
	    strlen(s = json_object_get_string(res)) >= addrsz ||
	    ((k = btc_addr_check(chain, s)) != BTC_ADDR_P2WPKH &&
	    k != BTC_ADDR_P2WSH && k != BTC_ADDR_P2TR)) {
		/* A node of another chain would hand out addresses users lose coins to. */
		rpc_fail(st, CHAIN_MALFORMED);
		log_error("btc: getnewaddress: the node's answer is not a segwit "
		    "address of chain %s (btc_chain)", chain);
		return ERR_SYSTEM_003;
	}
	memcpy(addr, s, strlen(s) + 1);
	return ERR_OK;
}

enum err
btc_since(struct ctx *c, const char *block, int target, struct chain_since *s,
    struct chain_status *st)
{
	struct json_object *params, *res;
	enum err e;

	if ((params = json_own(c->arena, json_object_new_array())) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(params, json_object_new_string(block != NULL ?
	    block : ""));
	json_object_array_add(params, json_object_new_int(target));
	json_object_array_add(params, json_object_new_boolean(1));
	json_object_array_add(params, json_object_new_boolean(1));
	if ((e = btc_call(c, "listsinceblock", params,
	    (long)cfg_int("btc_rpc_scan_timeout_ms", BTC_SCAN_TIMEOUT_MS), &res,
	    st)) != ERR_OK)
		return e;
	if ((e = btc_since_parse(c->arena, res, s, st)) == ERR_SYSTEM_003)
		log_error("btc: listsinceblock: an answer of another shape");
	return e;
}

/* ---- withdrawals: addresses paid to, payments sent and looked up ---------- */

/*
 * Bitcoin Core reports every failure to build the transaction as -6
 * (RPC_WALLET_INSUFFICIENT_FUNDS, SendMoney()), whatever it was: an
 * amount too small for the network never passes; the rest of -6 may
 * (funds, a fee estimate the node cannot make yet, a fee over its
 * maximum while fees are high, a transaction too large until the
 * operator consolidates the wallet's coins).
 */
static const char *const never_passes[] = {
	"amount too small",		/* "Transaction amount too small" */
	"too small to pay the fee",
	NULL
};

int
btc_refused_for_good(long code, const char *message)
{
	size_t i;

	/*
	 * RPC_WALLET_ERROR (-4) is the wallet's state ("Private keys are
	 * disabled for this wallet", a wallet being rescanned): the node's
	 * operator mends it, and the payment waits rather than fails.
	 */
	if (code == -6 || code == -4) {
		for (i = 0; message != NULL && never_passes[i] != NULL; i++)
			if (strstr(message, never_passes[i]) != NULL)
				return 1;
		return 0;
	}
	/* RPC_TYPE_ERROR, RPC_INVALID_ADDRESS_OR_KEY, RPC_INVALID_PARAMETER,
	 * RPC_VERIFY_ERROR, RPC_VERIFY_REJECTED */
	return code == -3 || code == -5 || code == -8 || code == -25 ||
	    code == -26;
}

int
btc_address_check(const char *addr, char *norm, size_t normsz,
    const char **why)
{
	static const char *const chains[] = { "main", "test", "regtest" };
	const char *chain = cfg_get("btc_chain", "main");
	enum btc_addr_kind k;
	size_t i, len;

	*why = "not a Bitcoin address (bech32, bech32m or base58check with a "
	    "valid checksum)";
	if (addr == NULL || (len = strlen(addr)) == 0 || len > CHAIN_ADDR_MAX ||
	    len >= normsz)
		return -1;
	switch ((k = btc_addr_check(chain, addr))) {
	case BTC_ADDR_P2PKH:
	case BTC_ADDR_P2SH:
		memcpy(norm, addr, len + 1);
		return 0;
	case BTC_ADDR_P2WPKH:
	case BTC_ADDR_P2WSH:
	case BTC_ADDR_P2TR:
		/* bech32 may be written in capitals; one spelling is kept. */
		for (i = 0; i <= len; i++)
			norm[i] = addr[i] >= 'A' && addr[i] <= 'Z' ?
			    (char)(addr[i] - 'A' + 'a') : addr[i];
		return 0;
	case BTC_ADDR_WITNESS:
		*why = "a segwit address of a witness version not in use: coins "
		    "sent there could be lost";
		return -1;
	case BTC_ADDR_INVALID:
		break;
	}
	for (i = 0; i < nitems(chains); i++)
		if (strcmp(chains[i], chain) != 0 &&
		    btc_addr_check(chains[i], addr) != BTC_ADDR_INVALID) {
			*why = strcmp(chain, "main") == 0 ?
			    "an address of a Bitcoin test network, not of the "
			    "main network" : "an address of another Bitcoin "
			    "network than the one this exchange pays on";
			break;
		}
	return -1;
}

/* A negative amount of Core's (what a send took) as positive text. */
static int
paid_amount(struct json_object *v, int zero_ok, char *out, size_t outsz)
{
	int64_t sats;

	if (btc_amount(v, &sats) == -1 || sats > 0 || (sats == 0 && !zero_ok))
		return -1;
	return dec_format(-sats, BTC_SCALE, out, outsz) < 0 ? -1 : 0;
}

/* A comment as kept: printable ASCII, at most CHAIN_COMMENT_MAX bytes. */
static void
comment_copy(const char *s, char out[CHAIN_COMMENT_MAX + 1])
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i < CHAIN_COMMENT_MAX; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

/* A "send" entry's address, amount, fee and abandoned flag into p: 0 or -1. */
static int
send_detail_parse(struct json_object *e, struct chain_payment *p)
{
	struct json_object *v;
	const char *s;
	size_t i;

	p->address[0] = '\0';
	if (json_object_object_get_ex(e, "address", &v)) {
		if ((s = rpc_str_field(e, "address")) == NULL || strlen(s) > CHAIN_ADDR_MAX)
			return -1;
		for (i = 0; s[i] != '\0'; i++)
			if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= 'A' && s[i] <= 'Z')))
				return -1;
		memcpy(p->address, s, i + 1);
	}
	if (!json_object_object_get_ex(e, "amount", &v) ||
	    paid_amount(v, 0, p->amount, sizeof(p->amount)) == -1)
		return -1;
	if (json_object_object_get_ex(e, "fee", &v) &&
	    paid_amount(v, 1, p->fee, sizeof(p->fee)) == -1)
		return -1;
	p->abandoned = 0;
	if (json_object_object_get_ex(e, "abandoned", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return -1;
		p->abandoned = json_object_get_boolean(v);
	}
	return 0;
}

/* What both answers carry at the level of the transaction: 0 or -1. */
static int
payment_common_parse(struct json_object *o, struct chain_payment *p)
{
	struct json_object *v;
	const char *s;

	if ((s = rpc_str_field(o, "txid")) == NULL || !rpc_hex64(s) ||
	    rpc_int_field(o, "confirmations", -CONFIRMATIONS_MAX, CONFIRMATIONS_MAX,
	    &p->confirmations) == -1)
		return -1;
	memcpy(p->txid, s, CHAIN_HASH_LEN + 1);
	p->comment[0] = '\0';
	if (json_object_object_get_ex(o, "comment", &v)) {
		if (!json_object_is_type(v, json_type_string))
			return -1;
		comment_copy(json_object_get_string(v), p->comment);
	}
	return 0;
}

enum err
btc_sent_parse(struct json_object *res, char txid[CHAIN_HASH_LEN + 1],
    struct chain_status *st)
{
	const char *s = NULL;

	memset(st, 0, sizeof(*st));
	if (res != NULL && json_object_is_type(res, json_type_string))
		s = json_object_get_string(res);
	else if (res != NULL && json_object_is_type(res, json_type_object))
		s = rpc_str_field(res, "txid");
	if (s == NULL || !rpc_hex64(s)) {
		rpc_fail(st, CHAIN_MALFORMED);
		return ERR_SYSTEM_003;
	}
	memcpy(txid, s, CHAIN_HASH_LEN + 1);
	return ERR_OK;
}

enum err
btc_payment_parse(struct json_object *res, struct chain_payment *p,
    struct chain_status *st)
{
	struct json_object *v, *e, *cat;
	size_t i, n;

	memset(p, 0, sizeof(*p));
	memset(st, 0, sizeof(*st));
	rpc_fail(st, CHAIN_MALFORMED);
	if (res == NULL || !json_object_is_type(res, json_type_object) ||
	    payment_common_parse(res, p) == -1 ||
	    !json_object_object_get_ex(res, "details", &v) ||
	    !json_object_is_type(v, json_type_array))
		return ERR_SYSTEM_003;
	/* The transaction's own fee; a detail's is the same when present. */
	if (json_object_object_get_ex(res, "fee", &e) &&
	    paid_amount(e, 1, p->fee, sizeof(p->fee)) == -1)
		return ERR_SYSTEM_003;
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_object) ||
		    !json_object_object_get_ex(e, "category", &cat) ||
		    !json_object_is_type(cat, json_type_string))
			return ERR_SYSTEM_003;
		if (strcmp(json_object_get_string(cat), "send") != 0)
			continue;
		if (send_detail_parse(e, p) == -1)
			return ERR_SYSTEM_003;
		break;
	}
	/* No send among the details: p->amount stays "", not a payment. */
	rpc_fail(st, CHAIN_OK);
	return ERR_OK;
}

enum err
btc_sends_parse(struct json_object *res, const char *prefix,
    struct chain_payment *p, int *found, struct chain_status *st)
{
	struct chain_payment q;
	struct json_object *e, *v;
	const char *s;
	size_t i, n, plen = strlen(prefix);

	memset(st, 0, sizeof(*st));
	rpc_fail(st, CHAIN_MALFORMED);
	if (res == NULL || !json_object_is_type(res, json_type_array))
		return ERR_SYSTEM_003;
	n = json_object_array_length(res);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(res, i);
		if (!json_object_is_type(e, json_type_object) ||
		    (s = rpc_str_field(e, "category")) == NULL)
			return ERR_SYSTEM_003;
		if (strcmp(s, "send") != 0 ||
		    !json_object_object_get_ex(e, "comment", &v))
			continue;
		if (!json_object_is_type(v, json_type_string))
			return ERR_SYSTEM_003;
		s = json_object_get_string(v);
		if (plen == 0 || strncmp(s, prefix, plen) != 0)
			continue;
		memset(&q, 0, sizeof(q));
		if (payment_common_parse(e, &q) == -1 ||
		    send_detail_parse(e, &q) == -1)
			return ERR_SYSTEM_003;
		/* One transaction may list a send per output: count it once. */
		if (*found == 0)
			*p = q;
		else if (strcmp(p->txid, q.txid) == 0)
			continue;
		(*found)++;
	}
	rpc_fail(st, CHAIN_OK);
	return ERR_OK;
}

enum err
btc_send(struct ctx *c, const char *addr, const char *amount,
    const char *comment, char txid[CHAIN_HASH_LEN + 1], struct chain_status *st)
{
	struct json_object *params, *res;
	enum err e;

	if ((params = json_own(c->arena, json_object_new_array())) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(params, json_object_new_string(addr));
	/* Core takes an amount as a string too: exact, never a float. */
	json_object_array_add(params, json_object_new_string(amount));
	json_object_array_add(params, json_object_new_string(comment));
	if ((e = btc_call(c, "sendtoaddress", params,
	    (long)cfg_int("btc_rpc_send_timeout_ms", BTC_SEND_TIMEOUT_MS), &res,
	    st)) != ERR_OK)
		return e;
	if ((e = btc_sent_parse(res, txid, st)) == ERR_SYSTEM_003)
		log_error("btc: sendtoaddress: an answer that is not a txid");
	return e;
}

enum err
btc_find_sent(struct ctx *c, const char *prefix, struct chain_payment *out,
    int *found, struct chain_status *st)
{
	long scan = (long)cfg_int("btc_find_sent_scan", BTC_FIND_SCAN), skip, page;
	struct json_object *params, *res;
	enum err e;

	*found = 0;
	memset(out, 0, sizeof(*out));
	memset(st, 0, sizeof(*st));
	for (skip = 0; skip < scan; skip += page) {
		page = scan - skip < BTC_FIND_PAGE ? scan - skip : BTC_FIND_PAGE;
		if ((params = json_own(c->arena, json_object_new_array())) == NULL)
			return ERR_INTERNAL;
		json_object_array_add(params, json_object_new_string("*"));
		json_object_array_add(params, json_object_new_int((int)page));
		json_object_array_add(params, json_object_new_int64(skip));
		json_object_array_add(params, json_object_new_boolean(1));
		if ((e = btc_call(c, "listtransactions", params,
		    (long)cfg_int("btc_rpc_timeout_ms", BTC_TIMEOUT_MS), &res,
		    st)) != ERR_OK)
			return e;
		if ((e = btc_sends_parse(res, prefix, out, found, st)) != ERR_OK) {
			if (e == ERR_SYSTEM_003)
				log_error("btc: listtransactions: an answer of "
				    "another shape");
			return e;
		}
		if ((long)json_object_array_length(res) < page)
			return ERR_OK;
	}
	if (*found > 0)
		return ERR_OK;
	/*
	 * The wallet holds more than was searched: the try may be further
	 * back, and sending again could pay twice. Not sure is not "not
	 * sent": the withdrawal waits for the operator (a larger scan).
	 */
	rpc_fail(st, CHAIN_UNSURE);
	snprintf(st->message, sizeof(st->message), "not among the wallet's "
	    "latest %ld entries, and it holds more: raise btc_find_sent_scan", scan);
	log_error("btc: listtransactions: %s", st->message);
	return ERR_SYSTEM_003;
}

enum err
btc_payment(struct ctx *c, const char *txid, struct chain_payment *p,
    struct chain_status *st)
{
	struct json_object *params, *res;
	enum err e;

	if ((params = json_own(c->arena, json_object_new_array())) == NULL)
		return ERR_INTERNAL;
	json_object_array_add(params, json_object_new_string(txid));
	json_object_array_add(params, json_object_new_boolean(1));
	e = btc_call(c, "gettransaction", params,
	    (long)cfg_int("btc_rpc_timeout_ms", BTC_TIMEOUT_MS), &res, st);
	/* RPC_INVALID_ADDRESS_OR_KEY: "Invalid or non-wallet transaction id". */
	if (e == ERR_SYSTEM_003 && st->fail == CHAIN_RPC && st->code == -5)
		return ERR_NOT_FOUND;
	if (e != ERR_OK)
		return e;
	if ((e = btc_payment_parse(res, p, st)) == ERR_SYSTEM_003)
		log_error("btc: gettransaction: an answer of another shape");
	return e;
}
