/* domain/orders.c — placing orders: checks, then the matcher's socket or its inbox; waiting for the matcher's word */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/channels.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/input.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "domain/markets.h"
#include "domain/matcher_line.h"
#include "domain/matcher_link.h"
#include "domain/order_inbox.h"

enum { ST_KYC_STATE, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_KYC_STATE] = { "orders_kyc_state",
	  "SELECT status FROM kyc_submissions WHERE user_id = $1"
	  " ORDER BY id DESC LIMIT 1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "orders statements");

enum { DIRECT_ANSWERED, DIRECT_NOT_SENT, DIRECT_LOST };

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

int
order_fail_set(struct order_fail *f, const char *field, const char *reason)
{
	f->field = field;
	f->reason = reason;
	return -1;
}

void
order_fail_poor(struct order_fail *f, int64_t need, int64_t avail,
    const struct trade_lock *l)
{
	order_amount_text(need, l->scale, f->required, sizeof(f->required));
	order_amount_text(avail, l->scale, f->available, sizeof(f->available));
	snprintf(f->currency, sizeof(f->currency), "%s", l->asset);
}

void
order_amount_text(int64_t v, int scale, char *buf, size_t sz)
{
	if (dec_format(v, scale, buf, sz) == -1 && sz > 0)
		buf[0] = '\0';
}

/*
 * Each refusal as the API says it: its error, the field named, why, and
 * the minimum missed (minQuantity in lots, minNotional in quote units).
 */
static const struct {
	enum err	 err;
	const char	*field;
	const char	*reason;
	const char	*minimum;
} refusals[] = {
	[TRADE_REF_MIN_QTY] = { ERR_TRADE_002, "quantity",
	  "below the market's minimum quantity", "minQuantity" },
	[TRADE_REF_MIN_NOTIONAL] = { ERR_TRADE_002, "quantity",
	  "price x quantity is below the market's minimum notional",
	  "minNotional" },
	[TRADE_REF_MIN_QUOTE] = { ERR_TRADE_002, "quoteOrderQty",
	  "below the market's minimum notional", "minNotional" },
	[TRADE_REF_BAND] = { ERR_TRADE_003, "price",
	  "too far from the market's price: it must be within the price "
	  "band, from minPrice to maxPrice", NULL },
	[TRADE_REF_EXEC_MIN_QTY] = { ERR_TRADE_002, "quoteOrderQty",
	  "buys less than the market's minimum quantity at the prices it "
	  "would execute at", "minQuantity" },
	[TRADE_REF_EXEC_MIN_NOTIONAL] = { ERR_TRADE_002, "quantity",
	  "quantity x the price it would execute at is below the market's "
	  "minimum notional", "minNotional" },
	[TRADE_REF_CLOSED] = { ERR_TRADE_004, "symbol",
	  "the market is not open for new orders", NULL },
};

/* Why an order was refused, as the API says it. */
static enum err
refusal_fail(const struct market *m, const struct trade_refusal *r,
    struct order_fail *f)
{
	size_t k = (size_t)r->kind;

