/* tests/fuzz/fuzz_bank_api.c — libFuzzer: the bank's answer to a payout through bank_payout_parse; only a well-formed answer for our key settles anything */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/bank_api.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define KEY	"5f0c8f0e-9d3a-4c71-9a51-2b3f6a6f1e10"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bank_payout p;
	size_t i;

	memset(&p, 0, sizeof(p));
	if (bank_payout_parse((const char *)data, size, KEY, &p) == 0) {
		if (p.outcome != BANK_PAID && p.outcome != BANK_PENDING &&
		    p.outcome != BANK_REJECTED)
			abort();
		if (p.payout_id[0] == '\0' || strlen(p.payout_id) > BANK_ID_MAX)
			abort();
		if (p.outcome == BANK_REJECTED && p.reason[0] == '\0')
			abort();
		for (i = 0; p.reason[i] != '\0'; i++)
			if ((unsigned char)p.reason[i] < 0x20 || p.reason[i] == 0x7f)
				abort();
	} else {
		/* Anything else leaves the payout as it was: no outcome. */
		if (p.outcome != BANK_UNCERTAIN || p.error[0] == '\0')
			abort();
	}
	return 0;
}
