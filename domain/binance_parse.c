/* domain/binance_parse.c — Binance's JSON answers read into domain/binance.h's structs: strict, bounded, decimals as strings */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "core/arena.h"
#include "domain/binance_parse.h"

#define BINANCE_JSON_DEPTH	8
#define BALANCES_MAX		4096
#define FILLS_MAX		1000

/* One JSON value and nothing after it but whitespace; NULL otherwise. */
static struct json_object *
json_whole(const char *body, size_t len)
{
	struct json_tokener *tok;
	struct json_object *j;
	size_t end;

	if (body == NULL || len == 0 || len > INT_MAX ||
	    memchr(body, '\0', len) != NULL ||
	    (tok = json_tokener_new_ex(BINANCE_JSON_DEPTH)) == NULL)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	j = json_tokener_parse_ex(tok, body, (int)len);
	end = json_tokener_get_error(tok) == json_tokener_success ?
	    json_tokener_get_parse_end(tok) : 0;
	json_tokener_free(tok);
	if (j == NULL)
		return NULL;
	for (; end < len; end++)
		if (body[end] != ' ' && body[end] != '\n' && body[end] != '\r' &&
		    body[end] != '\t') {
			json_object_put(j);
			return NULL;
		}
	return j;
}

static const char *
str_of(struct json_object *v)
{
	if (v == NULL || !json_object_is_type(v, json_type_string) ||
	    strlen(json_object_get_string(v)) !=
	    (size_t)json_object_get_string_len(v))
		return NULL;
	return json_object_get_string(v);
}

static const char *
str_member(struct json_object *o, const char *name)
{
	struct json_object *v;

	return json_object_object_get_ex(o, name, &v) ? str_of(v) : NULL;
}

/* A string member copied into out (size sz); -1 if absent or too long. */
static int
str_copy(struct json_object *o, const char *name, char *out, size_t sz)
{
	const char *s = str_member(o, name);

	if (s == NULL || strlen(s) >= sz)
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int
dec_copy(struct json_object *o, const char *name, char out[BINANCE_DEC_MAX + 1])
{
	const char *s = str_member(o, name);

	if (s == NULL || !binance_dec_ok(s))
		return -1;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

static int
int_member(struct json_object *o, const char *name, int64_t *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	*out = json_object_get_int64(v);
	return 0;
}

/* A boolean member; absent: dflt (-1: required). */
static int
bool_member(struct json_object *o, const char *name, int dflt, int *out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v)) {
		*out = dflt;
		return dflt == -1 ? -1 : 0;
	}
	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

int
binance_dec_ok(const char *s)
{
	size_t i, dots = 0;

	if (s == NULL || s[0] == '\0' || s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= BINANCE_DEC_MAX)
			return 0;
		if (s[i] == '.') {
			if (++dots > 1 || s[i + 1] == '\0')
				return 0;
		} else if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

int
binance_symbol_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= BINANCE_SYMBOL_MAX ||
		    !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return i > 0;
}

int
binance_client_id_ok(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= BINANCE_CLIENT_ID_MAX ||
		    !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || strchr(".:/_-", s[i]) != NULL))
			return 0;
	return i > 0;
}

/* Binance's msg, one printable line. */
static void
msg_copy(char out[BINANCE_MSG_MAX + 1], const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < BINANCE_MSG_MAX; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	out[i] = '\0';
}

int
binance_error_parse(const char *body, size_t len, struct binance_status *st)
{
	struct json_object *j = json_whole(body, len);
	const char *msg;
	int64_t code;
	int rc = -1;

	if (j == NULL || !json_object_is_type(j, json_type_object) ||
	    int_member(j, "code", &code) == -1 || code >= 0 || code < -100000 ||
	    (msg = str_member(j, "msg")) == NULL)
		goto out;
	st->code = (int)code;
	msg_copy(st->msg, msg);
	rc = 0;
out:
	json_object_put(j);
	return rc;
}

