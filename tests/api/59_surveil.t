# tests/api/59_surveil.t — cron-surveil: a round trip between two accounts (A sells to B, B sells back) is raised once as a wash-trading alert with Appendix C fields; one-way trades are not
use strict;
use warnings;
use Test::More;
use Math::BigInt;
use Hzm;
use HzmTrade;

my $bin = "$ENV{HZM_VAR}/bin/cron-surveil";
plan skip_all => 'cron-surveil not built' unless -x $bin;
mc_flush();

sub run_surveil {
	my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $bin 2>&1`;
	my %n = $out =~ /^(\w+) (\d+)$/mg;
	return ($? >> 8, \%n, $out);
}

my $SYM = 'BTCTRY';	# ETHTRY's 24-hour figures are 73_market_data's own
my $x = trader('wash_x', TRY => 1000000, BTC => 10);
my $y = trader('wash_y', TRY => 1000000, BTC => 10);
my $z = trader('wash_z', TRY => 1000000, BTC => 10);
my $p = units(market_price($SYM, '1850000.00'), 2) / 10000 * 10000;
my $trade = sub {
	my ($seller, $buyer, $price, $qty) = @_;
	my %o = (symbol => $SYM, type => 'LIMIT', timeInForce => 'GTC',
	    price => fmt(Math::BigInt->new($price), 2), quantity => $qty);
	my $r = place($seller->{token}, { %o, side => 'SELL' });
	is($r->{status}, 201, 'a sell rests') or diag($r->{body});
	$r = place($buyer->{token}, { %o, side => 'BUY' });
	is($r->{json}{data}{status}, 'FILLED', 'a buy takes it') or diag($r->{body});
	return $r->{json}{data}{fills}[0]{tradeId};
};
my $t1 = $trade->($x, $y, $p, '0.01000000');
my $t2 = $trade->($y, $x, $p + 100, '0.00950000');	# back, 1 TRY dearer, 5 % less
$trade->($x, $z, $p, '0.00500000');			# one way only

my ($rc, $n, $out) = run_surveil();
is($rc, 0, 'cron-surveil exits 0') or diag($out);
ok($n->{round_trips} >= 1, 'a round trip seen');
my $alerts = sub {
	psql("SELECT count(*) FROM compliance_alerts a JOIN users u ON u.id = a.user_id"
	    . " WHERE u.public_id = '$_[0]' AND a.details->>'pattern' = 'WASH_TRADING_ROUND_TRIP'");
};
is($alerts->($x->{userId}), 1, 'one alert on the account that started it');
is($alerts->($z->{userId}), 0, 'none on a one-way trade');
my $row = psql("SELECT severity || ' ' || type || ' ' || risk_score || ' ' || subject || ' '"
    . " || (details->>'counterpartyUserId') || ' ' || (details->'factors'->0->>'factor')"
    . " FROM compliance_alerts a JOIN users u ON u.id = a.user_id WHERE u.public_id = '$x->{userId}'"
    . " AND a.details->>'pattern' = 'WASH_TRADING_ROUND_TRIP'");
is($row, "HIGH SUSPICIOUS_PATTERN 80 wash:$t1/$t2 $y->{userId} ROUND_TRIP",
    'severity, type, score, the two trades, the counterparty, the factor');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'COMPLIANCE_ALERT'"
    . " AND target_user_id = (SELECT id FROM users WHERE public_id = '$x->{userId}')") > 0 ? 1 : 0, 1,
    'audited');

my $A = bearer(admin_login());
my $r = api(GET => "/api/v1/admin/compliance/alerts?filter_type=SUSPICIOUS_PATTERN", $A);
my ($al) = grep { ($_->{subject} // '') eq "wash:$t1/$t2" } @{$r->{json}{data} // []};
ok($al, 'in the alert list') or diag($r->{body});
like($al->{alertId} // '', qr/^alt_/, 'with its alertId') if $al;

($rc, $n) = run_surveil();
is($n->{alerts_raised}, 0, 'a second run raises nothing again');
is($alerts->($x->{userId}), 1, 'still one alert');

cancel_open($_->{token}) for $x, $y, $z;
done_testing();
