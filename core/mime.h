/* core/mime.h — an e-mail message: addresses, RFC 2047 headers, multipart/alternative with QP or base64 parts */
#ifndef HZM_MIME_H
#define HZM_MIME_H

struct arena;
struct buf;

#define MIME_ADDR_MAX		254	/* RFC 5321 forward-path, less < > */
#define MIME_SUBJECT_MAX	900	/* folded or not, under 998 a line */

struct mime_msg {
	const char	*from_name;
	const char	*from_addr;
	const char	*to;
	const char	*subject;
	const char	*text;
	const char	*html;
	const char	*id;		/* uuid: Message-ID (and the file's name) */
};

/*
 * A plausible addr-spec, not RFC 5322's full grammar: one '@' with
 * something on both sides, printable ASCII without spaces or the
 * characters that would let the address break out of a header or an SMTP
 * command. Non-ASCII is refused: delivering it needs SMTPUTF8.
 */
int	 mime_addr_ok(const char *);
/* "Name <addr>" or "addr" into its parts; -1 when not plausible. */
int	 mime_from_parse(struct arena *, const char *from, const char **name,
	    const char **addr);
/*
 * The message, headers and both parts, into m: Date, From, To, Subject
 * (RFC 2047 when not ASCII), Message-ID, MIME-Version, Auto-Submitted.
 * -1 when out of memory or out of randomness.
 */
int	 mime_build(struct buf *m, const struct mime_msg *);

#endif
