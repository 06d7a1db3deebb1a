/* matcher/bench.c — drives one order book from a command file and times the matching alone */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "matcher/book.h"
#include "matcher/stops.h"

/*
 * Command lines, integers in ticks and lots:
 *	N,<id>,<B|S>,<L|M>,<GTC|IOC|FOK>,<price>,<qty>	(price 0 for M)
 *	S,<id>,<B|S>,<L|M>,<GTC|IOC|FOK>,<stop>,<price>,<qty>
 *	O,<id>,<B|S>,<price>,<stop>,<stop limit price>,<qty>
 *	C,<id>
 * S is a stop order (STOP_LOSS for M, STOP_LIMIT for L): it waits in the
 * stop book until a trade crosses stop, then goes to the book as the N
 * order it describes; one already crossed by the last trade goes at once.
 * Triggers follow stops.h's order. O is an OCO list: a GTC limit leg
 * <id> at price and a stop leg <id>+1 at stop (STOP_LIMIT GTC at the stop
 * limit price, or STOP_LOSS IOC for 0), as the engine runs them
 * (matcher/engine_oco.c): a limit leg that trades when placed goes on
 * alone and its stop leg is never placed; later, a fill of the limit leg
 * cancels the stop leg (one already queued is skipped), the stop leg's
 * trigger cancels the limit leg, and a cancel of either cancels both.
 * C cancels a resting or a waiting order.
 * The whole file is parsed before the clock starts, so the figure is the
 * book's and not the parser's.
 */

enum cmd_kind { CMD_NEW, CMD_CANCEL, CMD_STOP, CMD_OCO };

struct cmd {
	struct book_order o;
	int64_t		 stop;
	int64_t		 slimit;	/* an OCO's stop leg's price, 0: market */
	enum cmd_kind	 kind;
};

/* OCO links by order id: open addressing, keys never removed. */
struct link {
	uint64_t	 id;		/* 0: empty slot */
	uint64_t	 other;		/* 0: no list (any more) */
	int		 dead;		/* a stop leg cut while queued */
};

struct trade {
	uint64_t	 maker, taker;
	int64_t		 price, qty;
};

struct tally {
	uint64_t	 trades;
	uint64_t	 volume;
	uint64_t	 triggered;
	int64_t		 last;		/* last trade price */
	int		 traded;	/* by the command being run */
	struct stops	*stops;
	struct link	*links;		/* NULL without O lines */
	size_t		 linkmask;
	struct book	*book;
	struct trade	*v;		/* NULL unless --trades */
	size_t		 n, cap;
	int		 nomem;
};

static void
usage(void)
{
	fprintf(stderr, "usage: matcher-bench FILE [--trades OUT]\n");
	exit(2);
}

static struct link *
link_get(struct tally *t, uint64_t id, int add)
{
	size_t	 i;

	if (t->links == NULL)
		return NULL;
	for (i = (size_t)(id * UINT64_C(0x9e3779b97f4a7c15)) & t->linkmask;
	    t->links[i].id != 0; i = (i + 1) & t->linkmask)
		if (t->links[i].id == id)
			return &t->links[i];
	if (!add)
		return NULL;
	t->links[i].id = id;
	return &t->links[i];
}

/*
 * The list of id goes on without its other leg, which is taken out: a
 * stop leg from the stop book (or, queued already, marked dead), a limit
 * leg from the book.
 */
static void
oco_cut(struct tally *t, uint64_t id, int other_is_stop)
{
	struct link	*a, *b;

	if ((a = link_get(t, id, 0)) == NULL || a->other == 0)
		return;
	b = link_get(t, a->other, 0);
	if (other_is_stop) {
		if (stops_cancel(t->stops, a->other, NULL) == BOOK_ENOTFOUND)
			b->dead = 1;
	} else
		(void)book_cancel(t->book, a->other, NULL);
	a->other = b->other = 0;
}

