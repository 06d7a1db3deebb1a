/* tests/unit/test_core.c — core/arena, config, util, err, crypto and the idempotency key rule */
#include <fcntl.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/crypto.h"
#include "core/err.h"
#include "core/idem.h"
#include "core/util.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define KEY1	"000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"
#define KEY2	"F0E1D2C3B4A5968778695A4B3C2D1E0F" \
		"0123456789ABCDEFFEDCBA9876543210"

/* Arena */

static int order[8], norder;

static void
note(void *arg)
{
	if (norder < (int)NELEM(order))
		order[norder++] = (int)(intptr_t)arg;
}

static void
test_arena_alloc(void)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 8, 15, 16, 17, 31, 33,
	    100, 1000, 4095, 65536, 70000, 1 << 20, 5, 1 };
	unsigned char *p[NELEM(sizes)];
	struct arena *a;
	size_t i, j, misaligned = 0, damaged = 0;

	if ((a = arena_new()) == NULL) {
		ok(0, "arena_new");
		return;
	}
	for (i = 0; i < NELEM(sizes); i++) {
		if ((p[i] = arena_alloc(a, sizes[i])) == NULL)
			break;
		if ((uintptr_t)p[i] % alignof(max_align_t) != 0)
			misaligned++;
		memset(p[i], (int)(i + 1), sizes[i]);
	}
	is_int(i, NELEM(sizes), "%zu allocations of 1 byte to 1 MiB succeed",
	    NELEM(sizes));
	is_int(misaligned, 0, "  each aligned for max_align_t (%zu)",
	    alignof(max_align_t));
	/* Filled in turn, each still holds its own byte: no overlap. */
	for (i = 0; i < NELEM(sizes); i++)
		for (j = 0; j < sizes[i]; j++)
			if (p[i][j] != (unsigned char)(i + 1)) {
				damaged++;
				break;
			}
	is_int(damaged, 0, "  and none overlaps another");

	p[0] = arena_alloc(a, 0);
	p[1] = arena_alloc(a, 0);
	ok(p[0] != NULL && p[1] != NULL && p[0] != p[1],
	    "zero-byte allocations are distinct pointers");

	ok(arena_alloc(a, SIZE_MAX) == NULL, "SIZE_MAX bytes: NULL");
	ok(arena_alloc(a, SIZE_MAX - 8) == NULL, "SIZE_MAX - 8 bytes: NULL");
	ok(arena_calloc(a, SIZE_MAX / 2, 3) == NULL,
	    "calloc whose size overflows: NULL");
	p[0] = arena_calloc(a, 1000, 7);
	for (j = 0, damaged = 0; p[0] != NULL && j < 7000; j++)
		if (p[0][j] != 0)
			damaged++;
	ok(p[0] != NULL && damaged == 0, "arena_calloc memory is zeroed");

	is_str(arena_strdup(a, "hello"), "hello", "arena_strdup");
	is_str(arena_strndup(a, "hello", 3), "hel", "arena_strndup stops at n");
	is_str(arena_strndup(a, "hi", 0), "", "  n 0 gives \"\"");
	is_str(arena_printf(a, "%s-%d-%05.1f", "x", 42, 2.5), "x-42-002.5",
	    "arena_printf");
	{
		char big[3000];

		memset(big, 'z', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		p[0] = (unsigned char *)arena_printf(a, "<%s>", big);
		ok(p[0] != NULL && strlen((char *)p[0]) == sizeof(big) + 1 &&
		    p[0][0] == '<' && p[0][sizeof(big)] == '>',
		    "arena_printf of 3000 bytes");
	}

	/* After reset the arena serves again, large chunks included. */
	arena_reset(a);
	for (i = 0; i < 200; i++)
		if ((p[0] = arena_alloc(a, 10000)) == NULL)
			break;
		else
			memset(p[0], 0xab, 10000);
	is_int(i, 200, "2 MB in 10 kB pieces after a reset");
	arena_reset(a);
	p[0] = arena_alloc(a, 16);
	ok(p[0] != NULL, "and again after a second reset");
	arena_free(a);
	arena_free(NULL);
	ok(1, "arena_free(NULL) is harmless");
}

