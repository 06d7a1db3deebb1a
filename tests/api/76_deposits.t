# tests/api/76_deposits.t — crypto deposits: addresses, the chain watcher, confirmations, one credit, reorganisations, a node that is down
use strict;
use warnings;
use Test::More;
use JSON::PP;
use POSIX ();
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmChain;

plan skip_all => 'no stand-in Bitcoin node in this stack'
    unless -s "$ENV{HZM_VAR}/bitcoind/bitcoin.conf" && btc_alive();
plan skip_all => 'cron-chain not built' unless -x "$ENV{HZM_VAR}/bin/cron-chain";

mc_flush();

sub addr_of {
	my ($tok, $q) = @_;
	return api(GET => '/api/v1/wallets/BTC/deposit-address' . ($q // ''), bearer($tok));
}
sub deposits {
	my ($tok, $q) = @_;
	my $r = api(GET => '/api/v1/wallets/deposits' . ($q // ''), bearer($tok));
	die "deposits: $r->{status} $r->{body}" unless $r->{status} == 200;
	return $r->{json}{data};
}
sub deposit_of {
	my ($tok, $txid) = @_;
	my @d = grep { $_->{txHash} eq $txid } @{ deposits($tok, '?pageSize=500') };
	return $d[0];
}
sub ledger_rows {
	my ($dep) = @_;
	return psql("SELECT count(*) FROM ledger WHERE kind = 'DEPOSIT' AND ref = 'deposit:$dep'");
}
# One pass of cron-chain that did the work: a run of the stack's own
# schedule may hold the network, and then this one leaves it ("busy").
sub chain_pass {
	my ($rc, $out);
	for (1 .. 100) {
		($rc, $out) = chain_run();
		return ($rc, $out) unless $out =~ /^BTC busy$/m;
		sleep 0.1;
	}
	return ($rc, $out);
}
sub run_ok {
	my ($name) = @_;
	my ($rc, $out) = chain_pass();
	is($rc, 0, "$name: cron-chain exits 0") or diag($out);
	return $out;
}
sub pay {
	my ($addr, $amount) = @_;
	return btc('test_pay', $addr, $amount);
}

# ---- deposit addresses ----------------------------------------------------
my $u = new_user('deposit');
my $v = new_user('deposit-b');

my $r = addr_of($u->{access});
is($r->{status}, 200, 'a deposit address') or diag($r->{body});
envelope_ok($r, 'deposit-address');
my $a = $r->{json}{data};
is($a->{asset}, 'BTC', 'asset');
is($a->{network}, 'BTC', 'network');
ok(exists $a->{memo} && !defined $a->{memo}, 'memo is null for BTC');
is($a->{minDeposit}, '0.00010000', 'minDeposit at the asset precision');
is($a->{confirmations}, 3, 'three confirmations (Appendix C)');
like($a->{address}, qr/^bcrt1q[02-9ac-hj-np-z]{38}$/, 'a regtest bech32 (P2WPKH) address');
is($a->{depositAddress}, $a->{address}, "Appendix C's depositAddress: the same");
my $info = btc('getaddressinfo', $a->{address});
ok($info->{ismine}, "the node's own wallet holds it");
is_deeply($info->{labels}, [$u->{userId}], "labelled with the user's id");
ok(btc('validateaddress', $a->{address})->{isvalid}, 'the node says it is valid');

$r = addr_of($u->{access});
is($r->{json}{data}{address}, $a->{address}, 'the same address on the next call');
$r = addr_of($u->{access}, '?network=BTC');
is($r->{json}{data}{address}, $a->{address}, 'and with network=BTC');
my $b = addr_of($v->{access})->{json}{data}{address};
like($b, qr/^bcrt1q/, 'another user gets an address');
isnt($b, $a->{address}, 'a different one');
is(psql("SELECT count(*) FROM deposit_addresses d JOIN users u ON u.id = d.user_id"
    . " WHERE u.public_id = '$u->{userId}'"), 1, 'one address stored per user');

# First calls at once agree on one address.
{
	my $w = new_user('deposit-race');
	my @kids;
	for my $i (1 .. 4) {
		my $pid = fork();
		if (!$pid) {
			my $x = addr_of($w->{access});
			open my $fh, '>', "$ENV{HZM_VAR}/tmp/addr.$$.$i" or exit 1;
			print $fh ($x->{status} == 200 ? $x->{json}{data}{address} : "status $x->{status}");
			close $fh;
			POSIX::_exit(0);
		}
		push @kids, [$pid, "$ENV{HZM_VAR}/tmp/addr.$pid.$i"];
	}
	my %seen;
	for (@kids) {
		waitpid($_->[0], 0);
		open my $fh, '<', $_->[1] or next;
		$seen{<$fh> // ''}++;
		close $fh;
		unlink $_->[1];
	}
	is(scalar keys %seen, 1, 'four first requests at once: one address for all')
	    or diag(join ', ', keys %seen);
	is(psql("SELECT count(*) FROM deposit_addresses d JOIN users u ON u.id = d.user_id"
	    . " WHERE u.public_id = '$w->{userId}'"), 1, '  stored once');
}

# ---- what is refused ------------------------------------------------------
error_ok(api(GET => '/api/v1/wallets/XYZ/deposit-address', bearer($u->{access})),
    404, 'NOT_FOUND', 'an unknown asset');
error_ok(api(GET => '/api/v1/wallets/btc/deposit-address', bearer($u->{access})),
    404, 'NOT_FOUND', 'a malformed asset code');
error_ok(api(GET => '/api/v1/wallets/B%27C/deposit-address', bearer($u->{access})),
    404, 'NOT_FOUND', 'an asset code with a quote');
$r = api(GET => '/api/v1/wallets/TRY/deposit-address', bearer($u->{access}));
error_ok($r, 400, 'INVALID_REQUEST', 'fiat has no deposit address');
is($r->{json}{error}{details}{field}, 'asset', '  details.field');
$r = api(GET => '/api/v1/wallets/USDT/deposit-address?network=TRC20', bearer($u->{access}));
error_ok($r, 400, 'INVALID_REQUEST', 'a network whose deposits are not open');
like($r->{json}{error}{details}{reason}, qr/open on: ERC20/, '  says where they are');
$r = addr_of($u->{access}, '?network=ETH');
error_ok($r, 400, 'INVALID_REQUEST', 'BTC on another network');
is($r->{json}{error}{details}{field}, 'network', '  details.field');
error_ok(addr_of($u->{access}, '?network=b-t'), 400, 'INVALID_REQUEST', 'a malformed network');
error_ok(addr_of($u->{access}, '?foo=1'), 400, 'INVALID_REQUEST', 'an unknown parameter');
error_ok(api(GET => '/api/v1/wallets/BTC/deposit-address'), 401, 'UNAUTHORIZED', 'no token');
error_ok(api(GET => '/api/v1/wallets/deposits'), 401, 'UNAUTHORIZED', 'no token for the list');
for my $q ('?filter_status=NOPE', '?filter_asset=btc', '?sort=-amount', '?pageSize=0',
    '?page=x', '?x=1', '?filter_status=PENDING&filter_status=FAILED') {
	error_ok(api(GET => "/api/v1/wallets/deposits$q", bearer($u->{access})), 400,
	    'INVALID_REQUEST', "deposits$q");
}

# ---- a deposit: pending, confirmed, credited once ---------------------------
my $bal0 = balance($u->{access}, 'BTC');
my $tx = pay($a->{address}, '0.25');
like($tx, qr/^[0-9a-f]{64}$/, 'paid 0.25 BTC (in the mempool)');
run_ok('unconfirmed');
my $d = deposit_of($u->{access}, $tx);
ok($d, 'the deposit is listed at once') or BAIL_OUT('no deposit recorded');
is($d->{status}, 'PENDING', '  PENDING');
is($d->{confirmations}, 0, '  with 0 confirmations');
is($d->{requiredConfirmations}, 3, '  of 3');
is($d->{amount}, '0.25000000', '  amount exact');
is($d->{asset}, 'BTC', '  asset');
is($d->{network}, 'BTC', '  network');
is($d->{address}, $a->{address}, '  to the address');
is($d->{vout}, 1, '  its output (the change is output 0)');
like($d->{depositId}, qr/^dep_[a-z2-7]{20}$/, '  a dep_ id');
like($d->{createdAt}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, '  createdAt');
ok(!defined $d->{creditedAt}, '  not credited');
is(balance($u->{access}, 'BTC'), $bal0, '  the balance has not moved');
my $dep = $d->{depositId};

btc('test_mine', 2);
run_ok('two blocks');
$d = deposit_of($u->{access}, $tx);
is($d->{status}, 'PENDING', 'after 2 blocks: still PENDING');
is($d->{confirmations}, 2, '  with 2 confirmations');
is(ledger_rows($dep), 0, '  nothing in the ledger');
is(balance($u->{access}, 'BTC'), $bal0, '  the balance has not moved');

# The third block: two watchers at once credit it once.
btc('test_mine', 1);
{
	my @pids;
	for my $i (1, 2) {
		my $pid = fork();
		if (!$pid) {
			my ($rc) = chain_run();
			POSIX::_exit($rc);
		}
		push @pids, $pid;
	}
	my @rc = map { waitpid($_, 0); $? >> 8 } @pids;
	is_deeply(\@rc, [0, 0], 'two cron-chain runs at once both exit 0');
}
# Both may have found the network busy with a scheduled run: one more pass.
chain_pass() unless deposit_of($u->{access}, $tx)->{status} eq 'COMPLETED';
$d = deposit_of($u->{access}, $tx);
is($d->{status}, 'COMPLETED', 'after 3 blocks: COMPLETED');
is($d->{confirmations}, 3, '  with 3 confirmations');
like($d->{creditedAt} // '', qr/^\d{4}-\d\d-\d\dT/, '  creditedAt');
is(ledger_rows($dep), 1, '  one DEPOSIT row in the ledger');
is(psql("SELECT delta_available || '|' || delta_locked FROM ledger WHERE ref = 'deposit:$dep'"),
    '0.250000000000000000|0.000000000000000000', '  of 0.25 BTC, available');
is(balance($u->{access}, 'BTC') - $bal0, units('0.25', 8), '  the balance grew by 0.25 BTC');
my $ev = psql("SELECT o.payload FROM outbox o JOIN users u ON u.id = o.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND o.event_type = 'deposit.confirmed'");
my @ev = grep { length } split /\n/, $ev;
is(scalar @ev, 1, '  one deposit.confirmed event');
my $pl = decode_json($ev[0] // '{}');
is($pl->{depositId}, $dep, '  naming the deposit');
is($pl->{amount}, '0.25000000', '  the amount');
is($pl->{txHash}, $tx, '  and the transaction');
# Its mail, as the user's preference says (on by default; Appendix H's
# deposit.confirmed): queued by the notification worker.
{
	my $q = "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id"
	    . " WHERE u.public_id = '$u->{userId}' AND n.event_type = 'deposit.confirmed'"
	    . " AND n.channel = 'EMAIL'";
	my $n = 0;
	for (1 .. 100) {
		last if ($n = psql($q)) > 0;
		select undef, undef, undef, 0.1;
	}
	is($n, 1, '  and one e-mail of it');
}

btc('test_mine', 2);
run_ok('more blocks');
run_ok('and again');
is(ledger_rows($dep), 1, 'more blocks and runs: still one credit');
is(balance($u->{access}, 'BTC') - $bal0, units('0.25', 8), '  the same balance');
like(psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
    . " SELECT id, 'BTC', 0.25, 0, 'DEPOSIT', 'deposit:$dep' FROM users"
    . " WHERE public_id = '$u->{userId}'"), qr/ledger_deposit_once/,
    '  and the database refuses a second credit of it');
invariant_ok('after a deposit');

# ---- the minimum --------------------------------------------------------------
my $small = pay($a->{address}, '0.00005');
run_ok('below the minimum');
$d = deposit_of($u->{access}, $small);
is($d->{status}, 'REJECTED', 'below minDeposit: recorded as REJECTED');
is($d->{statusReason}, 'BELOW_MINIMUM', '  BELOW_MINIMUM');
is($d->{amount}, '0.00005000', '  with its amount');
btc('test_mine', 3);
run_ok('below the minimum, confirmed');
$d = deposit_of($u->{access}, $small);
is($d->{status}, 'REJECTED', '  still REJECTED with 3 confirmations');
is(ledger_rows($d->{depositId}), 0, '  never credited');
is(balance($u->{access}, 'BTC') - $bal0, units('0.25', 8), '  the balance has not moved');

my $edge = pay($a->{address}, '0.0001');
btc('test_mine', 3);
run_ok('exactly the minimum');
$d = deposit_of($u->{access}, $edge);
is($d->{status}, 'COMPLETED', 'exactly minDeposit is credited');
is(ledger_rows($d->{depositId}), 1, '  once');
is(balance($u->{access}, 'BTC') - $bal0, units('0.2501', 8), '  balance 0.2501');

# Several outputs of one transaction are several deposits.
my $multi = btc('test_pay', { $a->{address} => '0.01', $b => '0.02' });
btc('test_mine', 3);
run_ok('two outputs');
my $du = deposit_of($u->{access}, $multi);
my $dv = deposit_of($v->{access}, $multi);
ok($du && $dv && $du->{vout} != $dv->{vout}, 'one transaction, two outputs, two deposits');
is($du->{status} . '/' . $dv->{status}, 'COMPLETED/COMPLETED', '  both credited');
is(balance($v->{access}, 'BTC'), units('0.02', 8), '  each to its owner');
my $ids = join ',', map { $_->{depositId} } @{ deposits($v->{access}) };
unlike($ids, qr/\Q$dep\E/, "  and one user never sees another's deposits");

# ---- reorganisations before the credit ------------------------------------
my $vb0 = balance($v->{access}, 'BTC');
my $gone = pay($b, '0.1');
btc('test_mine', 2);
run_ok('before a reorganisation');
is(deposit_of($v->{access}, $gone)->{confirmations}, 2, 'PENDING with 2 confirmations');
my $re = btc('test_reorg', 2, JSON::PP::true);
is(scalar @{ $re->{disconnected} }, 2, 'two blocks reorganised away, the payment double-spent');
run_ok('after the reorganisation');
$d = deposit_of($v->{access}, $gone);
is($d->{status}, 'FAILED', 'the deposit is FAILED');
is($d->{statusReason}, 'DOUBLE_SPENT', '  DOUBLE_SPENT');
is($d->{confirmations}, 0, '  with no confirmations');
btc('test_mine', 5);
run_ok('long after');
$d = deposit_of($v->{access}, $gone);
is($d->{status}, 'FAILED', '  still FAILED');
is(ledger_rows($d->{depositId}), 0, '  never credited');
is(balance($v->{access}, 'BTC'), $vb0, '  the balance has not moved');

# A reorganisation that puts the payment back in the mempool: it waits again.
my $back = pay($b, '0.2');
btc('test_mine', 2);
run_ok('before a shallow reorganisation');
btc('test_reorg', 2, JSON::PP::false, 0);
run_ok('after it');
$d = deposit_of($v->{access}, $back);
is($d->{status}, 'PENDING', 'back in the mempool: PENDING');
is($d->{confirmations}, 0, '  with 0 confirmations again');
btc('test_mine', 3);
run_ok('mined again');
$d = deposit_of($v->{access}, $back);
is($d->{status}, 'COMPLETED', 'mined again: COMPLETED');
is(ledger_rows($d->{depositId}), 1, '  credited once');
is(balance($v->{access}, 'BTC') - $vb0, units('0.2', 8), '  by 0.2 BTC');

# ---- reorganisations after the credit -----------------------------------------
# A deposit's reorganisation alerts (a large one may also have its
# deposit-risk alert, depending on the price earlier tests left).
sub alerts_for {
	my ($depid) = @_;
	my $rows = psql("SELECT severity || '|' || type || '|' || risk_score || '|' || resolution"
	    . " || '|' || public_id || '|' || details::text FROM compliance_alerts"
	    . " WHERE subject = 'deposit:$depid' AND type = 'CHAIN_REORG'");
	return [ map { [ split /\|/, $_, 6 ] } grep { length } split /\n/, $rows ];
}

my $late = pay($a->{address}, '0.3');
btc('test_mine', 3);
run_ok('credited');
my $dl = deposit_of($u->{access}, $late);
is($dl->{status}, 'COMPLETED', 'a deposit credited');
my $ub = balance($u->{access}, 'BTC');
my $t_reorg = time;
btc('test_reorg', 3, JSON::PP::true);
run_ok('after a deeper reorganisation');
my $al = alerts_for($dl->{depositId});
is(scalar @$al, 1, 'a credited deposit double-spent raises one alert');
is($al->[0][0], 'CRITICAL', '  CRITICAL');
is($al->[0][1], 'CHAIN_REORG', '  CHAIN_REORG');
is($al->[0][2], '100', '  risk score 100');
is($al->[0][3], 'NEW', '  resolution NEW');
like($al->[0][4], qr/^alt_[a-z2-7]{20}$/, '  an alt_ id');
my $det = decode_json($al->[0][5]);
is($det->{txHash}, $late, '  details: the transaction');
is($det->{userId}, $u->{userId}, '  the user');
is($det->{amount}, '0.30000000', '  the amount');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'COMPLIANCE_ALERT'"
    . " AND target_ref = '$al->[0][4]'"), 1, '  written to the audit log');
is(psql("SELECT count(*) FROM outbox WHERE event_type = 'compliance.alert'"
    . " AND payload->>'alertId' = '$al->[0][4]'"), 1, '  announced to staff');
my $sm = mail_for('admin@example.com', $t_reorg);
ok($sm && ($sm->{headers}{subject} // '') =~ /\Q$al->[0][4]\E: CRITICAL CHAIN_REORG/,
    '  and mailed to staff') or diag($sm ? $sm->{headers}{subject} : 'no mail');
$d = deposit_of($u->{access}, $late);
is($d->{status}, 'COMPLETED', '  the deposit stays credited (compliance decides)');
is(ledger_rows($d->{depositId}), 1, '  with its one ledger row');
is(balance($u->{access}, 'BTC'), $ub, '  and the balance untouched');
btc('test_mine', 2);
run_ok('again');
is(scalar @{ alerts_for($dl->{depositId}) }, 1, '  a later pass raises no second alert');

# Back in the mempool after the credit, then mined again: one alert, one credit.
my $again = pay($a->{address}, '0.4');
btc('test_mine', 3);
run_ok('credited');
$d = deposit_of($u->{access}, $again);
is($d->{status}, 'COMPLETED', 'another deposit credited');
btc('test_reorg', 3, JSON::PP::false, 0);
run_ok('its blocks reorganised away');
is(scalar @{ alerts_for($d->{depositId}) }, 1, 'unconfirmed again after the credit: an alert');
btc('test_mine', 4);
run_ok('mined again');
is(ledger_rows($d->{depositId}), 1, 'mined again: still one credit');
is(deposit_of($u->{access}, $again)->{status}, 'COMPLETED', '  COMPLETED');
invariant_ok('after the reorganisations');

# ---- the list -------------------------------------------------------------
$r = api(GET => '/api/v1/wallets/deposits?pageSize=2', bearer($u->{access}));
is($r->{status}, 200, 'the list, two a page');
is(scalar @{ $r->{json}{data} }, 2, '  two rows');
my $total = $r->{json}{meta}{totalCount};
ok($total >= 6, "  totalCount $total");
ok($r->{json}{meta}{hasNext}, '  hasNext');
like($r->{json}{links}{next} // '', qr{/api/v1/wallets/deposits\?page=2&pageSize=2}, '  links.next');
my $newest = deposits($u->{access});
my $oldest = deposits($u->{access}, '?sort=%2BcreatedAt');
is($oldest->[0]{depositId}, $dep, 'sort=+createdAt: the first deposit first');
is($newest->[-1]{depositId}, $dep, 'newest first by default');
my $done = deposits($u->{access}, '?filter_status=COMPLETED&filter_asset=BTC');
ok(@$done && !grep({ $_->{status} ne 'COMPLETED' } @$done), 'filter_status=COMPLETED');
is(scalar @{ deposits($u->{access}, '?filter_asset=ETH') }, 0, 'filter_asset=ETH: none');

# ---- a cursor the node does not know (another node, a wiped wallet) ------
{
	my $credits = psql("SELECT count(*) FROM ledger WHERE kind = 'DEPOSIT'");
	psql("UPDATE chain_cursors SET last_block = repeat('ab', 32) WHERE network = 'BTC'");
	run_ok('from an unknown block');
	isnt(psql("SELECT last_block FROM chain_cursors WHERE network = 'BTC'"), 'ab' x 32,
	    'an unknown cursor: the wallet is read from the start, the cursor moves on');
	is(psql("SELECT count(*) FROM ledger WHERE kind = 'DEPOSIT'"), $credits,
	    '  and nothing is credited twice');
}

# ---- the node down ----------------------------------------------------------
my $snap = sub { psql("SELECT string_agg(public_id || status || confirmations, ',' ORDER BY id)"
    . " FROM deposits WHERE network = 'BTC'")
    . psql("SELECT string_agg(last_block, ',') FROM chain_cursors WHERE network = 'BTC'")
    . psql("SELECT count(*) FROM ledger WHERE asset = 'BTC'") };
my $w = new_user('deposit-down');
my $pending = pay($a->{address}, '0.05');
run_ok('before the node stops');
my $before = $snap->();
ok(btc_stop(), 'the node stops');
$r = addr_of($w->{access});
error_ok($r, 503, 'SYSTEM_003', 'a first address with the node down');
is($r->{json}{error}{message}, 'Blockchain node unavailable', '  unavailable');
ok(defined $r->{headers}{'retry-after'}, '  Retry-After');
is($r->{json}{error}{details}{network}, 'BTC', '  names the network');
is(psql("SELECT count(*) FROM deposit_addresses d JOIN users u ON u.id = d.user_id"
    . " WHERE u.public_id = '$w->{userId}'"), 0, '  no address stored');
$r = addr_of($u->{access});
is($r->{status}, 200, 'a stored address is still answered');
is($r->{json}{data}{address}, $a->{address}, '  the same one');
my ($rc, $out) = chain_pass();
is($rc, 1, 'cron-chain fails while the node is down');
like($out, qr/^BTC failed SYSTEM_003$/m, '  and says why');
is($snap->(), $before, '  and changes nothing');
ok(btc_start(), 'the node starts again');
$r = addr_of($w->{access});
is($r->{status}, 200, 'then the first address is made');
btc('test_mine', 3);
run_ok('the node back');
is(deposit_of($u->{access}, $pending)->{status}, 'COMPLETED', 'and the pending deposit is credited');

# A node that answers, but not JSON-RPC; a node still loading; a busy one.
my $x = new_user('deposit-fault');
btc('test_fault', 'garbage', 1, 'getnewaddress');
$r = addr_of($x->{access});
error_ok($r, 503, 'SYSTEM_003', 'a node answering an HTML page');
is($r->{json}{error}{message}, 'Blockchain node error', '  a node error');
btc('test_fault', 'warmup', 1, 'getnewaddress');
error_ok(addr_of($x->{access}), 503, 'SYSTEM_003', 'a node still loading (-28)');
btc('test_fault', 'busy', 1, 'getnewaddress');
error_ok(addr_of($x->{access}), 503, 'SYSTEM_003', 'a busy node (HTTP 503)');
# Scheduled runs may take some of these: enough are left for this one.
btc('test_fault', 'garbage', 1000, 'listsinceblock');
($rc, $out) = chain_pass();
is($rc, 1, 'cron-chain fails on an answer that is not JSON-RPC');
btc('test_fault', 'none');
is(addr_of($x->{access})->{status}, 200, 'and all is well after');

# Bitcoin Core's cookie file instead of a user and password: read at each
# call (the node writes a new one at each start).
{
	my $bc = btc_conf();
	my $cookie = "$ENV{HZM_VAR}/tmp/btc.cookie";
	my $conf = "$ENV{HZM_VAR}/tmp/hzm-cookie.conf";
	open my $in, '<', "$ENV{HZM_VAR}/hzm.conf" or die;
	open my $o, '>', $conf or die;
	my @lines = <$in>;
	print {$o} @lines, "btc_rpc_user =\nbtc_rpc_password =\nbtc_rpc_cookie_file = $cookie\n";
	close $o;
	my $run = sub { my $t = `HZM_CONF=$conf $ENV{HZM_VAR}/bin/cron-chain 2>&1`; ($? >> 8, $t) };
	my $put = sub { open my $c, '>', $cookie or die; print $c "$_[0]\n"; close $c };
	$put->("$bc->{rpcuser}:$bc->{rpcpassword}");
	my ($crc, $cout);
	for (1 .. 50) { ($crc, $cout) = $run->(); last unless $cout =~ /^BTC busy$/m; sleep 0.1 }
	is($crc, 0, 'cron-chain with the node\'s cookie file') or diag($cout);
	$put->("$bc->{rpcuser}:not-the-password");
	($crc, $cout) = $run->();
	is($crc, 1, '  a stale cookie: refused') or diag($cout);
	unlink $cookie;
	($crc, $cout) = $run->();
	is($crc, 1, '  no cookie file: refused') or diag($cout);
}

# What the log says of the node, never its password.
my $pw = btc_conf()->{rpcpassword};
open my $lf, '<', "$ENV{HZM_VAR}/log/hzm.log" or die;
my ($lines, $leak) = (0, 0);
while (<$lf>) {
	$lines++ if /btc: (getnewaddress|listsinceblock)/;
	$leak++ if index($_, $pw) >= 0;
}
close $lf;
ok($lines > 0, 'node failures are logged');
is($leak, 0, '  without the RPC password');

invariant_ok('at the end');
done_testing;