static int
balance_read(struct json_object *b, struct binance_balance *out)
{
	return !json_object_is_type(b, json_type_object) ||
	    str_copy(b, "asset", out->asset, sizeof(out->asset)) == -1 ||
	    out->asset[0] == '\0' ||
	    dec_copy(b, "free", out->free) == -1 ||
	    dec_copy(b, "locked", out->locked) == -1 ? -1 : 0;
}

/* permissions: an array of short names, kept comma-separated. */
static int
permissions_read(struct json_object *j, char *out, size_t sz)
{
	struct json_object *a;
	const char *s;
	size_t i, n, len = 0;

	out[0] = '\0';
	if (!json_object_object_get_ex(j, "permissions", &a))
		return 0;
	if (!json_object_is_type(a, json_type_array))
		return -1;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		s = str_of(json_object_array_get_idx(a, i));
		if (s == NULL || s[0] == '\0' || strchr(s, ',') != NULL ||
		    len + strlen(s) + 2 > sz)
			return -1;
		len += (size_t)snprintf(out + len, sz - len, "%s%s",
		    len > 0 ? "," : "", s);
	}
	return 0;
}

int
binance_account_parse(struct arena *a, const char *body, size_t len,
    struct binance_account *out)
{
	struct json_object *j = json_whole(body, len), *bal;
	size_t i, n;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (j == NULL || !json_object_is_type(j, json_type_object) ||
	    bool_member(j, "canTrade", -1, &out->can_trade) == -1 ||
	    bool_member(j, "canWithdraw", 0, &out->can_withdraw) == -1 ||
	    permissions_read(j, out->permissions, sizeof(out->permissions)) == -1 ||
	    !json_object_object_get_ex(j, "balances", &bal) ||
	    !json_object_is_type(bal, json_type_array) ||
	    (n = json_object_array_length(bal)) > BALANCES_MAX)
		goto out;
	if (json_object_object_get_ex(j, "accountType", NULL) &&
	    str_copy(j, "accountType", out->account_type,
	    sizeof(out->account_type)) == -1)
		goto out;
	if (n > 0 && (out->balances = arena_calloc(a, n,
	    sizeof(*out->balances))) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (balance_read(json_object_array_get_idx(bal, i),
		    &out->balances[i]) == -1)
			goto out;
	out->nbalances = n;
	rc = 0;
out:
	if (rc == -1)
		out->nbalances = 0;
	json_object_put(j);
	return rc;
}

int
binance_restrictions_parse(const char *body, size_t len,
    struct binance_restrictions *out)
{
	struct json_object *j = json_whole(body, len);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	/* A missing enableWithdrawals is never taken for "off". */
	if (j != NULL && json_object_is_type(j, json_type_object) &&
	    bool_member(j, "ipRestrict", -1, &out->ip_restrict) == 0 &&
	    bool_member(j, "enableWithdrawals", -1, &out->enable_withdrawals) == 0 &&
	    bool_member(j, "enableReading", 0, &out->enable_reading) == 0 &&
	    bool_member(j, "enableSpotAndMarginTrading", 0,
	    &out->enable_spot_trading) == 0)
		rc = 0;
	json_object_put(j);
	return rc;
}

static int
price_read(struct json_object *o, struct binance_price *out)
{
	return !json_object_is_type(o, json_type_object) ||
	    str_copy(o, "symbol", out->symbol, sizeof(out->symbol)) == -1 ||
	    !binance_symbol_ok(out->symbol) ||
	    dec_copy(o, "price", out->price) == -1 ? -1 : 0;
}

/* One filter of filterType type, its three quantities. */
static int
lot_filter(struct json_object *f, const char *type, struct binance_lot *out)
{
	struct json_object *t;

	if (!json_object_is_type(f, json_type_object) ||
	    !json_object_object_get_ex(f, "filterType", &t) ||
	    !json_object_is_type(t, json_type_string) ||
	    strcmp(json_object_get_string(t), type) != 0)
		return 0;
	return dec_copy(f, "stepSize", out->step) == -1 ||
	    dec_copy(f, "minQty", out->min_qty) == -1 ||
	    dec_copy(f, "maxQty", out->max_qty) == -1 ? -1 : 1;
}

/*
 * A notional filter that holds for MARKET orders: NOTIONAL with
 * applyMinToMarket, or MIN_NOTIONAL with applyToMarket. 1 with its
 * minNotional in out, 0 when f is not one, -1 when it does not read.
 */
static int
notional_filter(struct json_object *f, char out[BINANCE_DEC_MAX + 1])
{
	struct json_object *t, *applies;
	const char *type, *flag;

	if (!json_object_is_type(f, json_type_object) ||
	    !json_object_object_get_ex(f, "filterType", &t) ||
	    !json_object_is_type(t, json_type_string))
		return 0;
	type = json_object_get_string(t);
	if (strcmp(type, "NOTIONAL") == 0)
		flag = "applyMinToMarket";
	else if (strcmp(type, "MIN_NOTIONAL") == 0)
		flag = "applyToMarket";
	else
		return 0;
	if (!json_object_object_get_ex(f, flag, &applies) ||
	    !json_object_is_type(applies, json_type_boolean) ||
	    !json_object_get_boolean(applies))
		return 0;
	return dec_copy(f, "minNotional", out) == -1 ? -1 : 1;
}

int
binance_dec_zero(const char *s)
{
	return strspn(s, "0.") == strlen(s);
}

int
binance_lot_parse(const char *body, size_t len, const char *symbol,
    struct binance_lot *out)
{
	struct json_object *j = json_whole(body, len), *syms, *s, *fs;
	struct binance_lot lot, market;
	int have = 0, have_market = 0, r;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	memset(&lot, 0, sizeof(lot));
	memset(&market, 0, sizeof(market));
	if (j == NULL || !json_object_is_type(j, json_type_object) ||
	    !json_object_object_get_ex(j, "symbols", &syms) ||
	    !json_object_is_type(syms, json_type_array) ||
	    json_object_array_length(syms) != 1 ||
	    !json_object_is_type((s = json_object_array_get_idx(syms, 0)),
	    json_type_object) ||
	    str_copy(s, "symbol", out->symbol, sizeof(out->symbol)) == -1 ||
	    strcmp(out->symbol, symbol) != 0 ||
	    !json_object_object_get_ex(s, "filters", &fs) ||
	    !json_object_is_type(fs, json_type_array))
		goto bad;
	n = json_object_array_length(fs);
	memcpy(out->min_notional, "0", 2);
	for (i = 0; i < n; i++) {
		if (notional_filter(json_object_array_get_idx(fs, i),
		    out->min_notional) == -1)
			goto bad;
		if ((r = lot_filter(json_object_array_get_idx(fs, i), "LOT_SIZE",
		    &lot)) == -1)
			goto bad;
		have |= r;
		if ((r = lot_filter(json_object_array_get_idx(fs, i),
		    "MARKET_LOT_SIZE", &market)) == -1)
			goto bad;
		have_market |= r;
	}
	/* MARKET_LOT_SIZE's step is often 0: LOT_SIZE's then holds. */
	if (have_market && !binance_dec_zero(market.step))
		lot = market;
	else if (!have)
		goto bad;
	if (binance_dec_zero(lot.step))
		goto bad;
	memcpy(out->step, lot.step, sizeof(out->step));
	memcpy(out->min_qty, lot.min_qty, sizeof(out->min_qty));
	memcpy(out->max_qty, lot.max_qty, sizeof(out->max_qty));
	json_object_put(j);
	return 0;
bad:
	json_object_put(j);
	memset(out, 0, sizeof(*out));
	return -1;
}

int
binance_price_parse(const char *body, size_t len, const char *symbol,
    struct binance_price *out)
{
	struct json_object *j = json_whole(body, len);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (j != NULL && price_read(j, out) == 0 &&
	    strcmp(out->symbol, symbol) == 0)
		rc = 0;
	json_object_put(j);
	return rc;
}

int
binance_prices_parse(const char *body, size_t len, const char *const *symbols,
    size_t n, struct binance_price *out)
{
	struct json_object *j = json_whole(body, len);
	struct binance_price p;
	size_t i, k;
	int rc = -1;

	for (k = 0; k < n; k++)
		out[k].symbol[0] = '\0';
	if (j == NULL || !json_object_is_type(j, json_type_array) ||
	    json_object_array_length(j) != n)
		goto out;
	for (i = 0; i < n; i++) {
		if (price_read(json_object_array_get_idx(j, i), &p) == -1)
			goto out;
		for (k = 0; k < n && strcmp(symbols[k], p.symbol) != 0; k++)
			;
		/* Unasked for, or twice. */
		if (k == n || out[k].symbol[0] != '\0')
			goto out;
		out[k] = p;
	}
	rc = 0;
out:
	json_object_put(j);
	return rc;
}

/* [openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", trades, ...] */
static int
kline_read(struct json_object *k, struct binance_kline *out)
{
	static const int decs[] = { 1, 2, 3, 4, 5, 7 };
	char *dst[6];
	struct json_object *v;
	const char *s;
	size_t i;

	dst[0] = out->open; dst[1] = out->high; dst[2] = out->low;
	dst[3] = out->close; dst[4] = out->volume; dst[5] = out->quote_volume;
	if (!json_object_is_type(k, json_type_array) ||
	    json_object_array_length(k) < 9)
		return -1;
	for (i = 0; i < 6; i++) {
		s = str_of(json_object_array_get_idx(k, (size_t)decs[i]));
		if (s == NULL || !binance_dec_ok(s))
			return -1;
		memcpy(dst[i], s, strlen(s) + 1);
	}
	if (!json_object_is_type(v = json_object_array_get_idx(k, 0), json_type_int) ||
	    (out->open_time = json_object_get_int64(v)) < 0 ||
	    !json_object_is_type(v = json_object_array_get_idx(k, 6), json_type_int) ||
	    (out->close_time = json_object_get_int64(v)) < out->open_time ||
	    !json_object_is_type(v = json_object_array_get_idx(k, 8), json_type_int) ||
	    (out->trades = (long)json_object_get_int64(v)) < 0)
		return -1;
	return 0;
}

int
binance_klines_parse(const char *body, size_t len, struct binance_kline *out,
    size_t max, size_t *n)
{
	struct json_object *j = json_whole(body, len);
	size_t i, cnt;
	int rc = -1;

	*n = 0;
	if (j == NULL || !json_object_is_type(j, json_type_array) ||
	    (cnt = json_object_array_length(j)) > max)
		goto out;
	for (i = 0; i < cnt; i++) {
		if (kline_read(json_object_array_get_idx(j, i), &out[i]) == -1)
			goto out;
		/* Oldest first, each after the one before. */
		if (i > 0 && out[i].open_time <= out[i - 1].open_time)
			goto out;
	}
	*n = cnt;
	rc = 0;
out:
	json_object_put(j);
	return rc;
}

static int
fills_read(struct arena *a, struct json_object *j, struct binance_order *out)
{
	struct json_object *arr, *f;
	size_t i, n;

	if (!json_object_object_get_ex(j, "fills", &arr))
		return 0;
	if (!json_object_is_type(arr, json_type_array) ||
	    (n = json_object_array_length(arr)) > FILLS_MAX)
		return -1;
	if (n == 0)
		return 0;
	if ((out->fills = arena_calloc(a, n, sizeof(*out->fills))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		f = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(f, json_type_object) ||
		    dec_copy(f, "price", out->fills[i].price) == -1 ||
		    dec_copy(f, "qty", out->fills[i].qty) == -1 ||
		    dec_copy(f, "commission", out->fills[i].commission) == -1 ||
		    str_copy(f, "commissionAsset", out->fills[i].commission_asset,
		    sizeof(out->fills[i].commission_asset)) == -1 ||
		    int_member(f, "tradeId", &out->fills[i].trade_id) == -1)
			return -1;
	}
	out->nfills = n;
	return 0;
}

int
binance_time_parse(const char *body, size_t len, int64_t *server_ms)
{
	struct json_object *j = json_whole(body, len);
	int rc = -1;

	*server_ms = 0;
	if (j != NULL && json_object_is_type(j, json_type_object) &&
	    int_member(j, "serverTime", server_ms) == 0 && *server_ms > 0)
		rc = 0;
	json_object_put(j);
	return rc;
}

int
binance_trades_parse(struct arena *a, const char *body, size_t len,
    struct binance_order *out)
{
	struct json_object *j = json_whole(body, len), *t;
	struct binance_fill *f;
	int64_t order_id;
	size_t i, n;
	int rc = -1;

