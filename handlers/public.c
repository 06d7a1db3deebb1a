/* handlers/public.c — /api/v1/public/... and /api/v1/markets: market data anyone may read */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"
#include "core/channels.h"
#include "core/decimal.h"
#include "core/input.h"
#include "core/mc.h"
#include "domain/kline_iv.h"
#include "domain/markets.h"

enum {
	ST_MARKETS_ALL, ST_MARKETS_ACTIVE, ST_MARKET, ST_DEPTH, ST_TICKER,
	ST_TRADES, ST_KLINES_FROM, ST_KLINES_LATEST, ST_SNAPSHOT_TXN, ST_DEPTH_SEQ,
	ST__COUNT
};

static const struct stmt stmts[] = {
#define MARKET_LIST_COLUMNS \
	"SELECT m.symbol, m.base_asset, m.quote_asset, m.status," \
	" m.price_precision, m.quantity_precision," \
	" round(m.min_quantity, m.quantity_precision)::text," \
	" round(m.min_notional, q.precision)::text," \
	" trim_scale(m.maker_fee)::text, trim_scale(m.taker_fee)::text" \
	" FROM markets m JOIN assets q ON q.code = m.quote_asset"
	[ST_MARKETS_ALL] = { "public_markets_all",
	  MARKET_LIST_COLUMNS " ORDER BY m.symbol", 0 },
	[ST_MARKETS_ACTIVE] = { "public_markets_active", MARKET_LIST_COLUMNS
	    " WHERE m.status = 'ACTIVE' ORDER BY m.symbol", 0 },
#undef MARKET_LIST_COLUMNS
	[ST_MARKET] = { "public_market",
	  "SELECT m.symbol FROM markets m WHERE m.symbol = $1", 1 },
	/* The book from committed open orders, when no fresh snapshot exists. */
	[ST_DEPTH] = { "public_depth",
	  "SELECT round(o.price, m.price_precision)::text,"
	  " round(sum(o.quantity - o.executed_quantity), m.quantity_precision)::text"
	  " FROM orders o JOIN markets m ON m.symbol = o.symbol"
	  " WHERE o.symbol = $1 AND o.side = $2"
	  " AND o.status IN ('NEW', 'PARTIALLY_FILLED') AND o.book_seq IS NOT NULL"
	  " AND (o.stop_price IS NULL OR o.triggered_at IS NOT NULL)"
	  " GROUP BY o.price, m.price_precision, m.quantity_precision"
	  " ORDER BY CASE WHEN $2 = 'BUY' THEN -o.price ELSE o.price END"
	  " LIMIT $3", 3 },
	[ST_TICKER] = { "public_ticker",
	  "WITH m AS (SELECT m.symbol, m.price_precision AS pp,"
	  "  m.quantity_precision AS qp, q.precision AS qs FROM markets m"
	  "  JOIN assets q ON q.code = m.quote_asset WHERE m.symbol = $1),"
	  " open_orders AS (SELECT side, price, quantity - executed_quantity AS rem"
	  "  FROM orders WHERE symbol = $1 AND book_seq IS NOT NULL"
	  "  AND (stop_price IS NULL OR triggered_at IS NOT NULL)"
	  "  AND status IN ('NEW', 'PARTIALLY_FILLED')),"
	  " bid AS (SELECT price, sum(rem) AS qty FROM open_orders WHERE side = 'BUY'"
	  "  GROUP BY price ORDER BY price DESC LIMIT 1),"
	  " ask AS (SELECT price, sum(rem) AS qty FROM open_orders WHERE side = 'SELL'"
	  "  GROUP BY price ORDER BY price LIMIT 1),"
	  " day AS (SELECT (array_agg(open ORDER BY open_time))[1] AS o,"
	  "  max(high) AS h, min(low) AS l, sum(volume) AS v,"
	  "  sum(quote_volume) AS qv, sum(trades) AS n FROM klines"
	  "  WHERE symbol = $1 AND interval = '1m'"
	  "  AND open_time > now() - interval '24 hours')"
	  " SELECT m.symbol, round(s.last_price, m.pp)::text,"
	  " round(bid.price, m.pp)::text, round(bid.qty, m.qp)::text,"
	  " round(ask.price, m.pp)::text, round(ask.qty, m.qp)::text,"
	  " round(day.o, m.pp)::text, round(day.h, m.pp)::text,"
	  " round(day.l, m.pp)::text, round(coalesce(day.qv, 0), m.qs)::text,"
	  " round(coalesce(day.v, 0), m.qp)::text, coalesce(day.n, 0), m.pp"
	  " FROM m JOIN matcher_state s ON s.symbol = m.symbol"
	  " LEFT JOIN bid ON true LEFT JOIN ask ON true LEFT JOIN day ON true", 1 },
	[ST_TRADES] = { "public_trades",
	  "SELECT t.public_id, round(t.price, m.price_precision)::text,"
	  " round(t.quantity, m.quantity_precision)::text,"
	  " round(t.quote_quantity, q.precision)::text,"
	  " CASE t.maker_side WHEN 'BUY' THEN 'SELL' ELSE 'BUY' END,"
	  " " DB_ISO("t.created_at") ","
	  " floor(extract(epoch FROM t.created_at) * 1000)::bigint"
	  " FROM trades t JOIN markets m ON m.symbol = t.symbol"
	  " JOIN assets q ON q.code = m.quote_asset"
	  " WHERE t.symbol = $1 ORDER BY t.id DESC LIMIT $2", 2 },
#define KLINE_COLUMNS \
	"SELECT floor(extract(epoch FROM k.open_time) * 1000)::bigint," \
	" round(k.open, m.price_precision)::text, round(k.high, m.price_precision)::text," \
	" round(k.low, m.price_precision)::text, round(k.close, m.price_precision)::text," \
	" round(k.volume, m.quantity_precision)::text," \
	" round(k.quote_volume, q.precision)::text, k.trades" \
	" FROM klines k JOIN markets m ON m.symbol = k.symbol" \
	" JOIN assets q ON q.code = m.quote_asset" \
	" WHERE k.symbol = $1 AND k.interval = $2" \
	" AND k.open_time >= 'epoch'::timestamptz + $3::bigint * interval '1 millisecond'" \
	" AND k.open_time <= 'epoch'::timestamptz + $4::bigint * interval '1 millisecond'"
	/* From startTime forward, or the latest ones: oldest first either way. */
	[ST_KLINES_FROM] = { "public_klines_from",
	  KLINE_COLUMNS " ORDER BY k.open_time LIMIT $5", 5 },
	[ST_KLINES_LATEST] = { "public_klines_latest",
	  "SELECT * FROM (" KLINE_COLUMNS
	  " ORDER BY k.open_time DESC LIMIT $5) x ORDER BY 1", 5 },
#undef KLINE_COLUMNS
	/*
	 * The database's book and the update id it stands at (the matcher
	 * commits both in one transaction), read in one snapshot: so the
	 * lastUpdateId chains with the streamer's updates as the live one does.
	 */
	[ST_SNAPSHOT_TXN] = { "public_snapshot_txn",
	  "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", 0 },
	[ST_DEPTH_SEQ] = { "public_depth_seq",
	  "SELECT last_seq FROM matcher_state WHERE symbol = $1", 1 },
};

