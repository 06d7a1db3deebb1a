/* tests/unit/test_valid.c — the value rules: text and names code point by code point, e-mail, phone, dates and age, T.C. Kimlik No, countries, base64, amounts */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "core/valid.h"
#include "tests/unit/tap.h"

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

/* Why "Ali" + c + "veli" is refused as text (name: as a name), or NULL. */
static const char *
with_cp(uint32_t c, int name)
{
	char buf[32];
	size_t n;

	memcpy(buf, "Ali", 3);
	n = 3 + utf8_put(c, buf + 3);
	memcpy(buf + n, "veli", 4);
	n += 4;
	return name ? valid_name(buf, n, 1, 100) : valid_text(buf, n, 1, 100);
}

static int
starts(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
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
	const char *why;
	char buf[512];
	size_t i, n;
	uint32_t c;
	int bad;

	for (i = 0; i < nitems(refused); i++) {
		why = with_cp(refused[i].c, 0);
		ok(starts(why, refused[i].why), "text with U+%04X is refused: %s",
		    (unsigned)refused[i].c, why ? why : "(accepted)");
		ok(with_cp(refused[i].c, 1) != NULL, "  and so is a name");
	}
	for (i = 0; i < nitems(kept); i++) {
		why = with_cp(kept[i], 0);
		ok(why == NULL, "text with U+%04X is kept%s%s", (unsigned)kept[i],
		    why ? ": " : "", why ? why : "");
	}
	for (i = 0; i < nitems(names); i++) {
		why = valid_name(names[i], strlen(names[i]), 1, 100);
		ok(why == NULL, "name %s is a name%s%s", names[i],
		    why ? ": " : "", why ? why : "");
	}
	for (i = 0; i < nitems(badnames); i++) {
		why = valid_name(badnames[i].s, strlen(badnames[i].s), 1, 100);
		ok(why != NULL && strstr(why, badnames[i].why) != NULL,
		    "\"%s\" is no name: %s", badnames[i].s, why ? why : "(accepted)");
	}
	/* Text takes digits and marks that names do not. */
	ok(valid_text("Trader 42 <3", 12, 1, 64) == NULL,
	    "text takes digits and symbols");
	ok(valid_text("a\xf0\x9f\x98\x80", 5, 1, 64) == NULL, "and emoji");
	ok(valid_text("", 0, 0, 64) == NULL, "empty text where 0 is the minimum");

	/* Lengths count characters, not bytes. */
	for (n = 0, i = 0; i < 64; i++)
		n += utf8_put(0x015e, buf + n);
	ok(valid_text(buf, n, 1, 64) == NULL, "64 two-byte characters in 64");
	ok(valid_name(buf, n, 1, 64) == NULL, "  a name too");
	n += utf8_put(0x015e, buf + n);
	is_str(valid_text(buf, n, 1, 64), "too long", "65 are too long");
	is_str(valid_name(buf, n, 1, 64), "too long", "  for a name too");
	is_str(valid_text("ab", 2, 5, 64), "too short", "2 of at least 5 are too short");
	ok(strstr(valid_text("a\xff", 2, 1, 64), "UTF-8") != NULL,
	    "invalid UTF-8 is refused");
	ok(strstr(valid_text("a\xc0\x80", 3, 1, 64), "UTF-8") != NULL,
	    "  an overlong NUL too");

	/* The table is sorted and does not overlap: a bisection finds all. */
	for (bad = 0, c = 0; c <= 0x10ffff; c++) {
		int want = c < 0x20 || (c >= 0x7f && c <= 0xa0) ||
		    (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) ||
		    (c >= 0x2060 && c <= 0x206f) || (c >= 0xd800 && c <= 0xf8ff) ||
		    (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe ||
		    (c >= 0xe0000 && c <= 0xe0fff) || c >= 0xf0000;

		if (want && valid_codepoint(c) == NULL)
			bad++;
		if (c >= 0x21 && c <= 0x7e && valid_codepoint(c) != NULL)
			bad++;
	}
	is_int(bad, 0, "every range is found; printable ASCII passes");
}

static void
test_email(void)
{
	static const char *const good[] = { "a@b.c", "Foo.Bar+x@Example.ORG",
	    "a_b-c@d-e.f", "0@1.2" };
	static const char *const bad[] = { "a", "a@b", "@b.c", "a@b.c.",
	    "a@@b.c", "a b@c.d", "a@.b", "\"a\"@b.c", "a@b.c@d.e",
	    "\xc3\xa4@b.c", "a(b)@c.d", "a@b,c.d" };
	char local[80];
	size_t i;

	for (i = 0; i < nitems(good); i++)
		ok(valid_email(good[i]) == NULL, "an e-mail address: %s", good[i]);
	for (i = 0; i < nitems(bad); i++)
		is_str(valid_email(bad[i]), "not an e-mail address",
		    "not an e-mail address: %s", tap_esc(bad[i], strlen(bad[i])));
	memset(local, 'x', 64);
	memcpy(local + 64, "@b.c", 5);
	ok(valid_email(local) == NULL, "a local part of 64 characters");
	memset(local, 'x', 65);
	memcpy(local + 65, "@b.c", 5);
	ok(valid_email(local) != NULL, "  of 65 is refused");
}

static void
test_phone(void)
{
	static const char *const good[] = { "+905551234567", "+1234567",
	    "+123456789012345" };
	static const char *const bad[] = { "905551234567", "+0555123456",
	    "+123456", "+1234567890123456", "+12 3456789", "+1234567a", "+",
	    "", "++905551234567", "+905551234567\n" };
	int64_t num = 0;
	size_t i;

	for (i = 0; i < nitems(good); i++)
		ok(valid_phone(good[i], 0, &num) == NULL, "E.164: %s", good[i]);
	for (i = 0; i < nitems(bad); i++)
		is_str(valid_phone(bad[i], 0, &num),
		    "must be E.164, e.g. +905551234567", "not E.164: \"%s\"",
		    tap_esc(bad[i], strlen(bad[i])));
}

/* Noon UTC on the given day. */
static time_t
day(int y, int m, int d)
{
	struct tm t;

	memset(&t, 0, sizeof(t));
	t.tm_year = y - 1900;
	t.tm_mon = m - 1;
	t.tm_mday = d;
	t.tm_hour = 12;
	return timegm(&t);
}

static void
test_dates(void)
{
	static const char *const bad[] = { "1990-02-30", "1899-12-31",
	    "1990-5-17", "19900517", "2001-02-29", "1990-13-01", "1990-00-10",
	    "1990-01-00", "1990-04-31", "abcd-ef-gh", "1990-05-17T00", "",
	    "1900-02-29" };
	time_t now = day(2025, 6, 15);
	int y, m, d;
	size_t i;

	ok(valid_date("1990-05-17", &y, &m, &d) == 0 && y == 1990 && m == 5 &&
	    d == 17, "a date and its parts");
	ok(valid_date("2000-02-29", &y, &m, &d) == 0, "29 February 2000 (400 years)");
	ok(valid_date("2024-02-29", &y, &m, &d) == 0, "29 February 2024");
	ok(valid_date("1900-01-01", &y, &m, &d) == 0, "1 January 1900");
	for (i = 0; i < nitems(bad); i++)
		ok(valid_date(bad[i], &y, &m, &d) == -1, "not a date: \"%s\"", bad[i]);

	ok(valid_adult(2007, 6, 15, now), "18 on the day");
	ok(!valid_adult(2007, 6, 16, now), "not the day before");
	ok(!valid_adult(2007, 7, 1, now), "nor a month before");
	ok(valid_adult(1950, 1, 1, now), "long adult");
	/* Born on 29 February: adult on 1 March in a year without one. */
	ok(!valid_adult(2008, 2, 29, day(2026, 2, 28)), "29 Feb 2008: not on 28 Feb 2026");
	ok(valid_adult(2008, 2, 29, day(2026, 3, 1)), "  but on 1 March 2026");

	is_str(valid_birth_date("2007-06-15", now, NULL) ? "refused" : "ok", "ok",
	    "a birth date 18 years ago");
	is_str(valid_birth_date("2007-06-16", now, NULL),
	    "must be at least 18 years old", "a day short of 18");
	is_str(valid_birth_date("2007-06-31", now, NULL),
	    "must be a date YYYY-MM-DD from 1900 on", "no 31 June");
}

static void
test_identity(void)
{
	static const char *const tckn[] = { "10000000146", "12345678950",
	    "98765432150", "55555555550" };
	static const char *const nottckn[] = { "10000000147", "10000000136",
	    "01000000146", "1000000014", "100000001460", "1000000014a", "",
	    "12345678951" };
	size_t i;

	for (i = 0; i < nitems(tckn); i++) {
		ok(valid_tckn(tckn[i]), "T.C. Kimlik No %s", tckn[i]);
		ok(valid_id_number(tckn[i], "TR") == NULL, "  for a Turkish national");
	}
	for (i = 0; i < nitems(nottckn); i++) {
		ok(!valid_tckn(nottckn[i]), "not a T.C. Kimlik No: \"%s\"", nottckn[i]);
		is_str(valid_id_number(nottckn[i], "TR"), "not a valid T.C. Kimlik No",
		    "  refused for a Turkish national");
	}
	ok(valid_id_number("AB12345", "US") == NULL, "a passport number");
	ok(valid_id_number("A1234", "DE") == NULL, "  5 characters");
	ok(valid_id_number("A1234567890123456789", "DE") == NULL, "  20 characters");
	ok(valid_id_number("10000000147", "DE") == NULL,
	    "  digits that are no TCKN, for another nationality");
	is_str(valid_id_number("A123", "DE"), "5-20 letters and digits", "4 is too few");
	is_str(valid_id_number("A12345678901234567890", "DE"),
	    "5-20 letters and digits", "21 too many");
	is_str(valid_id_number("AB-12345", "DE"), "5-20 letters and digits",
	    "no punctuation");
	is_str(valid_id_number("AB 12345", "DE"), "5-20 letters and digits", "no space");

	ok(valid_country("TR", 0, NULL) == NULL, "TR is a country");
	ok(valid_country("AD", 0, NULL) == NULL, "AD, the first");
	ok(valid_country("ZW", 0, NULL) == NULL, "ZW, the last");
	ok(valid_country("US", 0, NULL) == NULL, "US");
	is_str(valid_country("XX", 0, NULL),
	    "must be an ISO 3166-1 alpha-2 code, e.g. TR", "XX is not");
	ok(valid_country("tr", 0, NULL) != NULL, "lower case is not");
	ok(valid_country("TUR", 0, NULL) != NULL, "alpha-3 is not");
	ok(valid_country("T", 0, NULL) != NULL, "one letter is not");
	ok(valid_country("R ", 0, NULL) != NULL, "a letter and the separator is not");
	ok(valid_country("", 0, NULL) != NULL, "nothing is not");
}

static void
test_base64(void)
{
	static const char *const good[] = { "YWJj", "YWI=", "YQ==", "+/+/",
	    "AAAAAAAA" };
	static const char *const bad[] = { "", "YWJ", "YWJjZ", "YW=j", "Y===",
	    "====", "YWJj\n", " YWJj", "YW-_", "YQ=\n", "YWJj====" };
	size_t i;

	for (i = 0; i < nitems(good); i++)
		ok(valid_base64(good[i], strlen(good[i])) == NULL, "base64: %s", good[i]);
	for (i = 0; i < nitems(bad); i++)
		is_str(valid_base64(bad[i], strlen(bad[i])),
		    "not valid base64 (RFC 4648, padded, no whitespace)",
		    "not base64: \"%s\"", tap_esc(bad[i], strlen(bad[i])));
	ok(valid_base64("YWJj", 3) != NULL, "the length given is what counts");
}

static void
test_rules(void)
{
	static const struct {
		const char	*s;
		const char	*why;	/* NULL: passes */
		int64_t		 num;
	} amounts[] = {
		{ "100000.00", NULL, 10000000 },
		{ "0", NULL, 0 },
		{ "1.5", NULL, 150 },
		{ "1.234", "at most 2 decimals", 0 },
		{ "-1", "must not be negative", 0 },
		{ "99999999999999999999", "too large", 0 },
		{ "1e5", "must be a decimal string such as \"100000.00\"", 0 },
		{ "1,000", "must be a decimal string such as \"100000.00\"", 0 },
		{ "+5", "must be a decimal string such as \"100000.00\"", 0 },
		{ ".5", "must be a decimal string such as \"100000.00\"", 0 },
		{ "", "must be a decimal string such as \"100000.00\"", 0 },
	};
	const char *why;
	int64_t num;
	size_t i;

	for (i = 0; i < nitems(amounts); i++) {
		num = -7;
		why = valid_try_amount(amounts[i].s, 0, &num);
		if (amounts[i].why == NULL)
			ok(why == NULL && num == amounts[i].num, "amount %s is %lld",
			    amounts[i].s, (long long)amounts[i].num);
		else
			is_str(why, amounts[i].why, "amount \"%s\"", amounts[i].s);
	}

	ok(valid_image_type("image/jpeg", 0, NULL) == NULL, "a JPEG photograph");
	ok(valid_image_type("image/png", 0, NULL) == NULL, "a PNG photograph");
	is_str(valid_image_type("application/pdf", 0, NULL),
	    "must be image/jpeg or image/png", "a PDF is no photograph");
	ok(valid_document_type("application/pdf", 0, NULL) == NULL, "a PDF document");
	ok(valid_document_type("image/png", 0, NULL) == NULL, "a PNG document");
	is_str(valid_document_type("image/gif", 0, NULL),
	    "must be image/jpeg, image/png or application/pdf", "no GIF");
	ok(valid_document_type("IMAGE/PNG", 0, NULL) != NULL, "types are lower case");

	ok(valid_ip_entry("10.0.0.0/8", 0, NULL) == NULL, "a CIDR range");
	ok(valid_ip_entry("::1", 0, NULL) == NULL, "an IPv6 address");
	ok(valid_ip_entry("1.2.3.4,5.6.7.8", 0, NULL) != NULL, "no ','");
	ok(valid_alnum("vmPUZE6mv9SD5VNH", 0, NULL) == NULL, "alnum: letters and digits");
	ok(valid_alnum("abc-def", 0, NULL) != NULL, "alnum: no punctuation");
	ok(valid_alnum("abc\r\nX: 1", 0, NULL) != NULL, "alnum: no line breaks");
	ok(valid_alnum("ab\xc3\xa7", 0, NULL) != NULL, "alnum: ASCII only");
	ok(valid_ip_entry("1.2.3.4 ", 0, NULL) != NULL, "no ' '");
}

/* The money handlers' rules: what each accepts and the reason it gives. */
static void
test_money_rules(void)
{
	static const struct {
		const char	*s;
		const char	*why;	/* NULL: passes */
		int64_t		 num;
	} try[] = {
		{ "100.50", NULL, 10050 },
		{ "0.01", NULL, 1 },
		{ "7", NULL, 700 },
		{ "0", "must be above 0", 0 },
		{ "0.00", "must be above 0", 0 },
		{ "1.234", "at most 2 decimals (TRY)", 0 },
		{ "-5", "negative value not allowed", 0 },
		{ "abc", "not a decimal number", 0 },
		{ "1e3", "not a decimal number", 0 },
		{ "", "not a decimal number", 0 },
		{ "99999999999999999999", "value out of range", 0 },
	};
	static const char *const decimals[] = { "0", "0.05", "12", "12.340",
	    "100000000" };
	static const char *const not_decimals[] = { "", "01", ".5", "5.", "-1",
	    "+1", "1e5", "1,5", "1.2.3", " 1", "0x10", "1 " };
	const char *why;
	int64_t num;
	size_t i;

	for (i = 0; i < nitems(try); i++) {
		num = -7;
		why = valid_try_positive(try[i].s, 0, &num);
		if (try[i].why == NULL)
			ok(why == NULL && num == try[i].num, "TRY %s is %lld",
			    try[i].s, (long long)try[i].num);
		else
			ok(why != NULL && strcmp(why, try[i].why) == 0 && num == -7,
			    "TRY \"%s\": %s", try[i].s, try[i].why);
	}
	for (i = 0; i < nitems(decimals); i++)
		ok(valid_decimal(decimals[i], 0, NULL) == NULL, "decimal %s",
		    decimals[i]);
	for (i = 0; i < nitems(not_decimals); i++)
		is_str(valid_decimal(not_decimals[i], 0, NULL),
		    "a decimal string such as \"0.05\"", "not a decimal: \"%s\"",
		    not_decimals[i]);

	ok(valid_network("BTC", 0, NULL) == NULL, "network BTC");
	ok(valid_network("TRC20", 0, NULL) == NULL, "network TRC20");
	is_str(valid_network("btc", 0, NULL), "a network code such as BTC",
	    "networks are upper case");
	ok(valid_network("B", 0, NULL) != NULL, "a network has 2 characters or more");
	ok(valid_network("ABCDEFGHIJK", 0, NULL) != NULL, "and 10 at most");
	ok(valid_network("BT-C", 0, NULL) != NULL, "no dash");

	ok(valid_alnum("Memo123", 0, NULL) == NULL, "a memo of letters and digits");
	is_str(valid_alnum("memo 1", 0, NULL), "letters and digits", "no space");
	ok(valid_alnum("m\xc3\xa9mo", 0, NULL) != NULL, "ASCII letters only");
	ok(valid_alnum("a-b", 0, NULL) != NULL, "no dash");

	ok(valid_slug("kyc_doc", 0, NULL) == NULL, "slug kyc_doc");
	ok(valid_slug("transaction_history2", 0, NULL) == NULL, "slug with a digit");
	is_str(valid_slug("Bad Name", 0, NULL), "a lower-case name such as kyc_doc",
	    "capitals and spaces refused");
	ok(valid_slug("_doc", 0, NULL) != NULL, "starts with a letter");
	ok(valid_slug("2doc", 0, NULL) != NULL, "not with a digit");
	ok(valid_slug("", 0, NULL) != NULL, "not empty");
	ok(valid_slug("kyc-doc", 0, NULL) != NULL, "no dash");
}

static void
test_ids_and_codes(void)
{
	ok(valid_public_id("usr_abcdefghijklmnopqrst", "usr_"), "a public id");
	ok(valid_public_id("wdr_234567abcdefghij2345", "wdr_"), "base32 digits");
	ok(!valid_public_id("usr_abcdefghijklmnopqrst", "wdr_"), "another prefix");
	ok(!valid_public_id("usr_abcdefghijklmnopqrs", "usr_"), "19 characters");
	ok(!valid_public_id("usr_abcdefghijklmnopqrstu", "usr_"), "21 characters");
	ok(!valid_public_id("usr_Abcdefghijklmnopqrst", "usr_"), "upper case");
	ok(!valid_public_id("usr_abcdefghijklmnopqrs1", "usr_"), "1 is not base32");
	ok(!valid_public_id("usr_abcdefghijklmnopqr'8", "usr_"), "quote and 8");
	ok(!valid_public_id(NULL, "usr_"), "NULL");
	ok(valid_code("BTC", 2, 10), "an asset");
	ok(valid_code("USDT20", 2, 10), "letters and digits");
	ok(!valid_code("btc", 2, 10), "lower case");
	ok(!valid_code("B", 2, 10), "too short");
	ok(!valid_code("BTCTRYBTCTRY", 2, 10), "too long");
	ok(!valid_code("BT-C", 2, 10), "a dash");
	ok(valid_code("", 0, 10), "empty when the minimum allows it");
	ok(!valid_code(NULL, 2, 10), "NULL");
}

int
main(void)
{
	test_text_and_names();
	test_email();
	test_phone();
	test_dates();
	test_identity();
	test_base64();
	test_rules();
	test_money_rules();
	test_ids_and_codes();
	return done_testing();
}
