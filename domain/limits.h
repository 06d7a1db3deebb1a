/* domain/limits.h — a user's withdrawal and trading limits: their own, or their KYC level's defaults */
#ifndef HZM_LIMITS_H
#define HZM_LIMITS_H

#include <libpq-fe.h>

struct json_object;

/*
 * Five columns (daily withdrawal, monthly withdrawal, daily trading at
 * TRY's 2 decimals, currency, whether the user has limits of their own)
 * from users u joined with LIMIT_JOINS.
 */
#define LIMIT_COLS \
	" round(coalesce(l.daily_withdrawal, d.daily_withdrawal), 2)," \
	" round(coalesce(l.monthly_withdrawal, d.monthly_withdrawal), 2)," \
	" round(coalesce(l.daily_trading, d.daily_trading), 2)," \
	" coalesce(l.currency, 'TRY'), l.user_id IS NOT NULL"
#define LIMIT_JOINS \
	" JOIN kyc_level_limits d ON d.level = u.kyc_level" \
	" LEFT JOIN user_limits l ON l.user_id = u.id"

/* Appendix C's limits object from row 0, col the first of LIMIT_COLS. */
struct json_object	*limits_json(PGresult *, int col);

#endif
