/* core/totp.h — RFC 6238 one-time codes (30 s, 6 digits, SHA-1) through liboath */
#ifndef HZM_TOTP_H
#define HZM_TOTP_H

#include <stddef.h>
#include <time.h>

#define TOTP_SECRET_BYTES	20
#define TOTP_B32LEN		33	/* 32 base32 characters and a NUL */

/* A new random secret, base32 without padding (A-Z2-7). */
int		totp_secret_new(char b32[TOTP_B32LEN]);

/*
 * otpauth://totp/<issuer>:<account>?secret=...&issuer=...&algorithm=SHA1
 * &digits=6&period=30 with issuer and account percent-encoded.
 */
int		totp_uri(const char *b32, const char *issuer, const char *account,
		    char *out, size_t outsz);

/*
 * Check a 6-digit code against the secret at time now, accepting one step
 * either side. Returns the matched time step (now / 30 + offset, >= 0),
 * or -1 when the code is wrong or malformed (not exactly 6 ASCII digits).
 * Replay protection is the caller's: accept a step only if it is greater
 * than the last one accepted for that user.
 */
long long	totp_verify(const char *b32, const char *code, time_t now);

/*
 * Secrets (b32) are [A-Z2-7] without padding, as totp_secret_new writes
 * them; any other spelling is refused. The int functions return 0, or -1
 * on any error (totp_uri also when out is too small; out is then "").
 */

/* The code for a secret at a time (tests and tools). */
int		totp_code(const char *b32, time_t t, char out[7]);

#endif
