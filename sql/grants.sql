-- grants.sql — exactly what hzm, the role the programs connect as, may do; scripts/migrate applies it after the migrations, every run
--
-- hzm owns nothing (sql/roles.sql): it reads and writes rows, draws from
-- sequences and calls functions, and no more. It may not TRUNCATE, add
-- triggers or reference tables; only an owner can ALTER a table, so the
-- audit log's triggers stay on. Applied after every migration run, as
-- the owner, so the tables any migration adds are covered; the default
-- privileges cover what the owner makes in between.

-- Two migrators at once would update the same catalog rows.
DO $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('hzm-grants')); END $$;

GRANT USAGE ON SCHEMA public TO hzm;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hzm;
REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM hzm;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO hzm;
REVOKE SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public FROM hzm;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO hzm;

-- Views are read only; the append-only tables are read and added to;
-- balances are read and locked; which migrations ran is the migrator's
-- record alone. (Before the first migration none of these exist yet.)
DO $$
DECLARE
	r record;
BEGIN
	FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
	    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')
	LOOP
		EXECUTE format('REVOKE INSERT, UPDATE, DELETE ON %s FROM hzm', r.name);
	END LOOP;
	IF to_regclass('audit_log') IS NOT NULL THEN
		REVOKE UPDATE, DELETE ON audit_log FROM hzm;
	END IF;
	IF to_regclass('ledger') IS NOT NULL THEN
		REVOKE UPDATE, DELETE ON ledger FROM hzm;
	END IF;
	-- A trade is what happened: the matcher writes it once.
	IF to_regclass('trades') IS NOT NULL THEN
		REVOKE UPDATE, DELETE ON trades FROM hzm;
	END IF;
	-- Balances move by ledger rows only (sql/033): the column grant is
	-- what SELECT ... FOR UPDATE needs to lock a row.
	IF to_regclass('balances') IS NOT NULL THEN
		REVOKE INSERT, UPDATE, DELETE ON balances FROM hzm;
		GRANT UPDATE (updated_at) ON balances TO hzm;
	END IF;
	-- ledger_apply runs as the owner: no trigger hzm makes on a table of
	-- its own (a temporary one) may call it. The ledger's trigger fires
	-- it all the same: firing asks for no right to execute.
	IF to_regprocedure('ledger_apply()') IS NOT NULL THEN
		REVOKE EXECUTE ON FUNCTION ledger_apply() FROM PUBLIC, hzm;
	END IF;
	IF to_regclass('schema_migrations') IS NOT NULL THEN
		REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM hzm;
	END IF;
END $$;

ALTER DEFAULT PRIVILEGES FOR ROLE hzm_owner IN SCHEMA public
	GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hzm;
ALTER DEFAULT PRIVILEGES FOR ROLE hzm_owner IN SCHEMA public
	GRANT USAGE ON SEQUENCES TO hzm;
ALTER DEFAULT PRIVILEGES FOR ROLE hzm_owner IN SCHEMA public
	GRANT EXECUTE ON FUNCTIONS TO hzm;
