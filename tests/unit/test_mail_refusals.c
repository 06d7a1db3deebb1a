/* tests/unit/test_mail_refusals.c — core/mail: what mail_send refuses, and that none of it reaches the mail dir */
#define _GNU_SOURCE	/* nftw */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/mail.h"
#include "tests/unit/fixture_mail.h"
#include "tests/unit/tap.h"

static const struct kv v[] = {
	{ "code", "111222" }, { "email", "x@example.com" },
	{ "minutes", "10" },
};

static void
test_refuse_recipients(void)
{
	static const char *bad_to[] = {
		"", "plain", "a@b@example.com", "@example.com", "alice@",
		"ali ce@example.com", "alice@example.com\r\nBcc: e@evil.test",
		"alice@example.com\n", "alice@exa\rmple.com",
		"<alice@example.com>", "alice@example.com, e@evil.test",
		"al\"ice@example.com", "alice@example..com", "alice@.example.com",
		"alice@example.com.", "\xc3\xa9@example.com", "a\tb@example.com",
	};
	char local[70], domain[200], addr[300];
	size_t i;

	setenv("HZM_TEMPLATES", repo_tpl, 1);
	for (i = 0; i < NELEM(bad_to); i++)
		is_int(mail_send(A, bad_to[i], "verify_email", v, NELEM(v)),
		    -1, "recipient refused: bad_to[%zu]", i);
	is_int(mail_send(A, NULL, "verify_email", v, NELEM(v)), -1,
	    "NULL recipient refused");

	/* 64 + 1 + 189 = 254 octets: the longest address there can be. */
	memset(local, 'l', 64);
	local[64] = '\0';
	memset(domain, 'd', 185);
	memcpy(domain + 185, ".com", 5);
	snprintf(addr, sizeof(addr), "%s@%s", local, domain);
	is_int(strlen(addr), 254, "test address of 254 octets");
	is_int(mail_send(A, addr, "verify_email", v, NELEM(v)), 0,
	    "254 octets accepted");
	ok(take_one(NULL, 0) != NULL, "and written");
	snprintf(addr, sizeof(addr), "%s@d%s", local, domain);
	is_int(mail_send(A, addr, "verify_email", v, NELEM(v)), -1,
	    "255 octets refused");
	snprintf(addr, sizeof(addr), "l%s@example.com", local);
	is_int(mail_send(A, addr, "verify_email", v, NELEM(v)), -1,
	    "local part of 65 octets refused");
}

static void
test_refuse_templates(void)
{
	setenv("HZM_TEMPLATES", repo_tpl, 1);
	is_int(mail_send(A, "a@example.com", "../verify_email", v,
	    NELEM(v)), -1, "template name with ../ refused");
	is_int(mail_send(A, "a@example.com", "Verify_email", v, NELEM(v)),
	    -1, "template name outside [a-z0-9_] refused");
	is_int(mail_send(A, "a@example.com", "", v, NELEM(v)), -1,
	    "empty template name refused");
	is_int(mail_send(A, "a@example.com", NULL, v, NELEM(v)), -1,
	    "NULL template name refused");
	is_int(mail_send(A, "a@example.com", "no_such_template", v,
	    NELEM(v)), -1, "missing template: -1");
	is_int(mail_send(A, "a@example.com", "verify_email", v, 2), -1,
	    "a variable the template uses is missing: -1");
}

/* What the templates make of the values: one subject line, UTF-8. */
static void
test_refuse_rendered(void)
{
	struct kv inj[] = { { "code", "1\r\nBcc: evil@evil.test" } };

	setenv("HZM_TEMPLATES", tpldir, 1);
	put_tpl("inj", "Your code {{code}}\n", "code {{code}}\n",
	    "<p>{{code}}</p>\n");
	is_int(mail_send(A, "a@example.com", "inj", inj, 1), -1,
	    "CRLF in the rendered subject refused");
	inj[0].val = "1\nBcc: evil@evil.test";
	is_int(mail_send(A, "a@example.com", "inj", inj, 1), -1,
	    "LF in the rendered subject refused");
	inj[0].val = "1\rBcc: evil@evil.test";
	is_int(mail_send(A, "a@example.com", "inj", inj, 1), -1,
	    "CR in the rendered subject refused");
	put_tpl("twoline", "line one\nline two\n", "x\n", "x\n");
	is_int(mail_send(A, "a@example.com", "twoline", NULL, 0), -1,
	    "a two-line subject file refused");
	put_tpl("nosubj", "\n", "x\n", "x\n");
	is_int(mail_send(A, "a@example.com", "nosubj", NULL, 0), -1,
	    "an empty subject refused");
	inj[0].val = "\xff\xfe";
	is_int(mail_send(A, "a@example.com", "inj", inj, 1), -1,
	    "a value that is not UTF-8 refused");
	inj[0].val = "42";
	put_tpl("badbody", "ok\n", "{{code}\n", "x\n");
	is_int(mail_send(A, "a@example.com", "badbody", inj, 1), -1,
	    "an unterminated {{ in a body refused");
}

/* The transport, the sender, the mail dir; "inj" is test_refuse_rendered's. */
static void
test_refuse_config(void)
{
	struct kv inj[] = { { "code", "42" } };

	setenv("HZM_TEMPLATES", tpldir, 1);
	setenv("HZM_MAIL_TRANSPORT", "ftp://127.0.0.1/", 1);
	is_int(mail_send(A, "a@example.com", "inj", NULL, 0), -1,
	    "unknown transport refused");
	setenv("HZM_MAIL_TRANSPORT", "file", 1);
	setenv("HZM_MAIL_FROM", "no address here", 1);
	is_int(mail_send(A, "a@example.com", "inj", inj, 1), -1,
	    "an implausible mail_from refused");
	setenv("HZM_MAIL_FROM", "hzm <no-reply@hzm.local>\r\nBcc: e@evil.test",
	    1);
	is_int(mail_send(A, "a@example.com", "inj", inj, 1), -1,
	    "a mail_from with a line break refused");
	unsetenv("HZM_MAIL_FROM");

	is_int(mail_count(), 0, "no refused message reached the mail dir");
	setenv("HZM_MAIL_DIR", "/nonexistent/hzm-mail", 1);
	is_int(mail_send(A, "a@example.com", "inj", inj, 1), -1,
	    "missing mail_dir: -1");
	setenv("HZM_MAIL_DIR", maildir, 1);
	setenv("HZM_TEMPLATES", repo_tpl, 1);
	arena_reset(A);
}

int
main(void)
{
	if (fx_mail_open("test_mail_refusals") == -1)
		return 1;
	test_refuse_recipients();
	test_refuse_templates();
	test_refuse_rendered();
	test_refuse_config();
	fx_log_private("111222");
	fx_mail_close();
	return done_testing();
}
