-- 039_idempotency_anon.sql — X-Idempotency-Key on POSTs made without a login, per client address

-- Spec §7.3: all POST requests take X-Idempotency-Key. A request made
-- without a login (register, verify-email, login, a password reset) has
-- no user to hold its key: the client's address holds it instead, with
-- the same rules as idempotency_keys (core/idem.c). The request's hash
-- is a MAC under the data key (bodies hold passwords), the answer is
-- sealed, both bound to the address and the key.
CREATE TABLE idempotency_anon_keys (
	client		text NOT NULL CHECK (length(client) BETWEEN 1 AND 64),
	key		text NOT NULL CHECK (length(key) BETWEEN 1 AND 64),
	request_hash	bytea NOT NULL,
	method		text NOT NULL,
	path		text NOT NULL,
	status		smallint,		-- NULL until the answer is stored
	response_sealed	bytea,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL DEFAULT now() + interval '24 hours',
	PRIMARY KEY (client, key)
);
CREATE INDEX idempotency_anon_keys_expiry ON idempotency_anon_keys (expires_at);

-- The users' keys held a bare SHA-256 of their requests: those hashes
-- are dropped and the keys kept, so a repeat from before is refused (422,
-- another request) rather than run twice. None is more than a day old.
UPDATE idempotency_keys SET request_hash = '\x'::bytea;
