# tests/api/56_live_config.t — GET/POST /api/v1/admin/system/config: typed, bounded, versioned and audited settings that handlers, workers and the matcher follow within seconds, without a restart: rate limits, maintenance, market fees, withdrawal fees and thresholds, KYC limits
use strict;
use warnings;
use Test::More;
use Math::BigInt;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmChain;
use HzmBank qw(fiat_user iban_tr);
use HzmWithdraw;

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

# --- market fees: the matcher's next fill ---------------------------------------------
# Written through to markets, which the matcher reads before every batch
# and the handlers keep a second at most. A price in whole tens of lira,
# so that 0.001 BTC costs an exact number of kurus.
sub audit_last {
	my ($key) = @_;
	return psql("SELECT (details->>'oldValue') || '>' || (details->>'newValue') FROM audit_log"
	    . " WHERE event_type = 'SYSTEM_CONFIG' AND target_ref = '$key' ORDER BY id DESC LIMIT 1");
}
sub fee_of { my ($amount, $ppm) = @_; return $amount * $ppm / 1000000 }	# rounded down
my $mpid = matcher_pid();
my $P = units(market_price('BTCTRY', '1850000.00'), 2) / 1000 * 1000;
my $q = $P / 1000;		# 0.001 BTC, in kurus
my $mk = trader('cfg-maker', TRY => 100000);
my $tk = trader('cfg-taker', BTC => 1);
my %bid1 = (symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', timeInForce => 'GTC',
    price => fmt($P, 2), quantity => '0.00100000');
my %ask1 = (%bid1, side => 'SELL', timeInForce => 'IOC');

$r = set('market_fee.BTCTRY.taker', '0.005', 'taker fee up');
is($r->{status}, 200, 'a market fee set') or diag($r->{body});
is($r->{json}{data}{oldValue}, '0.002', '  the fee it replaces, as markets had it');
is(psql("SELECT trim_scale(taker_fee) FROM markets WHERE symbol = 'BTCTRY'"), '0.005',
    '  written through to markets');
is(audit_last('market_fee.BTCTRY.taker'), '0.002>0.005', '  audited with the old and the new fee');
my $fee0 = fee_balance('TRY');
$r = place($mk->{token}, \%bid1);
is($r->{json}{data}{status}, 'NEW', "a bid of 0.001 BTC at $bid1{price} rests") or diag($r->{body});
my $bid = $r->{json}{data}{orderId};
$r = place($tk->{token}, \%ask1);
is($r->{json}{data}{status}, 'FILLED', 'a sell takes it at once') or diag($r->{body});
is_deeply($r->{json}{data}{fee}, { amount => fmt(fee_of($q, 5000), 2), currency => 'TRY' },
    '  the seller, taker, pays the new 0.5% on the next fill');
$r = api(GET => "/api/v1/orders/$bid", bearer($mk->{token}));
is($r->{json}{data}{status}, 'FILLED', '  the bid is filled');
is_deeply($r->{json}{data}{fee}, { amount => fmt(fee_of($q, 1000), 2), currency => 'TRY' },
    '  and, maker, pays 0.1% as before');
is(fee_balance('TRY') - $fee0, fee_of($q, 5000) + fee_of($q, 1000), '  both fees reached the fee account');

