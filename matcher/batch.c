/* matcher/batch.c — one batch: take the commands, admit and apply them, commit, answer; a failed one retried one command at a time */
#include <string.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/matcher_line.h"
#include "matcher/admit.h"
#include "matcher/gate.h"
#include "matcher/matcher.h"
#include "matcher/publish.h"
#include "matcher/store.h"

int
same_connection(struct matcher *mt)
{
	PGconn *c = db_conn(mt->db);

	return c != NULL && PQstatus(c) == CONNECTION_OK &&
	    PQbackendPID(c) == mt->backend;
}

/* Whether the failure was the database's state rather than a command's. */
static int
transient(struct matcher *mt, enum err rc)
{
	const char *st = db_sqlstate(mt->db);

	return rc == ERR_SERVICE_UNAVAILABLE || !same_connection(mt) ||
	    strncmp(st, "40", 2) == 0 || strncmp(st, "57", 2) == 0 ||
	    strncmp(st, "08", 2) == 0;
}

/* The socket orders of a batch that did not go in: the inbox takes them. */
static void
retry_all(struct matcher *mt, const struct direct *d, size_t nd)
{
	size_t i;

	for (i = 0; i < nd; i++)
		gate_answer(&mt->gate, &d[i], MLINE_RETRY_WORD,
		    sizeof(MLINE_RETRY_WORD) - 1);
}

/* A batch's commands: the inbox's, and orders and cancels from the socket. */
struct batch {
	struct store_cmd	*cmds;
	size_t			 n;
	struct direct		*d;
	size_t			 nd;
	struct direct		*dc;		/* the socket's cancels */
	size_t			 nc;
	int64_t			 t0;		/* when it began (monotonic us) */
	int64_t			 at[PHASES];	/* when each phase ended */
};

/* Everything a batch took from the socket, when it did not go in. */
static void
retry_socket(struct matcher *mt, const struct batch *b)
{
	retry_all(mt, b->d, b->nd);
	retry_all(mt, b->dc, b->nc);
}

/* How a step of a batch ended. */
enum { BATCH_OK, BATCH_LOST, BATCH_POISON };

/*
 * What the batch takes. Socket orders and cancels take at most half a
 * batch, the inbox the rest (in admit_take()'s round trip); while a failed
 * batch is retried one command at a time, none. Without socket requests
 * the inbox's commands are fetched here. 1: there is work, 0: none, -1:
 * rebuild.
 */
static int
batch_take(struct matcher *mt, struct batch *b)
{
	size_t i, k, n = 0;

	memset(b, 0, sizeof(*b));
	if (mt->isolate == 0 && mt->gate.nq > 0) {
		k = mt->batch > 1 ? (size_t)mt->batch / 2 : 1;
		/* As many as wait, not as many as may: each is 0.6 KB, zeroed. */
		if (k > mt->gate.nq)
			k = mt->gate.nq;
		if ((b->d = arena_calloc(mt->arena, k, sizeof(*b->d))) == NULL ||
		    (b->dc = arena_calloc(mt->arena, k, sizeof(*b->dc))) == NULL)
			return -1;
		n = gate_take(&mt->gate, k, b->d);
	}
	/* The orders stay in b->d, in the order they came; cancels apart. */
	for (i = 0; i < n; i++)
		if (b->d[i].c.kind == CMD_CANCEL)
			b->dc[b->nc++] = b->d[i];
		else
			b->d[b->nd++] = b->d[i];
	if (b->nd + b->nc > 0)
		return 1;
	if (store_fetch(mt->db, mt->arena, &mt->e, mt->symbols, mt->batch,
	    &b->cmds, &b->n) != ERR_OK || !same_connection(mt))
		return -1;
	return b->n > 0;
}

/*
 * Open the transaction with the socket orders admitted and the inbox's
 * commands read (admit_take()), and move the accepted orders' funds in
 * the engine. BATCH_LOST: the database failed, the socket orders are
 * sent to the inbox and the engine must be rebuilt.
 */
