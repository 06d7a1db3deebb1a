/* tests/unit/test_token.c — core/token: JWT issue and verify, and every way a token must be refused */
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
#include "tests/unit/tap.h"

#define KEYHEX	"8f3a1c5e7b9d2f4a6c8e0b1d3f5a7c9e" \
		"1b3d5f7a9c2e4f6a8b0d2e4f6a8c0e1f"
#define KEYHEX2	"00112233445566778899aabbccddeeff" \
		"00112233445566778899aabbccddeeff"
#define SUB	"usr_abcdefghijklmnopqrst"
#define JTI	"3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e"
#define SID	"a0c1e2f3-b4d5-4e6f-8a9b-0c1d2e3f4a5b"
#define NOW	((time_t)1763548200)	/* 2025-11-19T10:30:00Z */
#define BIG	(TOKEN_MAXLEN * 4)

static unsigned char	key[32], key2[32];

/* base64url without padding, as JWS wants it. */
static void
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

static int
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
static size_t
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
static void
craft(char *out, size_t outsz, const char *hdr, const char *payload,
    const EVP_MD *md, const unsigned char *k)
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	char h[1024], p[2048], s[256];

	b64url(hdr, strlen(hdr), h, sizeof(h));
	b64url(payload, strlen(payload), p, sizeof(p));
	snprintf(out, outsz, "%s.%s", h, p);
	s[0] = '\0';
	if (md != NULL) {
		HMAC(md, k, 32, (const unsigned char *)out, strlen(out), mac,
		    &maclen);
		b64url(mac, maclen, s, sizeof(s));
	}
	snprintf(out + strlen(out), outsz - strlen(out), ".%s", s);
}

#define HS256_HDR	"{\"alg\":\"HS256\",\"typ\":\"JWT\"}"
#define KID_HDR		"{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"x\"}"
#define OMIT		""	/* leave the claim out */

/* Claims as raw JSON values; NULL means a good default. */
struct cl {
	const char	*iss, *aud, *sub, *jti, *iat, *exp, *kyc, *roles;
	const char	*adm, *sid, *extra;
};

static void
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
static int
verify_claims(const struct cl *c, struct token_claims *tc)
{
	char p[2048], tok[4096];

	payload(p, sizeof(p), c);
	craft(tok, sizeof(tok), HS256_HDR, p, EVP_sha256(), key);
	return token_verify(tok, NOW, tc);
}

static void
claims_user(struct token_claims *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->sub, sizeof(c->sub), "%s", SUB);
	snprintf(c->roles, sizeof(c->roles), "USER");
	c->kyc_level = 2;
}

static void
test_no_key(void)
{
	struct token_claims c;
	char tok[TOKEN_MAXLEN + 1], out[TOKEN_MAXLEN + 1], p[2048];
	struct cl d = { 0 };

	diag("jwt_key missing or malformed");
	payload(p, sizeof(p), &d);
	craft(tok, sizeof(tok), HS256_HDR, p, EVP_sha256(), key);
	claims_user(&c);

	unsetenv("HZM_JWT_KEY");
	is_int(token_verify(tok, NOW, &c), TOKEN_ESYS,
	    "no jwt_key: verify is TOKEN_ESYS");
	is_int(token_issue(&c, NOW, out, sizeof(out)), TOKEN_ESYS,
	    "no jwt_key: issue is TOKEN_ESYS");
	is_int(token_verify("x", NOW, &c), TOKEN_ESYS,
	    "no jwt_key: even garbage is TOKEN_ESYS (configuration first)");

	setenv("HZM_JWT_KEY", "", 1);
	is_int(token_verify(tok, NOW, &c), TOKEN_ESYS, "empty jwt_key");
	/* 31 bytes: one short of HS256's 256 bits */
	setenv("HZM_JWT_KEY", KEYHEX2 + 2, 1);
	is_int(token_verify(tok, NOW, &c), TOKEN_ESYS, "31-byte jwt_key");
	setenv("HZM_JWT_KEY", KEYHEX "0", 1);
	is_int(token_verify(tok, NOW, &c), TOKEN_ESYS,
	    "odd number of hex digits");
	setenv("HZM_JWT_KEY", "zz" KEYHEX, 1);
	is_int(token_verify(tok, NOW, &c), TOKEN_ESYS, "not hex");

	/* Failures are not cached: fixing the configuration is enough. */
	setenv("HZM_JWT_KEY", KEYHEX, 1);
	is_int(token_verify(tok, NOW, &c), TOKEN_OK,
	    "key configured afterwards: verify works");
}

