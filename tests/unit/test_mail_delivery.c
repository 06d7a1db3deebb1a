/* tests/unit/test_mail_delivery.c — core/mail: the repository's templates delivered to files and over SMTP, one message read closely, what the log keeps */
#define _GNU_SOURCE	/* strptime, timegm */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/http.h"
#include "core/mail.h"
#include "core/tmpl.h"
#include "core/util.h"
#include "tests/unit/fixture_mail.h"
#include "tests/unit/fixture_mime.h"
#include "tests/unit/tap.h"

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
	size_t i, maxl = 0;
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

/* aiosmtpd, storing into a Maildir under root. */
struct smtpd {
	const char	*py;
	pid_t		 pid;
	int		 port;
	char		 listen[64];
	char		 md[256];
};

static const struct kv smtp_vars[] = { { "code", "615243" },
    { "email", "bob@example.net" }, { "minutes", "15" } };

/*
 * aiosmtpd started on a free port: 0 when it listens, 1 when it did not
 * come up, -1 when it could not be started at all.
 */
static int
smtpd_start(struct smtpd *d)
{
	char out[256];
	double until;
	int st, up = 0;

	memset(d, 0, sizeof(*d));
	d->pid = -1;
	snprintf(out, sizeof(out), "%s/aiosmtpd.out", root);
	snprintf(d->md, sizeof(d->md), "%s/maildir", root);
	if ((d->py = find_python(out)) == NULL) {
		diag("python3 -m aiosmtpd is not available: SMTP tests skipped");
		return -1;
	}
	if ((d->port = free_port()) == -1) {
		ok(0, "a free port");
		return -1;
	}
	snprintf(d->listen, sizeof(d->listen), "127.0.0.1:%d", d->port);
	if ((d->pid = fork()) == -1) {
		ok(0, "fork");
		return -1;
	}
	if (d->pid == 0) {
		char *argv[] = { (char *)d->py, "-m", "aiosmtpd", "-n", "-l",
		    d->listen, "-c", "aiosmtpd.handlers.Mailbox", d->md, NULL };
		int fd;

		if ((fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0600)) !=
		    -1) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(d->py, argv);
		_exit(127);
	}
	for (until = mono() + 20; mono() < until; usleep(50 * 1000)) {
		if (waitpid(d->pid, &st, WNOHANG) == d->pid) {
			d->pid = -1;
			break;
		}
		if ((up = port_open(d->port)))
			break;
	}
	return ok(up, "aiosmtpd (%s) listens on %s", d->py, d->listen) ? 0 : 1;
}

/* Back to the file transport, the server stopped. */
static void
smtpd_stop(struct smtpd *d)
{
	double until;
	int st;

	setenv("HZM_MAIL_TRANSPORT", "file", 1);
	if (d->pid > 0) {
		kill(d->pid, SIGTERM);
		for (until = mono() + 5; mono() < until; usleep(20 * 1000))
			if (waitpid(d->pid, &st, WNOHANG) == d->pid) {
				d->pid = -1;
				break;
			}
		if (d->pid > 0) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, &st, 0);
		}
	}
	arena_reset(A);
}

/* A message through the server: -1 if none arrived whole. */
static int
test_smtp_send(const struct smtpd *d)
{
	struct mime m;
	char url[64], *msg, *s;

	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", d->port);
	setenv("HZM_MAIL_TRANSPORT", url, 1);
	setenv("HZM_TEMPLATES", repo_tpl, 1);
	is_int(mail_send(A, "bob@example.net", "verify_email", smtp_vars,
	    NELEM(smtp_vars)), 0, "sent through SMTP");
	is_int(mail_count(), 0, "nothing in the file transport's dir");
	if ((msg = maildir_take(d->md)) == NULL || mime_parse(&m, msg) == -1) {
		ok(0, "the server stored a well-formed message");
		return -1;
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
	return 0;
}

/* Credentials never cross a plain connection: STARTTLS required. */
static void
test_smtp_starttls(void)
{
	setenv("HZM_MAIL_USER", "hzm", 1);
	setenv("HZM_MAIL_PASSWORD", "secret", 1);
	is_int(mail_send(A, "bob@example.net", "verify_email", smtp_vars,
	    NELEM(smtp_vars)), -1,
	    "with mail_user, a server without STARTTLS is refused");
	unsetenv("HZM_MAIL_USER");
	unsetenv("HZM_MAIL_PASSWORD");
}

/* Nobody listening: a quick failure, not a hang. */
static void
test_smtp_unreachable(void)
{
	char url[64];
	double t0;

	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", free_port());
	setenv("HZM_MAIL_TRANSPORT", url, 1);
	t0 = mono();
	is_int(mail_send(A, "bob@example.net", "verify_email", smtp_vars,
	    NELEM(smtp_vars)), -1, "unreachable SMTP server: -1");
	ok(mono() - t0 < 10, "and quickly (%.2f s)", mono() - t0);
}

static void
test_smtp(void)
{
	struct smtpd d;
	int rc;

	if ((rc = smtpd_start(&d)) == -1)
		return;
	if (rc == 0 && test_smtp_send(&d) == 0) {
		test_smtp_starttls();
		test_smtp_unreachable();
	}
	smtpd_stop(&d);
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
	if (fx_mail_open("test_mail_delivery") == -1)
		return 1;
	test_templates();
	test_message();
	test_smtp();
	test_log();
	fx_mail_close();
	return done_testing();
}
