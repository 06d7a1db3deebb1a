# tests/api/26_db_roles.t — hzm, the role every program connects as, owns nothing and cannot change the schema or the audit log (it only adds rows); the owner can, and the verifier names the row it changed; a database hzm owned is converted by `stack migrate`, again and again alike
use strict;
use warnings;
use Test::More;
use Hzm;

mc_flush();

# The cluster's superuser: only to put the database back as older stacks
# made it.
sub superuser_sql {
	my @as = $> == 0 ? ('runuser', '-u', 'postgres', '--') : ();
	my $pid = open(my $fh, '-|') // die "fork: $!";
	if ($pid == 0) {
		open STDERR, '>&', \*STDOUT;
		exec(@as, 'psql', '-X', '-At', '-q', '-v', 'ON_ERROR_STOP=1', '-U', 'postgres',
		    '-d', 'hzm', '-h', "$ENV{HZM_VAR}/run/pg", '-c', $_[0]) or exit 127;
	}
	local $/;
	my $out = <$fh> // '';
	close $fh;
	$out =~ s/\n+\z//;
	return $out;
}

# What hzm may do to each relation, sequence and function, and who owns it:
# one line each, to compare one state of the database with another.
my $PRIVS = <<'SQL';
SELECT string_agg(x, E'\n' ORDER BY x) FROM (
	SELECT c.relname || '|' || pg_get_userbyid(c.relowner) || '|' || concat(
	    CASE WHEN has_table_privilege('hzm', c.oid, 'SELECT') THEN 'r' END,
	    CASE WHEN has_table_privilege('hzm', c.oid, 'INSERT') THEN 'a' END,
	    CASE WHEN has_table_privilege('hzm', c.oid, 'UPDATE') THEN 'w' END,
	    CASE WHEN has_table_privilege('hzm', c.oid, 'DELETE') THEN 'd' END,
	    CASE WHEN has_table_privilege('hzm', c.oid, 'TRUNCATE') THEN 'D' END,
	    CASE WHEN has_table_privilege('hzm', c.oid, 'REFERENCES') THEN 'x' END,
	    CASE WHEN has_table_privilege('hzm', c.oid, 'TRIGGER') THEN 't' END) AS x
	FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
	UNION ALL
	SELECT c.relname || '|' || pg_get_userbyid(c.relowner) || '|' || concat(
	    CASE WHEN has_sequence_privilege('hzm', c.oid, 'USAGE') THEN 'U' END,
	    CASE WHEN has_sequence_privilege('hzm', c.oid, 'SELECT') THEN 'r' END,
	    CASE WHEN has_sequence_privilege('hzm', c.oid, 'UPDATE') THEN 'w' END)
	FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
	UNION ALL
	SELECT p.oid::regprocedure || '|' || pg_get_userbyid(p.proowner) || '|' ||
	    CASE WHEN has_function_privilege('hzm', p.oid, 'EXECUTE') THEN 'X' ELSE '' END
	FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
	UNION ALL
	SELECT 'database|' || pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()
) s
SQL
$PRIVS =~ s/\s+/ /g;
# Everything hzm owns in this database (and the database itself).
my $OWNED = "SELECT (SELECT count(*) FROM pg_class WHERE relowner = 'hzm'::regrole)"
    . " + (SELECT count(*) FROM pg_proc WHERE proowner = 'hzm'::regrole)"
    . " + (SELECT count(*) FROM pg_type WHERE typowner = 'hzm'::regrole)"
    . " + (SELECT count(*) FROM pg_namespace WHERE nspowner = 'hzm'::regrole)"
    . " + (SELECT count(*) FROM pg_database WHERE datdba = 'hzm'::regrole)";

# --- who owns what ---------------------------------------------------------------------------
is(psql('SELECT current_user'), 'hzm', 'the programs connect as hzm');
is(psql_owner('SELECT current_user'), 'hzm_owner', 'the owner connects as hzm_owner');
is(psql($OWNED), 0, 'hzm owns nothing: no table, sequence, function, type, schema or database');
is(psql("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"),
    'hzm_owner', 'the database is hzm_owner\'s');
