/* streamer/market.c — public channels: the markets, their trades, candles and tickers (their books: book.c) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/log.h"
#include "core/mc.h"
#include "core/util.h"
#include "streamer/streamer.h"

#define TICKER_WAIT_MS	2000	/* a ticker snapshot is waited for this long */

enum { ST_MARKETS, ST_KLINE, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_MARKETS] = { "streamer_markets",
	  "SELECT symbol FROM markets ORDER BY symbol", 0 },
	[ST_KLINE] = { "streamer_kline",
	  "SELECT round(k.open, m.price_precision)::text,"
	  " round(k.high, m.price_precision)::text,"
	  " round(k.low, m.price_precision)::text,"
	  " round(k.close, m.price_precision)::text,"
	  " round(k.volume, m.quantity_precision)::text,"
	  " round(k.quote_volume, q.precision)::text, k.trades"
	  " FROM klines k JOIN markets m ON m.symbol = k.symbol"
	  " JOIN assets q ON q.code = m.quote_asset"
	  " WHERE k.symbol = $1 AND k.interval = $2 AND k.open_time ="
	  " 'epoch'::timestamptz + $3::bigint * interval '1 millisecond'", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "market statements");

struct market *
market_find(struct streamer *sm, const char *symbol)
{
	size_t i;

	for (i = 0; i < sm->nmk; i++)
		if (strcmp(sm->mk[i].symbol, symbol) == 0)
			return &sm->mk[i];
	return NULL;
}

int
markets_load(struct streamer *sm)
{
	PGresult *res;
	int i, n;

	arena_reset(sm->arena);
	if (db_query(sm->db, sm->arena, &stmts[ST_MARKETS], NULL, &res) != ERR_OK)
		return -1;
	n = PQntuples(res);
	if ((sm->mk = calloc((size_t)n + 1, sizeof(*sm->mk))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		snprintf(sm->mk[i].symbol, sizeof(sm->mk[i].symbol), "%s",
		    db_val(res, i, 0));
	sm->nmk = (size_t)n;
	return 0;
}

static int
has_subscribers(struct market *mk, enum proto_channel ch, int iv)
{
	return mk->topics[ch == PC_KLINE ? PC_KLINE + iv : (int)ch].n > 0;
}
/* ---- trades, candles, tickers ---------------------------------------------- */

static void
trade_line(struct market *mk, struct proto_line *l, int64_t ts)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "{\"channel\":\"trade\",\"event\":\"trade\","
	    "\"symbol\":\"%s\","
	    "\"data\":{\"tradeId\":\"%s\",\"price\":\"%s\",\"quantity\":\"%s\","
	    "\"quoteQuantity\":\"%s\",\"side\":\"%s\",\"timestamp\":%lld}}",
	    mk->symbol, l->tok[1], l->tok[2], l->tok[3], l->tok[4], l->tok[5],
	    (long long)ts);
	topic_send(&mk->topics[PC_TRADE], buf);
}

/* a + b, both amounts of the same scale as the feed writes them. */
static void
amount_add(const char *a, const char *b, char *out)
{
	const char *dot = strchr(a, '.');
	int scale = dot != NULL ? (int)strlen(dot + 1) : 0;
	int64_t x, y, z;

	if (dec_parse(a, strlen(a), scale, &x) != DEC_OK ||
	    dec_parse(b, strlen(b), scale, &y) != DEC_OK ||
	    dec_add(x, y, &z) != DEC_OK ||
	    dec_format(z, scale, out, AMOUNT_MAX) == -1)
		snprintf(out, AMOUNT_MAX, "%s", b);
}

/* The candle as committed, when we did not follow it from its start. */
static int
candle_load(struct streamer *sm, struct market *mk, int iv, int64_t open_ms,
    struct candle *k)
{
	char ms[24];
	const char *p[3] = { mk->symbol, kline_names[iv], ms };
	PGresult *res;

