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

/*
 * One call: params is a JSON array (not consumed); *result lives in the
 * arena. timeout_ms: the whole exchange.
 */
enum err	 btc_call(struct ctx *, const char *method,
		    struct json_object *params, long timeout_ms,
		    struct json_object **result, struct chain_status *);

/* getnewaddress(label, "bech32"), checked to be a segwit address of btc_chain. */
enum err	 btc_new_address(struct ctx *, const char *label, char *addr,
		    size_t addrsz, struct chain_status *);

/* listsinceblock(block, target, include_watchonly, include_removed): receives only. */
enum err	 btc_since(struct ctx *, const char *block, int target,
		    struct chain_since *, struct chain_status *);

/*
 * The parsers, pure (no I/O; fuzzed). btc_reply_parse: a JSON-RPC 1.0 or
 * 2.0 reply to the request with id: ERR_OK and its result (NULL for
 * JSON null), or ERR_SYSTEM_003 with CHAIN_RPC (an error object) or
 * CHAIN_MALFORMED. btc_since_parse: listsinceblock's result.
 */
enum err	 btc_reply_parse(struct arena *, const char *body, size_t len,
		    const char *id, struct json_object **result,
		    struct chain_status *);
enum err	 btc_since_parse(struct arena *, struct json_object *result,
		    struct chain_since *, struct chain_status *);
/* An amount as Core writes it (a JSON number, 8 decimals) in satoshis, exactly: 0 or -1. */
int		 btc_amount(struct json_object *, int64_t *sats);

#endif
