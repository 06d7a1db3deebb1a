/* core/valid.c — the rules a value must meet: text, names, e-mail, phone, dates, identity numbers, countries, base64, amounts */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/decimal.h"
#include "core/util.h"
#include "core/valid.h"

#define ADULT_AGE	18
#define AMOUNT_SCALE	2	/* TRY */

/*
 * What text shown to people must not carry: characters that control a
 * terminal or a layout, or that cannot be seen. A bidi override makes
 * "Ali\u202Ekcab" show as "Alibcak"; a zero-width space makes two names
 * that look the same differ; U+2028 ends a line in JavaScript. From the
 * Unicode 15 character database: Cc, Cf, Zl, Zp, Zs other than U+0020,
 * Co, Cs, the noncharacters, and Default_Ignorable_Code_Point (which adds
 * the Hangul fillers, variation selectors and the grapheme joiner).
 */
struct cp_range {
	uint32_t	 lo, hi;
	const char	*why;
};

#define WHY_CTRL	"must not contain control characters"
#define WHY_BIDI	"must not contain bidirectional control characters"
#define WHY_INVIS	"must not contain invisible or formatting characters"
#define WHY_SPACE	"must not contain spaces other than U+0020"
#define WHY_PRIVATE	"must not contain private-use or noncharacters"

static const struct cp_range refused[] = {
	{ 0x0000, 0x001f, WHY_CTRL },		/* C0 */
	{ 0x007f, 0x009f, WHY_CTRL },		/* DEL, C1 */
	{ 0x00a0, 0x00a0, WHY_SPACE },		/* no-break space */
	{ 0x00ad, 0x00ad, WHY_INVIS },		/* soft hyphen */
	{ 0x034f, 0x034f, WHY_INVIS },		/* combining grapheme joiner */
	{ 0x0600, 0x0605, WHY_INVIS },		/* Arabic number signs */
	{ 0x061c, 0x061c, WHY_BIDI },		/* Arabic letter mark */
	{ 0x06dd, 0x06dd, WHY_INVIS },
	{ 0x070f, 0x070f, WHY_INVIS },
	{ 0x0890, 0x0891, WHY_INVIS },
	{ 0x08e2, 0x08e2, WHY_INVIS },
	{ 0x115f, 0x1160, WHY_INVIS },		/* Hangul fillers */
	{ 0x1680, 0x1680, WHY_SPACE },
	{ 0x17b4, 0x17b5, WHY_INVIS },
	{ 0x180b, 0x180f, WHY_INVIS },		/* Mongolian selectors */
	{ 0x2000, 0x200a, WHY_SPACE },
	{ 0x200b, 0x200d, WHY_INVIS },		/* zero width space, (non-)joiner */
	{ 0x200e, 0x200f, WHY_BIDI },		/* LRM, RLM */
	{ 0x2028, 0x2029, WHY_SPACE },		/* line, paragraph separators */
	{ 0x202a, 0x202e, WHY_BIDI },		/* LRE RLE PDF LRO RLO */
	{ 0x202f, 0x202f, WHY_SPACE },
	{ 0x205f, 0x205f, WHY_SPACE },
	{ 0x2060, 0x2065, WHY_INVIS },		/* word joiner, invisible operators */
	{ 0x2066, 0x2069, WHY_BIDI },		/* LRI RLI FSI PDI */
	{ 0x206a, 0x206f, WHY_INVIS },
	{ 0x3000, 0x3000, WHY_SPACE },
	{ 0x3164, 0x3164, WHY_INVIS },		/* Hangul filler */
	{ 0xd800, 0xdfff, WHY_PRIVATE },	/* surrogates */
	{ 0xe000, 0xf8ff, WHY_PRIVATE },
	{ 0xfdd0, 0xfdef, WHY_PRIVATE },
	{ 0xfe00, 0xfe0f, WHY_INVIS },		/* variation selectors */
	{ 0xfeff, 0xfeff, WHY_INVIS },		/* byte order mark */
	{ 0xffa0, 0xffa0, WHY_INVIS },
	{ 0xfff0, 0xfffb, WHY_INVIS },		/* interlinear annotation */
	{ 0xfffe, 0xffff, WHY_PRIVATE },
	{ 0x110bd, 0x110bd, WHY_INVIS },
	{ 0x110cd, 0x110cd, WHY_INVIS },
	{ 0x13430, 0x1343f, WHY_INVIS },	/* Egyptian format controls */
	{ 0x1bca0, 0x1bca3, WHY_INVIS },
	{ 0x1d173, 0x1d17a, WHY_INVIS },
	{ 0x1fffe, 0x1ffff, WHY_PRIVATE },
	{ 0x2fffe, 0x2ffff, WHY_PRIVATE },
	{ 0x3fffe, 0x3ffff, WHY_PRIVATE },
	{ 0x4fffe, 0x4ffff, WHY_PRIVATE },
	{ 0x5fffe, 0x5ffff, WHY_PRIVATE },
	{ 0x6fffe, 0x6ffff, WHY_PRIVATE },
	{ 0x7fffe, 0x7ffff, WHY_PRIVATE },
	{ 0x8fffe, 0x8ffff, WHY_PRIVATE },
	{ 0x9fffe, 0x9ffff, WHY_PRIVATE },
	{ 0xafffe, 0xaffff, WHY_PRIVATE },
	{ 0xbfffe, 0xbffff, WHY_PRIVATE },
	{ 0xcfffe, 0xcffff, WHY_PRIVATE },
	{ 0xdfffe, 0xdffff, WHY_PRIVATE },
	{ 0xe0000, 0xe0fff, WHY_INVIS },	/* tags, variation selectors */
	{ 0xefffe, 0x10ffff, WHY_PRIVATE },	/* planes 15 and 16 */
};

