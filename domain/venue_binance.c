/* domain/venue_binance.c — Binance as a bot's venue: prices and candles (public), market orders under the owner's stored key, sent at once for a run's bots */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/decimal.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/binance.h"
#include "domain/binance_keys.h"
#include "domain/binance_parse.h"
#include "domain/venue.h"

#define VB_SCALE	8	/* Binance writes every amount with 8 decimals */

/* Binance's answer as what the venue interface speaks. */
static enum err
venue_err(enum err e, const struct binance_status *st, struct venue_fill *f)
{
	switch (e) {
	case ERR_OK:
	case ERR_RATE_LIMIT_EXCEEDED:
	case ERR_INTERNAL:
		return e;
	case ERR_INVALID_REQUEST:
		if (f != NULL)
			f->key_invalid = binance_key_refused(st);
		return ERR_INVALID_REQUEST;
	default:
		return ERR_SYSTEM_003;
	}
}

/* One call per BINANCE_PRICES_MAX symbols; an unknown symbol (-1121) is asked alone. */
static enum err
prices_chunk(struct ctx *c, const char *const *sym, size_t n, const char **out)
{
	struct binance_price *bp, one;
	struct binance_status st;
	enum err e;
	size_t i;

	if ((bp = arena_calloc(c->arena, n, sizeof(*bp))) == NULL)
		return ERR_INTERNAL;
	e = binance_prices(c, sym, n, bp, &st);
	if (e == ERR_OK) {
		for (i = 0; i < n; i++)
			out[i] = arena_strdup(c->arena, bp[i].price);
		return ERR_OK;
	}
	if (e != ERR_INVALID_REQUEST || st.code != -1121)
		return venue_err(e, &st, NULL);
	for (i = 0; i < n; i++) {
		if ((e = binance_price(c, sym[i], &one, &st)) == ERR_OK)
			out[i] = arena_strdup(c->arena, one.price);
		else if (e != ERR_INVALID_REQUEST)
			return venue_err(e, &st, NULL);
		else
			log_info("binance: %s: %s", sym[i], st.msg);
	}
	return ERR_OK;
}

