/* matcher/store_direct.c — a batch's socket orders into PostgreSQL: the orders as the batch left them, their idempotency claims, their users' daily counters */
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "domain/markets.h"
#include "core/pgarr.h"
#include "matcher/store.h"
#include "matcher/store_direct.h"

enum { ST_DIRECT_INSERT, ST_DAYS, ST_IDEM, ST__COUNT };

const struct stmt store_direct_stmts[] = {
	/*
	 * Socket orders go in once, as the batch left them: an insert and an
	 * update of the same row would cost twice (every index, every check).
	 */
	[ST_DIRECT_INSERT] = { "store_direct_insert",
	  "WITH i AS (INSERT INTO orders (id, public_id, user_id, client_order_id,"
	  " symbol, side, type, time_in_force, price, quantity, quote_order_qty,"
	  " executed_quantity, cumulative_quote, fee_total, fee_asset, status,"
	  " lock_asset, locked_amount, lock_remaining, seq, book_seq, day_value,"
	  " stop_price, self_trade_prevention, triggered_at)"
	  " OVERRIDING SYSTEM VALUE"
	  " SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[],"
	  " $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
	  " $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[],"
	  " $13::numeric[], $14::numeric[], $15::text[], $16::text[],"
	  " $17::text[], $18::numeric[], $19::numeric[], $20::bigint[],"
	  " $21::bigint[], $22::numeric[], $23::numeric[], $24::text[],"
	  " $25::timestamptz[])"
	  " RETURNING user_id, created_at, day_value, cumulative_quote,"
	  " fee_asset, status)"
	  " " STORE_RELEASES("i"), 25 },
	/* The batch's users' daily counters, locked by admit_take(). */
	[ST_DAYS] = { "store_days",
	  "UPDATE trading_days t SET used = v.used"
	  " FROM unnest($1::bigint[], $2::numeric[]) AS v (u, used)"
	  " WHERE t.user_id = v.u", 2 },
	/*
	 * The X-Idempotency-Keys of the batch's socket orders, claimed with
	 * the orders (core/idem.c): the handler, which holds the key's lock,
	 * stores its answer over the claim. A claim that has expired is
	 * taken over; one that stands is left alone (the key's lock keeps
	 * two requests from sending it).
	 */
	[ST_IDEM] = { "store_idem",
	  "INSERT INTO idempotency_keys AS k (user_id, key, request_hash,"
	  " method, path)"
	  " SELECT v.u, v.k, decode(v.h, 'hex'), 'POST', '/api/v1/orders'"
	  " FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v (u, k, h)"
	  " ON CONFLICT (user_id, key) DO UPDATE SET"
	  " request_hash = excluded.request_hash, method = excluded.method,"
	  " path = excluded.path, status = NULL, response = NULL,"
	  " response_sealed = NULL,"
	  " created_at = now(), expires_at = now() + interval '24 hours'"
	  " WHERE k.expires_at <= now()", 3 },
};
_Static_assert(nitems(store_direct_stmts) == ST__COUNT, "store_direct statements");
const size_t store_direct_nstmts = nitems(store_direct_stmts);

/* Queue a statement on the pipeline store_commit() runs. */
static void
pipe(struct db *db, int st, const char *const *p, PGresult **slot)
{
	db_pipe_add(db, &store_direct_stmts[st], p, slot);
}

/* The columns of store_direct_insert, in its parameters' order. */
enum {
	DC_ID, DC_PUBLIC_ID, DC_USER, DC_CLIENT_ID, DC_SYMBOL, DC_SIDE,
	DC_TYPE, DC_TIF, DC_PRICE, DC_QTY, DC_QOQ, DC_EXECUTED, DC_CUM_QUOTE,
	DC_FEE, DC_FEE_ASSET, DC_STATUS, DC_LOCK_ASSET, DC_LOCKED, DC_LEFT,
	DC_SEQ, DC_BOOK_SEQ, DC_DAY_VALUE, DC_STOP, DC_STP, DC_TRIGGERED,
	DC__COUNT
};
_Static_assert(DC__COUNT == 25, "store_direct_insert's 25 parameters");

/* An amount at scale, or NULL for none (0). */
static void
dec_or_null(struct pgarr *col, int64_t v, int scale)
{
	if (v > 0)
		pgarr_dec(col, v, scale);
	else
		pgarr_str(col, "NULL");
}