const char *
valid_codepoint(uint32_t c)
{
	size_t lo = 0, hi = sizeof(refused) / sizeof(refused[0]), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c < refused[mid].lo)
			hi = mid;
		else if (c > refused[mid].hi)
			lo = mid + 1;
		else
			return refused[mid].why;
	}
	return NULL;
}

/* The code point at s (valid UTF-8), and its length in *n. */
static uint32_t
utf8_next(const unsigned char *s, size_t *n)
{
	if (s[0] < 0x80) {
		*n = 1;
		return s[0];
	}
	if (s[0] < 0xe0) {
		*n = 2;
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	}
	if (s[0] < 0xf0) {
		*n = 3;
		return (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	}
	*n = 4;
	return (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
}

const char *
valid_text(const char *s, size_t len, size_t minchars, size_t maxchars)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *why;
	size_t i, n, chars = 0;

	if (!util_utf8_valid(s, len))
		return "must be valid UTF-8";
	for (i = 0; i < len; i += n, chars++)
		if ((why = valid_codepoint(utf8_next(p + i, &n))) != NULL)
			return why;
	if (chars < minchars)
		return chars == 0 ? "must not be empty" : "too short";
	if (chars > maxchars)
		return "too long";
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		return "no leading or trailing spaces";
	return NULL;
}

const char *
valid_name(const char *s, size_t len, size_t minchars, size_t maxchars)
{
	const char *why;
	size_t i;
	int letter = 0;

	if ((why = valid_text(s, len, minchars, maxchars)) != NULL)
		return why;
	/*
	 * Beyond ASCII, any script's letters: the text rule above has taken
	 * out what is invisible or controlling. In ASCII, letters and the
	 * marks real names carry; no digits, no markup.
	 */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			letter = 1;
		else if (c == ' ' && i + 1 < len && s[i + 1] == ' ')
			return "no two spaces in a row";
		else if (c != ' ' && c != '-' && c != '\'' && c != '.')
			return "letters, spaces, '-', ''' and '.' only";
	}
	return letter ? NULL : "must contain a letter";
}