	out->fills = NULL;
	out->nfills = 0;
	if (j == NULL || !json_object_is_type(j, json_type_array) ||
	    (n = json_object_array_length(j)) > FILLS_MAX)
		goto out;
	if (n > 0 && (f = arena_calloc(a, n, sizeof(*f))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		t = json_object_array_get_idx(j, i);
		if (!json_object_is_type(t, json_type_object) ||
		    int_member(t, "orderId", &order_id) == -1 ||
		    order_id != out->order_id ||
		    dec_copy(t, "price", f[i].price) == -1 ||
		    dec_copy(t, "qty", f[i].qty) == -1 ||
		    dec_copy(t, "commission", f[i].commission) == -1 ||
		    str_copy(t, "commissionAsset", f[i].commission_asset,
		    sizeof(f[i].commission_asset)) == -1 ||
		    int_member(t, "id", &f[i].trade_id) == -1)
			goto out;
	}
	if (n > 0)
		out->fills = f;
	out->nfills = n;
	rc = 0;
out:
	json_object_put(j);
	return rc;
}

int
binance_order_parse(struct arena *a, const char *body, size_t len,
    struct binance_order *out)
{
	struct json_object *j = json_whole(body, len);
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (j == NULL || !json_object_is_type(j, json_type_object) ||
	    str_copy(j, "symbol", out->symbol, sizeof(out->symbol)) == -1 ||
	    !binance_symbol_ok(out->symbol) ||
	    int_member(j, "orderId", &out->order_id) == -1 ||
	    str_copy(j, "clientOrderId", out->client_order_id,
	    sizeof(out->client_order_id)) == -1 ||
	    str_copy(j, "status", out->status, sizeof(out->status)) == -1 ||
	    str_copy(j, "side", out->side, sizeof(out->side)) == -1 ||
	    str_copy(j, "type", out->type, sizeof(out->type)) == -1 ||
	    dec_copy(j, "price", out->price) == -1 ||
	    dec_copy(j, "origQty", out->orig_qty) == -1 ||
	    dec_copy(j, "executedQty", out->executed_qty) == -1 ||
	    dec_copy(j, "cummulativeQuoteQty", out->cumm_quote_qty) == -1)
		goto out;
	if (json_object_object_get_ex(j, "timeInForce", NULL) &&
	    str_copy(j, "timeInForce", out->time_in_force,
	    sizeof(out->time_in_force)) == -1)
		goto out;
	if (int_member(j, "transactTime", &out->time) == -1 &&
	    int_member(j, "time", &out->time) == -1)
		goto out;
	if (fills_read(a, j, out) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		out->nfills = 0;
	json_object_put(j);
	return rc;
}