static void
test_ttl(void)
{
	diag("access_ttl");
	unsetenv("HZM_ACCESS_TTL");
	is_int(token_ttl(), 900, "access_ttl defaults to 900");
	setenv("HZM_ACCESS_TTL", "1200", 1);
	is_int(token_ttl(), 1200, "access_ttl 1200");
	setenv("HZM_ACCESS_TTL", "60", 1);
	is_int(token_ttl(), 900, "access_ttl clamped up to 900");
	setenv("HZM_ACCESS_TTL", "86400", 1);
	is_int(token_ttl(), 1800, "access_ttl clamped down to 1800");
	setenv("HZM_ACCESS_TTL", "abc", 1);
	is_int(token_ttl(), 900, "malformed access_ttl: the default");
	unsetenv("HZM_ACCESS_TTL");
}

static int
jti_form(const char *s)
{
	size_t i;

	if (strlen(s) != UUID_LEN)
		return 0;
	for (i = 0; i < UUID_LEN; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-' :
		    strchr("0123456789abcdef", s[i]) == NULL)
			return 0;
	return 1;
}

static void
test_round_trip(void)
{
	struct token_claims c, v, v2;
	char tok[TOKEN_MAXLEN + 1], tok2[TOKEN_MAXLEN + 1], small[64];
	char p[2048];
	const char *dot;

	diag("issue and verify");
	claims_user(&c);
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK, "issue");
	ok(jti_form(c.jti), "jti written back is a uuid: %s", c.jti);
	is_int(c.iat, NOW, "iat written back");
	is_int(c.exp, NOW + 900, "exp = iat + 900");
	ok(strncmp(tok, "eyJ", 3) == 0 && strlen(tok) < 400,
	    "a compact JWT of %zu bytes", strlen(tok));

	dot = strchr(tok, '.');
	unb64url(tok, (size_t)(dot - tok), p, sizeof(p));
	is_str(p, HS256_HDR, "header is {alg:HS256, typ:JWT}");
	unb64url(dot + 1, (size_t)(strchr(dot + 1, '.') - dot - 1), p,
	    sizeof(p));
	ok(strstr(p, "\"roles\":[\"USER\"]") != NULL,
	    "roles is a JSON array: %s", p);
	ok(strstr(p, "\"kyc\":2") != NULL && strstr(p, "\"iss\":\"hzm\"") &&
	    strstr(p, "\"aud\":\"hzm-api\""), "kyc, iss, aud claims");
	ok(strstr(p, "adm") == NULL, "no adm claim unless admin");
	ok(strstr(p, "sid") == NULL, "no sid claim without a session");

	memset(&v, 0x5a, sizeof(v));
	is_int(token_verify(tok, NOW, &v), TOKEN_OK, "verify");
	is_str(v.sub, SUB, "sub");
	is_str(v.jti, c.jti, "jti");
	is_str(v.roles, "USER", "roles");
	is_int(v.kyc_level, 2, "kyc_level");
	is_int(v.admin, 0, "admin 0");
	is_str(v.sid, "", "no sid");
	is_int(v.iat, NOW, "iat");
	is_int(v.exp, NOW + 900, "exp");
	is_int(token_verify(tok, NOW + 899, NULL), TOKEN_OK,
	    "valid 1 s before exp (NULL claims allowed)");
	is_int(token_verify(tok, NOW - 60, NULL), TOKEN_OK,
	    "valid for a clock 60 s behind the issuer's");
	is_int(token_verify(tok, NOW - 61, NULL), TOKEN_INVALID,
	    "not for a clock 61 s behind: iat in the future");

	claims_user(&c);
	is_int(token_issue(&c, NOW, tok2, sizeof(tok2)), TOKEN_OK,
	    "issue again");
	ok(strcmp(tok, tok2) != 0 && strcmp(v.jti, c.jti) != 0,
	    "same claims, same second: a different jti and token");

	claims_user(&c);
	snprintf(c.roles, sizeof(c.roles), "USER,COMPLIANCE");
	c.kyc_level = 0;
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK,
	    "issue with two roles, kyc 0");
	is_int(token_verify(tok, NOW, &v), TOKEN_OK, "verify");
	is_str(v.roles, "USER,COMPLIANCE", "roles kept as a comma list");
	is_int(v.kyc_level, 0, "kyc 0");

	claims_user(&c);
	snprintf(c.sid, sizeof(c.sid), "%s", SID);
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK,
	    "issue within a session");
	dot = strchr(tok, '.');
	unb64url(dot + 1, (size_t)(strchr(dot + 1, '.') - dot - 1), p,
	    sizeof(p));
	ok(strstr(p, "\"sid\":\"" SID "\"") != NULL, "claim sid");
	is_int(token_verify(tok, NOW, &v), TOKEN_OK, "verify");
	is_str(v.sid, SID, "sid round trip");

	claims_user(&c);
	c.roles[0] = '\0';
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK,
	    "issue with no roles at all");
	dot = strchr(tok, '.');
	unb64url(dot + 1, (size_t)(strchr(dot + 1, '.') - dot - 1), p,
	    sizeof(p));
	ok(strstr(p, "\"roles\":[]") != NULL, "roles an empty array");
	is_int(token_verify(tok, NOW, &v), TOKEN_OK, "verify");
	is_str(v.roles, "", "roles empty");

	setenv("HZM_ACCESS_TTL", "1800", 1);
	claims_user(&c);
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK,
	    "issue with access_ttl 1800");
	is_int(c.exp, NOW + 1800, "exp = iat + 1800");
	is_int(token_verify(tok, NOW + 1799, &v), TOKEN_OK, "valid at +1799");
	unsetenv("HZM_ACCESS_TTL");

	claims_user(&c);
	is_int(token_issue(&c, NOW, small, sizeof(small)), TOKEN_ESYS,
	    "output buffer too small: TOKEN_ESYS");

	/* Issued and verified with a jwt_issuer/jwt_audience of our own. */
	setenv("HZM_JWT_ISSUER", "hzm-test", 1);
	setenv("HZM_JWT_AUDIENCE", "hzm-admin", 1);
	claims_user(&c);
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK,
	    "issue with configured issuer and audience");
	is_int(token_verify(tok, NOW, &v2), TOKEN_OK, "and verify");
	unsetenv("HZM_JWT_ISSUER");
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "issuer configured differently: wrong iss");
	setenv("HZM_JWT_ISSUER", "hzm-test", 1);
	unsetenv("HZM_JWT_AUDIENCE");
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "audience configured differently: wrong aud");
	unsetenv("HZM_JWT_ISSUER");
}

