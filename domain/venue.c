/* domain/venue.c — the table of venues bots trade on; a venue not in it is "not available" */
#include <string.h>

#include "domain/venue.h"

static const struct venue *const venues[] = {
	&venue_hzm,
	&venue_binance,
};

const struct venue *
venue_get(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(venues) / sizeof(venues[0]); i++)
		if (strcmp(venues[i]->name, name) == 0)
			return venues[i];
	return NULL;
}

void
venue_place_all(const struct venue *v, struct venue_call *calls, size_t n)
{
	size_t i;

	if (v->place_all != NULL) {
		v->place_all(calls, n);
		return;
	}
	for (i = 0; i < n; i++) {
		memset(&calls[i].f, 0, sizeof(calls[i].f));
		calls[i].e = v->place(calls[i].c, &calls[i].o, &calls[i].f);
	}
}