static void
oco_link(struct tally *t, uint64_t a, uint64_t b)
{
	link_get(t, a, 1)->other = b;
	link_get(t, b, 1)->other = a;
}

static void
on_fill(void *arg, const struct book_fill *f)
{
	struct tally	*t = arg;
	struct trade	*v;
	size_t		 ncap;

	if (f->prevented)
		return;
	t->trades++;
	t->volume += (uint64_t)f->qty;
	t->last = f->price;
	t->traded = 1;
	if (stops_trade(t->stops, f->price) != BOOK_OK)
		t->nomem = 1;
	/* A fill of an OCO limit leg as maker (a part is enough). */
	if (t->links != NULL)
		oco_cut(t, f->maker_id, 1);
	if (t->cap == 0)
		return;
	if (t->n == t->cap) {
		/* Cannot fail the book from here: note it and report later. */
		ncap = t->cap * 2;
		if (t->nomem || (v = realloc(t->v, ncap * sizeof(*v))) == NULL) {
			t->nomem = 1;
			return;
		}
		t->v = v;
		t->cap = ncap;
	}
	t->v[t->n++] = (struct trade){ f->maker_id, f->taker_id, f->price,
	    f->qty };
}

/* Submit the triggered stops, in the order stops.h gives: returns rejections. */
static uint64_t
run_triggers(struct book *b, struct tally *t)
{
	struct book_result	 res;
	struct stop_order	 so;
	uint64_t		 rejected = 0;

	struct link		*l;

	while (stops_next(t->stops, &so)) {
		if ((l = link_get(t, so.o.id, 0)) != NULL) {
			if (l->dead)
				continue;
			oco_cut(t, so.o.id, 0);
		}
		t->triggered++;
		if (book_add(b, &so.o, &res) != BOOK_OK)
			rejected++;
	}
	return rejected;
}

/*
 * An OCO list: the limit leg first; traded when placed, it goes on alone.
 * Else the stop leg waits, linked, or triggers at once (crossed by the
 * last trade), which cancels the limit leg. Returns rejections.
 */
static uint64_t
run_oco(struct book *b, struct tally *t, const struct cmd *c, size_t seq)
{
	struct book_result	 res;
	struct stop_order	 so;

	/* Set by earlier triggers' trades, whose queue has run dry. */
	t->traded = 0;
	if (book_add(b, &c->o, &res) != BOOK_OK)
		return 1;
	if (t->traded || res.status != BOOK_RESTING)
		return 0;
	memset(&so, 0, sizeof(so));
	so.o.id = c->o.id + 1;
	so.o.side = c->o.side;
	so.o.type = c->slimit > 0 ? BOOK_LIMIT : BOOK_MARKET;
	so.o.tif = c->slimit > 0 ? BOOK_GTC : BOOK_IOC;
	so.o.price = c->slimit;
	so.o.qty = c->o.qty;
	so.stop = c->stop;
	so.seq = seq;
	if (stops_crossed(so.o.side, so.stop, t->last)) {
		(void)book_cancel(b, c->o.id, NULL);
		t->triggered++;
		return book_add(b, &so.o, &res) != BOOK_OK;
	}
	oco_link(t, c->o.id, so.o.id);
	return stops_add(t->stops, &so) != BOOK_OK;
}

