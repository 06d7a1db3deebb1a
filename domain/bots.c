/* domain/bots.c — trading bots' configurations and state: read, checked, stored, started and stopped, for their owner only */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/input.h"
#include "core/list.h"
#include "core/util.h"
#include "core/valid.h"
#include "domain/binance_keys.h"
#include "domain/bot_step.h"
#include "domain/bots.h"
#include "domain/markets.h"
#include "domain/orders.h"
#include "domain/venue.h"

#define BOTS_MAX_DEFAULT	50

/* Amounts at the bot's scales: the market's, or 8 where hzm lists no market. */
#define BOT_FROM \
	" FROM bots b LEFT JOIN markets m ON m.symbol = b.symbol AND b.venue = 'HZM'" \
	" LEFT JOIN assets qa ON qa.code = m.quote_asset" \
	" LEFT JOIN binance_keys bk ON bk.user_id = b.user_id AND b.venue = 'BINANCE'"
#define PS	"coalesce(m.price_precision, 8)"
#define QS	"coalesce(m.quantity_precision, 8)"
#define CS	"coalesce(qa.precision, 8)"
#define BOT_COLUMNS \
	"SELECT b.public_id, b.name, b.symbol, b.venue, b.strategy, b.ema_period," \
	" b.params::text, round(b.order_size, " QS ")::text, b.paper," \
	" trim_scale(b.stop_loss_pct)::text, trim_scale(b.take_profit_pct)::text," \
	" round(b.daily_profit_target, " CS ")::text," \
	" round(b.daily_loss_limit, " CS ")::text, b.status, b.status_reason," \
	" round(b.position, " QS ")::text, round(b.avg_entry, " PS ")::text," \
	" round(b.last_price, " PS ")::text, " DB_ISO("b.last_run_at") "," \
	" round(CASE WHEN b.pnl_day = (now() AT TIME ZONE 'UTC')::date" \
	"  THEN b.today_pnl ELSE 0 END, " CS ")::text," \
	" b.halted_day::text, " DB_ISO("b.created_at") ", " DB_ISO("b.updated_at") "," \
	" b.id, coalesce(qa.code, ''), b.venue_symbol, bk.public_id" BOT_FROM

enum {
	C_ID, C_NAME, C_SYMBOL, C_VENUE, C_STRATEGY, C_EMA, C_PARAMS, C_SIZE,
	C_PAPER, C_SL, C_TP, C_DPT, C_DLL, C_STATUS, C_REASON, C_POS, C_AVG,
	C_LAST, C_RUN, C_TODAY, C_HALTED, C_CREATED, C_UPDATED, C_INTERNAL,
	C_QUOTE, C_VSYMBOL, C_KEY
};

enum {
	ST_GET, ST_LIST, ST_COUNT, ST_INSERT, ST_UPDATE, ST_DELETE, ST_START,
	ST_STOP, ST_SCALES, ST__COUNT
};

