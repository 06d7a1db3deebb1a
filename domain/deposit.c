/* domain/deposit.c — crypto deposits: an asset's deposit rules, users' deposit addresses, their deposits */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/buf.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/deposit.h"

enum {
	ST_NETWORK, ST_ADDR_FIND, ST_ADDR_LOCK, ST_ADDR_INSERT, ST_COUNT,
	ST_PAGE_NEW, ST_PAGE_OLD, ST_KNOWN, ST__COUNT
};

#define DEPOSIT_WHERE \
	" WHERE d.user_id = $1 AND ($2::text IS NULL OR d.status = $2)" \
	" AND ($3::text IS NULL OR d.asset = $3)"
#define DEPOSIT_COLS \
	"SELECT d.public_id, d.asset, d.network, d.address," \
	" trunc(d.amount, a.precision)::text, d.txid, d.vout," \
	" greatest(d.confirmations, 0)," \
	" d.required_confirmations, d.status, d.status_reason," \
	" " DB_ISO("d.created_at") ", " DB_ISO("d.credited_at") \
	" FROM deposits d JOIN assets a ON a.code = d.asset"

static const struct stmt stmts[] = {
	/* The asset, and its network ($2, or the default one) if it has it. */
	[ST_NETWORK] = { "deposit_network",
	  "SELECT a.code, n.network, n.deposit_enabled,"
	  " round(n.min_deposit, a.precision)::text, n.confirmations, n.uses_memo,"
	  " (SELECT string_agg(x.network, ', ' ORDER BY x.network)"
	  "  FROM asset_networks x WHERE x.asset = a.code AND x.deposit_enabled),"
	  " EXISTS (SELECT 1 FROM asset_networks x WHERE x.asset = a.code)"
	  " FROM assets a LEFT JOIN asset_networks n ON n.asset = a.code"
	  " AND CASE WHEN $2::text IS NULL THEN n.is_default"
	  " ELSE n.network = $2 END WHERE a.code = $1", 2 },
	[ST_ADDR_FIND] = { "deposit_address_find",
	  "SELECT address, memo FROM deposit_addresses WHERE user_id = $1"
	  " AND asset = $2 AND network = $3", 3 },
	/* First requests of one user at once ask the node once. */
	[ST_ADDR_LOCK] = { "deposit_address_lock",
	  "SELECT pg_advisory_xact_lock(hashtextextended('hzm-deposit-address:'"
	  " || $1 || ':' || $2 || ':' || $3, 0))", 3 },
	[ST_ADDR_INSERT] = { "deposit_address_insert",
	  "INSERT INTO deposit_addresses (user_id, asset, network, address)"
	  " VALUES ($1, $2, $3, $4)", 4 },
	[ST_COUNT] = { "deposit_count",
	  "SELECT count(*) FROM deposits d" DEPOSIT_WHERE, 3 },
	[ST_PAGE_NEW] = { "deposit_page_new",
	  DEPOSIT_COLS DEPOSIT_WHERE " ORDER BY d.id DESC LIMIT $4 OFFSET $5", 5 },
	[ST_PAGE_OLD] = { "deposit_page_old",
	  DEPOSIT_COLS DEPOSIT_WHERE " ORDER BY d.id LIMIT $4 OFFSET $5", 5 },
	[ST_KNOWN] = { "deposit_addresses_known",
	  "SELECT DISTINCT address FROM deposit_addresses WHERE network = $1"
	  " AND address = ANY ($2::text[])", 2 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "deposit statements");

const char *const deposit_statuses[] = { "PENDING", "COMPLETED", "REJECTED",
    "FAILED", NULL };

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/* The asset's deposit rules on the network, into out, or why there are none. */
static enum err
network_rules(struct ctx *c, const char *asset, const char *network,
    struct deposit_addr *out)
{
	const char *p[2] = { asset, network };
	PGresult *res;
	enum err e;

	if ((e = q(c, ST_NETWORK, p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	snprintf(out->asset, sizeof(out->asset), "%s", db_val(res, 0, 0));
	if (db_val(res, 0, 1) == NULL || strcmp(db_val(res, 0, 2), "t") != 0 ||
	    chain_adapter(db_val(res, 0, 1)) == NULL) {
		out->field = network != NULL ? "network" : "asset";
		if (strcmp(db_val(res, 0, 7), "f") == 0)
			out->reason = arena_printf(c->arena, "%s moves on no "
			    "blockchain: no deposit address", out->asset);
		else if (db_val(res, 0, 6) == NULL)
			out->reason = arena_printf(c->arena, "deposits of %s are "
			    "not open", out->asset);
		else
			out->reason = arena_printf(c->arena, "deposits of %s are "
			    "open on: %s", out->asset, db_val(res, 0, 6));
		return out->reason != NULL ? ERR_INVALID_REQUEST : ERR_INTERNAL;
	}
	snprintf(out->network, sizeof(out->network), "%s", db_val(res, 0, 1));
	snprintf(out->min_deposit, sizeof(out->min_deposit), "%s",
	    db_val(res, 0, 3));
	out->confirmations = (int)util_long(db_val(res, 0, 4), 0);
	return ERR_OK;
}

/* 1: found into out, 0: none yet. */
static int
address_found(PGresult *res, struct ctx *c, struct deposit_addr *out)
{
	if (PQntuples(res) != 1)
		return 0;
	snprintf(out->address, sizeof(out->address), "%s", db_val(res, 0, 0));
	out->memo = db_val(res, 0, 1) != NULL ?
	    arena_strdup(c->arena, db_val(res, 0, 1)) : NULL;
	return 1;
}

enum err
deposit_address(struct ctx *c, const char *asset, const char *network,
    struct deposit_addr *out)
{
	const struct chain_adapter *ad;
	const char *p[4];
	PGresult *res;
	enum err e;

	memset(out, 0, sizeof(*out));
	if ((e = network_rules(c, asset, network, out)) != ERR_OK)
		return e;
	p[0] = c->actor->idtxt;
	p[1] = out->asset;
	p[2] = out->network;
	if ((e = q(c, ST_ADDR_FIND, p, &res)) != ERR_OK)
		return e;
	if (address_found(res, c, out))
		return ERR_OK;
	/*
	 * The first request: ask the node under a lock held until the
	 * address is stored, so concurrent first requests agree on one.
	 */
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	if ((e = q(c, ST_ADDR_LOCK, p, &res)) != ERR_OK ||
	    (e = q(c, ST_ADDR_FIND, p, &res)) != ERR_OK)
		goto fail;
	if (address_found(res, c, out))
		return db_commit(c->db);
	ad = chain_adapter(out->network);
	if ((e = ad->new_address(c, c->actor->public_id, (long long)c->actor->id,
	    out->address, sizeof(out->address), &out->node)) != ERR_OK)
		goto fail;
	p[3] = out->address;
	if ((e = q(c, ST_ADDR_INSERT, p, &res)) != ERR_OK) {
		/* The node handed out an address it gave before. */
		if (e == ERR_CONFLICT) {
			log_error("deposit: the %s node returned an address already "
			    "assigned: %s", out->network, out->address);
			out->node.fail = CHAIN_MALFORMED;
			e = ERR_SYSTEM_003;
		}
		goto fail;
	}
	if ((e = db_commit(c->db)) != ERR_OK)
		goto fail;
	log_info("deposit: new %s address for %s on %s", out->asset,
	    c->actor->public_id, out->network);
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

struct json_object *
deposit_address_json(const struct deposit_addr *a)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "asset", json_object_new_string(a->asset));
	json_object_object_add(o, "address", json_object_new_string(a->address));
	/* Appendix C's wallet field names it so. */
	json_object_object_add(o, "depositAddress",
	    json_object_new_string(a->address));
	json_object_object_add(o, "network", json_object_new_string(a->network));
	json_object_object_add(o, "memo", json_str_or_null(a->memo));
	json_object_object_add(o, "minDeposit",
	    json_object_new_string(a->min_deposit));
	json_object_object_add(o, "confirmations",
	    json_object_new_int(a->confirmations));
	return o;
}

enum err
deposit_list(struct ctx *c, const struct deposit_query *in, PGresult **rows,
    long long *total)
{
	const char *p[5] = { c->actor->idtxt, in->status, in->asset, in->limit,
	    in->offset };
	PGresult *cnt;
	enum err e;

	if ((e = q(c, ST_COUNT, p, &cnt)) != ERR_OK)
		return e;
	*total = strtoll(db_val(cnt, 0, 0), NULL, 10);
	return q(c, in->oldest_first ? ST_PAGE_OLD : ST_PAGE_NEW, p, rows);
}

struct json_object *
deposit_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "depositId", json_str_or_null(db_val(res, i, 0)));
	json_object_object_add(o, "asset", json_str_or_null(db_val(res, i, 1)));
	json_object_object_add(o, "network", json_str_or_null(db_val(res, i, 2)));
	json_object_object_add(o, "address", json_str_or_null(db_val(res, i, 3)));
	json_object_object_add(o, "amount", json_str_or_null(db_val(res, i, 4)));
	json_object_object_add(o, "txHash", json_str_or_null(db_val(res, i, 5)));
	json_object_object_add(o, "vout",
	    json_object_new_int((int)util_long(db_val(res, i, 6), 0)));
	json_object_object_add(o, "confirmations",
	    json_object_new_int((int)util_long(db_val(res, i, 7), 0)));
	json_object_object_add(o, "requiredConfirmations",
	    json_object_new_int((int)util_long(db_val(res, i, 8), 0)));
	json_object_object_add(o, "status", json_str_or_null(db_val(res, i, 9)));
	json_object_object_add(o, "statusReason",
	    json_str_or_null(db_val(res, i, 10)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, 11)));
	json_object_object_add(o, "creditedAt", json_str_or_null(db_val(res, i, 12)));
	return o;
}

