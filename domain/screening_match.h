/* domain/screening_match.h — names compared as screening compares them: Turkish letters folded, small edit distances tolerated */
#ifndef HZM_SCREENING_MATCH_H
#define HZM_SCREENING_MATCH_H

#include <stddef.h>

#define NAME_KEY_MAX	256

/*
 * A name's key: lower case, Turkish letters folded to ASCII (ı and İ to
 * i, ş s, ğ g, ç c, ö o, ü u; and â î û, the other Latin-1 accents),
 * anything not a letter or digit a separator, its words sorted and joined
 * by one space (so "YILMAZ, Ayşe" and "ayse yilmaz" are one key). Other
 * letters (Cyrillic, Arabic ...) are kept as UTF-8. Returns the key's
 * length, or -1 when the input is not valid UTF-8, has no letter, or the
 * key would pass NAME_KEY_MAX - 1 bytes.
 */
int	name_key(const char *name, size_t len, char key[NAME_KEY_MAX]);
/* Levenshtein distance between a and b in bytes, or max + 1 once past max. */
int	name_distance(const char *a, const char *b, int max);
/* The distance tolerated for a key of len bytes: 0 to 4, 1 to 8, 2 to 16, else 3. */
int	name_tolerance(size_t len);
/*
 * Whether keys a and b name the same person as screening counts it;
 * *distance is their distance when they do.
 */
int	name_match(const char *a, const char *b, int *distance);

#endif
