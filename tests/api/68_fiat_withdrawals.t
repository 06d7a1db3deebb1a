# tests/api/68_fiat_withdrawals.t — TRY withdrawals: every refusal, funds locked, paid through cron-payout and the stand-in bank; rejected, timed out, dropped, pending, two workers at once, one killed midway
use strict;
use warnings;
use Test::More;
use JSON::PP;
use POSIX ();
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmBank;
use HzmWithdraw qw(btc_price foreign_address);

plan skip_all => 'no stand-in bank in this stack'
    unless -s "$ENV{HZM_VAR}/bank/bank.conf" && bank_alive();
plan skip_all => 'cron-payout not built' unless -x "$ENV{HZM_VAR}/bin/cron-payout";

mc_flush();
bank_reset();

my $iso = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

# POST /fiat/withdraw with the user's current TOTP code.
sub withdraw {
	my ($u, %b) = @_;
	my $h = delete $b{headers} // {};
	return with_totp($u->{secret}, sub { api(POST => '/api/v1/fiat/withdraw',
	    { %{ bearer($u->{token}) }, %$h }, { %b, twoFactorCode => $_[0] }) });
}
sub wd {
	my ($id, $cols) = @_;
	return psql("SELECT $cols FROM fiat_withdrawals WHERE public_id = '$id'");
}
sub key_of { wd($_[0], 'idempotency_key') }
sub ledger_count {
	my ($id, $kind) = @_;
	return psql("SELECT count(*) FROM ledger WHERE ref = 'fiat:$id' AND kind = '$kind'");
}
sub due { psql("UPDATE fiat_withdrawals SET next_attempt_at = now() WHERE public_id = '$_[0]'") }
sub run_ok {
	my ($name, %env) = @_;
	my ($rc, $out) = payout_run(%env);
	is($rc, 0, "$name: cron-payout exits 0") or diag($out);
	my %n = $out =~ /(\w+) (\d+)/g;
	return \%n;
}

# ==== a withdrawal, end to end ========================================================
my $u = fiat_user('fiat-wd', try => '50000.00', totp => 1, first => 'Ayşe', last => 'Yılmaz');
my $IBAN = iban_tr(62, 1001);
(my $printed = lc $IBAN) =~ s/(....)(?=.)/$1 /g;
my $m0 = time - 1;
my $r2;
my $r = withdraw($u, amount => '1000.00', iban => $printed, accountHolder => 'AYŞE YILMAZ');
is($r->{status}, 201, 'a withdrawal: 201') or diag($r->{body});
envelope_ok($r, 'withdraw');
my $w = $r->{json}{data};
like($w->{withdrawalId}, qr/^fwd_[a-z2-7]{20}$/, 'withdrawalId fwd_');
is($w->{asset}, 'TRY', 'asset TRY');
is($w->{amount}, '1000.00', 'amount');
is($w->{fee}, '5.00', 'fee (fiat_withdraw_fee)');
is($w->{iban}, $IBAN, 'the IBAN in its electronic form');
my $holder = 'AYŞE YILMAZ';
utf8::decode($holder);
is($w->{accountHolder}, $holder, 'the holder as given');
is($w->{status}, 'PROCESSING', 'PROCESSING (Appendix C)');
like($w->{createdAt}, $iso, 'createdAt');
my $b = balances($u->{token})->{TRY};
is($b->{available}, '48995.00', 'amount and fee left the available balance');
is($b->{locked}, '1005.00', '  and are locked');
is(ledger_count($w->{withdrawalId}, 'WITHDRAWAL_LOCK'), 1, 'one WITHDRAWAL_LOCK ledger row');
is(psql("SELECT count(*) FROM outbox o JOIN users u ON u.id = o.user_id WHERE u.public_id ="
    . " '$u->{userId}' AND o.event_type = 'withdrawal.processing'"), 1, 'withdrawal.processing told');
invariant_ok('a withdrawal locked');
$r = api(GET => '/api/v1/fiat/transactions?filter_type=WITHDRAWAL', bearer($u->{token}));
is($r->{json}{data}[0]{status}, 'PROCESSING', 'the history shows it PROCESSING');
is($r->{json}{data}[0]{fee}, '5.00', '  with its fee');

