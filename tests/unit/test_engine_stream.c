/* tests/unit/test_engine_stream.c — the matcher's engine on random streams over two markets: conservation, locks, and rebuilt engines making the same trades */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher/engine.h"
#include "tests/unit/fixture.h"
#include "tests/unit/fixture_engine.h"
#include "tests/unit/tap.h"

#define USERS		4
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

/* One stream's engines and what it counted on the way. */
struct run {
	struct engine	*e, *twin;
	struct tsum	 ts, tt;
	int		 batchn, netbad, sealbad, applybad, rebuilt;
	int		 fees_changed;
};

/* Every user starts with the same funds; total0 gets the sum per asset. */
static void
stream_fund(struct world *w, int64_t total0[NASSET])
{
	int64_t u;
	int k;

	for (u = 1; u <= USERS; u++) {
		w->avail[u][0] = 1000 * 100000000LL;	/* 1000 BTC */
		w->avail[u][1] = 500000000 * 100LL;	/* 500M TRY */
		w->avail[u][2] = 10000 * 100000000LL;	/* 10000 ETH */
		for (k = 0; k < NASSET; k++)
			total0[k] += w->avail[u][k];
	}
}

/*
 * The end of a batch: sealed, netted and written to the world; then, now
 * and then, new fees; the twin sealed too, and rebuilt every so often.
 */
static void
stream_batch_end(struct run *r, struct world *w, uint64_t *s, int i,
    int rebuild_every)
{
	struct engine *e = r->e, *twin = r->twin;
	int k;

	if (engine_batch_seal(e) == -1)
		r->sealbad++;
	for (k = 0; k < NASSET; k++)
		if (engine_batch_net(e, assets[k]) != 0)
			r->netbad++;
	trades_sum(e, &r->ts);
	apply_batch(e, w);
	engine_batch_end(e);
	engine_batch_begin(e, 1700000000000LL + i);
	/*
	 * Now and then the operator sets a market's fees, as the
	 * matcher reads them between batches: resting buys then fill
	 * at rates their locks were not figured at.
	 */
	if (fx_rnd(s) % 3 == 0) {
		k = (int)(fx_rnd(s) % 2);
		e->mk[k].m.maker_fee = fx_between(s, 0, 99999);
		e->mk[k].m.taker_fee = fx_between(s, 0, 99999);
		if (twin) {
			twin->mk[k].m.maker_fee = e->mk[k].m.maker_fee;
			twin->mk[k].m.taker_fee = e->mk[k].m.taker_fee;
		}
		r->fees_changed++;
	}
	if (twin) {
		if (engine_batch_seal(twin) == -1)
			r->sealbad++;
		trades_sum(twin, &r->tt);
		engine_batch_end(twin);
		if (r->batchn % rebuild_every == 0) {
			if (rebuild(twin, w, e) == -1)
				r->applybad++;
			r->rebuilt++;
		}
		engine_batch_begin(twin, 1700000000000LL + i);
	}
}

