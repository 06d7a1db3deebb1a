/* domain/order_inbox.h — an order through the matcher's inbox, for the order service: what it takes and what it shares */
#ifndef HZM_ORDER_INBOX_H
#define HZM_ORDER_INBOX_H

#include <stddef.h>
#include <stdint.h>

#include "domain/orders.h"

struct ctx;

/* An order checked and priced: what the matcher or the inbox takes. */
struct placing {
	const struct order_in	*in;
	struct market		 m;
	struct trade_order	 o;		/* in the market's units */
	struct trade_lock	 lock;		/* what it locks (trade_lock()) */
	int64_t			 deadline_ms;	/* the matcher's: sent, unanswered */
	int64_t			 day_value;	/* counted against the daily limit */
	enum ord_tif		 tif;		/* the request's, or a leg's */
	const char		*list_id;	/* an OCO leg's list, else NULL */
	const char		*list_leg;	/* "LIMIT", "STOP", else NULL */
};

/*
 * The order through the inbox: attempts while deadlocks allow, and when
 * the outcome is not known, the settle. What the caller hears is what was
 * committed: the order (ERR_OK), a refusal, or SYSTEM_002 for an order
 * that does not exist, or whose fate cannot be told now (f->order_id is
 * then set: the client looks it up before placing it again). again: the
 * matcher may have placed it already (a socket request without answer).
 */
enum err	 order_inbox_place(struct ctx *, struct placing *,
		    enum order_path, unsigned flags, int again,
		    struct order_placed *, struct order_fail *);

/*
 * Whether the matcher took the order after all (a socket request it did
 * not answer), once its deadline has passed: ERR_OK (*out filled),
 * ERR_NOT_FOUND, or anything else when that cannot be told now.
 */
enum err	 order_inbox_taken(struct ctx *, const struct placing *,
		    struct order_placed *);

/*
 * The KYC level, the market, the amounts, the minimums and the lock of
 * pl->in, before an order goes anywhere (domain/orders.c).
 */
enum err	 order_check(struct ctx *, const struct order_in *,
		    struct placing *, struct order_placed *, struct order_fail *);

/*
 * The order of pl as out->public_id, its lock (ledger) and its inbox row
 * (reply_to rc), in the caller's transaction; res: its orders.id.
 */
enum err	 order_inbox_insert(struct ctx *, const struct placing *,
		    const char *rc, const struct order_placed *, PGresult **);

/* How domain/orders.c says why, and the inbox path with it. */
/* The field and why; returns -1. */
int		 order_fail_set(struct order_fail *, const char *field,
		    const char *reason);
/* INSUFFICIENT_BALANCE's details: what is needed, what there is. */
void		 order_fail_poor(struct order_fail *, int64_t need,
		    int64_t avail, const struct trade_lock *);
/* A database failure before the order was placed is SYSTEM_002: try again. */
enum err	 order_not_placed(enum err, struct order_fail *);
/* An amount at scale as text ("" if it cannot be). */
void		 order_amount_text(int64_t, int scale, char *buf, size_t sz);

#endif
