/* core/crypto.h — secrets at rest: AES-256-GCM under a versioned data key */
#ifndef HZM_CRYPTO_H
#define HZM_CRYPTO_H

#include <stddef.h>

#define SEAL_OVERHEAD	(1 + 12 + 16)	/* key version, nonce, tag */

int	crypto_seal(const char *context, const void *pt, size_t ptlen,
	    unsigned char *out, size_t outsz, size_t *outlen);
int	crypto_open(const char *context, const unsigned char *in, size_t inlen,
	    void *pt, size_t ptsz, size_t *ptlen);
int	crypto_key_version(void);
int	crypto_mac(const char *context, const void *data, size_t len,
	    unsigned char out[32]);

#endif
