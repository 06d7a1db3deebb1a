/* core/mail.c — sending templated e-mail: rendering, then the file or SMTP transport */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/http.h"
#include "core/log.h"
#include "core/mail.h"
#include "core/mime.h"
#include "core/spool.h"
#include "core/tmpl.h"
#include "core/util.h"

#define SMTP_CONNECT_MS	5000L
#define SMTP_TOTAL_MS	15000L

/* Cut the line breaks that end s, in place. */
static void
chomp(char *s)
{
	size_t len = strlen(s);

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
}

struct reader {
	const char	*p;
	size_t		 left;
};

static size_t
smtp_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb;	/* libcurl keeps this within its buffer */

	if (n > r->left)
		n = r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

/*
 * The process's SMTP handle. libcurl keeps the connection to the relay in
 * it between messages, so the delivery worker's mails follow one another
 * over one connection (a MAIL transaction each) instead of a connect,
 * greeting, EHLO, STARTTLS and login per mail. libcurl reuses it only for
 * the same host, port and credentials, checks that it is still alive, and
 * closes it when a transfer fails.
 */
static CURL *smtp;

/*
 * One message through libcurl. Credentials over plain smtp:// demand
 * STARTTLS (CURLUSESSL_ALL): a password is never sent in the clear.
 * CURLOPT_NOSIGNAL: timeouts must not rely on SIGALRM in a server.
 */
static int
send_smtp(const char *url, const char *from, const char *to,
    const struct buf *m, char *why, size_t whysz)
{
	struct reader r = { m->p, m->len };
	struct curl_slist *rcpt = NULL;
	const char *user = cfg_get("mail_user", NULL);
	const char *pass = cfg_get("mail_password", NULL);
	const char *ca = cfg_get("mail_ca_file", "");
	char errbuf[CURL_ERROR_SIZE], rfrom[MIME_ADDR_MAX + 3], rto[MIME_ADDR_MAX + 3];
	CURL *c = NULL;
	CURLcode cc;
	int rc = -1;

	errbuf[0] = '\0';
	snprintf(rfrom, sizeof(rfrom), "<%s>", from);
	snprintf(rto, sizeof(rto), "<%s>", to);
	if (smtp == NULL)
		smtp = curl_easy_init();
	if ((c = smtp) == NULL ||
	    (rcpt = curl_slist_append(NULL, rto)) == NULL) {
		snprintf(why, whysz, "curl: cannot initialise");
		goto out;
	}
	if (curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
#if LIBCURL_VERSION_NUM >= 0x075500
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps") !=
	    CURLE_OK ||
#else
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS)) != CURLE_OK ||
#endif
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    /* A relay with a private CA (or the tests' sink): that CA, not the system's. */
	    (*ca != '\0' &&
	    curl_easy_setopt(c, CURLOPT_CAINFO, ca) != CURLE_OK) ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, SMTP_CONNECT_MS) !=
	    CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, SMTP_TOTAL_MS) !=
	    CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAIL_FROM, rfrom) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_READFUNCTION, smtp_read) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_READDATA, &r) != CURLE_OK ||
	    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L) != CURLE_OK) {
		snprintf(why, whysz, "curl: unsupported option");
		goto out;
	}
	if (user != NULL && *user != '\0') {
		if (curl_easy_setopt(c, CURLOPT_USERNAME, user) != CURLE_OK ||
		    curl_easy_setopt(c, CURLOPT_PASSWORD,
		    pass != NULL ? pass : "") != CURLE_OK ||
		    (strncmp(url, "smtp://", 7) == 0 &&
		    curl_easy_setopt(c, CURLOPT_USE_SSL,
		    (long)CURLUSESSL_ALL) != CURLE_OK)) {
			snprintf(why, whysz, "curl: unsupported option");
			goto out;
		}
	}
	if ((cc = curl_easy_perform(c)) != CURLE_OK) {
		snprintf(why, whysz, "smtp: %.200s", errbuf[0] != '\0' ? errbuf :
		    curl_easy_strerror(cc));
		goto out;
	}
	rc = 0;
out:
	curl_slist_free_all(rcpt);
	/* The options go (they point into this frame); the connection stays. */
	if (c != NULL)
		curl_easy_reset(c);
	return rc;
}

