/* tests/unit/test_token_forged.c — core/token: tokens tampered with, signed with another key or algorithm, and garbage of every size */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/token.h"
#include "tests/unit/fixture_token.h"
#include "tests/unit/tap.h"

#define BIG	(TOKEN_MAXLEN * 4)

#define KID_HDR		"{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"x\"}"

/* Replace the payload of tok by its own decoding with one edit, unsigned. */
static int
tamper(const char *tok, const char *from, const char *to, char *out,
    size_t outsz)
{
	char p[2048], q[2048], enc[2048];
	const char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.'), *at;
	int n;

	unb64url(d1 + 1, (size_t)(d2 - d1 - 1), p, sizeof(p));
	if ((at = strstr(p, from)) == NULL)
		return -1;
	snprintf(q, sizeof(q), "%.*s%s%s", (int)(at - p), p, to,
	    at + strlen(from));
	b64url(q, strlen(q), enc, sizeof(enc));
	n = snprintf(out, outsz, "%.*s.%s%s", (int)(d1 - tok), tok, enc, d2);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

static void
test_tampered(void)
{
	struct token_claims c;
	char tok[TOKEN_MAXLEN + 1], bad[TOKEN_MAXLEN + 1], h[256];
	char *sig, *d1;

	diag("tampered tokens");
	claims_user(&c);
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK, "issue");

	ok(tamper(tok, "\"kyc\":2", "\"kyc\":3", bad, sizeof(bad)) == 0,
	    "payload edited: kyc 2 -> 3");
	is_int(token_verify(bad, NOW, NULL), TOKEN_INVALID,
	    "kyc raised without re-signing");
	ok(tamper(tok, "\"USER\"", "\"ADMIN\"", bad, sizeof(bad)) == 0,
	    "payload edited: roles USER -> ADMIN");
	is_int(token_verify(bad, NOW, NULL), TOKEN_INVALID, "role changed");
	ok(tamper(tok, "\"kyc\"", "\"adm\":true,\"kyc\"", bad,
	    sizeof(bad)) == 0, "payload edited: adm added");
	is_int(token_verify(bad, NOW, NULL), TOKEN_INVALID, "adm added");
	ok(tamper(tok, SUB, "usr_zzzzzzzzzzzzzzzzzzzz", bad,
	    sizeof(bad)) == 0, "payload edited: another sub");
	is_int(token_verify(bad, NOW, NULL), TOKEN_INVALID, "sub changed");
	ok(tamper(tok, "\"kyc\":2", "\"kyc\":2", bad, sizeof(bad)) == 0 &&
	    strcmp(bad, tok) == 0, "re-encoding without an edit: the same token");
	is_int(token_verify(bad, NOW, NULL), TOKEN_OK, "which verifies");

	snprintf(bad, sizeof(bad), "%s", tok);
	sig = strrchr(bad, '.') + 1;
	sig[0] = sig[0] == 'A' ? 'B' : 'A';
	is_int(token_verify(bad, NOW, NULL), TOKEN_INVALID,
	    "one signature character changed");
	snprintf(bad, sizeof(bad), "%s", tok);
	bad[strlen(bad) - 1] = '\0';
	is_int(token_verify(bad, NOW, NULL), TOKEN_INVALID,
	    "signature one character short");

	/* The header is signed too: a kid added keeps the signature. */
	b64url(KID_HDR, strlen(KID_HDR), h, sizeof(h));
	d1 = strchr(tok, '.');
	snprintf(bad, sizeof(bad), "%s%s", h, d1);
	is_int(token_verify(bad, NOW, NULL), TOKEN_INVALID,
	    "header changed, signature kept");
}

static void
test_wrong_key(void)
{
	char tok[TOKEN_MAXLEN + 1], p[2048];
	struct cl d = { 0 };

	diag("keys");
	payload(p, sizeof(p), &d);
	craft(tok, sizeof(tok), HS256_HDR, p, EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_OK,
	    "hand-made HS256 token, our key: TOKEN_OK");
	craft(tok, sizeof(tok), HS256_HDR, p, EVP_sha256(), key2);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "the same signed with another key");
	craft(tok, sizeof(tok), "{\"alg\":\"HS256\"}", p, EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_OK,
	    "typ is optional (RFC 7519 5.1)");
}

