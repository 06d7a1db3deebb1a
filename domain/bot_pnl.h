/* domain/bot_pnl.h — realized PnL by FIFO lots, and a bot's performance figures, in exact scaled integers */
#ifndef HZM_BOT_PNL_H
#define HZM_BOT_PNL_H

#include <stddef.h>
#include <stdint.h>

/*
 * A position as lots, oldest first: what each buy added (quantity at the
 * market's quantity scale) and what it cost (quote amount plus fee, at
 * the quote asset's scale). A sell takes quantity from the oldest lots; a
 * lot taken in part gives up cost in proportion (rounded down) and keeps
 * the rest, so the costs of all lots ever taken add up to what was paid,
 * to the last unit.
 */
struct pnl_lot {
	int64_t		 id;		/* the buy's trade id (0 in a backtest) */
	int64_t		 qty;
	int64_t		 cost;
	int		 touched;	/* changed by a sell: to be written back */
};

struct pnl_fifo {
	struct pnl_lot	*lots;		/* the caller's array */
	size_t		 cap;
	size_t		 head;		/* first open lot */
	size_t		 n;		/* lots[head..n) are open */
};

void	 pnl_fifo_init(struct pnl_fifo *, struct pnl_lot *, size_t cap);
/* A buy of qty for cost (fee included): -1 when the array is full or a value is not positive. */
int	 pnl_fifo_buy(struct pnl_fifo *, int64_t id, int64_t qty, int64_t cost);
/*
 * A sell of qty bringing proceeds (fee taken off): *realized = proceeds
 * minus the cost of the lots taken, *cost that cost. -1 (nothing changed)
 * when more is sold than held.
 */
int	 pnl_fifo_sell(struct pnl_fifo *, int64_t qty, int64_t proceeds,
	    int64_t *realized, int64_t *cost);
/* Quantity and cost of the open lots. */
void	 pnl_fifo_open(const struct pnl_fifo *, int64_t *qty, int64_t *cost);

/* A bot's figures over its trades in order (performance, backtest). */
struct pnl_report {
	long		 trades, buys, sells, wins;
	int64_t		 realized;	/* sum of the sells' realized PnL */
	int64_t		 max_drawdown;	/* largest fall of cumulative realized PnL from a peak (>= 0) */
	int64_t		 peak;		/* running: highest cumulative (from 0) */
};

void	 pnl_report_init(struct pnl_report *);
void	 pnl_report_add(struct pnl_report *, int sell, int64_t realized_pnl);
/* Winning sells among sells, in hundredths of a percent (6667 is 66.67%); 0 without sells. */
int64_t	 pnl_win_rate(const struct pnl_report *);

#endif
