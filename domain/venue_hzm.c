/* domain/venue_hzm.c — the exchange itself as a bot's venue: last trade prices, its 1m candles, and market orders through the order service of POST /orders */
#include <stdio.h>
#include <string.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/orders.h"
#include "domain/venue.h"

#define HZM_FINAL_WAIT_MS	5000

enum { ST_PRICES, ST_CLOSES, ST_LOOKUP, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_PRICES] = { "venue_hzm_prices", "SELECT symbol, last_price::text"
	    " FROM matcher_state WHERE symbol = ANY (string_to_array($1, ','))", 1 },
	[ST_CLOSES] = { "venue_hzm_closes", "SELECT close::text FROM (SELECT open_time,"
	    " close FROM klines WHERE symbol = $1 AND interval = '1m'"
	    " ORDER BY open_time DESC LIMIT $2::integer) k ORDER BY open_time", 2 },
	[ST_LOOKUP] = { "venue_hzm_lookup", "SELECT o.public_id, o.status,"
	    " round(o.executed_quantity, m.quantity_precision)::text,"
	    " round(o.cumulative_quote, q.precision)::text,"
	    " round(o.fee_total, q.precision)::text, o.fee_asset"
	    " FROM orders o JOIN markets m ON m.symbol = o.symbol"
	    " JOIN assets q ON q.code = m.quote_asset"
	    " WHERE o.user_id = $1 AND o.client_order_id = $2", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "stmts");

static enum err
hzm_prices(struct ctx *c, const char *const *symbols, size_t n,
    const char **out)
{
	const char *p[1];
	char *list = "";
	PGresult *res;
	size_t i;
	int r;
	enum err e;

	for (i = 0; i < n; i++) {
		out[i] = NULL;
		list = arena_printf(c->arena, "%s%s%s", list, i ? "," : "", symbols[i]);
		if (list == NULL)
			return ERR_INTERNAL;
	}
	p[0] = list;
	if ((e = db_query(c->db, c->arena, &stmts[ST_PRICES], p, &res)) != ERR_OK)
		return e;
	for (r = 0; r < PQntuples(res); r++)
		for (i = 0; i < n; i++)
			if (strcmp(symbols[i], db_val(res, r, 0)) == 0)
				out[i] = db_val(res, r, 1);
	return ERR_OK;
}

static enum err
hzm_closes(struct ctx *c, const char *symbol, size_t max, const char ***out,
    size_t *n)
{
	const char *p[2] = { symbol, arena_printf(c->arena, "%zu", max) };
	PGresult *res;
	enum err e;
	int i;

	*out = NULL;
	*n = 0;
	if ((e = db_query(c->db, c->arena, &stmts[ST_CLOSES], p, &res)) != ERR_OK)
		return e;
	if ((*out = arena_calloc(c->arena, (size_t)PQntuples(res) + 1,
	    sizeof(**out))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < PQntuples(res); i++)
		(*out)[i] = db_val(res, i, 0);
	*n = (size_t)i;
	return ERR_OK;
}

static int
is_final(const char *status)
{
	return strcmp(status, "NEW") != 0 && strcmp(status, "PARTIALLY_FILLED") != 0;
}

static enum err
hzm_lookup(struct ctx *c, const char *symbol, const char *client_id,
    struct venue_fill *f)
{
	const char *p[2] = { c->actor->idtxt, client_id };
	PGresult *res;
	enum err e;

	(void)symbol;
	memset(f, 0, sizeof(*f));
	if ((e = db_query(c->db, c->arena, &stmts[ST_LOOKUP], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_OK;
	f->found = 1;
	snprintf(f->order_id, sizeof(f->order_id), "%s", db_val(res, 0, 0));
	snprintf(f->status, sizeof(f->status), "%s", db_val(res, 0, 1));
	f->final = is_final(f->status);
	f->executed = db_val(res, 0, 2);
	f->quote = db_val(res, 0, 3);
	f->fee = db_val(res, 0, 4);
	f->fee_asset = db_val(res, 0, 5);
	return ERR_OK;
}

/*
 * A market order, IOC by nature: the matcher answers with its final
 * state. When it went through the inbox instead, wait for the matcher's
 * word and read the order; a cycle whose order stays open is looked up
 * again next run.
 */
static enum err
hzm_place(struct ctx *c, const struct venue_order *vo, struct venue_fill *f)
{
	struct order_in in;
	struct order_placed out;
	struct order_fail of;
	enum err e;

	memset(f, 0, sizeof(*f));
	memset(&in, 0, sizeof(in));
	memset(&of, 0, sizeof(of));
	in.symbol = vo->symbol;
	in.client_order_id = vo->client_id;
	in.quantity = vo->qty;
	in.side = vo->sell ? ORD_SELL : ORD_BUY;
	in.type = ORD_MARKET;
	in.tif = ORD_IOC;
	e = order_place(c, &in, ORDER_PATH_SOCKET, ORDER_LISTEN, &out, &of);
	if (e == ERR_CONFLICT)		/* placed by an earlier try of this cycle */
		return hzm_lookup(c, vo->symbol, vo->client_id, f);
	if (e != ERR_OK) {
		f->why = of.reason != NULL ? of.reason : "the order was refused";
		return e;
	}
	if (out.answered) {
		f->found = f->final = 1;
		snprintf(f->order_id, sizeof(f->order_id), "%s", out.view.order_id);
		snprintf(f->status, sizeof(f->status), "%s", out.view.status);
		f->executed = out.view.executed;
		f->quote = out.view.cum_quote;
		f->fee = out.view.fee;
		f->fee_asset = out.view.fee_asset;
		return ERR_OK;
	}
	if (!out.done)
		(void)order_wait(c, &out, HZM_FINAL_WAIT_MS, &of);
	return hzm_lookup(c, vo->symbol, vo->client_id, f);
}

const struct venue venue_hzm = {
	.name = "HZM",
	.prices = hzm_prices,
	.closes = hzm_closes,
	.place = hzm_place,
	.lookup = hzm_lookup,
};
