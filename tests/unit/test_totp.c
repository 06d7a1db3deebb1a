/* tests/unit/test_totp.c — core/totp: RFC 6238 vectors, the ±1 step window, secrets and otpauth URIs */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/totp.h"
#include "tests/unit/tap.h"

/* RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890" in base32. */
#define RFC_SECRET	"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
#define SANDBOX_SECRET	"JBSWY3DPEHPK3PXP"	/* README: the sandbox admin */

/* RFC 6238 Appendix B, SHA-1: 8-digit values, their last 6 digits here. */
static const struct {
	long long	 t;
	const char	*code8, *code6;
} rfc[] = {
	{ 59,		"94287082", "287082" },
	{ 1111111109,	"07081804", "081804" },
	{ 1111111111,	"14050471", "050471" },
	{ 1234567890,	"89005924", "005924" },
	{ 2000000000,	"69279037", "279037" },
	{ 20000000000LL, "65353130", "353130" },
};

static void
test_rfc_vectors(void)
{
	char code[7];
	size_t i;

	diag("RFC 6238 Appendix B (SHA-1), truncated to 6 digits");
	for (i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
		ok(strcmp(rfc[i].code8 + 2, rfc[i].code6) == 0,
		    "vector %zu: 6 digits are the last 6 of %s", i,
		    rfc[i].code8);
		memset(code, 'x', sizeof(code));
		is_int(totp_code(RFC_SECRET, (time_t)rfc[i].t, code), 0,
		    "totp_code at t=%lld", rfc[i].t);
		is_str(code, rfc[i].code6, "code at t=%lld", rfc[i].t);
		is_int(totp_verify(RFC_SECRET, rfc[i].code6, (time_t)rfc[i].t),
		    rfc[i].t / 30, "verify at t=%lld: step %lld", rfc[i].t,
		    rfc[i].t / 30);
	}
}

static void
test_window(void)
{
	const long long t = 1111111111, step = t / 30;
	const char *code = "050471";	/* t = 1111111111 */

	diag("one step either side");
	is_int(totp_verify(RFC_SECRET, code, t + 30), step,
	    "accepted one step late: the code's own step");
	is_int(totp_verify(RFC_SECRET, code, t - 30), step,
	    "accepted one step early: the code's own step");
	is_int(totp_verify(RFC_SECRET, code, t + 60), -1,
	    "refused two steps late");
	is_int(totp_verify(RFC_SECRET, code, t - 60), -1,
	    "refused two steps early");
	is_int(totp_verify(RFC_SECRET, code, step * 30 + 59), step,
	    "last second of the next step: accepted");
	is_int(totp_verify(RFC_SECRET, code, step * 30 + 60), -1,
	    "first second two steps on: refused");
	is_int(totp_verify(RFC_SECRET, code, step * 30 - 30), step,
	    "first second of the previous step: accepted");
	is_int(totp_verify(RFC_SECRET, code, step * 30 - 31), -1,
	    "last second two steps before: refused");

	/* 1111111109 and 1111111111 straddle a step boundary. */
	is_int(totp_verify(RFC_SECRET, "081804", 1111111111), step - 1,
	    "the previous step's code, returned as that step");
	is_int(totp_verify(RFC_SECRET, "050471", 1111111109), step,
	    "the next step's code, returned as that step");

	is_int(totp_verify(RFC_SECRET, "287082", 59), 1,
	    "t=59: step 1");
	is_int(totp_verify(RFC_SECRET, "287082", 30), 1, "t=30: step 1");
	is_int(totp_verify(RFC_SECRET, "287082", 0), 1,
	    "t=0 with the code of step 1: step 1");
	is_int(totp_verify(RFC_SECRET, "287082", -1), -1,
	    "a time before the epoch");
	is_int(totp_verify(RFC_SECRET, "287082", 90), -1,
	    "t=90: step 3, two after");
}