static uint64_t
run_cmd(struct book *b, struct tally *t, const struct cmd *c, size_t seq)
{
	struct book_entry	 be;
	struct book_result	 res;
	struct stop_order	 so;
	uint64_t		 rejected = 0;

	switch (c->kind) {
	case CMD_CANCEL:
		/* A leg's cancel cancels its list. */
		if (t->links != NULL && book_get(b, c->o.id, &be) == BOOK_OK)
			oco_cut(t, c->o.id, 1);
		else if (t->links != NULL)
			oco_cut(t, c->o.id, 0);
		/* Cancels of unknown or finished ids are part of the stream. */
		if (book_cancel(b, c->o.id, NULL) == BOOK_ENOTFOUND)
			stops_cancel(t->stops, c->o.id, NULL);
		return 0;
	case CMD_STOP:
		if (!stops_crossed(c->o.side, c->stop, t->last)) {
			so.o = c->o;
			so.stop = c->stop;
			so.seq = seq;
			return stops_add(t->stops, &so) != BOOK_OK;
		}
		t->triggered++;
		/* FALLTHROUGH */
	case CMD_NEW:
		rejected = book_add(b, &c->o, &res) != BOOK_OK;
		break;
	case CMD_OCO:
		rejected = run_oco(b, t, c, seq);
		break;
	}
	/* Only a trade can trigger: most commands make none. */
	if (!t->traded)
		return rejected;
	t->traded = 0;
	return rejected + run_triggers(b, t);
}

static char *
read_file(const char *path, size_t *len)
{
	struct stat	 st;
	char		*buf;
	size_t		 n = 0;
	ssize_t		 r;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1) {
		fprintf(stderr, "matcher-bench: %s: %s\n", path,
		    strerror(errno));
		exit(2);
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		fprintf(stderr, "matcher-bench: out of memory\n");
		exit(2);
	}
	while (n < (size_t)st.st_size) {
		r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			fprintf(stderr, "matcher-bench: %s: %s\n", path,
			    r == 0 ? "short read" : strerror(errno));
			exit(2);
		}
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * Unsigned decimal at *pp up to max; advances *pp. strtol() would accept
 * signs and blanks and wants a terminator, and this runs once per field of
 * millions of lines.
 */
