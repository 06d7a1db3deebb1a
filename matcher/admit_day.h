/* matcher/admit_day.h — the daily trading limit for a batch's socket orders: the users' counters locked and folded in admit_take()'s round trip, each order counted in turn */
#ifndef HZM_ADMIT_DAY_H
#define HZM_ADMIT_DAY_H

#include <stddef.h>

#include "core/db.h"
#include "domain/trade_math.h"
#include "matcher/engine.h"
#include "matcher/gate.h"

struct arena;

/* One user's counter in the batch (TRY at 2 decimals). */
struct day_user {
	int64_t		 user;
	struct trade_day d;
	long		 head;		/* their first order in the batch, -1 */
};

struct admit_day {
	PGresult	*days, *fold, *rates;
	struct day_user	*users;		/* sorted by user */
	size_t		 nusers;
	int		 queued, broken;
};

/*
 * Queue on admit_take()'s pipeline, before the balances are locked: the
 * counters of the orders' users (locked, a past day's reset), what their
 * ended orders freed (folded in), and the TRY prices of quote assets.
 */
void		 admit_day_queue(struct db *, struct arena *,
		    const struct engine *, const struct direct *, size_t,
		    struct admit_day *);
/* Once the pipeline has run: each user's limit and what is used. */
enum err	 admit_day_read(struct arena *, struct admit_day *);
/*
 * Count order d[i] (d[i].day_value) when it fits its user's limit
 * (trade_day_value(), trade_day_fits()): 1 counted, 0 over the limit,
 * -1 out of range.
 */
int		 admit_day_take(struct admit_day *, const struct engine *,
		    struct direct *, size_t i);
/* Put each user's counter, as the batch leaves it, on their first order. */
void		 admit_day_close(struct admit_day *, struct direct *, size_t);

extern const struct stmt	admit_day_stmts[];
extern const size_t		admit_day_nstmts;

#endif