	if (r->kind == TRADE_REF_NONE || k >= nitems(refusals))
		return ERR_OK;
	if (r->kind == TRADE_REF_CLOSED) {
		/* the matcher's word: the status it saw is the market's now */
	} else if (r->kind == TRADE_REF_BAND) {
		order_amount_text(r->lo, m->price_scale, f->min_price, sizeof(f->min_price));
		order_amount_text(r->hi, m->price_scale, f->max_price, sizeof(f->max_price));
	} else {
		f->minimum_name = refusals[k].minimum;
		order_amount_text(r->min, strcmp(f->minimum_name, "minQuantity") == 0 ?
		    m->qty_scale : m->quote_scale, f->minimum,
		    sizeof(f->minimum));
	}
	order_fail_set(f, refusals[k].field, refusals[k].reason);
	return refusals[k].err;
}

enum err
order_refusal(const struct market *m, const char *words, struct order_fail *f)
{
	struct trade_refusal r;

	if (mline_refusal_decode(words, &r) == -1)
		return ERR_OK;
	return refusal_fail(m, &r, f);
}

/* ---- requests -------------------------------------------------------------- */

static int
in_enum(struct json_object *o, const char *name, unsigned flags,
    const char *const *names, int *out, int *given, struct order_fail *f,
    const char *why)
{
	struct in_err ie;
	const char *s;
	int i;

	if (in_string(o, name, flags, 1, 16, &s, &ie) == -1)
		return order_fail_set(f, ie.field, ie.reason);
	if (given != NULL)
		*given = s != NULL;
	if (s == NULL)
		return 0;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return order_fail_set(f, name, why);
}

/*
 * An OCO list (Binance's orderList/oco): a LIMIT leg at price and a stop
 * leg at stopPrice, STOP_LIMIT at stopLimitPrice or else STOP_LOSS, both
 * for quantity. The legs' timeInForce is their own: GTC, and IOC for a
 * STOP_LOSS leg.
 */
static int
in_shape_oco(struct order_in *in, struct order_fail *f)
{
	if (in->price == NULL)
		return order_fail_set(f, "price", "required for OCO orders");
	if (in->stop_price == NULL)
		return order_fail_set(f, "stopPrice", "required for OCO orders");
	if (in->quote_order_qty != NULL)
		return order_fail_set(f, "quoteOrderQty",
		    "only for MARKET and STOP_LOSS BUY orders");
	if (in->quantity == NULL)
		return order_fail_set(f, "quantity", "required");
	if (in->tif_given)
		return order_fail_set(f, "timeInForce",
		    "not for OCO orders: the limit leg is GTC");
	in->tif = ORD_GTC;
	return 0;
}

/* The combinations of fields each type allows, and its default timeInForce. */
static int
in_shape(struct order_in *in, struct order_fail *f)
{
	if (in->oco)
		return in_shape_oco(in, f);
	if (in->stop_limit_price != NULL)
		return order_fail_set(f, "stopLimitPrice",
		    "only for OCO orders");
	if (in->stop && in->stop_price == NULL)
		return order_fail_set(f, "stopPrice", in->type == ORD_LIMIT ?
		    "required for STOP_LIMIT orders" :
		    "required for STOP_LOSS orders");
	if (!in->stop && in->stop_price != NULL)
		return order_fail_set(f, "stopPrice",
		    "only for STOP_LOSS and STOP_LIMIT orders");
	if (in->type == ORD_LIMIT) {
		if (in->price == NULL)
			return order_fail_set(f, "price", in->stop ?
			    "required for STOP_LIMIT orders" :
			    "required for LIMIT orders");
		if (in->quote_order_qty != NULL)
			return order_fail_set(f, "quoteOrderQty",
			    "only for MARKET and STOP_LOSS BUY orders");
		if (in->quantity == NULL)
			return order_fail_set(f, "quantity", "required");
		if (!in->tif_given)
			in->tif = ORD_GTC;
		return 0;
	}
	if (in->price != NULL)
		return order_fail_set(f, "price", in->stop ?
		    "not allowed for STOP_LOSS orders (stopPrice triggers it)" :
		    "not allowed for MARKET orders");
	if (in->tif_given && in->tif == ORD_GTC)
		return order_fail_set(f, "timeInForce",
		    in->stop ? "STOP_LOSS orders are IOC or FOK" :
		    "MARKET orders are IOC or FOK");
	if (!in->tif_given)
		in->tif = ORD_IOC;
	if (in->quote_order_qty != NULL && in->side != ORD_BUY)
		return order_fail_set(f, "quoteOrderQty",
		    "only for MARKET and STOP_LOSS BUY orders");
	if (in->quote_order_qty != NULL && in->quantity != NULL)
		return order_fail_set(f, "quantity",
		    "give quantity or quoteOrderQty, not both");
	if (in->quote_order_qty == NULL && in->quantity == NULL)
		return order_fail_set(f, "quantity", "required");
	return 0;
}

int
order_in_parse(struct json_object *o, struct order_in *in, struct order_fail *f)
{
	static const char *const fields[] = { "symbol", "side", "type",
	    "price", "quantity", "quoteOrderQty", "timeInForce",
	    "clientOrderId", "stopPrice", "selfTradePrevention",
	    "stopLimitPrice", NULL };
	static const char *const sides[] = { "BUY", "SELL", NULL };
	/* In trade_type_parse()'s words, and OCO for a list. */
	static const char *const types[] = { "LIMIT", "MARKET", "STOP_LOSS",
	    "STOP_LIMIT", "OCO", NULL };
	static const char *const tifs[] = { "GTC", "IOC", "FOK", NULL };
	static const char *const stps[] = { "EXPIRE_TAKER", "EXPIRE_MAKER",
	    "EXPIRE_BOTH", NULL };
	struct in_err ie;
	int side = 0, type = 0, tif = 0, stp = 0;

	memset(in, 0, sizeof(*in));
	memset(f, 0, sizeof(*f));
	if (o == NULL)
		return order_fail_set(f, "body", "a JSON object is required");
	if (in_only(o, fields, &ie) == -1 ||
	    in_string(o, "symbol", IN_REQUIRED, 1, 32, &in->symbol, &ie) == -1 ||
	    in_string(o, "price", IN_OPTIONAL, 1, 64, &in->price, &ie) == -1 ||
	    in_string(o, "quantity", IN_OPTIONAL, 1, 64, &in->quantity, &ie) == -1 ||
	    in_string(o, "quoteOrderQty", IN_OPTIONAL, 1, 64,
	    &in->quote_order_qty, &ie) == -1 ||
	    in_string(o, "stopPrice", IN_OPTIONAL, 1, 64, &in->stop_price,
	    &ie) == -1 ||
	    in_string(o, "stopLimitPrice", IN_OPTIONAL, 1, 64,
	    &in->stop_limit_price, &ie) == -1 ||
	    in_string(o, "clientOrderId", IN_OPTIONAL, 1, 64,
	    &in->client_order_id, &ie) == -1)
		return order_fail_set(f, ie.field, ie.reason);
	if (in_enum(o, "side", IN_REQUIRED, sides, &side, NULL, f,
	    "must be BUY or SELL") == -1 ||
	    in_enum(o, "type", IN_REQUIRED, types, &type, NULL, f,
	    "must be LIMIT, MARKET, STOP_LOSS, STOP_LIMIT or OCO") == -1 ||
	    in_enum(o, "timeInForce", IN_OPTIONAL, tifs, &tif, &in->tif_given,
	    f, "must be GTC, IOC or FOK") == -1 ||
	    in_enum(o, "selfTradePrevention", IN_OPTIONAL, stps, &stp, NULL,
	    f, "must be EXPIRE_TAKER, EXPIRE_MAKER or EXPIRE_BOTH") == -1)
		return -1;
	in->side = (enum ord_side)side;
	in->oco = strcmp(types[type], "OCO") == 0;
	if (in->oco)
		in->type = ORD_LIMIT;
	else if (trade_type_parse(types[type], &in->type, &in->stop) == -1)
		return order_fail_set(f, "type", "unknown");
	in->tif = (enum ord_tif)tif;
	in->stp = (enum ord_stp)stp;
	if (in->client_order_id != NULL &&
	    !util_token_valid(in->client_order_id, ORDER_CLIENT_ID_MAX))
		return order_fail_set(f, "clientOrderId",
		    "1-36 characters of A-Z a-z 0-9 . _ : -");
	return in_shape(in, f);
}

/* ---- checks ---------------------------------------------------------------- */

/*
 * A decimal field at scale: 0, or -1 with f saying why. Zeros past the
 * scale say nothing more ("1000.000000" of a 2-decimal quantity, as
 * Appendix E writes USDT): taken, as a step-size filter takes them.
 */
static int
amount(const char *s, int scale, const char *field, int64_t *v,
    struct order_fail *f)
{
	int rc;

