/* domain/surveil.c — market surveillance: round trips between two accounts (wash trading) found in the trades since the last run and raised as compliance alerts */
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

/*
 * The trades to examine this time, as (after, upto], and how many: after
 * the cursor, but not older than $1 hours (on the first run, or after a
 * long pause); at most $2 of them. upto is NULL when there is nothing new.
 */
#define RANGE \
	"WITH a AS (SELECT greatest("						\
	"  coalesce((SELECT last_trade_id FROM surveil_cursors"		\
	"   WHERE name = 'wash'), 0),"						\
	"  coalesce((SELECT id - 1 FROM trades"				\
	"   WHERE created_at >= now() - make_interval(hours => $1::int)"	\
	"   ORDER BY created_at, id LIMIT 1), (SELECT max(id) FROM trades), 0))" \
	"  AS after)"								\
	" SELECT a.after::text, max(c.id)::text, count(c.id)::text"		\
	" FROM a LEFT JOIN LATERAL (SELECT id FROM trades WHERE id > a.after"	\
	"  ORDER BY id LIMIT $2::int) c ON true GROUP BY a.after"

/*
 * The latest trade before t2, within the window, in which the maker was
 * maker on side and the taker taker, at a price and a quantity close to
 * t2's: read backwards through a trader's index, it stops at the first.
 */
#define LEG(maker, side, taker) \
	"(SELECT o.id, o.public_id, o.price, o.quantity, o.created_at"	\
	"  FROM trades o WHERE o.maker_user_id = " maker			\
	"  AND o.maker_side = '" side "' AND o.taker_user_id = " taker	\
	"  AND o.symbol = t2.symbol AND o.id < t2.id"				\
	"  AND o.created_at <= t2.created_at AND o.created_at >="		\
	"  t2.created_at - interval '" SURVEIL_WINDOW_MIN " minutes'"		\
	"  AND abs(t2.price - o.price) <= o.price * " SURVEIL_PRICE_PCT " / 100" \
	"  AND abs(t2.quantity - o.quantity) <= o.quantity * "		\
	SURVEIL_QTY_PCT " / 100"						\
	"  ORDER BY o.created_at DESC, o.id DESC LIMIT 1)"

/*
 * Each trade of (after, upto] as the closing leg of a round trip: the
 * latest earlier trade in its market, within the window, whose seller is
 * its buyer and whose buyer is its seller (as maker and taker, one way or
 * the other), at a price and a quantity close to its own. The work grows
 * with the trades examined, not with the window's trades squared.
 */
#define TRIPS \
	"SELECT t1.public_id, t2.public_id, t2.symbol, t2.buyer::text,"	\
	" ua.public_id, ub.public_id, trim_scale(t1.price)::text,"		\
	" trim_scale(t2.price)::text, trim_scale(t1.quantity)::text,"		\
	" trim_scale(t2.quantity)::text,"					\
	" extract(epoch FROM t2.created_at - t1.created_at)::bigint::text"	\
	" FROM (SELECT id, public_id, symbol, price, quantity, created_at,"	\
	"  CASE maker_side WHEN 'SELL' THEN maker_user_id"			\
	"   ELSE taker_user_id END AS seller,"					\
	"  CASE maker_side WHEN 'BUY' THEN maker_user_id"			\
	"   ELSE taker_user_id END AS buyer"					\
	"  FROM trades WHERE id > $1::bigint AND id <= $2::bigint) t2"	\
	" CROSS JOIN LATERAL (SELECT * FROM ("					\
	LEG("t2.buyer", "SELL", "t2.seller") " UNION ALL "			\
	LEG("t2.seller", "BUY", "t2.buyer")					\
	" ) x ORDER BY x.created_at DESC, x.id DESC LIMIT 1) t1"		\
	" JOIN users ua ON ua.id = t2.buyer JOIN users ub ON ub.id = t2.seller" \
	" ORDER BY t2.id"

#define MOVE \
	"INSERT INTO surveil_cursors AS s (name, last_trade_id)"		\
	" VALUES ('wash', $1::bigint) ON CONFLICT (name) DO UPDATE"		\
	" SET last_trade_id = greatest(s.last_trade_id, excluded.last_trade_id)," \
	" updated_at = now()"

enum { ST_RANGE, ST_TRIPS, ST_MOVE, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_RANGE] = { "surveil_range", RANGE, 2 },
	[ST_TRIPS] = { "surveil_round_trips", TRIPS, 2 },
	[ST_MOVE] = { "surveil_move", MOVE, 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "surveil statements");

/* Trades examined per statement, and how long a run goes on. */
#define CHUNK		"5000"
#define BUDGET_US	(200 * 1000000LL)

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

/* The round trips closed by the trades of (after, upto], raised. */
static enum err
chunk_raise(struct ctx *c, const char *after, const char *upto,
    struct surveil_result *out)
{
	const char *p[2] = { after, upto };
	PGresult *res;
	enum err e;
	int i, n, created;

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

enum err
surveil_wash_trades(struct ctx *c, int hours, struct surveil_result *out)
{
	char h[16];
	const char *p[2] = { h, CHUNK }, *m[1];
	int64_t t0 = util_mono_us();
	PGresult *range, *res;
	enum err e;

	memset(out, 0, sizeof(*out));
	snprintf(h, sizeof(h), "%d", hours);
	do {
		if ((e = db_query(c->db, c->arena, &stmts[ST_RANGE], p, &range)) !=
		    ERR_OK)
			return e;
		if (PQgetisnull(range, 0, 1))
			return ERR_OK;
		/* Killed before the cursor moves: the alerts are not raised twice. */
		if ((e = chunk_raise(c, db_val(range, 0, 0), db_val(range, 0, 1),
		    out)) != ERR_OK)
			return e;
		m[0] = db_val(range, 0, 1);
		if ((e = db_query(c->db, c->arena, &stmts[ST_MOVE], m, &res)) !=
		    ERR_OK)
			return e;
		out->examined += strtol(db_val(range, 0, 2), NULL, 10);
	} while (util_mono_us() - t0 < BUDGET_US);
	return ERR_OK;
}
