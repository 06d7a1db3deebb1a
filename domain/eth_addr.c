/* domain/eth_addr.c — Ethereum addresses: EIP-55 checksums, and deposit addresses derived from the operator's extended public key (BIP32) */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>

#include "core/keccak.h"
#include "core/util.h"
#include "domain/btc_addr.h"
#include "domain/eth_addr.h"

#define HARDENED	0x80000000u

static const char hexdig[] = "0123456789abcdef";

void
eth_addr_eip55(const uint8_t addr[ETH_ADDR_LEN], char out[ETH_ADDR_TEXT + 1])
{
	uint8_t h[KECCAK256_LEN];
	char lower[2 * ETH_ADDR_LEN];
	int i, nib;

	for (i = 0; i < ETH_ADDR_LEN; i++) {
		lower[2 * i] = hexdig[addr[i] >> 4];
		lower[2 * i + 1] = hexdig[addr[i] & 0xf];
	}
	/* A letter is upper case where the hash of the lower-case hex has a nibble >= 8. */
	keccak256(lower, sizeof(lower), h);
	out[0] = '0';
	out[1] = 'x';
	for (i = 0; i < 2 * ETH_ADDR_LEN; i++) {
		nib = i % 2 == 0 ? h[i / 2] >> 4 : h[i / 2] & 0xf;
		out[2 + i] = lower[i] >= 'a' && nib >= 8 ?
		    (char)(lower[i] - 'a' + 'A') : lower[i];
	}
	out[ETH_ADDR_TEXT] = '\0';
}