my $n = run_ok('the payout');
cmp_ok($n->{paid} // 0, '>=', 1, 'cron-payout paid it');
my $bp = bank_payout(key_of($w->{withdrawalId}));
ok($bp, 'the bank has the payout under its idempotency key');
is($bp->{amount}, '1000.00', '  the amount, not the fee');
is($bp->{currency}, 'TRY', '  TRY');
is($bp->{iban}, $IBAN, '  to the IBAN');
is($bp->{name}, $holder, "  in the holder's name");
is($bp->{reference}, $w->{withdrawalId}, '  our id as its reference');
is($bp->{posts}, 1, '  sent once');
is(wd($w->{withdrawalId}, 'status'), 'COMPLETED', 'COMPLETED');
is(wd($w->{withdrawalId}, 'bank_payout_id'), $bp->{payoutId}, "  with the bank's payout id");
is(ledger_count($w->{withdrawalId}, 'WITHDRAWAL'), 1, 'one WITHDRAWAL row');
is(psql("SELECT delta_locked::numeric(38,2) FROM ledger WHERE ref = 'fiat:$w->{withdrawalId}'"
    . " AND kind = 'WITHDRAWAL'"), '-1000.00', '  the amount from locked');
is(psql("SELECT string_agg(delta_available::numeric(38,2) || '/' || delta_locked::numeric(38,2), ' '"
    . " ORDER BY delta_locked) FROM ledger WHERE ref = 'fiat:$w->{withdrawalId}' AND kind = 'FEE'"),
    '0.00/-5.00 5.00/0.00', '  the fee from locked, to the fee account');
$b = balances($u->{token})->{TRY};
is($b->{available}, '48995.00', 'available as it was');
is($b->{locked}, '0.00', 'nothing locked any more');
my $ev = eval { decode_json(psql("SELECT payload FROM outbox o JOIN users u ON u.id = o.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND o.event_type = 'withdrawal.completed'")) } // {};
is($ev->{withdrawalId}, $w->{withdrawalId}, 'withdrawal.completed told');
is($ev->{asset}, 'TRY', '  asset TRY');
my $mail = mail_for($u->{email}, $m0, qr/is paid/);
ok($mail, 'the user is told by mail')
    or diag($mail ? $mail->{headers}{subject} : 'no mail');
$r = api(GET => '/api/v1/fiat/transactions?filter_type=WITHDRAWAL', bearer($u->{token}));
is($r->{json}{data}[0]{status}, 'COMPLETED', 'the history shows it COMPLETED');
like($r->{json}{data}[0]{completedAt}, $iso, '  completedAt');
run_ok('again');
is(bank_payout(key_of($w->{withdrawalId}))->{posts}, 1, 'a second run sends nothing');
is(ledger_count($w->{withdrawalId}, 'WITHDRAWAL'), 1, '  and settles nothing again');
invariant_ok('a withdrawal paid');

# With an idempotency key, a repeat is the first answer (a fresh user: the
# step after the one that enabled 2FA is unused).
my $idem = fiat_user('fiat-wd-idem', try => '1000.00', totp => 1);
my %req = (amount => '150.00', iban => $IBAN, accountHolder => 'Ayse Yilmaz',
    twoFactorCode => totp_code($idem->{secret}, time + 30));
my %hdr = (%{ bearer($idem->{token}) }, 'X-Idempotency-Key' => "wd-$$-1");
$r = api(POST => '/api/v1/fiat/withdraw', \%hdr, \%req);
is($r->{status}, 201, 'a withdrawal with X-Idempotency-Key') or diag($r->{body});
$r2 = api(POST => '/api/v1/fiat/withdraw', \%hdr, \%req);
is($r2->{status}, 201, '  repeated: the first answer');
is($r2->{headers}{'idempotent-replayed'}, 'true', '  Idempotent-Replayed');
is($r2->{json}{data}{withdrawalId}, $r->{json}{data}{withdrawalId}, '  the same withdrawal');
is(psql("SELECT count(*) FROM fiat_withdrawals w JOIN users u ON u.id = w.user_id"
    . " WHERE u.public_id = '$idem->{userId}'"), 1, '  one withdrawal made');
is(balances($idem->{token})->{TRY}{locked}, '155.00', '  locked once');
run_ok('the keyed one');

# ==== refusals ====================================================================
error_ok(api(POST => '/api/v1/fiat/withdraw', {}, { amount => '100.00' }), 401, 'UNAUTHORIZED',
    'no session');
my $l1 = new_user('fiat-wd-l1');
psql("UPDATE users SET kyc_level = 1 WHERE public_id = '$l1->{userId}'");
error_ok(api(POST => '/api/v1/fiat/withdraw', bearer($l1->{access}), { amount => '100.00',
    iban => $IBAN, accountHolder => 'Ayse Yilmaz', twoFactorCode => '123456' }), 403,
    'KYC_REQUIRED', 'KYC LEVEL_1');
my $no2fa = fiat_user('fiat-wd-no2fa', try => '1000.00');
$r = api(POST => '/api/v1/fiat/withdraw', bearer($no2fa->{token}), { amount => '100.00',
    iban => $IBAN, accountHolder => 'Ayse Yilmaz', twoFactorCode => '123456' });
error_ok($r, 403, 'FORBIDDEN', 'without 2FA enabled');
like($r->{json}{error}{message}, qr/two-factor/, '  says so');
# Refusals need no valid code: the code is checked last, and used up only
# by a withdrawal that is made.
my $ref = fiat_user('fiat-wd-ref', try => '50000.00', totp => 1);
my $avail = balances($ref->{token})->{TRY}{available};
$r = api(POST => '/api/v1/fiat/withdraw', bearer($ref->{token}), { amount => '100.00',
    iban => $IBAN, accountHolder => 'Ayse Yilmaz', twoFactorCode => totp_code($ref->{secret}, time - 3600) });
error_ok($r, 401, 'AUTH_004', 'a wrong 2FA code');
is(balances($ref->{token})->{TRY}{available}, $avail, '  nothing locked');

my %ok = (amount => '100.00', iban => $IBAN, accountHolder => 'Ayse Yilmaz', twoFactorCode => '123456');
my @bad = (
	[ amount => undef, 'missing' ], [ amount => 100, 'a number' ], [ amount => '100.001', '3 decimals' ],
	[ amount => '-100.00', 'negative' ], [ amount => '0', 'zero' ], [ amount => 'lots', 'text' ],
	[ amount => '1e3', 'an exponent' ], [ amount => '99999999999999999999.00', 'out of range' ],
	[ iban => undef, 'missing' ], [ iban => 12345, 'a number' ], [ iban => 'x' x 65, 'too long' ],
	[ accountHolder => undef, 'missing' ], [ accountHolder => '', 'empty' ],
	[ accountHolder => 'Ayse1 Yilmaz', 'a digit' ], [ accountHolder => 'A' x 129, 'too long' ],
	[ accountHolder => "Ayse\tYilmaz", 'a tab' ], [ accountHolder => ' Ayse', 'a leading space' ],
	[ accountHolder => "Ayse\xe2\x80\xae Yilmaz", 'a bidi control' ],
	[ twoFactorCode => undef, 'missing' ], [ twoFactorCode => '12345', '5 digits' ],
	[ twoFactorCode => 'abcdef', 'letters' ], [ twoFactorCode => 123456, 'a number' ],
	[ network => 'TR', 'an unknown field' ],
);
for my $c (@bad) {
	my ($f, $val, $why) = @$c;
	my %x = %ok;
	if (defined $val) { $x{$f} = $val } else { delete $x{$f} }
	$r = api(POST => '/api/v1/fiat/withdraw', bearer($ref->{token}), \%x);
	error_ok($r, 400, 'INVALID_REQUEST', "withdraw $f: $why");
	is($r->{json}{error}{details}{field}, $f, "  details.field $f");
}
for my $c ([ 'TR330006100519786457841327', 'a wrong check digit' ],
    [ 'GB82WEST12345698765432', 'not Turkish' ], [ 'TR33000610051978645784132', 'too short' ],
    [ 'TR330006110519786457841326', 'no 0 after the bank code' ], [ 'IBAN', 'not an IBAN' ],
    [ 'TR33  0006100519786457841326', 'two spaces' ]) {
	$r = api(POST => '/api/v1/fiat/withdraw', bearer($ref->{token}), { %ok, iban => $c->[0] });
	error_ok($r, 400, 'WALLET_001', "IBAN $c->[1]");
	is($r->{json}{error}{details}{field}, 'iban', '  details.field iban');
}
$r = api(POST => '/api/v1/fiat/withdraw', bearer($ref->{token}), { %ok, amount => '99.99' });
error_ok($r, 400, 'WALLET_003', 'below fiat_withdraw_min');
is($r->{json}{error}{details}{minimum}, '100.00', '  details.minimum 100.00');
$r = api(POST => '/api/v1/fiat/withdraw', bearer($ref->{token}), { %ok, accountHolder => 'Mehmet Demir' });
error_ok($r, 400, 'WALLET_001', 'an account of somebody else');
is($r->{json}{error}{details}{field}, 'accountHolder', '  details.field accountHolder');
$r = api(POST => '/api/v1/fiat/withdraw', bearer($ref->{token}), { %ok, accountHolder => 'Ayse' });
error_ok($r, 400, 'WALLET_001', 'a part of the name');
$r = api(POST => '/api/v1/fiat/withdraw', bearer($ref->{token}), { %ok, amount => '100000.01' });
error_ok($r, 400, 'WALLET_002', "above LEVEL_2's daily limit");
is($r->{json}{error}{details}{period}, 'DAILY', '  period DAILY');
is($r->{json}{error}{details}{limit}, '100000.00', '  limit 100000.00');
is($r->{json}{error}{details}{used}, '0.00', '  used 0.00');
$r = api(POST => '/api/v1/fiat/withdraw', bearer($ref->{token}), { %ok, amount => '50000.00' });
error_ok($r, 400, 'INSUFFICIENT_BALANCE', 'more than the balance');
is($r->{json}{error}{details}{required}, '50005.00', '  required: amount and fee');
is($r->{json}{error}{details}{currency}, 'TRY', '  TRY');
is(balances($ref->{token})->{TRY}{available}, $avail, 'no refusal locked anything');
is(psql("SELECT count(*) FROM fiat_withdrawals w JOIN users u ON u.id = w.user_id"
    . " WHERE u.public_id = '$ref->{userId}'"), 0, '  nor made a withdrawal');

# The user's own limits: 2000 a day, 3000 a month.
my $lim = fiat_user('fiat-wd-lim', try => '10000.00', totp => 1);
psql("INSERT INTO user_limits (user_id, daily_withdrawal, monthly_withdrawal, daily_trading)"
    . " SELECT id, 2000, 3000, 0 FROM users WHERE public_id = '$lim->{userId}'");
my %lok = (%ok, iban => iban_tr(62, 2002));
$r = api(POST => '/api/v1/fiat/withdraw', bearer($lim->{token}), { %lok, amount => '2000.01' });
error_ok($r, 400, 'WALLET_002', "past the user's own daily limit by 0.01");
is($r->{json}{error}{details}{limit}, '2000.00', '  limit 2000.00');
$r = withdraw($lim, amount => '2000.00', iban => iban_tr(62, 2002), accountHolder => 'Ayse Yilmaz');
is($r->{status}, 201, 'exactly the daily limit: accepted') or diag($r->{body});
my $first = $r->{json}{data}{withdrawalId};
$r = api(POST => '/api/v1/fiat/withdraw', bearer($lim->{token}), { %lok, amount => '100.00' });
error_ok($r, 400, 'WALLET_002', 'then any more that day');
is($r->{json}{error}{details}{used}, '2000.00', '  used 2000.00');
psql("UPDATE fiat_withdrawals SET created_at = now() - interval '2 days' WHERE public_id = '$first'");
$r = api(POST => '/api/v1/fiat/withdraw', bearer($lim->{token}), { %lok, amount => '1000.01' });
error_ok($r, 400, 'WALLET_002', 'two days later, past the monthly limit');
is($r->{json}{error}{details}{period}, 'MONTHLY', '  period MONTHLY');
is($r->{json}{error}{details}{used}, '2000.00', '  used 2000.00 this month');
$r = api(POST => '/api/v1/fiat/withdraw', bearer($lim->{token}), { %lok, amount => '1000.00' });
error_ok($r, 401, 'AUTH_004', '  within both: only the code is wrong');
psql("UPDATE fiat_withdrawals SET created_at = now() - interval '31 days' WHERE public_id = '$first'");
$r = api(POST => '/api/v1/fiat/withdraw', bearer($lim->{token}), { %lok, amount => '2000.00' });
error_ok($r, 401, 'AUTH_004', 'a month later the limits are free again');
run_ok('the limited one');

# One set of limits for every withdrawal: TRY ones count for crypto ones,
# and what is shown as used is both.
my $sh = fiat_user('fiat-wd-shared', try => '10000.00', totp => 1);
psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
    . " SELECT id, 'BTC', 1, 0, 'ADJUSTMENT', 'test-funding' FROM users WHERE public_id = '$sh->{userId}'");
