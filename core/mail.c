/* core/mail.c — templated e-mail: MIME assembly, file and SMTP transports */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
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
#include "core/util.h"

#define TMPL_NAME_MAX	64		/* bytes of a template name */
#define TMPL_FILE_MAX	(64 * 1024)	/* bytes of one template file */
#define SUBJECT_MAX	900		/* folded or not, under 998 a line */
#define ADDR_MAX	254		/* RFC 5321 forward-path, less < > */
#define LOCAL_MAX	64		/* RFC 5321 local part */
#define QP_LINE		76		/* RFC 2045: encoded line, soft '=' included */
#define B64_LINE	76
#define HDR_LINE	78		/* RFC 5322 recommended line length */
#define EW_CHUNK	39		/* bytes per encoded word: 52 base64 chars */
#define SMTP_CONNECT_MS	5000L
#define SMTP_TOTAL_MS	15000L

static int
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/*
 * Template names become file names: [a-z0-9_]+ keeps "../" and every
 * other path trick out.
 */
static int
tmpl_name_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= TMPL_NAME_MAX || !((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i > 0;
}

static const struct kv *
var_find(const struct kv *vars, size_t nvars, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nvars; i++)
		if (vars[i].key != NULL && vars[i].val != NULL &&
		    strncmp(vars[i].key, name, len) == 0 &&
		    vars[i].key[len] == '\0')
			return &vars[i];
	return NULL;
}

static void
put_html(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *ent;

		switch (*s) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(b, run, (size_t)(s - run));
		buf_puts(b, ent);
		run = s + 1;
	}
	buf_puts(b, run);
}

/*
 * The renderer proper; why receives the reason of a failure (it names the
 * variable, never a value). Values are inserted once and never rescanned,
 * so a value holding "{{x}}" stays literal text.
 */
static char *
render(struct arena *a, const char *text, const struct kv *vars,
    size_t nvars, int html, char *why, size_t whysz)
{
	struct buf b = { 0 };
	const struct kv *v;
	const char *p = text, *open, *name, *end;
	size_t len;

	while ((open = strstr(p, "{{")) != NULL) {
		buf_add(&b, p, (size_t)(open - p));
		name = open + 2;
		for (end = name; is_name_char(*end); end++)
			;
		len = (size_t)(end - name);
		if (len == 0 || end[0] != '}' || end[1] != '}') {
			snprintf(why, whysz, "malformed {{ at byte %zu",
			    (size_t)(open - text));
			goto fail;
		}
		if ((v = var_find(vars, nvars, name, len)) == NULL) {
			snprintf(why, whysz, "unknown variable %.*s",
			    (int)(len > 64 ? 64 : len), name);
			goto fail;
		}
		if (html)
			put_html(&b, v->val);
		else
			buf_puts(&b, v->val);
		p = end + 2;
	}
	buf_puts(&b, p);
	if (b.err)
		snprintf(why, whysz, "out of memory");
	return buf_finish(&b, a);
fail:
	buf_release(&b);
	return NULL;
}

char *
tmpl_render(struct arena *a, const char *text, const struct kv *vars,
    size_t nvars, int html)
{
	char why[128];

	if (text == NULL)
		return NULL;
	return render(a, text, vars, nvars, html, why, sizeof(why));
}