enum eth_addr_check
eth_addr_parse(const char *s, uint8_t raw[ETH_ADDR_LEN])
{
	uint8_t b[ETH_ADDR_LEN];
	char sum[ETH_ADDR_TEXT + 1];
	int i, hi, lo, upper = 0, lower = 0;

	if (s == NULL || strlen(s) != ETH_ADDR_TEXT || s[0] != '0' ||
	    s[1] != 'x')
		return ETH_ADDR_FORMAT;
	for (i = 0; i < ETH_ADDR_LEN; i++) {
		if ((hi = util_hexval(s[2 + 2 * i])) < 0 ||
		    (lo = util_hexval(s[3 + 2 * i])) < 0)
			return ETH_ADDR_FORMAT;
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	for (i = 2; i < ETH_ADDR_TEXT; i++) {
		upper += s[i] >= 'A' && s[i] <= 'F';
		lower += s[i] >= 'a' && s[i] <= 'f';
	}
	if (upper > 0 && lower > 0) {
		eth_addr_eip55(b, sum);
		if (strcmp(sum + 2, s + 2) != 0)
			return ETH_ADDR_CHECKSUM;
	}
	if (raw != NULL)
		memcpy(raw, b, sizeof(b));
	return ETH_ADDR_OK;
}

/* The curve, made once per process. */
static const EC_GROUP *
curve(void)
{
	static EC_GROUP *g;

	if (g == NULL)
		g = EC_GROUP_new_by_curve_name(NID_secp256k1);
	return g;
}

int
eth_addr_of_key(const uint8_t *key, size_t keylen, uint8_t addr[ETH_ADDR_LEN])
{
	uint8_t full[65], h[KECCAK256_LEN];
	const EC_GROUP *g = curve();
	EC_POINT *pt = NULL;
	int rc = -1;

	if (g == NULL || (pt = EC_POINT_new(g)) == NULL ||
	    EC_POINT_oct2point(g, pt, key, keylen, NULL) != 1 ||
	    EC_POINT_point2oct(g, pt, POINT_CONVERSION_UNCOMPRESSED, full,
	    sizeof(full), NULL) != sizeof(full))
		goto out;
	/* The 64 bytes of x and y, without the 0x04 prefix. */
	keccak256(full + 1, 64, h);
	memcpy(addr, h + KECCAK256_LEN - ETH_ADDR_LEN, ETH_ADDR_LEN);
	rc = 0;
out:
	EC_POINT_free(pt);
	return rc;
}

int
xpub_parse(const char *s, struct xpub *x)
{
	/* xpub (main networks) and tpub (test networks) */
	static const uint8_t ver_main[4] = { 0x04, 0x88, 0xb2, 0x1e };
	static const uint8_t ver_test[4] = { 0x04, 0x35, 0x87, 0xcf };
	uint8_t raw[96], a[ETH_ADDR_LEN];

	if (s == NULL || base58check_decode(s, raw, sizeof(raw)) != 78 ||
	    (memcmp(raw, ver_main, 4) != 0 && memcmp(raw, ver_test, 4) != 0) ||
	    (raw[45] != 0x02 && raw[45] != 0x03))
		return -1;
	x->depth = raw[4];
	x->child = (uint32_t)raw[9] << 24 | (uint32_t)raw[10] << 16 |
	    (uint32_t)raw[11] << 8 | raw[12];
	memcpy(x->chain, raw + 13, 32);
	memcpy(x->key, raw + 45, 33);
	/* The key must be a point of the curve. */
	return eth_addr_of_key(x->key, sizeof(x->key), a);
}

/* child key = parse256(IL) * G + parent key; 0 or -1 (IL >= n, or infinity). */
static int
point_add_tweak(const uint8_t key[33], const uint8_t il[32], uint8_t out[33])
{
	const EC_GROUP *g = curve();
	EC_POINT *k = NULL, *r = NULL;
	BIGNUM *t = NULL, *one = NULL;
	BN_CTX *bn = NULL;
	int rc = -1;

	if (g == NULL || (bn = BN_CTX_new()) == NULL ||
	    (k = EC_POINT_new(g)) == NULL || (r = EC_POINT_new(g)) == NULL ||
	    (t = BN_bin2bn(il, 32, NULL)) == NULL || (one = BN_new()) == NULL ||
	    BN_one(one) != 1)
		goto out;
	if (BN_cmp(t, EC_GROUP_get0_order(g)) >= 0 ||
	    EC_POINT_oct2point(g, k, key, 33, bn) != 1 ||
	    EC_POINT_mul(g, r, t, k, one, bn) != 1 ||
	    EC_POINT_is_at_infinity(g, r) ||
	    EC_POINT_point2oct(g, r, POINT_CONVERSION_COMPRESSED, out, 33,
	    bn) != 33)
		goto out;
	rc = 0;
out:
	BN_free(one);
	BN_free(t);
	EC_POINT_free(r);
	EC_POINT_free(k);
	BN_CTX_free(bn);
	return rc;
}

int
xpub_child(const struct xpub *p, uint32_t index, struct xpub *c)
{
	uint8_t data[37], i[64];
	unsigned int n = sizeof(i);
	int rc;

	if (index >= HARDENED || p->depth == 0xff)
		return -1;
	/* I = HMAC-SHA512(chain code, serP(K) || ser32(index)) */
	memcpy(data, p->key, 33);
	data[33] = (uint8_t)(index >> 24);
	data[34] = (uint8_t)(index >> 16);
	data[35] = (uint8_t)(index >> 8);
	data[36] = (uint8_t)index;
	if (HMAC(EVP_sha512(), p->chain, sizeof(p->chain), data, sizeof(data),
	    i, &n) == NULL || n != sizeof(i))
		return -1;
	rc = point_add_tweak(p->key, i, c->key);
	memcpy(c->chain, i + 32, 32);
	c->depth = (uint8_t)(p->depth + 1);
	c->child = index;
	OPENSSL_cleanse(i, sizeof(i));
	return rc;
}

int
eth_addr_derive(const char *s, uint32_t index, char out[ETH_ADDR_TEXT + 1])
{
	struct xpub x, c;
	uint8_t a[ETH_ADDR_LEN];

	if (xpub_parse(s, &x) == -1 || xpub_child(&x, index, &c) == -1 ||
	    eth_addr_of_key(c.key, sizeof(c.key), a) == -1)
		return -1;
	eth_addr_eip55(a, out);
	return 0;
}
