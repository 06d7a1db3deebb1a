#!/usr/bin/perl
# tests/bench/chain_deposits.pl — deposits credited per second by the chain watcher: N users with BTC deposit addresses, N confirmed incoming transfers on the stand-in node, one run of cron-chain timed; the count credited checked
#
#   perl tests/bench/chain_deposits.pl N      (inside a running stack)
#
# Prints one line with the figure; exits 1 when the run did not credit
# exactly the N transfers (a fault, not slowness: the run has no time
# budget here).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../api/lib";
use Time::HiRes qw(time);
use Hzm;
use HzmChain;
use HzmWithdraw;

my $n = $ARGV[0] // 5000;
my $tag = 'benchdep' . time() =~ s/\D//gr;
my $PAY = 50;		# outputs per transaction: payouts batched as exchanges send them
my $AMOUNT = '0.01000000';

# psql reading its statements from stdin: lists too long for a command line.
sub psql_in {
	my ($sql) = @_;
	open my $ph, '|-', 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-U', 'hzm',
	    '-d', 'hzm', '-h', "$ENV{HZM_VAR}/run/pg" or die "psql: $!";
	print $ph $sql;
	close $ph or die "psql failed\n";
}

# The scheduled watcher keeps away: this run is the one measured.
worker_pause('cron-chain');

# N users, each with a deposit address the node's wallet made.
my @addr;
while (@addr < $n) {
	my $k = $n - @addr > 10000 ? 10000 : $n - @addr;
	push @addr, @{ btc('test_newaddresses', $k, 'hzm') };
}
my $sql = "BEGIN;\nINSERT INTO users (public_id, email, password_hash, status, kyc_level,"
    . " email_verified_at) SELECT 'usr_' || substr(translate(md5('$tag' || i), '0189',"
    . " 'wxyz') || 'abcdefghijklmnopqrst', 1, 20), '$tag.' || i || '\@example.com',"
    . " u.password_hash, 'ACTIVE', 1, now() FROM generate_series(1, $n) i, users u"
    . " WHERE u.email = 'test.level2\@example.com';\n"
    . "CREATE TEMP TABLE bench_addr (i int, address text);\n"
    . "COPY bench_addr FROM STDIN;\n"
    . join('', map { ($_ + 1) . "\t$addr[$_]\n" } 0 .. $#addr) . "\\.\n"
    . "INSERT INTO deposit_addresses (user_id, asset, network, address)"
    . " SELECT u.id, 'BTC', 'BTC', a.address FROM bench_addr a JOIN users u"
    . " ON u.email = '$tag.' || a.i || '\@example.com';\nCOMMIT;\n";
psql_in($sql);
my $have = psql("SELECT count(*) FROM deposit_addresses d JOIN users u ON u.id = d.user_id"
    . " WHERE u.email LIKE '$tag.%'");
die "setup: $have of $n deposit addresses\n" unless $have == $n;

# N incoming transfers, confirmed as the network asks.
for (my $i = 0; $i < $n; $i += $PAY) {
	my $last = $i + $PAY - 1 < $n - 1 ? $i + $PAY - 1 : $n - 1;
	btc('test_pay', { map { $addr[$_] => $AMOUNT } $i .. $last });
}
my $need = psql("SELECT confirmations FROM asset_networks WHERE asset = 'BTC' AND network = 'BTC'");
btc('test_mine', $need + 1);

# One run, with no time budget to cut it short on a slow machine.
my $t0 = time;
my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf HZM_CHAIN_MAX_SECONDS=86400 HZM_BTC_RPC_SCAN_TIMEOUT_MS=3600000 HZM_BTC_RPC_MAX_BYTES=1073741824 $ENV{HZM_VAR}/bin/cron-chain 2>&1`;
my $rc = $? >> 8;
my $secs = time - $t0;
worker_resume();

my ($said) = $out =~ /^BTC seen \d+ recorded \d+ credited (\d+)/m;
my $credited = psql("SELECT count(*) FROM deposits d JOIN users u ON u.id = d.user_id"
    . " WHERE u.email LIKE '$tag.%' AND d.status = 'COMPLETED'");
my $ledger = psql("SELECT count(*) FROM ledger l JOIN users u ON u.id = l.user_id"
    . " WHERE u.email LIKE '$tag.%' AND l.kind = 'DEPOSIT'");
printf "%-40s %8.0f deposits credited/s (%d deposits in %.1f s, one cron-chain run)\n",
    'chain watcher (node to ledger)', $secs > 0 ? $credited / $secs : 0, $credited, $secs;
if ($rc != 0 || $credited != $n || $ledger != $n) {
	printf "  FAILED: cron-chain exit %d, credited %d (it said %s), %d ledger rows, of %d\n",
	    $rc, $credited, $said // '?', $ledger, $n;
	print "  $_\n" for grep { length } split /\n/, $out;
	exit 1;
}
print "  credited exactly $n, one ledger row each (the run reported ", $said // '?', ")\n";
exit 0;