psql("INSERT INTO user_limits (user_id, daily_withdrawal, monthly_withdrawal, daily_trading)"
    . " SELECT id, 3000, 3000, 0 FROM users WHERE public_id = '$sh->{userId}'");
$r = withdraw($sh, amount => '2000.00', iban => iban_tr(62, 2102), accountHolder => 'Ayse Yilmaz');
is($r->{status}, 201, 'a TRY withdrawal under shared limits') or diag($r->{body});
$r = api(GET => '/api/v1/kyc/status', bearer($sh->{token}));
is($r->{json}{data}{limits}{dailyWithdrawal}{used}, '2000.00', 'the limits show it used (daily)');
is($r->{json}{data}{limits}{monthlyWithdrawal}{used}, '2000.00', '  and monthly');
my $px = btc_price();
# Well above BTC's withdrawal minimum, and worth more than the 1000 TRY left.
my $qty = sprintf('%.8f', 0.01 > 1500 / $px ? 0.01 : 1500 / $px + 0.00000001);
psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$sh->{userId}'");
$r = with_totp($sh->{secret}, sub { api(POST => '/api/v1/wallets/BTC/withdraw', bearer($sh->{token}),
    { amount => $qty, address => foreign_address(), twoFactorCode => $_[0] }) });
error_ok($r, 400, 'WALLET_002', "a crypto withdrawal worth over 1000 TRY more: past the 30-day limit");
is($r->{json}{error}{details}{used}, '2000.00', '  the TRY withdrawal counted');

