/* tests/unit/test_token_claims.c — core/token: each claim checked on verify, properly signed, and tokens past their expiry */
#include <stdio.h>
#include <string.h>

#include "core/token.h"
#include "tests/unit/fixture_token.h"
#include "tests/unit/tap.h"

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

/* The issuer, audience and the ids: sub, jti, sid. */
static void
test_claims(void)
{
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
}

/* iat and exp: skew, lifetime, types, order and range. */
static void
test_claims_times(void)
{
	char iat[32], exp[32], iat2[32];

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
}

/* kyc and roles, and claims nobody asked for. */
static void
test_claims_kyc_roles(void)
{
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

int
main(void)
{
	token_setup();
	setenv("HZM_JWT_KEY", KEYHEX, 1);
	test_expired();
	test_claims();
	test_claims_times();
	test_claims_kyc_roles();
	return done_testing();
}
