/* core/db.c — one connection per process, statements prepared lazily, reconnect after outages */
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/arena.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

#define DB_MAXSTMTS	1024
#define DB_SLOTS	2048		/* a power of two, twice DB_MAXSTMTS */
#define DB_PIPE_MAX	32

/*
 * Statements are numbered on first use: each struct stmt, wherever it is
 * declared, gets the next index into a connection's prepared[] the first
 * time it runs. Found again by its address, hashed (open addressing);
 * nothing has to list the modules that own statements.
 */
static const struct stmt	*slot_stmt[DB_SLOTS];
static unsigned short		 slot_idx[DB_SLOTS];
static size_t			 nstmts;

/* What a pipelined statement's answer goes to. */
struct pipe_item {
	PGresult	**slot;		/* the caller's, or NULL */
	long		 prepare;	/* a PQsendPrepare of this statement, or -1 */
	const char	*name;		/* for the log */
	int		 txn;		/* 1 BEGIN, -1 COMMIT, 0 neither */
};

struct db {
	char		*conninfo;
	struct pipe_item pipe[DB_PIPE_MAX];
	int		 npipe;
	int		 piping;		/* in pipeline mode */
	enum err	 pipe_err;		/* a failure while queueing */
	db_begin_hook	 hook;
	void		*hookarg;
	PGconn		*conn;
	int		 intxn;
	int		 listening;		/* this connection LISTENs */
	char		 sqlstate[6];
	unsigned char	 prepared[DB_MAXSTMTS];	/* on this connection */
};

static long
stmt_index(const struct stmt *s)
{
	size_t h = (size_t)(((uintptr_t)s >> 3) * 0x9e3779b97f4a7c15ULL >> 53);
	size_t i;

	for (i = 0; i < DB_SLOTS; i++, h = (h + 1) & (DB_SLOTS - 1)) {
		if (slot_stmt[h] == s)
			return slot_idx[h];
		if (slot_stmt[h] == NULL) {
			if (nstmts == DB_MAXSTMTS)
				return -1;
			slot_stmt[h] = s;
			slot_idx[h] = (unsigned short)nstmts++;
			return slot_idx[h];
		}
	}
	return -1;
}

int
db_register(const struct stmt *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (stmt_index(&s[i]) == -1)
			return -1;
	return 0;
}

struct db *
db_new(const char *conninfo)
{
	struct db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->conninfo = strdup(conninfo)) == NULL) {
		free(db);
		return NULL;
	}
	return db;
}

void
db_free(struct db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

/*
 * Connect or reconnect. Bounded: a database that is down answers within
 * connect_timeout, and the request becomes a 503 instead of a hang. The
 * session carries the program's name (hzm-orders, hzm-matcher, ...), so
 * that pg_stat_activity says which program each backend serves.
 */
enum err
db_ensure(struct db *db)
{
	static const char *keys[] = { "dbname", "connect_timeout",
	    "application_name", "options", NULL };
	char name[64];
	const char *vals[] = { db->conninfo, "3", name,
	    "-c statement_timeout=10000 -c idle_in_transaction_session_timeout=30000",
	    NULL };

	if (db->conn != NULL && PQstatus(db->conn) == CONNECTION_OK)
		return ERR_OK;
	if (db->conn != NULL)
		PQfinish(db->conn);
	if (strcmp(log_program(), "hzm") == 0)
		snprintf(name, sizeof(name), "hzm");
	else
		snprintf(name, sizeof(name), "hzm-%s", log_program());
	memset(db->prepared, 0, sizeof(db->prepared));
	db->intxn = 0;
	db->listening = 0;
	db->conn = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_error("database connection failed: %s",
		    PQerrorMessage(db->conn));
		PQfinish(db->conn);
		db->conn = NULL;
		return ERR_SERVICE_UNAVAILABLE;
	}
	return ERR_OK;
}

static void
result_clear(void *res)
{
	PQclear(res);
}