void
mail_close(void)
{
	if (smtp == NULL)
		return;
	/* QUIT, waiting at most this long for the relay's answer. */
	(void)curl_easy_setopt(smtp, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(smtp, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    SMTP_CONNECT_MS / 1000);
	curl_easy_cleanup(smtp);
	smtp = NULL;
}

/*
 * The log names the template, the recipient's domain and the outcome:
 * never the body (it carries codes), the local part, or the transport URL
 * (it may carry credentials).
 */
int
mail_send(struct arena *a, const char *to, const char *tmpl,
    const struct kv *vars, size_t nvars)
{
	return mail_send_body(a, to, tmpl, tmpl, vars, nvars);
}

/*
 * The message's subject (template tmpl), text and HTML (template body),
 * expanded with vars into g: 0, or -1 with why.
 */
static int
message_texts(struct arena *a, const char *tmpl, const char *body,
    const struct kv *vars, size_t nvars, struct mime_msg *g, char *why,
    size_t whysz)
{
	char *src;

	if ((src = tmpl_read(a, "mail", tmpl, "subject", why, whysz)) == NULL)
		return -1;
	/* The subject file is one line; its line break is not the subject's. */
	chomp(src);
	if ((g->subject = tmpl_expand(a, src, vars, nvars, 0, why,
	    whysz)) == NULL)
		return -1;
	if (strpbrk(g->subject, "\r\n") != NULL ||
	    strlen(g->subject) > MIME_SUBJECT_MAX || *g->subject == '\0') {
		snprintf(why, whysz, "subject refused (line break, "
		    "empty or too long)");
		return -1;
	}
	if ((src = tmpl_read(a, "mail", body, "txt", why, whysz)) == NULL ||
	    (g->text = tmpl_expand(a, src, vars, nvars, 0, why,
	    whysz)) == NULL)
		return -1;
	if ((src = tmpl_read(a, "mail", body, "html", why, whysz)) == NULL ||
	    (g->html = tmpl_expand(a, src, vars, nvars, 1, why,
	    whysz)) == NULL)
		return -1;
	/* Values are the caller's: the bodies claim UTF-8, so check. */
	if (!util_utf8_valid(g->subject, strlen(g->subject)) ||
	    !util_utf8_valid(g->text, strlen(g->text)) ||
	    !util_utf8_valid(g->html, strlen(g->html))) {
		snprintf(why, whysz, "a variable is not UTF-8");
		return -1;
	}
	return 0;
}

int
mail_send_body(struct arena *a, const char *to, const char *tmpl,
    const char *body, const struct kv *vars, size_t nvars)
{
	struct buf m = { 0 };
	struct mime_msg g;
	const char *transport, *via, *domain;
	char why[256], id[UUID_LEN + 1];
	int rc = -1;

	why[0] = '\0';
	if (!tmpl_name_ok(tmpl) || !tmpl_name_ok(body)) {
		log_error("mail: invalid template name");
		return -1;
	}
	if (!mime_addr_ok(to)) {
		log_error("mail %s: recipient refused", tmpl);
		return -1;
	}
	domain = strchr(to, '@') + 1;
	transport = cfg_get("mail_transport", "file");
	if (strcmp(transport, "file") == 0)
		via = "file";
	else if (strncmp(transport, "smtp://", 7) == 0 ||
	    strncmp(transport, "smtps://", 8) == 0)
		via = "smtp";
	else {
		via = "?";
		snprintf(why, sizeof(why), "unknown mail_transport");
		goto out;
	}

	memset(&g, 0, sizeof(g));
	g.to = to;
	if (mime_from_parse(a, cfg_get("mail_from", "hzm <no-reply@hzm.local>"),
	    &g.from_name, &g.from_addr) == -1) {
		snprintf(why, sizeof(why), "invalid mail_from");
		goto out;
	}
	if (message_texts(a, tmpl, body, vars, nvars, &g, why,
	    sizeof(why)) == -1)
		goto out;
	if (util_uuid(id) == -1) {
		snprintf(why, sizeof(why), "no randomness");
		goto out;
	}
	g.id = id;
	if (mime_build(&m, &g) == -1) {
		snprintf(why, sizeof(why), "cannot build the message");
		goto out;
	}
	if (strcmp(via, "file") == 0)
		rc = spool_drop(a, cfg_get("mail_dir", "var/mail"), id, "eml",
		    m.p, m.len, why, sizeof(why));
	else
		rc = send_smtp(transport, g.from_addr, to, &m, why,
		    sizeof(why));
out:
	buf_release(&m);
	if (rc == 0)
		log_info("mail %s to @%s via %s: sent", tmpl, domain, via);
	else
		log_error("mail %s to @%s via %s: %s", tmpl, domain, via,
		    why[0] != '\0' ? why : "failed");
	return rc;
}
