/* domain/bot_backtest.c — a bot configuration run over hzm's own candles (the matcher's klines), without placing an order */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/input.h"
#include "core/util.h"
#include "domain/bot_backtest.h"
#include "domain/bot_pnl.h"
#include "domain/bot_step.h"
#include "domain/bots.h"
#include "domain/kline_iv.h"

#define BT_LIMIT_DEFAULT	500
#define BT_TRADES_SHOWN		500

static const struct stmt st_candles = { "bot_backtest_candles",
    "SELECT (extract(epoch FROM open_time) * 1000)::bigint, close::text"
    " FROM (SELECT open_time, close FROM klines WHERE symbol = $1 AND interval = $2"
    " AND open_time >= 'epoch'::timestamptz + $3::bigint * interval '1 millisecond'"
    " AND open_time <= 'epoch'::timestamptz + $4::bigint * interval '1 millisecond'"
    " ORDER BY open_time DESC LIMIT $5::bigint) k ORDER BY open_time", 5 };

static enum err
bad(struct in_err *e, const char *field, const char *why)
{
	e->field = field;
	e->reason = why;
	return ERR_INVALID_REQUEST;
}

/* A whole number member, min..max, dflt when absent. */
static int
int_member(struct json_object *o, const char *name, long long min,
    long long max, long long dflt, long long *out)
{
	struct json_object *j;

	*out = dflt;
	if (!json_object_object_get_ex(o, name, &j) ||
	    json_object_is_type(j, json_type_null))
		return 0;
	if (!json_object_is_type(j, json_type_int))
		return -1;
	*out = json_object_get_int64(j);
	return *out < min || *out > max ? -1 : 0;
}

struct bt_window {
	const char	*interval;
	long long	 start, end, limit;
};

/* The body's window fields, taken out; the rest is a configuration. */
static enum err
window_read(struct ctx *c, struct json_object *body, struct bt_window *bw,
    struct json_object **conf, struct in_err *e)
{
	struct json_object *j;
	int64_t now_ms = (int64_t)c->now.tv_sec * 1000 + c->now.tv_nsec / 1000000;

	if (body == NULL || !json_object_is_type(body, json_type_object))
		return bad(e, "body", "must be a JSON object");
	bw->interval = "1m";
	if (json_object_object_get_ex(body, "interval", &j) &&
	    !json_object_is_type(j, json_type_null)) {
		if (!json_object_is_type(j, json_type_string) ||
		    kline_iv_find(json_object_get_string(j)) == -1)
			return bad(e, "interval", "1m, 5m, 15m, 1h, 4h or 1d");
		bw->interval = json_object_get_string(j);
	}
	if (int_member(body, "startTime", 0, now_ms + 86400000LL, 0, &bw->start) == -1)
		return bad(e, "startTime", "epoch milliseconds");
	if (int_member(body, "endTime", 0, 4102444800000LL, now_ms, &bw->end) == -1)
		return bad(e, "endTime", "epoch milliseconds");
	if (bw->end < bw->start)
		return bad(e, "endTime", "must not be before startTime");
	if (int_member(body, "limit", 1, STRAT_CANDLES_MAX, BT_LIMIT_DEFAULT,
	    &bw->limit) == -1)
		return bad(e, "limit", "1 to 1500 candles");
	*conf = json_own(c->arena, json_object_new_object());
	json_object_object_foreach(body, k, v) {
		if (strcmp(k, "interval") != 0 && strcmp(k, "startTime") != 0 &&
		    strcmp(k, "endTime") != 0 && strcmp(k, "limit") != 0)
			json_object_object_add(*conf, k, json_object_get(v));
	}
	if (!json_object_object_get_ex(*conf, "name", NULL))
		json_object_object_add(*conf, "name", json_object_new_string("backtest"));
	return ERR_OK;
}

struct bt_run {
	struct bot_rules	 br;
	struct pnl_fifo		 fifo;
	struct pnl_report	 rep;
	struct strat_state	 st;
	struct json_object	*trades;
};

static void
trade_add(struct bt_run *bt, int64_t t_ms, int sell, int64_t price,
    int64_t qty, int64_t pnl, enum bot_reason why)
{
	struct json_object *o;

	pnl_report_add(&bt->rep, sell, pnl);
	if (json_object_array_length(bt->trades) >= BT_TRADES_SHOWN)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "time", json_object_new_int64(t_ms));
	json_object_object_add(o, "side", json_object_new_string(sell ? "SELL" : "BUY"));
	json_object_object_add(o, "price", bot_dec_json(price, bt->br.sc.price));
	json_object_object_add(o, "quantity", bot_dec_json(qty, bt->br.sc.qty));
	json_object_object_add(o, "realizedPnl", bot_dec_json(pnl, bt->br.sc.quote));
	json_object_object_add(o, "reason", json_object_new_string(bot_reason_names[why]));
	json_object_array_add(bt->trades, o);
}

