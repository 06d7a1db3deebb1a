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

/* Today's PnL as NUMERIC(38,18) text, at the quote's scale. */
static void
test_pnl(void)
{
	int64_t v;

	ok(bot_step_pnl("-1.109850450000000000", 6, &v) == 0 && v == -1109850,
	    "8 decimals of USDT PnL at USDT's 6: -1.109850");
	ok(bot_step_pnl("-499.996000000000000000", 2, &v) == 0 && v == -50000,
	    "-499.996 at 2 decimals is -500.00, as round() shows it");
	ok(bot_step_pnl("-499.994999999999999999", 2, &v) == 0 && v == -49999,
	    "  -499.994999... is -499.99");
	ok(bot_step_pnl("12.345", 2, &v) == 0 && v == 1235, "12.345: half up, 12.35");
	ok(bot_step_pnl("7", 2, &v) == 0 && v == 700, "a whole number");
	ok(bot_step_pnl("-0.004", 2, &v) == 0 && v == 0, "-0.004: zero");
	ok(bot_step_pnl("x", 2, &v) == -1, "not a number: -1");
	ok(bot_step_pnl(NULL, 2, &v) == -1, "none: -1");
	is_int(bot_step_daily(NULL, "500", 2, (bot_step_pnl("-499.996", 2, &v), v)),
	    BOT_HALT_LOSS, "so the worker and the start both hold a bot at -499.996 of 500");
}

int
main(void)
{
	test_daily();
	test_pnl();
	return done_testing();
}
