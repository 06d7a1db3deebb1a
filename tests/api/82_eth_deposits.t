# tests/api/82_eth_deposits.t — ETH and USDT (ERC-20) deposits: derived addresses, 12 confirmations, one credit, the minimum, dust, USDT by Transfer logs, reorganisations
use strict;
use warnings;
use Test::More;
use Hzm;
use HzmTrade;
use HzmEth;

plan skip_all => 'no stand-in Ethereum node in this stack'
    unless -s "$ENV{HZM_VAR}/ethnode/ethnode.conf" && eth_alive();
plan skip_all => 'cron-chain not built' unless -x "$ENV{HZM_VAR}/bin/cron-chain";

mc_flush();

sub addr_of {
	my ($tok, $asset, $q) = @_;
	return api(GET => "/api/v1/wallets/$asset/deposit-address" . ($q // ''), bearer($tok));
}
sub deposit_of {
	my ($tok, $txid, $vout) = @_;
	my $r = api(GET => '/api/v1/wallets/deposits?pageSize=500', bearer($tok));
	die "deposits: $r->{status}" unless $r->{status} == 200;
	my @d = grep { $_->{txHash} eq $txid && (!defined $vout || $_->{vout} == $vout) }
	    @{ $r->{json}{data} };
	return $d[0];
}
sub balance_of {
	my ($tok, $asset) = @_;
	my $r = api(GET => "/api/v1/wallets/$asset/balance", bearer($tok));
	die "balance: $r->{status} $r->{body}" unless $r->{status} == 200;
	return $r->{json}{data}{available};
}
sub run_ok {
	my ($name) = @_;
	my ($rc, $out) = eth_chain_pass();
	is($rc, 0, "$name: cron-chain exits 0") or diag($out);
	return $out;
}
sub h { my $x = shift; $x =~ s/^0x//; return $x }
sub credits {
	my ($dep) = @_;
	return psql("SELECT count(*) FROM ledger WHERE kind = 'DEPOSIT' AND ref = 'deposit:$dep'");
}

# ---- addresses --------------------------------------------------------------
my $u = new_user('eth-deposit');
my $v = new_user('eth-deposit-b');
my $r = addr_of($u->{access}, 'ETH');
is($r->{status}, 200, 'an ETH deposit address') or diag($r->{body});
envelope_ok($r, 'deposit-address');
my $a = $r->{json}{data};
is($a->{network}, 'ETH', 'network ETH');
is($a->{confirmations}, 12, 'twelve confirmations (Appendix C)');
is($a->{minDeposit}, '0.00100000', 'minDeposit at the asset precision');
like($a->{address}, qr/^0x[0-9a-fA-F]{40}$/, 'an Ethereum address');
like($a->{address}, qr/[a-f]/, '  written in mixed case (EIP-55)');
like($a->{address}, qr/[A-F]/, '  with capitals');
is(addr_of($u->{access}, 'ETH')->{json}{data}{address}, $a->{address}, 'the same on the next call');
my $usdt = addr_of($u->{access}, 'USDT');
is($usdt->{status}, 200, 'a USDT deposit address') or diag($usdt->{body});
is($usdt->{json}{data}{network}, 'ERC20', '  on ERC20 by default');
is($usdt->{json}{data}{address}, $a->{address}, "  the user's ETH address");
is($usdt->{json}{data}{minDeposit}, '1.000000', '  minDeposit 1 USDT');
is(addr_of($u->{access}, 'USDT', '?network=ERC20')->{json}{data}{address}, $a->{address},
    '  and with network=ERC20');
my $b = addr_of($v->{access}, 'ETH')->{json}{data}{address};
isnt($b, $a->{address}, 'another user, another address');
is(addr_of($v->{access}, 'USDT')->{json}{data}{address}, $b, '  the same for their USDT');
my $uid = psql("SELECT id FROM users WHERE public_id = '$u->{userId}'");
is(psql("SELECT count(*) FROM deposit_addresses WHERE user_id = $uid AND address = '$a->{address}'"),
    2, 'stored for ETH and ERC20');

# ---- an ETH deposit, credited once at 12 confirmations ---------------------
my $before = balance_of($u->{access}, 'ETH');
my $tx = h(eth('test_transfer', $a->{address}, wei('0.5')));
eth('test_mine', 1);
run_ok('first pass');
my $d = deposit_of($u->{access}, $tx);
ok($d, 'the deposit is recorded') or BAIL_OUT('no ETH deposit recorded');
is($d->{status}, 'PENDING', '  PENDING');
is($d->{confirmations}, 1, '  one confirmation');
is($d->{requiredConfirmations}, 12, '  of twelve');
is($d->{amount}, '0.50000000', '  0.5 ETH');
is($d->{network}, 'ETH', '  network');
is($d->{address}, $a->{address}, '  to the address');
eth('test_mine', 10);
run_ok('eleven confirmations');
$d = deposit_of($u->{access}, $tx);
is($d->{status}, 'PENDING', '  still PENDING at 11');
is($d->{confirmations}, 11, '  eleven');
is(balance_of($u->{access}, 'ETH'), $before, '  not credited yet');
eth('test_mine', 1);
run_ok('twelve confirmations');
$d = deposit_of($u->{access}, $tx);
is($d->{status}, 'COMPLETED', '  COMPLETED at 12');
ok($d->{creditedAt}, '  creditedAt');
is(credits($d->{depositId}), 1, '  one ledger row');
is(sprintf('%.8f', balance_of($u->{access}, 'ETH') - $before), '0.50000000', '  balance +0.5');
eth('test_mine', 3);
run_ok('again');
run_ok('and again');
is(credits($d->{depositId}), 1, '  still one ledger row after more passes');
is(psql("SELECT count(*) FROM deposits WHERE txid = '$tx'"), 1, '  one deposit');

# ---- below the minimum, and dust below the asset's precision ----------------
my $small = h(eth('test_transfer', $a->{address}, wei('0.0005')));
my $dust = h(eth('test_transfer', $b, '123456789123456789'));
eth('test_mine', 12);
run_ok('small and dusty');
$d = deposit_of($u->{access}, $small);
is($d->{status}, 'REJECTED', 'below minDeposit: REJECTED');
is($d->{statusReason}, 'BELOW_MINIMUM', '  BELOW_MINIMUM');
is(credits($d->{depositId}), 0, '  never credited');
$d = deposit_of($v->{access}, $dust);
is($d->{status}, 'COMPLETED', '0.123456789123456789 ETH: credited');
is($d->{amount}, '0.12345678', '  at the asset precision (the dust below stays unowned)');
is(psql("SELECT amount::text FROM deposits WHERE txid = '$dust'"), '0.123456789123456789',
    '  the exact amount on chain is kept');
is(balance_of($v->{access}, 'ETH'), '0.12345678', '  balance +0.12345678');

# ---- USDT through the token's Transfer logs --------------------------------
my $ub = balance_of($u->{access}, 'USDT');
my $ttx = h(eth('test_token_transfer', [[$a->{address}, wei('2.5', 6)], [$a->{address}, wei('1', 6)],
    [$b, wei('0.5', 6)]]));
eth('test_mine', 1);
run_ok('token transfer seen');
my $t0 = deposit_of($u->{access}, $ttx, 0);
my $t1 = deposit_of($u->{access}, $ttx, 1);
ok($t0 && $t1, 'two Transfer logs in one transaction: two deposits');
is($t0->{asset}, 'USDT', '  USDT');
is($t0->{network}, 'ERC20', '  ERC20');
is($t0->{amount}, '2.500000', '  2.5');
is($t1->{amount}, '1.000000', '  and 1');
is($t0->{status}, 'PENDING', '  PENDING');
my $t2 = deposit_of($v->{access}, $ttx, 2);
is($t2->{status}, 'REJECTED', "the other user's 0.5 USDT: below the minimum");
eth('test_mine', 11);
run_ok('token transfer confirmed');
is(deposit_of($u->{access}, $ttx, 0)->{status}, 'COMPLETED', '  COMPLETED');
is(sprintf('%.6f', balance_of($u->{access}, 'USDT') - $ub), '3.500000', '  USDT balance +3.5');
is(psql("SELECT count(*) FROM deposits WHERE txid = '$ttx' AND asset = 'ETH'"), 0,
    '  no ETH deposit for the token call');

# ---- reorganisations --------------------------------------------------------
# Before the credit: the transaction is back in the pool, then mined again.
my $re = h(eth('test_transfer', $a->{address}, wei('0.01')));
eth('test_mine', 3);
run_ok('reorg target seen');
my $old = psql("SELECT block_hash FROM deposits WHERE txid = '$re'");
eth('test_reorg', 3, JSON::PP::false, 1);
run_ok('after a reorganisation that mined it again');
$d = deposit_of($u->{access}, $re);
is($d->{status}, 'PENDING', 'moved to another block: still PENDING');
is($d->{confirmations}, 1, '  its confirmations in the new chain');
isnt(psql("SELECT block_hash FROM deposits WHERE txid = '$re'"), $old, '  its new block remembered');

# Dropped before the credit: never credited.
my $gone = h(eth('test_transfer', $a->{address}, wei('0.02')));
eth('test_mine', 5);
run_ok('to be dropped');
is(deposit_of($u->{access}, $gone)->{status}, 'PENDING', 'PENDING');
eth('test_reorg', 5, JSON::PP::true, 6);
run_ok('after the reorganisation that dropped it');
$d = deposit_of($u->{access}, $gone);
is($d->{status}, 'FAILED', 'no longer on the chain before its credit: FAILED');
eth('test_mine', 12);
run_ok('later');
is(credits($d->{depositId}), 0, '  never credited');

# After the credit: a CRITICAL alert.
my $late = h(eth('test_transfer', $a->{address}, wei('0.03')));
eth('test_mine', 12);
run_ok('credited');
$d = deposit_of($u->{access}, $late);
is($d->{status}, 'COMPLETED', 'credited');
eth('test_reorg', 13, JSON::PP::true, 14);
run_ok('after a deep reorganisation');
is(psql("SELECT severity || ' ' || type FROM compliance_alerts"
    . " WHERE subject = 'deposit:$d->{depositId}' AND type = 'CHAIN_REORG'"), 'CRITICAL CHAIN_REORG',
    'left the chain after its credit: a CRITICAL alert');
is(credits($d->{depositId}), 1, '  the credit stays, once');

# ---- the node down ----------------------------------------------------------
eth('test_fault', 'busy', 5);
my ($rc, $out) = eth_chain_pass();
like($out, qr/^ETH failed SYSTEM_003$/m, 'node busy: the pass says SYSTEM_003');
eth('test_fault', 'none');
run_ok('node back');

invariant_ok('after the ETH and USDT deposits');

done_testing();
