/* matcher/admit.c — orders from the socket before the engine sees them: checks, balance locks, each lock decided; their answers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/channels.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/markets.h"
#include "domain/matcher_line.h"
#include "matcher/admit.h"
#include "matcher/admit_auth.h"
#include "matcher/admit_day.h"
#include "core/pgarr.h"

enum { ST_CLIENTS, ST_BALANCES, ST_IDS, ST__COUNT };

const struct stmt admit_stmts[] = {
	/* Socket orders: clientOrderIds their users have used already. */
	[ST_CLIENTS] = { "admit_clients",
	  "SELECT o.user_id, o.client_order_id FROM orders o"
	  " JOIN unnest($1::bigint[], $2::text[]) AS k (u, c)"
	  " ON o.user_id = k.u AND o.client_order_id = k.c"
	  " WHERE o.client_order_id IS NOT NULL", 2 },
	/* Their balances, locked in one order (see engine_batch_seal). */
	[ST_BALANCES] = { "admit_balances",
	  "SELECT b.user_id, b.asset, b.available::text FROM balances b"
	  " WHERE (b.user_id, b.asset) IN (SELECT * FROM"
	  "  unnest($1::bigint[], $2::text[]))"
	  " ORDER BY b.user_id, b.asset COLLATE \"C\" FOR UPDATE OF b", 2 },
	/* Ids, sequence numbers and the time for the batch's socket orders. */
	[ST_IDS] = { "admit_ids",
	  "SELECT nextval('orders_id_seq'), nextval('order_seq'), "
	  DB_ISO("now()") " FROM generate_series(1, $1::int)", 1 },
};
_Static_assert(nitems(admit_stmts) == ST__COUNT, "admit statements");
const size_t admit_nstmts = nitems(admit_stmts);

/* Queue a statement on the pipeline admit_take() runs. */
static void
pipe(struct db *db, int st, const char *const *p, PGresult **slot)
{
	db_pipe_add(db, &admit_stmts[st], p, slot);
}

struct bal {
	int64_t		 user;
	const char	*asset;
	const char	*text;
	int64_t		 v;
	int		 parsed;
};

static int
bal_cmp(const void *x, const void *y)
{
	const struct bal *a = x, *b = y;

	if (a->user != b->user)
		return a->user < b->user ? -1 : 1;
	return strcmp(a->asset, b->asset);
}

/* clientOrderIds used before (looked up in *res), or twice in the batch. */
static enum err
direct_clients(struct db *db, struct arena *a, struct direct *d, size_t n,
    PGresult **res)
{
	struct pgarr u = { 0 }, c = { 0 };
	const char *p[2];
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		if (d[i].client_id[0] == '\0')
			continue;
		for (j = 0; j < i; j++)
			if (d[j].c.user_id == d[i].c.user_id &&
			    strcmp(d[j].client_id, d[i].client_id) == 0)
				d[i].state = DS_CONFLICT;
		pgarr_int(&u, d[i].c.user_id);
		pgarr_quoted(&c, d[i].client_id);
		k++;
	}
	p[0] = pgarr_end(&u, a);
	p[1] = pgarr_end(&c, a);
	if (k == 0)
		return ERR_OK;
	if (p[0] == NULL || p[1] == NULL)
		return ERR_INTERNAL;
	pipe(db, ST_CLIENTS, p, res);
	return ERR_OK;
}

static void
clients_used(PGresult *res, struct direct *d, size_t n)
{
	size_t i;
	int r;

	for (r = 0; res != NULL && r < PQntuples(res); r++)
		for (i = 0; i < n; i++)
			if (d[i].c.user_id == strtoll(db_val(res, r, 0), NULL,
			    10) && strcmp(d[i].client_id, db_val(res, r, 1)) == 0)
				d[i].state = DS_CONFLICT;
}

/* Lock the balances the orders draw on (what each has: *res). */
static enum err
direct_balances(struct db *db, struct arena *a, struct engine *e,
    struct direct *d, size_t n, PGresult **res)
{
	struct pgarr u = { 0 }, as = { 0 };
	const char *p[2], *asset;
	size_t i;
	int scale;

	for (i = 0; i < n; i++) {
		asset = trade_lock_asset(&e->mk[d[i].mkt].m, d[i].c.side,
		    &scale);
		pgarr_int(&u, d[i].c.user_id);
		pgarr_str(&as, asset);
	}
	p[0] = pgarr_end(&u, a);
	p[1] = pgarr_end(&as, a);
	if (p[0] == NULL || p[1] == NULL)
		return ERR_INTERNAL;
	pipe(db, ST_BALANCES, p, res);
	return ERR_OK;
}