# A bid placed at a rate and filled after a raise pays what its lock covers.
sleep 1.1;	# the handlers' copy of the market, a second old at most
$r = place($mk->{token}, \%bid1);
is($r->{json}{data}{status}, 'NEW', 'another bid rests') or diag($r->{body});
$bid = $r->{json}{data}{orderId};
my $lock = units(balances($mk->{token})->{TRY}{locked}, 2);
is($lock, $q + ($q * 5000 + 999999) / 1000000, '  locking its cost and the higher rate now, 0.5%, on it');
$r = set('market_fee.BTCTRY.maker', '0.009', 'maker fee up while the bid rests');
is($r->{json}{data}{oldValue}, '0.001', 'the maker fee raised to 0.9%');
$r = place($tk->{token}, \%ask1);
is($r->{json}{data}{status}, 'FILLED', 'a sell takes the bid') or diag($r->{body});
is($r->{json}{data}{fee}{amount}, fmt(fee_of($q, 5000), 2), '  the seller pays the taker 0.5%');
my $cover = ($lock - $q) * 1000000 / $q;
$r = api(GET => "/api/v1/orders/$bid", bearer($mk->{token}));
is($r->{json}{data}{fee}{amount}, fmt(fee_of($q, $cover < 9000 ? $cover : 9000), 2),
    '  the bid pays the rate its lock covers (0.5%), not 0.9%');
is(balances($mk->{token})->{TRY}{locked}, '0.00', '  and nothing stays locked');
is(matcher_pid(), $mpid, 'the matcher was not restarted');
invariant_ok('after fills at new fees');

# A KYC level's daily trading limit, read by the order's own statement.
$r = set('kyc_limit.LEVEL_2.dailyTrading', '1000.00', 'a quiet day');
is($r->{json}{data}{oldValue}, '1000000.00', "LEVEL_2's daily trading limit lowered");
$r = place($mk->{token}, \%bid1);
error_ok($r, 403, 'COMPLIANCE_002', '  the next order is held to it');
is($r->{json}{error}{details}{limit}, '1000.00', '  the new limit');
is(set('kyc_limit.LEVEL_2.dailyTrading', '1000000.00', 'back')->{status}, 200, '  and back');

# --- families and validation ------------------------------------------------------------
$r = set('market_fee.BTCTRY.taker', '0.0050');
error_ok($r, 409, 'CONFLICT', 'the same value again (0.0050 is 0.005)');
for my $bad ([rate_limit_scale => '0', 'value'], [rate_limit_scale => '1001', 'value'],
    [rate_limit_scale => '2.5', 'value'], [maintenance_mode => 'yes', 'value'],
    ['market_fee.BTCTRY.maker' => '0.2', 'value'], ['market_fee.BTCTRY.both' => '0.001', 'key'],
    ['market_fee.NOPEXX.maker' => '0.001', 'key'],
    ['withdrawal_fee.BTC' => '-1', 'value'], ['withdrawal_fee.BTC' => '0.000000001', 'value'],
    ['withdrawal_fee.NOPE' => '1', 'key'], ['withdrawal_threshold.TRY' => '1000', 'key'],
    ['withdrawal_threshold.BTC' => 'never', 'value'],
    ['kyc_limit.LEVEL_9.dailyTrading' => '1', 'key'],
    ['kyc_limit.LEVEL_2.dailyTrading' => '1.001', 'value'],
    ['kyc_limit.LEVEL_2.dailyWithdrawal' => '1000000000000000', 'value'],
    ['kyc_limit.LEVEL_2.dailyWithdrawal' => '600000.00', 'value'], [jwt_secret => 'x', 'key'],
    ['db' => 'host=evil', 'key']) {
	$r = set($bad->[0], $bad->[1]);
	error_ok($r, 400, 'INVALID_REQUEST', "$bad->[0] = $bad->[1] refused");
	is($r->{json}{error}{details}{field}, $bad->[2], "names the $bad->[2]");
}
like(set('withdrawal_fee.BTC', '0.000000001')->{json}{error}{details}{reason}, qr/8 decimals/,
    'an asset\'s fee at most at its precision');
like(set('kyc_limit.LEVEL_2.dailyWithdrawal', '600000.00')->{json}{error}{details}{reason},
    qr/monthlyWithdrawal \(500000\.00\)/, 'a daily limit never above the monthly one');
$r = api(POST => '/api/v1/admin/system/config', $A, { key => 'rate_limit_scale', value => '2' });
error_ok($r, 400, 'INVALID_REQUEST', 'a reason is required');

