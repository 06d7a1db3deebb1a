/* tests/fuzz/fuzz_bank_callback.c — libFuzzer: a bank callback's headers and body (signature, allow-list, the transfer it reports) */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/decimal.h"
#include "core/input.h"
#include "domain/bank_callback.h"
#include "domain/fiat_name.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NOW_MS	1700000000000LL
#define SECRET	"a-secret-of-the-bank-for-fuzzing"

/*
 * Input: "timestamp\nsignature\nallow-list\naddress\nbody": the first
 * four lines (NUL-terminated copies) and the rest as the raw body.
 */
static const char *
line(const uint8_t **p, const uint8_t *end, char *buf, size_t bufsz)
{
	const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = nl != NULL ? (size_t)(nl - *p) : (size_t)(end - *p);

	if (n >= bufsz)
		n = bufsz - 1;
	memcpy(buf, *p, n);
	buf[n] = '\0';
	*p = nl != NULL ? nl + 1 : end;
	return buf;
}

static void
transfer_check(const struct bank_transfer *t)
{
	char key[FIAT_NAME_MAX * 2 + 1], again[IBAN_MAX + 1];
	int64_t v;

	if (t->amount <= 0 || dec_parse(t->amount_text, strlen(t->amount_text),
	    2, &v) != DEC_OK || v != t->amount)
		abort();
	if (iban_parse(t->sender_iban, strlen(t->sender_iban), again) != NULL)
		abort();
	if (fiat_name_key(t->sender_name, strlen(t->sender_name), key,
	    sizeof(key)) < 0)
		abort();
	if (t->nrefs < 0 || t->nrefs > 2 ||
	    (t->nrefs > 0 && !fiat_ref_valid(t->reference)))
		abort();
	if (strlen(t->transaction_id) < 1 || strlen(t->transaction_id) > 64)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	char ts[32], sig[80], list[256], addr[64];
	struct json_tokener *tok;
	struct json_object *j;
	struct bank_transfer t;
	struct in_err e;
	unsigned char mac[32];
	enum bank_auth a;
	int ip;

	line(&p, end, ts, sizeof(ts));
	line(&p, end, sig, sizeof(sig));
	line(&p, end, list, sizeof(list));
	line(&p, end, addr, sizeof(addr));
	a = bank_auth_check(SECRET, ts[0] ? ts : NULL, sig[0] ? sig : NULL,
	    (const char *)p, (size_t)(end - p), NOW_MS, 300000, mac);
	if (a > BANK_AUTH_BAD_SIGNATURE || bank_auth_text(a) == NULL)
		abort();
	ip = bank_ip_allowed(list, addr);
	if (ip < -1 || ip > 1)
		abort();
	if ((tok = json_tokener_new_ex(16)) == NULL)
		return 0;
	j = json_tokener_parse_ex(tok, (const char *)p, (int)(end - p));
	json_tokener_free(tok);
	memset(&e, 0, sizeof(e));
	if (bank_transfer_parse(j, &t, &e) == 0)
		transfer_check(&t);
	else if (e.field == NULL || e.reason == NULL)
		abort();
	json_object_put(j);
	return 0;
}
