/* tests/bench/gen_orders.c — writes a reproducible order/cancel command stream for matcher-bench */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The generator keeps its own small book (a tick-indexed array of FIFOs with
 * lazy deletion) so that it knows which ids rest: "stable" cancels aim at
 * resting orders and steer their number towards STABLE_TARGET, "deep" lets
 * the book grow. The totals it prints to stderr (trades, volume, resting)
 * are what matcher-bench must report for the same file, which makes every
 * benchmark run a check of the book at scale as well.
 *
 * "stops" is "stable" with stop orders among the commands. The shadow is
 * their reference: a plain list of waiting stops scanned at every trade,
 * the crossed ones sorted by the documented rule (matcher/stops.h: BUY
 * before SELL, nearest stop first, then placement order) and queued, the
 * queue run after each command, a stop crossed at placement sent at once.
 * "oco" is "stops" with OCO lists too (O lines, matcher/bench.c): a limit
 * leg that trades when placed goes on alone; later a fill of it cancels
 * its stop leg (one queued already is skipped), the stop leg's trigger
 * cancels the limit leg, a cancel of either cancels both.
 */

#define SPAN		(1 << 18)	/* ticks the shadow book covers */
#define BASE		(INT64_C(1) << 20)	/* price of tick index 0 */
#define MID0		(SPAN / 2)
#define MID_LIMIT	100000		/* the mid reflects this far from MID0 */
#define FAR_MAX		4000		/* deep: farthest passive offset */
#define STABLE_TARGET	1300
#define NONE		UINT32_MAX

enum kind { STABLE, DEEP, STOPS, OCO };

struct gorder {
	int64_t		 qty;		/* 0: not resting */
	uint32_t	 tick;
	uint32_t	 rpos;		/* index in resting[], NONE if not resting */
	uint32_t	 oco;		/* an OCO limit leg's stop: index + 1 */
	uint8_t		 side;
};

struct glevel {
	uint32_t	*q;		/* ids in time order, dead ones skipped lazily */
	uint32_t	 head, n, cap;
	uint32_t	 live;
	int64_t		 qty;
};

/* A stop order, waiting or done. */
struct gstop {
	uint32_t	 id;
	uint8_t		 side, market, waiting;
	uint8_t		 dead;		/* an OCO stop leg cut while queued */
	uint32_t	 link;		/* an OCO stop leg's limit leg, 0 none */
	const char	*tif;
	int64_t		 stop, t;	/* ticks; t: the limit price */
	int64_t		 qty;
};

struct gen {
	uint64_t	 rng;
	struct gstop	*stops;		/* in placement order */
	uint32_t	 nstops, *stopix;	/* by id: index + 1, 0 none */
	uint32_t	*wait;		/* waiting stops, by index */
	uint32_t	 nwait;
	uint32_t	*queue;		/* triggered, to run */
	uint32_t	 qhead, qn;
	int64_t		 last;		/* tick of the last trade, -1: none */
	uint64_t	 triggered;
	struct gorder	*ord;		/* by id */
	struct glevel	*lv[2];		/* by side, then tick */
	int64_t		 best[2];	/* tick, -1 when the side is empty */
	uint64_t	 nside[2];	/* resting orders per side */
	int64_t		 sideqty[2];
	uint32_t	*resting;	/* resting ids, unordered */
	uint32_t	 nresting;
	int64_t		 mid;
	uint64_t	 trades, volume;
	uint64_t	 ncancel, ngtc, ntaker;
	char		*out;
	size_t		 outlen;
};

#define OUTBUF	(1 << 20)

static void
die(const char *msg)
{
	fprintf(stderr, "gen_orders: %s\n", msg);
	exit(2);
}

/* xorshift64*: small, fast, and the same stream on every platform. */
static uint64_t
next_u64(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * UINT64_C(2685821657736338717);
}

/* Uniform in [0, n), n small: the modulo bias is irrelevant here. */
static uint64_t
below(struct gen *g, uint64_t n)
{
	return (next_u64(g) >> 11) % n;
}

static void
flush_out(struct gen *g)
{
	if (g->outlen > 0 && fwrite(g->out, 1, g->outlen, stdout) != g->outlen)
		die("write error");
	g->outlen = 0;
}

static void
put_str(struct gen *g, const char *s)
{
	size_t	 n = strlen(s);

	memcpy(g->out + g->outlen, s, n);
	g->outlen += n;
}