/* templates/mail/NAME.EXT, whole, as a C string of valid UTF-8. */
static char *
tmpl_read(struct arena *a, const char *name, const char *ext, char *why,
    size_t whysz)
{
	const char *dir = cfg_get("templates", "templates");
	struct stat st;
	char *path, *text = NULL;
	size_t len = 0;
	ssize_t n;
	int fd = -1;

	if ((path = arena_printf(a, "%s/mail/%s.%s", dir, name, ext)) ==
	    NULL) {
		snprintf(why, whysz, "out of memory");
		return NULL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(why, whysz, "%s.%s: %s", name, ext, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > TMPL_FILE_MAX) {
		snprintf(why, whysz, "%s.%s: not a file or too large", name,
		    ext);
		goto out;
	}
	if ((text = arena_alloc(a, (size_t)st.st_size + 1)) == NULL) {
		snprintf(why, whysz, "out of memory");
		goto out;
	}
	/* Read what fstat promised, no more: a growing file is cut short. */
	while (len < (size_t)st.st_size) {
		n = read(fd, text + len, (size_t)st.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(why, whysz, "%s.%s: %s", name, ext,
			    strerror(errno));
			text = NULL;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	text[len] = '\0';
	if (!util_utf8_valid(text, len)) {
		snprintf(why, whysz, "%s.%s: not UTF-8", name, ext);
		text = NULL;
	}
out:
	if (fd != -1)
		close(fd);
	return text;
}

/* Cut the line breaks that end s, in place. */
static void
chomp(char *s)
{
	size_t len = strlen(s);

	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
}

/* Addresses and headers */

/*
 * A plausible addr-spec, not RFC 5322's full grammar: one '@' with
 * something on both sides, printable ASCII without spaces or the
 * characters that would let the address break out of a header or an SMTP
 * command. Non-ASCII is refused: delivering it needs SMTPUTF8.
 */
static int
addr_ok(const char *s)
{
	static const char specials[] = "<>()[],;:\\\"";
	size_t i, at = 0, atpos = 0;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= ADDR_MAX)
			return 0;
		if (c == '@') {
			at++;
			atpos = i;
			continue;
		}
		if (c <= 0x20 || c >= 0x7f ||
		    memchr(specials, c, sizeof(specials) - 1) != NULL)
			return 0;
	}
	if (at != 1 || atpos == 0 || atpos > LOCAL_MAX || atpos + 1 == i)
		return 0;
	/* The domain: dot-separated labels, none empty. */
	if (s[atpos + 1] == '.' || s[i - 1] == '.' ||
	    strstr(s + atpos, "..") != NULL)
		return 0;
	return 1;
}

/*
 * mail_from is "Name <addr>" or a bare addr. The display name may be
 * quoted; the quotes are dropped here and put back when needed.
 */
static int
from_parse(struct arena *a, const char *from, const char **name,
    const char **addr)
{
	const char *lt, *gt, *s, *e;

	if (strpbrk(from, "\r\n") != NULL)
		return -1;
	if ((lt = strchr(from, '<')) == NULL) {
		*name = "";
		for (s = from; *s == ' ' || *s == '\t'; s++)
			;
		for (e = s + strlen(s); e > s && (e[-1] == ' ' ||
		    e[-1] == '\t'); e--)
			;
		*addr = arena_strndup(a, s, (size_t)(e - s));
	} else {
		if ((gt = strchr(lt, '>')) == NULL)
			return -1;
		for (s = gt + 1; *s == ' ' || *s == '\t'; s++)
			;
		if (*s != '\0')
			return -1;
		*addr = arena_strndup(a, lt + 1, (size_t)(gt - lt - 1));
		for (s = from; *s == ' ' || *s == '\t'; s++)
			;
		for (e = lt; e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		if (e - s >= 2 && *s == '"' && e[-1] == '"') {
			s++;
			e--;
		}
		*name = arena_strndup(a, s, (size_t)(e - s));
	}
	if (*addr == NULL || *name == NULL || !addr_ok(*addr) ||
	    !util_utf8_valid(*name, strlen(*name)))
		return -1;
	return 0;
}

static void
b64_encode(struct buf *b, const unsigned char *p, size_t n, int wrap)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];
	size_t i, col = 0;
	uint32_t v;

	for (i = 0; i < n; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tab[v >> 18 & 63];
		q[1] = tab[v >> 12 & 63];
		q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		buf_add(b, q, 4);
		col += 4;
		if (wrap && col >= B64_LINE) {
			buf_add(b, "\r\n", 2);
			col = 0;
		}
	}
	if (wrap && col != 0)
		buf_add(b, "\r\n", 2);
}

