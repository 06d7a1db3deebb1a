-- 034_balance_notify.sql — a balance moved outside the matcher: the streamer hears of it at commit

-- The streamer tells a user every change of their balances (spec
-- Appendix B, balance.update). The matcher's own changes reach it by the
-- feed (core/channels.h, B lines) and are left out here, so that its
-- batches carry no NOTIFY: at commit, a NOTIFY takes a lock that every
-- notifying transaction of the database queues on. Every other way a
-- balance moves (deposits, withdrawals locked, paid out or given back,
-- fiat, adjustments, an order locked through the inbox) is a ledger row,
-- so one trigger here covers them all. The payload is "<user id> <asset>";
-- one transaction's notifications of the same payload arrive as one.
-- The session names its program (core/db.c: application_name).
CREATE FUNCTION ledger_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('hzm_balance', d.user_id || ' ' || d.asset)
	FROM (SELECT DISTINCT user_id, asset FROM new_rows) d;
	RETURN NULL;
END $$;
CREATE TRIGGER ledger_notify AFTER INSERT ON ledger
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT
	WHEN (current_setting('application_name') <> 'hzm-matcher')
	EXECUTE FUNCTION ledger_notify();
