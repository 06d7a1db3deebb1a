/* tests/unit/test_util.c — core/util and the idempotency key rule: UTF-8, public ids, hex, tokens, times, uuids, numbers */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/idem.h"
#include "core/util.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_utf8(void)
{
	static const struct {
		const char	*s;
		size_t		 len;	/* 0: strlen */
		int		 valid;
		const char	*what;
	} cases[] = {
		{ "", 0, 1, "empty" },
		{ "hello, world", 0, 1, "ASCII" },
		{ "\x01\x1f\x7f", 0, 1, "ASCII controls other than NUL" },
		{ "\xc2\x80", 0, 1, "U+0080" },
		{ "\xc3\xa9t\xc3\xa9", 0, 1, "two-byte sequences" },
		{ "\xdf\xbf", 0, 1, "U+07FF" },
		{ "\xe0\xa0\x80", 0, 1, "U+0800" },
		{ "\xe2\x82\xac", 0, 1, "U+20AC" },
		{ "\xed\x9f\xbf", 0, 1, "U+D7FF, below the surrogates" },
		{ "\xee\x80\x80", 0, 1, "U+E000, above the surrogates" },
		{ "\xef\xbf\xbf", 0, 1, "U+FFFF" },
		{ "\xf0\x90\x80\x80", 0, 1, "U+10000" },
		{ "\xf0\x9d\x84\x9e", 0, 1, "U+1D11E" },
		{ "\xf4\x8f\xbf\xbf", 0, 1, "U+10FFFF" },
		{ "\0", 1, 0, "a lone NUL" },
		{ "a\0b", 3, 0, "NUL inside" },
		{ "ab\0", 3, 0, "NUL at the end" },
		{ "\xc0\x80", 0, 0, "overlong NUL" },
		{ "\xc0\xaf", 0, 0, "overlong '/'" },
		{ "\xc1\xbf", 0, 0, "overlong U+007F" },
		{ "\xe0\x80\x80", 0, 0, "overlong three-byte NUL" },
		{ "\xe0\x9f\xbf", 0, 0, "overlong U+07FF" },
		{ "\xf0\x80\x80\x80", 0, 0, "overlong four-byte NUL" },
		{ "\xf0\x8f\xbf\xbf", 0, 0, "overlong U+FFFF" },
		{ "\xed\xa0\x80", 0, 0, "U+D800" },
		{ "\xed\xbf\xbf", 0, 0, "U+DFFF" },
		{ "\xed\xa0\xbd\xed\xb8\x80", 0, 0, "a CESU-8 surrogate pair" },
		{ "\xf4\x90\x80\x80", 0, 0, "U+110000" },
		{ "\xf5\x80\x80\x80", 0, 0, "lead byte F5" },
		{ "\xf8\x88\x80\x80\x80", 0, 0, "five-byte form" },
		{ "\xfe", 0, 0, "FE" },
		{ "\xff", 0, 0, "FF" },
		{ "\x80", 0, 0, "a lone continuation byte" },
		{ "a\xbf", 0, 0, "a continuation byte after ASCII" },
		{ "\xc3", 0, 0, "a truncated two-byte sequence" },
		{ "\xe2\x82", 0, 0, "a truncated three-byte sequence" },
		{ "\xf0\x9d\x84", 0, 0, "a truncated four-byte sequence" },
		{ "\xc3\x41", 0, 0, "ASCII where a continuation belongs" },
		{ "\xe2\x28\xa1", 0, 0, "a bad second byte" },
		{ "\xe2\x82\x28", 0, 0, "a bad third byte" },
		{ "\xc3\xa9\xc3", 0, 0, "valid, then truncated" },
		{ "caf\xe9", 0, 0, "Latin-1" },
		{ "\xc3\xa9", 1, 0, "len cuts a sequence short" },
		{ "ab\xff", 2, 1, "len stops before a bad byte" },
	};
	size_t i, len;

	for (i = 0; i < NELEM(cases); i++) {
		len = cases[i].len ? cases[i].len : strlen(cases[i].s);
		is_int(util_utf8_valid(cases[i].s, len), cases[i].valid,
		    "%s: %s \"%s\"", cases[i].valid ? "valid" : "invalid",
		    cases[i].what, tap_esc(cases[i].s, len));
	}
}

