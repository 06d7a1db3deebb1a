/* domain/bot_report.c — what bots did: their trades, each bot's performance (FIFO realized PnL, win rate, drawdown) and the summary of all a user's bots */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/util.h"
#include "core/valid.h"
#include "domain/bot_pnl.h"
#include "domain/bots.h"

#define BOT_FROM \
	" FROM bots b LEFT JOIN markets m ON m.symbol = b.symbol AND b.venue = 'HZM'" \
	" LEFT JOIN assets qa ON qa.code = m.quote_asset"
#define PS	"coalesce(m.price_precision, 8)"
#define QS	"coalesce(m.quantity_precision, 8)"
#define CS	"coalesce(qa.precision, 8)"

enum { ST_TRADES, ST_TRADE, ST_PNL_ROWS, ST_LOTS, ST_SUMMARY, ST__COUNT };

/* A trade as bot_trade_json() reads it; total: the list's count. */
#define TRADE_COLUMNS(total) "SELECT t.public_id, t.side," \
	" round(t.price, " PS ")::text, round(t.quantity, " QS ")::text," \
	" round(t.quote_quantity, " CS ")::text, round(t.fee, " CS ")::text," \
	" t.fee_asset, round(t.realized_pnl, " CS ")::text, t.reason, t.paper," \
	" t.venue, t.order_id, t.client_order_id, " DB_ISO("t.created_at") "," \
	" " total ", b.public_id, t.symbol" \
	BOT_FROM " JOIN bot_trades t ON t.bot_id = b.id" \
	" WHERE b.public_id = $1 AND b.user_id = $2 AND b.deleted_at IS NULL"

static const struct stmt stmts[] = {
	[ST_TRADES] = { "bot_trades_list", TRADE_COLUMNS("count(*) OVER ()")
	    " AND ($3::text IS NULL OR t.side = $3) AND ($4::text IS NULL OR t.reason = $4)"
	    " ORDER BY CASE WHEN $5 THEN t.id END, t.id DESC LIMIT $6::bigint"
	    " OFFSET $7::bigint", 7 },
	[ST_TRADE] = { "bot_trade_get", TRADE_COLUMNS("1") " AND t.public_id = $3", 3 },
	/* every trade in order: the figures are a walk over them */
	[ST_PNL_ROWS] = { "bot_pnl_rows", "SELECT t.side = 'SELL', t.realized_pnl::text,"
	    " " DB_ISO("t.created_at") " FROM bot_trades t JOIN bots b ON b.id = t.bot_id"
	    " WHERE b.public_id = $1 AND b.user_id = $2 ORDER BY t.id", 2 },
	[ST_LOTS] = { "bot_open_lots", "SELECT coalesce(sum(l.quantity), 0)::text,"
	    " coalesce(sum(l.cost), 0)::text, b.position::text, b.last_price::text"
	    " FROM bots b LEFT JOIN bot_lots l ON l.bot_id = b.id"
	    " WHERE b.public_id = $1 AND b.user_id = $2 GROUP BY b.id", 2 },
	[ST_SUMMARY] = { "bot_summary", "SELECT b.public_id, b.name, b.symbol, b.venue,"
	    " b.strategy, b.status, b.paper, count(t.id),"
	    " count(t.id) FILTER (WHERE t.side = 'BUY'),"
	    " count(t.id) FILTER (WHERE t.side = 'SELL'),"
	    " round(coalesce(sum(t.realized_pnl), 0), " CS ")::text, qa.code,"
	    " " DB_ISO("max(t.created_at)") ", b.venue_symbol, " CS BOT_FROM
	    " LEFT JOIN bot_trades t ON t.bot_id = b.id"
	    " WHERE b.user_id = $1 AND b.deleted_at IS NULL"
	    " GROUP BY b.id, qa.code, qa.precision ORDER BY b.id", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "stmts");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

static void
add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

enum err
bot_trades_list(struct ctx *c, const char *id, const struct bot_trade_query *tq,
    PGresult **res, long long *total)
{
	const char *p[7] = { id, c->actor->idtxt, tq->side, tq->reason,
	    tq->oldest_first ? "true" : "false", tq->limit, tq->offset };
	PGresult *bot;
	enum err e;

	if ((e = bot_get(c, id, &bot)) != ERR_OK)
		return e;
	if ((e = q(c, ST_TRADES, p, res)) != ERR_OK)
		return e;
	*total = PQntuples(*res) > 0 ? util_long(db_val(*res, 0, 14), 0) : 0;
	return ERR_OK;
}

enum err
bot_trade_get(struct ctx *c, const char *id, const char *trade_id, PGresult **res)
{
	const char *p[3] = { id, c->actor->idtxt, trade_id };
	enum err e;

	if (!valid_public_id(id, "bot_") || !valid_public_id(trade_id, "btr_"))
		return ERR_NOT_FOUND;
	if ((e = q(c, ST_TRADE, p, res)) != ERR_OK)
		return e;
	return PQntuples(*res) == 1 ? ERR_OK : ERR_NOT_FOUND;
}

struct json_object *
bot_trade_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object(), *fee;

	add(o, "tradeId", json_object_new_string(db_val(res, i, 0)));
	add(o, "botId", json_object_new_string(db_val(res, i, 15)));
	add(o, "symbol", json_object_new_string(db_val(res, i, 16)));
	add(o, "side", json_object_new_string(db_val(res, i, 1)));
	add(o, "price", json_object_new_string(db_val(res, i, 2)));
	add(o, "quantity", json_object_new_string(db_val(res, i, 3)));
	add(o, "quoteQuantity", json_object_new_string(db_val(res, i, 4)));
	fee = json_object_new_object();
	add(fee, "amount", json_object_new_string(db_val(res, i, 5)));
	add(fee, "currency", json_str_or_null(db_val(res, i, 6)));
	add(o, "fee", fee);
	add(o, "realizedPnl", json_object_new_string(db_val(res, i, 7)));
	add(o, "reason", json_object_new_string(db_val(res, i, 8)));
	add(o, "paperMode", json_object_new_boolean(strcmp(db_val(res, i, 9), "t") == 0));
	add(o, "venue", json_object_new_string(db_val(res, i, 10)));
	add(o, "orderId", json_str_or_null(db_val(res, i, 11)));
	add(o, "clientOrderId", json_str_or_null(db_val(res, i, 12)));
	add(o, "createdAt", json_object_new_string(db_val(res, i, 13)));
	return o;
}

