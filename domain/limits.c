/* domain/limits.c — limits as the API shows them (Appendix C): each limit with what is used of it */
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/valid.h"
#include "domain/limits.h"

static struct json_object *
limit_json(const char *limit, struct json_object *used, const char *currency)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "limit", json_object_new_string(limit));
	json_object_object_add(o, "used", used != NULL &&
	    json_object_is_type(used, json_type_string) ? json_object_get(used) :
	    json_object_new_string("0.00"));
	json_object_object_add(o, "currency", json_object_new_string(currency));
	return o;
}

struct json_object *
limits_json(PGresult *res, int col)
{
	struct json_object *l = json_object_new_object(), *x, *own = NULL,
	    *day = NULL, *month = NULL, *trading = NULL;
	const char *cur = db_val(res, 0, col + 3);

	/* The fifth column: {own, dailyUsed, monthlyUsed, tradingUsed}. */
	x = db_val(res, 0, col + 4) != NULL ?
	    json_tokener_parse(db_val(res, 0, col + 4)) : NULL;
	if (x != NULL && json_object_is_type(x, json_type_object)) {
		json_object_object_get_ex(x, "own", &own);
		json_object_object_get_ex(x, "dailyUsed", &day);
		json_object_object_get_ex(x, "monthlyUsed", &month);
		json_object_object_get_ex(x, "tradingUsed", &trading);
	}
	json_object_object_add(l, "dailyWithdrawal",
	    limit_json(db_val(res, 0, col), day, cur));
	json_object_object_add(l, "monthlyWithdrawal",
	    limit_json(db_val(res, 0, col + 1), month, cur));
	/* Appendix C's decimal string, and beside it what today used of it. */
	json_object_object_add(l, "dailyTrading",
	    json_object_new_string(db_val(res, 0, col + 2)));
	json_object_object_add(l, "dailyTradingUsed", trading != NULL &&
	    json_object_is_type(trading, json_type_string) ?
	    json_object_get(trading) : json_object_new_string("0.00"));
	json_object_object_add(l, "source", json_object_new_string(
	    own != NULL && json_object_get_boolean(own) ? "USER" : "KYC_LEVEL"));
	json_object_put(x);
	return l;
}

int
limit_amount_read(struct json_object *v, time_t now, int64_t *out,
    const char **why)
{
	struct json_object *x;
	const char *s = NULL;

	if (v != NULL && json_object_is_type(v, json_type_object)) {
		if (json_object_object_get_ex(v, "currency", &x) &&
		    (!json_object_is_type(x, json_type_string) ||
		    strcmp(json_object_get_string(x), "TRY") != 0)) {
			*why = "limits are in TRY: currency must be TRY";
			return -1;
		}
		v = json_object_object_get_ex(v, "limit", &x) ? x : NULL;
	}
	if (v != NULL && json_object_is_type(v, json_type_string))
		s = json_object_get_string(v);
	if (s == NULL || strlen(s) > 32) {
		*why = "must be a TRY amount as a string (\"100000.00\"), or"
		    " {\"limit\": \"100000.00\", \"currency\": \"TRY\"}";
		return -1;
	}
	return (*why = valid_try_amount(s, now, out)) != NULL ? -1 : 0;
}
