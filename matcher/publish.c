/* matcher/publish.c — the matcher's snapshots in memcached: each market's depth and ticker, for the public handlers */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/channels.h"
#include "core/decimal.h"
#include "core/mc.h"
#include "core/util.h"
#include "domain/markets.h"
#include "matcher/publish.h"

#define DEPTH_LEVELS	100
#define DAY_REFRESH_MS	1000

enum { ST_DAY, ST__COUNT };

const struct stmt publish_stmts[] = {
	[ST_DAY] = { "publish_day",
	  "SELECT (array_agg(open ORDER BY open_time))[1]::text,"
	  " max(high)::text, min(low)::text, coalesce(sum(volume), 0)::text,"
	  " coalesce(sum(quote_volume), 0)::text, coalesce(sum(trades), 0)"
	  " FROM klines WHERE symbol = $1 AND interval = '1m'"
	  " AND open_time > now() - interval '24 hours'", 1 },
};
_Static_assert(nitems(publish_stmts) == ST__COUNT, "publish statements");
const size_t publish_nstmts = nitems(publish_stmts);

static struct json_object *
dec_json(int64_t v, int scale)
{
	char b[DEC_BUFSZ];

	if (dec_format(v, scale, b, sizeof(b)) == -1)
		return NULL;
	return json_object_new_string(b);
}

static struct json_object *
levels_json(const struct market *m, const struct book_level *lv, size_t n)
{
	struct json_object *a = json_object_new_array(), *pair;
	size_t i;

	for (i = 0; i < n; i++) {
		pair = json_object_new_array();
		json_object_array_add(pair, dec_json(lv[i].price, m->price_scale));
		json_object_array_add(pair, dec_json(lv[i].qty, m->qty_scale));
		json_object_array_add(a, pair);
	}
	return a;
}

/* Refresh the 24-hour figures from the 1m candles, at most once a second. */
static void
day_refresh(struct db *db, struct arena *a, struct engine_market *mk,
    int64_t now_ms, int force)
{
	const struct market *m = &mk->m;
	const char *p[1] = { m->symbol };
	PGresult *res;

	if (!force && now_ms - mk->day.at_ms < DAY_REFRESH_MS)
		return;
	mk->day.at_ms = now_ms;
	if (db_query(db, a, &publish_stmts[ST_DAY], p, &res) != ERR_OK || PQntuples(res) != 1)
		return;
	if (market_numeric(db_val(res, 0, 0), m->price_scale, &mk->day.open) == -1 ||
	    market_numeric(db_val(res, 0, 1), m->price_scale, &mk->day.high) == -1 ||
	    market_numeric(db_val(res, 0, 2), m->price_scale, &mk->day.low) == -1 ||
	    market_numeric(db_val(res, 0, 3), m->qty_scale, &mk->day.volume) == -1 ||
	    market_numeric(db_val(res, 0, 4), m->quote_scale, &mk->day.quote_volume) == -1)
		memset(&mk->day, 0, sizeof(mk->day));
	mk->day.at_ms = now_ms;
	mk->day.trades = util_long(db_val(res, 0, 5), 0);
}

/*
 * A committed batch's trades into the 24-hour figures. A snapshot between
 * two refreshes had the figures of the last one, a trade behind or more,
 * and REST and the WebSocket served them until the market's next batch.
 * The next refresh, from the committed candles, replaces them (and lets
 * the minute that fell out of the 24 hours go).
 */
void
publish_day_add(struct engine *e)
{
	const struct trade_rec *t;
	struct engine_market *mk;
	size_t i;

	for (i = 0; i < e->ntrades; i++) {
		t = &e->trades[i];
		mk = &e->mk[t->mkt];
		if (mk->day.open == 0)
			mk->day.open = t->price;
		if (t->price > mk->day.high)
			mk->day.high = t->price;
		if (mk->day.low == 0 || t->price < mk->day.low)
			mk->day.low = t->price;
		mk->day.volume += t->qty;
		mk->day.quote_volume += t->quote;
		mk->day.trades++;
	}
}

