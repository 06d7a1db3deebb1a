/* domain/eth_chain.c — the Ethereum adapters (ETH, and USDT as an ERC-20 token): derived deposit addresses, blocks and Transfer logs read into transfers, reorganisations found by the remembered tip */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/log.h"
#include "domain/deposit.h"
#include "domain/eth_chain.h"
#include "domain/eth_rpc.h"
#include "domain/jsonrpc.h"

#define USDT_DECIMALS	6
#define REORG_MAX	128	/* eth_reorg_max */
#define SCAN_BLOCKS	200	/* eth_scan_blocks */
#define KNOWN_BATCH	1000

/* What a network moves: ether itself, or a token's units. */
struct eth_asset {
	const char	*network;
	int		 token;
	int		 decimals;
};

static const struct eth_asset ether = { "ETH", 0, ETH_DECIMALS };
static const struct eth_asset usdt = { "ERC20", 1, USDT_DECIMALS };

/* Transfers found so far in a pass, grown in the arena. */
struct found {
	struct chain_transfer	*t;
	size_t			 n, cap;
};

enum err
eth_new_address(struct ctx *c, const char *label, long long index, char *addr,
    size_t addrsz, struct chain_status *st)
{
	const char *xpub = cfg_get("eth_xpub", "");

	(void)label;
	memset(st, 0, sizeof(*st));
	if (xpub[0] == '\0' || index < 0 || index >= 0x80000000LL ||
	    addrsz <= ETH_ADDR_TEXT) {
		rpc_fail(st, CHAIN_UNCONFIGURED);
		log_error("eth: no deposit address for %s: %s", label,
		    xpub[0] == '\0' ? "eth_xpub is not set" : "index out of range");
		return ERR_SYSTEM_003;
	}
	if (eth_addr_derive(xpub, (uint32_t)index, addr) == -1) {
		rpc_fail(st, CHAIN_UNCONFIGURED);
		log_error("eth: eth_xpub is not an extended public key of secp256k1");
		return ERR_SYSTEM_003;
	}
	(void)c;
	return ERR_OK;
}

int
eth_address_check(const char *addr, char *norm, size_t normsz, const char **why)
{
	uint8_t raw[ETH_ADDR_LEN];

	switch (eth_addr_parse(addr, raw)) {
	case ETH_ADDR_OK:
		break;
	case ETH_ADDR_CHECKSUM:
		*why = "the mixed-case spelling is not the address's EIP-55 "
		    "checksum: a character is wrong";
		return -1;
	case ETH_ADDR_FORMAT:
		*why = "not an Ethereum address (0x and 40 hex digits)";
		return -1;
	}
	if (normsz <= ETH_ADDR_TEXT)
		return -1;
	eth_addr_eip55(raw, norm);
	return 0;
}

static struct chain_transfer *
found_add(struct ctx *c, struct found *f)
{
	struct chain_transfer *t;

	if (f->n == f->cap) {
		f->cap = f->cap == 0 ? 16 : f->cap * 2;
		if ((t = arena_calloc(c->arena, f->cap, sizeof(*t))) == NULL)
			return NULL;
		if (f->n > 0)
			memcpy(t, f->t, f->n * sizeof(*t));
		f->t = t;
	}
	t = &f->t[f->n++];
	memset(t, 0, sizeof(*t));
	t->height = -1;
	return t;
}

/* Keep only the transfers to deposit addresses of the network. */
static enum err
found_ours(struct ctx *c, const struct eth_asset *as, struct found *f)
{
	const char **addrs;
	unsigned char *known;
	size_t i, k, at, m;
	enum err e;

	if (f->n == 0)
		return ERR_OK;
	if ((addrs = arena_calloc(c->arena, f->n, sizeof(*addrs))) == NULL ||
	    (known = arena_calloc(c->arena, f->n, 1)) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < f->n; i++)
		addrs[i] = f->t[i].address;
	for (at = 0; at < f->n; at += m) {
		m = f->n - at < KNOWN_BATCH ? f->n - at : KNOWN_BATCH;
		if ((e = deposit_addresses_known(c, as->network, addrs + at, m,
		    known + at)) != ERR_OK)
			return e;
	}
	for (i = k = 0; i < f->n; i++)
		if (known[i])
			f->t[k++] = f->t[i];
	f->n = k;
	return ERR_OK;
}