static void
test_admin(void)
{
	struct token_claims c, v;
	char tok[TOKEN_MAXLEN + 1], p[2048];
	const char *dot;

	diag("admin tokens");
	claims_user(&c);
	snprintf(c.roles, sizeof(c.roles), "USER,ADMIN");
	c.kyc_level = 3;
	c.admin = 7;
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK,
	    "issue an admin token");
	is_int(c.admin, 1, "admin normalised to 1");
	dot = strchr(tok, '.');
	unb64url(dot + 1, (size_t)(strchr(dot + 1, '.') - dot - 1), p,
	    sizeof(p));
	ok(strstr(p, "\"adm\":true") != NULL, "claim adm: true");
	is_int(token_verify(tok, NOW, &v), TOKEN_OK, "verify");
	is_int(v.admin, 1, "admin round trip");
	is_str(v.roles, "USER,ADMIN", "roles round trip");
	is_int(v.kyc_level, 3, "kyc 3");

	is_int(verify_claims(&(struct cl){ .adm = "false" }, &v), TOKEN_OK,
	    "adm: false is accepted");
	is_int(v.admin, 0, "as not admin");
	is_int(verify_claims(&(struct cl){ .adm = "\"true\"" }, NULL),
	    TOKEN_INVALID, "adm as a string");
	is_int(verify_claims(&(struct cl){ .adm = "1" }, NULL),
	    TOKEN_INVALID, "adm as a number");
}

