/* tests/unit/test_btc_addr.c — domain/btc_addr: BIP 173/350 vectors, base58check, chains, round trips, corruption */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "domain/btc_addr.h"
#include "tests/unit/tap.h"

static void
hex(const uint8_t *b, size_t n, char *out)
{
	util_hex(b, n, out);
}

/* Generic bech32 strings of BIP 173 and BIP 350. */
static void
vectors_generic(void)
{
	static const struct { const char *s, *hrp; enum bech32_enc enc; } ok_[] = {
		{ "A12UEL5L", "a", BECH32_V0 },
		{ "a12uel5l", "a", BECH32_V0 },
		{ "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "abcdef", BECH32_V0 },
		{ "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
		  "split", BECH32_V0 },
		{ "?1ezyfcl", "?", BECH32_V0 },
		{ "A1LQFN3A", "a", BECH32_M },
		{ "a1lqfn3a", "a", BECH32_M },
		{ "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx", "abcdef", BECH32_M },
		{ "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
		  "split", BECH32_M },
		{ "?1v759aa", "?", BECH32_M },
	};
	static const char *const bad[] = {
		"",			/* empty */
		"1nwldj5",		/* no hrp */
		"a12uel5",		/* checksum too short */
		"A12uEL5L",		/* mixed case */
		"a12uel5m",		/* checksum */
		"pzry9x0s0muk",		/* no separator */
		"x1b4n0q5v",		/* 'b' is not a bech32 character */
		"li1dgmt3",		/* too short a checksum */
		"de1lg7wt\xff",		/* not ASCII */
		" 1nwldj5",		/* a space */
		"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
	};
	char hrp[BECH32_MAX + 1], back[BECH32_MAX + 2];
	uint8_t data[BECH32_MAX];
	enum bech32_enc enc;
	size_t i, n;

	for (i = 0; i < nitems(ok_); i++) {
		ok(bech32_decode(ok_[i].s, hrp, sizeof(hrp), data, &n, &enc) == 0,
		    "bech32 %s decodes", ok_[i].s);
		is_str(hrp, ok_[i].hrp, "  its hrp");
		is_int(enc, ok_[i].enc, "  its checksum kind");
		ok(bech32_encode(back, sizeof(back), hrp, data, n, enc) == 0,
		    "  and encodes back");
		if (ok_[i].s[0] >= 'A' && ok_[i].s[0] <= 'Z') {
			size_t j;
			char low[BECH32_MAX + 1];

			for (j = 0; ok_[i].s[j] != '\0'; j++)
				low[j] = (char)(ok_[i].s[j] >= 'A' && ok_[i].s[j] <= 'Z' ?
				    ok_[i].s[j] + 32 : ok_[i].s[j]);
			low[j] = '\0';
			is_str(back, low, "  in lower case");
		} else {
			is_str(back, ok_[i].s, "  the same");
		}
	}
	for (i = 0; i < nitems(bad); i++)
		ok(bech32_decode(bad[i], hrp, sizeof(hrp), data, &n, &enc) == -1 &&
		    enc == BECH32_NONE, "not bech32: %s", tap_esc(bad[i], strlen(bad[i])));
}

/* Segwit addresses of BIP 173/350 and what they carry. */
static void
vectors_segwit(void)
{
	static const struct {
		const char *chain, *addr, *prog;
		int ver;
		enum btc_addr_kind kind;
	} v[] = {
		{ "main", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
		  "751e76e8199196d454941c45d1b3a323f1433bd6", 0, BTC_ADDR_P2WPKH },
		{ "main", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
		  "751e76e8199196d454941c45d1b3a323f1433bd6", 0, BTC_ADDR_P2WPKH },
		{ "test", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
		  "1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262", 0,
		  BTC_ADDR_P2WSH },
		{ "main", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
		  "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", 1,
		  BTC_ADDR_P2TR },
	};
	static const struct { const char *chain, *addr, *why; } bad[] = {
		{ "main", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
		  "v1 with a bech32 (not bech32m) checksum" },
		{ "test", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
		  "a mainnet address on testnet" },
		{ "regtest", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
		  "a testnet address on regtest" },
		{ "main", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "checksum" },
		{ "main", "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "v0 program of 16 bytes" },
		{ "main", "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", "v2 of 2 bytes, bech32" },
		{ "main", "bc1gmk9yu", "empty data" },
		{ "mainnet", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "unknown chain" },
	};
	uint8_t prog[WITNESS_PROG_MAX];
	char h[2 * WITNESS_PROG_MAX + 1];
	size_t i, n;
	int ver;

	for (i = 0; i < nitems(v); i++) {
		ok(segwit_decode(btc_addr_hrp(v[i].chain), v[i].addr, &ver, prog,
		    &n) == 0, "segwit %s", v[i].addr);
		hex(prog, n, h);
		is_str(h, v[i].prog, "  its program");
		is_int(ver, v[i].ver, "  its version");
		is_int(btc_addr_check(v[i].chain, v[i].addr), v[i].kind, "  its kind");
	}
	for (i = 0; i < nitems(bad); i++)
		is_int(btc_addr_check(bad[i].chain, bad[i].addr), BTC_ADDR_INVALID,
		    "refused: %s", bad[i].why);
	ok(btc_addr_hrp("regtest") != NULL && strcmp(btc_addr_hrp("regtest"),
	    "bcrt") == 0, "regtest's hrp is bcrt");
	ok(btc_addr_hrp("nope") == NULL, "no hrp for an unknown chain");
}

static void
vectors_base58(void)
{
	static const struct { const char *chain, *addr; enum btc_addr_kind kind; } v[] = {
		{ "main", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", BTC_ADDR_P2PKH },
		{ "main", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", BTC_ADDR_P2PKH },
		{ "main", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", BTC_ADDR_P2SH },
		{ "test", "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", BTC_ADDR_P2PKH },
		{ "regtest", "2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc", BTC_ADDR_P2SH },
	};
	static const struct { const char *chain, *addr, *why; } bad[] = {
		{ "main", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", "checksum" },
		{ "main", "1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a", "'0' is not base58" },
		{ "main", "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", "a testnet address on mainnet" },
		{ "test", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "a mainnet P2SH on testnet" },
		{ "main", "1111111111", "all zeros, too short" },
		{ "main", "", "empty" },
	};
	uint8_t raw[32];
	char h[65];
	size_t i;
	int n;

	for (i = 0; i < nitems(v); i++)
		is_int(btc_addr_check(v[i].chain, v[i].addr), v[i].kind,
		    "base58 %s on %s", v[i].addr, v[i].chain);
	for (i = 0; i < nitems(bad); i++)
		is_int(btc_addr_check(bad[i].chain, bad[i].addr), BTC_ADDR_INVALID,
		    "refused: %s", bad[i].why);
	n = base58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", raw, sizeof(raw));
	is_int(n, 21, "the genesis address carries 21 bytes");
	hex(raw, 21, h);
	is_str(h, "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18",
	    "  version 0 and the key hash");
	ok(base58check_decode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", raw, 20) == -1,
	    "  not into a buffer too small");
}

/* Random programs encode, decode back, and any one changed character is caught. */
static void
round_trips(void)
{
	static const char *const hrps[] = { "bc", "tb", "bcrt" };
	char addr[BECH32_MAX + 2], hrp[BECH32_MAX + 1];
	uint8_t prog[WITNESS_PROG_MAX], back[WITNESS_PROG_MAX], data[BECH32_MAX];
	enum bech32_enc enc;
	size_t i, len, n, pos;
	int ver, v2, fails = 0, caught = 0, tries = 0;

	srand(12345);
	for (i = 0; i < 3000; i++) {
		const char *h = hrps[i % 3];

		ver = (int)(i % 3 == 0 ? 0 : rand() % 17);
		len = ver == 0 ? (rand() & 1 ? 20 : 32) : 2 + (size_t)(rand() % 39);
		for (n = 0; n < len; n++)
			prog[n] = (uint8_t)rand();
		if (segwit_encode(addr, sizeof(addr), h, ver, prog, len) == -1 ||
		    segwit_decode(h, addr, &v2, back, &n) == -1 || v2 != ver ||
		    n != len || memcmp(prog, back, len) != 0) {
			fails++;
			continue;
		}
		/* One character replaced by another bech32 character. */
		pos = strlen(h) + 1 + (size_t)rand() % (strlen(addr) - strlen(h) - 1);
		addr[pos] = addr[pos] == 'q' ? 'p' : 'q';
		tries++;
		if (bech32_decode(addr, hrp, sizeof(hrp), data, &n, &enc) == -1)
			caught++;
	}
	is_int(fails, 0, "3000 random witness programs survive encode and decode");
	is_int(caught, tries, "every single-character change fails the checksum");
	ok(segwit_encode(addr, sizeof(addr), "bc", 0, prog, 21) == -1,
	    "no v0 program of 21 bytes");
	ok(segwit_encode(addr, sizeof(addr), "bc", 17, prog, 20) == -1,
	    "no witness version 17");
	ok(segwit_encode(addr, 10, "bc", 0, prog, 20) == -1,
	    "not into a buffer too small");
}

int
main(void)
{
	vectors_generic();
	vectors_segwit();
	vectors_base58();
	round_trips();
	return done_testing();
}
