# tests/api/83_eth_withdrawals.t — ETH and USDT (ERC-20) withdrawals: EIP-55 addresses, sent once with eth_sendTransaction, completed at 12 confirmations, the node hanging or losing its answer
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Time::HiRes qw(sleep);
use Hzm;
use HzmTrade;
use HzmEth;
use HzmWithdraw;

plan skip_all => 'no stand-in Ethereum node in this stack'
    unless -s "$ENV{HZM_VAR}/ethnode/ethnode.conf" && eth_alive();
plan skip_all => 'cron-withdraw not built' unless -x "$ENV{HZM_VAR}/bin/cron-withdraw";

mc_flush();
worker_pause();

sub run_ok {
	my ($name, %env) = @_;
	my ($rc, $out) = worker_run(%env);
	is($rc, 0, "$name: cron-withdraw exits 0") or diag($out);
	my %n = $out =~ /(\w+) (\d+)/g;
	return \%n;
}
sub status_of {
	my ($u, $id) = @_;
	my $r = api(GET => '/api/v1/wallets/withdrawals?pageSize=500', bearer($u->{token}));
	my ($w) = grep { $_->{withdrawalId} eq $id } @{ $r->{json}{data} // [] };
	return $w // {};
}
# A fresh outside address, written in lower case (not checksummed).
sub eth_address { return '0x' . join '', map { sprintf '%02x', int(rand(256)) } 1 .. 20 }
sub hot_sent { return eth('test_state')->{hotPending} }
sub request_ok {
	my ($u, $asset, $amount, $to) = @_;
	my $r = withdraw($u, { amount => $amount, address => $to }, $asset);
	is($r->{status}, 201, "$asset $amount requested") or diag($r->{body});
	return $r->{json}{data};
}

# A TRY price for each asset (one trade), as the limits count withdrawals in TRY.
sub price {
	my ($symbol, $base, $qty, $price) = @_;
	return if length psql("SELECT last_price::text FROM matcher_state WHERE symbol = '$symbol'");
	my $sl = trader("eth-price-s-$base", $base => $qty * 2);
	my $by = trader("eth-price-b-$base", TRY => 100000);
	my $r = place($sl->{token}, { symbol => $symbol, side => 'SELL', type => 'LIMIT',
	    quantity => "$qty", price => "$price", timeInForce => 'GTC' });
	die "price sell: $r->{body}" unless $r->{status} == 201;
	$r = place($by->{token}, { symbol => $symbol, side => 'BUY', type => 'LIMIT',
	    quantity => "$qty", price => "$price", timeInForce => 'IOC' });
	die "price buy: $r->{body}" unless $r->{status} == 201;
	wait_matcher();
	cancel_open($sl->{token});
}
price('ETHTRY', 'ETH', '0.001', '50000.00');
price('USDTTRY', 'USDT', '1', '35.0000');

my $u = wd_user('eth-wd', fund => { ETH => 5, USDT => 1000 });

# ---- addresses ----------------------------------------------------------------
my $r = withdraw($u, { amount => '0.1', address => '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD' }, 'ETH');
error_ok($r, 400, 'WALLET_001', 'a mixed-case address whose checksum fails: WALLET_001');
is($r->{json}{error}{details}{field}, 'address', '  details.field');
like($r->{json}{error}{details}{reason}, qr/EIP-55/, '  says why');
error_ok(withdraw($u, { amount => '0.1', address => '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA' }, 'ETH'),
    400, 'WALLET_001', 'too short: WALLET_001');
error_ok(withdraw($u, { amount => '0.1', address => 'bcrt1q0fdgt68mc6299l4wkcn5k2pnwszvl9jqw3zzuw' }, 'ETH'),
    400, 'WALLET_001', 'a Bitcoin address: WALLET_001');
error_ok(withdraw($u, { amount => '0.005', address => eth_address() }, 'ETH'),
    400, 'WALLET_003', 'under 0.01 ETH: WALLET_003');
error_ok(withdraw($u, { amount => '0.123456789', address => eth_address() }, 'ETH'),
    400, 'INVALID_REQUEST', 'more decimals than ETH has here');

# ---- ETH, end to end -----------------------------------------------------------
my $to = '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed';
my $w = request_ok($u, 'ETH', '0.1', $to);
is($w->{address}, '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '  kept with its EIP-55 checksum');
is($w->{network}, 'ETH', '  network ETH');
is($w->{status}, 'PENDING_SIGNATURE', '  clean: to be sent') or diag(encode_json($w));
my $sent0 = hot_sent();
my $c = run_ok('send');
is($c->{sent}, 1, '  one sent');
is(hot_sent(), $sent0 + 1, '  one transaction from the hot wallet');
my $s = status_of($u, $w->{withdrawalId});
is($s->{status}, 'PROCESSING', '  PROCESSING');
like($s->{txHash} // '', qr/^[0-9a-f]{64}$/, '  with its txHash');
my $tx = eth('eth_getTransactionByHash', "0x$s->{txHash}");
is($tx->{to}, $to, '  paid to the address');
is($tx->{value}, sprintf('0x%x', 1e17), '  0.1 ETH in wei');
eth('test_mine', 11);
run_ok('eleven confirmations');
is(status_of($u, $w->{withdrawalId})->{status}, 'PROCESSING', '  still PROCESSING at 11');
eth('test_mine', 1);
$c = run_ok('twelve');
is($c->{completed}, 1, '  completed');
$s = status_of($u, $w->{withdrawalId});
is($s->{status}, 'COMPLETED', '  COMPLETED at 12');
ok($s->{completedAt}, '  completedAt');
is($s->{confirmations}, 12, '  12 confirmations');
is(balances($u->{token})->{ETH}{available}, '4.89500000', '  0.1 and the 0.005 fee paid out of 5');
is(withdrawal_row($w->{withdrawalId}, 'network_fee')->{network_fee}, '0.000021000000000000',
    "  the gas paid kept as the network fee");
run_ok('again');
is(hot_sent(), $sent0 + 1, '  nothing sent again');

# ---- USDT by transfer(address,uint256) -----------------------------------------
my $uto = eth_address();
$w = request_ok($u, 'USDT', '20', $uto);
is($w->{network}, 'ERC20', '  on ERC20');
run_ok('USDT send');
$s = status_of($u, $w->{withdrawalId});
is($s->{status}, 'PROCESSING', '  PROCESSING');
$tx = eth('eth_getTransactionByHash', "0x$s->{txHash}");
is(lc $tx->{to}, lc '0xdAC17F958D2ee523a2206206994597C13D831ec7', '  a call to the token contract');
is($tx->{input}, '0xa9059cbb' . ('0' x 24) . substr($uto, 2) . sprintf('%064x', 20_000_000),
    '  transfer(address,uint256) of 20 USDT');
eth('test_mine', 12);
run_ok('USDT confirmed');
is(status_of($u, $w->{withdrawalId})->{status}, 'COMPLETED', '  COMPLETED');
my $logs = eth('eth_getLogs', { fromBlock => '0x0', toBlock => 'latest',
    address => '0xdac17f958d2ee523a2206206994597c13d831ec7',
    topics => [undef, undef, '0x' . ('0' x 24) . substr($uto, 2)] });
is(scalar @$logs, 1, '  one Transfer log to the address');

# ---- the node hangs during the broadcast: nothing sent, then sent once ----------
$w = request_ok($u, 'ETH', '0.2', eth_address());
$sent0 = hot_sent();
eth('test_fault', 'hang:3', 1, 'eth_sendTransaction');
$c = run_ok('node hangs', HZM_ETH_RPC_TIMEOUT_MS => 1000);
is($c->{sent} // 0, 0, '  not sent');
$s = status_of($u, $w->{withdrawalId});
is($s->{status}, 'PROCESSING', '  PROCESSING: outcome unknown');
ok(!$s->{txHash}, '  no txHash');
like(withdrawal_row($w->{withdrawalId}, 'last_error')->{last_error} // '', qr/node unavailable/,
    '  the node error noted');
sleep 3.2;
is(hot_sent(), $sent0, '  the node sent nothing');
$c = run_ok('looked up, then sent', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);
is($c->{sent}, 1, '  the nonce was unspent: sent now');
is(hot_sent(), $sent0 + 1, '  one transaction');

# ---- the answer is lost, the payment made: found by its nonce, never sent twice --
# (each scenario a user of its own: the risk rules count one user's requests)
$u = wd_user('eth-wd-lost', fund => { ETH => 5 });
$w = request_ok($u, 'ETH', '0.3', eth_address());
$sent0 = hot_sent();
eth('test_fault', 'slow:2', 1, 'eth_sendTransaction');
$c = run_ok('answer lost', HZM_ETH_RPC_TIMEOUT_MS => 1000);
is($c->{sent} // 0, 0, '  no answer');
sleep 2.5;
is(hot_sent(), $sent0 + 1, '  but the node made the payment');
$c = run_ok('in the pool', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);
is($c->{sent} // 0, 0, '  not sent again while its nonce waits in the pool');
eth('test_mine', 1);
$c = run_ok('mined', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);
is($c->{found}, 1, '  found by its nonce');
is(hot_sent(), $sent0 + 1, '  still one transaction');
$s = status_of($u, $w->{withdrawalId});
like($s->{txHash} // '', qr/^[0-9a-f]{64}$/, '  its txHash recorded');
eth('test_mine', 12);
run_ok('confirmed');
is(status_of($u, $w->{withdrawalId})->{status}, 'COMPLETED', '  COMPLETED');

# ---- the node refuses for now: back in the queue --------------------------------
$u = wd_user('eth-wd-later', fund => { ETH => 5 });
$w = request_ok($u, 'ETH', '0.05', eth_address());
eth('test_fault', 'error:-32000', 1, 'eth_sendTransaction');
run_ok('refused for now');
$s = status_of($u, $w->{withdrawalId});
is($s->{status}, 'PENDING_SIGNATURE', '  waits for another try');
psql("UPDATE withdrawals SET next_attempt_at = NULL WHERE public_id = '$w->{withdrawalId}'");
$c = run_ok('tried again');
is($c->{sent}, 1, '  sent');

invariant_ok('after the ETH and USDT withdrawals');

worker_resume();
done_testing();
