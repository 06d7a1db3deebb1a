#!/usr/bin/perl
# tests/bench/orders_setup.pl — traders for the order benchmarks: N funded
# LEVEL_2 accounts (the sandbox password), their access tokens in FILE, and
# a market maker's deep book on BTCTRY for market orders to take from.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../api/lib";
use Hzm;

my ($file, $n) = @ARGV;
$n //= 32;
my $sql = <<"SQL";
INSERT INTO users (public_id, email, password_hash, status, kyc_level, email_verified_at)
SELECT 'usr_benchtrader' || repeat('a', 7) || chr(97 + i / 26) || chr(97 + i % 26),
    'bench' || i || '\@example.com', u.password_hash, 'ACTIVE', 2, now()
FROM generate_series(0, $n) i, users u WHERE u.email = 'test.level2\@example.com'
ON CONFLICT DO NOTHING;
INSERT INTO user_roles (user_id, role) SELECT id, 'USER' FROM users
WHERE email LIKE 'bench%\@example.com' ON CONFLICT DO NOTHING;
INSERT INTO user_limits (user_id, daily_withdrawal, monthly_withdrawal, daily_trading)
SELECT id, 0, 0, 1000000000000 FROM users WHERE email LIKE 'bench%\@example.com'
ON CONFLICT DO NOTHING;
INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)
SELECT u.id, f.asset, f.amount, 0, 'ADJUSTMENT', 'bench'
FROM users u CROSS JOIN (VALUES ('TRY', 1000000000.00), ('BTC', 1000.0)) f (asset, amount)
WHERE u.email LIKE 'bench%\@example.com';
SQL
$sql =~ s/\n/ /g;
my $out = psql($sql);
die "setup: $out" if $out =~ /ERROR/;
open my $fh, '>', $file or die "$file: $!";
my $maker;
for my $i (0 .. $n) {
	my $r = login("bench$i\@example.com", $SANDBOX_PW);
	die "login bench$i: $r->{body}" unless $r->{status} == 200;
	if ($i == $n) {
		$maker = $r->{json}{data}{accessToken};
	} else {
		print $fh "$r->{json}{data}{accessToken}\n";
	}
}
close $fh;
# The maker's book: 200 asks and 200 bids a tick apart around 1,850,000.
my $auth = bearer($maker);
for my $k (1 .. 200) {
	for my $side ('SELL', 'BUY') {
		my $p = $side eq 'SELL' ? 185000000 + $k * 100 : 185000000 - $k * 100;
		my $r = api(POST => '/api/v1/orders', $auth, { symbol => 'BTCTRY', side => $side,
		    type => 'LIMIT', price => sprintf('%d.%02d', $p / 100, $p % 100),
		    quantity => '1.00000000' });
		die "maker: $r->{body}" unless $r->{status} == 201;
	}
}
print "ok\n";
