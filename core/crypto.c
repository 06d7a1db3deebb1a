/* core/crypto.c — seal and open secrets; the key version travels with each blob so keys can rotate */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/util.h"

/*
 * data_key_version = N names the key new seals use; data_key_<N> holds
 * 64 hex characters. Older keys stay configured to open older blobs.
 */
int
crypto_key_version(void)
{
	long long v = cfg_int("data_key_version", 1);

	return v >= 1 && v <= 255 ? (int)v : -1;
}

static int
key_load(int version, unsigned char key[32])
{
	char name[32];
	const char *hex;

	snprintf(name, sizeof(name), "data_key_%d", version);
	if ((hex = cfg_get(name, NULL)) == NULL || strlen(hex) != 64)
		return -1;
	return util_unhex(hex, 64, key);
}

/*
 * The context (e.g. "totp:usr_...") is authenticated but not stored: a
 * blob copied to another row or purpose does not open there.
 */
int
crypto_seal(const char *context, const void *pt, size_t ptlen,
    unsigned char *out, size_t outsz, size_t *outlen)
{
	EVP_CIPHER_CTX *ctx = NULL;
	unsigned char key[32];
	int v, n, rc = -1;

	if ((v = crypto_key_version()) == -1 || key_load(v, key) == -1 ||
	    ptlen > (size_t)1 << 30 || outsz < ptlen + SEAL_OVERHEAD)
		goto out;
	out[0] = (unsigned char)v;
	if (util_random(out + 1, 12) == -1 ||
	    (ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, out + 1) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &n, (const unsigned char *)context,
	    (int)strlen(context)) != 1 ||
	    EVP_EncryptUpdate(ctx, out + 13, &n, pt, (int)ptlen) != 1 ||
	    EVP_EncryptFinal_ex(ctx, out + 13 + n, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16,
	    out + 13 + ptlen) != 1)
		goto out;
	*outlen = ptlen + SEAL_OVERHEAD;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

int
crypto_open(const char *context, const unsigned char *in, size_t inlen,
    void *pt, size_t ptsz, size_t *ptlen)
{
	EVP_CIPHER_CTX *ctx = NULL;
	unsigned char key[32], tag[16];
	size_t clen;
	int n, rc = -1;

	if (inlen < SEAL_OVERHEAD || key_load(in[0], key) == -1)
		goto out;
	clen = inlen - SEAL_OVERHEAD;
	if (ptsz < clen)
		goto out;
	memcpy(tag, in + 13 + clen, 16);
	if ((ctx = EVP_CIPHER_CTX_new()) == NULL ||
	    EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, in + 1) != 1 ||
	    EVP_DecryptUpdate(ctx, NULL, &n, (const unsigned char *)context,
	    (int)strlen(context)) != 1 ||
	    EVP_DecryptUpdate(ctx, pt, &n, in + 13, (int)clen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag) != 1 ||
	    EVP_DecryptFinal_ex(ctx, (unsigned char *)pt + n, &n) != 1) {
		OPENSSL_cleanse(pt, ptsz);
		goto out;
	}
	*ptlen = clen;
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(key, sizeof(key));
	return rc;
}

/*
 * HMAC-SHA256 of data under a key derived from data key 1 and the
 * context: short secrets (mailed codes, refresh tokens) are stored only
 * as this MAC, so a database dump does not reveal them and a 6-digit code
 * cannot be brute-forced offline without the key.
 */
int
crypto_mac(const char *context, const void *data, size_t len,
    unsigned char out[32])
{
	unsigned char key[32], sub[32];
	unsigned int n = 32;

	if (key_load(1, key) == -1 ||
	    HMAC(EVP_sha256(), key, sizeof(key), (const unsigned char *)context,
	    strlen(context), sub, &n) == NULL ||
	    HMAC(EVP_sha256(), sub, sizeof(sub), data, len, out, &n) == NULL)
		return -1;
	return 0;
}
