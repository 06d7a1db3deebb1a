/* domain/users.c — rules about accounts: KYC level names, the password policy, a user's second factor */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

#include "core/crypto.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/totp.h"
#include "core/util.h"
#include "domain/users.h"

static const struct stmt stmts[] = {
	{ "users_totp_step",
	  "UPDATE users SET totp_last_step = $2 WHERE id = $1"
	  " AND totp_last_step < $2", 2 },
};

int
user_status_usable(const char *status)
{
	return strcmp(status, "ACTIVE") == 0 ||
	    strcmp(status, "EMAIL_VERIFIED") == 0;
}

const char *
user_level_text(int level)
{
	static const char *const t[] = { "LEVEL_0", "LEVEL_1", "LEVEL_2", "LEVEL_3" };

	return level >= 0 && level <= 3 ? t[level] : "LEVEL_0";
}

const char *
user_password_weak(const char *pw, const char *email)
{
	static const char *const common[] = {
		"password", "1234567890", "qwertyuiop", "123456789a",
		"password123", "password1!", "iloveyou12", "qwerty1234",
		"1q2w3e4r5t", "abcdefghij", "letmein123", "welcome123",
		"admin12345", "passw0rd12",
	};
	size_t chars = 0, i, local;
	const char *p, *at;

	for (p = pw; *p != '\0'; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			chars++;
	if (chars < 10)
		return "must be at least 10 characters";
	if (chars > 128 || strlen(pw) > 512)
		return "must be at most 128 characters";
	if (!util_utf8_valid(pw, strlen(pw)))
		return "must be valid UTF-8";
	for (i = 0; i < nitems(common); i++)
		if (strcasecmp(pw, common[i]) == 0)
			return "is too common";
	for (p = pw + 1; *p == pw[0]; p++)
		;
	if (*p == '\0')
		return "must not repeat one character";
	if (email != NULL && (at = strchr(email, '@')) != NULL &&
	    (local = (size_t)(at - email)) >= 4) {
		char lp[65];

		snprintf(lp, sizeof(lp), "%.*s", (int)(local < 64 ? local : 64), email);
		if (strcasestr(pw, lp) != NULL)
			return "must not contain the e-mail address";
	}
	return NULL;
}

enum err
user_totp_check(struct ctx *c, const char *user_id, const char *public_id,
    const unsigned char *sealed, size_t sealedlen, const char *code)
{
	char key[64], secret[TOTP_B32LEN + 8], stepbuf[24];
	const char *p[] = { user_id, stepbuf };
	size_t n;
	long long step;
	PGresult *res;
	enum err e;

	if (code == NULL)
		return ERR_AUTH_004;
	snprintf(key, sizeof(key), "totp:%s", public_id);
	if (crypto_open(key, sealed, sealedlen, secret, sizeof(secret) - 1,
	    &n) == -1)
		return ERR_INTERNAL;
	secret[n] = '\0';
	step = totp_verify(secret, code, c->now.tv_sec);
	OPENSSL_cleanse(secret, sizeof(secret));
	if (step < 0)
		return ERR_AUTH_004;
	/* A code is good once: the step must move forward. */
	snprintf(stepbuf, sizeof(stepbuf), "%lld", step);
	if ((e = db_query(c->db, c->arena, &stmts[0], p,
	    &res)) != ERR_OK)
		return e;
	return strcmp(PQcmdTuples(res), "1") == 0 ? ERR_OK : ERR_AUTH_004;
}
