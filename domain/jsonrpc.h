/* domain/jsonrpc.h — JSON-RPC over core/httpc to a node of the operator's: one call, replies parsed strictly, the node's failures named */
#ifndef HZM_JSONRPC_H
#define HZM_JSONRPC_H

#include <stddef.h>

#include "core/err.h"
#include "domain/chain.h"

struct arena;
struct ctx;
struct json_object;

/*
 * Where a node answers and how to speak to it. Its settings are
 * <prefix>_url (http(s)://host:port[/path], no credentials in it),
 * <prefix>_user and <prefix>_password (HTTP basic auth, optional) and
 * <prefix>_max_bytes (the longest answer kept).
 */
struct rpc_node {
	const char	*name;		/* for the log: "btc", "eth" */
	const char	*url_key;	/* setting names: "btc_rpc_url" ... */
	const char	*user_key;
	const char	*password_key;
	/*
	 * A setting naming the node's cookie file ("user:password", as
	 * Bitcoin Core writes .cookie at each start), read at each call when
	 * user_key is empty; NULL when the node has none.
	 */
	const char	*cookie_key;
	const char	*max_key;
	size_t		 max_default;
	/* An error code meaning "starting, ask later" (Core's -28), or 0. */
	long		 warmup_code;
};

/*
 * One call: params is a JSON array (not consumed; NULL for none);
 * *result lives in the arena (NULL for JSON null). timeout_ms: the whole
 * exchange. ERR_OK, ERR_SYSTEM_003 (*st says why; the log has a line
 * without credentials) or ERR_INTERNAL.
 */
enum err	 rpc_call(struct ctx *, const struct rpc_node *, const char *method,
		    struct json_object *params, long timeout_ms,
		    struct json_object **result, struct chain_status *);

/*
 * A JSON-RPC 1.0 or 2.0 reply to the request with id, pure (fuzzed):
 * ERR_OK and its result, or ERR_SYSTEM_003 with CHAIN_RPC (an error
 * object: code, message) or CHAIN_MALFORMED.
 */
enum err	 rpc_reply_parse(struct arena *, const char *body, size_t len,
		    const char *id, struct json_object **result,
		    struct chain_status *);

/* Helpers for the adapters' parsers. */
void		 rpc_fail(struct chain_status *, enum chain_fail);
/* 64 lower-case hex digits and nothing else. */
int		 rpc_hex64(const char *);
/* An integer member within [lo, hi]: 0, or -1 (absent, not an integer, out of range). */
int		 rpc_int_field(struct json_object *, const char *name, long lo,
		    long hi, long *out);
/* A string member, or NULL. */
const char	*rpc_str_field(struct json_object *, const char *name);

#endif
