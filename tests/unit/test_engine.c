/* tests/unit/test_engine.c — the matcher's engine without a database: settlement, conservation, locks, rebuilds */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/engine.h"
#include "tests/unit/fixture.h"
#include "tests/unit/tap.h"

#define USERS		4
#define FEE_USER	100
#define MAXORD		20000
#define NASSET		3

static const char *const assets[NASSET] = { "BTC", "TRY", "ETH" };

static int
asset_ix(const char *a)
{
	int i;

	for (i = 0; i < NASSET; i++)
		if (strcmp(assets[i], a) == 0)
			return i;
	return -1;
}

/* The world as the database would hold it. */
struct world {
	int64_t		 avail[FEE_USER + 1][NASSET];
	int64_t		 locked[FEE_USER + 1][NASSET];
	struct ordst {
		int	 used, open, mkt;
		int64_t	 user;
		struct cmd c;		/* as placed; progress in the fields below */
		int64_t	 executed, cum_quote, fees, lock, book_seq;
		int	 triggered;
	}		 ord[MAXORD];
	int64_t		 nextid, seq;
	int		 negative, badrow;
	int		 triggered, stopcancel;
};

static void
apply_batch(struct engine *e, struct world *w)
{
	size_t i;
	int a;

	for (i = 0; i < e->nledger; i++) {
		const struct ledger_rec *l = &e->ledger[i];

		if ((a = asset_ix(l->asset)) == -1 || l->user_id > FEE_USER) {
			w->badrow++;
			continue;
		}
		w->avail[l->user_id][a] += l->d_available;
		w->locked[l->user_id][a] += l->d_locked;
		if (w->avail[l->user_id][a] < 0 || w->locked[l->user_id][a] < 0)
			w->negative++;
	}
	for (i = 0; i < e->norders; i++) {
		const struct order_rec *r = &e->orders[i];
		struct ordst *o = &w->ord[r->id];

		o->executed = r->executed;
		o->cum_quote = r->cum_quote;
		o->fees = r->fees;
		o->lock = r->lock;
		o->book_seq = r->book_seq;
		if (r->stop > 0 && r->triggered && !o->triggered)
			w->triggered++;
		if (r->stop > 0 && !r->triggered && r->status == OST_CANCELED)
			w->stopcancel++;
		o->triggered = r->triggered;
		o->open = r->status == OST_NEW || r->status == OST_PARTIALLY_FILLED;
		if (!o->open && r->lock != 0)
			w->badrow++;
	}
}

/* Place an order as order_place() would: lock first, then the command. */
static int
place(struct engine *e, struct world *w, uint64_t *s, int m, struct cmd *c)
{
	const struct market *mk = &e->mk[m].m;
	int64_t user = fx_between(s, 1, USERS), lock, cost, got, mid;
	int la, kind = (int)fx_between(s, 0, 9);
	struct book_level lv[64];
	struct trade_level ol[64];
	size_t n, i;

	memset(c, 0, sizeof(*c));
	if (w->nextid >= MAXORD)
		return -1;
	c->kind = CMD_NEW;
	c->order_id = w->nextid;
	c->user_id = user;
	snprintf(c->public_id, sizeof(c->public_id), "ord_t%019lld",
	    (long long)w->nextid);
	c->side = fx_rnd(s) & 1 ? ORD_BUY : ORD_SELL;
	mid = mk->price_scale == 2 ? 185000000 : 5000000;
	c->type = kind < 7 ? ORD_LIMIT : ORD_MARKET;
	c->tif = kind < 5 ? ORD_GTC : kind == 5 ? ORD_IOC : kind == 6 ? ORD_FOK :
	    fx_rnd(s) & 1 ? ORD_IOC : ORD_FOK;
	c->price = c->type == ORD_LIMIT ? mid + fx_between(s, -20, 20) * 100 : 0;
	c->qty = fx_between(s, 1, 2000000);
	c->stp = (enum ord_stp)fx_between(s, 0, 2);
	/* One in six a stop order, its stop a little beyond the mid. */
	if (fx_between(s, 0, 5) == 0) {
		c->stop = mid + (c->side == ORD_BUY ? 1 : -1) *
		    fx_between(s, 1, 20) * 100;
		if (c->type == ORD_LIMIT)
			c->price = c->stop + (c->side == ORD_BUY ? 1 : -1) *
			    fx_between(s, -2, 5) * 100;
	}
	if (c->side == ORD_SELL) {
		la = asset_ix(mk->base);
		if (trade_base_amount(mk, c->qty, &lock) == -1)
			return -1;
	} else {
		la = asset_ix(mk->quote);
		if (c->type == ORD_LIMIT) {
			if (trade_buy_lock(mk, c->price, c->qty, &lock) == -1)
				return -1;
		} else if (fx_rnd(s) & 1) {
			c->qty = 0;	/* by quote amount */
			lock = fx_between(s, 100, 500000);
		} else if (c->stop > 0) {
			struct trade_order to = { .side = c->side,
			    .type = c->type, .qty = c->qty, .stop = c->stop };
			struct trade_lock tl;

			if (trade_lock(mk, &to, NULL, &tl) != TRADE_LOCK_OK)
				return -1;
			lock = tl.amount;
		} else {
			n = book_depth(e->mk[m].book, BOOK_SELL, lv, 64);
			for (i = 0; i < n; i++) {
				ol[i].price = lv[i].price;
				ol[i].qty = lv[i].qty;
			}
			if (trade_cost(mk, ol, n, c->qty, &cost, &got) == -1)
				return -1;
			lock = cost + cost / 20;
		}
	}
	if (lock > w->avail[user][la])
		return -1;		/* INSUFFICIENT_BALANCE */
	w->avail[user][la] -= lock;
	w->locked[user][la] += lock;
	c->lock = lock;
	c->seq = ++w->seq;
	w->ord[w->nextid].used = 1;
	w->ord[w->nextid].open = 1;
	w->ord[w->nextid].mkt = m;
	w->ord[w->nextid].user = user;
	w->ord[w->nextid].c = *c;
	w->nextid++;
	return 0;
}

