/* matcher/store.h — the matcher's PostgreSQL side: inbox, batch commits, recovery; snapshots to memcached */
#ifndef HZM_STORE_H
#define HZM_STORE_H

#include <stddef.h>

#include "core/db.h"
#include "matcher/engine.h"
#include "matcher/gate.h"

struct arena;

#define STORE_FEE_ACCOUNT	"usr_feeaccountaaaaaaaaaa"

/* A command as fetched, and the market it belongs to. */
struct store_cmd {
	struct cmd	 c;
	int		 mkt;
	int		 skip;		/* already applied: only delete it */
	struct trade_refusal refused;	/* why the engine rejected it, if it did */
	char		 reply[64];	/* the placing handler's channel, or "" */
};

/*
 * Build the engine from committed state: the fee account, the markets
 * (symbols NULL: all), and every resting order in time priority.
 */
enum err	 store_load(struct db *, struct arena *, struct engine *,
		    const char *symbols);
/* Up to limit commands of the engine's markets, in sequence order. */
enum err	 store_fetch(struct db *, struct arena *, struct engine *,
		    const char *symbols, int limit, struct store_cmd **, size_t *n);
/*
 * Begin the batch's transaction with up to limit inbox commands (as
 * store_fetch()) and n socket orders, before the engine sees them:
 * clientOrderIds checked, the users' balances locked (FOR UPDATE), each
 * order's lock decided in turn (DS_ACCEPTED or DS_POOR), and ids, seqs
 * and times given to the accepted ones; store_commit() inserts them as
 * the batch leaves them.
 */
enum err	 store_direct_take(struct db *, struct arena *, struct engine *,
		    struct direct *, size_t, const char *symbols, int limit,
		    struct store_cmd **, size_t *);
/* After store_commit(): each socket order's answer line (domain/orders.h). */
int		 store_direct_answers(struct arena *, const struct engine *,
		    struct direct *, size_t, const char **line);
/*
 * The batch, in one transaction (begun by store_direct_take() when there
 * are socket orders): inbox, the socket orders, trades, orders, klines,
 * marks, ledger.
 */
enum err	 store_commit(struct db *, struct arena *, struct engine *,
		    struct direct *, size_t);
/*
 * Tell the handlers that sent the commands that they are done: NOTIFY on
 * each command's reply channel with the order's id (not durable: a lost
 * word only makes a handler read the order after its timeout).
 */
void		 store_notify(struct db *, struct arena *,
		    const struct store_cmd *, size_t);
/* Depth and ticker of the markets changed since they were last, to memcached. */
void		 store_publish(struct db *, struct arena *, struct engine *,
		    int force);
/*
 * A command that fails on its own: its order is REJECTED and its lock
 * released (a NEW), or it is dropped (a CANCEL), so that it cannot stop
 * the market.
 */
enum err	 store_reject(struct db *, struct arena *, const struct cmd *);

extern const struct stmt	store_stmts[];
extern const size_t		store_nstmts;

#endif
