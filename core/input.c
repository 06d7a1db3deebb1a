/* core/input.c — declared JSON fields: every value is checked before a handler uses it */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "core/http.h"
#include "core/input.h"
#include "core/util.h"
#include "core/valid.h"

static int
fail(struct in_err *e, const char *field, const char *reason)
{
	e->field = field;
	e->reason = reason;
	return -1;
}

static int
field(struct json_object *o, const char *name, unsigned flags,
    json_type want, struct json_object **v, struct in_err *e)
{
	*v = NULL;
	if (o == NULL || !json_object_object_get_ex(o, name, v) ||
	    json_object_is_type(*v, json_type_null)) {
		*v = NULL;
		return (flags & IN_REQUIRED) ? fail(e, name, "required") : 0;
	}
	if (!json_object_is_type(*v, want))
		return fail(e, name, want == json_type_string ?
		    "must be a string" : want == json_type_boolean ?
		    "must be true or false" : "must be an object");
	return 0;
}

/*
 * A string without NUL, of at most IN_TEXT_MAXBYTES (the character rules
 * come after): the common start of in_text and in_name.
 */
static int
in_string_raw(struct json_object *o, const char *name, unsigned flags,
    const char **out, struct in_err *e)
{
	struct json_object *v;
	const char *s;
	size_t len;

	*out = NULL;
	if (field(o, name, flags, json_type_string, &v, e) == -1)
		return -1;
	if (v == NULL)
		return 0;
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (strlen(s) != len)
		return fail(e, name, "must not contain NUL");
	if (len > IN_TEXT_MAXBYTES)
		return fail(e, name, "too long");
	*out = s;
	return 0;
}

int
in_string(struct json_object *o, const char *name, unsigned flags,
    size_t minlen, size_t maxlen, const char **out, struct in_err *e)
{
	struct json_object *v;
	const char *s;
	size_t len, i;

	*out = NULL;
	if (field(o, name, flags, json_type_string, &v, e) == -1)
		return -1;
	if (v == NULL)
		return 0;
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (strlen(s) != len)
		return fail(e, name, "must not contain NUL");
	if (len < minlen)
		return fail(e, name, len == 0 ? "must not be empty" : "too short");
	if (len > maxlen)
		return fail(e, name, "too long");
	if (!util_utf8_valid(s, len))
		return fail(e, name, "must be valid UTF-8");
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fail(e, name, "must not contain control characters");
	*out = s;
	return 0;
}

int
in_email(struct json_object *o, const char *name, char *out, size_t outsz,
    struct in_err *e)
{
	const char *s, *why;
	size_t len, i;

	if (in_string(o, name, IN_REQUIRED, 3, 254, &s, e) == -1)
		return -1;
	len = strlen(s);
	if (len >= outsz)
		return fail(e, name, "too long");
	if ((why = valid_email(s)) != NULL)
		return fail(e, name, why);
	for (i = 0; i <= len; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	return 0;
}

int
in_digits(struct json_object *o, const char *name, unsigned flags, size_t n,
    const char **out, struct in_err *e)
{
	const char *s;
	size_t i;

	*out = NULL;
	if (in_string(o, name, flags, 0, 64, &s, e) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if (strlen(s) != n)
		return fail(e, name, "wrong length");
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return fail(e, name, "must be digits");
	*out = s;
	return 0;
}

int
in_bool(struct json_object *o, const char *name, unsigned flags, int *out,
    struct in_err *e)
{
	struct json_object *v;

	if (field(o, name, flags, json_type_boolean, &v, e) == -1)
		return -1;
	if (v != NULL)
		*out = json_object_get_boolean(v);
	return 0;
}

int
in_object(struct json_object *o, const char *name, unsigned flags,
    struct json_object **out, struct in_err *e)
{
	return field(o, name, flags, json_type_object, out, e);
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
in_text(struct json_object *o, const char *name, unsigned flags,
    size_t minchars, size_t maxchars, const char **out, struct in_err *e)
{
	const char *s, *why;

	*out = NULL;
	if (in_string_raw(o, name, flags, &s, e) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if ((why = valid_text(s, strlen(s), minchars, maxchars)) != NULL)
		return fail(e, name, why);
	*out = s;
	return 0;
}

int
in_name(struct json_object *o, const char *name, unsigned flags,
    size_t maxchars, const char **out, struct in_err *e)
{
	const char *s, *why;

	*out = NULL;
	if (in_string_raw(o, name, flags, &s, e) == -1)
		return -1;
	if (s == NULL)
		return 0;
	if ((why = valid_name(s, strlen(s), 1, maxchars)) != NULL)
		return fail(e, name, why);
	*out = s;
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
