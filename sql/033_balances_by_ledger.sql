-- sql/033_balances_by_ledger.sql — balances are written by the ledger's trigger alone, running as their owner; hzm reads and locks them

-- balances_guard (sql/001) refused a change of balances made outside
-- ledger_apply by a setting that ledger_apply turns on for its own
-- statements. That setting is any session's to set: hzm could turn it
-- on and write a balance with no ledger row behind it. Now ledger_apply
-- runs as the tables' owner and hzm holds no right to add, change or
-- delete a balance (sql/grants.sql), so a ledger row is the only way a
-- balance moves. hzm keeps UPDATE of updated_at alone: SELECT ... FOR
-- UPDATE, which every path that spends a balance takes first, needs a
-- column the role may update. A lock, not a way to move money.
ALTER FUNCTION ledger_apply() SECURITY DEFINER SET search_path = public, pg_temp;
