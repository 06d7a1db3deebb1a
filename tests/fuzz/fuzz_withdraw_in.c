/* tests/fuzz/fuzz_withdraw_in.c — libFuzzer: a withdrawal request's body through withdrawal_fields and withdrawal_in_from, its address through btc_address_check */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "core/input.h"
#include "domain/btc_rpc.h"
#include "domain/withdrawal.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
only(const char *s, const char *set)
{
	return strspn(s, set) == strlen(s);
}

#define DIGITS	"0123456789"
#define UPPER	"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER	"abcdefghijklmnopqrstuvwxyz"

/* What withdrawal_fields and withdrawal_in_from promise of what they accept. */
static void
check(const struct wd_in *in)
{
	if (in->amount == NULL || in->amount[0] == '\0' ||
	    !only(in->amount, DIGITS ".") || in->address == NULL ||
	    strcmp(in->asset, "BTC") != 0)
		abort();
	if (in->network != NULL && (!only(in->network, UPPER DIGITS) ||
	    strlen(in->network) < 2 || strlen(in->network) > WITHDRAWAL_NET_MAX))
		abort();
	if (in->memo != NULL && (!only(in->memo, UPPER LOWER DIGITS) ||
	    strlen(in->memo) > WITHDRAWAL_MEMO_MAX))
		abort();
	if (in->code != NULL && (strlen(in->code) != 6 || !only(in->code, DIGITS) ||
	    in->code_why != NULL))
		abort();
}

/* The body as the pipeline reads it, then as the handler takes it. */
static void
body_check(struct json_object *o)
{
	static struct arena *a;
	struct in_val *vals;
	struct wd_in in;
	struct in_err ie;
	char norm[CHAIN_ADDR_MAX + 1];
	const char *why;

	if (a == NULL && (a = arena_new()) == NULL)
		abort();
	arena_reset(a);
	memset(&ie, 0, sizeof(ie));
	if (in_read(a, o, withdrawal_fields, 0, &vals, &ie) != ERR_OK) {
		if (ie.field == NULL || ie.reason == NULL)
			abort();
		return;
	}
	if (withdrawal_in_from(vals, "BTC", &in, &ie) == 0) {
		check(&in);
		if (btc_address_check(in.address, norm, sizeof(norm), &why) == -1 &&
		    why == NULL)
			abort();
	} else if (ie.field == NULL || ie.reason == NULL) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_tokener *tok;
	struct json_object *o;
	char norm[CHAIN_ADDR_MAX + 1], addr[300];
	const char *why;
	size_t i, n;

	/* The bytes as an address, as they are. */
	n = size < sizeof(addr) - 1 ? size : sizeof(addr) - 1;
	memcpy(addr, data, n);
	addr[n] = '\0';
	if (btc_address_check(addr, norm, sizeof(norm), &why) == 0) {
		/* Canonical: no capitals in bech32, and as long as given. */
		if (strlen(norm) != strlen(addr) || strlen(norm) > CHAIN_ADDR_MAX)
			abort();
		for (i = 0; norm[i] != '\0'; i++)
			if (!only((char []){ norm[i], '\0' }, UPPER LOWER DIGITS))
				abort();
	} else if (why == NULL) {
		abort();
	}
	/* The bytes as a body. */
	if ((tok = json_tokener_new_ex(16)) == NULL)
		return 0;
	o = json_tokener_parse_ex(tok, (const char *)data, (int)size);
	json_tokener_free(tok);
	if (o != NULL && json_object_is_type(o, json_type_object))
		body_check(o);
	json_object_put(o);
	return 0;
}
