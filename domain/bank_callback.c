/* domain/bank_callback.c — the bank's deposit callbacks: who may call (addresses, signature, time), what they say */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/decimal.h"
#include "core/input.h"
#include "core/util.h"
#include "domain/bank_callback.h"
#include "domain/fiat_name.h"

#define FIAT_SCALE		2
#define DESCRIPTION_MAX		FIAT_REF_TEXT_MAX
#define IP_TEXT_MAX		64	/* "ffff:...:ffff/128" and then some */

/* An address as 16 bytes (IPv4 as ::ffff:a.b.c.d) and its family's bit offset. */
struct ip {
	unsigned char	 b[16];
	int		 v4;
};

static int
ip_parse(const char *s, struct ip *ip)
{
	static const unsigned char mapped[12] =
	    { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	struct in_addr a4;

	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, &a4) == 1) {
		memcpy(ip->b, mapped, 12);
		memcpy(ip->b + 12, &a4, 4);
		ip->v4 = 1;
		return 0;
	}
	if (inet_pton(AF_INET6, s, ip->b) != 1)
		return -1;
	ip->v4 = memcmp(ip->b, mapped, 12) == 0;
	return 0;
}

/* Whether the first bits of a and b agree. */
static int
prefix_equal(const unsigned char *a, const unsigned char *b, int bits)
{
	int full = bits / 8, rest = bits % 8;
	unsigned char mask;

	if (memcmp(a, b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

/* One "addr[/len]" entry of n bytes: 1 matches, 0 not, -1 malformed. */
static int
entry_match(const char *s, size_t n, const struct ip *addr)
{
	char text[IP_TEXT_MAX];
	const char *slash;
	struct ip net;
	long bits;
	size_t alen, i;

	if (n == 0 || n >= sizeof(text))
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	slash = strchr(text, '/');
	alen = slash != NULL ? (size_t)(slash - text) : n;
	text[alen] = '\0';
	if (ip_parse(text, &net) == -1)
		return -1;
	bits = net.v4 ? 32 : 128;
	if (slash != NULL) {
		if (slash[1] == '\0' || n - alen - 1 > 3)
			return -1;
		for (bits = 0, i = alen + 1; i < n; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			bits = bits * 10 + (s[i] - '0');
		}
		if ((s[alen + 1] == '0' && n - alen - 1 > 1) ||
		    bits > (net.v4 ? 32 : 128))
			return -1;
	}
	if (net.v4 != addr->v4)
		return 0;
	return prefix_equal(net.b, addr->b, net.v4 ? 96 + (int)bits : (int)bits);
}

int
bank_ip_allowed(const char *list, const char *remote)
{
	struct ip addr;
	size_t i = 0, start;
	int m, hit = 0;

	if (list == NULL)
		return 0;
	if (remote == NULL || ip_parse(remote, &addr) == -1)
		addr.v4 = -1;
	for (;;) {
		while (list[i] == ' ' || list[i] == ',' || list[i] == '\t')
			i++;
		if (list[i] == '\0')
			break;
		start = i;
		while (list[i] != '\0' && list[i] != ' ' && list[i] != ',' &&
		    list[i] != '\t')
			i++;
		/* Every entry is read, so a malformed list never half-works. */
		if ((m = entry_match(list + start, i - start, &addr)) == -1)
			return -1;
		if (addr.v4 != -1 && m == 1)
			hit = 1;
	}
	return hit;
}

static int
hex_lower64(const char *s)
{
	size_t i;

	for (i = 0; i < BANK_SIG_HEX; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

/* HMAC-SHA256 under secret of ts, '.', body: 0, or -1. */
static int
callback_mac(const char *secret, const char *ts, size_t tlen,
    const char *body, size_t len, unsigned char mac[32])
{
	OSSL_PARAM params[2];
	EVP_MAC *m = NULL;
	EVP_MAC_CTX *mc = NULL;
	size_t outl = 0;
	int ok;

	params[0] = OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = (m = EVP_MAC_fetch(NULL, "HMAC", NULL)) != NULL &&
	    (mc = EVP_MAC_CTX_new(m)) != NULL &&
	    EVP_MAC_init(mc, (const unsigned char *)secret, strlen(secret),
	    params) == 1 &&
	    EVP_MAC_update(mc, (const unsigned char *)ts, tlen) == 1 &&
	    EVP_MAC_update(mc, (const unsigned char *)".", 1) == 1 &&
	    (len == 0 ||
	    EVP_MAC_update(mc, (const unsigned char *)body, len) == 1) &&
	    EVP_MAC_final(mc, mac, &outl, 32) == 1 && outl == 32;
	EVP_MAC_CTX_free(mc);
	EVP_MAC_free(m);
	return ok ? 0 : -1;
}

enum bank_auth
bank_auth_check(const char *secret, const char *ts, const char *sig,
    const char *body, size_t len, int64_t now_ms, int64_t skew_ms,
    unsigned char mac[32])
{
	char hex[BANK_SIG_HEX + 1];
	int64_t t = 0, d;
	size_t i, tlen;

	memset(mac, 0, 32);
	if (ts == NULL || ts[0] == '\0')
		return BANK_AUTH_NO_TIMESTAMP;
	if ((tlen = strlen(ts)) > BANK_TS_DIGITS_MAX)
		return BANK_AUTH_BAD_TIMESTAMP;
	for (i = 0; i < tlen; i++) {
		if (ts[i] < '0' || ts[i] > '9')
			return BANK_AUTH_BAD_TIMESTAMP;
		t = t * 10 + (ts[i] - '0');
	}
	d = t > now_ms ? t - now_ms : now_ms - t;
	if (d > skew_ms)
		return BANK_AUTH_STALE;
	if (sig == NULL || sig[0] == '\0')
		return BANK_AUTH_NO_SIGNATURE;
	/* One spelling: what is compared is what was computed. */
	if (!hex_lower64(sig))
		return BANK_AUTH_BAD_SIGNATURE;
	if (callback_mac(secret, ts, tlen, body, len, mac) == -1) {
		memset(mac, 0, 32);
		return BANK_AUTH_BAD_SIGNATURE;
	}
	util_hex(mac, 32, hex);
	return CRYPTO_memcmp(hex, sig, BANK_SIG_HEX) == 0 ? BANK_AUTH_OK :
	    BANK_AUTH_BAD_SIGNATURE;
}

const char *
bank_auth_text(enum bank_auth a)
{
	switch (a) {
	case BANK_AUTH_OK:
		return "ok";
	case BANK_AUTH_NO_TIMESTAMP:
		return "X-Bank-Timestamp is required";
	case BANK_AUTH_BAD_TIMESTAMP:
		return "X-Bank-Timestamp must be Unix time in milliseconds";
	case BANK_AUTH_STALE:
		return "X-Bank-Timestamp is outside the accepted window";
	case BANK_AUTH_NO_SIGNATURE:
		return "X-Bank-Signature is required";
	case BANK_AUTH_BAD_SIGNATURE:
		break;
	}
	return "X-Bank-Signature does not match";
}

static int
fail(struct in_err *e, const char *field, const char *reason)
{
	e->field = field;
	e->reason = reason;
	return -1;
}

static int
txid_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '.' || s[i] == '_' ||
		    s[i] == ':' || s[i] == '-'))
			return 0;
	return i >= 1 && i <= BANK_TXID_MAX;
}

int
bank_transfer_parse(struct json_object *body, struct bank_transfer *t,
    struct in_err *e)
{
	static const char *const fields[] = { "transactionId", "amount",
	    "currency", "senderName", "senderIban", "description", NULL };
	const char *amount, *currency, *iban, *why;
	char key[FIAT_NAME_MAX * 2 + 1];
	int rc;

	memset(t, 0, sizeof(*t));
	if (body == NULL)
		return fail(e, "body", "required");
	if (in_only(body, fields, e) == -1 ||
	    in_string(body, "transactionId", IN_REQUIRED, 1, BANK_TXID_MAX,
	    &t->transaction_id, e) == -1 ||
	    in_string(body, "amount", IN_REQUIRED, 1, 32, &amount, e) == -1 ||
	    in_string(body, "currency", IN_REQUIRED, 1, 8, &currency, e) == -1 ||
	    in_string(body, "senderName", IN_REQUIRED, 1, FIAT_NAME_MAX,
	    &t->sender_name, e) == -1 ||
	    in_string(body, "senderIban", IN_REQUIRED, 1, IBAN_INPUT_MAX, &iban,
	    e) == -1 ||
	    in_string(body, "description", IN_REQUIRED, 0, DESCRIPTION_MAX,
	    &t->description, e) == -1)
		return -1;
	if (!txid_valid(t->transaction_id))
		return fail(e, "transactionId", "1-64 of A-Z a-z 0-9 . _ : -");
	if ((rc = dec_parse(amount, strlen(amount), FIAT_SCALE, &t->amount)) !=
	    DEC_OK)
		return fail(e, "amount", rc == DEC_EPRECISION ?
		    "at most 2 decimals (TRY)" : dec_strerror(rc));
	if (t->amount <= 0)
		return fail(e, "amount", "must be above 0");
	if (dec_format(t->amount, FIAT_SCALE, t->amount_text,
	    sizeof(t->amount_text)) < 0)
		return fail(e, "amount", "out of range");
	if (strcmp(currency, "TRY") != 0)
		return fail(e, "currency", "the account takes TRY only");
	if (fiat_name_key(t->sender_name, strlen(t->sender_name), key,
	    sizeof(key)) < 0)
		return fail(e, "senderName", "not a name");
	if ((why = iban_parse(iban, strlen(iban), t->sender_iban)) != NULL)
		return fail(e, "senderIban", why);
	t->nrefs = fiat_ref_find(t->description, strlen(t->description),
	    t->reference);
	return 0;
}
