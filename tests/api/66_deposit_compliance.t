# tests/api/66_deposit_compliance.t — large deposits scored as they are credited (TRY by the bank's callback, BTC by the chain watcher): alerts with Appendix C's fields, structuring, staff mailed for HIGH, the credit never held back
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmBank;
use HzmChain;
use HzmTrade;

ok(bank_alive(), 'the stand-in bank runs') or BAIL_OUT('no bank');
my $ADMIN = bearer(admin_login());

sub intent {
	my ($u, $amount) = @_;
	my $r = api(POST => '/api/v1/fiat/deposit', bearer($u->{token}), { amount => $amount });
	die "intent: $r->{body}" unless $r->{status} == 201;
	return $r->{json}{data};
}
# A transfer from the user's own account naming a fresh request: credited.
sub pay_in {
	my ($u, $amount) = @_;
	my $d = intent($u, $amount);
	my $dep = bank_deposit(amount => $amount, senderName => uc("$u->{first} $u->{last}"),
	    senderIban => iban_tr(62, int(rand 1e6)), description => $d->{referenceCode});
	my $ans = $dep->{answers}[0] // {};
	is($ans->{body}{data}{status}, 'CREDITED', "$amount TRY credited") or diag(explain($dep));
	return $dep;
}
sub alerts_of {
	my ($u) = @_;
	my $r = api(GET => "/api/v1/admin/compliance/alerts?filter_userId=$u->{userId}", $ADMIN);
	die "alerts: $r->{body}" unless $r->{status} == 200;
	return @{ $r->{json}{data} };
}

# === a small deposit: not looked at ==================================================
my $s = fiat_user('depc-small');
pay_in($s, '1000.00');
is(scalar(alerts_of($s)), 0, 'a small deposit raises nothing');

# === a large first deposit into a young account: MEDIUM, the money is there ========
my $l = fiat_user('depc-large');
my $t0 = time - 1;
my $dep = pay_in($l, '60000.00');
is(balance($l->{token}, 'TRY'), 6000000, 'credited in full: never held back');
my @a = alerts_of($l);
is(scalar(@a), 1, 'one alert');
my $al = $a[0] // {};
like($al->{alertId} // '', qr/^alt_[a-z2-7]{20}$/, 'alertId');
is($al->{severity}, 'MEDIUM', 'severity MEDIUM: large (20), first deposit (15), young account (15)');
is($al->{riskScore}, 50, 'riskScore 50');
is($al->{type}, 'LARGE_TRANSACTION', 'type LARGE_TRANSACTION');
is($al->{resolution}, 'NEW', 'resolution NEW');
my $r = api(GET => "/api/v1/admin/compliance/alerts/$al->{alertId}", $ADMIN);
is($r->{status}, 200, 'the alert in detail') or diag($r->{body});
my $det = $r->{json}{data}{details} // {};
is($det->{valueTry}, '60000.00', 'details: its worth in TRY');
is($det->{reviewThresholdTry}, '50000.00', 'details: the threshold (deposit_review_try)');
is_deeply([ sort map { $_->{factor} } @{ $det->{factors} // [] } ],
    [ 'FIRST_DEPOSIT', 'LARGE_AMOUNT', 'NEW_ACCOUNT' ], 'details: the factors, each explained')
    or diag(explain($det));
ok(!grep({ !length($_->{detail} // '') } @{ $det->{factors} // [] }), 'every factor says why');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'COMPLIANCE_ALERT'"
    . " AND details::text LIKE '%$det->{depositId}%'"), 1, 'written to the audit log');
ok(!mail_for('admin@example.com', $t0), 'MEDIUM: staff are not mailed');

# A second large deposit, no larger than the first: LARGE alone is LOW.
pay_in($l, '55000.00');
is(scalar(alerts_of($l)), 1, 'a large deposit in line with the history: no new alert');

# === structuring: three deposits just under the threshold in a day =================
my $st = fiat_user('depc-struct');
$t0 = time - 1;
pay_in($st, '45000.00');
pay_in($st, '48000.00');
is(scalar(alerts_of($st)), 0, 'two just under the threshold: nothing yet');
pay_in($st, '49999.99');
@a = alerts_of($st);
is(scalar(@a), 1, 'the third: an alert');
$al = $a[0] // {};
is($al->{type}, 'STRUCTURING', 'type STRUCTURING');
is($al->{severity}, 'HIGH', 'severity HIGH: structuring (55) and a young account (15)');
is($al->{riskScore}, 70, 'riskScore 70');
is(balance($st->{token}, 'TRY'), 14299999, 'all three credited');
my $m = mail_for('admin@example.com', $t0);
ok($m, 'HIGH: staff are mailed') or diag('no mail to admin@example.com');
like($m->{headers}{subject} // '', qr/HIGH|STRUCTURING|alert/i, 'about the alert')
    or diag($m->{headers}{subject});
like($m->{text} // $m->{raw} // '', qr/\Q$al->{alertId}\E/, 'naming it');

# === BTC by the chain watcher =======================================================
# A price for BTC: one trade on BTCTRY.
my $P = market_price('BTCTRY', '1850000.00');
my $mk = trader('depc-mk', BTC => '1');
my $tk = trader('depc-tk', TRY => '100000');
$r = place($mk->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT', price => $P,
    quantity => '0.00100000' });
is($r->{status}, 201, 'an ask') or diag($r->{body});
$r = place($tk->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', price => $P,
    quantity => '0.00100000', timeInForce => 'IOC' });
is($r->{json}{data}{status}, 'FILLED', 'a trade: BTC has a TRY price') or diag($r->{body});
ok(wait_matcher(), 'settled');

my $b = new_user('depc-btc');
$r = api(GET => '/api/v1/wallets/BTC/deposit-address', bearer($b->{access}));
is($r->{status}, 200, 'a deposit address') or diag($r->{body});
my $addr = $r->{json}{data}{address};
# Worth at least twice the threshold at any price the band allows.
my $amount = sprintf('%.8f', 120000 / $P);
btc('test_pay', $addr, $amount);
btc('test_mine', 3);
# The watcher credits it: this pass, or the stack's own schedule.
my $did = '';
for (1 .. 60) {
	chain_run();
	$did = psql("SELECT d.public_id FROM deposits d JOIN users u ON u.id = d.user_id"
	    . " WHERE u.public_id = '$b->{userId}' AND d.status = 'COMPLETED'");
	last if $did =~ /^dep_/;
	sleep 0.5;
}
like($did, qr/^dep_/, 'the BTC deposit is credited');
@a = alerts_of($b);
is(scalar(@a), 1, 'and scored: an alert');
$al = $a[0] // {};
is($al->{type}, 'LARGE_TRANSACTION', 'LARGE_TRANSACTION');
is($al->{severity}, 'MEDIUM', 'MEDIUM');
$r = api(GET => "/api/v1/admin/compliance/alerts/$al->{alertId}", $ADMIN);
is($r->{json}{data}{details}{depositId}, $did, 'for that deposit');
is($r->{json}{data}{details}{asset}, 'BTC', 'in BTC');

invariant_ok('after the deposits');
done_testing();
