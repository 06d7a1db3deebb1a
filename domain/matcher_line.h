/* domain/matcher_line.h — the lines on the matcher's socket, both ways: their grammar, encoded and decoded for both ends */
#ifndef HZM_MATCHER_LINE_H
#define HZM_MATCHER_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/idem.h"
#include "domain/trade_math.h"

struct arena;
struct buf;

/*
 * Version CHAN_LINE_VERSION (core/channels.h). One space between fields,
 * "-" for none; integers in the market's units (ticks, lots, asset units).
 *
 * Request (a handler's new order):
 *   <public_id> <user_id> <clientOrderId> <B|S> <L|M> <GTC|IOC|FOK>
 *   <price> <qty> <quoteOrderQty> <lock> <by_cost 0|1> <stop> <T|M|B>
 *   <deadline> <jti> <sid> <iat> <addr> [<idem_key> <idem_hash>]
 * by_cost marks a market buy by quantity, whose lock the matcher prices
 * against its book (lock 0). stop is a stop order's stop price (ticks;
 * 0: none), T, M or B its selfTradePrevention (EXPIRE_TAKER, _MAKER,
 * _BOTH). The deadline (epoch milliseconds) is when
 * the handler may stop waiting and place the order through the inbox
 * itself: the matcher takes no order whose deadline has passed once it
 * holds the order's balance lock, so an order it does take holds that
 * lock from before the handler's fallback starts, and the fallback, which
 * locks the balance first, sees it. jti, sid, iat: the access token of a
 * user whose standing the handler left to the matcher (AUTH_USER_BATCHED;
 * "-" "-" 0 when the handler checked it), which takes the order only if
 * the account may trade and the token is not revoked; addr the caller's
 * address for the session's last sight ("-": not known). An order sent
 * with an X-Idempotency-Key carries the key and its request's SHA-256 (64
 * lowercase hex digits): the matcher writes the key's claim in the batch
 * that stores the order, so the key is claimed if and only if the order
 * is placed (core/idem.c). (New in version 6: a matcher of version 5
 * closes the connection on them, and the handler uses the inbox.)
 *
 * Request (a handler's cancel):
 *   CANCEL <order_id> <user_id>
 * the order's internal id and its owner's. The matcher cancels it in its
 * next batch if it holds the order (resting, or a stop not yet triggered)
 * for that user; otherwise it does nothing and says RETRY. (New in
 * version 5: a matcher of version 4 closes the connection on it, and the
 * handler cancels through the inbox.)
 *
 * Answer, once the batch is committed:
 *   OK <created> <time> <status> <executed> <cumQuote> <fees> <n>
 *      then n fills: <tradeId> <M|T> <price> <qty> <quote> <fee>
 *	the order as stored: created is its ISO 8601 time, time its batch's
 *	(epoch ms, its fills' time), M or T its role in a fill
 *   POOR <required> <available>	the lock asset's units
 *   CONFLICT				clientOrderId used before
 *   a refusal (below)			nothing stored
 *   STORED				stored, not described: read it
 *					(a cancel: cancelled, read the order)
 *   RETRY				not stored: use the inbox
 *					(a cancel: not done, use the inbox)
 *
 * Refusals, the same words on the socket and after the order's id in the
 * matcher's word on a reply channel (an inbox order it rejected):
 *   BAND <min price> <max price>	the price band (ticks)
 *   MINQTY <min quantity>		the minimum quantity (lots)
 *   MINNOTIONAL <min notional>		the minimum notional (quote units)
 */

/* An idempotency key's request hash: SHA-256 in lowercase hex. */
#define MLINE_IDEM_HASH_LEN	64

/* A new order as a request line carries it. */
struct mline_order {
	char		 public_id[32];
	int64_t		 user_id;
	char		 client_id[40];		/* "" for none */
	enum ord_side	 side;
	enum ord_type	 type;
	enum ord_tif	 tif;
	int64_t		 price, qty, qoq;	/* 0 for none */
	int64_t		 lock;
	int		 by_cost;
	int64_t		 stop;			/* ticks, 0: not a stop order */
	enum ord_stp	 stp;
	int64_t		 deadline_ms;
	char		 jti[40];		/* "" when the handler checked */
	char		 sid[40];		/* "" for none */
	int64_t		 iat;
	char		 addr[48];		/* "" for none */
	char		 idem_key[IDEM_KEY_MAX + 1];	/* "" for none */
	char		 idem_hash[MLINE_IDEM_HASH_LEN + 1];
};

/* A cancel as a request line carries it. */
struct mline_cancel {
	int64_t		 order_id;
	int64_t		 user_id;
};

/*
 * The two answers without content, spelled once: the codec writes and
 * reads them, and the matcher sends RETRY as it is where it has no
 * answer to encode (a batch that did not go in, no memory).
 */
#define MLINE_STORED_WORD	"STORED"
#define MLINE_RETRY_WORD	"RETRY"

enum mline_kind {
	MLINE_OK, MLINE_POOR, MLINE_CONFLICT, MLINE_REFUSED, MLINE_STORED,
	MLINE_RETRY
};

struct mline_fill {
	char		 trade_id[32];
	int		 maker;
	int64_t		 price, qty, quote, fee;
};

struct mline_answer {
	enum mline_kind	 kind;
	int64_t		 need, avail;		/* MLINE_POOR */
	struct trade_refusal refusal;		/* MLINE_REFUSED */
	/* MLINE_OK */
	char		 created[32];
	int64_t		 time_ms;
	char		 status[24];
	int64_t		 executed, cum_quote, fees;
	const struct mline_fill *fills;
	size_t		 nfills;
};

/* The request line of o, newline included, into buf: -1 when it does not fit. */
int		 mline_request_encode(const struct mline_order *, char *buf,
		    size_t sz);
/*
 * A request line (without its newline) into o: -1 unless it is one, with
 * an order of a shape POST /orders lets through.
 */
int		 mline_request_decode(const char *line, struct mline_order *);
/* The cancel line of x, newline included, into buf: -1 when it does not fit. */
int		 mline_cancel_encode(const struct mline_cancel *, char *buf,
		    size_t sz);
/* A cancel line (without its newline) into x: -1 unless it is one. */
int		 mline_cancel_decode(const char *line, struct mline_cancel *);
/* An answer line, without its newline, added to b (b->err on failure). */
void		 mline_answer_encode(struct buf *, const struct mline_answer *);
/* An answer line into a (fills in the arena): -1 when it is none. */
int		 mline_answer_decode(const char *line, struct arena *,
		    struct mline_answer *);
/* A refusal's words into buf: -1 for TRADE_REF_NONE or no room. */
int		 mline_refusal_encode(const struct trade_refusal *, char *buf,
		    size_t sz);
/* Refusal words into r: -1 when they are none. */
int		 mline_refusal_decode(const char *words, struct trade_refusal *);

#endif