# --- withdrawal fees, thresholds, KYC limits: the next request ------------------------------
my @wds;
SKIP: {
	skip 'no stand-in Bitcoin node in this stack', 1
	    unless -s "$ENV{HZM_VAR}/bitcoind/bitcoin.conf" && btc_alive();
	worker_pause();		# what waits here is rejected at the end, never sent
	my $w = wd_user('cfg-wd', fund => { BTC => 1 });
	$r = set('withdrawal_fee.BTC', '0.0002', 'network fees are low');
	is($r->{status}, 200, 'withdrawal_fee.BTC set') or diag($r->{body});
	is($r->{json}{data}{oldValue}, '0.0005', '  replacing the network\'s fee (asset_networks)');
	is(audit_last('withdrawal_fee.BTC'), '0.0005>0.0002', '  audited with the old and the new fee');
	$r = withdraw($w, { amount => '0.01', address => $w->{addr} });
	is($r->{status}, 201, 'the next withdrawal') or diag($r->{body});
	push @wds, $r->{json}{data}{withdrawalId};
	is($r->{json}{data}{fee}, '0.00020000', '  charges the new fee');
	is(balances($w->{token})->{BTC}{locked}, '0.01020000', '  and locks amount and fee');

	$r = set('withdrawal_threshold.BTC', '0.005', 'review large BTC withdrawals');
	is($r->{json}{data}{oldValue}, 'none', 'a review threshold for BTC, where there was none');
	$r = withdraw($w, { amount => '0.01', address => $w->{addr} });
	is($r->{json}{data}{status}, 'PENDING_APPROVAL', '  0.01 BTC, above it, waits for approval')
	    or diag($r->{body});
	push @wds, $r->{json}{data}{withdrawalId};
	like(withdrawal_row($wds[-1], 'review_reasons')->{review_reasons}, qr/ABOVE_APPROVAL_THRESHOLD/,
	    '  above the approval threshold');
	$r = set('withdrawal_threshold.BTC', 'none', 'no BTC threshold');
	is($r->{json}{data}{oldValue}, '0.005', 'the threshold removed');
	error_ok(set('withdrawal_threshold.BTC', 'none'), 409, 'CONFLICT', '  removed already');
	$r = withdraw($w, { amount => '0.01', address => $w->{addr} });
	is($r->{json}{data}{status}, 'PENDING_SIGNATURE', '  the next one goes straight on')
	    or diag($r->{body});
	push @wds, $r->{json}{data}{withdrawalId};

	my $k = wd_user('cfg-kyc', fund => { BTC => 1 });
	$r = set('kyc_limit.LEVEL_2.dailyWithdrawal', '1000.00', 'a tighter day');
	is($r->{json}{data}{oldValue}, '100000.00', "LEVEL_2's daily withdrawal limit lowered");
	is(audit_last('kyc_limit.LEVEL_2.dailyWithdrawal'), '100000.00>1000.00', '  audited');
	is(psql("SELECT round(daily_withdrawal, 2) FROM kyc_level_limits WHERE level = 2"), '1000.00',
	    '  written through to kyc_level_limits');
	$r = api(GET => '/api/v1/kyc/status', bearer($k->{token}));
	is($r->{json}{data}{limits}{dailyWithdrawal}{limit}, '1000.00', '  the user sees it at once');
	$r = withdraw($k, { amount => '0.01', address => $k->{addr} });
	error_ok($r, 400, 'WALLET_002', '  a withdrawal of 0.01 BTC, over twice that, is refused');
	is($r->{json}{error}{details}{limit}, '1000.00', '  against the new limit');
	$r = set('kyc_limit.LEVEL_2.dailyWithdrawal', '100000.00', 'back to the default');
	is($r->{status}, 200, "LEVEL_2's limit raised again");
	$r = withdraw($k, { amount => '0.01', address => $k->{addr} });
	is($r->{status}, 201, '  the same withdrawal is taken now') or diag($r->{body});
	push @wds, $r->{json}{data}{withdrawalId};

	for my $id (grep { defined } @wds) {
		$r = api(POST => "/api/v1/admin/withdrawals/$id/reject", $A,
		    { reason => 'live configuration test' });
		is($r->{status}, 200, "$id rejected, its funds back") or diag($r->{body});
	}
	set('withdrawal_fee.BTC', '0.0005', 'back to the network fee');
	worker_resume();
	invariant_ok('after the withdrawals');
}

