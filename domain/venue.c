/* domain/venue.c — the table of venues bots trade on; a venue not in it is "not available" */
#include <string.h>

#include "domain/venue.h"

/*
 * BINANCE joins this table when its client lands (domain/binance.c): the
 * same three operations over the user's stored key. Until then its bots
 * stop with ERROR "venue not available".
 */
static const struct venue *const venues[] = {
	&venue_hzm,
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
