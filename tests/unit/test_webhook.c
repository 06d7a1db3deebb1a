/* tests/unit/test_webhook.c — webhook signatures against the Standard Webhooks test vector, and the URL and address rules */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/webhook.h"
#include "tap.h"

/*
 * The test vector of the Standard Webhooks specification (the one its
 * reference libraries test against; the npm standardwebhooks package
 * in tests/node signs it to the same string).
 */
#define VEC_SECRET	"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
#define VEC_ID		"msg_p5jXN8AQM9LWM0D4loKWxJek"
#define VEC_TS		"1614265330"
#define VEC_BODY	"{\"test\": 2432232314}"
#define VEC_SIG		"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

static void
test_sign(void)
{
	char sig[WEBHOOK_SIG_MAX], sec[WEBHOOK_SECRET_MAX], again[WEBHOOK_SIG_MAX];

	ok(webhook_sign(VEC_SECRET, VEC_ID, VEC_TS, VEC_BODY,
	    strlen(VEC_BODY), sig) == 0, "the test vector signs");
	is_str(sig, VEC_SIG, "to the specification's signature");
	ok(webhook_sign(VEC_SECRET, VEC_ID, "1614265331", VEC_BODY,
	    strlen(VEC_BODY), sig) == 0 && strcmp(sig, VEC_SIG) != 0,
	    "another timestamp, another signature");
	ok(webhook_sign(VEC_SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJeK", VEC_TS,
	    VEC_BODY, strlen(VEC_BODY), sig) == 0 && strcmp(sig, VEC_SIG) != 0,
	    "another id, another signature");
	ok(webhook_sign(VEC_SECRET, VEC_ID, VEC_TS, "{\"test\": 2432232315}",
	    strlen(VEC_BODY), sig) == 0 && strcmp(sig, VEC_SIG) != 0,
	    "another body, another signature");
	ok(webhook_sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", VEC_ID, VEC_TS,
	    VEC_BODY, strlen(VEC_BODY), sig) == -1, "a secret without whsec_ refused");
	ok(webhook_sign("whsec_***", VEC_ID, VEC_TS, VEC_BODY,
	    strlen(VEC_BODY), sig) == -1, "a secret that is not base64 refused");

	ok(webhook_secret_new(sec) == 0, "a new secret");
	ok(strncmp(sec, "whsec_", 6) == 0 && strlen(sec) == 6 + 32,
	    "whsec_ + base64 of 24 bytes: %s", "(not printed)");
	ok(webhook_sign(sec, VEC_ID, VEC_TS, VEC_BODY, strlen(VEC_BODY),
	    sig) == 0 && webhook_sign(sec, VEC_ID, VEC_TS, VEC_BODY,
	    strlen(VEC_BODY), again) == 0 && strcmp(sig, again) == 0 &&
	    strlen(sig) == 3 + 44, "it signs, the same way twice");
	ok(webhook_secret_new(again) == 0 && strcmp(sec, again) != 0,
	    "two secrets differ");
}

struct url_case {
	const char	*url;
	enum err	 want;
	const char	*what;
};

static void
test_urls(void)
{
	static const struct url_case c[] = {
		{ "https://hooks.example.com/h", ERR_OK, "https with a name" },
		{ "https://hooks.example.com:8443/h?a=1", ERR_OK, "a port and a query" },
		{ "http://hooks.example.com/h", ERR_INVALID_REQUEST, "plain http" },
		{ "ftp://hooks.example.com/h", ERR_INVALID_REQUEST, "ftp" },
		{ "https://u:p@hooks.example.com/h", ERR_INVALID_REQUEST, "credentials" },
		{ "hooks.example.com/h", ERR_INVALID_REQUEST, "not absolute" },
		{ "https://hooks.example.com/a b", ERR_INVALID_REQUEST, "a space" },
		{ "https://hooks.example.com:0/", ERR_INVALID_REQUEST, "port 0" },
		{ "https://hooks.example.com:70000/", ERR_INVALID_REQUEST, "port past 65535" },
		{ "", ERR_INVALID_REQUEST, "empty" },
	};
	struct webhook_target t;
	char why[128];
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		is_int(webhook_url_check(c[i].url, 0, &t, why, sizeof(why)),
		    c[i].want, "%s: %s", c[i].what, c[i].url);
}

/* Addresses the guard must refuse at resolution, spelled every way. */
static void
test_resolve(void)
{
	static const char *refused[] = {
		"https://127.0.0.1/h", "https://127.1.2.3/h",
		"https://localhost/h", "https://LocalHost/h",
		"https://0x7f000001/h", "https://2130706433/h",
		"https://0177.0.0.1/h", "https://0.0.0.0/h",
		"https://10.0.0.1/h", "https://172.16.5.4/h",
		"https://192.168.1.1/h", "https://169.254.169.254/latest",
		"https://100.64.0.1/h", "https://[::1]/h",
		"https://[::ffff:127.0.0.1]/h", "https://[fe80::1]/h",
		"https://[fc00::1]/h", "https://[::]/h",
		"https://224.0.0.1/h", "https://255.255.255.255/h",
	};
	struct webhook_target t;
	char why[128];
	size_t i;
	enum err e;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		why[0] = '\0';
		e = webhook_url_check(refused[i], 1, &t, why, sizeof(why));
		is_int(e, ERR_FORBIDDEN, "refused at resolution: %s (%s)",
		    refused[i], why);
	}
	e = webhook_url_check("https://name.invalid/h", 1, &t, why, sizeof(why));
	is_int(e, ERR_SERVICE_UNAVAILABLE, "a name that does not resolve");

	/* An allowed test receiver: private, and pinned to what was checked. */
	setenv("HZM_WEBHOOK_ALLOW_HOSTS", "localhost:9443, 127.0.0.1:9444", 1);
	e = webhook_url_check("https://localhost:9443/h", 1, &t, why, sizeof(why));
	is_int(e, ERR_OK, "an allowed host:port may be loopback");
	ok(t.allowed && strncmp(t.pin, "localhost:9443:", 15) == 0,
	    "and is pinned to the address checked: %s", t.pin);
	e = webhook_url_check("https://localhost:9445/h", 1, &t, why, sizeof(why));
	is_int(e, ERR_FORBIDDEN, "another port of the same host is not");
	e = webhook_url_check("http://127.0.0.1:9444/h", 0, &t, why, sizeof(why));
	is_int(e, ERR_OK, "an allowed host:port may be plain http");
	unsetenv("HZM_WEBHOOK_ALLOW_HOSTS");
	e = webhook_url_check("https://localhost:9443/h", 1, &t, why, sizeof(why));
	is_int(e, ERR_FORBIDDEN, "and is refused once the setting is gone");
}

int
main(void)
{
	test_sign();
	test_urls();
	test_resolve();
	return done_testing();
}
