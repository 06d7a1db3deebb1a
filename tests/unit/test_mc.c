/* tests/unit/test_mc.c — core/mc: the memcached server list, TCP servers and unix sockets */
#include <stdio.h>
#include <string.h>

#include <libmemcached/memcached.h>

#include "core/log.h"
#include "core/mc.h"
#include "tests/unit/tap.h"

static void
test_servers(void)
{
	static const struct {
		const char	*list;
		const char	*want;	/* NULL: refused */
	} cases[] = {
		{ "127.0.0.1:11211", "--SERVER=127.0.0.1:11211" },
		{ "/var/lib/hzm/run/mc/memcached.sock",
		  "--SOCKET=\"/var/lib/hzm/run/mc/memcached.sock\"" },
		{ "a:1,/run/mc.sock", "--SERVER=a:1 --SOCKET=\"/run/mc.sock\"" },
		{ " a:1 , b:2 ", "--SERVER=a:1 --SERVER=b:2" },
		{ "a:1,,b:2", "--SERVER=a:1 --SERVER=b:2" },
		{ "", NULL },
		{ " , ", NULL },
		{ "/run/my dir/mc.sock", NULL },
		{ "/run/\"x\" --SERVER=evil:1", NULL },
	};
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = mc_servers(cases[i].list, out, sizeof(out));

		if (cases[i].want == NULL)
			is_int(rc, -1, "'%s' refused", cases[i].list);
		else if (is_int(rc, 0, "'%s' accepted", cases[i].list))
			is_str(out, cases[i].want, "  as %s", cases[i].want);
	}
	is_int(mc_servers("127.0.0.1:11211", out, 10), -1,
	    "a list that does not fit is refused");
	is_int(mc_servers("127.0.0.1:11211", out, 0), -1, "  so is no room");
}

/* libmemcached takes what mc_servers writes: one server per entry. */
static void
test_libmemcached(void)
{
	char conf[512];
	memcached_st *m;

	ok(mc_servers("/tmp/hzm-test-mc.sock,127.0.0.1:1", conf,
	    sizeof(conf)) == 0, "socket and TCP server");
	m = memcached(conf, strlen(conf));
	ok(m != NULL, "libmemcached accepts the options");
	if (m != NULL) {
		is_int(memcached_server_count(m), 2, "  two servers");
		memcached_free(m);
	}
}

int
main(void)
{
	log_open("/dev/null", "test_mc");
	test_servers();
	test_libmemcached();
	return done_testing();
}