static void
test_utf8_exhaustive(void)
{
	unsigned char b[4];
	unsigned long cp, bad = 0, n = 0;
	size_t len;

	/* Every scalar value encodes to something valid... */
	for (cp = 1; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp < 0x80) {
			b[0] = (unsigned char)cp;
			len = 1;
		} else if (cp < 0x800) {
			b[0] = (unsigned char)(0xc0 | cp >> 6);
			b[1] = (unsigned char)(0x80 | (cp & 0x3f));
			len = 2;
		} else if (cp < 0x10000) {
			b[0] = (unsigned char)(0xe0 | cp >> 12);
			b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			b[2] = (unsigned char)(0x80 | (cp & 0x3f));
			len = 3;
		} else {
			b[0] = (unsigned char)(0xf0 | cp >> 18);
			b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
			b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
			b[3] = (unsigned char)(0x80 | (cp & 0x3f));
			len = 4;
		}
		n++;
		if (!util_utf8_valid((char *)b, len))
			bad++;
	}
	is_int(bad, 0, "all %lu scalar values but NUL encode to valid UTF-8",
	    n);

	/* ...and every surrogate to something invalid. */
	for (bad = 0, cp = 0xd800; cp <= 0xdfff; cp++) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		if (util_utf8_valid((char *)b, 3))
			bad++;
	}
	is_int(bad, 0, "all 2048 surrogates are refused");
}

static void
test_public_id(void)
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	char id[64], prev[64], seen[256] = { 0 };
	int i, bad = 0, same = 0, symbols = 0;
	size_t j;

	is_int(util_public_id("ord_", id, sizeof(id)), 0, "util_public_id");
	is_int(strlen(id), 24, "  prefix and 20 characters");
	ok(strncmp(id, "ord_", 4) == 0, "  starting with the prefix (%s)", id);

	prev[0] = '\0';
	for (i = 0; i < 2000; i++) {
		if (util_public_id("usr_", id, sizeof(id)) != 0 ||
		    strlen(id) != 24 || strncmp(id, "usr_", 4) != 0) {
			bad++;
			continue;
		}
		for (j = 4; j < 24; j++) {
			if (strchr(b32, id[j]) == NULL || id[j] == '\0')
				bad++;
			seen[(unsigned char)id[j]] = 1;
		}
		if (strcmp(id, prev) == 0)
			same++;
		memcpy(prev, id, sizeof(prev));
	}
	for (j = 0; j < sizeof(b32) - 1; j++)
		symbols += seen[(unsigned char)b32[j]];
	is_int(bad, 0, "2000 ids: all base32 [a-z2-7] after the prefix");
	is_int(same, 0, "  no two in a row alike");
	is_int(symbols, 32, "  all 32 symbols occur");

	is_int(util_public_id("ord_", id, 25), 0, "25 bytes are enough");
	is_int(util_public_id("ord_", id, 24), -1, "24 are not");
	is_int(util_public_id("", id, 21), 0, "an empty prefix");
	is_int(strlen(id), 20, "  20 characters");
}

