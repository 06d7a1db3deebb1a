# tests/api/56_live_config.t — GET/POST /api/v1/admin/system/config: typed, bounded, versioned and audited settings that handlers follow within seconds, without a restart
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();

my $A = bearer(admin_login());
sub set { api(POST => '/api/v1/admin/system/config', $A, { key => $_[0], value => $_[1], reason => $_[2] // 'test' }) }
# Until the handlers see it: they look at the version once a second.
sub eventually {
	my ($cond) = @_;
	my $t0 = time;
	while (time - $t0 < 5) {
		my $v = $cond->();
		return $v if $v;
		sleep 0.2;
	}
	return 0;
}

my $u = trader('cfg', TRY => 100000);
my $r = api(GET => '/api/v1/users/profile', bearer($u->{token}));
my $limit0 = $r->{headers}{'x-ratelimit-limit'};
is($limit0, 2000, 'profile reads: 200/min at the sandbox scale of 10');

# --- rate-limit scale ---------------------------------------------------------------
my $pids = join ',', handler_pids('users');
$r = set(rate_limit_scale => '3', 'load test');
is($r->{status}, 200, 'rate_limit_scale set') or diag($r->{body});
my $v1 = $r->{json}{data}{version};
ok($v1 >= 1, 'a new version');
ok(eventually(sub { api(GET => '/api/v1/users/profile', bearer($u->{token}))->{headers}{'x-ratelimit-limit'} == 600 }),
    'the handlers apply it within seconds: 200 x 3');
is(join(',', handler_pids('users')), $pids, 'without a restart');

# --- maintenance mode ---------------------------------------------------------------
$r = set(maintenance_mode => 'true', 'database upgrade');
is($r->{json}{data}{version}, $v1 + 1, 'versions follow each other');
my %bid = (symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', timeInForce => 'GTC', price => '100.00', quantity => '0.00100000');
ok(eventually(sub { place($u->{token}, \%bid)->{status} == 503 }), 'maintenance: changes refused');
$r = place($u->{token}, \%bid);
error_ok($r, 503, 'SERVICE_UNAVAILABLE', 'with 503');
$r = api(GET => '/api/v1/wallets/balances', bearer($u->{token}));
is($r->{status}, 200, 'reads go on');
$r = api(GET => '/api/v1/admin/system/config', $A);
is($r->{status}, 200, 'the console stays open');
$r = set(maintenance_mode => 'false', 'done');
is($r->{status}, 200, 'and ends maintenance');
ok(eventually(sub { (place($u->{token}, \%bid)->{json}{error}{code} // '') ne 'SERVICE_UNAVAILABLE' }), 'orders taken again');
cancel_open($u->{token});

# --- what GET shows -------------------------------------------------------------------
$r = api(GET => '/api/v1/admin/system/config', $A);
my %s = map { $_->{key} => $_ } @{$r->{json}{data}{settings}};
is($s{rate_limit_scale}{value}, '3', 'current values');
is($s{maintenance_mode}{value}, 'false', 'maintenance off');
is($s{maintenance_mode}{updatedBy}, 'usr_sandboxadminaaaaaaaa', 'who set it');
is($r->{json}{data}{version}, $v1 + 2, 'the current version');
my $h = $r->{json}{data}{history}[0];
is_deeply([@$h{qw(key oldValue newValue reason)}], ['maintenance_mode', 'true', 'false', 'done'],
    'history: old and new value, reason');
ok(scalar @{$r->{json}{data}{keys}} >= 6, 'the keys that exist');
is(psql("SELECT (details->>'oldValue') || '>' || (details->>'newValue') FROM audit_log"
    . " WHERE event_type = 'SYSTEM_CONFIG' AND target_ref = 'maintenance_mode' ORDER BY id DESC LIMIT 1"),
    'true>false', 'audited with old and new values');

# --- families and validation -----------------------------------------------------------
$r = set('market_fee.BTCTRY.maker', '0.0008');
is($r->{status}, 200, 'a market fee');
$r = set('withdrawal_threshold.BTC', '0.5');
is($r->{status}, 200, 'a withdrawal threshold');
$r = set('kyc_limit.LEVEL_2.dailyWithdrawal', '150000.00');
is($r->{status}, 200, 'a KYC level limit');
$r = set('withdrawal_threshold.BTC', '0.5');
error_ok($r, 409, 'CONFLICT', 'the same value again');
for my $bad ([rate_limit_scale => '0', 'value'], [rate_limit_scale => '1001', 'value'],
    [rate_limit_scale => '2.5', 'value'], [maintenance_mode => 'yes', 'value'],
    ['market_fee.BTCTRY.maker' => '0.2', 'value'], ['market_fee.BTCTRY.both' => '0.001', 'key'],
    ['withdrawal_fee.BTC' => '-1', 'value'], ['kyc_limit.LEVEL_9.dailyTrading' => '1', 'key'],
    ['kyc_limit.LEVEL_2.dailyTrading' => '1.001', 'value'], [jwt_secret => 'x', 'key'],
    ['db' => 'host=evil', 'key']) {
	$r = set($bad->[0], $bad->[1]);
	error_ok($r, 400, 'INVALID_REQUEST', "$bad->[0] = $bad->[1] refused");
	is($r->{json}{error}{details}{field}, $bad->[2], "names the $bad->[2]");
}
$r = api(POST => '/api/v1/admin/system/config', $A, { key => 'rate_limit_scale', value => '2' });
error_ok($r, 400, 'INVALID_REQUEST', 'a reason is required');

# --- who may ------------------------------------------------------------------------------
my $comp = staff('COMPLIANCE');
$r = api(GET => '/api/v1/admin/system/config', bearer($comp->{token}));
is($r->{status}, 200, 'COMPLIANCE reads the settings');
$r = api(POST => '/api/v1/admin/system/config', bearer($comp->{token}), { key => 'rate_limit_scale', value => '1', reason => 'x' });
error_ok($r, 403, 'FORBIDDEN', 'but only ADMIN changes them');
$r = api(GET => '/api/v1/admin/system/config', bearer($u->{token}));
error_ok($r, 403, 'FORBIDDEN', 'users may not look');

# Back as it was for the tests after this one.
set(rate_limit_scale => '10', 'back to the sandbox scale');
ok(eventually(sub { api(GET => '/api/v1/users/profile', bearer($u->{token}))->{headers}{'x-ratelimit-limit'} == 2000 }),
    'the scale back to 10');
done_testing();
