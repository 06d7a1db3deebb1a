/* matcher/store.h — the matcher's PostgreSQL side: the inbox, the books' recovery, each batch's commit, the words to waiting handlers */
#ifndef HZM_STORE_H
#define HZM_STORE_H

#include <stddef.h>

#include "core/db.h"
#include "matcher/engine.h"
#include "matcher/gate.h"

struct arena;

#define STORE_FEE_ACCOUNT	"usr_feeaccountaaaaaaaaaa"

/*
 * What an order that ends frees of the daily trading limit (sql/015):
 * the value it counted when placed less what it executed. Appended, so
 * that settling waits for no user's counter; the user's next order folds
 * it in. From a relation x of ended orders' rows.
 */
#define STORE_RELEASES(x) \
	"INSERT INTO trading_releases (user_id, day, amount)" \
	" SELECT user_id, utc_day(created_at), day_value" \
	" - trading_executed_try(cumulative_quote, fee_asset) FROM " x \
	" WHERE day_value IS NOT NULL" \
	" AND status IN ('FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'," \
	" 'EXPIRED_IN_MATCH')" \
	" AND day_value <> trading_executed_try(cumulative_quote, fee_asset)"

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
/*
 * Each market's status and fees as they are now, read before every
 * batch: new orders on a market that is not ACTIVE are refused
 * (TRADE_004), cancels served; the batch's fills take the fees read
 * (an operator's change through /admin/system/config).
 */
enum err	 store_status(struct db *, struct arena *, struct engine *,
		    const char *symbols);
/* The same read queued on a pipeline (admit_take()), and its result. */
void		 store_status_queue(struct db *, const char *symbols,
		    PGresult **);
void		 store_status_read(struct engine *, PGresult *);
/* Up to limit commands of the engine's markets, in sequence order. */
enum err	 store_fetch(struct db *, struct arena *, struct engine *,
		    const char *symbols, int limit, struct store_cmd **, size_t *n);
/* The same fetch queued on a pipeline, and the commands of its result. */
void		 store_fetch_queue(struct db *, const char *symbols, int limit,
		    PGresult **);
enum err	 store_fetch_read(struct arena *, struct engine *, PGresult *,
		    struct store_cmd **, size_t *n);
/*
 * The batch, in one transaction (begun by admit_take() when there are
 * socket requests): inbox, the socket orders, trades, orders, klines,
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
/*
 * A command that fails on its own: its order is REJECTED and its lock
 * released (a NEW), or it is dropped (a CANCEL), so that it cannot stop
 * the market.
 */
enum err	 store_reject(struct db *, struct arena *, const struct cmd *);

/* Orders by id, sorted: which of the batch's records is whose. */
struct store_idx {
	int64_t		 id;
	size_t		 i;
};

void		 store_idx_sort(struct store_idx *, size_t);
const struct store_idx *store_idx_find(const struct store_idx *, size_t,
		    int64_t id);

extern const struct stmt	store_stmts[];
extern const size_t		store_nstmts;
extern const struct stmt	store_load_stmts[];
extern const size_t		store_load_nstmts;

#endif