static void
test_hex(void)
{
	unsigned char in[64], out[64];
	char hex[129];
	size_t n, i;
	int bad = 0;

	util_hex((const unsigned char []){ 0x00, 0x01, 0xab, 0xff }, 4, hex);
	is_str(hex, "0001abff", "util_hex, lower case");
	util_hex(in, 0, hex);
	is_str(hex, "", "no bytes: \"\"");

	for (n = 0; n <= sizeof(in); n++) {
		if (util_random(in, sizeof(in)) != 0)
			bad++;
		memset(out, 0, sizeof(out));
		util_hex(in, n, hex);
		if (strlen(hex) != 2 * n || strspn(hex, "0123456789abcdef") !=
		    2 * n || util_unhex(hex, 2 * n, out) != 0 ||
		    memcmp(in, out, n) != 0)
			bad++;
	}
	is_int(bad, 0, "hex round trip of 0 to 64 random bytes");

	memset(out, 0, sizeof(out));
	ok(util_unhex("DEADbeef", 8, out) == 0 && out[0] == 0xde &&
	    out[1] == 0xad && out[2] == 0xbe && out[3] == 0xef,
	    "util_unhex takes either case");
	ok(util_unhex("abc", 3, out) == -1, "odd length is refused");
	ok(util_unhex("0g", 2, out) == -1, "'g' is refused");
	ok(util_unhex("g0", 2, out) == -1, "  in either position");
	ok(util_unhex(" 0", 2, out) == -1, "a space is refused");
	ok(util_unhex("0x", 2, out) == -1, "'x' is refused");
	ok(util_unhex("ab\0" "0", 4, out) == -1, "NUL is refused");
	ok(util_unhex("", 0, out) == 0, "nothing decodes to nothing");
	for (i = 0, bad = 0; i < 256; i++) {
		const char *d = "0123456789abcdef", *p;
		int want = -1;

		if (i != 0 && (p = strchr(d, (int)i)) != NULL)
			want = (int)(p - d);
		else if (i >= 'A' && i <= 'F')
			want = (int)i - 'A' + 10;
		if (util_hexval((int)i) != want)
			bad++;
	}
	is_int(bad, 0, "util_hexval: 0-9, a-f, A-F and nothing else, of all 256 bytes");
	for (i = 0, bad = 0; i < 256; i++) {
		char s[3] = { 'a', (char)i, '\0' };
		int want = (i >= '0' && i <= '9') || (i >= 'a' && i <= 'f') ||
		    (i >= 'A' && i <= 'F');

		if ((util_unhex(s, 2, out) == 0) != want)
			bad++;
	}
	is_int(bad, 0, "exactly [0-9a-fA-F] are hex digits");
}

static void
test_token(void)
{
	static const struct {
		const char	*s;
		size_t		 max;
		int		 valid;
	} cases[] = {
		{ "abc", 64, 1 },
		{ "A-Z_a.z:0-9", 64, 1 },
		{ "550e8400-e29b-41d4-a716-446655440000", 64, 1 },
		{ "x", 1, 1 },
		{ "xy", 1, 0 },
		{ "", 64, 0 },
		{ "a b", 64, 0 },
		{ "a/b", 64, 0 },
		{ "a\nb", 64, 0 },
		{ "a\rb", 64, 0 },
		{ "a\"b", 64, 0 },
		{ "a<b>", 64, 0 },
		{ "a%20b", 64, 0 },
		{ "caf\xc3\xa9", 64, 0 },
		{ "a+b", 64, 0 },
		{ "a=b", 64, 0 },
	};
	char s[80];
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		is_int(util_token_valid(cases[i].s, cases[i].max),
		    cases[i].valid, "token \"%s\" (max %zu)",
		    tap_esc(cases[i].s, strlen(cases[i].s)), cases[i].max);
	memset(s, 'a', sizeof(s));
	s[64] = '\0';
	is_int(util_token_valid(s, 64), 1, "64 characters with max 64");
	s[64] = 'a';
	s[65] = '\0';
	is_int(util_token_valid(s, 64), 0, "65 characters with max 64");
}

