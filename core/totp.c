/* core/totp.c — RFC 6238 one-time codes through liboath: secrets, otpauth URIs, checks */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>

#include "core/log.h"
#include "core/totp.h"
#include "core/util.h"

#define TOTP_STEP	30
#define TOTP_DIGITS	6
#define TOTP_WINDOW	1	/* steps either side: clocks drift, people type slowly */
#define TOTP_B32MAX	128	/* base32 characters we accept in a stored seed */

/* Once per process; handlers are single-threaded. */
static int
totp_init(void)
{
	static int done;
	int rc;

	if (done)
		return 0;
	if ((rc = oath_init()) != OATH_OK) {
		log_error("totp: oath_init: %s", oath_strerror(rc));
		return -1;
	}
	done = 1;
	return 0;
}

/*
 * The raw secret from its base32 form. liboath would also take lower case
 * and spaces; a seed is ours, written by totp_secret_new, so anything but
 * [A-Z2-7] is refused and a seed has exactly one spelling.
 */
static int
secret_decode(const char *b32, char **raw, size_t *rawlen)
{
	size_t n, i;

	*raw = NULL;
	*rawlen = 0;
	if (b32 == NULL || (n = strnlen(b32, TOTP_B32MAX + 1)) == 0 ||
	    n > TOTP_B32MAX)
		return -1;
	for (i = 0; i < n; i++)
		if (!((b32[i] >= 'A' && b32[i] <= 'Z') ||
		    (b32[i] >= '2' && b32[i] <= '7')))
			return -1;
	if (totp_init() == -1 ||
	    oath_base32_decode(b32, n, raw, rawlen) != OATH_OK)
		goto fail;
	if (*raw == NULL || *rawlen == 0)
		goto fail;
	return 0;
fail:
	free(*raw);
	*raw = NULL;
	*rawlen = 0;
	return -1;
}

static void
secret_free(char *raw, size_t rawlen)
{
	if (raw != NULL) {
		explicit_bzero(raw, rawlen);
		free(raw);
	}
}

int
totp_secret_new(char b32[TOTP_B32LEN])
{
	unsigned char raw[TOTP_SECRET_BYTES];
	char *enc = NULL;
	size_t enclen = 0, n;
	int rc = -1;

	if (totp_init() == -1 || util_random(raw, sizeof(raw)) == -1)
		goto out;
	if (oath_base32_encode((const char *)raw, sizeof(raw), &enc,
	    &enclen) != OATH_OK || enc == NULL)
		goto out;
	/* 20 bytes are 32 characters exactly; strip '=' all the same. */
	for (n = enclen; n > 0 && enc[n - 1] == '='; n--)
		;
	if (n != TOTP_B32LEN - 1)
		goto out;
	memcpy(b32, enc, n);
	b32[n] = '\0';
	rc = 0;
out:
	explicit_bzero(raw, sizeof(raw));
	secret_free(enc, enclen);
	return rc;
}

/* Writes into a fixed buffer; an overflow is remembered, not performed. */
struct ubuf {
	char	*p;
	size_t	 sz, len;
	int	 overflow;
};

static void
ubuf_add(struct ubuf *b, const char *s, size_t n)
{
	if (b->overflow || n >= b->sz - b->len) {
		b->overflow = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
ubuf_str(struct ubuf *b, const char *s)
{
	ubuf_add(b, s, strlen(s));
}

/* RFC 3986: all but the unreserved characters as %XX, ':' and '@' too. */
static void
ubuf_pct(struct ubuf *b, const char *s)
{
	static const char hx[] = "0123456789ABCDEF";
	const unsigned char *p;
	char e[3];

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			ubuf_add(b, (const char *)p, 1);
			continue;
		}
		e[0] = '%';
		e[1] = hx[*p >> 4];
		e[2] = hx[*p & 15];
		ubuf_add(b, e, sizeof(e));
	}
}

int
totp_uri(const char *b32, const char *issuer, const char *account, char *out,
    size_t outsz)
{
	struct ubuf b = { out, outsz, 0, 0 };
	char *raw;
	size_t rawlen;

	if (out == NULL || outsz == 0 || issuer == NULL || *issuer == '\0' ||
	    account == NULL || *account == '\0')
		return -1;
	if (secret_decode(b32, &raw, &rawlen) == -1)
		return -1;
	secret_free(raw, rawlen);

	out[0] = '\0';
	ubuf_str(&b, "otpauth://totp/");
	ubuf_pct(&b, issuer);
	ubuf_str(&b, ":");
	ubuf_pct(&b, account);
	ubuf_str(&b, "?secret=");
	ubuf_str(&b, b32);
	ubuf_str(&b, "&issuer=");
	ubuf_pct(&b, issuer);
	ubuf_str(&b, "&algorithm=SHA1&digits=6&period=30");
	if (b.overflow) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* Exactly six ASCII digits: no sign, no space, nothing after. */
static int
code_valid(const char *code)
{
	int i;

	for (i = 0; i < TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	return code[TOTP_DIGITS] == '\0';
}

/* liboath's strcmp callback, without a timing difference per digit. */
static int
code_cmp(void *handle, const char *test_otp)
{
	const char *code = handle;
	unsigned diff = 0;
	int i;

	for (i = 0; i < TOTP_DIGITS; i++)
		diff |= (unsigned char)(code[i] ^ test_otp[i]);
	return diff != 0;
}

long long
totp_verify(const char *b32, const char *code, time_t now)
{
	char *raw = NULL;
	size_t rawlen = 0;
	uint64_t counter;
	long long step = -1;
	int pos = 0;

	/*
	 * The length is checked here: oath_totp_validate takes the number
	 * of digits from strlen(otp), so it would take 7 or 8 as well.
	 */
	if (code == NULL || !code_valid(code) || now < 0)
		return -1;
	if (secret_decode(b32, &raw, &rawlen) == -1)
		return -1;
	if (oath_totp_validate3_callback(raw, rawlen, now, TOTP_STEP, 0,
	    TOTP_DIGITS, TOTP_WINDOW, &pos, &counter, code_cmp,
	    (void *)(uintptr_t)code) < 0)
		goto out;
	/*
	 * pos is the offset in the window, -1..1. In the first step of the
	 * epoch liboath's "one step back" wraps around to 2^64 - 1: a match
	 * there is no step at all.
	 */
	step = (long long)(now / TOTP_STEP) + pos;
	if (step < 0)
		step = -1;
out:
	secret_free(raw, rawlen);
	return step;
}

int
totp_code(const char *b32, time_t t, char out[7])
{
	char *raw;
	size_t rawlen;
	int rc;

	if (t < 0 || secret_decode(b32, &raw, &rawlen) == -1)
		return -1;
	rc = oath_totp_generate(raw, rawlen, t, TOTP_STEP, 0, TOTP_DIGITS,
	    out) == OATH_OK ? 0 : -1;
	secret_free(raw, rawlen);
	return rc;
}
