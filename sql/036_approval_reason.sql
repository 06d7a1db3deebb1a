-- 036_approval_reason.sql — a withdrawal's approval may come without a reason

-- §11.3 approves a withdrawal with a bare POST; the reason an approver
-- gives is kept, and none is asked for. A rejection still needs one: it
-- is mailed to the user.
ALTER TABLE withdrawal_approvals ALTER COLUMN reason DROP NOT NULL;
