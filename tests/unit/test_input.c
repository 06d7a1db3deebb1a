/* tests/unit/test_input.c — declared JSON fields: tables of every type, presence, sizes, rules, nesting, order of faults, unknown and refused fields */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/input.h"
#include "tests/unit/tap.h"

static struct arena *A;

static struct json_object *
obj(const char *text)
{
	return json_tokener_parse(text);
}

/* Read text against fields: "ok", or the first fault as "field: reason". */
static struct in_val *V;
static const char *
rd(const struct in_field *fields, const char *text)
{
	struct json_object *o = text != NULL ? obj(text) : NULL;
	struct in_err e;
	enum err rc;
	const char *s;

	if (text != NULL && o == NULL)
		return "(bad test JSON)";
	rc = in_read(A, o, fields, 0, &V, &e);
	if (rc == ERR_OK)
		s = "ok";
	else if (e.field == NULL)
		s = "(no details)";
	else
		s = arena_printf(A, "%s%s: %s", rc == ERR_INVALID_REQUEST ? "" :
		    rc == ERR_KYC_004 ? "KYC_004 " : "OTHER ", e.field, e.reason);
	/* Values point into o: it lives as long as the arena. */
	if (o != NULL)
		json_own(A, o);
	return s;
}

static const char *const colours[] = { "RED", "GREEN", "BLUE", NULL };

enum { F_NAME, F_EMAIL, F_CODE, F_COLOUR, F_PHONE, F_NOTE, F_WHO };
static const struct in_field form[] = {
	[F_NAME]	= { "name",	IN_STRING, IN_REQUIRED, 2, 8 },
	[F_EMAIL]	= { "email",	IN_EMAIL,  IN_OPTIONAL },
	[F_CODE]	= { "code",	IN_DIGITS, IN_OPTIONAL, 6, 6 },
	[F_COLOUR]	= { "colour",	IN_STRING, IN_OPTIONAL, 1, 16, .oneof = colours },
	[F_PHONE]	= { "phone",	IN_STRING, IN_OPTIONAL, 1, 16, .rule = valid_phone },
	[F_NOTE]	= { "note",	IN_TEXT,   IN_OPTIONAL, 3, 5 },
	[F_WHO]		= { "who",	IN_NAME,   IN_OPTIONAL, 1, 10 },
	{ NULL }
};

