/* domain/order_cancel.c — cancelling an order: the matcher's socket, or its inbox when the socket cannot */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actor.h"
#include "core/arena.h"
#include "core/channels.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/matcher_line.h"
#include "domain/matcher_link.h"
#include "domain/order_inbox.h"
#include "domain/orders.h"

enum { ST_PEEK, ST_FIND, ST_REQUEST, ST__COUNT };

static const struct stmt stmts[] = {
	/* The order as its owner sees it, for the socket: nothing locked. */
	[ST_PEEK] = { "orders_cancel_peek",
	  "SELECT id, status, symbol FROM orders"
	  " WHERE public_id = $1 AND user_id = $2", 2 },
	/* The same row, locked, for the inbox's command. */
	[ST_FIND] = { "orders_cancel_find",
	  "SELECT id, status, symbol, cancel_requested_at IS NOT NULL"
	  " FROM orders WHERE public_id = $1 AND user_id = $2 FOR UPDATE", 2 },
	[ST_REQUEST] = { "orders_cancel_request",
	  "WITH u AS (UPDATE orders SET cancel_requested_at = now()"
	  "  WHERE id = $1)"
	  " INSERT INTO order_inbox (seq, kind, order_id, symbol, reply_to)"
	  " VALUES (nextval('order_seq'), 'CANCEL', $1, $2, $3)", 3 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "order cancel statements");

/* How a cancel on the socket ended: an answer, or the inbox's turn. */
enum { SOCKET_DONE, SOCKET_INBOX };

static enum err
q(struct ctx *c, int st, const char *const *p, PGresult **res)
{
	return db_query(c->db, c->arena, &stmts[st], p, res);
}

/*
 * The order as ST_PEEK or ST_FIND found it: TRADE_006 none of the actor's,
 * TRADE_007 no longer open; else its ids into out and its market into
 * symbol.
 */
static enum err
judge(struct ctx *c, PGresult *res, struct order_placed *out, char *symbol,
    size_t symsz, struct order_fail *f)
{
	const char *st;

	if (PQntuples(res) != 1) {
		order_fail_set(f, "orderId", "no such order");
		return ERR_TRADE_006;
	}
	st = db_val(res, 0, 1);
	if (strcmp(st, "NEW") != 0 && strcmp(st, "PARTIALLY_FILLED") != 0) {
		f->status = arena_strdup(c->arena, st);
		order_fail_set(f, "orderId", "the order is no longer open");
		return ERR_TRADE_007;
	}
	out->id = strtoll(db_val(res, 0, 0), NULL, 10);
	snprintf(out->idtxt, sizeof(out->idtxt), "%s", db_val(res, 0, 0));
	snprintf(symbol, symsz, "%s", db_val(res, 0, 2));
	return ERR_OK;
}

/*
 * Ask the matcher that holds the order's market to cancel it in its next
 * batch; it answers once that is committed. An order that is not the
 * actor's, or no longer open, is answered here; anything the matcher did
 * not cancel (not in its book yet, a matcher that cannot be reached) is
 * the inbox's to settle, which a second cancel cannot harm.
 */
static int
socket_cancel(struct ctx *c, const char *public_id, struct order_placed *out,
    struct order_fail *f, enum err *e)
{
	const char *p[2] = { public_id, c->actor->idtxt };
	struct mline_cancel x;
	struct mline_answer ans;
	char req[CHAN_REQUEST_MAX], symbol[24], *line = NULL;
	PGresult *res;

	if ((*e = q(c, ST_PEEK, p, &res)) != ERR_OK ||
	    (*e = judge(c, res, out, symbol, sizeof(symbol), f)) != ERR_OK)
		return SOCKET_DONE;
	x.order_id = out->id;
	x.user_id = c->actor->id;
	if (mline_cancel_encode(&x, req, sizeof(req)) == -1 ||
	    mlink_send(symbol, req, c->arena, CHAN_ANSWER_WAIT_MS, &line) !=
	    MLINK_ANSWERED ||
	    mline_answer_decode(line, c->arena, &ans) == -1 ||
	    ans.kind != MLINE_STORED)
		return SOCKET_INBOX;
	out->done = 1;
	*e = ERR_OK;
	return SOCKET_DONE;
}

/* The cancel as an inbox command, with a word to the matcher. */
static enum err
inbox_cancel(struct ctx *c, const char *public_id, unsigned flags,
    struct order_placed *out, struct order_fail *f)
{
	const char *p[3], *rc = NULL;
	PGresult *res, *res2;
	char symbol[24];
	enum err e;

	if ((flags & ORDER_LISTEN) && (rc = mlink_reply_channel(c->db)) == NULL)
		log_error("no reply channel: cancel of %s not awaited", public_id);
	if ((e = db_begin(c->db)) != ERR_OK)
		return e;
	p[0] = public_id;
	p[1] = c->actor->idtxt;
	if ((e = q(c, ST_FIND, p, &res)) != ERR_OK ||
	    (e = judge(c, res, out, symbol, sizeof(symbol), f)) != ERR_OK)
		goto fail;
	/* One cancel command per order: a repeat only waits for it. */
	if (strcmp(db_val(res, 0, 3), "t") != 0) {
		p[0] = out->idtxt;
		p[1] = symbol;
		p[2] = rc;
		if ((e = q(c, ST_REQUEST, p, &res2)) != ERR_OK)
			goto fail;
	}
	if ((e = db_commit(c->db)) != ERR_OK)
		return e;
	mlink_wake(c, symbol);
	return ERR_OK;
fail:
	db_rollback(c->db);
	return e;
}

enum err
order_cancel(struct ctx *c, const char *public_id, unsigned flags,
    struct order_placed *out, struct order_fail *f)
{
	enum err e;

	memset(out, 0, sizeof(*out));
	if (strlen(public_id) != 24 || strncmp(public_id, "ord_", 4) != 0) {
		order_fail_set(f, "orderId", "no such order");
		return ERR_TRADE_006;
	}
	snprintf(out->public_id, sizeof(out->public_id), "%s", public_id);
	if (mlink_socket_dir() != NULL &&
	    socket_cancel(c, public_id, out, f, &e) == SOCKET_DONE)
		return e;
	return inbox_cancel(c, public_id, flags, out, f);
}