static enum err
balances_read(struct arena *a, PGresult *res, struct bal **out, size_t *nout)
{
	struct bal *b;
	int r, n = res != NULL ? PQntuples(res) : 0;

	if ((b = arena_calloc(a, (size_t)n + 1, sizeof(*b))) == NULL)
		return ERR_INTERNAL;
	for (r = 0; r < n; r++) {
		b[r].user = strtoll(db_val(res, r, 0), NULL, 10);
		b[r].asset = db_val(res, r, 1);
		b[r].text = db_val(res, r, 2);
		if (b[r].asset == NULL || b[r].text == NULL)
			return ERR_INTERNAL;
	}
	*out = b;
	*nout = (size_t)n;
	return ERR_OK;
}

/* What the balance the order draws on holds, as the batch has left it. */
static int
direct_avail(const struct direct *d, const struct trade_lock *l,
    struct bal *b, size_t nb, struct bal **hit, int64_t *avail)
{
	struct bal key;

	*avail = 0;
	key.user = d->c.user_id;
	key.asset = l->asset;
	if ((*hit = bsearch(&key, b, nb, sizeof(*b), bal_cmp)) == NULL)
		return 0;
	if (!(*hit)->parsed) {
		if (market_numeric((*hit)->text, l->scale, &(*hit)->v) == -1)
			return -1;
		(*hit)->parsed = 1;
	}
	*avail = (*hit)->v;
	return 0;
}

/*
 * What the order must lock (trade_lock(), the rule the handler applied
 * to the lock it sent), and whether the balance covers it.
 */
static int
direct_decide(struct engine *e, struct direct *d, size_t i, struct bal *b,
    size_t nb, struct admit_day *ad)
{
	struct direct *all = d;
	const struct market *m;
	struct trade_order o;
	struct trade_funds fu;
	struct trade_lock l;
	struct bal *hit;
	int fits;

	d = &all[i];
	m = &e->mk[d->mkt].m;
	o = (struct trade_order){ d->c.side, d->c.type, d->c.price, d->c.qty,
	    d->qoq, d->c.stop };

	/* The band and the minimums first: a refused order locks nothing. */
	if (engine_admit(e, d->mkt, &d->c, &d->refusal) == -1)
		return -1;
	if (d->refusal.kind != TRADE_REF_NONE) {
		d->state = DS_REFUSED;
		return 0;
	}
	/*
	 * A handler that sees the market otherwise (its copy is up to a
	 * second old: fees just changed): its inbox path decides.
	 */
	if (trade_lock(m, &o, NULL, &l) != TRADE_LOCK_OK ||
	    l.by_cost != d->estimate || (!l.by_cost && l.amount != d->c.lock)) {
		log_info("order %s: its lock is not this market's rule as the "
		    "matcher has it: left to the inbox", d->c.public_id);
		d->state = DS_MISMATCH;
		return 0;
	}
	memset(&fu, 0, sizeof(fu));
	if (direct_avail(d, &l, b, nb, &hit, &fu.avail) == -1)
		return -1;
	/* A market buy by quantity: the asks it would take now. */
	if (l.by_cost && engine_buy_cost(e, d->mkt, d->c.qty, &fu.cost,
	    &fu.got) == -1)
		return -1;
	if (trade_lock(m, &o, &fu, &l) == TRADE_LOCK_POOR) {
		d->state = DS_POOR;
		d->need = l.need;
		d->avail = fu.avail;
		return 0;
	}
	/* Within the user's daily trading limit, or the inbox says why. */
	if ((fits = admit_day_take(ad, e, all, i)) == -1)
		return -1;
	if (fits == 0) {
		d->state = DS_DAY_LIMIT;
		return 0;
	}
	d->c.lock = l.amount;
	if (hit != NULL)
		hit->v -= d->c.lock;
	d->state = DS_ACCEPTED;
	return 0;
}

/* Ids, seqs and the creation time, one row per order (*res). */
static enum err
direct_ids(struct db *db, size_t n, char *cnt, size_t cntsz, PGresult **res)
{
	const char *p[1];

	snprintf(cnt, cntsz, "%zu", n);
	p[0] = cnt;
	pipe(db, ST_IDS, p, res);
	return ERR_OK;
}

