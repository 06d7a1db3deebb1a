/* matcher/admit_day.c — the daily trading limit for a batch's socket orders: the users' counters locked and folded in admit_take()'s round trip, each order counted in turn */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/decimal.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/markets.h"
#include "matcher/admit_day.h"
#include "core/pgarr.h"

enum { ST_DAYS, ST_FOLD, ST_RATES, ST__COUNT };

const struct stmt admit_day_stmts[] = {
	/*
	 * The users' counters, locked in user order before their balances
	 * (as the inbox path does, domain/trading_day.c), a counter of an
	 * earlier day starting anew, with each user's limit.
	 */
	[ST_DAYS] = { "admit_days",
	  "WITH k AS (SELECT DISTINCT u FROM unnest($1::bigint[]) AS k (u)),"
	  " t AS (INSERT INTO trading_days AS t (user_id, day)"
	  "  SELECT u, utc_day(now()) FROM k ORDER BY u"
	  "  ON CONFLICT (user_id) DO UPDATE SET day = excluded.day,"
	  "  used = CASE WHEN t.day = excluded.day THEN t.used ELSE 0 END"
	  "  RETURNING t.user_id, t.used)"
	  " SELECT t.user_id, t.used::text,"
	  " round(coalesce(l.daily_trading, d.daily_trading), 2)::text"
	  " FROM t JOIN users u ON u.id = t.user_id"
	  " JOIN kyc_level_limits d ON d.level = u.kyc_level"
	  " LEFT JOIN user_limits l ON l.user_id = u.id", 1 },
	/* What their ended orders freed, folded in under those locks. */
	[ST_FOLD] = { "admit_fold",
	  "WITH r AS (DELETE FROM trading_releases"
	  "  WHERE user_id = ANY ($1::bigint[]) RETURNING user_id, day, amount)"
	  " SELECT user_id, sum(amount)::text FROM r"
	  " WHERE day = utc_day(now()) GROUP BY user_id", 1 },
	/* The TRY prices of quote assets other than TRY. */
	[ST_RATES] = { "admit_rates",
	  "SELECT a, round(asset_price_try(a), 8)::text"
	  " FROM unnest($1::text[]) AS a", 1 },
};
_Static_assert(nitems(admit_day_stmts) == ST__COUNT, "admit_day statements");
const size_t admit_day_nstmts = nitems(admit_day_stmts);

static int
user_cmp(const void *x, const void *y)
{
	const struct day_user *a = x, *b = y;

	return a->user < b->user ? -1 : a->user > b->user;
}

/* Whether one of the batch's orders is on a market quoted in quote. */
static int
batch_quotes(const struct engine *e, const struct direct *d, size_t n,
    const char *quote)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(e->mk[d[i].mkt].m.quote, quote) == 0)
			return 1;
	return 0;
}

void
admit_day_queue(struct db *db, struct arena *a, const struct engine *e,
    const struct direct *d, size_t n, struct admit_day *ad)
{
	struct pgarr u = { 0 }, q = { 0 };
	const char *p[1];
	size_t i, k = 0;

	memset(ad, 0, sizeof(*ad));
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		pgarr_int(&u, d[i].c.user_id);
	/*
	 * The rates of the quote assets the batch's orders are priced in,
	 * when one is not TRY: most batches need none, and the statement
	 * (a SQL function per asset) cost a batch as much as a write.
	 */
	for (i = 0; i < e->nmk; i++)
		if (strcmp(e->mk[i].m.quote, "TRY") != 0 &&
		    batch_quotes(e, d, n, e->mk[i].m.quote)) {
			pgarr_str(&q, e->mk[i].m.quote);
			k++;
		}
	if ((p[0] = pgarr_end(&u, a)) == NULL) {
		ad->broken = 1;
		return;
	}
	ad->queued = 1;
	db_pipe_add(db, &admit_day_stmts[ST_DAYS], p, &ad->days);
	db_pipe_add(db, &admit_day_stmts[ST_FOLD], p, &ad->fold);
	if (k > 0) {
		if ((p[0] = pgarr_end(&q, a)) == NULL) {
			ad->broken = 1;
			return;
		}
		db_pipe_add(db, &admit_day_stmts[ST_RATES], p, &ad->rates);
	}
}