is(psql("SELECT string_agg(relname, ',') FROM pg_class WHERE relnamespace = 'public'::regnamespace"
    . " AND relowner <> 'hzm_owner'::regrole"), '', 'and so is every relation in it');
is(psql("SELECT pg_has_role('hzm', 'hzm_owner', 'MEMBER')"), 'f', 'hzm is no member of hzm_owner');
is(psql("SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls OR rolreplication"
    . " FROM pg_roles WHERE rolname = 'hzm'"), 'f', 'nor privileged in the cluster');

my $privs = psql($PRIVS);
my %priv = map { my ($n, $o, $p) = split /\|/; ($n => $p // '') } split /\n/, $privs;
ok(keys %priv > 50, 'relations and functions listed: ' . scalar keys %priv) or diag($privs);
is($priv{audit_log}, 'ra', 'audit_log: read and add to, no more');
is($priv{ledger}, 'ra', 'ledger: read and add to, no more');
is($priv{trades}, 'ra', 'trades: read and add to, no more');
is($priv{balances}, 'r', 'balances: read (and updated_at alone, to lock a row); a ledger row moves them');
is($priv{schema_migrations}, 'r', 'schema_migrations: read only');
is($priv{order_filled_subscribers}, 'r', 'a view: read only');
is($priv{order_seq}, 'U', 'a sequence: drawn from');
is($priv{'audit_verify()'}, 'X', 'a function: called');
is($priv{'ledger_apply()'}, '', 'ledger_apply, which runs as the owner: not hzm\'s to call');
is(psql("SELECT string_agg(relname, ',') FROM pg_class WHERE relnamespace = 'public'::regnamespace"
    . " AND relkind IN ('r', 'p') AND relname NOT IN ('audit_log', 'ledger', 'trades', 'balances', 'schema_migrations')"
    . " AND NOT (has_table_privilege('hzm', oid, 'SELECT') AND has_table_privilege('hzm', oid, 'INSERT')"
    . " AND has_table_privilege('hzm', oid, 'UPDATE') AND has_table_privilege('hzm', oid, 'DELETE')"
    # with several privileges named, true when any is held
    . " AND NOT has_table_privilege('hzm', oid, 'TRUNCATE, REFERENCES, TRIGGER'))"), '',
    'every other table: read, add, change, delete, and neither TRUNCATE, REFERENCES nor TRIGGER');

# --- what hzm may not do --------------------------------------------------------------------
my $A = bearer(admin_login());
my $r = api(GET => '/api/v1/admin/audit/verify', $A);
ok($r->{json}{data}{intact}, 'the chain is intact to begin with') or diag($r->{body});

my $row = psql("INSERT INTO audit_log (public_id, event_type, action, reason) VALUES"
    . " (hzm_public_id('aud_'), 'DB_ROLES', 'CHECKED', 'added by hzm') RETURNING public_id");
like($row, qr/^aud_[a-z2-7]{20}$/, 'hzm adds a row to the audit log') or diag($row);
my $id = psql("SELECT id FROM audit_log WHERE public_id = '$row'");
my $hash = psql("SELECT encode(hash, 'hex') FROM audit_log WHERE id = $id");

my $denied = qr/ERROR:\s+permission denied for table audit_log/;
my $not_owner = qr/ERROR:\s+must be owner of table audit_log/;
my @refused = (
	[ 'TRUNCATE audit_log', $denied ],
	[ 'ALTER TABLE audit_log DISABLE TRIGGER ALL', $not_owner ],
	[ 'ALTER TABLE audit_log DISABLE TRIGGER audit_no_update', $not_owner ],
	[ 'DROP TRIGGER audit_no_update ON audit_log', qr/ERROR:\s+must be owner of relation audit_log/ ],
	[ "UPDATE audit_log SET reason = 'changed by hzm' WHERE id = $id", $denied ],
	[ "DELETE FROM audit_log WHERE id = $id", $denied ],
	[ 'DROP TABLE audit_log', $not_owner ],
	[ 'ALTER TABLE audit_log RENAME TO audit_old', $not_owner ],
	[ 'CREATE TRIGGER db_roles BEFORE INSERT ON audit_log FOR EACH STATEMENT'
	    . ' EXECUTE FUNCTION audit_refuse()', $denied ],
	[ 'CREATE TABLE db_roles_probe (a int)', qr/ERROR:\s+permission denied for schema public/ ],
	[ "CREATE FUNCTION db_roles_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'",
	    qr/ERROR:\s+permission denied for schema public/ ],
	[ 'CREATE SCHEMA db_roles_probe', qr/ERROR:\s+permission denied for database hzm/ ],
	[ 'DROP TABLE orders', qr/ERROR:\s+must be owner of table orders/ ],
	[ 'TRUNCATE orders', qr/ERROR:\s+permission denied for table orders/ ],
	[ "UPDATE ledger SET ref = 'changed by hzm'", qr/ERROR:\s+permission denied for table ledger/ ],
	[ 'TRUNCATE ledger', qr/ERROR:\s+permission denied for table ledger/ ],
	[ 'UPDATE trades SET price = price * 2', qr/ERROR:\s+permission denied for table trades/ ],
	[ 'DELETE FROM trades', qr/ERROR:\s+permission denied for table trades/ ],
	[ 'DELETE FROM schema_migrations', qr/ERROR:\s+permission denied for table schema_migrations/ ],
	# The setting balances_guard looks at is anyone's to set: privileges
	# are what keep a balance from moving without a ledger row.
	[ "SELECT set_config('hzm.ledger_write', 'on', false); UPDATE balances SET available = available + 1",
	    qr/ERROR:\s+permission denied for table balances/ ],
	[ "SELECT set_config('hzm.ledger_write', 'on', false); INSERT INTO balances (user_id, asset, available)"
	    . " SELECT id, 'BTC', 1 FROM users ORDER BY id LIMIT 1",
	    qr/ERROR:\s+permission denied for table balances/ ],
	[ 'DELETE FROM balances', qr/ERROR:\s+permission denied for table balances/ ],
	# A trigger of hzm's own would call it with rows that are no ledger's.
	[ 'CREATE TEMP TABLE db_roles_probe (user_id bigint, asset text, delta_available numeric,'
	    . ' delta_locked numeric); CREATE TRIGGER db_roles_probe AFTER INSERT ON db_roles_probe'
	    . ' REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply()',
	    qr/ERROR:\s+permission denied for function ledger_apply/ ],
	[ 'SET session_replication_role = replica',
	    qr/ERROR:\s+permission denied to set parameter "session_replication_role"/ ],
	[ 'SET ROLE hzm_owner', qr/ERROR:\s+permission denied to set role "hzm_owner"/ ],
	[ "SELECT setval('order_seq', 1)", qr/ERROR:\s+permission denied for sequence order_seq/ ],
);
for my $t (@refused) {
	like(psql($t->[0]), $t->[1], "hzm: $t->[0] refused");
}

# A ledger row, which hzm may add, still moves the balance (the trigger
# runs as the owner), and hzm may still lock the row it spends from.
my $u = new_user('dbroles');
my $uid = psql("SELECT id FROM users WHERE public_id = '$u->{userId}'");
is(psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
    . " VALUES ($uid, 'BTC', 0.5, 0, 'ADJUSTMENT', 'db_roles')"), '', 'hzm adds a ledger row');
is(psql("BEGIN; SELECT trim_scale(available) FROM balances WHERE user_id = $uid AND asset = 'BTC'"
    . " FOR UPDATE; COMMIT"), '0.5', 'which moved the balance; hzm locks and reads it');
is(psql("SELECT count(*) FROM balances b WHERE user_id = $uid AND (available, locked) <>"
    . " (SELECT sum(delta_available), sum(delta_locked) FROM ledger l"
    . " WHERE l.user_id = b.user_id AND l.asset = b.asset)"), 0, 'the balance is its ledger rows\' sum');
is(psql("SELECT reason || ' ' || encode(hash, 'hex') FROM audit_log WHERE id = $id"),
    "added by hzm $hash", 'the row is as it was written');
is(psql("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass"
    . " AND NOT tgisinternal AND tgenabled = 'O'"), 3, 'the audit log\'s three triggers are on');
ok(api(GET => '/api/v1/admin/audit/verify', $A)->{json}{data}{intact}, 'the chain is intact');

# --- what the owner can do, and the verifier sees -----------------------------------------------
like(psql_owner("UPDATE audit_log SET reason = 'changed by the owner' WHERE id = $id"),
    qr/ERROR:.*append-only/, 'the owner too is refused while the trigger is on');
# Someone holding the owner's login turns the trigger off for one
# transaction and edits the row.
is(psql_owner('ALTER TABLE audit_log DISABLE TRIGGER audit_no_update;'
    . " UPDATE audit_log SET reason = 'changed by the owner' WHERE id = $id;"
    . ' ALTER TABLE audit_log ENABLE TRIGGER audit_no_update'), '', 'the owner edits the row');
is(psql("SELECT reason FROM audit_log WHERE id = $id"), 'changed by the owner', '  it is changed');
$r = api(GET => '/api/v1/admin/audit/verify', $A);
is($r->{status}, 200, 'verify') or diag($r->{body});
ok(!$r->{json}{data}{intact}, 'the chain is broken');
is($r->{json}{data}{firstBroken}{auditId}, $row, 'the changed row is the first broken link');
is($r->{json}{data}{firstBroken}{problem}, 'HASH_MISMATCH', '  its hash no longer matches');
psql_owner('ALTER TABLE audit_log DISABLE TRIGGER audit_no_update;'
    . " UPDATE audit_log SET reason = 'added by hzm' WHERE id = $id;"
    . ' ALTER TABLE audit_log ENABLE TRIGGER audit_no_update');
ok(api(GET => '/api/v1/admin/audit/verify', $A)->{json}{data}{intact}, 'put back, intact again');

# --- a database made by an older stack is converted --------------------------------------------
# Older stacks made hzm the owner of everything and knew no hzm_owner.
my $fresh = psql_owner($PRIVS);
is(superuser_sql('REASSIGN OWNED BY hzm_owner TO hzm; DROP OWNED BY hzm_owner; DROP ROLE hzm_owner'),
    '', 'the database put back as older stacks made it');
is(superuser_sql("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'audit_log'::regclass"),
    'hzm', '  hzm owns the audit log');
is(superuser_sql("SELECT count(*) FROM pg_roles WHERE rolname = 'hzm_owner'"), 0, '  and there is no hzm_owner');
isnt(psql($OWNED), 0, '  hzm owns things again');
is(stack('migrate'), 0, 'stack migrate');
is(psql($OWNED), 0, 'hzm owns nothing again');
my $converted = psql_owner($PRIVS);
is($converted, $fresh, 'owners and privileges are those of a new database');
like(psql('TRUNCATE audit_log'), $denied, 'hzm: TRUNCATE audit_log refused');
like(psql('ALTER TABLE audit_log DISABLE TRIGGER ALL'), $not_owner, 'hzm: DISABLE TRIGGER refused');
is(stack('migrate'), 0, 'stack migrate again');
is(psql_owner($PRIVS), $fresh, 'changes nothing');
is(api(GET => '/api/v1/markets')->{status}, 200, 'the handlers read');
$r = api(GET => '/api/v1/admin/audit/verify', bearer(admin_login()));
ok($r->{json}{data}{intact}, 'and write (an admin login is audited); the chain is intact') or diag($r->{body});

done_testing;
