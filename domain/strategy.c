/* domain/strategy.c — the strategies' names and their parameters read from a bot's configuration */
#include <string.h>

#include <json-c/json.h>

#include "core/decimal.h"
#include "core/input.h"
#include "domain/strategy.h"

const char *const strat_names[] = { "simple", "ema", "rsi", "grid", "dca", NULL };

int
strat_kind(const char *s)
{
	int i;

	for (i = 0; s != NULL && strat_names[i] != NULL; i++)
		if (strcmp(s, strat_names[i]) == 0)
			return i;
	return -1;
}

static int
bad(struct in_err *e, const char *field, const char *why)
{
	e->field = field;
	e->reason = why;
	return -1;
}

/* The member name of params, or NULL when absent or null. */
static struct json_object *
member(struct json_object *params, const char *name)
{
	struct json_object *v = NULL;

	if (params == NULL || !json_object_object_get_ex(params, name, &v) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	return v;
}

/* An integer member, min..max, dflt when absent (-1: required). */
static int
p_int(struct json_object *params, const char *name, int min, int max,
    int dflt, int *out, struct in_err *e)
{
	struct json_object *v = member(params, name);
	int64_t n;

	if (v == NULL) {
		if (dflt < 0)
			return bad(e, name, "required");
		*out = dflt;
		return 0;
	}
	if (!json_object_is_type(v, json_type_int))
		return bad(e, name, "must be a whole number");
	n = json_object_get_int64(v);
	if (n < min || n > max)
		return bad(e, name, "out of range");
	*out = (int)n;
	return 0;
}

/* A positive decimal string member at scale; dflt (a string) when absent, NULL: required. */
static int
p_dec(struct json_object *params, const char *name, int scale,
    const char *dflt, int64_t *out, struct in_err *e)
{
	struct json_object *v = member(params, name);
	const char *s;
	int rc;

	if (v == NULL) {
		if (dflt == NULL)
			return bad(e, name, "required");
		s = dflt;
	} else if (!json_object_is_type(v, json_type_string))
		return bad(e, name, "must be a decimal string");
	else
		s = json_object_get_string(v);
	if ((rc = dec_parse(s, strlen(s), scale, out)) != DEC_OK)
		return bad(e, name, rc == DEC_EPRECISION ?
		    "too many decimal places" : rc == DEC_ERANGE ?
		    "out of range" : "must be a positive decimal string");
	if (*out <= 0)
		return bad(e, name, "must be positive");
	return 0;
}

/* Members the strategy does not know are refused: a misspelt one would be ignored. */
static int
only(struct json_object *params, const char *const *names, struct in_err *e)
{
	const char *const *n;

	if (params == NULL)
		return 0;
	json_object_object_foreach(params, key, val) {
		(void)val;
		for (n = names; *n != NULL && strcmp(*n, key) != 0; n++)
			;
		if (*n == NULL)
			return bad(e, "strategyParams", "unknown parameter for "
			    "this strategy");
	}
	return 0;
}

static int
parse_simple(struct json_object *o, const struct strat_scales *sc,
    struct strat_params *p, struct in_err *e)
{
	static const char *const names[] = { "buyBelow", "sellAbove", NULL };

	/*
	 * Seed 001 §33's simple strategy, "buy when the price is under 100",
	 * is the default; without sellAbove it sells only by the bot's stop
	 * loss or take profit.
	 */
	if (only(o, names, e) == -1 ||
	    p_dec(o, "buyBelow", sc->price, "100", &p->buy_below, e) == -1)
		return -1;
	p->sell_above = INT64_MAX;
	if (member(o, "sellAbove") == NULL)
		return 0;
	if (p_dec(o, "sellAbove", sc->price, NULL, &p->sell_above, e) == -1)
		return -1;
	if (p->buy_below >= p->sell_above)
		return bad(e, "sellAbove", "must be above buyBelow");
	return 0;
}

static int
parse_rsi(struct json_object *o, struct strat_params *p, struct in_err *e)
{
	static const char *const names[] = { "rsiPeriod", "oversold",
	    "overbought", NULL };

	if (only(o, names, e) == -1 ||
	    p_int(o, "rsiPeriod", 2, 200, 14, &p->rsi_period, e) == -1 ||
	    p_int(o, "oversold", 1, 99, 30, &p->oversold, e) == -1 ||
	    p_int(o, "overbought", 1, 99, 70, &p->overbought, e) == -1)
		return -1;
	if (p->oversold >= p->overbought)
		return bad(e, "overbought", "must be above oversold");
	return 0;
}

static int
parse_grid(struct json_object *o, const struct strat_scales *sc,
    struct strat_params *p, struct in_err *e)
{
	static const char *const names[] = { "lower", "upper", "levels", NULL };

	if (only(o, names, e) == -1 ||
	    p_dec(o, "lower", sc->price, NULL, &p->lower, e) == -1 ||
	    p_dec(o, "upper", sc->price, NULL, &p->upper, e) == -1 ||
	    p_int(o, "levels", 2, 200, -1, &p->levels, e) == -1)
		return -1;
	if (p->lower >= p->upper)
		return bad(e, "upper", "must be above lower");
	if ((p->upper - p->lower) / p->levels == 0)
		return bad(e, "levels", "more levels than prices between lower and upper");
	return 0;
}

static int
parse_dca(struct json_object *o, int64_t order_size,
    const struct strat_scales *sc, struct strat_params *p, struct in_err *e)
{
	static const char *const names[] = { "safetyOrderSize",
	    "maxSafetyOrders", "priceDeviation", "volumeScale", "takeProfit", NULL };
	char dflt[DEC_BUFSZ];

	if (dec_format(order_size, sc->qty, dflt, sizeof(dflt)) < 0)
		return bad(e, "orderSize", "out of range");
	if (only(o, names, e) == -1 ||
	    p_dec(o, "safetyOrderSize", sc->qty, dflt, &p->safety_size, e) == -1 ||
	    p_int(o, "maxSafetyOrders", 0, 50, 3, &p->max_safety, e) == -1 ||
	    p_dec(o, "priceDeviation", STRAT_PCT_SCALE, "1", &p->deviation, e) == -1 ||
	    p_dec(o, "volumeScale", STRAT_PCT_SCALE, "1", &p->volume_scale, e) == -1 ||
	    p_dec(o, "takeProfit", STRAT_PCT_SCALE, "1", &p->take_profit, e) == -1)
		return -1;
	if (p->deviation >= 100 * STRAT_PCT_ONE)
		return bad(e, "priceDeviation", "must be below 100");
	/* volumeScale is a factor: 1 to 10 */
	p->volume_scale *= 100;
	if (p->volume_scale < 100 * STRAT_PCT_ONE || p->volume_scale > 1000 * STRAT_PCT_ONE)
		return bad(e, "volumeScale", "must be from 1 to 10");
	return 0;
}

int
strat_params_parse(enum strat_kind k, struct json_object *o, int ema_period,
    int64_t order_size, const struct strat_scales *sc, struct strat_params *p,
    struct in_err *e)
{
	memset(p, 0, sizeof(*p));
	p->kind = k;
	if (o != NULL && !json_object_is_type(o, json_type_object))
		return bad(e, "strategyParams", "must be an object");
	if (ema_period != 0 && k != STRAT_EMA)
		return bad(e, "emaPeriod", "only for the ema strategy");
	switch (k) {
	case STRAT_SIMPLE:
		return parse_simple(o, sc, p, e);
	case STRAT_EMA:
		if (o != NULL && json_object_object_length(o) > 0)
			return bad(e, "strategyParams", "the ema strategy takes "
			    "emaPeriod only");
		p->ema_period = ema_period == 0 ? STRAT_EMA_PERIOD : ema_period;
		return 0;
	case STRAT_RSI:
		return parse_rsi(o, p, e);
	case STRAT_GRID:
		return parse_grid(o, sc, p, e);
	case STRAT_DCA:
		return parse_dca(o, order_size, sc, p, e);
	default:
		return bad(e, "strategy", "unknown strategy");
	}
}
