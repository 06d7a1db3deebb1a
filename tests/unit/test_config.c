/* tests/unit/test_config.c — core/config: one line parsed, files loaded and loaded again, the environment over the file */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/config.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define KEY1	"000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"

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

/* Three files in a fresh directory: a good one, one with CRLF, a bad one. */
struct cfg_files {
	char	 dir[32], path[64], crlf[64], bad[64];
};

static int
cfg_files_make(struct cfg_files *f)
{
	snprintf(f->dir, sizeof(f->dir), "/tmp/hzm-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/hzm.conf", f->dir);
	snprintf(f->crlf, sizeof(f->crlf), "%s/crlf.conf", f->dir);
	snprintf(f->bad, sizeof(f->bad), "%s/bad.conf", f->dir);
	write_file(f->path,
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
	write_file(f->crlf, "# windows\r\n\r\ngamma = g\r\ndelta = d e\r\n");
	write_file(f->bad, "good = 1\nBad Line\nafter = 2\n");
	return 0;
}

static void
cfg_files_remove(const struct cfg_files *f)
{
	unlink(f->path);
	unlink(f->crlf);
	unlink(f->bad);
	rmdir(f->dir);
}

/* What a well-formed file gives cfg_get() and cfg_int(). */
static void
test_cfg_load_file(const struct cfg_files *f)
{
	is_int(cfg_load(f->path), 0, "cfg_load of a well-formed file");
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
}

/* HZM_<KEY> in the environment wins over the file. */
static void
test_cfg_load_env(void)
{
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
}

/* A new load replaces what the last one read, whatever it finds. */
static void
test_cfg_load_again(const struct cfg_files *f)
{
	int saved, rc;

	is_int(cfg_load(f->crlf), 0,
	    "a file with CRLF line ends loads cleanly");
	is_str(cfg_get("gamma", NULL), "g", "  CR is not part of a value");
	is_str(cfg_get("delta", NULL), "d e", "  nor of one with a space");
	ok(cfg_get("alpha", NULL) == NULL, "  the previous file is forgotten");

	saved = quiet_stderr();
	rc = cfg_load(f->bad);
	loud_stderr(saved);
	is_int(rc, -1, "a malformed line makes cfg_load fail");
	is_str(cfg_get("good", NULL), "1", "  the lines before it load");
	is_str(cfg_get("after", NULL), "2", "  and those after");

	is_int(cfg_load("/nonexistent/hzm.conf"), 0,
	    "a missing file is not an error");
	ok(cfg_get("good", NULL) == NULL, "  but clears the configuration");

	setenv("HZM_CONF", f->path, 1);
	is_int(cfg_load(NULL), 0, "cfg_load(NULL) reads $HZM_CONF");
	is_str(cfg_get("alpha", NULL), "three", "  alpha from it");
	unsetenv("HZM_CONF");
	is_int(cfg_load(NULL), 0, "cfg_load(NULL) without $HZM_CONF");
	ok(cfg_get("alpha", NULL) == NULL, "  loads nothing");
}

static void
test_cfg_load(void)
{
	struct cfg_files f;

	unsetenv("HZM_CONF");
	unsetenv("HZM_ALPHA");
	unsetenv("HZM_NUM");
	unsetenv("HZM_MAX_BODY");
	if (cfg_files_make(&f) == -1) {
		ok(0, "mkdtemp");
		return;
	}
	test_cfg_load_file(&f);
	test_cfg_load_env();
	test_cfg_load_again(&f);
	cfg_files_remove(&f);
}

int
main(void)
{
	test_cfg_parse_line();
	test_cfg_load();
	return done_testing();
}
