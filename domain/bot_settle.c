/* domain/bot_settle.c — the transactions of a bot's cycle: a fill with its trade, lots, state and events at once; a hold; an intent; a failure */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/bot_run.h"
#include "domain/outbox.h"
#include "domain/venue.h"

#define BOT_LOTS_MAX	4096

enum {
	ST_LOCK, ST_LOTS, ST_TRADE, ST_LOT_INS, ST_LOT_DEL, ST_LOT_UPD, ST_STATE,
	ST_HOLD, ST_PENDING, ST_FAIL, ST_SKIP, ST_PASS, ST_KEY_STOP, ST_HALT,
	ST__COUNT
};

#define TODAY "(now() AT TIME ZONE 'UTC')::date"

static const struct stmt stmts[] = {
	[ST_LOCK] = { "bot_settle_lock", "SELECT id FROM bots WHERE id = $1"
	    " AND lease_token = $2 FOR UPDATE", 2 },
	[ST_LOTS] = { "bot_settle_lots", "SELECT trade_id, quantity::text, cost::text"
	    " FROM bot_lots WHERE bot_id = $1 ORDER BY trade_id", 1 },
	[ST_TRADE] = { "bot_settle_trade", "INSERT INTO bot_trades (public_id, bot_id,"
	    " user_id, cycle, symbol, side, price, quantity, quote_quantity, fee,"
	    " fee_asset, realized_pnl, reason, paper, venue, order_id, client_order_id)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::numeric, $9::numeric,"
	    " $10::numeric, $11, $12::numeric, $13, $14::boolean, $15, $16, $17)"
	    " RETURNING id", 17 },
	[ST_LOT_INS] = { "bot_settle_lot_add", "INSERT INTO bot_lots (bot_id, trade_id,"
	    " quantity, cost) VALUES ($1, $2, $3::numeric, $4::numeric)", 4 },
	[ST_LOT_DEL] = { "bot_settle_lot_del", "DELETE FROM bot_lots WHERE bot_id = $1"
	    " AND trade_id = $2", 2 },
	[ST_LOT_UPD] = { "bot_settle_lot_upd", "UPDATE bot_lots SET quantity = $3::numeric,"
	    " cost = $4::numeric WHERE bot_id = $1 AND trade_id = $2", 4 },
	[ST_STATE] = { "bot_settle_state", "UPDATE bots SET position = $2::numeric,"
	    " avg_entry = $3::numeric, last_price = $4::numeric, last_run_at = now(),"
	    " cycle = cycle + 1, pending_side = NULL, pending_qty = NULL,"
	    " pending_reason = NULL, failures = 0, anchor = $5::numeric, steps = $6::integer,"
	    " today_pnl = $7::numeric, pnl_day = " TODAY ", status = $8,"
	    " status_reason = $9, halted_day = CASE WHEN $8 = 'STOPPED' THEN " TODAY " END,"
	    " lease_token = NULL, lease_until = NULL, updated_at = now() WHERE id = $1", 9 },
	[ST_HOLD] = { "bot_settle_hold", "UPDATE bots SET last_price = $3::numeric,"
	    " last_run_at = now(), anchor = $4::numeric, steps = $5::integer, failures = 0,"
	    " status_reason = NULL, lease_token = NULL, lease_until = NULL"
	    " WHERE id = $1 AND lease_token = $2", 5 },
	[ST_PENDING] = { "bot_settle_pending", "UPDATE bots SET pending_side = $3,"
	    " pending_qty = $4::numeric, pending_reason = $5 WHERE id = $1"
	    " AND lease_token = $2", 5 },
	[ST_FAIL] = { "bot_settle_failure", "UPDATE bots SET failures = failures + 1,"
	    " status = CASE WHEN $4::boolean OR failures + 1 >= $5::integer THEN 'ERROR'"
	    " ELSE status END, status_reason = $3,"
	    " cycle = cycle + CASE WHEN $6::boolean THEN 1 ELSE 0 END,"
	    " pending_side = CASE WHEN $6::boolean THEN NULL ELSE pending_side END,"
	    " pending_qty = CASE WHEN $6::boolean THEN NULL ELSE pending_qty END,"
	    " pending_reason = CASE WHEN $6::boolean THEN NULL ELSE pending_reason END,"
	    " last_run_at = now(), lease_token = NULL, lease_until = NULL,"
	    " updated_at = now() WHERE id = $1 AND lease_token = $2 RETURNING status", 6 },
	[ST_SKIP] = { "bot_settle_skip", "UPDATE bots SET last_run_at = now(),"
	    " status_reason = $3, lease_token = NULL, lease_until = NULL"
	    " WHERE id = $1 AND lease_token = $2", 3 },
	/* Nothing could be done, through no one's fault: the intent goes. */
	[ST_PASS] = { "bot_settle_pass", "UPDATE bots SET cycle = cycle + 1,"
	    " pending_side = NULL, pending_qty = NULL, pending_reason = NULL,"
	    " status_reason = $3, last_run_at = now(), lease_token = NULL,"
	    " lease_until = NULL, updated_at = now()"
	    " WHERE id = $1 AND lease_token = $2", 3 },
	/*
	 * The owner's live bots on the venue that no other run holds, and
	 * this one (whose refused order is dropped): ERROR.
	 */
	[ST_KEY_STOP] = { "bot_settle_key_stop", "UPDATE bots SET status = 'ERROR',"
	    " status_reason = $4, updated_at = now(),"
	    " failures = failures + CASE WHEN id = $1 THEN 1 ELSE 0 END,"
	    " last_run_at = CASE WHEN id = $1 THEN now() ELSE last_run_at END,"
	    " cycle = cycle + CASE WHEN id = $1 THEN 1 ELSE 0 END,"
	    " pending_side = CASE WHEN id = $1 THEN NULL ELSE pending_side END,"
	    " pending_qty = CASE WHEN id = $1 THEN NULL ELSE pending_qty END,"
	    " pending_reason = CASE WHEN id = $1 THEN NULL ELSE pending_reason END,"
	    " lease_token = CASE WHEN id = $1 THEN NULL ELSE lease_token END,"
	    " lease_until = CASE WHEN id = $1 THEN NULL ELSE lease_until END"
	    " WHERE (id = $1 AND lease_token = $2) OR (user_id = $3 AND venue = $5"
	    " AND NOT paper AND status = 'RUNNING' AND deleted_at IS NULL"
	    " AND $6::boolean AND (lease_until IS NULL OR lease_until < now()))"
	    " RETURNING public_id, symbol", 6 },
	/* Past a daily limit before the cycle's order: stopped for the day, as a fill would leave it. */
	[ST_HALT] = { "bot_settle_halt", "UPDATE bots SET status = 'STOPPED',"
	    " status_reason = $3, halted_day = " TODAY ", last_run_at = now(),"
	    " lease_token = NULL, lease_until = NULL, updated_at = now()"
	    " WHERE id = $1 AND lease_token = $2", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "stmts");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* v at scale as text in the arena; NULL for 0 when zero_null. */
static const char *
fmt(struct ctx *c, int64_t v, int scale, int zero_null)
{
	char buf[DEC_BUFSZ];

	if ((zero_null && v == 0) || dec_format(v, scale, buf, sizeof(buf)) < 0)
		return NULL;
	return arena_strdup(c->arena, buf);
}

static int
num(const char *s, int scale, int64_t *v)
{
	*v = 0;
	return s == NULL ? 0 : dec_parse_flags(s, strlen(s), scale,
	    DEC_NEG_OK | DEC_ZEROS_OK, v) == DEC_OK ? 0 : -1;
}

static enum err
event(struct ctx *c, const struct bot_claim *b, const char *type,
    struct json_object *payload)
{
	char id[OUTBOX_ID_LEN + 1];
	enum err e;

	json_object_object_add(payload, "botId", json_object_new_string(b->public_id));
	json_object_object_add(payload, "symbol", json_object_new_string(b->symbol));
	json_object_object_add(payload, "venue", json_object_new_string(b->venue));
	json_object_object_add(payload, "paperMode", json_object_new_boolean(b->paper));
	e = outbox_put(c->db, c->arena, b->owner.idtxt, type, payload, id);
	json_object_put(payload);
	return e;
}

/* The bot's lots, oldest first, into f (an array in the arena). */
static enum err
lots_load(struct ctx *c, const struct bot_claim *b, struct pnl_fifo *f)
{
	const char *p[1] = { b->id };
	struct pnl_lot *lots;
	PGresult *res;
	enum err e;
	int i;

	if ((e = q(c, ST_LOTS, p, &res)) != ERR_OK)
		return e;
	/* Room for the lots there are and the one buy a fill may add. */
	if (PQntuples(res) >= BOT_LOTS_MAX ||
	    (lots = arena_calloc(c->arena, (size_t)PQntuples(res) + 1,
	    sizeof(*lots))) == NULL)
		return ERR_INTERNAL;
	pnl_fifo_init(f, lots, (size_t)PQntuples(res) + 1);
	for (i = 0; i < PQntuples(res); i++) {
		lots[i].id = util_long(db_val(res, i, 0), 0);
		if (num(db_val(res, i, 1), b->br.sc.qty, &lots[i].qty) == -1 ||
		    num(db_val(res, i, 2), b->br.sc.quote, &lots[i].cost) == -1)
			return ERR_INTERNAL;
	}
	f->n = (size_t)i;
	return ERR_OK;
}

/* What a sell changed, and the lot a buy added (its trade's id known now). */
static enum err
lots_write(struct ctx *c, const struct bot_claim *b, struct pnl_fifo *f,
    const char *trade_id)
{
	const char *p[4];
	PGresult *res;
	enum err e;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (!f->lots[i].touched)
			continue;
		p[0] = b->id;
		p[1] = f->lots[i].id != 0 ? arena_printf(c->arena, "%lld",
		    (long long)f->lots[i].id) : trade_id;
		p[2] = fmt(c, f->lots[i].qty, b->br.sc.qty, 0);
		p[3] = fmt(c, f->lots[i].cost, b->br.sc.quote, 0);
		e = q(c, f->lots[i].id == 0 ? ST_LOT_INS : f->lots[i].qty == 0 ?
		    ST_LOT_DEL : ST_LOT_UPD, p, &res);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

static enum err
trade_insert(struct ctx *c, const struct bot_claim *b, const struct bot_fill *x,
    int64_t pnl, char pub[32], const char **trade_id)
{
	const struct bot_scales *sc = &b->br.sc;
	const char *p[17];
	PGresult *res;
	enum err e;

	if (util_public_id("btr_", pub, 32) == -1)
		return ERR_INTERNAL;
	p[0] = pub;
	p[1] = b->id;
	p[2] = b->owner.idtxt;
	p[3] = b->cycle;
	p[4] = b->symbol;
	p[5] = x->sell ? "SELL" : "BUY";
	p[6] = fmt(c, x->price, sc->price, 0);
	p[7] = fmt(c, x->qty, sc->qty, 0);
	p[8] = fmt(c, x->quote, sc->quote, 0);
	p[9] = x->fee_other != NULL ? x->fee_other : fmt(c, x->fee, sc->quote, 0);
	p[10] = x->fee_asset;
	p[11] = fmt(c, pnl, sc->quote, 0);
	p[12] = bot_reason_names[x->reason];
	p[13] = b->paper ? "true" : "false";
	p[14] = b->venue;
	p[15] = x->order_id;
	p[16] = x->client_id;
	if ((e = q(c, ST_TRADE, p, &res)) != ERR_OK)
		return e;
	*trade_id = db_val(res, 0, 0);
	return ERR_OK;
}

/* The day's halt told: today's PnL, the bot STOPPED and why. */
static enum err
halt_event(struct ctx *c, const struct bot_claim *b, int64_t today,
    enum bot_halt h)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "todayPnl", json_object_new_string(fmt(c, today,
	    b->br.sc.quote, 0)));
	json_object_object_add(o, "status", json_object_new_string("STOPPED"));
	json_object_object_add(o, "reason", json_object_new_string(bot_halt_reasons[h]));
	return event(c, b, bot_halt_events[h], o);
}