static void
test_strings(void)
{
	is_str(rd(form, "{\"name\":\"ab\"}"), "ok", "the one required field");
	ok(V[F_NAME].set && strcmp(V[F_NAME].s, "ab") == 0 && V[F_NAME].len == 2,
	    "  its value and length");
	ok(!V[F_EMAIL].set && V[F_EMAIL].s == NULL, "  an absent field: not set, NULL");
	is_str(rd(form, "{\"name\":\"ab\",\"email\":null}"), "ok", "null is absent");
	ok(V[F_EMAIL].set && V[F_EMAIL].s == NULL, "  but it was sent");
	is_str(rd(form, NULL), "name: required", "no body: the required field is missing");
	is_str(rd(form, "{}"), "name: required", "an empty object: the same");
	is_str(rd(form, "{\"name\":null}"), "name: required", "null for a required field");
	is_str(rd(form, "{\"name\":1}"), "name: must be a string", "a number");
	is_str(rd(form, "{\"name\":[\"ab\"]}"), "name: must be a string", "an array");
	is_str(rd(form, "{\"name\":\"\"}"), "name: must not be empty", "empty");
	is_str(rd(form, "{\"name\":\"a\"}"), "name: too short", "below the minimum");
	is_str(rd(form, "{\"name\":\"abcdefghi\"}"), "name: too long", "over the maximum");
	is_str(rd(form, "{\"name\":\"a\\u0001b\"}"),
	    "name: must not contain control characters", "a control character");
	is_str(rd(form, "{\"name\":\"a\\u007fb\"}"),
	    "name: must not contain control characters", "DEL");
	{
		struct json_object *o = json_object_new_object();
		struct in_err e;

		json_object_object_add(o, "name", json_object_new_string_len("a\0b", 3));
		ok(in_read(A, o, form, 0, &V, &e) == ERR_INVALID_REQUEST &&
		    strcmp(e.reason, "must not contain NUL") == 0, "a NUL inside");
		json_object_put(o);
	}

	is_str(rd(form, "{\"name\":\"ab\",\"email\":\"Foo.Bar@Example.ORG\"}"), "ok",
	    "an e-mail address");
	is_str(V[F_EMAIL].s, "foo.bar@example.org", "  lower-cased");
	is_str(rd(form, "{\"name\":\"ab\",\"email\":\"a@b\"}"),
	    "email: not an e-mail address", "  not one");
	is_str(rd(form, "{\"name\":\"ab\",\"email\":\"ab\"}"), "email: too short",
	    "  shorter than 3");

	is_str(rd(form, "{\"name\":\"ab\",\"code\":\"012345\"}"), "ok", "six digits");
	is_str(V[F_CODE].s, "012345", "  the leading zero kept");
	is_str(rd(form, "{\"name\":\"ab\",\"code\":\"12345\"}"), "code: wrong length", "five");
	is_str(rd(form, "{\"name\":\"ab\",\"code\":\"\"}"), "code: wrong length", "none");
	is_str(rd(form, "{\"name\":\"ab\",\"code\":\"12a456\"}"), "code: must be digits",
	    "a letter");

	is_str(rd(form, "{\"name\":\"ab\",\"colour\":\"BLUE\"}"), "ok", "one of a set");
	is_int(V[F_COLOUR].num, 2, "  its index");
	is_str(rd(form, "{\"name\":\"ab\",\"colour\":\"blue\"}"),
	    "colour: one of RED, GREEN, BLUE", "not in the set");
	is_str(rd(form, "{\"name\":\"ab\",\"colour\":\"\"}"), "colour: must not be empty",
	    "  the size comes first");

	is_str(rd(form, "{\"name\":\"ab\",\"phone\":\"+905551234567\"}"), "ok",
	    "a rule passes");
	is_str(rd(form, "{\"name\":\"ab\",\"phone\":\"0555\"}"),
	    "phone: must be E.164, e.g. +905551234567", "  and refuses");

	is_str(rd(form, "{\"name\":\"ab\",\"note\":\"\\u015f\\u015f\\u015f\\u015f\\u015f\"}"),
	    "ok", "text counts characters: 5 in 5 (10 bytes)");
	is_str(rd(form, "{\"name\":\"ab\",\"note\":\"ab\"}"), "note: too short", "  2 of 3");
	is_str(rd(form, "{\"name\":\"ab\",\"note\":\"a\\u202eb\"}"),
	    "note: must not contain bidirectional control characters",
	    "  a bidi control");
	is_str(rd(form, "{\"name\":\"ab\",\"who\":\"O'Neil\"}"), "ok", "a name");
	is_str(rd(form, "{\"name\":\"ab\",\"who\":\"R2D2\"}"),
	    "who: letters, spaces, '-', ''' and '.' only", "  no digits in names");
	is_str(rd(form, "{\"name\":\"ab\",\"who\":true}"), "who: must be a string",
	    "  a boolean");
	{
		/* Over IN_TEXT_MAXBYTES: refused before characters are counted. */
		static const struct in_field big[] = {
			{ "t", IN_TEXT, IN_REQUIRED, 1, 100000 },
			{ NULL }
		};
		char *text = arena_alloc(A, IN_TEXT_MAXBYTES + 16);

		memset(text, 'a', IN_TEXT_MAXBYTES + 8);
		memcpy(text, "{\"t\":\"", 6);
		memcpy(text + IN_TEXT_MAXBYTES + 7, "\"}", 3);
		is_str(rd(big, text), "t: too long", "text over the byte ceiling");
		memcpy(text + IN_TEXT_MAXBYTES + 6, "\"}", 3);
		is_str(rd(big, text), "ok", "  at it");
	}
}

static void
test_order(void)
{
	is_str(rd(form, "{\"zzz\":1,\"name\":1}"), "zzz: unknown field",
	    "unknown fields before any value");
	is_str(rd(form, "{\"name\":\"ab\",\"yyy\":1,\"zzz\":2}"), "yyy: unknown field",
	    "  the first one the body names");
	is_str(rd(form, "{\"code\":\"1\",\"name\":\"a\"}"), "name: too short",
	    "faults in the table's order, not the body's");
	is_str(rd(form, "{\"name\":\"ab\",\"who\":\"1\",\"code\":\"1\"}"),
	    "code: wrong length", "  again");
}

