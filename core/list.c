/* core/list.c — list endpoints: paging parameters, unknown-parameter checks, meta and links */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/input.h"
#include "core/list.h"
#include "core/util.h"

int
list_oneof(const char *s, const char *const *set)
{
	for (; *set != NULL; set++)
		if (strcmp(s, *set) == 0)
			return 1;
	return 0;
}

int
list_sort_parse(struct arena *a, const char *s, const char *const *fields,
    const char *fields_why, const char **keys, size_t nslots,
    const char **canon, struct in_err *ie)
{
	size_t nk = 0, n, i;
	const char *c = "";
	char *name, sign;

	ie->field = "sort";
	ie->reason = NULL;
	for (i = 0; i < nslots; i++)
		keys[i] = NULL;
	for (;;) {
		sign = '+';
		n = strcspn(s, ",");
		if (n > 0 && (s[0] == '+' || s[0] == '-' || s[0] == ' ')) {
			sign = s[0] == '-' ? '-' : '+';
			s++;
			n--;
		}
		if ((name = arena_strndup(a, s, n)) == NULL)
			return -1;
		if (!list_oneof(name, fields)) {
			ie->reason = fields_why;
			return -1;
		}
		for (i = 0; i < nk; i++)
			if (strcmp(keys[i] + 1, name) == 0)
				break;
		if (i < nk) {
			ie->reason = "a field is given more than once";
			return -1;
		}
		if (nk == nslots) {
			ie->reason = arena_printf(a, "at most %zu sort fields",
			    nslots);
			return -1;
		}
		if ((keys[nk] = arena_printf(a, "%c%s", sign, name)) == NULL ||
		    (c = arena_printf(a, "%s%s%s", c, nk > 0 ? "," : "",
		    keys[nk])) == NULL)
			return -1;
		nk++;
		s += n;
		if (*s == '\0')
			break;
		s++;
	}
	*canon = c;
	return 0;
}

/* A whole number 1..max written plainly ("007" and "+7" are refused). */
static int
posint(const char *s, long max, long *out)
{
	long v = 0;
	size_t i;

	if (s == NULL || s[0] < '1' || s[0] > '9' || strlen(s) > 9)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/* A parameter's name without filter_: the one name both spellings share. */
static const char *
param_base(const char *key)
{
	return strncmp(key, "filter_", 7) == 0 ? key + 7 : key;
}

/* key is a known filter's name without its filter_ (§11.3 asks ?userId=). */
static int
bare_filter(const char *key, const char *const *known)
{
	size_t i;

	for (i = 0; known[i] != NULL; i++)
		if (known[i] != param_base(known[i]) &&
		    strcmp(param_base(known[i]), key) == 0)
			return 1;
	return 0;
}

int
list_query_check(const struct req *r, const char *const *known, struct in_err *ie)
{
	size_t i, j;

	for (i = 0; i < r->nqs; i++) {
		const char *k = r->qs[i].key;

		if (!list_oneof(k, known) && !bare_filter(k, known)) {
			ie->field = k;
			ie->reason = "unknown query parameter";
			return -1;
		}
		for (j = 0; j < i; j++)
			if (strcmp(param_base(k), param_base(r->qs[j].key)) == 0) {
				ie->field = k;
				ie->reason = "given more than once";
				return -1;
			}
	}
	return 0;
}

const char *
list_filter_value(const struct req *r, const char *name)
{
	const char *v = req_query(r, name);

	if (v == NULL && param_base(name) != name)
		v = req_query(r, param_base(name));
	return v;
}

int
list_page_parse(const struct req *r, struct list_page *pg, struct in_err *ie)
{
	const char *s;

	pg->page = 1;
	pg->size = LIST_PAGE_SIZE_DEFAULT;
	if ((s = req_query(r, "page")) != NULL && posint(s, LIST_PAGE_MAX, &pg->page) == -1) {
		ie->field = "page";
		ie->reason = "must be a whole number from 1 to 1000000";
		return -1;
	}
	if ((s = req_query(r, "pageSize")) != NULL &&
	    posint(s, LIST_PAGE_SIZE_MAX, &pg->size) == -1) {
		ie->field = "pageSize";
		ie->reason = "must be a whole number from 1 to 500";
		return -1;
	}
	snprintf(pg->limit, sizeof(pg->limit), "%ld", pg->size);
	snprintf(pg->offset, sizeof(pg->offset), "%lld",
	    (long long)(pg->page - 1) * pg->size);
	return 0;
}

/* RFC 3986 unreserved characters pass, everything else is %XX. */
static char *
pct_encode(struct arena *a, const char *s)
{
	static const char hx[] = "0123456789ABCDEF";
	char *out, *o;

	if ((out = arena_alloc(a, 3 * strlen(s) + 1)) == NULL)
		return NULL;
	for (o = out; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hx[c >> 4];
			*o++ = hx[c & 15];
		}
	}
	*o = '\0';
	return out;
}