enum err
admit_take(struct db *db, struct arena *a, struct engine *e,
    struct direct *d, size_t n, struct direct *dc, size_t nc,
    const char *symbols, int limit, struct store_cmd **cmds, size_t *ncmds)
{
	PGresult *inbox = NULL, *used = NULL, *held = NULL, *ids = NULL,
	    *status = NULL;
	struct admit_auth aa;
	struct admit_day ad;
	struct bal *b;
	char cnt[24];
	size_t i, nb;
	enum err rc, run;
	int64_t now;
	int r = 0;

	/*
	 * One round trip: the transaction, the markets' status and fees
	 * (store_status()), the inbox's commands, the standing of the users
	 * whose handlers left it to us, the orders' checks, their
	 * users' daily counters (locked before the balances, as on the inbox
	 * path), their locks and their ids.
	 */
	*cmds = NULL;
	*ncmds = 0;
	if ((rc = db_pipe_begin(db)) != ERR_OK)
		return rc;
	db_pipe_txn(db, 1);
	store_status_queue(db, symbols, &status);
	if (limit > 0)
		store_fetch_queue(db, symbols, limit, &inbox);
	if ((rc = admit_auth_queue(db, a, d, n, &aa)) == ERR_OK &&
	    (rc = direct_clients(db, a, d, n, &used)) == ERR_OK) {
		admit_day_queue(db, a, e, d, n, &ad);
		rc = direct_balances(db, a, e, d, n, &held);
	}
	if (rc == ERR_OK)
		rc = direct_ids(db, n + nc, cnt, sizeof(cnt), &ids);
	run = db_pipe_run(db, a);
	if (rc == ERR_OK)
		rc = run;
	if (rc != ERR_OK)
		return rc;
	if (status == NULL || held == NULL || ids == NULL ||
	    (size_t)PQntuples(ids) != n + nc)
		return ERR_INTERNAL;
	store_status_read(e, status);
	if ((rc = admit_day_read(a, &ad)) != ERR_OK)
		return rc;
	if ((rc = store_fetch_read(a, e, inbox, cmds, ncmds)) != ERR_OK)
		return rc;
	/*
	 * The batch holds the orders' balance locks now. An order whose
	 * handler may already be placing it through the inbox is not taken:
	 * that handler locks the same balance first, so whatever the batch
	 * takes it finds, and what the batch leaves it places.
	 */
	now = util_now_ms();
	for (i = 0; i < n; i++)
		if (d[i].state == DS_PENDING && d[i].deadline_ms <= now)
			d[i].state = DS_LATE;
	if ((rc = admit_auth_read(&aa, d, n)) != ERR_OK)
		return rc;
	clients_used(used, d, n);
	if ((rc = balances_read(a, held, &b, &nb)) != ERR_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (d[i].state == DS_PENDING &&
		    direct_decide(e, d, i, b, nb, &ad) == -1)
			return ERR_INTERNAL;
		if (d[i].state != DS_ACCEPTED)
			continue;
		d[i].c.order_id = strtoll(db_val(ids, r, 0), NULL, 10);
		d[i].c.seq = strtoll(db_val(ids, r, 1), NULL, 10);
		snprintf(d[i].created, sizeof(d[i].created), "%s",
		    db_val(ids, r, 2));
		r++;
	}
	admit_day_close(&ad, d, n);
	/* A cancel moves the book: it has a seq of its own (the feed's). */
	for (i = 0; i < nc; i++)
		dc[i].c.seq = strtoll(db_val(ids, (int)(n + i), 1), NULL, 10);
	return ERR_OK;
}

/* ---- answers ------------------------------------------------------------------ */

/* The fills of the batch's socket orders: a trade, and which side it was. */
struct dfill {
	size_t	 trade;
	int	 maker;
	long	 next;
};

static int
add_fill(struct direct *d, const struct store_idx *di, size_t ndi, int64_t order,
    size_t trade, int maker, struct dfill *fl, long *nfl, long *tail)
{
	const struct store_idx *x;

	if ((x = store_idx_find(di, ndi, order)) == NULL)
		return 0;
	fl[*nfl].trade = trade;
	fl[*nfl].maker = maker;
	fl[*nfl].next = -1;
	if (d[x->i].fill == -1)
		d[x->i].fill = *nfl;
	else
		fl[tail[x->i]].next = *nfl;
	tail[x->i] = *nfl;
	(*nfl)++;
	return 0;
}

