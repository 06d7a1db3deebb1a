-- 018_bots.sql — trading bots (seed 001): configurations with their state, the trades they made, their open FIFO lots

-- A bot's configuration and its state in one row: the worker claims the
-- row with a lease (lease_token, lease_until) committed before it acts,
-- so two runs never act on one bot and a run killed midway leaves the
-- bot to the next once the lease ends.
CREATE TABLE bots (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id		text NOT NULL UNIQUE CHECK (public_id ~ '^bot_[a-z2-7]{20}$'),
	user_id			bigint NOT NULL REFERENCES users (id),
	name			text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	symbol			text NOT NULL CHECK (symbol ~ '^[A-Z0-9]{4,20}$'),
	venue			text NOT NULL CHECK (venue IN ('HZM', 'BINANCE')),
	strategy		text NOT NULL CHECK (strategy IN ('simple', 'ema', 'rsi',
				'grid', 'dca')),
	ema_period		integer CHECK (ema_period BETWEEN 2 AND 500),
	params			jsonb NOT NULL DEFAULT '{}'
				CHECK (jsonb_typeof(params) = 'object'),
	order_size		numeric(38, 18) NOT NULL CHECK (order_size > 0),
	paper			boolean NOT NULL DEFAULT false,
	-- percentages of the average entry price
	stop_loss_pct		numeric(7, 4) CHECK (stop_loss_pct > 0 AND stop_loss_pct < 100),
	take_profit_pct		numeric(9, 4) CHECK (take_profit_pct > 0),
	-- amounts in the market's quote asset, against today's realized PnL
	daily_profit_target	numeric(38, 18) CHECK (daily_profit_target > 0),
	daily_loss_limit	numeric(38, 18) CHECK (daily_loss_limit > 0),
	-- state
	status			text NOT NULL DEFAULT 'STOPPED'
				CHECK (status IN ('RUNNING', 'STOPPED', 'ERROR')),
	status_reason		text,
	-- a daily limit stopped the bot on this UTC day: the worker starts it
	-- again on a later day, unless a person stopped or started it since
	halted_day		date,
	position		numeric(38, 18) NOT NULL DEFAULT 0 CHECK (position >= 0),
	avg_entry		numeric(38, 18) CHECK (avg_entry > 0),
	last_price		numeric(38, 18),
	last_run_at		timestamptz,
	pnl_day			date,
	today_pnl		numeric(38, 18) NOT NULL DEFAULT 0,
	-- strategy memory (grid: the level last traded at; dca: safety orders
	-- filled since the base order)
	anchor			numeric(38, 18),
	steps			integer NOT NULL DEFAULT 0 CHECK (steps >= 0),
	-- the cycle's number names its order (client order id): a cycle
	-- tried again after a crash finds its order instead of placing another
	cycle			bigint NOT NULL DEFAULT 0,
	pending_side		text CHECK (pending_side IN ('BUY', 'SELL')),
	pending_qty		numeric(38, 18) CHECK (pending_qty > 0),
	pending_reason		text,
	failures		integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
	lease_token		text,
	lease_until		timestamptz,
	deleted_at		timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CHECK ((pending_side IS NULL) = (pending_qty IS NULL)),
	CHECK ((position = 0) = (avg_entry IS NULL))
);
CREATE INDEX bots_user ON bots (user_id, id) WHERE deleted_at IS NULL;
CREATE INDEX bots_due ON bots (last_run_at NULLS FIRST, id)
	WHERE status = 'RUNNING' AND deleted_at IS NULL;
CREATE INDEX bots_halted ON bots (halted_day) WHERE halted_day IS NOT NULL;

-- What a bot did: one row per cycle that traded (unique: a cycle settled
-- twice is refused), with what it realized against its FIFO lots.
CREATE TABLE bot_trades (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^btr_[a-z2-7]{20}$'),
	bot_id		bigint NOT NULL REFERENCES bots (id),
	user_id		bigint NOT NULL REFERENCES users (id),
	cycle		bigint NOT NULL,
	symbol		text NOT NULL,
	side		text NOT NULL CHECK (side IN ('BUY', 'SELL')),
	price		numeric(38, 18) NOT NULL CHECK (price > 0),
	quantity	numeric(38, 18) NOT NULL CHECK (quantity > 0),
	quote_quantity	numeric(38, 18) NOT NULL CHECK (quote_quantity >= 0),
	fee		numeric(38, 18) NOT NULL DEFAULT 0 CHECK (fee >= 0),
	fee_asset	text,
	realized_pnl	numeric(38, 18) NOT NULL DEFAULT 0,
	reason		text NOT NULL CHECK (reason IN ('SIGNAL', 'STOP_LOSS',
			'TAKE_PROFIT')),
	paper		boolean NOT NULL,
	venue		text NOT NULL,
	order_id	text,		-- the venue's order (ord_... on hzm)
	client_order_id	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (bot_id, cycle),
	CHECK (side = 'SELL' OR realized_pnl = 0)
);
CREATE INDEX bot_trades_bot ON bot_trades (bot_id, id);

-- The bot's open position as FIFO lots: what each buy left, at what cost
-- (its quote amount and fee). A sell takes from the oldest first.
CREATE TABLE bot_lots (
	bot_id		bigint NOT NULL REFERENCES bots (id),
	trade_id	bigint NOT NULL REFERENCES bot_trades (id),
	quantity	numeric(38, 18) NOT NULL CHECK (quantity > 0),
	cost		numeric(38, 18) NOT NULL CHECK (cost >= 0),
	PRIMARY KEY (bot_id, trade_id)
);
