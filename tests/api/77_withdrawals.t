# tests/api/77_withdrawals.t — requesting crypto withdrawals: every field, KYC, 2FA, holds, the blacklist, limits and what is used of them, funds locked, a race with an order
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Math::BigInt;
use POSIX ();
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmChain;
use HzmWithdraw;

plan skip_all => 'no stand-in Bitcoin node in this stack'
    unless -s "$ENV{HZM_VAR}/bitcoind/bitcoin.conf" && btc_alive();

mc_flush();
# The stack's own worker would send what these tests leave waiting.
worker_pause();

my $price = btc_price();
ok($price > 0, "BTCTRY has a last price: $price");
my $P = units($price, 2);

# ---- a request that goes straight on --------------------------------------
my $u = wd_user('wd-clean', fund => { BTC => 2 });
my $b0 = balances($u->{token})->{BTC};
my $r = withdraw($u, { amount => '0.01', address => $u->{addr}, network => 'BTC',
    memo => undef, asset => 'BTC' });
is($r->{status}, 201, 'a small withdrawal: 201') or diag($r->{body});
envelope_ok($r, 'withdraw');
my $w = $r->{json}{data};
like($w->{withdrawalId}, qr/^wdr_[a-z2-7]{20}$/, 'a wdr_ id');
is($w->{asset}, 'BTC', 'asset');
is($w->{network}, 'BTC', 'network');
is($w->{amount}, '0.01000000', 'amount at the asset precision');
is($w->{fee}, '0.00050000', "the network's fee (asset_networks)");
is($w->{address}, $u->{addr}, 'address');
ok(exists $w->{memo} && !defined $w->{memo}, 'memo null');
is($w->{status}, 'PENDING_SIGNATURE', 'under the thresholds and clean: PENDING_SIGNATURE');
is($w->{txHash}, undef, 'no transaction yet');
is($w->{requiredConfirmations}, 3, 'three confirmations required');
like($w->{createdAt}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'createdAt');
my $b1 = balances($u->{token})->{BTC};
is(units($b1->{available}, 8), units($b0->{available}, 8) - units('0.0105', 8),
    'available less the amount and the fee');
is(units($b1->{locked}, 8), units($b0->{locked}, 8) + units('0.0105', 8),
    'locked by as much');
is(units($b1->{total}, 8), units($b0->{total}, 8), 'the total is the same');
is_deeply(ledger_of($w->{withdrawalId}),
    ["WITHDRAWAL_LOCK $u->{userId} -0.01050000 0.01050000"],
    'one WITHDRAWAL_LOCK ledger row, in the same transaction');
my $row = withdrawal_row($w->{withdrawalId}, qw(risk_score risk_factors review_reasons
    approvals_required value_try));
cmp_ok($row->{risk_score}, '<', 40, "scored under the review mark ($row->{risk_score})");
like($row->{risk_factors}, qr/FIRST_WITHDRAWAL/, '  the reasons stored (first withdrawal)');
is($row->{review_reasons}, '{}', '  nothing to review');
is($row->{approvals_required}, '0', '  no approval needed');
my $e8 = Math::BigInt->new(10)->bpow(8);
is(units($row->{value_try}, 2), (units('0.01', 8) * $P + $e8 / 2) / $e8,
    "  worth 0.01 x $price TRY (rounded to kurus)");
invariant_ok('after a request');

$r = api(GET => '/api/v1/wallets/withdrawals', bearer($u->{token}));
is($r->{status}, 200, 'the list');
is($r->{json}{meta}{totalCount}, 1, '  one withdrawal');
is($r->{json}{data}[0]{withdrawalId}, $w->{withdrawalId}, '  this one');
is_deeply($r->{json}{data}[0], $w, '  shown as the request answered');
$r = api(GET => '/api/v1/wallets/withdrawals?filter_status=COMPLETED', bearer($u->{token}));
is($r->{json}{meta}{totalCount}, 0, '  filter_status');
$r = api(GET => '/api/v1/wallets/withdrawals?filter_asset=ETH', bearer($u->{token}));
is($r->{json}{meta}{totalCount}, 0, '  filter_asset');
for my $q ('?filter_status=NOPE', '?filter_asset=btc', '?sort=-amount', '?pageSize=0',
    '?page=x', '?x=1', '?filter_status=REJECTED&filter_status=FAILED') {
	error_ok(api(GET => "/api/v1/wallets/withdrawals$q", bearer($u->{token})), 400,
	    'INVALID_REQUEST', "withdrawals$q");
}
error_ok(api(GET => '/api/v1/wallets/withdrawals'), 401, 'UNAUTHORIZED', 'the list needs a token');

