/* tests/fuzz/fuzz_jwt.c — libFuzzer: token_verify on arbitrary bytes, and on claims signed with the key */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/token.h"
#include "core/util.h"

#define KEYHEX	"8f3a1c5e7b9d2f4a6c8e0b1d3f5a7c9e" \
		"1b3d5f7a9c2e4f6a8b0d2e4f6a8c0e1f"
#define NOW	((time_t)1763548200)
#define HDR	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"	/* {"alg":"HS256","typ":"JWT"} */

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static unsigned char	key[32];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("HZM_JWT_KEY", KEYHEX, 1);
	unsetenv("HZM_CONF");
	unsetenv("HZM_JWT_ISSUER");
	unsetenv("HZM_JWT_AUDIENCE");
	unsetenv("HZM_ACCESS_TTL");
	util_unhex(KEYHEX, 64, key);
	return 0;
}

static void
b64url(const uint8_t *p, size_t n, char *out)
{
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, o = 0;
	unsigned v;

	for (i = 0; i < n; i += 3) {
		v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		out[o++] = tbl[v >> 18 & 63];
		out[o++] = tbl[v >> 12 & 63];
		if (i + 1 < n)
			out[o++] = tbl[v >> 6 & 63];
		if (i + 2 < n)
			out[o++] = tbl[v & 63];
	}
	out[o] = '\0';
}

static int
terminated(const char *s, size_t sz)
{
	return memchr(s, '\0', sz) != NULL;
}

/* What token_verify promises about the claims it hands back. */
static void
check(int rc, const struct token_claims *c)
{
	if (rc != TOKEN_OK && rc != TOKEN_INVALID && rc != TOKEN_EXPIRED)
		abort();			/* TOKEN_ESYS: the key is set */
	if (rc == TOKEN_INVALID)
		return;
	if (!terminated(c->sub, sizeof(c->sub)) ||
	    !terminated(c->jti, sizeof(c->jti)) ||
	    !terminated(c->sid, sizeof(c->sid)) ||
	    !terminated(c->roles, sizeof(c->roles)))
		abort();
	if (strncmp(c->sub, "usr_", 4) != 0 || strlen(c->jti) != UUID_LEN ||
	    (c->sid[0] != '\0' && strlen(c->sid) != UUID_LEN) ||
	    c->kyc_level < 0 || c->kyc_level > 3 ||
	    (c->admin != 0 && c->admin != 1) || c->exp <= c->iat ||
	    c->iat > NOW + 60)
		abort();
	if ((rc == TOKEN_OK) != (NOW < c->exp))
		abort();
}

/*
 * The first byte picks the mode. '{': the rest is a claims payload,
 * signed with the key here, so the claim checks behind the signature
 * see hostile JSON too. Anything else: the bytes are the token.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct token_claims c;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	char *s;
	size_t n;
	int rc;

	if (size > 0 && data[0] == '{' && size <= TOKEN_MAXLEN) {
		n = sizeof(HDR) + (size + 2) / 3 * 4 + 64;
		if ((s = malloc(n)) == NULL)
			return 0;
		memcpy(s, HDR ".", sizeof(HDR));
		b64url(data, size, s + sizeof(HDR));
		HMAC(EVP_sha256(), key, sizeof(key), (const unsigned char *)s,
		    strlen(s), mac, &maclen);
		n = strlen(s);
		s[n++] = '.';
		b64url(mac, maclen, s + n);
	} else {
		/* An exact-size copy: a read past the NUL is an ASan report. */
		if ((s = malloc(size + 1)) == NULL)
			return 0;
		memcpy(s, data, size);
		s[size] = '\0';
	}
	memset(&c, 0xa5, sizeof(c));
	rc = token_verify(s, NOW, &c);
	check(rc, &c);
	free(s);
	return 0;
}
