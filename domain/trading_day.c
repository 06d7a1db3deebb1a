/* domain/trading_day.c — the daily trading limit on the inbox path: the user's counter locked, what ended orders freed folded in, the order counted */
#include <stdio.h>
#include <string.h>

#include "core/actor.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/util.h"
#include "domain/markets.h"
#include "domain/order_inbox.h"
#include "domain/trading_day.h"

enum { ST_LOCK, ST_FOLD, ST_COUNT, ST__COUNT };

static const struct stmt stmts[] = {
	/*
	 * The counter (a past day's starts anew), the limit, the quote
	 * asset's TRY price and the market's last price, as the matcher
	 * reads them for its batch (matcher/admit_day.c).
	 */
	[ST_LOCK] = { "trading_day_lock",
	  "WITH t AS (INSERT INTO trading_days AS t (user_id, day)"
	  "  VALUES ($1, utc_day(now()))"
	  "  ON CONFLICT (user_id) DO UPDATE SET day = excluded.day,"
	  "  used = CASE WHEN t.day = excluded.day THEN t.used ELSE 0 END"
	  "  RETURNING t.used)"
	  " SELECT t.used::text,"
	  " round(coalesce(l.daily_trading, d.daily_trading), 2)::text,"
	  " round(asset_price_try($2), 8)::text,"
	  " (SELECT s.last_price::text FROM matcher_state s WHERE s.symbol = $3)"
	  " FROM t, users u JOIN kyc_level_limits d ON d.level = u.kyc_level"
	  " LEFT JOIN user_limits l ON l.user_id = u.id WHERE u.id = $1", 3 },
	[ST_FOLD] = { "trading_day_fold",
	  "WITH r AS (DELETE FROM trading_releases WHERE user_id = $1"
	  "  RETURNING day, amount)"
	  " SELECT coalesce(sum(amount) FILTER (WHERE day = utc_day(now())),"
	  " 0)::text FROM r", 1 },
	[ST_COUNT] = { "trading_day_count",
	  "UPDATE trading_days SET used = $2::numeric WHERE user_id = $1", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "trading_day statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* TRY at 2 decimals, signed (a fold can be negative: see sql/015). */
static int
cents(const char *s, int64_t *v)
{
	return s != NULL && dec_parse_flags(s, strlen(s), 2,
	    DEC_NEG_OK | DEC_ZEROS_OK, v) == DEC_OK ? 0 : -1;
}

/* An optional numeric column at scale; absent or unreadable: 0. */
static int64_t
column_at(PGresult *res, int col, int scale)
{
	int64_t v;

	if (db_val(res, 0, col) == NULL ||
	    market_numeric(db_val(res, 0, col), scale, &v) == -1)
		return 0;
	return v;
}

static void
refusal_set(struct order_fail *f, const struct trade_day *d, int64_t value)
{
	order_amount_text(d->limit, 2, f->day_limit, sizeof(f->day_limit));
	order_amount_text(d->used < 0 ? 0 : d->used, 2, f->day_used,
	    sizeof(f->day_used));
	order_amount_text(value, 2, f->day_requested, sizeof(f->day_requested));
	snprintf(f->currency, sizeof(f->currency), "TRY");
}

enum err
trading_day_take(struct ctx *c, const struct placing *pl,
    const struct placing *also, int64_t *value, struct order_fail *f)
{
	const char *p[3] = { c->actor->idtxt, pl->m.quote, pl->m.symbol };
	struct trade_day d;
	char used[DEC_BUFSZ];
	int64_t freed, ref;
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_LOCK, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1 || db_val(res, 0, 0) == NULL ||
	    db_val(res, 0, 1) == NULL ||
	    cents(db_val(res, 0, 0), &d.used) == -1 ||
	    cents(db_val(res, 0, 1), &d.limit) == -1)
		return ERR_INTERNAL;
	d.rate = column_at(res, 2, TRADE_RATE_SCALE);
	ref = column_at(res, 3, pl->m.price_scale);
	if ((e = q(c, ST_FOLD, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1 || cents(db_val(res, 0, 0), &freed) == -1)
		return ERR_INTERNAL;
	d.used -= freed;
	if (trade_day_value(&pl->m, &pl->o, ref, d.rate, value) == -1)
		return ERR_INVALID_REQUEST;
	/* An OCO list counts once, at the larger of its legs' values. */
	if (also != NULL) {
		int64_t v2;

		if (trade_day_value(&also->m, &also->o, ref, d.rate, &v2) == -1)
			return ERR_INVALID_REQUEST;
		if (v2 > *value)
			*value = v2;
	}
	if (!trade_day_fits(&d, *value)) {
		refusal_set(f, &d, *value);
		return ERR_COMPLIANCE_002;
	}
	order_amount_text(d.used + *value, 2, used, sizeof(used));
	p[1] = used;
	return q(c, ST_COUNT, p, &res);
}
