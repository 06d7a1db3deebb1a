/* domain/deposit_scan.h — the chain watcher: transfers to deposit addresses recorded at once, confirmed, credited exactly once */
#ifndef HZM_DEPOSIT_SCAN_H
#define HZM_DEPOSIT_SCAN_H

#include "core/err.h"

struct ctx;

struct scan_stats {
	long	seen;		/* transfers to deposit addresses in the node's answer */
	long	recorded;	/* of which new */
	long	credited;
	long	rejected;	/* below the minimum */
	long	failed;		/* left the chain before they were credited */
	long	alerts;		/* left the chain after they were credited */
};

/*
 * One pass over network's chain: ask its node for the transfers since
 * the block the last pass ended at; record those to deposit addresses
 * (PENDING, or REJECTED below the minimum) with their confirmations;
 * credit through the ledger, with a deposit.confirmed event, those that
 * reach the required confirmations; mark FAILED those double-spent before
 * that; raise a CRITICAL compliance alert for a credited one that left
 * the chain. Each transfer is its own transaction; the cursor moves only
 * when all went through, and every step may be repeated safely.
 *
 * One pass per network at a time: ERR_CONFLICT when another holds it
 * (a session advisory lock). ERR_SYSTEM_003: the node failed (logged).
 */
enum err	 deposit_scan(struct ctx *, const char *network, struct scan_stats *);

/* The networks whose deposits are open, NULL-terminated, in the arena. */
enum err	 deposit_scan_networks(struct ctx *, const char ***networks);

#endif
