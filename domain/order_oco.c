/* domain/order_oco.c — OCO lists (Binance's orderList/oco): a limit leg and a stop leg placed together through the inbox, one lock */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/markets.h"
#include "domain/matcher_link.h"
#include "domain/order_inbox.h"
#include "domain/order_oco.h"
#include "domain/trading_day.h"

enum { ST_LAST, ST_LIST_ID, ST_AVAILABLE, ST_LEGS, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_LAST] = { "order_oco_last",
	  "SELECT last_price::text FROM matcher_state WHERE symbol = $1"
	  " AND last_price IS NOT NULL", 1 },
	[ST_LIST_ID] = { "order_oco_list_id",
	  "SELECT nextval('order_list_seq')::text", 0 },
	[ST_AVAILABLE] = { "order_oco_available",
	  "SELECT available::text FROM balances WHERE user_id = $1"
	  " AND asset = $2", 2 },
	/* The limit leg first ('LIMIT' < 'STOP'). */
	[ST_LEGS] = { "order_oco_legs",
	  "SELECT " ORDER_VIEW_COLUMNS ", o.public_id" ORDER_VIEW_FROM
	  " WHERE o.order_list_id = $1 AND o.user_id = $2"
	  " ORDER BY o.list_leg", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "order_oco statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/*
 * The two legs as orders of their own: a GTC LIMIT at price, and a
 * STOP_LIMIT (GTC, at stopLimitPrice) or a STOP_LOSS (IOC) at stopPrice.
 */
static void
legs_of(const struct order_in *in, struct order_in *lim, struct order_in *stp)
{
	*lim = *in;
	lim->oco = 0;
	lim->stop = 0;
	lim->stop_price = NULL;
	lim->stop_limit_price = NULL;
	lim->tif = ORD_GTC;
	*stp = *in;
	stp->oco = 0;
	stp->stop = 1;
	stp->client_order_id = NULL;
	stp->stop_limit_price = NULL;
	stp->price = in->stop_limit_price;
	stp->type = in->stop_limit_price != NULL ? ORD_LIMIT : ORD_MARKET;
	stp->tif = in->stop_limit_price != NULL ? ORD_GTC : ORD_IOC;
}

/*
 * Binance's price rules: a SELL list's price above the last price and
 * its stopPrice below it, a BUY list's the other way round. With no
 * trade yet, the price and stopPrice are on either side of each other.
 */
static enum err
prices_check(struct ctx *c, const struct placing *lim,
    const struct placing *stp, struct order_fail *f)
{
	const char *p[1] = { lim->m.symbol };
	int64_t price = lim->o.price, stop = stp->o.stop, last = 0;
	int sell = lim->o.side == ORD_SELL, have_last = 0;
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_LAST, p, &res)) != ERR_OK)
		return order_not_placed(e, f);
	if (PQntuples(res) == 1 && market_numeric(db_val(res, 0, 0),
	    lim->m.price_scale, &last) == 0)
		have_last = 1;
	if (sell ? price <= stop : price >= stop) {
		order_fail_set(f, "stopPrice", sell ?
		    "a SELL OCO needs price > stopPrice" :
		    "a BUY OCO needs price < stopPrice");
		return ERR_TRADE_003;
	}
	if (have_last && (sell ? price <= last : price >= last)) {
		order_fail_set(f, "price", sell ?
		    "a SELL OCO needs price above the last price" :
		    "a BUY OCO needs price below the last price");
		return ERR_TRADE_003;
	}
	if (have_last && (sell ? stop >= last : stop <= last)) {
		order_fail_set(f, "stopPrice", sell ?
		    "a SELL OCO needs stopPrice below the last price" :
		    "a BUY OCO needs stopPrice above the last price");
		return ERR_TRADE_003;
	}
	return ERR_OK;
}

