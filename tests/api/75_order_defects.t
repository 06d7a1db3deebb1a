# tests/api/75_order_defects.t — orders while the database stalls: the answer is what was committed, never a 500 for a live order
use strict;
use warnings;
use Test::More;
use POSIX ();
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();
ok(wait_matcher(), 'the matcher has an empty inbox');

# A psql session of our own that holds row locks until told to let go.
sub hold {
	my ($sql) = @_;
	local $ENV{PGAPPNAME} = 'hzm-test-hold';
	open my $ps, '|-', 'psql', '-X', '-q', '-o', '/dev/null', '-U', 'hzm', '-d', 'hzm',
	    '-h', "$ENV{HZM_VAR}/run/pg" or die "psql: $!";
	my $old = select $ps;
	$| = 1;
	select $old;
	print $ps "BEGIN;\n$sql;\n";
	for (1 .. 100) {
		last if psql("SELECT count(*) FROM pg_stat_activity WHERE application_name"
		    . " = 'hzm-test-hold' AND state = 'idle in transaction'") eq '1';
		sleep 0.05;
	}
	return $ps;
}

sub release {
	my ($ps) = @_;
	print $ps "COMMIT;\n\\q\n";
	close $ps;
}

# A request in a child process: its answer, once it comes, as a hash.
sub in_background {
	my ($code) = @_;
	my $f = "$ENV{HZM_VAR}/tmp/bg.$$." . int(rand 1e9);
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		my $r = $code->();
		open my $fh, '>', $f or POSIX::_exit(1);
		print $fh JSON::PP->new->encode({ status => $r->{status}, body => $r->{body},
		    retry => $r->{headers}{'retry-after'} });
		close $fh;
		POSIX::_exit(0);
	}
	return sub {
		waitpid $pid, 0;
		open my $fh, '<', $f or return { status => 0 };
		local $/;
		my $r = JSON::PP->new->decode(<$fh>);
		close $fh;
		unlink $f;
		$r->{json} = eval { JSON::PP->new->decode($r->{body}) };
		return $r;
	};
}

# Backends waiting for a lock while placing an order through the inbox.
sub waiting_placers {
	return psql("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
	    . " AND query LIKE '%INSERT INTO order_inbox%'");
}

sub wait_for {
	my ($cond, $secs) = @_;
	my $t0 = time;
	while (time - $t0 < $secs) {
		return 1 if $cond->();
		sleep 0.1;
	}
	return 0;
}

# What the API answered agrees with what the database holds: a 201 is the
# stored order, once, its funds locked once; a 503 left nothing behind.
sub committed_ok {
	my ($tr, $r, $asset, $name) = @_;
	my $n = psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
	    . " WHERE u.public_id = '$tr->{userId}'");
	ok($r->{status} == 201 || $r->{status} == 503, "$name: 201 or 503, never a 500")
	    or diag("$r->{status} $r->{body}");
	if ($r->{status} == 201) {
		my $d = $r->{json}{data};
		is($n, 1, "$name: one order stored");
		my $g = api(GET => "/api/v1/orders/$d->{orderId}", bearer($tr->{token}));
		is($g->{status}, 200, "$name: GET finds it");
		is(psql("SELECT count(*) FROM ledger WHERE ref = '$d->{orderId}'"
		    . " AND kind = 'ORDER_LOCK'"), 1, "$name: its funds were locked once");
		return $d;
	}
	is($n, 0, "$name: 503 and no order stored");
	is($r->{json}{error}{code}, 'SYSTEM_002', "$name: SYSTEM_002");
	ok(defined $r->{retry}, "$name: with Retry-After");
	is(balances($tr->{token})->{$asset}{locked} + 0, 0, "$name: nothing locked");
	return undef;
}

my $tick = api(GET => '/api/v1/public/ticker/BTCTRY')->{json}{data} // {};
my $ref = $tick->{lastPrice} // $tick->{bidPrice} // $tick->{askPrice} // '1850000.00';
# A buy that rests: a little under the market.
my $bid = sprintf '%.2f', int($ref * 0.97);

