/* domain/kline_iv.c — the candle intervals hzm keeps: names and lengths */
#include <string.h>

#include "domain/kline_iv.h"

const char *const kline_names[KL_COUNT] = { "1m", "5m", "15m", "1h", "4h",
    "1d" };
const int64_t kline_seconds[KL_COUNT] = { 60, 300, 900, 3600, 14400, 86400 };

int
kline_iv_find(const char *name)
{
	int i;

	for (i = 0; name != NULL && i < KL_COUNT; i++)
		if (strcmp(name, kline_names[i]) == 0)
			return i;
	return -1;
}
