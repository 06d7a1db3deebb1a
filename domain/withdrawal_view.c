/* domain/withdrawal_view.c — a withdrawal as users see it: its columns, its JSON (Appendix C), the mail about its outcome */
#include <string.h>

#include <json-c/json.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/notify.h"
#include "domain/withdrawal_view.h"

enum { ST_MAIL, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_MAIL] = { "wd_view_mail",
	  "SELECT u.email, w.public_id, w.asset, w.network,"
	  " trunc(w.amount, a.precision)::text, trunc(w.fee, a.precision)::text,"
	  " w.address, w.status, coalesce(w.tx_hash, ''),"
	  " coalesce(w.reject_reason, w.failure_reason, '')"
	  " FROM withdrawals w JOIN users u ON u.id = w.user_id"
	  " JOIN assets a ON a.code = w.asset WHERE w.public_id = $1", 1 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "withdrawal view statements");

struct json_object *
withdrawal_json(PGresult *res, int i)
{
	struct json_object *o = json_object_new_object();
	const char *st = db_val(res, i, WD_C_STATUS);

	json_object_object_add(o, "withdrawalId", json_str_or_null(db_val(res, i, WD_C_ID)));
	json_object_object_add(o, "asset", json_str_or_null(db_val(res, i, WD_C_ASSET)));
	json_object_object_add(o, "network", json_str_or_null(db_val(res, i, WD_C_NETWORK)));
	json_object_object_add(o, "amount", json_str_or_null(db_val(res, i, WD_C_AMOUNT)));
	json_object_object_add(o, "fee", json_str_or_null(db_val(res, i, WD_C_FEE)));
	json_object_object_add(o, "address", json_str_or_null(db_val(res, i, WD_C_ADDRESS)));
	json_object_object_add(o, "memo", json_str_or_null(db_val(res, i, WD_C_MEMO)));
	json_object_object_add(o, "status", json_str_or_null(st));
	json_object_object_add(o, "txHash", json_str_or_null(db_val(res, i, WD_C_TX)));
	json_object_object_add(o, "confirmations",
	    json_object_new_int((int)util_long(db_val(res, i, WD_C_CONF), 0)));
	json_object_object_add(o, "requiredConfirmations",
	    json_object_new_int((int)util_long(db_val(res, i, WD_C_REQUIRED), 0)));
	json_object_object_add(o, "createdAt", json_str_or_null(db_val(res, i, WD_C_CREATED)));
	json_object_object_add(o, "completedAt", json_str_or_null(db_val(res, i, WD_C_COMPLETED)));
	json_object_object_add(o, "updatedAt", json_str_or_null(db_val(res, i, WD_C_UPDATED)));
	if (st != NULL && strcmp(st, "REJECTED") == 0)
		json_object_object_add(o, "rejectedReason",
		    json_str_or_null(db_val(res, i, WD_C_REJECTED)));
	if (st != NULL && strcmp(st, "FAILED") == 0)
		json_object_object_add(o, "failureReason",
		    json_str_or_null(db_val(res, i, WD_C_FAILED)));
	return o;
}

void
withdrawal_notify(struct ctx *c, const char *id)
{
	const char *p[1] = { id }, *st, *tmpl;
	PGresult *res;

	if (db_query(c->db, c->arena, &stmts[ST_MAIL], p, &res) != ERR_OK ||
	    PQntuples(res) != 1) {
		log_error("withdrawal: %s: no mail (not found)", id);
		return;
	}
	st = db_val(res, 0, 7);
	if (strcmp(st, "PROCESSING") == 0)
		tmpl = "withdrawal_sent";
	else if (strcmp(st, "COMPLETED") == 0)
		tmpl = "withdrawal_completed";
	else if (strcmp(st, "REJECTED") == 0)
		tmpl = "withdrawal_rejected";
	else if (strcmp(st, "FAILED") == 0)
		tmpl = "withdrawal_failed";
	else
		return;
	{
		struct kv vars[] = {
			{ "email", db_val(res, 0, 0) },
			{ "withdrawalId", db_val(res, 0, 1) },
			{ "asset", db_val(res, 0, 2) },
			{ "network", db_val(res, 0, 3) },
			{ "amount", db_val(res, 0, 4) },
			{ "fee", db_val(res, 0, 5) },
			{ "address", db_val(res, 0, 6) },
			{ "txHash", db_val(res, 0, 8) },
			{ "reason", db_val(res, 0, 9) },
		};

		notify_mail(c, db_val(res, 0, 0), tmpl, vars, nitems(vars));
	}
}