	if ((rc = dec_parse_flags(s, strlen(s), scale, DEC_ZEROS_OK, v)) !=
	    DEC_OK)
		return order_fail_set(f, field, rc == DEC_EPRECISION ?
		    "too many decimal places for this market" :
		    rc == DEC_ERANGE ? "out of range" :
		    rc == DEC_ESIGN ? "must be positive" :
		    "not a decimal number");
	if (*v <= 0)
		return order_fail_set(f, field, "must be positive");
	return 0;
}

/* Say where the user stands: under review, or turned down. */
static enum err
kyc_refused(struct ctx *c, struct order_fail *f)
{
	const char *p[1] = { c->actor->idtxt };
	PGresult *res;

	order_fail_set(f, NULL, "trading needs KYC LEVEL_2");
	if (q(c, ST_KYC_STATE, p, &res) == ERR_OK && PQntuples(res) == 1) {
		if (strcmp(db_val(res, 0, 0), "PENDING_REVIEW") == 0)
			return ERR_KYC_002;
		if (strcmp(db_val(res, 0, 0), "REJECTED") == 0)
			return ERR_KYC_003;
	}
	return ERR_KYC_REQUIRED;
}

/* The request's amounts at the market's precisions, and its minimums. */
static enum err
amounts_check(const struct order_in *in, struct placing *pl,
    struct order_fail *f)
{
	const struct market *m = &pl->m;
	struct trade_order *o = &pl->o;
	struct trade_refusal r;

