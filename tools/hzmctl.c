/* tools/hzmctl.c — operator's tool: keys, password hashes and sealed secrets for provisioning */
#include <stdio.h>
#include <string.h>

#include "core/config.h"
#include "core/crypto.h"
#include "core/password.h"
#include "core/util.h"
#include "domain/trade_search.h"

static int
usage(void)
{
	fprintf(stderr,
	    "usage: hzmctl gen-key              print 32 random bytes as hex\n"
	    "       hzmctl hash-password        argon2id hash of stdin's first line\n"
	    "       hzmctl seal CONTEXT         seal stdin's first line, print hex\n"
	    "       hzmctl sql NAME             print a statement's SQL (plan checks)\n");
	return 2;
}

static int
read_line(char *buf, size_t sz)
{
	size_t n;

	if (fgets(buf, (int)sz, stdin) == NULL)
		return -1;
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	return (int)n;
}

int
main(int argc, char *argv[])
{
	char line[1024], hash[PASSWORD_HASHLEN], hex[2 * (sizeof(line) +
	    SEAL_OVERHEAD) + 1];
	unsigned char key[32], sealed[sizeof(line) + SEAL_OVERHEAD];
	size_t n;
	int len;

	if (argc < 2)
		return usage();
	cfg_load(NULL);
	if (strcmp(argv[1], "sql") == 0 && argc == 3) {
		const struct stmt *st = search_stmt(argv[2]);

		if (st == NULL) {
			fprintf(stderr, "hzmctl: no statement %s\n", argv[2]);
			return 1;
		}
		printf("%s\n", st->sql);
		return 0;
	}
	if (strcmp(argv[1], "gen-key") == 0) {
		if (util_random(key, sizeof(key)) == -1)
			return 1;
		util_hex(key, sizeof(key), hex);
		printf("%s\n", hex);
		return 0;
	}
	if (strcmp(argv[1], "hash-password") == 0) {
		if (read_line(line, sizeof(line)) < 1 ||
		    password_hash(line, hash) == -1)
			return 1;
		printf("%s\n", hash);
		return 0;
	}
	if (strcmp(argv[1], "seal") == 0 && argc == 3) {
		if ((len = read_line(line, sizeof(line))) < 0 ||
		    crypto_seal(argv[2], line, (size_t)len, sealed,
		    sizeof(sealed), &n) == -1) {
			fprintf(stderr, "hzmctl: cannot seal (is data_key_%d "
			    "configured?)\n", crypto_key_version());
			return 1;
		}
		util_hex(sealed, n, hex);
		printf("%s\n", hex);
		return 0;
	}
	return usage();
}
