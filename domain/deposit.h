/* domain/deposit.h — crypto deposits: an asset's deposit rules, users' deposit addresses, their deposits */
#ifndef HZM_DEPOSIT_H
#define HZM_DEPOSIT_H

#include <libpq-fe.h>

#include "core/err.h"
#include "domain/chain.h"

struct ctx;
struct json_object;

#define DEPOSIT_ID_LEN		24	/* "dep_" + 20 */
#define DEPOSIT_NET_MAX		10	/* network codes: [A-Z0-9]{2,10} */

/* An asset's deposit address on a network, with the rules deposits to it follow. */
struct deposit_addr {
	char		 asset[16];
	char		 network[DEPOSIT_NET_MAX + 1];
	char		 address[CHAIN_ADDR_MAX + 1];
	const char	*memo;			/* NULL: the network has none */
	char		 min_deposit[48];	/* at the asset's precision */
	int		 confirmations;
	/* Why the request is refused (ERR_INVALID_REQUEST): field, reason. */
	const char	*field, *reason;
	/* ERR_SYSTEM_003: what the node did. */
	struct chain_status node;
};

/*
 * The caller's (c->actor) address for asset on network (NULL: the asset's
 * default network): the stored one, or on the first request a new one
 * from the network's node, stored before it is answered. ERR_NOT_FOUND:
 * no such asset; ERR_INVALID_REQUEST: the asset takes no deposits on that
 * network (out->field, out->reason); ERR_SYSTEM_003: the node failed
 * (out->node; CHAIN_DOWN and CHAIN_UNCONFIGURED mean unavailable).
 */
enum err	 deposit_address(struct ctx *, const char *asset,
		    const char *network, struct deposit_addr *out);
struct json_object *deposit_address_json(const struct deposit_addr *);

struct deposit_query {
	const char	*status;	/* NULL: any */
	const char	*asset;		/* NULL: any */
	int		 oldest_first;	/* sort=+createdAt */
	const char	*limit, *offset;
};

/* The caller's deposits, newest first unless asked; *total counts them all. */
enum err	 deposit_list(struct ctx *, const struct deposit_query *,
		    PGresult **rows, long long *total);
struct json_object *deposit_json(PGresult *, int row);

/*
 * Which of n addresses on network are users' deposit addresses: known[i]
 * set to 1 or 0. For adapters that read whole blocks (at most 1000 at once).
 */
enum err	 deposit_addresses_known(struct ctx *, const char *network,
		    const char *const *addrs, size_t n, unsigned char *known);

/* The statuses a deposit goes through (Appendix C's names). */
extern const char *const deposit_statuses[];

#endif
