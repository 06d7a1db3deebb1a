/* streamer/proto.c — what clients send on /ws and what the matcher's feed says, parsed without I/O */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "streamer/proto.h"

const char *const proto_channels[PC__COUNT] = {
	[PC_TICKER] = "ticker", [PC_ORDERBOOK] = "orderbook",
	[PC_TRADE] = "trade", [PC_KLINE] = "kline",
	[PC_ORDERS] = "orders", [PC_BALANCES] = "balances",
};


static const char *
str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* A string field copied into dst; absent is fine, too long or not a string is not. */
static int
copy_field(struct json_object *o, const char *key, char *dst, size_t sz)
{
	struct json_object *v;
	const char *s;

	dst[0] = '\0';
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string) ||
	    (s = json_object_get_string(v)) == NULL || strlen(s) >= sz)
		return -1;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

static int
symbol_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 2 || n > 15)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int
auth_parse(struct json_object *a, struct proto_auth *au, const char **why)
{
	struct json_object *ts;

	if (!json_object_is_type(a, json_type_object)) {
		*why = "auth must be an object";
		return -1;
	}
	/* The timestamp may come as a number or a string of digits. */
	if (json_object_object_get_ex(a, "timestamp", &ts) &&
	    json_object_is_type(ts, json_type_int))
		snprintf(au->timestamp, sizeof(au->timestamp), "%lld",
		    (long long)json_object_get_int64(ts));
	else if (copy_field(a, "timestamp", au->timestamp, sizeof(au->timestamp)) == -1) {
		*why = "auth.timestamp must be epoch milliseconds";
		return -1;
	}
	if (copy_field(a, "token", au->token, sizeof(au->token)) == -1 ||
	    copy_field(a, "apiKey", au->api_key, sizeof(au->api_key)) == -1 ||
	    copy_field(a, "signature", au->signature, sizeof(au->signature)) == -1 ||
	    copy_field(a, "requestId", au->request_id, sizeof(au->request_id)) == -1 ||
	    copy_field(a, "email", au->email, sizeof(au->email)) == -1 ||
	    copy_field(a, "apiPassword", au->api_password,
	    sizeof(au->api_password)) == -1) {
		*why = "auth fields must be strings of sensible length";
		return -1;
	}
	if (au->token[0] == '\0' && au->api_key[0] == '\0') {
		*why = "auth needs a token, or an apiKey with a signature or "
		    "with email and apiPassword";
		return -1;
	}
	return 0;
}

static int
params_parse(struct json_object *p, struct proto_msg *m, const char **why)
{
	struct json_object *v;
	const char *s;
	size_t i;
	int iv;

	if ((s = str_of(p, "channel")) == NULL) {
		*why = "params.channel is required";
		return -1;
	}
	for (i = 0; i < PC__COUNT && strcmp(s, proto_channels[i]) != 0; i++)
		;
	if (i == PC__COUNT) {
		*why = "unknown channel";
		return -1;
	}
	m->channel = (enum proto_channel)i;
	/* The orders of one market, or (without it) of every one. */
	m->symbol_asked = !PROTO_PRIVATE(m->channel) ||
	    (m->channel == PC_ORDERS &&
	    json_object_object_get_ex(p, "symbol", NULL));
	if (m->symbol_asked) {
		if ((s = str_of(p, "symbol")) == NULL) {
			*why = "params.symbol must be a string";
			return -1;
		}
		/*
		 * A symbol of the wrong form ("btctry", "BTC-TRY") is no
		 * market's, like a well-formed one no market has: symbol
		 * stays "", and subscribing answers TRADE_005 as REST does.
		 */
		if (symbol_ok(s))
			memcpy(m->symbol, s, strlen(s) + 1);
	}
	m->depth = 20;
	if (json_object_object_get_ex(p, "depth", &v)) {
		int64_t d = json_object_get_int64(v);

		if (!json_object_is_type(v, json_type_int) || d < 1 || d > 100) {
			*why = "params.depth must be an integer 1..100";
			return -1;
		}
		m->depth = (int)d;
	}
	m->interval = 0;
	if ((s = str_of(p, "interval")) != NULL) {
		if ((iv = kline_iv_find(s)) == -1) {
			*why = "params.interval must be 1m, 5m, 15m, 1h, 4h or 1d";
			return -1;
		}
		m->interval = iv;
	} else if (json_object_object_get_ex(p, "interval", &v)) {
		*why = "params.interval must be a string";
		return -1;
	}
	if (json_object_object_get_ex(p, "auth", &v)) {
		if (auth_parse(v, &m->auth, why) == -1)
			return -1;
		m->has_auth = 1;
	}
	return 0;
}

