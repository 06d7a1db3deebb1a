/* matcher/store.c — the matcher's writes to PostgreSQL: each batch's commit (its socket orders in store_direct.c), rejections, the words to waiting handlers */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/decimal.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/markets.h"
#include "domain/matcher_line.h"
#include "domain/outbox.h"
#include "core/pgarr.h"
#include "matcher/store.h"
#include "matcher/store_direct.h"

enum {
	ST_TRADES, ST_ORDERS, ST_LEDGER, ST_KLINES, ST_MARKS, ST_INBOX_DONE,
	ST_NOTIFY, ST_REJECT, ST_FILLED,
	ST__COUNT
};

/*
 * n when it equals want, else the statement fails (22P02, as a bad number
 * would) naming what and both counts: the batch's checks of its own
 * writes are made by the server, so that COMMIT travels in the same
 * pipeline as the writes and a failed check still rolls everything back.
 */
#define COUNT_IS(n, want, what) \
	"CASE WHEN " n " = " want " THEN " n " ELSE ('batch: " what " ' ||" \
	" " n " || ', expected ' || " want ")::bigint END"

/*
 * A batch travels as a handful of statements whatever its size: each
 * table's rows go as parallel arrays, unnested into one multi-row INSERT
 * or UPDATE (a statement costs about as much as a thousand rows).
 */
