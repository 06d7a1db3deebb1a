/* core/input.c — declared JSON fields: every value is checked before a handler uses it */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "core/http.h"
#include "core/input.h"
#include "core/util.h"

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

/*
 * Deliberately plain: local@domain, ASCII, one '@', a dot in the domain,
 * no spaces or quotes. What RFC 5321 allows beyond that is not worth the
 * ambiguity in an exchange's account identifier.
 */
int
in_email(struct json_object *o, const char *name, char *out, size_t outsz,
    struct in_err *e)
{
	const char *s, *at, *p;
	size_t len, i;

	if (in_string(o, name, IN_REQUIRED, 3, 254, &s, e) == -1)
		return -1;
	len = strlen(s);
	if (len >= outsz)
		return fail(e, name, "too long");
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL ||
	    at == s || at - s > 64 || strchr(at, '.') == NULL ||
	    at[1] == '.' || s[len - 1] == '.')
		return fail(e, name, "not an e-mail address");
	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("@.-_+", *p) == NULL)
			return fail(e, name, "not an e-mail address");
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

/*
 * What text shown to people must not carry: characters that control a
 * terminal or a layout, or that cannot be seen. A bidi override makes
 * "Ali\u202Ekcab" show as "Alibcak"; a zero-width space makes two names
 * that look the same differ; U+2028 ends a line in JavaScript. From the
 * Unicode 15 character database: Cc, Cf, Zl, Zp, Zs other than U+0020,
 * Co, Cs, the noncharacters, and Default_Ignorable_Code_Point (which adds
 * the Hangul fillers, variation selectors and the grapheme joiner).
 */
struct cp_range {
	uint32_t	 lo, hi;
	const char	*why;
};

#define WHY_CTRL	"must not contain control characters"
#define WHY_BIDI	"must not contain bidirectional control characters"
#define WHY_INVIS	"must not contain invisible or formatting characters"
#define WHY_SPACE	"must not contain spaces other than U+0020"
#define WHY_PRIVATE	"must not contain private-use or noncharacters"

static const struct cp_range refused[] = {
	{ 0x0000, 0x001f, WHY_CTRL },		/* C0 */
	{ 0x007f, 0x009f, WHY_CTRL },		/* DEL, C1 */
	{ 0x00a0, 0x00a0, WHY_SPACE },		/* no-break space */
	{ 0x00ad, 0x00ad, WHY_INVIS },		/* soft hyphen */
	{ 0x034f, 0x034f, WHY_INVIS },		/* combining grapheme joiner */
	{ 0x0600, 0x0605, WHY_INVIS },		/* Arabic number signs */
	{ 0x061c, 0x061c, WHY_BIDI },		/* Arabic letter mark */
	{ 0x06dd, 0x06dd, WHY_INVIS },
	{ 0x070f, 0x070f, WHY_INVIS },
	{ 0x0890, 0x0891, WHY_INVIS },
	{ 0x08e2, 0x08e2, WHY_INVIS },
	{ 0x115f, 0x1160, WHY_INVIS },		/* Hangul fillers */
	{ 0x1680, 0x1680, WHY_SPACE },
	{ 0x17b4, 0x17b5, WHY_INVIS },
	{ 0x180b, 0x180f, WHY_INVIS },		/* Mongolian selectors */
	{ 0x2000, 0x200a, WHY_SPACE },
	{ 0x200b, 0x200d, WHY_INVIS },		/* zero width space, (non-)joiner */
	{ 0x200e, 0x200f, WHY_BIDI },		/* LRM, RLM */
	{ 0x2028, 0x2029, WHY_SPACE },		/* line, paragraph separators */
	{ 0x202a, 0x202e, WHY_BIDI },		/* LRE RLE PDF LRO RLO */
	{ 0x202f, 0x202f, WHY_SPACE },
	{ 0x205f, 0x205f, WHY_SPACE },
	{ 0x2060, 0x2065, WHY_INVIS },		/* word joiner, invisible operators */
	{ 0x2066, 0x2069, WHY_BIDI },		/* LRI RLI FSI PDI */
	{ 0x206a, 0x206f, WHY_INVIS },
	{ 0x3000, 0x3000, WHY_SPACE },
	{ 0x3164, 0x3164, WHY_INVIS },		/* Hangul filler */
	{ 0xd800, 0xdfff, WHY_PRIVATE },	/* surrogates */
	{ 0xe000, 0xf8ff, WHY_PRIVATE },
	{ 0xfdd0, 0xfdef, WHY_PRIVATE },
	{ 0xfe00, 0xfe0f, WHY_INVIS },		/* variation selectors */
	{ 0xfeff, 0xfeff, WHY_INVIS },		/* byte order mark */
	{ 0xffa0, 0xffa0, WHY_INVIS },
	{ 0xfff0, 0xfffb, WHY_INVIS },		/* interlinear annotation */
	{ 0xfffe, 0xffff, WHY_PRIVATE },
	{ 0x110bd, 0x110bd, WHY_INVIS },
	{ 0x110cd, 0x110cd, WHY_INVIS },
	{ 0x13430, 0x1343f, WHY_INVIS },	/* Egyptian format controls */
	{ 0x1bca0, 0x1bca3, WHY_INVIS },
	{ 0x1d173, 0x1d17a, WHY_INVIS },
	{ 0x1fffe, 0x1ffff, WHY_PRIVATE },
	{ 0x2fffe, 0x2ffff, WHY_PRIVATE },
	{ 0x3fffe, 0x3ffff, WHY_PRIVATE },
	{ 0x4fffe, 0x4ffff, WHY_PRIVATE },
	{ 0x5fffe, 0x5ffff, WHY_PRIVATE },
	{ 0x6fffe, 0x6ffff, WHY_PRIVATE },
	{ 0x7fffe, 0x7ffff, WHY_PRIVATE },
	{ 0x8fffe, 0x8ffff, WHY_PRIVATE },
	{ 0x9fffe, 0x9ffff, WHY_PRIVATE },
	{ 0xafffe, 0xaffff, WHY_PRIVATE },
	{ 0xbfffe, 0xbffff, WHY_PRIVATE },
	{ 0xcfffe, 0xcffff, WHY_PRIVATE },
	{ 0xdfffe, 0xdffff, WHY_PRIVATE },
	{ 0xe0000, 0xe0fff, WHY_INVIS },	/* tags, variation selectors */
	{ 0xefffe, 0x10ffff, WHY_PRIVATE },	/* planes 15 and 16 */
};

