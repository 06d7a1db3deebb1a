/* domain/btc_addr.c — Bitcoin addresses: bech32/bech32m (BIP 173, BIP 350) and base58check, checked per chain */
#include <stdint.h>
#include <string.h>

#include <openssl/sha.h>

#include "core/util.h"
#include "domain/btc_addr.h"

#define BECH32M_CONST	0x2bc830a3u

static const char b32chars[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static uint32_t
polymod_step(uint32_t pre)
{
	uint8_t b = (uint8_t)(pre >> 25);

	return ((pre & 0x1ffffff) << 5) ^
	    (-((b >> 0) & 1) & 0x3b6a57b2u) ^
	    (-((b >> 1) & 1) & 0x26508e6du) ^
	    (-((b >> 2) & 1) & 0x1ea119fau) ^
	    (-((b >> 3) & 1) & 0x3d4233ddu) ^
	    (-((b >> 4) & 1) & 0x2a1462b3u);
}

/* The checksum state after the hrp's expansion (BIP 173). */
static uint32_t
polymod_hrp(const char *hrp, size_t n)
{
	uint32_t chk = 1;
	size_t i;

	for (i = 0; i < n; i++)
		chk = polymod_step(chk) ^ ((unsigned char)hrp[i] >> 5);
	chk = polymod_step(chk);
	for (i = 0; i < n; i++)
		chk = polymod_step(chk) ^ ((unsigned char)hrp[i] & 0x1f);
	return chk;
}

int
bech32_encode(char *out, size_t outsz, const char *hrp, const uint8_t *data,
    size_t ndata, enum bech32_enc enc)
{
	size_t hl = strlen(hrp), i, o = 0;
	uint32_t chk;

	if (enc == BECH32_NONE || hl == 0 || hl + 1 + ndata + 6 > BECH32_MAX ||
	    hl + 1 + ndata + 6 + 1 > outsz)
		return -1;
	chk = polymod_hrp(hrp, hl);
	for (i = 0; i < hl; i++) {
		if (hrp[i] < 33 || hrp[i] > 126 || (hrp[i] >= 'A' && hrp[i] <= 'Z'))
			return -1;
		out[o++] = hrp[i];
	}
	out[o++] = '1';
	for (i = 0; i < ndata; i++) {
		if (data[i] >> 5)
			return -1;
		chk = polymod_step(chk) ^ data[i];
		out[o++] = b32chars[data[i]];
	}
	for (i = 0; i < 6; i++)
		chk = polymod_step(chk);
	chk ^= enc == BECH32_M ? BECH32M_CONST : 1;
	for (i = 0; i < 6; i++)
		out[o++] = b32chars[(chk >> ((5 - i) * 5)) & 0x1f];
	out[o] = '\0';
	return 0;
}

int
bech32_decode(const char *s, char *hrp, size_t hrpsz, uint8_t *data,
    size_t *ndata, enum bech32_enc *enc)
{
	size_t len = strnlen(s, BECH32_MAX + 1), sep = 0, i;
	int lower = 0, upper = 0;
	uint32_t chk;
	const char *p;

	*enc = BECH32_NONE;
	if (len < 8 || len > BECH32_MAX)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 33 || c > 126)
			return -1;
		lower |= c >= 'a' && c <= 'z';
		upper |= c >= 'A' && c <= 'Z';
		if (c == '1')
			sep = i;
	}
	/* One case throughout; the separator is the last '1'. */
	if ((lower && upper) || sep < 1 || sep + 7 > len || sep + 1 > hrpsz)
		return -1;
	for (i = 0; i < sep; i++)
		hrp[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
	hrp[sep] = '\0';
	chk = polymod_hrp(hrp, sep);
	for (i = sep + 1; i < len; i++) {
		char c = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);

		if ((p = strchr(b32chars, c)) == NULL || c == '\0')
			return -1;
		chk = polymod_step(chk) ^ (uint32_t)(p - b32chars);
		if (i < len - 6)
			data[i - sep - 1] = (uint8_t)(p - b32chars);
	}
	if (chk == 1)
		*enc = BECH32_V0;
	else if (chk == BECH32M_CONST)
		*enc = BECH32_M;
	else
		return -1;
	*ndata = len - sep - 1 - 6;
	return 0;
}

/* Regroup bits (8 -> 5 with padding, 5 -> 8 without); -1 on bad padding. */
static int
convert_bits(uint8_t *out, size_t *outlen, size_t outsz, int outbits,
    const uint8_t *in, size_t inlen, int inbits, int pad)
{
	uint32_t val = 0, maxv = (1u << outbits) - 1;
	int bits = 0;
	size_t i;

	*outlen = 0;
	for (i = 0; i < inlen; i++) {
		if (in[i] >> inbits)
			return -1;
		val = (val << inbits) | in[i];
		bits += inbits;
		while (bits >= outbits) {
			bits -= outbits;
			if (*outlen == outsz)
				return -1;
			out[(*outlen)++] = (uint8_t)((val >> bits) & maxv);
		}
	}
	if (pad) {
		if (bits) {
			if (*outlen == outsz)
				return -1;
			out[(*outlen)++] = (uint8_t)((val << (outbits - bits)) & maxv);
		}
	} else if (bits >= inbits || ((val << (outbits - bits)) & maxv)) {
		return -1;
	}
	return 0;
}

