-- 023_kyc.sql — KYC as Appendix C lists it: PENDING_SUBMISSION and EXPIRED, the ID's expiry date, LEVEL_3 by a video call

-- PENDING_SUBMISSION: an application saved as a draft (documents still to
-- come); EXPIRED: approved, but the identity document's expiry date has
-- passed (cron-housekeeping drops the level the application granted).
ALTER TABLE kyc_submissions DROP CONSTRAINT kyc_submissions_status_check;
ALTER TABLE kyc_submissions ADD CONSTRAINT kyc_submissions_status_check
	CHECK (status IN ('PENDING_SUBMISSION', 'PENDING_REVIEW', 'APPROVED',
	'REJECTED', 'EXPIRED'));
ALTER TABLE kyc_submissions DROP CONSTRAINT kyc_submissions_check;
ALTER TABLE kyc_submissions ADD CONSTRAINT kyc_submissions_reviewed_check
	CHECK ((status IN ('PENDING_SUBMISSION', 'PENDING_REVIEW')) =
	(reviewed_at IS NULL));
ALTER TABLE kyc_submissions
	ADD COLUMN id_expiry	date,		-- the identity document's expiry date
	ADD COLUMN expired_at	timestamptz,
	ADD CONSTRAINT kyc_submissions_expired_check
	    CHECK ((status = 'EXPIRED') = (expired_at IS NOT NULL));

-- At most one open application (a draft or one under review) per user.
DROP INDEX kyc_one_pending;
CREATE UNIQUE INDEX kyc_one_open ON kyc_submissions (user_id)
	WHERE status IN ('PENDING_SUBMISSION', 'PENDING_REVIEW');
-- What housekeeping looks for.
CREATE INDEX kyc_expiry ON kyc_submissions (id_expiry)
	WHERE status = 'APPROVED' AND id_expiry IS NOT NULL;

-- LEVEL_3 (enhanced): staff hold a video call with the person of an
-- approved application and record its outcome; PASSED grants LEVEL_3.
CREATE TABLE kyc_video_reviews (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kyc_id		bigint NOT NULL REFERENCES kyc_submissions (id),
	reviewer_id	bigint NOT NULL REFERENCES users (id),
	outcome		text NOT NULL CHECK (outcome IN ('PASSED', 'FAILED')),
	note		text CHECK (char_length(note) <= 1000),
	called_at	timestamptz NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kyc_video_reviews_kyc ON kyc_video_reviews (kyc_id, id);

-- §11.1's control points. Staff load PEP and sanctions lists (CSV import,
-- audited); a KYC application going to review is screened against them
-- by name (folded, small edit distances tolerated: name_key in
-- domain/screening_match.c), birth date and nationality; a match holds it
-- for compliance with a BLACKLIST_HIT alert naming the entry.
CREATE TABLE screening_imports (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^imp_[a-z2-7]{20}$'),
	list		text NOT NULL CHECK (list IN ('PEP', 'SANCTIONS')),
	source		text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 64),
	entries		integer NOT NULL CHECK (entries >= 0),
	replaced	integer NOT NULL DEFAULT 0 CHECK (replaced >= 0),
	imported_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE screening_entries (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	import_id	bigint NOT NULL REFERENCES screening_imports (id),
	list		text NOT NULL CHECK (list IN ('PEP', 'SANCTIONS')),
	source		text NOT NULL,
	full_name	text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 300),
	name_key	text NOT NULL CHECK (length(name_key) BETWEEN 1 AND 255),
	birth_date	date,
	nationality	text CHECK (nationality ~ '^[A-Z]{2}$'),
	reference	text CHECK (char_length(reference) <= 128)
);
CREATE INDEX screening_entries_source ON screening_entries (list, source);

-- The application's screening alert; approval waits until it is resolved.
ALTER TABLE kyc_submissions
	ADD COLUMN screening_alert_id bigint REFERENCES compliance_alerts (id);

-- E-mail addresses, e-mail domains and phone numbers refused at
-- registration (§11.1 Compliance Check 1).
CREATE TABLE identity_blacklist (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^blk_[a-z2-7]{20}$'),
	kind		text NOT NULL CHECK (kind IN ('EMAIL', 'EMAIL_DOMAIN', 'PHONE')),
	value		text NOT NULL CHECK (char_length(value) BETWEEN 3 AND 254
			AND value = lower(value)),
	reason		text NOT NULL CHECK (char_length(reason) BETWEEN 3 AND 500),
	created_by	bigint NOT NULL REFERENCES users (id),
	created_at	timestamptz NOT NULL DEFAULT now(),
	removed_by	bigint REFERENCES users (id),
	removed_at	timestamptz,
	CHECK ((removed_at IS NULL) = (removed_by IS NULL))
);
CREATE UNIQUE INDEX identity_blacklist_live ON identity_blacklist (kind, value)
	WHERE removed_at IS NULL;