/* A photograph: what an identity document looks like as a nested object. */
enum { P_TYPE, P_DATA };
static const struct in_field photo[] = {
	[P_TYPE]	= { "contentType", IN_STRING, IN_REQUIRED, 1, 64,
			    .rule = valid_image_type },
	[P_DATA]	= { "data", IN_BASE64, IN_REQUIRED, 0, 1024 },
	{ NULL }
};
enum { S_FRONT, S_BACK };
static const struct in_field sides[] = {
	[S_FRONT]	= { "front", IN_OBJECT, IN_REQUIRED, .fields = photo,
			    .hint = "must be an object {contentType, data}" },
	[S_BACK]	= { "back", IN_OBJECT, IN_OPTIONAL, .fields = photo },
	{ NULL }
};
static const struct in_field size_item = { NULL, IN_DIGITS, IN_REQUIRED, 1, 3 };
enum { K_ID, K_SCANS, K_SIZES, K_OPEN };
static const struct in_field kyc[] = {
	[K_ID]		= { "id", IN_STRING, IN_REQUIRED, 1, 8 },
	[K_SCANS]	= { "scans", IN_OBJECT, IN_REQUIRED, .fields = sides,
			    .code = ERR_KYC_004 },
	[K_SIZES]	= { "sizes", IN_ARRAY, IN_OPTIONAL, 0, 3, .fields = &size_item },
	[K_OPEN]	= { "open", IN_OBJECT, IN_OPTIONAL },
	{ NULL }
};

#define SCANS	"{\"front\":{\"contentType\":\"image/png\",\"data\":\"YWJj\"}}"

static const char *
kyc_with_data(const char *data)
{
	return rd(kyc, arena_printf(A, "{\"id\":\"k1\",\"scans\":{\"front\":{"
	    "\"contentType\":\"image/png\",\"data\":%s}}}", data));
}

static void
test_objects(void)
{
	char big[2000];
	struct in_val *front;

	is_str(kyc_with_data("\"YWJj\""), "ok", "nested objects");
	front = V[K_SCANS].sub[S_FRONT].sub;
	ok(front != NULL && strcmp(front[P_TYPE].s, "image/png") == 0,
	    "  values by index, level by level");
	ok(front[P_DATA].len == 3 && memcmp(front[P_DATA].bytes, "abc", 3) == 0,
	    "  base64 decoded");
	ok(!V[K_SCANS].sub[S_BACK].set && V[K_SCANS].sub[S_BACK].sub == NULL,
	    "  an absent object has no values");
	is_str(rd(kyc, "{\"id\":\"k1\"}"), "KYC_004 scans: required",
	    "the field's code answers for its absence");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":[]}"), "KYC_004 scans: must be an object",
	    "  and its type");
	is_str(rd(kyc, "{\"scans\":{}}"), "id: required",
	    "the fields before it keep theirs");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{},\"zzz\":1}"), "zzz: unknown field",
	    "  so do unknown fields beside it");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{\"zzz\":1}}"),
	    "KYC_004 scans.zzz: unknown field", "unknown inside: named by its path");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{}}"), "KYC_004 scans.front: required",
	    "a required field inside");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{\"front\":\"x\"}}"),
	    "KYC_004 scans.front: must be an object {contentType, data}",
	    "  a hint says what it must be");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{\"front\":{\"data\":\"YWJj\","
	    "\"x\":1}}}"), "KYC_004 scans.front.x: unknown field", "two levels down");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{\"front\":{\"data\":\"YWJj\"}}}"),
	    "KYC_004 scans.front.contentType: required", "  a required field there");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{\"front\":{\"contentType\":"
	    "\"application/pdf\",\"data\":\"YWJj\"}}}"),
	    "KYC_004 scans.front.contentType: must be image/jpeg or image/png",
	    "  a rule there");
	is_str(kyc_with_data("1"), "KYC_004 scans.front.data: must be a base64 string",
	    "base64: a number");
	is_str(kyc_with_data("\"\""), "KYC_004 scans.front.data: must not be empty",
	    "  empty");
	is_str(kyc_with_data("\"YWJj\\n\""), "KYC_004 scans.front.data: "
	    "not valid base64 (RFC 4648, padded, no whitespace)", "  a newline");
	/* 1024 bytes take 1368 characters, in which 1026 fit. */
	memset(big + 1, 'A', 1368);
	big[0] = big[1369] = '"';
	big[1370] = '\0';
	is_str(kyc_with_data(big), "KYC_004 scans.front.data: larger than 1 KiB",
	    "  1026 bytes decoded, of 1024");
	memcpy(big + 1367, "==", 2);
	is_str(kyc_with_data(big), "ok", "  1024 exactly");
	is_int(V[K_SCANS].sub[S_FRONT].sub[P_DATA].len, 1024,
	    "  counted without the padding");
	memset(big + 1, 'A', 1372);
	big[1373] = '"';
	big[1374] = '\0';
	is_str(kyc_with_data(big), "KYC_004 scans.front.data: larger than 1 KiB",
	    "  too long to decode");

	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{\"front\":{\"contentType\":"
	    "\"image/png\",\"data\":\"YWJj\"}},\"open\":{\"any\":[1,{}]}}"), "ok",
	    "an object without a table takes anything");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":{\"front\":{\"contentType\":"
	    "\"image/png\",\"data\":\"YWJj\"}},\"sizes\":[\"1\",\"22\"]}"), "ok",
	    "an array of digits");
	ok(V[K_SIZES].n == 2 && strcmp(V[K_SIZES].sub[1].s, "22") == 0,
	    "  its elements");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":" SCANS ",\"sizes\":[\"1\",\"2222\"]}"),
	    "sizes: wrong length", "  an element's own reason, under the array's name");
	is_str(rd(kyc, "{\"sizes\":[\"1\",\"2\",\"3\",\"4\"],\"id\":\"k1\","
	    "\"scans\":" SCANS "}"),
	    "sizes: too many elements", "  too many");
	is_str(rd(kyc, "{\"id\":\"k1\",\"scans\":" SCANS ",\"sizes\":{}}"),
	    "sizes: must be an array",
	    "  not an array");
}

