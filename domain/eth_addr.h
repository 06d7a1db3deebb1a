/* domain/eth_addr.h — Ethereum addresses: EIP-55 checksums, and deposit addresses derived from the operator's extended public key (BIP32) */
#ifndef HZM_ETH_ADDR_H
#define HZM_ETH_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define ETH_ADDR_LEN	20
#define ETH_ADDR_TEXT	42	/* "0x" + 40 hex digits */

/* An extended public key (BIP32): what derivation needs of it. */
struct xpub {
	uint8_t		 chain[32];	/* chain code */
	uint8_t		 key[33];	/* compressed public key */
	uint8_t		 depth;
	uint32_t	 child;		/* its own index */
};

enum eth_addr_check {
	ETH_ADDR_OK,
	ETH_ADDR_FORMAT,	/* not "0x" and 40 hex digits */
	ETH_ADDR_CHECKSUM,	/* mixed case that is not the EIP-55 checksum */
};

/* The EIP-55 spelling of an address: "0x" and mixed-case hex, NUL-terminated. */
void		 eth_addr_eip55(const uint8_t addr[ETH_ADDR_LEN],
		    char out[ETH_ADDR_TEXT + 1]);
/*
 * A written address: all lower or all upper case hex is taken as not
 * checksummed, mixed case must be its EIP-55 checksum. Its bytes into
 * raw (may be NULL).
 */
enum eth_addr_check eth_addr_parse(const char *s, uint8_t raw[ETH_ADDR_LEN]);
/* The address of a public key (33 bytes compressed or 65 uncompressed): 0 or -1. */
int		 eth_addr_of_key(const uint8_t *key, size_t keylen,
		    uint8_t addr[ETH_ADDR_LEN]);

/* An xpub/tpub string (base58check, 78 bytes, a point of secp256k1): 0 or -1. */
int		 xpub_parse(const char *s, struct xpub *);
/* The non-hardened child index (< 2^31) of parent (BIP32 CKDpub): 0 or -1. */
int		 xpub_child(const struct xpub *parent, uint32_t index,
		    struct xpub *child);
/* The EIP-55 address of child index of the xpub string: 0 or -1. */
int		 eth_addr_derive(const char *xpub, uint32_t index,
		    char out[ETH_ADDR_TEXT + 1]);

#endif