/* The best level of a side, or nulls. */
static void
best_json(struct json_object *t, const struct engine_market *mk,
    enum book_side side, const char *price, const char *qty)
{
	const struct market *m = &mk->m;
	struct book_level best;

	if (book_best(mk->book, side, &best) != BOOK_OK) {
		json_object_object_add(t, price, NULL);
		json_object_object_add(t, qty, NULL);
		return;
	}
	json_object_object_add(t, price, dec_json(best.price, m->price_scale));
	json_object_object_add(t, qty, dec_json(best.qty, m->qty_scale));
}

static void
publish_one(struct db *db, struct arena *a, struct engine *e,
    struct engine_market *mk, int force)
{
	const struct market *m = &mk->m;
	struct book_level lv[DEPTH_LEVELS];
	struct json_object *o, *t;
	const char *s;
	char key[CHAN_MC_KEY_MAX];
	int64_t change;
	size_t n;

	o = json_object_new_object();
	json_object_object_add(o, "symbol", json_object_new_string(m->symbol));
	n = book_depth(mk->book, BOOK_BUY, lv, DEPTH_LEVELS);
	json_object_object_add(o, "bids", levels_json(m, lv, n));
	n = book_depth(mk->book, BOOK_SELL, lv, DEPTH_LEVELS);
	json_object_object_add(o, "asks", levels_json(m, lv, n));
	json_object_object_add(o, "lastUpdateId",
	    json_object_new_int64(mk->last_seq));
	json_object_object_add(o, "timestamp", json_object_new_int64(e->now_ms));
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	snprintf(key, sizeof(key), "%s%s", CHAN_MC_DEPTH, m->symbol);
	(void)mc_set(key, s, strlen(s), 0);
	json_object_put(o);

	day_refresh(db, a, mk, e->now_ms, force);
	t = json_object_new_object();
	json_object_object_add(t, "symbol", json_object_new_string(m->symbol));
	json_object_object_add(t, "lastPrice", mk->last_price > 0 ?
	    dec_json(mk->last_price, m->price_scale) : NULL);
	best_json(t, mk, BOOK_BUY, "bidPrice", "bidQty");
	best_json(t, mk, BOOK_SELL, "askPrice", "askQty");
	json_object_object_add(t, "openPrice24h", mk->day.open > 0 ?
	    dec_json(mk->day.open, m->price_scale) : NULL);
	json_object_object_add(t, "high24h", mk->day.high > 0 ?
	    dec_json(mk->day.high, m->price_scale) : NULL);
	json_object_object_add(t, "low24h", mk->day.low > 0 ?
	    dec_json(mk->day.low, m->price_scale) : NULL);
	/* Spec Appendix C: volume24h is in the quote asset. */
	json_object_object_add(t, "volume24h",
	    dec_json(mk->day.quote_volume, m->quote_scale));
	json_object_object_add(t, "baseVolume24h",
	    dec_json(mk->day.volume, m->qty_scale));
	json_object_object_add(t, "trades24h", json_object_new_int64(mk->day.trades));
	if (trade_change_pct(mk->last_price, mk->day.open, m->price_scale,
	    &change) == 0)
		json_object_object_add(t, "priceChange24h", dec_json(change, 2));
	else
		json_object_object_add(t, "priceChange24h",
		    json_object_new_string("0.00"));
	json_object_object_add(t, "timestamp", json_object_new_int64(e->now_ms));
	s = json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN);
	snprintf(key, sizeof(key), "%s%s", CHAN_MC_TICKER, m->symbol);
	(void)mc_set(key, s, strlen(s), 0);
	json_object_put(t);
}

void
publish_markets(struct db *db, struct arena *a, struct engine *e, int force)
{
	size_t i;

	for (i = 0; i < e->nmk; i++)
		if (force || e->mk[i].unpublished) {
			publish_one(db, a, e, &e->mk[i], force);
			e->mk[i].unpublished = 0;
		}
}
