/* domain/reports.h — the trading report: volume, trades, fees earned and traders per market or per user, by day or month */
#ifndef HZM_REPORTS_H
#define HZM_REPORTS_H

#include <libpq-fe.h>

#include "core/err.h"

struct buf;
struct ctx;
struct json_object;

struct report_query {
	const char	*from, *to;	/* ISO 8601, [from, to); NULL: open */
	const char	*period;	/* "day" or "month" (UTC) */
	int		 by_user;	/* a row per user, market and period */
	const char	*symbol;	/* NULL: every market */
};

/*
 * The rows, oldest period first. Per market: trades, volume (base),
 * quoteVolume, fees earned in the base and the quote asset (both sides'),
 * unique traders. Per user: the same from the user's side, fees paid.
 * Amounts are NUMERIC sums rendered as text, never floats.
 */
enum err	report_trading(struct ctx *, const struct report_query *,
		    PGresult **rows);
struct json_object *report_trading_json(PGresult *, int by_user);
void		report_trading_csv(struct buf *, PGresult *, int by_user);

#endif
