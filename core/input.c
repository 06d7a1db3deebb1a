/* core/input.c — a JSON body read against its declared fields: every value is checked before a handler uses it */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/input.h"
#include "core/util.h"

#define EMAIL_MIN	3
#define EMAIL_MAX	254
#define DIGITS_MAX	64

/* One reading: where values go, the clock, the first fault. */
struct rd {
	struct arena	*a;		/* NULL for in_string: nothing to allocate */
	time_t		 now;
	struct in_err	*e;
	enum err	 code;		/* answered for a fault here */
	int		 internal;	/* out of memory, or a fault of ours */
};

/* "a.b" inside objects; the name alone at the top. */
static const char *
path_join(struct rd *rd, const char *prefix, const char *name)
{
	const char *p;

	if (prefix == NULL)
		return name;
	if ((p = arena_printf(rd->a, "%s.%s", prefix, name)) == NULL)
		rd->internal = 1;
	return p;
}

/* A fault of field f (NULL: none declared) at prefix.name; its hint, if any, says why. */
static int
fault(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, const char *why)
{
	rd->e->field = path_join(rd, prefix, name);
	rd->e->reason = f != NULL && f->hint != NULL ? f->hint : why;
	return -1;
}

/* The member, or NULL when absent or null; *set: whether it was sent. */
static struct json_object *
member(struct json_object *o, const char *name, int *set)
{
	struct json_object *v = NULL;

	*set = o != NULL && json_object_object_get_ex(o, name, &v);
	return *set && !json_object_is_type(v, json_type_null) ? v : NULL;
}

/* A JSON string as C takes it: no NUL inside, min..max bytes, no control character. */
static int
string_read(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct json_object *j, size_t min, size_t max,
    struct in_val *v)
{
	const char *s = json_object_get_string(j);
	size_t len = (size_t)json_object_get_string_len(j), i;

	if (strlen(s) != len)
		return fault(rd, prefix, name, f, "must not contain NUL");
	if (len < min)
		return fault(rd, prefix, name, f, len == 0 ?
		    "must not be empty" : "too short");
	if (len > max)
		return fault(rd, prefix, name, f, "too long");
	if (!util_utf8_valid(s, len))
		return fault(rd, prefix, name, f, "must be valid UTF-8");
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fault(rd, prefix, name, f,
			    "must not contain control characters");
	v->s = s;
	v->len = len;
	return 0;
}

/* "one of A, B, C" */
static const char *
oneof_reason(struct rd *rd, const char *const *set)
{
	const char *s = "one of ";
	size_t i;

	for (i = 0; set[i] != NULL && s != NULL; i++)
		s = arena_printf(rd->a, "%s%s%s", s, i ? ", " : "", set[i]);
	if (s == NULL)
		rd->internal = 1;
	return s;
}

/* What every string type shares after its own checks: oneof, then the rule. */
static int
string_rules(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct in_val *v)
{
	const char *why;
	size_t i;

	if (f->oneof != NULL) {
		for (i = 0; f->oneof[i] != NULL; i++)
			if (strcmp(f->oneof[i], v->s) == 0)
				break;
		if (f->oneof[i] == NULL)
			return fault(rd, prefix, name, f, oneof_reason(rd, f->oneof));
		v->num = (int64_t)i;
	}
	if (f->rule != NULL && (why = f->rule(v->s, rd->now, &v->num)) != NULL)
		return fault(rd, prefix, name, f, why);
	return 0;
}

static int
text_read(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct json_object *j, struct in_val *v)
{
	const char *s = json_object_get_string(j), *why;
	size_t len = (size_t)json_object_get_string_len(j);

	if (strlen(s) != len)
		return fault(rd, prefix, name, f, "must not contain NUL");
	/* Before characters are counted. */
	if (len > IN_TEXT_MAXBYTES)
		return fault(rd, prefix, name, f, "too long");
	why = f->type == IN_NAME ? valid_name(s, len, f->min, f->max) :
	    valid_text(s, len, f->min, f->max);
	if (why != NULL)
		return fault(rd, prefix, name, f, why);
	v->s = s;
	v->len = len;
	return 0;
}

static int
email_read(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct json_object *j, struct in_val *v)
{
	const char *why;
	char *lower;
	size_t i;

	if (string_read(rd, prefix, name, f, j, EMAIL_MIN, EMAIL_MAX, v) == -1)
		return -1;
	if ((why = valid_email(v->s)) != NULL)
		return fault(rd, prefix, name, f, why);
	if ((lower = arena_strdup(rd->a, v->s)) == NULL) {
		rd->internal = 1;
		return -1;
	}
	for (i = 0; lower[i] != '\0'; i++)
		lower[i] = (char)tolower((unsigned char)lower[i]);
	v->s = lower;
	return 0;
}

