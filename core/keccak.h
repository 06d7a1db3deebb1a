/* core/keccak.h — Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256): OpenSSL 3.0 offers no such digest */
#ifndef HZM_KECCAK_H
#define HZM_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define KECCAK256_LEN	32

/* The Keccak-256 digest of len bytes at in into out. */
void	 keccak256(const void *in, size_t len, uint8_t out[KECCAK256_LEN]);

#endif