static void
test_arena_defer(void)
{
	struct arena *a;
	int i;

	if ((a = arena_new()) == NULL) {
		ok(0, "arena_new");
		return;
	}
	norder = 0;
	for (i = 1; i <= 3; i++)
		is_int(arena_defer(a, note, (void *)(intptr_t)i), 0,
		    "arena_defer %d", i);
	is_int(norder, 0, "no cleanup runs before the reset");
	arena_reset(a);
	is_int(norder, 3, "arena_reset runs all three");
	ok(order[0] == 3 && order[1] == 2 && order[2] == 1,
	    "  newest first: %d %d %d", order[0], order[1], order[2]);
	arena_reset(a);
	is_int(norder, 3, "a second reset runs none again");

	/* Cleanups registered among many allocations, spanning chunks. */
	norder = 0;
	arena_defer(a, note, (void *)(intptr_t)4);
	for (i = 0; i < 100; i++)
		arena_alloc(a, 4000);
	arena_defer(a, note, (void *)(intptr_t)5);
	arena_reset(a);
	ok(norder == 2 && order[0] == 5 && order[1] == 4,
	    "cleanups survive chunk changes");

	norder = 0;
	arena_defer(a, note, (void *)(intptr_t)6);
	arena_free(a);
	ok(norder == 1 && order[0] == 6, "arena_free runs pending cleanups");
}

/* Configuration */

static void
test_cfg_parse_line(void)
{
	static const struct {
		const char	*line;
		int		 rc;
		const char	*key;
		const char	*val;
	} cases[] = {
		{ "key = value", 0, "key", "value" },
		{ "key=value", 0, "key", "value" },
		{ "  key\t=\tvalue  \n", 0, "key", "value" },
		{ "key = value with spaces \t\r\n", 0, "key", "value with spaces" },
		{ "db = host=localhost dbname=hzm", 0, "db",
		    "host=localhost dbname=hzm" },
		{ "max_body = 1048576", 0, "max_body", "1048576" },
		{ "data_key_1 = " KEY1, 0, "data_key_1", KEY1 },
		{ "k9_x=", 0, "k9_x", "" },
		{ "k = \n", 0, "k", "" },
		{ "k = \"quoted\"", 0, "k", "\"quoted\"" },
		{ "", 0, "", "" },
		{ "\n", 0, "", "" },
		{ "   \t\n", 0, "", "" },
		{ "\r\n", 0, "", "" },
		{ " \t\r\n", 0, "", "" },
		{ "# comment", 0, "", "" },
		{ "   # indented = comment", 0, "", "" },
		{ "#key = value", 0, "", "" },
		{ "Key = v", -1, "", "" },
		{ "KEY = v", -1, "", "" },
		{ "ke-y = v", -1, "", "" },
		{ "ke.y = v", -1, "", "" },
		{ "key v", -1, "", "" },
		{ "key", -1, "", "" },
		{ "key\n", -1, "", "" },
		{ "= v", -1, "", "" },
		{ " = v", -1, "", "" },
		{ "k\xc3\xa9y = v", -1, "", "" },
		{ "key : v", -1, "", "" },
	};
	char key[64], val[256];
	size_t i;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		memset(key, 'X', sizeof(key));
		memset(val, 'X', sizeof(val));
		rc = cfg_parse_line(cases[i].line, key, sizeof(key), val,
		    sizeof(val));
		ok(rc == cases[i].rc && (rc == -1 ||
		    (strcmp(key, cases[i].key) == 0 &&
		    strcmp(val, cases[i].val) == 0)),
		    "line \"%s\": %d, \"%s\" = \"%s\"",
		    tap_esc(cases[i].line, strlen(cases[i].line)), rc,
		    rc == 0 ? key : "", rc == 0 ? tap_esc(val, strlen(val)) : "");
	}

	/* Keys and values must fit, terminator included. */
	is_int(cfg_parse_line("abcdefg = 1", key, 8, val, 8), 0,
	    "a 7-byte key fits in 8");
	is_int(cfg_parse_line("abcdefgh = 1", key, 8, val, 8), -1,
	    "an 8-byte key does not");
	is_int(cfg_parse_line("k = abcdefg", key, 8, val, 8), 0,
	    "a 7-byte value fits in 8");
	is_str(val, "abcdefg", "  whole");
	is_int(cfg_parse_line("k = abcdefgh", key, 8, val, 8), -1,
	    "an 8-byte value does not");
}

static int
quiet_stderr(void)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	if (null != -1) {
		dup2(null, 2);
		close(null);
	}
	return saved;
}

static void
loud_stderr(int saved)
{
	if (saved != -1) {
		dup2(saved, 2);
		close(saved);
	}
}

