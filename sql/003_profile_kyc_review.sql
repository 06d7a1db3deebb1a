-- 003_profile_kyc_review.sql — a display name on profiles, reviewers' notes on KYC decisions

ALTER TABLE users
	ADD COLUMN display_name	text
	    CHECK (char_length(display_name) BETWEEN 1 AND 64
	    AND display_name = btrim(display_name));

-- The reviewer's own words on a decision. Kept for compliance staff and
-- the audit log only: telling a customer why they are suspected (AML
-- "tipping off") is forbidden, so the user sees rejected_reason alone.
ALTER TABLE kyc_submissions
	ADD COLUMN review_note	text CHECK (char_length(review_note) <= 1000);

-- An application's history, newest first, for GET /kyc/status.
CREATE INDEX kyc_user ON kyc_submissions (user_id, id DESC);

-- The audit trail of one user (admin views, MASAK requests).
CREATE INDEX audit_log_target ON audit_log (target_user_id, id)
	WHERE target_user_id IS NOT NULL;

-- The hash chain needs ids in the order rows are linked. The id default
-- is drawn before audit_chain() takes its lock, so two writers could link
-- in one order and number in the other, and audit_verify() (which walks
-- ids) would report an intact log as broken. Draw the id again under the
-- lock. The statement after the lock sees every row committed before it
-- in READ COMMITTED, which is how hzm's transactions run.
CREATE OR REPLACE FUNCTION audit_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	prev bytea;
BEGIN
	PERFORM pg_advisory_xact_lock(726354);
	NEW.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
	SELECT hash INTO prev FROM audit_log ORDER BY id DESC LIMIT 1;
	NEW.prev_hash := coalesce(prev, '\x00'::bytea);
	NEW.hash := sha256(convert_to(audit_row_text(NEW), 'UTF8'));
	RETURN NEW;
END $$;