/*
 * Deliberately plain: local@domain, ASCII, one '@', a dot in the domain,
 * no spaces or quotes. What RFC 5321 allows beyond that is not worth the
 * ambiguity in an exchange's account identifier.
 */
const char *
valid_email(const char *s)
{
	const char *at, *p;
	size_t len = strlen(s);

	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL ||
	    at == s || at - s > 64 || strchr(at, '.') == NULL ||
	    at[1] == '.' || len == 0 || s[len - 1] == '.')
		return "not an e-mail address";
	for (p = s; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr("@.-_+", *p) == NULL)
			return "not an e-mail address";
	return NULL;
}

static int
b64_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/*
 * EVP_DecodeBlock would skip surrounding whitespace and count padding as
 * zero bytes, so the form is checked here before anything decodes it.
 */
const char *
valid_base64(const char *s, size_t n)
{
	size_t i, pad = 0;

	if (n == 0 || n % 4 != 0)
		goto bad;
	if (s[n - 1] == '=')
		pad = s[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n - pad; i++)
		if (!b64_char((unsigned char)s[i]))
			goto bad;
	return NULL;
bad:
	return "not valid base64 (RFC 4648, padded, no whitespace)";
}

int
valid_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1900 || *m < 1 || *m > 12 || *d < 1)
		return -1;
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return *d <= mdays[*m - 1] + (*m == 2 && leap) ? 0 : -1;
}

int
valid_iso_time(const char *s)
{
	char day[11];
	int y, m, d, i;
	size_t n = strlen(s);

	if (n < 10)
		return 0;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (valid_date(day, &y, &m, &d) == -1)
		return 0;
	if (n == 10)
		return 1;
	/* THH:MM:SS at 10..18 */
	if (n < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[n - 1] != 'Z')
		return 0;
	for (i = 11; i < 19; i++)
		if (i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return 0;
	if ((s[11] - '0') * 10 + (s[12] - '0') > 23 ||
	    (s[14] - '0') * 10 + (s[15] - '0') > 59 ||
	    (s[17] - '0') * 10 + (s[18] - '0') > 59)
		return 0;
	if (n == 20)
		return 1;
	if (s[19] != '.' || n < 22 || n > 27)
		return 0;
	for (i = 20; i < (int)n - 1; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Adult on the 18th birthday (UTC); born on 29 February, on 1 March in
 * years without one.
 */
int
valid_adult(int y, int m, int d, time_t now)
{
	struct tm t;
	int ty, tmon, tday;

	gmtime_r(&now, &t);
	ty = t.tm_year + 1900;
	tmon = t.tm_mon + 1;
	tday = t.tm_mday;
	y += ADULT_AGE;
	return y < ty || (y == ty && (m < tmon || (m == tmon && d <= tday)));
}

int
valid_tckn(const char *s)
{
	int dg[11], i, odd = 0, even = 0, sum = 0;

	if (strlen(s) != 11 || s[0] == '0')
		return 0;
	for (i = 0; i < 11; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		dg[i] = s[i] - '0';
	}
	for (i = 0; i < 9; i += 2)
		odd += dg[i];
	for (i = 1; i < 8; i += 2)
		even += dg[i];
	for (i = 0; i < 10; i++)
		sum += dg[i];
	return ((odd * 7 - even) % 10 + 10) % 10 == dg[9] && sum % 10 == dg[10];
}

/*
 * A Turkish national's is the T.C. Kimlik No, check digits and all;
 * other documents (passport numbers) are 5-20 letters and digits.
 */
const char *
valid_id_number(const char *s, const char *nationality)
{
	size_t i, n = strlen(s);

	if (strcmp(nationality, "TR") == 0)
		return valid_tckn(s) ? NULL : "not a valid T.C. Kimlik No";
	if (n < 5 || n > 20)
		return "5-20 letters and digits";
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z')))
			return "5-20 letters and digits";
	return NULL;
}

/*
 * §1.4's client headers: X-Device-ID (an opaque id the app keeps, a UUID
 * say: 1 to 128 of A-Z a-z 0-9 . _ : -) and X-Client-Version (1 to 32 of
 * A-Z a-z 0-9 . _ + -, "2.4.1" or "ios-2.4.1+build7").
 */
static const char *
valid_token_chars(const char *s, size_t max, const char *extra,
    const char *why)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr(extra, s[i]) != NULL))
			return why;
	return i == 0 || i > max ? why : NULL;
}

