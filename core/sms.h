/* core/sms.h — text messages from templates, through an HTTPS provider or into files */
#ifndef HZM_SMS_H
#define HZM_SMS_H

#include <stddef.h>

struct arena;
struct kv;

#define SMS_TEXT_MAX	480	/* bytes: three concatenated UCS-2 parts at most */

/*
 * Configuration:
 *   sms_transport  "file" (default): one JSON file per message in sms_dir;
 *                  "https://provider/path": POST of the JSON body
 *                  {"to": "+905551234567", "from": sms_sender, "text": "..."}
 *                  with Content-Type: application/json and, when sms_token
 *                  is set, Authorization: Bearer <sms_token>; any 2xx is
 *                  accepted, anything else is a failure. The provider is
 *                  the operator's (a private address is allowed), the
 *                  request is not repeated (a text sent twice is worse
 *                  than one lost: the user asks for a new code).
 *   sms_dir        directory of the file transport (default "var/sms"),
 *                  written as <epoch-ms>-<uuid>.json through a rename
 *   sms_sender     the sender name or number ("hzm")
 *   sms_token      the provider's bearer token (a secret: never logged)
 *   sms_timeout_ms the whole request (default 10000)
 *   templates      directory holding sms/NAME.txt
 *
 * to must be E.164 (+ and 7 to 15 digits); the rendered text must be
 * valid UTF-8 of 1..SMS_TEXT_MAX bytes. Returns 0 once the message is
 * written or accepted, else -1; the log gets the template, the number's
 * country prefix and the outcome, never the text (it carries codes).
 */
int	sms_send(struct arena *, const char *to, const char *tmpl,
	    const struct kv *vars, size_t nvars);
/* The JSON body of a message, as both transports carry it; NULL on failure. */
char	*sms_body(struct arena *, const char *to, const char *from,
	    const char *text);

#endif
