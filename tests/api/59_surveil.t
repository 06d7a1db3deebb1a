# tests/api/59_surveil.t — cron-surveil: a round trip between two accounts (A sells to B, B sells back) is raised once as a wash-trading alert with Appendix C fields, across runs; one-way trades are not
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
my $alerts = sub {
	psql("SELECT count(*) FROM compliance_alerts a JOIN users u ON u.id = a.user_id"
	    . " WHERE u.public_id = '$_[0]' AND a.details->>'pattern' = 'WASH_TRADING_ROUND_TRIP'");
};
my $t1 = $trade->($x, $y, $p, '0.01000000');
# The first leg is looked at in one run, the way back in the next.
my ($rc, $n, $out) = run_surveil();
is($rc, 0, 'cron-surveil exits 0') or diag($out);
ok($n->{trades_examined} >= 1, "the new trades examined ($n->{trades_examined})");
is($alerts->($x->{userId}), 0, 'one way: no alert yet');
my $t2 = $trade->($y, $x, $p + 100, '0.00950000');	# back, 1 TRY dearer, 5 % less
$trade->($x, $z, $p, '0.00500000');			# one way only

($rc, $n, $out) = run_surveil();
is($rc, 0, 'cron-surveil exits 0 again') or diag($out);
is($n->{trades_examined}, 2, 'only the trades since the last run examined');
is($n->{round_trips}, 1, 'a round trip seen');
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

# A run that finds the trades already examined (killed before its
# cursor moved) raises nothing twice.
psql("UPDATE surveil_cursors SET last_trade_id = last_trade_id - 2 WHERE name = 'wash'");
($rc, $n) = run_surveil();
is($n->{round_trips}, 1, 'examined again, the round trip is seen again');
is($n->{alerts_raised}, 0, 'but raises nothing again');
is($alerts->($x->{userId}), 1, 'still one alert');
($rc, $n) = run_surveil();
is($n->{trades_examined}, 0, 'then nothing is left to examine');

cancel_open($_->{token}) for $x, $y, $z;
done_testing();