	snprintf(ms, sizeof(ms), "%lld", (long long)open_ms);
	arena_reset(sm->arena);
	if (db_query(sm->db, sm->arena, &stmts[ST_KLINE], p, &res) != ERR_OK ||
	    PQntuples(res) != 1)
		return -1;
	snprintf(k->o, AMOUNT_MAX, "%s", db_val(res, 0, 0));
	snprintf(k->h, AMOUNT_MAX, "%s", db_val(res, 0, 1));
	snprintf(k->l, AMOUNT_MAX, "%s", db_val(res, 0, 2));
	snprintf(k->c, AMOUNT_MAX, "%s", db_val(res, 0, 3));
	snprintf(k->v, AMOUNT_MAX, "%s", db_val(res, 0, 4));
	snprintf(k->qv, AMOUNT_MAX, "%s", db_val(res, 0, 5));
	k->n = strtoll(db_val(res, 0, 6), NULL, 10);
	k->open_ms = open_ms;
	k->have = 1;
	return 0;
}

/* Spec Appendix C: closeTime is the candle's last millisecond. */
static void
kline_send(struct streamer *sm, struct market *mk, size_t iv)
{
	struct candle *k = &mk->k[iv];
	char buf[800];

	snprintf(buf, sizeof(buf), "{\"channel\":\"kline\",\"event\":\"kline\","
	    "\"symbol\":\"%s\",\"interval\":\"%s\",\"data\":{\"openTime\":%lld,"
	    "\"closeTime\":%lld,\"open\":\"%s\",\"high\":\"%s\",\"low\":\"%s\","
	    "\"close\":\"%s\",\"volume\":\"%s\",\"quoteVolume\":\"%s\","
	    "\"trades\":%lld}}", mk->symbol, kline_names[iv],
	    (long long)k->open_ms,
	    (long long)(k->open_ms + kline_seconds[iv] * 1000 - 1), k->o, k->h,
	    k->l, k->c, k->v, k->qv, (long long)k->n);
	topic_send(&mk->topics[PC_KLINE + iv], buf);
	k->dirty = 0;
	k->sent_ms = sm->now_ms;
}

/*
 * tokens: sym iv open o h l c v qv n — one batch's part of the candle.
 * A candle's update goes out at most every ws_kline_interval_ms (the
 * tick sends what waits); a candle that closes with an update waiting
 * sends it before the next one starts, so its final state is never lost.
 */
static void
kline_line(struct streamer *sm, struct market *mk, struct proto_line *l)
{
	struct candle *k;
	int64_t open_ms = strtoll(l->tok[2], NULL, 10);
	int iv;

	if ((iv = kline_iv_find(l->tok[1])) == -1)
		return;
	k = &mk->k[iv];
	if (!has_subscribers(mk, PC_KLINE, iv)) {
		k->have = 0;	/* followed again from the database when wanted */
		k->dirty = 0;
		return;
	}
	if (k->have && k->open_ms != open_ms && k->dirty)
		kline_send(sm, mk, iv);
	if (!k->have || k->open_ms != open_ms) {
		if (candle_load(sm, mk, iv, open_ms, k) == -1)
			return;
	} else {
		if (proto_amount_cmp(l->tok[4], k->h) > 0)
			snprintf(k->h, AMOUNT_MAX, "%s", l->tok[4]);
		if (proto_amount_cmp(l->tok[5], k->l) < 0)
			snprintf(k->l, AMOUNT_MAX, "%s", l->tok[5]);
		snprintf(k->c, AMOUNT_MAX, "%s", l->tok[6]);
		amount_add(k->v, l->tok[7], k->v);
		amount_add(k->qv, l->tok[8], k->qv);
		k->n += strtoll(l->tok[9], NULL, 10);
	}
	k->dirty = 1;
	if (sm->now_ms - k->sent_ms >= sm->kline_ms)
		kline_send(sm, mk, iv);
}

/* Candle updates held back by ws_kline_interval_ms, once it has passed. */
static void
klines_due(struct streamer *sm, struct market *mk)
{
	size_t iv;

	for (iv = 0; iv < KLINE_INTERVALS; iv++)
		if (mk->k[iv].dirty && mk->k[iv].have &&
		    sm->now_ms - mk->k[iv].sent_ms >= sm->kline_ms)
			kline_send(sm, mk, iv);
}

