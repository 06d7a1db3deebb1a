/* tests/unit/test_input.c — declared JSON fields: presence, types, sizes, e-mail and digit rules, text and names, unknown fields */
#include <stdint.h>
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

/* UTF-8 for code point c into buf; its length. */
static size_t
utf8_put(uint32_t c, char *buf)
{
	if (c < 0x80) {
		buf[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		buf[0] = (char)(0xc0 | c >> 6);
		buf[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		buf[0] = (char)(0xe0 | c >> 12);
		buf[1] = (char)(0x80 | (c >> 6 & 0x3f));
		buf[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | c >> 18);
	buf[1] = (char)(0x80 | (c >> 12 & 0x3f));
	buf[2] = (char)(0x80 | (c >> 6 & 0x3f));
	buf[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* "Ali" + c + "veli", as in_text and in_name see it from a JSON body. */
static const char *
with_cp(uint32_t c, const char **fieldwhy, int name)
{
	static char buf[32];
	struct json_object *x = json_object_new_object();
	const char *out;
	struct in_err e = { NULL, NULL };
	size_t n = 0;
	int rc;

	memcpy(buf, "Ali", 3);
	n = 3 + utf8_put(c, buf + 3);
	memcpy(buf + n, "veli", 5);
	json_object_object_add(x, "f", json_object_new_string(buf));
	rc = name ? in_name(x, "f", IN_REQUIRED, 100, &out, &e) :
	    in_text(x, "f", IN_REQUIRED, 1, 100, &out, &e);
	*fieldwhy = rc == -1 && e.field && strcmp(e.field, "f") == 0 ?
	    e.reason : NULL;
	json_object_put(x);
	return rc == 0 ? out : NULL;
}

static void
test_text_and_names(void)
{
	static const struct {
		uint32_t	 c;
		const char	*why;	/* how the reason starts */
	} refused[] = {
		{ 0x0001, "must not contain control" },
		{ 0x0009, "must not contain control" },
		{ 0x000a, "must not contain control" },
		{ 0x001b, "must not contain control" },
		{ 0x007f, "must not contain control" },
		{ 0x0080, "must not contain control" },
		{ 0x0085, "must not contain control" },	/* NEL */
		{ 0x009b, "must not contain control" },	/* CSI */
		{ 0x009f, "must not contain control" },
		{ 0x061c, "must not contain bidi" },
		{ 0x200e, "must not contain bidi" },
		{ 0x200f, "must not contain bidi" },
		{ 0x202a, "must not contain bidi" },
		{ 0x202b, "must not contain bidi" },
		{ 0x202c, "must not contain bidi" },
		{ 0x202d, "must not contain bidi" },
		{ 0x202e, "must not contain bidi" },
		{ 0x2066, "must not contain bidi" },
		{ 0x2067, "must not contain bidi" },
		{ 0x2068, "must not contain bidi" },
		{ 0x2069, "must not contain bidi" },
		{ 0x200b, "must not contain invisible" },
		{ 0x200c, "must not contain invisible" },
		{ 0x200d, "must not contain invisible" },
		{ 0x2060, "must not contain invisible" },
		{ 0x2064, "must not contain invisible" },
		{ 0xfeff, "must not contain invisible" },
		{ 0x00ad, "must not contain invisible" },
		{ 0x034f, "must not contain invisible" },
		{ 0x115f, "must not contain invisible" },
		{ 0x3164, "must not contain invisible" },
		{ 0x180e, "must not contain invisible" },
		{ 0xfe0f, "must not contain invisible" },
		{ 0xfff9, "must not contain invisible" },
		{ 0xe0041, "must not contain invisible" },	/* TAG LATIN A */
		{ 0xe0100, "must not contain invisible" },
		{ 0x00a0, "must not contain spaces" },
		{ 0x2002, "must not contain spaces" },
		{ 0x2028, "must not contain spaces" },
		{ 0x2029, "must not contain spaces" },
		{ 0x202f, "must not contain spaces" },
		{ 0x3000, "must not contain spaces" },
		{ 0xe000, "must not contain private" },
		{ 0xf8ff, "must not contain private" },
		{ 0xfdd0, "must not contain private" },
		{ 0xfffe, "must not contain private" },
		{ 0x10ffff, "must not contain private" },
		{ 0xf0000, "must not contain private" },
	};
	static const uint32_t kept[] = { 0x00e7, 0x011f, 0x0131, 0x015f,
	    0x00f1, 0x0301, 0x05d0, 0x0627, 0x4e2d, 0xac00, 0x1f600,
	    0x00b7, 0x2010, 0x2019, 0x2070, 0xfffd, 0x20000 };
	static const char *const names[] = { "Ay\xc5\x9f" "e Y\xc4\xb1lmaz",
	    "O'Neil-Yilmaz", "Jean-Luc", "J. R. R.", "\xe6\x9d\x8e",
	    "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf", "Zo\xc3\xab", "e\xcc\x81mile",
	    "\xc3\x87" "a\xc4\x9f" "da\xc5\x9f" };
	static const struct {
		const char	*s;
		const char	*why;
	} badnames[] = {
		{ "R2D2", "letters" },
		{ "<script>", "letters" },
		{ "a_b", "letters" },
		{ "a\"b", "letters" },
		{ "a;b", "letters" },
		{ "-", "must contain a letter" },
		{ "'.'", "must contain a letter" },
		{ "Ali  Veli", "no two spaces" },
		{ " Ali", "no leading" },
		{ "Ali ", "no leading" },
		{ "", "must not be empty" },
		{ "Ali\xe2\x80\xaeilev", "must not contain bidi" },
	};
	struct json_object *x;
	const char *why, *out;
	struct in_err e;
	char buf[512];
	size_t i, n;
	uint32_t c;
	int bad;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		out = with_cp(refused[i].c, &why, 0);
		ok(out == NULL && why != NULL && strncmp(why, refused[i].why,
		    strlen(refused[i].why)) == 0,
		    "text with U+%04X is refused: %s", (unsigned)refused[i].c,
		    why ? why : "(accepted)");
		out = with_cp(refused[i].c, &why, 1);
		ok(out == NULL && why != NULL, "  and so is a name");
	}
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		out = with_cp(kept[i], &why, 0);
		ok(out != NULL, "text with U+%04X is kept%s%s",
		    (unsigned)kept[i], why ? ": " : "", why ? why : "");
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		why = in_name_check(names[i], strlen(names[i]), 100);
		ok(why == NULL, "name %s is a name%s%s", names[i],
		    why ? ": " : "", why ? why : "");
	}
	for (i = 0; i < sizeof(badnames) / sizeof(badnames[0]); i++) {
		why = in_name_check(badnames[i].s, strlen(badnames[i].s), 100);
		ok(why != NULL && strstr(why, badnames[i].why) != NULL,
		    "\"%s\" is no name: %s", badnames[i].s, why ? why : "(accepted)");
	}
	/* Text takes digits and marks that names do not. */
	ok(in_text_check("Trader 42 <3", 12, 1, 64) == NULL,
	    "text takes digits and symbols");
	ok(in_text_check("a\xf0\x9f\x98\x80", 5, 1, 64) == NULL, "and emoji");

	/* Lengths count characters, not bytes. */
	for (n = 0, i = 0; i < 64; i++)
		n += utf8_put(0x015e, buf + n);
	ok(in_text_check(buf, n, 1, 64) == NULL, "64 two-byte characters in 64");
	n += utf8_put(0x015e, buf + n);
	ok((why = in_text_check(buf, n, 1, 64)) != NULL &&
	    strcmp(why, "too long") == 0, "65 are too long");
	ok((why = in_text_check("ab", 2, 5, 64)) != NULL &&
	    strcmp(why, "too short") == 0, "2 of at least 5 are too short");
	ok((why = in_text_check("a\xff", 2, 1, 64)) != NULL &&
	    strstr(why, "UTF-8") != NULL, "invalid UTF-8 is refused");

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

	/* The table is sorted and does not overlap: a bisection finds all. */
	for (bad = 0, c = 0; c <= 0x10ffff; c++) {
		int want = c < 0x20 || (c >= 0x7f && c <= 0xa0) ||
		    (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
		    (c >= 0x2060 && c <= 0x206f) || (c >= 0xd800 && c <= 0xf8ff) ||
		    (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe ||
		    (c >= 0xe0000 && c <= 0xe0fff) || c >= 0xf0000;

		if (want && in_cp_refused(c) == NULL)
			bad++;
		if (c >= 0x21 && c <= 0x7e && in_cp_refused(c) != NULL)
			bad++;
	}
	is_int(bad, 0, "every range is found; printable ASCII passes");
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
