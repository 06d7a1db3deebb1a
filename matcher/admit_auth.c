/* matcher/admit_auth.c — the standing of a batch's socket orders' users, for orders whose handler left it to the batch (AUTH_USER_BATCHED): checked in admit_take()'s round trip */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "domain/orders.h"
#include "domain/users.h"
#include "matcher/admit_auth.h"
#include "core/pgarr.h"

/*
 * The checks domain/auth.c makes of a bearer token's user, for many at
 * once: the rows returned are the orders (0-based, in the arrays) that
 * pass. A session seen within the minute is left alone, as are sessions
 * another transaction holds (a batch never waits for a row it only
 * notes).
 */
const struct stmt admit_auth_stmts[] = {
	{ "admit_auth",
	  "WITH k AS (SELECT * FROM unnest($1::bigint[], $2::text[],"
	  "  $3::uuid[], $4::bigint[]) WITH ORDINALITY AS k (uid, jti, sid,"
	  "  iat, i)),"
	  " seen AS (UPDATE sessions s SET last_seen_at = now(),"
	  "  ip = coalesce(a.ip, s.ip)"
	  "  FROM (SELECT DISTINCT ON (sid) sid, ip"
	  "   FROM unnest($3::uuid[], $5::text[]) AS a (sid, ip)"
	  "   WHERE sid IS NOT NULL) a"
	  "  WHERE s.family = a.sid AND s.family IN (SELECT family FROM sessions"
	  "   WHERE family = ANY ($3::uuid[])"
	  "   AND last_seen_at < now() - interval '1 minute'"
	  "   FOR UPDATE SKIP LOCKED))"
	  " SELECT k.i - 1 FROM k JOIN users u ON u.id = k.uid"
	  " WHERE u.status IN " USER_USABLE_SQL
	  " AND u.kyc_level >= $6::int"
	  " AND coalesce(floor(extract(epoch FROM u.password_changed_at))"
	  "  <= k.iat, true)"
	  " AND NOT EXISTS (SELECT 1 FROM revoked_access_tokens r"
	  "  WHERE r.jti = k.jti)"
	  " AND NOT EXISTS (SELECT 1 FROM refresh_tokens t"
	  "  WHERE t.family = k.sid AND t.revoked_at IS NOT NULL)", 6 },
};
const size_t admit_auth_nstmts = nitems(admit_auth_stmts);

enum err
admit_auth_queue(struct db *db, struct arena *a, const struct direct *d,
    size_t n, struct admit_auth *aa)
{
	struct pgarr u = { 0 }, j = { 0 }, s = { 0 }, t = { 0 }, ip = { 0 };
	const char *p[6];
	char level[8];
	size_t i;

	memset(aa, 0, sizeof(*aa));
	if ((aa->at = arena_calloc(a, n + 1, sizeof(*aa->at))) == NULL ||
	    (aa->pass = arena_calloc(a, n + 1, 1)) == NULL)
		return ERR_INTERNAL;
	for (i = 0; i < n; i++) {
		if (d[i].jti[0] == '\0')
			continue;
		aa->at[aa->n++] = i;
		pgarr_int(&u, d[i].c.user_id);
		pgarr_str(&j, d[i].jti);
		pgarr_str(&s, d[i].sid[0] != '\0' ? d[i].sid : "NULL");
		pgarr_int(&t, d[i].iat);
		if (d[i].addr[0] != '\0')
			pgarr_quoted(&ip, d[i].addr);
		else
			pgarr_str(&ip, "NULL");
	}
	p[0] = pgarr_end(&u, a);
	p[1] = pgarr_end(&j, a);
	p[2] = pgarr_end(&s, a);
	p[3] = pgarr_end(&t, a);
	p[4] = pgarr_end(&ip, a);
	if (aa->n == 0)
		return ERR_OK;
	snprintf(level, sizeof(level), "%d", ORDER_KYC_LEVEL);
	if ((p[5] = arena_strdup(a, level)) == NULL || p[0] == NULL ||
	    p[1] == NULL || p[2] == NULL || p[3] == NULL || p[4] == NULL)
		return ERR_INTERNAL;
	db_pipe_add(db, &admit_auth_stmts[0], p, &aa->ok);
	return ERR_OK;
}

enum err
admit_auth_read(const struct admit_auth *aa, struct direct *d, size_t n)
{
	char *pass = aa->pass;
	size_t i;
	long k;
	int r;

	if (aa->n == 0)
		return ERR_OK;
	if (aa->ok == NULL || pass == NULL)
		return ERR_INTERNAL;
	for (r = 0; r < PQntuples(aa->ok); r++) {
		k = strtol(db_val(aa->ok, r, 0), NULL, 10);
		if (k >= 0 && (size_t)k < aa->n)
			pass[k] = 1;
	}
	for (i = 0; i < aa->n; i++)
		if (!pass[i] && aa->at[i] < n && d[aa->at[i]].state ==
		    DS_PENDING)
			d[aa->at[i]].state = DS_DENIED;
	return ERR_OK;
}