static int
digits_read(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct json_object *j, struct in_val *v)
{
	size_t i;

	if (string_read(rd, prefix, name, f, j, 0, DIGITS_MAX, v) == -1)
		return -1;
	if (v->len < f->min || v->len > f->max)
		return fault(rd, prefix, name, f, "wrong length");
	for (i = 0; i < v->len; i++)
		if (v->s[i] < '0' || v->s[i] > '9')
			return fault(rd, prefix, name, f, "must be digits");
	return 0;
}

static const char *
larger_than(struct rd *rd, size_t max)
{
	const char *s = max % 1024 == 0 ?
	    arena_printf(rd->a, "larger than %zu KiB", max / 1024) :
	    arena_printf(rd->a, "larger than %zu bytes", max);

	if (s == NULL)
		rd->internal = 1;
	return s;
}

/* A string by its type's own checks. */
static int
string_value(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct json_object *j, struct in_val *v)
{
	switch (f->type) {
	case IN_TEXT:
	case IN_NAME:
		return text_read(rd, prefix, name, f, j, v);
	case IN_EMAIL:
		return email_read(rd, prefix, name, f, j, v);
	case IN_DIGITS:
		return digits_read(rd, prefix, name, f, j, v);
	default:
		return string_read(rd, prefix, name, f, j, f->min, f->max, v);
	}
}

/* Decoded, at most f->max bytes; the size is refused before decoding. */
static int
base64_read(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct json_object *j, struct in_val *v)
{
	const char *s = json_object_get_string(j), *why;
	size_t n = (size_t)json_object_get_string_len(j), pad;
	unsigned char *buf;
	int k;

	if (n == 0)
		return fault(rd, prefix, name, f, "must not be empty");
	if (n > 4 * ((f->max + 2) / 3))
		return fault(rd, prefix, name, f, larger_than(rd, f->max));
	if ((why = valid_base64(s, n)) != NULL)
		return fault(rd, prefix, name, f, why);
	pad = s[n - 1] != '=' ? 0 : s[n - 2] == '=' ? 2 : 1;
	if ((buf = arena_alloc(rd->a, n / 4 * 3 + 1)) == NULL) {
		rd->internal = 1;
		return -1;
	}
	/* The form is checked, so this cannot fail: if it does, it is ours. */
	if ((k = EVP_DecodeBlock(buf, (const unsigned char *)s, (int)n)) < 0 ||
	    (size_t)k != n / 4 * 3) {
		rd->internal = 1;
		return -1;
	}
	if ((size_t)k - pad > f->max)
		return fault(rd, prefix, name, f, larger_than(rd, f->max));
	v->bytes = buf;
	v->len = (size_t)k - pad;
	return 0;
}

static int	table_read(struct rd *, const char *prefix,
		    const struct in_field *, struct json_object *, struct in_val **);
static int	value_read(struct rd *, const char *prefix, const char *name,
		    const struct in_field *, struct json_object *, struct in_val *);

static int
array_read(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct json_object *j, struct in_val *v)
{
	size_t i, k;

	v->n = json_object_array_length(j);
	if (v->n < f->min || v->n > f->max)
		return fault(rd, prefix, name, f, v->n < f->min ?
		    "too few elements" : "too many elements");
	if (f->fields == NULL)
		return 0;
	if ((v->sub = arena_calloc(rd->a, v->n + 1, sizeof(*v->sub))) == NULL) {
		rd->internal = 1;
		return -1;
	}
	for (i = 0; i < v->n; i++) {
		/* An element is there: null is a value of the wrong type. */
		v->sub[i].set = 1;
		if (value_read(rd, prefix, name, f->fields,
		    json_object_array_get_idx(j, i), &v->sub[i]) == -1)
			return -1;
		for (k = 0; (f->flags & IN_DISTINCT) && k < i; k++)
			if (v->sub[k].s != NULL && v->sub[i].s != NULL &&
			    strcmp(v->sub[k].s, v->sub[i].s) == 0)
				return fault(rd, prefix, name,
				    f->repeat != NULL ? NULL : f, f->repeat != NULL ?
				    f->repeat : "must not repeat an element");
	}
	return 0;
}

