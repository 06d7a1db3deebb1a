/* domain/fiat_mail.c — telling users by e-mail what became of their TRY: a deposit credited, a withdrawal paid or failed */
#include <stddef.h>

#include "core/http.h"
#include "core/util.h"
#include "domain/fiat_mail.h"
#include "domain/notify.h"

static const char *const templates[] = {
	[FIAT_NOTICE_CREDITED] = "fiat_deposit_credited",
	[FIAT_NOTICE_PAID] = "fiat_withdrawal_completed",
	[FIAT_NOTICE_FAILED] = "fiat_withdrawal_failed",
};

static const char *
or_dash(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : "-";
}

void
fiat_notify(struct ctx *c, const struct fiat_notice *n)
{
	struct kv vars[] = {
		{ "email", n->email },
		{ "id", or_dash(n->id) },
		{ "amount", or_dash(n->amount) },
		{ "fee", or_dash(n->fee) },
		{ "iban", or_dash(n->iban) },
		{ "reason", or_dash(n->reason) },
	};
	const char *tmpl;

	if ((unsigned)n->kind >= nitems(templates) || n->email == NULL)
		return;
	tmpl = templates[n->kind];
	notify_mail(c, n->email, tmpl, vars, nitems(vars));
}