_Static_assert(nitems(stmts) == ST__COUNT, "public statements");

/* A snapshot older than this means the matcher is not publishing. */
#define SNAPSHOT_MAX_AGE_MS	15000
#define DEPTH_DEFAULT		20
#define DEPTH_MAX		100
#define TRADES_DEFAULT		50
#define TRADES_MAX		500
#define KLINES_DEFAULT		500
#define KLINES_MAX		1000

static int
time_get(struct req *r, struct resp *w)
{
	struct json_object *o = json_object_new_object();
	char iso[ISO_TIME_LEN + 1];

	util_iso_time(&r->now, iso);
	json_object_object_add(o, "serverTime", json_object_new_int64(
	    (int64_t)r->now.tv_sec * 1000 + r->now.tv_nsec / 1000000));
	json_object_object_add(o, "iso", json_object_new_string(iso));
	return resp_ok(w, 200, o);
}

static struct json_object *
market_json(PGresult *res, int i)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "symbol",
	    json_object_new_string(db_val(res, i, 0)));
	json_object_object_add(m, "baseAsset",
	    json_object_new_string(db_val(res, i, 1)));
	json_object_object_add(m, "quoteAsset",
	    json_object_new_string(db_val(res, i, 2)));
	json_object_object_add(m, "status",
	    json_object_new_string(db_val(res, i, 3)));
	json_object_object_add(m, "pricePrecision",
	    json_object_new_int((int)util_long(db_val(res, i, 4), 0)));
	json_object_object_add(m, "quantityPrecision",
	    json_object_new_int((int)util_long(db_val(res, i, 5), 0)));
	json_object_object_add(m, "minQuantity",
	    json_object_new_string(db_val(res, i, 6)));
	json_object_object_add(m, "minNotional",
	    json_object_new_string(db_val(res, i, 7)));
	json_object_object_add(m, "makerFee",
	    json_object_new_string(db_val(res, i, 8)));
	json_object_object_add(m, "takerFee",
	    json_object_new_string(db_val(res, i, 9)));
	return m;
}

