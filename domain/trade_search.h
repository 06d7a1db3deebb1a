/* domain/trade_search.h — every user's orders and trades for staff: filters, pages in index order, a count with a ceiling */
#ifndef HZM_DOMAIN_TRADE_SEARCH_H
#define HZM_DOMAIN_TRADE_SEARCH_H

#include <stddef.h>

#include <libpq-fe.h>

#include "core/db.h"
#include "core/err.h"

struct ctx;

/*
 * Counting every row that matches would read a million of them for an
 * unfiltered list; the count stops here, and the list says so
 * (meta.totalCountCapped).
 */
#define SEARCH_COUNT_MAX	10000

/* NULL members are no filter; times are ISO 8601 (valid_iso_time). */
struct search_query {
	const char	*user_id;	/* usr_...: either side of a trade */
	const char	*symbol;
	const char	*status;	/* orders only */
	const char	*side;		/* a trade's side is its taker's */
	const char	*from, *to;	/* created at or after from, before to */
	int		 ascending;	/* by createdAt; else newest first */
	const char	*limit, *offset;
};

/* Rows as search_order_json()/search_trade_json() read them; *total capped. */
enum err	search_orders(struct ctx *, const struct search_query *,
		    PGresult **rows, long long *total);
enum err	search_trades(struct ctx *, const struct search_query *,
		    PGresult **rows, long long *total);
struct json_object *search_order_json(PGresult *, int row);
struct json_object *search_trade_json(PGresult *, int row);

/* The statements, by name, for the plan checks (hzmctl sql NAME). */
const struct stmt *search_stmt(const char *name);

#endif
