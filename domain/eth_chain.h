/* domain/eth_chain.h — the Ethereum adapters (ETH, and USDT as an ERC-20 token): derived deposit addresses, blocks and Transfer logs read into transfers, reorganisations found by the remembered tip */
#ifndef HZM_ETH_CHAIN_H
#define HZM_ETH_CHAIN_H

#include <stddef.h>

#include "core/err.h"
#include "domain/chain.h"

struct ctx;

/*
 * Settings: eth_xpub (the operator's extended public key, xpub or tpub:
 * user n's address is its non-hardened child n, so no deposit key lives
 * here), usdt_contract (the token's address), eth_start_block (the
 * first block read when no cursor is kept), eth_scan_blocks (blocks read
 * in one pass at most), eth_reorg_max (the deepest reorganisation
 * followed) and the node's (domain/eth_rpc.h).
 */
enum err	 eth_new_address(struct ctx *, const char *label, long long index,
		    char *addr, size_t addrsz, struct chain_status *);
/*
 * The transfers since the cursor ("<from>:<tip height>:<tip hash>", or
 * "" to begin at eth_start_block): those in blocks from..tip (ETH:
 * transactions with a value to a deposit address and a successful
 * receipt; ERC20: the token's Transfer logs to one, vout their place
 * among the transaction's Transfer logs of the token); removed: those of
 * blocks that left the main chain since the last tip, with their state
 * now (confirmations in the main chain, 0 back in the pool, -1 gone).
 */
enum err	 eth_since(struct ctx *, const char *cursor, int target,
		    struct chain_since *, struct chain_status *);
enum err	 erc20_since(struct ctx *, const char *cursor, int target,
		    struct chain_since *, struct chain_status *);
/* An address written with its EIP-55 checksum, or all lower or upper case. */
int		 eth_address_check(const char *addr, char *norm, size_t normsz,
		    const char **why);

#endif
