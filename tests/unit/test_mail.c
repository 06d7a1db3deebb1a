/* tests/unit/test_mail.c — core/mail: templates, MIME structure, file and SMTP transports */
#define _GNU_SOURCE	/* strptime, timegm */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/tmpl.h"
#include "core/util.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXPARTS	4

static struct arena	*A;
static char		 root[64];		/* everything this test writes */
static char		 maildir[128];		/* HZM_MAIL_DIR */
static char		 tpldir[128];		/* templates made up here */
static char		 logpath[128];
static char		 repo_tpl[1024];	/* the repository's templates */

static void __attribute__((format(printf, 1, 2)))
diagf(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Files */

/* A whole file, NUL-terminated, in the arena; NULL if unreadable. */
static char *
slurp(const char *path)
{
	char *s = NULL, *p;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if ((p = arena_alloc(A, cap)) == NULL) {
				close(fd);
				return NULL;
			}
			if (len > 0)
				memcpy(p, s, len);
			s = p;
		}
		if ((n = read(fd, s + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0)
		return NULL;
	s[len] = '\0';
	return s;
}

static int
spew(const char *path, const char *s)
{
	FILE *f;
	int rc;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	rc = fputs(s, f) == EOF ? -1 : 0;
	if (fclose(f) == EOF)
		rc = -1;
	return rc;
}

/* A made-up template in tpldir/mail. */
static void
put_tpl(const char *name, const char *subject, const char *txt,
    const char *html)
{
	const char *ext[] = { "subject", "txt", "html" };
	const char *body[] = { subject, txt, html };
	char path[512];
	size_t i;

	for (i = 0; i < NELEM(ext); i++) {
		snprintf(path, sizeof(path), "%s/mail/%s.%s", tpldir, name,
		    ext[i]);
		if (spew(path, body[i]) == -1)
			diagf("cannot write %s", path);
	}
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Names of the .eml files and of any other entries in dir. */
static int
scan_dir(const char *dir, char *eml, size_t emlsz, int *others)
{
	struct dirent *de;
	DIR *d;
	int n = 0;
	size_t len;

	*others = 0;
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		len = strlen(de->d_name);
		if (de->d_name[0] != '.' && len > 4 &&
		    strcmp(de->d_name + len - 4, ".eml") == 0) {
			if (n++ == 0 && eml != NULL)
				snprintf(eml, emlsz, "%s", de->d_name);
		} else
			(*others)++;
	}
	closedir(d);
	return n;
}

/*
 * The one message the last send left in maildir, removed from there so
 * the next check starts empty; NULL unless there was exactly one.
 */
static char *
take_one(char *name, size_t namesz)
{
	char path[512], first[256];
	int n, others;
	char *s;

	n = scan_dir(maildir, first, sizeof(first), &others);
	if (n != 1 || others != 0) {
		diagf("%d messages and %d other files in the mail dir", n,
		    others);
		nftw(maildir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
		mkdir(maildir, 0700);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", maildir, first);
	s = slurp(path);
	unlink(path);
	if (name != NULL)
		snprintf(name, namesz, "%s", first);
	return s;
}

static int
mail_count(void)
{
	int others;

	return scan_dir(maildir, NULL, 0, &others) + others;
}

/* MIME, read back independently of core/mail.c */

struct mime {
	char	*hdrs;			/* unfolded on demand by hdr() */
	int	 nparts;
	char	*ptype[MAXPARTS];
	char	*pcte[MAXPARTS];
	char	*penc[MAXPARTS];	/* the part body as sent */
	char	*pdata[MAXPARTS];	/* decoded, line breaks as LF */
};

/* s without the CR of each CRLF. */
static char *
strip_cr(const char *s)
{
	char *o = arena_alloc(A, strlen(s) + 1), *p = o;

	for (; *s != '\0'; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			*p++ = *s;
	*p = '\0';
	return o;
}

/* Header field name of hdrs (LF lines), unfolded, leading blanks cut. */
static char *
hdr(const char *hdrs, const char *name)
{
	size_t nl = strlen(name);
	const char *p = hdrs, *e;
	char *o, *q;

	for (; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':')
			break;
		if (strchr(p, '\n') == NULL)
			return NULL;
	}
	if (*p == '\0')
		return NULL;
	p += nl + 1;
	for (e = p; *e != '\0'; e++)
		if (e[0] == '\n' && e[1] != ' ' && e[1] != '\t')
			break;
	q = o = arena_alloc(A, (size_t)(e - p) + 1);
	for (; p < e; p++)
		if (*p != '\n')
			*q++ = *p;
	*q = '\0';
	while (*o == ' ' || *o == '\t')
		o++;
	return o;
}

static int
hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;	/* RFC 2045: upper case only */
}

static char *
qp_decode(const char *s)
{
	char *o = arena_alloc(A, strlen(s) + 1), *p = o;

	while (*s != '\0') {
		if (*s != '=') {
			*p++ = *s++;
			continue;
		}
		if (s[1] == '\n') {
			s += 2;
			continue;
		}
		if (hexv(s[1]) < 0 || hexv(s[2]) < 0)
			return NULL;
		*p++ = (char)(hexv(s[1]) << 4 | hexv(s[2]));
		s += 3;
	}
	*p = '\0';
	return o;
}

static char *
b64_decode(const char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = arena_alloc(A, n + 1), *p = o;
	const char *c;
	uint32_t acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n && s[i] != '='; i++) {
		if (s[i] == '\n' || s[i] == '\r' || s[i] == ' ')
			continue;
		if ((c = strchr(tab, s[i])) == NULL || s[i] == '\0')
			return NULL;
		acc = acc << 6 | (uint32_t)(c - tab);
		if ((bits += 6) >= 8) {
			bits -= 8;
			*p++ = (char)(acc >> bits & 0xff);
		}
	}
	*p = '\0';
	return o;
}

/* An unstructured header value with its RFC 2047 words decoded. */
static char *
ew_decode(const char *v)
{
	char *o, *d;
	const char *e;
	size_t len = 0;

	if (strstr(v, "=?") == NULL)
		return arena_strdup(A, v);
	o = arena_alloc(A, strlen(v) + 1);
	*o = '\0';
	while (*v != '\0') {
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '\0')
			break;
		if (strncasecmp(v, "=?UTF-8?B?", 10) != 0)
			return NULL;
		v += 10;
		if ((e = strstr(v, "?=")) == NULL ||
		    (d = b64_decode(v, (size_t)(e - v))) == NULL)
			return NULL;
		/* Each word must hold whole characters (RFC 2047 5). */
		if (!util_utf8_valid(d, strlen(d)))
			return NULL;
		memcpy(o + len, d, strlen(d) + 1);
		len += strlen(d);
		v = e + 2;
	}
	return o;
}

/*
 * msg as multipart/alternative: headers, then parts between "--B" lines,
 * closed by "--B--". -1 for any departure from that shape.
 */
static int
mime_parse(struct mime *m, const char *msg)
{
	char *raw, *p, *close, *after, *ct, *b, *e, *delim, *ph;
	size_t dl;
	int i;

	memset(m, 0, sizeof(*m));
	raw = strip_cr(msg);
	if ((p = strstr(raw, "\n\n")) == NULL)
		return -1;
	p[1] = '\0';
	m->hdrs = raw;
	p += 2;
	if ((ct = hdr(m->hdrs, "Content-Type")) == NULL ||
	    strncmp(ct, "multipart/alternative;", 22) != 0 ||
	    (b = strstr(ct, "boundary=\"")) == NULL ||
	    (e = strchr(b + 10, '"')) == NULL)
		return -1;
	b += 10;
	delim = arena_printf(A, "--%.*s", (int)(e - b), b);
	dl = strlen(delim);
	/* The preamble runs to the first delimiter line. */
	while (!(strncmp(p, delim, dl) == 0 && p[dl] == '\n')) {
		if ((p = strchr(p, '\n')) == NULL)
			return -1;
		p++;
	}
	p += dl + 1;
	for (;;) {
		char *nd = arena_printf(A, "\n%s", delim);

		if ((close = strstr(p, nd)) == NULL || m->nparts == MAXPARTS)
			return -1;
		*close = '\0';
		after = close + 1 + dl;
		i = m->nparts++;
		ph = p;
		if ((p = strstr(ph, "\n\n")) == NULL)
			return -1;
		p[1] = '\0';
		m->penc[i] = p + 2;
		m->ptype[i] = hdr(ph, "Content-Type");
		m->pcte[i] = hdr(ph, "Content-Transfer-Encoding");
		if (m->ptype[i] == NULL || m->pcte[i] == NULL)
			return -1;
		if (strcmp(m->pcte[i], "quoted-printable") == 0)
			m->pdata[i] = qp_decode(m->penc[i]);
		else if (strcmp(m->pcte[i], "base64") == 0)
			m->pdata[i] = b64_decode(m->penc[i],
			    strlen(m->penc[i]));
		if (m->pdata[i] == NULL)
			return -1;
		m->pdata[i] = strip_cr(m->pdata[i]);
		if (strncmp(after, "--\n", 3) == 0 || strcmp(after, "--") == 0)
			return 0;
		if (*after != '\n')
			return -1;
		p = after + 1;
	}
}

/* 1 if every line break is CRLF; *maxline: the longest line. */
static int
crlf_only(const char *s, size_t *maxline)
{
	size_t col = 0;

	*maxline = 0;
	for (; *s != '\0'; s++) {
		if (*s == '\r') {
			if (s[1] != '\n')
				return 0;
			continue;
		}
		if (*s == '\n') {
			if (s[-1] != '\r')
				return 0;
			col = 0;
			continue;
		}
		if (++col > *maxline)
			*maxline = col;
	}
	return 1;
}

/* The longest line of LF text, and whether one ends in a blank. */
static size_t
max_line(const char *s, int *trailing_ws)
{
	size_t col = 0, max = 0;

	*trailing_ws = 0;
	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			if (col > 0 && (s[-1] == ' ' || s[-1] == '\t'))
				*trailing_ws = 1;
			col = 0;
			continue;
		}
		if (++col > max)
			max = col;
	}
	return max;
}

