/* domain/market_admin.h — markets as the operator changes them: a status (halt, cancel-only, reopen) and new markets, audited */
#ifndef HZM_DOMAIN_MARKET_ADMIN_H
#define HZM_DOMAIN_MARKET_ADMIN_H

#include <libpq-fe.h>

#include "core/err.h"

struct ctx;

extern const char *const market_statuses[];	/* ACTIVE, HALTED, CANCEL_ONLY, CLOSED */

/*
 * Set symbol's status (ERR_TRADE_005: no such market; ERR_CONFLICT: it
 * has it already, *old says which). The matcher reads it with its next
 * batch; handlers within a second (domain/markets.c's copy). Audited as
 * MARKET_STATUS with the old and the new status.
 */
enum err	market_status_set(struct ctx *, const char *symbol,
		    const char *status, const char *reason, char old[16]);

struct market_new {
	const char	*symbol, *base, *quote, *status;
	const char	*price_precision, *qty_precision;	/* integers as text */
	const char	*min_qty, *min_notional, *maker_fee, *taker_fee;
	const char	*band_pct;	/* NULL: the default */
};

/*
 * A new market (ERR_CONFLICT: the symbol or the pair exists;
 * ERR_INVALID_REQUEST with *why: an unknown asset, a precision finer than
 * the asset's). Audited as MARKET_CREATED. A running matcher takes it
 * when it is next started (it owns the markets it loaded).
 */
enum err	market_create(struct ctx *, const struct market_new *,
		    const char **why);

/* One market for the console: symbol, assets, status, precisions, minimums, fees, band, times. */
enum err	market_admin_get(struct ctx *, const char *symbol, PGresult **row);
struct json_object *market_admin_json(PGresult *, int row);

#endif