static int
markets_send(struct req *r, struct resp *w, const struct stmt *s)
{
	struct json_object *list;
	PGresult *res;
	enum err rc;
	int i;

	if ((rc = db_query(r->db, r->arena, s, NULL, &res)) != ERR_OK)
		return resp_error(w, rc, NULL);
	list = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(list, market_json(res, i));
	return resp_ok(w, 200, list);
}

/* Every market, whatever its status (spec §3.6). */
static int
markets_all(struct req *r, struct resp *w)
{
	return markets_send(r, w, &stmts[ST_MARKETS_ALL]);
}

/* The markets open for trading (spec §3.3). */
static int
markets_active(struct req *r, struct resp *w)
{
	return markets_send(r, w, &stmts[ST_MARKETS_ACTIVE]);
}

/* A non-negative integer query parameter in [min, max], or dflt if absent. */
static int
query_int(struct req *r, struct resp *w, const char *name, long long min,
    long long max, long long dflt, long long *out)
{
	const char *v = req_query(r, name);
	struct in_err ie;
	char *end;
	long long n;

	*out = dflt;
	if (v == NULL)
		return 0;
	n = strtoll(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || n < min || n > max) {
		ie.field = name;
		ie.reason = arena_printf(r->arena,
		    "must be an integer from %lld to %lld", min, max);
		resp_invalid(w, &ie);
		return -1;
	}
	*out = n;
	return 0;
}