/* A failed insert (SQLSTATE st): the answer, the transaction rolled back. */
static enum err
insert_failed(struct ctx *c, const struct placing *lim, struct order_fail *f)
{
	const char *p[2];
	PGresult *res;
	int64_t avail;
	char st[6];

	snprintf(st, sizeof(st), "%s", db_sqlstate(c->db));
	db_rollback(c->db);
	if (strcmp(st, "23505") == 0) {
		order_fail_set(f, "clientOrderId", "already used for another order");
		return ERR_CONFLICT;
	}
	if (strcmp(st, "23514") == 0) {
		p[0] = c->actor->idtxt;
		p[1] = lim->lock.asset;
		if (q(c, ST_AVAILABLE, p, &res) != ERR_OK)
			return order_not_placed(ERR_SYSTEM_002, f);
		if (PQntuples(res) != 1 || market_numeric(db_val(res, 0, 0),
		    lim->lock.scale, &avail) == -1)
			avail = 0;
		order_fail_poor(f, lim->lock.amount, avail, &lim->lock);
		return ERR_INSUFFICIENT_BALANCE;
	}
	return order_not_placed(ERR_SYSTEM_002, f);
}

/*
 * Both legs, the lock and their inbox rows in one transaction: the limit
 * leg first, so that the matcher holds it when the stop leg names it.
 */
static enum err
legs_insert(struct ctx *c, struct placing *lim, struct placing *stp,
    const char *rc, struct order_oco *out, struct order_fail *f)
{
	PGresult *res;
	enum err e;

	if ((e = db_begin(c->db)) != ERR_OK)
		return order_not_placed(e, f);
	if ((e = trading_day_take(c, lim, stp, &lim->day_value, f)) != ERR_OK) {
		db_rollback(c->db);
		return e == ERR_COMPLIANCE_002 ? e : order_not_placed(e, f);
	}
	if ((e = q(c, ST_LIST_ID, NULL, &res)) != ERR_OK) {
		db_rollback(c->db);
		return order_not_placed(e, f);
	}
	snprintf(out->list_id, sizeof(out->list_id), "%s", db_val(res, 0, 0));
	lim->list_id = stp->list_id = out->list_id;
	if (order_inbox_insert(c, lim, NULL, &out->leg[0], &res) != ERR_OK)
		return insert_failed(c, lim, f);
	snprintf(out->leg[0].idtxt, sizeof(out->leg[0].idtxt), "%s",
	    db_val(res, 0, 0));
	if (order_inbox_insert(c, stp, rc, &out->leg[1], &res) != ERR_OK)
		return insert_failed(c, lim, f);
	snprintf(out->leg[1].idtxt, sizeof(out->leg[1].idtxt), "%s",
	    db_val(res, 0, 0));
	if ((e = db_commit(c->db)) != ERR_OK) {
		log_error("OCO list %s: commit failed", out->list_id);
		return order_not_placed(ERR_SYSTEM_002, f);
	}
	return ERR_OK;
}

enum err
order_oco_place(struct ctx *c, const struct order_in *in,
    struct order_oco *out, struct order_fail *f)
{
	struct order_in lin, sin;
	struct placing lim, stp;
	const char *rc;
	enum err e;
	int i;

	memset(out, 0, sizeof(*out));
	memset(&lim, 0, sizeof(lim));
	memset(&stp, 0, sizeof(stp));
	/* Through the inbox alone: the caller's standing is checked here. */
	if ((e = order_actor_confirm(c, f)) != ERR_OK)
		return e;
	legs_of(in, &lin, &sin);
	lim.in = &lin;
	lim.tif = lin.tif;
	lim.list_leg = "LIMIT";
	stp.in = &sin;
	stp.tif = sin.tif;
	stp.list_leg = "STOP";
	if ((e = order_check(c, &lin, &lim, &out->leg[0], f)) != ERR_OK)
		return e;
	if ((e = order_check(c, &sin, &stp, &out->leg[1], f)) != ERR_OK) {
		/* The stop leg's price is the request's stopLimitPrice. */
		if (f->field != NULL && strcmp(f->field, "price") == 0)
			f->field = "stopLimitPrice";
		return e;
	}
	if ((e = prices_check(c, &lim, &stp, f)) != ERR_OK)
		return e;
	/* One lock for the list, the larger leg's need, on the limit leg. */
	if (stp.lock.amount > lim.lock.amount)
		lim.lock.amount = stp.lock.amount;
	stp.lock.amount = 0;
	for (i = 0; i < 2; i++)
		if (util_public_id("ord_", out->leg[i].public_id,
		    sizeof(out->leg[i].public_id)) == -1)
			return ERR_INTERNAL;
	if ((rc = mlink_reply_channel(c->db)) == NULL)
		log_error("no reply channel: an OCO list not awaited");
	if ((e = legs_insert(c, &lim, &stp, rc, out, f)) != ERR_OK)
		return e;
	for (i = 0; i < 2; i++) {
		out->leg[i].id = strtoll(out->leg[i].idtxt, NULL, 10);
		out->leg[i].market = lim.m;
	}
	mlink_wake(c, lim.m.symbol);
	return ERR_OK;
}

