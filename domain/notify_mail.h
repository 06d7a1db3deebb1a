/* domain/notify_mail.h — the mail the delivery worker sends: a service's queued mail, or an event's per user language */
#ifndef HZM_NOTIFY_MAIL_H
#define HZM_NOTIFY_MAIL_H

#include <stddef.h>

struct ctx;
struct json_object;
struct kv;

/*
 * A service's mail as notify_mail() queues it: the template's variables
 * sealed (they may carry codes) under the recipient's address.
 */
struct json_object *notify_mail_payload(struct ctx *, const char *to,
		    const struct kv *vars, size_t nvars);

/*
 * Send one message: "mail.<template>" (a service's, payload from
 * notify_mail_payload) or an event, with templates/mail/<type>_<lang>
 * (dots as underscores), or digest_<lang> when it stands for count
 * events. 0 sent; -1 with why.
 */
int	 notify_mail_deliver(struct ctx *, const char *type, const char *to,
	    const char *event_id, const char *payload, const char *lang,
	    long count, const char *at, char *why, size_t whysz);

#endif