static enum err
vb_prices(struct ctx *c, const char *const *symbols, size_t n, const char **out)
{
	size_t i, k;
	enum err e;

	for (i = 0; i < n; i++)
		out[i] = NULL;
	for (i = 0; i < n; i += k) {
		k = n - i < BINANCE_PRICES_MAX ? n - i : BINANCE_PRICES_MAX;
		if ((e = prices_chunk(c, symbols + i, k, out + i)) != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static enum err
vb_closes(struct ctx *c, const char *symbol, size_t max, const char ***out,
    size_t *n)
{
	struct binance_klines_req q;
	struct binance_status st;
	struct binance_kline *k;
	size_t i;
	enum err e;

	*out = NULL;
	*n = 0;
	if (max > BINANCE_KLINES_MAX)
		max = BINANCE_KLINES_MAX;
	if (max == 0)
		return ERR_OK;
	memset(&q, 0, sizeof(q));
	q.symbol = symbol;
	q.interval = "1m";
	q.limit = (int)max;
	if ((k = arena_calloc(c->arena, max, sizeof(*k))) == NULL)
		return ERR_INTERNAL;
	if ((e = binance_klines(c, &q, k, max, n, &st)) != ERR_OK)
		return venue_err(e, &st, NULL);
	if ((*out = arena_calloc(c->arena, *n + 1, sizeof(**out))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < *n; i++)
		(*out)[i] = arena_strdup(c->arena, k[i].close);
	return ERR_OK;
}

/* A live bot trades with its owner's stored key, while Binance takes it. */
static enum err
vb_ready(struct ctx *c, const char **why)
{
	struct binance_key k;
	enum err e;

	*why = NULL;
	e = binance_key_get(c, c->actor->idtxt, &k);
	if (e == ERR_NOT_FOUND)
		*why = "no Binance API key: save one with POST /api/v1/api-keys";
	else if (e == ERR_OK && !k.is_valid)
		*why = arena_printf(c->arena, "the Binance API key is not valid (%s):"
		    " save a new one with POST /api/v1/api-keys",
		    k.invalid_reason != NULL ? k.invalid_reason : "refused by Binance");
	else
		return e;
	return ERR_FORBIDDEN;
}

/* d - fee at scale 8, as text, or NULL. */
static const char *
dec_minus(struct ctx *c, const char *d, int64_t fee)
{
	char buf[DEC_BUFSZ];
	int64_t v;

	if (dec_parse(d, strlen(d), VB_SCALE, &v) != DEC_OK || v < fee ||
	    dec_format(v - fee, VB_SCALE, buf, sizeof(buf)) < 0)
		return NULL;
	return arena_strdup(c->arena, buf);
}

/* The fee reported: v at scale 8 in the asset named by the len bytes at asset. */
static void
fee_set(struct ctx *c, struct venue_fill *f, int64_t v, const char *asset,
    size_t len, int outside)
{
	char buf[DEC_BUFSZ];

	if (dec_format(v, VB_SCALE, buf, sizeof(buf)) < 0)
		return;
	f->fee = arena_strdup(c->arena, buf);
	f->fee_asset = arena_strndup(c->arena, asset, len);
	f->fee_outside = outside;
}

/*
 * The commissions of the fills: in the quote asset, the trade's fee; in
 * the base asset (a buy), taken from what the bot received, so it holds
 * and later sells only that; in a third asset (BNB) outside the PnL.
 * The fee reported is the quote one, else the one in the base or the
 * third asset, as charged (f->fee_outside).
 */
static void
fill_fees(struct ctx *c, const struct binance_order *o, struct venue_fill *f)
{
	size_t sl = strlen(o->symbol), al, i, qlen = 0, blen = 0;
	int64_t quote = 0, base = 0, other = 0, v, gross, q;
	const char *other_asset = NULL;
	char buf[DEC_BUFSZ];

	for (i = 0; i < o->nfills; i++) {
		const struct binance_fill *x = &o->fills[i];

		al = strlen(x->commission_asset);
		if (al == 0 || dec_parse(x->commission, strlen(x->commission),
		    VB_SCALE, &v) != DEC_OK)
			continue;
		if (al < sl && strcmp(o->symbol + sl - al, x->commission_asset) == 0) {
			quote += v;
			qlen = al;
		} else if (al < sl && strncmp(o->symbol, x->commission_asset, al) == 0) {
			base += v;
			blen = al;
		} else if (other_asset == NULL ||
		    strcmp(other_asset, x->commission_asset) == 0) {
			other += v;
			other_asset = x->commission_asset;
		}
	}
	if (quote > 0)
		fee_set(c, f, quote, o->symbol + sl - qlen, qlen, 0);
	else if (base > 0)
		fee_set(c, f, base, o->symbol, blen, 1);
	else if (other > 0)
		fee_set(c, f, other, other_asset, strlen(other_asset), 1);
	if (base > 0) {
		/* the price stays the market's: quote / what was bought */
		if (dec_parse(o->executed_qty, strlen(o->executed_qty), VB_SCALE,
		    &gross) == DEC_OK && dec_parse(o->cumm_quote_qty,
		    strlen(o->cumm_quote_qty), VB_SCALE, &q) == DEC_OK && gross > 0 &&
		    dec_div(q, VB_SCALE, gross, VB_SCALE, VB_SCALE,
		    DEC_ROUND_HALF_EVEN, &v) == DEC_OK &&
		    dec_format(v, VB_SCALE, buf, sizeof(buf)) >= 0)
			f->price = arena_strdup(c->arena, buf);
		f->executed = dec_minus(c, o->executed_qty, base);
	}
}

/* An order as Binance answered it, as a venue fill. */
static void
fill_of(struct ctx *c, const struct binance_order *o, struct venue_fill *f)
{
	f->found = 1;
	f->final = strcmp(o->status, "NEW") != 0 &&
	    strcmp(o->status, "PARTIALLY_FILLED") != 0 &&
	    strcmp(o->status, "PENDING_CANCEL") != 0;
	snprintf(f->order_id, sizeof(f->order_id), "%" PRId64, o->order_id);
	snprintf(f->status, sizeof(f->status), "%s", o->status);
	f->executed = arena_strdup(c->arena, o->executed_qty);
	f->quote = arena_strdup(c->arena, o->cumm_quote_qty);
	f->fee = "0";
	f->fee_asset = NULL;
	if (o->nfills > 0)
		fill_fees(c, o, f);
}

/* What became of one order call, for the venue's caller. */
static enum err
call_done(struct ctx *c, enum err e, const struct binance_order *o,
    const struct binance_status *st, const char *key_id, struct venue_fill *f)
{
	if (e == ERR_OK) {
		fill_of(c, o, f);
		return ERR_OK;
	}
	f->why = arena_printf(c->arena, "Binance: %s%s", st->msg[0] ? st->msg :
	    "no answer", st->code ? arena_printf(c->arena, " (%d)", st->code) : "");
	if ((e = venue_err(e, st, f)) == ERR_SYSTEM_003)
		return ERR_SYSTEM_002;	/* placed or not: looked up by its id */
	if (f->key_invalid)
		snprintf(f->key_id, sizeof(f->key_id), "%s", key_id);
	return e;
}

/* The actor's key opened into k; else the reason in f. */
static enum err
key_open(struct ctx *c, struct binance_creds *k, char *key_id, struct venue_fill *f)
{
	enum err e = binance_key_open(c, c->actor->idtxt, k, key_id);

	if (e != ERR_OK)
		f->why = e == ERR_NOT_FOUND ? "no Binance API key" :
		    e == ERR_FORBIDDEN ? "the Binance API key is not valid" :
		    "the Binance API key does not open";
	return e == ERR_INTERNAL ? ERR_INTERNAL : e;
}

/*
 * Symbols' lots, as Binance's exchangeInfo gives them, kept LOT_KEEP_S:
 * a run asks once per symbol. A lot that cannot be had leaves orders as
 * they are (Binance then judges them).
 */
#define LOTS_MAX	64
#define LOT_KEEP_S	600
static struct {
	struct binance_lot	lot;
	int64_t			at_ms;
} lots[LOTS_MAX];

static const struct binance_lot *
lot_of(struct ctx *c, const char *symbol)
{
	struct binance_status st;
	struct binance_lot got;
	int64_t now = util_now_ms();
	size_t i, free_at = 0;

	for (i = 0; i < LOTS_MAX; i++) {
		if (strcmp(lots[i].lot.symbol, symbol) == 0 &&
		    now - lots[i].at_ms < LOT_KEEP_S * 1000)
			return &lots[i].lot;
		if (lots[i].at_ms < lots[free_at].at_ms)
			free_at = i;
	}
	if (binance_lot(c, symbol, &got, &st) != ERR_OK)
		return NULL;
	lots[free_at].lot = got;
	lots[free_at].at_ms = now;
	return &lots[free_at].lot;
}

/*
 * qty as Binance takes it in a MARKET order: down to a multiple of the
 * lot's step (a bought position less its fee, 0.000999, sells as
 * 0.00099 where the step is 0.00001). NULL with f->why when it cannot go
 * (f->below_min: less than the least quantity, or worth less than the
 * least notional at price, when price is known).
 */
static const char *
lot_qty(struct ctx *c, const char *symbol, const char *qty, const char *price,
    struct venue_fill *f)
{
	const struct binance_lot *l = lot_of(c, symbol);
	int64_t q, step, min, max, px, notional, least;
	char buf[DEC_BUFSZ];

	if (l == NULL)
		return qty;
	/* A pending order's quantity comes back from the database with 18 decimals. */
	if (dec_parse_flags(qty, strlen(qty), VB_SCALE, DEC_ZEROS_OK, &q) != DEC_OK ||
	    dec_parse(l->step, strlen(l->step), VB_SCALE, &step) != DEC_OK ||
	    dec_parse(l->min_qty, strlen(l->min_qty), VB_SCALE, &min) != DEC_OK ||
	    dec_parse(l->max_qty, strlen(l->max_qty), VB_SCALE, &max) != DEC_OK ||
	    step <= 0)
		return qty;
	q -= q % step;
	if (q <= 0 || q < min) {
		f->below_min = 1;
		f->why = arena_printf(c->arena, "%s on Binance is below its least "
		    "quantity (minQty %s, stepSize %s)", qty, l->min_qty, l->step);
		return NULL;
	}
	if (max > 0 && q > max) {
		f->why = arena_printf(c->arena, "%s on Binance is above its "
		    "greatest quantity (maxQty %s)", qty, l->max_qty);
		return NULL;
	}
	if (price != NULL && dec_parse_flags(price, strlen(price), VB_SCALE,
	    DEC_ZEROS_OK, &px) == DEC_OK && dec_parse_flags(l->min_notional,
	    strlen(l->min_notional), VB_SCALE, DEC_ZEROS_OK, &least) == DEC_OK &&
	    least > 0 && dec_mul(q, VB_SCALE, px, VB_SCALE, VB_SCALE,
	    DEC_ROUND_DOWN, &notional) == DEC_OK && notional < least) {
		f->below_min = 1;
		f->why = arena_printf(c->arena, "%s on Binance at %s is worth less "
		    "than its least order (minNotional %s)", qty, price,
		    l->min_notional);
		return NULL;
	}
	if (dec_format(q, VB_SCALE, buf, sizeof(buf)) == -1)
		return qty;
	return arena_strdup(c->arena, buf);
}

static int
vb_dust(struct ctx *c, const char *symbol, const char *qty, const char *price)
{
	struct venue_fill f;

	memset(&f, 0, sizeof(f));
	return qty != NULL && lot_qty(c, symbol, qty, price, &f) == NULL &&
	    f.below_min;
}

static void
vb_place_all(struct venue_call *calls, size_t n)
{
	struct binance_order_call *o;
	struct binance_creds *k;
	char (*ids)[BINANCE_KEY_ID_MAX + 1];
	size_t i, m = 0, *at;
	struct ctx *c;

	if (n == 0)
		return;
	c = calls[0].c;
	o = arena_calloc(c->arena, n, sizeof(*o));
	k = arena_calloc(c->arena, n, sizeof(*k));
	ids = arena_calloc(c->arena, n, sizeof(*ids));
	at = arena_calloc(c->arena, n, sizeof(*at));
	for (i = 0; i < n; i++) {
		memset(&calls[i].f, 0, sizeof(calls[i].f));
		if (o == NULL || k == NULL || ids == NULL || at == NULL) {
			calls[i].e = ERR_INTERNAL;
			continue;
		}
		/* What Binance would refuse goes no further: the key stays sealed. */
		if ((o[m].req.quantity = lot_qty(calls[i].c, calls[i].o.symbol,
		    calls[i].o.qty, calls[i].o.price, &calls[i].f)) == NULL) {
			calls[i].e = ERR_INVALID_REQUEST;
			continue;
		}
		if ((calls[i].e = key_open(calls[i].c, &k[m], ids[m],
		    &calls[i].f)) != ERR_OK)
			continue;
		o[m].k = &k[m];
		o[m].req.symbol = calls[i].o.symbol;
		o[m].req.side = calls[i].o.sell ? BINANCE_SELL : BINANCE_BUY;
		o[m].req.type = BINANCE_MARKET;
		o[m].req.client_order_id = calls[i].o.client_id;
		at[m++] = i;
	}
	if (m > 0)
		binance_orders_new(c, o, m);
	for (i = 0; i < m; i++) {
		binance_creds_wipe(&k[i]);
		calls[at[i]].e = call_done(calls[at[i]].c, o[i].e, &o[i].out,
		    &o[i].st, ids[i], &calls[at[i]].f);
	}
}

static enum err
vb_place(struct ctx *c, const struct venue_order *vo, struct venue_fill *f)
{
	struct venue_call call;

	memset(&call, 0, sizeof(call));
	call.c = c;
	call.o = *vo;
	vb_place_all(&call, 1);
	*f = call.f;
	return call.e;
}

/* Whether o's trades add up to what it executed: myTrades may lag behind. */
static int
trades_whole(const struct binance_order *o)
{
	int64_t sum = 0, q, x;
	size_t i;

	if (dec_parse_flags(o->executed_qty, strlen(o->executed_qty), VB_SCALE,
	    DEC_ZEROS_OK, &x) != DEC_OK)
		return 0;
	for (i = 0; i < o->nfills; i++) {
		if (dec_parse_flags(o->fills[i].qty, strlen(o->fills[i].qty),
		    VB_SCALE, DEC_ZEROS_OK, &q) != DEC_OK)
			return 0;
		sum += q;
	}
	return sum == x;
}

/*
 * The trades of an order found by lookup that executed: its fills, with
 * their commissions. ERR_OK (with none from a service without myTrades,
 * 404: fee 0), or st says why not: a 429 waits, a refused key is the
 * key's; trades that do not yet add up are looked up next run.
 */
static enum err
lookup_trades(struct ctx *c, const struct binance_creds *k,
    struct binance_order *o, struct binance_status *st)
{
	enum err e;

	if (binance_dec_zero(o->executed_qty))
		return ERR_OK;
	if ((e = binance_order_trades(c, k, o, st)) != ERR_OK) {
		if (st->http_status != 404)
			return e;
		log_info("binance: no myTrades (HTTP 404): order %lld settled "
		    "without its commission", (long long)o->order_id);
		memset(st, 0, sizeof(*st));
		return ERR_OK;
	}
	if (strcmp(o->status, "NEW") != 0 &&
	    strcmp(o->status, "PARTIALLY_FILLED") != 0 && !trades_whole(o)) {
		memset(st, 0, sizeof(*st));
		snprintf(st->msg, sizeof(st->msg), "its trades do not add up to "
		    "its executed quantity yet");
		return ERR_SYSTEM_003;
	}
	return ERR_OK;
}

/*
 * GET /api/v3/order carries no commissions: an order found this way (its
 * POST's answer was lost) that traded is settled with its trades
 * (myTrades) and their commissions. A service without myTrades (404)
 * leaves it at its executed quantity, fee 0; any other failure looks it
 * up again next run.
 */
static enum err
vb_lookup(struct ctx *c, const char *symbol, const char *client_id,
    struct venue_fill *f)
{
	char key_id[BINANCE_KEY_ID_MAX + 1];
	struct binance_creds k;
	struct binance_status st;
	struct binance_order o;
	enum err e;

	memset(f, 0, sizeof(*f));
	if ((e = key_open(c, &k, key_id, f)) != ERR_OK)
		return e;
	e = binance_order_get(c, &k, symbol, client_id, &o, &st);
	if (e == ERR_OK)
		e = lookup_trades(c, &k, &o, &st);
	binance_creds_wipe(&k);
	if (e == ERR_NOT_FOUND)
		return ERR_OK;
	e = call_done(c, e, &o, &st, key_id, f);
	return e == ERR_SYSTEM_002 ? ERR_SYSTEM_003 : e;
}

/*
 * The assets Binance quotes spot pairs in: a pair ends in its quote asset
 * (BTCUSDT: USDT). Where two end a pair, the longer names it (FDUSD, not
 * USD: there is no USD).
 */
static const char *const quote_assets[] = {
	"USDT", "USDC", "FDUSD", "TUSD", "BUSD", "USDP", "DAI", "BTC", "ETH",
	"BNB", "XRP", "DOGE", "TRX", "SOL", "DOT", "TRY", "EUR", "EURI", "AEUR",
	"GBP", "BRL", "AUD", "JPY", "PLN", "RON", "ZAR", "UAH", "ARS", "MXN",
	"COP", "CZK", "IDR", "NGN", "RUB", NULL
};

static const char *
vb_quote_asset(const char *symbol)
{
	size_t sl = strlen(symbol), al, best = 0, i;
	const char *q = NULL;

	for (i = 0; quote_assets[i] != NULL; i++) {
		al = strlen(quote_assets[i]);
		if (al < sl && al > best &&
		    strcmp(symbol + sl - al, quote_assets[i]) == 0) {
			best = al;
			q = quote_assets[i];
		}
	}
	return q;
}

static enum err
vb_key_refused(struct ctx *c, const char *key_id, const char *why)
{
	return binance_key_invalidate(c, c->actor->idtxt, key_id, why);
}

const struct venue venue_binance = {
	.name = "BINANCE",
	.prices = vb_prices,
	.closes = vb_closes,
	.ready = vb_ready,
	.place = vb_place,
	.place_all = vb_place_all,
	.lookup = vb_lookup,
	.key_refused = vb_key_refused,
	.dust = vb_dust,
	.quote_asset = vb_quote_asset,
};