/* tmpl_render */

static void
test_render(void)
{
	static const struct kv v[] = {
		{ "name", "Ada" },
		{ "code", "123456" },
		{ "x", "<a href=\"u\">'&'</a>" },
		{ "loop", "{{code}}" },
		{ "empty", "" },
		{ "nil", NULL },
	};
	static const char *bad[] = {
		"Hi {{name", "Hi {{name}", "Hi {{}}", "Hi {{ name }}",
		"Hi {{na-me}}", "Hi {{", "{{{name}}}", "Hi {{name}}{{",
	};
	char *s;
	size_t i;

	is_str(tmpl_render(A, "Hello {{name}}, code {{code}}.", v, NELEM(v),
	    0), "Hello Ada, code 123456.", "substitution");
	is_str(tmpl_render(A, "{{name}}{{code}}", v, NELEM(v), 0),
	    "Ada123456", "adjacent variables");
	is_str(tmpl_render(A, "no variables { } }} {x}", v, NELEM(v), 0),
	    "no variables { } }} {x}", "braces that are not {{...}} stay");
	is_str(tmpl_render(A, "", v, NELEM(v), 0), "", "empty text");
	is_str(tmpl_render(A, "[{{empty}}]", v, NELEM(v), 1), "[]",
	    "empty value");
	is_str(tmpl_render(A, "{{x}}", v, NELEM(v), 0), v[2].val,
	    "text: values as they are");
	is_str(tmpl_render(A, "<p>{{x}}</p>", v, NELEM(v), 1),
	    "<p>&lt;a href=&quot;u&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;</p>",
	    "html: & < > \" ' escaped, the template's own markup kept");
	is_str(tmpl_render(A, "{{loop}}", v, NELEM(v), 0), "{{code}}",
	    "a value is not rendered again");
	ok(tmpl_render(A, "Hi {{nobody}}", v, NELEM(v), 0) == NULL,
	    "unknown variable: NULL");
	ok(tmpl_render(A, "Hi {{Name}}", v, NELEM(v), 0) == NULL,
	    "names are case-sensitive");
	ok(tmpl_render(A, "Hi {{nil}}", v, NELEM(v), 0) == NULL,
	    "a variable whose value is NULL counts as unknown");
	ok(tmpl_render(A, "Hi {{name}}", NULL, 0, 0) == NULL,
	    "no variables at all: NULL");
	for (i = 0; i < NELEM(bad); i++)
		ok(tmpl_render(A, bad[i], v, NELEM(v), 0) == NULL,
		    "malformed or unterminated {{: \"%s\" gives NULL", bad[i]);
	s = tmpl_render(A, "é {{name}} ✓", v, NELEM(v), 1);
	is_str(s, "é Ada ✓", "UTF-8 text passes through");
}

