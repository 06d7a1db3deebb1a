/* tests/unit/fixture_http.h — what the request and response tests share: the arena, a fresh request, a rendered response read back */
#ifndef HZM_FIXTURE_HTTP_H
#define HZM_FIXTURE_HTTP_H

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/app.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct arena *A;		/* made by main, reset per request */

static inline void
fresh(struct req *r)
{
	arena_reset(A);
	req_init(r, A, NULL);
}

/* A rendered response, split at the blank line. */
struct out {
	char		*all;
	size_t		 len;
	char		*hdrs;		/* up to the blank line */
	const char	*body;
	size_t		 bodylen;
	struct json_object *json;	/* the body, parsed; owned by A */
};

static inline int
render(struct req *r, struct resp *w, struct out *o)
{
	char *sep;

	memset(o, 0, sizeof(*o));
	if ((o->all = resp_render(r, w, &o->len)) == NULL)
		return -1;
	if (strlen(o->all) != o->len ||
	    (sep = strstr(o->all, "\r\n\r\n")) == NULL)
		return -1;
	o->hdrs = arena_strndup(A, o->all, (size_t)(sep - o->all) + 2);
	o->body = sep + 4;
	o->bodylen = o->len - (size_t)(o->body - o->all);
	if (o->bodylen > 0)
		o->json = json_own(A, json_tokener_parse(o->body));
	return 0;
}

/* The value of header name, or NULL. */
static inline const char *
hdr(const struct out *o, const char *name)
{
	const char *p = o->hdrs, *eol;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		if ((eol = strstr(p, "\r\n")) == NULL)
			return NULL;
		if (strncmp(p, name, n) == 0 && p[n] == ':' && p[n + 1] == ' ')
			return arena_strndup(A, p + n + 2,
			    (size_t)(eol - p - n - 2));
		p = eol + 2;
	}
	return NULL;
}

/* The member at a dotted path as a string, "null" for JSON null. */
static inline const char *
jstr(struct json_object *o, const char *path)
{
	struct json_object *v = o;
	char key[64];
	const char *p = path, *dot;

	while (v != NULL && *p != '\0') {
		dot = strchr(p, '.');
		snprintf(key, sizeof(key), "%.*s",
		    (int)(dot ? (size_t)(dot - p) : strlen(p)), p);
		if (!json_object_object_get_ex(v, key, &v))
			return NULL;
		p = dot ? dot + 1 : p + strlen(p);
	}
	if (v == NULL)
		return "null";
	return json_object_get_string(v);
}

static inline struct json_object *
jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

#endif
