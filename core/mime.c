/* core/mime.c — an e-mail message: addresses, RFC 2047 headers, multipart/alternative with QP or base64 parts */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/mime.h"
#include "core/util.h"

#define LOCAL_MAX	64		/* RFC 5321 local part */
#define QP_LINE		76		/* RFC 2045: encoded line, soft '=' included */
#define B64_LINE	76
#define HDR_LINE	78		/* RFC 5322 recommended line length */
#define EW_CHUNK	39		/* bytes per encoded word: 52 base64 chars */


/*
 * A plausible addr-spec, not RFC 5322's full grammar: one '@' with
 * something on both sides, printable ASCII without spaces or the
 * characters that would let the address break out of a header or an SMTP
 * command. Non-ASCII is refused: delivering it needs SMTPUTF8.
 */
int
mime_addr_ok(const char *s)
{
	static const char specials[] = "<>()[],;:\\\"";
	size_t i, at = 0, atpos = 0;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= MIME_ADDR_MAX)
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
int
mime_from_parse(struct arena *a, const char *from, const char **name,
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
	if (*addr == NULL || *name == NULL || !mime_addr_ok(*addr) ||
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

int
mime_build(struct buf *m, const struct mime_msg *g)
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