/*
 * RFC 2045 quoted-printable of text already in CRLF form. Besides what
 * the RFC requires, a '.' opening a line is encoded: it survives relays
 * that mishandle SMTP dot-stuffing.
 */
static void
qp_encode(struct buf *b, const char *s, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t i, col = 0, w;
	unsigned char c;
	char e[3];
	int eol, lit;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '\r' && i + 1 < n && s[i + 1] == '\n') {
			buf_add(b, "\r\n", 2);
			col = 0;
			i++;
			continue;
		}
		eol = i + 1 == n || (s[i + 1] == '\r' && i + 2 < n &&
		    s[i + 2] == '\n');
		if (c == ' ' || c == '\t')
			lit = !eol;	/* trailing white space would be lost */
		else
			lit = c >= 33 && c <= 126 && c != '=' &&
			    !(c == '.' && col == 0);
		w = lit ? 1 : 3;
		/* Room for the character and, should more follow, a soft break. */
		if (col + w > QP_LINE - 1 && !(eol && col + w <= QP_LINE)) {
			buf_add(b, "=\r\n", 3);
			col = 0;
			if (c == '.') {
				lit = 0;
				w = 3;
			}
		}
		if (lit)
			buf_add(b, &s[i], 1);
		else {
			e[0] = '=';
			e[1] = hx[c >> 4];
			e[2] = hx[c & 15];
			buf_add(b, e, 3);
		}
		col += w;
	}
}

/* Line breaks of any kind (LF, CR, CRLF) as CRLF: MIME's canonical text. */
static void
crlf_canon(struct buf *b, const char *s)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		if (*s != '\r' && *s != '\n')
			continue;
		buf_add(b, run, (size_t)(s - run));
		buf_add(b, "\r\n", 2);
		if (*s == '\r' && s[1] == '\n')
			s++;
		run = s + 1;
	}
	buf_puts(b, run);
}

/*
 * One body part. Quoted-printable keeps mostly-ASCII text readable;
 * once more than a sixth of the bytes are not ASCII, base64 is shorter.
 */
static void
put_part(struct buf *m, const char *boundary, const char *type,
    const char *body)
{
	struct buf c = { 0 };
	size_t i, high = 0;

	crlf_canon(&c, body);
	if (c.err) {
		m->err = 1;
		buf_release(&c);
		return;
	}
	for (i = 0; i < c.len; i++)
		if ((unsigned char)c.p[i] >= 0x80)
			high++;
	buf_printf(m, "--%s\r\nContent-Type: %s; charset=UTF-8\r\n",
	    boundary, type);
	if (high * 6 > c.len) {
		buf_puts(m, "Content-Transfer-Encoding: base64\r\n\r\n");
		b64_encode(m, (const unsigned char *)c.p, c.len, 1);
	} else {
		buf_puts(m, "Content-Transfer-Encoding: quoted-printable\r\n"
		    "\r\n");
		/* The CRLF ahead of the next delimiter belongs to it (RFC 2046). */
		qp_encode(m, c.p, c.len);
	}
	buf_release(&c);
}

/*
 * Unstructured text needs RFC 2047 when it is not plain printable ASCII,
 * or when it holds "=?", which a reader would take for an encoded word.
 */
static int
needs_ew(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return 1;
		if (c == '=' && s[1] == '?')
			return 1;
	}
	return 0;
}

/*
 * s as RFC 2047 "B" encoded words, folded one per line. Each word holds
 * whole UTF-8 characters (RFC 2047 section 5) and stays within 76 columns.
 */
static void
put_ew(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0, take;
	int first = 1;

	while (i < n) {
		take = n - i < EW_CHUNK ? n - i : EW_CHUNK;
		while (take > 1 && i + take < n &&
		    ((unsigned char)s[i + take] & 0xc0) == 0x80)
			take--;
		buf_puts(b, first ? " =?UTF-8?B?" : "\r\n =?UTF-8?B?");
		b64_encode(b, (const unsigned char *)s + i, take, 0);
		buf_puts(b, "?=");
		i += take;
		first = 0;
	}
}

