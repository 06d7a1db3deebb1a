/* domain/limits.h — a user's withdrawal and trading limits: their own, or their KYC level's defaults */
#ifndef HZM_LIMITS_H
#define HZM_LIMITS_H

#include <stdint.h>
#include <time.h>

#include <libpq-fe.h>

struct json_object;

/*
 * What user uid (an SQL expression) has withdrawn in the windows the
 * limits count: the last 24 hours (daily) and the last 30 days (monthly),
 * in TRY (sql/012_withdrawals.sql: withdrawal_used_try).
 */
#define LIMIT_USED_DAY(uid) \
	"withdrawal_used_try(" uid ", now() - interval '24 hours')"
#define LIMIT_USED_MONTH(uid) \
	"withdrawal_used_try(" uid ", now() - interval '30 days')"

/*
 * Five columns (daily withdrawal, monthly withdrawal, daily trading at
 * TRY's 2 decimals, currency, and a JSON object of what is used of the
 * withdrawal limits and of today's trading limit (sql/015:
 * trading_used_try) and whether the user has limits of their own) from
 * users u joined with LIMIT_JOINS.
 */
#define LIMIT_COLS \
	" round(coalesce(l.daily_withdrawal, d.daily_withdrawal), 2)," \
	" round(coalesce(l.monthly_withdrawal, d.monthly_withdrawal), 2)," \
	" round(coalesce(l.daily_trading, d.daily_trading), 2)," \
	" coalesce(l.currency, 'TRY'), json_build_object('own'," \
	" l.user_id IS NOT NULL, 'dailyUsed', " LIMIT_USED_DAY("u.id") "::text," \
	" 'monthlyUsed', " LIMIT_USED_MONTH("u.id") "::text," \
	" 'tradingUsed', trading_used_try(u.id)::text)::text"
#define LIMIT_JOINS \
	" JOIN kyc_level_limits d ON d.level = u.kyc_level" \
	" LEFT JOIN user_limits l ON l.user_id = u.id"

/*
 * A limit as staff set it: a TRY amount as a string ("100000.00"), or as
 * Appendix C shows a limit, {"limit": "100000.00", "currency": "TRY"}
 * (used, if sent, is ignored: it is counted, not set). At scale 2 in
 * *out; -1 with *why.
 */
int	limit_amount_read(struct json_object *v, time_t now, int64_t *out,
	    const char **why);

/* Appendix C's limits object from row 0, col the first of LIMIT_COLS. */
struct json_object	*limits_json(PGresult *, int col);

#endif
