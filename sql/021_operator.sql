-- 021_operator.sql — the operator console: staff roles, market statuses, indexes for the global order and trade lists

-- Staff carry one staff role (ADMIN, COMPLIANCE or SUPPORT) on top of
-- USER; which routes each may call is declared in the handlers' tables.
ALTER TABLE user_roles DROP CONSTRAINT user_roles_role_check;
ALTER TABLE user_roles ADD CONSTRAINT user_roles_role_check
	CHECK (role IN ('USER', 'ADMIN', 'COMPLIANCE', 'SUPPORT'));
CREATE UNIQUE INDEX user_roles_one_staff_role ON user_roles (user_id)
	WHERE role <> 'USER';

-- Every user's orders and trades for staff (domain/trade_search.c): each
-- filter has an index ending in (created_at, id), so a page comes off it
-- in order and no list reads the table through. On a large live table
-- build these by hand first with CREATE INDEX CONCURRENTLY (same names):
-- IF NOT EXISTS then leaves them be.
CREATE INDEX IF NOT EXISTS orders_search_time ON orders (created_at, id);
CREATE INDEX IF NOT EXISTS orders_search_user ON orders (user_id, created_at, id);
CREATE INDEX IF NOT EXISTS orders_search_symbol ON orders (symbol, created_at, id);
CREATE INDEX IF NOT EXISTS orders_search_status ON orders (status, created_at, id);
CREATE INDEX IF NOT EXISTS trades_search_time ON trades (created_at, id);
CREATE INDEX IF NOT EXISTS trades_search_symbol ON trades (symbol, created_at, id);
CREATE INDEX IF NOT EXISTS trades_search_maker ON trades (maker_user_id, created_at, id);
CREATE INDEX IF NOT EXISTS trades_search_taker ON trades (taker_user_id, created_at, id);

-- CANCEL_ONLY: the book stays and cancels are served, no new orders (as
-- HALTED; the two tell customers different stories).
ALTER TABLE markets DROP CONSTRAINT markets_status_check;
ALTER TABLE markets ADD CONSTRAINT markets_status_check
	CHECK (status IN ('ACTIVE', 'HALTED', 'CANCEL_ONLY', 'CLOSED'));

-- Live settings (domain/sysconfig.c): what may change while everything
-- runs, each change a new version with its old and new value. Processes
-- read config_version at most once a second (core/liveconf.c) and the
-- settings again when it moved.
CREATE TABLE config_version (
	one		boolean PRIMARY KEY DEFAULT true CHECK (one),
	version		bigint NOT NULL
);
INSERT INTO config_version VALUES (true, 0);
CREATE TABLE system_config (
	key		text PRIMARY KEY CHECK (key ~ '^[a-z_]+(\.[A-Za-z0-9_]+)*$'),
	value		text NOT NULL CHECK (length(value) <= 200),
	version		bigint NOT NULL,
	updated_by	bigint REFERENCES users (id),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE system_config_history (
	version		bigint PRIMARY KEY,
	key		text NOT NULL,
	old_value	text,
	new_value	text NOT NULL,
	changed_by	bigint REFERENCES users (id),
	reason		text,
	changed_at	timestamptz NOT NULL DEFAULT now()
);
