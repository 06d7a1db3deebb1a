/* domain/bot_backtest.h — a bot configuration run over hzm's own candles, without placing an order */
#ifndef HZM_BOT_BACKTEST_H
#define HZM_BOT_BACKTEST_H

#include "core/err.h"

struct ctx;
struct in_err;
struct json_object;

/*
 * body: a bot configuration (as POST /bots, name optional) and interval
 * (1m, 5m, 15m, 1h, 4h, 1d; 1m), startTime and endTime (epoch ms), limit
 * (candles, 1..1500, the latest of the range; 500). Each candle's close is
 * the price of one cycle, filled as paper mode fills; *out is the report.
 */
enum err	 bot_backtest(struct ctx *, struct json_object *body,
		    struct json_object **out, struct in_err *e);

#endif
