/* tests/unit/fixture_token.h — what the token tests share: the keys, tokens made by hand from raw claims, base64url both ways, a user's claims, the set-up */
#ifndef HZM_FIXTURE_TOKEN_H
#define HZM_FIXTURE_TOKEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/config.h"
#include "core/log.h"
#include "core/token.h"
#include "core/util.h"

#define KEYHEX	"8f3a1c5e7b9d2f4a6c8e0b1d3f5a7c9e" \
		"1b3d5f7a9c2e4f6a8b0d2e4f6a8c0e1f"
#define KEYHEX2	"00112233445566778899aabbccddeeff" \
		"00112233445566778899aabbccddeeff"
#define SUB	"usr_abcdefghijklmnopqrst"
#define JTI	"3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e"
#define SID	"a0c1e2f3-b4d5-4e6f-8a9b-0c1d2e3f4a5b"
#define NOW	((time_t)1763548200)	/* 2025-11-19T10:30:00Z */

static unsigned char	key[32], key2[32];

/* base64url without padding, as JWS wants it. */
static inline void
b64url(const void *in, size_t n, char *out, size_t outsz)
{
	static const char tbl[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	const unsigned char *p = in;
	size_t i, o = 0;
	unsigned v;

	for (i = 0; i < n && o + 5 < outsz; i += 3) {
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

static inline int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

/* Decode n base64url characters; the result is NUL-terminated. */
static inline size_t
unb64url(const char *in, size_t n, char *out, size_t outsz)
{
	unsigned acc = 0;
	size_t i, o = 0;
	int bits = 0, v;

	for (i = 0; i < n && o + 1 < outsz; i++) {
		if ((v = b64val(in[i])) < 0)
			break;
		acc = acc << 6 | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	out[o] = '\0';
	return o;
}

/*
 * A token made by hand: header and payload as given, signed with md and
 * k (md NULL: an empty signature, as "alg":"none" has).
 */
static inline void
craft(char *out, size_t outsz, const char *hdr, const char *payload,
    const EVP_MD *md, const unsigned char *k)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	char h[1024], p[2048], s[256];

	b64url(hdr, strlen(hdr), h, sizeof(h));
	b64url(payload, strlen(payload), p, sizeof(p));
	if (snprintf(out, outsz, "%s.%s", h, p) >= (int)outsz)
		return;		/* cut short: it goes unsigned */
	s[0] = '\0';
	if (md != NULL) {
		HMAC(md, k, 32, (const unsigned char *)out, strlen(out), mac,
		    &maclen);
		b64url(mac, maclen, s, sizeof(s));
	}
	snprintf(out + strlen(out), outsz - strlen(out), ".%s", s);
}

#define HS256_HDR	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
#define OMIT		""	/* leave the claim out */

/* Claims as raw JSON values; NULL means a good default. */
struct cl {
	const char	*iss, *aud, *sub, *jti, *iat, *exp, *kyc, *roles;
	const char	*adm, *sid, *extra;
};

static inline void
payload(char *out, size_t outsz, const struct cl *c)
{
	char iat[32], exp[32];
	const char *v[11], *names[11] = { "iss", "aud", "sub", "jti", "iat",
	    "exp", "kyc", "roles", "adm", "sid", NULL };
	size_t o, i;
	int first = 1;

	snprintf(iat, sizeof(iat), "%lld", (long long)NOW);
	snprintf(exp, sizeof(exp), "%lld", (long long)NOW + 900);
	v[0] = c->iss ? c->iss : "\"hzm\"";
	v[1] = c->aud ? c->aud : "\"hzm-api\"";
	v[2] = c->sub ? c->sub : "\"" SUB "\"";
	v[3] = c->jti ? c->jti : "\"" JTI "\"";
	v[4] = c->iat ? c->iat : iat;
	v[5] = c->exp ? c->exp : exp;
	v[6] = c->kyc ? c->kyc : "1";
	v[7] = c->roles ? c->roles : "[\"USER\"]";
	v[8] = c->adm ? c->adm : OMIT;
	v[9] = c->sid ? c->sid : OMIT;
	snprintf(out, outsz, "{");
	for (i = 0; names[i] != NULL; i++) {
		if (*v[i] == '\0')
			continue;
		o = strlen(out);
		snprintf(out + o, outsz - o, "%s\"%s\":%s", first ? "" : ",",
		    names[i], v[i]);
		first = 0;
	}
	o = strlen(out);
	if (c->extra != NULL)
		snprintf(out + o, outsz - o, "%s%s", first ? "" : ",", c->extra);
	o = strlen(out);
	snprintf(out + o, outsz - o, "}");
}

/* Properly signed with the configured key: only the claims are at fault. */
static inline int
verify_claims(const struct cl *c, struct token_claims *tc)
{
	char p[2048], tok[4096];

	payload(p, sizeof(p), c);
	craft(tok, sizeof(tok), HS256_HDR, p, EVP_sha256(), key);
	return token_verify(tok, NOW, tc);
}

static inline void
claims_user(struct token_claims *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->sub, sizeof(c->sub), "%s", SUB);
	snprintf(c->roles, sizeof(c->roles), "USER");
	c->kyc_level = 2;
}

/*
 * What each test program does first: no configuration file, the default
 * issuer, audience and lifetime, logs to /dev/null, and both keys decoded.
 * The jwt_key itself is left to the program: once loaded it stays.
 */
static inline void
token_setup(void)
{
	unsetenv("HZM_CONF");
	unsetenv("HZM_JWT_ISSUER");
	unsetenv("HZM_JWT_AUDIENCE");
	unsetenv("HZM_ACCESS_TTL");
	cfg_load(NULL);
	log_open("/dev/null", "test_token");
	util_unhex(KEYHEX, 64, key);
	util_unhex(KEYHEX2, 64, key2);
}

#endif
