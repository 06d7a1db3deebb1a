-- 024_audit_reports.sql — the audit viewer's indexes, MASAK suspicious-transaction cases and their filing deadline, report indexes

-- The audit viewer's filters (domain/audit_view.c): each index ends in id,
-- the chain's order, so a page comes off it in order.
CREATE INDEX IF NOT EXISTS audit_log_actor ON audit_log (actor_user_id, id)
	WHERE actor_user_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS audit_log_event ON audit_log (event_type, id);
CREATE INDEX IF NOT EXISTS audit_log_time ON audit_log (created_at, id);

-- MASAK's suspicious-transaction reports (STR, "şüpheli işlem bildirimi"):
-- a case per alert that warrants one (domain/masak.c decides which); the
-- case is a draft until staff file it with MASAK's reference or dismiss it
-- with a reason. No row yet: a DRAFT. The law asks that these records be
-- kept eight years: nothing deletes them (cron/housekeeping.c leaves
-- compliance_alerts, masak_cases and audit_log alone).
CREATE TABLE masak_cases (
	alert_id	bigint PRIMARY KEY REFERENCES compliance_alerts (id),
	status		text NOT NULL CHECK (status IN ('DRAFT', 'FILED', 'DISMISSED')),
	filing_reference text CHECK (filing_reference ~ '^[A-Za-z0-9._/-]{1,64}$'),
	reason		text CHECK (char_length(reason) BETWEEN 1 AND 1000),
	decided_by	bigint REFERENCES users (id),
	decided_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((status = 'FILED') = (filing_reference IS NOT NULL)),
	CHECK (status <> 'DISMISSED' OR reason IS NOT NULL),
	CHECK ((status = 'DRAFT') = (decided_at IS NULL))
);

-- The day n business days after d: Saturdays and Sundays do not count.
-- (Public holidays would need a calendar the operator keeps; MASAK's
-- ten days are counted here as the conservative weekday count.)
CREATE FUNCTION business_days_after(d date, n integer) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	r date := d;
	todo integer := n;
BEGIN
	WHILE todo > 0 LOOP
		r := r + 1;
		IF extract(isodow FROM r) < 6 THEN
			todo := todo - 1;
		END IF;
	END LOOP;
	RETURN r;
END $$;

-- The reports read trades by day (trades_search_time, sql/021) and the
-- transfers at or above the travel-rule threshold by time.
CREATE INDEX IF NOT EXISTS withdrawals_time ON withdrawals (created_at);
CREATE INDEX IF NOT EXISTS deposits_time ON deposits (created_at);