enum err
deposit_addresses_known(struct ctx *c, const char *network,
    const char *const *addrs, size_t n, unsigned char *known)
{
	const char *p[2] = { network, NULL };
	struct buf b = BUF_INIT(256 * 1024);
	PGresult *res;
	enum err e;
	size_t i;
	int r;

	memset(known, 0, n);
	if (n == 0)
		return ERR_OK;
	if (n > 1000)
		return ERR_INTERNAL;
	/* An array literal of addresses ([A-Za-z0-9] only, checked here). */
	buf_puts(&b, "{");
	for (i = 0; i < n; i++) {
		if (strspn(addrs[i], "0123456789abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(addrs[i])) {
			buf_release(&b);
			return ERR_INTERNAL;
		}
		buf_printf(&b, "%s%s", i > 0 ? "," : "", addrs[i]);
	}
	buf_puts(&b, "}");
	if ((p[1] = buf_finish(&b, c->arena)) == NULL)
		return ERR_INTERNAL;
	if ((e = q(c, ST_KNOWN, p, &res)) != ERR_OK)
		return e;
	for (r = 0; r < PQntuples(res); r++)
		for (i = 0; i < n; i++)
			if (strcmp(addrs[i], db_val(res, r, 0)) == 0)
				known[i] = 1;
	return ERR_OK;
}