# TRY by bank transfer: the fee kept in system_config, over hzm.conf's,
# followed by the handlers' copy within a second. A request for all the
# balance shows it in what it requires, and stores nothing.
my $f = fiat_user('cfg-fiat', try => '100.00', totp => 1);
sub fiat_try {
	return with_totp($f->{secret}, sub { api(POST => '/api/v1/fiat/withdraw', bearer($f->{token}),
	    { amount => '100.00', iban => iban_tr(62, 1001), accountHolder => 'AYSE YILMAZ',
	    twoFactorCode => $_[0] }) });
}
is(fiat_try()->{json}{error}{details}{required}, '105.00', 'a TRY withdrawal requires 100.00 and the 5.00 fee');
$r = set('withdrawal_fee.TRY', '7.50', 'bank charges');
is($r->{json}{data}{oldValue}, '5.00', 'withdrawal_fee.TRY over hzm.conf\'s fiat_withdraw_fee');
ok(eventually(sub { (fiat_try()->{json}{error}{details}{required} // '') eq '107.50' }),
    '  the next TRY withdrawal requires the new fee');
set('withdrawal_fee.TRY', '5.00', 'back');

# Back as they were, for the tests after this one (shared markets and levels).
for my $kv (['market_fee.BTCTRY.maker', '0.001'], ['market_fee.BTCTRY.taker', '0.002']) {
	is(set(@$kv, 'back to the default')->{status}, 200, "$kv->[0] back to $kv->[1]");
}
is(psql("SELECT trim_scale(maker_fee) || ' ' || trim_scale(taker_fee) FROM markets WHERE symbol = 'BTCTRY'"),
    '0.001 0.002', 'BTCTRY fees as the seed has them');
is(psql("SELECT trim_scale(withdraw_fee) FROM asset_networks WHERE asset = 'BTC' AND is_default"),
    '0.0005', 'the BTC network fee as before');
is(psql("SELECT round(daily_withdrawal, 2) || ' ' || round(daily_trading, 2) FROM kyc_level_limits"
    . " WHERE level = 2"), '100000.00 1000000.00', "LEVEL_2's daily limits as before");

# --- versions and history ---------------------------------------------------------------------
$r = api(GET => '/api/v1/admin/system/config', $A);
%s = map { $_->{key} => $_ } @{$r->{json}{data}{settings}};
is($s{'market_fee.BTCTRY.taker'}{value}, '0.002', 'GET: each setting as it is now');
is($s{'market_fee.BTCTRY.taker'}{version}, $r->{json}{data}{version},
    '  with the version that set it (the last change)');
my @taker = grep { $_->{key} eq 'market_fee.BTCTRY.taker' } @{$r->{json}{data}{history}};
is_deeply([map { "$_->{oldValue}>$_->{newValue}" } @taker], ['0.005>0.002', '0.002>0.005'],
    '  history: each change of the taker fee, newest first, old and new');
ok($taker[0]{version} > $taker[1]{version}, '  at increasing versions');
is(psql("SELECT string_agg((details->>'oldValue') || '>' || (details->>'newValue'), ' ' ORDER BY id)"
    . " FROM audit_log WHERE event_type = 'SYSTEM_CONFIG' AND target_ref = 'market_fee.BTCTRY.maker'"),
    '0.001>0.009 0.009>0.001', 'every change audited with the old and the new value');

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
