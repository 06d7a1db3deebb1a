/* domain/audit_view.h — reading the audit log for staff: filtered pages, CSV rows, and the hash chain checked over a range */
#ifndef HZM_AUDIT_VIEW_H
#define HZM_AUDIT_VIEW_H

#include <libpq-fe.h>

#include "core/err.h"

struct buf;
struct ctx;
struct json_object;

/* The count stops here, as trade_search's does (meta.totalCountCapped). */
#define AUDIT_COUNT_MAX		10000
/* Rows in one CSV export, newest or oldest first by the sort. */
#define AUDIT_EXPORT_MAX	"50000"

/* NULL members are no filter; times ISO 8601, from inclusive, to not. */
struct audit_query {
	const char	*actor_id;	/* usr_ of the staff member (or user) acting */
	const char	*target_id;	/* usr_ of the user concerned */
	const char	*event_type;
	const char	*from, *to;
	int		 ascending;	/* oldest first; else newest first */
	const char	*limit, *offset;
};

enum err	audit_search(struct ctx *, const struct audit_query *,
		    PGresult **rows, long long *total);
/* A row as the API shows it (spec §11.3's audit trail fields). */
struct json_object *audit_row_json(PGresult *, int row);
/* The header and every row of res as CSV. */
void		audit_rows_csv(struct buf *, PGresult *);

struct audit_check {
	long long	 checked;	/* rows in the range */
	const char	*first_id, *last_id;	/* aud_ of the first and last checked */
	const char	*broken_id;	/* aud_ of the first broken link, or NULL */
	const char	*broken_at;	/* its createdAt */
	const char	*problem;	/* PREV_HASH_MISMATCH or HASH_MISMATCH */
};

/*
 * Recompute the chain over the rows written in [from, to) (either may be
 * NULL: the log's start or end): each row's hash from its content, and
 * its prev_hash against the row before it, the one before the range
 * included, so an altered, removed or inserted row is named.
 */
enum err	audit_chain_check(struct ctx *, const char *from,
		    const char *to, struct audit_check *);

#endif
