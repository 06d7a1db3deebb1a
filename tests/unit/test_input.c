/* tests/unit/test_input.c — declared JSON fields: presence, types, sizes, e-mail and digit rules, text and names, unknown fields */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/input.h"
#include "tests/unit/tap.h"

static struct json_object *
obj(const char *text)
{
	return json_tokener_parse(text);
}

/* "Ali" + U+202E + "veli" as a JSON body gives it. */
static void
test_text_and_names(void)
{
	struct json_object *x = obj("{\"t\":\"Ali\\u202eveli\","
	    "\"n\":1,\"d\":\"R2D2\",\"ok\":\"Ay\\u015fe\"}");
	struct in_err e;
	const char *out;

	/* The rules themselves: tests/unit/test_valid.c. */
	ok(in_text(x, "t", IN_REQUIRED, 1, 100, &out, &e) == -1 &&
	    strcmp(e.field, "t") == 0 &&
	    strncmp(e.reason, "must not contain bidi", 21) == 0,
	    "text with a bidi override is refused, naming the field");
	ok(in_name(x, "t", IN_REQUIRED, 100, &out, &e) == -1, "  and so is a name");
	ok(in_name(x, "d", IN_REQUIRED, 100, &out, &e) == -1 &&
	    strstr(e.reason, "letters") != NULL, "a name has no digits");
	ok(in_text(x, "d", IN_REQUIRED, 1, 100, &out, &e) == 0 &&
	    strcmp(out, "R2D2") == 0, "  text may");
	ok(in_name(x, "ok", IN_REQUIRED, 4, &out, &e) == 0, "4 characters in 4 (5 bytes)");
	ok(in_name(x, "ok", IN_REQUIRED, 3, &out, &e) == -1 &&
	    strcmp(e.reason, "too long") == 0, "  not in 3");
	json_object_put(x);

	/* Over IN_TEXT_MAXBYTES: refused before the characters are looked at. */
	x = json_object_new_object();
	{
		char *big = malloc(IN_TEXT_MAXBYTES + 2);

		if (big == NULL)
			abort();
		memset(big, 'a', IN_TEXT_MAXBYTES + 1);
		big[IN_TEXT_MAXBYTES + 1] = '\0';
		json_object_object_add(x, "big", json_object_new_string(big));
		free(big);
	}
	json_object_object_add(x, "n", json_object_new_int(1));
	ok(in_text(x, "big", IN_REQUIRED, 1, 100000, &out, &e) == -1 &&
	    strcmp(e.reason, "too long") == 0, "a string over the byte ceiling");
	ok(in_name(x, "n", IN_REQUIRED, 10, &out, &e) == -1 &&
	    strcmp(e.reason, "must be a string") == 0, "a number is no name");
	out = "junk";
	ok(in_name(x, "missing", IN_OPTIONAL, 10, &out, &e) == 0 && out == NULL,
	    "an absent optional name is NULL");
	ok(in_text(x, "missing", IN_REQUIRED, 1, 10, &out, &e) == -1 &&
	    strcmp(e.reason, "required") == 0, "an absent required text");
	json_object_put(x);
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
	test_text_and_names();
	return done_testing();
}
