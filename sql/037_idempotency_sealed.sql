-- 037_idempotency_sealed.sql — the answers kept for idempotency keys are sealed at rest

-- An answer replayed to a repeated request may show a secret once (an
-- API password, a webhook's signing secret, a 2FA seed). It is kept
-- sealed (AES-256-GCM under the data key, core/idem.c), bound to its
-- user and key; the clear text column is no longer written, and what it
-- held is dropped: those keys answer 409 "its answer is not available"
-- until they expire, as a key whose answer was lost does.
ALTER TABLE idempotency_keys ADD COLUMN response_sealed bytea;
UPDATE idempotency_keys SET response = NULL WHERE response IS NOT NULL;