/* "Subject: ...", folded at spaces past 78 columns, CRLF-terminated. */
static void
put_subject(struct buf *b, const char *s)
{
	size_t col, wl;
	const char *w;

	buf_puts(b, "Subject:");
	if (needs_ew(s)) {
		put_ew(b, s);
		buf_puts(b, "\r\n");
		return;
	}
	col = strlen("Subject:");
	for (;;) {
		w = s;
		wl = strcspn(s, " ");
		/* A folded line must hold more than white space. */
		if (col + 1 + wl > HDR_LINE && wl > 0 &&
		    col > strlen("Subject:")) {
			buf_puts(b, "\r\n");
			col = 0;
		}
		buf_puts(b, " ");
		buf_add(b, w, wl);
		col += 1 + wl;
		if (s[wl] == '\0')
			break;
		s += wl + 1;
	}
	buf_puts(b, "\r\n");
}

/* A display name as an atom sequence, a quoted string, or encoded words. */
static void
put_phrase(struct buf *b, const char *s)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~ ";
	const char *p;

	if (needs_ew(s)) {
		put_ew(b, s);
		return;
	}
	for (p = s; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(atext, *p) != NULL))
			break;
	buf_puts(b, " ");
	if (*p == '\0') {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (p = s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_puts(b, "\\");
		buf_add(b, p, 1);
	}
	buf_puts(b, "\"");
}