static const char scopes_why[] = "must be a non-empty array of A, B";
static const char *const ab[] = { "A", "B", NULL };
static const struct in_field scope_item = { NULL, IN_STRING, IN_REQUIRED, 0, 8,
    .oneof = ab, .hint = scopes_why };
static const struct in_field ip_item = { NULL, IN_STRING, IN_REQUIRED, 0, 12,
    .rule = valid_ip_entry, .hint = "entries: addresses" };
static const struct in_field lists[] = {
	{ "scopes", IN_ARRAY, IN_REQUIRED | IN_DISTINCT, 1, 2, .fields = &scope_item,
	    .hint = scopes_why, .missing = scopes_why },
	{ "ips", IN_ARRAY, IN_OPTIONAL, 0, 2, .fields = &ip_item,
	    .hint = "at most 2 addresses" },
	{ NULL }
};

static void
test_arrays(void)
{
	is_str(rd(lists, "{\"scopes\":[\"B\",\"A\"],\"ips\":[\"::1\",\"\"]}"), "ok",
	    "arrays of strings");
	ok(V[0].n == 2 && strcmp(V[0].sub[0].s, "B") == 0 && V[0].sub[0].num == 1 &&
	    strcmp(V[0].sub[1].s, "A") == 0 && V[0].sub[1].num == 0,
	    "  each element's value and index");
	ok(V[1].n == 2 && strcmp(V[1].sub[1].s, "") == 0,
	    "  an empty string is an element");
	is_str(rd(lists, "{}"), "scopes: must be a non-empty array of A, B",
	    "the missing reason for a missing array");
	is_str(rd(lists, "{\"scopes\":null}"),
	    "scopes: must be a non-empty array of A, B", "  null");
	is_str(rd(lists, "{\"scopes\":\"A\"}"),
	    "scopes: must be a non-empty array of A, B", "the hint for a string");
	is_str(rd(lists, "{\"scopes\":[]}"),
	    "scopes: must be a non-empty array of A, B", "  too few elements");
	is_str(rd(lists, "{\"scopes\":[\"A\",\"B\",\"A\"]}"),
	    "scopes: must be a non-empty array of A, B", "  too many");
	is_str(rd(lists, "{\"scopes\":[\"A\",\"A\"]}"),
	    "scopes: must be a non-empty array of A, B", "  one twice");
	is_str(rd(lists, "{\"scopes\":[\"C\"]}"),
	    "scopes: must be a non-empty array of A, B", "  an element not in the set");
	is_str(rd(lists, "{\"scopes\":[null]}"),
	    "scopes: must be a non-empty array of A, B", "  a null element");
	is_str(rd(lists, "{\"scopes\":[\"A\"],\"ips\":null}"), "ok",
	    "an optional array: null");
	ok(V[1].set && V[1].n == 0, "  sent, no elements");
	is_str(rd(lists, "{\"scopes\":[\"A\"],\"ips\":[\"a\",\"b\",\"c\"]}"),
	    "ips: at most 2 addresses", "  too many elements");
	is_str(rd(lists, "{\"scopes\":[\"A\"],\"ips\":[1]}"), "ips: entries: addresses",
	    "  an element of the wrong type: the element's hint");
	is_str(rd(lists, "{\"scopes\":[\"A\"],\"ips\":[null]}"),
	    "ips: entries: addresses", "  null");
	is_str(rd(lists, "{\"scopes\":[\"A\"],\"ips\":[\"1.2.3.4,5\"]}"),
	    "ips: entries: addresses", "  the element's rule");
	is_str(rd(lists, "{\"scopes\":[\"A\"],\"ips\":[\"1234567890123\"]}"),
	    "ips: entries: addresses", "  its size");
}

