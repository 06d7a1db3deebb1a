/* domain/bot_run.c — the bot worker's run: claim due bots, price each venue and symbol once, decide, trade through the venue, settle */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/input.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/bot_run.h"
#include "domain/bots.h"
#include "domain/users.h"
#include "domain/venue.h"

#define RUN_KEYS_MAX	4096	/* distinct venue+symbol pairs one run prices */

enum { ST_RESUME, ST_CLAIM, ST__COUNT };

static const struct stmt stmts[] = {
	/* a daily limit's stop lasts until the next UTC day */
	[ST_RESUME] = { "bot_run_resume", "UPDATE bots SET status = 'RUNNING',"
	    " status_reason = NULL, halted_day = NULL, updated_at = now()"
	    " WHERE status = 'STOPPED' AND halted_day < (now() AT TIME ZONE 'UTC')::date"
	    " AND deleted_at IS NULL", 0 },
	/*
	 * Due bots, each claimed by one run: SKIP LOCKED passes over rows
	 * another run is claiming, the lease over rows it holds. Not again
	 * in the run that started at $3.
	 */
	[ST_CLAIM] = { "bot_run_claim", "UPDATE bots b SET lease_token = $1,"
	    " lease_until = now() + $2::integer * interval '1 second' FROM users u"
	    " WHERE b.id IN (SELECT id FROM bots WHERE status = 'RUNNING'"
	    "  AND deleted_at IS NULL AND (lease_until IS NULL OR lease_until < now())"
	    "  AND (last_run_at IS NULL OR last_run_at < least($3::timestamptz,"
	    "   now() - $4::integer * interval '1 second'))"
	    "  ORDER BY last_run_at NULLS FIRST, id LIMIT $5::integer"
	    "  FOR UPDATE SKIP LOCKED) AND u.id = b.user_id"
	    " RETURNING b.id, b.public_id, b.symbol, b.venue, b.strategy,"
	    " coalesce(b.ema_period, 0), b.params::text, b.order_size::text, b.paper,"
	    " b.stop_loss_pct::text, b.take_profit_pct::text,"
	    " b.daily_profit_target::text, b.daily_loss_limit::text, b.position::text,"
	    " b.avg_entry::text, b.anchor::text, b.steps, b.cycle, b.pending_side,"
	    " b.pending_qty::text, b.pending_reason, b.failures,"
	    " CASE WHEN b.pnl_day = (now() AT TIME ZONE 'UTC')::date THEN b.today_pnl"
	    "  ELSE 0 END::text, u.id, u.public_id, u.kyc_level, u.status,"
	    " coalesce(b.venue_symbol, b.symbol)", 5 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "stmts");

/* What the run has looked up once for all its bots (the venue's symbol). */
struct run_key {
	char		 venue[16], symbol[24];
	const char	*price;		/* NULL: none */
	int		 priced;
	enum err	 price_err;	/* the venue's answer to the lookup */
	const char	**closes;	/* text: each bot reads them at its scale */
	size_t		 ncloses;
	int		 candles;	/* loaded */
	enum err	 candle_err;
};

/* A live order of the batch, sent with the others of its venue. */
struct outgoing {
	struct bot_claim	*b;
	const struct venue	*v;
	struct ctx		 oc;	/* the batch's, as the bot's owner */
	struct venue_call	 call;
	int			 sell;
	enum bot_reason		 why;
	struct strat_decision	 d;
	int64_t			 price;
};

struct run {
	struct ctx			*c;		/* the run's: what it keeps */
	struct ctx			*bc;		/* the batch's: reset after each */
	const struct bot_run_opts	*o;
	struct bot_run_stats		*s;
	char				 token[40];
	char				 started[40];
	struct run_key			*keys;
	size_t				 nkeys;
	struct outgoing			*out;	/* the batch's live orders */
	size_t				 nout;
};

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

static int
num(const char *s, int scale, int64_t *v)
{
	*v = 0;
	return s == NULL ? 0 : dec_parse_flags(s, strlen(s), scale,
	    DEC_NEG_OK | DEC_ZEROS_OK, v) == DEC_OK ? 0 : -1;
}

static struct run_key *
key_of(struct run *r, const char *venue, const char *symbol)
{
	size_t i;

	for (i = 0; i < r->nkeys; i++)
		if (strcmp(r->keys[i].venue, venue) == 0 &&
		    strcmp(r->keys[i].symbol, symbol) == 0)
			return &r->keys[i];
	if (r->nkeys == RUN_KEYS_MAX)
		return NULL;
	memset(&r->keys[r->nkeys], 0, sizeof(r->keys[0]));
	snprintf(r->keys[r->nkeys].venue, sizeof(r->keys[0].venue), "%s", venue);
	snprintf(r->keys[r->nkeys].symbol, sizeof(r->keys[0].symbol), "%s", symbol);
	return &r->keys[r->nkeys++];
}

/* The configuration as the worker runs it; b->bad says why it cannot. */
static void
claim_read(struct run *r, PGresult *res, int i, struct bot_claim *b)
{
	struct ctx *c = r->bc;
	struct strat_params sp;
	struct strat_scales ss;
	struct json_object *params;
	struct in_err ie = { 0 };
	int64_t size;

	memset(b, 0, sizeof(*b));
	b->id = db_val(res, i, 0);
	b->public_id = db_val(res, i, 1);
	b->symbol = db_val(res, i, 2);
	b->venue = db_val(res, i, 3);
	b->strategy = db_val(res, i, 4);
	b->paper = strcmp(db_val(res, i, 8), "t") == 0;
	b->daily_profit = db_val(res, i, 11);
	b->daily_loss = db_val(res, i, 12);
	b->st.steps = (int)util_long(db_val(res, i, 16), 0);
	b->cycle = db_val(res, i, 17);
	b->pending_side = db_val(res, i, 18);
	b->pending_qty = db_val(res, i, 19);
	b->pending_reason = db_val(res, i, 20);
	b->failures = (int)util_long(db_val(res, i, 21), 0);
	b->today_pnl = db_val(res, i, 22);
	b->owner.id = strtoll(db_val(res, i, 23), NULL, 10);
	snprintf(b->owner.idtxt, sizeof(b->owner.idtxt), "%s", db_val(res, i, 23));
	snprintf(b->owner.public_id, sizeof(b->owner.public_id), "%s", db_val(res, i, 24));
	b->owner.kyc_level = (int)util_long(db_val(res, i, 25), 0);
	snprintf(b->owner.status, sizeof(b->owner.status), "%s", db_val(res, i, 26));
	b->owner.roles = ROLE_USER;
	b->vsymbol = db_val(res, i, 27);
	if (bot_scales_get(c, b->venue, b->vsymbol, &b->br.sc) != ERR_OK) {
		b->bad = "the market is gone";
		return;
	}
	params = json_own(c->arena, json_tokener_parse(db_val(res, i, 6)));
	ss.price = b->br.sc.price;
	ss.qty = b->br.sc.qty;
	if (num(db_val(res, i, 7), b->br.sc.qty, &size) == -1 ||
	    strat_params_parse(strat_kind(b->strategy), params,
	    (int)util_long(db_val(res, i, 5), 0), size, &ss, &sp, &ie) == -1 ||
	    bot_rules_make(&b->br, &sp, &b->br.sc, db_val(res, i, 7),
	    db_val(res, i, 9), db_val(res, i, 10)) == -1 ||
	    num(db_val(res, i, 13), b->br.sc.qty, &b->st.position) == -1 ||
	    num(db_val(res, i, 14), b->br.sc.price, &b->st.avg_entry) == -1 ||
	    num(db_val(res, i, 15), b->br.sc.price, &b->st.anchor) == -1)
		b->bad = "the configuration no longer fits the market";
}

/* Prices of every venue+symbol of the batch not yet priced this run: one call per venue. */
static void
prices_fetch(struct run *r, struct bot_claim *bots, int n)
{
	const char *syms[RUN_KEYS_MAX], *out[RUN_KEYS_MAX];
	struct run_key *keys[RUN_KEYS_MAX];
	const struct venue *v;
	size_t k, m;
	enum err e;
	int i, j;

	for (i = 0; i < n; i++) {
		if (bots[i].bad != NULL || (v = venue_get(bots[i].venue)) == NULL)
			continue;
		/* one lookup per venue: gather its unpriced symbols */
		for (m = 0, j = i; j < n; j++) {
			struct run_key *rk;

			if (strcmp(bots[j].venue, v->name) != 0 ||
			    (rk = key_of(r, v->name, bots[j].vsymbol)) == NULL ||
			    rk->priced)
				continue;
			rk->priced = 1;
			keys[m] = rk;
			syms[m++] = rk->symbol;
		}
		if (m == 0)
			continue;
		if ((e = v->prices(r->bc, syms, m, out)) != ERR_OK) {
			log_error("bots: prices from %s failed", v->name);
			for (k = 0; k < m; k++)
				keys[k]->price_err = e;
			continue;
		}
		r->s->price_lookups += (long)m;
		for (k = 0; k < m; k++)
			keys[k]->price = out[k] != NULL ?
			    arena_strdup(r->c->arena, out[k]) : NULL;
	}
}

/* The closes a strategy looks back on, asked of the venue once per symbol and run. */
static void
candles_get(struct run *r, struct run_key *rk, const struct venue *v)
{
	const char **closes;
	size_t i, n;

	if (rk->candles)
		return;
	rk->candles = 1;
	if ((rk->candle_err = v->closes(r->c, rk->symbol, STRAT_CANDLES_MAX,
	    &closes, &n)) != ERR_OK)
		return;
	r->s->candle_lookups++;
	rk->closes = closes;
	rk->ncloses = n;
	for (i = 0; i < n; i++)
		if (closes[i] == NULL)
			rk->ncloses = 0;
}

/* The closes of rk from from on, at the bot's price scale (NULL: none readable). */
static int64_t *
closes_at(struct run *r, const struct run_key *rk, const struct bot_claim *b,
    size_t from)
{
	int64_t *v;
	size_t i;

	if (rk->ncloses <= from ||
	    (v = arena_calloc(r->bc->arena, rk->ncloses - from, sizeof(*v))) == NULL)
		return NULL;
	for (i = from; i < rk->ncloses; i++)
		if (num(rk->closes[i], b->br.sc.price, &v[i - from]) == -1)
			return NULL;
	return v;
}

static void
fail(struct run *r, struct bot_claim *b, const char *why, int fatal,
    int next_cycle, int key_invalid)
{
	int errored = 0;

	r->s->failures++;
	log_info("bot %s: %s", b->public_id, why);
	if (bot_settle_failure(r->bc, r->token, b, why, fatal, next_cycle,
	    key_invalid, r->o->max_failures, &errored) != ERR_OK)
		log_error("bot %s: failure not recorded", b->public_id);
	r->s->errors += errored;
}

/* The venue asked to wait: no failure, nothing decided, the intent kept. */
static void
skip(struct run *r, struct bot_claim *b, const struct venue *v)
{
	r->s->skipped++;
	if (bot_settle_skip(r->bc, r->token, b, arena_printf(r->bc->arena,
	    "%s asked to wait (Retry-After): the cycle is skipped", v->name)) != ERR_OK)
		log_error("bot %s: skip not recorded", b->public_id);
}

/* The venue refused the owner's credentials: they are marked, the owner's bots stop. */
static void
key_refused(struct run *r, struct bot_claim *b, const struct venue *v,
    const struct venue_fill *vf)
{
	const char *why = vf->why != NULL ? vf->why : "the venue refused the API key";
	struct ctx oc = *r->bc;
	int first = 0;

	oc.actor = &b->owner;
	r->s->failures++;
	r->s->errors++;
	log_info("bot %s: %s", b->public_id, why);
	if (v->key_refused == NULL || bot_settle_key_refused(&oc, r->token, b, v,
	    vf->key_id, why, &first) != ERR_OK)
		log_error("bot %s: refused key not recorded", b->public_id);
}

/* A fill the venue reported, settled as the cycle's trade. */
static void
settle(struct run *r, struct bot_claim *b, const struct venue_fill *vf,
    int sell, enum bot_reason why, const struct strat_decision *d,
    int64_t last, const char *client_id)
{
	const struct bot_scales *sc = &b->br.sc;
	struct bot_fill x;
	int halted;
	enum err e;

	memset(&x, 0, sizeof(x));
	x.sell = sell;
	x.reason = why;
	if (num(vf->executed, sc->qty, &x.qty) == -1 ||
	    num(vf->quote, sc->quote, &x.quote) == -1 ||
	    (!vf->fee_outside && num(vf->fee, sc->quote, &x.fee) == -1)) {
		fail(r, b, "the venue's answer is unreadable", 0, 0, 0);
		return;
	}
	if (x.qty <= 0) {
		fail(r, b, "the order was not filled (no liquidity)", 0, 1, 0);
		return;
	}
	if ((vf->price == NULL || num(vf->price, sc->price, &x.price) == -1 ||
	    x.price <= 0) && (dec_div(x.quote, sc->quote, x.qty, sc->qty, sc->price,
	    DEC_ROUND_HALF_EVEN, &x.price) != DEC_OK || x.price <= 0))
		x.price = last;
	x.fee_asset = vf->fee_asset;
	x.fee_other = vf->fee_outside ? vf->fee : NULL;
	x.order_id = vf->order_id[0] ? vf->order_id : NULL;
	x.client_id = client_id;
	e = bot_settle_fill(r->bc, r->token, b, &x, d, last, &halted);
	if (e == ERR_OK) {
		r->s->trades++;
		r->s->halted += halted;
	} else if (e != ERR_CONFLICT)
		log_error("bot %s: cycle %s not settled", b->public_id, b->cycle);
}


/* ---- one bot's cycle ----------------------------------------------------------- */

static const char *
qty_text(struct run *r, const struct bot_claim *b, int64_t qty)
{
	char buf[DEC_BUFSZ];

	if (dec_format(qty, b->br.sc.qty, buf, sizeof(buf)) < 0)
		return NULL;
	return arena_strdup(r->bc->arena, buf);
}

static const char *
price_text(struct run *r, const struct bot_claim *b, int64_t price)
{
	char buf[DEC_BUFSZ];

	if (price <= 0 || dec_format(price, b->br.sc.price, buf, sizeof(buf)) < 0)
		return NULL;
	return arena_strdup(r->bc->arena, buf);
}

/* What the venue said about the cycle's order: settle it, wait for it, or fail. */
static void
placed(struct run *r, struct bot_claim *b, const struct venue *v, enum err e,
    const struct venue_fill *vf, int sell, enum bot_reason why,
    const struct strat_decision *d, int64_t price, const char *client_id)
{
	if (e == ERR_RATE_LIMIT_EXCEEDED) {
		skip(r, b, v);
		return;
	}
	if (e == ERR_SYSTEM_001 || e == ERR_SYSTEM_002 || e == ERR_SYSTEM_003 ||
	    e == ERR_INTERNAL || e == ERR_SERVICE_UNAVAILABLE) {
		/* placed or not, the next run looks it up by its client id */
		fail(r, b, vf->why != NULL ? arena_printf(r->bc->arena, "%s: the "
		    "order is looked up next run", vf->why) : "the venue did not "
		    "answer: the order is looked up next run", 0, 0, 0);
		return;
	}
	if (e != ERR_OK && vf->key_invalid) {
		key_refused(r, b, v, vf);
		return;
	}
	if (e != ERR_OK && vf->below_min && sell) {
		/*
		 * What is left to sell (a fee's remainder) is less than the
		 * venue takes: nothing is sold, and it is no one's failure.
		 */
		r->s->skipped++;
		log_info("bot %s: %s: nothing sold", b->public_id, vf->why);
		if (bot_settle_pass(r->bc, r->token, b, arena_printf(r->bc->arena,
		    "%s: nothing sold", vf->why)) != ERR_OK)
			log_error("bot %s: pass not recorded", b->public_id);
		return;
	}
	if (e != ERR_OK) {
		fail(r, b, vf->why != NULL ? vf->why : err_info(e)->message, 0, 1, 0);
		return;
	}
	if (!vf->found || !vf->final) {
		fail(r, b, "the order is not done yet: looked up next run", 0, 0, 0);
		return;
	}
	settle(r, b, vf, sell, why, d, price, client_id);
}

/*
 * Trade on the venue as the bot's owner, under the cycle's client order
 * id: the intent is committed, and the order waits to go out with the
 * batch's others (send_all).
 */
static void
cycle_live(struct run *r, struct bot_claim *b, const struct venue *v, int sell,
    const char *qty, enum bot_reason why, const struct strat_decision *d,
    int64_t price, int again)
{
	struct outgoing *og;
	const char *cid;

	cid = arena_printf(r->bc->arena, "bot-%s-%s", b->id, b->cycle);
	if (qty == NULL || cid == NULL || r->out == NULL)
		return;
	if (!again && bot_settle_pending(r->bc, r->token, b, sell, qty, why) != ERR_OK)
		return;
	og = &r->out[r->nout++];
	memset(og, 0, sizeof(*og));
	og->b = b;
	og->v = v;
	og->oc = *r->bc;
	og->oc.actor = &b->owner;
	og->call.o.symbol = b->vsymbol;
	og->call.o.sell = sell;
	og->call.o.qty = qty;
	og->call.o.price = price_text(r, b, price);
	og->call.o.client_id = cid;
	og->sell = sell;
	og->why = why;
	og->d = *d;
	og->price = price;
}

/* The batch's live orders, each venue's sent at once, then settled one by one. */
static void
send_all(struct run *r)
{
	struct venue_call *calls;
	const struct venue *v;
	size_t i, j, m;

	if (r->nout == 0 ||
	    (calls = arena_calloc(r->bc->arena, r->nout, sizeof(*calls))) == NULL)
		return;
	for (i = 0; i < r->nout; i++) {
		if ((v = r->out[i].v) == NULL)
			continue;
		for (m = 0, j = i; j < r->nout; j++) {
			if (r->out[j].v != v)
				continue;
			r->out[j].call.c = &r->out[j].oc;
			calls[m++] = r->out[j].call;
		}
		venue_place_all(v, calls, m);
		r->s->orders += (long)m;
		for (m = 0, j = i; j < r->nout; j++) {
			struct outgoing *og = &r->out[j];

			if (og->v != v)
				continue;
			og->v = NULL;
			og->call = calls[m++];
			placed(r, og->b, v, og->call.e, &og->call.f, og->sell, og->why,
			    &og->d, og->price, og->call.o.client_id);
		}
	}
	r->nout = 0;
}

/*
 * A cycle whose order left before the run that placed it ended: find it by
 * its client id and settle it, or place it now under that same id.
 */
static void
cycle_pending(struct run *r, struct bot_claim *b, const struct venue *v,
    int64_t price)
{
	int sell = strcmp(b->pending_side, "SELL") == 0;
	enum bot_reason why = BOT_SIGNAL;
	struct strat_decision d;
	struct venue_fill vf;
	struct ctx oc = *r->bc;
	const char *cid;
	enum err e;
	int i;

	for (i = 0; bot_reason_names[i] != NULL; i++)
		if (b->pending_reason != NULL &&
		    strcmp(b->pending_reason, bot_reason_names[i]) == 0)
			why = (enum bot_reason)i;
	memset(&d, 0, sizeof(d));
	d.anchor = sell ? b->st.anchor : price;
	d.steps = b->st.steps;
	oc.actor = &b->owner;
	cid = arena_printf(r->bc->arena, "bot-%s-%s", b->id, b->cycle);
	memset(&vf, 0, sizeof(vf));
	if ((e = v->lookup(&oc, b->vsymbol, cid, &vf)) != ERR_OK) {
		placed(r, b, v, e == ERR_SYSTEM_003 ? ERR_SYSTEM_002 : e, &vf, sell,
		    why, &d, price, cid);
		return;
	}
	if (vf.found) {
		placed(r, b, v, ERR_OK, &vf, sell, why, &d, price, cid);
		return;
	}
	cycle_live(r, b, v, sell, b->pending_qty, why, &d, price, 1);
}

/* A paper fill: at the last price, no fee, nothing sent anywhere. */
static void
cycle_paper(struct run *r, struct bot_claim *b, const struct strat_decision *d,
    enum bot_reason why, int64_t price)
{
	struct venue_fill vf;
	int64_t quote;
	char buf[DEC_BUFSZ];

	memset(&vf, 0, sizeof(vf));
	if (bot_step_quote(&b->br.sc, price, d->qty, &quote) == -1 ||
	    dec_format(quote, b->br.sc.quote, buf, sizeof(buf)) < 0) {
		fail(r, b, "the order's amount is out of range", 0, 1, 0);
		return;
	}
	vf.found = vf.final = 1;
	vf.executed = qty_text(r, b, d->qty);
	vf.quote = arena_strdup(r->bc->arena, buf);
	vf.fee = "0";
	vf.fee_asset = b->br.sc.quote_asset[0] ? b->br.sc.quote_asset : NULL;
	settle(r, b, &vf, d->action == STRAT_SELL, why, d, price, NULL);
}

static void
hold(struct run *r, struct bot_claim *b, const struct strat_decision *d,
    const char *price)
{
	r->s->holds++;
	if (bot_settle_hold(r->bc, r->token, b, d, price) != ERR_OK)
		log_error("bot %s: hold not recorded", b->public_id);
}

/*
 * Whether today's PnL is already past a daily limit (the limit lowered
 * while it ran, a start racing a fill): then the bot stops for the day
 * before it trades, as the fill that reached the limit would have left it.
 */
static int
halted_today(struct run *r, struct bot_claim *b)
{
	enum bot_halt h;
	int64_t today;
	enum err e;

	if (bot_step_pnl(b->today_pnl, b->br.sc.quote, &today) == -1 ||
	    (h = bot_step_daily(b->daily_profit, b->daily_loss, b->br.sc.quote,
	    today)) == BOT_HALT_NONE)
		return 0;
	log_info("bot %s: %s: nothing placed", b->public_id, bot_halt_reasons[h]);
	if ((e = bot_settle_halt(r->bc, r->token, b, today, h)) == ERR_OK)
		r->s->halted++;
	else if (e != ERR_CONFLICT)
		log_error("bot %s: halt not recorded", b->public_id);
	return 1;
}

/* Why a bot cannot run this cycle (fatal: ERROR at once), or NULL. */
static const char *
cannot_run(struct run *r, struct bot_claim *b, const struct venue *v)
{
	struct ctx oc = *r->bc;
	const char *why = NULL;

	if (v == NULL)
		return "venue not available";
	if (b->bad != NULL)
		return b->bad;
	if (!user_status_usable(b->owner.status))
		return "the owner's account is not active";
	oc.actor = &b->owner;
	if (!b->paper && v->ready != NULL && v->ready(&oc, &why) != ERR_OK)
		return why != NULL ? why : "the venue cannot be reached for the owner";
	return NULL;
}

/* The venue did not give what the cycle needs: skip it (a wait), or a failure. */
static void
venue_failed(struct run *r, struct bot_claim *b, const struct venue *v,
    enum err e, const char *what)
{
	if (e == ERR_RATE_LIMIT_EXCEEDED)
		skip(r, b, v);
	else
		fail(r, b, arena_printf(r->bc->arena, "%s: no %s from the venue",
		    v->name, what), 0, 0, 0);
}

static void
cycle(struct run *r, struct bot_claim *b)
{
	const struct venue *v = venue_get(b->venue);
	struct strat_decision d;
	struct strat_state st;
	enum bot_reason why;
	struct run_key *rk;
	const char *no;
	size_t look, from;
	int64_t price, *closes;

	if ((no = cannot_run(r, b, v)) != NULL) {
		fail(r, b, no, 1, 0, 0);
		return;
	}
	/* an order decided before may be on the venue already: it is finished first */
	if ((b->paper || b->pending_side == NULL) && halted_today(r, b))
		return;
	rk = key_of(r, b->venue, b->vsymbol);
	memset(&d, 0, sizeof(d));
	d.anchor = b->st.anchor;
	d.steps = b->st.steps;
	if (rk != NULL && rk->price_err != ERR_OK) {
		venue_failed(r, b, v, rk->price_err, "price");
		return;
	}
	if (rk == NULL || rk->price == NULL ||
	    num(rk->price, b->br.sc.price, &price) == -1 || price <= 0)
		{ hold(r, b, &d, NULL); return; }
	if (!b->paper && b->pending_side != NULL) {
		cycle_pending(r, b, v, price);
		return;
	}
	look = strategies[b->br.sp.kind].lookback(&b->br.sp);
	if (look > 0)
		candles_get(r, rk, v);
	if (look > 0 && rk->candle_err != ERR_OK) {
		venue_failed(r, b, v, rk->candle_err, "candles");
		return;
	}
	from = look > 0 && rk->ncloses > look ? rk->ncloses - look : 0;
	closes = closes_at(r, rk, b, from);
	/*
	 * A position the venue would not take in an order (a fee's
	 * remainder) is decided on as none: the bot buys again, and its
	 * next sale takes the remainder along.
	 */
	st = b->st;
	if (!b->paper && v->dust != NULL && st.position > 0 &&
	    v->dust(r->bc, b->vsymbol, qty_text(r, b, st.position),
	    price_text(r, b, price))) {
		st.position = 0;
		st.avg_entry = 0;
	}
	bot_step_decide(&b->br, closes, closes != NULL ? rk->ncloses - from : 0,
	    price, &st, &d, &why);
	if (d.action == STRAT_HOLD)
		hold(r, b, &d, rk->price);
	else if (b->paper)
		cycle_paper(r, b, &d, why, price);
	else
		cycle_live(r, b, v, d.action == STRAT_SELL, qty_text(r, b, d.qty), why,
	    &d, price, 0);
}

/* ---- the run -------------------------------------------------------------------- */

static long
batch(struct run *r)
{
	const char *p[5] = { r->token, arena_printf(r->bc->arena, "%ld",
	    r->o->lease_seconds), r->started, arena_printf(r->bc->arena, "%ld",
	    r->o->interval_seconds), arena_printf(r->bc->arena, "%ld", r->o->batch) };
	struct bot_claim *bots;
	PGresult *res;
	int i, n;

	if (q(r->bc, ST_CLAIM, p, &res) != ERR_OK)
		return -1;
	n = PQntuples(res);
	if (n == 0)
		return 0;
	r->s->claimed += n;
	if ((bots = arena_calloc(r->bc->arena, (size_t)n, sizeof(*bots))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		claim_read(r, res, i, &bots[i]);
	prices_fetch(r, bots, n);
	r->nout = 0;
	r->out = arena_calloc(r->bc->arena, (size_t)n, sizeof(*r->out));
	for (i = 0; i < n; i++)
		cycle(r, &bots[i]);
	send_all(r);
	return n;
}

enum err
bot_run(struct ctx *c, const struct bot_run_opts *o, struct bot_run_stats *s)
{
	char iso[ISO_TIME_LEN + 1];
	struct ctx bc = *c;
	struct run r;
	PGresult *res;
	enum err e;
	long n;

	memset(s, 0, sizeof(*s));
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.bc = &bc;
	r.o = o;
	r.s = s;
	if ((e = q(c, ST_RESUME, NULL, &res)) != ERR_OK)
		return e;
	s->resumed = util_long(PQcmdTuples(res), 0);
	if (util_uuid(r.token) == -1 ||
	    (r.keys = arena_calloc(c->arena, RUN_KEYS_MAX, sizeof(*r.keys))) == NULL ||
	    (bc.arena = arena_new()) == NULL)
		return ERR_INTERNAL;
	util_iso_time(&c->now, iso);
	snprintf(r.started, sizeof(r.started), "%s", iso);
	e = ERR_OK;
	while (!o->stopping(o->stopping_arg)) {
		n = batch(&r);
		arena_reset(bc.arena);
		if (n < 0)
			e = ERR_SYSTEM_001;
		if (n <= 0)
			break;
	}
	arena_free(bc.arena);
	return e;
}