static void
put_u64(struct gen *g, uint64_t v)
{
	char	 tmp[20];
	int	 n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		g->out[g->outlen++] = tmp[--n];
}

static void
end_line(struct gen *g)
{
	g->out[g->outlen++] = '\n';
	/* Room for the longest line is always kept. */
	if (g->outlen > OUTBUF - 128)
		flush_out(g);
}

static void
resting_add(struct gen *g, uint32_t id)
{
	g->ord[id].rpos = g->nresting;
	g->resting[g->nresting++] = id;
}

static void
resting_del(struct gen *g, uint32_t id)
{
	uint32_t	 pos = g->ord[id].rpos, last;

	last = g->resting[--g->nresting];
	g->resting[pos] = last;
	g->ord[last].rpos = pos;
	g->ord[id].rpos = NONE;
}

/* Whether tick a is a better price than tick b for side s. */
static int
better(int s, int64_t a, int64_t b)
{
	return s == 0 ? a > b : a < b;
}

/* After level t of side s emptied: find the next best, if it was the best. */
static void
level_empty(struct gen *g, int s, int64_t t)
{
	struct glevel	*lv = &g->lv[s][t];

	lv->head = lv->n = 0;
	if (g->best[s] != t)
		return;
	if (g->nside[s] == 0) {
		g->best[s] = -1;
		return;
	}
	do
		t += s == 0 ? -1 : 1;
	while (g->lv[s][t].live == 0);
	g->best[s] = t;
}

static void
shadow_rest(struct gen *g, uint32_t id, int s, int64_t t, int64_t qty)
{
	struct glevel	*lv = &g->lv[s][t];
	uint32_t	 i, j;

	if (lv->n == lv->cap) {
		/* Squeeze out the dead before growing. */
		for (i = lv->head, j = 0; i < lv->n; i++)
			if (g->ord[lv->q[i]].qty > 0)
				lv->q[j++] = lv->q[i];
		lv->head = 0;
		lv->n = j;
		if (j * 2 > lv->cap || lv->cap == 0) {
			lv->cap = lv->cap ? lv->cap * 2 : 8;
			if ((lv->q = realloc(lv->q, lv->cap * sizeof(*lv->q))) ==
			    NULL)
				die("out of memory");
		}
	}
	lv->q[lv->n++] = id;
	lv->live++;
	lv->qty += qty;
	g->ord[id].qty = qty;
	g->ord[id].tick = (uint32_t)t;
	g->ord[id].side = (uint8_t)s;
	g->nside[s]++;
	g->sideqty[s] += qty;
	resting_add(g, id);
	if (g->best[s] < 0 || better(s, t, g->best[s]))
		g->best[s] = t;
}

static void
shadow_cancel(struct gen *g, uint32_t id)
{
	struct gorder	*o = &g->ord[id];
	struct glevel	*lv;
	int		 s = o->side;

	if (o->rpos == NONE)
		return;
	lv = &g->lv[s][o->tick];
	lv->qty -= o->qty;
	g->sideqty[s] -= o->qty;
	o->qty = 0;
	g->nside[s]--;
	resting_del(g, id);
	if (--lv->live == 0)
		level_empty(g, s, o->tick);
}

/* Whether side os holds qty at ticks no worse than lim (-1: any). */
static int
shadow_can_fill(struct gen *g, int os, int64_t lim, int64_t qty)
{
	int64_t	 t;

	if (g->sideqty[os] < qty)
		return 0;
	if (lim < 0)
		return 1;
	for (t = g->best[os]; t >= 0 && t < SPAN && !better(os, lim, t);
	    t += os == 0 ? -1 : 1)
		if ((qty -= g->lv[os][t].qty) <= 0)
			return 1;
	return 0;
}

static struct gen *cmp_gen;

