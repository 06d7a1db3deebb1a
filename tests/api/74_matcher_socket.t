# tests/api/74_matcher_socket.t — orders and cancels handed to the matcher's socket: the answer is the stored order; duplicates, a frozen matcher, strangers on the socket, the pace it logs when asked
use strict;
use warnings;
use Test::More;
use IO::Socket::UNIX;
use JSON::PP;
use POSIX ();
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();
ok(wait_matcher(), 'the matcher has an empty inbox');
my $S = trader('sock-s', ETH => '50', TRY => '5000000');
my $B = trader('sock-b', TRY => '5000000');

# What POST /orders answered is what GET /orders/{id} reads from the database,
# field for field: the matcher renders it, the handler reads it back.
sub same_as_stored {
	my ($tok, $r, $name) = @_;
	is($r->{status}, 201, "$name: 201") or diag($r->{body});
	my $d = $r->{json}{data} // {};
	my $g = api(GET => "/api/v1/orders/$d->{orderId}", bearer($tok));
	is_deeply($d, $g->{json}{data}, "$name: the answer is the stored order")
	    or diag(explain([ $d, $g->{json}{data} ]));
	return $d;
}

# Asks at two prices near the market's (its price band allows no other),
# then orders of every shape against them.
my $P = market_price('ETHTRY', '90000.00');
my $ask1 = fmt(units($P, 2) + 100, 2);
my $ask2 = fmt(units($P, 2) + 333, 2);
my $low = price_at($P, -5);		# a bid no ask comes near
same_as_stored($S->{token}, place($S->{token}, { symbol => 'ETHTRY', side => 'SELL',
    type => 'LIMIT', price => $ask1, quantity => '0.30000000' }), 'ask 1');
same_as_stored($S->{token}, place($S->{token}, { symbol => 'ETHTRY', side => 'SELL',
    type => 'LIMIT', price => $ask2, quantity => '0.20000000', clientOrderId => 'NULL' }),
    'ask 2, clientOrderId "NULL"');
my $o = same_as_stored($B->{token}, place($B->{token}, { symbol => 'ETHTRY', side => 'BUY',
    type => 'MARKET', quantity => '0.40000000' }), 'market buy across two levels');
is($o->{status}, 'FILLED', 'market buy: FILLED');
ok(@{ $o->{fills} } >= 2, 'market buy: a fill per level');
$o = same_as_stored($B->{token}, place($B->{token}, { symbol => 'ETHTRY', side => 'BUY',
    type => 'MARKET', quoteOrderQty => '1234.56' }), 'market buy by quote amount');
ok(defined $o->{quoteOrderQty} && !defined $o->{quantity}, 'by quote amount: no quantity');
$o = same_as_stored($B->{token}, place($B->{token}, { symbol => 'ETHTRY', side => 'BUY',
    type => 'LIMIT', price => $ask2, quantity => '0.50000000', timeInForce => 'GTC' }),
    'limit buy that takes what is left and rests');
is($o->{status}, 'PARTIALLY_FILLED', 'it rests PARTIALLY_FILLED');
same_as_stored($B->{token}, place($B->{token}, { symbol => 'ETHTRY', side => 'BUY',
    type => 'LIMIT', price => $low, quantity => '0.50000000', timeInForce => 'IOC' }),
    'IOC with nothing to take');
same_as_stored($S->{token}, place($S->{token}, { symbol => 'ETHTRY', side => 'SELL',
    type => 'MARKET', quantity => '0.01000000', timeInForce => 'FOK' }),
    'FOK sell into the resting buy');
cancel_open($B->{token});
cancel_open($S->{token});
invariant_ok('after the socket orders');

# The balance check is the matcher's: the POOR answer carries spec §2.3's details.
my $poor = trader('sock-poor', TRY => '100');
my $r = place($poor->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT',
    price => $low, quantity => '0.01000000' });
error_ok($r, 400, 'INSUFFICIENT_BALANCE', 'a lock the balance does not cover');
is_deeply($r->{json}{error}{details}, { required => fmt(buy_lock($low, '0.01000000'), 2),
    available => '100.00', currency => 'TRY' }, 'with what it needs and what there is');