/* A transfer's amount in the asset's units; 0, or -1 (logged, skipped). */
static int
amount_set(const struct eth_asset *as, const char *hex, const char *tx,
    struct chain_transfer *t)
{
	if (eth_units_dec(hex, strlen(hex), as->decimals, t->amount,
	    sizeof(t->amount)) == -1) {
		log_error("eth %s: transfer in %s: amount 0x%s beyond what is "
		    "kept; not recorded", as->network, tx, hex);
		return -1;
	}
	return strcmp(t->amount, "0") == 0 ? -1 : 0;
}

/* Ether sent by the transactions of a block (to be checked for receipts). */
static enum err
block_ether(struct ctx *c, const struct eth_block *b, struct found *f)
{
	struct chain_transfer *t;
	size_t i;

	for (i = 0; i < b->ntxs; i++) {
		if (b->txs[i].to[0] == '\0' ||
		    strspn(b->txs[i].value, "0") == strlen(b->txs[i].value))
			continue;
		if ((t = found_add(c, f)) == NULL)
			return ERR_INTERNAL;
		if (amount_set(&ether, b->txs[i].value, b->txs[i].hash, t) == -1) {
			f->n--;
			continue;
		}
		memcpy(t->txid, b->txs[i].hash, sizeof(t->txid));
		memcpy(t->address, b->txs[i].to, sizeof(b->txs[i].to));
		t->vout = 0;
		memcpy(t->block, b->hash, sizeof(t->block));
		t->height = (long)b->number;
	}
	return ERR_OK;
}

/*
 * The token's Transfer logs as transfers: vout is a log's place among
 * the transaction's Transfer logs of the token (logs come in order), the
 * same wherever the transaction is mined again, unlike the block's index.
 */
static enum err
logs_token(struct ctx *c, const struct eth_log *l, size_t n, struct found *f)
{
	struct chain_transfer *t;
	size_t i, j;
	long place;

	for (i = 0; i < n; i++) {
		if (!l[i].is_transfer || l[i].removed)
			continue;
		for (place = 0, j = 0; j < i; j++)
			place += l[j].is_transfer && strcmp(l[j].tx, l[i].tx) == 0;
		if ((t = found_add(c, f)) == NULL)
			return ERR_INTERNAL;
		if (amount_set(&usdt, l[i].value, l[i].tx, t) == -1) {
			f->n--;
			continue;
		}
		memcpy(t->txid, l[i].tx, sizeof(t->txid));
		memcpy(t->address, l[i].to, sizeof(l[i].to));
		t->vout = place;
		memcpy(t->block, l[i].block_hash, sizeof(t->block));
		t->height = (long)l[i].block;
	}
	return ERR_OK;
}