static int
cancel_pick(struct world *w, uint64_t *s, struct cmd *c)
{
	int64_t id, tries;

	for (tries = 0; tries < 20; tries++) {
		id = fx_between(s, 1, w->nextid > 1 ? w->nextid - 1 : 1);
		if (w->ord[id].used && w->ord[id].open) {
			*c = w->ord[id].c;
			c->kind = CMD_CANCEL;
			c->seq = ++w->seq;
			return 0;
		}
	}
	return -1;
}

static struct engine *
engine_make(void)
{
	static struct engine e;
	struct market a = fx_market("BTCTRY", "BTC", "TRY", 2, 8, 8, 2);
	struct market b = fx_market("ETHBTC", "ETH", "BTC", 8, 8, 8, 8);

	memset(&e, 0, sizeof(e));
	if (engine_init(&e, FEE_USER) == -1 ||
	    engine_market_add(&e, &a, 0, 0) != 0 ||
	    engine_market_add(&e, &b, 0, 0) != 1)
		return NULL;
	return &e;
}

/* Rebuild an engine from the world, as store_load() does from PostgreSQL. */
static int
rebuild(struct engine *e, struct world *w, const struct engine *from)
{
	int64_t bs0 = from->mk[0].book_seq, bs1 = from->mk[1].book_seq;
	int64_t lp0 = from->mk[0].last_price, lp1 = from->mk[1].last_price;
	struct market a = e->mk[0].m, b = e->mk[1].m;
	int64_t i, j, n = 0, *ids;
	struct cmd c;

	engine_free(e);
	if (engine_init(e, FEE_USER) == -1 ||
	    engine_market_add(e, &a, bs0, lp0) != 0 ||
	    engine_market_add(e, &b, bs1, lp1) != 1 ||
	    (ids = calloc(MAXORD, sizeof(*ids))) == NULL)
		return -1;
	for (i = 1; i < w->nextid; i++)
		if (w->ord[i].used && w->ord[i].open)
			ids[n++] = i;
	/* book_seq order: a small insertion sort is plenty here. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && w->ord[ids[j - 1]].book_seq >
		    w->ord[ids[j]].book_seq; j--) {
			int64_t t = ids[j];

			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		const struct ordst *o = &w->ord[ids[i]];

		c = o->c;
		c.executed = o->executed;
		c.cum_quote = o->cum_quote;
		c.fees = o->fees;
		c.lock = o->lock;
		c.book_seq = o->book_seq;
		c.triggered = o->triggered;
		if (engine_restore(e, o->mkt, &c) == -1) {
			free(ids);
			return -1;
		}
	}
	free(ids);
	return 0;
}

struct tsum {
	int64_t	 n, qty, quote, maker_sum, price_sum;
};

static void
trades_sum(const struct engine *e, struct tsum *t)
{
	size_t i;

	for (i = 0; i < e->ntrades; i++) {
		t->n++;
		t->qty += e->trades[i].qty;
		t->quote += e->trades[i].quote;
		t->maker_sum += e->trades[i].maker_order * (int64_t)(i + 1);
		t->price_sum += e->trades[i].price;
	}
}

/*
 * A random stream on two markets in batches: every batch nets to zero per
 * asset, no balance goes negative, finished orders hold no lock, and what
 * users have locked equals what their open orders hold.
 */
static void
test_stream(uint64_t seed, int ncmd, int rebuild_every)
{
	static struct world w;
	struct engine *e = engine_make(), *twin = NULL;
	static struct engine twin_e;
	struct market a, b;
	struct tsum ts = { 0 }, tt = { 0 };
	struct cmd c;
	uint64_t s = seed * 2 + 1;
	int64_t total0[NASSET] = { 0 }, total[NASSET], lk[FEE_USER + 1][NASSET];
	int i, k, m, batchn = 0, netbad = 0, sealbad = 0, applybad = 0,
	    rebuilt = 0, fees_changed = 0;
	int64_t u;

	memset(&w, 0, sizeof(w));
	w.nextid = 1;
	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	for (u = 1; u <= USERS; u++) {
		w.avail[u][0] = 1000 * 100000000LL;	/* 1000 BTC */
		w.avail[u][1] = 500000000 * 100LL;	/* 500M TRY */
		w.avail[u][2] = 10000 * 100000000LL;	/* 10000 ETH */
		for (k = 0; k < NASSET; k++)
			total0[k] += w.avail[u][k];
	}
	/* A twin engine takes the same commands and is rebuilt now and then. */
	if (rebuild_every > 0) {
		a = e->mk[0].m;
		b = e->mk[1].m;
		twin = &twin_e;
		if (engine_init(twin, FEE_USER) == -1 ||
		    engine_market_add(twin, &a, 0, 0) != 0 ||
		    engine_market_add(twin, &b, 0, 0) != 1) {
			ok(0, "twin engine");
			return;
		}
	}
	engine_batch_begin(e, 1700000000000LL);
	if (twin)
		engine_batch_begin(twin, 1700000000000LL);
	for (i = 0; i < ncmd; i++) {
		m = (int)(fx_rnd(&s) % 2);
		if (fx_rnd(&s) % 5 == 0 ? cancel_pick(&w, &s, &c) :
		    place(e, &w, &s, m, &c))
			continue;
		if (c.kind == CMD_CANCEL)
			m = w.ord[c.order_id].mkt;
		if (engine_apply(e, m, &c) == -1)
			applybad++;
		if (twin && engine_apply(twin, m, &c) == -1)
			applybad++;
		if (++batchn % 37 != 0)
			continue;
		if (engine_batch_seal(e) == -1)
			sealbad++;
		for (k = 0; k < NASSET; k++)
			if (engine_batch_net(e, assets[k]) != 0)
				netbad++;
		trades_sum(e, &ts);
		apply_batch(e, &w);
		engine_batch_end(e);
		engine_batch_begin(e, 1700000000000LL + i);
		/*
		 * Now and then the operator sets a market's fees, as the
		 * matcher reads them between batches: resting buys then fill
		 * at rates their locks were not figured at.
		 */
		if (fx_rnd(&s) % 3 == 0) {
			k = (int)(fx_rnd(&s) % 2);
			e->mk[k].m.maker_fee = fx_between(&s, 0, 99999);
			e->mk[k].m.taker_fee = fx_between(&s, 0, 99999);
			if (twin) {
				twin->mk[k].m.maker_fee = e->mk[k].m.maker_fee;
				twin->mk[k].m.taker_fee = e->mk[k].m.taker_fee;
			}
			fees_changed++;
		}
		if (twin) {
			if (engine_batch_seal(twin) == -1)
				sealbad++;
			trades_sum(twin, &tt);
			engine_batch_end(twin);
			if (batchn % rebuild_every == 0) {
				if (rebuild(twin, &w, e) == -1)
					applybad++;
				rebuilt++;
			}
			engine_batch_begin(twin, 1700000000000LL + i);
		}
	}
	engine_batch_seal(e);
	trades_sum(e, &ts);
	apply_batch(e, &w);
	engine_batch_end(e);
	if (twin) {
		engine_batch_seal(twin);
		trades_sum(twin, &tt);
		engine_batch_end(twin);
	}
	is_int(applybad, 0, "seed %llu: every command applied", (unsigned long long)seed);
	is_int(sealbad, 0, "seed %llu: every batch sealed", (unsigned long long)seed);
	is_int(netbad, 0, "seed %llu: every batch nets to zero per asset",
	    (unsigned long long)seed);
	is_int(w.negative, 0, "seed %llu: no balance ever negative",
	    (unsigned long long)seed);
	is_int(w.badrow, 0, "seed %llu: done orders keep no lock",
	    (unsigned long long)seed);
	ok(ts.n > 100, "seed %llu: %lld trades", (unsigned long long)seed,
	    (long long)ts.n);
	ok(w.triggered > 50 && w.stopcancel > 5,
	    "seed %llu: %d stops triggered, %d cancelled before",
	    (unsigned long long)seed, w.triggered, w.stopcancel);
	memset(total, 0, sizeof(total));
	memset(lk, 0, sizeof(lk));
	for (u = 1; u <= FEE_USER; u++)
		for (k = 0; k < NASSET; k++)
			total[k] += w.avail[u][k] + w.locked[u][k];
	for (k = 0; k < NASSET; k++)
		is_int(total[k], total0[k], "seed %llu: %s neither created nor lost",
		    (unsigned long long)seed, assets[k]);
	for (i = 1; i < w.nextid; i++)
		if (w.ord[i].used && w.ord[i].open) {
			struct market *mm = &e->mk[w.ord[i].mkt].m;

			k = asset_ix(w.ord[i].c.side == ORD_BUY ? mm->quote :
			    mm->base);
			lk[w.ord[i].user][k] += w.ord[i].lock;
		}
	k = 0;
	for (u = 1; u <= USERS; u++)
		for (i = 0; i < NASSET; i++)
			if (lk[u][i] != w.locked[u][i])
				k++;
	is_int(k, 0, "seed %llu: locked balances are the open orders' locks",
	    (unsigned long long)seed);
	ok(w.avail[FEE_USER][1] > 0, "seed %llu: fees reached the fee account",
	    (unsigned long long)seed);
	ok(fees_changed > 10, "seed %llu: through %d changes of fees",
	    (unsigned long long)seed, fees_changed);
	if (twin) {
		ok(rebuilt > 3, "seed %llu: twin rebuilt %d times",
		    (unsigned long long)seed, rebuilt);
		ok(tt.n == ts.n && tt.qty == ts.qty && tt.quote == ts.quote &&
		    tt.maker_sum == ts.maker_sum && tt.price_sum == ts.price_sum,
		    "seed %llu: a rebuilt engine makes exactly the same trades",
		    (unsigned long long)seed);
		engine_free(twin);
	}
	engine_free(e);
}

/*
 * The orders of spec §11.2 step 3: user 2 sells 0.01 BTC at 1,850,000.00
 * (GTC), user 1 buys 0.005 BTC at market with 9268.50 + 5% locked.
 */
static void
flow_orders(int64_t seq, struct cmd *sell, struct cmd *buy)
{
	memset(sell, 0, sizeof(*sell));
	sell->seq = seq;
	sell->kind = CMD_NEW;
	sell->order_id = 1;
	sell->user_id = 2;
	snprintf(sell->public_id, sizeof(sell->public_id), "ord_sell");
	sell->side = ORD_SELL;
	sell->type = ORD_LIMIT;
	sell->tif = ORD_GTC;
	sell->price = 185000000;
	sell->qty = 1000000;		/* 0.01 BTC */
	sell->lock = 1000000;
	*buy = *sell;
	buy->seq = seq + 1;
	buy->order_id = 2;
	buy->user_id = 1;
	snprintf(buy->public_id, sizeof(buy->public_id), "ord_buy");
	buy->side = ORD_BUY;
	buy->type = ORD_MARKET;
	buy->tif = ORD_IOC;
	buy->qty = 500000;		/* 0.005 BTC */
	buy->lock = 973193;		/* 9268.50 + 5% */
}

/* Spec §11.2 step 3 in the engine: a market buy against a resting sell. */
static void
test_flow(void)
{
	struct engine *e = engine_make();
	struct cmd sell, buy, cxl;
	const struct order_rec *r;
	int64_t lock;
	size_t i;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	flow_orders(1, &sell, &buy);
	engine_batch_begin(e, 1700000000000LL);
	ok(engine_apply(e, 0, &sell) == 0 && engine_apply(e, 0, &buy) == 0,
	    "sell rests, market buy takes");
	ok(engine_batch_seal(e) == 0, "batch sealed");
	is_int(e->ntrades, 1, "one trade");
	is_int(e->trades[0].quote, 925000, "9250.00 TRY");
	is_int(e->trades[0].taker_fee, 1850, "taker fee 18.50");
	is_int(e->trades[0].maker_fee, 925, "maker fee 9.25");
	for (i = 0; i < e->norders; i++) {
		r = &e->orders[i];
		if (r->id == 2) {
			is_int(r->status, OST_FILLED, "the buy is FILLED");
			is_int(r->lock, 0, "and its lock released");
		} else {
			is_int(r->status, OST_PARTIALLY_FILLED, "the sell is partly filled");
			is_int(r->lock, 500000, "and keeps 0.005 BTC locked");
		}
	}
	lock = 0;
	for (i = 0; i < e->nledger; i++)
		if (e->ledger[i].user_id == FEE_USER)
			lock += e->ledger[i].d_available;
	is_int(lock, 2775, "27.75 TRY of fees to the fee account");
	for (i = 0; i < e->nledger; i++)
		if (e->ledger[i].user_id == 1 && e->ledger[i].kind == LK_ORDER_UNLOCK)
			is_int(e->ledger[i].d_available, 973193 - 926850,
			    "the unused lock goes back");
	engine_batch_end(e);

	/* Cancel the rest; FOK that cannot fill; a buy by quote amount. */
	engine_batch_begin(e, 1700000001000LL);
	cxl = sell;
	cxl.seq = 3;
	cxl.kind = CMD_CANCEL;
	ok(engine_apply(e, 0, &cxl) == 0 && e->norders == 1 &&
	    e->orders[0].status == OST_CANCELED && e->orders[0].lock == 0,
	    "cancel releases the rest");
	ok(e->nledger == 1 && e->ledger[0].d_available == 500000 &&
	    e->ledger[0].d_locked == -500000, "as one ORDER_UNLOCK row");
	engine_batch_end(e);
	engine_batch_begin(e, 1700000002000LL);
	sell.seq = 4;
	sell.order_id = 3;
	ok(engine_apply(e, 0, &sell) == 0, "a new resting sell of 0.01");
	buy.seq = 5;
	buy.order_id = 4;
	buy.type = ORD_LIMIT;
	buy.tif = ORD_FOK;
	buy.price = 185000000;
	buy.qty = 2000000;
	ok(trade_buy_lock(&e->mk[0].m, buy.price, buy.qty, &buy.lock) == 0 &&
	    engine_apply(e, 0, &buy) == 0, "FOK for 0.02 against 0.01");
	r = &e->orders[e->norders - 1];
	ok(r->status == OST_EXPIRED && r->executed == 0 && e->ntrades == 0,
	    "FOK expires untouched");
	buy.seq = 6;
	buy.order_id = 5;
	buy.type = ORD_MARKET;
	buy.tif = ORD_IOC;
	buy.qty = 0;
	buy.lock = 1000000;		/* 10,000.00 TRY */
	ok(engine_apply(e, 0, &buy) == 0, "market buy for 10000.00 TRY");
	r = &e->orders[e->norders - 1];
	diag("the buy by quote amount:");
	is_int(r->executed, 539461, "0.00539461 BTC = floor(10000 / 1853700)");
	ok(r->status == OST_FILLED &&
	    r->cum_quote + r->fees <= 1000000,
	    "FILLED, spending at most 10000.00 TRY with the fee");
	engine_batch_end(e);
	engine_free(e);
}

/* Orders from the socket: their lock row, no inbox row, the buy estimate. */
static void
test_direct(void)
{
	struct engine *e = engine_make();
	struct cmd sell, buy;
	int64_t cost, got, net;
	size_t i, locks = 0;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	flow_orders(10, &sell, &buy);
	sell.direct = buy.direct = 1;
	engine_batch_begin(e, 1700000000000LL);
	ok(engine_lock(e, 0, &sell) == 0 && engine_apply(e, 0, &sell) == 0,
	    "a socket sell: locked, then applied");
	is_int(e->nseqs, 0, "no inbox row to delete for it");
	is_int(e->mk[0].last_seq, 10, "its seq is the market's last");
	ok(e->nledger == 1 && e->ledger[0].kind == LK_ORDER_LOCK &&
	    e->ledger[0].d_available == -1000000 &&
	    e->ledger[0].d_locked == 1000000 &&
	    strcmp(e->ledger[0].asset, "BTC") == 0,
	    "ORDER_LOCK: 0.01 BTC from available to locked");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "BTC") == 0,
	    "the batch creates no BTC");
	engine_batch_end(e);

	/* 0.005 BTC of the ask at 1,850,000.00: 9250.00 + 0.2% = 9268.50. */
	ok(engine_buy_cost(e, 0, 500000, &cost, &got) == 0,
	    "the cost of a market buy from the book");
	is_int(cost, 926850, "9268.50 TRY with the taker fee");
	is_int(got, 500000, "the book holds all of it");
	ok(engine_buy_cost(e, 0, 3000000, &cost, &got) == 0 && got == 1000000,
	    "more than the book holds: what it holds");

	engine_batch_begin(e, 1700000001000LL);
	ok(engine_lock(e, 0, &buy) == 0 && engine_apply(e, 0, &buy) == 0 &&
	    engine_batch_seal(e) == 0, "a socket market buy takes it");
	for (i = 0; i < e->nledger; i++)
		if (e->ledger[i].kind == LK_ORDER_LOCK)
			locks++;
	is_int(locks, 1, "one ORDER_LOCK row for it");
	net = engine_batch_net(e, "TRY");
	is_int(net, 0, "lock, trade, fees and unlock net to nothing in TRY");
	is_int(e->nseqs, 0, "and nothing to delete from the inbox");
	engine_batch_end(e);
	engine_free(e);
}