static PGresult *
exec_prepared(struct db *db, const struct stmt *s, long idx,
    const char *const *params)
{
	PGresult *res;

	if (!db->prepared[idx]) {
		res = PQprepare(db->conn, s->name, s->sql, s->nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return res;
		PQclear(res);
		db->prepared[idx] = 1;
	}
	return PQexecPrepared(db->conn, s->name, s->nparams, params, NULL,
	    NULL, 0);
}

/*
 * Run a registered statement. The result belongs to the arena. Outside a
 * transaction a lost connection is retried once on a fresh one, so a
 * database restart costs no request that could safely be repeated.
 */
enum err
db_query(struct db *db, struct arena *a, const struct stmt *s,
    const char *const *params, PGresult **out)
{
	PGresult *res = NULL;
	ExecStatusType st;
	const char *state;
	long idx;
	int attempt;
	enum err rc;

	*out = NULL;
	db->sqlstate[0] = '\0';
	if ((idx = stmt_index(s)) == -1) {
		log_error("statement %s: more than %d statements", s->name,
		    DB_MAXSTMTS);
		return ERR_INTERNAL;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		if ((rc = db_ensure(db)) != ERR_OK)
			return rc;
		res = exec_prepared(db, s, idx, params);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
			break;
		if (PQstatus(db->conn) == CONNECTION_BAD && !db->intxn) {
			PQclear(res);
			res = NULL;
			continue;
		}
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		snprintf(db->sqlstate, sizeof(db->sqlstate), "%s",
		    state ? state : "");
		/* Constraint violations are the caller's to interpret. */
		if (state == NULL || strncmp(state, "23", 2) != 0)
			log_error("statement %s failed: %s", s->name,
			    PQresultErrorMessage(res));
		PQclear(res);
		if (PQstatus(db->conn) == CONNECTION_BAD)
			return ERR_SERVICE_UNAVAILABLE;
		/* state pointed into res: use the copy from here on. */
		return strncmp(db->sqlstate, "23", 2) == 0 ?
		    ERR_CONFLICT : ERR_SYSTEM_001;
	}
	if (res == NULL)
		return ERR_SERVICE_UNAVAILABLE;
	if (arena_defer(a, result_clear, res) == -1) {
		PQclear(res);
		return ERR_INTERNAL;
	}
	*out = res;
	return ERR_OK;
}

static enum err
db_simple(struct db *db, const char *sql)
{
	PGresult *res;
	enum err rc;

	if ((rc = db_ensure(db)) != ERR_OK)
		return rc;
	res = PQexec(db->conn, sql);
	rc = PQresultStatus(res) == PGRES_COMMAND_OK ? ERR_OK :
	    PQstatus(db->conn) == CONNECTION_BAD ? ERR_SERVICE_UNAVAILABLE :
	    ERR_SYSTEM_001;
	if (rc != ERR_OK)
		log_error("%s failed: %s", sql, PQerrorMessage(db->conn));
	PQclear(res);
	return rc;
}

/*
 * A connection the server dropped while this process was idle (a restart)
 * reads as CONNECTION_OK until it is used, and BEGIN is its first use.
 * BEGIN changes nothing, so on a connection that turns out dead it is
 * sent once more on a fresh one, as db_query() does outside a transaction:
 * a database restart costs no request, in no worker.
 */
enum err
db_begin(struct db *db)
{
	enum err rc;

	if ((rc = db_simple(db, "BEGIN")) != ERR_OK) {
		if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_BAD)
			return rc;
		if ((rc = db_simple(db, "BEGIN")) != ERR_OK)
			return rc;
	}
	db->intxn = 1;
	/* Work that must share the caller's transaction (idempotency keys). */
	if (db->hook != NULL && (rc = db->hook(db, db->hookarg)) != ERR_OK) {
		db_rollback(db);
		return rc;
	}
	return ERR_OK;
}

void
db_set_begin_hook(struct db *db, db_begin_hook fn, void *arg)
{
	if (db == NULL)
		return;
	db->hook = fn;
	db->hookarg = arg;
}

enum err
db_commit(struct db *db)
{
	db->intxn = 0;
	return db_simple(db, "COMMIT");
}