	o->side = in->side;
	o->type = in->type;
	if (in->price != NULL) {
		if (amount(in->price, m->price_scale, "price", &o->price,
		    f) == -1)
			return ERR_TRADE_003;
		if (o->price > TRADE_PRICE_MAX) {
			order_fail_set(f, "price", "out of range");
			return ERR_TRADE_003;
		}
	}
	if (in->quantity != NULL) {
		if (amount(in->quantity, m->qty_scale, "quantity", &o->qty,
		    f) == -1)
			return ERR_INVALID_REQUEST;
		if (o->qty > TRADE_QTY_MAX) {
			order_fail_set(f, "quantity", "larger than one order may be");
			return ERR_INVALID_REQUEST;
		}
	}
	if (in->quote_order_qty != NULL && amount(in->quote_order_qty,
	    m->quote_scale, "quoteOrderQty", &o->qoq, f) == -1)
		return ERR_INVALID_REQUEST;
	if (in->stop_price != NULL) {
		if (amount(in->stop_price, m->price_scale, "stopPrice",
		    &o->stop, f) == -1)
			return ERR_TRADE_003;
		if (o->stop > TRADE_PRICE_MAX) {
			order_fail_set(f, "stopPrice", "out of range");
			return ERR_TRADE_003;
		}
	}
	(void)trade_minimums(m, o, &r);
	return refusal_fail(m, &r, f);
}

/* What the order locks, as far as its shape decides (trade_lock()). */
static enum err
lock_plan(struct placing *pl, struct order_fail *f)
{
	if (trade_lock(&pl->m, &pl->o, NULL, &pl->lock) == TRADE_LOCK_OK)
		return ERR_OK;
	order_fail_set(f, "quantity", pl->o.side == ORD_SELL ? "out of range" :
	    "price x quantity out of range");
	return ERR_INVALID_REQUEST;
}

/* A failure of the database before the order was placed: try again later. */
enum err
order_not_placed(enum err e, struct order_fail *f)
{
	if (e != ERR_SYSTEM_001 && e != ERR_SERVICE_UNAVAILABLE &&
	    e != ERR_SYSTEM_002)
		return e;
	order_fail_set(f, NULL, "the order was not placed: try again");
	return ERR_SYSTEM_002;
}

enum err
order_actor_confirm(struct ctx *c, struct order_fail *f)
{
	struct user *u;
	enum err e;

	if (!c->actor->unconfirmed)
		return ERR_OK;
	if ((u = arena_calloc(c->arena, 1, sizeof(*u))) == NULL)
		return ERR_INTERNAL;
	if ((e = auth_confirm(c, u)) != ERR_OK)
		return e;
	c->actor = u;
	return u->kyc_level < ORDER_KYC_LEVEL ? kyc_refused(c, f) : ERR_OK;
}

/*
 * Everything checked before the order goes anywhere: the actor's KYC
 * level, the market, the amounts, the minimums and what it locks.
 */
enum err
order_check(struct ctx *c, const struct order_in *in, struct placing *pl,
    struct order_placed *out, struct order_fail *f)
{
	struct market *m = &pl->m;
	enum err e;