# Holds stop TRY withdrawals as they stop crypto ones.
my $hd = fiat_user('fiat-wd-hold', try => '1000.00', totp => 1);
my %hok = (%ok, iban => iban_tr(62, 2203));
psql("INSERT INTO withdrawal_holds (user_id, reason) SELECT id, 'BLACKLIST_HIT' FROM users"
    . " WHERE public_id = '$hd->{userId}'");
$r = api(POST => '/api/v1/fiat/withdraw', bearer($hd->{token}), \%hok);
error_ok($r, 403, 'COMPLIANCE_001', 'under a compliance hold');
psql("UPDATE withdrawal_holds h SET released_at = now() FROM users u WHERE u.id = h.user_id"
    . " AND u.public_id = '$hd->{userId}'");
# (an hour ago: the session, from after it, stays good)
psql("UPDATE users SET created_at = now() - interval '2 days',"
    . " password_changed_at = now() - interval '1 hour' WHERE public_id = '$hd->{userId}'");
$r = api(POST => '/api/v1/fiat/withdraw', bearer($hd->{token}), \%hok);
error_ok($r, 403, 'FORBIDDEN', 'within a day of a password change');
is($r->{json}{error}{details}{hold}, 'PASSWORD_CHANGED', '  details.hold');
like($r->{json}{error}{details}{holdUntil} // '', $iso, '  details.holdUntil');
psql("UPDATE users SET password_changed_at = now() - interval '25 hours',"
    . " twofa_disabled_at = now() - interval '1 hour' WHERE public_id = '$hd->{userId}'");
$r = api(POST => '/api/v1/fiat/withdraw', bearer($hd->{token}), \%hok);
error_ok($r, 403, 'FORBIDDEN', 'within a day of 2FA turned off');
is($r->{json}{error}{details}{hold}, 'TWO_FACTOR_DISABLED', '  details.hold');
psql("UPDATE users SET twofa_disabled_at = now() - interval '25 hours' WHERE public_id = '$hd->{userId}'");
error_ok(api(POST => '/api/v1/fiat/withdraw', bearer($hd->{token}), \%hok), 401, 'AUTH_004',
    'the holds over: only the code is wrong');
is(balances($hd->{token})->{TRY}{locked}, '0.00', 'no hold locked anything');

# ==== the bank says no ============================================================
my $rej = fiat_user('fiat-wd-rej', try => '1000.00', totp => 1);
my $RIBAN = iban_tr(64, 3003);
bank_fault(mode => 'reject', iban => $RIBAN, reason => 'ACCOUNT_CLOSED');
$m0 = time - 1;
$r = withdraw($rej, amount => '200.00', iban => $RIBAN, accountHolder => 'Ayse Yilmaz');
is($r->{status}, 201, 'a withdrawal to an account the bank will refuse') or diag($r->{body});
my $rid = $r->{json}{data}{withdrawalId};
is(balances($rej->{token})->{TRY}{locked}, '205.00', '  locked');
$n = run_ok('the refused one');
is(wd($rid, "status || ' ' || status_reason"), 'FAILED ACCOUNT_CLOSED', "FAILED with the bank's reason");
is(ledger_count($rid, 'WITHDRAWAL_UNLOCK'), 1, 'one WITHDRAWAL_UNLOCK');
is(ledger_count($rid, 'WITHDRAWAL'), 0, 'no WITHDRAWAL');
is(ledger_count($rid, 'FEE'), 0, 'no fee');
$b = balances($rej->{token})->{TRY};
is($b->{available}, '1000.00', 'amount and fee are back');
is($b->{locked}, '0.00', '  nothing locked');
ok(psql("SELECT count(*) FROM outbox o JOIN users u ON u.id = o.user_id WHERE u.public_id ="
    . " '$rej->{userId}' AND o.event_type = 'withdrawal.failed'") == 1, 'withdrawal.failed told');
$mail = mail_for($rej->{email}, $m0, qr/could not be paid/);
ok($mail, 'the user is told by mail');
like($mail->{text} // '', qr/ACCOUNT_CLOSED/, '  with the reason');
run_ok('again');
is(ledger_count($rid, 'WITHDRAWAL_UNLOCK'), 1, 'unlocked exactly once');
$r = api(GET => '/api/v1/fiat/transactions?filter_status=FAILED', bearer($rej->{token}));
is($r->{json}{data}[0]{statusReason}, 'ACCOUNT_CLOSED', 'the history says why');

my $rej2 = fiat_user('fiat-wd-rej2', try => '1000.00', totp => 1);
bank_fault(mode => 'refuse', iban => $RIBAN, reason => 'INVALID_BENEFICIARY');
$r = withdraw($rej2, amount => '200.00', iban => $RIBAN, accountHolder => 'Ayse Yilmaz');
$rid = $r->{json}{data}{withdrawalId};
run_ok('a 422');
is(wd($rid, "status || ' ' || status_reason"), 'FAILED INVALID_BENEFICIARY', 'a 422 from the bank: FAILED');
is(balances($rej2->{token})->{TRY}{available}, '1000.00', '  all back');
invariant_ok('refused payouts');

# ==== no answer: retried, never paid twice ===============================================
my $slow = fiat_user('fiat-wd-slow', try => '5000.00', totp => 1);
my $TIBAN = iban_tr(62, 4004);
bank_fault(mode => 'delay', iban => $TIBAN, seconds => 3);
$r = withdraw($slow, amount => '300.00', iban => $TIBAN, accountHolder => 'Ayse Yilmaz');
my $tid = $r->{json}{data}{withdrawalId};
$n = run_ok('a bank slower than the timeout', bank_api_timeout_ms => 1000);
cmp_ok($n->{uncertain} // 0, '>=', 1, '  no answer');
is(wd($tid, 'status'), 'PROCESSING', 'still PROCESSING');
is(wd($tid, 'attempts'), 1, '  one attempt');
like(wd($tid, 'last_error'), qr/[Tt]ime/, '  the timeout recorded');
is(wd($tid, 'next_attempt_at > now()'), 't', '  tried again later (bank_payout_retry_seconds)');
is(balances($slow->{token})->{TRY}{locked}, '305.00', '  the funds stay locked');
$bp = bank_payout(key_of($tid));
ok($bp && $bp->{status} eq 'COMPLETED', 'yet the bank paid it');
run_ok('before it is due');
is(wd($tid, 'attempts'), 1, '  not tried before its time');
due($tid);
sleep 2.5;	# the stand-in's slow answer ends
run_ok('the retry');
is(wd($tid, 'status'), 'COMPLETED', 'the retry asked the bank: COMPLETED');
is(bank_payout(key_of($tid))->{posts}, 1, '  without sending it again');
is(ledger_count($tid, 'WITHDRAWAL'), 1, '  settled once');
is(balances($slow->{token})->{TRY}{locked}, '0.00', '  nothing locked');

# The bank never got it (the connection dropped): the retry sends it.
my $drop = fiat_user('fiat-wd-drop', try => '5000.00', totp => 1);
my $DIBAN = iban_tr(62, 5005);
bank_fault(mode => 'drop', iban => $DIBAN, seconds => 2);
$r = withdraw($drop, amount => '300.00', iban => $DIBAN, accountHolder => 'Ayse Yilmaz');
my $did = $r->{json}{data}{withdrawalId};
run_ok('a dropped connection', bank_api_timeout_ms => 1000);
is(wd($did, 'status'), 'PROCESSING', 'still PROCESSING');
ok(!bank_payout(key_of($did)), 'the bank has nothing');
due($did);
sleep 1.5;
run_ok('the retry');
is(wd($did, 'status'), 'COMPLETED', 'asked, unknown, sent: COMPLETED');
is(scalar(grep { $_->{idempotencyKey} eq key_of($did) } @{ bank_payouts() }), 1, '  one payout at the bank');
is(ledger_count($did, 'WITHDRAWAL'), 1, '  settled once');

# 503 from the bank, then a pending payout that completes later.
my $p2 = fiat_user('fiat-wd-pend', try => '5000.00', totp => 1);
my $EIBAN = iban_tr(62, 6006);
bank_fault(mode => 'error', iban => $EIBAN);
$r = withdraw($p2, amount => '400.00', iban => $EIBAN, accountHolder => 'Ayse Yilmaz');
my $eid = $r->{json}{data}{withdrawalId};
run_ok('a 503');
is(wd($eid, 'status'), 'PROCESSING', 'a 503: still PROCESSING');
bank_fault(mode => 'pending', iban => $EIBAN);
due($eid);
run_ok('pending');
is(wd($eid, "status || ' ' || bank_status"), 'PROCESSING PENDING', 'the bank has it, PENDING');
is(wd($eid, 'next_attempt_at > now()'), 't', '  asked again later (bank_payout_poll_seconds)');
ok(bank_settle(key => key_of($eid), status => 'COMPLETED'), 'the bank completes it');
due($eid);
run_ok('the poll');
is(wd($eid, 'status'), 'COMPLETED', 'COMPLETED');
is(bank_payout(key_of($eid))->{posts}, 1, '  one POST in all');
my $p3 = fiat_user('fiat-wd-pend2', try => '5000.00', totp => 1);
bank_fault(mode => 'pending', iban => $EIBAN);
$r = withdraw($p3, amount => '400.00', iban => $EIBAN, accountHolder => 'Ayse Yilmaz');
$eid = $r->{json}{data}{withdrawalId};
run_ok('pending again');
bank_settle(key => key_of($eid), status => 'REJECTED', reason => 'AML_HOLD');
due($eid);
run_ok('the poll');
is(wd($eid, "status || ' ' || status_reason"), 'FAILED AML_HOLD', 'pending, then rejected: FAILED');
is(ledger_count($eid, 'WITHDRAWAL_UNLOCK'), 1, '  unlocked once');
invariant_ok('retried payouts');

# ==== two workers at once ==============================================================
my @ids;
for my $i (1 .. 3) {
	for my $j (1 .. 2) {
		my $x = fiat_user("fiat-wd-par$i$j", try => '5000.00', totp => 1);
		my $ib = iban_tr(62, 7000 + 10 * $i + $j);
		bank_fault(mode => 'delay', iban => $ib, seconds => 1);
		$r = withdraw($x, amount => "10$i.0$j", iban => $ib, accountHolder => 'Ayse Yilmaz');
		is($r->{status}, 201, "withdrawal $i.$j") or diag($r->{body});
		push @ids, $r->{json}{data}{withdrawalId};
	}
}
my @kids;
for my $k (1 .. 2) {
	my $pid = fork();
	if (!$pid) {
		my ($rc, $out) = payout_run();
		open my $fh, '>', "$ENV{HZM_VAR}/tmp/payout.$$" or POSIX::_exit(1);
		print $fh $out;
		close $fh;
		POSIX::_exit($rc);
	}
	push @kids, $pid;
}
my ($claimed, $stale) = (0, 0);
for my $pid (@kids) {
	waitpid($pid, 0);
	is($? >> 8, 0, "worker $pid exits 0");
	open my $fh, '<', "$ENV{HZM_VAR}/tmp/payout.$pid" or next;
	my $out = do { local $/; <$fh> };
	close $fh;
	unlink "$ENV{HZM_VAR}/tmp/payout.$pid";
	my %c = $out =~ /(\w+) (\d+)/g;
	$claimed += $c{claimed} // 0;
	$stale += $c{stale} // 0;
	ok(($c{claimed} // 0) > 0, "  worker $pid took a share ($c{claimed})");
}
is($claimed, 6, 'six claims between them: none taken twice');
is($stale, 0, '  none settled behind the other');
for my $id (@ids) {
	is(wd($id, 'status'), 'COMPLETED', "$id COMPLETED");
	is(bank_payout(key_of($id))->{posts}, 1, '  sent once');
	is(ledger_count($id, 'WITHDRAWAL'), 1, '  settled once');
}

# ==== a worker killed midway ===========================================================
my $kill = fiat_user('fiat-wd-kill', try => '5000.00', totp => 1);
my $KIBAN = iban_tr(62, 8008);
bank_fault(mode => 'delay', iban => $KIBAN, seconds => 3);
$r = withdraw($kill, amount => '250.00', iban => $KIBAN, accountHolder => 'Ayse Yilmaz');
my $kid = $r->{json}{data}{withdrawalId};
my $key = key_of($kid);
my $pid = fork();
if (!$pid) {
	$ENV{HZM_BANK_API_TIMEOUT_MS} = 4000;
	$ENV{HZM_BANK_PAYOUT_LEASE_SECONDS} = 1;
	$ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
	exec("$ENV{HZM_VAR}/bin/cron-payout") or POSIX::_exit(127);
}
my $seen = 0;
for (1 .. 100) {
	last if ($seen = bank_payout($key) ? 1 : 0);
	sleep 0.05;
}
ok($seen, 'the worker reached the bank (it holds the payout, not yet answered)');
kill 'KILL', $pid;
waitpid($pid, 0);
is($? & 127, 9, 'the worker is killed before the answer');
is(wd($kid, 'status'), 'PROCESSING', 'still PROCESSING');
is(wd($kid, 'lease_until > now()'), 't', '  under the dead worker\'s lease');
run_ok('another worker meanwhile');
is(wd($kid, 'attempts'), 1, '  which leaves it alone while the lease lasts');
# The lease: at least twice the timeout and 5 s (4000 ms: 13 s).
my $lease = psql("SELECT round(extract(epoch FROM lease_until - updated_at)) FROM fiat_withdrawals"
    . " WHERE public_id = '$kid'");
cmp_ok($lease, '>=', 13, "  a lease of $lease s");
for (1 .. 300) {
	last if wd($kid, 'lease_until <= now()') eq 't';
	sleep 0.1;
}
run_ok('once the lease is over');
is(wd($kid, 'status'), 'COMPLETED', 'the next worker asked the bank: COMPLETED');
is(wd($kid, 'attempts'), 2, '  on its second attempt');
is(bank_payout($key)->{posts}, 1, '  the bank got it once');
is(ledger_count($kid, 'WITHDRAWAL'), 1, '  settled once');
is(balances($kill->{token})->{TRY}{available}, '4745.00', "  the user's balance: 5000 - 250 - 5");

# ==== the history, and the books ===========================================================
$r = api(GET => '/api/v1/fiat/transactions?filter_type=WITHDRAWAL&sort=%2BcreatedAt', bearer($u->{token}));
is($r->{json}{meta}{totalCount}, 1, 'the history lists the withdrawals');
is($r->{json}{data}[0]{status}, 'COMPLETED', '  as they are');
ok(!(grep { $_->{type} ne 'WITHDRAWAL' } @{ $r->{json}{data} }), '  withdrawals only');
is(psql("SELECT count(*) FROM ledger l JOIN fiat_withdrawals w ON l.ref = 'fiat:' || w.public_id"
    . " WHERE l.kind IN ('WITHDRAWAL', 'RETURN') GROUP BY w.id HAVING count(*) > 1"), '',
    'no payout left its account twice');
is(psql("SELECT count(*) FROM fiat_withdrawals w WHERE w.status = 'COMPLETED' AND NOT EXISTS"
    . " (SELECT 1 FROM ledger l WHERE l.ref = 'fiat:' || w.public_id AND l.kind IN ('WITHDRAWAL', 'RETURN'))"),
    0, 'every completed payout left once');
is(psql("SELECT count(*) FROM fiat_withdrawals w WHERE w.status = 'FAILED' AND NOT EXISTS"
    . " (SELECT 1 FROM ledger l WHERE l.ref = 'fiat:' || w.public_id AND l.kind = 'WITHDRAWAL_UNLOCK')"),
    0, 'every failed payout was unlocked');
invariant_ok('after the fiat withdrawals');
done_testing;