void
market_line(struct streamer *sm, struct proto_line *l, int64_t ts)
{
	struct market *mk = market_find(sm, l->tok[0]);

	if (mk == NULL)
		return;
	/*
	 * A trade or a book change moves the ticker: the matcher publishes
	 * the snapshot of the batch (stamped with the batch's time, ts, or
	 * later) just after it wrote the feed.
	 */
	if (l->kind == 'T' || l->kind == 'D') {
		if (!mk->ticker_dirty)
			mk->dirty_ms = sm->now_ms;
		mk->ticker_dirty = 1;
		if (ts > mk->ticker_want)
			mk->ticker_want = ts;
	}
	switch (l->kind) {
	case 'T':
		trade_line(mk, l, ts);
		break;
	case 'D':
		book_line(sm, mk, l);
		break;
	case 'K':
		kline_line(sm, mk, l);
		break;
	}
}

/* The matcher's ticker snapshot, with the spec's priceChange; NULL if none. */
static char *
ticker_text(struct streamer *sm, struct market *mk, int64_t *ts)
{
	struct json_object *t, *o, *v;
	char key[CHAN_MC_KEY_MAX], *text, *out;
	size_t len;

	snprintf(key, sizeof(key), "%s%s", CHAN_MC_TICKER, mk->symbol);
	arena_reset(sm->arena);
	if ((text = mc_get(sm->arena, key, &len)) == NULL ||
	    (t = json_tokener_parse(text)) == NULL)
		return NULL;
	*ts = json_object_object_get_ex(t, "timestamp", &v) ?
	    json_object_get_int64(v) : 0;
	if (json_object_object_get_ex(t, "priceChange24h", &v))
		json_object_object_add(t, "priceChange", json_object_get(v));
	o = json_object_new_object();
	json_object_object_add(o, "channel", json_object_new_string("ticker"));
	json_object_object_add(o, "event", json_object_new_string("ticker"));
	json_object_object_add(o, "symbol", json_object_new_string(mk->symbol));
	json_object_object_add(o, "data", t);
	out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return out;
}

void
market_ticker_now(struct streamer *sm, struct conn *c, struct market *mk)
{
	int64_t ts;
	char *text;

	if ((text = ticker_text(sm, mk, &ts)) != NULL)
		conn_send_text(c, text);
	free(text);
}

/*
 * A changed market's ticker: the matcher writes the snapshot after the
 * batch the feed told of, so it is read until it is of that batch or a
 * later one (or TICKER_WAIT_MS passed), at most every
 * ws_ticker_interval_ms. One that is newer than the last sent but older
 * than the batch is not sent: the batch's own would never follow it.
 */
static void
ticker_due(struct streamer *sm, struct market *mk)
{
	int64_t ts;
	char *text;

	if (!mk->ticker_dirty ||
	    sm->now_ms - mk->ticker_sent_ms < sm->ticker_ms)
		return;
	if (!has_subscribers(mk, PC_TICKER, 0)) {
		mk->ticker_dirty = 0;
		return;
	}
	if ((text = ticker_text(sm, mk, &ts)) != NULL && ts > mk->ticker_ts &&
	    ts >= mk->ticker_want) {
		topic_send(&mk->topics[PC_TICKER], text);
		mk->ticker_ts = ts;
		mk->ticker_sent_ms = sm->now_ms;
		mk->ticker_dirty = 0;
	} else if (sm->now_ms - mk->dirty_ms > TICKER_WAIT_MS + sm->ticker_ms)
		mk->ticker_dirty = 0;
	free(text);
}

/*
 * Every tick: books not in step are tried again, candle updates held
 * back go out, and changed tickers.
 */
void
market_tick(struct streamer *sm)
{
	struct market *mk;
	size_t i;

	for (i = 0; i < sm->nmk; i++) {
		mk = &sm->mk[i];
		if (!mk->synced && has_subscribers(mk, PC_ORDERBOOK, 0))
			book_resync(sm, mk);
		klines_due(sm, mk);
		ticker_due(sm, mk);
	}
}