/* ---- a list as it is ------------------------------------------------------- */

/* A list id as a path gives it: 1 to 18 digits. */
static int
list_id_ok(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		return 0;
	for (; s[n] != '\0'; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	return n >= 1 && n <= 18;
}

/* An open leg: one the matcher may still trade or cancel. */
static int
leg_open(const struct order_view *v)
{
	return strcmp(v->status, "NEW") == 0 ||
	    strcmp(v->status, "PARTIALLY_FILLED") == 0;
}

enum err
order_oco_read(struct ctx *c, const char *list_id, struct order_oco_view *l)
{
	const char *p[2] = { list_id, c->actor->idtxt };
	PGresult *res;
	enum err e;
	int i;

	memset(l, 0, sizeof(*l));
	/* Not a number is no list of anyone's. */
	if (!list_id_ok(list_id))
		return ERR_NOT_FOUND;
	if ((e = q(c, ST_LEGS, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 2)
		return ERR_NOT_FOUND;
	for (i = 0; i < 2; i++) {
		order_view_row(&l->leg[i], res, i);
		l->public_id[i] = db_val(res, i, ORDER_VIEW_NCOLS);
		l->open += leg_open(&l->leg[i]);
	}
	snprintf(l->list_id, sizeof(l->list_id), "%s", list_id);
	return ERR_OK;
}

struct json_object *
order_oco_json(struct ctx *c, const struct order_oco_view *l)
{
	struct json_object *o, *legs, *one;
	struct fill_view *fv;
	size_t n;
	int i;

	if ((legs = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < 2; i++) {
		if (order_view_fills(c, &l->leg[i], &fv, &n) != ERR_OK) {
			json_object_put(legs);
			return NULL;
		}
		one = order_view_json(&l->leg[i]);
		json_object_object_add(one, "fills", fill_views_json(fv, n));
		json_object_array_add(legs, one);
	}
	o = json_object_new_object();
	json_object_object_add(o, "orderListId",
	    json_object_new_int64(strtoll(l->list_id, NULL, 10)));
	json_object_object_add(o, "contingencyType",
	    json_object_new_string("OCO"));
	/* Binance's words: the list goes on while both legs are open. */
	json_object_object_add(o, "listStatusType", json_object_new_string(
	    l->open == 2 ? "EXEC_STARTED" : "ALL_DONE"));
	json_object_object_add(o, "listOrderStatus", json_object_new_string(
	    l->open == 2 ? "EXECUTING" : "ALL_DONE"));
	json_object_object_add(o, "symbol",
	    json_object_new_string(l->leg[0].symbol));
	json_object_object_add(o, "orders", legs);
	return o;
}

enum err
order_oco_cancel(struct ctx *c, const char *list_id, struct order_oco_view *l,
    struct order_fail *f)
{
	struct order_placed out;
	enum err e;
	int i;

	if ((e = order_oco_read(c, list_id, l)) != ERR_OK)
		return e;
	if (l->open == 0) {
		order_fail_set(f, "orderListId", "the list is done: nothing to cancel");
		f->status = "ALL_DONE";
		return ERR_TRADE_007;
	}
	/* One open leg cancelled, the matcher cancels the other with it. */
	for (i = 0; i < 2 && !leg_open(&l->leg[i]); i++)
		;
	if ((e = order_cancel(c, l->public_id[i], ORDER_LISTEN, &out,
	    f)) != ERR_OK)
		return e;
	(void)order_wait(c, &out, ORDER_OCO_WAIT_MS, f);
	return order_oco_read(c, list_id, l);
}
