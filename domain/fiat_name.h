/* domain/fiat_name.h — people's names compared as banks write them: Turkish-aware case and diacritics folding, words in any order */
#ifndef HZM_FIAT_NAME_H
#define HZM_FIAT_NAME_H

#include <stddef.h>

#define FIAT_NAME_MAX		256	/* bytes of a name read */
#define FIAT_NAME_WORDS		16

/*
 * A name's comparison key, into out: what is left when
 *  - letters are folded to lower-case ASCII the Turkish way (I and ı
 *    are i, İ and i are i: banks write ASCII capitals, so "Işık",
 *    "IŞIK", "ISIK" and "işık" are one name) and lose their diacritics
 *    (ç c, ğ g, ö o, ş s, ü u, â a, î i, û u, and the other letters of
 *    Latin-1 and Latin Extended-A: é e, ß ss, æ ae, ø o, ł l ...);
 *    combining marks (U+0300-U+036F, a decomposed "s" + cedilla) go;
 *  - apostrophes (' ’ ʼ) and dots are removed ("O'Neil" is "oneil");
 *  - spaces, hyphens and commas separate words;
 *  - the words are sorted, and joined by single spaces: banks may put
 *    the surname first ("YILMAZ AYSE").
 * Any other character (a letter of another script, a digit) is kept as
 * it is. Returns the key's length, or -1: not UTF-8, a control character,
 * longer than FIAT_NAME_MAX bytes, more than FIAT_NAME_WORDS words, or
 * nothing left. outsz of FIAT_NAME_MAX * 2 + 1 always suffices.
 */
int	fiat_name_key(const char *name, size_t len, char *out, size_t outsz);

/*
 * Whether two names are the same person's as far as a bank transfer can
 * tell: their keys are equal. 1 yes, 0 no (or either is not a name).
 */
int	fiat_name_match(const char *a, size_t alen, const char *b, size_t blen);

#endif
