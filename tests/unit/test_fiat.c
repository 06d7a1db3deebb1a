/* tests/unit/test_fiat.c — domain/iban, fiat_ref, fiat_name, bank_callback, bank_api's parser: the checks money by bank transfer relies on */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>

#include "core/input.h"
#include "core/util.h"
#include "domain/bank_api.h"
#include "domain/bank_callback.h"
#include "domain/fiat_name.h"
#include "domain/fiat_ref.h"
#include "domain/iban.h"
#include "tests/unit/tap.h"

static void
ibans(void)
{
	static const struct { const char *in, *out; } good[] = {
		{ "TR330006100519786457841326", "TR330006100519786457841326" },
		{ "TR33 0006 1005 1978 6457 8413 26", "TR330006100519786457841326" },
		{ "tr330006100519786457841326", "TR330006100519786457841326" },
		{ "TR400006200000000000000001", "TR400006200000000000000001" },
		{ "TR5000010000000ABCDEF12345", "TR5000010000000ABCDEF12345" },
		{ "GB82WEST12345698765432", "GB82WEST12345698765432" },
		{ "DE89 3704 0044 0532 0130 00", "DE89370400440532013000" },
		{ "NO9386011117947", "NO9386011117947" },
	};
	static const char *const bad[] = {
		"", " TR330006100519786457841326", "TR330006100519786457841326 ",
		"TR33  0006100519786457841326", "TR340006100519786457841326",
		"TR330006100519786457841327", "TR33000610051978645784132",
		"TR3300061005197864578413266", "TR33000610051978645784132X",
		"TR33A006100519786457841326", "TR330006110519786457841326",
		"3R330006100519786457841326", "TRXX0006100519786457841326",
		"TR33-0006-1005-1978-6457-8413-26", "TR33\x00""0006100519786457841326",
		"GB82WEST1234569876543", "NO938601111794", "XX00",
		"TR330006100519786457841326TR330006100519786457841326AAAAAAAAAAAAAAA",
		"TR33\xc3\xa9" "0006100519786457841326",
	};
	char out[IBAN_MAX + 1], pr[64];
	size_t i;

	for (i = 0; i < nitems(good); i++) {
		ok(iban_parse(good[i].in, strlen(good[i].in), out) == NULL,
		    "IBAN '%s' accepted", good[i].in);
		is_str(out, good[i].out, "  its electronic form");
	}
	for (i = 0; i < nitems(bad); i++) {
		size_t n = i == 14 ? 27 : strlen(bad[i]);

		ok(iban_parse(bad[i], n, out) != NULL && out[0] == '\0',
		    "IBAN '%s' refused", tap_esc(bad[i], n));
	}
	ok(iban_parse_tr("TR330006100519786457841326", 26, out) == NULL,
	    "a TR IBAN is Turkish");
	ok(iban_parse_tr("GB82WEST12345698765432", 22, out) != NULL,
	    "a GB IBAN is not");
	is_int(iban_mod97("TR330006100519786457841326"), 1, "mod 97 is 1");
	is_int(iban_mod97("TR33000610051978645784132a"), -1, "lower case: -1");
	iban_print("TR330006100519786457841326", pr, sizeof(pr));
	is_str(pr, "TR33 0006 1005 1978 6457 8413 26", "printed in fours");
	iban_print("TR330006100519786457841326", pr, 8);
	ok(strlen(pr) < 8, "printing stops at the buffer's end");
}