const char *
valid_device_id(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	return valid_token_chars(s, 128, "._:-",
	    "1 to 128 characters of A-Z a-z 0-9 . _ : -");
}

const char *
valid_client_version(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	return valid_token_chars(s, 32, "._+-",
	    "1 to 32 characters of A-Z a-z 0-9 . _ + -");
}

/*
 * A referral code as people type it: 4 to 16 ASCII letters and digits,
 * any case (codes are issued upper-case: the lookup upper-cases).
 */
const char *
valid_referral_code(const char *s, time_t now, int64_t *num)
{
	size_t i;

	(void)now;
	(void)num;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			return "letters and digits only";
	if (i < 4 || i > 16)
		return "4 to 16 letters and digits";
	return NULL;
}

/* E.164 as the schema holds it: '+', no leading zero, 7 to 15 digits. */
const char *
valid_phone(const char *s, time_t now, int64_t *num)
{
	size_t i;

	(void)now;
	(void)num;
	if (s[0] != '+' || s[1] < '1' || s[1] > '9')
		goto bad;
	for (i = 1; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			goto bad;
	if (i - 1 >= 7 && i - 1 <= 15)
		return NULL;
bad:
	return "must be E.164, e.g. +905551234567";
}

/* ISO 3166-1 alpha-2, the officially assigned codes. */
static const char countries[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH "
    "BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL "
    "CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET "
    "FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU "
    "GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE "
    "KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC "
    "MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC "
    "NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT "
    "PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR "
    "SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA "
    "UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

const char *
valid_country(const char *s, time_t now, int64_t *num)
{
	size_t i;

	(void)now;
	(void)num;
	/* Entries are "XX " apart; the last one has no space after it. */
	if (strlen(s) == 2)
		for (i = 0; i + 2 <= sizeof(countries) - 1; i += 3)
			if (countries[i] == s[0] && countries[i + 1] == s[1])
				return NULL;
	return "must be an ISO 3166-1 alpha-2 code, e.g. TR";
}

const char *
valid_birth_date(const char *s, time_t now, int64_t *num)
{
	int y, m, d;

	(void)num;
	if (valid_date(s, &y, &m, &d) == -1)
		return "must be a date YYYY-MM-DD from 1900 on";
	if (!valid_adult(y, m, d, now))
		return "must be at least 18 years old";
	return NULL;
}

/*
 * An identity document's expiry date: a real date after today (UTC) and
 * at most 20 years ahead (no document is valid longer). An expired one
 * cannot identify anybody.
 */
const char *
valid_expiry_date(const char *s, time_t now, int64_t *num)
{
	struct tm t;
	int y, m, d, ty, key, today;

	(void)num;
	if (valid_date(s, &y, &m, &d) == -1)
		return "must be a date YYYY-MM-DD";
	gmtime_r(&now, &t);
	ty = t.tm_year + 1900;
	key = y * 10000 + m * 100 + d;
	today = ty * 10000 + (t.tm_mon + 1) * 100 + t.tm_mday;
	if (key <= today)
		return "the document has expired";
	if (key > (ty + 20) * 10000 + 1231)
		return "more than 20 years ahead";
	return NULL;
}

/* A photograph. */
const char *
valid_image_type(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	if (strcmp(s, "image/jpeg") == 0 || strcmp(s, "image/png") == 0)
		return NULL;
	return "must be image/jpeg or image/png";
}

/* A scan of a document: a photograph or a PDF. */
const char *
valid_document_type(const char *s, time_t now, int64_t *num)
{
	if (valid_image_type(s, now, num) == NULL ||
	    strcmp(s, "application/pdf") == 0)
		return NULL;
	return "must be image/jpeg, image/png or application/pdf";
}

/* An amount of TRY, not negative, at most 2 decimals: *num at scale 2. */
const char *
valid_try_amount(const char *s, time_t now, int64_t *num)
{
	int64_t v;

	(void)now;
	switch (dec_parse(s, strlen(s), AMOUNT_SCALE, &v)) {
	case DEC_OK:
		*num = v;
		return NULL;
	case DEC_EPRECISION:
		return "at most 2 decimals";
	case DEC_ESIGN:
		return "must not be negative";
	case DEC_ERANGE:
		return "too large";
	default:
		return "must be a decimal string such as \"100000.00\"";
	}
}

/*
 * An IP address or CIDR range, as far as it is told before PostgreSQL's
 * cidr parser decides: lists of them travel joined by ','.
 */
const char *
valid_ip_entry(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	return strpbrk(s, ", ") != NULL ? "not an IP address or CIDR range" :
	    NULL;
}

/*
 * An amount of TRY that moves money (a deposit, a withdrawal): above 0,
 * at most 2 decimals; *num at scale 2.
 */
const char *
valid_try_positive(const char *s, time_t now, int64_t *num)
{
	int64_t v;
	int rc;

	(void)now;
	if ((rc = dec_parse(s, strlen(s), AMOUNT_SCALE, &v)) != DEC_OK)
		return rc == DEC_EPRECISION ? "at most 2 decimals (TRY)" :
		    dec_strerror(rc);
	if (v <= 0)
		return "must be above 0";
	*num = v;
	return NULL;
}

/*
 * (0|[1-9][0-9]*)(\.[0-9]+)?: dec_parse's form without a sign, for an
 * amount whose scale is the asset's, judged later.
 */
const char *
valid_decimal(const char *s, time_t now, int64_t *num)
{
	size_t i = 0;

	(void)now;
	(void)num;
	if (s[0] == '0')
		i = 1;
	else
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	if (i == 0)
		goto bad;
	if (s[i] == '.') {
		if (!(s[++i] >= '0' && s[i] <= '9'))
			goto bad;
		while (s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (s[i] == '\0')
		return NULL;
bad:
	return "a decimal string such as \"0.05\"";
}

/* A network's code as the networks table spells it. */
const char *
valid_network(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	return valid_code(s, 2, 10) ? NULL : "a network code such as BTC";
}

/* ASCII letters and digits only (a memo, a tag, another service's API key). */
const char *
valid_alnum(const char *s, time_t now, int64_t *num)
{
	size_t i;

	(void)now;
	(void)num;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z')))
			return "letters and digits";
	return NULL;
}

/* A name a program chose, such as "kyc_doc": a lower-case letter, then [a-z0-9_]. */
const char *
valid_slug(const char *s, time_t now, int64_t *num)
{
	(void)now;
	(void)num;
	if (s[0] < 'a' || s[0] > 'z' ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(s))
		return "a lower-case name such as kyc_doc";
	return NULL;
}

int
valid_public_id(const char *s, const char *prefix)
{
	size_t i, n = strlen(prefix);

	if (s == NULL || strncmp(s, prefix, n) != 0 || strlen(s) != n + 20)
		return 0;
	for (i = n; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' && s[i] <= '7')))
			return 0;
	return 1;
}

int
valid_symbol(const char *s)
{
	return valid_code(s, 4, 20);
}

int
valid_code(const char *s, size_t min, size_t max)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return i >= min && i <= max;
}