static int
num(const char *s, int scale, int64_t *v)
{
	*v = 0;
	if (s == NULL)
		return 0;
	return dec_parse_flags(s, strlen(s), scale, DEC_NEG_OK | DEC_ZEROS_OK,
	    v) == DEC_OK ? 0 : -1;
}

/* What the open lots would fetch at the last price, less what they cost. */
static enum err
unrealized(struct ctx *c, const char *id, const struct bot_scales *sc,
    int64_t *out)
{
	const char *p[2] = { id, c->actor->idtxt };
	int64_t qty, cost, last, worth;
	PGresult *res;
	enum err e;

	*out = 0;
	if ((e = q(c, ST_LOTS, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1 || db_val(res, 0, 3) == NULL)
		return ERR_OK;
	if (num(db_val(res, 0, 0), sc->qty, &qty) == -1 ||
	    num(db_val(res, 0, 1), sc->quote, &cost) == -1 ||
	    num(db_val(res, 0, 3), sc->price, &last) == -1 ||
	    dec_mul(last, sc->price, qty, sc->qty, sc->quote, DEC_ROUND_DOWN,
	    &worth) != DEC_OK)
		return ERR_INTERNAL;
	*out = qty > 0 ? worth - cost : 0;
	return ERR_OK;
}

enum err
bot_performance(struct ctx *c, const char *id, struct json_object **out)
{
	const char *p[2] = { id, c->actor->idtxt }, *last = NULL;
	struct pnl_report r;
	struct bot_scales sc;
	struct json_object *o;
	int64_t pnl, unreal;
	PGresult *bot, *res;
	enum err e;
	int i;

	if ((e = bot_get(c, id, &bot)) != ERR_OK)
		return e;
	if ((e = bot_row_scales(c, bot, 0, &sc)) != ERR_OK ||
	    (e = q(c, ST_PNL_ROWS, p, &res)) != ERR_OK ||
	    (e = unrealized(c, id, &sc, &unreal)) != ERR_OK)
		return e == ERR_TRADE_005 ? ERR_INTERNAL : e;
	pnl_report_init(&r);
	for (i = 0; i < PQntuples(res); i++) {
		if (num(db_val(res, i, 1), sc.quote, &pnl) == -1)
			return ERR_INTERNAL;
		pnl_report_add(&r, strcmp(db_val(res, i, 0), "t") == 0, pnl);
		last = db_val(res, i, 2);
	}
	o = json_object_new_object();
	add(o, "botId", json_object_new_string(id));
	add(o, "symbol", json_object_new_string(db_val(bot, 0, 2)));
	add(o, "totalTrades", json_object_new_int64(r.trades));
	add(o, "buyCount", json_object_new_int64(r.buys));
	add(o, "sellCount", json_object_new_int64(r.sells));
	add(o, "realizedPnl", bot_dec_json(r.realized, sc.quote));
	/* Seed 001 §37's name for the same figure. */
	add(o, "totalRealizedPnl", bot_dec_json(r.realized, sc.quote));
	add(o, "unrealizedPnl", bot_dec_json(unreal, sc.quote));
	add(o, "totalPnl", bot_dec_json(r.realized + unreal, sc.quote));
	add(o, "pnlCurrency", json_str_or_null(*sc.quote_asset ? sc.quote_asset : NULL));
	add(o, "winRate", bot_dec_json(pnl_win_rate(&r), 2));
	add(o, "maxDrawdown", bot_dec_json(r.max_drawdown, sc.quote));
	add(o, "lastTradeAt", json_str_or_null(last));
	*out = json_own(c->arena, o);
	return ERR_OK;
}

/* The realized PnL of the bots, totalled per quote asset at the finest of their scales. */
struct pnl_total {
	const char	*currency;
	int64_t		 sum;		/* at SUM_SCALE */
	int		 scale;
};
#define SUM_SCALE	8	/* no quote asset has more decimals (assets.precision) */

static enum err
total_add(struct pnl_total *t, size_t *n, const char *currency,
    const char *pnl, int scale)
{
	int64_t v;
	size_t i;

	if (scale > SUM_SCALE || num(pnl, SUM_SCALE, &v) == -1)
		return ERR_INTERNAL;
	for (i = 0; i < *n && strcmp(t[i].currency, currency) != 0; i++)
		;
	if (i == *n) {
		t[i].currency = currency;
		t[i].sum = 0;
		t[i].scale = 0;
		(*n)++;
	}
	if (dec_add(t[i].sum, v, &t[i].sum) != DEC_OK)
		return ERR_INTERNAL;
	if (scale > t[i].scale)
		t[i].scale = scale;
	return ERR_OK;
}

static struct json_object *
total_json(const struct pnl_total *t)
{
	int64_t v;

	if (dec_rescale(t->sum, SUM_SCALE, t->scale, DEC_ROUND_HALF_EVEN,
	    &v) != DEC_OK)
		return NULL;
	return bot_dec_json(v, t->scale);
}

enum err
bot_summary(struct ctx *c, struct json_object **out)
{
	const char *p[1] = { c->actor->idtxt }, *cur;
	struct json_object *o, *a, *b, *t;
	struct pnl_total *tot;
	size_t ntot = 0, k;
	int i, unknown = 0;
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_SUMMARY, p, &res)) != ERR_OK)
		return e;
	if ((tot = arena_calloc(c->arena, (size_t)PQntuples(res) + 1,
	    sizeof(*tot))) == NULL)
		return ERR_INTERNAL;
	a = json_own(c->arena, json_object_new_array());
	for (i = 0; i < PQntuples(res); i++) {
		cur = bot_pnl_currency(db_val(res, i, 3), db_val(res, i, 2),
		    db_val(res, i, 13), db_val(res, i, 11));
		if (cur == NULL)
			unknown = 1;
		else if ((e = total_add(tot, &ntot, cur, db_val(res, i, 10),
		    (int)util_long(db_val(res, i, 14), 8))) != ERR_OK)
			return e;
		b = json_object_new_object();
		json_object_array_add(a, b);
		add(b, "botId", json_object_new_string(db_val(res, i, 0)));
		add(b, "name", json_object_new_string(db_val(res, i, 1)));
		add(b, "symbol", json_object_new_string(db_val(res, i, 2)));
		add(b, "venue", json_object_new_string(db_val(res, i, 3)));
		add(b, "strategy", json_object_new_string(db_val(res, i, 4)));
		add(b, "status", json_object_new_string(db_val(res, i, 5)));
		add(b, "paperMode", json_object_new_boolean(strcmp(db_val(res, i, 6), "t") == 0));
		add(b, "totalTrades", json_object_new_int64(util_long(db_val(res, i, 7), 0)));
		add(b, "buyCount", json_object_new_int64(util_long(db_val(res, i, 8), 0)));
		add(b, "sellCount", json_object_new_int64(util_long(db_val(res, i, 9), 0)));
		add(b, "realizedPnl", json_object_new_string(db_val(res, i, 10)));
		add(b, "pnlCurrency", json_str_or_null(cur));
		add(b, "lastTradeAt", json_str_or_null(db_val(res, i, 12)));
	}
	/* PnL in TRY and in USDT do not add up: one total per quote asset */
	t = json_object_new_object();
	for (k = 0; k < ntot; k++)
		add(t, tot[k].currency, total_json(&tot[k]));
	o = json_object_new_object();
	add(o, "botCount", json_object_new_int(PQntuples(res)));
	/* one figure, as performance gives it, only where one asset serves every bot */
	add(o, "totalRealizedPnl", ntot == 1 && !unknown ? total_json(&tot[0]) : NULL);
	add(o, "pnlCurrency", json_str_or_null(ntot == 1 && !unknown ?
	    tot[0].currency : NULL));
	add(o, "totalRealizedPnlByCurrency", t);
	add(o, "bots", json_object_get(a));
	*out = json_own(c->arena, o);
	return ERR_OK;
}
