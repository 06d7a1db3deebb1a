/* domain/chain.h — what a blockchain node adapter offers: new addresses and transfers since a block (deposits), addresses checked and payments sent (withdrawals) */
#ifndef HZM_CHAIN_H
#define HZM_CHAIN_H

#include <stddef.h>

#include "core/err.h"

struct ctx;

#define CHAIN_HASH_LEN		64	/* a transaction id or a block hash, hex */
#define CHAIN_ADDR_MAX		128
#define CHAIN_AMOUNT_MAX	48	/* a decimal amount as text */
#define CHAIN_COMMENT_MAX	64	/* the note a payment carries in our wallet */
#define CHAIN_CURSOR_MAX	127	/* where a chain watcher resumes, as text */

/* Why a call to a node failed: for the log, and for the HTTP status. */
enum chain_fail {
	CHAIN_OK,
	CHAIN_UNCONFIGURED,	/* no node set for the network, or its URL refused */
	CHAIN_DOWN,		/* no answer: refused, timed out, busy or starting */
	CHAIN_AUTH,		/* the node refused the credentials */
	CHAIN_MALFORMED,	/* an answer that is not what the protocol says */
	CHAIN_RPC,		/* the node answered with an error: code, message */
	CHAIN_UNSURE,		/* it answered, but not enough to tell: message */
};

struct chain_status {
	enum chain_fail	 fail;
	long		 code;		/* CHAIN_RPC: the node's error code */
	char		 message[160];	/* CHAIN_RPC: its message; CHAIN_UNSURE: why */
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
	char			 next[CHAIN_CURSOR_MAX + 1];
};

/* A payment our wallet made (a withdrawal), as the node tells of it. */
struct chain_payment {
	char		 txid[CHAIN_HASH_LEN + 1];
	char		 address[CHAIN_ADDR_MAX + 1];
	char		 amount[CHAIN_AMOUNT_MAX];	/* what the address gets, > 0 */
	char		 fee[CHAIN_AMOUNT_MAX];		/* paid to miners, >= 0; "" unknown */
	char		 comment[CHAIN_COMMENT_MAX + 1];	/* "" none */
	/* As for transfers: negative when a conflicting transaction confirmed. */
	long		 confirmations;
	int		 abandoned;			/* the wallet gave it up */
};

struct chain_adapter {
	const char	*network;		/* "BTC" */
	/*
	 * The receiving address of a user: label is their public id, index
	 * their number (>= 0, stable). A wallet node makes a new one (label
	 * kept with it); a network whose addresses are derived from the
	 * operator's public key derives the one of index, the same on every
	 * call.
	 */
	enum err	(*new_address)(struct ctx *, const char *label,
			    long long index, char *addr, size_t addrsz,
			    struct chain_status *);
	/* Transfers since block ("" or NULL: from the start). */
	enum err	(*since)(struct ctx *, const char *block, int target,
			    struct chain_since *, struct chain_status *);
	/* The node's code for "no such block" (the cursor is unknown to it). */
	long		 err_no_block;
	/*
	 * since() leaves out a receive that a conflicting transaction beat
	 * (Bitcoin Core lists no receive of negative depth): a pending
	 * deposit a pass did not see is then asked after with payment().
	 */
	int		 conflicts_unlisted;
	/*
	 * Whether addr is an address of this network (and of the chain the
	 * node runs): 0 with its canonical spelling in norm, or -1 with why.
	 * No I/O.
	 */
	int		(*address_check)(const char *addr, char *norm,
			    size_t normsz, const char **why);
	/* Pay amount (exact text) to addr from our wallet, noting comment: the txid. */
	enum err	(*send)(struct ctx *, const char *addr, const char *amount,
			    const char *comment, char txid[CHAIN_HASH_LEN + 1],
			    struct chain_status *);
	/*
	 * The wallet's latest payments whose comment starts with prefix:
	 * *found of them (0: none among what was searched), the first in *out.
	 */
	enum err	(*find_sent)(struct ctx *, const char *prefix,
			    struct chain_payment *out, int *found,
			    struct chain_status *);
	/* A payment by txid; ERR_NOT_FOUND when the wallet does not know it. */
	enum err	(*payment)(struct ctx *, const char *txid,
			    struct chain_payment *, struct chain_status *);
	/*
	 * Whether a send the node answered with error code means it refused
	 * for good (nothing sent, and asking again will not help), rather
	 * than not now (funds, a locked wallet).
	 */
	int		(*refused_for_good)(long code, const char *message);
};

/* The adapter of a network, or NULL: no node software is supported for it. */
const struct chain_adapter	*chain_adapter(const char *network);
/* One line for the log: what failed, never credentials. */
const char			*chain_fail_text(const struct chain_status *);

#endif