/* One cycle per candle, at its close: the same decision and fill as a paper bot's. */
static void
simulate(struct bt_run *bt, const int64_t *closes, const int64_t *times,
    size_t n)
{
	size_t i, look = strategies[bt->br.sp.kind].lookback(&bt->br.sp), from;
	struct strat_decision d;
	enum bot_reason why;
	int64_t quote, pnl;

	for (i = 0; i < n; i++) {
		from = look > 0 && i + 1 > look ? i + 1 - look : 0;
		bot_step_decide(&bt->br, closes + from, i + 1 - from, closes[i],
		    &bt->st, &d, &why);
		if (d.action != STRAT_HOLD &&
		    bot_step_quote(&bt->br.sc, closes[i], d.qty, &quote) == 0 &&
		    bot_step_fill(&bt->fifo, &bt->br.sc, d.action == STRAT_SELL, 0,
		    d.qty, quote, 0, &pnl, &bt->st) == 0)
			trade_add(bt, times[i], d.action == STRAT_SELL, closes[i],
			    d.qty, pnl, why);
		else if (d.action != STRAT_HOLD)
			continue;
		bt->st.anchor = d.anchor;
		bt->st.steps = d.steps;
	}
}

static struct json_object *
report_json(struct bt_run *bt, const struct bot_conf *bc, const char *interval,
    size_t n, int64_t last)
{
	struct json_object *o = json_object_new_object();
	int64_t qty, cost, worth = 0, unreal = 0;
	const struct bot_scales *sc = &bt->br.sc;

	pnl_fifo_open(&bt->fifo, &qty, &cost);
	if (qty > 0 && bot_step_quote(sc, last, qty, &worth) == 0)
		unreal = worth - cost;
	json_object_object_add(o, "symbol", json_object_new_string(bc->symbol));
	json_object_object_add(o, "strategy", json_object_new_string(bc->strategy));
	json_object_object_add(o, "interval", json_object_new_string(interval));
	json_object_object_add(o, "candles", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "totalTrades", json_object_new_int64(bt->rep.trades));
	json_object_object_add(o, "buyCount", json_object_new_int64(bt->rep.buys));
	json_object_object_add(o, "sellCount", json_object_new_int64(bt->rep.sells));
	json_object_object_add(o, "realizedPnl", bot_dec_json(bt->rep.realized, sc->quote));
	json_object_object_add(o, "unrealizedPnl", bot_dec_json(unreal, sc->quote));
	json_object_object_add(o, "totalPnl", bot_dec_json(bt->rep.realized + unreal, sc->quote));
	json_object_object_add(o, "pnlCurrency", json_object_new_string(sc->quote_asset));
	json_object_object_add(o, "winRate", bot_dec_json(pnl_win_rate(&bt->rep), 2));
	json_object_object_add(o, "maxDrawdown", bot_dec_json(bt->rep.max_drawdown, sc->quote));
	json_object_object_add(o, "finalPosition", bot_dec_json(qty, sc->qty));
	json_object_object_add(o, "trades", bt->trades);
	return o;
}

enum err
bot_backtest(struct ctx *c, struct json_object *body, struct json_object **out,
    struct in_err *e)
{
	struct json_object *conf;
	struct bt_window bw;
	struct bot_conf bc;
	struct bt_run bt;
	const char *p[5];
	int64_t *closes, *times;
	PGresult *res;
	size_t n, i;
	enum err err;

	if ((err = window_read(c, body, &bw, &conf, e)) != ERR_OK ||
	    (err = bot_conf_parse(c, conf, NULL, &bc, e)) != ERR_OK)
		return err;
	if (strcmp(bc.venue, "HZM") != 0)
		return bad(e, "venue", "backtests run on hzm's own candles: HZM");
	p[0] = bc.symbol;
	p[1] = bw.interval;
	p[2] = arena_printf(c->arena, "%lld", bw.start);
	p[3] = arena_printf(c->arena, "%lld", bw.end);
	p[4] = arena_printf(c->arena, "%lld", bw.limit);
	if ((err = db_query(c->db, c->arena, &st_candles, p, &res)) != ERR_OK)
		return err;
	n = (size_t)PQntuples(res);
	closes = arena_calloc(c->arena, n + 1, sizeof(*closes));
	times = arena_calloc(c->arena, n + 1, sizeof(*times));
	memset(&bt, 0, sizeof(bt));
	if (closes == NULL || times == NULL || bot_rules_make(&bt.br, &bc.sp,
	    &bc.sc, bc.order_size, bc.stop_loss, bc.take_profit) == -1)
		return ERR_INTERNAL;
	for (i = 0; i < n; i++) {
		times[i] = strtoll(db_val(res, (int)i, 0), NULL, 10);
		if (dec_parse_flags(db_val(res, (int)i, 1), strlen(db_val(res, (int)i, 1)),
		    bc.sc.price, DEC_ZEROS_OK, &closes[i]) != DEC_OK)
			return ERR_INTERNAL;
	}
	/* at most one lot per candle */
	pnl_fifo_init(&bt.fifo, arena_calloc(c->arena, n + 1, sizeof(struct pnl_lot)), n + 1);
	if (bt.fifo.lots == NULL)
		return ERR_INTERNAL;
	pnl_report_init(&bt.rep);
	bt.trades = json_object_new_array();
	simulate(&bt, closes, times, n);
	*out = json_own(c->arena, report_json(&bt, &bc, bw.interval, n,
	    n > 0 ? closes[n - 1] : 0));
	return ERR_OK;
}