static void
test_malformed(void)
{
	static const char *const bad[] = {
		"12345", "1234567", "12a456", " 123456", "123456 ",
		"123456\n", "", "+12345", "-12345", "12 456", "0x1234",
		"\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95"
		"\xef\xbc\x96",
	};
	const long long t = 1111111111;
	char code[7];
	size_t i;

	diag("malformed codes and secrets");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_int(totp_verify(RFC_SECRET, bad[i], t), -1,
		    "code #%zu refused", i);
	is_int(totp_verify(RFC_SECRET, NULL, t), -1, "NULL code");
	/* A right code in the wrong shape: liboath would count 7 digits. */
	is_int(totp_verify(RFC_SECRET, "4050471", t), -1,
	    "the right 7-digit code");
	is_int(totp_verify(RFC_SECRET, "14050471", t), -1,
	    "the right 8-digit code");
	is_int(totp_verify(RFC_SECRET, " 050471", t), -1,
	    "the right code after a space");
	is_int(totp_verify(RFC_SECRET, "050471 ", t), -1,
	    "the right code before a space");
	is_int(totp_verify(RFC_SECRET, "050472", t), -1, "a wrong code");
	is_int(totp_verify(RFC_SECRET, "000000", t), -1, "000000");

	is_int(totp_verify("", "050471", t), -1, "empty secret");
	is_int(totp_verify(NULL, "050471", t), -1, "NULL secret");
	is_int(totp_verify("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", "050471", t), -1,
	    "secret in lower case: not our spelling");
	is_int(totp_verify("GEZDGNBV GY3TQOJQ GEZDGNBV GY3TQOJQ", "050471", t),
	    -1, "secret with spaces");
	is_int(totp_verify(RFC_SECRET "====", "050471", t), -1,
	    "secret with padding");
	is_int(totp_verify("GEZDGNBVGY3TQOJ1", "050471", t), -1,
	    "secret with a 1");
	is_int(totp_verify("G", "050471", t), -1, "one base32 character");
	is_int(totp_code("", (time_t)t, code), -1, "totp_code: empty secret");
	is_int(totp_code(RFC_SECRET, -1, code), -1,
	    "totp_code: before the epoch");
}

static int
b32_form(const char *s)
{
	size_t i;

	if (strlen(s) != TOTP_B32LEN - 1)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '2' &&
		    s[i] <= '7')))
			return 0;
	return 1;
}

static void
test_secret_new(void)
{
	char a[TOTP_B32LEN], b[TOTP_B32LEN], code[7];
	time_t now = time(NULL);

	diag("secrets");
	memset(a, 'x', sizeof(a));
	is_int(totp_secret_new(a), 0, "totp_secret_new");
	ok(b32_form(a), "32 characters of [A-Z2-7]: %s", a);
	is_int(totp_secret_new(b), 0, "totp_secret_new again");
	ok(b32_form(b), "32 characters of [A-Z2-7]: %s", b);
	ok(strcmp(a, b) != 0, "two secrets differ");
	is_int(totp_code(a, now, code), 0, "a code for the new secret");
	is_int(totp_verify(a, code, now), now / 30,
	    "which verifies at the current step");

	is_int(totp_code(SANDBOX_SECRET, now, code), 0,
	    "the sandbox seed (80 bits) works too");
	is_int(totp_verify(SANDBOX_SECRET, code, now), now / 30,
	    "and verifies");
}

static void
test_uri(void)
{
	char out[512], small[64];
	const char *want = "otpauth://totp/hzm:a%20b%40c?secret=" RFC_SECRET
	    "&issuer=hzm&algorithm=SHA1&digits=6&period=30";

	diag("otpauth URIs");
	is_int(totp_uri(RFC_SECRET, "hzm", "a b@c", out, sizeof(out)), 0,
	    "totp_uri");
	is_str(out, want, "label and issuer percent-encoded");
	is_int(totp_uri(RFC_SECRET, "Hzm Exchange", "ayşe:x/y?z&w=1", out,
	    sizeof(out)), 0, "totp_uri with reserved and UTF-8 characters");
	is_str(out, "otpauth://totp/Hzm%20Exchange:ay%C5%9Fe%3Ax%2Fy%3Fz%26w%3D1"
	    "?secret=" RFC_SECRET "&issuer=Hzm%20Exchange"
	    "&algorithm=SHA1&digits=6&period=30", "each one encoded");
	is_int(totp_uri(RFC_SECRET, "hzm", "user.name-1_~x@example.com", out,
	    sizeof(out)), 0, "unreserved characters");
	is_str(out, "otpauth://totp/hzm:user.name-1_~x%40example.com?secret="
	    RFC_SECRET "&issuer=hzm&algorithm=SHA1&digits=6&period=30",
	    "left as they are");

	is_int(totp_uri(RFC_SECRET, "hzm", "a b@c", out, strlen(want) + 1), 0,
	    "a buffer of exactly the right size");
	is_str(out, want, "the same URI");
	is_int(totp_uri(RFC_SECRET, "hzm", "a b@c", out, strlen(want)), -1,
	    "one byte short: refused");
	is_str(out, "", "and the buffer left empty");
	is_int(totp_uri(RFC_SECRET, "hzm", "a b@c", small, sizeof(small)), -1,
	    "a small buffer");
	is_int(totp_uri("not base32!", "hzm", "a", out, sizeof(out)), -1,
	    "a bad secret");
	is_int(totp_uri(RFC_SECRET, "", "a", out, sizeof(out)), -1,
	    "no issuer");
	is_int(totp_uri(RFC_SECRET, "hzm", "", out, sizeof(out)), -1,
	    "no account");
	is_int(totp_uri(RFC_SECRET, "hzm", NULL, out, sizeof(out)), -1,
	    "NULL account");
}

int
main(void)
{
	log_open("/dev/null", "test_totp");
	test_rfc_vectors();
	test_window();
	test_malformed();
	test_secret_new();
	test_uri();
	return done_testing();
}
