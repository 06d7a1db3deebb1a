# tests/api/51_2fa_limits.t — TOTP enrolment and login, replayed codes, rate limits with headers, login lock-out, memcached down (limits counted in PostgreSQL)
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;

mc_flush();
sub post { api(POST => $_[0], $_[2] // {}, $_[1]) }

# ---- TOTP ------------------------------------------------------------------
my $u = new_user('totp');
my $auth = bearer($u->{access});
my $r = post('/api/v1/auth/2fa/enable', { code => '123456' }, $auth);
error_ok($r, 409, 'CONFLICT', 'enable before setup');
$r = post('/api/v1/auth/2fa/setup', {}, $auth);
is($r->{status}, 200, '2fa setup');
my $secret = $r->{json}{data}{secret};
like($secret, qr/^[A-Z2-7]{32}$/, 'secret: 160 bits, base32');
like($r->{json}{data}{otpauthUri},
    qr{^otpauth://totp/hzm:[^?]+\?secret=$secret&issuer=hzm&algorithm=SHA1&digits=6&period=30$},
    'otpauth URI');
isnt(psql("SELECT encode(totp_pending, 'escape') FROM users WHERE public_id = '$u->{userId}'"),
    '', 'pending secret stored');
unlike(psql("SELECT encode(totp_pending, 'escape') FROM users WHERE public_id = '$u->{userId}'"),
    qr/$secret/, 'sealed, not in clear');

my $now = totp_code($secret);
my $wrong = $now eq '000000' ? '000001' : '000000';
$r = post('/api/v1/auth/2fa/enable', { code => $wrong }, $auth);
error_ok($r, 401, 'AUTH_004', 'enable with a wrong code');
$r = post('/api/v1/auth/2fa/enable', {}, $auth);
error_ok($r, 400, 'INVALID_REQUEST', 'enable without a code');
$r = post('/api/v1/auth/2fa/enable', { twoFactorCode => $now }, $auth);
is($r->{status}, 200, 'enable with the right code (as twoFactorCode, the name other bodies use)') or diag($r->{body});
ok($r->{json}{data}{twoFactorEnabled}, 'enabled');
$r = post('/api/v1/auth/2fa/setup', {}, $auth);
error_ok($r, 409, 'CONFLICT', 'setup again while enabled');

$r = login($u->{email}, $u->{password});
error_ok($r, 401, 'AUTH_004', 'login without the code');
ok($r->{json}{error}{details}{twoFactorRequired}, 'says a code is required');
$r = login($u->{email}, $u->{password}, twoFactorCode => $wrong);
error_ok($r, 401, 'AUTH_004', 'login with a wrong code');
$r = login($u->{email}, $u->{password}, twoFactorCode => $now);
error_ok($r, 401, 'AUTH_004', 'the code that enabled 2FA is spent');
my $next = totp_code($secret, time + 30);
$r = login($u->{email}, $u->{password}, twoFactorCode => $next);
is($r->{status}, 200, 'login with the next step\'s code (±1 step window)') or diag($r->{body});
my $access = $r->{json}{data}{accessToken};
$r = login($u->{email}, $u->{password}, twoFactorCode => $next);
error_ok($r, 401, 'AUTH_004', 'the same code twice: refused');
$r = login($u->{email}, $u->{password}, twoFactorCode => totp_code($secret, time - 90));
error_ok($r, 401, 'AUTH_004', 'a code three steps old: refused');
$r = login('wrong' . $u->{email}, $u->{password}, twoFactorCode => $next);
error_ok($r, 401, 'AUTH_001', 'the password is checked before the code');

$r = post('/api/v1/auth/2fa/disable', { code => $next }, bearer($access));
error_ok($r, 401, 'AUTH_004', 'disable with a spent code');
# The step after "next" becomes valid once time moves on; wait for it.
sleep(30 - time % 30 + 0.3);
$r = post('/api/v1/auth/2fa/disable', { code => totp_code($secret, time + 30) }, bearer($access));
is($r->{status}, 200, 'disable with a fresh code') or diag($r->{body});
is(login($u->{email}, $u->{password})->{status}, 200, 'login without a code again');

# Staff must keep 2FA; the sandbox admin's ordinary session cannot disable it.
$r = login('admin@example.com', $SANDBOX_PW, twoFactorCode => totp_code($ADMIN_TOTP));
if ($r->{status} == 200) {
	my $ar = post('/api/v1/auth/2fa/disable',
	    { code => totp_code($ADMIN_TOTP, time + 30) }, bearer($r->{json}{data}{accessToken}));
	error_ok($ar, 403, 'FORBIDDEN', 'an admin cannot turn 2FA off');
} else {
	error_ok($r, 401, 'AUTH_004', 'admin step already spent (ran in the same 30 s)');
}

# ---- rate limits ------------------------------------------------------------
mc_flush();
my $limit = 5 * 10;	# 5/hour in the spec, sandbox at 10x
my ($first, $last);
for my $i (1 .. $limit + 1) {
	$r = post('/api/v1/auth/password/reset-request', { email => unique_email('rl') });
	$first //= $r;
	$last = $r;
	last if $r->{status} == 429;
}
is($first->{headers}{'x-ratelimit-limit'}, $limit, 'X-RateLimit-Limit');
is($first->{headers}{'x-ratelimit-remaining'}, $limit - 1, 'X-RateLimit-Remaining counts down');
my $reset = $first->{headers}{'x-ratelimit-reset'};
ok($reset > time && $reset <= time + 3600 + 1, 'X-RateLimit-Reset within the hour');
error_ok($last, 429, 'RATE_LIMIT_EXCEEDED', 'request over the limit');
is($last->{headers}{'x-ratelimit-remaining'}, 0, '429: remaining 0');
ok($last->{headers}{'retry-after'} > 0 && $last->{headers}{'retry-after'} <= 3600,
    '429: Retry-After');
# Per IP for auth endpoints: another endpoint's budget is separate.
$r = post('/api/v1/auth/verify-email', { email => unique_email('x'), code => '123456' });
is($r->{status}, 400, 'another class still has budget');

# ---- login lock-out --------------------------------------------------------------
mc_flush();
my $v = new_user('lock');
my $bystander = new_user('bystander');
# Six counted failures: from the fifth, each makes the next attempt wait
# (1 s, then 2 s); an attempt refused while waiting is not counted.
my $fails = 0;
for (1 .. 20) {
	last if $fails == 6;
	$r = login($v->{email}, 'not-the-password-1');
	if ($r->{status} == 429) {
		sleep(($r->{headers}{'retry-after'} // 1) + 0.1);
		next;
	}
	is($r->{status}, 401, 'failed login');
	$fails++;
}
is($fails, 6, 'six failed logins counted');
$r = login($v->{email}, $v->{password});
error_ok($r, 429, 'RATE_LIMIT_EXCEEDED', 'after 5 failures even the right password waits');
my $wait = $r->{headers}{'retry-after'};
ok($wait >= 1 && $wait <= 300, "Retry-After $wait s");
is(login($bystander->{email}, $bystander->{password})->{status}, 200,
    'another account from the same IP is not locked');
$r = login(unique_email('nobody'), 'x-whatever-1');
is($r->{status}, 401, 'unknown accounts are answered as before');
sleep($wait + 0.2);
is(login($v->{email}, $v->{password})->{status}, 200, 'after the wait the right password works');
for (1 .. 6) { login($v->{email}, 'not-the-password-1') }
# Lock-outs look the same for an account that does not exist.
my $ghost = unique_email('ghost');
login($ghost, 'not-the-password-1') for 1 .. 6;
$r = login($ghost, 'not-the-password-1');
error_ok($r, 429, 'RATE_LIMIT_EXCEEDED', 'a non-existent account locks the same way');

# ---- memcached down: still served, limits and revocation still hold -------------
mc_flush();
my $s = new_user('mcdown');
my $mpid = mc_stop();
ok($mpid, 'memcached stopped');
ok(!kill(0, $mpid), 'memcached is gone');
$r = login($s->{email}, $s->{password});
is($r->{status}, 200, 'login works without memcached');
is($r->{headers}{'x-ratelimit-limit'}, 20 * 10, 'the limit is still announced');
is($r->{headers}{'x-ratelimit-remaining'}, 20 * 10 - 1,
    'and counted (in PostgreSQL) without memcached');
# The outage lifts no limit: the reset budget runs out as with memcached.
($first, $last) = (undef, undef);
for my $i (1 .. $limit + 1) {
	$last = post('/api/v1/auth/password/reset-request', { email => unique_email('rlpg') });
	$first //= $last;
	last if $last->{status} == 429;
}
is($first->{headers}{'x-ratelimit-remaining'}, $limit - 1,
    'without memcached the reset budget counts down from the top');
error_ok($last, 429, 'RATE_LIMIT_EXCEEDED', 'and is refused past the limit, not served');
ok($last->{headers}{'retry-after'} > 0, '  with Retry-After');
is(psql("SELECT count(*) FROM rate_counters WHERE key LIKE 'rl:reset:%'"), 1,
    'one window counted in rate_counters');
my $tok = $r->{json}{data}{accessToken};
is(post('/api/v1/auth/logout', {}, bearer($tok))->{status}, 200, 'logout without memcached');
error_ok(post('/api/v1/auth/2fa/setup', {}, bearer($tok)), 401, 'AUTH_003',
    'the logged-out token is refused (PostgreSQL holds the revocation)');
$r = api(GET => '/api/v1/system/health');
is($r->{json}{data}{memcached}, 'down', 'health reports memcached down');
is(stack('start'), 0, 'memcached started again');
# Handlers retry a dead memcached after a couple of seconds.
for (1 .. 50) {
	$r = api(GET => '/api/v1/system/health');
	last if ($r->{json}{data}{memcached} // '') eq 'up';
	sleep 0.2;
}
is($r->{json}{data}{memcached}, 'up', 'health reports memcached up again');

done_testing;
