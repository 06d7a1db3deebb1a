/* tests/unit/test_bot_step.c — domain/bot_step: the daily profit target and loss limit a bot is held to, at their edges */
#include <stdint.h>

#include "domain/bot_step.h"
#include "tests/unit/tap.h"

static void
test_daily(void)
{
	is_int(bot_step_daily(NULL, NULL, 2, -100000), BOT_HALT_NONE, "no limits: never halted");
	is_int(bot_step_daily(NULL, "500", 2, -49999), BOT_HALT_NONE, "-499.99 within a 500 loss limit");
	is_int(bot_step_daily(NULL, "500", 2, -50000), BOT_HALT_LOSS, "-500.00 at the loss limit");
	is_int(bot_step_daily(NULL, "500.00000000", 2, -50001), BOT_HALT_LOSS,
	    "NUMERIC text with trailing zeros reads");
	is_int(bot_step_daily("1000", NULL, 2, 99999), BOT_HALT_NONE, "999.99 below a 1000 target");
	is_int(bot_step_daily("1000", NULL, 2, 100000), BOT_HALT_TARGET, "1000.00 at the target");
	is_int(bot_step_daily("1000", "500", 2, 0), BOT_HALT_NONE, "flat: neither");
	is_int(bot_step_daily("0", "0", 2, -100000), BOT_HALT_NONE, "a limit of 0 is none");
	is_int(bot_step_daily(NULL, "x", 2, -100000), BOT_HALT_NONE, "an unreadable limit is none");
	is_str(bot_halt_events[BOT_HALT_LOSS], "bot.daily_loss", "the loss limit's event");
	is_str(bot_halt_reasons[BOT_HALT_TARGET], "daily profit target reached", "the target's reason");
}

int
main(void)
{
	test_daily();
	return done_testing();
}
