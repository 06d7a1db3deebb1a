/* domain/order_oco.h — OCO lists (Binance's orderList/oco): a limit leg and a stop leg placed together through the inbox, one lock */
#ifndef HZM_ORDER_OCO_H
#define HZM_ORDER_OCO_H

#include "core/err.h"
#include "domain/orders.h"

struct ctx;
struct json_object;

/* An OCO list as placed: its id and its legs, the limit leg first. */
struct order_oco {
	char			 list_id[24];
	struct order_placed	 leg[2];
};

/*
 * POST /orders with type OCO, for the context's actor: both legs checked
 * as orders of their own (KYC, market, amounts, minimums), then Binance's
 * price rules (SELL: price > last price > stopPrice; BUY the reverse),
 * then in one transaction the daily limit (counted once, by the limit
 * leg), one lock (the larger leg's need, on the limit leg) and both
 * orders with their inbox rows, sharing order_list_id. The matcher is
 * woken; the stop leg's row asks for word on the reply channel, so that
 * order_wait() on out->leg[1] waits for both.
 */
enum err	 order_oco_place(struct ctx *, const struct order_in *,
		    struct order_oco *, struct order_fail *);

/* An OCO list as the database has it: both legs, the limit leg first. */
struct order_oco_view {
	char			 list_id[24];
	struct order_view	 leg[2];
	const char		*public_id[2];
	int			 open;		/* legs NEW or PARTIALLY_FILLED */
};

/* How long a list's cancel waits for the matcher. */
#define ORDER_OCO_WAIT_MS	3000

/* The actor's list: ERR_NOT_FOUND when it is no list of theirs. */
enum err	 order_oco_read(struct ctx *, const char *list_id,
		    struct order_oco_view *);

/* The list as answers show it: orderListId, listStatusType, its orders. */
struct json_object *order_oco_json(struct ctx *, const struct order_oco_view *);

/*
 * Cancel the actor's list: its open leg is cancelled, and the matcher
 * cancels the other with it (one release of the list's lock). l is the
 * list afterwards. ERR_NOT_FOUND: no list of theirs; TRADE_007: done.
 */
enum err	 order_oco_cancel(struct ctx *, const char *list_id,
		    struct order_oco_view *, struct order_fail *);

#endif
