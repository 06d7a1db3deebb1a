/* tests/fuzz/fuzz_gate.c — libFuzzer: request lines on the matcher's socket through its parser */
#include "matcher/gate.c"	/* parse() is the socket's own, and static */

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * Whatever a line holds, parse() takes it or refuses it; what it takes is
 * an order POST /orders could have sent (domain/orders.h, the protocol).
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct direct d;
	char line[1024];

	if (size >= sizeof(line))
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (parse(line, 3, &d) == -1)
		return 0;
	if (!public_id_ok(d.c.public_id) || d.c.user_id <= 0 ||
	    d.c.kind != CMD_NEW || !d.c.direct || d.mkt != 3 ||
	    d.state != DS_PENDING || d.c.price < 0 ||
	    d.c.price > TRADE_PRICE_MAX || d.c.qty < 0 ||
	    d.c.qty > TRADE_QTY_MAX || d.qoq < 0 || d.c.lock < 0 ||
	    d.deadline_ms < 0 ||
	    (d.c.qty > 0) == (d.qoq > 0) ||
	    (d.c.type == ORD_LIMIT) != (d.c.price > 0) ||
	    (d.c.type == ORD_MARKET && d.c.tif == ORD_GTC) ||
	    (d.client_id[0] != '\0' &&
	    !util_token_valid(d.client_id, ORDER_CLIENT_ID_MAX)) ||
	    (d.estimate && (d.c.side != ORD_BUY || d.c.type != ORD_MARKET)))
		abort();
	return 0;
}
