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
