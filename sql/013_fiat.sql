-- 013_fiat.sql — TRY by bank transfer: deposit intents and their reference codes, the bank's transfers (credited once, or queued for review), withdrawals and returns paid out by the bank

-- Transfers that no user can be credited with yet (an unknown or expired
-- reference, a sender who is not the account's holder ...) are money in
-- the platform's bank account all the same: they are credited here, to a
-- system account with no login (as the fee account of 004), until staff
-- credit a user with them or send them back. So every lira in the bank
-- account is in some balance, and the ledger covers all of it.
INSERT INTO users (public_id, email, password_hash, status, kyc_level)
VALUES ('usr_fiatsuspenseaaaaaaaa', 'fiat-suspense@system.hzm.invalid',
    '$argon2id$nologin', 'BLOCKED', 0);

-- A user's intent to deposit: the reference code to write in the
-- transfer's description, valid until expires_at. PENDING until a
-- transfer naming it is credited (COMPLETED); past expires_at a PENDING
-- one is shown as EXPIRED. A deposit staff credit by hand from the review
-- queue, with no intent of the user's to complete, has no reference.
CREATE TABLE fiat_deposits (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^fdp_[a-z2-7]{20}$'),
	user_id		bigint NOT NULL REFERENCES users (id),
	asset		text NOT NULL DEFAULT 'TRY' CHECK (asset = 'TRY'),
	amount		numeric(38, 18) NOT NULL CHECK (amount > 0),
	reference	text UNIQUE CHECK (reference ~ '^RF[0-9]{2}HZM[0-9]{12}$'),
	-- The account the user was told to pay into, as it was then.
	iban		text NOT NULL,
	bank_name	text NOT NULL,
	account_holder	text NOT NULL,
	status		text NOT NULL DEFAULT 'PENDING'
			CHECK (status IN ('PENDING', 'COMPLETED')),
	expires_at	timestamptz NOT NULL,
	transfer_id	bigint,
	credited_amount	numeric(38, 18) CHECK (credited_amount > 0),
	ledger_id	bigint,
	credited_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'COMPLETED') = (ledger_id IS NOT NULL)),
	CHECK ((status = 'COMPLETED') = (credited_at IS NOT NULL)),
	CHECK ((status = 'COMPLETED') = (transfer_id IS NOT NULL)),
	CHECK ((status = 'COMPLETED') = (credited_amount IS NOT NULL)),
	CHECK (reference IS NOT NULL OR status = 'COMPLETED')
);
CREATE INDEX fiat_deposits_user ON fiat_deposits (user_id, id DESC);
CREATE UNIQUE INDEX fiat_deposits_transfer ON fiat_deposits (transfer_id);