static struct day_user *
user_find(struct admit_day *ad, int64_t user)
{
	struct day_user key;

	key.user = user;
	if (ad->nusers == 0)
		return NULL;
	return bsearch(&key, ad->users, ad->nusers, sizeof(key), user_cmp);
}

/*
 * "123.45" as hundredths; -1 when it is not TRY at 2 decimals. Signed:
 * what an ended order frees is negative when it executed more than it
 * counted (a sell filled above its price).
 */
static int
cents(const char *s, int64_t *v)
{
	return s != NULL && dec_parse_flags(s, strlen(s), 2,
	    DEC_NEG_OK | DEC_ZEROS_OK, v) == DEC_OK ? 0 : -1;
}

enum err
admit_day_read(struct arena *a, struct admit_day *ad)
{
	int r, n;
	struct day_user *du;
	int64_t freed;

	if (!ad->queued && !ad->broken)
		return ERR_OK;		/* no socket orders */
	if (ad->broken || ad->days == NULL || ad->fold == NULL)
		return ERR_INTERNAL;
	n = PQntuples(ad->days);
	if ((ad->users = arena_calloc(a, (size_t)n + 1,
	    sizeof(*ad->users))) == NULL)
		return ERR_INTERNAL;
	for (r = 0; r < n; r++) {
		du = &ad->users[r];
		du->user = strtoll(db_val(ad->days, r, 0), NULL, 10);
		if (cents(db_val(ad->days, r, 1), &du->d.used) == -1 ||
		    cents(db_val(ad->days, r, 2), &du->d.limit) == -1)
			return ERR_INTERNAL;
		du->head = -1;
	}
	ad->nusers = (size_t)n;
	qsort(ad->users, ad->nusers, sizeof(*ad->users), user_cmp);
	for (r = 0; r < PQntuples(ad->fold); r++) {
		if ((du = user_find(ad, strtoll(db_val(ad->fold, r, 0), NULL,
		    10))) == NULL || cents(db_val(ad->fold, r, 1), &freed) == -1)
			return ERR_INTERNAL;
		du->d.used -= freed;
	}
	return ERR_OK;
}

/* The TRY price of a market's quote asset at TRADE_RATE_SCALE, 0: none. */
static int64_t
quote_rate(const struct admit_day *ad, const struct market *m)
{
	int64_t one = 100000000, v;
	int r;

	_Static_assert(TRADE_RATE_SCALE == 8, "rate scale");
	if (strcmp(m->quote, "TRY") == 0)
		return one;
	for (r = 0; ad->rates != NULL && r < PQntuples(ad->rates); r++)
		if (strcmp(db_val(ad->rates, r, 0), m->quote) == 0 &&
		    db_val(ad->rates, r, 1) != NULL &&
		    market_numeric(db_val(ad->rates, r, 1), TRADE_RATE_SCALE,
		    &v) == 0)
			return v;
	return 0;
}

int
admit_day_take(struct admit_day *ad, const struct engine *e,
    struct direct *d, size_t i)
{
	const struct engine_market *mk = &e->mk[d[i].mkt];
	struct trade_order o = { d[i].c.side, d[i].c.type, d[i].c.price,
	    d[i].c.qty, d[i].qoq };
	struct day_user *du;

	if ((du = user_find(ad, d[i].c.user_id)) == NULL)
		return -1;
	if (trade_day_value(&mk->m, &o, mk->last_price, quote_rate(ad, &mk->m),
	    &d[i].day_value) == -1)
		return -1;
	if (!trade_day_fits(&du->d, d[i].day_value))
		return 0;
	du->d.used += d[i].day_value;
	return 1;
}

void
admit_day_close(struct admit_day *ad, struct direct *d, size_t n)
{
	struct day_user *du;
	size_t i;

	/* Each counter once, on its user's first order of the batch. */
	for (i = 0; i < n; i++) {
		d[i].day_head = 0;
		if ((du = user_find(ad, d[i].c.user_id)) != NULL &&
		    du->head == -1) {
			du->head = (long)i;
			d[i].day_head = 1;
			d[i].day_used = du->d.used;
		}
	}
}
