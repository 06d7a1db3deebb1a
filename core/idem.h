/* core/idem.h — X-Idempotency-Key on POST: one execution, the first answer replayed (spec §7.3) */
#ifndef HZM_IDEM_H
#define HZM_IDEM_H

#include "core/db.h"

struct req;
struct resp;

/*
 * Semantics of the IETF Idempotency-Key draft, per user (without a
 * login, per client address), for 24 hours:
 *  - a repeat with the same body gets the first status and body
 *    (with Idempotent-Replayed: true);
 *  - the same key with a different request is 422;
 *  - a duplicate arriving while the first still runs is 409, and never
 *    runs: a per-key advisory lock is held for the request's duration;
 *  - the key is claimed inside the handler's own transaction (a hook on
 *    db_begin), so the write and the claim commit or vanish together;
 *    handlers without a transaction get the claim when the answer is
 *    stored; an order on the matcher's socket carries the key there,
 *    and the matcher claims it in the batch that stores the order
 *    (idem_key(), idem_hash());
 *  - 5xx and 429 answers are not stored: the client may retry them.
 */
struct idem;

#define IDEM_KEY_MAX	64
/* What a key is spelt of: RFC 3986's unreserved characters and ':'. */
#define IDEM_KEY_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789._~:-"

/* 1-IDEM_KEY_MAX characters of IDEM_KEY_CHARS ([A-Za-z0-9._~:-]). */
int		 idem_key_valid(const char *);
/* 1: go on and run the handler; 0: w holds the answer already. */
int		 idem_begin(struct req *, struct resp *, struct idem **);
void		 idem_end(struct req *, struct resp *, struct idem *);
/* The key in hand, and its request's SHA-256 in 64 lowercase hex digits. */
const char	*idem_key(const struct idem *);
const char	*idem_hash(const struct idem *);

extern const struct stmt	idem_stmts[];
extern const size_t		idem_nstmts;

#endif
