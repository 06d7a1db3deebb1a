/* core/keccak.c — Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256): OpenSSL 3.0 offers no such digest */
#include <string.h>

#include "core/keccak.h"

#define ROUNDS	24
#define RATE	136	/* bytes: 1600 - 2 * 256 bits */

static const uint64_t rc[ROUNDS] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* Rotation offsets and the lane each one moves to (rho and pi together). */
static const unsigned rotc[24] = {
	1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14,
	27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
};
static const unsigned piln[24] = {
	10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4,
	15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
};

static uint64_t
rol(uint64_t x, unsigned n)
{
	return (x << n) | (x >> (64 - n));
}

static void
keccakf(uint64_t st[25])
{
	uint64_t bc[5], t;
	int r, i, j;

	for (r = 0; r < ROUNDS; r++) {
		/* theta */
		for (i = 0; i < 5; i++)
			bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^
			    st[i + 20];
		for (i = 0; i < 5; i++) {
			t = bc[(i + 4) % 5] ^ rol(bc[(i + 1) % 5], 1);
			for (j = 0; j < 25; j += 5)
				st[j + i] ^= t;
		}
		/* rho and pi */
		t = st[1];
		for (i = 0; i < 24; i++) {
			j = (int)piln[i];
			bc[0] = st[j];
			st[j] = rol(t, rotc[i]);
			t = bc[0];
		}
		/* chi */
		for (j = 0; j < 25; j += 5) {
			for (i = 0; i < 5; i++)
				bc[i] = st[j + i];
			for (i = 0; i < 5; i++)
				st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
		}
		/* iota */
		st[0] ^= rc[r];
	}
}

/* Lanes are little-endian whatever the machine. */
static void
absorb(uint64_t st[25], const uint8_t *block)
{
	uint64_t lane;
	int i, b;

	for (i = 0; i < RATE / 8; i++) {
		lane = 0;
		for (b = 7; b >= 0; b--)
			lane = (lane << 8) | block[i * 8 + b];
		st[i] ^= lane;
	}
	keccakf(st);
}

void
keccak256(const void *in, size_t len, uint8_t out[KECCAK256_LEN])
{
	const uint8_t *p = in;
	uint8_t last[RATE];
	uint64_t st[25];
	int i, b;

	memset(st, 0, sizeof(st));
	for (; len >= RATE; len -= RATE, p += RATE)
		absorb(st, p);
	/* Keccak's pad10*1 with the domain byte 0x01 (SHA-3 would use 0x06). */
	memset(last, 0, sizeof(last));
	if (len > 0)
		memcpy(last, p, len);
	last[len] ^= 0x01;
	last[RATE - 1] ^= 0x80;
	absorb(st, last);
	for (i = 0; i < KECCAK256_LEN / 8; i++)
		for (b = 0; b < 8; b++)
			out[i * 8 + b] = (uint8_t)(st[i] >> (8 * b));
}
