/* domain/iban.h — International Bank Account Numbers: normalised, checked (ISO 13616 mod 97), Turkish ones by their own rules */
#ifndef HZM_IBAN_H
#define HZM_IBAN_H

#include <stddef.h>

#define IBAN_MAX	34	/* ISO 13616: two letters, two digits, up to 30 more */
#define IBAN_TR_LEN	26	/* TR, 2 check digits, 5-digit bank code, '0', 16 for the account */
#define IBAN_INPUT_MAX	64	/* what is read at all, spaces included */

/*
 * s (len bytes) as an IBAN: letters of either case, and single spaces
 * between characters (the printed form groups them by four), are
 * accepted; out receives the electronic form (upper case, no spaces).
 * Checked: the country is two letters, the check digits two digits, the
 * rest 11 to 30 letters or digits, and the whole passes mod 97 (the
 * remainder is 1). A TR IBAN must also be 26 characters long, with a
 * 5-digit bank code, a '0' and 16 letters or digits. Returns NULL when
 * s passes, else why not (a short English reason).
 */
const char	*iban_parse(const char *s, size_t len, char out[IBAN_MAX + 1]);
/* The same, and the IBAN must be Turkish (TR). */
const char	*iban_parse_tr(const char *s, size_t len, char out[IBAN_MAX + 1]);
/* The remainder mod 97 of an electronic-form IBAN (rearranged, letters as 10..35); -1 if a character is not A-Z or 0-9. */
int		 iban_mod97(const char *iban);
/* The printed form: groups of four separated by spaces ("TR33 0006 1005 ..."). */
void		 iban_print(const char *iban, char *out, size_t outsz);

#endif