enum err
db_query_commit(struct db *db, struct arena *a, const struct stmt *st,
    const char *const *params)
{
	PGresult *res;
	enum err e;

	if ((e = db_begin(db)) != ERR_OK)
		return e;
	if ((e = db_query(db, a, st, params, &res)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	return db_commit(db);
}

void
db_rollback(struct db *db)
{
	if (db == NULL)
		return;
	if (db->intxn && db->conn != NULL &&
	    PQstatus(db->conn) == CONNECTION_OK)
		PQclear(PQexec(db->conn, "ROLLBACK"));
	db->intxn = 0;
}

enum err
db_listen(struct db *db, const char *channel)
{
	PGresult *res;
	char *id, sql[160];
	int ok, n;

	if (db_ensure(db) != ERR_OK)
		return ERR_SERVICE_UNAVAILABLE;
	if (db->listening)
		return ERR_OK;
	if ((id = PQescapeIdentifier(db->conn, channel, strlen(channel))) ==
	    NULL)
		return ERR_INTERNAL;
	n = snprintf(sql, sizeof(sql), "LISTEN %s", id);
	PQfreemem(id);
	if (n < 0 || (size_t)n >= sizeof(sql))
		return ERR_INTERNAL;
	res = PQexec(db->conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok) {
		log_error("LISTEN failed: %s", PQerrorMessage(db->conn));
		return ERR_SERVICE_UNAVAILABLE;
	}
	db->listening = 1;
	return ERR_OK;
}

int
db_listening(const struct db *db)
{
	return db != NULL && db->listening && db->conn != NULL &&
	    PQstatus(db->conn) == CONNECTION_OK;
}

void
db_unlisten(struct db *db)
{
	PGresult *res;
	PGnotify *n;

	if (db == NULL || !db->listening)
		return;
	db->listening = 0;
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return;
	res = PQexec(db->conn, "UNLISTEN *");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		log_error("UNLISTEN failed: %s", PQerrorMessage(db->conn));
	PQclear(res);
	/* What came meanwhile is dropped unread. */
	while ((n = PQnotifies(db->conn)) != NULL)
		PQfreemem(n);
}

unsigned char *
db_bytea(struct arena *a, const char *s, size_t *len)
{
	unsigned char *out;
	size_t n;

	if (s == NULL || strncmp(s, "\\x", 2) != 0 || (n = strlen(s + 2)) % 2)
		return NULL;
	if ((out = arena_alloc(a, n / 2 + 1)) == NULL ||
	    util_unhex(s + 2, n, out) == -1)
		return NULL;
	*len = n / 2;
	return out;
}

char *
db_bytea_param(struct arena *a, const unsigned char *b, size_t len)
{
	char *s = arena_alloc(a, 2 * len + 3);

	if (s == NULL)
		return NULL;
	s[0] = '\\';
	s[1] = 'x';
	util_hex(b, len, s + 2);
	return s;
}

const char *
db_val(PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return PQgetvalue(res, row, col);
}

const char *
db_sqlstate(const struct db *db)
{
	return db->sqlstate;
}

PGconn *
db_conn(struct db *db)
{
	return db->conn;
}

int
db_in_txn(const struct db *db)
{
	return db->intxn;
}

/* ---- pipelines ------------------------------------------------------------------ */

/*
 * Before a pipeline, which cannot be sent twice, find out whether the
 * server dropped the connection while it was idle: read what is pending
 * without blocking.  The server's farewell and its end of file mark the
 * connection bad, and db_ensure() makes a fresh one.  Notifications read
 * here wait in libpq for PQnotifies().
 */
static void
db_probe(struct db *db)
{
	struct pollfd p;
	int i;

	if (db->conn == NULL || db->intxn ||
	    PQstatus(db->conn) != CONNECTION_OK)
		return;
	p.fd = PQsocket(db->conn);
	p.events = POLLIN;
	for (i = 0; i < 4; i++) {
		p.revents = 0;
		if (poll(&p, 1, 0) != 1 || PQconsumeInput(db->conn) == 0)
			break;
	}
}

enum err
db_pipe_begin(struct db *db)
{
	enum err rc;

	db->sqlstate[0] = '\0';
	db_probe(db);
	if ((rc = db_ensure(db)) != ERR_OK)
		return rc;
	if (PQenterPipelineMode(db->conn) != 1) {
		log_error("pipeline mode refused: %s", PQerrorMessage(db->conn));
		return ERR_INTERNAL;
	}
	db->piping = 1;
	db->npipe = 0;
	db->pipe_err = ERR_OK;
	return ERR_OK;
}

static int
pipe_push(struct db *db, PGresult **slot, long prepare, const char *name,
    int txn)
{
	struct pipe_item *it;

	if (db->npipe == DB_PIPE_MAX) {
		db->pipe_err = ERR_INTERNAL;
		return -1;
	}
	it = &db->pipe[db->npipe++];
	it->slot = slot;
	it->prepare = prepare;
	it->name = name;
	it->txn = txn;
	return 0;
}

void
db_pipe_add(struct db *db, const struct stmt *s, const char *const *params,
    PGresult **slot)
{
	long idx;

	if (slot != NULL)
		*slot = NULL;
	if (!db->piping || db->pipe_err != ERR_OK)
		return;
	if ((idx = stmt_index(s)) == -1) {
		log_error("statement %s: more than %d statements", s->name,
		    DB_MAXSTMTS);
		db->pipe_err = ERR_INTERNAL;
		return;
	}
	if (!db->prepared[idx]) {
		if (PQsendPrepare(db->conn, s->name, s->sql, s->nparams,
		    NULL) != 1 || pipe_push(db, NULL, idx, s->name, 0) == -1) {
			db->pipe_err = ERR_SERVICE_UNAVAILABLE;
			return;
		}
		/* Taken back in db_pipe_run() if the server refused it. */
		db->prepared[idx] = 1;
	}
	if (PQsendQueryPrepared(db->conn, s->name, s->nparams, params, NULL,
	    NULL, 0) != 1 || pipe_push(db, slot, -1, s->name, 0) == -1)
		db->pipe_err = ERR_SERVICE_UNAVAILABLE;
}

void
db_pipe_txn(struct db *db, int begin)
{
	const char *sql = begin ? "BEGIN" : "COMMIT";

	if (!db->piping || db->pipe_err != ERR_OK)
		return;
	if (PQsendQueryParams(db->conn, sql, 0, NULL, NULL, NULL, NULL,
	    0) != 1 || pipe_push(db, NULL, -1, sql, begin ? 1 : -1) == -1)
		db->pipe_err = ERR_SERVICE_UNAVAILABLE;
}

/* Fail the connection: the next db_ensure() makes a fresh one. */
static enum err
pipe_broken(struct db *db)
{
	log_error("pipeline: connection lost: %s", PQerrorMessage(db->conn));
	PQfinish(db->conn);
	db->conn = NULL;
	db->piping = 0;
	db->intxn = 0;
	return ERR_SERVICE_UNAVAILABLE;
}

enum err
db_pipe_run(struct db *db, struct arena *a)
{
	enum err rc = db->pipe_err;
	PGresult *res;
	ExecStatusType st;
	const char *state;
	int i;

	if (!db->piping)
		return ERR_INTERNAL;
	if (PQpipelineSync(db->conn) != 1)
		return pipe_broken(db);
	for (i = 0; i < db->npipe; i++) {
		struct pipe_item *it = &db->pipe[i];

		if ((res = PQgetResult(db->conn)) == NULL)
			return pipe_broken(db);
		st = PQresultStatus(res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
			if (it->txn != 0)
				db->intxn = it->txn > 0;
			if (it->slot != NULL) {
				if (arena_defer(a, result_clear, res) == -1) {
					PQclear(res);
					rc = ERR_INTERNAL;
				} else
					*it->slot = res;
			} else
				PQclear(res);
		} else {
			if (it->prepare >= 0)
				db->prepared[it->prepare] = 0;
			if (st != PGRES_PIPELINE_ABORTED && rc == ERR_OK) {
				state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
				snprintf(db->sqlstate, sizeof(db->sqlstate), "%s",
				    state ? state : "");
				if (strncmp(db->sqlstate, "23", 2) != 0)
					log_error("statement %s failed: %s",
					    it->name, PQresultErrorMessage(res));
				rc = strncmp(db->sqlstate, "23", 2) == 0 ?
				    ERR_CONFLICT : ERR_SYSTEM_001;
			} else if (rc == ERR_OK)
				rc = ERR_SYSTEM_001;
			PQclear(res);
		}
		/* Each statement's results end with a NULL. */
		if ((res = PQgetResult(db->conn)) != NULL) {
			PQclear(res);
			return pipe_broken(db);
		}
	}
	/* The sync's own result, then out of pipeline mode. */
	if ((res = PQgetResult(db->conn)) == NULL ||
	    PQresultStatus(res) != PGRES_PIPELINE_SYNC) {
		PQclear(res);
		return pipe_broken(db);
	}
	PQclear(res);
	if (PQexitPipelineMode(db->conn) != 1)
		return pipe_broken(db);
	db->piping = 0;
	db->npipe = 0;
	return rc;
}