static void
refs(void)
{
	char r[FIAT_REF_LEN + 1], s[FIAT_REF_LEN + 1], pr[32], text[256];
	size_t i, j;
	int collide = 0;

	ok(fiat_ref_make("HZM000000000000", r) == 0, "a reference made");
	ok(fiat_ref_valid(r), "  valid: %s", r);
	ok(strncmp(r, "RF", 2) == 0 && strlen(r) == FIAT_REF_LEN, "  RF, 19 characters");
	is_int(fiat_ref_make("HZM00000000000A", r), -1, "digits only after HZM");
	is_int(fiat_ref_make("ABC000000000000", r), -1, "the prefix is HZM");
	is_int(fiat_ref_make("HZM00000", r), -1, "the length is fixed");
	for (i = 0; i < 200; i++) {
		ok(fiat_ref_new(r) == 0 && fiat_ref_valid(r), "new reference %s", r);
		/* Every single-character change is caught. */
		for (j = 2; j < FIAT_REF_LEN; j++) {
			memcpy(s, r, sizeof(s));
			s[j] = s[j] == '9' ? '0' : (char)(s[j] + 1);
			if (fiat_ref_valid(s))
				collide++;
			if (j + 1 < FIAT_REF_LEN && r[j] != r[j + 1]) {
				memcpy(s, r, sizeof(s));
				s[j] = r[j + 1];
				s[j + 1] = r[j];
				if (fiat_ref_valid(s))
					collide++;
			}
		}
	}
	is_int(collide, 0, "no changed or swapped character passes the check");
	ok(!fiat_ref_valid("rf" "00HZM000000000000"), "lower case is not the electronic form");
	fiat_ref_make("HZM482910573316", r);
	fiat_ref_print(r, pr, sizeof(pr));
	ok(strlen(pr) == FIAT_REF_LEN + 4 && pr[4] == ' ', "printed in fours: %s", pr);

	/* Finding it in a description. */
	snprintf(text, sizeof(text), "%s", r);
	is_int(fiat_ref_find(text, strlen(text), s), 1, "alone");
	is_str(s, r, "  found");
	snprintf(text, sizeof(text), "Havale ref: %s, tesekkurler", pr);
	is_int(fiat_ref_find(text, strlen(text), s), 1, "printed, inside text");
	is_str(s, r, "  its electronic form");
	for (i = 0; r[i] != '\0'; i++)
		text[i] = (char)(r[i] >= 'A' && r[i] <= 'Z' ? r[i] + 32 : r[i]);
	text[i] = '\0';
	is_int(fiat_ref_find(text, strlen(text), s), 1, "lower case");
	snprintf(text, sizeof(text), "%.7s-%s", r, r + 7);
	is_int(fiat_ref_find(text, strlen(text), s), 1, "with a hyphen");
	snprintf(text, sizeof(text), "%.7s  %s", r, r + 7);
	is_int(fiat_ref_find(text, strlen(text), s), 0, "two spaces break it");
	snprintf(text, sizeof(text), "X%s", r);
	is_int(fiat_ref_find(text, strlen(text), s), 0, "a letter before");
	snprintf(text, sizeof(text), "%s7", r);
	is_int(fiat_ref_find(text, strlen(text), s), 0, "a digit after");
	snprintf(text, sizeof(text), "%s %s", r, r);
	is_int(fiat_ref_find(text, strlen(text), s), 1, "twice the same: one");
	fiat_ref_make("HZM000000000001", s);
	snprintf(text, sizeof(text), "%s / %s", r, s);
	is_int(fiat_ref_find(text, strlen(text), pr), 2, "two different: 2");
	snprintf(text, sizeof(text), "%.18s", r);
	is_int(fiat_ref_find(text, strlen(text), s), 0, "one character short");
	snprintf(text, sizeof(text), "%s", r);
	text[9] = text[9] == '9' ? '0' : (char)(text[9] + 1);
	is_int(fiat_ref_find(text, strlen(text), s), 0, "a wrong character");
	is_int(fiat_ref_find("", 0, s), 0, "empty");
	is_int(fiat_ref_find("RF", 2, s), 0, "RF alone");
	is_int(fiat_ref_find("RF RF RF RF", 11, s), 0, "RF repeated");
	memset(text, 'R', sizeof(text));
	is_int(fiat_ref_find(text, sizeof(text), s), 0, "no terminator needed");
}