/* RFC 5322 date-time in UTC; names spelt out so the locale cannot matter. */
static void
put_date(struct buf *b, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11) {
		b->err = 1;
		return;
	}
	buf_printf(b, "Date: %s, %d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

struct msg {
	const char	*from_name;
	const char	*from_addr;
	const char	*to;
	const char	*subject;
	const char	*text;
	const char	*html;
	const char	*id;		/* uuid: Message-ID and file name */
};

static int
build(struct buf *m, const struct msg *g)
{
	unsigned char rnd[16];
	char boundary[8 + 2 * sizeof(rnd) + 1];

	/*
	 * "=_" cannot occur in quoted-printable ('=' is always =3D or a soft
	 * break) nor in base64, so the boundary never collides with a body.
	 */
	if (util_random(rnd, sizeof(rnd)) == -1)
		return -1;
	memcpy(boundary, "=_hzm_", 6);
	util_hex(rnd, sizeof(rnd), boundary + 6);

	put_date(m, time(NULL));
	buf_puts(m, "From:");
	if (*g->from_name != '\0') {
		put_phrase(m, g->from_name);
		buf_printf(m, " <%s>\r\n", g->from_addr);
	} else
		buf_printf(m, " %s\r\n", g->from_addr);
	buf_printf(m, "To: %s\r\n", g->to);
	put_subject(m, g->subject);
	buf_printf(m, "Message-ID: <%s@%s>\r\n", g->id,
	    strchr(g->from_addr, '@') + 1);
	buf_puts(m, "MIME-Version: 1.0\r\n");
	/* RFC 3834: no vacation replies to a robot. */
	buf_puts(m, "Auto-Submitted: auto-generated\r\n");
	buf_printf(m, "Content-Type: multipart/alternative;\r\n"
	    " boundary=\"%s\"\r\n\r\n", boundary);
	buf_puts(m, "This is a multi-part message in MIME format.\r\n\r\n");
	put_part(m, boundary, "text/plain", g->text);
	buf_puts(m, "\r\n");
	put_part(m, boundary, "text/html", g->html);
	buf_printf(m, "\r\n--%s--\r\n", boundary);
	return m->err ? -1 : 0;
}

/* Transports */

/* Write to a hidden temporary name, then rename: readers see whole files. */
static int
send_file(struct arena *a, const struct buf *m, const char *id, char *why,
    size_t whysz)
{
	const char *dir = cfg_get("mail_dir", "var/mail");
	char *tmp, *dst;
	size_t off = 0;
	ssize_t n;
	int fd = -1, rc = -1;

	tmp = arena_printf(a, "%s/.%s.tmp", dir, id);
	dst = arena_printf(a, "%s/%lld-%s.eml", dir, (long long)util_now_ms(),
	    id);
	if (tmp == NULL || dst == NULL) {
		snprintf(why, whysz, "out of memory");
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0640)) == -1) {
		snprintf(why, whysz, "mail_dir: %s", strerror(errno));
		return -1;
	}
	while (off < m->len) {
		if ((n = write(fd, m->p + off, m->len - off)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(why, whysz, "write: %s", strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1) {
		snprintf(why, whysz, "fsync: %s", strerror(errno));
		goto out;
	}
	n = close(fd);
	fd = -1;
	if (n == -1) {
		snprintf(why, whysz, "close: %s", strerror(errno));
		goto out;
	}
	if (rename(tmp, dst) == -1) {
		snprintf(why, whysz, "rename: %s", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc == -1)
		unlink(tmp);
	return rc;
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
	char errbuf[CURL_ERROR_SIZE], rfrom[ADDR_MAX + 3], rto[ADDR_MAX + 3];
	CURL *c = NULL;
	CURLcode cc;
	int rc = -1;

	errbuf[0] = '\0';
	snprintf(rfrom, sizeof(rfrom), "<%s>", from);
	snprintf(rto, sizeof(rto), "<%s>", to);
	if ((c = curl_easy_init()) == NULL ||
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
	if (c != NULL)
		curl_easy_cleanup(c);
	return rc;
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
	struct buf m = { 0 };
	struct msg g;
	const char *transport, *via, *domain;
	char *src;
	char why[256], id[UUID_LEN + 1];
	int rc = -1;

	why[0] = '\0';
	if (!tmpl_name_ok(tmpl)) {
		log_error("mail: invalid template name");
		return -1;
	}
	if (!addr_ok(to)) {
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
	if (from_parse(a, cfg_get("mail_from", "hzm <no-reply@hzm.local>"),
	    &g.from_name, &g.from_addr) == -1) {
		snprintf(why, sizeof(why), "invalid mail_from");
		goto out;
	}
	if ((src = tmpl_read(a, tmpl, "subject", why, sizeof(why))) == NULL)
		goto out;
	/* The subject file is one line; its line break is not the subject's. */
	chomp(src);
	if ((g.subject = render(a, src, vars, nvars, 0, why,
	    sizeof(why))) == NULL)
		goto out;
	if (strpbrk(g.subject, "\r\n") != NULL ||
	    strlen(g.subject) > SUBJECT_MAX || *g.subject == '\0') {
		snprintf(why, sizeof(why), "subject refused (line break, "
		    "empty or too long)");
		goto out;
	}
	if ((src = tmpl_read(a, tmpl, "txt", why, sizeof(why))) == NULL ||
	    (g.text = render(a, src, vars, nvars, 0, why,
	    sizeof(why))) == NULL)
		goto out;
	if ((src = tmpl_read(a, tmpl, "html", why, sizeof(why))) == NULL ||
	    (g.html = render(a, src, vars, nvars, 1, why,
	    sizeof(why))) == NULL)
		goto out;
	/* Values are the caller's: the bodies claim UTF-8, so check. */
	if (!util_utf8_valid(g.subject, strlen(g.subject)) ||
	    !util_utf8_valid(g.text, strlen(g.text)) ||
	    !util_utf8_valid(g.html, strlen(g.html))) {
		snprintf(why, sizeof(why), "a variable is not UTF-8");
		goto out;
	}
	if (util_uuid(id) == -1) {
		snprintf(why, sizeof(why), "no randomness");
		goto out;
	}
	g.id = id;
	if (build(&m, &g) == -1) {
		snprintf(why, sizeof(why), "cannot build the message");
		goto out;
	}
	if (strcmp(via, "file") == 0)
		rc = send_file(a, &m, id, why, sizeof(why));
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
