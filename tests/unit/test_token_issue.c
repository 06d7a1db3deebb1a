/* tests/unit/test_token_issue.c — core/token: the key's configuration and the lifetime, tokens issued and verified back, admin tokens, what issue refuses, verified tokens remembered */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/token.h"
#include "tests/unit/fixture_token.h"
#include "tests/unit/tap.h"

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
	struct token_claims c, v;
	char tok[TOKEN_MAXLEN + 1], tok2[TOKEN_MAXLEN + 1];
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
}

/* Roles, a kyc of 0 and a session id, issued and read back. */
static void
test_round_trip_claims(void)
{
	struct token_claims c, v;
	char tok[TOKEN_MAXLEN + 1], p[2048];
	const char *dot;

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
}

/* A lifetime, an output buffer, an issuer and audience of our own. */
static void
test_round_trip_config(void)
{
	struct token_claims c, v, v2;
	char tok[TOKEN_MAXLEN + 1], small[64];

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
	token_setup();
	test_no_key()		/* first: a loaded key stays for the process */;
	test_ttl();
	test_round_trip();
	test_round_trip_claims();
	test_round_trip_config();
	test_admin();
	test_issue_refused();
	test_seen();
	return done_testing();
}
