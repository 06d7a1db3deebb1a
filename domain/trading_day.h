/* domain/trading_day.h — the daily trading limit on the inbox path: the user's counter locked, what ended orders freed folded in, the order counted */
#ifndef HZM_TRADING_DAY_H
#define HZM_TRADING_DAY_H

#include <stdint.h>

#include "core/err.h"

struct ctx;
struct placing;
struct order_fail;

/*
 * In the caller's transaction, before the balance the order draws on is
 * locked (the matcher takes the same locks in the same order): lock the
 * actor's counter for the UTC day, fold in what their ended orders freed,
 * and count the order (*value, TRY at 2 decimals) when it fits the
 * limit (trade_day_value(), trade_day_fits()). ERR_COMPLIANCE_002 with f
 * saying {limit, used, requested, currency} when it does not; the
 * caller rolls back then. also: an OCO list's other leg, counted with
 * the first at the larger of the two values (NULL for an order alone).
 */
enum err	 trading_day_take(struct ctx *, const struct placing *,
		    const struct placing *also, int64_t *value,
		    struct order_fail *);

#endif