static int
msg_fill(struct json_object *o, struct proto_msg *m, const char **why)
{
	struct json_object *v, *p;
	const char *s;

	if (json_object_object_get_ex(o, "id", &v)) {
		if (json_object_is_type(v, json_type_int)) {
			snprintf(m->id, sizeof(m->id), "%lld",
			    (long long)json_object_get_int64(v));
			m->id_number = 1;
		} else if (copy_field(o, "id", m->id, sizeof(m->id)) == -1) {
			*why = "id must be a string or an integer";
			return -1;
		}
	}
	if ((s = str_of(o, "method")) == NULL) {
		*why = "method is required";
		return -1;
	}
	if (strcmp(s, "PING") == 0) {
		m->method = PM_PING;
		return 0;
	}
	if (strcmp(s, "LIST_SUBSCRIPTIONS") == 0) {
		m->method = PM_LIST;
		return 0;
	}
	if (strcmp(s, "SUBSCRIBE") == 0)
		m->method = PM_SUBSCRIBE;
	else if (strcmp(s, "UNSUBSCRIBE") == 0)
		m->method = PM_UNSUBSCRIBE;
	else {
		*why = "method must be SUBSCRIBE, UNSUBSCRIBE, PING or LIST_SUBSCRIPTIONS";
		return -1;
	}
	if (!json_object_object_get_ex(o, "params", &p) ||
	    !json_object_is_type(p, json_type_object)) {
		*why = "params must be an object";
		return -1;
	}
	return params_parse(p, m, why);
}

int
proto_msg_parse(const char *buf, size_t len, struct proto_msg *m,
    const char **why)
{
	struct json_tokener *tok;
	struct json_object *o = NULL;
	int rc = -1;

	memset(m, 0, sizeof(*m));
	*why = "not JSON";
	if (len == 0 || len > PROTO_MSG_MAX) {
		*why = len == 0 ? "empty message" : "message too long";
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL)
		return -1;
	if ((tok = json_tokener_new_ex(PROTO_JSON_DEPTH)) == NULL)
		return -1;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (o == NULL || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len)
		goto out;
	if (!json_object_is_type(o, json_type_object)) {
		*why = "a message is a JSON object";
		goto out;
	}
	rc = msg_fill(o, m, why);
out:
	json_object_put(o);
	json_tokener_free(tok);
	return rc;
}

int
proto_is_amount(const char *s)
{
	size_t i, dots = 0;

	if (s == NULL || s[0] == '\0' || s[0] == '.' || strlen(s) > 24)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == '.') {
			if (++dots > 1 || s[i + 1] == '\0')
				return 0;
		} else if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
proto_amount_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int c;

	if (la != lb)
		return la < lb ? -1 : 1;
	c = strcmp(a, b);
	return c < 0 ? -1 : c > 0;
}

int
proto_amount_zero(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != '0' && *s != '.')
			return 0;
	return 1;
}

/* How many tokens each kind of line has (D: at least, then triples). */
static int
line_shape_ok(const struct proto_line *l)
{
	size_t i;

	switch (l->kind) {
	case 'F': return l->ntok == 4;
	case 'T': return l->ntok == 6;
	case 'K': return l->ntok == 10;
	/* O: a matcher from before orderListId sends 11 */
	case 'O': return l->ntok == 11 || l->ntok == 12;
	case 'B': return l->ntok == 2;
	case 'D':
		if (l->ntok < 3 || (l->ntok - 3) % 3 != 0)
			return 0;
		for (i = 3; i < l->ntok; i += 3)
			if ((strcmp(l->tok[i], "b") != 0 &&
			    strcmp(l->tok[i], "a") != 0) ||
			    !proto_is_amount(l->tok[i + 1]) ||
			    !proto_is_amount(l->tok[i + 2]))
				return 0;
		return 1;
	default:
		return 0;
	}
}

int
proto_line_parse(char *line, struct proto_line *l)
{
	char *p = line, *start;

	memset(l, 0, sizeof(*l));
	if (p[0] == '\0' || p[1] != ' ')
		return -1;
	l->kind = p[0];
	p += 2;
	while (*p != '\0') {
		if (l->ntok == PROTO_FEED_TOKENS)
			return -1;
		start = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (p == start)
			return -1;
		l->tok[l->ntok++] = start;
		if (*p == ' ')
			*p++ = '\0';
	}
	return line_shape_ok(l) ? 0 : -1;
}