/* Refusals: nothing reaches the mail dir */

static void
test_refusals(void)
{
	static const struct kv v[] = {
		{ "code", "111222" }, { "email", "x@example.com" },
		{ "minutes", "10" },
	};
	static const char *bad_to[] = {
		"", "plain", "a@b@example.com", "@example.com", "alice@",
		"ali ce@example.com", "alice@example.com\r\nBcc: e@evil.test",
		"alice@example.com\n", "alice@exa\rmple.com",
		"<alice@example.com>", "alice@example.com, e@evil.test",
		"al\"ice@example.com", "alice@example..com", "alice@.example.com",
		"alice@example.com.", "\xc3\xa9@example.com", "a\tb@example.com",
	};
	struct kv inj[] = { { "code", "1\r\nBcc: evil@evil.test" } };
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

	setenv("HZM_MAIL_TRANSPORT", "ftp://127.0.0.1/", 1);
	is_int(mail_send(A, "a@example.com", "inj", NULL, 0), -1,
	    "unknown transport refused");
	setenv("HZM_MAIL_TRANSPORT", "file", 1);
	setenv("HZM_MAIL_FROM", "no address here", 1);
	inj[0].val = "42";
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

/* The repository's templates through the file transport */

struct tcase {
	const char	*name;
	struct kv	 vars[3];
	size_t		 nvars;
	const char	*text_has;	/* in the decoded text part */
	const char	*html_has;	/* in the decoded HTML part */
};

static const struct tcase cases[] = {
	{ "verify_email", { { "code", "493817" },
	    { "email", "alice@example.com" }, { "minutes", "15" } }, 3,
	    "493817", "493817" },
	{ "password_reset", { { "code", "720394" },
	    { "email", "alice@example.com" }, { "minutes", "30" } }, 3,
	    "720394", "720394" },
	{ "account_exists", { { "email", "alice@example.com" } }, 1,
	    "reset your password", "reset your password" },
	{ "kyc_approved", { { "email", "alice@example.com" },
	    { "level", "2" } }, 2, "level 2", "2" },
	{ "kyc_rejected", { { "email", "alice@example.com" },
	    { "reason", "Photo <blurred> & cut" } }, 2,
	    "Photo <blurred> & cut", "Photo &lt;blurred&gt; &amp; cut" },
	{ "login_locked", { { "email", "alice@example.com" },
	    { "minutes", "20" } }, 2, "20 minutes", "20 minutes" },
};

/* The template file rendered here, LF line breaks: what must arrive. */
static char *
expect(const char *name, const char *ext, const struct kv *v, size_t n,
    int html)
{
	char path[1200], *src, *s;

	snprintf(path, sizeof(path), "%s/mail/%s.%s", repo_tpl, name, ext);
	if ((src = slurp(path)) == NULL)
		return NULL;
	if (strcmp(ext, "subject") == 0 && (s = strchr(src, '\n')) != NULL)
		*s = '\0';
	return tmpl_render(A, src, v, n, html);
}

static void
test_templates(void)
{
	const char *footer = "never ask you for your password";
	const struct tcase *c;
	struct mime m;
	size_t i, maxl;
	char *msg, *want;

	setenv("HZM_TEMPLATES", repo_tpl, 1);
	for (i = 0; i < NELEM(cases); i++) {
		c = &cases[i];
		if (!is_int(mail_send(A, "alice@example.com", c->name, c->vars,
		    c->nvars), 0, "%s: sent", c->name) ||
		    (msg = take_one(NULL, 0)) == NULL) {
			ok(0, "%s: one message in the mail dir", c->name);
			continue;
		}
		ok(crlf_only(msg, &maxl) && maxl <= 78,
		    "%s: CRLF line breaks, lines within 78 columns (%zu)",
		    c->name, maxl);
		if (!ok(mime_parse(&m, msg) == 0 && m.nparts == 2,
		    "%s: multipart/alternative with two parts", c->name))
			continue;
		want = expect(c->name, "subject", c->vars, c->nvars, 0);
		is_str(ew_decode(hdr(m.hdrs, "Subject")), want, "%s: subject",
		    c->name);
		want = expect(c->name, "txt", c->vars, c->nvars, 0);
		is_str(m.pdata[0], want, "%s: text part decodes to the "
		    "rendered template", c->name);
		want = expect(c->name, "html", c->vars, c->nvars, 1);
		is_str(m.pdata[1], want, "%s: HTML part decodes to the "
		    "rendered template", c->name);
		ok(strstr(m.pdata[0], c->text_has) != NULL &&
		    strstr(m.pdata[1], c->html_has) != NULL,
		    "%s: both parts carry \"%s\"", c->name, c->text_has);
		ok(strstr(m.pdata[0], footer) != NULL &&
		    strstr(m.pdata[1], footer) != NULL &&
		    strstr(m.pdata[0], "sent by hzm") != NULL,
		    "%s: footer in both parts", c->name);
		ok(strstr(m.pdata[0], "{{") == NULL &&
		    strstr(m.pdata[1], "{{") == NULL,
		    "%s: no {{ left", c->name);
	}
	arena_reset(A);
}

/* One message read closely: headers, structure, file name */

static void
test_message(void)
{
	const struct tcase *c = &cases[0];
	struct mime m;
	struct stat st;
	struct tm tm;
	char name[256], path[512], *msg, *v, *e, *mid;
	time_t now = time(NULL), t;
	long long ms;
	size_t maxl;
	int tw;

	setenv("HZM_TEMPLATES", repo_tpl, 1);
	is_int(mail_send(A, "alice@example.com", c->name, c->vars, c->nvars),
	    0, "verify_email sent");
	/* Look at the file before take_one removes it. */
	if (scan_dir(maildir, name, sizeof(name), &tw) == 1) {
		snprintf(path, sizeof(path), "%s/%s", maildir, name);
		ok(stat(path, &st) == 0 && (st.st_mode & 07) == 0,
		    "the message is not world-readable");
	} else
		ok(0, "the message is not world-readable");
	if ((msg = take_one(name, sizeof(name))) == NULL ||
	    mime_parse(&m, msg) == -1) {
		ok(0, "a well-formed message");
		return;
	}
	ok(crlf_only(msg, &maxl), "CRLF throughout");

	/* <epoch-ms>-<uuid>.eml */
	errno = 0;
	ms = strtoll(name, &e, 10);
	ok(errno == 0 && *e == '-' && strlen(e + 1) == UUID_LEN + 4 &&
	    strcmp(e + 1 + UUID_LEN, ".eml") == 0,
	    "file named <epoch-ms>-<uuid>.eml: %s", name);
	ok(ms / 1000 >= now - 60 && ms / 1000 <= now + 60,
	    "epoch-ms is now");

	v = hdr(m.hdrs, "Date");
	memset(&tm, 0, sizeof(tm));
	e = v != NULL ? strptime(v, "%a, %d %b %Y %H:%M:%S +0000", &tm) :
	    NULL;
	ok(e != NULL && *e == '\0', "Date in RFC 5322 form: %s",
	    v ? v : "(none)");
	t = timegm(&tm);
	ok(t >= now - 60 && t <= now + 60, "Date is now");
	is_str(hdr(m.hdrs, "From"), "hzm <no-reply@hzm.local>",
	    "From: the mail_from default");
	is_str(hdr(m.hdrs, "To"), "alice@example.com", "To");
	is_str(hdr(m.hdrs, "Subject"), "Verify your email address for hzm",
	    "Subject in plain ASCII");
	is_str(hdr(m.hdrs, "MIME-Version"), "1.0", "MIME-Version");
	mid = hdr(m.hdrs, "Message-ID");
	ok(mid != NULL && mid[0] == '<' && strlen(mid) == UUID_LEN + 12 &&
	    strncmp(mid + 1, e = strchr(name, '-') + 1, UUID_LEN) == 0 &&
	    strcmp(mid + 1 + UUID_LEN, "@hzm.local>") == 0,
	    "Message-ID <uuid@hzm.local>, the uuid of the file name: %s",
	    mid ? mid : "(none)");
	ok(hdr(m.hdrs, "Bcc") == NULL && hdr(m.hdrs, "Cc") == NULL,
	    "no Cc or Bcc");
	is_str(m.ptype[0], "text/plain; charset=UTF-8", "part 1 text/plain");
	is_str(m.ptype[1], "text/html; charset=UTF-8", "part 2 text/html");
	is_str(m.pcte[0], "quoted-printable", "English text: quoted-printable");
	ok(max_line(m.penc[0], &tw) <= 76 && !tw,
	    "encoded lines within 76 columns, no trailing blanks");
	ok(strstr(m.pdata[0], "    493817\n") != NULL,
	    "text part: the code on its own line");
	ok(strstr(m.pdata[1], ">493817</p>") != NULL, "HTML part: the code");
	arena_reset(A);
}

/* Encodings, with templates made up for them */

static void
test_encodings(void)
{
	static const char cyr[] = "Здравствуйте! Ваш код подтверждения: "
	    "{{code}}. Никому его не сообщайте.\n";
	struct kv v[] = { { "name", "Zoë <b>&\"'" }, { "code", "55 66" } };
	struct mime m;
	char longsub[200], longtxt[2048], *msg, *want, *sub;
	size_t i, maxl;
	int tw;

	setenv("HZM_TEMPLATES", tpldir, 1);

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

	/* A display name that is not ASCII, and a bare address. */
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
	setenv("HZM_TEMPLATES", repo_tpl, 1);
	arena_reset(A);
}

/* SMTP against aiosmtpd */

static int
run_quiet(char *const argv[], const char *out)
{
	pid_t pid;
	int st, fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0600)) != -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) == -1)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A python3 that has aiosmtpd: $HZM_PYTHON, python3 on PATH, Debian's. */