static void
names(void)
{
	static const struct { const char *a, *b; int match; } cases[] = {
		{ "Ayşe Yılmaz", "AYSE YILMAZ", 1 },
		{ "Ayşe Yılmaz", "YILMAZ AYSE", 1 },
		{ "Ayşe Yılmaz", "ayse   yilmaz", 1 },
		{ "IŞIK Çağlar", "isik caglar", 1 },
		{ "İsmail Öztürk", "ISMAIL OZTURK", 1 },
		{ "ismail öztürk", "İSMAİL ÖZTÜRK", 1 },
		{ "Şükrü Ğüç", "SUKRU GUC", 1 },
		{ "Ayşe O'Neil-Yılmaz", "AYSE ONEIL YILMAZ", 1 },
		{ "Ayşe O’Neil-Yılmaz", "Ayse O'Neil Yilmaz", 1 },
		{ "Hâkim Âşık", "HAKIM ASIK", 1 },
		{ "Ays\xcc\xa7" "e Yilmaz", "Aysçe Yilmaz", 0 },
		{ "Ays" "e\xcc\x81 Yilmaz", "Ayse Yilmaz", 1 },
		{ "José Müller", "JOSE MULLER", 1 },
		{ "Gauß", "GAUSS", 1 },
		{ "Ayşe Yılmaz", "Ayşe Yıldız", 0 },
		{ "Ayşe Yılmaz", "Ayşe Nur Yılmaz", 0 },
		{ "Ayşe Yılmaz", "Ayşe", 0 },
		{ "Ayşe Yılmaz", "Ayşe Yılmaz Yılmaz", 0 },
		{ "Ayşe Yılmaz", "", 0 },
		{ "", "", 0 },
		{ "---", "---", 0 },
		{ "Ayşe\tYılmaz", "Ayşe Yılmaz", 0 },
		{ "Ayşe Yılmaz\xff", "Ayşe Yılmaz", 0 },
		{ "Иван Петров", "ИВАН ПЕТРОВ", 0 },
		{ "Иван Петров", "Петров Иван", 1 },
		{ "A.B. Smith", "AB SMITH", 1 },
	};
	char key[FIAT_NAME_MAX * 2 + 1], big[FIAT_NAME_MAX + 2];
	size_t i;

	for (i = 0; i < nitems(cases); i++)
		is_int(fiat_name_match(cases[i].a, strlen(cases[i].a), cases[i].b,
		    strlen(cases[i].b)), cases[i].match, "'%s' vs '%s'",
		    cases[i].a, cases[i].b);
	ok(fiat_name_key("Yılmaz Ayşe", strlen("Yılmaz Ayşe"), key,
	    sizeof(key)) > 0, "a key");
	is_str(key, "ayse yilmaz", "  folded and sorted");
	memset(big, 'a', sizeof(big));
	is_int(fiat_name_key(big, sizeof(big), key, sizeof(key)), -1,
	    "longer than FIAT_NAME_MAX: refused");
	is_int(fiat_name_key("a b c d e f g h i j k l m n o p q", 33, key,
	    sizeof(key)), -1, "more than 16 words: refused");
	is_int(fiat_name_key("Ayse Yilmaz", 11, key, 5), -1, "a key too big for out");
	is_int(fiat_name_key("\xc3", 1, key, sizeof(key)), -1, "truncated UTF-8");
	is_int(fiat_name_key("\xc0\x80", 2, key, sizeof(key)), -1, "overlong UTF-8");
	is_int(fiat_name_key("\xed\xa0\x80", 3, key, sizeof(key)), -1, "a surrogate");
}

