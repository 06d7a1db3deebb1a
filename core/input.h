/* core/input.h — a JSON body read against its declared fields: type, size and rule checked before a handler runs */
#ifndef HZM_INPUT_H
#define HZM_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/err.h"
#include "core/valid.h"

struct arena;
struct json_object;
struct resp;

/* Which field was wrong and why; becomes the error's details. */
struct in_err {
	const char	*field;
	const char	*reason;
};

#define IN_OPTIONAL	0x00
#define IN_REQUIRED	0x01
#define IN_DISTINCT	0x02	/* arrays of strings: no element twice */

/*
 * What a field holds. Every string is valid UTF-8 without NUL (the body
 * parser saw to that); absent and null are the same.
 */
enum in_type {
	IN_STRING,	/* min..max bytes, no control characters */
	IN_TEXT,	/* min..max characters by valid_text's rules (at most IN_TEXT_MAXBYTES) */
	IN_NAME,	/* min..max characters by valid_name's rules (the same ceiling) */
	IN_EMAIL,	/* 3..254 bytes by valid_email; the value lower-cased */
	IN_DIGITS,	/* min..max ASCII digits (at most 64 bytes) */
	IN_BASE64,	/* valid_base64, decoded to 1..max bytes */
	IN_OBJECT,	/* an object; with .fields, read against them */
	IN_ARRAY,	/* min..max elements, each as .fields[0] declares it */
	IN_BOOL,	/* true or false: num 1 or 0 */
	IN_ANY,		/* any value, judged by the handler (.o): a lenient field */
	IN_REFUSED,	/* must not be sent at all (.hint says why) */
};

#define IN_TEXT_MAXBYTES	4096

/*
 * One field of a body, in the spirit of kcgi's kvalid: a route's table
 * lists each field once, ends with { NULL }, and an enum gives each
 * entry's index, which is also where the handler finds its value:
 *
 *	enum { F_EMAIL, F_CODE };
 *	static const struct in_field verify_fields[] = {
 *		[F_EMAIL] = { "email", IN_EMAIL,  IN_REQUIRED },
 *		[F_CODE]  = { "code",  IN_DIGITS, IN_REQUIRED, 6, 6 },
 *		{ NULL }
 *	};
 *	... r->in[F_EMAIL].s
 */
struct in_field {
	const char		*name;
	enum in_type		 type;
	unsigned		 flags;		/* IN_REQUIRED, IN_DISTINCT */
	size_t			 min, max;	/* as the type says */
	valid_rule		 rule;		/* strings: a further rule (core/valid.h) */
	const char *const	*oneof;		/* strings: one of these, NULL-terminated */
	const struct in_field	*fields;	/* objects: their own table; arrays: the element */
	const char		*hint;		/* the one reason for a fault of this value itself */
	const char		*missing;	/* the reason when required and absent ("required") */
	const char		*repeat;	/* IN_DISTINCT: the reason for an element twice */
	enum err		 code;		/* answered for faults at or under it (INVALID_REQUEST) */
};

/* What a field held, checked. */
struct in_val {
	int			 set;	/* the member was sent, null included */
	const char		*s;	/* strings: the value (NULL: absent or null) */
	size_t			 len;	/* bytes of s; IN_BASE64: of bytes */
	unsigned char		*bytes;	/* IN_BASE64: decoded, the request's (to wipe) */
	int64_t			 num;	/* oneof: the index; IN_BOOL: 1 or 0; else what the rule parsed */
	struct json_object	*o;	/* the value as sent (objects, arrays) */
	struct in_val		*sub;	/* objects: by field; arrays: by element */
	size_t			 n;	/* arrays: elements */
};

/*
 * Read body (NULL: no body) against fields: fields of IN_REFUSED first,
 * then members the table does not know ("unknown field"), then each field
 * in the table's order, each wholly (presence, type, size, oneof, rule),
 * objects depth first. ERR_OK with *vals, one per field, in arena a; or
 * the code to answer with and *e naming the first fault (a.b.c inside
 * objects). now is the request's clock, for rules that need one.
 */
enum err in_read(struct arena *a, struct json_object *body,
	    const struct in_field *fields, time_t now, struct in_val **vals,
	    struct in_err *e);

/*
 * For a body a service reads itself after checks of its own (the order
 * service's, the bank's callback after its signature, a bot's
 * configuration with its nested parameters): one string
 * field of minlen..maxlen bytes, as IN_STRING reads it. Absent and
 * optional: *out = NULL, success. Returns 0 or -1 with *e filled.
 */
int	in_string(struct json_object *, const char *name, unsigned flags,
	    size_t minlen, size_t maxlen, const char **out, struct in_err *);
/* The same for one text field (IN_TEXT's rules, minchars..maxchars). */
int	in_text(struct json_object *, const char *name, unsigned flags,
	    size_t minchars, size_t maxchars, const char **out, struct in_err *);
/* The same for a boolean (absent and optional: *out = 0). */
int	in_bool(struct json_object *, const char *name, unsigned flags,
	    int *out, struct in_err *);
/* Refuse members that are not in the list (NULL-terminated). */
int	in_only(struct json_object *, const char *const *names, struct in_err *);
/*
 * Members spelt in snake_case (ema_period) whose camelCase spelling
 * (emaPeriod) is in names renamed to it, for bodies written from the
 * seeds' models; both spellings at once are refused. At most
 * IN_CAMEL_MAX of them.
 */
#define IN_CAMEL_MAX	16
int	in_camel(struct json_object *, const char *const *names, struct in_err *);

/* 400 INVALID_REQUEST with details {field, reason}. */
int	resp_invalid(struct resp *, const struct in_err *);
/* The same with another code (e.g. KYC_004). */
int	resp_invalid_code(struct resp *, enum err, const struct in_err *);

#endif