/* Link each accepted socket order to its fills (d[i].fill, fl[].next). */
static struct dfill *
fills_link(struct arena *a, const struct engine *e, struct direct *d,
    size_t n)
{
	struct store_idx *di;
	struct dfill *fl;
	long *tail, nfl = 0;
	size_t i, ndi = 0;

	if ((di = arena_calloc(a, n + 1, sizeof(*di))) == NULL ||
	    (tail = arena_calloc(a, n + 1, sizeof(*tail))) == NULL ||
	    (fl = arena_calloc(a, e->ntrades * 2 + 1, sizeof(*fl))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		d[i].fill = -1;
		if (d[i].state == DS_ACCEPTED && d[i].c.kind == CMD_NEW) {
			di[ndi].id = d[i].c.order_id;
			di[ndi++].i = i;
		}
	}
	store_idx_sort(di, ndi);
	/* Trades are in the order they happened, as their ids will be. */
	for (i = 0; i < e->ntrades && ndi > 0; i++) {
		add_fill(d, di, ndi, e->trades[i].maker_order, i, 1, fl, &nfl,
		    tail);
		add_fill(d, di, ndi, e->trades[i].taker_order, i, 0, fl, &nfl,
		    tail);
	}
	return fl;
}

/* An accepted order as stored, and its fills. */
static int
accepted_answer(struct arena *a, const struct engine *e,
    const struct direct *d, const struct dfill *fl, struct mline_answer *ans)
{
	const struct order_rec *o = &e->orders[d->rec];
	struct mline_fill *f;
	size_t n = 0;
	long k;

	for (k = d->fill; k != -1; k = fl[k].next)
		n++;
	if ((f = arena_calloc(a, n + 1, sizeof(*f))) == NULL)
		return -1;
	ans->kind = MLINE_OK;
	snprintf(ans->created, sizeof(ans->created), "%s", d->created);
	ans->time_ms = e->now_ms;
	snprintf(ans->status, sizeof(ans->status), "%s",
	    engine_status_text(o->status));
	ans->executed = o->executed;
	ans->cum_quote = o->cum_quote;
	ans->fees = o->fees;
	for (n = 0, k = d->fill; k != -1; k = fl[k].next, n++) {
		const struct trade_rec *t = &e->trades[fl[k].trade];

		snprintf(f[n].trade_id, sizeof(f[n].trade_id), "%s",
		    t->public_id);
		f[n].maker = fl[k].maker;
		f[n].price = t->price;
		f[n].qty = t->qty;
		f[n].quote = t->quote;
		f[n].fee = fl[k].maker ? t->maker_fee : t->taker_fee;
	}
	ans->fills = f;
	ans->nfills = n;
	return 0;
}

int
admit_answers(struct arena *a, const struct engine *e,
    struct direct *d, size_t n, const char **line)
{
	struct mline_answer ans;
	struct dfill *fl;
	struct buf b;
	size_t i;

	if ((fl = fills_link(a, e, d, n)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		memset(&ans, 0, sizeof(ans));
		switch (d[i].state) {
		case DS_ACCEPTED:
			/* A cancel is done: the handler reads the order. */
			if (d[i].c.kind == CMD_CANCEL ||
			    accepted_answer(a, e, &d[i], fl, &ans) == -1)
				ans.kind = MLINE_STORED;
			break;
		case DS_POOR:
			ans.kind = MLINE_POOR;
			ans.need = d[i].need;
			ans.avail = d[i].avail;
			break;
		case DS_CONFLICT:
			ans.kind = MLINE_CONFLICT;
			break;
		case DS_REFUSED:
			/* Nothing was stored: without words, the inbox decides. */
			ans.kind = MLINE_REFUSED;
			ans.refusal = d[i].refusal;
			break;
		case DS_LATE:		/* its handler uses the inbox */
		case DS_MISMATCH:
		case DS_DAY_LIMIT:	/* the inbox path refuses it, with why */
		case DS_DENIED:		/* the handler's check says why */
		case DS_GONE:		/* a cancel: the inbox path says why */
		case DS_PENDING:	/* not decided: cannot happen */
			ans.kind = MLINE_RETRY;
			break;
		}
		b = (struct buf)BUF_INIT(CHAN_ANSWER_MAX);
		mline_answer_encode(&b, &ans);
		/* Stored, but no memory to say how: the handler reads it. */
		if ((line[i] = buf_finish(&b, a)) == NULL)
			line[i] = d[i].state == DS_ACCEPTED ?
			    MLINE_STORED_WORD : MLINE_RETRY_WORD;
	}
	return 0;
}
