/* tests/unit/test_list.c — lists declared once: known parameters, paging, filters by set or rule, sorts spelt any accepted way */
#include <string.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/input.h"
#include "core/list.h"
#include "core/log.h"
#include "tap.h"

static const char *const statuses[] = { "NEW", "DONE", NULL };

static int
upper(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'Z';
}

enum { F_STATUS, F_ASSET };
static const struct list_spec spec = {
	(const struct list_filter[]){
		[F_STATUS] = { "filter_status", statuses, NULL, "NEW or DONE" },
		[F_ASSET] = { "filter_asset", NULL, upper, "an asset code" },
		{ NULL } },
	(const char *const[]){ "-createdAt", "+createdAt", "-riskScore", NULL },
	"one of the sorts",
};

static int
read_qs(struct arena *a, const char *qs, struct list_query *q,
    struct in_err *ie)
{
	struct req r;

	req_init(&r, a, NULL);
	if (req_parse_query(&r, qs) != ERR_OK)
		return -2;
	return list_read(&r, &spec, q, ie);
}

int
main(void)
{
	struct arena *a = arena_new();
	struct list_query q;
	struct in_err ie;

	log_open("/dev/null", "test_list");
	is_int(read_qs(a, "", &q, &ie), 0, "no parameters");
	is_int(q.pg.page, 1, "page 1");
	is_int(q.pg.size, LIST_PAGE_SIZE_DEFAULT, "the default page size");
	ok(q.filter[F_STATUS] == NULL && q.sort == NULL, "no filter, no sort");
	is_str(list_rest(a, &spec, &q), "", "nothing for the links");

	is_int(read_qs(a, "filter_status=DONE&filter_asset=BTC&sort=-riskScore&page=2",
	    &q, &ie), 0, "filters and a sort");
	is_str(q.filter[F_STATUS], "DONE", "the status");
	is_str(q.filter[F_ASSET], "BTC", "the asset");
	is_str(q.sort, "-riskScore", "the sort");
	is_int(q.pg.page, 2, "page 2");
	is_str(list_rest(a, &spec, &q),
	    "&filter_status=DONE&filter_asset=BTC&sort=-riskScore",
	    "the links keep filters and sort, in the declared order");

	is_int(read_qs(a, "sort=createdAt", &q, &ie), 0, "a bare name");
	is_str(q.sort, "+createdAt", "is ascending");
	is_int(read_qs(a, "sort=+createdAt", &q, &ie), 0, "an unencoded +");
	is_str(q.sort, "+createdAt", "is ascending too");
	is_int(read_qs(a, "sort=%2BcreatedAt", &q, &ie), 0, "an encoded +");
	is_str(q.sort, "+createdAt", "as well");

	is_int(read_qs(a, "sort=riskScore", &q, &ie), -1, "an ascending sort not offered");
	is_str(ie.field, "sort", "names sort");
	is_str(ie.reason, "one of the sorts", "with the list's reason");
	is_int(read_qs(a, "filter_status=OPEN", &q, &ie), -1, "a value not in the set");
	is_str(ie.field, "filter_status", "names the filter");
	is_str(ie.reason, "NEW or DONE", "with its reason");
	is_int(read_qs(a, "filter_asset=btc", &q, &ie), -1, "a value the rule refuses");
	is_str(ie.reason, "an asset code", "with its reason");
	is_int(read_qs(a, "filter_colour=red", &q, &ie), -1, "an unknown parameter");
	is_str(ie.reason, "unknown query parameter", "is refused");
	is_int(read_qs(a, "filter_status=NEW&filter_status=DONE", &q, &ie), -1,
	    "a filter twice");
	is_str(ie.reason, "given more than once", "is refused");
	is_int(read_qs(a, "pageSize=501", &q, &ie), -1, "a page too large");
	is_str(ie.field, "pageSize", "names pageSize");
	/* A filter answers to its name without filter_ as well. */
	is_int(read_qs(a, "status=DONE&asset=BTC", &q, &ie), 0,
	    "filters by their bare names");
	is_str(q.filter[F_STATUS], "DONE", "  status");
	is_str(q.filter[F_ASSET], "BTC", "  asset");
	is_str(list_rest(a, &spec, &q), "&filter_status=DONE&filter_asset=BTC",
	    "  links spell them with filter_");
	is_int(read_qs(a, "status=OPEN", &q, &ie), -1, "a bare name's value is checked");
	is_str(ie.field, "filter_status", "  under the filter's name");
	is_int(read_qs(a, "status=DONE&filter_status=NEW", &q, &ie), -1,
	    "a filter by both names");
	is_str(ie.reason, "given more than once", "  is refused");
	is_int(read_qs(a, "colour=red", &q, &ie), -1, "a bare unknown name");
	is_str(ie.reason, "unknown query parameter", "  is refused");
	arena_free(a);
	return done_testing();
}