/* Trigger order: BUY first, the nearest stop, then placement. */
static int
stop_cmp(const void *a, const void *b)
{
	const struct gstop *x = &cmp_gen->stops[*(const uint32_t *)a];
	const struct gstop *y = &cmp_gen->stops[*(const uint32_t *)b];
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;

	if (x->side != y->side)
		return x->side < y->side ? -1 : 1;
	if (x->stop != y->stop)
		return (x->side == 0 ? x->stop < y->stop : x->stop > y->stop) ?
		    -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static int
stop_crossed(const struct gstop *st, int64_t t)
{
	return t >= 0 && (st->side == 0 ? t >= st->stop : t <= st->stop);
}

static void
stops_on_trade(struct gen *g, int64_t t)
{
	uint32_t i, n0 = g->qn;

	g->last = t;
	if (g->nwait == 0)
		return;
	for (i = 0; i < g->nwait; i++)
		if (stop_crossed(&g->stops[g->wait[i]], t)) {
			g->stops[g->wait[i]].waiting = 0;
			g->queue[g->qn++] = g->wait[i];
			g->wait[i--] = g->wait[--g->nwait];
		}
	cmp_gen = g;
	qsort(g->queue + n0, g->qn - n0, sizeof(*g->queue), stop_cmp);
}

static void	 stop_cancel(struct gen *, uint64_t);

/* Limit leg lid's list is cut: its stop leg out, or dead if queued. */
static void
oco_cut_stop(struct gen *g, uint32_t lid)
{
	struct gstop	*st;

	if (g->ord[lid].oco == 0)
		return;
	st = &g->stops[g->ord[lid].oco - 1];
	g->ord[lid].oco = 0;
	st->link = 0;
	if (st->waiting)
		stop_cancel(g, st->id);
	else
		st->dead = 1;
}

/* Stop leg st's list is cut: its limit leg cancelled. */
static void
oco_cut_limit(struct gen *g, struct gstop *st)
{
	if (st->link == 0)
		return;
	g->ord[st->link].oco = 0;
	shadow_cancel(g, st->link);
	st->link = 0;
}

/* Match a taker of side s up to tick lim (-1: market); returns what is left. */
static int64_t
shadow_match(struct gen *g, int s, int64_t lim, int64_t left)
{
	int		 os = !s;
	int64_t		 t, q;
	struct glevel	*lv;
	struct gorder	*m;
	uint32_t	 mid;

	while (left > 0 && (t = g->best[os]) >= 0 &&
	    (lim < 0 || !better(os, lim, t))) {
		lv = &g->lv[os][t];
		while (left > 0 && lv->live > 0) {
			mid = lv->q[lv->head];
			m = &g->ord[mid];
			if (m->qty == 0) {
				lv->head++;
				continue;
			}
			q = m->qty < left ? m->qty : left;
			m->qty -= q;
			lv->qty -= q;
			g->sideqty[os] -= q;
			left -= q;
			g->trades++;
			g->volume += (uint64_t)q;
			stops_on_trade(g, t);
			if (m->oco != 0)
				oco_cut_stop(g, mid);
			if (m->qty == 0) {
				lv->head++;
				lv->live--;
				g->nside[os]--;
				resting_del(g, mid);
			}
		}
		if (lv->live == 0)
			level_empty(g, os, t);
	}
	return left;
}

static void
emit_new(struct gen *g, uint32_t id, int s, int market, const char *tif,
    int64_t t, int64_t qty)
{
	put_str(g, "N,");
	put_u64(g, id);
	put_str(g, s == 0 ? ",B," : ",S,");
	put_str(g, market ? "M," : "L,");
	put_str(g, tif);
	g->out[g->outlen++] = ',';
	put_u64(g, market ? 0 : (uint64_t)(BASE + t));
	g->out[g->outlen++] = ',';
	put_u64(g, (uint64_t)qty);
	end_line(g);
}

static void
emit_cancel(struct gen *g, uint64_t id)
{
	put_str(g, "C,");
	put_u64(g, id);
	end_line(g);
}

/* Offset from the mid of a passive order, mostly close to it. */
static int64_t
near_offset(struct gen *g)
{
	uint64_t	 a = below(g, 40), b = below(g, 40);

	return 1 + (int64_t)(a < b ? a : b);
}

static void
gen_gtc(struct gen *g, enum kind k, uint32_t id)
{
	int		 s = (int)below(g, 2);
	int64_t		 off, t, qty, left;

	/*
	 * A few GTC orders take liquidity at or just through the opposite
	 * best; being small, most fill at once and never rest.
	 */
	if (below(g, 20) == 0 && g->best[!s] >= 0) {
		t = g->best[!s] + (s == 0 ? 1 : -1) * (int64_t)below(g, 3);
		qty = 1 + (int64_t)below(g, 30);
	} else {
		if (k == DEEP && below(g, 5) < 2)
			off = 40 + (int64_t)below(g, FAR_MAX);
		else
			off = near_offset(g);
		t = s == 0 ? g->mid - off : g->mid + off;
		/* Passive ones stay behind the opposite best. */
		if (g->best[!s] >= 0 && !better(s, g->best[!s], t))
			t = s == 0 ? g->best[1] - 1 : g->best[0] + 1;
		qty = 1 + (int64_t)below(g, 200);
	}
	g->ngtc++;
	emit_new(g, id, s, 0, "GTC", t, qty);
	left = shadow_match(g, s, t, qty);
	if (left > 0)
		shadow_rest(g, id, s, t, left);
}

static void
gen_taker(struct gen *g, uint32_t id)
{
	int		 s = (int)below(g, 2), market, r = (int)below(g, 10);
	const char	*tif;
	int64_t		 t, qty;

	/* Of the takers: 40% IOC limit, 20% FOK limit, 40% market. */
	market = r >= 6;
	if (r < 4)
		tif = "IOC";
	else if (r < 6 || r == 9)
		tif = "FOK";
	else
		tif = r == 8 ? "GTC" : "IOC";
	t = market ? -1 : s == 0 ? g->mid + (int64_t)below(g, 5) :
	    g->mid - (int64_t)below(g, 5);
	qty = 1 + (int64_t)below(g, market ? 30 : 40);
	g->ntaker++;
	emit_new(g, id, s, market, tif, t, qty);
	if (tif[0] != 'F' || shadow_can_fill(g, !s, t, qty))
		shadow_match(g, s, t, qty);
}

static void
shadow_taker(struct gen *g, uint32_t id, int s, int market, const char *tif,
    int64_t t, int64_t qty)
{
	int64_t	 lim = market ? -1 : t, left;

	if (tif[0] == 'F' && !shadow_can_fill(g, !s, lim, qty))
		return;
	left = shadow_match(g, s, lim, qty);
	if (left > 0 && !market && tif[0] == 'G')
		shadow_rest(g, id, s, t, left);
}

static void
run_queue(struct gen *g)
{
	struct gstop	*st;

	while (g->qhead < g->qn) {
		st = &g->stops[g->queue[g->qhead++]];
		if (st->dead)
			continue;
		oco_cut_limit(g, st);
		g->triggered++;
		shadow_taker(g, st->id, st->side, st->market, st->tif, st->t,
		    st->qty);
	}
	g->qhead = g->qn = 0;
}

static void
gen_stop(struct gen *g, uint32_t id)
{
	static const char *const tifs[] = { "GTC", "GTC", "GTC", "IOC", "FOK" };
	struct gstop	*st = &g->stops[g->nstops];
	int64_t		 off = 1 + (int64_t)below(g, 30);

	st->id = id;
	st->side = (uint8_t)below(g, 2);
	st->market = below(g, 3) == 0;
	st->tif = st->market ? (below(g, 4) ? "IOC" : "FOK") :
	    tifs[below(g, 5)];
	st->stop = st->side == 0 ? g->mid + off : g->mid - off;
	st->t = st->side == 0 ? st->stop + (int64_t)below(g, 5) :
	    st->stop - (int64_t)below(g, 5);
	st->qty = 1 + (int64_t)below(g, 40);
	g->stopix[id] = ++g->nstops;
	put_str(g, "S,");
	put_u64(g, id);
	put_str(g, st->side == 0 ? ",B," : ",S,");
	put_str(g, st->market ? "M," : "L,");
	put_str(g, st->tif);
	g->out[g->outlen++] = ',';
	put_u64(g, (uint64_t)(BASE + st->stop));
	g->out[g->outlen++] = ',';
	put_u64(g, st->market ? 0 : (uint64_t)(BASE + st->t));
	g->out[g->outlen++] = ',';
	put_u64(g, (uint64_t)st->qty);
	end_line(g);
	if (stop_crossed(st, g->last)) {
		g->triggered++;
		shadow_taker(g, id, st->side, st->market, st->tif, st->t,
		    st->qty);
	} else {
		st->waiting = 1;
		g->wait[g->nwait++] = g->nstops - 1;
	}
}

/* An OCO list (an O line): ids id (limit leg) and id + 1 (stop leg). */
static void
gen_oco(struct gen *g, uint32_t id)
{
	struct gstop	*st = &g->stops[g->nstops];
	int		 s = (int)below(g, 2);
	int64_t		 t, stop, qty, left;

	t = s == 0 ? g->mid - near_offset(g) : g->mid + near_offset(g);
	stop = 1 + (int64_t)below(g, 30);
	stop = s == 0 ? g->mid + stop : g->mid - stop;
	st->market = below(g, 2) == 0;
	st->t = s == 0 ? stop + (int64_t)below(g, 5) : stop - (int64_t)below(g, 5);
	qty = 1 + (int64_t)below(g, 40);
	put_str(g, "O,");
	put_u64(g, id);
	put_str(g, s == 0 ? ",B," : ",S,");
	put_u64(g, (uint64_t)(BASE + t));
	g->out[g->outlen++] = ',';
	put_u64(g, (uint64_t)(BASE + stop));
	g->out[g->outlen++] = ',';
	put_u64(g, st->market ? 0 : (uint64_t)(BASE + st->t));
	g->out[g->outlen++] = ',';
	put_u64(g, (uint64_t)qty);
	end_line(g);
	g->ngtc++;
	/* Traded when placed: the limit leg goes on alone. */
	if ((left = shadow_match(g, s, t, qty)) < qty) {
		if (left > 0)
			shadow_rest(g, id, s, t, left);
		return;
	}
	shadow_rest(g, id, s, t, qty);
	st->id = id + 1;
	st->side = (uint8_t)s;
	st->tif = st->market ? "IOC" : "GTC";
	st->stop = stop;
	st->qty = qty;
	g->stopix[id + 1] = ++g->nstops;
	if (stop_crossed(st, g->last)) {
		shadow_cancel(g, id);
		g->triggered++;
		shadow_taker(g, id + 1, s, st->market, st->tif, st->t, qty);
		return;
	}
	st->waiting = 1;
	st->link = id;
	g->ord[id].oco = g->nstops;
	g->wait[g->nwait++] = g->nstops - 1;
}

static void
stop_cancel(struct gen *g, uint64_t id)
{
	uint32_t i, ix;

	if (g->stopix == NULL || (ix = g->stopix[id]) == 0 ||
	    !g->stops[ix - 1].waiting)
		return;
	g->stops[ix - 1].waiting = 0;
	for (i = 0; i < g->nwait; i++)
		if (g->wait[i] == ix - 1) {
			g->wait[i] = g->wait[--g->nwait];
			break;
		}
}

static void
gen_cancel(struct gen *g, enum kind k, uint32_t nextid)
{
	uint64_t	 id;

	/*
	 * "deep" aims only a quarter of its cancels at resting orders; the rest
	 * name any id so far, mostly finished ones the book ignores, which is
	 * what lets it grow.
	 */
	if (k >= STOPS && g->nwait > 0 && below(g, 50) == 0)
		id = g->stops[g->wait[below(g, g->nwait)]].id;
	else if (g->nresting > 0 && (k != DEEP || below(g, 4) == 0))
		id = g->resting[below(g, g->nresting)];
	else
		id = 1 + below(g, nextid);
	g->ncancel++;
	emit_cancel(g, id);
	if (id < nextid) {
		/* A leg's cancel cancels its list. */
		if (g->ord[id].oco != 0)
			oco_cut_stop(g, (uint32_t)id);
		else if (g->stopix != NULL && g->stopix[id] != 0 &&
		    g->stops[g->stopix[id] - 1].waiting)
			oco_cut_limit(g, &g->stops[g->stopix[id] - 1]);
		shadow_cancel(g, (uint32_t)id);
		stop_cancel(g, id);
	}
}

/*
 * Whether the next command is a cancel rather than a GTC order. "stable"
 * leans towards cancels above the target and away from them below it, so
 * the book hovers around the target while the two stay near 45% each.
 */
static int
want_cancel(struct gen *g, enum kind k)
{
	int64_t	 p;

	if (k == DEEP)
		return below(g, 2) == 0;
	p = 500 + 2000 * ((int64_t)g->nresting - STABLE_TARGET) /
	    STABLE_TARGET;
	p = p < 250 ? 250 : p > 750 ? 750 : p;
	return (int64_t)below(g, 1000) < p;
}

static uint64_t
parse_u64(const char *s, const char *what)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	if (*s < '0' || *s > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno == 0 && *end == '\0')
		return v;
bad:
	fprintf(stderr, "gen_orders: bad %s: %s\n", what, s);
	exit(2);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: gen_orders --kind stable|deep|stops|oco [--n N] [--seed S] "
	    "> FILE\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct gen	 g;
	enum kind	 k = STABLE;
	uint64_t	 n = 1000000, seed = 1, i;
	uint32_t	 nextid = 1;
	int		 a, s, havekind = 0;

	for (a = 1; a < argc; a++) {
		if (a + 1 >= argc)
			usage();
		if (strcmp(argv[a], "--kind") == 0) {
			if (strcmp(argv[a + 1], "stable") == 0)
				k = STABLE;
			else if (strcmp(argv[a + 1], "deep") == 0)
				k = DEEP;
			else if (strcmp(argv[a + 1], "stops") == 0)
				k = STOPS;
			else if (strcmp(argv[a + 1], "oco") == 0)
				k = OCO;
			else
				usage();
			havekind = 1;
		} else if (strcmp(argv[a], "--n") == 0)
			n = parse_u64(argv[a + 1], "--n");
		else if (strcmp(argv[a], "--seed") == 0)
			seed = parse_u64(argv[a + 1], "--seed");
		else
			usage();
		a++;
	}
	if (!havekind)
		usage();
	/* An O line takes two ids. */
	if (n >= UINT32_MAX / 2 - 1)
		die("--n too large");

	memset(&g, 0, sizeof(g));
	/* splitmix64 of the seed: any seed, including 0, gives a good state. */
	g.rng = seed + UINT64_C(0x9e3779b97f4a7c15);
	g.rng = (g.rng ^ (g.rng >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	g.rng = (g.rng ^ (g.rng >> 27)) * UINT64_C(0x94d049bb133111eb);
	g.rng ^= g.rng >> 31;
	if (g.rng == 0)
		g.rng = 1;
	if ((g.ord = calloc(2 * n + 2, sizeof(*g.ord))) == NULL ||
	    (g.resting = malloc((n + 1) * sizeof(*g.resting))) == NULL ||
	    (g.out = malloc(OUTBUF)) == NULL)
		die("out of memory");
	for (s = 0; s < 2; s++) {
		if ((g.lv[s] = calloc(SPAN, sizeof(*g.lv[s]))) == NULL)
			die("out of memory");
		g.best[s] = -1;
	}
	for (i = 0; i < 2 * n + 2; i++)
		g.ord[i].rpos = NONE;
	g.mid = MID0;
	g.last = -1;
	if (k >= STOPS && ((g.stops = calloc(n + 1, sizeof(*g.stops))) == NULL ||
	    (g.stopix = calloc(2 * n + 2, sizeof(*g.stopix))) == NULL ||
	    (g.wait = malloc((n + 1) * sizeof(*g.wait))) == NULL ||
	    (g.queue = malloc((n + 1) * sizeof(*g.queue))) == NULL))
		die("out of memory");

	for (i = 0; i < n; i++) {
		/* The mid random-walks a tick at a time, reflected at the limits. */
		if (below(&g, 64) == 0) {
			g.mid += below(&g, 2) ? 1 : -1;
			if (g.mid > MID0 + MID_LIMIT)
				g.mid -= 2;
			else if (g.mid < MID0 - MID_LIMIT)
				g.mid += 2;
		}
		if (k == OCO && below(&g, 20) == 0) {
			gen_oco(&g, nextid);
			nextid += 2;
		} else if (k >= STOPS && below(&g, 20) == 0)
			gen_stop(&g, nextid++);
		else if (below(&g, 10) == 0)
			gen_taker(&g, nextid++);
		else if (want_cancel(&g, k))
			gen_cancel(&g, k, nextid);
		else
			gen_gtc(&g, k, nextid++);
		run_queue(&g);
	}
	flush_out(&g);
	if (fflush(stdout) != 0)
		die("write error");
	fprintf(stderr, "gen_orders: kind=%s commands=%llu cancels=%llu "
	    "gtc=%llu takers=%llu trades=%llu volume=%llu resting=%u "
	    "triggered=%llu stops=%u\n",
	    k == STABLE ? "stable" : k == DEEP ? "deep" : k == STOPS ? "stops" :
	    "oco",
	    (unsigned long long)n,
	    (unsigned long long)g.ncancel, (unsigned long long)g.ngtc,
	    (unsigned long long)g.ntaker, (unsigned long long)g.trades,
	    (unsigned long long)g.volume, g.nresting,
	    (unsigned long long)g.triggered, g.nwait);
	for (s = 0; s < 2; s++) {
		for (i = 0; i < SPAN; i++)
			free(g.lv[s][i].q);
		free(g.lv[s]);
	}
	free(g.ord);
	free(g.stops);
	free(g.stopix);
	free(g.wait);
	free(g.queue);
	free(g.resting);
	free(g.out);
	return 0;
}