static int
batch_open(struct matcher *mt, struct batch *b)
{
	struct engine *e = &mt->e;
	enum err rc;
	size_t i;

	rc = admit_take(mt->db, mt->arena, e, b->d, b->nd, b->dc, b->nc,
	    mt->symbols, mt->batch - (int)(b->nd + b->nc), &b->cmds, &b->n);
	if (rc != ERR_OK && !transient(mt, rc))
		return BATCH_POISON;
	if (rc != ERR_OK || !same_connection(mt)) {
		db_rollback(mt->db);
		retry_socket(mt, b);
		engine_batch_end(e);
		return BATCH_LOST;
	}
	for (i = 0; i < b->nd; i++)
		if (b->d[i].state == DS_ACCEPTED &&
		    engine_lock(e, b->d[i].mkt, &b->d[i].c) == -1)
			return BATCH_POISON;
	return BATCH_OK;
}

/*
 * The commands through the engine (the inbox's, the socket's cancels,
 * its orders), the batch sealed and its money checked. A cancel of an
 * order the engine does not hold for its user does nothing (DS_GONE).
 */
static int
batch_apply(struct matcher *mt, struct batch *b)
{
	struct engine *e = &mt->e;
	struct direct *x;
	size_t i, k;

	for (i = 0; i < b->n; i++) {
		if (b->cmds[i].skip ? engine_skip(e, b->cmds[i].c.seq) :
		    engine_apply(e, b->cmds[i].mkt, &b->cmds[i].c))
			return BATCH_POISON;
		b->cmds[i].refused = e->refused;
	}
	for (i = 0; i < b->nc; i++) {
		x = &b->dc[i];
		x->state = DS_GONE;
		if (!engine_holds(e, x->mkt, x->c.order_id, x->c.user_id))
			continue;
		if (engine_apply(e, x->mkt, &x->c) == -1)
			return BATCH_POISON;
		x->state = DS_ACCEPTED;
	}
	for (i = 0; i < b->nd; i++)
		if (b->d[i].state == DS_ACCEPTED &&
		    engine_apply(e, b->d[i].mkt, &b->d[i].c) == -1)
			return BATCH_POISON;
	if (engine_batch_seal(e) == -1)
		return BATCH_POISON;
	for (k = 0; k < e->nmk; k++)
		if (engine_batch_net(e, e->mk[k].m.base) != 0 ||
		    engine_batch_net(e, e->mk[k].m.quote) != 0) {
			log_error("batch creates or destroys money: dropped");
			return BATCH_POISON;
		}
	return BATCH_OK;
}

/* The committed batch's answers to the socket's requests d. */
static void
answer_all(struct matcher *mt, struct direct *d, size_t n)
{
	const char **lines;
	size_t i;

	if (n == 0)
		return;
	if ((lines = arena_calloc(mt->arena, n, sizeof(*lines))) == NULL ||
	    admit_answers(mt->arena, &mt->e, d, n, lines) == -1) {
		retry_all(mt, d, n);
		return;
	}
	for (i = 0; i < n; i++)
		gate_answer(&mt->gate, &d[i], lines[i], strlen(lines[i]));
}

/*
 * The batch is committed: snapshots, then the answers on the socket and
 * the words to waiting handlers, then the pace for the log.
 */