/* Market orders held to the minimums at the prices they would execute at. */
static void
test_minimums(void)
{
	struct engine *e = engine_make();
	struct trade_refusal rf;
	struct cmd bid, sell;
	int64_t now = 1700000000000LL;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	e->mk[0].m.min_qty = 1000;		/* 0.00001 BTC */
	e->mk[0].m.min_notional = 1000;		/* 10.00 TRY */
	flow_orders(1, &sell, &bid);
	bid.side = ORD_BUY;
	bid.type = ORD_LIMIT;
	bid.tif = ORD_GTC;
	bid.price = 100000;			/* 1000.00 */
	bid.qty = 10000000;			/* 0.1 BTC */
	ok(trade_buy_lock(&e->mk[0].m, bid.price, bid.qty, &bid.lock) == 0,
	    "a bid of 0.1 BTC at 1000.00");
	engine_batch_begin(e, now);
	ok(engine_apply(e, 0, &bid) == 0, "rests");
	sell.seq = 3;
	sell.order_id = 3;
	sell.type = ORD_MARKET;
	sell.tif = ORD_IOC;
	sell.price = 0;
	sell.qty = 1000;			/* 0.00001 BTC: 0.01 TRY */
	sell.lock = 1000;
	ok(engine_admit(e, 0, &sell, &rf) == 0 && rf.kind == TRADE_REF_EXEC_MIN_NOTIONAL &&
	    rf.min == 1000, "a market sell of 0.00001 BTC for 0.01 TRY: refused");
	ok(engine_apply(e, 0, &sell) == 0 && e->refused.kind == TRADE_REF_EXEC_MIN_NOTIONAL &&
	    e->ntrades == 0, "from the inbox: REJECTED, nothing traded");
	sell.seq = 4;
	sell.order_id = 4;
	sell.qty = 1000000;			/* 0.01 BTC: 10.00 TRY */
	sell.lock = 1000000;
	ok(engine_admit(e, 0, &sell, &rf) == 0 && rf.kind == TRADE_REF_NONE,
	    "0.01 BTC for 10.00 TRY: admitted");
	sell.qty = 20000000;			/* 0.2 BTC, the book holds 0.1 */
	ok(engine_admit(e, 0, &sell, &rf) == 0 && rf.kind == TRADE_REF_NONE,
	    "more than the book holds: measured at its average price");
	sell.side = ORD_BUY;
	sell.qty = 1000;
	ok(engine_admit(e, 0, &sell, &rf) == 0 && rf.kind == TRADE_REF_NONE,
	    "a market buy with no asks: nothing to measure, it will expire");
	engine_batch_end(e);
	engine_free(e);
}

