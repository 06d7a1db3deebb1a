/* core/list.h — list endpoints (spec §2.5/§2.6): page, pageSize, known query parameters, meta and links */
#ifndef HZM_LIST_H
#define HZM_LIST_H

#include <stddef.h>

#include <libpq-fe.h>

struct arena;
struct json_object;
struct req;
struct resp;
struct in_err;

#define LIST_PAGE_SIZE_DEFAULT	50
#define LIST_PAGE_SIZE_MAX	500
#define LIST_PAGE_MAX		1000000

struct list_page {
	long	 page;
	long	 size;
	char	 limit[16], offset[24];	/* statement parameters */
};

/* s is one of the NULL-terminated set. */
int	list_oneof(const char *s, const char *const *set);

/*
 * Every query parameter must be one the list knows, and given once: a
 * misspelt filter silently ignored would show the wrong rows as the
 * right ones. A filter_ name may be given without its prefix ("status"
 * for "filter_status"), once under either name.
 */
int	list_query_check(const struct req *, const char *const *known,
	    struct in_err *);
/* The value of the filter name ("filter_status"), or of its bare name. */
const char *list_filter_value(const struct req *, const char *name);

/* page (1..LIST_PAGE_MAX) and pageSize (1..LIST_PAGE_SIZE_MAX). */
int	list_page_parse(const struct req *, struct list_page *, struct in_err *);

/*
 * sort=-createdAt,+price: fields of the set, each at most once and at
 * most nslots of them; a bare name is ascending, and so is " name" (how
 * an unencoded '+' arrives). keys[] gets "+name" or "-name" (NULL past
 * the last), *canon the same spelt fully. fields_why is the reason for an
 * unknown field; ie->reason stays NULL when the failure is not the
 * client's (no memory).
 */
int	list_sort_parse(struct arena *, const char *s, const char *const *fields,
	    const char *fields_why, const char **keys, size_t nslots,
	    const char **canon, struct in_err *);

/* Append &key=value (value percent-encoded) to qs; NULL qs stays NULL. */
const char *list_qs_add(struct arena *, const char *qs, const char *key,
	    const char *val);

/*
 * A list declared once (most lists): its filters, each checked against a
 * set or a rule, and the sorts it offers.
 */
#define LIST_MAXFILTERS	8

struct list_filter {
	const char		*name;		/* "filter_status" */
	const char *const	*oneof;		/* the values allowed, or NULL */
	int			(*valid)(const char *);	/* or a rule, or NULL: any */
	const char		*why;		/* the reason a refused value gets */
};

struct list_spec {
	const struct list_filter *filters;	/* { NULL }-terminated */
	const char *const	*sorts;		/* "+field" or "-field" offered, or NULL */
	const char		*sort_why;
};

struct list_query {
	struct list_page	 pg;
	const char		*filter[LIST_MAXFILTERS];	/* the spec's order; NULL: absent */
	const char		*sort;		/* spelt fully ("+createdAt"), or NULL */
};

/*
 * The query string against spec: known parameters only, each once, page
 * and pageSize, each filter, then sort ("createdAt" and " createdAt", an
 * unencoded '+', mean "+createdAt").
 */
int	list_read(const struct req *, const struct list_spec *,
	    struct list_query *, struct in_err *);
/*
 * The answer of a declared list: each row of res rendered by row, with
 * list_answer's meta and links (the filters and sort of q).
 */
typedef struct json_object *(*list_row_fn)(PGresult *, int row);
int	list_answer_rows(struct req *, struct resp *, const struct list_spec *,
	    const struct list_query *, PGresult *res, long long total,
	    list_row_fn row);
/* "&filter_...=...&sort=..." for list_answer's links, as list_qs_add builds it. */
const char *list_rest(struct arena *, const struct list_spec *,
	    const struct list_query *);

/*
 * The list envelope: meta with the counts, links that keep the filters
 * and sort (rest: "&filter_status=ACTIVE..." as built by list_qs_add;
 * NULL, from a failed list_qs_add, is answered as an internal error).
 */
int	list_answer(struct req *, struct resp *, struct json_object *data,
	    const struct list_page *, long long total, const char *rest);

#endif
