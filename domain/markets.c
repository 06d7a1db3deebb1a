/* domain/markets.c — markets as orders see them: read from PostgreSQL, kept a second per process */
#include <stdio.h>
#include <string.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/markets.h"

enum { ST_MARKET, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_MARKET] = { "markets_one",
	  "SELECT " MARKET_COLUMNS MARKET_FROM " WHERE m.symbol = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "markets statements");

/*
 * Markets change rarely (a halt, new fees); orders come by the thousand.
 * Per-process state like the connection itself.
 */
#define MARKET_CACHE	16
#define MARKET_TTL_MS	1000

static struct {
	struct market	 m;
	int64_t		 at_ms;
} cache[MARKET_CACHE];

int
market_numeric(const char *s, int scale, int64_t *v)
{
	*v = 0;
	if (s == NULL)
		return 0;
	return dec_parse_flags(s, strlen(s), scale, DEC_ZEROS_OK, v) ==
	    DEC_OK ? 0 : -1;
}

int
market_fill(struct market *m, PGresult *res, int row, int c)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->symbol, sizeof(m->symbol), "%s", db_val(res, row, c));
	snprintf(m->base, sizeof(m->base), "%s", db_val(res, row, c + 1));
	snprintf(m->quote, sizeof(m->quote), "%s", db_val(res, row, c + 2));
	snprintf(m->status, sizeof(m->status), "%s", db_val(res, row, c + 3));
	m->price_scale = (int)util_long(db_val(res, row, c + 4), -1);
	m->qty_scale = (int)util_long(db_val(res, row, c + 5), -1);
	m->base_scale = (int)util_long(db_val(res, row, c + 6), -1);
	m->quote_scale = (int)util_long(db_val(res, row, c + 7), -1);
	if (m->price_scale < 0 || m->price_scale > DEC_MAXSCALE ||
	    m->qty_scale < 0 || m->qty_scale > m->base_scale ||
	    m->base_scale > DEC_MAXSCALE || m->quote_scale < 0 ||
	    m->quote_scale > DEC_MAXSCALE)
		return -1;
	if (market_numeric(db_val(res, row, c + 8), m->qty_scale,
	    &m->min_qty) == -1 ||
	    market_numeric(db_val(res, row, c + 9), m->quote_scale,
	    &m->min_notional) == -1)
		return -1;
	if (market_numeric(db_val(res, row, c + 10), TRADE_FEE_SCALE,
	    &m->maker_fee) == -1 ||
	    market_numeric(db_val(res, row, c + 11), TRADE_FEE_SCALE,
	    &m->taker_fee) == -1)
		return -1;
	/* A percentage at 4 decimals is the fraction at TRADE_FEE_SCALE. */
	if (db_val(res, row, c + 12) != NULL &&
	    (market_numeric(db_val(res, row, c + 12), TRADE_FEE_SCALE - 2,
	    &m->band) == -1 || m->band <= 0))
		return -1;
	return 0;
}

enum err
market_load(struct ctx *c, const char *symbol, struct market *m)
{
	const char *p[1] = { symbol };
	PGresult *res;
	enum err e;
	size_t i;

	for (i = 0; symbol[i] != '\0'; i++)
		if (!((symbol[i] >= 'A' && symbol[i] <= 'Z') ||
		    (symbol[i] >= '0' && symbol[i] <= '9')))
			return ERR_TRADE_005;
	if (i < 4 || i > 20)
		return ERR_TRADE_005;
	if ((e = db_query(c->db, c->arena, &stmts[ST_MARKET], p, &res)) !=
	    ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_TRADE_005;
	if (market_fill(m, res, 0, 0) == -1) {
		log_error("market %s: unusable precisions or fees", symbol);
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

enum err
market_get(struct ctx *c, const char *symbol, struct market *m)
{
	int64_t now = util_mono_ms();
	size_t i, slot = 0;
	enum err e;

	for (i = 0; i < MARKET_CACHE; i++) {
		if (cache[i].at_ms != 0 &&
		    strcmp(cache[i].m.symbol, symbol) == 0 &&
		    now - cache[i].at_ms < MARKET_TTL_MS) {
			*m = cache[i].m;
			return ERR_OK;
		}
		if (cache[i].at_ms < cache[slot].at_ms)
			slot = i;
	}
	if ((e = market_load(c, symbol, m)) != ERR_OK)
		return e;
	cache[slot].m = *m;
	cache[slot].at_ms = now;
	return ERR_OK;
}