/* What the stream must have kept true, and that it went where it should. */
static void
stream_check(uint64_t seed, const struct run *r, const struct world *w,
    const int64_t total0[NASSET])
{
	const struct engine *e = r->e;
	int64_t total[NASSET], lk[FEE_USER + 1][NASSET], u;
	int i, k;

	is_int(r->applybad, 0, "seed %llu: every command applied",
	    (unsigned long long)seed);
	is_int(r->sealbad, 0, "seed %llu: every batch sealed",
	    (unsigned long long)seed);
	is_int(r->netbad, 0, "seed %llu: every batch nets to zero per asset",
	    (unsigned long long)seed);
	is_int(w->negative, 0, "seed %llu: no balance ever negative",
	    (unsigned long long)seed);
	is_int(w->badrow, 0, "seed %llu: done orders keep no lock",
	    (unsigned long long)seed);
	ok(r->ts.n > 100, "seed %llu: %lld trades", (unsigned long long)seed,
	    (long long)r->ts.n);
	ok(w->triggered > 50 && w->stopcancel > 5,
	    "seed %llu: %d stops triggered, %d cancelled before",
	    (unsigned long long)seed, w->triggered, w->stopcancel);
	memset(total, 0, sizeof(total));
	memset(lk, 0, sizeof(lk));
	for (u = 1; u <= FEE_USER; u++)
		for (k = 0; k < NASSET; k++)
			total[k] += w->avail[u][k] + w->locked[u][k];
	for (k = 0; k < NASSET; k++)
		is_int(total[k], total0[k], "seed %llu: %s neither created nor lost",
		    (unsigned long long)seed, assets[k]);
	for (i = 1; i < w->nextid; i++)
		if (w->ord[i].used && w->ord[i].open) {
			const struct market *mm = &e->mk[w->ord[i].mkt].m;

			k = asset_ix(w->ord[i].c.side == ORD_BUY ? mm->quote :
			    mm->base);
			lk[w->ord[i].user][k] += w->ord[i].lock;
		}
	k = 0;
	for (u = 1; u <= USERS; u++)
		for (i = 0; i < NASSET; i++)
			if (lk[u][i] != w->locked[u][i])
				k++;
	is_int(k, 0, "seed %llu: locked balances are the open orders' locks",
	    (unsigned long long)seed);
	ok(w->avail[FEE_USER][1] > 0, "seed %llu: fees reached the fee account",
	    (unsigned long long)seed);
	ok(r->fees_changed > 10, "seed %llu: through %d changes of fees",
	    (unsigned long long)seed, r->fees_changed);
	if (r->twin) {
		ok(r->rebuilt > 3, "seed %llu: twin rebuilt %d times",
		    (unsigned long long)seed, r->rebuilt);
		ok(r->tt.n == r->ts.n && r->tt.qty == r->ts.qty &&
		    r->tt.quote == r->ts.quote &&
		    r->tt.maker_sum == r->ts.maker_sum &&
		    r->tt.price_sum == r->ts.price_sum,
		    "seed %llu: a rebuilt engine makes exactly the same trades",
		    (unsigned long long)seed);
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
	static struct engine twin_e;
	struct run r;
	struct market a, b;
	struct cmd c;
	uint64_t s = seed * 2 + 1;
	int64_t total0[NASSET] = { 0 };
	int i, m;

	memset(&w, 0, sizeof(w));
	memset(&r, 0, sizeof(r));
	w.nextid = 1;
	if ((r.e = engine_make_two()) == NULL) {
		ok(0, "engine");
		return;
	}
	stream_fund(&w, total0);
	/* A twin engine takes the same commands and is rebuilt now and then. */
	if (rebuild_every > 0) {
		a = r.e->mk[0].m;
		b = r.e->mk[1].m;
		r.twin = &twin_e;
		if (engine_init(r.twin, FEE_USER) == -1 ||
		    engine_market_add(r.twin, &a, 0, 0) != 0 ||
		    engine_market_add(r.twin, &b, 0, 0) != 1) {
			ok(0, "twin engine");
			return;
		}
	}
	engine_batch_begin(r.e, 1700000000000LL);
	if (r.twin)
		engine_batch_begin(r.twin, 1700000000000LL);
	for (i = 0; i < ncmd; i++) {
		m = (int)(fx_rnd(&s) % 2);
		if (fx_rnd(&s) % 5 == 0 ? cancel_pick(&w, &s, &c) :
		    place(r.e, &w, &s, m, &c))
			continue;
		if (c.kind == CMD_CANCEL)
			m = w.ord[c.order_id].mkt;
		if (engine_apply(r.e, m, &c) == -1)
			r.applybad++;
		if (r.twin && engine_apply(r.twin, m, &c) == -1)
			r.applybad++;
		if (++r.batchn % 37 != 0)
			continue;
		stream_batch_end(&r, &w, &s, i, rebuild_every);
	}
	engine_batch_seal(r.e);
	trades_sum(r.e, &r.ts);
	apply_batch(r.e, &w);
	engine_batch_end(r.e);
	if (r.twin) {
		engine_batch_seal(r.twin);
		trades_sum(r.twin, &r.tt);
		engine_batch_end(r.twin);
	}
	stream_check(seed, &r, &w, total0);
	if (r.twin)
		engine_free(r.twin);
	engine_free(r.e);
}

int
main(void)
{
	test_stream(1, 6000, 0);
	test_stream(2, 6000, 0);
	test_stream(3, 6000, 5);
	test_stream(4, 6000, 3);
	return done_testing();
}