-- Transfers into the platform's account as the bank reported them, one
-- row per bank transaction id: a repeated callback finds its row and gets
-- the answer the first one got (answer never changes). CREDITED: a user
-- has the money (at once, or by staff from the queue: resolved_by);
-- QUEUED: on the suspense account, waiting for review (queue_reason);
-- RETURNING, RETURNED: being paid back to the sender, paid back.
CREATE TABLE fiat_transfers (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^ftr_[a-z2-7]{20}$'),
	bank_tx_id	text NOT NULL UNIQUE CHECK (bank_tx_id ~ '^[A-Za-z0-9._:-]{1,64}$'),
	amount		numeric(38, 18) NOT NULL CHECK (amount > 0),
	sender_name	text NOT NULL CHECK (length(sender_name) BETWEEN 1 AND 256),
	sender_iban	text NOT NULL CHECK (sender_iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
	description	text NOT NULL CHECK (length(description) <= 1024),
	-- The reference found in the description, and the intent it names.
	reference	text,
	deposit_id	bigint REFERENCES fiat_deposits (id),
	answer		text NOT NULL CHECK (answer IN ('CREDITED', 'QUEUED')),
	status		text NOT NULL CHECK (status IN ('CREDITED', 'QUEUED',
			'RETURNING', 'RETURNED')),
	queue_reason	text CHECK (queue_reason IN ('NO_REFERENCE',
			'AMBIGUOUS_REFERENCE', 'UNKNOWN_REFERENCE', 'USED_REFERENCE',
			'EXPIRED_REFERENCE', 'NAME_MISMATCH', 'NO_VERIFIED_NAME',
			'ACCOUNT_NOT_ACTIVE')),
	credited_user_id bigint REFERENCES users (id),
	resolved_by	bigint REFERENCES users (id),
	resolved_at	timestamptz,
	resolution_note	text CHECK (length(resolution_note) <= 1000),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((answer = 'QUEUED') = (queue_reason IS NOT NULL)),
	CHECK ((status = 'CREDITED') = (credited_user_id IS NOT NULL)),
	CHECK (answer = 'QUEUED' OR status = 'CREDITED')
);
CREATE INDEX fiat_transfers_queue ON fiat_transfers (created_at)
	WHERE status IN ('QUEUED', 'RETURNING');
ALTER TABLE fiat_deposits ADD FOREIGN KEY (transfer_id)
	REFERENCES fiat_transfers (id);

-- Money leaving by bank transfer: a user's withdrawal, or a transfer sent
-- back to its sender (RETURN, from the suspense account). Its amount and
-- fee are locked when it is made (WITHDRAWAL_LOCK) and, exactly once,
-- either leave (WITHDRAWAL or RETURN, and FEE, from locked: COMPLETED) or
-- come back (WITHDRAWAL_UNLOCK: FAILED). The payout worker claims it
-- for a lease, sends it under idempotency_key (the bank pays a key once),
-- and after an attempt whose outcome it did not learn (sent_at set) asks
-- the bank by that key before sending again.
CREATE TABLE fiat_withdrawals (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^fwd_[a-z2-7]{20}$'),
	user_id		bigint NOT NULL REFERENCES users (id),
	kind		text NOT NULL DEFAULT 'WITHDRAWAL'
			CHECK (kind IN ('WITHDRAWAL', 'RETURN')),
	transfer_id	bigint REFERENCES fiat_transfers (id),
	asset		text NOT NULL DEFAULT 'TRY' CHECK (asset = 'TRY'),
	amount		numeric(38, 18) NOT NULL CHECK (amount > 0),
	fee		numeric(38, 18) NOT NULL CHECK (fee >= 0),
	iban		text NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
	account_holder	text NOT NULL CHECK (length(account_holder) BETWEEN 1 AND 256),
	-- Appendix C's statuses; fiat withdrawals go PROCESSING -> COMPLETED | FAILED.
	status		text NOT NULL DEFAULT 'PROCESSING' CHECK (status IN
			('PENDING_APPROVAL', 'PENDING_SIGNATURE', 'PROCESSING',
			'COMPLETED', 'REJECTED', 'FAILED')),
	status_reason	text CHECK (length(status_reason) <= 200),
	idempotency_key	uuid NOT NULL UNIQUE,
	bank_payout_id	text,
	bank_status	text,
	attempts	integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	sent_at		timestamptz,
	claim		uuid,
	lease_until	timestamptz,
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	last_error	text,
	completed_at	timestamptz,
	failed_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((kind = 'RETURN') = (transfer_id IS NOT NULL)),
	CHECK ((status = 'COMPLETED') = (completed_at IS NOT NULL)),
	CHECK ((status = 'FAILED') = (failed_at IS NOT NULL)),
	CHECK (status NOT IN ('FAILED', 'REJECTED') OR status_reason IS NOT NULL)
);
CREATE INDEX fiat_withdrawals_user ON fiat_withdrawals (user_id, id DESC);
CREATE INDEX fiat_withdrawals_due ON fiat_withdrawals (next_attempt_at, id)
	WHERE status = 'PROCESSING';
-- A transfer is sent back by one payout at a time, and once paid, for good.
CREATE UNIQUE INDEX fiat_withdrawals_return_once ON fiat_withdrawals (transfer_id)
	WHERE status IN ('PROCESSING', 'COMPLETED');

-- The ledger refuses a second outcome: per payout ('fiat:fwd_...') and
-- account, one lock, one FEE row, and one of WITHDRAWAL, RETURN or
-- WITHDRAWAL_UNLOCK, never two (paid and given back). Credits of users
-- ('fiat:tx:' and the bank's transaction id) and of the suspense account
-- ('fiat:suspense:...') are DEPOSIT rows, once each by ledger_deposit_once.
CREATE UNIQUE INDEX ledger_fiat_lock_once ON ledger (ref, user_id)
	WHERE kind = 'WITHDRAWAL_LOCK' AND ref LIKE 'fiat:%';
CREATE UNIQUE INDEX ledger_fiat_outcome_once ON ledger (ref, user_id)
	WHERE kind IN ('WITHDRAWAL', 'RETURN', 'WITHDRAWAL_UNLOCK')
	AND ref LIKE 'fiat:%';
CREATE UNIQUE INDEX ledger_fiat_fee_once ON ledger (ref, user_id)
	WHERE kind = 'FEE' AND ref LIKE 'fiat:%';

-- Signed callbacks already received (their HMAC), so that a captured one
-- sent again within the time window is refused; the payout worker drops
-- marks older than the window.
CREATE TABLE bank_callback_marks (
	mac		bytea PRIMARY KEY CHECK (length(mac) = 32),
	received_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_callback_marks_age ON bank_callback_marks (received_at);