static enum err
fill_events(struct ctx *c, const struct bot_claim *b, const struct bot_fill *x,
    const char *pub, int64_t pnl, int64_t today, enum bot_halt h)
{
	const struct bot_scales *sc = &b->br.sc;
	struct json_object *o = json_object_new_object();
	enum err e;

	json_object_object_add(o, "tradeId", json_object_new_string(pub));
	json_object_object_add(o, "side", json_object_new_string(x->sell ? "SELL" : "BUY"));
	json_object_object_add(o, "price", json_object_new_string(fmt(c, x->price, sc->price, 0)));
	json_object_object_add(o, "quantity", json_object_new_string(fmt(c, x->qty, sc->qty, 0)));
	json_object_object_add(o, "realizedPnl", json_object_new_string(fmt(c, pnl, sc->quote, 0)));
	json_object_object_add(o, "reason", json_object_new_string(bot_reason_names[x->reason]));
	if ((e = event(c, b, "bot.trade", o)) != ERR_OK)
		return e;
	if (x->reason != BOT_SIGNAL) {
		o = json_object_new_object();
		json_object_object_add(o, "tradeId", json_object_new_string(pub));
		json_object_object_add(o, "price", json_object_new_string(fmt(c, x->price, sc->price, 0)));
		json_object_object_add(o, "realizedPnl", json_object_new_string(fmt(c, pnl, sc->quote, 0)));
		if ((e = event(c, b, x->reason == BOT_STOP_LOSS ? "bot.stop_loss" :
		    "bot.take_profit", o)) != ERR_OK)
			return e;
	}
	if (h != BOT_HALT_NONE)
		return halt_event(c, b, today, h);
	return ERR_OK;
}

