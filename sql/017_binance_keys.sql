-- 017_binance_keys.sql — a user's Binance API key (seed 000): sealed at rest, checked against Binance before it is kept

-- One key per user (seed 000: one active set in the MVP); a new one
-- replaces the old row. The API key and the secret are both sealed
-- (AES-256-GCM, core/crypto) under a context naming the row and the part,
-- so a blob copied to another row or column does not open there; the
-- first byte of each blob is the data-key version it was sealed under,
-- and opening an older one seals it again under the current version.
-- Only the key's last four characters are kept in clear, for the mask.
CREATE TABLE binance_keys (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^bnk_[a-z2-7]{20}$'),
	user_id		bigint NOT NULL UNIQUE REFERENCES users (id),
	api_key_sealed	bytea NOT NULL CHECK (length(api_key_sealed) > 29),
	secret_sealed	bytea NOT NULL CHECK (length(secret_sealed) > 29),
	api_key_tail	text NOT NULL CHECK (api_key_tail ~ '^[A-Za-z0-9]{4}$'),
	-- What Binance said when the key was checked: apiRestrictions'
	-- ipRestrict and enableSpotAndMarginTrading, the account's canTrade
	-- and permissions.
	ip_restrict	boolean NOT NULL,
	can_trade	boolean NOT NULL,
	permissions	text[] NOT NULL DEFAULT '{}',
	-- false once Binance refuses the key (-2015, -2014, -1022) to a
	-- worker; the user replaces it.
	is_valid	boolean NOT NULL DEFAULT true,
	invalid_reason	text CHECK (invalid_reason IS NULL OR length(invalid_reason) <= 200),
	invalidated_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	validated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (is_valid = (invalidated_at IS NULL))
);
