/* matcher/store_direct.h — a batch's socket orders into PostgreSQL, queued on store_commit()'s pipeline */
#ifndef HZM_STORE_DIRECT_H
#define HZM_STORE_DIRECT_H

#include <stddef.h>

#include "core/db.h"
#include "matcher/engine.h"
#include "matcher/gate.h"
#include "matcher/store.h"

struct arena;

extern const struct stmt store_direct_stmts[];
extern const size_t store_direct_nstmts;

/*
 * The batch's accepted socket orders d, inserted once as the batch left
 * them. Sorted by id into *ids, for the orders' update to skip; each
 * one's order_rec goes to d[i].rec.
 */
enum err	 store_direct_put(struct db *, struct arena *, struct engine *,
		    struct direct *d, size_t n, struct store_idx **ids,
		    size_t *nids);
/* The X-Idempotency-Keys the placed socket orders came with, claimed. */
enum err	 store_idem_put(struct db *, struct arena *,
		    const struct direct *, size_t);
/* The daily trading counters of the socket orders' users. */
enum err	 store_days_put(struct db *, struct arena *,
		    const struct direct *, size_t);

#endif
