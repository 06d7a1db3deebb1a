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
 * characters by valid_text's rules (core/valid.h). Strings over
 * IN_TEXT_MAXBYTES are refused before their characters are counted.
 */
#define IN_TEXT_MAXBYTES	4096
int	in_text(struct json_object *, const char *name, unsigned flags,
	    size_t minchars, size_t maxchars, const char **out, struct in_err *);
/* A person's name: 1..maxchars characters by valid_name's rules. */
int	in_name(struct json_object *, const char *name, unsigned flags,
	    size_t maxchars, const char **out, struct in_err *);

/* An e-mail address (valid_email), lower-cased into the arena-free buffer out. */
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
