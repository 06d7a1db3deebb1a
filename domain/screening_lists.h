/* domain/screening_lists.h — the lists staff keep: PEP and sanctions entries imported from CSV, the registration blacklist */
#ifndef HZM_SCREENING_LISTS_H
#define HZM_SCREENING_LISTS_H

#include <stddef.h>

#include "core/err.h"

struct ctx;
struct json_object;

#define SCREENING_IMPORT_MAX	50000	/* rows in one import */

struct screening_import_in {
	const char	*list;		/* PEP or SANCTIONS */
	const char	*source;	/* the list's name, "OFAC SDN", 1..64 */
	const char	*csv;		/* header row, then entries */
	size_t		 csvlen;
	int		 replace;	/* first drop the entries of this list and source */
};

struct screening_import_out {
	char		 import_id[32];
	int		 entries;
	int		 replaced;
	/* ERR_INVALID_REQUEST: what is wrong, and on which line (0: none) */
	const char	*why;
	size_t		 line;
};

/*
 * Parse the CSV (core/csv.c): a header naming the columns, any order,
 * case-insensitive: name (required), birthDate (YYYY-MM-DD), nationality
 * (ISO 3166-1 alpha-2) and reference (up to 128 characters), optional and
 * empty allowed; no other column. Then store it in one transaction with
 * its audit row (SCREENING_LIST_IMPORT). ERR_INVALID_REQUEST with
 * out->why and out->line; nothing is stored then.
 */
enum err	screening_import(struct ctx *, const struct screening_import_in *,
		    struct screening_import_out *);
/* What is loaded: per list and source, the entries and the last import. */
enum err	screening_lists_json(struct ctx *, struct json_object **);

/* The registration blacklist. */
extern const char *const idblock_kinds[];	/* EMAIL, EMAIL_DOMAIN, PHONE */
/*
 * Add an entry (value lower-cased by the caller; checked for its kind
 * here: *why). ERR_CONFLICT: it is listed already. Audited.
 */
enum err	idblock_add(struct ctx *, const char *kind, const char *value,
		    const char *reason, struct json_object **entry,
		    const char **why);
/* The live entries, newest first. */
enum err	idblock_json(struct ctx *, struct json_object **);
/* Remove one (ERR_NOT_FOUND when unknown or removed already). Audited. */
enum err	idblock_remove(struct ctx *, const char *id, const char *reason);

#endif
