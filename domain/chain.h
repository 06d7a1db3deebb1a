/* domain/chain.h — what a blockchain node adapter offers deposits: new addresses and the transfers since a block */
#ifndef HZM_CHAIN_H
#define HZM_CHAIN_H

#include <stddef.h>

#include "core/err.h"

struct ctx;

#define CHAIN_HASH_LEN		64	/* a transaction id or a block hash, hex */
#define CHAIN_ADDR_MAX		128
#define CHAIN_AMOUNT_MAX	48	/* a decimal amount as text */

/* Why a call to a node failed: for the log, and for the HTTP status. */
enum chain_fail {
	CHAIN_OK,
	CHAIN_UNCONFIGURED,	/* no node set for the network, or its URL refused */
	CHAIN_DOWN,		/* no answer: refused, timed out, busy or starting */
	CHAIN_AUTH,		/* the node refused the credentials */
	CHAIN_MALFORMED,	/* an answer that is not what the protocol says */
	CHAIN_RPC,		/* the node answered with an error: code, message */
};

struct chain_status {
	enum chain_fail	 fail;
	long		 code;		/* CHAIN_RPC: the node's error code */
	char		 message[160];	/* CHAIN_RPC: its message */
};

/* One incoming transfer (a transaction output) to one of our addresses. */
struct chain_transfer {
	char		 txid[CHAIN_HASH_LEN + 1];
	long		 vout;
	char		 address[CHAIN_ADDR_MAX + 1];
	char		 amount[CHAIN_AMOUNT_MAX];	/* exact, > 0 */
	/* Depth in the main chain: 0 unconfirmed, negative when a
	 * conflicting transaction is confirmed (it can no longer confirm). */
	long		 confirmations;
	char		 block[CHAIN_HASH_LEN + 1];	/* "" when in no block */
	long		 height;			/* -1 when in no block */
};

/*
 * The transfers since a block: those in later blocks of the main chain,
 * the unconfirmed and the conflicted, and (removed) those of blocks
 * between the given block and the main chain (a reorganisation) with
 * their depth now. next is the block to ask from next time: target - 1
 * blocks below the tip, so a transfer is seen again until it has target
 * confirmations.
 */
struct chain_since {
	struct chain_transfer	*transfers;
	size_t			 ntransfers;
	struct chain_transfer	*removed;
	size_t			 nremoved;
	char			 next[CHAIN_HASH_LEN + 1];
};

struct chain_adapter {
	const char	*network;		/* "BTC" */
	/* A new receiving address of our wallet, labelled (user's id). */
	enum err	(*new_address)(struct ctx *, const char *label,
			    char *addr, size_t addrsz, struct chain_status *);
	/* Transfers since block ("" or NULL: from the start). */
	enum err	(*since)(struct ctx *, const char *block, int target,
			    struct chain_since *, struct chain_status *);
	/* The node's code for "no such block" (the cursor is unknown to it). */
	long		 err_no_block;
};

/* The adapter of a network, or NULL: no node software is supported for it. */
const struct chain_adapter	*chain_adapter(const char *network);
/* One line for the log: what failed, never credentials. */
const char			*chain_fail_text(const struct chain_status *);

#endif
