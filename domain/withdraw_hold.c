/* domain/withdraw_hold.c — whether an account may withdraw now: the security holds and a compliance hold, for crypto and TRY alike */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/util.h"
#include "domain/withdraw_hold.h"

static const struct stmt stmts[] = {
	{ "withdraw_hold",
	  "SELECT"
	  " CASE WHEN u.password_changed_at > u.created_at AND"
	  "  u.password_changed_at > now() - make_interval(hours => $2::int)"
	  "  THEN " DB_ISO("(u.password_changed_at + make_interval(hours => $2::int))")
	  " END,"
	  " CASE WHEN u.twofa_disabled_at > now() - make_interval(hours => $2::int)"
	  "  THEN " DB_ISO("(u.twofa_disabled_at + make_interval(hours => $2::int))")
	  " END,"
	  " EXISTS (SELECT 1 FROM withdrawal_holds h WHERE h.user_id = u.id"
	  "  AND h.released_at IS NULL)"
	  " FROM users u WHERE u.id = $1", 2 },
};

enum err
withdraw_hold_check(struct ctx *c, const char *user_id, struct withdraw_hold *h)
{
	char hours[24];
	const char *p[2] = { user_id, hours };
	PGresult *res;
	enum err e;
	int col;

	memset(h, 0, sizeof(*h));
	snprintf(hours, sizeof(hours), "%lld",
	    cfg_int("withdraw_security_hold_hours", WITHDRAW_HOLD_HOURS));
	if ((e = db_query(c->db, c->arena, &stmts[0], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_INTERNAL;
	for (col = 0; col < 2; col++)
		if (db_val(res, 0, col) != NULL) {
			h->kind = col == 0 ? "PASSWORD_CHANGED" : "TWO_FACTOR_DISABLED";
			snprintf(h->until, sizeof(h->until), "%s", db_val(res, 0, col));
			return ERR_FORBIDDEN;
		}
	return strcmp(db_val(res, 0, 2), "t") == 0 ? ERR_COMPLIANCE_001 : ERR_OK;
}
