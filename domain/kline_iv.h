/* domain/kline_iv.h — the candle intervals hzm keeps (spec Appendix C): their names and lengths, one table for the matcher, the streamer and the REST handlers */
#ifndef HZM_KLINE_IV_H
#define HZM_KLINE_IV_H

#include <stdint.h>

enum kline_iv { KL_1M, KL_5M, KL_15M, KL_1H, KL_4H, KL_1D, KL_COUNT };

extern const char *const kline_names[KL_COUNT];	/* "1m" ... "1d" */
extern const int64_t	 kline_seconds[KL_COUNT];

/* The interval named name, or -1. */
int	kline_iv_find(const char *name);

#endif
