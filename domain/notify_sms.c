/* domain/notify_sms.c — text messages to users: every SMS goes through here */
#include "core/ctx.h"
#include "core/log.h"
#include "core/sms.h"
#include "domain/notify_sms.h"

void
notify_sms(struct ctx *c, const char *to, const char *tmpl,
    const struct kv *vars, size_t nvars)
{
	if (to == NULL || sms_send(c->arena, to, tmpl, vars, nvars) == -1)
		log_error("notify: sms %s not sent", tmpl);
}
