/* matcher/engine_tab.c — the orders the engine holds, by id: open addressing, backward-shift deletion */
#include <stdint.h>
#include <stdlib.h>

#include "matcher/engine.h"
#include "matcher/engine_live.h"

static size_t
tab_home(const struct engine *e, int64_t id)
{
	return (size_t)(((uint64_t)id * UINT64_C(0x9e3779b97f4a7c15)) >> 20) &
	    e->tabmask;
}

static size_t
tab_slot(const struct engine *e, int64_t id)
{
	size_t i = tab_home(e, id);

	while (e->tab[i] != NULL && e->tab[i]->id != id)
		i = (i + 1) & e->tabmask;
	return i;
}

struct live *
engine_live_get(const struct engine *e, int64_t id)
{
	return e->tab[tab_slot(e, id)];
}

int
engine_live_put(struct engine *e, struct live *o)
{
	struct live **old = e->tab;
	size_t i, n = e->tabmask + 1;

	if ((e->tabused + 1) * 2 > n) {
		if ((e->tab = calloc(n * 2, sizeof(*e->tab))) == NULL) {
			e->tab = old;
			return -1;
		}
		e->tabmask = n * 2 - 1;
		for (i = 0; i < n; i++)
			if (old[i] != NULL)
				e->tab[tab_slot(e, old[i]->id)] = old[i];
		free(old);
	}
	e->tab[tab_slot(e, o->id)] = o;
	e->tabused++;
	return 0;
}

void
engine_live_del(struct engine *e, int64_t id)
{
	size_t i = tab_slot(e, id), j = i, home;

	if (e->tab[i] == NULL)
		return;
	for (;;) {
		j = (j + 1) & e->tabmask;
		if (e->tab[j] == NULL)
			break;
		home = tab_home(e, e->tab[j]->id);
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		e->tab[i] = e->tab[j];
		i = j;
	}
	e->tab[i] = NULL;
	e->tabused--;
}