# One clientOrderId, two orders at the same moment: the batch takes one.
my @kids;
my $cid = "twice-$$";
my $dir = "$ENV{HZM_VAR}/tmp/dup.$$";
mkdir $dir or die "$dir: $!";
for my $k (1 .. 2) {
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		my $x = place($B->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT',
		    price => $low, quantity => '0.10000000', clientOrderId => $cid });
		open my $fh, '>', "$dir/$k" or POSIX::_exit(1);
		print $fh "$x->{status} " . ($x->{json}{error}{code} // $x->{json}{data}{status}) . "\n";
		close $fh;
		POSIX::_exit(0);
	}
	push @kids, $pid;
}
waitpid $_, 0 for @kids;
my @got = sort map { open my $fh, '<', "$dir/$_" or die; my $l = <$fh>; chomp $l; $l } 1 .. 2;
is_deeply(\@got, [ '201 NEW', '409 CONFLICT' ], 'one clientOrderId, two at once: one order, one 409');
is(psql("SELECT count(*) FROM orders WHERE client_order_id = '$cid'"), 1, 'stored once');
cancel_open($B->{token});

# A stranger on the socket is hung up on; the matcher goes on serving.
my $path = "$ENV{HZM_VAR}/run/matcher/ETHTRY";
my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path);
ok($s, 'the ETHTRY socket takes connections') or diag("$path: $!");
if ($s) {
	print $s "hello matcher\n";
	$s->flush;
	my $line;
	my $t0 = time;
	eval {
		local $SIG{ALRM} = sub { die "timeout\n" };
		alarm 5;
		$line = <$s>;
		alarm 0;
	};
	ok(!defined $line && time - $t0 < 5, 'a line that is no order: the connection is closed');
	close $s;
}
$r = place($B->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT',
    price => $low, quantity => '0.10000000' });
is($r->{status}, 201, 'and orders still go in') or diag($r->{body});
cancel_open($B->{token});

# Cancels go to the socket too: the matcher cancels in its next batch and
# the answer comes once that is committed, with no inbox command.
my $try0 = balance($B->{token}, 'TRY', 'available');
$r = place($B->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT',
    price => $low, quantity => '0.10000000' });
my $rest = $r->{json}{data}{orderId};
ok(balance($B->{token}, 'TRY', 'available') < $try0, 'a resting buy locks TRY');
my $c = cancel($B->{token}, $rest);
is($c->{status}, 200, 'cancelled on the socket: 200') or diag($c->{body});
is($c->{json}{data}{status}, 'CANCELED', 'CANCELED, in the answer');
is(api(GET => "/api/v1/orders/$rest", bearer($B->{token}))->{json}{data}{status},
    'CANCELED', 'and as stored');
is(psql("SELECT cancel_requested_at IS NULL FROM orders WHERE public_id = '$rest'"), 't',
    'no inbox command was written for it');
is(psql("SELECT count(*) FROM ledger WHERE ref = '$rest' AND kind = 'ORDER_UNLOCK'"), 1,
    'its funds were released once');
is(balance($B->{token}, 'TRY', 'available'), $try0, 'all of them');
$c = cancel($B->{token}, $rest);
error_ok($c, 400, 'TRADE_007', 'cancelled again: no longer open');
is($c->{json}{error}{details}{status}, 'CANCELED', 'saying how it ended');

# Someone else's order is not found, on the API and on the socket itself.
$r = place($B->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT',
    price => $low, quantity => '0.10000000' });
$rest = $r->{json}{data}{orderId};
error_ok(cancel($S->{token}, $rest), 400, 'TRADE_006', "another user's order");
my $rest_id = psql("SELECT id FROM orders WHERE public_id = '$rest'");
my $s_id = psql("SELECT id FROM users WHERE public_id = '$S->{userId}'");
$s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path);
if ($s) {
	my $line;
	print $s "CANCEL $rest_id $s_id\n";
	$s->flush;
	eval {
		local $SIG{ALRM} = sub { die "timeout\n" };
		alarm 5;
		$line = <$s>;
		alarm 0;
	};
	is($line, "RETRY\n", 'a cancel on the socket in the wrong name: RETRY');
	close $s;
} else {
	fail('the ETHTRY socket takes connections');
}
is(psql("SELECT status FROM orders WHERE public_id = '$rest'"), 'NEW', 'and the order stands');
is(cancel($B->{token}, $rest)->{status}, 200, 'its owner cancels it');

# A stop order not yet triggered is the matcher's too.
my $stop = fmt(units($P, 2) + 5000, 2);
$r = place($B->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'STOP_LIMIT',
    stopPrice => $stop, price => $stop, quantity => '0.01000000' });
