/* tests/unit/test_mail_encodings.c — core/mail and core/mime: encoded-word subjects, folding, quoted-printable and base64 bodies, From forms */
#define _GNU_SOURCE	/* nftw */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/mail.h"
#include "core/tmpl.h"
#include "tests/unit/fixture_mail.h"
#include "tests/unit/fixture_mime.h"
#include "tests/unit/tap.h"

static const struct kv v[] = {
	{ "name", "Zoë <b>&\"'" }, { "code", "55 66" },
};

/* Subjects: encoded words, each within 76 columns, and folding. */
static void
test_enc_subjects(void)
{
	struct mime m;
	char longsub[200], *msg, *sub;
	size_t i, maxl;

	/* Non-ASCII subject: encoded words, each within 76 columns. */
	put_tpl("intl", "Grüße {{name}} — ✓\n", "Hallo {{name}}\n",
	    "<p>Hallo {{name}}</p>\n");
	is_int(mail_send(A, "bob@example.org", "intl", v, 2), 0,
	    "non-ASCII subject sent");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0) {
		sub = hdr(m.hdrs, "Subject");
		ok(sub != NULL && strncmp(sub, "=?UTF-8?B?", 10) == 0,
		    "Subject as RFC 2047 encoded words");
		is_str(ew_decode(sub), "Grüße Zoë <b>&\"' — ✓",
		    "Subject decodes back");
		is_str(m.pdata[0], "Hallo Zoë <b>&\"'\n", "text part as is");
		is_str(m.pdata[1],
		    "<p>Hallo Zoë &lt;b&gt;&amp;&quot;&#39;</p>\n",
		    "HTML part escaped");
		ok(crlf_only(msg, &maxl) && maxl <= 78,
		    "lines within 78 columns");
	} else
		ok(0, "intl message");

	/* A long non-ASCII subject: several words, none splitting a character. */
	for (i = 0; i < 60; i++)
		memcpy(longsub + 2 * i, "é", 2);
	memcpy(longsub + 120, "€€€\n", 11);
	put_tpl("longintl", longsub, "x\n", "x\n");
	is_int(mail_send(A, "bob@example.org", "longintl", NULL, 0), 0,
	    "long non-ASCII subject sent");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0) {
		longsub[strlen(longsub) - 1] = '\0';
		sub = hdr(m.hdrs, "Subject");
		is_str(ew_decode(sub), longsub,
		    "decodes back; every word whole UTF-8");
		ok(crlf_only(msg, &maxl) && maxl <= 76,
		    "folded within 76 columns (%zu)", maxl);
	} else
		ok(0, "longintl message");

	/* "=?" in an ASCII subject would read as an encoded word. */
	put_tpl("eqq", "about =?x?= things\n", "x\n", "x\n");
	is_int(mail_send(A, "bob@example.org", "eqq", NULL, 0), 0,
	    "subject with =? sent");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0) {
		sub = hdr(m.hdrs, "Subject");
		ok(sub != NULL && strncmp(sub, "=?UTF-8?B?", 10) == 0,
		    "encoded");
		is_str(ew_decode(sub), "about =?x?= things", "decodes back");
	} else
		ok(0, "eqq message");

	/* A long ASCII subject folds at spaces and unfolds to itself. */
	for (i = 0; i < 20; i++)
		memcpy(longsub + 6 * i, "words ", 6);
	memcpy(longsub + 120, "end\n", 5);
	put_tpl("longascii", longsub, "x\n", "x\n");
	is_int(mail_send(A, "bob@example.org", "longascii", NULL, 0), 0,
	    "long ASCII subject sent");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0) {
		longsub[strlen(longsub) - 1] = '\0';
		is_str(hdr(m.hdrs, "Subject"), longsub, "unfolds to itself");
		ok(crlf_only(msg, &maxl) && maxl <= 78,
		    "folded within 78 columns (%zu)", maxl);
	} else
		ok(0, "longascii message");
}

