-- 002_identity.sql — e-mail codes, refresh tokens, 2FA state, KYC, user limits, the audit log

ALTER TABLE users
	ADD COLUMN totp_pending		bytea,		-- sealed, between setup and enable
	ADD COLUMN totp_last_step	bigint NOT NULL DEFAULT 0,
	ADD COLUMN password_changed_at	timestamptz NOT NULL DEFAULT now(),
	ADD COLUMN status_reason	text;

-- Six-digit codes sent by mail: only a keyed hash is stored.
CREATE TABLE email_codes (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose		text NOT NULL CHECK (purpose IN ('VERIFY_EMAIL', 'PASSWORD_RESET')),
	code_hash	bytea NOT NULL,
	attempts	smallint NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 5),
	expires_at	timestamptz NOT NULL,
	consumed_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_codes_user ON email_codes (user_id, purpose, id DESC);

-- Refresh tokens: opaque to the client, stored as SHA-256. Each use
-- rotates the token within its family; presenting a used token again
-- revokes the whole family (it was stolen, or the client is confused).
CREATE TABLE refresh_tokens (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	family		uuid NOT NULL,
	token_hash	bytea NOT NULL UNIQUE,
	admin		boolean NOT NULL DEFAULT false,
	device_id	text,
	ip		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	revoked_at	timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Access tokens revoked before they expire (logout). memcached holds the
-- same deny-list for speed; this table answers when memcached cannot.
CREATE TABLE revoked_access_tokens (
	jti		text PRIMARY KEY,
	expires_at	timestamptz NOT NULL
);

CREATE TABLE kyc_submissions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^kyc_[a-z2-7]{20}$'),
	user_id		bigint NOT NULL REFERENCES users (id),
	status		text NOT NULL DEFAULT 'PENDING_REVIEW'
			CHECK (status IN ('PENDING_REVIEW', 'APPROVED', 'REJECTED')),
	first_name	text NOT NULL,
	last_name	text NOT NULL,
	date_of_birth	date NOT NULL,
	nationality	text NOT NULL CHECK (nationality ~ '^[A-Z]{2}$'),
	id_number	bytea NOT NULL,		-- sealed
	address		text NOT NULL,
	level		smallint,		-- granted on approval
	rejected_reason	text,
	reviewed_by	bigint REFERENCES users (id),
	submitted_at	timestamptz NOT NULL DEFAULT now(),
	reviewed_at	timestamptz,
	CHECK ((status = 'PENDING_REVIEW') = (reviewed_at IS NULL)),
	CHECK (status <> 'APPROVED' OR level BETWEEN 1 AND 3),
	CHECK (status <> 'REJECTED' OR rejected_reason IS NOT NULL)
);
-- At most one application under review per user.
CREATE UNIQUE INDEX kyc_one_pending ON kyc_submissions (user_id)
	WHERE status = 'PENDING_REVIEW';
CREATE INDEX kyc_status ON kyc_submissions (status, submitted_at);

CREATE TABLE kyc_documents (
	kyc_id		bigint NOT NULL REFERENCES kyc_submissions (id),
	kind		text NOT NULL CHECK (kind IN ('ID_DOCUMENT', 'ADDRESS_PROOF', 'SELFIE')),
	content_type	text NOT NULL CHECK (content_type IN ('image/jpeg',
			'image/png', 'application/pdf')),
	size		integer NOT NULL CHECK (size > 0),
	sha256		bytea NOT NULL,
	content		bytea NOT NULL,		-- sealed
	PRIMARY KEY (kyc_id, kind)
);

CREATE TABLE user_limits (
	user_id			bigint PRIMARY KEY REFERENCES users (id),
	daily_withdrawal	numeric(38, 18) NOT NULL CHECK (daily_withdrawal >= 0),
	monthly_withdrawal	numeric(38, 18) NOT NULL CHECK (monthly_withdrawal >= 0),
	daily_trading		numeric(38, 18) NOT NULL CHECK (daily_trading >= 0),
	currency		text NOT NULL DEFAULT 'TRY' REFERENCES assets (code),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	CHECK (monthly_withdrawal >= daily_withdrawal)
);

-- Defaults by KYC level, used when a user has no row of their own.
CREATE TABLE kyc_level_limits (
	level			smallint PRIMARY KEY CHECK (level BETWEEN 0 AND 3),
	daily_withdrawal	numeric(38, 18) NOT NULL,
	monthly_withdrawal	numeric(38, 18) NOT NULL,
	daily_trading		numeric(38, 18) NOT NULL
);
INSERT INTO kyc_level_limits VALUES
	(0, 0, 0, 0),
	(1, 0, 0, 0),
	(2, 100000, 500000, 1000000),
	(3, 1000000, 10000000, 10000000);

-- The audit log: append-only, each row carrying the hash of the one
-- before it, so an edited or removed row breaks the chain.
CREATE TABLE audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^aud_[a-z2-7]{20}$'),
	event_type	text NOT NULL,
	actor_user_id	bigint REFERENCES users (id),
	actor_email	text,
	target_user_id	bigint REFERENCES users (id),
	target_ref	text,
	action		text NOT NULL,
	reason		text,
	details		jsonb NOT NULL DEFAULT '{}',
	ip		text,
	created_at	timestamptz NOT NULL DEFAULT now(),
	prev_hash	bytea NOT NULL,
	hash		bytea NOT NULL
);

-- The text a row's hash covers: every column but the hash, in a fixed form.
CREATE FUNCTION audit_row_text(a audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT concat_ws('|', a.id, a.public_id, a.event_type,
	    coalesce(a.actor_user_id::text, ''), coalesce(a.actor_email, ''),
	    coalesce(a.target_user_id::text, ''), coalesce(a.target_ref, ''),
	    a.action, coalesce(a.reason, ''), a.details::text,
	    coalesce(a.ip, ''),
	    to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
	    encode(a.prev_hash, 'hex'))
$$;

CREATE FUNCTION audit_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	prev bytea;
BEGIN
	-- One writer at a time, so each row links to the true last one.
	PERFORM pg_advisory_xact_lock(726354);
	SELECT hash INTO prev FROM audit_log ORDER BY id DESC LIMIT 1;
	NEW.prev_hash := coalesce(prev, '\x00'::bytea);
	NEW.hash := sha256(convert_to(audit_row_text(NEW), 'UTF8'));
	RETURN NEW;
END $$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_chain();

CREATE FUNCTION audit_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP
	    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION audit_refuse();
-- TRUNCATE fires no row trigger: refuse it at statement level.
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();

-- The first row whose stored hashes do not match its content or its
-- predecessor, or nothing when the chain is intact.
CREATE FUNCTION audit_verify() RETURNS TABLE (bad_id bigint, problem text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	r audit_log;
	prev bytea := '\x00'::bytea;
BEGIN
	FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
		IF r.prev_hash <> prev THEN
			bad_id := r.id; problem := 'prev_hash does not match the previous row';
			RETURN NEXT; RETURN;
		END IF;
		IF r.hash <> sha256(convert_to(audit_row_text(r), 'UTF8')) THEN
			bad_id := r.id; problem := 'hash does not match the row';
			RETURN NEXT; RETURN;
		END IF;
		prev := r.hash;
	END LOOP;
END $$;
