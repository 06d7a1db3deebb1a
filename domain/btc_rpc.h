/* domain/btc_rpc.h — the Bitcoin node adapter: Bitcoin Core's JSON-RPC over core/httpc, answers parsed exactly */
#ifndef HZM_BTC_RPC_H
#define HZM_BTC_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/chain.h"

struct arena;
struct ctx;
struct json_object;

#define BTC_SCALE		8	/* amounts are satoshis: 10^-8 BTC */
#define BTC_TIMEOUT_MS		5000	/* btc_rpc_timeout_ms: calls a user waits for */
#define BTC_SCAN_TIMEOUT_MS	60000	/* btc_rpc_scan_timeout_ms: listsinceblock */
#define BTC_MAX_RESPONSE	(16 * 1024 * 1024)	/* btc_rpc_max_bytes */
#define BTC_SEND_TIMEOUT_MS	30000	/* btc_rpc_send_timeout_ms: sendtoaddress */
#define BTC_FIND_SCAN		10000	/* btc_find_sent_scan: wallet entries searched */
#define BTC_FIND_PAGE		500	/* entries per listtransactions call */

/*
 * Settings: btc_rpc_url (http(s)://host:port[/wallet/NAME]; no
 * credentials in it), btc_rpc_user, btc_rpc_password, btc_chain (main,
 * test, testnet4, signet or regtest: the addresses the node hands out
 * must be of this chain), btc_rpc_timeout_ms (a request waits for the
 * node no longer: it holds a handler process meanwhile),
 * btc_rpc_scan_timeout_ms (the chain watcher's reads), btc_rpc_max_bytes.
 *
 * Every function answers ERR_OK, ERR_SYSTEM_003 (the node: *st says
 * why, and the log has a line without credentials) or ERR_INTERNAL.
 */

/* One call to the node of btc_rpc_* (rpc_call, domain/jsonrpc.h). */
enum err	 btc_call(struct ctx *, const char *method,
		    struct json_object *params, long timeout_ms,
		    struct json_object **result, struct chain_status *);

/* getnewaddress(label, "bech32"), checked to be a segwit address of btc_chain (the wallet numbers its own: index unused). */
enum err	 btc_new_address(struct ctx *, const char *label, long long index,
		    char *addr, size_t addrsz, struct chain_status *);

/* listsinceblock(block, target, include_watchonly, include_removed): receives only. */
enum err	 btc_since(struct ctx *, const char *block, int target,
		    struct chain_since *, struct chain_status *);

/*
 * Withdrawals. btc_address_check: an address of btc_chain that a payment
 * can go to (P2PKH, P2SH, P2WPKH, P2WSH, P2TR; bech32 in lower case), or
 * why not. btc_send: sendtoaddress(addr, amount, comment) with
 * btc_rpc_send_timeout_ms. btc_find_sent: listtransactions, newest first,
 * BTC_FIND_PAGE at a time up to btc_find_sent_scan entries, for "send"
 * entries whose comment starts with prefix; none found in a wallet that
 * holds more than that is CHAIN_UNSURE, not "not sent". btc_payment: gettransaction
 * of a payment of ours (ERR_NOT_FOUND: the wallet does not know the
 * txid). btc_refused_for_good: Core's errors that refuse a send for good
 * (-3 type, -5 address, -8 parameter, -25/-26 the transaction was
 * rejected, and -6 whose message says the amount is too small for the
 * network), not the rest of -6 (insufficient funds, no fee estimate
 * yet, a fee over the maximum, a transaction too large), -4 (the
 * wallet's state) or -13 (wallet locked), which pass once the operator
 * acts or fees fall.
 */
int		 btc_address_check(const char *addr, char *norm, size_t normsz,
		    const char **why);
enum err	 btc_send(struct ctx *, const char *addr, const char *amount,
		    const char *comment, char txid[CHAIN_HASH_LEN + 1],
		    struct chain_status *);
enum err	 btc_find_sent(struct ctx *, const char *prefix,
		    struct chain_payment *out, int *found, struct chain_status *);
enum err	 btc_payment(struct ctx *, const char *txid, struct chain_payment *,
		    struct chain_status *);
int		 btc_refused_for_good(long code, const char *message);

/*
 * The parsers, pure (no I/O; fuzzed); a reply itself goes through
 * rpc_reply_parse (domain/jsonrpc.h). btc_since_parse: listsinceblock's
 * result.
 */
enum err	 btc_since_parse(struct arena *, struct json_object *result,
		    struct chain_since *, struct chain_status *);
/*
 * sendtoaddress's result (a txid, or {txid, ...} when verbose) into txid;
 * gettransaction's result of a payment into *p; listtransactions' result
 * (an array of entries): the payments whose comment starts with prefix,
 * counted in *found (distinct txids), the first into *p. Each answers
 * ERR_OK, ERR_SYSTEM_003 (CHAIN_MALFORMED) or ERR_INTERNAL.
 */
enum err	 btc_sent_parse(struct json_object *result,
		    char txid[CHAIN_HASH_LEN + 1], struct chain_status *);
enum err	 btc_payment_parse(struct json_object *result,
		    struct chain_payment *, struct chain_status *);
enum err	 btc_sends_parse(struct json_object *result, const char *prefix,
		    struct chain_payment *, int *found, struct chain_status *);
/* An amount as Core writes it (a JSON number, 8 decimals) in satoshis, exactly: 0 or -1. */
int		 btc_amount(struct json_object *, int64_t *sats);

#endif
