/* tests/unit/test_orders.c — domain/orders: request parsing, and refusals as the API says them */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/decimal.h"
#include "domain/orders.h"
#include "tests/unit/fixture.h"
#include "tests/unit/tap.h"

static struct json_object *
body(const char *s)
{
	return json_tokener_parse(s);
}

static void
test_parse(void)
{
	static const struct {
		const char	*json;
		const char	*field;		/* NULL: accepted */
	} cases[] = {
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":\"0.01\"}", NULL },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quoteOrderQty\":\"100.00\"}", NULL },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"SELL\",\"type\":\"LIMIT\","
		  "\"price\":\"1.00\",\"quantity\":\"1\",\"timeInForce\":\"FOK\","
		  "\"clientOrderId\":\"my-1\"}", NULL },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"buy\",\"type\":\"MARKET\","
		  "\"quantity\":\"1\"}", "side" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"STOP\","
		  "\"quantity\":\"1\"}", "type" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"LIMIT\","
		  "\"quantity\":\"1\"}", "price" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"price\":\"1\",\"quantity\":\"1\"}", "price" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"SELL\",\"type\":\"MARKET\","
		  "\"quoteOrderQty\":\"1\"}", "quoteOrderQty" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quoteOrderQty\":\"1\",\"quantity\":\"1\"}", "quantity" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\"}",
		  "quantity" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":0.01}", "quantity" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":\"1\",\"timeInForce\":\"GTC\"}", "timeInForce" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":\"1\",\"clientOrderId\":\"has space\"}",
		  "clientOrderId" },
		{ "{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
		  "\"quantity\":\"1\",\"leverage\":\"10\"}", "leverage" },
	};
	struct order_in in;
	struct order_fail f;
	struct json_object *o;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = body(cases[i].json);
		rc = order_in_parse(o, &in, &f);
		if (cases[i].field == NULL)
			ok(rc == 0, "accepted: %s", cases[i].json);
		else
			ok(rc == -1 && f.field != NULL &&
			    strcmp(f.field, cases[i].field) == 0,
			    "refused naming %s: %s", cases[i].field,
			    cases[i].json);
		json_object_put(o);
	}
	o = body("{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"MARKET\","
	    "\"quantity\":\"1\"}");
	ok(order_in_parse(o, &in, &f) == 0 && in.tif == ORD_IOC,
	    "MARKET defaults to IOC");
	json_object_put(o);
	o = body("{\"symbol\":\"BTCTRY\",\"side\":\"BUY\",\"type\":\"LIMIT\","
	    "\"price\":\"1\",\"quantity\":\"1\"}");
	ok(order_in_parse(o, &in, &f) == 0 && in.tif == ORD_GTC,
	    "LIMIT defaults to GTC");
	json_object_put(o);
	is_str(trade_tif_text(ORD_FOK), "FOK", "enum names as the API spells them");
	is_str(trade_side_text(ORD_SELL), "SELL", "SELL");
}

/* The price band: its reference, its rounding, its refusal words. */
/* The matcher's refusal words, as the API says them. */
static void
test_refusals(void)
{
	struct market m = fx_btctry();
	struct order_fail f;

	memset(&f, 0, sizeof(f));
	is_int(order_refusal(&m, "BAND 135000900 165001100", &f), ERR_TRADE_003,
	    "BAND: TRADE_003");
	ok(strcmp(f.field, "price") == 0 && strcmp(f.min_price, "1350009.00") == 0 &&
	    strcmp(f.max_price, "1650011.00") == 0, "with the band in decimals");
	memset(&f, 0, sizeof(f));
	is_int(order_refusal(&m, "BAND 1", &f), ERR_OK, "a short BAND is none");
	is_int(order_refusal(&m, "BAND 1 2 3", &f), ERR_OK, "a long BAND is none");
	is_int(order_refusal(&m, "BAND -1 2", &f), ERR_OK, "a negative BAND is none");
	is_int(order_refusal(&m, "OK {}", &f), ERR_OK, "an answer is no refusal");
	memset(&f, 0, sizeof(f));
	is_int(order_refusal(&m, "MINNOTIONAL 1000", &f), ERR_TRADE_002,
	    "MINNOTIONAL: TRADE_002");
	ok(strcmp(f.field, "quantity") == 0 &&
	    strcmp(f.minimum_name, "minNotional") == 0 &&
	    strcmp(f.minimum, "10.00") == 0, "minNotional 10.00");
	memset(&f, 0, sizeof(f));
	is_int(order_refusal(&m, "MINQTY 1000", &f), ERR_TRADE_002,
	    "MINQTY: TRADE_002");
	ok(strcmp(f.field, "quoteOrderQty") == 0 &&
	    strcmp(f.minimum_name, "minQuantity") == 0 &&
	    strcmp(f.minimum, "0.00001000") == 0, "minQuantity 0.00001000");
	is_int(order_refusal(&m, "MINQTY", &f), ERR_OK, "MINQTY without a number");
}

int
main(void)
{
	test_parse();
	test_refusals();
	return done_testing();
}