# What is used of the limits shows with them.
$r = api(GET => '/api/v1/kyc/status', bearer($u->{token}));
my $lim = $r->{json}{data}{limits};
is($lim->{dailyWithdrawal}{used}, $row->{value_try}, 'kyc/status: dailyWithdrawal.used');
is($lim->{monthlyWithdrawal}{used}, $row->{value_try}, 'kyc/status: monthlyWithdrawal.used');
is($lim->{dailyWithdrawal}{limit}, '100000.00', '  beside the limit (LEVEL_2)');
is($lim->{dailyWithdrawal}{currency}, 'TRY', '  in TRY');
is($lim->{source}, 'KYC_LEVEL', '  and the other fields as before');

# ---- every field, malformed ----------------------------------------------------
my $v = wd_user('wd-fields', fund => { BTC => 1 });
my $good = { amount => '0.01', address => $FOREIGN, twoFactorCode => '123456' };
my @bad = (
	[{ %$good, extra => 1 }, 'extra', 'an unknown field'],
	[{ %$good, amount => undef }, 'amount', 'amount missing'],
	[{ %$good, amount => 0.01 }, 'amount', 'amount as a JSON number'],
	[{ %$good, amount => 'abc' }, 'amount', 'amount not a number'],
	[{ %$good, amount => '-1' }, 'amount', 'amount negative'],
	[{ %$good, amount => '0' }, 'amount', 'amount zero'],
	[{ %$good, amount => '1e-3' }, 'amount', 'amount with an exponent'],
	[{ %$good, amount => '.5' }, 'amount', 'amount without a leading digit'],
	[{ %$good, amount => '01' }, 'amount', 'amount with a leading zero'],
	[{ %$good, amount => '0.000000001' }, 'amount', 'amount with 9 decimals (BTC has 8)'],
	[{ %$good, amount => '99999999999999999999' }, 'amount', 'amount too large'],
	[{ %$good, amount => ' 1' }, 'amount', 'amount with a space'],
	[{ %$good, address => undef }, 'address', 'address missing'],
	[{ %$good, address => 5 }, 'address', 'address a number'],
	[{ %$good, address => '' }, 'address', 'address empty'],
	[{ %$good, address => "bcrt1\tq" }, 'address', 'address with a control character'],
	[{ %$good, network => 'ETH' }, 'network', 'a network BTC is not withdrawn on'],
	[{ %$good, network => 'b-t' }, 'network', 'network malformed'],
	[{ %$good, network => 7 }, 'network', 'network a number'],
	[{ %$good, memo => 'abc' }, 'memo', 'a memo where the network takes none'],
	[{ %$good, memo => 'a b!' }, 'memo', 'a memo with other characters'],
	[{ %$good, asset => 'ETH' }, 'asset', 'asset in the body other than the path'],
	[{ %$good, asset => ['BTC'] }, 'asset', 'asset not a string'],
);
for my $c (@bad) {
	my %b = %{ $c->[0] };
	delete $b{$_} for grep { !defined $b{$_} && $_ ne 'memo' } keys %b;
	$r = withdraw_raw($v, \%b);
	error_ok($r, 400, 'INVALID_REQUEST', $c->[2]);
	is($r->{json}{error}{details}{field}, $c->[1], "  details.field $c->[1]")
	    or diag($r->{body});
}
error_ok(withdraw_raw($v, { %$good, address => "bcrt1\x{0}q" }), 400, 'INVALID_REQUEST',
    'address with NUL');