static void
ips(void)
{
	static const struct { const char *list, *addr; int want; } cases[] = {
		{ "127.0.0.1/32", "127.0.0.1", 1 },
		{ "127.0.0.1/32", "127.0.0.2", 0 },
		{ "127.0.0.1", "127.0.0.1", 1 },
		{ "10.0.0.0/8, 192.168.1.0/24", "192.168.1.77", 1 },
		{ "10.0.0.0/8,192.168.1.0/24", "192.168.2.1", 0 },
		{ "10.0.0.0/8 192.168.1.0/24", "10.255.255.255", 1 },
		{ "0.0.0.0/0", "203.0.113.9", 1 },
		{ "0.0.0.0/0", "::1", 0 },
		{ "::1/128", "::1", 1 },
		{ "::1", "::2", 0 },
		{ "2001:db8::/32", "2001:db8:1::5", 1 },
		{ "2001:db8::/33", "2001:db8:8000::1", 0 },
		{ "127.0.0.1/32", "::ffff:127.0.0.1", 1 },
		{ "::ffff:127.0.0.1", "127.0.0.1", 1 },
		{ "", "127.0.0.1", 0 },
		{ " , ", "127.0.0.1", 0 },
		{ "127.0.0.1/33", "127.0.0.1", -1 },
		{ "127.0.0.1/", "127.0.0.1", -1 },
		{ "127.0.0.1/08", "127.0.0.1", -1 },
		{ "localhost", "127.0.0.1", -1 },
		{ "127.0.0.1/32, nonsense", "127.0.0.1", -1 },
		{ "::1/129", "::1", -1 },
		{ "127.0.0.1/32", "", 0 },
		{ "127.0.0.1/32", "not-an-ip", 0 },
		{ "127.0.0.1/32", NULL, 0 },
		{ "1.2.3.4/1x", "1.2.3.4", -1 },
	};
	size_t i;

	for (i = 0; i < nitems(cases); i++)
		is_int(bank_ip_allowed(cases[i].list, cases[i].addr), cases[i].want,
		    "'%s' admits '%s': %d", cases[i].list,
		    cases[i].addr ? cases[i].addr : "(null)", cases[i].want);
	is_int(bank_ip_allowed(NULL, "127.0.0.1"), 0, "no list admits nobody");
}

static void
sign(const char *secret, const char *ts, const char *body, char hex[65])
{
	unsigned char mac[32];
	unsigned int n = 0;
	char *msg;
	size_t len = strlen(ts) + 1 + strlen(body);

	msg = malloc(len + 1);
	snprintf(msg, len + 1, "%s.%s", ts, body);
	HMAC(EVP_sha256(), secret, (int)strlen(secret), (unsigned char *)msg,
	    len, mac, &n);
	free(msg);
	util_hex(mac, 32, hex);
}

static void
auth(void)
{
	const char *secret = "s3cret-for-the-bank", *body = "{\"a\":1}";
	char hex[65], up[65], ts[32];
	unsigned char mac[32], zero[32] = { 0 };
	int64_t now = 1700000000000LL;
	size_t i;

	snprintf(ts, sizeof(ts), "%lld", (long long)now);
	sign(secret, ts, body, hex);
	is_int(bank_auth_check(secret, ts, hex, body, strlen(body), now, 300000,
	    mac), BANK_AUTH_OK, "a good signature");
	ok(memcmp(mac, zero, 32) != 0, "  its mark computed");
	is_int(bank_auth_check(secret, ts, hex, body, strlen(body), now + 300000,
	    300000, mac), BANK_AUTH_OK, "at the window's edge");
	is_int(bank_auth_check(secret, ts, hex, body, strlen(body), now + 300001,
	    300000, mac), BANK_AUTH_STALE, "past it: stale");
	is_int(bank_auth_check(secret, ts, hex, body, strlen(body), now - 300001,
	    300000, mac), BANK_AUTH_STALE, "from the future: stale");
	is_int(bank_auth_check(secret, ts, hex, "{\"a\":2}", 7, now, 300000, mac),
	    BANK_AUTH_BAD_SIGNATURE, "another body");
	is_int(bank_auth_check("other", ts, hex, body, strlen(body), now, 300000,
	    mac), BANK_AUTH_BAD_SIGNATURE, "another secret");
	for (i = 0; i < 64; i++)
		up[i] = hex[i] >= 'a' && hex[i] <= 'f' ? (char)(hex[i] - 32) : hex[i];
	up[64] = '\0';
	is_int(bank_auth_check(secret, ts, up, body, strlen(body), now, 300000,
	    mac), BANK_AUTH_BAD_SIGNATURE, "upper-case hex is not the spelling");
	is_int(bank_auth_check(secret, NULL, hex, body, strlen(body), now, 300000,
	    mac), BANK_AUTH_NO_TIMESTAMP, "no timestamp");
	is_int(bank_auth_check(secret, "17e11", hex, body, strlen(body), now,
	    300000, mac), BANK_AUTH_BAD_TIMESTAMP, "a timestamp not in digits");
	is_int(bank_auth_check(secret, "99999999999999999", hex, body,
	    strlen(body), now, 300000, mac), BANK_AUTH_BAD_TIMESTAMP,
	    "a timestamp too long");
	is_int(bank_auth_check(secret, ts, NULL, body, strlen(body), now, 300000,
	    mac), BANK_AUTH_NO_SIGNATURE, "no signature");
	is_int(bank_auth_check(secret, ts, "abc", body, strlen(body), now, 300000,
	    mac), BANK_AUTH_BAD_SIGNATURE, "a short signature");
	snprintf(ts, sizeof(ts), "%lld", (long long)now / 1000);
	is_int(bank_auth_check(secret, ts, hex, body, strlen(body), now, 300000,
	    mac), BANK_AUTH_STALE, "seconds, not milliseconds: stale");
}

