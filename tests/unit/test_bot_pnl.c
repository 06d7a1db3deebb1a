/* tests/unit/test_bot_pnl.c — domain/bot_pnl: realized PnL by FIFO lots against hand-computed figures, rounding that loses nothing, performance figures */
#include <stdint.h>

#include "domain/bot_pnl.h"
#include "tests/unit/tap.h"

static void
test_fifo(void)
{
	struct pnl_lot lots[8];
	struct pnl_fifo f;
	int64_t realized, cost, qty, open;

	/* BTCTRY-like scales: quantity 8, quote 2 */
	pnl_fifo_init(&f, lots, 8);
	ok(pnl_fifo_buy(&f, 1, 1000000, 100) == 0, "buy 0.01 for 1.00");
	ok(pnl_fifo_buy(&f, 2, 2000000, 220) == 0, "buy 0.02 for 2.20");
	pnl_fifo_open(&f, &qty, &open);
	is_int(qty, 3000000, "held 0.03");
	is_int(open, 320, "at a cost of 3.20");
	ok(pnl_fifo_sell(&f, 4000000, 500, &realized, &cost) == -1, "selling more than held is refused");
	pnl_fifo_open(&f, &qty, &open);
	is_int(qty, 3000000, "  and changes nothing");
	/* 0.015 for 1.80: the first lot whole (1.00) and a quarter of the second (0.55) */
	ok(pnl_fifo_sell(&f, 1500000, 180, &realized, &cost) == 0, "sell 0.015 for 1.80");
	is_int(cost, 155, "FIFO cost 1.55 (1.00 + 0.55)");
	is_int(realized, 25, "realized 0.25 (the last buy price would say 0.15)");
	pnl_fifo_open(&f, &qty, &open);
	is_int(qty, 1500000, "0.015 left");
	is_int(open, 165, "at 1.65");
	ok(pnl_fifo_sell(&f, 1500000, 150, &realized, &cost) == 0, "sell the rest for 1.50");
	is_int(realized, -15, "realized -0.15");
	pnl_fifo_open(&f, &qty, &open);
	ok(qty == 0 && open == 0, "flat, no cost left");
	ok(pnl_fifo_sell(&f, 1, 0, &realized, &cost) == -1, "nothing to sell when flat");

	/* a cost that does not divide: thirds of 1.00 */
	pnl_fifo_init(&f, lots, 8);
	pnl_fifo_buy(&f, 3, 3000000, 100);
	pnl_fifo_sell(&f, 1000000, 40, &realized, &cost);
	is_int(cost, 33, "a third of 1.00 is 0.33 (down)");
	pnl_fifo_sell(&f, 1000000, 40, &realized, &cost);
	is_int(cost, 33, "half of the 0.67 left is 0.33");
	pnl_fifo_sell(&f, 1000000, 40, &realized, &cost);
	is_int(cost, 34, "the last third carries the rest: 0.34");

	/* a sell across three lots */
	pnl_fifo_init(&f, lots, 8);
	pnl_fifo_buy(&f, 1, 100000000, 185000000);	/* 1 @ 1,850,000.00 */
	pnl_fifo_buy(&f, 2, 50000000, 90000000);	/* 0.5 @ 1,800,000.00 */
	pnl_fifo_buy(&f, 3, 50000000, 95000000);	/* 0.5 @ 1,900,000.00 */
	ok(pnl_fifo_sell(&f, 175000000, 332500000, &realized, &cost) == 0,
	    "sell 1.75 @ 1,900,000.00");
	is_int(cost, 322500000, "cost 3,225,000.00 (1.85M + 0.9M + 0.475M)");
	is_int(realized, 10000000, "realized 100,000.00");
	pnl_fifo_init(&f, lots, 1);
	ok(pnl_fifo_buy(&f, 1, 1, 1) == 0 && pnl_fifo_buy(&f, 2, 1, 1) == -1,
	    "a full lot array is refused, not overrun");
	ok(pnl_fifo_buy(&f, 1, 0, 1) == -1, "a buy of nothing is refused");
}

static void
test_report(void)
{
	struct pnl_report r;

	pnl_report_init(&r);
	is_int(pnl_win_rate(&r), 0, "no sells: win rate 0");
	pnl_report_add(&r, 0, 0);
	pnl_report_add(&r, 1, 25);
	pnl_report_add(&r, 1, -15);
	pnl_report_add(&r, 1, 5);
	pnl_report_add(&r, 1, -30);
	is_int(r.trades, 5, "5 trades");
	is_int(r.buys, 1, "1 buy");
	is_int(r.sells, 4, "4 sells");
	is_int(r.realized, -15, "realized -0.15");
	is_int(r.max_drawdown, 40, "max drawdown 0.40 (from 0.25 to -0.15)");
	is_int(pnl_win_rate(&r), 5000, "win rate 50.00%%");
	pnl_report_init(&r);
	pnl_report_add(&r, 1, 1);
	pnl_report_add(&r, 1, 1);
	pnl_report_add(&r, 1, -1);
	is_int(pnl_win_rate(&r), 6667, "2 of 3: 66.67%%");
	is_int(r.max_drawdown, 1, "drawdown 0.01");
	pnl_report_init(&r);
	pnl_report_add(&r, 1, -10);
	is_int(r.max_drawdown, 10, "a first losing sell is a drawdown from 0");
}

int
main(void)
{
	test_fifo();
	test_report();
	return done_testing();
}
