-- 012_withdrawals.sql — crypto withdrawals: each network's withdrawal rules, requests, approvals, the address blacklist, compliance holds

-- When 2FA was last turned off: withdrawals wait a day after that, as
-- they do after a password change (password_changed_at).
ALTER TABLE users ADD COLUMN twofa_disabled_at timestamptz;

-- Each network's withdrawal rules: whether it is open, the smallest
-- amount, the flat network fee the user pays on top of the amount, and
-- the confirmations a payment waits for before it is COMPLETED.
ALTER TABLE asset_networks
	ADD COLUMN withdraw_enabled boolean NOT NULL DEFAULT false,
	ADD COLUMN min_withdrawal numeric(38, 18) NOT NULL DEFAULT 1
		CHECK (min_withdrawal > 0),
	ADD COLUMN withdraw_fee numeric(38, 18) NOT NULL DEFAULT 0
		CHECK (withdraw_fee >= 0),
	ADD COLUMN withdraw_confirmations integer NOT NULL DEFAULT 1
		CHECK (withdraw_confirmations BETWEEN 1 AND 1000);
UPDATE asset_networks SET withdraw_enabled = true, min_withdrawal = 0.001,
    withdraw_fee = 0.0005, withdraw_confirmations = 3
    WHERE asset = 'BTC' AND network = 'BTC';
UPDATE asset_networks SET min_withdrawal = 0.01, withdraw_fee = 0.005,
    withdraw_confirmations = 12 WHERE asset = 'ETH' AND network = 'ETH';
UPDATE asset_networks SET min_withdrawal = 10, withdraw_fee = 1,
    withdraw_confirmations = 20 WHERE asset = 'USDT' AND network = 'TRC20';

-- What one unit of an asset is worth in TRY: 1 for TRY, else the last
-- trade price of its TRY market; NULL while that market has not traded.
CREATE FUNCTION asset_price_try(a text) RETURNS numeric
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN a = 'TRY' THEN 1::numeric ELSE
	    (SELECT s.last_price FROM markets m
	     JOIN matcher_state s ON s.symbol = m.symbol
	     WHERE m.base_asset = a AND m.quote_asset = 'TRY') END
$$;

-- Withdrawal requests. The amount and the fee are locked when the
-- request is stored (a WITHDRAWAL_LOCK ledger row in the same
-- transaction); they leave on COMPLETED (WITHDRAWAL and FEE rows) or come
-- back exactly once on REJECTED or FAILED (WITHDRAWAL_UNLOCK).
--   PENDING_APPROVAL   waits for staff (approvals_required of them)
--   PENDING_SIGNATURE  approved, or clean: the withdrawal worker sends it
--   PROCESSING         the worker is sending it (attempts numbered) or it
--                      was sent (tx_hash) and waits for confirmations
--   COMPLETED          required_confirmations reached
--   REJECTED           by staff, unlocked
--   FAILED             the node refused the payment for good, unlocked
CREATE TABLE withdrawals (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id		text NOT NULL UNIQUE CHECK (public_id ~ '^wdr_[a-z2-7]{20}$'),
	user_id			bigint NOT NULL REFERENCES users (id),
	asset			text NOT NULL,
	network			text NOT NULL,
	address			text NOT NULL CHECK (address ~ '^[A-Za-z0-9]{14,128}$'),
	memo			text CHECK (memo ~ '^[A-Za-z0-9]{1,64}$'),
	amount			numeric(38, 18) NOT NULL CHECK (amount > 0),
	fee			numeric(38, 18) NOT NULL CHECK (fee >= 0),
	-- The amount's worth in TRY when requested (asset_price_try), NULL
	-- when the asset had no price then: what the limits count.
	value_try		numeric(38, 2) CHECK (value_try >= 0),
	status			text NOT NULL CHECK (status IN ('PENDING_APPROVAL',
				'PENDING_SIGNATURE', 'PROCESSING', 'COMPLETED',
				'REJECTED', 'FAILED')),
	-- The rules engine's score and the factors it came from
	-- ([{factor, points, detail}]), and why the request waits for staff.
	risk_score		smallint NOT NULL CHECK (risk_score BETWEEN 0 AND 100),
	risk_factors		jsonb NOT NULL DEFAULT '[]'
				CHECK (jsonb_typeof(risk_factors) = 'array'),
	review_reasons		text[] NOT NULL DEFAULT '{}',
	approvals_required	smallint NOT NULL DEFAULT 0
				CHECK (approvals_required BETWEEN 0 AND 2),
	alert_id		bigint REFERENCES compliance_alerts (id),
	required_confirmations	integer NOT NULL CHECK (required_confirmations >= 1),
	-- Sending: each try is numbered and committed before the node is
	-- asked, and travels with the payment as its comment
	-- ('hzm:' || public_id || ':' || attempts), so that after a crash the
	-- node's wallet tells whether a try was sent before another is made.
	attempts		integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	attempt_at		timestamptz,
	next_attempt_at		timestamptz,
	last_error		text,
	tx_hash			text CHECK (tx_hash ~ '^[0-9a-f]{64}$'),
	confirmations		integer NOT NULL DEFAULT 0,
	network_fee		numeric(38, 18) CHECK (network_fee >= 0),
	broadcast_at		timestamptz,
	completed_at		timestamptz,
	reject_reason		text CHECK (length(reject_reason) BETWEEN 1 AND 500),
	decided_by		bigint REFERENCES users (id),
	decided_at		timestamptz,
	failure_reason		text CHECK (length(failure_reason) BETWEEN 1 AND 300),
	-- A payment that stopped making progress (conflicted, unknown to the
	-- node, not what was asked): raised to staff once.
	stuck_at		timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	FOREIGN KEY (asset, network) REFERENCES asset_networks (asset, network),
	CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL)),
	CHECK (status <> 'COMPLETED' OR tx_hash IS NOT NULL),
	CHECK (status NOT IN ('PENDING_APPROVAL', 'PENDING_SIGNATURE', 'FAILED')
		OR tx_hash IS NULL),
	CHECK ((status = 'REJECTED') = (reject_reason IS NOT NULL)),
	CHECK ((status = 'FAILED') = (failure_reason IS NOT NULL)),
	CHECK ((tx_hash IS NULL) = (broadcast_at IS NULL))
);
CREATE INDEX withdrawals_user ON withdrawals (user_id, id DESC);
CREATE INDEX withdrawals_user_time ON withdrawals (user_id, created_at);
CREATE INDEX withdrawals_address ON withdrawals (network, address);
CREATE INDEX withdrawals_to_send ON withdrawals (id)
	WHERE status IN ('PENDING_SIGNATURE', 'PROCESSING');
