/* domain/notify_sms.h — text messages to users: every SMS goes through here */
#ifndef HZM_NOTIFY_SMS_H
#define HZM_NOTIFY_SMS_H

#include <stddef.h>

struct ctx;
struct kv;

/*
 * SMS template tmpl (templates/sms/) to one E.164 number with vars, as
 * notify_mail() does for mail: never fails the caller (what could not be
 * sent is logged, never its text). Call it once the change is committed.
 */
void	 notify_sms(struct ctx *, const char *to, const char *tmpl,
	    const struct kv *vars, size_t nvars);

#endif
