/* cron/housekeeping.c — delete what has expired: codes, revoked tokens, idempotency keys, replay marks, login failures */
#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/db.h"
#include "core/log.h"
#include "core/util.h"

/*
 * Each statement deletes in bounded batches so a long backlog never holds
 * locks for long; the loop repeats a statement until it deletes nothing.
 * Refresh tokens and e-mail codes are kept a while after they expire:
 * reuse detection and support questions need the recent past.
 */
static const struct stmt stmts[] = {
	{ "hk_idempotency",
	  "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM"
	  " idempotency_keys WHERE expires_at < now() LIMIT 5000)", 0 },
	{ "hk_request_ids",
	  "DELETE FROM api_request_ids WHERE ctid IN (SELECT ctid FROM"
	  " api_request_ids WHERE expires_at < now() LIMIT 5000)", 0 },
	{ "hk_revoked",
	  "DELETE FROM revoked_access_tokens WHERE ctid IN (SELECT ctid FROM"
	  " revoked_access_tokens WHERE expires_at < now() LIMIT 5000)", 0 },
	{ "hk_codes",
	  "DELETE FROM email_codes WHERE ctid IN (SELECT ctid FROM email_codes"
	  " WHERE expires_at < now() - interval '7 days' LIMIT 5000)", 0 },
	{ "hk_refresh",
	  "DELETE FROM refresh_tokens WHERE ctid IN (SELECT ctid FROM"
	  " refresh_tokens WHERE expires_at < now() - interval '7 days'"
	  " LIMIT 5000)", 0 },
	/* Counting windows are an hour at most; a day is plenty. */
	{ "hk_login_failures",
	  "DELETE FROM login_failures WHERE ctid IN (SELECT ctid FROM"
	  " login_failures WHERE updated_at < now() - interval '1 day'"
	  " AND (wait_until IS NULL OR wait_until < now()) LIMIT 5000)", 0 },
};

int
main(void)
{
	struct arena *a = NULL;
	struct db *db = NULL;
	PGresult *res;
	size_t i;
	long n, total;
	int rc = 1;

	if (cfg_load(NULL) == -1)
		fprintf(stderr, "housekeeping: configuration has errors\n");
	if (log_open(cfg_get("log", "-"), "cron-housekeeping") == -1)
		fprintf(stderr, "housekeeping: cannot open log\n");
	if (db_register(stmts, nitems(stmts)) == -1 ||
	    (db = db_new(cfg_get("db", "dbname=hzm"))) == NULL ||
	    (a = arena_new()) == NULL)
		goto out;
	for (i = 0; i < nitems(stmts); i++) {
		total = 0;
		do {
			if (db_query(db, a, &stmts[i], NULL, &res) != ERR_OK) {
				log_error("housekeeping: %s failed", stmts[i].name);
				goto out;
			}
			n = util_long(PQcmdTuples(res), 0);
			total += n;
			arena_reset(a);
		} while (n > 0);
		if (total > 0)
			log_info("housekeeping: %s deleted %ld rows", stmts[i].name,
			    total);
		printf("%s %ld\n", stmts[i].name + 3, total);
	}
	rc = 0;
out:
	arena_free(a);
	db_free(db);
	return rc;
}
