/* domain/bot_pnl.c — realized PnL by FIFO lots, and a bot's performance figures, in exact scaled integers */
#include <string.h>

#include "domain/bot_pnl.h"

void
pnl_fifo_init(struct pnl_fifo *f, struct pnl_lot *lots, size_t cap)
{
	memset(f, 0, sizeof(*f));
	f->lots = lots;
	f->cap = cap;
}

int
pnl_fifo_buy(struct pnl_fifo *f, int64_t id, int64_t qty, int64_t cost)
{
	if (qty <= 0 || cost < 0 || f->n >= f->cap)
		return -1;
	f->lots[f->n].id = id;
	f->lots[f->n].qty = qty;
	f->lots[f->n].cost = cost;
	f->lots[f->n].touched = 1;
	f->n++;
	return 0;
}

void
pnl_fifo_open(const struct pnl_fifo *f, int64_t *qty, int64_t *cost)
{
	size_t i;

	*qty = *cost = 0;
	for (i = f->head; i < f->n; i++) {
		*qty += f->lots[i].qty;
		*cost += f->lots[i].cost;
	}
}

int
pnl_fifo_sell(struct pnl_fifo *f, int64_t qty, int64_t proceeds,
    int64_t *realized, int64_t *cost)
{
	int64_t held, open_cost, left = qty, taken = 0, part;
	struct pnl_lot *l;

	pnl_fifo_open(f, &held, &open_cost);
	if (qty <= 0 || qty > held || proceeds < 0)
		return -1;
	while (left > 0) {
		l = &f->lots[f->head];
		l->touched = 1;
		if (l->qty <= left) {
			/* the whole lot, with all its cost */
			taken += l->cost;
			left -= l->qty;
			l->qty = 0;
			l->cost = 0;
			f->head++;
			continue;
		}
		part = (int64_t)((__int128)l->cost * left / l->qty);
		taken += part;
		l->cost -= part;
		l->qty -= left;
		left = 0;
	}
	*cost = taken;
	*realized = proceeds - taken;
	return 0;
}

void
pnl_report_init(struct pnl_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
pnl_report_add(struct pnl_report *r, int sell, int64_t pnl)
{
	r->trades++;
	if (!sell) {
		r->buys++;
		return;
	}
	r->sells++;
	if (pnl > 0)
		r->wins++;
	r->realized += pnl;
	if (r->realized > r->peak)
		r->peak = r->realized;
	if (r->peak - r->realized > r->max_drawdown)
		r->max_drawdown = r->peak - r->realized;
}

int64_t
pnl_win_rate(const struct pnl_report *r)
{
	int64_t q, rem;

	if (r->sells == 0)
		return 0;
	/* half to even, on integers */
	q = (int64_t)r->wins * 10000 / r->sells;
	rem = (int64_t)r->wins * 10000 % r->sells;
	if (2 * rem > r->sells || (2 * rem == r->sells && (q & 1)))
		q++;
	return q;
}