/* A boolean, a lenient field, and an array whose repeats have their own reason. */
static const struct in_field decision[] = {
	{ "suspend", IN_BOOL, IN_OPTIONAL },
	{ "code", IN_ANY, IN_OPTIONAL },
	{ "docs", IN_ARRAY, IN_OPTIONAL | IN_DISTINCT, 0, 2,
	    .fields = (const struct in_field[]){ { "docs", IN_STRING, 0, 1, 8,
	    .hint = "names" } }, .hint = "names", .repeat = "each once" },
	{ NULL }
};

static void
test_bool_any_repeat(void)
{
	is_str(rd(decision, "{\"suspend\":true}"), "ok", "true");
	ok(V[0].set && V[0].num == 1, "  is 1");
	is_str(rd(decision, "{\"suspend\":false}"), "ok", "false");
	ok(V[0].set && V[0].num == 0, "  is 0");
	is_str(rd(decision, "{}"), "ok", "an optional boolean absent");
	ok(!V[0].set && V[0].num == 0, "  is 0, not sent");
	is_str(rd(decision, "{\"suspend\":null}"), "ok", "  null is absent");
	is_str(rd(decision, "{\"suspend\":\"yes\"}"),
	    "suspend: must be true or false", "a string is no boolean");
	is_str(rd(decision, "{\"suspend\":1}"),
	    "suspend: must be true or false", "  nor is 1");
	is_str(rd(decision, "{\"code\":123456}"), "ok", "a lenient field takes a number");
	ok(V[1].set && V[1].o != NULL && json_object_is_type(V[1].o, json_type_int),
	    "  as it was sent");
	is_str(rd(decision, "{\"code\":[1,{}]}"), "ok", "  or an array");
	is_str(rd(decision, "{\"code\":null}"), "ok", "  null");
	ok(V[1].set && V[1].o == NULL, "  sent, no value");
	is_str(rd(decision, "{\"docs\":[\"a\",\"b\"]}"), "ok", "distinct elements");
	is_str(rd(decision, "{\"docs\":[\"a\",\"a\"]}"), "docs: each once",
	    "a repeat has its own reason, not the hint");
	is_str(rd(decision, "{\"docs\":[\"a\",\"b\",\"c\"]}"), "docs: names",
	    "  too many: the hint");
	is_str(rd(decision, "{\"docs\":[1]}"), "docs: names", "  a number: the element's hint");
}

static const struct in_field profile[] = {
	{ "phone", IN_STRING, IN_OPTIONAL, 1, 16 },
	{ "email", IN_REFUSED, .hint = "cannot be changed here" },
	{ "status", IN_REFUSED, .hint = "cannot be changed here" },
	{ NULL }
};
static const struct in_field nothing[] = { { NULL } };

