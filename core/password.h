/* core/password.h — argon2id password hashes */
#ifndef HZM_PASSWORD_H
#define HZM_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASHLEN	128

int	password_hash(const char *pw, char out[PASSWORD_HASHLEN]);
int	password_verify(const char *encoded, const char *pw);

#endif
