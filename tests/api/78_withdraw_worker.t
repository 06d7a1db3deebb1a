# tests/api/78_withdraw_worker.t — the withdrawal worker: sent once through the node, confirmed, completed; the node down, refusing, slow; the worker killed mid-send, two at once
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
plan skip_all => 'cron-withdraw not built' unless -x "$ENV{HZM_VAR}/bin/cron-withdraw";

mc_flush();
worker_pause();
fund_node(200);
my $price = btc_price();

# What earlier tests left to send goes first, so that the counts below are this file's.
psql("UPDATE withdrawals SET next_attempt_at = NULL WHERE status = 'PENDING_SIGNATURE'");
worker_run();
btc('test_mine', 3);
worker_run(HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);

# A run that must succeed: its counts, { sent => N, ... }.
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
sub fee_btc { fee_balance('BTC') }
# A clean request of a fresh user: (user, withdrawal).
sub clean_request {
	my ($tag, $amount) = @_;
	my $u = wd_user($tag, fund => { BTC => 1 });
	my $r = withdraw($u, { amount => $amount // '0.02', address => $u->{addr} });
	die "withdraw: $r->{body}" unless $r->{status} == 201 &&
	    $r->{json}{data}{status} eq 'PENDING_SIGNATURE';
	return ($u, $r->{json}{data});
}

# ---- a clean small withdrawal, end to end ------------------------------------------
my ($u, $w) = clean_request('wdw-e2e', '0.02');
my $id = $w->{withdrawalId};
my $b0 = balances($u->{token})->{BTC};
is($b0->{available}, '0.97950000', 'requested: available less 0.0205');
is($b0->{locked}, '0.02050000', '  locked 0.0205');
my $fee0 = fee_btc();
my $t0 = time;
my $n = run_ok('broadcast');
is($n->{sent}, 1, '  one payment sent');
my $s = status_of($u, $id);
is($s->{status}, 'PROCESSING', 'PROCESSING');
like($s->{txHash} // '', qr/^[0-9a-f]{64}$/, '  with its txHash');
is($s->{confirmations}, 0, '  no confirmation yet');
my $tx = btc('gettransaction', $s->{txHash});
is($tx->{details}[0]{category}, 'send', 'the node paid it');
is($tx->{details}[0]{address}, $u->{addr}, '  to the address');
is(sprintf('%.8f', -$tx->{details}[0]{amount}), '0.02000000', '  the amount (the fee is the user\'s)');
is($tx->{comment}, "hzm:$id:1", '  noting the withdrawal and its try');
is(withdrawal_row($id, 'attempts')->{attempts}, '1', '  one try');
is(psql("SELECT count(*) FROM outbox WHERE event_type = 'withdrawal.processing'"
    . " AND payload->>'withdrawalId' = '$id' AND payload->>'txHash' = '$s->{txHash}'"), '1',
    'a withdrawal.processing event');
my $m = mail_for($u->{email}, $t0);
ok($m && ($m->{text} // '') =~ /\Q$s->{txHash}\E/, 'the user is mailed the transaction')
    or diag($m ? $m->{text} : 'no mail');
is_deeply(balances($u->{token})->{BTC}, $b0, 'balances unchanged while it confirms');
invariant_ok('sent');

btc('test_mine', 2);
$n = run_ok('two confirmations');
is($n->{completed} // 0, 0, '  not complete');
$s = status_of($u, $id);
is($s->{status}, 'PROCESSING', '  still PROCESSING');
is($s->{confirmations}, 2, '  two confirmations shown');

btc('test_mine', 1);
$t0 = time;
$n = run_ok('three confirmations');
is($n->{completed}, 1, '  completed');
$s = status_of($u, $id);
is($s->{status}, 'COMPLETED', 'COMPLETED');
is($s->{confirmations}, 3, '  3 confirmations');
like($s->{completedAt} // '', qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, '  completedAt');
my $b1 = balances($u->{token})->{BTC};
is($b1->{available}, '0.97950000', 'available as after the request');
is($b1->{locked}, '0.00000000', 'nothing locked');
is($b1->{total}, '0.97950000', 'the amount and the fee left');
is(fee_btc() - $fee0, units('0.0005', 8), 'the fee went to the fee account');
is_deeply(ledger_of($id), [
	"WITHDRAWAL_LOCK $u->{userId} -0.02050000 0.02050000",
	"WITHDRAWAL $u->{userId} 0.00000000 -0.02000000",
	"FEE $u->{userId} 0.00000000 -0.00050000",
	"FEE $FEE_ID 0.00050000 0.00000000",
], 'the ledger: lock, then WITHDRAWAL and FEE from locked, the fee credited');
ok(psql("SELECT network_fee FROM withdrawals WHERE public_id = '$id'") > 0,
    'what the miners got is recorded');
is(psql("SELECT count(*) FROM outbox WHERE event_type = 'withdrawal.completed'"
    . " AND payload->>'withdrawalId' = '$id'"), '1', 'a withdrawal.completed event');
$m = mail_for($u->{email}, $t0, qr/complete/);
ok($m, 'the user is mailed it is complete')
    or diag($m ? $m->{headers}{subject} : 'no mail');
invariant_ok('completed');
btc('test_mine', 1);
$n = run_ok('again');
is(scalar @{ ledger_of($id) }, 4, 'another run changes nothing');
is(scalar @{ sends_of($id) }, 1, 'paid once');

# ---- the node down while sending --------------------------------------------------------
($u, $w) = clean_request('wdw-down');
$id = $w->{withdrawalId};
ok(btc_stop(), 'the node stopped');
$n = run_ok('node down');
is($n->{waiting}, 1, '  the withdrawal waits');
my $row = withdrawal_row($id, qw(status tx_hash attempts last_error));
is($row->{status}, 'PROCESSING', '  PROCESSING (a try was made)');
is($row->{tx_hash}, '', '  no transaction');
is($row->{attempts}, '1', '  one try recorded before the node was asked');
like($row->{last_error}, qr/unavailable/, "  why: $row->{last_error}");
$n = run_ok('node still down', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);
is(withdrawal_row($id, 'attempts')->{attempts}, '1', '  no new try while the node cannot say');
ok(btc_start(), 'the node back');
$n = run_ok('within the wait', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 3600);
is($n->{sent} // 0, 0, '  a recent try is given time (withdraw_resend_after_seconds)');
$n = run_ok('node back', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);
is($n->{sent}, 1, '  the earlier try not in the wallet: sent now');
$row = withdrawal_row($id, qw(status tx_hash attempts));
like($row->{tx_hash}, qr/^[0-9a-f]{64}$/, '  with a transaction');
is($row->{attempts}, '2', '  on the second try');
is(scalar @{ sends_of($id) }, 1, '  paid once');

# A busy node (503) while sending: the same.
($u, $w) = clean_request('wdw-busy');
$id = $w->{withdrawalId};
btc('test_fault', 'busy', 1, 'sendtoaddress');
$n = run_ok('node busy');
is(withdrawal_row($id, 'tx_hash')->{tx_hash}, '', '  not sent');
$n = run_ok('after busy', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);
is(scalar @{ sends_of($id) }, 1, '  then paid once');

# ---- the node refuses: for good, for now ------------------------------------------------
($u, $w) = clean_request('wdw-refused');
$id = $w->{withdrawalId};
btc('test_fault', 'refuse:-5', 1, 'sendtoaddress');
$t0 = time;
$n = run_ok('refused for good');
is($n->{failed}, 1, '  failed');
$s = status_of($u, $id);
is($s->{status}, 'FAILED', 'FAILED');
like($s->{failureReason} // '', qr/refused/, "  failureReason: $s->{failureReason}");
is(balances($u->{token})->{BTC}{available}, '1.00000000', 'the funds are back');
is(balances($u->{token})->{BTC}{locked}, '0.00000000', '  nothing locked');
is_deeply(ledger_of($id), [
	"WITHDRAWAL_LOCK $u->{userId} -0.02050000 0.02050000",
	"WITHDRAWAL_UNLOCK $u->{userId} 0.02050000 -0.02050000",
], '  unlocked once');
is(psql("SELECT count(*) FROM outbox WHERE event_type = 'withdrawal.failed'"
    . " AND payload->>'withdrawalId' = '$id'"), '1', '  a withdrawal.failed event');
$m = mail_for($u->{email}, $t0, qr/could not be sent/);
ok($m, '  the user is mailed')
    or diag($m ? $m->{headers}{subject} : 'no mail');
run_ok('after the failure', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);
is(scalar @{ ledger_of($id) }, 2, '  a later run unlocks nothing more');
is(scalar @{ sends_of($id) }, 0, '  and sends nothing');

($u, $w) = clean_request('wdw-later');
$id = $w->{withdrawalId};
btc('test_fault', 'refuse:-6', 1, 'sendtoaddress');
$n = run_ok('insufficient funds in the wallet', HZM_WITHDRAW_RETRY_SECONDS => 3600);
$row = withdrawal_row($id, qw(status last_error next_attempt_at));
is($row->{status}, 'PENDING_SIGNATURE', '  not now: back in the queue');
like($row->{last_error}, qr/-6/, "  why: $row->{last_error}");
ok(length $row->{next_attempt_at}, '  with a time to try again');
$n = run_ok('before that time');
is($n->{sent} // 0, 0, '  not tried before it');
psql("UPDATE withdrawals SET next_attempt_at = now() WHERE public_id = '$id'");
$n = run_ok('at that time');
is($n->{sent}, 1, '  then sent');
is(scalar @{ sends_of($id) }, 1, '  once');

# Bitcoin Core answers -6 for every transaction it cannot build: one
# that never will (an amount too small for its fee) fails at once.
($u, $w) = clean_request('wdw-never');
$id = $w->{withdrawalId};
btc('test_fault', 'refuse:-6:The transaction amount is too small to pay the fee', 1, 'sendtoaddress');
run_ok('an amount the node can never send');
$row = withdrawal_row($id, qw(status last_error));
is($row->{status}, 'FAILED', '  -6 "too small to pay the fee": FAILED, not retried');
like($row->{last_error} // '', qr/too small to pay the fee/, "  why: the node's word");

# ---- the worker killed while the node pays ------------------------------------------------
($u, $w) = clean_request('wdw-killed');
$id = $w->{withdrawalId};
btc('test_fault', 'slow:3', 1, 'sendtoaddress');
my $pid = fork();
if (!$pid) {
	$ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
	open STDOUT, '>', '/dev/null';
	exec("$ENV{HZM_VAR}/bin/cron-withdraw") or POSIX::_exit(127);
}
# Killed while the node holds the call: the fault is used up once the call arrived.
for (1 .. 100) {
	last if btc('test_state')->{faultLeft} == 0;
	sleep 0.05;
}
sleep 0.3;
kill 'KILL', $pid;
waitpid($pid, 0);
$row = withdrawal_row($id, qw(status tx_hash attempts));
is($row->{status}, 'PROCESSING', 'killed mid-send: PROCESSING');
is($row->{tx_hash}, '', '  its transaction unknown to us');
for (1 .. 100) {
	last if @{ sends_of($id) };
	sleep 0.1;
}
is(scalar @{ sends_of($id) }, 1, 'the node made the payment all the same');
$n = run_ok('after the kill', HZM_WITHDRAW_RESEND_AFTER_SECONDS => 0);
is($n->{found}, 1, '  the next run finds it in the wallet by its comment');
$row = withdrawal_row($id, qw(tx_hash attempts));
is($row->{tx_hash}, sends_of($id)->[0]{txid}, '  and records it');
is($row->{attempts}, '1', '  without another try');
is(scalar @{ sends_of($id) }, 1, '  paid once');

# Killed after the try was recorded, before the node was asked.
($u, $w) = clean_request('wdw-killed2');
$id = $w->{withdrawalId};
psql("UPDATE withdrawals SET status = 'PROCESSING', attempts = 1,"
    . " attempt_at = now() - interval '1 hour' WHERE public_id = '$id'");
# A wallet holding more than the search reaches: not sure is not "not
# sent", so nothing is sent again until the operator widens the search.
$n = run_ok('a try not found among the latest 2 wallet entries', HZM_BTC_FIND_SENT_SCAN => 2);
is($n->{sent} // 0, 0, '  the wallet holds more: not sent again');
$row = withdrawal_row($id, qw(status last_error attempts));
is($row->{status}, 'PROCESSING', '  still PROCESSING');
like($row->{last_error} // '', qr/btc_find_sent_scan/, "  why: $row->{last_error}");
is(scalar @{ sends_of($id) }, 0, '  nothing paid');
$n = run_ok('a try that never reached the node');
is($n->{sent}, 1, '  not in the wallet: sent');
is(withdrawal_row($id, 'attempts')->{attempts}, '2', '  as try 2');
is(scalar @{ sends_of($id) }, 1, '  once');

# ---- two workers at once -------------------------------------------------------------------
my @ws;
for my $i (1 .. 6) {
	my ($uu, $ww) = clean_request("wdw-twice$i", '0.01');
	push @ws, [$uu, $ww->{withdrawalId}];
}
btc('test_fault', 'slow:0.3', 12, 'sendtoaddress');
my @pids;
for (1 .. 2) {
	my $p = fork();
	if (!$p) {
		$ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
		open STDOUT, '>', "$ENV{HZM_VAR}/tmp/wdw.$$";
		exec("$ENV{HZM_VAR}/bin/cron-withdraw") or POSIX::_exit(127);
	}
	push @pids, $p;
}
my $sent = 0;
for my $p (@pids) {
	waitpid($p, 0);
	is($? >> 8, 0, "worker $p exits 0");
	open my $fh, '<', "$ENV{HZM_VAR}/tmp/wdw.$p";
	my $out = <$fh> // '';
	close $fh;
	unlink "$ENV{HZM_VAR}/tmp/wdw.$p";
	$sent += $1 if $out =~ /sent (\d+)/;
}
btc('test_fault', 'none');
is($sent, 6, 'two workers at once: six payments between them');
for (@ws) {
	my $rw = withdrawal_row($_->[1], qw(status attempts tx_hash));
	ok($rw->{status} eq 'PROCESSING' && $rw->{attempts} eq '1' && length $rw->{tx_hash},
	    "  $_->[1]: one try, sent");
	is(scalar @{ sends_of($_->[1]) }, 1, '  paid once');
}
btc('test_mine', 3);
@pids = ();
for (1 .. 2) {
	my $p = fork();
	if (!$p) {
		$ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
		open STDOUT, '>', '/dev/null';
		exec("$ENV{HZM_VAR}/bin/cron-withdraw") or POSIX::_exit(127);
	}
	push @pids, $p;
}
waitpid($_, 0) for @pids;
for (@ws) {
	is(status_of($_->[0], $_->[1])->{status}, 'COMPLETED', "  $_->[1] COMPLETED");
	is(psql("SELECT count(*) FROM ledger WHERE ref = 'withdrawal:$_->[1]'"
	    . " AND kind = 'WITHDRAWAL'"), '1', '  paid out of the ledger once');
}
invariant_ok('after two workers');

# ---- a payment a conflicting transaction replaced ----------------------------------------
($u, $w) = clean_request('wdw-conflict');
$id = $w->{withdrawalId};
run_ok('sent');
my $txid = withdrawal_row($id, 'tx_hash')->{tx_hash};
btc('test_mine', 1);
btc('test_reorg', 1, JSON::PP::true);
ok(btc('gettransaction', $txid)->{confirmations} < 0, 'the payment was double-spent');
$n = run_ok('conflicted');
is($n->{stuck}, 1, '  stuck');
$row = withdrawal_row($id, qw(status stuck_at last_error));
is($row->{status}, 'PROCESSING', '  stays PROCESSING (nothing is paid out of the ledger)');
ok(length $row->{stuck_at}, '  marked');
like(psql("SELECT severity || ' ' || type FROM compliance_alerts"
    . " WHERE subject = 'withdrawal-payment:$id'"), qr/^CRITICAL CHAIN_REORG$/,
    '  staff alerted: CRITICAL');
run_ok('again');
is(psql("SELECT count(*) FROM compliance_alerts WHERE subject = 'withdrawal-payment:$id'"), '1',
    '  once');
invariant_ok('at the end');

done_testing;
