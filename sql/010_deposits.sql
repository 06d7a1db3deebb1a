-- 010_deposits.sql — crypto deposits: each asset's networks, users' deposit addresses, the chain watcher's cursor, deposits, compliance alerts

-- The networks an asset moves on, and each one's deposit rules: the
-- smallest deposit credited and the confirmations it waits for
-- (Appendix C). A network without a node adapter stays disabled.
CREATE TABLE asset_networks (
	asset		text NOT NULL REFERENCES assets (code),
	network		text NOT NULL CHECK (network ~ '^[A-Z0-9]{2,10}$'),
	is_default	boolean NOT NULL DEFAULT false,
	deposit_enabled	boolean NOT NULL DEFAULT false,
	min_deposit	numeric(38, 18) NOT NULL CHECK (min_deposit > 0),
	confirmations	integer NOT NULL CHECK (confirmations BETWEEN 1 AND 1000),
	-- Some chains (XRP, XLM) share one address and tell users apart by a memo.
	uses_memo	boolean NOT NULL DEFAULT false,
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (asset, network)
);
CREATE UNIQUE INDEX asset_networks_default ON asset_networks (asset)
	WHERE is_default;

INSERT INTO asset_networks (asset, network, is_default, deposit_enabled,
    min_deposit, confirmations) VALUES
	('BTC', 'BTC', true, true, 0.0001, 3),
	('ETH', 'ETH', true, false, 0.001, 12),
	('USDT', 'TRC20', true, false, 1, 20);

-- One address per user, asset and network, made by the node on first
-- request and kept: users may reuse it, and every deposit to it is theirs.
CREATE TABLE deposit_addresses (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id),
	asset		text NOT NULL,
	network		text NOT NULL,
	address		text NOT NULL CHECK (address ~ '^[A-Za-z0-9]{14,128}$'),
	memo		text CHECK (memo ~ '^[A-Za-z0-9]{1,64}$'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (asset, network) REFERENCES asset_networks (asset, network),
	UNIQUE (user_id, asset, network)
);
-- The chain watcher finds a transfer's owner by its address (and memo).
CREATE UNIQUE INDEX deposit_addresses_by_address
	ON deposit_addresses (network, address, coalesce(memo, ''));

-- Where the chain watcher resumes: the block its last pass ended at,
-- a few blocks behind the tip so that confirmations are seen to grow.
CREATE TABLE chain_cursors (
	network		text PRIMARY KEY CHECK (network ~ '^[A-Z0-9]{2,10}$'),
	last_block	text NOT NULL CHECK (last_block ~ '^[0-9a-f]{64}$'),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Incoming transfers to deposit addresses, one per transaction output.
-- PENDING until the required confirmations, then COMPLETED with its
-- ledger row (credited exactly once: the status changes under the row's
-- lock, and the ledger index below refuses a second credit); REJECTED
-- when below the minimum (recorded, never credited); FAILED when the
-- transaction left the chain before it was credited (double-spent).
CREATE TABLE deposits (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id		text NOT NULL UNIQUE CHECK (public_id ~ '^dep_[a-z2-7]{20}$'),
	user_id			bigint NOT NULL REFERENCES users (id),
	asset			text NOT NULL,
	network			text NOT NULL,
	address_id		bigint NOT NULL REFERENCES deposit_addresses (id),
	address			text NOT NULL,
	txid			text NOT NULL CHECK (txid ~ '^[0-9a-f]{64}$'),
	vout			integer NOT NULL CHECK (vout >= 0),
	amount			numeric(38, 18) NOT NULL CHECK (amount > 0),
	confirmations		integer NOT NULL DEFAULT 0,
	required_confirmations	integer NOT NULL CHECK (required_confirmations >= 1),
	block_hash		text CHECK (block_hash ~ '^[0-9a-f]{64}$'),
	block_height		bigint CHECK (block_height >= 0),
	status			text NOT NULL CHECK (status IN ('PENDING', 'COMPLETED',
				'REJECTED', 'FAILED')),
	status_reason		text CHECK (status_reason IN ('BELOW_MINIMUM',
				'DOUBLE_SPENT')),
	ledger_id		bigint,
	credited_at		timestamptz,
	-- A credited deposit whose transaction later left the main chain.
	reorged_at		timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (asset, network) REFERENCES asset_networks (asset, network),
	UNIQUE (network, txid, vout),
	CHECK ((status = 'COMPLETED') = (ledger_id IS NOT NULL)),
	CHECK ((status = 'COMPLETED') = (credited_at IS NOT NULL)),
	CHECK (reorged_at IS NULL OR status = 'COMPLETED'),
	CHECK ((status IN ('REJECTED', 'FAILED')) = (status_reason IS NOT NULL))
);
CREATE INDEX deposits_user ON deposits (user_id, id DESC);
CREATE INDEX deposits_pending ON deposits (network) WHERE status = 'PENDING';

-- The last line of defence against a double credit: one DEPOSIT ledger
-- row per deposit (its ref is 'deposit:' and the deposit's public id).
CREATE UNIQUE INDEX ledger_deposit_once ON ledger (ref) WHERE kind = 'DEPOSIT';

-- Compliance alerts (Appendix C: alertId, severity, type, riskScore,
-- resolution). A subject ('deposit:dep_...') has at most one alert of
-- each type, so a condition seen again does not raise it twice.
-- CHAIN_REORG, beyond Appendix C's types: a credited deposit left the chain.
CREATE TABLE compliance_alerts (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^alt_[a-z2-7]{20}$'),
	user_id		bigint REFERENCES users (id),
	severity	text NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH',
			'CRITICAL')),
	type		text NOT NULL CHECK (type IN ('VELOCITY_EXCEEDED',
			'SUSPICIOUS_PATTERN', 'BLACKLIST_HIT', 'LARGE_TRANSACTION',
			'STRUCTURING', 'CHAIN_REORG')),
	risk_score	smallint NOT NULL CHECK (risk_score BETWEEN 0 AND 100),
	resolution	text NOT NULL DEFAULT 'NEW' CHECK (resolution IN ('NEW',
			'UNDER_REVIEW', 'RESOLVED', 'FALSE_POSITIVE', 'ESCALATED')),
	subject		text NOT NULL CHECK (length(subject) BETWEEN 1 AND 128),
	details		jsonb NOT NULL DEFAULT '{}'
			CHECK (jsonb_typeof(details) = 'object'),
	resolved_by	bigint REFERENCES users (id),
	resolved_at	timestamptz,
	note		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (type, subject)
);
CREATE INDEX compliance_alerts_open ON compliance_alerts (severity, created_at)
	WHERE resolution IN ('NEW', 'UNDER_REVIEW', 'ESCALATED');
CREATE INDEX compliance_alerts_user ON compliance_alerts (user_id, id DESC);