static int
write_file(const char *path, const char *text)
{
	FILE *f;
	int rc;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

static void
test_cfg_load(void)
{
	char dir[] = "/tmp/hzm-test-XXXXXX", path[64], crlf[64], bad[64];
	int saved, rc;

	unsetenv("HZM_CONF");
	unsetenv("HZM_ALPHA");
	unsetenv("HZM_NUM");
	unsetenv("HZM_MAX_BODY");
	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/hzm.conf", dir);
	snprintf(crlf, sizeof(crlf), "%s/crlf.conf", dir);
	snprintf(bad, sizeof(bad), "%s/bad.conf", dir);
	write_file(path,
	    "# hzm test configuration\n"
	    "\n"
	    "alpha = one\n"
	    "beta=two words\n"
	    "  num = 42\n"
	    "neg = -7\n"
	    "junk = 12x\n"
	    "empty =\n"
	    "max_body = 2048\n"
	    "alpha = three\n"
	    "last = no newline at the end");
	write_file(crlf, "# windows\r\n\r\ngamma = g\r\ndelta = d e\r\n");
	write_file(bad, "good = 1\nBad Line\nafter = 2\n");

	is_int(cfg_load(path), 0, "cfg_load of a well-formed file");
	is_str(cfg_get("alpha", NULL), "three", "  a repeated key: the last wins");
	is_str(cfg_get("beta", NULL), "two words", "  value with a space");
	is_str(cfg_get("last", NULL), "no newline at the end",
	    "  the last line needs no newline");
	is_str(cfg_get("empty", "dflt"), "", "  an empty value is a value");
	is_str(cfg_get("missing", "dflt"), "dflt", "  a missing key: default");
	ok(cfg_get("missing", NULL) == NULL, "  or NULL");
	is_int(cfg_int("num", 0), 42, "cfg_int");
	is_int(cfg_int("neg", 0), -7, "  negative");
	is_int(cfg_int("junk", 5), 5, "  not a whole number: default");
	is_int(cfg_int("beta", 6), 6, "  words: default");
	is_int(cfg_int("empty", 8), 8, "  empty: default");
	is_int(cfg_int("missing", -3), -3, "  missing: default");

	/* HZM_<KEY> in the environment wins over the file. */
	setenv("HZM_ALPHA", "from-env", 1);
	setenv("HZM_NUM", "99", 1);
	setenv("HZM_MAX_BODY", "4096", 1);
	setenv("HZM_NEW_KEY", "only-env", 1);
	is_str(cfg_get("alpha", NULL), "from-env", "HZM_ALPHA overrides alpha");
	is_int(cfg_int("num", 0), 99, "HZM_NUM overrides num");
	is_int(cfg_int("max_body", 0), 4096,
	    "HZM_MAX_BODY overrides max_body");
	is_str(cfg_get("new_key", NULL), "only-env",
	    "a key only in the environment");
	setenv("HZM_NUM", "", 1);
	is_int(cfg_int("num", 1), 1, "an empty HZM_NUM gives the default");
	setenv("HZM_NUM", "9x", 1);
	is_int(cfg_int("num", 2), 2, "a malformed HZM_NUM gives the default");
	unsetenv("HZM_ALPHA");
	unsetenv("HZM_NUM");
	unsetenv("HZM_MAX_BODY");
	unsetenv("HZM_NEW_KEY");
	is_str(cfg_get("alpha", NULL), "three", "unset: back to the file");
	is_int(cfg_int("max_body", 0), 2048, "  for max_body too");

	/* A new load replaces what the last one read. */
	is_int(cfg_load(crlf), 0, "a file with CRLF line ends loads cleanly");
	is_str(cfg_get("gamma", NULL), "g", "  CR is not part of a value");
	is_str(cfg_get("delta", NULL), "d e", "  nor of one with a space");
	ok(cfg_get("alpha", NULL) == NULL, "  the previous file is forgotten");

	saved = quiet_stderr();
	rc = cfg_load(bad);
	loud_stderr(saved);
	is_int(rc, -1, "a malformed line makes cfg_load fail");
	is_str(cfg_get("good", NULL), "1", "  the lines before it load");
	is_str(cfg_get("after", NULL), "2", "  and those after");

	is_int(cfg_load("/nonexistent/hzm.conf"), 0,
	    "a missing file is not an error");
	ok(cfg_get("good", NULL) == NULL, "  but clears the configuration");

	setenv("HZM_CONF", path, 1);
	is_int(cfg_load(NULL), 0, "cfg_load(NULL) reads $HZM_CONF");
	is_str(cfg_get("alpha", NULL), "three", "  alpha from it");
	unsetenv("HZM_CONF");
	is_int(cfg_load(NULL), 0, "cfg_load(NULL) without $HZM_CONF");
	ok(cfg_get("alpha", NULL) == NULL, "  loads nothing");

	unlink(path);
	unlink(crlf);
	unlink(bad);
	rmdir(dir);
}

/* Utilities */

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

/* Errors */

static void
test_err(void)
{
	static const struct {
		enum err	 e;
		const char	*code;
		int		 status;
	} spec[] = {
		{ ERR_INVALID_REQUEST, "INVALID_REQUEST", 400 },
		{ ERR_UNAUTHORIZED, "UNAUTHORIZED", 401 },
		{ ERR_FORBIDDEN, "FORBIDDEN", 403 },
		{ ERR_NOT_FOUND, "NOT_FOUND", 404 },
		{ ERR_INSUFFICIENT_BALANCE, "INSUFFICIENT_BALANCE", 400 },
		{ ERR_ORDER_NOT_FOUND, "ORDER_NOT_FOUND", 404 },
		{ ERR_RATE_LIMIT_EXCEEDED, "RATE_LIMIT_EXCEEDED", 429 },
		{ ERR_INTERNAL, "INTERNAL_ERROR", 500 },
		{ ERR_SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", 503 },
		{ ERR_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", 405 },
		{ ERR_PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", 413 },
		{ ERR_AUTH_002, "AUTH_002", 401 },
		{ ERR_TRADE_001, "TRADE_001", 400 },
		{ ERR_SYSTEM_003, "SYSTEM_003", 503 },
	};
	static const struct {
		int		 status;
		enum err	 e;
		const char	*reason;
	} statuses[] = {
		{ 400, ERR_INVALID_REQUEST, "Bad Request" },
		{ 401, ERR_UNAUTHORIZED, "Unauthorized" },
		{ 403, ERR_FORBIDDEN, "Forbidden" },
		{ 404, ERR_NOT_FOUND, "Not Found" },
		{ 405, ERR_METHOD_NOT_ALLOWED, "Method Not Allowed" },
		{ 409, ERR_CONFLICT, "Conflict" },
		{ 413, ERR_PAYLOAD_TOO_LARGE, "Payload Too Large" },
		{ 414, ERR_URI_TOO_LONG, "URI Too Long" },
		{ 415, ERR_UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type" },
		{ 422, ERR_UNPROCESSABLE, "Unprocessable Content" },
		{ 429, ERR_RATE_LIMIT_EXCEEDED, "Too Many Requests" },
		{ 431, ERR_HEADER_TOO_LARGE, "Request Header Fields Too Large" },
		{ 500, ERR_INTERNAL, "Internal Server Error" },
		{ 503, ERR_SERVICE_UNAVAILABLE, "Service Unavailable" },
		{ 418, ERR_INTERNAL, "Internal Server Error" },
		{ 0, ERR_INTERNAL, "Internal Server Error" },
	};
	int e, f, complete = 1, unique = 1, shape = 1, status_ok = 1, rt = 1;
	size_t i;

	for (e = 0; e < ERR__COUNT; e++) {
		const struct err_info *ei = err_info((enum err)e);

		if (ei == NULL || ei->code == NULL || ei->reason == NULL ||
		    ei->message == NULL || *ei->code == '\0' ||
		    *ei->reason == '\0' || *ei->message == '\0') {
			complete = 0;
			diag("an err without code, reason or message");
			continue;
		}
		if (strspn(ei->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
		    strlen(ei->code))
			shape = 0;
		if (e == ERR_OK ? ei->status != 200 :
		    ei->status < 400 || ei->status > 599)
			status_ok = 0;
		for (f = 0; f < e; f++)
			if (strcmp(err_info((enum err)f)->code, ei->code) == 0)
				unique = 0;
		/* The generic code for an error's status has that status. */
		if (e != ERR_OK &&
		    err_info(err_from_status(ei->status))->status != ei->status)
			rt = 0;
		if (strcmp(err_reason(ei->status), ei->reason) != 0)
			rt = 0;
	}
	ok(complete, "each of the %d errs has a code, reason and message",
	    ERR__COUNT);
	ok(shape, "  codes are [A-Z0-9_]");
	ok(unique, "  no two share a code");
	ok(status_ok, "  errors are 4xx or 5xx, ERR_OK is 200");
	ok(rt, "  err_from_status and err_reason agree with the table");

	for (i = 0; i < NELEM(spec); i++) {
		const struct err_info *ei = err_info(spec[i].e);

		ok(strcmp(ei->code, spec[i].code) == 0 &&
		    ei->status == spec[i].status, "%s is %d", spec[i].code,
		    spec[i].status);
	}

	ok(err_info(ERR__COUNT) == err_info(ERR_INTERNAL),
	    "an out-of-range err reads as ERR_INTERNAL");
	ok(err_info((enum err)-1) == err_info(ERR_INTERNAL), "  so does -1");

	for (i = 0; i < NELEM(statuses); i++) {
		is_int(err_from_status(statuses[i].status), statuses[i].e,
		    "err_from_status(%d)", statuses[i].status);
		if (statuses[i].status != 418 && statuses[i].status != 0)
			is_str(err_reason(statuses[i].status),
			    statuses[i].reason, "err_reason(%d)",
			    statuses[i].status);
	}
	is_str(err_reason(200), "OK", "err_reason(200)");
	is_str(err_reason(201), "Created", "err_reason(201)");
	is_str(err_reason(202), "Accepted", "err_reason(202)");
	is_str(err_reason(204), "No Content", "err_reason(204)");
}

/* Crypto */

static void
test_crypto(void)
{
	const char *secret = "JBSWY3DPEHPK3PXP totp secret";
	unsigned char blob[256], blob2[256], pt[256];
	size_t n = strlen(secret), blen, blen2, plen, i;
	int bad;

	unsetenv("HZM_CONF");
	cfg_load("/nonexistent/hzm.conf");
	unsetenv("HZM_DATA_KEY_VERSION");
	unsetenv("HZM_DATA_KEY_1");
	unsetenv("HZM_DATA_KEY_2");
	is_int(crypto_key_version(), 1, "the key version defaults to 1");
	is_int(crypto_seal("ctx", secret, n, blob, sizeof(blob), &blen), -1,
	    "no key configured: seal fails");

	setenv("HZM_DATA_KEY_1", KEY1, 1);
	is_int(crypto_seal("totp:usr_1", secret, n, blob, sizeof(blob), &blen),
	    0, "crypto_seal");
	is_int(blen, n + SEAL_OVERHEAD, "  adds SEAL_OVERHEAD bytes");
	is_int(blob[0], 1, "  the first byte is the key version");
	for (i = 0, bad = 0; i + 11 <= blen; i++)
		if (memcmp(blob + i, "totp secret", 11) == 0)
			bad++;
	is_int(bad, 0, "  the plaintext does not show");

	memset(pt, 0, sizeof(pt));
	plen = 0;
	ok(crypto_open("totp:usr_1", blob, blen, pt, sizeof(pt), &plen) == 0 &&
	    plen == n && memcmp(pt, secret, n) == 0, "crypto_open gives it back");

	crypto_seal("totp:usr_1", secret, n, blob2, sizeof(blob2), &blen2);
	ok(blen2 == blen && memcmp(blob, blob2, blen) != 0,
	    "sealing twice gives different blobs (fresh nonce)");
	ok(memcmp(blob + 1, blob2 + 1, 12) != 0, "  the nonces differ");

	ok(crypto_open("totp:usr_2", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "another context does not open it");
	ok(crypto_open("", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "  nor does the empty one");
	ok(crypto_open("totp:usr_1 ", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "  nor one with a trailing space");

	/* Every single-bit change anywhere is caught. */
	for (i = 0, bad = 0; i < blen * 8; i++) {
		memcpy(blob2, blob, blen);
		blob2[i / 8] ^= (unsigned char)(1 << (i % 8));
		if (crypto_open("totp:usr_1", blob2, blen, pt, sizeof(pt),
		    &plen) != -1)
			bad++;
	}
	is_int(bad, 0, "each of %zu one-bit changes is refused", blen * 8);

	ok(crypto_open("totp:usr_1", blob, blen - 1, pt, sizeof(pt), &plen) ==
	    -1, "a truncated blob is refused");
	memcpy(blob2, blob, blen);
	blob2[blen] = 0;
	ok(crypto_open("totp:usr_1", blob2, blen + 1, pt, sizeof(pt), &plen) ==
	    -1, "a blob with a byte appended is refused");
	ok(crypto_open("totp:usr_1", blob, SEAL_OVERHEAD - 1, pt, sizeof(pt),
	    &plen) == -1, "a blob shorter than the overhead is refused");
	ok(crypto_open("totp:usr_1", blob, 0, pt, sizeof(pt), &plen) == -1,
	    "  an empty one too");
	ok(crypto_open("totp:usr_1", blob, blen, pt, n - 1, &plen) == -1,
	    "a plaintext buffer one byte short is refused");
	ok(crypto_seal("totp:usr_1", secret, n, blob2, n + SEAL_OVERHEAD - 1,
	    &blen2) == -1, "a blob buffer one byte short is refused");
	ok(crypto_seal("totp:usr_1", secret, n, blob2, n + SEAL_OVERHEAD,
	    &blen2) == 0, "  an exact one is enough");

	ok(crypto_seal("c", "", 0, blob2, sizeof(blob2), &blen2) == 0 &&
	    blen2 == SEAL_OVERHEAD && crypto_open("c", blob2, blen2, pt,
	    sizeof(pt), &plen) == 0 && plen == 0, "an empty plaintext");

	/* The same version under another key: refused. */
	setenv("HZM_DATA_KEY_1", KEY2, 1);
	ok(crypto_open("totp:usr_1", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "another key under the same version does not open it");

	/* Rotation: new seals use version 2, old blobs still open. */
	setenv("HZM_DATA_KEY_1", KEY1, 1);
	setenv("HZM_DATA_KEY_2", KEY2, 1);
	setenv("HZM_DATA_KEY_VERSION", "2", 1);
	is_int(crypto_key_version(), 2, "data_key_version 2");
	ok(crypto_seal("totp:usr_1", secret, n, blob2, sizeof(blob2),
	    &blen2) == 0 && blob2[0] == 2, "  new seals carry version 2");
	ok(crypto_open("totp:usr_1", blob2, blen2, pt, sizeof(pt), &plen) ==
	    0 && plen == n && memcmp(pt, secret, n) == 0, "  and open");
	ok(crypto_open("totp:usr_1", blob, blen, pt, sizeof(pt), &plen) == 0 &&
	    plen == n && memcmp(pt, secret, n) == 0,
	    "  a version 1 blob still opens");
	unsetenv("HZM_DATA_KEY_1");
	ok(crypto_open("totp:usr_1", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "  until key 1 is removed");
	blob2[0] = 1;
	setenv("HZM_DATA_KEY_1", KEY1, 1);
	ok(crypto_open("totp:usr_1", blob2, blen2, pt, sizeof(pt), &plen) == -1,
	    "relabelling a blob's version is refused");

	/* Bad configuration fails closed. */
	setenv("HZM_DATA_KEY_VERSION", "0", 1);
	is_int(crypto_key_version(), -1, "data_key_version 0 is invalid");
	ok(crypto_seal("c", "x", 1, blob2, sizeof(blob2), &blen2) == -1,
	    "  and seal fails");
	setenv("HZM_DATA_KEY_VERSION", "256", 1);
	is_int(crypto_key_version(), -1, "data_key_version 256 is invalid");
	setenv("HZM_DATA_KEY_VERSION", "255", 1);
	is_int(crypto_key_version(), 255, "data_key_version 255 is valid");
	setenv("HZM_DATA_KEY_VERSION", "1", 1);
	setenv("HZM_DATA_KEY_1", KEY1 "0", 1);
	ok(crypto_seal("c", "x", 1, blob2, sizeof(blob2), &blen2) == -1,
	    "a 65-character key is refused");
	setenv("HZM_DATA_KEY_1", "zz0102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f", 1);
	ok(crypto_seal("c", "x", 1, blob2, sizeof(blob2), &blen2) == -1,
	    "a key that is not hex is refused");
	unsetenv("HZM_DATA_KEY_VERSION");
	unsetenv("HZM_DATA_KEY_1");
	unsetenv("HZM_DATA_KEY_2");
}

int
main(void)
{
	diag("arena");
	test_arena_alloc();
	test_arena_defer();
	diag("config");
	test_cfg_parse_line();
	test_cfg_load();
	diag("util");
	test_utf8();
	test_utf8_exhaustive();
	test_public_id();
	test_hex();
	test_token();
	test_idem_key();
	test_misc_util();
	diag("err");
	test_err();
	diag("crypto");
	test_crypto();
	return done_testing();
}
