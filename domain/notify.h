/* domain/notify.h — telling people: every mail to users and staff goes through here */
#ifndef HZM_NOTIFY_H
#define HZM_NOTIFY_H

#include <stddef.h>

struct ctx;
struct kv;

/*
 * Mail template tmpl (templates/mail/) to one address with vars. The one
 * door through which services mail people: it queues the mail in the
 * outbox ("mail.<tmpl>", the variables sealed) and the delivery worker
 * (cron/notify.c) sends it, retries it and logs it; security mail is
 * never folded or turned off. Never fails the caller: what could not be
 * queued is logged (the template, never the content). Call it once the
 * change it tells of is committed (or inside its transaction).
 */
void	 notify_mail(struct ctx *, const char *to, const char *tmpl,
	    const struct kv *vars, size_t nvars);

/*
 * The same to staff: the addresses of compliance_alert_mail_to
 * (comma-separated), or when it is unset every active ADMIN and
 * COMPLIANCE user.
 */
void	 notify_staff(struct ctx *, const char *tmpl, const struct kv *vars,
	    size_t nvars);

#endif
