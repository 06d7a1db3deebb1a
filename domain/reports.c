/* domain/reports.c — the trading report: volume, trades, fees earned and traders per market or per user, by day or month */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/reports.h"

/*
 * Each trade as two legs, the maker's and the taker's; a market's figures
 * count the taker leg once per trade and every leg's fee, a user's their
 * own legs. $1 from, $2 to, $3 'day' | 'month', $4 symbol.
 */
#define LEGS \
	"WITH t AS (SELECT * FROM trades WHERE"				\
	"  ($1::timestamptz IS NULL OR created_at >= $1)"		\
	"  AND ($2::timestamptz IS NULL OR created_at < $2)"		\
	"  AND ($4::text IS NULL OR symbol = $4)),"			\
	" legs AS (SELECT t.id, t.symbol, t.created_at, t.quantity,"	\
	"  t.quote_quantity, t.maker_user_id AS uid, t.maker_fee AS fee,"	\
	"  t.maker_fee_asset AS fee_asset, false AS taker FROM t"	\
	"  UNION ALL SELECT t.id, t.symbol, t.created_at, t.quantity,"	\
	"  t.quote_quantity, t.taker_user_id, t.taker_fee,"		\
	"  t.taker_fee_asset, true FROM t),"				\
	" l AS (SELECT legs.*, to_char(date_trunc($3, legs.created_at"	\
	"  AT TIME ZONE 'UTC'), CASE $3 WHEN 'month' THEN 'YYYY-MM'"	\
	"  ELSE 'YYYY-MM-DD' END) AS period, m.base_asset, m.quote_asset,"	\
	"  m.quantity_precision AS qp, q.precision AS pp, b.precision AS bp"	\
	"  FROM legs JOIN markets m ON m.symbol = legs.symbol"		\
	"  JOIN assets q ON q.code = m.quote_asset"			\
	"  JOIN assets b ON b.code = m.base_asset)"
#define FEES \
	" round(coalesce(sum(fee) FILTER (WHERE fee_asset = base_asset), 0), bp)::text," \
	" base_asset," \
	" round(coalesce(sum(fee) FILTER (WHERE fee_asset = quote_asset), 0), pp)::text," \
	" quote_asset"

enum { ST_MARKET, ST_USER, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_MARKET] = { "report_trading_market",
	  LEGS " SELECT period, symbol, count(*) FILTER (WHERE taker),"
	  " round(coalesce(sum(quantity) FILTER (WHERE taker), 0), qp)::text,"
	  " round(coalesce(sum(quote_quantity) FILTER (WHERE taker), 0), pp)::text,"
	  FEES ", count(DISTINCT uid) FROM l"
	  " GROUP BY period, symbol, base_asset, quote_asset, qp, pp, bp"
	  " ORDER BY period, symbol", 4 },
	[ST_USER] = { "report_trading_user",
	  LEGS " SELECT period, symbol, count(*),"
	  " round(sum(quantity), qp)::text, round(sum(quote_quantity), pp)::text,"
	  FEES ", u.public_id, u.email FROM l JOIN users u ON u.id = l.uid"
	  " GROUP BY period, symbol, base_asset, quote_asset, qp, pp, bp,"
	  " u.public_id, u.email ORDER BY period, symbol, u.public_id", 4 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "reports statements");

enum err
report_trading(struct ctx *c, const struct report_query *in, PGresult **rows)
{
	const char *p[4] = { in->from, in->to, in->period, in->symbol };

	return db_query(c->db, c->arena, &stmts[in->by_user ? ST_USER :
	    ST_MARKET], p, rows);
}

/* Columns 0..8 are shared; 9 is unique traders or the user, 10 the e-mail. */
static const char *const market_keys[] = { "period", "symbol", "tradeCount",
    "volume", "quoteVolume", "feesBase", "baseAsset", "feesQuote",
    "quoteAsset", "uniqueTraders" };
static const char *const user_keys[] = { "period", "symbol", "tradeCount",
    "volume", "quoteVolume", "feesBase", "baseAsset", "feesQuote",
    "quoteAsset", "userId", "email" };

struct json_object *
report_trading_json(PGresult *res, int by_user)
{
	const char *const *keys = by_user ? user_keys : market_keys;
	size_t nk = by_user ? nitems(user_keys) : nitems(market_keys), k;
	struct json_object *a = json_object_new_array(), *o;
	int i, n = PQntuples(res);

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		for (k = 0; k < nk; k++) {
			const char *v = db_val(res, i, (int)k);

			if (k == 2 || (!by_user && k == 9))
				json_object_object_add(o, keys[k],
				    json_object_new_int64(strtoll(v, NULL, 10)));
			else
				json_object_object_add(o, keys[k],
				    json_str_or_null(v));
		}
		json_object_array_add(a, o);
	}
	return a;
}

void
report_trading_csv(struct buf *b, PGresult *res, int by_user)
{
	const char *const *keys = by_user ? user_keys : market_keys;
	size_t nk = by_user ? nitems(user_keys) : nitems(market_keys), k;
	const char *cells[nitems(user_keys)];
	int i, n = PQntuples(res);

	csv_row(b, keys, nk);
	for (i = 0; i < n; i++) {
		for (k = 0; k < nk; k++)
			cells[k] = db_val(res, i, (int)k);
		csv_row(b, cells, nk);
	}
}