/* The {symbol} of the path if it is spelt like one, else TRADE_005. */
static const char *
symbol_param(struct req *r, struct resp *w)
{
	const char *sym = req_param(r, "symbol");

	if (sym == NULL || strlen(sym) > 20 || strspn(sym,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(sym)) {
		resp_error(w, ERR_TRADE_005, NULL);
		return NULL;
	}
	return sym;
}

/*
 * The {symbol} of the path, known to the markets table, else TRADE_005.
 * The snapshot paths skip the lookup: only the matcher publishes, and
 * only for markets it has.
 */
static const char *
symbol_get(struct req *r, struct resp *w)
{
	const char *sym, *p[1];
	PGresult *res;
	enum err e;

	if ((sym = symbol_param(r, w)) == NULL)
		return NULL;
	p[0] = sym;
	if ((e = db_query(r->db, r->arena, &stmts[ST_MARKET], p, &res)) != ERR_OK) {
		resp_error(w, e, NULL);
		return NULL;
	}
	if (PQntuples(res) != 1) {
		resp_error(w, ERR_TRADE_005, NULL);
		return NULL;
	}
	return sym;
}

/*
 * The matcher's snapshot in memcached, if there is one and it is fresh;
 * NULL sends the caller to PostgreSQL (memcached restarted, the matcher
 * is down or has not published yet): slower, never wrong.
 */
static struct json_object *
snapshot(struct req *r, const char *prefix, const char *sym)
{
	struct json_object *o, *ts;
	char key[CHAN_MC_KEY_MAX], *v;
	size_t len;
	int64_t now = (int64_t)r->now.tv_sec * 1000 + r->now.tv_nsec / 1000000;

	snprintf(key, sizeof(key), "%s%s", prefix, sym);
	if ((v = mc_get(r->arena, key, &len)) == NULL)
		return NULL;
	if ((o = json_own(r->arena, json_tokener_parse(v))) == NULL)
		return NULL;
	if (!json_object_object_get_ex(o, "timestamp", &ts) ||
	    now - json_object_get_int64(ts) > SNAPSHOT_MAX_AGE_MS)
		return NULL;
	return o;
}

/*
 * priceChange24h from the last and the 24-hour open price (text at the
 * price precision pp): the rule of the matcher's snapshot,
 * trade_change_pct(), so both sources agree to the last digit.
 */
static struct json_object *
change_json(const char *last, const char *open, const char *pp)
{
	int scale = (int)util_long(pp, -1);
	int64_t l, o, pct;
	char b[DEC_BUFSZ];

	if (scale < 0 || market_numeric(last, scale, &l) == -1 ||
	    market_numeric(open, scale, &o) == -1 ||
	    trade_change_pct(l, o, scale, &pct) == -1 ||
	    dec_format(pct, 2, b, sizeof(b)) == -1)
		return json_object_new_string("0.00");
	return json_object_new_string(b);
}

static int
ticker_get(struct req *r, struct resp *w)
{
	static const char *const names[] = { "symbol", "lastPrice", "bidPrice",
	    "bidQty", "askPrice", "askQty", "openPrice24h", "high24h", "low24h",
	    "volume24h", "baseVolume24h" };
	struct json_object *o;
	const char *sym, *p[1];
	PGresult *res;
	enum err e;
	size_t i;

	if ((sym = symbol_param(r, w)) == NULL)
		return 0;
	if ((o = snapshot(r, CHAN_MC_TICKER, sym)) != NULL) {
		json_object_object_add(o, "source", json_object_new_string("live"));
		return resp_ok(w, 200, json_object_get(o));
	}
	p[0] = sym;
	if ((e = db_query(r->db, r->arena, &stmts[ST_TICKER], p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	if (PQntuples(res) != 1)
		return resp_error(w, ERR_TRADE_005, NULL);
	o = json_object_new_object();
	for (i = 0; i < nitems(names); i++)
		json_object_object_add(o, names[i], json_str_or_null(db_val(res, 0, (int)i)));
	json_object_object_add(o, "trades24h",
	    json_object_new_int64(strtoll(db_val(res, 0, 11), NULL, 10)));
	json_object_object_add(o, "priceChange24h", change_json(db_val(res, 0, 1),
	    db_val(res, 0, 6), db_val(res, 0, 12)));
	json_object_object_add(o, "timestamp", json_object_new_int64(
	    (int64_t)r->now.tv_sec * 1000 + r->now.tv_nsec / 1000000));
	json_object_object_add(o, "source", json_object_new_string("database"));
	return resp_ok(w, 200, o);
}

static struct json_object *
depth_side(struct req *r, const char *sym, const char *side, long long depth,
    enum err *e)
{
	char lim[24];
	const char *p[3] = { sym, side, lim };
	struct json_object *a, *pair;
	PGresult *res;
	int i;

	snprintf(lim, sizeof(lim), "%lld", depth);
	if ((*e = db_query(r->db, r->arena, &stmts[ST_DEPTH], p, &res)) != ERR_OK)
		return NULL;
	a = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		pair = json_object_new_array();
		json_object_array_add(pair, json_object_new_string(db_val(res, i, 0)));
		json_object_array_add(pair, json_object_new_string(db_val(res, i, 1)));
		json_object_array_add(a, pair);
	}
	return a;
}

/* The snapshot holds the top levels: cut each side to depth. */
static void
depth_trim(struct json_object *o, const char *side, long long depth)
{
	struct json_object *a, *t;
	size_t i, n;

	if (!json_object_object_get_ex(o, side, &a) ||
	    !json_object_is_type(a, json_type_array))
		return;
	n = json_object_array_length(a);
	if ((long long)n <= depth)
		return;
	t = json_object_new_array();
	for (i = 0; i < (size_t)depth; i++)
		json_object_array_add(t, json_object_get(json_object_array_get_idx(a, i)));
	json_object_object_add(o, side, t);
}

static int
orderbook_get(struct req *r, struct resp *w)
{
	struct json_object *o, *bids = NULL, *asks = NULL;
	const char *p[1];
	long long depth;
	const char *sym, *depth_name = "depth";
	PGresult *res;
	enum err e;

	/* limit: the name other exchanges' depth endpoints take; depth wins. */
	if (req_query(r, "depth") == NULL && req_query(r, "limit") != NULL)
		depth_name = "limit";
	if ((sym = symbol_param(r, w)) == NULL ||
	    query_int(r, w, depth_name, 1, DEPTH_MAX, DEPTH_DEFAULT,
	    &depth) == -1)
		return 0;
	/*
	 * The snapshot holds DEPTH_MAX levels a side (matcher/publish.c), so
	 * one with fewer is the whole book: it serves any depth.
	 */
	if ((o = snapshot(r, CHAN_MC_DEPTH, sym)) != NULL) {
		depth_trim(o, "bids", depth);
		depth_trim(o, "asks", depth);
		json_object_object_add(o, "source", json_object_new_string("live"));
		return resp_ok(w, 200, json_object_get(o));
	}
	if (symbol_get(r, w) == NULL)
		return 0;
	p[0] = sym;
	if ((e = db_begin(r->db)) != ERR_OK ||
	    (e = db_query(r->db, r->arena, &stmts[ST_SNAPSHOT_TXN], NULL, &res)) != ERR_OK ||
	    (bids = depth_side(r, sym, "BUY", depth, &e)) == NULL ||
	    (asks = depth_side(r, sym, "SELL", depth, &e)) == NULL ||
	    (e = db_query(r->db, r->arena, &stmts[ST_DEPTH_SEQ], p, &res)) != ERR_OK) {
		db_rollback(r->db);
		json_object_put(bids);
		json_object_put(asks);
		return resp_error(w, e, NULL);
	}
	db_rollback(r->db);
	o = json_object_new_object();
	json_object_object_add(o, "symbol", json_object_new_string(sym));
	json_object_object_add(o, "bids", bids);
	json_object_object_add(o, "asks", asks);
	if (PQntuples(res) == 1)
		json_object_object_add(o, "lastUpdateId",
		    json_object_new_int64(strtoll(db_val(res, 0, 0), NULL, 10)));
	json_object_object_add(o, "timestamp", json_object_new_int64(
	    (int64_t)r->now.tv_sec * 1000 + r->now.tv_nsec / 1000000));
	json_object_object_add(o, "source", json_object_new_string("database"));
	return resp_ok(w, 200, o);
}

static int
trades_get(struct req *r, struct resp *w)
{
	struct json_object *a, *t;
	long long limit;
	char lim[24];
	const char *sym, *p[2];
	PGresult *res;
	enum err e;
	int i;

	if ((sym = symbol_get(r, w)) == NULL ||
	    query_int(r, w, "limit", 1, TRADES_MAX, TRADES_DEFAULT, &limit) == -1)
		return 0;
	snprintf(lim, sizeof(lim), "%lld", limit);
	p[0] = sym;
	p[1] = lim;
	if ((e = db_query(r->db, r->arena, &stmts[ST_TRADES], p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	a = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		t = json_object_new_object();
		json_object_object_add(t, "tradeId", json_object_new_string(db_val(res, i, 0)));
		json_object_object_add(t, "symbol", json_object_new_string(sym));
		json_object_object_add(t, "price", json_object_new_string(db_val(res, i, 1)));
		json_object_object_add(t, "quantity", json_object_new_string(db_val(res, i, 2)));
		json_object_object_add(t, "quoteQuantity", json_object_new_string(db_val(res, i, 3)));
		json_object_object_add(t, "takerSide", json_object_new_string(db_val(res, i, 4)));
		/* Appendix C's trade field, the taker's side (as the WebSocket's). */
		json_object_object_add(t, "side", json_object_new_string(db_val(res, i, 4)));
		json_object_object_add(t, "timestamp", json_object_new_string(db_val(res, i, 5)));
		json_object_object_add(t, "time",
		    json_object_new_int64(strtoll(db_val(res, i, 6), NULL, 10)));
		json_object_array_add(a, t);
	}
	return resp_ok(w, 200, a);
}

static int
klines_get(struct req *r, struct resp *w)
{
	const char *sym, *iv = req_query(r, "interval"), *p[5];
	char s1[24], s2[24], s3[24];
	long long start, end, limit, ms;
	struct json_object *a, *k;
	struct in_err ie;
	PGresult *res;
	enum err e;
	int j;

	if ((sym = symbol_get(r, w)) == NULL)
		return 0;
	if (iv == NULL)
		iv = "1m";
	if ((j = kline_iv_find(iv)) == -1) {
		ie.field = "interval";
		ie.reason = "one of 1m, 5m, 15m, 1h, 4h, 1d";
		return resp_invalid(w, &ie);
	}
	ms = kline_seconds[j] * 1000;
	if (query_int(r, w, "startTime", 0, 253402300799999LL, -1, &start) == -1 ||
	    query_int(r, w, "endTime", 0, 253402300799999LL, 253402300799999LL,
	    &end) == -1 ||
	    query_int(r, w, "limit", 1, KLINES_MAX, KLINES_DEFAULT, &limit) == -1)
		return 0;
	if (start > end) {
		ie.field = "startTime";
		ie.reason = "must not be after endTime";
		return resp_invalid(w, &ie);
	}
	snprintf(s1, sizeof(s1), "%lld", start < 0 ? 0 : start);
	snprintf(s2, sizeof(s2), "%lld", end);
	snprintf(s3, sizeof(s3), "%lld", limit);
	p[0] = sym;
	p[1] = iv;
	p[2] = s1;
	p[3] = s2;
	p[4] = s3;
	if ((e = db_query(r->db, r->arena, &stmts[start >= 0 ? ST_KLINES_FROM :
	    ST_KLINES_LATEST], p, &res)) != ERR_OK)
		return resp_error(w, e, NULL);
	a = json_object_new_array();
	for (j = 0; j < PQntuples(res); j++) {
		long long open = strtoll(db_val(res, j, 0), NULL, 10);

		k = json_object_new_object();
		json_object_object_add(k, "openTime", json_object_new_int64(open));
		json_object_object_add(k, "closeTime", json_object_new_int64(open + ms - 1));
		json_object_object_add(k, "open", json_object_new_string(db_val(res, j, 1)));
		json_object_object_add(k, "high", json_object_new_string(db_val(res, j, 2)));
		json_object_object_add(k, "low", json_object_new_string(db_val(res, j, 3)));
		json_object_object_add(k, "close", json_object_new_string(db_val(res, j, 4)));
		json_object_object_add(k, "volume", json_object_new_string(db_val(res, j, 5)));
		json_object_object_add(k, "quoteVolume", json_object_new_string(db_val(res, j, 6)));
		json_object_object_add(k, "trades",
		    json_object_new_int64(strtoll(db_val(res, j, 7), NULL, 10)));
		json_object_array_add(a, k);
	}
	return resp_ok(w, 200, a);
}

static const struct route routes[] = {
	{ "GET", "/api/v1/public/time",    time_get,       AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/public/markets", markets_all,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/markets",        markets_active, AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/public/ticker/{symbol}",    ticker_get,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/public/orderbook/{symbol}", orderbook_get, AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/public/trades/{symbol}",    trades_get,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/public/klines/{symbol}",    klines_get,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/markets/{symbol}/ticker",    ticker_get,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/markets/{symbol}/orderbook", orderbook_get, AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
	{ "GET", "/api/v1/markets/{symbol}/trades",    trades_get,    AUTH_NONE, SCOPE_NONE, RL_PUBLIC },
};

int
main(void)
{
	static const struct app app = {
		.name = "public",
		.routes = routes, .nroutes = nitems(routes),
	};

	return app_run(&app);
}