/* The transfers of blocks from..to of the main chain. */
static enum err
read_range(struct ctx *c, const struct eth_asset *as, uint64_t from,
    uint64_t to, struct found *f, struct chain_status *st)
{
	struct eth_block b;
	struct eth_log *logs;
	size_t nlogs;
	uint64_t h;
	enum err e;
	int found;

	if (from > to)
		return ERR_OK;
	if (as->token) {
		if ((e = eth_transfer_logs(c, cfg_get("usdt_contract", ""), from,
		    to, NULL, &logs, &nlogs, st)) != ERR_OK)
			return e;
		return logs_token(c, logs, nlogs, f);
	}
	for (h = from; h <= to; h++) {
		if ((e = eth_block(c, h, NULL, 1, &b, &found, st)) != ERR_OK)
			return e;
		if (!found)
			break;		/* not there yet: the tip moved back */
		if ((e = block_ether(c, &b, f)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

/* A receipt's place-th Transfer log of the token to t's address with t's amount. */
static int
receipt_has(const struct eth_receipt *r, const struct chain_transfer *t)
{
	struct chain_transfer x;
	const char *contract = cfg_get("usdt_contract", "");
	size_t i;
	long place = 0;

	for (i = 0; i < r->nlogs; i++) {
		if (!r->logs[i].is_transfer ||
		    strcasecmp(r->logs[i].address, contract) != 0)
			continue;
		if (place++ != t->vout)
			continue;
		memset(&x, 0, sizeof(x));
		return amount_set(&usdt, r->logs[i].value, r->tx, &x) == 0 &&
		    strcmp(x.amount, t->amount) == 0 &&
		    strcmp(r->logs[i].to, t->address) == 0;
	}
	return 0;
}

/*
 * Where a transfer stands now: in the main chain (its receipt, which
 * nodes give for the main chain only) with its confirmations, back in
 * the pool (0), or gone or failed (-1).
 */
static enum err
transfer_state(struct ctx *c, const struct eth_asset *as, uint64_t tip,
    struct chain_transfer *t, struct chain_status *st)
{
	struct eth_receipt r;
	struct eth_tx tx;
	enum err e;
	int found;

	if ((e = eth_receipt(c, t->txid, &r, &found, st)) != ERR_OK)
		return e;
	if (found) {
		if (r.status != 1 || (as->token && !receipt_has(&r, t)) ||
		    r.block > tip) {
			t->confirmations = r.block > tip ? 0 : -1;
		} else {
			t->confirmations = (long)(tip - r.block + 1);
			memcpy(t->block, r.block_hash, sizeof(t->block));
			t->height = (long)r.block;
			return ERR_OK;
		}
	} else {
		if ((e = eth_tx_get(c, t->txid, &tx, &found, st)) != ERR_OK)
			return e;
		t->confirmations = found ? 0 : -1;
	}
	t->block[0] = '\0';
	t->height = -1;
	return ERR_OK;
}

/*
 * From the last pass's tip down to the block it shares with the main
 * chain: the transfers of the blocks that left it (into *gone), and the
 * height of that shared block.
 */
static enum err
walk_back(struct ctx *c, const struct eth_asset *as, uint64_t h,
    const char *hash, uint64_t tip, struct found *gone, uint64_t *fork,
    struct chain_status *st)
{
	long long max = cfg_int("eth_reorg_max", REORG_MAX);
	char at[CHAIN_HASH_LEN + 1];
	struct eth_block b;
	struct eth_log *logs;
	size_t nlogs;
	long long depth;
	enum err e;
	int found;

	memcpy(at, hash, sizeof(at));
	for (depth = 0;; depth++) {
		if (h <= tip) {
			if ((e = eth_block(c, h, NULL, 0, &b, &found, st)) != ERR_OK)
				return e;
			if (found && strcmp(b.hash, at) == 0) {
				*fork = h;
				return ERR_OK;
			}
		}
		if (depth >= max || h == 0) {
			log_error("eth %s: a reorganisation deeper than %lld blocks "
			    "(eth_reorg_max) below block %" PRIu64 ": not followed; "
			    "check the node", as->network, max, h);
			rpc_fail(st, CHAIN_MALFORMED);
			return ERR_SYSTEM_003;
		}
		if ((e = eth_block(c, 0, at, !as->token, &b, &found, st)) != ERR_OK)
			return e;
		if (!found) {
			rpc_fail(st, CHAIN_RPC);
			st->code = ETH_NO_BLOCK;
			snprintf(st->message, sizeof(st->message), "block not found");
			return ERR_SYSTEM_003;
		}
		if (as->token) {
			if ((e = eth_transfer_logs(c, cfg_get("usdt_contract", ""),
			    0, 0, at, &logs, &nlogs, st)) != ERR_OK ||
			    (e = logs_token(c, logs, nlogs, gone)) != ERR_OK)
				return e;
		} else if ((e = block_ether(c, &b, gone)) != ERR_OK) {
			return e;
		}
		log_info("eth %s: block %" PRIu64 " %s left the main chain",
		    as->network, h, at);
		memcpy(at, b.parent, sizeof(at));
		h--;
	}
}

/* "<from>:<tip height>:<tip hash>": 0, or -1. */
static int
cursor_parse(const char *s, uint64_t *from, uint64_t *h, char hash[CHAIN_HASH_LEN + 1])
{
	unsigned long long a, b;
	int n = 0;

	if (sscanf(s, "%19llu:%19llu:%64[0-9a-f]%n", &a, &b, hash, &n) != 3 ||
	    s[n] != '\0' || !rpc_hex64(hash))
		return -1;
	*from = a;
	*h = b;
	return 0;
}

/* Each transfer's state now; those that are no transfer at all dropped. */
static enum err
states(struct ctx *c, const struct eth_asset *as, uint64_t tip, struct found *f,
    int keep_gone, struct chain_status *st)
{
	size_t i, k;
	enum err e;

	for (i = k = 0; i < f->n; i++) {
		if ((e = transfer_state(c, as, tip, &f->t[i], st)) != ERR_OK)
			return e;
		if (f->t[i].confirmations >= 0 || keep_gone)
			f->t[k++] = f->t[i];
	}
	f->n = k;
	return ERR_OK;
}

static enum err
since(struct ctx *c, const struct eth_asset *as, const char *cursor, int target,
    struct chain_since *out, struct chain_status *st)
{
	char prev[CHAIN_HASH_LEN + 1];
	struct found cur = { 0 }, gone = { 0 };
	struct eth_block tipb;
	uint64_t tip, from, ph, fork, end, next;
	long long span = cfg_int("eth_scan_blocks", SCAN_BLOCKS);
	enum err e;
	int found, have = 0;

	memset(out, 0, sizeof(*out));
	memset(st, 0, sizeof(*st));
	if (as->token && cfg_get("usdt_contract", "")[0] == '\0') {
		rpc_fail(st, CHAIN_UNCONFIGURED);
		log_error("eth %s: usdt_contract is not set", as->network);
		return ERR_SYSTEM_003;
	}
	if ((e = eth_tip(c, &tip, st)) != ERR_OK)
		return e;
	if (cursor != NULL && cursor[0] != '\0') {
		if (cursor_parse(cursor, &from, &ph, prev) == -1) {
			log_error("eth %s: cursor %s unreadable; from eth_start_block",
			    as->network, cursor);
		} else {
			have = 1;
		}
	}
	if (!have)
		from = (uint64_t)cfg_int("eth_start_block", 0);
	if (have) {
		if ((e = walk_back(c, as, ph, prev, tip, &gone, &fork, st)) != ERR_OK)
			return e;
		if (fork + 1 < from)
			from = fork + 1;
	}
	if (span < 1)
		span = SCAN_BLOCKS;
	end = from + (uint64_t)span - 1 < tip ? from + (uint64_t)span - 1 : tip;
	if ((e = read_range(c, as, from, end, &cur, st)) != ERR_OK ||
	    (e = found_ours(c, as, &cur)) != ERR_OK ||
	    (e = found_ours(c, as, &gone)) != ERR_OK ||
	    (e = states(c, as, tip, &cur, 0, st)) != ERR_OK ||
	    (e = states(c, as, tip, &gone, 1, st)) != ERR_OK)
		return e;
	if ((e = eth_block(c, tip, NULL, 0, &tipb, &found, st)) != ERR_OK)
		return e;
	if (!found) {
		rpc_fail(st, CHAIN_MALFORMED);
		return ERR_SYSTEM_003;
	}
	/* Blocks with fewer than target confirmations are read again next time. */
	next = tip + 2 > (uint64_t)target ? tip + 2 - (uint64_t)target : 0;
	if (next < from)
		next = from;
	if (next > end + 1)
		next = end + 1;
	snprintf(out->next, sizeof(out->next), "%" PRIu64 ":%" PRIu64 ":%s",
	    next, tip, tipb.hash);
	out->transfers = cur.t;
	out->ntransfers = cur.n;
	out->removed = gone.t;
	out->nremoved = gone.n;
	return ERR_OK;
}

enum err
eth_since(struct ctx *c, const char *cursor, int target, struct chain_since *out,
    struct chain_status *st)
{
	return since(c, &ether, cursor, target, out, st);
}

enum err
erc20_since(struct ctx *c, const char *cursor, int target,
    struct chain_since *out, struct chain_status *st)
{
	return since(c, &usdt, cursor, target, out, st);
}
