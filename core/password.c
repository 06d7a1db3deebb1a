/* core/password.c — argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane) */
#include <string.h>

#include <argon2.h>

#include "core/password.h"
#include "core/util.h"

#define PW_T_COST	2
#define PW_M_COST	19456
#define PW_LANES	1
#define PW_SALTLEN	16
#define PW_HASHLEN	32

int
password_hash(const char *pw, char out[PASSWORD_HASHLEN])
{
	unsigned char salt[PW_SALTLEN];

	if (util_random(salt, sizeof(salt)) == -1)
		return -1;
	return argon2id_hash_encoded(PW_T_COST, PW_M_COST, PW_LANES, pw,
	    strlen(pw), salt, sizeof(salt), PW_HASHLEN, out,
	    PASSWORD_HASHLEN) == ARGON2_OK ? 0 : -1;
}

/* 1 if pw matches, 0 if not or the stored hash is unusable. */
int
password_verify(const char *encoded, const char *pw)
{
	return argon2id_verify(encoded, pw, strlen(pw)) == ARGON2_OK;
}