/* Bodies: base64 or quoted-printable, whichever is shorter, decoding back. */
static void
test_enc_bodies(void)
{
	static const char cyr[] = "Здравствуйте! Ваш код подтверждения: "
	    "{{code}}. Никому его не сообщайте.\n";
	struct mime m;
	char longtxt[2048], *msg, *want;
	size_t i;
	int tw;

	/* Mostly Cyrillic: base64 is the shorter encoding. */
	put_tpl("cyr", "Код\n", cyr, "<p>Код: {{code}}</p>\n");
	is_int(mail_send(A, "bob@example.org", "cyr", v, 2), 0,
	    "Cyrillic body sent");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0) {
		is_str(m.pcte[0], "base64", "mostly non-ASCII: base64");
		want = tmpl_render(A, cyr, v, 2, 0);
		is_str(m.pdata[0], want, "base64 part decodes back");
		is_str(m.pdata[1], "<p>Код: 55 66</p>\n",
		    "short HTML part decodes back");
		ok(max_line(m.penc[0], &tw) <= 76, "base64 lines within 76");
	} else
		ok(0, "cyr message");

	/*
	 * Quoted-printable's corners: a long line, trailing blanks, '=',
	 * a leading '.', "From ", tabs, a CRLF in the template.
	 */
	i = 0;
	for (; i < 300; i++)
		longtxt[i] = (char)('a' + i % 26);
	longtxt[i] = '\0';
	snprintf(longtxt + i, sizeof(longtxt) - i,
	    "\n"
	    "trailing   \n"
	    "tab\t\n"
	    "a=b ==\n"
	    ".leading dot\n"
	    "..\n"
	    ".\n"
	    "From the start\n"
	    "crlf\r\n"
	    "é à ü {{code}}\n"
	    "%s=end", "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123");
	put_tpl("qp", "qp\n", longtxt, "x\n");
	is_int(mail_send(A, "bob@example.org", "qp", v, 2), 0,
	    "awkward text sent");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0) {
		is_str(m.pcte[0], "quoted-printable", "quoted-printable");
		want = strip_cr(tmpl_render(A, longtxt, v, 2, 0));
		is_str(m.pdata[0], want, "decodes back exactly");
		ok(max_line(m.penc[0], &tw) <= 76 &&
		    !tw, "lines within 76, no trailing blanks");
		ok(strstr(m.penc[0], "\n.") == NULL &&
		    m.penc[0][0] != '.', "no line starts with '.'");
	} else
		ok(0, "qp message");
}

/* From: a name that is not ASCII, one that is not atoms, a bare address. */
static void
test_enc_from(void)
{
	struct mime m;
	char *msg, *sub;

	setenv("HZM_MAIL_FROM", "\"Jörg at Ops\" <ops@example.net>", 1);
	is_int(mail_send(A, "bob@example.org", "intl", v, 2), 0,
	    "non-ASCII From name");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0) {
		sub = hdr(m.hdrs, "From");
		ok(sub != NULL && strncmp(sub, "=?UTF-8?B?", 10) == 0 &&
		    strstr(sub, "?= <ops@example.net>") != NULL,
		    "From: encoded name <addr>");
		sub = hdr(m.hdrs, "Message-ID");
		ok(sub != NULL && strstr(sub, "@example.net>") != NULL,
		    "Message-ID in the domain of mail_from");
	} else
		ok(0, "From message");
	setenv("HZM_MAIL_FROM", "hzm.io ops <ops@example.net>", 1);
	is_int(mail_send(A, "bob@example.org", "intl", v, 2), 0,
	    "From name with a dot");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0)
		is_str(hdr(m.hdrs, "From"), "\"hzm.io ops\" <ops@example.net>",
		    "quoted when not atoms");
	else
		ok(0, "From message");
	setenv("HZM_MAIL_FROM", "ops@example.net", 1);
	is_int(mail_send(A, "bob@example.org", "intl", v, 2), 0,
	    "bare From address");
	if ((msg = take_one(NULL, 0)) != NULL && mime_parse(&m, msg) == 0)
		is_str(hdr(m.hdrs, "From"), "ops@example.net", "From: addr");
	else
		ok(0, "From message");
	unsetenv("HZM_MAIL_FROM");
}

int
main(void)
{
	if (fx_mail_open("test_mail_encodings") == -1)
		return 1;
	/* Templates made up for the encodings: "intl" serves the From tests too. */
	setenv("HZM_TEMPLATES", tpldir, 1);
	test_enc_subjects();
	test_enc_bodies();
	test_enc_from();
	setenv("HZM_TEMPLATES", repo_tpl, 1);
	fx_log_private("55 66");
	fx_mail_close();
	return done_testing();
}