const struct stmt store_stmts[] = {
	[ST_TRADES] = { "store_trades",
	  "INSERT INTO trades (public_id, symbol, price, quantity,"
	  " quote_quantity, maker_order_id, taker_order_id, maker_user_id,"
	  " taker_user_id, maker_side, maker_fee, taker_fee, maker_fee_asset,"
	  " taker_fee_asset, created_at)"
	  " SELECT t.pid, t.sym, t.price, t.qty, t.quote, t.mo, t.tko, t.mu,"
	  " t.tu, t.side, t.mf, t.tf, t.fa, t.fa,"
	  " 'epoch'::timestamptz + $14::bigint * interval '1 millisecond'"
	  " FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[],"
	  " $5::numeric[], $6::bigint[], $7::bigint[], $8::bigint[],"
	  " $9::bigint[], $10::text[], $11::numeric[], $12::numeric[],"
	  " $13::text[]) AS t (pid, sym, price, qty, quote, mo, tko, mu, tu,"
	  " side, mf, tf, fa)", 14 },
	/*
	 * An OCO list's daily count (order_oco.c puts it on the limit leg)
	 * moves as the engine's cut says (enum list_count): to the leg that
	 * goes on, the sum of the list's legs as they were (the other's is
	 * then NULL, so a later batch gives the same), none to the leg cut.
	 */
	[ST_ORDERS] = { "store_orders",
	  "WITH u AS (UPDATE orders o SET status = v.st, executed_quantity = v.ex,"
	  " cumulative_quote = v.cq, fee_total = v.fee, lock_remaining = v.lk,"
	  " book_seq = v.bs, triggered_at = coalesce(o.triggered_at, v.tr),"
	  " day_value = CASE v.lc WHEN 1 THEN (SELECT sum(l.day_value)"
	  "  FROM orders l WHERE l.order_list_id = o.order_list_id)"
	  "  WHEN 2 THEN NULL ELSE o.day_value END,"
	  " updated_at = now()"
	  " FROM unnest($1::bigint[], $2::text[], $3::numeric[], $4::numeric[],"
	  " $5::numeric[], $6::numeric[], $7::bigint[], $8::timestamptz[],"
	  " $10::int[]) AS v (id, st, ex, cq, fee, lk, bs, tr, lc)"
	  /* The ANY keeps the plan on the primary key, whatever the statistics. */
	  " WHERE o.id = v.id AND o.id = ANY ($1::bigint[])"
	  " RETURNING o.user_id, o.created_at, o.day_value, o.cumulative_quote,"
	  " o.fee_asset, o.status),"
	  " r AS (" STORE_RELEASES("u") ")"
	  " SELECT " COUNT_IS("count(*)", "$9::bigint", "orders updated")
	  " FROM u", 10 },
	[ST_LEDGER] = { "store_ledger",
	  "INSERT INTO ledger (user_id, asset, delta_available, delta_locked,"
	  " kind, ref)"
	  " SELECT * FROM unnest($1::bigint[], $2::text[], $3::numeric[],"
	  " $4::numeric[], $5::text[], $6::text[])", 6 },
	[ST_KLINES] = { "store_klines",
	  "INSERT INTO klines AS k (symbol, interval, open_time, open, high,"
	  " low, close, volume, quote_volume, trades)"
	  " SELECT v.sym, v.iv, 'epoch'::timestamptz + v.t * interval '1 second',"
	  " v.o, v.h, v.l, v.c, v.vol, v.qv, v.n"
	  " FROM unnest($1::text[], $2::text[], $3::bigint[], $4::numeric[],"
	  " $5::numeric[], $6::numeric[], $7::numeric[], $8::numeric[],"
	  " $9::numeric[], $10::int[])"
	  " AS v (sym, iv, t, o, h, l, c, vol, qv, n)"
	  " ON CONFLICT (symbol, interval, open_time) DO UPDATE SET"
	  " high = greatest(k.high, excluded.high),"
	  " low = least(k.low, excluded.low), close = excluded.close,"
	  " volume = k.volume + excluded.volume,"
	  " quote_volume = k.quote_volume + excluded.quote_volume,"
	  " trades = k.trades + excluded.trades", 10 },
	[ST_MARKS] = { "store_marks",
	  "UPDATE matcher_state s SET last_seq = greatest(s.last_seq, v.ls),"
	  " book_seq = v.bs, last_price = coalesce(v.lp, s.last_price),"
	  " updated_at = now()"
	  " FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::numeric[])"
	  " AS v (sym, ls, bs, lp) WHERE s.symbol = v.sym", 4 },
	[ST_INBOX_DONE] = { "store_inbox_done",
	  "WITH d AS (DELETE FROM order_inbox WHERE seq = ANY ($1::bigint[])"
	  " RETURNING 1)"
	  /* Fewer deleted than applied: another matcher took them too. */
	  " SELECT " COUNT_IS("count(*)", "$2::bigint", "inbox commands taken")
	  " FROM d", 2 },
	/*
	 * As mlink_notify in domain/matcher_link.c: no WAL flush under
	 * NOTIFY's lock.
	 */
	[ST_NOTIFY] = { "store_notify",
	  "SELECT set_config('synchronous_commit', 'off', true),"
	  " (SELECT count(pg_notify(c, p)) FROM unnest($1::text[], $2::text[])"
	  " AS t (c, p))", 2 },
	[ST_REJECT] = { "store_reject",
	  "WITH old AS (SELECT id, public_id, user_id, lock_asset,"
	  "  lock_remaining FROM orders WHERE id = $1 AND status = 'NEW'"
	  "  AND book_seq IS NULL FOR UPDATE),"
	  " u AS (UPDATE orders o SET status = 'REJECTED', lock_remaining = 0,"
	  "  updated_at = now() FROM old WHERE o.id = old.id"
	  "  RETURNING o.user_id, o.created_at, o.day_value, o.cumulative_quote,"
	  "  o.fee_asset, o.status),"
	  " r AS (" STORE_RELEASES("u") "),"
	  " l AS (INSERT INTO ledger (user_id, asset, delta_available,"
	  "  delta_locked, kind, ref)"
	  "  SELECT user_id, lock_asset, lock_remaining, -lock_remaining,"
	  "  'ORDER_UNLOCK', public_id FROM old WHERE lock_remaining > 0)"
	  " DELETE FROM order_inbox WHERE seq = $2", 2 },
	/*
	 * order.filled for the orders this batch filled, one row each in
	 * one statement, read back from the rows the batch wrote (the
	 * outbox event is committed with the fill, or not at all), for
	 * the users who asked for it (sql/019's order_filled_subscribers). The
	 * event ids come from util_public_id here: made in SQL they cost
	 * a batch of 2,000 fills a fifth of its time. The view is asked
	 * about the orders' owners ($3) only: the condition goes down into
	 * both its branches, which then read the keys of those users, where
	 * the view whole is every user's preferences, read in every batch
	 * (94 ms a batch with 100,000 users who had set theirs).
	 */
	[ST_FILLED] = { "store_filled",
	  "INSERT INTO outbox (public_id, user_id, event_type, payload)"
	  " SELECT f.evt, o.user_id, 'order.filled',"
	  /* Amounts at their precisions and names, as the order API has them. */
	  " jsonb_build_object('orderId', o.public_id, 'symbol', o.symbol,"
	  " 'side', o.side, 'type', o.type,"
	  " 'quantity', round(o.executed_quantity, m.quantity_precision)::text,"
	  " 'executedQuantity',"
	  "  round(o.executed_quantity, m.quantity_precision)::text,"
	  " 'cumulativeQuote', round(o.cumulative_quote, qa.precision)::text,"
	  " 'cumulativeQuoteQuantity',"
	  "  round(o.cumulative_quote, qa.precision)::text,"
	  " 'averagePrice', CASE WHEN o.executed_quantity > 0 THEN"
	  "  round(o.cumulative_quote / o.executed_quantity,"
	  "  m.price_precision)::text END,"
	  " 'fee', round(o.fee_total, coalesce(fa.precision, 18))::text,"
	  " 'feeAsset', o.fee_asset)"
	  " FROM unnest($1::bigint[], $2::text[]) AS f (id, evt)"
	  " JOIN orders o ON o.id = f.id"
	  " JOIN markets m ON m.symbol = o.symbol"
	  " JOIN assets qa ON qa.code = m.quote_asset"
	  " LEFT JOIN assets fa ON fa.code = o.fee_asset"
	  " WHERE o.user_id IN (SELECT user_id FROM order_filled_subscribers"
	  " WHERE user_id = ANY ($3::bigint[]))"
	  " ORDER BY o.id", 3 },
};
_Static_assert(nitems(store_stmts) == ST__COUNT, "store statements");
const size_t store_nstmts = nitems(store_stmts);

