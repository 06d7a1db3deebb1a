-- 007_login_failures.sql — failed-login counters that outlive a memcached outage

-- One row per counted subject: an account (a keyed hash of the address as
-- typed, so the table names no one) or a client address. `win` is the
-- number of the fixed window the count belongs to; a failure in a later
-- window starts the count again. `wait_until` is the account's next
-- allowed attempt once it has failed too often.
CREATE TABLE login_failures (
	subject		text PRIMARY KEY,
	win		bigint NOT NULL,
	failures	integer NOT NULL CHECK (failures > 0),
	wait_until	timestamptz,
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_updated ON login_failures (updated_at);

-- Reset and verification codes are counted per address from email_codes;
-- this index answers "how many, and how recently" for one user and purpose.
CREATE INDEX email_codes_recent ON email_codes (user_id, purpose, created_at DESC);