static const struct stmt stmts[] = {
	[ST_GET] = { "bots_get", BOT_COLUMNS " WHERE b.public_id = $1 AND"
	    " b.user_id = $2 AND b.deleted_at IS NULL", 2 },
	[ST_LIST] = { "bots_list", BOT_COLUMNS " WHERE b.user_id = $1 AND"
	    " b.deleted_at IS NULL ORDER BY b.id", 1 },
	[ST_COUNT] = { "bots_count", "SELECT count(*) FROM bots WHERE user_id = $1"
	    " AND deleted_at IS NULL", 1 },
	[ST_INSERT] = { "bots_insert", "INSERT INTO bots (public_id, user_id, name,"
	    " symbol, venue, strategy, ema_period, params, order_size, paper,"
	    " stop_loss_pct, take_profit_pct, daily_profit_target, daily_loss_limit,"
	    " venue_symbol) VALUES ($1, $2, $3, $4, $5, $6, $7::integer, $8::jsonb,"
	    " $9::numeric, $10::boolean, $11::numeric, $12::numeric, $13::numeric,"
	    " $14::numeric, $15)", 15 },
	/*
	 * A changed market or venue changes what the position means: only
	 * while flat. RETURNING sees the new row: the old one is o.
	 */
	[ST_UPDATE] = { "bots_update", "UPDATE bots b SET name = $3, symbol = $4,"
	    " venue = $5, strategy = $6, ema_period = $7::integer, params = $8::jsonb,"
	    " order_size = $9::numeric, paper = $10::boolean, stop_loss_pct = $11::numeric,"
	    " take_profit_pct = $12::numeric, daily_profit_target = $13::numeric,"
	    " daily_loss_limit = $14::numeric, venue_symbol = $15,"
	    " anchor = CASE WHEN b.strategy = $6 THEN b.anchor END,"
	    " steps = CASE WHEN b.strategy = $6 THEN b.steps ELSE 0 END, updated_at = now()"
	    " FROM (SELECT id, symbol, venue, paper, venue_symbol FROM bots"
	    "  WHERE public_id = $1 AND user_id = $2 AND deleted_at IS NULL FOR UPDATE) o"
	    " WHERE b.id = o.id RETURNING (b.position = 0 OR (o.symbol = $4"
	    " AND o.venue = $5 AND o.paper = $10::boolean"
	    " AND o.venue_symbol IS NOT DISTINCT FROM $15))", 15 },
	[ST_DELETE] = { "bots_delete", "UPDATE bots SET deleted_at = now(),"
	    " status = 'STOPPED', status_reason = 'deleted', halted_day = NULL,"
	    " updated_at = now() WHERE public_id = $1 AND user_id = $2"
	    " AND deleted_at IS NULL", 2 },
	/* A person's start or stop ends a daily halt: it is theirs to decide now. */
	[ST_START] = { "bots_start", "UPDATE bots SET status = 'RUNNING',"
	    " status_reason = NULL, halted_day = NULL, failures = 0, updated_at = now()"
	    " WHERE public_id = $1 AND user_id = $2 AND deleted_at IS NULL", 2 },
	[ST_STOP] = { "bots_stop", "UPDATE bots SET status = 'STOPPED',"
	    " status_reason = 'stopped by the user', halted_day = NULL, updated_at = now()"
	    " WHERE public_id = $1 AND user_id = $2 AND deleted_at IS NULL", 2 },
	[ST_SCALES] = { "bots_scales", "SELECT m.price_precision, m.quantity_precision,"
	    " q.precision, q.code FROM markets m JOIN assets q ON q.code = m.quote_asset"
	    " WHERE m.symbol = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "stmts");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

static const char *const venues[] = { "HZM", "BINANCE", NULL };
/* DESIGN's and seed 001's names for the venues, in the same order */
static const char *const exchanges[] = { "INTERNAL", "BINANCE", NULL };

static const char *
str_or(const char *s, const char *dflt)
{
	return s != NULL ? s : dflt;
}

const char *
bot_pnl_currency(const char *venue, const char *symbol, const char *venue_symbol,
    const char *market_quote)
{
	const struct venue *v = venue_get(venue);

	if (market_quote != NULL && *market_quote != '\0')
		return market_quote;
	if (v == NULL || v->quote_asset == NULL)
		return NULL;
	return v->quote_asset(venue_symbol != NULL ? venue_symbol : symbol);
}

/* The asset row i's PnL is in, or NULL. */
static const char *
row_currency(PGresult *res, int i)
{
	return bot_pnl_currency(db_val(res, i, C_VENUE), db_val(res, i, C_SYMBOL),
	    db_val(res, i, C_VSYMBOL), db_val(res, i, C_QUOTE));
}

enum err
bot_scales_get(struct ctx *c, const char *venue, const char *symbol,
    struct bot_scales *sc)
{
	const char *p[1] = { symbol };
	PGresult *res;
	enum err e;

	memset(sc, 0, sizeof(*sc));
	sc->price = sc->qty = sc->quote = 8;
	if (strcmp(venue, "HZM") != 0) {
		snprintf(sc->quote_asset, sizeof(sc->quote_asset), "%s",
		    str_or(bot_pnl_currency(venue, symbol, NULL, NULL), ""));
		return ERR_OK;
	}
	if ((e = q(c, ST_SCALES, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_TRADE_005;
	sc->price = (int)util_long(db_val(res, 0, 0), 8);
	sc->qty = (int)util_long(db_val(res, 0, 1), 8);
	sc->quote = (int)util_long(db_val(res, 0, 2), 8);
	snprintf(sc->quote_asset, sizeof(sc->quote_asset), "%s", db_val(res, 0, 3));
	return ERR_OK;
}

enum err
bot_row_scales(struct ctx *c, PGresult *res, int i, struct bot_scales *sc)
{
	const char *vs = db_val(res, i, C_VSYMBOL);

	return bot_scales_get(c, db_val(res, i, C_VENUE), vs != NULL ? vs :
	    db_val(res, i, C_SYMBOL), sc);
}

/* ---- reading a configuration ------------------------------------------------ */

static int
bad(struct in_err *e, const char *field, const char *why)
{
	e->field = field;
	e->reason = why;
	return -1;
}

/*
 * An optional positive decimal string at scale, below max (0: none), as
 * the canonical text at that scale in *out (NULL when absent or null).
 */
static int
dec_field(struct ctx *c, struct json_object *o, const char *name, int scale,
    int64_t max, int required, const char **out, int64_t *v, struct in_err *e)
{
	struct json_object *j;
	char buf[DEC_BUFSZ];
	const char *s;
	int rc;

	*out = NULL;
	if (!json_object_object_get_ex(o, name, &j) ||
	    json_object_is_type(j, json_type_null))
		return required ? bad(e, name, "required") : 0;
	if (!json_object_is_type(j, json_type_string))
		return bad(e, name, "must be a decimal string");
	s = json_object_get_string(j);
	if ((rc = dec_parse(s, strlen(s), scale, v)) != DEC_OK)
		return bad(e, name, rc == DEC_EPRECISION ? "too many decimal places"
		    : rc == DEC_ERANGE ? "out of range" : "must be a positive "
		    "decimal string");
	if (*v <= 0)
		return bad(e, name, "must be positive");
	if (max > 0 && *v >= max)
		return bad(e, name, "out of range");
	if (dec_format(*v, scale, buf, sizeof(buf)) < 0)
		return bad(e, name, "out of range");
	*out = arena_strdup(c->arena, buf);
	return 0;
}

/* body over base, member by member: what an update means. */
static struct json_object *
merged(struct ctx *c, struct json_object *body, struct json_object *base)
{
	struct json_object *m, *s, *old;

	if (base == NULL)
		return body;
	m = json_own(c->arena, json_object_new_object());
	json_object_object_foreach(base, k, v)
		json_object_object_add(m, k, json_object_get(v));
	json_object_object_foreach(body, k2, v2)
		json_object_object_add(m, k2, json_object_get(v2));
	/* another strategy: the old one's parameters mean nothing to it */
	if (json_object_object_get_ex(body, "strategy", &s) &&
	    json_object_object_get_ex(base, "strategy", &old) &&
	    strcmp(json_object_get_string(s), json_object_get_string(old)) != 0) {
		if (!json_object_object_get_ex(body, "strategyParams", NULL))
			json_object_object_del(m, "strategyParams");
		if (!json_object_object_get_ex(body, "emaPeriod", NULL))
			json_object_object_del(m, "emaPeriod");
	}
	/* another market or venue: the old venue's name for it goes too */
	if ((json_object_object_get_ex(body, "symbol", NULL) ||
	    json_object_object_get_ex(body, "venue", NULL)) &&
	    !json_object_object_get_ex(body, "venueSymbol", NULL))
		json_object_object_del(m, "venueSymbol");
	return m;
}

static const char *const conf_fields[] = { "name", "symbol", "venue",
    "exchange", "venueSymbol", "apiKeyId",
    "strategy", "emaPeriod", "strategyParams", "orderSize", "paperMode",
    "stopLossPercent", "takeProfitPercent", "dailyProfitTarget",
    "dailyLossLimit", NULL };

/* name, symbol, venue, strategy and emaPeriod. */
static int
conf_words(struct json_object *o, struct bot_conf *bc, struct in_err *e)
{
	struct json_object *j;
	int64_t n;

	if (in_text(o, "name", IN_REQUIRED, 1, BOT_NAME_MAX, &bc->name, e) == -1 ||
	    in_string(o, "symbol", IN_REQUIRED, 1, 20, &bc->symbol, e) == -1)
		return -1;
	if (!valid_symbol(bc->symbol))
		return bad(e, "symbol", "must be a market symbol such as BTCTRY");
	if (in_string(o, "venue", IN_OPTIONAL, 1, 16, &bc->venue, e) == -1)
		return -1;
	if (bc->venue == NULL)
		bc->venue = "HZM";
	if (!list_oneof(bc->venue, venues))
		return bad(e, "venue", "HZM or BINANCE");
	if (in_string(o, "venueSymbol", IN_OPTIONAL, 1, 20, &bc->venue_symbol,
	    e) == -1)
		return -1;
	if (bc->venue_symbol != NULL && !valid_symbol(bc->venue_symbol))
		return bad(e, "venueSymbol", "must be a symbol such as BTCUSDT");
	if (bc->venue_symbol != NULL && strcmp(bc->venue, "BINANCE") != 0)
		return bad(e, "venueSymbol", "only for the BINANCE venue");
	/* the same name twice says nothing */
	if (bc->venue_symbol != NULL && strcmp(bc->venue_symbol, bc->symbol) == 0)
		bc->venue_symbol = NULL;
	if (in_string(o, "strategy", IN_OPTIONAL, 1, 16, &bc->strategy, e) == -1)
		return -1;
	if (bc->strategy == NULL)
		bc->strategy = "simple";
	if (strat_kind(bc->strategy) < 0)
		return bad(e, "strategy", "simple, ema, rsi, grid or dca");
	bc->ema_period = 0;
	if (json_object_object_get_ex(o, "emaPeriod", &j) &&
	    !json_object_is_type(j, json_type_null)) {
		if (!json_object_is_type(j, json_type_int))
			return bad(e, "emaPeriod", "must be a whole number");
		n = json_object_get_int64(j);
		if (n < 2 || n > 500)
			return bad(e, "emaPeriod", "must be from 2 to 500");
		bc->ema_period = (int)n;
	}
	return 0;
}

/* The amounts, at the market's scales. */
static int
conf_amounts(struct ctx *c, struct json_object *o, struct bot_conf *bc,
    int64_t *size, struct in_err *e)
{
	int64_t v;

	if (dec_field(c, o, "orderSize", bc->sc.qty, 0, 1, &bc->order_size,
	    size, e) == -1 ||
	    dec_field(c, o, "stopLossPercent", STRAT_PCT_SCALE,
	    100 * STRAT_PCT_ONE, 0, &bc->stop_loss, &v, e) == -1 ||
	    dec_field(c, o, "takeProfitPercent", STRAT_PCT_SCALE,
	    10000 * STRAT_PCT_ONE, 0, &bc->take_profit, &v, e) == -1 ||
	    dec_field(c, o, "dailyProfitTarget", bc->sc.quote, 0, 0,
	    &bc->daily_profit, &v, e) == -1 ||
	    dec_field(c, o, "dailyLossLimit", bc->sc.quote, 0, 0,
	    &bc->daily_loss, &v, e) == -1)
		return -1;
	return 0;
}

/*
 * exchange (INTERNAL or BINANCE), DESIGN's and seed 001's name for the
 * venue, read as the venue it names before anything else reads body.
 */
static int
conf_exchange(struct json_object *body, struct in_err *e)
{
	const char *x;
	int i;

	if (in_string(body, "exchange", IN_OPTIONAL, 1, 16, &x, e) == -1)
		return -1;
	if (x == NULL) {
		json_object_object_del(body, "exchange");
		return 0;
	}
	for (i = 0; exchanges[i] != NULL && strcmp(x, exchanges[i]) != 0; i++)
		;
	if (exchanges[i] == NULL)
		return bad(e, "exchange", "INTERNAL or BINANCE");
	if (json_object_object_get_ex(body, "venue", NULL))
		return bad(e, "exchange", "given with venue: give one of them");
	json_object_object_del(body, "exchange");
	json_object_object_add(body, "venue", json_object_new_string(venues[i]));
	return 0;
}

/*
 * apiKeyId (seed 001 §33): the caller's saved Binance key. hzm keeps one
 * a user, and a BINANCE bot trades with it, whichever it is then: the id
 * is checked, not kept, and the bot answers the key it trades with.
 */
static enum err
conf_key(struct ctx *c, struct json_object *body, const struct bot_conf *bc,
    struct in_err *e)
{
	struct binance_key k;
	const char *id;
	enum err err;

	if (in_string(body, "apiKeyId", IN_OPTIONAL, 1, 64, &id, e) == -1)
		return ERR_INVALID_REQUEST;
	if (id == NULL)
		return ERR_OK;
	if (strcmp(bc->venue, "BINANCE") != 0)
		return bad(e, "apiKeyId", "only for the BINANCE venue"),
		    ERR_INVALID_REQUEST;
	err = binance_key_get(c, c->actor->idtxt, &k);
	if (err == ERR_NOT_FOUND)
		return bad(e, "apiKeyId", "you have no saved Binance API key: "
		    "save one with POST /api/v1/api-keys"), ERR_INVALID_REQUEST;
	if (err != ERR_OK)
		return err;
	if (strcmp(k.id, id) != 0)
		return bad(e, "apiKeyId", "not your saved Binance API key "
		    "(GET /api/v1/api-keys/me names it)"), ERR_INVALID_REQUEST;
	return ERR_OK;
}

enum err
bot_conf_parse(struct ctx *c, struct json_object *body, struct json_object *base,
    struct bot_conf *bc, struct in_err *e)
{
	struct strat_scales ss;
	struct json_object *o, *p = NULL;
	int64_t size;
	enum err err;

	memset(bc, 0, sizeof(*bc));
	if (body == NULL)
		return bad(e, "body", "required"), ERR_INVALID_REQUEST;
	if (in_camel(body, conf_fields, e) == -1 ||
	    in_only(body, conf_fields, e) == -1 ||
	    conf_exchange(body, e) == -1)
		return ERR_INVALID_REQUEST;
	o = merged(c, body, base);
	if (conf_words(o, bc, e) == -1)
		return ERR_INVALID_REQUEST;
	if ((err = conf_key(c, body, bc, e)) != ERR_OK)
		return err;
	if ((err = bot_scales_get(c, bc->venue, bc->venue_symbol != NULL ?
	    bc->venue_symbol : bc->symbol, &bc->sc)) != ERR_OK) {
		if (err == ERR_TRADE_005)
			bad(e, "symbol", "no such market on hzm");
		return err;
	}
	if (conf_amounts(c, o, bc, &size, e) == -1 ||
	    in_bool(o, "paperMode", IN_OPTIONAL, &bc->paper, e) == -1)
		return ERR_INVALID_REQUEST;
	if (json_object_object_get_ex(o, "strategyParams", &p) &&
	    json_object_is_type(p, json_type_null))
		p = NULL;
	ss.price = bc->sc.price;
	ss.qty = bc->sc.qty;
	if (strat_params_parse(strat_kind(bc->strategy), p, bc->ema_period, size,
	    &ss, &bc->sp, e) == -1) {
		if (e->field != NULL && strcmp(e->field, "emaPeriod") != 0 &&
		    strcmp(e->field, "strategyParams") != 0 &&
		    strcmp(e->field, "orderSize") != 0)
			e->field = arena_printf(c->arena, "strategyParams.%s", e->field);
		return ERR_INVALID_REQUEST;
	}
	bc->params = p != NULL ? arena_strdup(c->arena,
	    json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN)) : "{}";
	return ERR_OK;
}

/* ---- storing ------------------------------------------------------------------ */

static void
conf_params(struct ctx *c, const struct bot_conf *bc, const char **p)
{
	p[2] = bc->name;
	p[3] = bc->symbol;
	p[4] = bc->venue;
	p[5] = bc->strategy;
	p[6] = bc->ema_period ? arena_printf(c->arena, "%d", bc->ema_period) : NULL;
	p[7] = bc->params;
	p[8] = bc->order_size;
	p[9] = bc->paper ? "true" : "false";
	p[10] = bc->stop_loss;
	p[11] = bc->take_profit;
	p[12] = bc->daily_profit;
	p[13] = bc->daily_loss;
	p[14] = bc->venue_symbol;
}

enum err
bot_create(struct ctx *c, const struct bot_conf *bc, char id[BOT_ID_LEN + 1])
{
	const char *p[15] = { NULL, c->actor->idtxt };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_COUNT, p + 1, &res)) != ERR_OK)
		return e;
	if (util_long(db_val(res, 0, 0), 0) >= cfg_int("bots_max_per_user",
	    BOTS_MAX_DEFAULT))
		return ERR_LIMIT_EXCEEDED;
	if (util_public_id("bot_", id, BOT_ID_LEN + 1) == -1)
		return ERR_INTERNAL;
	p[0] = id;
	conf_params(c, bc, p);
	return q(c, ST_INSERT, p, &res);
}

enum err
bot_get(struct ctx *c, const char *id, PGresult **res)
{
	const char *p[2] = { id, c->actor->idtxt };
	enum err e;

	if (!valid_public_id(id, "bot_"))
		return ERR_NOT_FOUND;
	if ((e = q(c, ST_GET, p, res)) != ERR_OK)
		return e;
	return PQntuples(*res) == 1 ? ERR_OK : ERR_NOT_FOUND;
}

enum err
bot_list(struct ctx *c, PGresult **res)
{
	const char *p[1] = { c->actor->idtxt };

	return q(c, ST_LIST, p, res);
}

enum err
bot_update(struct ctx *c, const char *id, const struct bot_conf *bc)
{
	const char *p[15] = { id, c->actor->idtxt };
	PGresult *res;
	enum err e;

	if (!valid_public_id(id, "bot_"))
		return ERR_NOT_FOUND;
	conf_params(c, bc, p);
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_UPDATE, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	if (strcmp(db_val(res, 0, 0), "t") != 0) {
		/* the open position belongs to the old market or mode */
		e = ERR_CONFLICT;
		goto fail;
	}
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

static enum err
by_id(struct ctx *c, int st, const char *id)
{
	const char *p[2] = { id, c->actor->idtxt };
	PGresult *res;
	enum err e;

	if (!valid_public_id(id, "bot_"))
		return ERR_NOT_FOUND;
	if ((e = q(c, st, p, &res)) != ERR_OK)
		return e;
	return util_long(PQcmdTuples(res), 0) == 1 ? ERR_OK : ERR_NOT_FOUND;
}

enum err
bot_delete(struct ctx *c, const char *id)
{
	return by_id(c, ST_DELETE, id);
}

/*
 * Past a daily limit today, a bot stays stopped until the next UTC day:
 * a start would only buy once more and stop again holding it. Raising or
 * removing the limit (PUT) is how its owner lets it trade today.
 */
static const char *
past_daily_limit(struct ctx *c, PGresult *res)
{
	struct bot_scales sc;
	enum bot_halt h;
	int64_t today;
	const char *t = db_val(res, 0, C_TODAY), *cur = str_or(row_currency(res, 0), "");

	if (bot_row_scales(c, res, 0, &sc) != ERR_OK ||
	    bot_step_pnl(t, sc.quote, &today) == -1)
		return NULL;
	h = bot_step_daily(db_val(res, 0, C_DPT), db_val(res, 0, C_DLL), sc.quote,
	    today);
	if (h == BOT_HALT_NONE)
		return NULL;
	return arena_printf(c->arena, "The bot's %s today (todayPnl %s%s%s, %s %s):"
	    " it starts again by itself on the next UTC day, or now once %s is "
	    "raised or removed", bot_halt_reasons[h], t, *cur ? " " : "", cur,
	    h == BOT_HALT_LOSS ? "dailyLossLimit" : "dailyProfitTarget",
	    db_val(res, 0, h == BOT_HALT_LOSS ? C_DLL : C_DPT),
	    h == BOT_HALT_LOSS ? "dailyLossLimit" : "dailyProfitTarget");
}

enum err
bot_start(struct ctx *c, const char *id, const char **why)
{
	PGresult *res;
	enum err e;

	*why = NULL;
	if ((e = bot_get(c, id, &res)) != ERR_OK)
		return e;
	/* a live bot on hzm trades as its owner, who must be allowed to */
	if (strcmp(db_val(res, 0, C_PAPER), "t") != 0 &&
	    strcmp(db_val(res, 0, C_VENUE), "HZM") == 0 &&
	    c->actor->kyc_level < ORDER_KYC_LEVEL)
		return ERR_KYC_REQUIRED;
	if ((*why = past_daily_limit(c, res)) != NULL)
		return ERR_CONFLICT;
	return by_id(c, ST_START, id);
}

enum err
bot_stop(struct ctx *c, const char *id)
{
	return by_id(c, ST_STOP, id);
}

/* ---- the API's view ---------------------------------------------------------- */

static void
add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

struct json_object *
bot_conf_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object(), *p;
	const char *ema = db_val(res, i, C_EMA);
	int period;

	add(o, "name", json_object_new_string(db_val(res, i, C_NAME)));
	add(o, "symbol", json_object_new_string(db_val(res, i, C_SYMBOL)));
	add(o, "venue", json_object_new_string(db_val(res, i, C_VENUE)));
	add(o, "exchange", json_object_new_string(strcmp(db_val(res, i, C_VENUE),
	    "HZM") == 0 ? "INTERNAL" : db_val(res, i, C_VENUE)));
	add(o, "venueSymbol", json_str_or_null(db_val(res, i, C_VSYMBOL)));
	add(o, "apiKeyId", json_str_or_null(db_val(res, i, C_KEY)));
	add(o, "strategy", json_object_new_string(db_val(res, i, C_STRATEGY)));
	/* the period an ema bot runs with, its default when none was given */
	period = ema != NULL ? (int)util_long(ema, 0) : strat_kind(db_val(res, i,
	    C_STRATEGY)) == STRAT_EMA ? STRAT_EMA_PERIOD : 0;
	add(o, "emaPeriod", period > 0 ? json_object_new_int(period) : NULL);
	p = json_tokener_parse(db_val(res, i, C_PARAMS));
	add(o, "strategyParams", p != NULL ? p : json_object_new_object());
	add(o, "orderSize", json_object_new_string(db_val(res, i, C_SIZE)));
	add(o, "paperMode", json_object_new_boolean(strcmp(db_val(res, i, C_PAPER), "t") == 0));
	add(o, "stopLossPercent", json_str_or_null(db_val(res, i, C_SL)));
	add(o, "takeProfitPercent", json_str_or_null(db_val(res, i, C_TP)));
	add(o, "dailyProfitTarget", json_str_or_null(db_val(res, i, C_DPT)));
	add(o, "dailyLossLimit", json_str_or_null(db_val(res, i, C_DLL)));
	return o;
}

struct json_object *
bot_state_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();

	add(o, "botId", json_object_new_string(db_val(res, i, C_ID)));
	add(o, "status", json_object_new_string(db_val(res, i, C_STATUS)));
	add(o, "statusReason", json_str_or_null(db_val(res, i, C_REASON)));
	add(o, "position", json_object_new_string(db_val(res, i, C_POS)));
	add(o, "averageEntryPrice", json_str_or_null(db_val(res, i, C_AVG)));
	add(o, "lastPrice", json_str_or_null(db_val(res, i, C_LAST)));
	add(o, "lastRunAt", json_str_or_null(db_val(res, i, C_RUN)));
	add(o, "todayPnl", json_object_new_string(db_val(res, i, C_TODAY)));
	add(o, "pnlCurrency", json_str_or_null(row_currency(res, i)));
	add(o, "haltedDay", json_str_or_null(db_val(res, i, C_HALTED)));
	return o;
}

struct json_object *
bot_json(PGresult *res, int i)
{
	struct json_object *o = bot_conf_json(res, i), *b;

	b = json_object_new_object();
	add(b, "botId", json_object_new_string(db_val(res, i, C_ID)));
	json_object_object_foreach(o, k, v)
		add(b, k, json_object_get(v));
	json_object_put(o);
	add(b, "state", bot_state_json(res, i));
	add(b, "createdAt", json_object_new_string(db_val(res, i, C_CREATED)));
	add(b, "updatedAt", json_object_new_string(db_val(res, i, C_UPDATED)));
	return b;
}

struct json_object *
bot_dec_json(int64_t v, int scale)
{
	char buf[DEC_BUFSZ];

	if (dec_format(v, scale, buf, sizeof(buf)) < 0)
		return NULL;
	return json_object_new_string(buf);
}
