/* domain/fiat_ref.h — deposit reference codes: ISO 11649 creditor references (RF, mod-97 check digits) made, checked, found in a transfer's description */
#ifndef HZM_FIAT_REF_H
#define HZM_FIAT_REF_H

#include <stddef.h>

/*
 * A reference is "RF", two check digits, "HZM" and FIAT_REF_RANDOM
 * random digits: RF38HZM482910573316, 19 characters. Digits only, so no
 * character is mistaken for another and ISO 7064 mod 97-10 (ISO 11649's
 * check, an IBAN's too) catches every wrong character and every swap of
 * two neighbours: a mistyped reference is never another valid one.
 */
#define FIAT_REF_PREFIX		"HZM"
#define FIAT_REF_RANDOM		12
#define FIAT_REF_LEN		(2 + 2 + 3 + FIAT_REF_RANDOM)
/* How much of a description is read for a reference. */
#define FIAT_REF_TEXT_MAX	1024

/* A new reference from FIAT_REF_RANDOM random characters: 0 or -1. */
int	 fiat_ref_new(char out[FIAT_REF_LEN + 1]);
/* The reference for body ("HZM" + random part): its check digits added. */
int	 fiat_ref_make(const char *body, char out[FIAT_REF_LEN + 1]);
/* Whether s is a reference in its electronic form (upper case, no spaces). */
int	 fiat_ref_valid(const char *s);
/* The printed form, groups of four: "RF38 HZM4 8291 0573 316". */
void	 fiat_ref_print(const char *ref, char *out, size_t outsz);

/*
 * The references written in a free-text description (a bank transfer's
 * "açıklama"), case-insensitive, with single spaces or hyphens allowed
 * between characters (people copy the printed form, or type it in parts)
 * and anything around it; a candidate must stand alone (no letter or
 * digit right before or after it) and pass its check digits. Returns how
 * many different references were found (0, 1, or 2 meaning two or more:
 * the transfer names more than one deposit); the first goes to out in
 * its electronic form. Text beyond FIAT_REF_TEXT_MAX bytes is not read.
 */
int	 fiat_ref_find(const char *text, size_t len, char out[FIAT_REF_LEN + 1]);

#endif