static const char *
find_python(const char *out)
{
	const char *cands[] = { getenv("HZM_PYTHON"), "python3",
	    "/usr/bin/python3" };
	size_t i;

	for (i = 0; i < NELEM(cands); i++) {
		char *argv[] = { (char *)cands[i], "-c", "import aiosmtpd",
		    NULL };

		if (cands[i] != NULL && run_quiet(argv, out) == 0)
			return cands[i];
	}
	return NULL;
}

/* A port nobody listens on, probably still free a moment later. */
static int
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int s, port = -1;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(s, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(s);
	return port;
}

static int
port_open(int port)
{
	struct sockaddr_in sin;
	int s, rc;

	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)port);
	rc = connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(s);
	return rc;
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The one message in the Maildir's new/, waiting a little for it. */
static char *
maildir_take(const char *md)
{
	char dir[512], path[1024], name[256];
	struct dirent *de;
	double until = mono() + 5;
	DIR *d;
	int n;

	snprintf(dir, sizeof(dir), "%s/new", md);
	do {
		n = 0;
		if ((d = opendir(dir)) != NULL) {
			while ((de = readdir(d)) != NULL)
				if (de->d_name[0] != '.' && n++ == 0)
					snprintf(name, sizeof(name), "%s",
					    de->d_name);
			closedir(d);
		}
		if (n > 0)
			break;
		usleep(50 * 1000);
	} while (mono() < until);
	if (n != 1) {
		diagf("%d messages in %s", n, dir);
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp(path);
}

static void
test_smtp(void)
{
	static const struct kv v[] = { { "code", "615243" },
	    { "email", "bob@example.net" }, { "minutes", "15" } };
	char md[256], out[256], url[64], port_s[32], listen[64], *msg, *s;
	const char *py;
	struct mime m;
	pid_t pid;
	double t0, until;
	int port, st, up = 0;

	snprintf(out, sizeof(out), "%s/aiosmtpd.out", root);
	snprintf(md, sizeof(md), "%s/maildir", root);
	if ((py = find_python(out)) == NULL) {
		diag("python3 -m aiosmtpd is not available: SMTP tests skipped");
		return;
	}
	if ((port = free_port()) == -1) {
		ok(0, "a free port");
		return;
	}
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	snprintf(port_s, sizeof(port_s), "%d", port);
	if ((pid = fork()) == -1) {
		ok(0, "fork");
		return;
	}
	if (pid == 0) {
		char *argv[] = { (char *)py, "-m", "aiosmtpd", "-n", "-l",
		    listen, "-c", "aiosmtpd.handlers.Mailbox", md, NULL };
		int fd;

		if ((fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0600)) !=
		    -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(py, argv);
		_exit(127);
	}
	for (until = mono() + 20; mono() < until; usleep(50 * 1000)) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			pid = -1;
			break;
		}
		if ((up = port_open(port)))
			break;
	}
	if (!ok(up, "aiosmtpd (%s) listens on %s", py, listen))
		goto out;

	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", port);
	setenv("HZM_MAIL_TRANSPORT", url, 1);
	setenv("HZM_TEMPLATES", repo_tpl, 1);
	is_int(mail_send(A, "bob@example.net", "verify_email", v, NELEM(v)),
	    0, "sent through SMTP");
	is_int(mail_count(), 0, "nothing in the file transport's dir");
	if ((msg = maildir_take(md)) == NULL || mime_parse(&m, msg) == -1) {
		ok(0, "the server stored a well-formed message");
		goto out;
	}
	s = hdr(m.hdrs, "X-RcptTo");
	is_str(s, "bob@example.net", "envelope recipient");
	is_str(hdr(m.hdrs, "X-MailFrom"), "no-reply@hzm.local",
	    "envelope sender");
	is_str(hdr(m.hdrs, "To"), "bob@example.net", "To header");
	is_str(ew_decode(hdr(m.hdrs, "Subject")),
	    "Verify your email address for hzm", "Subject");
	ok(m.nparts == 2 && strstr(m.pdata[0], "    615243\n") != NULL,
	    "text part decodes to the code");
	ok(m.nparts == 2 && strstr(m.pdata[1], ">615243</p>") != NULL,
	    "HTML part decodes to the code");

	/* Credentials never cross a plain connection: STARTTLS required. */
	setenv("HZM_MAIL_USER", "hzm", 1);
	setenv("HZM_MAIL_PASSWORD", "secret", 1);
	is_int(mail_send(A, "bob@example.net", "verify_email", v, NELEM(v)),
	    -1, "with mail_user, a server without STARTTLS is refused");
	unsetenv("HZM_MAIL_USER");
	unsetenv("HZM_MAIL_PASSWORD");

	/* Nobody listening: a quick failure, not a hang. */
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", free_port());
	setenv("HZM_MAIL_TRANSPORT", url, 1);
	t0 = mono();
	is_int(mail_send(A, "bob@example.net", "verify_email", v, NELEM(v)),
	    -1, "unreachable SMTP server: -1");
	ok(mono() - t0 < 10, "and quickly (%.2f s)", mono() - t0);