static enum err
q(struct db *db, struct arena *a, int st, const char *const *p, PGresult **res)
{
	return db_query(db, a, &store_stmts[st], p, res);
}

/* Queue a statement on the pipeline store_commit() runs. */
static void
pipe(struct db *db, int st, const char *const *p, PGresult **slot)
{
	db_pipe_add(db, &store_stmts[st], p, slot);
}

static int
idx_cmp(const void *x, const void *y)
{
	const struct store_idx *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

void
store_idx_sort(struct store_idx *v, size_t n)
{
	qsort(v, n, sizeof(*v), idx_cmp);
}

const struct store_idx *
store_idx_find(const struct store_idx *v, size_t n, int64_t id)
{
	struct store_idx key = { id, 0 };

	if (n == 0)
		return NULL;
	return bsearch(&key, v, n, sizeof(*v), idx_cmp);
}

/* ---- the batch --------------------------------------------------------------- */

static enum err
put_trades(struct db *db, struct arena *a, struct engine *e)
{
	struct pgarr pid = { 0 }, sym = { 0 }, price = { 0 }, qty = { 0 },
	    quote = { 0 }, mo = { 0 }, tko = { 0 }, mu = { 0 }, tu = { 0 },
	    side = { 0 }, mf = { 0 }, tf = { 0 }, fa = { 0 };
	const char *p[14];
	char now[24];
	size_t i;

	if (e->ntrades == 0)
		return ERR_OK;
	for (i = 0; i < e->ntrades; i++) {
		const struct trade_rec *t = &e->trades[i];
		const struct market *m = &e->mk[t->mkt].m;

		pgarr_str(&pid, t->public_id);
		pgarr_str(&sym, m->symbol);
		pgarr_dec(&price, t->price, m->price_scale);
		pgarr_dec(&qty, t->qty, m->qty_scale);
		pgarr_dec(&quote, t->quote, m->quote_scale);
		pgarr_int(&mo, t->maker_order);
		pgarr_int(&tko, t->taker_order);
		pgarr_int(&mu, t->maker_user);
		pgarr_int(&tu, t->taker_user);
		pgarr_str(&side, trade_side_text(t->maker_side));
		pgarr_dec(&mf, t->maker_fee, m->quote_scale);
		pgarr_dec(&tf, t->taker_fee, m->quote_scale);
		pgarr_str(&fa, m->quote);
	}
	snprintf(now, sizeof(now), "%lld", (long long)e->now_ms);
	p[0] = pgarr_end(&pid, a);
	p[1] = pgarr_end(&sym, a);
	p[2] = pgarr_end(&price, a);
	p[3] = pgarr_end(&qty, a);
	p[4] = pgarr_end(&quote, a);
	p[5] = pgarr_end(&mo, a);
	p[6] = pgarr_end(&tko, a);
	p[7] = pgarr_end(&mu, a);
	p[8] = pgarr_end(&tu, a);
	p[9] = pgarr_end(&side, a);
	p[10] = pgarr_end(&mf, a);
	p[11] = pgarr_end(&tf, a);
	p[12] = pgarr_end(&fa, a);
	p[13] = now;
	for (i = 0; i < 13; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	pipe(db, ST_TRADES, p, NULL);
	return ERR_OK;
}

/* The orders the batch changed, but for those it inserts (skip, sorted). */
static enum err
put_orders(struct db *db, struct arena *a, struct engine *e,
    const struct store_idx *skip, size_t nskip, PGresult **res, size_t *expect)
{
	struct pgarr id = { 0 }, st = { 0 }, ex = { 0 }, cq = { 0 }, fee = { 0 },
	    lk = { 0 }, bs = { 0 }, tr = { 0 }, lc = { 0 };
	const char *p[10];
	char want[24];
	size_t i, k = 0;

	for (i = 0; i < e->norders; i++) {
		const struct order_rec *o = &e->orders[i];
		const struct market *m = &e->mk[o->mkt].m;

		if (store_idx_find(skip, nskip, o->id) != NULL)
			continue;
		k++;

		pgarr_int(&id, o->id);
		pgarr_str(&st, engine_status_text(o->status));
		pgarr_dec(&ex, o->executed, m->qty_scale);
		pgarr_dec(&cq, o->cum_quote, m->quote_scale);
		pgarr_dec(&fee, o->fees, m->quote_scale);
		pgarr_dec(&lk, o->lock, o->lock_scale);
		pgarr_int(&bs, o->book_seq);
		/* 'now': the batch's transaction time, set once. */
		pgarr_str(&tr, o->triggered ? "now" : "NULL");
		pgarr_int(&lc, o->list_count);
	}
	p[0] = pgarr_end(&id, a);
	p[1] = pgarr_end(&st, a);
	p[2] = pgarr_end(&ex, a);
	p[3] = pgarr_end(&cq, a);
	p[4] = pgarr_end(&fee, a);
	p[5] = pgarr_end(&lk, a);
	p[6] = pgarr_end(&bs, a);
	p[7] = pgarr_end(&tr, a);
	p[9] = pgarr_end(&lc, a);
	if (k == 0)
		return ERR_OK;
	for (i = 0; i < 10; i++)
		if (i != 8 && p[i] == NULL)
			return ERR_INTERNAL;
	*expect = k;
	snprintf(want, sizeof(want), "%zu", k);
	p[8] = want;
	pipe(db, ST_ORDERS, p, res);
	return ERR_OK;
}

static const char *const ledger_kind_text[] = {
	[LK_TRADE] = "TRADE", [LK_ORDER_UNLOCK] = "ORDER_UNLOCK",
	[LK_FEE] = "FEE", [LK_ORDER_LOCK] = "ORDER_LOCK",
};

static enum err
put_ledger(struct db *db, struct arena *a, struct engine *e)
{
	struct pgarr user = { 0 }, asset = { 0 }, da = { 0 }, dl = { 0 },
	    kind = { 0 }, ref = { 0 };
	const char *p[6];
	size_t i;

	if (e->nledger == 0)
		return ERR_OK;
	for (i = 0; i < e->nledger; i++) {
		const struct ledger_rec *l = &e->ledger[i];

		pgarr_int(&user, l->user_id);
		pgarr_str(&asset, l->asset);
		pgarr_dec(&da, l->d_available, l->scale);
		pgarr_dec(&dl, l->d_locked, l->scale);
		pgarr_str(&kind, ledger_kind_text[l->kind]);
		pgarr_str(&ref, l->ref);
	}
	p[0] = pgarr_end(&user, a);
	p[1] = pgarr_end(&asset, a);
	p[2] = pgarr_end(&da, a);
	p[3] = pgarr_end(&dl, a);
	p[4] = pgarr_end(&kind, a);
	p[5] = pgarr_end(&ref, a);
	for (i = 0; i < 6; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	pipe(db, ST_LEDGER, p, NULL);
	return ERR_OK;
}

/* The orders the batch left FILLED: their order.filled events. */
static enum err
put_filled(struct db *db, struct arena *a, struct engine *e)
{
	struct pgarr id = { 0 }, evt = { 0 }, user = { 0 };
	char pid[OUTBOX_ID_LEN + 1];
	const char *p[3];
	size_t i, rows = 0;
	int bad = 0;

	for (i = 0; i < e->norders; i++)
		if (e->orders[i].status == OST_FILLED) {
			if (util_public_id("evt_", pid, sizeof(pid)) == -1)
				bad = 1;
			pgarr_int(&id, e->orders[i].id);
			pgarr_str(&evt, pid);
			pgarr_int(&user, e->orders[i].user_id);
			rows++;
		}
	p[0] = pgarr_end(&id, a);
	p[1] = pgarr_end(&evt, a);
	p[2] = pgarr_end(&user, a);
	if (rows == 0)
		return ERR_OK;
	if (bad || p[0] == NULL || p[1] == NULL || p[2] == NULL)
		return ERR_INTERNAL;
	pipe(db, ST_FILLED, p, NULL);
	return ERR_OK;
}

static enum err
put_klines(struct db *db, struct arena *a, struct engine *e)
{
	struct pgarr sym = { 0 }, iv = { 0 }, t = { 0 }, o = { 0 }, h = { 0 },
	    l = { 0 }, c = { 0 }, vol = { 0 }, qv = { 0 }, n = { 0 };
	const char *p[10];
	size_t i, j, rows = 0;

	for (i = 0; i < e->nmk; i++) {
		const struct market *m = &e->mk[i].m;

		for (j = 0; j < KL_COUNT; j++) {
			const struct kline *k = &e->mk[i].kl[j];

			if (!k->used)
				continue;
			pgarr_str(&sym, m->symbol);
			pgarr_str(&iv, kline_names[j]);
			pgarr_int(&t, k->open_time);
			pgarr_dec(&o, k->open, m->price_scale);
			pgarr_dec(&h, k->high, m->price_scale);
			pgarr_dec(&l, k->low, m->price_scale);
			pgarr_dec(&c, k->close, m->price_scale);
			pgarr_dec(&vol, k->volume, m->qty_scale);
			pgarr_dec(&qv, k->quote_volume, m->quote_scale);
			pgarr_int(&n, k->trades);
			rows++;
		}
	}
	p[0] = pgarr_end(&sym, a);
	p[1] = pgarr_end(&iv, a);
	p[2] = pgarr_end(&t, a);
	p[3] = pgarr_end(&o, a);
	p[4] = pgarr_end(&h, a);
	p[5] = pgarr_end(&l, a);
	p[6] = pgarr_end(&c, a);
	p[7] = pgarr_end(&vol, a);
	p[8] = pgarr_end(&qv, a);
	p[9] = pgarr_end(&n, a);
	if (rows == 0)
		return ERR_OK;
	for (i = 0; i < 10; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	pipe(db, ST_KLINES, p, NULL);
	return ERR_OK;
}

static enum err
put_marks(struct db *db, struct arena *a, struct engine *e)
{
	struct pgarr sym = { 0 }, ls = { 0 }, bs = { 0 }, lp = { 0 };
	const char *p[4];
	size_t i, rows = 0;

	for (i = 0; i < e->nmk; i++) {
		const struct engine_market *mk = &e->mk[i];

		if (!mk->touched)
			continue;
		pgarr_str(&sym, mk->m.symbol);
		pgarr_int(&ls, mk->last_seq);
		pgarr_int(&bs, mk->book_seq);
		if (mk->last_price > 0)
			pgarr_dec(&lp, mk->last_price, mk->m.price_scale);
		else
			pgarr_str(&lp, "NULL");
		rows++;
	}
	p[0] = pgarr_end(&sym, a);
	p[1] = pgarr_end(&ls, a);
	p[2] = pgarr_end(&bs, a);
	p[3] = pgarr_end(&lp, a);
	if (rows == 0)
		return ERR_OK;
	for (i = 0; i < 4; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	pipe(db, ST_MARKS, p, NULL);
	return ERR_OK;
}

static enum err
put_inbox(struct db *db, struct arena *a, struct engine *e, PGresult **res)
{
	struct pgarr seq = { 0 };
	const char *p[2];
	char want[24];
	size_t i;

	if (e->nseqs == 0)
		return ERR_OK;
	for (i = 0; i < e->nseqs; i++)
		pgarr_int(&seq, e->seqs[i]);
	if ((p[0] = pgarr_end(&seq, a)) == NULL)
		return ERR_INTERNAL;
	snprintf(want, sizeof(want), "%zu", e->nseqs);
	p[1] = want;
	pipe(db, ST_INBOX_DONE, p, res);
	return ERR_OK;
}

/*
 * The batch's statements and its COMMIT go as one pipeline (one round
 * trip to the server): the counts the batch checks are checked by its
 * statements themselves (COUNT_IS), and a statement that fails leaves
 * the COMMIT undone. Done only once the COMMIT's own answer is in.
 */
enum err
store_commit(struct db *db, struct arena *a, struct engine *e,
    struct direct *d, size_t nd)
{
	PGresult *inbox = NULL, *orders = NULL;
	struct store_idx *ids = NULL;
	size_t nids = 0, norders = 0;
	enum err rc, run;

	if ((rc = db_pipe_begin(db)) != ERR_OK)
		return rc;
	/* admit_take() began it when the socket brought requests. */
	if (!db_in_txn(db))
		db_pipe_txn(db, 1);
	/*
	 * The ledger goes last: its trigger locks the users' balances, which
	 * their own new orders wait for until this transaction ends.
	 */
	if ((rc = put_inbox(db, a, e, &inbox)) == ERR_OK &&
	    (rc = store_direct_put(db, a, e, d, nd, &ids, &nids)) == ERR_OK &&
	    (rc = store_idem_put(db, a, d, nd)) == ERR_OK &&
	    (rc = store_days_put(db, a, d, nd)) == ERR_OK &&
	    (rc = put_trades(db, a, e)) == ERR_OK &&
	    (rc = put_orders(db, a, e, ids, nids, &orders, &norders)) ==
	    ERR_OK &&
	    (rc = put_filled(db, a, e)) == ERR_OK &&
	    (rc = put_klines(db, a, e)) == ERR_OK &&
	    (rc = put_marks(db, a, e)) == ERR_OK)
		rc = put_ledger(db, a, e);
	/* Nothing went wrong while queueing: the COMMIT may follow. */
	if (rc == ERR_OK)
		db_pipe_txn(db, 0);
	run = db_pipe_run(db, a);
	if (rc == ERR_OK)
		rc = run;
	if (rc != ERR_OK) {
		db_rollback(db);
		return rc;
	}
	return ERR_OK;
}

void
store_notify(struct db *db, struct arena *a, const struct store_cmd *cmds,
    size_t n)
{
	struct pgarr ch = { 0 }, id = { 0 };
	const char *p[2];
	char word[96];
	PGresult *res;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (cmds[i].reply[0] == '\0')
			continue;
		pgarr_str(&ch, cmds[i].reply);
		/* A rejected order's id, and why (domain/matcher_line.h). */
		if (mline_refusal_encode(&cmds[i].refused, word,
		    sizeof(word)) == 0)
			pgarr_quoted(&id, arena_printf(a, "%s %s",
			    cmds[i].c.public_id, word));
		else
			pgarr_str(&id, cmds[i].c.public_id);
		k++;
	}
	p[0] = pgarr_end(&ch, a);
	p[1] = pgarr_end(&id, a);
	if (k == 0)
		return;
	if (p[0] == NULL || p[1] == NULL || q(db, a, ST_NOTIFY, p, &res) != ERR_OK)
		log_error("batch: waiting handlers not notified");
}

enum err
store_reject(struct db *db, struct arena *a, const struct cmd *c)
{
	char id[24], seq[24];
	const char *p[2] = { id, seq };
	PGresult *res;
	enum err rc;

	snprintf(id, sizeof(id), "%lld", (long long)c->order_id);
	snprintf(seq, sizeof(seq), "%lld", (long long)c->seq);
	if ((rc = db_begin(db)) != ERR_OK)
		return rc;
	if ((rc = q(db, a, ST_REJECT, p, &res)) != ERR_OK) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) != ERR_OK)
		return rc;
	log_error("command %lld (%s of order %s) rejected", (long long)c->seq,
	    c->kind == CMD_NEW ? "NEW" : "CANCEL", c->public_id);
	return ERR_OK;
}
