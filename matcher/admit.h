/* matcher/admit.h — orders from the socket before the engine sees them: checks, balance locks, each lock decided; their answers */
#ifndef HZM_ADMIT_H
#define HZM_ADMIT_H

#include <stddef.h>

#include "core/db.h"
#include "matcher/engine.h"
#include "matcher/gate.h"
#include "matcher/store.h"

struct arena;

/*
 * Begin the batch's transaction with up to limit inbox commands (as
 * store_fetch()) and n socket orders, in one round trip, before the
 * engine sees them: clientOrderIds checked, the users' balances locked
 * (FOR UPDATE), the price band and minimums (engine_admit()), each
 * order's lock decided in turn (trade_lock(): DS_ACCEPTED or DS_POOR),
 * and ids, seqs and times given to the accepted ones; store_commit()
 * inserts them as the batch leaves them. The socket's cancels only get
 * their seqs: the engine decides them when the batch applies them.
 */
enum err	 admit_take(struct db *, struct arena *, struct engine *,
		    struct direct *, size_t, struct direct *cancels, size_t,
		    const char *symbols, int limit, struct store_cmd **,
		    size_t *);
/*
 * After store_commit(): each socket order's or cancel's answer line
 * (without its newline; domain/matcher_line.h), the accepted orders as
 * stored, a cancel that was carried out STORED.
 */
int		 admit_answers(struct arena *, const struct engine *,
		    struct direct *, size_t, const char **line);

extern const struct stmt	admit_stmts[];
extern const size_t		admit_nstmts;

#endif
