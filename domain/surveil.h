/* domain/surveil.h — market surveillance: round trips between two accounts (wash trading) found in recent trades and raised as compliance alerts */
#ifndef HZM_SURVEIL_H
#define HZM_SURVEIL_H

#include "core/err.h"

struct ctx;

/*
 * A round trip: A sells to B, then B sells back to A in the same market
 * within SURVEIL_WINDOW_MIN minutes, at a price within SURVEIL_PRICE_PCT
 * per cent and a quantity within SURVEIL_QTY_PCT per cent of the first.
 * (One user on both sides of a trade cannot happen: the matcher refuses
 * self-trades; two accounts trading back and forth is how volume is
 * faked instead.)
 */
#define SURVEIL_WINDOW_MIN	"30"
#define SURVEIL_PRICE_PCT	"1"
#define SURVEIL_QTY_PCT		"10"

struct surveil_result {
	long	 pairs;		/* round trips seen */
	long	 raised;	/* alerts new this run */
	long	 examined;	/* trades looked at as closing legs */
};

/*
 * Look over the trades since the last run (sql/032's cursor; none older
 * than hours hours) and raise a HIGH SUSPICIOUS_PATTERN alert per round
 * trip, one for each trade that closes one, with the latest trade that
 * opened it (subject "wash:trd_…/trd_…", so a run killed and repeated
 * raises nothing twice), each in a transaction of its own; staff are
 * mailed once each is committed. The trades go in chunks, the cursor
 * moving after each, for at most a few minutes a run: a backlog is
 * caught up over the next runs.
 */
enum err	surveil_wash_trades(struct ctx *, int hours,
		    struct surveil_result *);

#endif
