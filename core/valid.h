/* core/valid.h — the rules a value must meet: text, names, e-mail, phone, dates, identity numbers, countries, base64, amounts */
#ifndef HZM_VALID_H
#define HZM_VALID_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * Each check answers NULL when the value passes and otherwise why not,
 * in words fit for an error's details ("must be E.164, e.g. ..."). The
 * strings are static. Values reach them as valid UTF-8 without NUL: the
 * JSON reader (core/input.c) has seen to that and to their size.
 */

/*
 * A field's rule, as a field table names it (struct in_field's rule):
 * the value, the request's clock, and where to leave what was parsed
 * (an amount). Rules ignore what they do not need.
 */
typedef const char *(*valid_rule)(const char *s, time_t now, int64_t *num);

/*
 * Text shown to people (a display name, an address): minchars..maxchars
 * characters of valid UTF-8, no leading or trailing space, and nothing
 * that controls or hides: no C0 or C1 control character or DEL, no bidi
 * control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), no
 * invisible or format character (U+200B-U+200D, U+2060, U+FEFF, U+00AD,
 * variation selectors, tags ...), no space but U+0020 (nor U+2028/9), no
 * private-use or noncharacter.
 */
const char	*valid_text(const char *s, size_t len, size_t minchars,
		    size_t maxchars);
/* A person's name: valid_text's rules and, in ASCII, only letters, single spaces and - ' . */
const char	*valid_name(const char *s, size_t len, size_t minchars,
		    size_t maxchars);
/* Why valid_text refuses code point c, or NULL. */
const char	*valid_codepoint(uint32_t c);
/* local@domain in plain ASCII (see valid.c for what is left out). */
const char	*valid_email(const char *s);
/* Standard base64 (RFC 4648 §4), padded, nothing else: no whitespace, no URL alphabet. */
const char	*valid_base64(const char *s, size_t len);

/* YYYY-MM-DD, a real calendar date from 1900 on: 0, or -1. */
int		 valid_date(const char *s, int *y, int *m, int *d);
/*
 * A UTC time as the API writes it: YYYY-MM-DD, or that with
 * THH:MM:SS, optional .fff (1 to 6 digits), and Z: 1, else 0.
 */
int		 valid_iso_time(const char *s);
/* 18 or older at now (UTC): 1, else 0. */
int		 valid_adult(int y, int m, int d, time_t now);
/* T.C. Kimlik No: 11 digits, no leading zero, both check digits right: 1, else 0. */
int		 valid_tckn(const char *s);
/* An identity document's number for a national of nationality (ISO 3166-1). */
const char	*valid_id_number(const char *s, const char *nationality);

/* Rules for field tables. */
const char	*valid_phone(const char *s, time_t now, int64_t *num);	/* E.164 */
/* §1.4: X-Device-ID (1-128 of A-Za-z0-9._:-), X-Client-Version (1-32 of A-Za-z0-9._+-). */
const char	*valid_device_id(const char *s, time_t now, int64_t *num);
const char	*valid_client_version(const char *s, time_t now, int64_t *num);
/* A referral code as typed: 4 to 16 ASCII letters and digits, any case. */
const char	*valid_referral_code(const char *s, time_t now, int64_t *num);
/* An identity document's expiry: after today (UTC), at most 20 years ahead. */
const char	*valid_expiry_date(const char *s, time_t now, int64_t *num);
const char	*valid_country(const char *s, time_t now, int64_t *num);	/* ISO 3166-1 alpha-2 */
const char	*valid_birth_date(const char *s, time_t now, int64_t *num);	/* a date, and adult */
const char	*valid_image_type(const char *s, time_t now, int64_t *num);	/* JPEG, PNG */
const char	*valid_document_type(const char *s, time_t now, int64_t *num);	/* JPEG, PNG, PDF */
const char	*valid_try_amount(const char *s, time_t now, int64_t *num);	/* TRY, 2 decimals */
const char	*valid_ip_entry(const char *s, time_t now, int64_t *num);	/* no ',' or ' ' */
const char	*valid_try_positive(const char *s, time_t now, int64_t *num);	/* TRY above 0 */
const char	*valid_decimal(const char *s, time_t now, int64_t *num);	/* 12.34, no sign */
const char	*valid_network(const char *s, time_t now, int64_t *num);	/* [A-Z0-9]{2,10} */
const char	*valid_alnum(const char *s, time_t now, int64_t *num);	/* letters, digits */
const char	*valid_slug(const char *s, time_t now, int64_t *num);	/* [a-z][a-z0-9_]* */

/*
 * A public id as util_public_id writes it: prefix ("usr_") and 20
 * characters of lower-case base32. Checked before the database sees it.
 */
int		 valid_public_id(const char *s, const char *prefix);
/* A code of [A-Z0-9], min to max characters: assets, networks, symbols. */
int		 valid_code(const char *s, size_t min, size_t max);
/* A market symbol: 4 to 20 of [A-Z0-9] (BTCTRY). */
int		 valid_symbol(const char *s);

#endif