enum err
bot_settle_fill(struct ctx *c, const char *token, const struct bot_claim *b,
    const struct bot_fill *x, const struct strat_decision *d, int64_t last,
    int *halted)
{
	const struct bot_scales *sc = &b->br.sc;
	const char *p[9], *trade_id;
	struct strat_state st = b->st;
	struct pnl_fifo f;
	int64_t pnl, today;
	enum bot_halt h;
	PGresult *res;
	char pub[32];
	enum err e;

	*halted = 0;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	p[0] = b->id;
	p[1] = token;
	if ((e = q(c, ST_LOCK, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = lots_load(c, b, &f)) != ERR_OK)
		goto fail;
	if (bot_step_fill(&f, sc, x->sell, 0, x->qty, x->quote, x->fee, &pnl,
	    &st) == -1) {
		log_error("bot %s: fill of cycle %s does not fit its lots",
		    b->public_id, b->cycle);
		e = ERR_INTERNAL;
		goto fail;
	}
	if ((e = trade_insert(c, b, x, pnl, pub, &trade_id)) != ERR_OK ||
	    (e = lots_write(c, b, &f, trade_id)) != ERR_OK)
		goto fail;
	if (num(b->today_pnl, sc->quote, &today) == -1) {
		e = ERR_INTERNAL;
		goto fail;
	}
	today += pnl;
	h = bot_step_daily(b->daily_profit, b->daily_loss, sc->quote, today);
	*halted = h != BOT_HALT_NONE;
	p[1] = fmt(c, st.position, sc->qty, 0);
	p[2] = fmt(c, st.avg_entry, sc->price, 1);
	p[3] = fmt(c, last, sc->price, 1);
	/* the strategy's memory as it decided it (dca resets it when flat itself) */
	p[4] = fmt(c, d->anchor, sc->price, 1);
	p[5] = arena_printf(c->arena, "%d", d->steps);
	p[6] = fmt(c, today, sc->quote, 0);
	p[7] = *halted ? "STOPPED" : "RUNNING";
	p[8] = bot_halt_reasons[h];
	if ((e = q(c, ST_STATE, p, &res)) != ERR_OK ||
	    (e = fill_events(c, b, x, pub, pnl, today, h)) != ERR_OK)
		goto fail;
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

enum err
bot_settle_hold(struct ctx *c, const char *token, const struct bot_claim *b,
    const struct strat_decision *d, const char *last)
{
	const char *p[5] = { b->id, token, last,
	    fmt(c, d->anchor, b->br.sc.price, 1), arena_printf(c->arena, "%d", d->steps) };
	PGresult *res;

	return q(c, ST_HOLD, p, &res);
}

enum err
bot_settle_pending(struct ctx *c, const char *token, const struct bot_claim *b,
    int sell, const char *qty, enum bot_reason why)
{
	const char *p[5] = { b->id, token, sell ? "SELL" : "BUY", qty,
	    bot_reason_names[why] };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_PENDING, p, &res)) != ERR_OK)
		return e;
	return util_long(PQcmdTuples(res), 0) == 1 ? ERR_OK : ERR_CONFLICT;
}