CREATE INDEX withdrawals_waiting ON withdrawals (created_at, id)
	WHERE status = 'PENDING_APPROVAL';
CREATE UNIQUE INDEX withdrawals_tx ON withdrawals (network, tx_hash)
	WHERE tx_hash IS NOT NULL;

-- The ledger keeps one lock per withdrawal, and pays it out or gives it
-- back once, never both (the refs are 'withdrawal:' and the public id).
CREATE UNIQUE INDEX ledger_withdrawal_lock_once ON ledger (ref)
	WHERE kind = 'WITHDRAWAL_LOCK' AND ref LIKE 'withdrawal:%';
CREATE UNIQUE INDEX ledger_withdrawal_end_once ON ledger (ref)
	WHERE kind IN ('WITHDRAWAL', 'WITHDRAWAL_UNLOCK') AND ref LIKE 'withdrawal:%';

-- What a user has withdrawn since a time, in TRY: requests not rejected
-- or failed, at their worth when requested (at today's price when they
-- had none). The limits check and the limits shown both use it.
CREATE FUNCTION withdrawal_used_try(uid bigint, since timestamptz) RETURNS numeric
LANGUAGE sql STABLE AS $$
	SELECT round(coalesce(sum(coalesce(w.value_try,
	    w.amount * asset_price_try(w.asset), 0)), 0), 2)
	FROM withdrawals w WHERE w.user_id = uid AND w.created_at > since
	AND w.status NOT IN ('REJECTED', 'FAILED')
$$;

-- One row per staff approval; the key makes each approver count once,
-- so a request needing two approvals needs two different people.
CREATE TABLE withdrawal_approvals (
	withdrawal_id	bigint NOT NULL REFERENCES withdrawals (id),
	admin_id	bigint NOT NULL REFERENCES users (id),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (withdrawal_id, admin_id)
);

-- Addresses no withdrawal may pay (sanctions lists, known fraud). An
-- address is kept as its network spells it canonically (bech32 in lower
-- case), as withdrawals keep it.
CREATE TABLE withdrawal_blacklist (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	network		text NOT NULL CHECK (network ~ '^[A-Z0-9]{2,10}$'),
	address		text NOT NULL CHECK (address ~ '^[A-Za-z0-9]{14,128}$'),
	reason		text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
	added_by	bigint REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (network, address)
);

-- A hold stops a user's withdrawals until staff settle the alert that
-- caused it (a request to a blacklisted address holds the account).
CREATE TABLE withdrawal_holds (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id),
	reason		text NOT NULL CHECK (reason IN ('BLACKLIST_HIT')),
	alert_id	bigint REFERENCES compliance_alerts (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	released_at	timestamptz,
	released_by	bigint REFERENCES users (id)
);
CREATE INDEX withdrawal_holds_active ON withdrawal_holds (user_id)
	WHERE released_at IS NULL;
CREATE INDEX withdrawal_holds_alert ON withdrawal_holds (alert_id);

-- The rules engine looks at a user's recent deposits (crypto and fiat
-- alike credit with DEPOSIT rows); trades write far more rows.
CREATE INDEX ledger_user_deposits ON ledger (user_id, created_at)
	WHERE kind = 'DEPOSIT';