out:
	setenv("HZM_MAIL_TRANSPORT", "file", 1);
	if (pid > 0) {
		kill(pid, SIGTERM);
		for (until = mono() + 5; mono() < until; usleep(20 * 1000))
			if (waitpid(pid, &st, WNOHANG) == pid) {
				pid = -1;
				break;
			}
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
		}
	}
	arena_reset(A);
}

/* What the log says, and what it must never say */

static void
test_log(void)
{
	char *log = slurp(logpath);

	if (!ok(log != NULL, "log written"))
		return;
	ok(strstr(log, "493817") == NULL && strstr(log, "720394") == NULL &&
	    strstr(log, "615243") == NULL && strstr(log, "111222") == NULL,
	    "no code in the log");
	ok(strstr(log, "alice") == NULL && strstr(log, "bob@") == NULL,
	    "no recipient local part in the log");
	ok(strstr(log, "mail verify_email to @example.com via file: sent") !=
	    NULL, "template, recipient domain and outcome logged");
	ok(strstr(log, "smtp://") == NULL,
	    "no transport URL in the log");
	arena_reset(A);
}

int
main(void)
{
	char cwd[512], dir[512];
	const char *base;

	if ((A = arena_new()) == NULL)
		return 1;
	snprintf(root, sizeof(root), "/tmp/hzm-test-mail.XXXXXX");
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(maildir, sizeof(maildir), "%s/mail", root);
	snprintf(tpldir, sizeof(tpldir), "%s/tpl", root);
	snprintf(dir, sizeof(dir), "%s/mail", tpldir);
	snprintf(logpath, sizeof(logpath), "%s/hzm.log", root);
	if (mkdir(maildir, 0700) == -1 || mkdir(tpldir, 0700) == -1 ||
	    mkdir(dir, 0700) == -1) {
		perror("mkdir");
		return 1;
	}
	/* Tests run from the repository root unless HZM_ROOT says where. */
	if ((base = getenv("HZM_ROOT")) == NULL)
		base = getcwd(cwd, sizeof(cwd)) != NULL ? cwd : ".";
	snprintf(repo_tpl, sizeof(repo_tpl), "%s/templates", base);
	log_open(logpath, "test_mail");

	unsetenv("HZM_MAIL_USER");
	unsetenv("HZM_MAIL_PASSWORD");
	unsetenv("HZM_MAIL_FROM");
	setenv("HZM_MAIL_TRANSPORT", "file", 1);
	setenv("HZM_MAIL_DIR", maildir, 1);
	setenv("HZM_TEMPLATES", repo_tpl, 1);

	test_render();
	test_refusals();
	test_templates();
	test_message();
	test_encodings();
	test_smtp();
	test_log();

	nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	arena_free(A);
	return done_testing();
}
