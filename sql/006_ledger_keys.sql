-- 006_ledger_keys.sql — the ledger's foreign keys go: its balance rows hold them

-- Every ledger row lands, within its own statement, in the balance row of
-- its (user, asset) (ledger_apply updates it, or inserts it), and balances
-- references users and assets: a ledger row for a user or an asset that
-- does not exist fails there, and a user with balances cannot be deleted.
-- The ledger's own keys checked the same again, one query per row, on the
-- busiest write path there is (the matcher settles thousands of rows a
-- second).
ALTER TABLE ledger DROP CONSTRAINT ledger_user_id_fkey,
	DROP CONSTRAINT ledger_asset_fkey;