static void
test_expired(void)
{
	struct token_claims c, v;
	char tok[TOKEN_MAXLEN + 1], bad[TOKEN_MAXLEN + 1];
	char *sig;

	diag("expiry");
	claims_user(&c);
	is_int(token_issue(&c, NOW - 3600, tok, sizeof(tok)), TOKEN_OK,
	    "issue an hour ago");
	memset(&v, 0, sizeof(v));
	is_int(token_verify(tok, NOW, &v), TOKEN_EXPIRED, "TOKEN_EXPIRED");
	is_str(v.sub, SUB, "claims filled on TOKEN_EXPIRED (sub)");
	is_str(v.jti, c.jti, "and jti");
	is_int(token_verify(tok, NOW - 3600 + 900, NULL), TOKEN_EXPIRED,
	    "expired at exp itself");
	is_int(token_verify(tok, NOW - 3600 + 899, NULL), TOKEN_OK,
	    "valid 1 s before exp");

	/* Expired with a bad signature is invalid, not expired. */
	snprintf(bad, sizeof(bad), "%s", tok);
	sig = strrchr(bad, '.') + 1;
	sig[0] = sig[0] == 'A' ? 'B' : 'A';
	memset(&v, 0x5a, sizeof(v));
	memcpy(v.sub, "untouched", 10);
	is_int(token_verify(bad, NOW, &v), TOKEN_INVALID,
	    "expired and tampered: TOKEN_INVALID");
	is_str(v.sub, "untouched", "claims not written on TOKEN_INVALID");
	is_int(verify_claims(&(struct cl){ .iss = "\"evil\"", .iat = "1000",
	    .exp = "1900" }, NULL), TOKEN_INVALID,
	    "expired with a wrong iss: TOKEN_INVALID");
}

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
test_claims(void)
{
	char iat[32], exp[32], iat2[32];

	diag("claims, each checked (signed with our key)");
	is_int(verify_claims(&(struct cl){ 0 }, NULL), TOKEN_OK,
	    "the default claims are good");

	is_int(verify_claims(&(struct cl){ .iss = "\"evil\"" }, NULL),
	    TOKEN_INVALID, "wrong iss");
	is_int(verify_claims(&(struct cl){ .iss = "\"HZM\"" }, NULL),
	    TOKEN_INVALID, "iss differing in case");
	is_int(verify_claims(&(struct cl){ .iss = "\"hzm\\u0000x\"" }, NULL),
	    TOKEN_INVALID, "iss with a NUL inside");
	is_int(verify_claims(&(struct cl){ .iss = OMIT }, NULL),
	    TOKEN_INVALID, "no iss");
	is_int(verify_claims(&(struct cl){ .aud = "\"other-api\"" }, NULL),
	    TOKEN_INVALID, "wrong aud");
	is_int(verify_claims(&(struct cl){ .aud = "[\"hzm-api\"]" }, NULL),
	    TOKEN_INVALID, "aud as an array");
	is_int(verify_claims(&(struct cl){ .aud = OMIT }, NULL),
	    TOKEN_INVALID, "no aud");

	is_int(verify_claims(&(struct cl){ .sub = OMIT }, NULL),
	    TOKEN_INVALID, "missing sub");
	is_int(verify_claims(&(struct cl){ .sub = "\"\"" }, NULL),
	    TOKEN_INVALID, "empty sub");
	is_int(verify_claims(&(struct cl){ .sub = "\"usr_abc\"" }, NULL),
	    TOKEN_INVALID, "short sub");
	is_int(verify_claims(&(struct cl){ .sub =
	    "\"ord_abcdefghijklmnopqrst\"" }, NULL), TOKEN_INVALID,
	    "sub of another kind of id");
	is_int(verify_claims(&(struct cl){ .sub =
	    "\"usr_ABCDEFGHIJKLMNOPQRST\"" }, NULL), TOKEN_INVALID,
	    "sub in upper case");
	is_int(verify_claims(&(struct cl){ .sub = "42" }, NULL),
	    TOKEN_INVALID, "sub a number");
	is_int(verify_claims(&(struct cl){ .jti = OMIT }, NULL),
	    TOKEN_INVALID, "missing jti");
	is_int(verify_claims(&(struct cl){ .jti = "\"abc\"" }, NULL),
	    TOKEN_INVALID, "jti not a uuid");
	is_int(verify_claims(&(struct cl){ .jti =
	    "\"3F2B8C1E-4D5A-4B6C-8D7E-9F0A1B2C3D4E\"" }, NULL),
	    TOKEN_INVALID, "jti in upper case");
	is_int(verify_claims(&(struct cl){ .sid = "\"" SID "\"" }, NULL),
	    TOKEN_OK, "a sid");
	is_int(verify_claims(&(struct cl){ .sid = "\"\"" }, NULL),
	    TOKEN_INVALID, "an empty sid");
	is_int(verify_claims(&(struct cl){ .sid = "\"x" SID "\"" }, NULL),
	    TOKEN_INVALID, "a sid too long");
	is_int(verify_claims(&(struct cl){ .sid = "null" }, NULL),
	    TOKEN_INVALID, "sid null");
	is_int(verify_claims(&(struct cl){ .sub =
	    "\"usr_abcdefghijklmnopqrs1\"" }, NULL), TOKEN_INVALID,
	    "sub with a 1: not base32");

	snprintf(iat, sizeof(iat), "%lld", (long long)NOW + 3600);
	snprintf(exp, sizeof(exp), "%lld", (long long)NOW + 4500);
	is_int(verify_claims(&(struct cl){ .iat = iat, .exp = exp }, NULL),
	    TOKEN_INVALID, "iat an hour in the future");
	snprintf(iat, sizeof(iat), "%lld", (long long)NOW + 61);
	snprintf(exp, sizeof(exp), "%lld", (long long)NOW + 961);
	is_int(verify_claims(&(struct cl){ .iat = iat, .exp = exp }, NULL),
	    TOKEN_INVALID, "iat 61 s in the future");
	snprintf(iat, sizeof(iat), "%lld", (long long)NOW + 60);
	snprintf(exp, sizeof(exp), "%lld", (long long)NOW + 960);
	is_int(verify_claims(&(struct cl){ .iat = iat, .exp = exp }, NULL),
	    TOKEN_OK, "iat 60 s in the future: clock skew allowed");
	snprintf(exp, sizeof(exp), "%lld", (long long)NOW + 1801);
	is_int(verify_claims(&(struct cl){ .exp = exp }, NULL),
	    TOKEN_INVALID, "lifetime over 1800 s");
	snprintf(exp, sizeof(exp), "%lld", (long long)NOW + 1800);
	is_int(verify_claims(&(struct cl){ .exp = exp }, NULL), TOKEN_OK,
	    "lifetime of 1800 s");
	snprintf(exp, sizeof(exp), "%lld.0", (long long)NOW + 900);
	is_int(verify_claims(&(struct cl){ .exp = exp }, NULL),
	    TOKEN_INVALID, "exp a float");
	snprintf(exp, sizeof(exp), "\"%lld\"", (long long)NOW + 900);
	is_int(verify_claims(&(struct cl){ .exp = exp }, NULL),
	    TOKEN_INVALID, "exp a string");
	is_int(verify_claims(&(struct cl){ .exp = OMIT }, NULL),
	    TOKEN_INVALID, "no exp");
	is_int(verify_claims(&(struct cl){ .iat = OMIT }, NULL),
	    TOKEN_INVALID, "no iat");
	snprintf(iat2, sizeof(iat2), "%lld", (long long)NOW + 900);
	is_int(verify_claims(&(struct cl){ .iat = iat2 }, NULL),
	    TOKEN_INVALID, "exp equal to iat");
	is_int(verify_claims(&(struct cl){ .iat = "0", .exp = "900" }, NULL),
	    TOKEN_INVALID, "iat 0");
	is_int(verify_claims(&(struct cl){ .iat = "-900", .exp = "-1" },
	    NULL), TOKEN_INVALID, "negative times");
	is_int(verify_claims(&(struct cl){ .exp =
	    "99999999999999999999999" }, NULL), TOKEN_INVALID,
	    "exp beyond 64 bits");

	is_int(verify_claims(&(struct cl){ .kyc = "4" }, NULL),
	    TOKEN_INVALID, "kyc 4");
	is_int(verify_claims(&(struct cl){ .kyc = "-1" }, NULL),
	    TOKEN_INVALID, "kyc -1");
	is_int(verify_claims(&(struct cl){ .kyc = "\"2\"" }, NULL),
	    TOKEN_INVALID, "kyc a string");
	is_int(verify_claims(&(struct cl){ .kyc = OMIT }, NULL),
	    TOKEN_INVALID, "no kyc");

	is_int(verify_claims(&(struct cl){ .roles = OMIT }, NULL),
	    TOKEN_INVALID, "no roles");
	is_int(verify_claims(&(struct cl){ .roles = "[]" }, NULL),
	    TOKEN_OK, "roles empty: no role at all");
	is_int(verify_claims(&(struct cl){ .roles = "\"USER\"" }, NULL),
	    TOKEN_INVALID, "roles a string, not an array");
	is_int(verify_claims(&(struct cl){ .roles = "[\"USER,ADMIN\"]" },
	    NULL), TOKEN_INVALID, "a role with a comma in it");
	is_int(verify_claims(&(struct cl){ .roles = "[\"user\"]" }, NULL),
	    TOKEN_INVALID, "a role in lower case");
	is_int(verify_claims(&(struct cl){ .roles = "[1]" }, NULL),
	    TOKEN_INVALID, "a role that is a number");
	is_int(verify_claims(&(struct cl){ .roles = "[\"\"]" }, NULL),
	    TOKEN_INVALID, "an empty role");
	is_int(verify_claims(&(struct cl){ .roles =
	    "[\"AAAAAAAAAAAAAAAA\",\"BBBBBBBBBBBBBBBB\",\"CCCCCCCCCCCCCCCC\","
	    "\"DDDDDDDDDDDDDDDD\"]" }, NULL), TOKEN_INVALID,
	    "roles too long for the claims struct");

	is_int(verify_claims(&(struct cl){ .extra = "\"nonce\":\"x\"" },
	    NULL), TOKEN_OK, "an unknown claim is ignored");
}

