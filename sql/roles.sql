-- roles.sql — the database's two roles and who owns what; run as a superuser in hzm's database, then sql/grants.sql
--
-- hzm_owner owns the database and every object in it: migrations and the
-- sandbox seed run as it, and so does an operator's psql. hzm, the role
-- every handler, cron worker, the matcher and the streamer connect as,
-- owns nothing and holds only what sql/grants.sql gives it: it cannot
-- change the schema, and cannot turn off the audit log's triggers (only
-- an owner can) or TRUNCATE it.
--
-- Safe to run again and again: a database made when hzm owned it all is
-- handed over to hzm_owner here, and one already converted is left as it
-- is. scripts/stack runs it, with grants.sql in the same transaction, at
-- every start and `stack migrate`; elsewhere:
--   psql -U postgres -d hzm -1 -f sql/roles.sql -f sql/grants.sql

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hzm_owner') THEN
		CREATE ROLE hzm_owner LOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hzm') THEN
		CREATE ROLE hzm LOGIN;
	END IF;
	-- A member of the owner may do what the owner may.
	IF EXISTS (SELECT FROM pg_auth_members
	    WHERE roleid = 'hzm_owner'::regrole AND member = 'hzm'::regrole) THEN
		REVOKE hzm_owner FROM hzm;
	END IF;
END $$;
ALTER ROLE hzm NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE hzm_owner NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

-- Everything hzm owned (tables, sequences, functions, types, the
-- database) becomes hzm_owner's, and hzm keeps no privilege on it.
REASSIGN OWNED BY hzm TO hzm_owner;
DO $$
BEGIN
	EXECUTE format('ALTER DATABASE %I OWNER TO hzm_owner', current_database());
END $$;
-- Only the owner creates objects (PostgreSQL 15's default; a cluster
-- upgraded from an older one may still let everyone).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
