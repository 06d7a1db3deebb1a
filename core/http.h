/* core/http.h — one request in, one response out: parsing, the envelope, rendering */
#ifndef HZM_HTTP_H
#define HZM_HTTP_H

#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "core/err.h"

#define REQ_MAXPARAMS	8	/* {params} in one route pattern */
#define REQ_MAXQUERY	4096	/* bytes of query string */
#define REQ_MAXQS	64	/* query parameters */
#define REQ_JSON_DEPTH	32
#define REQ_JSON_PATH	128	/* bytes of a duplicate key's path in an error */
#define RESP_MAXHDRS	16

struct arena;
struct db;
struct in_val;
struct route;

struct kv {
	const char	*key;
	const char	*val;
};

struct req {
	struct arena		*arena;
	char			**envp;		/* FastCGI params, "NAME=value" */
	const char		*method;
	const char		*path;		/* REQUEST_URI up to '?' */
	const char		*query;		/* after '?', raw; "" if none */
	struct kv		*qs;		/* decoded query parameters */
	size_t			 nqs;
	struct kv		 params[REQ_MAXPARAMS];	/* route {params}, decoded */
	size_t			 nparams;
	char			*body;
	size_t			 bodylen;
	struct json_object	*json;		/* parsed body, always an object */
	struct in_val		*in;		/* its declared fields, checked (route's fields) */
	const char		*remote_addr;
	char			 request_id[65];
	char			 trace_id[33];
	struct timespec		 now;		/* wall clock at arrival */
	struct timespec		 mono;		/* for durations */
	struct db		*db;
	const struct route	*route;
	struct user		*user;		/* the authenticated caller, or NULL */
	const char		*auth_why;	/* why authentication failed, for the client */
	long			 auth_retry_after;	/* and when to try again, seconds */
	struct after		*after;		/* work for once the answer is out (app_after) */
	struct idem		*idem;		/* its X-Idempotency-Key in hand, or NULL */
};

struct resp {
	struct arena		*arena;
	int			 status;
	enum err		 err;		/* ERR_OK: success envelope */
	const char		*message;	/* overrides the table's message */
	struct json_object	*details;
	struct json_object	*data;
	struct json_object	*meta;
	struct json_object	*links;
	struct json_object	*top;		/* members beside data (§4.3's totals) */
	struct kv		 hdrs[RESP_MAXHDRS];
	size_t			 nhdrs;
	const char		*ctype;		/* raw body instead of envelope */
	const char		*raw;
	size_t			 rawlen;
	int			 head;		/* HEAD: headers only */
};

void		 req_init(struct req *, struct arena *, char **envp);
const char	*req_env(const struct req *, const char *name);
const char	*req_header(const struct req *, const char *name);
/*
 * id as the request's id (echoed as requestId) when it is a token of up
 * to 64 characters [A-Za-z0-9._:-]; -1, and the id unchanged, if not.
 */
int		 req_request_id(struct req *, const char *id);
/* The credential of "Authorization: Bearer <credential>", or NULL. */
const char	*req_bearer(const struct req *);
const char	*req_query(const struct req *, const char *name);
const char	*req_param(const struct req *, const char *name);
enum err	 req_parse_query(struct req *, const char *query);
enum err	 req_parse_json(struct req *, const char *ctype, char **detail,
		    const char **field);
int		 req_pct_decode(struct arena *, const char *, size_t, int plus,
		    char **out);

void		 resp_init(struct resp *, struct arena *);
int		 resp_ok(struct resp *, int status, struct json_object *data);
int		 resp_list(struct resp *, struct json_object *data,
		    struct json_object *meta, struct json_object *links);
int		 resp_error(struct resp *, enum err, const char *message);
/*
 * A member of a success envelope beside data, meta and links (spec §4.3
 * puts totalValueInTRY there); it never replaces those. Takes v.
 */
int		 resp_beside(struct resp *, const char *name, struct json_object *v);
int		 resp_error_details(struct resp *, enum err, const char *message,
		    struct json_object *details);
int		 resp_header(struct resp *, const char *name, const char *val);
char		*resp_render(const struct req *, struct resp *, size_t *len);
int		 resp_freeze(const struct req *, struct resp *);

struct json_object *json_own(struct arena *, struct json_object *);
/* A string, or JSON null for NULL (a database NULL). */
struct json_object *json_str_or_null(const char *);
/* "a,b,c" as ["a","b","c"]; NULL or "" as []. */
struct json_object *json_csv_array(const char *);

#endif
