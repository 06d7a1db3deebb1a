# tests/api/72_invariant.t — random concurrent trading while the matcher is killed (-9): nothing lost, nothing filled twice, money conserved
use strict;
use warnings;
use Test::More;
use JSON::PP;
use POSIX ();
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();

my $TRADERS = $ENV{HZM_INVARIANT_TRADERS} // 6;
my $ACTIONS = $ENV{HZM_INVARIANT_ACTIONS} // 300;	# per trader (rate limit 500/min)
my $KILLS = $ENV{HZM_INVARIANT_KILLS} // 4;
# symbol => [ mid price, price scale, quantity scale, tick step, lots from, lots to ]
my %MID = (BTCTRY => [ 185000000, 2, 8, 10000, 10000, 1010000 ],
    USDTTRY => [ 350000, 4, 2, 10, 100, 10000 ]);

ok(defined matcher_pid(), 'the matcher runs under its supervisor');
my @t = map { trader("inv$_", BTC => '10', USDT => '100000', TRY => '1000000') } 1 .. $TRADERS;
is(scalar @t, $TRADERS, "$TRADERS funded traders");

sub dec {
	my ($v, $sc) = @_;
	return fmt(Math::BigInt->new($v), $sc);
}

# One trader's random session; each answer goes to a file for the parent.
sub session {
	my ($tr, $seed, $out) = @_;
	srand($seed);
	open my $fh, '>', $out or die "$out: $!";
	my @open;
	for my $i (1 .. $ACTIONS) {
		if (@open && rand() < 0.15) {
			my $id = splice @open, int(rand @open), 1;
			my $r = cancel($tr->{token}, $id);
			print $fh "C $r->{status} " . ($r->{json}{error}{code}
			    // $r->{json}{data}{status} // '-') . " $id\n";
			next;
		}
		my $sym = rand() < 0.7 ? 'BTCTRY' : 'USDTTRY';
		my ($mid, $ps, $qs, $step, $lo, $hi) = @{ $MID{$sym} };
		my $side = rand() < 0.5 ? 'BUY' : 'SELL';
		my %o = (symbol => $sym, side => $side);
		my $k = rand();
		my $qty = dec($lo + int(rand($hi - $lo)), $qs);
		if ($k < 0.6) {
			%o = (%o, type => 'LIMIT', quantity => $qty,
			    price => dec($mid + (int(rand 41) - 20) * $step, $ps),
			    timeInForce => (qw(GTC GTC GTC IOC FOK))[int rand 5]);
		} elsif ($k < 0.8 || $side eq 'SELL') {
			%o = (%o, type => 'MARKET', quantity => $qty);
		} else {
			%o = (%o, type => 'MARKET', quoteOrderQty => dec(1000 + int(rand 500000), 2));
		}
		my $r = place($tr->{token}, \%o);
		my $d = $r->{json}{data} // {};
		my $code = $r->{json}{error}{code} // $d->{status} // '-';
		print $fh "P $r->{status} $code " . ($d->{orderId} // '-') . ' ' . ($d->{status} // '-') . "\n";
		push @open, $d->{orderId} if $r->{status} == 201 && ($d->{status} // '') =~ /^(NEW|PARTIALLY_FILLED)$/;
	}
	close $fh;
}

my $dir = "$ENV{HZM_VAR}/tmp/inv.$$";
mkdir $dir or die "$dir: $!";
my @kids;
for my $i (0 .. $#t) {
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		session($t[$i], 1000 + $i, "$dir/$i");
		POSIX::_exit(0);
	}
	push @kids, $pid;
}

# Kill the matcher at random moments while the traders trade.
my ($kills, @pids, %done) = (0);
my $t0 = time;
my $running = sub {
	for my $k (@kids) {
		$done{$k} = 1 if !$done{$k} && waitpid($k, POSIX::WNOHANG()) == $k;
	}
	return grep { !$done{$_} } @kids;
};
while ($kills < $KILLS && $running->() && time - $t0 < 120) {
	sleep(0.3 + rand 0.9);
	my $m = matcher_pid() or next;
	push @pids, $m;
	kill 'KILL', $m;
	$kills++;
	# Restarted by the supervisor (after a pause, as it died young or not).
	my ($w, $p) = (time, $m);
	while (time - $w < 10 && (!defined $p || $p == $m)) {
		sleep 0.1;
		$p = matcher_pid();
	}
}
waitpid $_, 0 for grep { !$done{$_} } @kids;
my $secs = time - $t0;
ok($kills >= ($KILLS > 1 ? 2 : $KILLS), "the matcher was killed $kills times while trading");
my $now = matcher_pid();
ok(defined $now && !grep({ $_ == $now } @pids), 'and restarted each time');

# What the traders were told.
my (%placed, %st, $lines);
for my $i (0 .. $#t) {
	open my $fh, '<', "$dir/$i" or die;
	while (<$fh>) {
		$lines++;
		my @f = split;
		if ($f[0] eq 'P') {
			$st{"$f[1] $f[2]"}++;
			$placed{ $f[3] } = $f[4] if $f[1] == 201;
		} else {
			$st{"cancel $f[1] $f[2]"}++;
		}
	}
}
diag(sprintf '%d actions in %.1f s (%.0f/s), %d matcher kills: %s', $lines, $secs,
    $lines / $secs, $kills,
    join(', ', map { "$_ x$st{$_}" } sort keys %st));
is($lines, $TRADERS * $ACTIONS, 'every action answered');
is(scalar(grep { /^5\d\d/ || /^0 / } keys %st), 0, 'no 5xx, no dropped request')
    or diag(explain(\%st));
ok(keys %placed > $TRADERS * $ACTIONS / 2, scalar(keys %placed) . ' orders accepted');

ok(wait_matcher(60), 'after the last restart the inbox drains');

# Nothing lost: every accepted order is in the database, and processed.
my $ids = join ',', map { "'$_'" } keys %placed;
is(psql("SELECT count(*) FROM orders WHERE public_id IN ($ids)"), scalar keys %placed,
    'every accepted order is stored');
is(psql("SELECT count(*) FROM orders WHERE public_id IN ($ids) AND book_seq IS NULL"), 0,
    'and every one reached the matcher');
is(psql("SELECT count(*) FROM orders WHERE public_id IN ($ids) AND type = 'MARKET'"
    . " AND status IN ('NEW', 'PARTIALLY_FILLED')"), 0, 'no market order is left open');
is(psql("SELECT count(*) FROM orders WHERE public_id IN ($ids) AND time_in_force <> 'GTC'"
    . " AND status IN ('NEW', 'PARTIALLY_FILLED')"), 0, 'no IOC or FOK order is left open');
is(psql("SELECT count(*) FROM orders WHERE public_id IN ($ids) AND time_in_force = 'FOK'"
    . " AND status = 'EXPIRED' AND executed_quantity > 0"), 0, 'FOK: all or nothing');

# Nothing filled twice: each order's progress is the sum of its trades.
my $trades_of = "(SELECT o.id, coalesce(sum(t.quantity), 0) q, coalesce(sum(t.quote_quantity), 0) c,"
    . " coalesce(sum(CASE WHEN t.maker_order_id = o.id THEN t.maker_fee ELSE t.taker_fee END), 0) f"
    . " FROM orders o LEFT JOIN trades t ON t.maker_order_id = o.id OR t.taker_order_id = o.id"
    . " WHERE o.public_id IN ($ids) GROUP BY o.id) s";
is(psql("SELECT count(*) FROM $trades_of JOIN orders o USING (id) WHERE o.executed_quantity <> s.q"
    . " OR o.cumulative_quote <> s.c OR o.fee_total <> s.f"), 0,
    "every order's executed quantity, quote and fees are its trades'");
is(psql("SELECT count(*) FROM (SELECT maker_order_id, taker_order_id FROM trades"
    . " GROUP BY 1, 2 HAVING count(*) > 1) d"), 0, 'no maker and taker met twice');
is(psql("SELECT count(*) FROM orders WHERE executed_quantity > quantity"), 0,
    'no order executed beyond its quantity');
is(psql("SELECT count(*) FROM orders WHERE status = 'FILLED' AND quantity IS NOT NULL"
    . " AND executed_quantity <> quantity"), 0, 'FILLED means all of it');
is(psql("SELECT count(*) FROM (SELECT ref FROM ledger WHERE kind = 'ORDER_UNLOCK'"
    . " GROUP BY ref HAVING count(*) > 1) d"), 0, 'no lock released twice');
is(psql("SELECT count(*) FROM (SELECT ref FROM ledger WHERE kind = 'TRADE'"
    . " GROUP BY ref HAVING count(*) <> 4) d"), 0, 'each trade settled once (four ledger rows)');
is(psql("SELECT count(*) FROM trades t WHERE NOT EXISTS (SELECT 1 FROM ledger l"
    . " WHERE l.ref = t.public_id)"), 0, 'every trade settled');
# Money in, money out: every order's lock = what it spent + what came back.
is(psql("SELECT count(*) FROM orders o WHERE o.public_id IN ($ids) AND o.locked_amount <>"
    . " o.lock_remaining + coalesce((SELECT sum(-l.delta_locked) FROM ledger l WHERE"
    . " l.user_id = o.user_id AND l.asset = o.lock_asset AND l.delta_locked < 0 AND"
    . " (l.ref = o.public_id OR l.ref IN (SELECT t.public_id FROM trades t WHERE"
    . " (t.maker_order_id = o.id AND t.maker_side = o.side) OR (t.taker_order_id = o.id"
    . " AND t.maker_side <> o.side)))), 0)"), 0,
    "every order's lock is spent on its fills or released, to the unit");
# The fee account holds exactly the fees of all trades (beside the fees
# of withdrawals paid out, crypto and TRY, whose refs say so).
is(psql("SELECT (SELECT coalesce(sum(delta_available), 0) FROM ledger l JOIN users u"
    . " ON u.id = l.user_id WHERE u.public_id = '$FEE_ID' AND coalesce(l.ref, '')"
    . " NOT LIKE 'withdrawal:%' AND coalesce(l.ref, '') NOT LIKE 'fiat:%')"
    . " = (SELECT coalesce(sum(maker_fee + taker_fee), 0) FROM trades)"), 't',
    'the fee account holds every fee');

# The books the matcher rebuilt: nothing crossed, and its snapshot is the database's.
for my $sym (sort keys %MID) {
	my ($bid, $ask) = split /\|/, psql("SELECT (SELECT max(price) FROM orders WHERE symbol = '$sym'"
	    . " AND side = 'BUY' AND status IN ('NEW', 'PARTIALLY_FILLED')), (SELECT min(price)"
	    . " FROM orders WHERE symbol = '$sym' AND side = 'SELL' AND status IN ('NEW',"
	    . " 'PARTIALLY_FILLED'))");
	ok(!length($bid) || !length($ask) || $bid < $ask, "$sym: the book does not cross ($bid < $ask)");
	my $depth = eval { decode_json(mc_get("depth:$sym") // '') };
	ok($depth, "$sym: the matcher published its depth");
	my ($ps, $qs) = @{ $MID{$sym} }[1, 2];
	my @db = map { [ split /\|/ ] } split /\n/, psql("SELECT round(price, $ps),"
	    . " round(sum(quantity - executed_quantity), $qs) FROM orders WHERE symbol = '$sym'"
	    . " AND side = 'SELL' AND status IN ('NEW', 'PARTIALLY_FILLED') GROUP BY price"
	    . " ORDER BY price LIMIT 100");
	is_deeply($depth->{asks}, \@db, "$sym: the published asks are the stored open sells");
}

invariant_ok('after trading through matcher crashes');
# Leave the books as they were for the tests after this one.
cancel_open($_->{token}) for @t;
ok(wait_matcher(), 'the traders\' orders are cancelled');
invariant_ok('after the clean-up');
system('rm', '-rf', $dir);
done_testing;