static void
test_issue_refused(void)
{
	struct token_claims c;
	char tok[TOKEN_MAXLEN + 1];

	diag("what token_issue refuses");
	claims_user(&c);
	c.sub[0] = '\0';
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue without sub");
	claims_user(&c);
	snprintf(c.sub, sizeof(c.sub), "usr_\"injected\"aaaaaaaaa");
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with a malformed sub");
	claims_user(&c);
	memset(c.sub, 'a', sizeof(c.sub));
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with an unterminated sub");
	claims_user(&c);
	c.kyc_level = 4;
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with kyc 4");
	claims_user(&c);
	snprintf(c.roles, sizeof(c.roles), "USER,");
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with a trailing comma in roles");
	claims_user(&c);
	snprintf(c.roles, sizeof(c.roles), "A,B,C,D,E,F,G,H,I");
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with nine roles");
	claims_user(&c);
	snprintf(c.sid, sizeof(c.sid), "not-a-uuid");
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with a malformed sid");
	claims_user(&c);
	memset(c.sid, 'a', sizeof(c.sid));
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with an unterminated sid");
	claims_user(&c);
	snprintf(c.roles, sizeof(c.roles), "USER,,ADMIN");
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with an empty role");
	claims_user(&c);
	snprintf(c.roles, sizeof(c.roles), "USER\",\"ADMIN");
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with a role that would inject JSON");
	claims_user(&c);
	memset(c.roles, 'A', sizeof(c.roles));
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_INVALID,
	    "issue with unterminated roles");

	/* Issued for the future: verify refuses it until its time. */
	claims_user(&c);
	is_int(token_issue(&c, NOW + 3600, tok, sizeof(tok)), TOKEN_OK,
	    "issue with now an hour ahead");
	is_int(token_verify(tok, NOW, NULL), TOKEN_INVALID,
	    "iat far in the future: TOKEN_INVALID");
	is_int(token_verify(tok, NOW + 3600, NULL), TOKEN_OK,
	    "valid once that time comes");
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