	/* A level last seen too low may have risen since: ask again. */
	if (c->actor->kyc_level < ORDER_KYC_LEVEL) {
		if ((e = order_actor_confirm(c, f)) != ERR_OK)
			return e;
		if (c->actor->kyc_level < ORDER_KYC_LEVEL)
			return kyc_refused(c, f);
	}
	if ((e = market_get(c, in->symbol, m)) != ERR_OK) {
		if (e == ERR_TRADE_005)
			order_fail_set(f, "symbol", "no such market");
		return order_not_placed(e, f);
	}
	out->market = *m;
	if (strcmp(m->status, "ACTIVE") != 0) {
		f->status = arena_strdup(c->arena, m->status);
		order_fail_set(f, "symbol", "the market is not open for new orders");
		return ERR_TRADE_004;
	}
	if ((e = amounts_check(in, pl, f)) != ERR_OK)
		return e;
	return lock_plan(pl, f);
}

/* ---- the matcher's socket ------------------------------------------------ */

/* The order as the matcher's socket takes it. */
static void
request_of(struct ctx *c, const struct placing *pl,
    const struct order_placed *out, struct mline_order *o)
{
	const struct order_in *in = pl->in;

	memset(o, 0, sizeof(*o));
	snprintf(o->public_id, sizeof(o->public_id), "%s", out->public_id);
	o->user_id = c->actor->id;
	if (in->client_order_id != NULL)
		snprintf(o->client_id, sizeof(o->client_id), "%s",
		    in->client_order_id);
	o->side = in->side;
	o->type = in->type;
	o->tif = in->tif;
	o->price = pl->o.price;
	o->qty = pl->o.qty;
	o->qoq = pl->o.qoq;
	o->lock = pl->lock.amount;
	o->by_cost = pl->lock.by_cost;
	o->stop = pl->o.stop;
	o->stp = in->stp;
	o->deadline_ms = pl->deadline_ms;
	if (c->actor->unconfirmed) {
		snprintf(o->jti, sizeof(o->jti), "%s", c->actor->jti);
		snprintf(o->sid, sizeof(o->sid), "%s", c->actor->sid);
		o->iat = (int64_t)c->actor->token_iat;
	}
	/* Claimed by the matcher with the order (core/idem.c). */
	if (in->idem_key != NULL && in->idem_hash != NULL) {
		snprintf(o->idem_key, sizeof(o->idem_key), "%s", in->idem_key);
		snprintf(o->idem_hash, sizeof(o->idem_hash), "%s", in->idem_hash);
	}
	/* An address the line cannot carry (a zone id, say) is left out. */
	if (c->remote_addr != NULL && strlen(c->remote_addr) < sizeof(o->addr) &&
	    strspn(c->remote_addr, "0123456789abcdefABCDEF.:") ==
	    strlen(c->remote_addr))
		snprintf(o->addr, sizeof(o->addr), "%s", c->remote_addr);
}

/*
 * Hand the order to the matcher, which locks its funds, stores it and
 * matches it in its next batch, and answers once that is committed.
 */
static int
direct_place(struct ctx *c, struct placing *pl, struct order_placed *out,
    struct order_fail *f, enum err *e)
{
	struct mline_order o;
	struct mline_answer ans;
	char req[CHAN_REQUEST_MAX], *line = NULL;
	enum mlink_rc rc;