static int
parse_num(const char **pp, const char *end, uint64_t max, uint64_t *out)
{
	const char	*p = *pp;
	uint64_t	 v = 0, d;

	if (p == end || *p < '0' || *p > '9')
		return -1;
	do {
		d = (uint64_t)(*p - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
		p++;
	} while (p < end && *p >= '0' && *p <= '9');
	*pp = p;
	*out = v;
	return 0;
}

static int
expect(const char **pp, const char *end, const char *s)
{
	size_t	 n = strlen(s);

	if ((size_t)(end - *pp) < n || memcmp(*pp, s, n) != 0)
		return -1;
	*pp += n;
	return 0;
}

/* "<id>,<B|S>," at *p, the id at most max; an error message or NULL. */
static const char *
parse_id_side(const char **p, const char *end, uint64_t max, struct cmd *c)
{
	uint64_t	 id;

	if (parse_num(p, end, max, &id) == -1 || expect(p, end, ","))
		return "bad id";
	c->o.id = id;
	if (expect(p, end, "B,") == 0)
		c->o.side = BOOK_BUY;
	else if (expect(p, end, "S,") == 0)
		c->o.side = BOOK_SELL;
	else
		return "bad side";
	return NULL;
}

/* After "O,": <id>,<B|S>,<price>,<stop>,<stop limit price>,<qty> */
static const char *
parse_oco(const char *p, const char *end, struct cmd *c)
{
	const char	*err;
	uint64_t	 price, stop, slimit, qty;

	c->kind = CMD_OCO;
	c->o.type = BOOK_LIMIT;
	c->o.tif = BOOK_GTC;
	if ((err = parse_id_side(&p, end, UINT64_MAX - 1, c)) != NULL)
		return err;
	if (c->o.id == 0)
		return "bad id";
	if (parse_num(&p, end, BOOK_PRICE_MAX, &price) == -1 || price == 0 ||
	    expect(&p, end, ",") ||
	    parse_num(&p, end, BOOK_PRICE_MAX, &stop) == -1 || stop == 0 ||
	    expect(&p, end, ",") ||
	    parse_num(&p, end, BOOK_PRICE_MAX, &slimit) == -1 ||
	    expect(&p, end, ","))
		return "bad price";
	if (parse_num(&p, end, BOOK_QTY_MAX, &qty) == -1 || qty == 0)
		return "bad qty";
	c->o.price = (int64_t)price;
	c->stop = (int64_t)stop;
	c->slimit = (int64_t)slimit;
	c->o.qty = (int64_t)qty;
	return p != end ? "trailing characters" : NULL;
}

/* One line, without its newline; returns an error message or NULL. */
static const char *
parse_line(const char *p, const char *end, struct cmd *c)
{
	const char	*err;
	uint64_t	 id, price, qty, stop;

	memset(c, 0, sizeof(*c));
	if (expect(&p, end, "C,") == 0) {
		if (parse_num(&p, end, UINT64_MAX, &id) == -1)
			return "bad id";
		c->kind = CMD_CANCEL;
		c->o.id = id;
		goto last;
	}
	if (expect(&p, end, "O,") == 0)
		return parse_oco(p, end, c);
	if (expect(&p, end, "S,") == 0)
		c->kind = CMD_STOP;
	else if (expect(&p, end, "N,") == -1)
		return "expected N, S, O or C";
	if ((err = parse_id_side(&p, end, UINT64_MAX, c)) != NULL)
		return err;
	if (expect(&p, end, "L,") == 0)
		c->o.type = BOOK_LIMIT;
	else if (expect(&p, end, "M,") == 0)
		c->o.type = BOOK_MARKET;
	else
		return "bad type";
	if (expect(&p, end, "GTC,") == 0)
		c->o.tif = BOOK_GTC;
	else if (expect(&p, end, "IOC,") == 0)
		c->o.tif = BOOK_IOC;
	else if (expect(&p, end, "FOK,") == 0)
		c->o.tif = BOOK_FOK;
	else
		return "bad time in force";
	if (c->kind == CMD_STOP) {
		if (parse_num(&p, end, BOOK_PRICE_MAX, &stop) == -1 ||
		    stop == 0 || expect(&p, end, ","))
			return "bad stop price";
		c->stop = (int64_t)stop;
	}
	if (parse_num(&p, end, BOOK_PRICE_MAX, &price) == -1 ||
	    expect(&p, end, ","))
		return "bad price";
	if (c->o.type == BOOK_LIMIT ? price == 0 : price != 0)
		return "price must be positive for L and 0 for M";
	c->o.price = (int64_t)price;
	if (parse_num(&p, end, BOOK_QTY_MAX, &qty) == -1 || qty == 0)
		return "bad qty";
	c->o.qty = (int64_t)qty;
last:
	if (p != end)
		return "trailing characters";
	return NULL;
}

static struct cmd *
parse_file(const char *path, const char *buf, size_t len, size_t *ncmd)
{
	const char	*p = buf, *end = buf + len, *eol, *err;
	struct cmd	*v;
	size_t		 n = 0, cap = 1, line = 0;

	/* One command a line at most: count lines to size the array once. */
	for (eol = buf; (eol = memchr(eol, '\n', (size_t)(end - eol))) != NULL;
	    eol++)
		cap++;
	if ((v = malloc(cap * sizeof(*v))) == NULL) {
		fprintf(stderr, "matcher-bench: out of memory\n");
		exit(2);
	}
	while (p < end) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (eol > p && eol[-1] == '\r')
			eol--;
		if (eol > p) {
			if ((err = parse_line(p, eol, &v[n])) != NULL) {
				fprintf(stderr, "matcher-bench: %s:%zu: %s\n",
				    path, line, err);
				exit(2);
			}
			n++;
		}
		if ((p = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		p++;
	}
	*ncmd = n;
	return v;
}

static void
put_u64(FILE *fp, uint64_t v)
{
	char	 tmp[20];
	int	 n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		putc_unlocked(tmp[--n], fp);
}

static void
write_trades(const char *path, const struct tally *t)
{
	FILE	*fp;
	size_t	 i;

	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "matcher-bench: %s: %s\n", path,
		    strerror(errno));
		exit(1);
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	for (i = 0; i < t->n; i++) {
		put_u64(fp, t->v[i].maker);
		putc_unlocked(',', fp);
		put_u64(fp, t->v[i].taker);
		putc_unlocked(',', fp);
		put_u64(fp, (uint64_t)t->v[i].price);
		putc_unlocked(',', fp);
		put_u64(fp, (uint64_t)t->v[i].qty);
		putc_unlocked('\n', fp);
	}
	if (fclose(fp) != 0) {
		fprintf(stderr, "matcher-bench: %s: write error\n", path);
		exit(1);
	}
}

/* The link table, sized for the O lines' legs at a quarter full at most. */
static int
links_new(struct tally *t, const struct cmd *cmds, size_t n)
{
	size_t	 i, lists = 0, cap = 16;

	for (i = 0; i < n; i++)
		lists += cmds[i].kind == CMD_OCO;
	if (lists == 0)
		return 0;
	while (cap < lists * 8)
		cap *= 2;
	if ((t->links = calloc(cap, sizeof(*t->links))) == NULL)
		return -1;
	t->linkmask = cap - 1;
	return 0;
}

/* The command file's path, and the trades file's after --trades. */
static void
args(int argc, char *argv[], const char **path, const char **tpath)
{
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--trades") == 0) {
			if (++a >= argc)
				usage();
			*tpath = argv[a];
		} else if (argv[a][0] == '-' && argv[a][1] != '\0')
			usage();
		else if (*path == NULL)
			*path = argv[a];
		else
			usage();
	}
	if (*path == NULL)
		usage();
}

