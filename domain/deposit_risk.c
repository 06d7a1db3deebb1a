/* domain/deposit_risk.c — large deposits scored by the rules engine as they are credited, and an alert when the score calls for one */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/ctx.h"
#include "core/db.h"
#include "core/decimal.h"
#include "core/http.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/deposit_risk.h"
#include "domain/risk.h"

/* A DEPOSIT ledger row's worth in TRY. */
#define DEP_WORTH	"(l.delta_available * coalesce(asset_price_try(l.asset), 0))"
/* The user's DEPOSIT rows: $2 excluded, and those in the window of $3 hours. */
#define DEP_ROWS	" FROM ledger l WHERE l.user_id = u.id AND l.kind = 'DEPOSIT'"
#define DEP_WINDOW	" AND l.created_at > now() - make_interval(hours => $3::int)"

enum { ST_FACTS, ST__COUNT };

static const struct stmt stmts[] = {
	[ST_FACTS] = { "deposit_risk_facts",
	  "SELECT round($4::numeric * asset_price_try($5), 2)::text,"
	  " floor(extract(epoch FROM now() - u.created_at) / 86400)::bigint,"
	  " (SELECT count(*)" DEP_ROWS " AND l.ref <> $2),"
	  " (SELECT round(coalesce(max(" DEP_WORTH "), 0), 2)::text" DEP_ROWS
	  "  AND l.ref <> $2),"
	  " (SELECT count(*)" DEP_ROWS " AND l.ref <> $2" DEP_WINDOW "),"
	  " (SELECT round(coalesce(sum(" DEP_WORTH "), 0), 2)::text" DEP_ROWS
	  "  AND l.ref <> $2" DEP_WINDOW "),"
	  " withdrawal_used_try(u.id, now() - make_interval(hours => $3::int))::text,"
	  " (SELECT count(*)" DEP_ROWS DEP_WINDOW " AND " DEP_WORTH " >= $6::numeric"
	  "  AND " DEP_WORTH " < $7::numeric),"
	  " (SELECT count(*) FROM compliance_alerts a WHERE a.user_id = u.id"
	  "  AND a.severity IN ('HIGH', 'CRITICAL')"
	  "  AND a.resolution IN ('NEW', 'UNDER_REVIEW', 'ESCALATED'))"
	  " FROM users u WHERE u.id = $1", 7 },
};
_Static_assert(nitems(stmts) == ST__COUNT, "deposit_risk statements");

static int
try_at(const char *s, int64_t *v)
{
	return s != NULL && dec_parse(s, strlen(s), RISK_TRY_SCALE, v) ==
	    DEC_OK ? 0 : -1;
}

/* The facts; *priced 0 when the asset has no TRY price. */
static enum err
facts_load(struct ctx *c, const struct risk_rules *r,
    const struct deposit_risk_in *in, struct risk_deposit_facts *f,
    int *priced)
{
	char hours[16], lo[DEC_BUFSZ], hi[DEC_BUFSZ];
	const char *p[7] = { in->user_id, in->ledger_ref, hours, in->amount,
	    in->asset, lo, hi };
	PGresult *res;
	enum err e;

	snprintf(hours, sizeof(hours), "%ld", r->deposit_hours);
	if (dec_format(r->deposit_review_try * r->deposit_near_pct / 100,
	    RISK_TRY_SCALE, lo, sizeof(lo)) < 0 ||
	    dec_format(r->deposit_review_try, RISK_TRY_SCALE, hi, sizeof(hi)) < 0)
		return ERR_INTERNAL;
	if ((e = db_query(c->db, c->arena, &stmts[ST_FACTS], p, &res)) != ERR_OK)
		return e;
	if (PQntuples(res) != 1)
		return ERR_NOT_FOUND;
	memset(f, 0, sizeof(*f));
	*priced = db_val(res, 0, 0) != NULL;
	if (!*priced)
		return ERR_OK;
	f->account_age_days = util_long(db_val(res, 0, 1), 0);
	f->prior_deposits = util_long(db_val(res, 0, 2), 0);
	f->window_deposits = util_long(db_val(res, 0, 4), 0);
	f->near_deposits = util_long(db_val(res, 0, 7), 0);
	f->open_alerts = util_long(db_val(res, 0, 8), 0);
	if (try_at(db_val(res, 0, 0), &f->value) == -1 ||
	    try_at(db_val(res, 0, 3), &f->largest_prior) == -1 ||
	    try_at(db_val(res, 0, 5), &f->window_in) == -1 ||
	    try_at(db_val(res, 0, 6), &f->window_out) == -1)
		return ERR_INTERNAL;
	return ERR_OK;
}

/* The alert's details: the deposit, its worth, the factors. */
static struct json_object *
alert_details(struct ctx *c, const struct risk_rules *r,
    const struct deposit_risk_in *in, const struct risk_deposit_facts *f,
    const struct risk_result *res)
{
	char v[DEC_BUFSZ], t[DEC_BUFSZ];
	struct json_object *d;

	if ((d = json_own(c->arena, json_object_new_object())) == NULL ||
	    dec_format(f->value, RISK_TRY_SCALE, v, sizeof(v)) < 0 ||
	    dec_format(r->deposit_review_try, RISK_TRY_SCALE, t, sizeof(t)) < 0)
		return NULL;
	json_object_object_add(d, "depositId",
	    json_object_new_string(in->deposit_id));
	json_object_object_add(d, "asset", json_object_new_string(in->asset));
	json_object_object_add(d, "amount", json_object_new_string(in->amount));
	json_object_object_add(d, "valueTry", json_object_new_string(v));
	json_object_object_add(d, "reviewThresholdTry", json_object_new_string(t));
	json_object_object_add(d, "riskScore", json_object_new_int(res->score));
	json_object_object_add(d, "factors", risk_factors_json(res));
	return d;
}

enum err
deposit_risk_check(struct ctx *c, const struct deposit_risk_in *in,
    char alert[ALERT_ID_LEN + 1])
{
	struct risk_deposit_facts f;
	struct risk_result res;
	struct risk_rules r;
	struct alert_in al;
	enum err e;
	int priced, created;

	alert[0] = '\0';
	risk_load_rules(&r);
	if ((e = facts_load(c, &r, in, &f, &priced)) != ERR_OK)
		return e;
	if (!priced || !risk_deposit_scored(&r, f.value))
		return ERR_OK;
	risk_score_deposit(&r, &f, &res);
	log_info("deposit %s: risk %d (%s)", in->deposit_id, res.score,
	    res.severity);
	if (res.score < r.score_medium)
		return ERR_OK;
	memset(&al, 0, sizeof(al));
	al.user_id = in->user_id;
	al.severity = res.severity;
	al.type = risk_alert_type(&res);
	al.risk_score = res.score;
	al.subject = in->subject;
	if ((al.details = alert_details(c, &r, in, &f, &res)) == NULL)
		return ERR_INTERNAL;
	return compliance_alert_raise(c, &al, alert, &created);
}