/*
 * A token verified once is remembered by its exact text: a copy with one
 * byte changed is checked in full, and the clock is asked every time.
 */
static void
test_seen(void)
{
	struct token_claims c, v;
	char tok[TOKEN_MAXLEN + 1], bad[TOKEN_MAXLEN + 1];
	size_t n, i;

	diag("verified tokens remembered");
	claims_user(&c);
	is_int(token_issue(&c, NOW, tok, sizeof(tok)), TOKEN_OK, "issue");
	is_int(token_verify(tok, NOW, &v), TOKEN_OK, "first verify");
	memset(&v, 0, sizeof(v));
	is_int(token_verify(tok, NOW + 1, &v), TOKEN_OK, "again");
	is_str(v.sub, SUB, "claims filled from memory");
	is_int(token_verify(tok, NOW + 900, &v), TOKEN_EXPIRED,
	    "remembered, yet expired at exp");
	is_int(token_verify(tok, NOW - 61, NULL), TOKEN_INVALID,
	    "remembered, yet iat in the future for a clock behind");
	n = strlen(tok);
	for (i = 0; i < 3; i++) {
		size_t at = i == 0 ? n - 2 : i == 1 ? n / 2 : 1;

		memcpy(bad, tok, n + 1);
		bad[at] = bad[at] == 'A' ? 'B' : 'A';
		is_int(token_verify(bad, NOW, NULL), TOKEN_INVALID,
		    "one byte changed (at %zu of %zu): refused", at, n);
	}
	is_int(token_verify(tok, NOW, NULL), TOKEN_OK,
	    "and the original still verifies");
}

int
main(void)
{
	unsetenv("HZM_CONF");
	unsetenv("HZM_JWT_ISSUER");
	unsetenv("HZM_JWT_AUDIENCE");
	unsetenv("HZM_ACCESS_TTL");
	cfg_load(NULL);
	log_open("/dev/null", "test_token");
	util_unhex(KEYHEX, 64, key);
	util_unhex(KEYHEX2, 64, key2);

	test_no_key();		/* first: a loaded key stays for the process */
	test_ttl();
	test_round_trip();
	test_admin();
	test_expired();
	test_tampered();
	test_wrong_key();
	test_alg();
	test_claims();
	test_issue_refused();
	test_garbage();
	test_seen();
	return done_testing();
}
