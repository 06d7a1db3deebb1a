/* domain/eth_rpc.h — the Ethereum node's JSON-RPC (geth, Nethermind) over domain/jsonrpc: blocks, receipts, logs, payments, answers parsed exactly */
#ifndef HZM_ETH_RPC_H
#define HZM_ETH_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/chain.h"
#include "domain/eth_addr.h"
#include "domain/eth_units.h"

struct arena;
struct ctx;
struct json_object;

#define ETH_TIMEOUT_MS		5000	/* eth_rpc_timeout_ms */
#define ETH_MAX_RESPONSE	(16 * 1024 * 1024)	/* eth_rpc_max_bytes */
#define ETH_NO_BLOCK		(-39001)	/* ours: a block hash the node does not know */
/* keccak256("Transfer(address,address,uint256)") */
#define ERC20_TRANSFER_TOPIC \
	"ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
#define ERC20_TRANSFER_SELECTOR	"a9059cbb"	/* transfer(address,uint256) */

/* A transaction as eth_getBlockByNumber (full) or eth_getTransactionByHash tell it. */
struct eth_tx {
	char		 hash[CHAIN_HASH_LEN + 1];	/* lower-case hex, no 0x */
	char		 from[ETH_ADDR_TEXT + 1];	/* EIP-55 */
	char		 to[ETH_ADDR_TEXT + 1];		/* "" for a contract creation */
	char		 value[ETH_QTY_MAX];		/* hex digits, no 0x */
	const char	*input;				/* hex digits, no 0x */
	uint64_t	 nonce;
	int64_t		 block;				/* -1: pending */
};

struct eth_block {
	uint64_t	 number;
	char		 hash[CHAIN_HASH_LEN + 1];
	char		 parent[CHAIN_HASH_LEN + 1];
	struct eth_tx	*txs;				/* full blocks only */
	size_t		 ntxs;
};

/* A log; ERC-20 Transfer fields filled when it is one (is_transfer). */
struct eth_log {
	char		 tx[CHAIN_HASH_LEN + 1];
	char		 block_hash[CHAIN_HASH_LEN + 1];
	uint64_t	 block;
	uint64_t	 index;				/* in the block */
	char		 address[ETH_ADDR_TEXT + 1];	/* the contract */
	int		 removed;
	int		 is_transfer;
	char		 from[ETH_ADDR_TEXT + 1], to[ETH_ADDR_TEXT + 1];
	char		 value[65];			/* the data word, hex */
};

struct eth_receipt {
	char		 tx[CHAIN_HASH_LEN + 1];
	char		 block_hash[CHAIN_HASH_LEN + 1];
	uint64_t	 block;
	int		 status;			/* 1 success, 0 reverted */
	char		 fee[ETH_QTY_MAX];		/* gasUsed * effectiveGasPrice, hex; "" unknown */
	struct eth_log	*logs;
	size_t		 nlogs;
};

/*
 * Settings: eth_node_url, eth_node_user and eth_node_password (HTTP basic
 * auth, optional), eth_chain_id (the chain the node must be on: 1 for
 * mainnet), eth_rpc_timeout_ms, eth_rpc_max_bytes. Calls answer ERR_OK,
 * ERR_SYSTEM_003 (*st says why) or ERR_INTERNAL; "not found" answers
 * (JSON null) set *found to 0.
 */
enum err	 eth_call(struct ctx *, const char *method,
		    struct json_object *params, struct json_object **result,
		    struct chain_status *);
/* eth_chainId is eth_chain_id's (asked once per process): else CHAIN_MALFORMED. */
enum err	 eth_chain_check(struct ctx *, struct chain_status *);
enum err	 eth_tip(struct ctx *, uint64_t *height, struct chain_status *);
/* By number (hash NULL) or by hash; full: with its transactions. */
enum err	 eth_block(struct ctx *, uint64_t number, const char *hash, int full,
		    struct eth_block *, int *found, struct chain_status *);
enum err	 eth_receipt(struct ctx *, const char *tx, struct eth_receipt *,
		    int *found, struct chain_status *);
enum err	 eth_tx_get(struct ctx *, const char *tx, struct eth_tx *, int *found,
		    struct chain_status *);
/* Transfer logs of contract in [from, to], or of the block hash when not NULL. */
enum err	 eth_transfer_logs(struct ctx *, const char *contract, uint64_t from,
		    uint64_t to, const char *block_hash, struct eth_log **,
		    size_t *n, struct chain_status *);
/* eth_getTransactionCount(addr, tag) */
enum err	 eth_nonce(struct ctx *, const char *addr, const char *tag,
		    uint64_t *nonce, struct chain_status *);
/* eth_sendTransaction {from, to, value, data, nonce}: the hash. */
enum err	 eth_send_tx(struct ctx *, const char *from, const char *to,
		    const char *value_qty, const char *data, uint64_t nonce,
		    char hash[CHAIN_HASH_LEN + 1], struct chain_status *);

/* The parsers, pure (fuzzed): ERR_OK, ERR_SYSTEM_003 (CHAIN_MALFORMED) or ERR_INTERNAL. */
enum err	 eth_block_parse(struct arena *, struct json_object *, int full,
		    struct eth_block *, struct chain_status *);
enum err	 eth_tx_parse(struct json_object *, struct eth_tx *,
		    struct chain_status *);
enum err	 eth_receipt_parse(struct arena *, struct json_object *,
		    struct eth_receipt *, struct chain_status *);
enum err	 eth_logs_parse(struct arena *, struct json_object *,
		    struct eth_log **, size_t *n, struct chain_status *);
/* "0x" and 1 to 16 hex digits: 0, or -1. */
int		 eth_qty(struct json_object *, uint64_t *);

#endif
