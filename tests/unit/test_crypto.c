/* tests/unit/test_crypto.c — core/crypto: sealed secrets opened only by their context and key, every bit change refused, key rotation */
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/crypto.h"
#include "tests/unit/tap.h"

#define KEY1	"000102030405060708090a0b0c0d0e0f" \
		"101112131415161718191a1b1c1d1e1f"
#define KEY2	"F0E1D2C3B4A5968778695A4B3C2D1E0F" \
		"0123456789ABCDEFFEDCBA9876543210"

#define BLOB_MAX	256

static const char secret[] = "JBSWY3DPEHPK3PXP totp secret";

/* Sealed and opened under key 1; the blob is left for what follows. */
static void
test_crypto_seal(unsigned char *blob, size_t *blenp)
{
	unsigned char blob2[BLOB_MAX], pt[256];
	size_t n = strlen(secret), blen, blen2, plen, i;
	int bad;

	unsetenv("HZM_CONF");
	cfg_load("/nonexistent/hzm.conf");
	unsetenv("HZM_DATA_KEY_VERSION");
	unsetenv("HZM_DATA_KEY_1");
	unsetenv("HZM_DATA_KEY_2");
	is_int(crypto_key_version(), 1, "the key version defaults to 1");
	is_int(crypto_seal("ctx", secret, n, blob, BLOB_MAX, &blen), -1,
	    "no key configured: seal fails");

	setenv("HZM_DATA_KEY_1", KEY1, 1);
	is_int(crypto_seal("totp:usr_1", secret, n, blob, BLOB_MAX, &blen),
	    0, "crypto_seal");
	is_int(blen, n + SEAL_OVERHEAD, "  adds SEAL_OVERHEAD bytes");
	is_int(blob[0], 1, "  the first byte is the key version");
	for (i = 0, bad = 0; i + 11 <= blen; i++)
		if (memcmp(blob + i, "totp secret", 11) == 0)
			bad++;
	is_int(bad, 0, "  the plaintext does not show");

	memset(pt, 0, sizeof(pt));
	plen = 0;
	ok(crypto_open("totp:usr_1", blob, blen, pt, sizeof(pt), &plen) == 0 &&
	    plen == n && memcmp(pt, secret, n) == 0, "crypto_open gives it back");

	crypto_seal("totp:usr_1", secret, n, blob2, sizeof(blob2), &blen2);
	ok(blen2 == blen && memcmp(blob, blob2, blen) != 0,
	    "sealing twice gives different blobs (fresh nonce)");
	ok(memcmp(blob + 1, blob2 + 1, 12) != 0, "  the nonces differ");

	ok(crypto_open("totp:usr_2", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "another context does not open it");
	ok(crypto_open("", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "  nor does the empty one");
	ok(crypto_open("totp:usr_1 ", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "  nor one with a trailing space");
	*blenp = blen;
}

/* Blobs changed, cut short or lengthened, and buffers too small. */
static void
test_crypto_tamper(const unsigned char *blob, size_t blen)
{
	unsigned char blob2[BLOB_MAX], pt[256];
	size_t n = strlen(secret), blen2, plen, i;
	int bad;

	/* Every single-bit change anywhere is caught. */
	for (i = 0, bad = 0; i < blen * 8; i++) {
		memcpy(blob2, blob, blen);
		blob2[i / 8] ^= (unsigned char)(1 << (i % 8));
		if (crypto_open("totp:usr_1", blob2, blen, pt, sizeof(pt),
		    &plen) != -1)
			bad++;
	}
	is_int(bad, 0, "each of %zu one-bit changes is refused", blen * 8);

	ok(crypto_open("totp:usr_1", blob, blen - 1, pt, sizeof(pt), &plen) ==
	    -1, "a truncated blob is refused");
	memcpy(blob2, blob, blen);
	blob2[blen] = 0;
	ok(crypto_open("totp:usr_1", blob2, blen + 1, pt, sizeof(pt), &plen) ==
	    -1, "a blob with a byte appended is refused");
	ok(crypto_open("totp:usr_1", blob, SEAL_OVERHEAD - 1, pt, sizeof(pt),
	    &plen) == -1, "a blob shorter than the overhead is refused");
	ok(crypto_open("totp:usr_1", blob, 0, pt, sizeof(pt), &plen) == -1,
	    "  an empty one too");
	ok(crypto_open("totp:usr_1", blob, blen, pt, n - 1, &plen) == -1,
	    "a plaintext buffer one byte short is refused");
	ok(crypto_seal("totp:usr_1", secret, n, blob2, n + SEAL_OVERHEAD - 1,
	    &blen2) == -1, "a blob buffer one byte short is refused");
	ok(crypto_seal("totp:usr_1", secret, n, blob2, n + SEAL_OVERHEAD,
	    &blen2) == 0, "  an exact one is enough");

	ok(crypto_seal("c", "", 0, blob2, sizeof(blob2), &blen2) == 0 &&
	    blen2 == SEAL_OVERHEAD && crypto_open("c", blob2, blen2, pt,
	    sizeof(pt), &plen) == 0 && plen == 0, "an empty plaintext");
}

/* Another key, a rotation to version 2, and keys configured wrong. */
static void
test_crypto_keys(const unsigned char *blob, size_t blen)
{
	unsigned char blob2[BLOB_MAX], pt[256];
	size_t n = strlen(secret), blen2, plen;

	/* The same version under another key: refused. */
	setenv("HZM_DATA_KEY_1", KEY2, 1);
	ok(crypto_open("totp:usr_1", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "another key under the same version does not open it");

	/* Rotation: new seals use version 2, old blobs still open. */
	setenv("HZM_DATA_KEY_1", KEY1, 1);
	setenv("HZM_DATA_KEY_2", KEY2, 1);
	setenv("HZM_DATA_KEY_VERSION", "2", 1);
	is_int(crypto_key_version(), 2, "data_key_version 2");
	ok(crypto_seal("totp:usr_1", secret, n, blob2, sizeof(blob2),
	    &blen2) == 0 && blob2[0] == 2, "  new seals carry version 2");
	ok(crypto_open("totp:usr_1", blob2, blen2, pt, sizeof(pt), &plen) ==
	    0 && plen == n && memcmp(pt, secret, n) == 0, "  and open");
	ok(crypto_open("totp:usr_1", blob, blen, pt, sizeof(pt), &plen) == 0 &&
	    plen == n && memcmp(pt, secret, n) == 0,
	    "  a version 1 blob still opens");
	unsetenv("HZM_DATA_KEY_1");
	ok(crypto_open("totp:usr_1", blob, blen, pt, sizeof(pt), &plen) == -1,
	    "  until key 1 is removed");
	blob2[0] = 1;
	setenv("HZM_DATA_KEY_1", KEY1, 1);
	ok(crypto_open("totp:usr_1", blob2, blen2, pt, sizeof(pt), &plen) == -1,
	    "relabelling a blob's version is refused");

	/* Bad configuration fails closed. */
	setenv("HZM_DATA_KEY_VERSION", "0", 1);
	is_int(crypto_key_version(), -1, "data_key_version 0 is invalid");
	ok(crypto_seal("c", "x", 1, blob2, sizeof(blob2), &blen2) == -1,
	    "  and seal fails");
	setenv("HZM_DATA_KEY_VERSION", "256", 1);
	is_int(crypto_key_version(), -1, "data_key_version 256 is invalid");
	setenv("HZM_DATA_KEY_VERSION", "255", 1);
	is_int(crypto_key_version(), 255, "data_key_version 255 is valid");
	setenv("HZM_DATA_KEY_VERSION", "1", 1);
	setenv("HZM_DATA_KEY_1", KEY1 "0", 1);
	ok(crypto_seal("c", "x", 1, blob2, sizeof(blob2), &blen2) == -1,
	    "a 65-character key is refused");
	setenv("HZM_DATA_KEY_1", "zz0102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f", 1);
	ok(crypto_seal("c", "x", 1, blob2, sizeof(blob2), &blen2) == -1,
	    "a key that is not hex is refused");
	unsetenv("HZM_DATA_KEY_VERSION");
	unsetenv("HZM_DATA_KEY_1");
	unsetenv("HZM_DATA_KEY_2");
}

int
main(void)
{
	unsigned char blob[BLOB_MAX];
	size_t blen = 0;

	test_crypto_seal(blob, &blen);
	test_crypto_tamper(blob, blen);
	test_crypto_keys(blob, blen);
	return done_testing();
}