/* The price band in the engine: inbox orders refused, market orders held. */
static void
test_band(void)
{
	struct engine *e = engine_make();
	struct trade_refusal rf;
	struct cmd sell, buy, far;
	const struct order_rec *r;
	int64_t now = 1700000000000LL, lo, hi;
	size_t i;
	int unlocked = 0;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	e->mk[0].m.band = 100000;	/* 10% */
	flow_orders(1, &sell, &buy);
	engine_batch_begin(e, now);
	ok(engine_band(e, 0, ORD_BUY, &lo, &hi) == 0,
	    "an empty market that never traded has no band");
	ok(engine_apply(e, 0, &sell) == 0, "an ask at 1,850,000.00");
	ok(engine_band(e, 0, ORD_BUY, &lo, &hi) == 1 && lo == 166500000 &&
	    hi == 203500000, "a buy is measured from it: 1665000.00 to 2035000.00");
	ok(engine_apply(e, 0, &buy) == 0 && e->ntrades == 1, "a trade at it");
	ok(engine_band(e, 0, ORD_SELL, &lo, &hi) == 1 && lo == 166500000 &&
	    hi == 203500000, "then the last price is the reference");

	/* From the inbox, a sell at 100.00: REJECTED, its lock released. */
	far = sell;
	far.seq = 3;
	far.order_id = 3;
	snprintf(far.public_id, sizeof(far.public_id), "ord_far");
	far.price = 10000;
	far.qty = 10000000;
	far.lock = 10000000;
	ok(engine_apply(e, 0, &far) == 0, "a sell at 100.00 from the inbox");
	r = &e->orders[e->norders - 1];
	ok(r->id == 3 && r->status == OST_REJECTED && r->lock == 0,
	    "is REJECTED, nothing left locked");
	ok(e->refused.kind == TRADE_REF_BAND && e->refused.lo == 166500000 &&
	    e->refused.hi == 203500000, "and the engine says why: the band");
	for (i = 0; i < e->nledger; i++)
		if (strcmp(e->ledger[i].ref, "ord_far") == 0 &&
		    e->ledger[i].kind == LK_ORDER_UNLOCK &&
		    e->ledger[i].d_available == 10000000)
			unlocked++;
	is_int(unlocked, 1, "its 0.1 BTC unlocked once");
	is_int(e->mk[0].last_price, 185000000, "the last price has not moved");
	ok(engine_admit(e, 0, &far, &rf) == 0 && rf.kind == TRADE_REF_BAND,
	    "engine_admit() refuses it as well");
	far.price = 203500000;
	ok(engine_admit(e, 0, &far, &rf) == 0 && rf.kind == TRADE_REF_NONE,
	    "and admits the band's edge");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "BTC") == 0 &&
	    engine_batch_net(e, "TRY") == 0, "the batch nets to nothing");
	engine_batch_end(e);

	/* Asks at 1,900,000.00 and 2,100,000.00: a market buy stops between. */
	engine_batch_begin(e, now + 1000);
	sell.seq = 10;
	sell.order_id = 10;
	sell.price = 190000000;
	ok(engine_apply(e, 0, &sell) == 0, "an ask at 1,900,000.00");
	e->mk[0].m.band = 200000;	/* 20%, for a moment */
	sell.seq = 11;
	sell.order_id = 11;
	sell.price = 210000000;
	ok(engine_apply(e, 0, &sell) == 0, "one at 2,100,000.00 in a 20%% band");
	e->mk[0].m.band = 100000;
	buy.seq = 12;
	buy.order_id = 12;
	buy.qty = 2000000;
	buy.lock = 100000000;
	ok(engine_apply(e, 0, &buy) == 0, "back at 10%%, a market buy of both");
	for (i = 0, r = NULL; i < e->norders; i++)
		if (e->orders[i].id == 12)
			r = &e->orders[i];
	ok(r != NULL && r->status == OST_EXPIRED && r->executed == 1500000 &&
	    r->lock == 0, "takes what rests up to 2035000.00 (0.005 + 0.01) "
	    "and expires");
	is_int(e->mk[0].last_price, 190000000, "the last trade at 1,900,000.00");
	sell.seq = 13;
	sell.order_id = 13;
	sell.side = ORD_SELL;
	sell.type = ORD_MARKET;
	sell.tif = ORD_IOC;
	sell.price = 0;
	ok(engine_apply(e, 0, &sell) == 0 && e->orders[e->norders - 1].status ==
	    OST_EXPIRED && e->orders[e->norders - 1].executed == 0,
	    "a market sell with no bid expires");
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "TRY") == 0,
	    "the batch nets to nothing");
	engine_batch_end(e);
	engine_free(e);
}

