-- 035_rate_counters.sql — rate-limit windows counted in PostgreSQL while memcached is out

-- Rate limits are counted in memcached (core/ratelimit.c). When it cannot
-- be reached they are counted here instead, so that an outage lifts no
-- limit: one row per class, caller and fixed window, its key memcached's
-- own ("rl:<class>:<who>:<window>"). Unlogged: a count that a crash loses
-- only starts its window again. Housekeeping deletes windows past.
CREATE UNLOGGED TABLE rate_counters (
	key		text PRIMARY KEY,
	n		bigint NOT NULL CHECK (n > 0),
	expires_at	timestamptz NOT NULL
);
CREATE INDEX rate_counters_expires ON rate_counters (expires_at);
