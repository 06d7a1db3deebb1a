/* domain/notify_types.c — the events a user can be notified of (seed 002, Appendix H), and how each is treated */
#include <string.h>

#include "core/util.h"
#include "domain/notify_types.h"

/*
 * Seed 002's seven bot events, then Appendix H's. withdrawal.completed is
 * mailed by the withdrawal service itself (news of money leaving, always
 * sent), as is a bank deposit's deposit.confirmed (its event says
 * "method": "BANK_TRANSFER") and kyc.expired by housekeeping (through
 * notify_mail, which queues on the same path): the worker sends their
 * webhooks only, so nobody gets the same mail twice. A crypto deposit's
 * deposit.confirmed is mailed here, as the user's preference says. KYC decisions are never folded into digests: each
 * one is news. A mail per filled order is what a trader turns on, not
 * what everyone gets: order.filled is opt-in, and the matcher writes the
 * event only for users who asked for it by mail or webhook (sql/019,
 * order_filled_subscribers).
 */
static const struct notify_type types[] = {
	{ "bot.trade",		0, "Bot trade", "Bot işlemi" },
	{ "bot.stop_loss",	0, "Stop-loss triggered", "Stop-loss tetiklendi" },
	{ "bot.take_profit",	0, "Take-profit triggered", "Take-profit tetiklendi" },
	{ "bot.daily_target",	0, "Daily profit target reached", "Günlük kâr hedefine ulaşıldı" },
	{ "bot.daily_loss",	0, "Daily loss limit reached, bot stopped", "Günlük zarar limitine ulaşıldı, bot durduruldu" },
	{ "bot.error",		0, "Bot stopped by an error", "Bot bir hata nedeniyle durdu" },
	{ "apikey.invalid",	0, "API key became invalid", "API anahtarı geçersiz oldu" },
	{ "deposit.confirmed",	0, "Deposit confirmed", "Yatırma onaylandı" },
	{ "withdrawal.completed", NT_NO_MAIL, "Withdrawal completed", "Çekim tamamlandı" },
	{ "order.filled",	NT_OPT_IN, "Order filled", "Emir gerçekleşti" },
	{ "kyc.approved",	NT_SECURITY, "Identity verification approved", "Kimlik doğrulaması onaylandı" },
	{ "kyc.rejected",	NT_SECURITY, "Identity verification rejected", "Kimlik doğrulaması reddedildi" },
	{ "kyc.expired",	NT_SECURITY | NT_NO_MAIL, "Identity document expired", "Kimlik belgesinin süresi doldu" },
	{ "balance.threshold",	0, "Balance below your threshold", "Bakiye eşiğinizin altında" },
	{ "webhook.test",	NT_NO_PREF, "Test event", "Test olayı" },
};

const struct notify_type *
notify_types(size_t *n)
{
	*n = nitems(types);
	return types;
}

const struct notify_type *
notify_type_find(const char *name)
{
	size_t i;

	for (i = 0; i < nitems(types); i++)
		if (strcmp(types[i].name, name) == 0)
			return &types[i];
	return NULL;
}

int
notify_type_subscribable(const char *name)
{
	const struct notify_type *t;

	if (strcmp(name, "*") == 0)
		return 1;
	return (t = notify_type_find(name)) != NULL && !(t->flags & NT_NO_PREF);
}