/* A halted market keeps its book: new orders are refused, cancels served. */
static void
test_halt(void)
{
	struct engine *e = engine_make();
	struct cmd sell, buy, cxl;
	const struct order_rec *r;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	flow_orders(1, &sell, &buy);
	engine_batch_begin(e, 1700000000000LL);
	ok(engine_apply(e, 0, &sell) == 0, "an ask rests");
	snprintf(e->mk[0].m.status, sizeof(e->mk[0].m.status), "HALTED");
	ok(engine_apply(e, 0, &buy) == 0 && e->ntrades == 0,
	    "HALTED: a buy from the inbox trades nothing");
	r = &e->orders[e->norders - 1];
	ok(r->status == OST_REJECTED && r->lock == 0 &&
	    e->refused.kind == TRADE_REF_CLOSED, "it is REJECTED as CLOSED, its lock released");
	cxl = sell;
	cxl.kind = CMD_CANCEL;
	cxl.seq = 9;
	snprintf(e->mk[0].m.status, sizeof(e->mk[0].m.status), "CANCEL_ONLY");
	/* The batch keeps one record per order: the ask's is the first. */
	ok(engine_apply(e, 0, &cxl) == 0 && e->orders[0].id == 1 &&
	    e->orders[0].status == OST_CANCELED && e->orders[0].lock == 0,
	    "CANCEL_ONLY: a cancel is served, its lock released");
	engine_batch_end(e);
	engine_free(e);
}

