-- sql/032_surveil_cursor.sql — how far cron-surveil has looked: each run examines only the trades since

-- The round-trip check (domain/surveil.c) took the last 25 hours of
-- trades and joined them with themselves on every run: two accounts that
-- traded with each other 135,000 times made that join exceed the worker's
-- statement timeout, and past its first 1,000 round trips it found the
-- same ones again and never a new one. It now takes each trade once, as
-- the closing leg of a round trip, and looks back for its opening leg
-- through the traders' indexes; last_trade_id is the last trade so
-- examined, moved on with each chunk.
CREATE TABLE surveil_cursors (
	name		text PRIMARY KEY,
	last_trade_id	bigint NOT NULL,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
