/* domain/btc_addr.h — Bitcoin addresses: bech32/bech32m (BIP 173, BIP 350) and base58check, checked per chain */
#ifndef HZM_BTC_ADDR_H
#define HZM_BTC_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define BECH32_MAX	90	/* characters of a bech32 string (BIP 173) */
#define BTC_ADDR_MAX	90	/* the longest address of any kind */
#define WITNESS_PROG_MAX 40

/* The checksum constant that verified: bech32 (v0) or bech32m (v1+). */
enum bech32_enc {
	BECH32_NONE,
	BECH32_V0,	/* BIP 173 */
	BECH32_M,	/* BIP 350 */
};

enum btc_addr_kind {
	BTC_ADDR_INVALID,
	BTC_ADDR_P2PKH,		/* base58check, 1... (mainnet) or m/n... */
	BTC_ADDR_P2SH,		/* base58check, 3... or 2... */
	BTC_ADDR_P2WPKH,	/* witness v0, 20 bytes */
	BTC_ADDR_P2WSH,		/* witness v0, 32 bytes */
	BTC_ADDR_P2TR,		/* witness v1, 32 bytes */
	BTC_ADDR_WITNESS,	/* another witness version (2..16) */
};

/*
 * A bech32 string: its human-readable part (lower case) into hrp, its data
 * (5-bit values, checksum removed) into data (at least BECH32_MAX), and
 * which checksum verified. 0, or -1: not bech32 (length, characters,
 * mixed case, separator or checksum).
 */
int		 bech32_decode(const char *s, char *hrp, size_t hrpsz,
		    uint8_t *data, size_t *ndata, enum bech32_enc *);
/* hrp and 5-bit data with a checksum of the given kind; -1 if too long. */
int		 bech32_encode(char *out, size_t outsz, const char *hrp,
		    const uint8_t *data, size_t ndata, enum bech32_enc);

/*
 * A segwit address of the given human-readable part: witness version and
 * program. 0, or -1 (not bech32, other hrp, bad version, program length
 * or padding, or the checksum kind not the version's).
 */
int		 segwit_decode(const char *hrp, const char *addr, int *version,
		    uint8_t prog[WITNESS_PROG_MAX], size_t *proglen);
int		 segwit_encode(char *out, size_t outsz, const char *hrp,
		    int version, const uint8_t *prog, size_t proglen);

/* base58check payload (version byte included) into out; its length or -1. */
int		 base58check_decode(const char *s, uint8_t *out, size_t outsz);

/*
 * What addr is on chain ("main", "test", "testnet4", "signet", "regtest"):
 * BTC_ADDR_INVALID for anything not a standard address of that chain
 * (an address of another chain included) or an unknown chain.
 */
enum btc_addr_kind btc_addr_check(const char *chain, const char *addr);
/* The bech32 human-readable part of a chain's addresses, or NULL. */
const char	*btc_addr_hrp(const char *chain);

#endif
