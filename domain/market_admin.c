/* domain/market_admin.c — markets as the operator changes them: a status (halt, cancel-only, reopen) and new markets, audited */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/util.h"
#include "domain/audit.h"
#include "domain/market_admin.h"

const char *const market_statuses[] = { "ACTIVE", "HALTED", "CANCEL_ONLY",
    "CLOSED", NULL };

enum { ST_LOCK, ST_SET, ST_ASSETS, ST_INSERT, ST_STATE, ST_ONE, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_LOCK] = { "madm_lock",
	  "SELECT status FROM markets WHERE symbol = $1 FOR UPDATE", 1 },
	[ST_SET] = { "madm_set",
	  "UPDATE markets SET status = $2, updated_at = now() WHERE symbol = $1", 2 },
	/* Both assets and their precisions; also whether the pair exists. */
	[ST_ASSETS] = { "madm_assets",
	  "SELECT (SELECT precision FROM assets WHERE code = $1),"
	  " (SELECT precision FROM assets WHERE code = $2),"
	  " EXISTS (SELECT 1 FROM markets WHERE symbol = $3 OR"
	  "  (base_asset = $1 AND quote_asset = $2))", 3 },
	[ST_INSERT] = { "madm_insert",
	  "INSERT INTO markets (symbol, base_asset, quote_asset, status,"
	  " price_precision, quantity_precision, min_quantity, min_notional,"
	  " maker_fee, taker_fee, price_band_pct) VALUES ($1, $2, $3, $4,"
	  " $5::smallint, $6::smallint, $7, $8, $9, $10, coalesce($11::numeric, 10))", 11 },
	[ST_STATE] = { "madm_state",
	  "INSERT INTO matcher_state (symbol) VALUES ($1) ON CONFLICT DO NOTHING", 1 },
	[ST_ONE] = { "madm_one",
	  /* Amounts at their precisions, as GET /markets has them. */
	  "SELECT m.symbol, m.base_asset, m.quote_asset, m.status,"
	  " m.price_precision, m.quantity_precision,"
	  " round(m.min_quantity, m.quantity_precision)::text,"
	  " round(m.min_notional, q.precision)::text,"
	  " trim_scale(m.maker_fee)::text, trim_scale(m.taker_fee)::text,"
	  " trim_scale(m.price_band_pct)::text, " DB_ISO("m.created_at") ","
	  " " DB_ISO("m.updated_at")
	  " FROM markets m JOIN assets q ON q.code = m.quote_asset"
	  " WHERE m.symbol = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "market_admin statements");

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

enum err
market_status_set(struct ctx *c, const char *symbol, const char *status,
    const char *reason, char old[16])
{
	const char *p[2] = { symbol, status };
	struct json_object *d;
	PGresult *res;
	enum err e;

	old[0] = '\0';
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_LOCK, p, &res)) != ERR_OK)
		goto fail;
	if (PQntuples(res) != 1) {
		e = ERR_TRADE_005;
		goto fail;
	}
	snprintf(old, 16, "%s", db_val(res, 0, 0));
	if (strcmp(old, status) == 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((d = json_own(c->arena, json_object_new_object())) == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	json_object_object_add(d, "symbol", json_object_new_string(symbol));
	json_object_object_add(d, "oldStatus", json_object_new_string(old));
	json_object_object_add(d, "newStatus", json_object_new_string(status));
	if ((e = q(c, ST_SET, p, &res)) != ERR_OK ||
	    (e = audit_write(c, "MARKET_STATUS", c->actor, NULL, symbol, status,
	    reason, d)) != ERR_OK)
		goto fail;
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

enum err
market_create(struct ctx *c, const struct market_new *m, const char **why)
{
	const char *pa[3] = { m->base, m->quote, m->symbol };
	const char *p[11] = { m->symbol, m->base, m->quote, m->status,
	    m->price_precision, m->qty_precision, m->min_qty, m->min_notional,
	    m->maker_fee, m->taker_fee, m->band_pct };
	struct json_object *d;
	PGresult *res;
	enum err e;

	*why = NULL;
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_ASSETS, pa, &res)) != ERR_OK)
		goto fail;
	e = ERR_INVALID_REQUEST;
	if (db_val(res, 0, 0) == NULL || db_val(res, 0, 1) == NULL) {
		*why = "no such asset";
		goto fail;
	}
	if (strcmp(m->base, m->quote) == 0) {
		*why = "base and quote must differ";
		goto fail;
	}
	/* A lot finer than the base asset's unit could not be settled. */
	if (util_long(m->qty_precision, 99) > util_long(db_val(res, 0, 0), 0)) {
		*why = "quantityPrecision is finer than the base asset's";
		goto fail;
	}
	if (strcmp(db_val(res, 0, 2), "t") == 0) {
		e = ERR_CONFLICT;
		*why = "the symbol or the pair exists";
		goto fail;
	}
	if ((d = json_own(c->arena, json_object_new_object())) == NULL) {
		e = ERR_INTERNAL;
		goto fail;
	}
	json_object_object_add(d, "baseAsset", json_object_new_string(m->base));
	json_object_object_add(d, "quoteAsset", json_object_new_string(m->quote));
	json_object_object_add(d, "makerFee", json_object_new_string(m->maker_fee));
	json_object_object_add(d, "takerFee", json_object_new_string(m->taker_fee));
	if ((e = q(c, ST_INSERT, p, &res)) != ERR_OK ||
	    (e = q(c, ST_STATE, p, &res)) != ERR_OK ||
	    (e = audit_write(c, "MARKET_CREATED", c->actor, NULL, m->symbol,
	    m->status, NULL, d)) != ERR_OK)
		goto fail;
	return db_commit(c->db);
fail:
	db_rollback(c->db);
	return e;
}

enum err
market_admin_get(struct ctx *c, const char *symbol, PGresult **row)
{
	const char *p[1] = { symbol };
	enum err e;

	if ((e = q(c, ST_ONE, p, row)) != ERR_OK)
		return e;
	return PQntuples(*row) == 1 ? ERR_OK : ERR_TRADE_005;
}

struct json_object *
market_admin_json(PGresult *res, int i)
{
	static const char *const keys[] = { "symbol", "baseAsset", "quoteAsset",
	    "status", NULL, NULL, "minQuantity", "minNotional", "makerFee",
	    "takerFee", "priceBandPct", "createdAt", "updatedAt" };
	struct json_object *o = json_object_new_object();
	size_t k;

	for (k = 0; k < nitems(keys); k++)
		if (keys[k] != NULL)
			json_object_object_add(o, keys[k],
			    json_str_or_null(db_val(res, i, (int)k)));
	json_object_object_add(o, "pricePrecision",
	    json_object_new_int((int)util_long(db_val(res, i, 4), 0)));
	json_object_object_add(o, "quantityPrecision",
	    json_object_new_int((int)util_long(db_val(res, i, 5), 0)));
	return o;
}