$r = withdraw_raw($v, 'not json');
error_ok($r, 400, 'INVALID_REQUEST', 'a body that is not JSON');
$r = withdraw_raw($v, '[]');
error_ok($r, 400, 'INVALID_REQUEST', 'a JSON array');
for my $a (['not-an-address', 'not a Bitcoin address'],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'another Bitcoin network'],
    ['bcrt1q0fdgt68mc6299l4wkcn5k2pnwszvl9jqw3zzux', 'checksum'],
    ['0x52908400098527886E0F7030069857D2E4169EE7', 'not a Bitcoin address'],
    ['1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2', 'another Bitcoin network'],
    ['bcrt1' . ('q' x 300), 'not a Bitcoin address']) {
	$r = withdraw_raw($v, { %$good, address => $a->[0] });
	if (length $a->[0] > 256) {
		error_ok($r, 400, 'INVALID_REQUEST', 'an address of 305 characters');
		next;
	}
	error_ok($r, 400, 'WALLET_001', "address $a->[0]: WALLET_001");
	is($r->{json}{error}{details}{field}, 'address', '  details.field');
	is($r->{json}{error}{details}{network}, 'BTC', '  details.network');
	ok(index($r->{json}{error}{details}{reason} // '', $a->[1]) >= 0,
	    "  why: $a->[1]") or diag($r->{json}{error}{details}{reason});
}
error_ok(withdraw_raw($v, $good, 'XYZ'), 404, 'NOT_FOUND', 'an unknown asset');
error_ok(withdraw_raw($v, $good, 'btc'), 404, 'NOT_FOUND', 'a malformed asset code');
$r = withdraw_raw($v, $good, 'TRY');
error_ok($r, 400, 'INVALID_REQUEST', 'TRY is withdrawn to a bank, not here');
is($r->{json}{error}{details}{field}, 'asset', '  details.field');
$r = withdraw_raw($v, { %$good, network => 'TRC20',
    address => 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8' }, 'USDT');
error_ok($r, 400, 'INVALID_REQUEST', 'USDT withdrawals are not open on TRC20');
like($r->{json}{error}{details}{reason}, qr/open on: ERC20/, '  says where they are');
$r = withdraw_raw($v, { %$good, amount => '0.0005' });
error_ok($r, 400, 'WALLET_003', 'under the minimum: WALLET_003');
is($r->{json}{error}{details}{minWithdrawal}, '0.00100000', '  details.minWithdrawal');
is(psql("SELECT count(*) FROM withdrawals w JOIN users u ON u.id = w.user_id"
    . " WHERE u.public_id = '$v->{userId}'"), '0', 'none of these stored');
is(balances($v->{token})->{BTC}{locked}, '0.00000000', 'nothing locked');

# ---- the second factor --------------------------------------------------------
$r = withdraw_raw($v, { amount => '0.01', address => $v->{addr} });
error_ok($r, 401, 'AUTH_004', 'no twoFactorCode: AUTH_004 (INVALID_2FA_CODE)');
is($r->{json}{error}{details}{field}, 'twoFactorCode', '  details.field');
for my $c (['12345', 'five digits'], ['1234567', 'seven digits'], ['12345a', 'a letter'],
    [123456, 'a JSON number'], [undef, 'null']) {
	$r = withdraw_raw($v, { amount => '0.01', address => $v->{addr}, twoFactorCode => $c->[0] });
	error_ok($r, 401, 'AUTH_004', "twoFactorCode $c->[1]");
}
my $now = totp_code($v->{secret});
my $wrong = join '', map { (substr($now, $_, 1) + 5) % 10 } 0 .. 5;
error_ok(withdraw_raw($v, { amount => '0.01', address => $v->{addr}, twoFactorCode => $wrong }),
    401, 'AUTH_004', 'a wrong code');
psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$v->{userId}'");
my $code;
$r = with_totp($v->{secret}, sub { $code = $_[0];
    withdraw_raw($v, { amount => '0.01', address => $v->{addr}, twoFactorCode => $_[0] }) });
is($r->{status}, 201, 'the right code: 201') or diag($r->{body});
error_ok(withdraw_raw($v, { amount => '0.01', address => $v->{addr}, twoFactorCode => $code }),
    401, 'AUTH_004', 'the same code again');
my $n = wd_user('wd-no2fa', no_2fa => 1);
$r = withdraw_raw($n, { amount => '0.01', address => $n->{addr}, twoFactorCode => '123456' });
error_ok($r, 403, 'FORBIDDEN', 'an account without 2FA cannot withdraw');
like($r->{json}{error}{message}, qr/two-factor/i, '  says why');

# ---- KYC ------------------------------------------------------------------------
my $l1 = wd_user('wd-level1', level => 1);
error_ok(withdraw($l1, { amount => '0.01', address => $l1->{addr} }), 403, 'KYC_001',
    'LEVEL_1: KYC_001');
error_ok(withdraw_raw($l1, $good), 403, 'KYC_001', '  before its code is looked at');

# ---- funds ----------------------------------------------------------------------
my $poor = wd_user('wd-poor', fund => { BTC => '0.0100' });
$r = withdraw($poor, { amount => '0.0096', address => $poor->{addr} });
error_ok($r, 400, 'INSUFFICIENT_BALANCE', 'amount + fee over the balance');
like($r->{json}{error}{message}, qr/withdrawal/, '  its message speaks of the withdrawal, not of an order');
is_deeply($r->{json}{error}{details}, { required => '0.01010000', available => '0.01000000',
    currency => 'BTC' }, '  details: required (fee included), available, currency');
$r = withdraw($poor, { amount => '0.0095', address => $poor->{addr} });
is($r->{status}, 201, 'amount + fee exactly the balance: 201') or diag($r->{body});
is(balances($poor->{token})->{BTC}{available}, '0.00000000', '  nothing left available');

# ---- limits (TRY, at the last trade price) ----------------------------------------
# Per-user limits: a day of 10,000 TRY, 30 days of 30,000.
my $lu = wd_user('wd-limits', fund => { BTC => 5 }, age_days => 400);
psql("INSERT INTO user_limits (user_id, daily_withdrawal, monthly_withdrawal, daily_trading)"
    . " SELECT id, 10000, 30000, 0 FROM users WHERE public_id = '$lu->{userId}'");
sub btc_for { # the BTC worth $try TRY at the price, 8 decimals, rounded down
	my ($try) = @_;
	return fmt(units($try, 2) * Math::BigInt->new(10)->bpow(8) / $P, 8);
}
$r = withdraw($lu, { amount => btc_for('20005.00'), address => $lu->{addr} });
error_ok($r, 400, 'WALLET_002', 'more than twice the daily limit: WALLET_002');
is($r->{json}{error}{details}{period}, 'DAILY', '  details.period DAILY');
is($r->{json}{error}{details}{limit}, '10000.00', '  details.limit');
is($r->{json}{error}{details}{used}, '0.00', '  details.used');
is($r->{json}{error}{details}{currency}, 'TRY', '  details.currency');
$r = withdraw($lu, { amount => btc_for('15000'), address => $lu->{addr} });
is($r->{status}, 201, 'over the daily limit, within what staff may approve: 201')
    or diag($r->{body});
is($r->{json}{data}{status}, 'PENDING_APPROVAL', '  waits for approval');
$row = withdrawal_row($r->{json}{data}{withdrawalId}, qw(review_reasons risk_factors approvals_required));
like($row->{review_reasons}, qr/OVER_DAILY_LIMIT/, '  because of the daily limit');
like($row->{risk_factors}, qr/OVER_DAILY_LIMIT/, '  a factor of its score');
is($row->{approvals_required}, '1', '  one approval');
$r = api(GET => '/api/v1/kyc/status', bearer($lu->{token}));
ok(units($r->{json}{data}{limits}{dailyWithdrawal}{used}, 2) > units('14990', 2),
    'used counts what waits for approval: ' . $r->{json}{data}{limits}{dailyWithdrawal}{used});
psql("UPDATE user_limits SET daily_withdrawal = 30000 WHERE user_id = (SELECT id FROM users"
    . " WHERE public_id = '$lu->{userId}')");
$r = withdraw($lu, { amount => btc_for('16000'), address => $lu->{addr} });
error_ok($r, 400, 'WALLET_002', 'over the 30-day limit: WALLET_002, however the day stands');
is($r->{json}{error}{details}{period}, 'MONTHLY', '  details.period MONTHLY');
is($r->{json}{error}{details}{limit}, '30000.00', '  details.limit');

# ---- holds: after a password reset, after 2FA turned off ----------------------------
my $h = wd_user('wd-reset', fund => { BTC => 1 });
my $t = time;
sleep 1.1;
api(POST => '/api/v1/auth/password/reset-request', {}, { email => $h->{email} });
my $rc = mail_code($h->{email}, $t + 1);
ok($rc, 'a reset code');
$r = api(POST => '/api/v1/auth/password/reset', {}, { email => $h->{email}, code => $rc,
    newPassword => 'Withdraw-hold-test-77' });
is($r->{status}, 200, 'the password is reset') or diag($r->{body});
psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$h->{userId}'");
$r = with_totp($h->{secret}, sub { login($h->{email}, 'Withdraw-hold-test-77', twoFactorCode => $_[0]) });
$h->{token} = $r->{json}{data}{accessToken} or die "login: $r->{body}";
$r = withdraw($h, { amount => '0.01', address => $h->{addr} });
error_ok($r, 403, 'FORBIDDEN', 'after a password reset: held');
is($r->{json}{error}{details}{hold}, 'PASSWORD_CHANGED', '  details.hold');
like($r->{json}{error}{details}{holdUntil} // '', qr/^\d{4}-\d\d-\d\dT/, '  details.holdUntil');
my $until = psql("SELECT to_char((password_changed_at + interval '24 hours') AT TIME ZONE 'UTC',"
    . " 'YYYY-MM-DD') || 'T' || to_char((password_changed_at + interval '24 hours')"
    . " AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') || 'Z' FROM users WHERE public_id = '$h->{userId}'");
is($r->{json}{error}{details}{holdUntil}, $until, '  24 hours after the change');
psql("UPDATE users SET password_changed_at = now() - interval '25 hours' WHERE public_id = '$h->{userId}'");
is(withdraw($h, { amount => '0.01', address => $h->{addr} })->{status}, 201, '  a day later: 201');

my $z = wd_user('wd-2fa-off', fund => { BTC => 1 });
psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$z->{userId}'");
$r = with_totp($z->{secret}, sub { api(POST => '/api/v1/auth/2fa/disable', bearer($z->{token}),
    { code => $_[0] }) });
is($r->{status}, 200, '2FA turned off') or diag($r->{body});
ok(length psql("SELECT twofa_disabled_at FROM users WHERE public_id = '$z->{userId}'"),
    '  its time recorded');
error_ok(withdraw_raw($z, $good), 403, 'FORBIDDEN', 'without 2FA: no withdrawal');
$z->{secret} = twofa_on($z);
$r = withdraw($z, { amount => '0.01', address => $z->{addr} });
error_ok($r, 403, 'FORBIDDEN', '2FA on again, within a day of turning it off: held');
is($r->{json}{error}{details}{hold}, 'TWO_FACTOR_DISABLED', '  details.hold');
psql("UPDATE users SET twofa_disabled_at = now() - interval '25 hours' WHERE public_id = '$z->{userId}'");
is(withdraw($z, { amount => '0.01', address => $z->{addr} })->{status}, 201, '  a day later: 201');
# Turning 2FA on the first time holds nothing: every user above had just done so.

# ---- the blacklist --------------------------------------------------------------------
my $bad_addr = btc('getnewaddress', 'blacklisted', 'bech32');
psql("INSERT INTO withdrawal_blacklist (network, address, reason) VALUES ('BTC', '$bad_addr',"
    . " 'test: a known fraud address')");
my $x = wd_user('wd-blacklist', fund => { BTC => 1 });
my $t0 = time;
$r = withdraw($x, { amount => '0.01', address => uc $bad_addr });
error_ok($r, 400, 'WALLET_006', 'a blacklisted address (in capitals): WALLET_006 (SUSPICIOUS_ADDRESS)');
is($r->{json}{error}{details}{field}, 'address', '  details.field');
is(balances($x->{token})->{BTC}{locked}, '0.00000000', '  nothing locked');
is(psql("SELECT count(*) FROM withdrawals w JOIN users u ON u.id = w.user_id"
    . " WHERE u.public_id = '$x->{userId}'"), '0', '  nothing stored');
my $al = psql("SELECT a.public_id || ' ' || a.severity || ' ' || a.type || ' ' || a.risk_score"
    . " || ' ' || a.resolution FROM compliance_alerts a JOIN users u ON u.id = a.user_id"
    . " WHERE u.public_id = '$x->{userId}'");
like($al, qr/^alt_[a-z2-7]{20} CRITICAL BLACKLIST_HIT 100 NEW$/, "  a CRITICAL BLACKLIST_HIT alert: $al");
my ($alert_id) = split / /, $al;
is(psql("SELECT details->>'address' FROM compliance_alerts WHERE public_id = '$alert_id'"),
    $bad_addr, '  naming the address');
is(psql("SELECT count(*) FROM withdrawal_holds h JOIN users u ON u.id = h.user_id"
    . " WHERE u.public_id = '$x->{userId}' AND h.released_at IS NULL"), '1',
    '  and an automatic hold');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'COMPLIANCE_ALERT'"
    . " AND target_ref = '$alert_id'"), '1', '  written to the audit log');
is(psql("SELECT count(*) FROM outbox WHERE event_type = 'compliance.alert'"
    . " AND payload->>'alertId' = '$alert_id'"), '1', '  announced to staff (outbox)');
my $m = mail_for('admin@example.com', $t0, qr/\Q$alert_id\E/);
ok($m, '  and mailed to staff')
    or diag($m ? $m->{headers}{subject} : 'no mail');
$r = withdraw($x, { amount => '0.01', address => $x->{addr} });
error_ok($r, 403, 'COMPLIANCE_001', 'held: a clean address is refused too (COMPLIANCE_001)');

# ---- a withdrawal and an order racing for the same funds -------------------------------
for my $i (1 .. 4) {
	my $rc_user = wd_user("wd-race$i", fund => { BTC => '0.0105' });
	psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$rc_user->{userId}'");
	my $c = totp_code($rc_user->{secret});
	my $ask = price_at($price, 5);
	my @kids;
	for my $what ('withdraw', 'order') {
		my $pid = fork();
		if (!$pid) {
			my $res = $what eq 'withdraw' ?
			    withdraw_raw($rc_user, { amount => '0.01', address => $rc_user->{addr},
				twoFactorCode => $c }) :
			    place($rc_user->{token}, { symbol => 'BTCTRY', side => 'SELL',
				type => 'LIMIT', quantity => '0.01', price => $ask,
				timeInForce => 'GTC' });
			open my $fh, '>', "$ENV{HZM_VAR}/tmp/race.$$" or POSIX::_exit(1);
			print $fh "$res->{status} " . ($res->{json}{error}{code} // '');
			close $fh;
			POSIX::_exit(0);
		}
		push @kids, [$what, $pid];
	}
	my %got;
	for (@kids) {
		waitpid($_->[1], 0);
		open my $fh, '<', "$ENV{HZM_VAR}/tmp/race.$_->[1]" or next;
		$got{ $_->[0] } = <$fh>;
		close $fh;
		unlink "$ENV{HZM_VAR}/tmp/race.$_->[1]";
	}
	my $wins = grep { /^201 / } values %got;
	is($wins, 1, "race $i: one of the two wins ($got{withdraw} / $got{order})");
	ok((grep { /INSUFFICIENT_BALANCE/ } values %got) == 1, "  the other: INSUFFICIENT_BALANCE");
	my $bb = balances($rc_user->{token})->{BTC};
	ok(units($bb->{available}, 8) >= 0 && units($bb->{locked}, 8) >= 0, '  no balance below zero');
	is($bb->{total}, '0.01050000', '  the total untouched');
	cancel_open($rc_user->{token});
}
wait_matcher();
invariant_ok('after the races');

done_testing;
