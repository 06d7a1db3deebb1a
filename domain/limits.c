/* domain/limits.c — limits as the API shows them (Appendix C) */
#include <string.h>

#include <json-c/json.h>

#include "core/db.h"
#include "domain/limits.h"

static struct json_object *
limit_json(const char *limit, const char *currency)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "limit", json_object_new_string(limit));
	json_object_object_add(o, "currency", json_object_new_string(currency));
	return o;
}

struct json_object *
limits_json(PGresult *res, int col)
{
	struct json_object *l = json_object_new_object();
	const char *cur = db_val(res, 0, col + 3);

	json_object_object_add(l, "dailyWithdrawal",
	    limit_json(db_val(res, 0, col), cur));
	json_object_object_add(l, "monthlyWithdrawal",
	    limit_json(db_val(res, 0, col + 1), cur));
	json_object_object_add(l, "dailyTrading",
	    json_object_new_string(db_val(res, 0, col + 2)));
	json_object_object_add(l, "source", json_object_new_string(
	    strcmp(db_val(res, 0, col + 4), "t") == 0 ? "USER" : "KYC_LEVEL"));
	return l;
}