static void
test_refused(void)
{
	is_str(rd(profile, "{\"phone\":\"1\"}"), "ok", "refused fields not sent");
	is_str(rd(profile, "{\"zzz\":1,\"status\":\"X\",\"email\":null}"),
	    "email: cannot be changed here",
	    "refused fields first, in the table's order, null or not");
	is_str(rd(profile, "{\"phone\":1,\"status\":1}"),
	    "status: cannot be changed here", "  before the other fields' faults");
	is_str(rd(nothing, "{}"), "ok", "an empty table: an empty body");
	is_str(rd(nothing, NULL), "ok", "  or none");
	is_str(rd(nothing, "{\"a\":1}"), "a: unknown field", "  refuses any field");
}

static void
test_rules_with_clock(void)
{
	static const struct in_field born[] = {
		{ "dateOfBirth", IN_STRING, IN_REQUIRED, 10, 10,
		    .rule = valid_birth_date },
		{ NULL }
	};
	struct json_object *o = obj("{\"dateOfBirth\":\"2000-01-01\"}");
	struct in_err e;

	/* 1 January 2018, noon UTC, and a year before. */
	ok(in_read(A, o, born, 1514808000, &V, &e) == ERR_OK,
	    "18 at the request's time");
	ok(in_read(A, o, born, 1514808000 - 365 * 86400, &V, &e) ==
	    ERR_INVALID_REQUEST &&
	    strcmp(e.reason, "must be at least 18 years old") == 0,
	    "  not a year before");
	json_object_put(o);
}

/* Without a table, for a body a service reads itself. */
static void
test_single(void)
{
	struct json_object *o = obj("{\"s\":\"abc\",\"n\":5,"
	    "\"c\":\"a\\u0001b\",\"z\":\"a\\u0000b\",\"nul\":null}");
	static const char *const allowed[] = { "s", "n", NULL };
	struct in_err e;
	const char *s;

	/* strings */
	ok(in_string(o, "s", IN_REQUIRED, 1, 10, &s, &e) == 0 && strcmp(s, "abc") == 0,
	    "string read");
	s = "junk";
	ok(in_string(o, "missing", IN_OPTIONAL, 1, 10, &s, &e) == 0 && s == NULL,
	    "absent optional string is NULL");
	s = "junk";
	ok(in_string(o, "nul", IN_OPTIONAL, 1, 10, &s, &e) == 0 && s == NULL,
	    "null optional string is NULL");
	ok(in_string(o, "missing", IN_REQUIRED, 1, 10, &s, &e) == -1 &&
	    strcmp(e.field, "missing") == 0 && strcmp(e.reason, "required") == 0,
	    "absent required string names the field");
	ok(in_string(o, "n", IN_REQUIRED, 1, 10, &s, &e) == -1 &&
	    strcmp(e.reason, "must be a string") == 0, "a number is not a string");
	ok(in_string(o, "s", IN_REQUIRED, 4, 10, &s, &e) == -1, "too short");
	ok(in_string(o, "s", IN_REQUIRED, 1, 2, &s, &e) == -1, "too long");
	ok(in_string(o, "c", IN_REQUIRED, 1, 10, &s, &e) == -1, "control character refused");
	ok(in_string(o, "z", IN_REQUIRED, 1, 10, &s, &e) == -1, "embedded NUL refused");

	/* unknown fields */
	ok(in_only(o, allowed, &e) == -1 && strcmp(e.reason, "unknown field") == 0,
	    "unknown fields refused");
	{
		struct json_object *x = obj("{\"s\":\"a\",\"n\":1}");

		ok(in_only(x, allowed, &e) == 0, "only allowed fields pass");
		json_object_put(x);
	}
	{
		struct json_object *x = json_object_new_int(1);

		ok(in_only(x, allowed, &e) == -1 &&
		    strcmp(e.reason, "must be a JSON object") == 0,
		    "a number is not an object with fields");
		json_object_put(x);
	}
	json_object_put(o);
}

int
main(void)
{
	if ((A = arena_new()) == NULL)
		abort();
	test_single();
	test_strings();
	test_order();
	test_objects();
	test_arrays();
	test_refused();
	test_bool_any_repeat();
	test_rules_with_clock();
	arena_free(A);
	return done_testing();
}
