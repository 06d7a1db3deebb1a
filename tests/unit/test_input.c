/* tests/unit/test_input.c — declared JSON fields: presence, types, sizes, e-mail and digit rules, unknown fields */
#include <string.h>

#include <json-c/json.h>

#include "core/input.h"
#include "tests/unit/tap.h"

static struct json_object *
obj(const char *text)
{
	return json_tokener_parse(text);
}

int
main(void)
{
	struct json_object *o = obj("{\"s\":\"abc\",\"n\":5,\"b\":true,"
	    "\"e\":\"Foo.Bar+x@Example.ORG\",\"d\":\"012345\",\"c\":\"a\\u0001b\","
	    "\"z\":\"a\\u0000b\",\"nul\":null,\"o\":{}}");
	static const char *const allowed[] = { "s", "n", NULL };
	struct json_object *sub;
	struct in_err e;
	const char *s;
	char email[64];
	int b = -1;

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

	/* digits: absent means NULL, never an uninitialised pointer */
	s = "junk";
	ok(in_digits(o, "missing", IN_OPTIONAL, 6, &s, &e) == 0 && s == NULL,
	    "absent optional digits are NULL");
	ok(in_digits(o, "d", IN_REQUIRED, 6, &s, &e) == 0 && strcmp(s, "012345") == 0,
	    "six digits, leading zero kept");
	ok(in_digits(o, "d", IN_REQUIRED, 5, &s, &e) == -1, "wrong length");
	ok(in_digits(o, "s", IN_REQUIRED, 3, &s, &e) == -1 &&
	    strcmp(e.reason, "must be digits") == 0, "letters are not digits");

	/* e-mail */
	ok(in_email(o, "e", email, sizeof(email), &e) == 0 &&
	    strcmp(email, "foo.bar+x@example.org") == 0, "e-mail lower-cased");
	{
		static const char *const bad[] = { "a", "a@b", "@b.c", "a@b.c.",
		    "a@@b.c", "a b@c.d", "a@.b", "\"a\"@b.c", "a@b.c@d.e" };
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct json_object *x = json_object_new_object();

			json_object_object_add(x, "e", json_object_new_string(bad[i]));
			ok(in_email(x, "e", email, sizeof(email), &e) == -1,
			    "not an e-mail: %s", bad[i]);
			json_object_put(x);
		}
	}

	/* booleans and objects */
	ok(in_bool(o, "b", IN_REQUIRED, &b, &e) == 0 && b == 1, "boolean read");
	ok(in_bool(o, "s", IN_REQUIRED, &b, &e) == -1, "a string is not a boolean");
	ok(in_object(o, "o", IN_REQUIRED, &sub, &e) == 0 && sub != NULL, "object read");
	ok(in_object(o, "s", IN_REQUIRED, &sub, &e) == -1, "a string is not an object");

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
	return done_testing();
}