static struct json_object *
body_of(const char *s)
{
	return json_tokener_parse(s);
}

static void
transfers(void)
{
	static const struct { const char *body, *field; } bad[] = {
		{ "{}", "transactionId" },
		{ "{\"transactionId\":\"T1\",\"amount\":\"10.00\",\"currency\":\"TRY\","
		  "\"senderName\":\"Ayse Yilmaz\",\"senderIban\":\"TR330006100519786457841326\","
		  "\"description\":\"x\",\"extra\":1}", "extra" },
		{ "{\"transactionId\":\"T 1\",\"amount\":\"10.00\",\"currency\":\"TRY\","
		  "\"senderName\":\"Ayse Yilmaz\",\"senderIban\":\"TR330006100519786457841326\","
		  "\"description\":\"x\"}", "transactionId" },
		{ "{\"transactionId\":\"T1\",\"amount\":\"10.001\",\"currency\":\"TRY\","
		  "\"senderName\":\"Ayse Yilmaz\",\"senderIban\":\"TR330006100519786457841326\","
		  "\"description\":\"x\"}", "amount" },
		{ "{\"transactionId\":\"T1\",\"amount\":\"0.00\",\"currency\":\"TRY\","
		  "\"senderName\":\"Ayse Yilmaz\",\"senderIban\":\"TR330006100519786457841326\","
		  "\"description\":\"x\"}", "amount" },
		{ "{\"transactionId\":\"T1\",\"amount\":10,\"currency\":\"TRY\","
		  "\"senderName\":\"Ayse Yilmaz\",\"senderIban\":\"TR330006100519786457841326\","
		  "\"description\":\"x\"}", "amount" },
		{ "{\"transactionId\":\"T1\",\"amount\":\"10\",\"currency\":\"USD\","
		  "\"senderName\":\"Ayse Yilmaz\",\"senderIban\":\"TR330006100519786457841326\","
		  "\"description\":\"x\"}", "currency" },
		{ "{\"transactionId\":\"T1\",\"amount\":\"10\",\"currency\":\"TRY\","
		  "\"senderName\":\"...\",\"senderIban\":\"TR330006100519786457841326\","
		  "\"description\":\"x\"}", "senderName" },
		{ "{\"transactionId\":\"T1\",\"amount\":\"10\",\"currency\":\"TRY\","
		  "\"senderName\":\"Ayse\",\"senderIban\":\"TR330006100519786457841327\","
		  "\"description\":\"x\"}", "senderIban" },
		{ "{\"transactionId\":\"T1\",\"amount\":\"10\",\"currency\":\"TRY\","
		  "\"senderName\":\"Ayse\",\"senderIban\":\"TR330006100519786457841326\"}",
		  "description" },
	};
	struct bank_transfer t;
	struct in_err e;
	struct json_object *j;
	char r[FIAT_REF_LEN + 1], buf[512];
	size_t i;

	fiat_ref_make("HZM482910573316", r);
	snprintf(buf, sizeof(buf), "{\"transactionId\":\"BNK-2025.11:19_001\","
	    "\"amount\":\"10000.5\",\"currency\":\"TRY\",\"senderName\":\"AYSE YILMAZ\","
	    "\"senderIban\":\"TR33 0006 1005 1978 6457 8413 26\","
	    "\"description\":\"Yatirim %s\"}", r);
	j = body_of(buf);
	ok(bank_transfer_parse(j, &t, &e) == 0, "a transfer parsed");
	is_int(t.amount, 1000050, "  amount in hundredths");
	is_str(t.amount_text, "10000.50", "  amount as text");
	is_str(t.sender_iban, "TR330006100519786457841326", "  sender IBAN normalised");
	is_int(t.nrefs, 1, "  one reference");
	is_str(t.reference, r, "  the reference");
	json_object_put(j);
	for (i = 0; i < nitems(bad); i++) {
		j = body_of(bad[i].body);
		memset(&e, 0, sizeof(e));
		ok(bank_transfer_parse(j, &t, &e) == -1, "refused: %s", bad[i].field);
		is_str(e.field, bad[i].field, "  field");
		json_object_put(j);
	}
	is_int(bank_transfer_parse(NULL, &t, &e), -1, "no body");
}

