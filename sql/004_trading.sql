-- 004_trading.sql — orders, the matcher's command inbox, trades, klines, the matcher's mark, the fee account

-- The ledger's trigger, set-based: the rows one statement adds (a batch of
-- the matcher's settles hundreds) are summed per balance and applied in a
-- single pass. Balances are locked in (user, asset) order, so concurrent
-- writers cannot deadlock on them. Debits work too: the row-level version
-- of 001 tried INSERT ... ON CONFLICT first, and CHECK (available >= 0)
-- refused the proposed (negative) row before the conflict was seen. A
-- debit of a balance that does not exist still fails, as it must.
DROP TRIGGER ledger_apply ON ledger;
CREATE OR REPLACE FUNCTION ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('hzm.ledger_write', 'on', true);
	PERFORM 1 FROM balances b
	    WHERE (b.user_id, b.asset) IN (SELECT user_id, asset FROM new_rows)
	    ORDER BY b.user_id, b.asset FOR UPDATE;
	UPDATE balances b
	SET available = b.available + d.da, locked = b.locked + d.dl,
	    updated_at = now()
	FROM (SELECT user_id, asset, sum(delta_available) AS da,
	    sum(delta_locked) AS dl FROM new_rows GROUP BY user_id, asset) d
	WHERE b.user_id = d.user_id AND b.asset = d.asset;
	INSERT INTO balances (user_id, asset, available, locked)
	SELECT user_id, asset, sum(delta_available), sum(delta_locked)
	FROM new_rows n
	WHERE NOT EXISTS (SELECT 1 FROM balances b
	    WHERE b.user_id = n.user_id AND b.asset = n.asset)
	GROUP BY user_id, asset ORDER BY user_id, asset
	ON CONFLICT (user_id, asset) DO UPDATE
	SET available = balances.available + EXCLUDED.available,
	    locked = balances.locked + EXCLUDED.locked,
	    updated_at = now();
	PERFORM set_config('hzm.ledger_write', 'off', true);
	RETURN NULL;
END $$;
CREATE TRIGGER ledger_apply AFTER INSERT ON ledger
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply();

-- Trading fees are credited to this system account. It has no login: the
-- hash is not an argon2id encoding any password verifies, and the status
-- refuses every session anyway.
INSERT INTO users (public_id, email, password_hash, status, kyc_level)
VALUES ('usr_feeaccountaaaaaaaaaa', 'fees@system.hzm.invalid',
    '$argon2id$nologin', 'BLOCKED', 0);

-- One global sequence orders every command (new orders and cancels)
-- across all markets; the matcher takes them in this order.
CREATE SEQUENCE order_seq;

CREATE TABLE orders (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id		text NOT NULL UNIQUE
				CHECK (public_id ~ '^ord_[a-z2-7]{20}$'),
	user_id			bigint NOT NULL REFERENCES users (id),
	client_order_id		text CHECK (client_order_id ~ '^[A-Za-z0-9._:-]{1,36}$'),
	symbol			text NOT NULL REFERENCES markets (symbol),
	side			text NOT NULL CHECK (side IN ('BUY', 'SELL')),
	type			text NOT NULL CHECK (type IN ('LIMIT', 'MARKET')),
	time_in_force		text NOT NULL CHECK (time_in_force IN ('GTC', 'IOC', 'FOK')),
	price			numeric(38, 18) CHECK (price > 0),
	quantity		numeric(38, 18) CHECK (quantity > 0),
	quote_order_qty		numeric(38, 18) CHECK (quote_order_qty > 0),
	executed_quantity	numeric(38, 18) NOT NULL DEFAULT 0
				CHECK (executed_quantity >= 0),
	cumulative_quote	numeric(38, 18) NOT NULL DEFAULT 0
				CHECK (cumulative_quote >= 0),
	fee_total		numeric(38, 18) NOT NULL DEFAULT 0 CHECK (fee_total >= 0),
	fee_asset		text NOT NULL,		-- the market's quote asset
	status			text NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW',
				'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED',
				'EXPIRED')),
	-- What placing the order moved from available to locked (the ledger
	-- rows that move it check the asset), and what of it is still locked; the matcher spends it on fills and releases
	-- the rest when the order is done.
	lock_asset		text NOT NULL,
	locked_amount		numeric(38, 18) NOT NULL CHECK (locked_amount >= 0),
	lock_remaining		numeric(38, 18) NOT NULL CHECK (lock_remaining >= 0),
	seq			bigint NOT NULL,	-- order_seq: unique by construction
	-- Time priority in the book, given by the matcher when it takes the
	-- order: rebuilding a book in this order restores it exactly.
	book_seq		bigint,
	cancel_requested_at	timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CHECK ((type = 'LIMIT') = (price IS NOT NULL)),
	CHECK ((quantity IS NULL) <> (quote_order_qty IS NULL)),
	CHECK (quote_order_qty IS NULL OR (type = 'MARKET' AND side = 'BUY')),
	CHECK (quantity IS NULL OR executed_quantity <= quantity),
	CHECK (lock_remaining <= locked_amount),
	CHECK (status IN ('NEW', 'PARTIALLY_FILLED') OR lock_remaining = 0),
	CHECK (status <> 'FILLED' OR quantity IS NULL OR executed_quantity = quantity),
	CHECK (status <> 'NEW' OR executed_quantity = 0)
);
-- Indexes are few on purpose: the matcher rewrites an order's row as it
-- fills, and every index is written again on each such update.
CREATE INDEX orders_user ON orders (user_id, id DESC);
CREATE UNIQUE INDEX orders_client_id ON orders (user_id, client_order_id)
	WHERE client_order_id IS NOT NULL;
