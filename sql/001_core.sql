-- 001_core.sql — users and roles, assets, markets, balances and the ledger

CREATE TABLE users (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id		text NOT NULL UNIQUE
				CHECK (public_id ~ '^usr_[a-z2-7]{20}$'),
	email			text NOT NULL CHECK (email = lower(email) AND
				length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
	password_hash		text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
	phone_number		text CHECK (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
	status			text NOT NULL DEFAULT 'PENDING_VERIFICATION'
				CHECK (status IN ('PENDING_VERIFICATION', 'ACTIVE',
				'SUSPENDED', 'BLOCKED')),
	kyc_level		smallint NOT NULL DEFAULT 0
				CHECK (kyc_level BETWEEN 0 AND 3),
	email_verified_at	timestamptz,
	totp_secret		bytea,		-- sealed (core/crypto.c)
	totp_enabled		boolean NOT NULL DEFAULT false,
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CHECK (NOT totp_enabled OR totp_secret IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (email);

CREATE TABLE user_roles (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role		text NOT NULL CHECK (role IN ('USER', 'ADMIN', 'COMPLIANCE')),
	PRIMARY KEY (user_id, role)
);

CREATE TABLE assets (
	code		text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{2,10}$'),
	name		text NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('FIAT', 'CRYPTO', 'STABLECOIN')),
	precision	smallint NOT NULL CHECK (precision BETWEEN 0 AND 18),
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE markets (
	symbol			text PRIMARY KEY CHECK (symbol ~ '^[A-Z0-9]{4,20}$'),
	base_asset		text NOT NULL REFERENCES assets (code),
	quote_asset		text NOT NULL REFERENCES assets (code),
	status			text NOT NULL DEFAULT 'ACTIVE'
				CHECK (status IN ('ACTIVE', 'HALTED', 'CLOSED')),
	price_precision		smallint NOT NULL CHECK (price_precision BETWEEN 0 AND 18),
	quantity_precision	smallint NOT NULL CHECK (quantity_precision BETWEEN 0 AND 18),
	min_quantity		numeric(38, 18) NOT NULL CHECK (min_quantity > 0),
	min_notional		numeric(38, 18) NOT NULL DEFAULT 0 CHECK (min_notional >= 0),
	maker_fee		numeric(8, 6) NOT NULL CHECK (maker_fee >= 0 AND maker_fee < 0.1),
	taker_fee		numeric(8, 6) NOT NULL CHECK (taker_fee >= 0 AND taker_fee < 0.1),
	created_at		timestamptz NOT NULL DEFAULT now(),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	UNIQUE (base_asset, quote_asset),
	CHECK (base_asset <> quote_asset)
);

-- A balance changes only through a ledger row: the trigger on ledger is
-- the one writer, so sum(balances) = sum(ledger) holds by construction.
CREATE TABLE balances (
	user_id		bigint NOT NULL REFERENCES users (id),
	asset		text NOT NULL REFERENCES assets (code),
	available	numeric(38, 18) NOT NULL DEFAULT 0 CHECK (available >= 0),
	locked		numeric(38, 18) NOT NULL DEFAULT 0 CHECK (locked >= 0),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, asset)
);

CREATE TABLE ledger (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id),
	asset		text NOT NULL REFERENCES assets (code),
	delta_available	numeric(38, 18) NOT NULL,
	delta_locked	numeric(38, 18) NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('DEPOSIT', 'WITHDRAWAL',
			'ORDER_LOCK', 'ORDER_UNLOCK', 'TRADE', 'FEE', 'ADJUSTMENT')),
	ref		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (delta_available <> 0 OR delta_locked <> 0)
);
CREATE INDEX ledger_user_asset ON ledger (user_id, asset, id);

CREATE FUNCTION ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config('hzm.ledger_write', 'on', true);
	INSERT INTO balances (user_id, asset, available, locked)
	VALUES (NEW.user_id, NEW.asset, NEW.delta_available, NEW.delta_locked)
	ON CONFLICT (user_id, asset) DO UPDATE
	SET available = balances.available + EXCLUDED.available,
	    locked = balances.locked + EXCLUDED.locked,
	    updated_at = now();
	PERFORM set_config('hzm.ledger_write', 'off', true);
	RETURN NEW;
END $$;

CREATE TRIGGER ledger_apply AFTER INSERT ON ledger
	FOR EACH ROW EXECUTE FUNCTION ledger_apply();

CREATE FUNCTION balances_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF coalesce(current_setting('hzm.ledger_write', true), 'off') <> 'on' THEN
		RAISE EXCEPTION 'balances change only through ledger entries'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER balances_guard BEFORE INSERT OR UPDATE OR DELETE ON balances
	FOR EACH ROW EXECUTE FUNCTION balances_guard();

CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only', TG_TABLE_NAME
		USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- Reference data: the assets and markets of Appendix E.
INSERT INTO assets (code, name, kind, precision) VALUES
	('TRY', 'Turkish Lira', 'FIAT', 2),
	('BTC', 'Bitcoin', 'CRYPTO', 8),
	('ETH', 'Ethereum', 'CRYPTO', 8),
	('USDT', 'Tether USD', 'STABLECOIN', 6);

INSERT INTO markets (symbol, base_asset, quote_asset, price_precision,
    quantity_precision, min_quantity, min_notional, maker_fee, taker_fee) VALUES
	('BTCTRY', 'BTC', 'TRY', 2, 8, 0.00001, 10, 0.001, 0.002),
	('ETHTRY', 'ETH', 'TRY', 2, 8, 0.0001, 10, 0.001, 0.002),
	('USDTTRY', 'USDT', 'TRY', 4, 2, 1, 10, 0.001, 0.002),
	('ETHBTC', 'ETH', 'BTC', 8, 8, 0.0001, 0.0001, 0.001, 0.002);
