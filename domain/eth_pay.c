/* domain/eth_pay.c — paying out on Ethereum: each payment recorded with the hot wallet's nonce before the node hears of it, found again by that nonce, followed by its receipt */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/eth_pay.h"
#include "domain/eth_rpc.h"
#include "domain/jsonrpc.h"

#define USDT_DECIMALS	6
#define FIND_BLOCKS	500	/* eth_find_blocks */

enum {
	ST_LOCK, ST_UNLOCK, ST_RECORD, ST_SENT, ST_REFUSED, ST_FIND, ST__COUNT
};

#define NONCE_LOCK	"hashtextextended('hzm-eth-nonce:' || lower($1), 0)"

static const struct stmt stmts[] = {
	/* One payment at a time from a wallet: each takes the next nonce. */
	[ST_LOCK] = { "ethpay_lock", "SELECT pg_advisory_lock(" NONCE_LOCK ")", 1 },
	[ST_UNLOCK] = { "ethpay_unlock", "SELECT pg_advisory_unlock(" NONCE_LOCK ")", 1 },
	[ST_RECORD] = { "ethpay_record",
	  "INSERT INTO eth_payments (note, network, sender, nonce, to_address,"
	  " amount, from_block) VALUES ($1, $2, $3, $4, $5, $6::numeric, $7)", 7 },
	[ST_SENT] = { "ethpay_sent",
	  "UPDATE eth_payments SET tx_hash = $2 WHERE note = $1", 2 },
	[ST_REFUSED] = { "ethpay_refused",
	  "UPDATE eth_payments SET refused_at = now() WHERE note = $1", 1 },
	[ST_FIND] = { "ethpay_find",
	  "SELECT note, sender, nonce, to_address, amount::text, from_block, tx_hash"
	  " FROM eth_payments WHERE network = $1 AND left(note, length($2)) = $2"
	  " AND refused_at IS NULL ORDER BY created_at", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "eth payment statements");

/* What a network pays with: ether, or the token's transfer(). */
struct eth_asset {
	const char	*network;
	int		 token;
	int		 decimals;
};

static const struct eth_asset ether = { "ETH", 0, ETH_DECIMALS };
static const struct eth_asset usdt = { "ERC20", 1, USDT_DECIMALS };

/* The transaction fields that make a payment, as sent. */
struct pay_tx {
	char	 to[ETH_ADDR_TEXT + 1];
	char	 value[ETH_QTY_MAX];
	char	*data;		/* NULL for ether */
};

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* One statement in a transaction of its own. */
static enum err
note_db(struct ctx *c, int st, const char *const *p)
{
	return db_query_commit(c->db, c->arena, &stmts[st], p);
}

static int
pay_tx_make(struct ctx *c, const struct eth_asset *as, const char *addr,
    const char *amount, struct pay_tx *t)
{
	uint8_t raw[ETH_ADDR_LEN];
	char word[65], hex[2 * ETH_ADDR_LEN + 1];

	if (eth_addr_parse(addr, raw) != ETH_ADDR_OK)
		return -1;
	if (!as->token) {
		eth_addr_eip55(raw, t->to);
		t->data = NULL;
		return eth_dec_units(amount, as->decimals, t->value);
	}
	if (eth_addr_parse(cfg_get("usdt_contract", ""), NULL) != ETH_ADDR_OK ||
	    eth_dec_word(amount, as->decimals, word) == -1)
		return -1;
	snprintf(t->to, sizeof(t->to), "%s", cfg_get("usdt_contract", ""));
	snprintf(t->value, sizeof(t->value), "0x0");
	util_hex(raw, sizeof(raw), hex);
	t->data = arena_printf(c->arena, "0x" ERC20_TRANSFER_SELECTOR
	    "000000000000000000000000%s%s", hex, word);
	return t->data != NULL ? 0 : -1;
}

/* Whether a transaction is the payment t (to, value, data). */
static int
pay_tx_is(const struct pay_tx *t, const struct eth_tx *x)
{
	char a[64], b[64];

	if (strcasecmp(x->to, t->to) != 0 ||
	    eth_units_dec(t->value + 2, strlen(t->value + 2), ETH_DECIMALS, a, sizeof(a)) == -1 ||
	    eth_units_dec(x->value, strlen(x->value), ETH_DECIMALS, b, sizeof(b)) == -1 ||
	    strcmp(a, b) != 0)
		return 0;
	if (t->data == NULL)
		return x->input[0] == '\0';
	return strcasecmp(x->input, t->data + 2) == 0;
}

static const char *
hot_wallet(struct chain_status *st)
{
	const char *hot = cfg_get("eth_hot_wallet", "");

	if (eth_addr_parse(hot, NULL) != ETH_ADDR_OK) {
		memset(st, 0, sizeof(*st));
		rpc_fail(st, CHAIN_UNCONFIGURED);
		log_error("eth: eth_hot_wallet is not set to an address: nothing sent");
		return NULL;
	}
	return hot;
}

/* Record, then send, under the wallet's lock: nonce n is this payment's. */
static enum err
send_locked(struct ctx *c, const struct eth_asset *as, const char *hot,
    const struct pay_tx *t, const char *addr, const char *amount,
    const char *note, char txid[CHAIN_HASH_LEN + 1], struct chain_status *st)
{
	char nonce_s[24], tip_s[24];
	const char *p[7];
	uint64_t nonce, tip;
	enum err e;

	if ((e = eth_tip(c, &tip, st)) != ERR_OK ||
	    (e = eth_nonce(c, hot, "pending", &nonce, st)) != ERR_OK)
		return e;
	snprintf(nonce_s, sizeof(nonce_s), "%" PRIu64, nonce);
	snprintf(tip_s, sizeof(tip_s), "%" PRIu64, tip);
	p[0] = note;
	p[1] = as->network;
	p[2] = hot;
	p[3] = nonce_s;
	p[4] = addr;
	p[5] = amount;
	p[6] = tip_s;
	if ((e = note_db(c, ST_RECORD, p)) != ERR_OK)
		return e;
	e = eth_send_tx(c, hot, t->to, t->value, t->data, nonce, txid, st);
	if (e == ERR_OK) {
		p[1] = txid;
		/* Should this fail, the nonce finds the payment again. */
		if (note_db(c, ST_SENT, p) != ERR_OK)
			log_error("eth: payment %s sent as %s, not recorded yet",
			    note, txid);
		log_info("eth %s: %s paid %s to %s, nonce %" PRIu64 ": %s",
		    as->network, note, amount, addr, nonce, txid);
		return ERR_OK;
	}
	/* An answer, so the nonce was not spent: it is the next one's. */
	if (e == ERR_SYSTEM_003 && st->fail == CHAIN_RPC)
		(void)note_db(c, ST_REFUSED, p);
	return e;
}

static enum err
send_as(struct ctx *c, const struct eth_asset *as, const char *addr,
    const char *amount, const char *note, char txid[CHAIN_HASH_LEN + 1],
    struct chain_status *st)
{
	const char *hot, *p[1];
	struct pay_tx t;
	PGresult *res;
	enum err e;

	memset(st, 0, sizeof(*st));
	if ((hot = hot_wallet(st)) == NULL)
		return ERR_SYSTEM_003;
	if (as->token && cfg_get("usdt_contract", "")[0] == '\0') {
		rpc_fail(st, CHAIN_UNCONFIGURED);
		log_error("eth: usdt_contract is not set: nothing sent");
		return ERR_SYSTEM_003;
	}
	if (pay_tx_make(c, as, addr, amount, &t) == -1)
		return ERR_INTERNAL;
	p[0] = hot;
	if ((e = q(c, ST_LOCK, p, &res)) != ERR_OK)
		return e;
	e = send_locked(c, as, hot, &t, addr, amount, note, txid, st);
	if (q(c, ST_UNLOCK, p, &res) != ERR_OK)
		log_error("eth: unlock failed (the session's end releases it)");
	return e;
}

enum err
eth_send(struct ctx *c, const char *addr, const char *amount, const char *note,
    char txid[CHAIN_HASH_LEN + 1], struct chain_status *st)
{
	return send_as(c, &ether, addr, amount, note, txid, st);
}

enum err
erc20_send(struct ctx *c, const char *addr, const char *amount, const char *note,
    char txid[CHAIN_HASH_LEN + 1], struct chain_status *st)
{
	return send_as(c, &usdt, addr, amount, note, txid, st);
}

int
eth_refused_for_good(long code, const char *message)
{
	(void)message;
	return code == -32602 || code == -32003;
}

/* A transaction of ours as a payment: where it went, how much, how deep. */
static enum err
payment_fill(struct ctx *c, const struct eth_asset *as, const struct eth_tx *x,
    struct chain_payment *p, struct chain_status *st)
{
	struct eth_receipt r;
	uint64_t tip;
	enum err e;
	int found;

	memset(p, 0, sizeof(*p));
	memcpy(p->txid, x->hash, sizeof(p->txid));
	if (!as->token) {
		memcpy(p->address, x->to, sizeof(x->to));
		if (eth_units_dec(x->value, strlen(x->value), as->decimals,
		    p->amount, sizeof(p->amount)) == -1)
			p->amount[0] = '\0';
	} else if (strlen(x->input) == 8 + 128 &&
	    strncasecmp(x->input, ERC20_TRANSFER_SELECTOR, 8) == 0 &&
	    strspn(x->input + 8, "0") >= 24) {
		char a[ETH_ADDR_TEXT + 1];
		uint8_t raw[ETH_ADDR_LEN];

		snprintf(a, sizeof(a), "0x%.40s", x->input + 32);
		if (eth_addr_parse(a, raw) == ETH_ADDR_OK)
			eth_addr_eip55(raw, p->address);
		if (eth_units_dec(x->input + 72, 64, as->decimals, p->amount,
		    sizeof(p->amount)) == -1)
			p->amount[0] = '\0';
	}
	if ((e = eth_tip(c, &tip, st)) != ERR_OK ||
	    (e = eth_receipt(c, x->hash, &r, &found, st)) != ERR_OK)
		return e;
	if (!found || r.block > tip)
		return ERR_OK;		/* in the pool: 0 confirmations */
	p->confirmations = (long)(tip - r.block + 1);
	/* Reverted: gas spent, nothing paid; it will never pay. */
	p->abandoned = r.status != 1;
	/* The fee is ether's: for a token it is not in the asset paid. */
	if (!as->token && r.fee[0] != '\0' && eth_units_dec(r.fee, strlen(r.fee),
	    ETH_DECIMALS, p->fee, sizeof(p->fee)) == -1)
		p->fee[0] = '\0';
	return ERR_OK;
}

static enum err
payment_as(struct ctx *c, const struct eth_asset *as, const char *txid,
    struct chain_payment *p, struct chain_status *st)
{
	struct eth_tx x;
	enum err e;
	int found;

	if ((e = eth_tx_get(c, txid, &x, &found, st)) != ERR_OK)
		return e;
	if (!found)
		return ERR_NOT_FOUND;
	return payment_fill(c, as, &x, p, st);
}

enum err
eth_payment(struct ctx *c, const char *txid, struct chain_payment *p,
    struct chain_status *st)
{
	return payment_as(c, &ether, txid, p, st);
}

enum err
erc20_payment(struct ctx *c, const char *txid, struct chain_payment *p,
    struct chain_status *st)
{
	return payment_as(c, &usdt, txid, p, st);
}

/*
 * A payment recorded without its hash: the hot wallet's transaction
 * with its nonce, if the chain has one and it is this payment. *hash
 * set to "" when the nonce is unspent or spent by another payment.
 */
static enum err
find_by_nonce(struct ctx *c, const struct eth_asset *as, PGresult *row, int i,
    char hash[CHAIN_HASH_LEN + 1], struct chain_status *st)
{
	const char *sender = db_val(row, i, 1);
	uint64_t nonce = (uint64_t)strtoull(db_val(row, i, 2), NULL, 10);
	uint64_t from = (uint64_t)strtoull(db_val(row, i, 5), NULL, 10);
	uint64_t latest, pending, tip, h, end;
	long long span = cfg_int("eth_find_blocks", FIND_BLOCKS);
	struct eth_block b;
	struct pay_tx t;
	size_t k;
	enum err e;
	int found;

	hash[0] = '\0';
	if ((e = eth_nonce(c, sender, "pending", &pending, st)) != ERR_OK ||
	    (e = eth_nonce(c, sender, "latest", &latest, st)) != ERR_OK ||
	    (e = eth_tip(c, &tip, st)) != ERR_OK)
		return e;
	if (pending <= nonce)
		return ERR_OK;		/* the nonce is unspent: never sent */
	if (latest <= nonce) {
		/* Spent in the pool, maybe by this payment: wait for a block. */
		rpc_fail(st, CHAIN_DOWN);
		log_info("eth %s: %s: nonce %" PRIu64 " waits in the pool; looked "
		    "up again later", as->network, db_val(row, i, 0), nonce);
		return ERR_SYSTEM_003;
	}
	if (pay_tx_make(c, as, db_val(row, i, 3), db_val(row, i, 4), &t) == -1)
		return ERR_INTERNAL;
	end = span > 0 && from + (uint64_t)span < tip ? from + (uint64_t)span : tip;
	for (h = from; h <= end; h++) {
		if ((e = eth_block(c, h, NULL, 1, &b, &found, st)) != ERR_OK)
			return e;
		for (k = 0; found && k < b.ntxs; k++) {
			if (strcasecmp(b.txs[k].from, sender) != 0 ||
			    b.txs[k].nonce != nonce)
				continue;
			if (pay_tx_is(&t, &b.txs[k]))
				memcpy(hash, b.txs[k].hash, CHAIN_HASH_LEN + 1);
			return ERR_OK;	/* the nonce's one transaction */
		}
	}
	log_error("eth %s: %s: nonce %" PRIu64 " spent, but not found in blocks "
	    "%" PRIu64 "-%" PRIu64 " (eth_find_blocks)", as->network,
	    db_val(row, i, 0), nonce, from, end);
	rpc_fail(st, CHAIN_MALFORMED);
	return ERR_SYSTEM_003;
}

static enum err
find_sent_as(struct ctx *c, const struct eth_asset *as, const char *prefix,
    struct chain_payment *out, int *found, struct chain_status *st)
{
	char hash[CHAIN_HASH_LEN + 1];
	const char *p[2] = { as->network, prefix };
	struct chain_payment pay;
	PGresult *res;
	enum err e;
	int i;

	*found = 0;
	memset(out, 0, sizeof(*out));
	memset(st, 0, sizeof(*st));
	if ((e = q(c, ST_FIND, p, &res)) != ERR_OK)
		return e;
	for (i = 0; i < PQntuples(res); i++) {
		if (db_val(res, i, 6) != NULL)
			snprintf(hash, sizeof(hash), "%s", db_val(res, i, 6));
		else if ((e = find_by_nonce(c, as, res, i, hash, st)) != ERR_OK)
			return e;
		if (hash[0] == '\0')
			continue;
		if ((e = payment_as(c, as, hash, &pay, st)) == ERR_NOT_FOUND)
			continue;	/* dropped: it never paid */
		if (e != ERR_OK)
			return e;
		if (db_val(res, i, 6) == NULL) {
			const char *u[2] = { db_val(res, i, 0), hash };

			(void)note_db(c, ST_SENT, u);
		}
		snprintf(pay.comment, sizeof(pay.comment), "%s", db_val(res, i, 0));
		if ((*found)++ == 0)
			*out = pay;
	}
	return ERR_OK;
}

enum err
eth_find_sent(struct ctx *c, const char *prefix, struct chain_payment *out,
    int *found, struct chain_status *st)
{
	return find_sent_as(c, &ether, prefix, out, found, st);
}

enum err
erc20_find_sent(struct ctx *c, const char *prefix, struct chain_payment *out,
    int *found, struct chain_status *st)
{
	return find_sent_as(c, &usdt, prefix, out, found, st);
}