# ---- a balance row locked for 7 s while an order comes in ---------------------------
{
	my $tr = trader('stall', TRY => '100000');
	my $h = hold("SELECT 1 FROM balances WHERE user_id = (SELECT id FROM users WHERE"
	    . " public_id = '$tr->{userId}') AND asset = 'TRY' FOR UPDATE");
	my $t0 = time;
	my $bg = in_background(sub { place($tr->{token}, { symbol => 'BTCTRY', side => 'BUY',
	    type => 'LIMIT', price => $bid, quantity => '0.00100000' }) });
	sleep 7;
	release($h);
	my $r = $bg->();
	diag(sprintf 'answered %d in %.1f s', $r->{status}, time - $t0);
	my $d = committed_ok($tr, $r, 'TRY', 'stalled balance');
	ok(wait_matcher(), 'the inbox drains');
	if ($d) {
		my $g = api(GET => "/api/v1/orders/$d->{orderId}", bearer($tr->{token}));
		is($g->{json}{data}{status}, 'NEW', 'the order rests');
		is(balances($tr->{token})->{TRY}{locked}, $g->{json}{data}{status} eq 'NEW' ?
		    psql("SELECT round(lock_remaining, 2) FROM orders WHERE public_id = '$d->{orderId}'")
		    : '0.00', 'the balance holds its lock and no other');
	}
	cancel_open($tr->{token});
}

# ---- the same, and the fallback's connection dies while it waits -------------------
{
	my $tr = trader('stallkill', TRY => '100000');
	my $h = hold("SELECT 1 FROM balances WHERE user_id = (SELECT id FROM users WHERE"
	    . " public_id = '$tr->{userId}') AND asset = 'TRY' FOR UPDATE");
	my $bg = in_background(sub { place($tr->{token}, { symbol => 'BTCTRY', side => 'BUY',
	    type => 'LIMIT', price => $bid, quantity => '0.00100000' }) });
	ok(wait_for(sub { waiting_placers() eq '1' }, 15), 'the fallback waits for the balance');
	psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type"
	    . " = 'Lock' AND query LIKE '%INSERT INTO order_inbox%'");
	sleep 0.5;
	release($h);
	my $r = $bg->();
	committed_ok($tr, $r, 'TRY', 'connection lost while placing');
	ok(wait_matcher(), 'the inbox drains');
	cancel_open($tr->{token});
}

# ---- the matcher commits late: a maker's balance is locked under its batch ----------
{
	my $mk = trader('latemaker', BTC => '1');
	my $tk = trader('latetaker', TRY => '100000');
	my $ask = sprintf '%.2f', int($ref * 1.001);
	my $r = place($mk->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => $ask, quantity => '0.00100000' });
	is($r->{status}, 201, 'a resting ask') or diag($r->{body});
	my $h = hold("SELECT 1 FROM balances WHERE user_id = (SELECT id FROM users WHERE"
	    . " public_id = '$mk->{userId}') FOR UPDATE");
	my $bg = in_background(sub { place($tk->{token}, { symbol => 'BTCTRY', side => 'BUY',
	    type => 'LIMIT', price => $ask, quantity => '0.00100000', timeInForce => 'IOC' }) });
	sleep 7;
	release($h);
	$r = $bg->();
	my $d = committed_ok($tk, $r, 'TRY', 'late commit');
	is($d && $d->{status}, 'FILLED', 'the buy is answered FILLED') if $d;
	ok(wait_matcher(), 'the inbox drains');
	is(psql("SELECT count(*) FROM trades t JOIN users u ON u.id = t.taker_user_id"
	    . " WHERE u.public_id = '$tk->{userId}'"), $d ? 1 : 0, 'one trade, not two');
	cancel_open($mk->{token});
}

ok(wait_matcher(), 'the inbox drains');
invariant_ok('after the stalls');
done_testing;
