/* tests/fuzz/fuzz_ws_proto.c — libFuzzer target: the streamer's parsers of client messages and feed lines */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The parsers are pure code: the target compiles them in. */
#include "streamer/proto.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proto_msg m;
	struct proto_line l;
	const char *why;
	char *line;
	size_t i;

	(void)proto_msg_parse((const char *)data, size, &m, &why);
	if ((line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (proto_line_parse(line, &l) == 0 && l.kind == 'D')
		for (i = 3; i + 2 < l.ntok; i += 3)
			(void)proto_amount_cmp(l.tok[i + 1], l.tok[i + 2]);
	free(line);
	return 0;
}
