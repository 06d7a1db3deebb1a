/* domain/eth_units.c — Ethereum amounts exactly: hex quantities of base units (wei, token units) to and from decimal text, never through floats */
#include <string.h>

#include "core/util.h"
#include "domain/eth_units.h"

int
eth_units_dec(const char *hex, size_t hexlen, int decimals, char *out,
    size_t outsz)
{
	/* Decimal digits, least significant first: 256 bits need 78. */
	unsigned char d[80];
	size_t nd = 1, i, k, o = 0;
	unsigned carry;
	int v, intdigits;

	if (hexlen == 0 || hexlen > 64 || decimals < 0 || decimals > 30)
		return -1;
	memset(d, 0, sizeof(d));
	for (i = 0; i < hexlen; i++) {
		if ((v = util_hexval(hex[i])) < 0)
			return -1;
		carry = (unsigned)v;
		for (k = 0; k < nd; k++) {
			carry += d[k] * 16u;
			d[k] = (unsigned char)(carry % 10);
			carry /= 10;
		}
		while (carry > 0 && nd < sizeof(d)) {
			d[nd++] = (unsigned char)(carry % 10);
			carry /= 10;
		}
	}
	while (nd > 1 && d[nd - 1] == 0)
		nd--;
	intdigits = (int)nd > decimals ? (int)nd - decimals : 0;
	if (nd > ETH_UNITS_DIGITS || intdigits > ETH_UNITS_DIGITS - ETH_DECIMALS)
		return -1;
	/* Integer part, point, fraction without its trailing zeros. */
	if (intdigits == 0) {
		if (o + 1 >= outsz)
			return -1;
		out[o++] = '0';
	}
	for (k = nd; k-- > (size_t)decimals;) {
		if (o + 1 >= outsz)
			return -1;
		out[o++] = (char)('0' + d[k]);
	}
	for (i = 0; i < (size_t)decimals && d[i] == 0; i++)
		;
	if (i < (size_t)decimals) {
		if (o + 1 >= outsz)
			return -1;
		out[o++] = '.';
		for (k = (size_t)decimals; k-- > i;) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = (char)('0' + d[k]);
		}
	}
	out[o] = '\0';
	return 0;
}

/* Decimal text in base units, exactly: 0, or -1. */
static int
dec_to_u128(const char *s, int decimals, unsigned __int128 *v)
{
	unsigned __int128 n = 0, lim;
	int digits = 0, frac = -1;

	if (s == NULL || *s == '\0' || decimals < 0 || decimals > 30)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (frac >= 0 || digits == 0)
				return -1;
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		if (frac >= 0 && ++frac > decimals)
			return -1;
		if (++digits > ETH_UNITS_DIGITS)
			return -1;
		n = n * 10 + (unsigned)(*s - '0');
	}
	if (digits == 0 || frac == 0)
		return -1;
	for (frac = frac < 0 ? 0 : frac; frac < decimals; frac++) {
		if (n > ((unsigned __int128)~(unsigned __int128)0) / 10)
			return -1;
		n *= 10;
	}
	/* Below 10^38 base units, as eth_units_dec reads back. */
	lim = 1;
	for (frac = 0; frac < ETH_UNITS_DIGITS; frac++)
		lim *= 10;
	if (n >= lim)
		return -1;
	*v = n;
	return 0;
}

/* n in hex, width digits (0: no leading zeros), into out: its length. */
static size_t
u128_hex(unsigned __int128 n, size_t width, char *out)
{
	static const char hd[] = "0123456789abcdef";
	char tmp[64];
	size_t len = 0, i;

	do {
		tmp[len++] = hd[(unsigned)(n & 0xf)];
		n >>= 4;
	} while (n != 0);
	while (len < width)
		tmp[len++] = '0';
	for (i = 0; i < len; i++)
		out[i] = tmp[len - 1 - i];
	out[len] = '\0';
	return len;
}

int
eth_dec_units(const char *dec, int decimals, char out[ETH_QTY_MAX])
{
	unsigned __int128 n;

	if (dec_to_u128(dec, decimals, &n) == -1)
		return -1;
	out[0] = '0';
	out[1] = 'x';
	u128_hex(n, 0, out + 2);
	return 0;
}

int
eth_dec_word(const char *dec, int decimals, char out[65])
{
	unsigned __int128 n;

	if (dec_to_u128(dec, decimals, &n) == -1)
		return -1;
	u128_hex(n, 64, out);
	return 0;
}
