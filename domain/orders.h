/* domain/orders.h — placing and cancelling orders: checks, then the matcher's socket or its inbox */
#ifndef HZM_ORDERS_H
#define HZM_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "core/decimal.h"
#include "core/err.h"
#include "domain/order_view.h"
#include "domain/trade_math.h"

struct ctx;
struct json_object;

/* clientOrderId: [A-Za-z0-9._:-]{1,36} */
#define ORDER_CLIENT_ID_MAX	36
/* The trading KYC level (spec: trading needs LEVEL_2). */
#define ORDER_KYC_LEVEL		2

/* A request as the client sent it: syntax checked, values not yet. */
struct order_in {
	const char	*symbol;
	const char	*client_order_id;	/* or NULL */
	const char	*price;			/* decimal strings, or NULL */
	const char	*quantity;
	const char	*quote_order_qty;
	const char	*stop_price;
	const char	*stop_limit_price;	/* an OCO list's STOP_LIMIT leg */
	enum ord_side	 side;
	enum ord_type	 type;		/* STOP_LOSS: MARKET, STOP_LIMIT: LIMIT */
	int		 stop;		/* STOP_LOSS or STOP_LIMIT */
	int		 oco;		/* an OCO list: type is its limit leg's */
	enum ord_tif	 tif;
	int		 tif_given;
	enum ord_stp	 stp;		/* selfTradePrevention */
	/* the request's X-Idempotency-Key and its hash (hex), or NULL */
	const char	*idem_key;
	const char	*idem_hash;
};

/* Why a request failed: becomes the error's details (order_fail_json()). */
struct order_fail {
	const char	*field;
	const char	*reason;
	const char	*status;		/* market or order status */
	char		 required[DEC_BUFSZ];	/* INSUFFICIENT_BALANCE */
	char		 available[DEC_BUFSZ];
	char		 currency[16];
	char		 minimum[DEC_BUFSZ];	/* TRADE_002 */
	const char	*minimum_name;		/* "minQuantity", "minNotional" */
	char		 min_price[DEC_BUFSZ];	/* TRADE_003: the price band */
	char		 max_price[DEC_BUFSZ];
	const char	*order_id;		/* an order the answer is about */
	char		 day_limit[DEC_BUFSZ];	/* COMPLIANCE_002: the daily */
	char		 day_used[DEC_BUFSZ];	/* trading limit, in currency */
	char		 day_requested[DEC_BUFSZ];
};

struct order_placed {
	int64_t		 id;
	char		 idtxt[24];
	char		 public_id[32];
	/* ORDER_PATH_SOCKET: the matcher answered with the order as committed */
	int		 answered;
	struct order_view view;
	struct fill_view *fills;	/* view's, answered: nfills of them */
	size_t		 nfills;
	int		 done;		/* already processed: nothing to wait for */
	/* the matcher rejected it (order_wait()): why, in the failure */
	enum err	 refused;
	struct market	 market;	/* its market, as placed */
};

/* Which way order_place() hands an order on: the caller's choice. */
enum order_path {
	/*
	 * The matcher's socket; the inbox when the matcher cannot be
	 * reached, or may not have taken it.
	 */
	ORDER_PATH_SOCKET,
	/*
	 * The inbox only, in one transaction that work of the caller's
	 * shares: whatever runs when it begins (core/idem.c claims an
	 * idempotency key there) commits or vanishes with the order, and a
	 * failed attempt is not made again, since that work cannot be.
	 */
	ORDER_PATH_INBOX
};

/* order_place() and order_cancel() flags */
#define ORDER_LISTEN	0x01	/* have the matcher answer on our reply channel */

/* Parse side/type/timeInForce and pick up the strings; -1 with *f set. */
int		 order_in_parse(struct json_object *, struct order_in *,
		    struct order_fail *);

/*
 * The whole of POST /orders but the answer, for the context's actor: KYC,
 * market, precision and minimums, then the fund lock (available -> locked
 * through an ORDER_LOCK ledger row) and the order, in one transaction.
 *
 * On ORDER_PATH_SOCKET the matcher's socket takes the order: the matcher
 * does the lock and the insert in its own batch transaction and answers
 * once it has committed, with the order (out->answered, out->view and its
 * fills). Otherwise, and whenever the matcher cannot be reached or may not
 * have placed it, the order goes in the service's own transaction with an
 * inbox row and a word to the matcher; with ORDER_LISTEN the caller can
 * then order_wait() unless out->done says it is already processed.
 */
/*
 * An actor authenticated by AUTH_USER_BATCHED, whose standing the matcher
 * checks when it takes an order, checked now instead (auth_confirm(), and
 * the KYC level trading needs): c->actor becomes the account as it is.
 * ERR_OK at once for any other actor. Every path to an order that is not
 * the matcher's socket calls it first.
 */
enum err	 order_actor_confirm(struct ctx *, struct order_fail *);

enum err	 order_place(struct ctx *, const struct order_in *, enum order_path,
		    unsigned flags, struct order_placed *, struct order_fail *);

/*
 * Ask the matcher to cancel the actor's order: TRADE_006 unknown or not
 * theirs, TRADE_007 when it is already done (f->status says how).
 */
enum err	 order_cancel(struct ctx *, const char *public_id, unsigned flags,
		    struct order_placed *, struct order_fail *);

/*
 * Wait up to timeout_ms for the matcher's word on a command sent with
 * ORDER_LISTEN: 1 it came, 0 timed out, -1 connection trouble (read the
 * order anyway: the word is a wake-up call, never the outcome itself).
 * A word that says why the matcher rejected a new order sets out->refused
 * and f (order_refusal()).
 */
int		 order_wait(struct ctx *, struct order_placed *, int timeout_ms,
		    struct order_fail *);

/*
 * A refusal of the matcher (domain/matcher_line.h) for an order of market
 * m: its error (TRADE_003 the price band, TRADE_002 a minimum) with f
 * saying why, or ERR_OK when words is no refusal.
 */
enum err	 order_refusal(const struct market *, const char *words,
		    struct order_fail *);

#endif
