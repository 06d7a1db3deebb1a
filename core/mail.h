/* core/mail.h — e-mail from templates, through SMTP (libcurl) or into files */
#ifndef HZM_MAIL_H
#define HZM_MAIL_H

#include <stddef.h>

struct arena;
struct kv;

/*
 * Configuration:
 *   mail_transport  "file" (default): one .eml per message in mail_dir;
 *                   "smtp://host:port" or "smtps://host:port": libcurl,
 *                   with mail_user / mail_password if set (over smtp://
 *                   credentials require STARTTLS); connect timeout 5 s,
 *                   15 s in all
 *   mail_dir        directory of the file transport (default "var/mail"),
 *                   written as <epoch-ms>-<uuid>.eml through a rename
 *   mail_from       "hzm <no-reply@hzm.local>"
 *   templates       directory holding mail/NAME.subject, NAME.txt, NAME.html
 *
 * A message is multipart/alternative (text/plain and text/html, UTF-8,
 * quoted-printable or base64), with Date, Message-ID, From, To, Subject
 * (RFC 2047 encoded when not ASCII) and MIME-Version headers.
 * Template variables are {{name}}: replaced as is in the subject and text
 * parts, HTML-escaped in the HTML part; an unknown name is an error.
 * Header injection is impossible: to and the rendered subject must not
 * contain CR or LF (error). to must be a plausible ASCII address: one
 * '@', no blanks or controls, at most 254 octets. tmpl is [a-z0-9_]+.
 * Returns 0 once the message is written or accepted by the server, else
 * -1; the log gets the template, the recipient's domain and the outcome,
 * never the body.
 */
int	mail_send(struct arena *, const char *to, const char *tmpl,
	    const struct kv *vars, size_t nvars);
/*
 * mail_send with the subject from tmpl and both bodies from the template
 * body: events that share one body and differ in their subject.
 */
int	mail_send_body(struct arena *, const char *to, const char *tmpl,
	    const char *body, const struct kv *vars, size_t nvars);

/*
 * SMTP messages of one process share a connection to the relay, kept
 * open between them (libcurl closes it after a failure, or when it has
 * been idle too long to be trusted); mail_close() ends it with QUIT.
 * Call it when the process has no more mail to send.
 */
void	mail_close(void);

#endif
