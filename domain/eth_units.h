/* domain/eth_units.h — Ethereum amounts exactly: hex quantities of base units (wei, token units) to and from decimal text, never through floats */
#ifndef HZM_ETH_UNITS_H
#define HZM_ETH_UNITS_H

#include <stddef.h>

#define ETH_DECIMALS		18	/* wei */
#define ETH_UNITS_DIGITS	38	/* numeric(38, 18) holds no more */
#define ETH_QTY_MAX		67	/* "0x" + 64 hex digits + NUL */

/*
 * A quantity in base units, hex digits without "0x" (leading zeros
 * allowed, at most 64 digits: a 256-bit word), as decimal text with
 * decimals places, trailing zeros dropped ("0.5", "12", "0").
 * 0, or -1: not hex digits, or more than ETH_UNITS_DIGITS digits in all,
 * or more than ETH_UNITS_DIGITS - 18 before the point (the database's
 * numeric(38, 18) could not hold it), or out too small.
 */
int	 eth_units_dec(const char *hex, size_t hexlen, int decimals, char *out,
	    size_t outsz);

/*
 * Decimal text (digits, at most one point, at most decimals places, no
 * sign) as a JSON-RPC quantity: "0x" and hex without leading zeros
 * ("0x0" for zero). 0, or -1 (malformed, or 10^38 base units or more).
 */
int	 eth_dec_units(const char *dec, int decimals, char out[ETH_QTY_MAX]);

/* The same quantity as one 32-byte ABI word: 64 hex digits, NUL-terminated. */
int	 eth_dec_word(const char *dec, int decimals, char out[65]);

#endif