int
main(int argc, char *argv[])
{
	struct timespec		 t0, t1;
	struct tally		 tally;
	struct book		*b;
	struct cmd		*cmds;
	const char		*path = NULL, *tpath = NULL;
	char			*buf;
	size_t			 len, n, i, resting;
	uint64_t		 rejected = 0;
	double			 secs;

	args(argc, argv, &path, &tpath);

	buf = read_file(path, &len);
	cmds = parse_file(path, buf, len, &n);
	free(buf);

	memset(&tally, 0, sizeof(tally));
	if (tpath != NULL) {
		tally.cap = 4096;
		if ((tally.v = malloc(tally.cap * sizeof(*tally.v))) == NULL) {
			fprintf(stderr, "matcher-bench: out of memory\n");
			return 1;
		}
	}
	if ((tally.stops = stops_new()) == NULL ||
	    (b = book_new(on_fill, &tally)) == NULL ||
	    links_new(&tally, cmds, n) == -1) {
		fprintf(stderr, "matcher-bench: book_new: out of memory\n");
		return 1;
	}
	tally.book = b;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		rejected += run_cmd(b, &tally, &cmds[i], i);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("commands=%zu trades=%llu volume=%llu triggered=%llu "
	    "seconds=%.6f commands_per_s=%.0f\n", n,
	    (unsigned long long)tally.trades, (unsigned long long)tally.volume,
	    (unsigned long long)tally.triggered, secs,
	    secs > 0 ? (double)n / secs : 0.0);
	resting = book_count(b);
	fprintf(stderr, "resting=%zu stops=%zu bytes_per_order=%zu\n", resting,
	    stops_count(tally.stops),
	    resting > 0 ? book_memory(b) / resting : (size_t)0);
	if (rejected > 0)
		fprintf(stderr, "matcher-bench: %llu orders rejected by the "
		    "book\n", (unsigned long long)rejected);
	if (fflush(stdout) != 0)
		return 1;
	if (tally.nomem) {
		fprintf(stderr, "matcher-bench: out of memory\n");
		return 1;
	}

	if (tpath != NULL) {
		write_trades(tpath, &tally);
	}
	book_free(b);
	stops_free(tally.stops);
	free(tally.links);
	free(tally.v);
	free(cmds);
	return 0;
}