static void
batch_done(struct matcher *mt, struct batch *b)
{
	struct engine *e = &mt->e;
	int64_t us;
	size_t i;

	for (i = 0; i < e->nmk; i++)
		if (e->mk[i].touched)
			e->mk[i].unpublished = 1;
	publish_day_add(e);
	feed_batch(&mt->feed, e);
	/*
	 * The snapshots before the answers, so that whoever was answered
	 * sees their order in them; unless more orders came in meanwhile,
	 * which publish() then serves every PUBLISH_BUSY_MS.
	 */
	gate_service(&mt->gate);
	if (mt->gate.nq == 0 || e->now_ms - mt->published_ms >=
	    PUBLISH_BUSY_MS) {
		publish_markets(mt->db, mt->arena, e, 0);
		mt->published_ms = e->now_ms;
	}
	answer_all(mt, b->dc, b->nc);
	answer_all(mt, b->d, b->nd);
	store_notify(mt->db, mt->arena, b->cmds, b->n);
	engine_batch_end(e);
	if (mt->isolate > 0 && (mt->isolate -= (long)b->n) <= 0) {
		mt->isolate = 0;
		mt->batch = mt->batch_max;
	}
	b->at[PH_DONE] = util_mono_us();
	us = b->at[PH_DONE] - b->t0;
	if (mt->stats.batches == 0)
		mt->stats.since_ms = e->now_ms;
	for (i = 0; i < PHASES; i++)
		mt->stats.phase[i] += b->at[i] - (i == 0 ? b->t0 : b->at[i - 1]);
	mt->stats.batches++;
	mt->stats.commands += (long)(b->n + b->nd + b->nc);
	mt->stats.socket += (long)(b->nd + b->nc);
	mt->stats.us += us;
	if (us > mt->stats.max_us)
		mt->stats.max_us = us;
}

/*
 * A batch the engine or the database refused for its commands: find the
 * culprit by taking the same commands one at a time, and reject it once
 * it is alone. Socket orders go back to their handlers, who place them
 * through the inbox.
 */
static long
batch_poison(struct matcher *mt, struct batch *b)
{
	struct store_cmd victim;

	engine_batch_end(&mt->e);
	if (b->nd + b->nc > 0) {
		/* Not theirs to find out: the inbox path places them alone. */
		db_rollback(mt->db);
		retry_socket(mt, b);
		log_error("batch of %zu commands and %zu socket requests failed",
		    b->n, b->nd + b->nc);
		if (b->n > 0) {
			mt->batch = 1;
			mt->isolate = (long)b->n;
		}
		return -1;
	}
	victim = b->cmds[0];
	if (b->n > 1) {
		log_error("batch of %zu failed; retrying one command at a time",
		    b->n);
		mt->batch = 1;
		mt->isolate = (long)b->n;
		return -1;
	}
	/* recover() resets the arena cmds live in: victim is a copy. */
	if (recover(mt) == -1 ||
	    store_reject(mt->db, mt->arena, &victim.c) != ERR_OK)
		return -1;
	store_notify(mt->db, mt->arena, &victim, 1);
	return 1;
}

/*
 * One batch: the inbox's commands, then the socket's orders, in one
 * transaction. Returns the number of commands applied, 0 when there was
 * nothing to do, -1 when the engine must be rebuilt.
 */
long
batch(struct matcher *mt)
{
	struct batch b;
	enum err rc;
	int r;

	arena_reset(mt->arena);
	if ((r = batch_take(mt, &b)) <= 0)
		return r;
	/* With socket requests, admit_take() reads them in its round trip. */
	if (b.nd + b.nc == 0 && store_status(mt->db, mt->arena, &mt->e,
	    mt->symbols) != ERR_OK)
		return -1;
	b.t0 = util_mono_us();
	engine_batch_begin(&mt->e, util_now_ms());
	if (b.nd + b.nc > 0 && (r = batch_open(mt, &b)) != BATCH_OK)
		return r == BATCH_LOST ? -1 : batch_poison(mt, &b);
	b.at[PH_OPEN] = util_mono_us();
	if (batch_apply(mt, &b) != BATCH_OK)
		return batch_poison(mt, &b);
	b.at[PH_APPLY] = util_mono_us();
	if ((rc = store_commit(mt->db, mt->arena, &mt->e, b.d, b.nd)) !=
	    ERR_OK) {
		if (!transient(mt, rc))
			return batch_poison(mt, &b);
		/* Committed or not, the inbox settles it by public id. */
		retry_socket(mt, &b);
		engine_batch_end(&mt->e);
		return -1;
	}
	b.at[PH_COMMIT] = util_mono_us();
	batch_done(mt, &b);
	return (long)(b.n + b.nd + b.nc);
}