is($r->{status}, 201, 'a STOP_LIMIT buy above the market') or diag($r->{body});
$c = cancel($B->{token}, $r->{json}{data}{orderId});
is($c->{status}, 200, 'cancelled before its trigger: 200') or diag($c->{body});
is($c->{json}{data}{status}, 'CANCELED', 'CANCELED');
is(balance($B->{token}, 'TRY', 'available'), $try0, 'its lock released');
invariant_ok('after the socket cancels');

# A frozen matcher: the order goes in through the inbox after the socket's
# wait, once; the matcher, thawed, takes it from there and not again.
my $m = matcher_pid();
ok($m, 'the matcher runs');
kill 'STOP', $m;
my $t0 = time;
$r = place($B->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT',
    price => price_at($P, -4), quantity => '0.10000000' });
my $took = time - $t0;
kill 'CONT', $m;
is($r->{status}, 201, 'with the matcher frozen the order is accepted') or diag($r->{body});
is($r->{json}{data}{status}, 'NEW', 'as NEW');
ok($took < 10, sprintf('in %.1f s', $took));
my $id = $r->{json}{data}{orderId};
ok(wait_matcher(), 'thawed, the matcher empties its inbox');
is(psql("SELECT count(*) FROM orders WHERE public_id = '$id'"), 1, 'the order exists once');
is(psql("SELECT count(*) FROM ledger WHERE ref = '$id' AND kind = 'ORDER_LOCK'"), 1,
    'its funds were locked once');
ok(psql("SELECT book_seq IS NOT NULL FROM orders WHERE public_id = '$id'") eq 't',
    'and it is in the book');
is(matcher_pid(), $m, 'the same matcher, not a restart');

# Frozen again, a cancel waits for the socket, then asks the inbox: 202,
# and the thawed matcher cancels the order once.
kill 'STOP', $m;
$t0 = time;
$c = cancel($B->{token}, $id);
$took = time - $t0;
kill 'CONT', $m;
is($c->{status}, 202, 'with the matcher frozen the cancel is accepted: 202') or diag($c->{body});
ok($c->{json}{data}{cancelRequested}, 'cancelRequested');
ok($took < 15, sprintf('in %.1f s', $took));
ok(wait_matcher(), 'thawed, the matcher empties its inbox');
is(api(GET => "/api/v1/orders/$id", bearer($B->{token}))->{json}{data}{status},
    'CANCELED', 'the order is cancelled');
is(psql("SELECT count(*) FROM ledger WHERE ref = '$id' AND kind = 'ORDER_UNLOCK'"), 1,
    'its funds released once');
cancel_open($B->{token});
invariant_ok('after the frozen matcher');

# The matcher logs its pace every 10 s while it works, and at once on
# SIGUSR1: its batches, and how long its socket's requests took from
# their line read to their answer.
my $log = "$ENV{HZM_VAR}/log/hzm.log";
kill 'USR1', matcher_pid();
sleep 0.5;
my $mark = -s $log;
my @spell = map {
	place($B->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT',
	    price => price_at($P, -4), quantity => '0.01000000' })->{status}
} 1 .. 5;
is_deeply(\@spell, [ (201) x 5 ], 'five orders');
kill 'USR1', matcher_pid();
sleep 0.5;
my @pace;
if (open my $fh, '<', $log) {
	seek $fh, $mark, 0;
	while (my $line = <$fh>) {
		my $j = eval { decode_json($line) } or next;
		push @pace, $j->{msg} if ($j->{program} // '') eq 'matcher'
		    && ($j->{msg} // '') =~ /socket requests answered/;
	}
}
is(scalar @pace, 1, 'asked, the matcher logged its pace') or diag("after byte $mark: @pace");
my ($nsock, $sane) = (0, 0);
for (@pace) {
	my ($n, $p50, $p99) =
	    /\((\d+) from the socket\).*answered in p50 ([\d.]+) ms, p99 ([\d.]+) ms/;
	next unless defined $p99;
	$nsock += $n;
	$sane++ if $p50 > 0 && $p50 <= $p99;
	note($_);
}
# (A bot's cycle, whose orders take the socket too, may fall in between.)
cmp_ok($nsock, '>=', 5, 'the five socket orders counted');
is($sane, 1, 'with the p50 and p99 of their answers');
cancel_open($B->{token});
invariant_ok('after the spell');

done_testing();
