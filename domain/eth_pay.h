/* domain/eth_pay.h — paying out on Ethereum: each payment recorded with the hot wallet's nonce before the node hears of it, found again by that nonce, followed by its receipt */
#ifndef HZM_ETH_PAY_H
#define HZM_ETH_PAY_H

#include "core/err.h"
#include "domain/chain.h"

struct ctx;

/*
 * Settings: eth_hot_wallet (the account the node, or its external
 * signer, signs for: eth_sendTransaction from it), usdt_contract,
 * eth_find_blocks (blocks searched for a payment whose answer was lost).
 * The hot wallet must be hzm's alone: its nonces are how a payment is
 * found again.
 */
enum err	 eth_send(struct ctx *, const char *addr, const char *amount,
		    const char *note, char txid[CHAIN_HASH_LEN + 1],
		    struct chain_status *);
enum err	 erc20_send(struct ctx *, const char *addr, const char *amount,
		    const char *note, char txid[CHAIN_HASH_LEN + 1],
		    struct chain_status *);
/*
 * The payments recorded under notes starting with prefix that the
 * chain has: a recorded hash, or for a payment whose answer was lost, a
 * transaction of the hot wallet with its nonce and its fields. While
 * such a nonce is only in the pool: ERR_SYSTEM_003 (CHAIN_DOWN): ask
 * again later, never send meanwhile.
 */
enum err	 eth_find_sent(struct ctx *, const char *prefix,
		    struct chain_payment *, int *found, struct chain_status *);
enum err	 erc20_find_sent(struct ctx *, const char *prefix,
		    struct chain_payment *, int *found, struct chain_status *);
/* A payment by hash: ERR_NOT_FOUND when the node knows no such transaction. */
enum err	 eth_payment(struct ctx *, const char *txid, struct chain_payment *,
		    struct chain_status *);
enum err	 erc20_payment(struct ctx *, const char *txid,
		    struct chain_payment *, struct chain_status *);
/* -32602 (invalid parameters) and -32003 (transaction rejected, EIP-1474) refuse for good. */
int		 eth_refused_for_good(long code, const char *message);

#endif
