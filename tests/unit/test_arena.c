/* tests/unit/test_arena.c — core/arena: allocations of every size, alignment, strings, resets, and cleanups run newest first */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "tests/unit/tap.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int order[8], norder;

static void
note(void *arg)
{
	if (norder < (int)NELEM(order))
		order[norder++] = (int)(intptr_t)arg;
}

static void
test_arena_alloc(void)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 8, 15, 16, 17, 31, 33,
	    100, 1000, 4095, 65536, 70000, 1 << 20, 5, 1 };
	unsigned char *p[NELEM(sizes)];
	struct arena *a;
	size_t i, j, misaligned = 0, damaged = 0;

	if ((a = arena_new()) == NULL) {
		ok(0, "arena_new");
		return;
	}
	for (i = 0; i < NELEM(sizes); i++) {
		if ((p[i] = arena_alloc(a, sizes[i])) == NULL)
			break;
		if ((uintptr_t)p[i] % alignof(max_align_t) != 0)
			misaligned++;
		memset(p[i], (int)(i + 1), sizes[i]);
	}
	is_int(i, NELEM(sizes), "%zu allocations of 1 byte to 1 MiB succeed",
	    NELEM(sizes));
	is_int(misaligned, 0, "  each aligned for max_align_t (%zu)",
	    alignof(max_align_t));
	/* Filled in turn, each still holds its own byte: no overlap. */
	for (i = 0; i < NELEM(sizes); i++)
		for (j = 0; j < sizes[i]; j++)
			if (p[i][j] != (unsigned char)(i + 1)) {
				damaged++;
				break;
			}
	is_int(damaged, 0, "  and none overlaps another");

	p[0] = arena_alloc(a, 0);
	p[1] = arena_alloc(a, 0);
	ok(p[0] != NULL && p[1] != NULL && p[0] != p[1],
	    "zero-byte allocations are distinct pointers");

	ok(arena_alloc(a, SIZE_MAX) == NULL, "SIZE_MAX bytes: NULL");
	ok(arena_alloc(a, SIZE_MAX - 8) == NULL, "SIZE_MAX - 8 bytes: NULL");
	ok(arena_calloc(a, SIZE_MAX / 2, 3) == NULL,
	    "calloc whose size overflows: NULL");
	p[0] = arena_calloc(a, 1000, 7);
	for (j = 0, damaged = 0; p[0] != NULL && j < 7000; j++)
		if (p[0][j] != 0)
			damaged++;
	ok(p[0] != NULL && damaged == 0, "arena_calloc memory is zeroed");

	is_str(arena_strdup(a, "hello"), "hello", "arena_strdup");
	is_str(arena_strndup(a, "hello", 3), "hel", "arena_strndup stops at n");
	is_str(arena_strndup(a, "hi", 0), "", "  n 0 gives \"\"");
	is_str(arena_printf(a, "%s-%d-%05.1f", "x", 42, 2.5), "x-42-002.5",
	    "arena_printf");
	{
		char big[3000];

		memset(big, 'z', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		p[0] = (unsigned char *)arena_printf(a, "<%s>", big);
		ok(p[0] != NULL && strlen((char *)p[0]) == sizeof(big) + 1 &&
		    p[0][0] == '<' && p[0][sizeof(big)] == '>',
		    "arena_printf of 3000 bytes");
	}

	/* After reset the arena serves again, large chunks included. */
	arena_reset(a);
	for (i = 0; i < 200; i++)
		if ((p[0] = arena_alloc(a, 10000)) == NULL)
			break;
		else
			memset(p[0], 0xab, 10000);
	is_int(i, 200, "2 MB in 10 kB pieces after a reset");
	arena_reset(a);
	p[0] = arena_alloc(a, 16);
	ok(p[0] != NULL, "and again after a second reset");
	arena_free(a);
	arena_free(NULL);
	ok(1, "arena_free(NULL) is harmless");
}

static void
test_arena_defer(void)
{
	struct arena *a;
	int i;

	if ((a = arena_new()) == NULL) {
		ok(0, "arena_new");
		return;
	}
	norder = 0;
	for (i = 1; i <= 3; i++)
		is_int(arena_defer(a, note, (void *)(intptr_t)i), 0,
		    "arena_defer %d", i);
	is_int(norder, 0, "no cleanup runs before the reset");
	arena_reset(a);
	is_int(norder, 3, "arena_reset runs all three");
	ok(order[0] == 3 && order[1] == 2 && order[2] == 1,
	    "  newest first: %d %d %d", order[0], order[1], order[2]);
	arena_reset(a);
	is_int(norder, 3, "a second reset runs none again");

	/* Cleanups registered among many allocations, spanning chunks. */
	norder = 0;
	arena_defer(a, note, (void *)(intptr_t)4);
	for (i = 0; i < 100; i++)
		arena_alloc(a, 4000);
	arena_defer(a, note, (void *)(intptr_t)5);
	arena_reset(a);
	ok(norder == 2 && order[0] == 5 && order[1] == 4,
	    "cleanups survive chunk changes");

	norder = 0;
	arena_defer(a, note, (void *)(intptr_t)6);
	arena_free(a);
	ok(norder == 1 && order[0] == 6, "arena_free runs pending cleanups");
}

int
main(void)
{
	test_arena_alloc();
	test_arena_defer();
	return done_testing();
}
