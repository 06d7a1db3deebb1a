/* tests/unit/test_eth.c — Keccak-256 vectors, EIP-55's own examples, BIP32 public derivation vectors, exact wei and token-unit conversion */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/keccak.h"
#include "core/util.h"
#include "domain/eth_addr.h"
#include "domain/eth_units.h"
#include "tests/unit/tap.h"

static void
keccak_hex(const void *in, size_t len, char out[65])
{
	uint8_t h[KECCAK256_LEN];

	keccak256(in, len, h);
	util_hex(h, sizeof(h), out);
}

/* Keccak-256 (Ethereum's, not SHA3-256) of known messages. */
static void
vectors_keccak(void)
{
	static const struct { const char *msg, *want; } v[] = {
		{ "", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470" },
		{ "abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45" },
		{ "The quick brown fox jumps over the lazy dog",
		  "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15" },
		/* The ERC-20 Transfer event's topic and transfer()'s selector. */
		{ "Transfer(address,address,uint256)",
		  "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef" },
		{ "transfer(address,uint256)",
		  "a9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b" },
	};
	/* Keccak team's ShortMsgKAT_256, Len = 1600 (200 bytes of 0xa3): more than one block. */
	static const char a3[] =
	    "3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a";
	uint8_t buf[200];
	char got[65];
	size_t i;

	for (i = 0; i < nitems(v); i++) {
		keccak_hex(v[i].msg, strlen(v[i].msg), got);
		is_str(got, v[i].want, "keccak256(\"%s\")", v[i].msg);
	}
	memset(buf, 0xa3, sizeof(buf));
	keccak_hex(buf, sizeof(buf), got);
	is_str(got, a3, "keccak256 of 200 bytes 0xa3 (two blocks)");
}

/* EIP-55's test cases: all caps, all lower, mixed. */
static void
vectors_eip55(void)
{
	static const char *const v[] = {
		"0x52908400098527886E0F7030069857D2E4169EE7",
		"0x8617E340B3D01FA5F11F306F4090FD50E238070D",
		"0xde709f2102306220921060314715629080e2fb77",
		"0x27b1fdb04752bbc536007a920d24acb045561c26",
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	};
	uint8_t raw[ETH_ADDR_LEN];
	char sum[ETH_ADDR_TEXT + 1], bad[ETH_ADDR_TEXT + 1], low[ETH_ADDR_TEXT + 1];
	size_t i, k;

	for (i = 0; i < nitems(v); i++) {
		ok(eth_addr_parse(v[i], raw) == ETH_ADDR_OK, "%s accepted", v[i]);
		eth_addr_eip55(raw, sum);
		is_str(sum, v[i], "EIP-55 spelling of %s", v[i]);
	}
	/* One letter's case flipped in a checksummed address: refused. */
	memcpy(bad, v[4], sizeof(bad));
	for (k = 2; bad[k] < 'a' || bad[k] > 'f'; k++)
		;
	bad[k] = (char)(bad[k] - 'a' + 'A');
	is_int(eth_addr_parse(bad, raw), ETH_ADDR_CHECKSUM, "one case flipped: %s", bad);
	for (k = 0; k <= ETH_ADDR_TEXT; k++)
		low[k] = v[4][k] >= 'A' && v[4][k] <= 'F' ?
		    (char)(v[4][k] - 'A' + 'a') : v[4][k];
	is_int(eth_addr_parse(low, raw), ETH_ADDR_OK, "all lower case: not checksummed, taken");
	is_int(eth_addr_parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", raw),
	    ETH_ADDR_FORMAT, "39 digits");
	is_int(eth_addr_parse("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", raw),
	    ETH_ADDR_FORMAT, "no 0x");
	is_int(eth_addr_parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", raw),
	    ETH_ADDR_FORMAT, "a g");
	is_int(eth_addr_parse("0X5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", raw),
	    ETH_ADDR_FORMAT, "0X");
	is_int(eth_addr_parse(NULL, raw), ETH_ADDR_FORMAT, "NULL");
}

/* BIP32 test vector 1: the public derivations among its chains. */
static void
vectors_bip32(void)
{
	static const struct { const char *parent, *child; uint32_t index; } v[] = {
		/* m/0H -> m/0H/1 */
		{ "xpub68Gmy5EdvgibQVfPdqkBBCHxA5htiqg55crXYuXoQRKfDBFA1WEjWgP6LHhwBZeNK1VTsfTFUHCdrfp1bgwQ9xv5ski8PX9rL2dZXvgGDnw",
		  "xpub6ASuArnXKPbfEwhqN6e3mwBcDTgzisQN1wXN9BJcM47sSikHjJf3UFHKkNAWbWMiGj7Wf5uMash7SyYq527Hqck2AxYysAA7xmALppuCkwQ", 1 },
		/* m/0H/1/2H -> m/0H/1/2H/2 */
		{ "xpub6D4BDPcP2GT577Vvch3R8wDkScZWzQzMMUm3PWbmWvVJrZwQY4VUNgqFJPMM3No2dFDFGTsxxpG5uJh7n7epu4trkrX7x7DogT5Uv6fcLW5",
		  "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV", 2 },
		/* m/0H/1/2H/2 -> m/0H/1/2H/2/1000000000 */
		{ "xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHV",
		  "xpub6H1LXWLaKsWFhvm6RVpEL9P4KfRZSW7abD2ttkWP3SSQvnyA8FSVqNTEcYFgJS2UaFcxupHiYkro49S8yGasTvXEYBVPamhGW6cFJodrTHy", 1000000000 },
	};
	struct xpub p, c, want;
	char a1[ETH_ADDR_TEXT + 1], a2[ETH_ADDR_TEXT + 1];
	uint8_t raw[ETH_ADDR_LEN];
	size_t i;

	for (i = 0; i < nitems(v); i++) {
		ok(xpub_parse(v[i].parent, &p) == 0 && xpub_parse(v[i].child, &want) == 0,
		    "vector %zu: both keys parse", i);
		ok(xpub_child(&p, v[i].index, &c) == 0, "vector %zu: derived", i);
		ok(memcmp(c.key, want.key, 33) == 0, "vector %zu: child key", i);
		ok(memcmp(c.chain, want.chain, 32) == 0, "vector %zu: child chain code", i);
		is_int(c.depth, want.depth, "vector %zu: depth", i);
		is_int(c.child, v[i].index, "vector %zu: index", i);
	}
	ok(xpub_child(&p, 0x80000000u, &c) == -1, "no hardened child from a public key");
	ok(xpub_parse("xpub6FHa3pjLCk84BayeJxFW2SP4XRrFd1JYnxeLeU8EqN3vDfZmbqBqaGJAyiLjTAwm6ZLRQUMv1ZACTj37sR62cfN7fe5JnJ7dh8zL4fiyLHW",
	    &p) == -1, "a corrupted xpub (checksum)");
	ok(xpub_parse("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi",
	    &p) == -1, "a private key is not taken");
	ok(xpub_parse("", &p) == -1, "empty");
	ok(eth_addr_derive(v[1].parent, 7, a1) == 0 &&
	    eth_addr_derive(v[1].parent, 7, a2) == 0 && strcmp(a1, a2) == 0,
	    "the same index gives the same address: %s", a1);
	ok(eth_addr_parse(a1, raw) == ETH_ADDR_OK, "a derived address carries its checksum");
	ok(eth_addr_derive(v[1].parent, 8, a2) == 0 && strcmp(a1, a2) != 0,
	    "another index, another address");
}

/* The address of a known public key (secp256k1 generator: private key 1). */
static void
vectors_key_address(void)
{
	static const uint8_t g[33] = {
		0x02, 0x79, 0xbe, 0x66, 0x7e, 0xf9, 0xdc, 0xbb, 0xac, 0x55, 0xa0,
		0x62, 0x95, 0xce, 0x87, 0x0b, 0x07, 0x02, 0x9b, 0xfc, 0xdb, 0x2d,
		0xce, 0x28, 0xd9, 0x59, 0xf2, 0x81, 0x5b, 0x16, 0xf8, 0x17, 0x98,
	};
	uint8_t a[ETH_ADDR_LEN];
	char s[ETH_ADDR_TEXT + 1];

	ok(eth_addr_of_key(g, sizeof(g), a) == 0, "address of G");
	eth_addr_eip55(a, s);
	is_str(s, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
	    "private key 1's address");
}

static void
units(void)
{
	static const struct { const char *hex; int dec; const char *want; } v[] = {
		{ "0", 18, "0" },
		{ "1", 18, "0.000000000000000001" },
		{ "de0b6b3a7640000", 18, "1" },
		{ "0de0b6b3a7640000", 18, "1" },
		{ "2386f26fc10000", 18, "0.01" },
		{ "f4240", 6, "1" },
		{ "5f5e0ff", 6, "99.999999" },
		{ "56bc75e2d630fffff", 18, "99.999999999999999999" },
		/* 10^38 - 1 base units: the most numeric(38, 18) holds */
		{ "4b3b4ca85a86c47a098a223fffffffff", 18,
		  "99999999999999999999.999999999999999999" },
	};
	static const struct { const char *dec; int n; const char *want; } w[] = {
		{ "1", 18, "0xde0b6b3a7640000" },
		{ "0.01", 18, "0x2386f26fc10000" },
		{ "0", 18, "0x0" },
		{ "0.00000001", 18, "0x2540be400" },
		{ "1.5", 6, "0x16e360" },
		{ "99999999999999999999.999999999999999999", 18,
		  "0x4b3b4ca85a86c47a098a223fffffffff" },
	};
	char out[80], q[ETH_QTY_MAX], word[65];
	size_t i;

	for (i = 0; i < nitems(v); i++) {
		ok(eth_units_dec(v[i].hex, strlen(v[i].hex), v[i].dec, out,
		    sizeof(out)) == 0, "0x%s parses", v[i].hex);
		is_str(out, v[i].want, "0x%s at %d decimals", v[i].hex, v[i].dec);
	}
	ok(eth_units_dec("4b3b4ca85a86c47a098a224000000000", 32, 18, out,
	    sizeof(out)) == -1, "10^38 base units: too large for the database");
	ok(eth_units_dec("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	    64, 18, out, sizeof(out)) == -1, "2^256 - 1: too large");
	ok(eth_units_dec("12g", 3, 18, out, sizeof(out)) == -1, "not hex");
	ok(eth_units_dec("", 0, 18, out, sizeof(out)) == -1, "empty");
	ok(eth_units_dec("de0b6b3a7640000", 15, 18, out, 1) == -1, "no room");
	ok(eth_units_dec("2386f26fc10000", 14, 18, out, 4) == -1, "no room for 0.01");
	for (i = 0; i < nitems(w); i++) {
		ok(eth_dec_units(w[i].dec, w[i].n, q) == 0, "%s parses", w[i].dec);
		is_str(q, w[i].want, "%s at %d decimals", w[i].dec, w[i].n);
	}
	ok(eth_dec_units("0.0000001", 6, q) == -1, "more places than the token has");
	ok(eth_dec_units("-1", 18, q) == -1, "no sign");
	ok(eth_dec_units("1.", 18, q) == -1, "a point without digits after it");
	ok(eth_dec_units(".5", 18, q) == -1, "a point without digits before it");
	ok(eth_dec_units("1e3", 18, q) == -1, "no exponent");
	ok(eth_dec_units("100000000000000000000", 18, q) == -1, "10^20: too many digits");
	ok(eth_dec_word("1.5", 6, word) == 0, "an ABI word");
	is_str(word, "000000000000000000000000000000000000000000000000000000000016e360",
	    "1.5 USDT as a word");
}

int
main(void)
{
	vectors_keccak();
	vectors_eip55();
	vectors_bip32();
	vectors_key_address();
	units();
	return done_testing();
}