static void
payouts(void)
{
	static const char *const key = "5f0c8f0e-9d3a-4c71-9a51-2b3f6a6f1e10";
	static const struct { const char *body; int rc; enum bank_outcome o; } cases[] = {
		{ "{\"payoutId\":\"PAY1\",\"idempotencyKey\":\"%s\",\"status\":\"COMPLETED\"}",
		  0, BANK_PAID },
		{ "{\"payoutId\":\"PAY1\",\"idempotencyKey\":\"%s\",\"status\":\"PENDING\"}\n",
		  0, BANK_PENDING },
		{ "{\"payoutId\":\"PAY1\",\"idempotencyKey\":\"%s\",\"status\":\"REJECTED\","
		  "\"reason\":\"ACCOUNT_CLOSED\"}", 0, BANK_REJECTED },
		{ "{\"payoutId\":\"PAY1\",\"idempotencyKey\":\"other\",\"status\":\"COMPLETED\"}",
		  -1, BANK_UNCERTAIN },
		{ "{\"payoutId\":\"PAY 1\",\"idempotencyKey\":\"%s\",\"status\":\"COMPLETED\"}",
		  -1, BANK_UNCERTAIN },
		{ "{\"payoutId\":\"PAY1\",\"idempotencyKey\":\"%s\",\"status\":\"DONE\"}",
		  -1, BANK_UNCERTAIN },
		{ "{\"payoutId\":\"PAY1\",\"idempotencyKey\":\"%s\"}", -1, BANK_UNCERTAIN },
		{ "{\"payoutId\":\"PAY1\",\"idempotencyKey\":\"%s\",\"status\":\"COMPLETED\"} x",
		  -1, BANK_UNCERTAIN },
		{ "[1]", -1, BANK_UNCERTAIN },
		{ "", -1, BANK_UNCERTAIN },
		{ "{\"payoutId\":\"PAY1\",\"idempotencyKey\":\"%s\",\"status\":\"COMPL\\u0000ETED\"}",
		  -1, BANK_UNCERTAIN },
	};
	struct bank_payout p;
	char buf[512];
	size_t i;

	for (i = 0; i < nitems(cases); i++) {
		snprintf(buf, sizeof(buf), cases[i].body, key);
		memset(&p, 0, sizeof(p));
		is_int(bank_payout_parse(buf, strlen(buf), key, &p), cases[i].rc,
		    "payout answer %zu: %d", i, cases[i].rc);
		is_int(p.outcome, cases[i].o, "  outcome %d", cases[i].o);
	}
	snprintf(buf, sizeof(buf), cases[2].body, key);
	bank_payout_parse(buf, strlen(buf), key, &p);
	is_str(p.reason, "ACCOUNT_CLOSED", "the bank's reason kept");
	is_str(p.payout_id, "PAY1", "the bank's id kept");
	memset(&p, 0, sizeof(p));
	is_int(p.outcome, BANK_UNCERTAIN, "a zeroed answer is uncertain, never paid");
}

int
main(void)
{
	ibans();
	refs();
	names();
	ips();
	auth();
	transfers();
	payouts();
	return done_testing();
}