/* X-Idempotency-Key: what its 400 says, [A-Za-z0-9._~:-]{1,64}. */
static void
test_idem_key(void)
{
	static const struct {
		const char	*s;
		int		 valid;
	} cases[] = {
		{ "k~1", 1 },
		{ "k:1", 1 },
		{ "A-Z_a.z~0:9", 1 },
		{ "550e8400-e29b-41d4-a716-446655440000", 1 },
		{ "01ARZ3NDEKTSV4RRFFQ69G5FAV", 1 },
		{ "x", 1 },
		{ "", 0 },
		{ "k 1", 0 },
		{ "k/1", 0 },
		{ "k%7E1", 0 },
		{ "k+1", 0 },
		{ "k=1", 0 },
		{ "k@1", 0 },
		{ "k\"1", 0 },
		{ "k\t1", 0 },
		{ "k\xc3\xbc" "1", 0 },
	};
	char s[80];
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		is_int(idem_key_valid(cases[i].s), cases[i].valid,
		    "idempotency key \"%s\"", tap_esc(cases[i].s,
		    strlen(cases[i].s)));
	memset(s, '~', sizeof(s));
	s[IDEM_KEY_MAX] = '\0';
	is_int(idem_key_valid(s), 1, "%d characters", IDEM_KEY_MAX);
	s[IDEM_KEY_MAX] = '~';
	s[IDEM_KEY_MAX + 1] = '\0';
	is_int(idem_key_valid(s), 0, "%d characters", IDEM_KEY_MAX + 1);
}

static void
test_misc_util(void)
{
	struct timespec ts;
	char iso[ISO_TIME_LEN + 1], uuid[UUID_LEN + 1], uuid2[UUID_LEN + 1];
	int64_t t0, t1;
	size_t i;
	int shape = 1;

	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	util_iso_time(&ts, iso);
	is_str(iso, "1970-01-01T00:00:00.000Z", "util_iso_time at the epoch");
	ts.tv_sec = 1763548200;
	ts.tv_nsec = 999999999;
	util_iso_time(&ts, iso);
	is_str(iso, "2025-11-19T10:30:00.999Z", "  milliseconds truncate");
	ts.tv_sec = 951782400;		/* 2000-02-29 */
	ts.tv_nsec = 1000000;
	util_iso_time(&ts, iso);
	is_str(iso, "2000-02-29T00:00:00.001Z", "  a leap day, UTC");

	is_int(util_uuid(uuid), 0, "util_uuid");
	util_uuid(uuid2);
	for (i = 0; i < UUID_LEN; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? uuid[i] != '-' :
		    strchr("0123456789abcdef", uuid[i]) == NULL)
			shape = 0;
	ok(shape && strlen(uuid) == UUID_LEN, "  8-4-4-4-12 lower-case hex: %s",
	    uuid);
	ok(uuid[14] == '4' && strchr("89ab", uuid[19]) != NULL,
	    "  version 4, RFC 4122 variant");
	ok(strcmp(uuid, uuid2) != 0, "  two differ");

	t0 = util_now_ms();
	ok(t0 > 1700000000000LL, "util_now_ms is in milliseconds since 1970");
	t1 = util_now_ms();
	ok(t1 >= t0 && t1 - t0 < 5000, "  and moves forward");

	is_int(util_long("42", -1), 42, "util_long");
	is_int(util_long("-7", 0), -7, "  negative");
	is_int(util_long("", 9), 9, "  empty: default");
	is_int(util_long(NULL, 9), 9, "  NULL: default");
	is_int(util_long("4x", 9), 9, "  trailing junk: default");
	is_int(util_long("99999999999999999999999", 9), 9, "  overflow: default");
}

/* Extremes too: a subtraction in the comparison would overflow on them. */
static void
test_sort_i32(void)
{
	int32_t v[] = { 5, INT32_MAX, -3, 0, INT32_MIN, 5, 2 };
	const int32_t want[] = { INT32_MIN, -3, 0, 2, 5, 5, INT32_MAX };
	size_t i, same = 0;

	util_sort_i32(v, nitems(v));
	for (i = 0; i < nitems(v); i++)
		same += v[i] == want[i];
	is_int((long)same, (long)nitems(v), "util_sort_i32: ascending, extremes included");
	util_sort_i32(v, 0);
	is_int(v[0], INT32_MIN, "  an empty range is left alone");
}

int
main(void)
{
	test_utf8();
	test_utf8_exhaustive();
	test_public_id();
	test_hex();
	test_token();
	test_idem_key();
	test_misc_util();
	test_sort_i32();
	return done_testing();
}
