-- 015_trading_limits.sql — the daily trading limit: what each user trades in a UTC day, counted when an order is placed and freed as it ends

-- The UTC day a time falls on: the day the daily trading limit counts.
CREATE FUNCTION utc_day(t timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (t AT TIME ZONE 'UTC')::date $$;

-- What an order counted against the limit when it was placed, in TRY
-- (domain/trade_math.c: trade_day_value(), trade_day_try()); NULL for
-- orders placed before this migration, which count nothing.
ALTER TABLE orders ADD COLUMN day_value numeric(38, 2);

-- One row per user: the day it counts and what its orders of that day
-- count (placed value), less the releases already folded in. Placing an
-- order locks this row before the balance the order draws on, on every
-- path, so one user's orders are counted one at a time. A row of an
-- earlier day counts as zero: the next order starts the day anew.
CREATE TABLE trading_days (
	user_id		bigint PRIMARY KEY REFERENCES users (id),
	day		date NOT NULL,
	used		numeric(38, 2) NOT NULL DEFAULT 0
);

-- What an ended order frees (its counted value less what it executed, at
-- the quote asset's TRY price when it ends; negative when it executed
-- more than it counted, as a market order may). Ending an order only
-- appends here, taking no lock, so the matcher's settlement never waits
-- for a counter; the next placement of the user folds the rows of its
-- day into trading_days (and drops older ones) under that row's lock.
CREATE TABLE trading_releases (
	user_id		bigint NOT NULL,
	day		date NOT NULL,
	amount		numeric(38, 2) NOT NULL
);
CREATE INDEX trading_releases_user ON trading_releases (user_id);

-- An order's executed quote amount in TRY (cq of quote asset q).
CREATE FUNCTION trading_executed_try(cq numeric, q text) RETURNS numeric
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN q = 'TRY' THEN cq
	    ELSE round(cq * coalesce(asset_price_try(q), 0), 2) END
$$;

-- What user uid has used of today's limit (UTC): the counter of today,
-- less what ended orders freed since it was last folded.
CREATE FUNCTION trading_used_try(uid bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$
	SELECT round(greatest(0, coalesce((SELECT t.used FROM trading_days t
	    WHERE t.user_id = uid AND t.day = utc_day(now())), 0)
	    - coalesce((SELECT sum(r.amount) FROM trading_releases r
	    WHERE r.user_id = uid AND r.day = utc_day(now())), 0)), 2)
$$;