-- The open orders: what the matcher rebuilds its books from after a
-- restart, and the resting asks a market buy by quantity is priced on.
CREATE INDEX orders_open ON orders (symbol, side, price, book_seq)
	WHERE status IN ('NEW', 'PARTIALLY_FILLED') AND book_seq IS NOT NULL;

-- Commands for the matcher. A row lives for milliseconds and is written in
-- the statement that writes (or locks) its order: it has no foreign keys
-- to check on the hottest path there is. The matcher deletes each row in
-- the transaction that commits the command's effects, so a command is
-- applied exactly once: a "processed up to seq" mark alone would skip a
-- row whose transaction drew its number earlier but committed later than
-- one already processed.
CREATE TABLE order_inbox (
	seq		bigint PRIMARY KEY,
	kind		text NOT NULL CHECK (kind IN ('NEW', 'CANCEL')),
	order_id	bigint NOT NULL,
	symbol		text NOT NULL,
	-- The channel of the handler waiting for the outcome, if any: the
	-- matcher NOTIFYs it with the order's id once the command is applied.
	reply_to	text CHECK (reply_to ~ '^[a-z0-9_]{1,63}$'),
	created_at	timestamptz NOT NULL DEFAULT now()
);
-- A queue: every row is deleted within moments, so vacuum it often.
ALTER TABLE order_inbox SET (autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 2000, autovacuum_vacuum_cost_delay = 0);

CREATE TABLE trades (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^trd_[a-z2-7]{20}$'),
	symbol		text NOT NULL,		-- its orders' market
	price		numeric(38, 18) NOT NULL CHECK (price > 0),
	quantity	numeric(38, 18) NOT NULL CHECK (quantity > 0),
	quote_quantity	numeric(38, 18) NOT NULL CHECK (quote_quantity >= 0),
	maker_order_id	bigint NOT NULL REFERENCES orders (id),
	taker_order_id	bigint NOT NULL REFERENCES orders (id),
	maker_user_id	bigint NOT NULL,
	taker_user_id	bigint NOT NULL,
	maker_side	text NOT NULL CHECK (maker_side IN ('BUY', 'SELL')),
	maker_fee	numeric(38, 18) NOT NULL CHECK (maker_fee >= 0),
	taker_fee	numeric(38, 18) NOT NULL CHECK (taker_fee >= 0),
	maker_fee_asset	text NOT NULL,		-- the fees' ledger rows check these
	taker_fee_asset	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (maker_order_id <> taker_order_id)
);
CREATE INDEX trades_maker_user ON trades (maker_user_id, id DESC);
CREATE INDEX trades_taker_user ON trades (taker_user_id, id DESC);
CREATE INDEX trades_maker_order ON trades (maker_order_id);
CREATE INDEX trades_taker_order ON trades (taker_order_id);
CREATE INDEX trades_symbol ON trades (symbol, id DESC);

-- Candles, upserted by the matcher with every batch of trades.
CREATE TABLE klines (
	symbol		text NOT NULL REFERENCES markets (symbol),
	interval	text NOT NULL CHECK (interval IN ('1m', '5m', '15m', '1h',
			'4h', '1d')),
	open_time	timestamptz NOT NULL,
	open		numeric(38, 18) NOT NULL,
	high		numeric(38, 18) NOT NULL,
	low		numeric(38, 18) NOT NULL CHECK (low > 0),
	close		numeric(38, 18) NOT NULL,
	volume		numeric(38, 18) NOT NULL CHECK (volume > 0),
	quote_volume	numeric(38, 18) NOT NULL CHECK (quote_volume >= 0),
	trades		integer NOT NULL CHECK (trades > 0),
	PRIMARY KEY (symbol, interval, open_time),
	CHECK (low <= open AND open <= high AND low <= close AND close <= high)
);

-- The matcher's progress per market: the last command applied, the last
-- time priority handed out, the last trade price (wallet valuations).
CREATE TABLE matcher_state (
	symbol		text PRIMARY KEY REFERENCES markets (symbol),
	last_seq	bigint NOT NULL DEFAULT 0,
	book_seq	bigint NOT NULL DEFAULT 0,
	last_price	numeric(38, 18) CHECK (last_price > 0),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
INSERT INTO matcher_state (symbol) SELECT symbol FROM markets;
