/* domain/matcher_line.c — the lines on the matcher's socket, both ways: their grammar, encoded and decoded for both ends */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/util.h"
#include "domain/matcher_line.h"
#include "domain/orders.h"

/* The statuses an order can have once its batch is committed. */
static const char *const statuses[] = { "NEW", "PARTIALLY_FILLED", "FILLED",
    "CANCELED", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH", NULL };

/* Fields of a line, one space apart: p is the next, NULL past the last. */
struct cur {
	const char	*p;
};

/* The next field, [*s, *s + *len); -1 at the end or at an empty field. */
static int
cur_next(struct cur *c, const char **s, size_t *len)
{
	const char *sp;

	if (c->p == NULL || *c->p == '\0' || *c->p == ' ')
		return -1;
	*s = c->p;
	if ((sp = strchr(c->p, ' ')) != NULL) {
		*len = (size_t)(sp - c->p);
		c->p = sp + 1;
	} else {
		*len = strlen(c->p);
		c->p = NULL;
	}
	return 0;
}

/* The next field, a decimal integer in [0, max]. */
static int
cur_int(struct cur *c, int64_t max, int64_t *v)
{
	const char *s;
	char b[32], *end;
	size_t len, i;
	long long x;

	if (cur_next(c, &s, &len) == -1 || len >= sizeof(b))
		return -1;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	memcpy(b, s, len);
	b[len] = '\0';
	errno = 0;
	x = strtoll(b, &end, 10);
	if (errno != 0 || *end != '\0' || x < 0 || x > max)
		return -1;
	*v = x;
	return 0;
}

/* The next field into dst; -1 when it does not fit. */
static int
cur_word(struct cur *c, char *dst, size_t dstsz)
{
	const char *s;
	size_t len;

	if (cur_next(c, &s, &len) == -1 || len >= dstsz)
		return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

/* The next field is one of names (NULL-terminated): its index, or -1. */
static int
cur_oneof(struct cur *c, const char *const *names)
{
	char w[24];
	int i;

	if (cur_word(c, w, sizeof(w)) == -1)
		return -1;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(w, names[i]) == 0)
			return i;
	return -1;
}

/* Only the characters of chars, at least one. */
static int
spelt(const char *s, const char *chars)
{
	return *s != '\0' && strspn(s, chars) == strlen(s);
}

static int
public_id_ok(const char *s, const char *prefix)
{
	return strlen(s) == 24 && strncmp(s, prefix, 4) == 0 &&
	    spelt(s + 4, "abcdefghijklmnopqrstuvwxyz234567");
}

/* ---- requests ---------------------------------------------------------------- */

static const char *
dash(const char *s)
{
	return s[0] != '\0' ? s : "-";
}

/* The next field into dst, "-" as "", only of chars. */
static int
cur_spelt(struct cur *c, char *dst, size_t dstsz, const char *chars)
{
	if (cur_word(c, dst, dstsz) == -1)
		return -1;
	if (strcmp(dst, "-") == 0) {
		dst[0] = '\0';
		return 0;
	}
	return spelt(dst, chars) ? 0 : -1;
}

/* The access token's fields: all of them, or none ("-" "-" 0). */
static int
request_auth_decode(struct cur *c, struct mline_order *o)
{
	static const char uuid[] = "0123456789abcdef-";

	if (cur_spelt(c, o->jti, sizeof(o->jti), uuid) == -1 ||
	    cur_spelt(c, o->sid, sizeof(o->sid), uuid) == -1 ||
	    cur_int(c, INT64_MAX, &o->iat) == -1 ||
	    cur_spelt(c, o->addr, sizeof(o->addr),
	    "0123456789abcdefABCDEF.:") == -1)
		return -1;
	return o->jti[0] != '\0' || (o->sid[0] == '\0' && o->iat == 0) ? 0 : -1;
}

/*
 * The idempotency key and its request's hash, when the line goes on: a
 * key idem_key_valid() takes ("-" there is a key, not "none").
 */
static int
request_idem_decode(struct cur *c, struct mline_order *o)
{
	if (c->p == NULL)
		return 0;
	if (cur_word(c, o->idem_key, sizeof(o->idem_key)) == -1 ||
	    !idem_key_valid(o->idem_key) ||
	    cur_word(c, o->idem_hash, sizeof(o->idem_hash)) == -1 ||
	    strlen(o->idem_hash) != MLINE_IDEM_HASH_LEN ||
	    !spelt(o->idem_hash, "0123456789abcdef"))
		return -1;
	return c->p == NULL ? 0 : -1;
}

int
mline_request_encode(const struct mline_order *o, char *buf, size_t sz)
{
	char idem[1 + IDEM_KEY_MAX + 1 + MLINE_IDEM_HASH_LEN + 1] = "";
	int n;

	if (o->idem_key[0] != '\0')
		snprintf(idem, sizeof(idem), " %s %s", o->idem_key, o->idem_hash);
	n = snprintf(buf, sz,
	    "%s %lld %s %c %c %s %lld %lld %lld %lld %d %lld %c %lld "
	    "%s %s %lld %s%s\n",
	    o->public_id, (long long)o->user_id,
	    o->client_id[0] != '\0' ? o->client_id : "-",
	    o->side == ORD_BUY ? 'B' : 'S', o->type == ORD_LIMIT ? 'L' : 'M',
	    trade_tif_text(o->tif), (long long)o->price, (long long)o->qty,
	    (long long)o->qoq, (long long)o->lock, o->by_cost,
	    (long long)o->stop, "TMB"[o->stp <= ORD_STP_EXPIRE_BOTH ? o->stp : 0],
	    (long long)o->deadline_ms, dash(o->jti), dash(o->sid),
	    (long long)o->iat, dash(o->addr), idem);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

/* The shapes POST /orders lets through, and no other. */
static int
request_shape_ok(const struct mline_order *o)
{
	if ((o->type == ORD_LIMIT) != (o->price > 0) ||
	    (o->qty > 0) == (o->qoq > 0))
		return 0;
	if (o->qoq > 0 && (o->type != ORD_MARKET || o->side != ORD_BUY))
		return 0;
	if (o->type == ORD_MARKET && o->tif == ORD_GTC)
		return 0;
	/* A stop's lock is known when it is placed (trade_lock()). */
	return !o->by_cost || (o->type == ORD_MARKET && o->side == ORD_BUY &&
	    o->qty > 0 && o->stop == 0);
}

int
mline_request_decode(const char *line, struct mline_order *o)
{
	static const char *const sides[] = { "B", "S", NULL };
	static const char *const types[] = { "L", "M", NULL };
	static const char *const tifs[] = { "GTC", "IOC", "FOK", NULL };
	static const char *const stps[] = { "T", "M", "B", NULL };
	struct cur c = { line };
	int side, type, tif, stp;
	int64_t by_cost;

	memset(o, 0, sizeof(*o));
	if (cur_word(&c, o->public_id, sizeof(o->public_id)) == -1 ||
	    !public_id_ok(o->public_id, "ord_") ||
	    cur_int(&c, INT64_MAX, &o->user_id) == -1 || o->user_id == 0 ||
	    cur_word(&c, o->client_id, sizeof(o->client_id)) == -1)
		return -1;
	if (strcmp(o->client_id, "-") == 0)
		o->client_id[0] = '\0';
	else if (!util_token_valid(o->client_id, ORDER_CLIENT_ID_MAX))
		return -1;
	if ((side = cur_oneof(&c, sides)) == -1 ||
	    (type = cur_oneof(&c, types)) == -1 ||
	    (tif = cur_oneof(&c, tifs)) == -1)
		return -1;
	o->side = side == 0 ? ORD_BUY : ORD_SELL;
	o->type = type == 0 ? ORD_LIMIT : ORD_MARKET;
	o->tif = tif == 0 ? ORD_GTC : tif == 1 ? ORD_IOC : ORD_FOK;
	if (cur_int(&c, TRADE_PRICE_MAX, &o->price) == -1 ||
	    cur_int(&c, TRADE_QTY_MAX, &o->qty) == -1 ||
	    cur_int(&c, INT64_MAX, &o->qoq) == -1 ||
	    cur_int(&c, INT64_MAX, &o->lock) == -1 ||
	    cur_int(&c, 1, &by_cost) == -1 ||
	    cur_int(&c, TRADE_PRICE_MAX, &o->stop) == -1 ||
	    (stp = cur_oneof(&c, stps)) == -1 ||
	    cur_int(&c, INT64_MAX, &o->deadline_ms) == -1 ||
	    request_auth_decode(&c, o) == -1 || request_idem_decode(&c, o) == -1)
		return -1;
	o->by_cost = (int)by_cost;
	o->stp = (enum ord_stp)stp;
	return request_shape_ok(o) ? 0 : -1;
}

int
mline_cancel_encode(const struct mline_cancel *x, char *buf, size_t sz)
{
	int n;

	n = snprintf(buf, sz, "CANCEL %lld %lld\n", (long long)x->order_id,
	    (long long)x->user_id);
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

int
mline_cancel_decode(const char *line, struct mline_cancel *x)
{
	static const char *const kinds[] = { "CANCEL", NULL };
	struct cur c = { line };

	memset(x, 0, sizeof(*x));
	if (cur_oneof(&c, kinds) != 0 ||
	    cur_int(&c, INT64_MAX, &x->order_id) == -1 || x->order_id == 0 ||
	    cur_int(&c, INT64_MAX, &x->user_id) == -1 || x->user_id == 0 ||
	    c.p != NULL)
		return -1;
	return 0;
}

/* ---- refusals ---------------------------------------------------------------- */

int
mline_refusal_encode(const struct trade_refusal *r, char *buf, size_t sz)
{
	int n;

	switch (r->kind) {
	case TRADE_REF_BAND:
		n = snprintf(buf, sz, "BAND %lld %lld", (long long)r->lo,
		    (long long)r->hi);
		break;
	case TRADE_REF_EXEC_MIN_QTY:
		n = snprintf(buf, sz, "MINQTY %lld", (long long)r->min);
		break;
	case TRADE_REF_EXEC_MIN_NOTIONAL:
		n = snprintf(buf, sz, "MINNOTIONAL %lld", (long long)r->min);
		break;
	case TRADE_REF_CLOSED:
		n = snprintf(buf, sz, "CLOSED");
		break;
	default:
		return -1;
	}
	return n < 0 || (size_t)n >= sz ? -1 : 0;
}

int
mline_refusal_decode(const char *words, struct trade_refusal *r)
{
	static const char *const kinds[] = { "BAND", "MINQTY", "MINNOTIONAL",
	    "CLOSED", NULL };
	struct cur c = { words };

	memset(r, 0, sizeof(*r));
	switch (cur_oneof(&c, kinds)) {
	case 0:
		if (cur_int(&c, INT64_MAX, &r->lo) == -1 ||
		    cur_int(&c, INT64_MAX, &r->hi) == -1)
			return -1;
		r->kind = TRADE_REF_BAND;
		break;
	case 1:
		if (cur_int(&c, INT64_MAX, &r->min) == -1)
			return -1;
		r->kind = TRADE_REF_EXEC_MIN_QTY;
		break;
	case 2:
		if (cur_int(&c, INT64_MAX, &r->min) == -1)
			return -1;
		r->kind = TRADE_REF_EXEC_MIN_NOTIONAL;
		break;
	case 3:
		r->kind = TRADE_REF_CLOSED;
		break;
	default:
		return -1;
	}
	if (c.p != NULL) {
		memset(r, 0, sizeof(*r));
		return -1;
	}
	return 0;
}

/* ---- answers ----------------------------------------------------------------- */

void
mline_answer_encode(struct buf *b, const struct mline_answer *a)
{
	const struct mline_fill *f;
	char words[96];
	size_t i;

	switch (a->kind) {
	case MLINE_OK:
		buf_printf(b, "OK %s %lld %s %lld %lld %lld %zu", a->created,
		    (long long)a->time_ms, a->status, (long long)a->executed,
		    (long long)a->cum_quote, (long long)a->fees, a->nfills);
		for (i = 0; i < a->nfills; i++) {
			f = &a->fills[i];
			buf_printf(b, " %s %c %lld %lld %lld %lld", f->trade_id,
			    f->maker ? 'M' : 'T', (long long)f->price,
			    (long long)f->qty, (long long)f->quote,
			    (long long)f->fee);
		}
		return;
	case MLINE_POOR:
		buf_printf(b, "POOR %lld %lld", (long long)a->need,
		    (long long)a->avail);
		return;
	case MLINE_CONFLICT:
		buf_puts(b, "CONFLICT");
		return;
	case MLINE_REFUSED:
		if (mline_refusal_encode(&a->refusal, words, sizeof(words)) == 0) {
			buf_puts(b, words);
			return;
		}
		/* A refusal without words: nothing was stored. */
		buf_puts(b, MLINE_RETRY_WORD);
		return;
	case MLINE_STORED:
		buf_puts(b, MLINE_STORED_WORD);
		return;
	case MLINE_RETRY:
		buf_puts(b, MLINE_RETRY_WORD);
		return;
	}
}

/* The n fills of an OK answer. */
static int
fills_decode(struct cur *c, struct arena *ar, int64_t n,
    struct mline_answer *a)
{
	static const char *const roles[] = { "T", "M", NULL };
	struct mline_fill *f;
	int64_t i;
	int role;

	if ((f = arena_calloc(ar, (size_t)n + 1, sizeof(*f))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (cur_word(c, f[i].trade_id, sizeof(f[i].trade_id)) == -1 ||
		    !public_id_ok(f[i].trade_id, "trd_") ||
		    (role = cur_oneof(c, roles)) == -1 ||
		    cur_int(c, TRADE_PRICE_MAX, &f[i].price) == -1 ||
		    cur_int(c, TRADE_QTY_MAX, &f[i].qty) == -1 ||
		    cur_int(c, INT64_MAX, &f[i].quote) == -1 ||
		    cur_int(c, INT64_MAX, &f[i].fee) == -1)
			return -1;
		f[i].maker = role == 1;
	}
	a->fills = f;
	a->nfills = (size_t)n;
	return 0;
}

static int
ok_decode(struct cur *c, struct arena *ar, struct mline_answer *a)
{
	int64_t n;
	int st;

	if (cur_word(c, a->created, sizeof(a->created)) == -1 ||
	    !spelt(a->created, "0123456789-:.TZ") ||
	    cur_int(c, INT64_MAX, &a->time_ms) == -1 ||
	    (st = cur_oneof(c, statuses)) == -1 ||
	    cur_int(c, TRADE_QTY_MAX, &a->executed) == -1 ||
	    cur_int(c, INT64_MAX, &a->cum_quote) == -1 ||
	    cur_int(c, INT64_MAX, &a->fees) == -1 ||
	    cur_int(c, INT64_MAX, &n) == -1)
		return -1;
	snprintf(a->status, sizeof(a->status), "%s", statuses[st]);
	/* Each fill takes at least a dozen characters of what is left. */
	if (n > 0 && (c->p == NULL || (size_t)n > strlen(c->p) / 12 + 1))
		return -1;
	if (fills_decode(c, ar, n, a) == -1)
		return -1;
	return c->p == NULL ? 0 : -1;
}

int
mline_answer_decode(const char *line, struct arena *ar, struct mline_answer *a)
{
	static const char *const words[] = { "OK", "POOR", "CONFLICT",
	    MLINE_STORED_WORD, MLINE_RETRY_WORD, NULL };
	struct cur c = { line };
	int rc = -1;

	memset(a, 0, sizeof(*a));
	if (mline_refusal_decode(line, &a->refusal) == 0) {
		a->kind = MLINE_REFUSED;
		return 0;
	}
	switch (cur_oneof(&c, words)) {
	case 0:
		a->kind = MLINE_OK;
		rc = ok_decode(&c, ar, a);
		break;
	case 1:
		a->kind = MLINE_POOR;
		if (cur_int(&c, INT64_MAX, &a->need) == 0 &&
		    cur_int(&c, INT64_MAX, &a->avail) == 0 && c.p == NULL)
			rc = 0;
		break;
	case 2:
		a->kind = MLINE_CONFLICT;
		rc = c.p == NULL ? 0 : -1;
		break;
	case 3:
		a->kind = MLINE_STORED;
		rc = c.p == NULL ? 0 : -1;
		break;
	case 4:
		a->kind = MLINE_RETRY;
		rc = c.p == NULL ? 0 : -1;
		break;
	default:
		break;
	}
	return rc;
}
