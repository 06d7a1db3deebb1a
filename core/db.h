/* core/db.h — the process's PostgreSQL connection and its prepared statements */
#ifndef HZM_DB_H
#define HZM_DB_H

#include <stddef.h>

#include <libpq-fe.h>

#include "core/err.h"

struct arena;

/* A timestamptz column as the API writes times: ISO 8601, UTC, ms. */
#define DB_ISO(col)	"to_char(" col " AT TIME ZONE 'UTC', " \
	"'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* A statement is declared once, next to the module that owns it. */
struct stmt {
	const char	*name;
	const char	*sql;
	int		 nparams;
};

struct db;

/* Run right after every BEGIN until cleared; an error aborts db_begin. */
typedef enum err (*db_begin_hook)(struct db *, void *);

/*
 * Statements need no registering: each is numbered the first time it
 * runs. db_register() numbers an array ahead of time (a daemon that
 * wants its failures at start-up, not mid-batch); -1 past the maximum.
 */
int		 db_register(const struct stmt *, size_t);
struct db	*db_new(const char *conninfo);
void		 db_free(struct db *);
enum err	 db_ensure(struct db *);
enum err	 db_query(struct db *, struct arena *, const struct stmt *,
		    const char *const *params, PGresult **);
enum err	 db_begin(struct db *);
enum err	 db_commit(struct db *);
/* One statement in a transaction of its own (begun, run, committed). */
enum err	 db_query_commit(struct db *, struct arena *, const struct stmt *,
		    const char *const *params);
void		 db_set_begin_hook(struct db *, db_begin_hook, void *);
void		 db_rollback(struct db *);
const char	*db_val(PGresult *, int row, int col);
/* A bytea column (hex escape, "\\x...") as bytes in the arena; NULL if not one. */
unsigned char	*db_bytea(struct arena *, const char *hexesc, size_t *len);
/* Bytes as a bytea parameter ("\\x..."), in the arena. */
char		*db_bytea_param(struct arena *, const unsigned char *, size_t);
const char	*db_sqlstate(const struct db *);
/*
 * A pipeline: statements sent at once and answered in one round trip.
 * db_pipe_begin(), then db_pipe_add() (results to *slot, owned by the
 * arena run gets) and db_pipe_txn() (BEGIN or COMMIT) in order, then
 * db_pipe_run(): the first failure is its value (db_sqlstate() says which;
 * the statements after it did not run) and a transaction it left open
 * needs db_rollback().
 */
enum err	 db_pipe_begin(struct db *);
void		 db_pipe_add(struct db *, const struct stmt *,
		    const char *const *params, PGresult **slot);
void		 db_pipe_txn(struct db *, int begin);
enum err	 db_pipe_run(struct db *, struct arena *);
/*
 * LISTEN to channel on this connection (nothing if it listens already)
 * until db_unlisten(), which core/app calls after every request: the
 * server signals each listening session of the database at every NOTIFY,
 * whatever its channels, so none listens longer than it waits. A
 * reconnection listens to nothing.
 */
enum err	 db_listen(struct db *, const char *channel);
int		 db_listening(const struct db *);
void		 db_unlisten(struct db *);
/* The live connection (or NULL): waiting for a NOTIFY needs libpq itself. */
PGconn		*db_conn(struct db *);
/* Whether a transaction is open (db_begin(), or a pipeline's BEGIN). */
int		 db_in_txn(const struct db *);

#endif