/* A value that is there (j NULL: JSON null, wrong for every type). */
static int
value_read(struct rd *rd, const char *prefix, const char *name,
    const struct in_field *f, struct json_object *j, struct in_val *v)
{
	const char *sub;

	v->o = j;
	switch (f->type) {
	case IN_STRING:
	case IN_TEXT:
	case IN_NAME:
	case IN_EMAIL:
	case IN_DIGITS:
		if (!json_object_is_type(j, json_type_string))
			return fault(rd, prefix, name, f, "must be a string");
		if (string_value(rd, prefix, name, f, j, v) == -1)
			return -1;
		return string_rules(rd, prefix, name, f, v);
	case IN_BASE64:
		if (!json_object_is_type(j, json_type_string))
			return fault(rd, prefix, name, f, "must be a base64 string");
		return base64_read(rd, prefix, name, f, j, v);
	case IN_OBJECT:
		if (!json_object_is_type(j, json_type_object))
			return fault(rd, prefix, name, f, "must be an object");
		if (f->fields == NULL)
			return 0;
		if ((sub = path_join(rd, prefix, name)) == NULL)
			return -1;
		return table_read(rd, sub, f->fields, j, &v->sub);
	case IN_ARRAY:
		if (!json_object_is_type(j, json_type_array))
			return fault(rd, prefix, name, f, "must be an array");
		return array_read(rd, prefix, name, f, j, v);
	case IN_BOOL:
		if (!json_object_is_type(j, json_type_boolean))
			return fault(rd, prefix, name, f, "must be true or false");
		v->num = json_object_get_boolean(j) ? 1 : 0;
		return 0;
	case IN_ANY:
		/* A lenient field: what was sent is the handler's to judge. */
		return 0;
	case IN_REFUSED:
		return fault(rd, prefix, name, f, "must not be sent");
	}
	return fault(rd, prefix, name, NULL, "not declared");
}

static const struct in_field *
field_find(const struct in_field *fields, const char *name)
{
	for (; fields->name != NULL; fields++)
		if (strcmp(fields->name, name) == 0)
			return fields;
	return NULL;
}

static int
table_read(struct rd *rd, const char *prefix, const struct in_field *fields,
    struct json_object *o, struct in_val **out)
{
	const struct in_field *f;
	struct json_object *j;
	struct in_val *vals, *v;
	enum err outer = rd->code;
	size_t n;

	for (n = 0; fields[n].name != NULL; n++)
		;
	if ((*out = vals = arena_calloc(rd->a, n + 1, sizeof(*vals))) == NULL) {
		rd->internal = 1;
		return -1;
	}
	/* Iterating a non-object would read its (absent) hash table. */
	if (o != NULL && !json_object_is_type(o, json_type_object))
		return fault(rd, NULL, "body", NULL, "must be a JSON object");
	/* Refused fields are named as such, before any other fault. */
	for (f = fields; f->name != NULL; f++) {
		v = &vals[f - fields];
		if (f->type != IN_REFUSED)
			continue;
		(void)member(o, f->name, &v->set);
		if (v->set)
			return value_read(rd, prefix, f->name, f, NULL, v);
	}
	if (o != NULL) {
		json_object_object_foreach(o, key, val) {
			(void)val;
			if (field_find(fields, key) == NULL)
				return fault(rd, prefix, key, NULL, "unknown field");
		}
	}
	for (f = fields; f->name != NULL; f++) {
		v = &vals[f - fields];
		if (f->type == IN_REFUSED)
			continue;
		if (f->code != ERR_OK)
			rd->code = f->code;
		if ((j = member(o, f->name, &v->set)) == NULL) {
			if (f->flags & IN_REQUIRED)
				return fault(rd, prefix, f->name, NULL,
				    f->missing != NULL ? f->missing : "required");
		} else if (value_read(rd, prefix, f->name, f, j, v) == -1)
			return -1;
		rd->code = outer;
	}
	return 0;
}

enum err
in_read(struct arena *a, struct json_object *body,
    const struct in_field *fields, time_t now, struct in_val **vals,
    struct in_err *e)
{
	struct rd rd = { a, now, e, ERR_INVALID_REQUEST, 0 };

	e->field = e->reason = NULL;
	if (table_read(&rd, NULL, fields, body, vals) == 0)
		return ERR_OK;
	return rd.internal ? ERR_INTERNAL : rd.code;
}