/*
 * New fees take effect with the next fill: a sell pays the new rate; a
 * bid that rested since before a rise pays what its lock covers.
 */
static void
test_fee_change(void)
{
	struct engine *e = engine_make();
	struct cmd sell, bid;
	const struct order_rec *r;
	size_t i;

	if (e == NULL) {
		ok(0, "engine");
		return;
	}
	flow_orders(1, &sell, &bid);
	bid.type = ORD_LIMIT;
	bid.tif = ORD_GTC;
	bid.price = 185000000;
	bid.qty = 1000000;			/* 0.01 BTC */
	ok(trade_buy_lock(&e->mk[0].m, bid.price, bid.qty, &bid.lock) == 0 &&
	    bid.lock == 1853700, "a bid of 0.01 BTC at 1,850,000.00 locks 18537.00");
	engine_batch_begin(e, 1700000000000LL);
	ok(engine_apply(e, 0, &bid) == 0, "it rests");
	engine_batch_end(e);
	/* The operator raises both rates to 0.5% and 0.8%. */
	e->mk[0].m.maker_fee = 5000;
	e->mk[0].m.taker_fee = 8000;
	engine_batch_begin(e, 1700000001000LL);
	sell.seq = 3;
	sell.order_id = 3;
	sell.qty = 500000;			/* 0.005 BTC */
	sell.lock = 500000;
	ok(engine_apply(e, 0, &sell) == 0 && e->ntrades == 1 && !e->fault,
	    "a sell takes half of it");
	is_int(e->trades[0].taker_fee, 7400, "the seller pays the new taker rate: 74.00");
	is_int(e->trades[0].maker_fee, 1850, "the bid pays the 0.2%% its lock covers: 18.50");
	sell.seq = 4;
	sell.order_id = 4;
	ok(engine_apply(e, 0, &sell) == 0 && e->ntrades == 2 && !e->fault,
	    "another sell takes the rest");
	is_int(e->trades[1].maker_fee, 1850, "  18.50 again");
	for (i = 0; i < e->norders; i++) {
		r = &e->orders[i];
		if (r->id == 2)
			ok(r->status == OST_FILLED && r->lock == 0 &&
			    r->fees == 3700, "the bid is FILLED, its lock spent to the last kurus");
	}
	ok(engine_batch_seal(e) == 0 && engine_batch_net(e, "TRY") == 0,
	    "nothing created in TRY");
	engine_batch_end(e);
	engine_free(e);
}

int
main(void)
{
	diag("engine: settlement, conservation and rebuilds without a database");
	is_str(engine_status_text(OST_PARTIALLY_FILLED), "PARTIALLY_FILLED",
	    "statuses as the API spells them");
	test_flow();
	test_direct();
	test_band();
	test_minimums();
	test_halt();
	test_fee_change();
	test_stream(1, 6000, 0);
	test_stream(2, 6000, 0);
	test_stream(3, 6000, 5);
	test_stream(4, 6000, 3);
	return done_testing();
}
