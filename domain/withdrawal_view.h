/* domain/withdrawal_view.h — a withdrawal as users see it: its columns, its JSON (Appendix C), the mail about its outcome */
#ifndef HZM_WITHDRAWAL_VIEW_H
#define HZM_WITHDRAWAL_VIEW_H

#include <libpq-fe.h>

#include "core/db.h"

struct ctx;
struct json_object;

/* The columns withdrawal_json reads, from withdrawals w (and its asset). */
#define WD_COLS \
	"SELECT w.public_id, w.asset, w.network, trunc(w.amount, a.precision)::text," \
	" trunc(w.fee, a.precision)::text, w.address, w.memo, w.status, w.tx_hash," \
	" greatest(w.confirmations, 0), w.required_confirmations," \
	" " DB_ISO("w.created_at") ", " DB_ISO("w.completed_at") "," \
	" " DB_ISO("w.updated_at") ", w.reject_reason, w.failure_reason" \
	" FROM withdrawals w JOIN assets a ON a.code = w.asset"
enum {
	WD_C_ID, WD_C_ASSET, WD_C_NETWORK, WD_C_AMOUNT, WD_C_FEE, WD_C_ADDRESS,
	WD_C_MEMO, WD_C_STATUS, WD_C_TX, WD_C_CONF, WD_C_REQUIRED, WD_C_CREATED,
	WD_C_COMPLETED, WD_C_UPDATED, WD_C_REJECTED, WD_C_FAILED, WD_C__COUNT
};

/* Row i of WD_COLS as the API shows a withdrawal. */
struct json_object *withdrawal_json(PGresult *, int row);

/*
 * Mail the owner of withdrawal id (public) what became of it: sent (with
 * its transaction), completed, rejected (the reason) or failed. Call once
 * that is committed; other statuses mail nothing.
 */
void		 withdrawal_notify(struct ctx *, const char *id);

#endif