enum err
bot_settle_failure(struct ctx *c, const char *token, const struct bot_claim *b,
    const char *why, int fatal, int next_cycle, int key_invalid,
    long max_failures, int *errored)
{
	const char *p[6] = { b->id, token, why, fatal ? "true" : "false",
	    arena_printf(c->arena, "%ld", max_failures), next_cycle ? "true" : "false" };
	struct json_object *o;
	PGresult *res;
	enum err e;

	*errored = 0;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_FAIL, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) == 1 && strcmp(db_val(res, 0, 0), "ERROR") == 0) {
		*errored = 1;
		o = json_object_new_object();
		json_object_object_add(o, "status", json_object_new_string("ERROR"));
		json_object_object_add(o, "reason", json_object_new_string(why));
		json_object_object_add(o, "failures", json_object_new_int(b->failures + 1));
		if ((e = event(c, b, "bot.error", o)) != ERR_OK)
			goto fail;
	}
	if (key_invalid) {
		o = json_object_new_object();
		json_object_object_add(o, "reason", json_object_new_string(why));
		if ((e = event(c, b, "apikey.invalid", o)) != ERR_OK)
			goto fail;
	}
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

enum err
bot_settle_halt(struct ctx *c, const char *token, const struct bot_claim *b,
    int64_t today, enum bot_halt h)
{
	const char *p[3] = { b->id, token, bot_halt_reasons[h] };
	PGresult *res;
	enum err e;

	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_HALT, p, &res)) != ERR_OK)
		goto fail;
	if (util_long(PQcmdTuples(res), 0) != 1) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = halt_event(c, b, today, h)) != ERR_OK)
		goto fail;
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