	/* The matcher may take it until then; we wait a little longer. */
	pl->deadline_ms = util_now_ms() + CHAN_ANSWER_WAIT_MS -
	    CHAN_DEADLINE_MARGIN_MS;
	request_of(c, pl, out, &o);
	if (mline_request_encode(&o, req, sizeof(req)) == -1)
		return DIRECT_NOT_SENT;
	rc = mlink_send(pl->m.symbol, req, c->arena, CHAN_ANSWER_WAIT_MS, &line);
	if (rc != MLINK_ANSWERED)
		return rc == MLINK_NOT_SENT ? DIRECT_NOT_SENT : DIRECT_LOST;
	/* Whatever it said, the matcher is done with the order. */
	pl->deadline_ms = 0;
	if (mline_answer_decode(line, c->arena, &ans) == -1) {
		log_error("matcher answered order %s unreadably", out->public_id);
		return DIRECT_LOST;
	}
	switch (ans.kind) {
	case MLINE_OK:
		if (order_view_answer(c->arena, &pl->m, &o, &ans, &out->view,
		    &out->fills) == -1)
			return DIRECT_LOST;
		out->nfills = ans.nfills;
		out->answered = 1;
		out->done = 1;
		*e = ERR_OK;
		return DIRECT_ANSWERED;
	case MLINE_POOR:
		order_fail_poor(f, ans.need, ans.avail, &pl->lock);
		*e = ERR_INSUFFICIENT_BALANCE;
		return DIRECT_ANSWERED;
	case MLINE_CONFLICT:
		order_fail_set(f, "clientOrderId", "already used for another order");
		*e = ERR_CONFLICT;
		return DIRECT_ANSWERED;
	case MLINE_REFUSED:
		*e = refusal_fail(&pl->m, &ans.refusal, f);
		return DIRECT_ANSWERED;
	default:
		/* RETRY, STORED: the inbox settles it by the same public id. */
		return DIRECT_LOST;
	}
}

/* ---- the service ------------------------------------------------------------- */


enum err
order_place(struct ctx *c, const struct order_in *in, enum order_path path,
    unsigned flags, struct order_placed *out, struct order_fail *f)
{
	struct placing pl;
	enum err e;
	int again = 0;

	memset(out, 0, sizeof(*out));
	memset(&pl, 0, sizeof(pl));
	pl.in = in;
	pl.tif = in->tif;
	if ((e = order_check(c, in, &pl, out, f)) != ERR_OK)
		return e;
	if (util_public_id("ord_", out->public_id, sizeof(out->public_id)) == -1)
		return ERR_INTERNAL;
	/*
	 * Whatever the matcher may not have placed goes through the inbox
	 * under the same public id, which the database lets exist once.
	 */
	if (path == ORDER_PATH_SOCKET) {
		switch (direct_place(c, &pl, out, f, &e)) {
		case DIRECT_ANSWERED:
			return e;
		case DIRECT_LOST:
			again = 1;
			break;
		default:
			break;
		}
	}
	/*
	 * The inbox path checks no one's standing: an actor the matcher was
	 * to check is checked here first. Refused, the order may still have
	 * been taken by a matcher that found the account in order.
	 */
	if ((e = order_actor_confirm(c, f)) != ERR_OK) {
		if (again && order_inbox_taken(c, &pl, out) == ERR_OK) {
			memset(f, 0, sizeof(*f));
			return ERR_OK;
		}
		return e;
	}
	return order_inbox_place(c, &pl, path, flags, again, out, f);
}

int
order_wait(struct ctx *c, struct order_placed *out, int timeout_ms,
    struct order_fail *f)
{
	char word[128];
	int rc;

	out->refused = ERR_OK;
	/* Answered on the matcher's socket: there is no word to wait for. */
	if (out->done)
		return 1;
	rc = mlink_wait(c->db, out->public_id, timeout_ms, word, sizeof(word));
	if (rc == 1 && word[0] != '\0' && out->market.symbol[0] != '\0')
		out->refused = order_refusal(&out->market, word, f);
	return rc;
}