int
segwit_decode(const char *hrp, const char *addr, int *version,
    uint8_t prog[WITNESS_PROG_MAX], size_t *proglen)
{
	uint8_t data[BECH32_MAX];
	char got[BECH32_MAX + 1];
	enum bech32_enc enc;
	size_t n;

	if (bech32_decode(addr, got, sizeof(got), data, &n, &enc) == -1 ||
	    strcmp(got, hrp) != 0 || n < 1 || data[0] > 16 ||
	    convert_bits(prog, proglen, WITNESS_PROG_MAX, 8, data + 1, n - 1, 5,
	    0) == -1 || *proglen < 2 || *proglen > WITNESS_PROG_MAX ||
	    (data[0] == 0 && *proglen != 20 && *proglen != 32) ||
	    (data[0] == 0) != (enc == BECH32_V0))
		return -1;
	*version = data[0];
	return 0;
}

int
segwit_encode(char *out, size_t outsz, const char *hrp, int version,
    const uint8_t *prog, size_t proglen)
{
	uint8_t data[BECH32_MAX];
	size_t n;

	if (version < 0 || version > 16 || proglen < 2 ||
	    proglen > WITNESS_PROG_MAX || (version == 0 && proglen != 20 &&
	    proglen != 32))
		return -1;
	data[0] = (uint8_t)version;
	if (convert_bits(data + 1, &n, sizeof(data) - 1, 5, prog, proglen, 8,
	    1) == -1)
		return -1;
	return bech32_encode(out, outsz, hrp, data, n + 1,
	    version == 0 ? BECH32_V0 : BECH32_M);
}

#define B58_MAX	128	/* characters of a base58check string, at most */

int
base58check_decode(const char *s, uint8_t *out, size_t outsz)
{
	static const char b58[] =
	    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
	/* Room for an extended key (BIP32: 82 bytes, 111 characters). */
	uint8_t num[96], dec[96], h1[SHA256_DIGEST_LENGTH], h2[SHA256_DIGEST_LENGTH];
	size_t len = strnlen(s, B58_MAX), zeros = 0, first, total, i, j;
	const char *p;

	if (len == 0 || len >= B58_MAX)
		return -1;
	/* Each leading '1' is a leading zero byte. */
	while (zeros < len && s[zeros] == '1')
		zeros++;
	/* The number, big-endian base 256, filled from the right. */
	memset(num, 0, sizeof(num));
	for (i = 0; i < len; i++) {
		uint32_t carry;

		if ((p = memchr(b58, s[i], sizeof(b58) - 1)) == NULL)
			return -1;
		carry = (uint32_t)(p - b58);
		for (j = sizeof(num); j-- > 0;) {
			carry += 58u * num[j];
			num[j] = (uint8_t)carry;
			carry >>= 8;
		}
		if (carry != 0)
			return -1;
	}
	for (first = 0; first < sizeof(num) && num[first] == 0; first++)
		;
	total = zeros + sizeof(num) - first;
	if (total < 5 || total > sizeof(dec) || total - 4 > outsz)
		return -1;
	memset(dec, 0, zeros);
	memcpy(dec + zeros, num + first, sizeof(num) - first);
	SHA256(dec, total - 4, h1);
	SHA256(h1, sizeof(h1), h2);
	if (memcmp(h2, dec + total - 4, 4) != 0)
		return -1;
	memcpy(out, dec, total - 4);
	return (int)(total - 4);
}

struct chain_params {
	const char	*name;
	const char	*hrp;
	uint8_t		 p2pkh, p2sh;
};

static const struct chain_params chains[] = {
	{ "main",	"bc",	0x00, 0x05 },
	{ "test",	"tb",	0x6f, 0xc4 },
	{ "testnet4",	"tb",	0x6f, 0xc4 },
	{ "signet",	"tb",	0x6f, 0xc4 },
	{ "regtest",	"bcrt",	0x6f, 0xc4 },
};

static const struct chain_params *
chain_find(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < nitems(chains); i++)
		if (strcmp(chains[i].name, name) == 0)
			return &chains[i];
	return NULL;
}

const char *
btc_addr_hrp(const char *chain)
{
	const struct chain_params *c = chain_find(chain);

	return c != NULL ? c->hrp : NULL;
}

enum btc_addr_kind
btc_addr_check(const char *chain, const char *addr)
{
	const struct chain_params *c = chain_find(chain);
	uint8_t prog[WITNESS_PROG_MAX], raw[32];
	size_t plen;
	int v, n;

	if (c == NULL || addr == NULL)
		return BTC_ADDR_INVALID;
	if (segwit_decode(c->hrp, addr, &v, prog, &plen) == 0) {
		if (v == 0)
			return plen == 20 ? BTC_ADDR_P2WPKH : BTC_ADDR_P2WSH;
		return v == 1 && plen == 32 ? BTC_ADDR_P2TR : BTC_ADDR_WITNESS;
	}
	if ((n = base58check_decode(addr, raw, sizeof(raw))) != 21)
		return BTC_ADDR_INVALID;
	if (raw[0] == c->p2pkh)
		return BTC_ADDR_P2PKH;
	if (raw[0] == c->p2sh)
		return BTC_ADDR_P2SH;
	return BTC_ADDR_INVALID;
}