/* The bot let go with why, by statement st (ST_SKIP or ST_PASS). */
static enum err
let_go(struct ctx *c, int st, const char *token, const struct bot_claim *b,
    const char *why)
{
	const char *p[3] = { b->id, token, why };
	PGresult *res;

	return q(c, st, p, &res);
}

enum err
bot_settle_skip(struct ctx *c, const char *token, const struct bot_claim *b,
    const char *why)
{
	return let_go(c, ST_SKIP, token, b, why);
}

enum err
bot_settle_pass(struct ctx *c, const char *token, const struct bot_claim *b,
    const char *why)
{
	return let_go(c, ST_PASS, token, b, why);
}

/* bot.error for each bot the refused key stopped. */
static enum err
key_stop_events(struct ctx *c, const struct bot_claim *b, PGresult *res,
    const char *why)
{
	char id[OUTBOX_ID_LEN + 1];
	struct json_object *o;
	enum err e;
	int i;

	for (i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		json_object_object_add(o, "botId", json_object_new_string(db_val(res, i, 0)));
		json_object_object_add(o, "symbol", json_object_new_string(db_val(res, i, 1)));
		json_object_object_add(o, "venue", json_object_new_string(b->venue));
		json_object_object_add(o, "paperMode", json_object_new_boolean(0));
		json_object_object_add(o, "status", json_object_new_string("ERROR"));
		json_object_object_add(o, "reason", json_object_new_string(why));
		e = outbox_put(c->db, c->arena, b->owner.idtxt, "bot.error", o, id);
		json_object_put(o);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

enum err
bot_settle_key_refused(struct ctx *c, const char *token,
    const struct bot_claim *b, const struct venue *v, const char *key_id,
    const char *why, int *first)
{
	const char *p[6] = { b->id, token, b->owner.idtxt, why, b->venue, NULL };
	struct json_object *o, *ids;
	PGresult *res;
	enum err e;
	int i;

	*first = 0;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	e = v->key_refused(c, key_id, why);
	if (e != ERR_OK && e != ERR_NOT_FOUND)
		goto fail;
	*first = e == ERR_OK;
	p[5] = *first ? "true" : "false";
	if ((e = q(c, ST_KEY_STOP, p, &res)) != ERR_OK ||
	    (e = key_stop_events(c, b, res, why)) != ERR_OK)
		goto fail;
	if (*first) {
		o = json_object_new_object();
		ids = json_object_new_array();
		for (i = 0; i < PQntuples(res); i++)
			json_object_array_add(ids, json_object_new_string(db_val(res, i, 0)));
		json_object_object_add(o, "keyId", json_object_new_string(key_id));
		json_object_object_add(o, "reason", json_object_new_string(why));
		json_object_object_add(o, "botsStopped", ids);
		if ((e = event(c, b, "apikey.invalid", o)) != ERR_OK)
			goto fail;
	}
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}