const char *
list_qs_add(struct arena *a, const char *qs, const char *key, const char *val)
{
	char *v;

	if (qs == NULL || val == NULL)
		return qs;
	if ((v = pct_encode(a, val)) == NULL)
		return NULL;
	return arena_printf(a, "%s&%s=%s", qs, key, v);
}

static struct json_object *
page_link(struct req *r, const char *base, long page, long size,
    const char *rest)
{
	char *s = arena_printf(r->arena, "%s?page=%ld&pageSize=%ld%s", base,
	    page, size, rest != NULL ? rest : "");

	return s != NULL ? json_object_new_string(s) : NULL;
}

int
list_answer(struct req *r, struct resp *w, struct json_object *data,
    const struct list_page *pg, long long total, const char *rest)
{
	struct json_object *meta, *links;
	long long pages = (total + pg->size - 1) / pg->size;
	long last = pages > 0 ? (long)pages : 1;
	const char *base = r->path;

	/* rest is NULL when building it ran out of memory. */
	if (rest == NULL) {
		json_object_put(data);
		return resp_error(w, ERR_INTERNAL, NULL);
	}
	meta = json_object_new_object();
	json_object_object_add(meta, "page", json_object_new_int64(pg->page));
	json_object_object_add(meta, "pageSize", json_object_new_int64(pg->size));
	json_object_object_add(meta, "totalCount", json_object_new_int64(total));
	json_object_object_add(meta, "totalPages", json_object_new_int64(pages));
	json_object_object_add(meta, "hasNext",
	    json_object_new_boolean(pg->page < pages));
	json_object_object_add(meta, "hasPrevious",
	    json_object_new_boolean(pg->page > 1));
	links = json_object_new_object();
	json_object_object_add(links, "self",
	    page_link(r, base, pg->page, pg->size, rest));
	json_object_object_add(links, "next", pg->page < pages ?
	    page_link(r, base, pg->page + 1, pg->size, rest) : NULL);
	/* Past the end, "previous" is the last page that has rows. */
	json_object_object_add(links, "previous", pg->page > 1 ?
	    page_link(r, base, pg->page - 1 < last ? pg->page - 1 : last,
	    pg->size, rest) : NULL);
	json_object_object_add(links, "last",
	    page_link(r, base, last, pg->size, rest));
	return resp_list(w, data, meta, links);
}

/* s names the sort full ("+createdAt", "-riskScore"), ascending ones also bare or after ' '. */
static int
sort_same(const char *s, const char *full)
{
	if (strcmp(s, full) == 0)
		return 1;
	if (full[0] != '+')
		return 0;
	return strcmp(s + (s[0] == ' '), full + 1) == 0;
}

int
list_read(const struct req *r, const struct list_spec *spec,
    struct list_query *q, struct in_err *ie)
{
	const char *known[LIST_MAXFILTERS + 4], *s;
	const struct list_filter *f;
	size_t i, n = 0;

	memset(q, 0, sizeof(*q));
	known[n++] = "page";
	known[n++] = "pageSize";
	if (spec->sorts != NULL)
		known[n++] = "sort";
	for (f = spec->filters; f != NULL && f->name != NULL &&
	    n < nitems(known) - 1; f++)
		known[n++] = f->name;
	known[n] = NULL;
	if (list_query_check(r, known, ie) == -1 ||
	    list_page_parse(r, &q->pg, ie) == -1)
		return -1;
	for (i = 0, f = spec->filters; f != NULL && f->name != NULL &&
	    i < LIST_MAXFILTERS; i++, f++) {
		if ((s = list_filter_value(r, f->name)) == NULL)
			continue;
		if ((f->oneof != NULL && !list_oneof(s, f->oneof)) ||
		    (f->valid != NULL && !f->valid(s))) {
			ie->field = f->name;
			ie->reason = f->why;
			return -1;
		}
		q->filter[i] = s;
	}
	if (spec->sorts == NULL || (s = req_query(r, "sort")) == NULL)
		return 0;
	for (i = 0; spec->sorts[i] != NULL; i++)
		if (sort_same(s, spec->sorts[i])) {
			q->sort = spec->sorts[i];
			return 0;
		}
	ie->field = "sort";
	ie->reason = spec->sort_why;
	return -1;
}

const char *
list_rest(struct arena *a, const struct list_spec *spec,
    const struct list_query *q)
{
	const struct list_filter *f;
	const char *rest = "";
	size_t i;

	for (i = 0, f = spec->filters; f != NULL && f->name != NULL &&
	    i < LIST_MAXFILTERS; i++, f++)
		rest = list_qs_add(a, rest, f->name, q->filter[i]);
	return list_qs_add(a, rest, "sort", q->sort);
}

int
list_answer_rows(struct req *r, struct resp *w, const struct list_spec *spec,
    const struct list_query *q, PGresult *res, long long total,
    list_row_fn row)
{
	struct json_object *data = json_object_new_array();
	int i;

	for (i = 0; i < PQntuples(res); i++)
		json_object_array_add(data, row(res, i));
	return list_answer(r, w, data, &q->pg, total, list_rest(r->arena, spec, q));
}
