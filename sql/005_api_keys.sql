-- 005_api_keys.sql — platform API keys (seed 003) and idempotency keys (spec §7.3)

CREATE TABLE api_keys (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^key_[a-z2-7]{20}$'),
	user_id		bigint NOT NULL REFERENCES users (id),
	api_key		text NOT NULL UNIQUE CHECK (api_key ~ '^hzm_[0-9a-f]{32}$'),
	-- The API password is also the HMAC secret of signed requests, so it
	-- is sealed (AES-256-GCM), not hashed.
	password_sealed	bytea NOT NULL,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
	scopes		text[] NOT NULL CHECK (cardinality(scopes) > 0 AND
			scopes <@ ARRAY['read', 'trade', 'withdraw']),
	ip_whitelist	cidr[] NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now(),
	regenerated_at	timestamptz,
	expires_at	timestamptz,
	revoked_at	timestamptz,
	last_used_at	timestamptz,
	last_used_ip	text,
	CHECK (expires_at IS NULL OR expires_at > created_at)
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at);

-- Request ids of signed requests seen in the last minutes, used only
-- while memcached (which normally remembers them) cannot answer.
CREATE TABLE api_request_ids (
	key_id		bigint NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
	request_id	text NOT NULL,
	expires_at	timestamptz NOT NULL,
	PRIMARY KEY (key_id, request_id)
);

-- X-Idempotency-Key per user, 24 h: the first response is replayed.
CREATE TABLE idempotency_keys (
	user_id		bigint NOT NULL REFERENCES users (id),
	key		text NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
	request_hash	bytea NOT NULL,
	method		text NOT NULL,
	path		text NOT NULL,
	status		smallint,		-- NULL until the response is stored
	response	text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL DEFAULT now() + interval '24 hours',
	PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
