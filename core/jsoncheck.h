/* core/jsoncheck.h — strict RFC 8259 checking of a body before json-c parses it: syntax, depth, duplicate members */
#ifndef HZM_JSONCHECK_H
#define HZM_JSONCHECK_H

#include <stddef.h>

/* What json_strict_check answers when it could not run, or found a key twice. */
extern const char json_check_nomem[];
extern const char json_check_dup[];

/*
 * NULL when text (len bytes) is one RFC 8259 JSON value at most maxdepth
 * deep whose objects name each member once, else what is wrong. For a
 * duplicate key (json_check_dup), path (pathsz bytes) says where: "a.b[2].c".
 */
const char	*json_strict_check(const char *text, size_t len, int maxdepth,
		    char *path, size_t pathsz);

#endif
