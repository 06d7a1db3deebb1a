/* domain/bank_callback.h — the bank's deposit callbacks: who may call (addresses, signature, time), what they say */
#ifndef HZM_BANK_CALLBACK_H
#define HZM_BANK_CALLBACK_H

#include <stddef.h>
#include <stdint.h>

#include "core/decimal.h"
#include "domain/fiat_ref.h"
#include "domain/iban.h"

struct in_err;
struct json_object;

#define BANK_TXID_MAX		64	/* the bank's transaction id: [A-Za-z0-9._:-] */
#define BANK_SIG_HEX		64
#define BANK_TS_DIGITS_MAX	16

/*
 * Whether addr (REMOTE_ADDR as the web server saw it: never a header a
 * client can write) is inside one of the networks of list: addresses or
 * CIDR blocks, IPv4 or IPv6, separated by commas or spaces
 * ("127.0.0.1/32, 10.0.0.0/8, ::1"; a bare address is a single host). An
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as its IPv4 address.
 * 1 inside, 0 not (an empty list admits nobody), -1 the list is
 * malformed (and admits nobody).
 */
int	bank_ip_allowed(const char *list, const char *addr);

enum bank_auth {
	BANK_AUTH_OK,
	BANK_AUTH_NO_TIMESTAMP,		/* X-Bank-Timestamp absent */
	BANK_AUTH_BAD_TIMESTAMP,	/* not 1-16 digits */
	BANK_AUTH_STALE,		/* further from now than the window */
	BANK_AUTH_NO_SIGNATURE,		/* X-Bank-Signature absent */
	BANK_AUTH_BAD_SIGNATURE,	/* not 64 lower-case hex digits, or wrong */
};

/*
 * A callback's authentication: ts is X-Bank-Timestamp (Unix time in
 * milliseconds), sig X-Bank-Signature, the hex HMAC-SHA256 under secret
 * of ts, '.', and the raw body, compared in constant time; ts must be
 * within skew_ms of now_ms either way. mac receives the HMAC computed
 * here (the delivery's replay mark) whenever it could be computed.
 */
enum bank_auth	 bank_auth_check(const char *secret, const char *ts,
		    const char *sig, const char *body, size_t len, int64_t now_ms,
		    int64_t skew_ms, unsigned char mac[32]);
/* What the bank is told of a refusal. */
const char	*bank_auth_text(enum bank_auth);

/* A transfer into the platform's account, as the bank reports it. */
struct bank_transfer {
	const char	*transaction_id;	/* the bank's, unique to it */
	int64_t		 amount;		/* TRY, in hundredths */
	char		 amount_text[DEC_BUFSZ];	/* the same, "10000.00" */
	const char	*sender_name;
	char		 sender_iban[IBAN_MAX + 1];
	const char	*description;		/* may be "" */
	/* Found in the description: how many references (0, 1, 2+), the first. */
	int		 nrefs;
	char		 reference[FIAT_REF_LEN + 1];
};

/*
 * The callback's body: {transactionId, amount, currency, senderName,
 * senderIban, description}, nothing else. amount a decimal string of at
 * most 2 decimals, above 0; currency "TRY"; senderIban any country's,
 * checked (iban_parse); senderName 1-256 bytes and description 0-1024,
 * UTF-8 without control characters. 0, or -1 with e naming the field.
 */
int	bank_transfer_parse(struct json_object *body, struct bank_transfer *out,
	    struct in_err *e);

#endif