static void
test_alg(void)
{
	char tok[TOKEN_MAXLEN + 1], p[2048], good[TOKEN_MAXLEN + 1];
	struct cl d = { 0 };
	char *sig;

	diag("algorithms other than HS256");
	payload(p, sizeof(p), &d);
	craft(good, sizeof(good), HS256_HDR, p, EVP_sha256(), key);

	craft(tok, sizeof(tok), "{\"alg\":\"none\",\"typ\":\"JWT\"}", p, NULL,
	    NULL);
	ok(tok[strlen(tok) - 1] == '.', "alg none: an empty signature");
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID, "alg none");
	tok[strlen(tok) - 1] = '\0';
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "alg none, no signature part at all");
	craft(tok, sizeof(tok), "{\"alg\":\"NONE\",\"typ\":\"JWT\"}", p, NULL,
	    NULL);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID, "alg NONE");
	/* none, with a signature that is good for HS256 */
	craft(tok, sizeof(tok), "{\"alg\":\"none\",\"typ\":\"JWT\"}", p, NULL,
	    NULL);
	sig = strrchr(good, '.');
	snprintf(tok + strlen(tok) - 1, sizeof(tok) - strlen(tok) + 1, "%s",
	    sig);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "alg none carrying a signature");

	craft(tok, sizeof(tok), "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", p,
	    EVP_sha512(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "HS512 signed with our key");
	craft(tok, sizeof(tok), "{\"alg\":\"HS384\",\"typ\":\"JWT\"}", p,
	    EVP_sha384(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "HS384 signed with our key");
	craft(tok, sizeof(tok), "{\"alg\":\"hs256\",\"typ\":\"JWT\"}", p,
	    EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "alg hs256 (lower case) signed with our key");
	craft(tok, sizeof(tok), "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", p,
	    EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "RS256 with an HMAC signature");
	craft(tok, sizeof(tok), "{\"alg\":\"ES256\",\"typ\":\"JWT\"}", p,
	    EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID, "ES256");
	craft(tok, sizeof(tok), "{\"typ\":\"JWT\"}", p, EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID, "no alg");
	craft(tok, sizeof(tok), "{\"alg\":256,\"typ\":\"JWT\"}", p,
	    EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID, "alg a number");
	craft(tok, sizeof(tok), "{\"alg\":\"HS256\",\"typ\":\"JWE\"}", p,
	    EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID, "typ JWE");
	craft(tok, sizeof(tok),
	    "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[\"exp\"]}", p,
	    EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID, "crit header");
	craft(tok, sizeof(tok), "[\"HS256\"]", p, EVP_sha256(), key);
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "header not an object");
}

static void
test_garbage(void)
{
	static const char *const bad[] = {
		"", ".", "..", "...", "a", "a.b", "a.b.c", "a..c", ".b.c",
		"a.b.", "eyJ.eyJ.eyJ", "a.b.c.d", "Bearer a.b.c", " a.b.c",
		"a.b.c ", "a.b.c\n", "a+b.c/d.e=f", "abcd.abcd.abcd=",
		"\xff\xfe.\x01.\x02", "{\"alg\":\"none\"}.{}.",
		"e30.e30.", "e30.e30.e30", "W10.W10.W10",
	};
	char tok[TOKEN_MAXLEN + 1], buf[TOKEN_MAXLEN + 64], *big;
	struct token_claims c;
	size_t i;

	diag("garbage");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&c, 0x5a, sizeof(c));
		is_int(token_verify(bad[i], NOW, &c), TOKEN_INVALID,
		    "garbage #%zu", i);
	}
	is_int(token_verify(NULL, NOW, &c), TOKEN_INVALID, "NULL");

	claims_user(&c);
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK, "issue");
	snprintf(buf, sizeof(buf), "%s.", tok);
	is_int(token_verify(buf, NOW, NULL), TOKEN_INVALID, "a trailing dot");
	snprintf(buf, sizeof(buf), "%s=", tok);
	is_int(token_verify(buf, NOW, NULL), TOKEN_INVALID,
	    "base64 padding on the signature");
	snprintf(buf, sizeof(buf), "Bearer %s", tok);
	is_int(token_verify(buf, NOW, NULL), TOKEN_INVALID, "with Bearer");
	snprintf(buf, sizeof(buf), "%s", tok);
	*strchr(buf, '.') = '\0';
	is_int(token_verify(buf, NOW, NULL), TOKEN_INVALID,
	    "cut at the first dot");

	/* Huge: a payload padded out past TOKEN_MAXLEN, and a megabyte. */
	if ((big = malloc(BIG + 1)) == NULL)
		return;
	memset(big, 'A', BIG);
	big[BIG] = '\0';
	memcpy(big, tok, strchr(tok, '.') - tok + 1);
	big[BIG - 50] = '.';
	is_int(token_verify(big, NOW, NULL), TOKEN_INVALID,
	    "%d bytes of token shape", BIG);
	memset(big, 'A', TOKEN_MAXLEN + 1);
	big[10] = big[TOKEN_MAXLEN - 10] = '.';
	big[TOKEN_MAXLEN + 1] = '\0';
	is_int(token_verify(big, NOW, NULL), TOKEN_INVALID,
	    "TOKEN_MAXLEN + 1 bytes");
	big[TOKEN_MAXLEN] = '\0';
	is_int(token_verify(big, NOW, NULL), TOKEN_INVALID,
	    "TOKEN_MAXLEN bytes of nonsense");
	free(big);
	if ((big = malloc(1 << 20)) == NULL)
		return;
	memset(big, 'e', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	big[1000] = big[2000] = '.';
	is_int(token_verify(big, NOW, NULL), TOKEN_INVALID, "a megabyte");
	free(big);
	is_int(token_verify(tok, NOW, NULL), TOKEN_OK,
	    "and the good token still verifies");
}

int
main(void)
{
	token_setup();
	setenv("HZM_JWT_KEY", KEYHEX, 1);
	test_tampered();
	test_wrong_key();
	test_alg();
	test_garbage();
	return done_testing();
}
