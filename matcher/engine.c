/* matcher/engine.c — apply inbox commands to the books and settle every fill into one batch of effects; no I/O */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/log.h"
#include "core/util.h"
#include "matcher/engine.h"
#include "matcher/engine_live.h"

#define TAB_INIT	1024

static const char *const ost_text[] = {
	[OST_NEW] = "NEW",
	[OST_PARTIALLY_FILLED] = "PARTIALLY_FILLED",
	[OST_FILLED] = "FILLED",
	[OST_CANCELED] = "CANCELED",
	[OST_REJECTED] = "REJECTED",
	[OST_EXPIRED] = "EXPIRED",
	[OST_EXPIRED_IN_MATCH] = "EXPIRED_IN_MATCH",
};

const char *
engine_status_text(enum ost s)
{
	return (unsigned)s < nitems(ost_text) ? ost_text[s] : "REJECTED";
}

/* Grow an array of n used elements of size sz to hold one more. */
static int
grow(void **v, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 64;
	if ((p = realloc(*v, ncap * sz)) == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

uint32_t
engine_owner(int64_t user_id)
{
	uint32_t o = (uint32_t)((uint64_t)user_id ^ ((uint64_t)user_id >> 32));

	return o != 0 ? o : 1;
}

/* ---- set-up ------------------------------------------------------------------ */

static void fill_cb(void *, const struct book_fill *);

int
engine_init(struct engine *e, int64_t fee_user)
{
	memset(e, 0, sizeof(*e));
	e->fee_user = fee_user;
	if ((e->tab = calloc(TAB_INIT, sizeof(*e->tab))) == NULL)
		return -1;
	e->tabmask = TAB_INIT - 1;
	return 0;
}

int
engine_market_add(struct engine *e, const struct market *m, int64_t book_seq,
    int64_t last_price)
{
	struct engine_market *mk;
	int64_t *fs;

	if ((mk = realloc(e->mk, (e->nmk + 1) * sizeof(*mk))) == NULL)
		return -1;
	e->mk = mk;
	if ((fs = realloc(e->feesum, (e->nmk + 1) * sizeof(*fs))) == NULL)
		return -1;
	e->feesum = fs;
	mk = &e->mk[e->nmk];
	memset(mk, 0, sizeof(*mk));
	mk->m = *m;
	mk->book_seq = book_seq;
	mk->last_price = last_price;
	if ((mk->book = book_new(fill_cb, e)) == NULL ||
	    (mk->stops = stops_new()) == NULL)
		return -1;
	e->feesum[e->nmk] = 0;
	return (int)e->nmk++;
}

int
engine_market_find(const struct engine *e, const char *symbol)
{
	size_t i;

	for (i = 0; i < e->nmk; i++)
		if (strcmp(e->mk[i].m.symbol, symbol) == 0)
			return (int)i;
	return -1;
}

static struct live *
live_new(const struct cmd *c, int mkt)
{
	struct live *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->id = c->order_id;
	o->user_id = c->user_id;
	snprintf(o->public_id, sizeof(o->public_id), "%s", c->public_id);
	o->mkt = mkt;
	o->side = c->side;
	o->type = c->type;
	o->tif = c->tif;
	o->stp = c->stp;
	o->price = c->price;
	o->qty = c->qty;
	o->stop = c->stop;
	o->triggered = c->stop > 0 && c->triggered;
	o->oco = c->oco;
	o->list_id = c->list_id;
	o->lock = c->lock;
	o->executed = c->executed;
	o->cum_quote = c->cum_quote;
	o->fees = c->fees;
	o->book_seq = c->book_seq;
	o->status = c->executed > 0 ? OST_PARTIALLY_FILLED : OST_NEW;
	return o;
}

int
engine_restore(struct engine *e, int mkt, const struct cmd *c)
{
	struct book_entry be;
	struct live *o;

	if (mkt < 0 || (size_t)mkt >= e->nmk)
		return -1;
	if (c->stop > 0 && !c->triggered) {
		if ((o = live_new(c, mkt)) == NULL)
			return -1;
		if (engine_live_put(e, o) == -1 || engine_stop_restore(e, mkt, o) == -1) {
			log_error("stop order %s cannot be restored",
			    c->public_id);
			engine_live_del(e, o->id);
			free(o);
			return -1;
		}
		return 0;
	}
	if (c->type != ORD_LIMIT || c->qty - c->executed <= 0)
		return -1;
	if ((o = live_new(c, mkt)) == NULL)
		return -1;
	be.id = (uint64_t)c->order_id;
	be.side = c->side == ORD_BUY ? BOOK_BUY : BOOK_SELL;
	be.price = c->price;
	be.qty = c->qty - c->executed;
	be.owner = engine_owner(c->user_id);
	if (book_restore(e->mk[mkt].book, &be) != BOOK_OK ||
	    engine_live_put(e, o) == -1) {
		log_error("order %s cannot be restored", c->public_id);
		free(o);
		return -1;
	}
	return 0;
}

/* ---- the batch --------------------------------------------------------------- */

void
engine_batch_begin(struct engine *e, int64_t now_ms)
{
	e->now_ms = now_ms;
	e->gen++;
}

/* The order's row in the batch, created on first touch. */
static struct order_rec *
rec_of(struct engine *e, struct live *o)
{
	struct order_rec *r;

	if (o->gen == e->gen)
		return &e->orders[o->rec];
	if (grow((void **)&e->orders, &e->caporders, e->norders,
	    sizeof(*e->orders)) == -1)
		return NULL;
	o->gen = e->gen;
	o->rec = e->norders++;
	r = &e->orders[o->rec];
	memset(r, 0, sizeof(*r));
	r->id = o->id;
	snprintf(r->public_id, sizeof(r->public_id), "%s", o->public_id);
	r->mkt = o->mkt;
	r->user_id = o->user_id;
	r->side = o->side;
	r->type = o->type;
	r->price = o->price;
	r->qty = o->qty;
	r->stop = o->stop;
	r->list_id = o->list_id;
	(void)trade_lock_asset(&e->mk[o->mkt].m, o->side, &r->lock_scale);
	return r;
}

int
engine_touch(struct engine *e, struct live *o)
{
	struct order_rec *r;

	if ((r = rec_of(e, o)) == NULL)
		return -1;
	r->status = o->status;
	r->triggered = o->triggered;
	r->executed = o->executed;
	r->cum_quote = o->cum_quote;
	r->fees = o->fees;
	r->lock = o->lock;
	r->book_seq = o->book_seq;
	r->list_count = o->list_count;
	return 0;
}

static int
ledger(struct engine *e, int64_t user, const char *asset, int scale,
    int64_t d_avail, int64_t d_locked, enum ledger_kind kind, const char *ref)
{
	struct ledger_rec *l;

	if (d_avail == 0 && d_locked == 0)
		return 0;
	if (grow((void **)&e->ledger, &e->capledger, e->nledger,
	    sizeof(*e->ledger)) == -1)
		return -1;
	l = &e->ledger[e->nledger++];
	l->user_id = user;
	l->asset = asset;
	l->scale = scale;
	l->d_available = d_avail;
	l->d_locked = d_locked;
	l->kind = kind;
	l->n = e->nledger;
	snprintf(l->ref, sizeof(l->ref), "%s", ref);
	return 0;
}

/*
 * The order is done (filled, cancelled, expired): what it still has
 * locked goes back to available, and it leaves the engine at the batch's
 * end.
 */
int
engine_finish(struct engine *e, struct live *o, enum ost status)
{
	const char *asset;
	int scale;

	/* A leg that ends ends its list: the other leg is cancelled. */
	if (o->oco != 0 && engine_oco_cut(e, o) == -1)
		return -1;
	asset = trade_lock_asset(&e->mk[o->mkt].m, o->side, &scale);
	if (ledger(e, o->user_id, asset, scale, o->lock, -o->lock,
	    LK_ORDER_UNLOCK, o->public_id) == -1)
		return -1;
	o->lock = 0;
	o->status = status;
	if (engine_touch(e, o) == -1)
		return -1;
	e->orders[o->rec].done = 1;
	engine_live_del(e, o->id);
	o->next_gone = e->gone;
	e->gone = o;
	return 0;
}

static void
kline_add(struct engine_market *mk, int64_t now_ms, int64_t price,
    int64_t qty, int64_t quote)
{
	struct kline *k;
	int64_t t;
	int i;

	for (i = 0; i < KL_COUNT; i++) {
		k = &mk->kl[i];
		t = now_ms / 1000 / kline_seconds[i] * kline_seconds[i];
		if (!k->used || k->open_time != t) {
			memset(k, 0, sizeof(*k));
			k->used = 1;
			k->open_time = t;
			k->open = k->high = k->low = price;
		}
		if (price > k->high)
			k->high = price;
		if (price < k->low)
			k->low = price;
		k->close = price;
		k->volume += qty;
		k->quote_volume += quote;
		k->trades++;
	}
}

/* The batch's record of fill f between maker and taker; NULL if none. */
static struct trade_rec *
trade_add(struct engine *e, const struct book_fill *f, const struct live *maker,
    const struct live *taker, int64_t quote, int64_t maker_fee,
    int64_t taker_fee)
{
	struct trade_rec *t;

	if (grow((void **)&e->trades, &e->captrades, e->ntrades,
	    sizeof(*e->trades)) == -1)
		return NULL;
	t = &e->trades[e->ntrades];
	if (util_public_id("trd_", t->public_id, sizeof(t->public_id)) == -1)
		return NULL;
	e->ntrades++;
	t->mkt = e->cur;
	t->price = f->price;
	t->qty = f->qty;
	t->quote = quote;
	t->maker_fee = maker_fee;
	t->taker_fee = taker_fee;
	t->maker_order = maker->id;
	t->taker_order = taker->id;
	t->maker_user = maker->user_id;
	t->taker_user = taker->user_id;
	t->maker_side = maker->side;
	return t;
}

/*
 * One fill, settled: the buyer's lock pays the quote amount and the
 * buyer's fee and the buyer gets the base; the seller's lock gives the
 * base and the seller gets the quote amount less the seller's fee; both
 * fees go to the fee account. Fees are taken in the quote asset, at the
 * market's rates now (store_status() reads them with every batch); a
 * buy pays no more than its lock covers (trade_buy_fee()).
 */
static int
settle(struct engine *e, const struct book_fill *f)
{
	struct engine_market *mk = &e->mk[e->cur];
	const struct market *m = &mk->m;
	struct live *taker = e->taker, *maker, *buyer, *seller;
	struct trade_rec *t;
	int64_t quote, fee_b, fee_s, base, spend;
	int buyer_maker;

	if ((maker = engine_live_get(e, (int64_t)f->maker_id)) == NULL ||
	    taker == NULL || (int64_t)f->taker_id != taker->id) {
		log_error("fill for an order the engine does not hold");
		return -1;
	}
	buyer_maker = f->taker_side == BOOK_SELL;
	buyer = buyer_maker ? maker : taker;
	seller = buyer_maker ? taker : maker;
	if (trade_quote_amount(m, f->price, f->qty, &quote) == -1 ||
	    trade_buy_fee(m, quote, buyer_maker, buyer->type == ORD_LIMIT ?
	    buyer->price : 0, buyer->qty - buyer->executed, buyer->lock,
	    &fee_b) == -1 ||
	    trade_fee(m, quote, !buyer_maker, &fee_s) == -1 ||
	    trade_base_amount(m, f->qty, &base) == -1 ||
	    dec_add(quote, fee_b, &spend) != DEC_OK)
		return -1;
	if (spend > buyer->lock || base > seller->lock) {
		log_error("%s: a fill exceeds the order's lock", m->symbol);
		return -1;
	}
	if (buyer->user_id == seller->user_id) {
		log_error("%s: a trade between one user's orders", m->symbol);
		return -1;
	}
	if ((t = trade_add(e, f, maker, taker, quote,
	    buyer_maker ? fee_b : fee_s, buyer_maker ? fee_s : fee_b)) == NULL)
		return -1;
	buyer->lock -= spend;
	seller->lock -= base;
	buyer->fees += fee_b;
	seller->fees += fee_s;
	buyer->executed += f->qty;
	seller->executed += f->qty;
	buyer->cum_quote += quote;
	seller->cum_quote += quote;
	e->feesum[e->cur] += fee_b + fee_s;
	if (ledger(e, buyer->user_id, m->quote, m->quote_scale, 0, -spend,
	    LK_TRADE, t->public_id) == -1 ||
	    ledger(e, buyer->user_id, m->base, m->base_scale, base, 0,
	    LK_TRADE, t->public_id) == -1 ||
	    ledger(e, seller->user_id, m->base, m->base_scale, 0, -base,
	    LK_TRADE, t->public_id) == -1 ||
	    ledger(e, seller->user_id, m->quote, m->quote_scale,
	    quote - fee_s, 0, LK_TRADE, t->public_id) == -1)
		return -1;
	kline_add(mk, e->now_ms, f->price, f->qty, quote);
	mk->last_price = f->price;
	mk->last_trade_ms = e->now_ms;
	/* The stops this trade crosses queue in its order (stops.h). */
	if (stops_trade(mk->stops, f->price) != BOOK_OK)
		return -1;
	/* A fill, even a part, of an OCO leg cancels the other leg. */
	if ((maker->oco != 0 && engine_oco_cut(e, maker) == -1) ||
	    (e->taker->oco != 0 && engine_oco_cut(e, e->taker) == -1))
		return -1;

	if (f->maker_left == 0)
		return engine_finish(e, maker, OST_FILLED);
	maker->status = OST_PARTIALLY_FILLED;
	return engine_touch(e, maker);
}

/* Self-trade prevention took a maker out of the book: it expires. */
static int
prevented(struct engine *e, const struct book_fill *f)
{
	struct live *maker;

	if ((maker = engine_live_get(e, (int64_t)f->maker_id)) == NULL) {
		log_error("prevention for an order the engine does not hold");
		return -1;
	}
	return engine_finish(e, maker, OST_EXPIRED_IN_MATCH);
}

static void
fill_cb(void *arg, const struct book_fill *f)
{
	struct engine *e = arg;

	if (!e->fault && (f->prevented ? prevented(e, f) : settle(e, f)) == -1)
		e->fault = 1;
}

static int
apply_new(struct engine *e, int mkt, const struct cmd *c)
{
	struct engine_market *mk = &e->mk[mkt];
	struct live *o;

	if (engine_live_get(e, c->order_id) != NULL) {
		log_error("order %s is already in the book", c->public_id);
		return 0;
	}
	if ((o = live_new(c, mkt)) == NULL)
		return -1;
	o->book_seq = ++mk->book_seq;
	o->status = OST_NEW;
	if (engine_live_put(e, o) == -1) {
		free(o);
		return -1;
	}
	if (engine_touch(e, o) == -1)
		return -1;
	e->orders[o->rec].fresh = 1;
	/* A stop leg whose list a fill or an end of its limit leg cut. */
	if (o->oco != 0 && !engine_oco_stands(e, o))
		return engine_finish(e, o, OST_CANCELED);
	/* A socket order was admitted before its funds were locked. */
	if (!c->direct) {
		if (engine_admit(e, mkt, c, &e->refused) == -1)
			return -1;
		if (e->refused.kind != TRADE_REF_NONE)
			return engine_finish(e, o, OST_REJECTED);
	}
	if (o->stop > 0)
		return engine_stop_place(e, mkt, o);
	return engine_submit(e, mkt, o);
}

int
engine_submit(struct engine *e, int mkt, struct live *o)
{
	struct engine_market *mk = &e->mk[mkt];
	struct book_order bo;
	struct book_result res;
	int64_t lots, want, lo = 0, hi = 0;
	int by_depth = 0, banded = 0, rc;
	size_t n;

	memset(&bo, 0, sizeof(bo));
	bo.id = (uint64_t)o->id;
	bo.side = o->side == ORD_BUY ? BOOK_BUY : BOOK_SELL;
	bo.tif = o->tif == ORD_GTC ? BOOK_GTC : o->tif == ORD_IOC ? BOOK_IOC :
	    BOOK_FOK;
	bo.type = o->type == ORD_LIMIT ? BOOK_LIMIT : BOOK_MARKET;
	bo.price = o->price;
	bo.qty = o->qty;
	bo.owner = engine_owner(o->user_id);
	bo.stp = (enum book_stp)o->stp;
	/*
	 * A market order walks the book no further than the price band, as
	 * a limit order at the band's edge (IOC, or FOK) would: the band is
	 * the one around the price before its first fill.
	 */
	if (o->type == ORD_MARKET &&
	    (banded = engine_band(e, mkt, o->side, &lo, &hi))) {
		bo.type = BOOK_LIMIT;
		bo.price = o->side == ORD_BUY ? hi : lo;
	}
	if (o->type == ORD_MARKET && o->side == ORD_BUY) {
		/* As much as the lock pays for, at the prices the book has. */
		want = o->qty > 0 ? o->qty : TRADE_QTY_MAX;
		/* Asks STP would take away are no price it pays (book.h). */
		n = engine_levels(e, mk->book, BOOK_SELL, banded ? hi : 0,
		    o->qty > 0 ? o->qty : 0, o->stp == ORD_STP_EXPIRE_MAKER ?
		    bo.owner : 0);
		if (trade_affordable(&mk->m, e->olevels, n, o->lock, want,
		    &lots, &by_depth) == -1)
			return -1;
		if (lots == 0 || (o->tif == ORD_FOK && o->qty > 0 &&
		    lots < o->qty))
			return engine_finish(e, o, OST_EXPIRED);
		bo.qty = lots;
		if (o->qty == 0)
			bo.tif = BOOK_IOC;
	}
	e->taker = o;
	e->cur = mkt;
	rc = book_add(mk->book, &bo, &res);
	e->taker = NULL;
	if (rc != BOOK_OK) {
		log_error("order %s refused by the book (%d)", o->public_id, rc);
		return e->fault ? -1 : engine_finish(e, o, OST_REJECTED);
	}
	if (e->fault)
		return -1;
	if (res.status == BOOK_RESTING) {
		o->status = o->executed > 0 ? OST_PARTIALLY_FILLED : OST_NEW;
		return engine_touch(e, o);
	}
	if (res.status == BOOK_FILLED && (o->qty > 0 ? o->executed == o->qty :
	    !by_depth))
		return engine_finish(e, o, OST_FILLED);
	/* Binance's status for what self-trade prevention expired. */
	return engine_finish(e, o, res.stp ? OST_EXPIRED_IN_MATCH :
	    OST_EXPIRED);
}

int
engine_holds(const struct engine *e, int mkt, int64_t order_id,
    int64_t user_id)
{
	const struct live *o = engine_live_get(e, order_id);

	return o != NULL && o->mkt == mkt && o->user_id == user_id;
}

static int
apply_cancel(struct engine *e, int mkt, const struct cmd *c)
{
	struct live *o = engine_live_get(e, c->order_id);
	int rc;

	/* Already done (filled meanwhile): nothing to cancel. */
	if (o == NULL || o->mkt != mkt)
		return 0;
	if ((rc = engine_stop_cancel(e, mkt, o)) != 0)
		return rc == -1 ? -1 : engine_finish(e, o, OST_CANCELED);
	if (book_cancel(e->mk[mkt].book, (uint64_t)o->id, NULL) != BOOK_OK) {
		log_error("order %s held but not in the book", o->public_id);
		return -1;
	}
	return engine_finish(e, o, OST_CANCELED);
}

int
engine_apply(struct engine *e, int mkt, const struct cmd *c)
{
	int rc;

	if (mkt < 0 || (size_t)mkt >= e->nmk)
		return -1;
	if (!c->direct) {
		if (grow((void **)&e->seqs, &e->capseqs, e->nseqs,
		    sizeof(*e->seqs)) == -1)
			return -1;
		e->seqs[e->nseqs++] = c->seq;
	}
	if (c->seq > e->top_seq)
		e->top_seq = c->seq;
	e->mk[mkt].touched = 1;
	if (c->seq > e->mk[mkt].last_seq)
		e->mk[mkt].last_seq = c->seq;
	e->refused.kind = TRADE_REF_NONE;
	rc = c->kind == CMD_NEW ? apply_new(e, mkt, c) : apply_cancel(e, mkt, c);
	/* The stops its trades triggered, in the same batch. */
	if (rc != -1)
		rc = engine_stop_run(e, mkt);
	if (rc == -1)
		e->fault = 1;
	return rc;
}

int
engine_skip(struct engine *e, int64_t seq)
{
	if (grow((void **)&e->seqs, &e->capseqs, e->nseqs,
	    sizeof(*e->seqs)) == -1)
		return -1;
	e->seqs[e->nseqs++] = seq;
	if (seq > e->top_seq)
		e->top_seq = seq;
	return 0;
}

int
engine_lock(struct engine *e, int mkt, const struct cmd *c)
{
	const char *asset;
	int scale;

	if (mkt < 0 || (size_t)mkt >= e->nmk || c->lock < 0)
		return -1;
	asset = trade_lock_asset(&e->mk[mkt].m, c->side, &scale);
	return ledger(e, c->user_id, asset, scale, -c->lock, c->lock,
	    LK_ORDER_LOCK, c->public_id);
}

static int
ledger_cmp(const void *a, const void *b)
{
	const struct ledger_rec *x = a, *y = b;
	int c;

	if (x->user_id != y->user_id)
		return x->user_id < y->user_id ? -1 : 1;
	if ((c = strcmp(x->asset, y->asset)) != 0)
		return c;
	/* Keep the rows of one balance in the order they happened. */
	return x->n < y->n ? -1 : x->n > y->n;
}

int
engine_batch_seal(struct engine *e)
{
	char ref[40];
	size_t i, j;
	int64_t sum;

	snprintf(ref, sizeof(ref), "batch:%lld", (long long)e->top_seq);
	for (i = 0; i < e->nmk; i++) {
		if (e->feesum[i] == 0)
			continue;
		/* Markets sharing a quote asset give one row. */
		sum = 0;
		for (j = i; j < e->nmk; j++)
			if (strcmp(e->mk[j].m.quote, e->mk[i].m.quote) == 0) {
				sum += e->feesum[j];
				if (j != i)
					e->feesum[j] = 0;
			}
		if (ledger(e, e->fee_user, e->mk[i].m.quote,
		    e->mk[i].m.quote_scale, sum, 0, LK_FEE, ref) == -1)
			return -1;
		e->feesum[i] = 0;
	}
	/*
	 * Within one balance the order does not change the result either:
	 * the engine's rows only add to available and only take from locked
	 * what an order of that user had locked.
	 */
	if (e->nledger > 1)
		qsort(e->ledger, e->nledger, sizeof(*e->ledger), ledger_cmp);
	return 0;
}

int64_t
engine_batch_net(const struct engine *e, const char *asset)
{
	int64_t net = 0;
	size_t i;

	for (i = 0; i < e->nledger; i++)
		if (strcmp(e->ledger[i].asset, asset) == 0)
			net += e->ledger[i].d_available + e->ledger[i].d_locked;
	for (i = 0; i < e->nmk; i++)
		if (strcmp(e->mk[i].m.quote, asset) == 0)
			net += e->feesum[i];
	return net;
}

void
engine_batch_end(struct engine *e)
{
	struct live *o;
	size_t i;

	while ((o = e->gone) != NULL) {
		e->gone = o->next_gone;
		free(o);
	}
	/* Candles go out as each batch's part, merged by the upsert. */
	for (i = 0; i < e->nmk; i++) {
		e->mk[i].touched = 0;
		e->feesum[i] = 0;
		memset(e->mk[i].kl, 0, sizeof(e->mk[i].kl));
	}
	e->ntrades = e->nledger = e->norders = e->nseqs = 0;
	e->top_seq = 0;
	e->fault = 0;
	e->gen++;
}

void
engine_free(struct engine *e)
{
	size_t i;

	engine_batch_end(e);
	for (i = 0; e->tab != NULL && i <= e->tabmask; i++)
		free(e->tab[i]);
	free(e->tab);
	for (i = 0; i < e->nmk; i++) {
		book_free(e->mk[i].book);
		stops_free(e->mk[i].stops);
	}
	free(e->mk);
	free(e->feesum);
	free(e->trades);
	free(e->ledger);
	free(e->orders);
	free(e->seqs);
	free(e->levels);
	free(e->olevels);
	memset(e, 0, sizeof(*e));
}
