# tests/api/90_housekeeping.t — cron-housekeeping deletes what expired and keeps what has not
use strict;
use warnings;
use Test::More;
use Hzm;

my $bin = "$ENV{HZM_VAR}/bin/cron-housekeeping";
plan skip_all => 'cron-housekeeping not built' unless -x $bin;

my $uid = psql("SELECT id FROM users WHERE email = 'test.level1\@example.com'");
psql("INSERT INTO revoked_access_tokens VALUES ('hk-old-$$', now() - interval '1 minute'),"
    . " ('hk-new-$$', now() + interval '10 minutes')");
psql("INSERT INTO idempotency_keys (user_id, key, request_hash, method, path, expires_at)"
    . " VALUES ($uid, 'hk-old-$$', '\\x00', 'POST', '/x', now() - interval '1 second'),"
    . " ($uid, 'hk-new-$$', '\\x00', 'POST', '/x', now() + interval '1 hour')");
psql("INSERT INTO email_codes (user_id, purpose, code_hash, expires_at) VALUES"
    . " ($uid, 'VERIFY_EMAIL', '\\x01', now() - interval '8 days'),"
    . " ($uid, 'VERIFY_EMAIL', '\\x02', now() - interval '1 day')");
psql("INSERT INTO login_failures (subject, win, failures, updated_at) VALUES"
    . " ('hk-old-$$', 1, 3, now() - interval '2 days'), ('hk-new-$$', 1, 3, now())");

my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $bin 2>&1`;
is($? >> 8, 0, 'cron-housekeeping exits 0') or diag($out);
like($out, qr/^revoked \d+$/m, 'reports what it deleted');
is(psql("SELECT count(*) FROM revoked_access_tokens WHERE jti = 'hk-old-$$'"), 0,
    'expired revocation deleted');
is(psql("SELECT count(*) FROM revoked_access_tokens WHERE jti = 'hk-new-$$'"), 1,
    'live revocation kept');
is(psql("SELECT count(*) FROM idempotency_keys WHERE key = 'hk-old-$$'"), 0,
    'expired idempotency key deleted');
is(psql("SELECT count(*) FROM idempotency_keys WHERE key = 'hk-new-$$'"), 1,
    'live idempotency key kept');
is(psql("SELECT count(*) FROM email_codes WHERE user_id = $uid AND code_hash = '\\x01'"), 0,
    'codes a week past expiry deleted');
is(psql("SELECT count(*) FROM email_codes WHERE user_id = $uid AND code_hash = '\\x02'"), 1,
    'recently expired codes kept');
is(psql("SELECT count(*) FROM login_failures WHERE subject = 'hk-old-$$'"), 0,
    'day-old login failures deleted');
is(psql("SELECT count(*) FROM login_failures WHERE subject = 'hk-new-$$'"), 1,
    'recent login failures kept');

# Two runs at once: the second leaves the work to the first.
{
	my $pid = fork();
	if (!$pid) {
		exec('psql', '-X', '-q', '-U', 'hzm', '-d', 'hzm', '-h', "$ENV{HZM_VAR}/run/pg", '-c',
		    "SELECT pg_advisory_lock(hashtextextended('hzm-worker:housekeeping', 0)),"
		    . " pg_sleep(3)");
		exit 1;
	}
	sleep 1;
	my $busy = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $bin 2>&1`;
	is($? >> 8, 0, 'a run while another holds the lock exits 0');
	unlike($busy, qr/^revoked/m, 'and does nothing');
	waitpid($pid, 0);
	$busy = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $bin 2>&1`;
	like($busy, qr/^revoked \d+$/m, 'once the lock is free it runs');
}

ok(-s "$ENV{HZM_VAR}/run/cron-housekeeping.pid", 'the stack runs it on a schedule');

done_testing;