const char *
in_cp_refused(uint32_t c)
{
	size_t lo = 0, hi = sizeof(refused) / sizeof(refused[0]), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c < refused[mid].lo)
			hi = mid;
		else if (c > refused[mid].hi)
			lo = mid + 1;
		else
			return refused[mid].why;
	}
	return NULL;
}

/* The code point at s (valid UTF-8), and its length in *n. */
static uint32_t
utf8_next(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if (s[0] < 0xe0) {
		*n = 2;
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if (s[0] < 0xf0) {
		*n = 3;
		return (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	*n = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

const char *
in_text_check(const char *s, size_t len, size_t minchars, size_t maxchars)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *why;
	size_t i, n, chars = 0;

	if (!util_utf8_valid(s, len))
		return "must be valid UTF-8";
	for (i = 0; i < len; i += n, chars++)
		if ((why = in_cp_refused(utf8_next(p + i, &n))) != NULL)
			return why;
	if (chars < minchars)
		return chars == 0 ? "must not be empty" : "too short";
	if (chars > maxchars)
		return "too long";
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		return "no leading or trailing spaces";
	return NULL;
}

const char *
in_name_check(const char *s, size_t len, size_t maxchars)
{
	const char *why;
	size_t i;
	int letter = 0;

	if ((why = in_text_check(s, len, 1, maxchars)) != NULL)
		return why;
	/*
	 * Beyond ASCII, any script's letters: the text rule above has taken
	 * out what is invisible or controlling. In ASCII, letters and the
	 * marks real names carry; no digits, no markup.
	 */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = 1;
		else if (c == ' ' && i + 1 < len && s[i + 1] == ' ')
			return "no two spaces in a row";
		else if (c != ' ' && c != '-' && c != '\'' && c != '.')
			return "letters, spaces, '-', ''' and '.' only";
	}
	return letter ? NULL : "must contain a letter";
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
	if ((why = in_text_check(s, strlen(s), minchars, maxchars)) != NULL)
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
	if ((why = in_name_check(s, strlen(s), maxchars)) != NULL)
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
