/* domain/surveil.c — market surveillance: round trips between two accounts (wash trading) found in recent trades and raised as compliance alerts */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/compliance.h"
#include "domain/surveil.h"

/* $1 hours back. Each trade's seller and buyer, whichever was the maker. */
#define ROUND_TRIPS \
	"WITH t AS (SELECT id, public_id, symbol, price, quantity, created_at,"	\
	"  CASE maker_side WHEN 'SELL' THEN maker_user_id ELSE taker_user_id END AS seller," \
	"  CASE maker_side WHEN 'BUY' THEN maker_user_id ELSE taker_user_id END AS buyer" \
	"  FROM trades WHERE created_at >= now() - make_interval(hours => $1::int))" \
	" SELECT t1.public_id, t2.public_id, t1.symbol, t1.seller::text,"	\
	" ua.public_id, ub.public_id, trim_scale(t1.price)::text,"		\
	" trim_scale(t2.price)::text, trim_scale(t1.quantity)::text,"		\
	" trim_scale(t2.quantity)::text,"					\
	" extract(epoch FROM t2.created_at - t1.created_at)::bigint::text"	\
	" FROM t t1 JOIN t t2 ON t2.symbol = t1.symbol"				\
	"  AND t2.seller = t1.buyer AND t2.buyer = t1.seller AND t2.id > t1.id"	\
	"  AND t2.created_at <= t1.created_at + interval '" SURVEIL_WINDOW_MIN " minutes'" \
	"  AND abs(t2.price - t1.price) <= t1.price * " SURVEIL_PRICE_PCT " / 100" \
	"  AND abs(t2.quantity - t1.quantity) <= t1.quantity * " SURVEIL_QTY_PCT " / 100" \
	" JOIN users ua ON ua.id = t1.seller JOIN users ub ON ub.id = t1.buyer"	\
	" ORDER BY t1.id, t2.id LIMIT 1000"

enum { ST_TRIPS, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_TRIPS] = { "surveil_round_trips", ROUND_TRIPS, 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "surveil statements");

#define RISK_SCORE	80

/* Columns col and col + 1 as an array of two strings. */
static struct json_object *
pair(PGresult *res, int i, int col)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, json_object_new_string(db_val(res, i, col)));
	json_object_array_add(a, json_object_new_string(db_val(res, i, col + 1)));
	return a;
}

/* The alert's details: the two trades, the two accounts, the factors. */
static struct json_object *
trip_details(PGresult *res, int i)
{
	struct json_object *d = json_object_new_object(), *tr, *f, *fs;

	json_object_object_add(d, "pattern",
	    json_object_new_string("WASH_TRADING_ROUND_TRIP"));
	json_object_object_add(d, "symbol", json_object_new_string(db_val(res, i, 2)));
	json_object_object_add(d, "userId", json_object_new_string(db_val(res, i, 4)));
	json_object_object_add(d, "counterpartyUserId",
	    json_object_new_string(db_val(res, i, 5)));
	tr = json_object_new_array();
	json_object_array_add(tr, json_object_new_string(db_val(res, i, 0)));
	json_object_array_add(tr, json_object_new_string(db_val(res, i, 1)));
	json_object_object_add(d, "tradeIds", tr);
	json_object_object_add(d, "prices", pair(res, i, 6));
	json_object_object_add(d, "quantities", pair(res, i, 8));
	json_object_object_add(d, "secondsApart",
	    json_object_new_int64(strtoll(db_val(res, i, 10), NULL, 10)));
	fs = json_object_new_array();
	f = json_object_new_object();
	json_object_object_add(f, "factor", json_object_new_string("ROUND_TRIP"));
	json_object_object_add(f, "points", json_object_new_int(RISK_SCORE));
	json_object_object_add(f, "detail", json_object_new_string(
	    "sold to an account that sold back at a similar price and quantity"
	    " within " SURVEIL_WINDOW_MIN " minutes"));
	json_object_array_add(fs, f);
	json_object_object_add(d, "factors", fs);
	json_object_object_add(d, "riskScore", json_object_new_int(RISK_SCORE));
	return d;
}

static enum err
trip_raise(struct ctx *c, PGresult *res, int i, int *created)
{
	struct json_object *d = json_own(c->arena, trip_details(res, i));
	char id[ALERT_ID_LEN + 1];
	struct alert_in al;
	enum err e;

	memset(&al, 0, sizeof(al));
	al.user_id = db_val(res, i, 3);
	al.severity = "HIGH";
	al.type = "SUSPICIOUS_PATTERN";
	al.risk_score = RISK_SCORE;
	al.details = d;
	if (d == NULL || (al.subject = arena_printf(c->arena, "wash:%s/%s",
	    db_val(res, i, 0), db_val(res, i, 1))) == NULL)
		return ERR_INTERNAL;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = compliance_alert_raise(c, &al, id, created)) != ERR_OK ||
	    (e = db_commit(c->db)) != ERR_OK) {
		db_rollback(c->db);
		return e;
	}
	if (*created)
		compliance_alert_notify(c, id);
	return ERR_OK;
}

enum err
surveil_wash_trades(struct ctx *c, int hours, struct surveil_result *out)
{
	char h[16];
	const char *p[1] = { h };
	PGresult *res;
	enum err e;
	int i, n, created;

	memset(out, 0, sizeof(*out));
	snprintf(h, sizeof(h), "%d", hours);
	if ((e = db_query(c->db, c->arena, &stmts[ST_TRIPS], p, &res)) != ERR_OK)
		return e;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		if ((e = trip_raise(c, res, i, &created)) != ERR_OK)
			return e;
		out->pairs++;
		out->raised += created;
	}
	return ERR_OK;
}