/* One field of type t read as a table would read it. */
static int
in_one(struct json_object *o, const char *name, enum in_type t, unsigned flags,
    size_t minlen, size_t maxlen, const char **out, struct in_err *e)
{
	struct in_field f = { name, t, flags, minlen, maxlen };
	struct rd rd = { NULL, 0, e, ERR_INVALID_REQUEST, 0 };
	struct in_val v = { 0 };
	struct json_object *j;

	*out = NULL;
	if ((j = member(o, name, &v.set)) == NULL)
		return (flags & IN_REQUIRED) ?
		    fault(&rd, NULL, name, NULL, "required") : 0;
	if (value_read(&rd, NULL, name, &f, j, &v) == -1)
		return -1;
	*out = v.s;
	return 0;
}

int
in_string(struct json_object *o, const char *name, unsigned flags,
    size_t minlen, size_t maxlen, const char **out, struct in_err *e)
{
	return in_one(o, name, IN_STRING, flags, minlen, maxlen, out, e);
}

int
in_text(struct json_object *o, const char *name, unsigned flags,
    size_t minchars, size_t maxchars, const char **out, struct in_err *e)
{
	return in_one(o, name, IN_TEXT, flags, minchars, maxchars, out, e);
}

int
in_bool(struct json_object *o, const char *name, unsigned flags, int *out,
    struct in_err *e)
{
	struct rd rd = { NULL, 0, e, ERR_INVALID_REQUEST, 0 };
	struct json_object *j;
	int set;

	*out = 0;
	if ((j = member(o, name, &set)) == NULL)
		return (flags & IN_REQUIRED) ?
		    fault(&rd, NULL, name, NULL, "required") : 0;
	if (!json_object_is_type(j, json_type_boolean))
		return fault(&rd, NULL, name, NULL, "must be true or false");
	*out = json_object_get_boolean(j);
	return 0;
}

/* Whether name is one of names (NULL-terminated). */
static int
in_names_has(const char *const *names, const char *name)
{
	for (; *names != NULL; names++)
		if (strcmp(*names, name) == 0)
			return 1;
	return 0;
}

int
in_camel(struct json_object *o, const char *const *names, struct in_err *e)
{
	char camel[IN_CAMEL_MAX][64];
	const char *snake[IN_CAMEL_MAX];
	struct json_object *v;
	size_t i, j, k, n = 0;

	if (o == NULL || !json_object_is_type(o, json_type_object))
		return 0;
	json_object_object_foreach(o, key, val) {
		(void)val;
		if (strchr(key, '_') == NULL || strlen(key) >= sizeof(camel[0]))
			continue;
		for (i = j = 0; key[i] != '\0'; i++)
			if (key[i] == '_' && key[i + 1] >= 'a' && key[i + 1] <= 'z')
				camel[n][j++] = (char)(key[++i] - 'a' + 'A');
			else
				camel[n][j++] = key[i];
		camel[n][j] = '\0';
		if (!in_names_has(names, camel[n]))
			continue;
		if (json_object_object_get_ex(o, camel[n], NULL)) {
			e->field = key;
			e->reason = "given twice, in both spellings";
			return -1;
		}
		if (n == IN_CAMEL_MAX) {
			e->field = key;
			e->reason = "too many snake_case fields";
			return -1;
		}
		snake[n++] = key;
	}
	for (k = 0; k < n; k++) {
		json_object_object_get_ex(o, snake[k], &v);
		json_object_object_add(o, camel[k], json_object_get(v));
		json_object_object_del(o, snake[k]);
	}
	return 0;
}

int
in_only(struct json_object *o, const char *const *names, struct in_err *e)
{
	const char *const *n;

	if (o == NULL)
		return 0;
	/* Iterating a non-object would read its (absent) hash table. */
	if (!json_object_is_type(o, json_type_object)) {
		e->field = "body";
		e->reason = "must be a JSON object";
		return -1;
	}
	json_object_object_foreach(o, key, val) {
		(void)val;
		for (n = names; *n != NULL; n++)
			if (strcmp(*n, key) == 0)
				break;
		if (*n == NULL) {
			e->field = key;
			e->reason = "unknown field";
			return -1;
		}
	}
	return 0;
}

int
resp_invalid_code(struct resp *w, enum err code, const struct in_err *e)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "field", json_object_new_string(e->field));
	json_object_object_add(d, "reason", json_object_new_string(e->reason));
	return resp_error_details(w, code, NULL, d);
}

int
resp_invalid(struct resp *w, const struct in_err *e)
{
	return resp_invalid_code(w, ERR_INVALID_REQUEST, e);
}