/* One socket order as the batch left it (o), a row of the insert. */
static void
direct_row(struct pgarr *col, const struct market *m,
    const struct direct *d, const struct order_rec *o)
{
	int scale;

	pgarr_int(&col[DC_ID], d->c.order_id);
	pgarr_str(&col[DC_PUBLIC_ID], d->c.public_id);
	pgarr_int(&col[DC_USER], d->c.user_id);
	if (d->client_id[0] != '\0')
		pgarr_quoted(&col[DC_CLIENT_ID], d->client_id);
	else
		pgarr_str(&col[DC_CLIENT_ID], "NULL");
	pgarr_str(&col[DC_SYMBOL], m->symbol);
	pgarr_str(&col[DC_SIDE], trade_side_text(d->c.side));
	pgarr_str(&col[DC_TYPE], trade_type_name(d->c.type, d->c.stop > 0));
	pgarr_str(&col[DC_TIF], trade_tif_text(d->c.tif));
	dec_or_null(&col[DC_PRICE], d->c.type == ORD_LIMIT ? d->c.price : 0,
	    m->price_scale);
	dec_or_null(&col[DC_QTY], d->c.qty, m->qty_scale);
	dec_or_null(&col[DC_QOQ], d->qoq, m->quote_scale);
	pgarr_dec(&col[DC_EXECUTED], o->executed, m->qty_scale);
	pgarr_dec(&col[DC_CUM_QUOTE], o->cum_quote, m->quote_scale);
	pgarr_dec(&col[DC_FEE], o->fees, m->quote_scale);
	pgarr_str(&col[DC_FEE_ASSET], m->quote);
	pgarr_str(&col[DC_STATUS], engine_status_text(o->status));
	pgarr_str(&col[DC_LOCK_ASSET], trade_lock_asset(m, d->c.side, &scale));
	pgarr_dec(&col[DC_LOCKED], d->c.lock, o->lock_scale);
	pgarr_dec(&col[DC_LEFT], o->lock, o->lock_scale);
	pgarr_int(&col[DC_SEQ], d->c.seq);
	if (o->book_seq > 0)
		pgarr_int(&col[DC_BOOK_SEQ], o->book_seq);
	else
		pgarr_str(&col[DC_BOOK_SEQ], "NULL");
	pgarr_dec(&col[DC_DAY_VALUE], d->day_value, 2);
	dec_or_null(&col[DC_STOP], d->c.stop, m->price_scale);
	pgarr_str(&col[DC_STP], trade_stp_text(d->c.stp));
	pgarr_str(&col[DC_TRIGGERED], o->triggered ? "now" : "NULL");
}

/*
 * The batch's socket orders as it left them. Sorted by id into *ids, for
 * put_orders() (store.c) to skip; each one's order_rec goes to d[i].rec.
 */
enum err
store_direct_put(struct db *db, struct arena *a, struct engine *e,
    struct direct *d, size_t n, struct store_idx **ids, size_t *nids)
{
	struct pgarr col[DC__COUNT];
	const char *p[DC__COUNT];
	struct store_idx *recs, *v;
	const struct store_idx *x;
	size_t i, k = 0;

	*ids = NULL;
	*nids = 0;
	if (n == 0)
		return ERR_OK;
	memset(col, 0, sizeof(col));
	if ((v = arena_calloc(a, n, sizeof(*v))) == NULL ||
	    (recs = arena_calloc(a, e->norders + 1, sizeof(*recs))) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < e->norders; i++) {
		recs[i].id = e->orders[i].id;
		recs[i].i = i;
	}
	store_idx_sort(recs, e->norders);
	for (i = 0; i < n; i++) {
		if (d[i].state != DS_ACCEPTED)
			continue;
		/* Every order the engine takes has its state in the batch. */
		if ((x = store_idx_find(recs, e->norders, d[i].c.order_id)) == NULL)
			return ERR_INTERNAL;
		d[i].rec = x->i;
		v[k].id = d[i].c.order_id;
		v[k++].i = i;
		direct_row(col, &e->mk[d[i].mkt].m, &d[i], &e->orders[x->i]);
	}
	for (i = 0; i < DC__COUNT; i++)
		p[i] = pgarr_end(&col[i], a);
	store_idx_sort(v, k);
	*ids = v;
	*nids = k;
	if (k == 0)
		return ERR_OK;
	for (i = 0; i < DC__COUNT; i++)
		if (p[i] == NULL)
			return ERR_INTERNAL;
	pipe(db, ST_DIRECT_INSERT, p, NULL);
	return ERR_OK;
}

/* The idempotency keys the batch's placed socket orders came with. */
enum err
store_idem_put(struct db *db, struct arena *a, const struct direct *d, size_t n)
{
	struct pgarr user = { 0 }, key = { 0 }, hash = { 0 };
	const char *p[3];
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (d[i].state == DS_ACCEPTED && d[i].idem_key[0] != '\0') {
			pgarr_int(&user, d[i].c.user_id);
			pgarr_quoted(&key, d[i].idem_key);
			pgarr_str(&hash, d[i].idem_hash);
			k++;
		}
	p[0] = pgarr_end(&user, a);
	p[1] = pgarr_end(&key, a);
	p[2] = pgarr_end(&hash, a);
	if (k == 0)
		return ERR_OK;
	if (p[0] == NULL || p[1] == NULL || p[2] == NULL)
		return ERR_INTERNAL;
	pipe(db, ST_IDEM, p, NULL);
	return ERR_OK;
}

/* The daily counters of the batch's socket orders' users. */
enum err
store_days_put(struct db *db, struct arena *a, const struct direct *d, size_t n)
{
	struct pgarr user = { 0 }, used = { 0 };
	const char *p[2];
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (d[i].day_head) {
			pgarr_int(&user, d[i].c.user_id);
			pgarr_dec(&used, d[i].day_used, 2);
			k++;
		}
	p[0] = pgarr_end(&user, a);
	p[1] = pgarr_end(&used, a);
	if (k == 0)
		return ERR_OK;
	if (p[0] == NULL || p[1] == NULL)
		return ERR_INTERNAL;
	pipe(db, ST_DAYS, p, NULL);
	return ERR_OK;
}
