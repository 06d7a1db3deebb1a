/* core/input.h — reading declared fields from a JSON body: type, size and shape checked before use */
#ifndef HZM_INPUT_H
#define HZM_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct json_object;
struct resp;

/* Which field was wrong and why; becomes the error's details. */
struct in_err {
	const char	*field;
	const char	*reason;
};

#define IN_REQUIRED	0x01
#define IN_OPTIONAL	0x00

/*
 * A string field of minlen..maxlen bytes, valid UTF-8 without control
 * characters. Absent and optional: *out = NULL, success. Returns 0 or -1
 * with *e filled.
 */
int	in_string(struct json_object *, const char *name, unsigned flags,
	    size_t minlen, size_t maxlen, const char **out, struct in_err *);
/*
 * Text shown to people (a display name, an address): minchars..maxchars
 * characters of valid UTF-8, no leading or trailing space, and nothing
 * that controls or hides: no C0 or C1 control character or DEL, no bidi
 * control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), no
 * invisible or format character (U+200B-U+200D, U+2060, U+FEFF, U+00AD,
 * variation selectors, tags ...), no space but U+0020 (nor U+2028/9), no
 * private-use or noncharacter. Strings over IN_TEXT_MAXBYTES are refused
 * before their characters are counted.
 */
#define IN_TEXT_MAXBYTES	4096
int	in_text(struct json_object *, const char *name, unsigned flags,
	    size_t minchars, size_t maxchars, const char **out, struct in_err *);
/*
 * A person's name: in_text's rules, 1..maxchars characters, and in ASCII
 * only letters, single spaces and - ' . (letters of other scripts pass).
 */
int	in_name(struct json_object *, const char *name, unsigned flags,
	    size_t maxchars, const char **out, struct in_err *);
/* The same rules on len bytes: NULL if s passes, else why not. */
const char *in_text_check(const char *s, size_t len, size_t minchars,
	    size_t maxchars);
const char *in_name_check(const char *s, size_t len, size_t maxchars);
/* Why in_text refuses code point c, or NULL. */
const char *in_cp_refused(uint32_t c);

/* An e-mail address, lower-cased into the arena-free buffer out. */
int	in_email(struct json_object *, const char *name, char *out, size_t outsz,
	    struct in_err *);
/* Exactly n ASCII digits (codes). */
int	in_digits(struct json_object *, const char *name, unsigned flags,
	    size_t n, const char **out, struct in_err *);
int	in_bool(struct json_object *, const char *name, unsigned flags,
	    int *out, struct in_err *);
/* A JSON object field. */
int	in_object(struct json_object *, const char *name, unsigned flags,
	    struct json_object **out, struct in_err *);
/* Refuse fields that are not in the list (NULL-terminated). */
int	in_only(struct json_object *, const char *const *names, struct in_err *);

/* 400 INVALID_REQUEST with details {field, reason}. */
int	resp_invalid(struct resp *, const struct in_err *);
/* The same with another code (e.g. KYC_004). */
int	resp_invalid_code(struct resp *, enum err, const struct in_err *);

#endif
