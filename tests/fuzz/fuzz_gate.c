/* tests/fuzz/fuzz_gate.c — libFuzzer: lines on the matcher's socket through their one codec, both ways */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/channels.h"
#include "core/util.h"
#include "domain/matcher_line.h"
#include "domain/orders.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What a request line may hold once taken: an order POST /orders could send. */
static void
request_check(const char *line)
{
	struct mline_order o, o2;
	char again[CHAN_REQUEST_MAX];
	size_t n;

	if (mline_request_decode(line, &o) == -1)
		return;
	if (strncmp(o.public_id, "ord_", 4) != 0 || strlen(o.public_id) != 24 ||
	    o.user_id <= 0 || o.price < 0 || o.price > TRADE_PRICE_MAX ||
	    o.qty < 0 || o.qty > TRADE_QTY_MAX || o.qoq < 0 || o.lock < 0 ||
	    o.deadline_ms < 0 || (o.qty > 0) == (o.qoq > 0) ||
	    o.stop < 0 || (o.by_cost && o.stop > 0) ||
	    (unsigned)o.stp > ORD_STP_EXPIRE_BOTH ||
	    (o.type == ORD_LIMIT) != (o.price > 0) ||
	    (o.type == ORD_MARKET && o.tif == ORD_GTC) ||
	    (o.client_id[0] != '\0' &&
	    !util_token_valid(o.client_id, ORDER_CLIENT_ID_MAX)) ||
	    (o.by_cost && (o.side != ORD_BUY || o.type != ORD_MARKET)) ||
	    (o.jti[0] == '\0' && (o.sid[0] != '\0' || o.iat != 0)) ||
	    strspn(o.jti, "0123456789abcdef-") != strlen(o.jti) ||
	    strspn(o.sid, "0123456789abcdef-") != strlen(o.sid) ||
	    strspn(o.addr, "0123456789abcdefABCDEF.:") != strlen(o.addr) ||
	    (o.idem_key[0] != '\0' && !idem_key_valid(o.idem_key)) ||
	    strlen(o.idem_hash) != (o.idem_key[0] != '\0' ? 64 : 0) ||
	    strspn(o.idem_hash, "0123456789abcdef") != strlen(o.idem_hash))
		abort();
	/* Written back, it reads the same. */
	if (mline_request_encode(&o, again, sizeof(again)) == -1 ||
	    (n = strlen(again)) == 0 || again[n - 1] != '\n')
		abort();
	again[n - 1] = '\0';
	if (mline_request_decode(again, &o2) == -1 ||
	    memcmp(&o, &o2, sizeof(o)) != 0)
		abort();
}

/* A cancel line: two ids, neither 0, that read back the same. */
static void
cancel_check(const char *line)
{
	struct mline_cancel x, x2;
	struct mline_order o;
	char again[CHAN_REQUEST_MAX];
	size_t n;

	if (mline_cancel_decode(line, &x) == -1)
		return;
	/* No line is both: the matcher's gate tells them apart by it. */
	if (x.order_id <= 0 || x.user_id <= 0 ||
	    mline_request_decode(line, &o) == 0)
		abort();
	if (mline_cancel_encode(&x, again, sizeof(again)) == -1 ||
	    (n = strlen(again)) == 0 || again[n - 1] != '\n')
		abort();
	again[n - 1] = '\0';
	if (mline_cancel_decode(again, &x2) == -1 ||
	    memcmp(&x, &x2, sizeof(x)) != 0)
		abort();
}

static int
answers_differ(const struct mline_answer *a, const struct mline_answer *b)
{
	struct mline_answer x = *a, y = *b;

	x.fills = y.fills = NULL;
	if (memcmp(&x, &y, sizeof(x)) != 0)
		return 1;
	return a->nfills > 0 &&
	    memcmp(a->fills, b->fills, a->nfills * sizeof(*a->fills)) != 0;
}

/* An answer line taken is written back as it was read. */
static void
answer_check(const char *line)
{
	struct mline_answer a, a2;
	struct buf b = BUF_INIT(CHAN_ANSWER_MAX);
	struct arena *ar;

	if ((ar = arena_new()) == NULL)
		return;
	if (mline_answer_decode(line, ar, &a) == 0) {
		mline_answer_encode(&b, &a);
		if (b.err || b.p == NULL ||
		    mline_answer_decode(b.p, ar, &a2) == -1 ||
		    answers_differ(&a, &a2))
			abort();
	}
	buf_release(&b);
	arena_free(ar);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[4096];

	if (size >= sizeof(line))
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	request_check(line);
	cancel_check(line);
	answer_check(line);
	return 0;
}
