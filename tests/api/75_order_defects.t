# tests/api/75_order_defects.t — orders while the database stalls (the answer is what was committed); the price band; minimums of market orders
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

# ---- the price band ----------------------------------------------------------------
# A market's band (markets.price_band_pct, 10% here) around its reference,
# the last trade price: a limit order outside it is refused, and a market
# order fills only within it. One tiny trade cannot move the price far.
sub band_of {
	my ($price) = @_;
	my $c = units($price, 2);
	return (fmt(($c * 900000 + 999999) / 1000000, 2), fmt($c * 1100000 / 1000000, 2));
}

sub wallet_value {
	my ($tok) = @_;
	return api(GET => '/api/v1/wallets/balances', bearer($tok))->{json}{meta}{totalValueInTRY};
}

my $X = market_price('BTCTRY', '1850000.00');
my ($lo, $hi) = band_of($X);
my $self = trader('selftrade', BTC => '1', TRY => '100000');
my $value = wallet_value($self->{token});
{
	my $r = place($self->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => '100.00', quantity => '0.10000000' });
	error_ok($r, 400, 'TRADE_003', 'a sell at 100.00 when the market is at ' . $X);
	is_deeply($r->{json}{error}{details}, { field => 'price', minPrice => $lo, maxPrice => $hi,
	    reason => $r->{json}{error}{details}{reason} }, 'details: the band, minPrice to maxPrice')
	    or diag(explain($r->{json}{error}));
	like($r->{json}{error}{details}{reason} // '', qr/band/, 'and why');
	# The band guards the side a price trades towards: a bid far below
	# the market only rests (and an IOC one expires at once).
	$r = place($self->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
	    price => '100.00', quantity => '0.10000000', timeInForce => 'IOC' });
	is($r->{status}, 201, 'a buy at 100.00 (IOC) is taken') or diag($r->{body});
	is($r->{json}{data}{status}, 'EXPIRED', '  and expires: nothing to buy there');
	$r = place($self->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
	    price => '100.00', quantity => '0.10000000' });
	is($r->{status}, 201, 'a GTC buy at 100.00 rests') or diag($r->{body});
	is($r->{json}{data}{status}, 'NEW', '  NEW');
	is(cancel($self->{token}, $r->{json}{data}{orderId})->{json}{data}{status}, 'CANCELED', '  and cancels');
	$r = place($self->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => fmt(units($hi, 2) * 3, 2), quantity => '0.00001000' });
	is($r->{status}, 201, 'a sell at three times maxPrice rests') or diag($r->{body});
	cancel_open($self->{token});
	$r = place($self->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
	    price => fmt(units($hi, 2) + 1, 2), quantity => '0.00001000' });
	error_ok($r, 400, 'TRADE_003', 'a buy a cent above maxPrice');
	$r = place($self->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => fmt(units($lo, 2) - 1, 2), quantity => '0.00001000' });
	error_ok($r, 400, 'TRADE_003', 'a sell a cent below minPrice');
	is(balances($self->{token})->{BTC}{locked}, '0.00000000', 'refused orders lock nothing');
	is(psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
	    . " WHERE u.public_id = '$self->{userId}' AND o.status = 'REJECTED'"), 0, 'and are not stored');
	# The edges themselves are in the band.
	$r = place($self->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => $hi, quantity => '0.00001000' });
	is($r->{status}, 201, 'a sell at maxPrice rests') or diag($r->{body});
	$r = place($self->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
	    price => $lo, quantity => '0.00001000' });
	is($r->{status}, 201, 'a buy at minPrice rests') or diag($r->{body});
	cancel_open($self->{token});
	is(market_price('BTCTRY'), $X, 'the last price has not moved');
	is(wallet_value($self->{token}), $value, 'nor what the wallet is worth');
}

# With an idempotency key the order goes to the matcher's socket too:
# refused the same way, nothing stored, and a repeat replays the refusal.
{
	my $body = { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => '100.00', quantity => '0.10000000', timeInForce => 'IOC' };
	my $key = "band-$$";
	my $r = place($self->{token}, $body, { 'X-Idempotency-Key' => $key });
	error_ok($r, 400, 'TRADE_003', 'with an idempotency key: refused as well');
	my $d = $r->{json}{error}{details} // {};
	is_deeply([ @{$d}{qw(field minPrice maxPrice)} ], [ 'price', $lo, $hi ],
	    'with the band') or diag(explain($d));
	ok(!defined $d->{orderId}, 'and no order stored');
	my $again = place($self->{token}, $body, { 'X-Idempotency-Key' => $key });
	is($again->{body}, $r->{body}, 'a repeat with the key replays the refusal');
	is($again->{headers}{'idempotent-replayed'}, 'true', '  marked as replayed');
}

# Through the inbox (the matcher did not answer on its socket in time):
# the matcher rejects the order when it applies it, and the answer is
# the same refusal, naming the order it stored.
{
	my $body = { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => '100.00', quantity => '0.10000000', timeInForce => 'IOC' };
	my $r = via_inbox(sub { place($self->{token}, $body) });
	error_ok($r, 400, 'TRADE_003', 'through the inbox: refused as well');
	my $d = $r->{json}{error}{details} // {};
	is_deeply([ @{$d}{qw(field minPrice maxPrice status)} ], [ 'price', $lo, $hi, 'REJECTED' ],
	    'with the band, and the order is REJECTED') or diag(explain($d));
	like($d->{orderId} // '', qr/^ord_[a-z2-7]{20}$/, 'naming the order it stored');
	my $g = api(GET => "/api/v1/orders/" . ($d->{orderId} // 'none'), bearer($self->{token}));
	is($g->{json}{data}{status}, 'REJECTED', 'which reads back REJECTED');
	is(balances($self->{token})->{BTC}{locked}, '0.00000000', 'its lock released');
}

# A market buy walks the book no further than the band: an ask beyond it
# (placed when the price was higher) is not taken; the rest expires.
{
	my $m = trader('bandmaker', BTC => '1', TRY => '1000000');
	my $s = trader('bandseller', BTC => '1');
	my $t = trader('bandtaker', TRY => '1000000');
	my $far = price_at($X, 9);
	my $r = place($m->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => $far, quantity => '0.00100000' });
	is($r->{status}, 201, "an ask at $far, in the band") or diag($r->{body});
	my $far_id = $r->{json}{data}{orderId};
	# A trade 5% lower moves the band down: that ask is now beyond it.
	my $down = price_at($X, -5);
	place($m->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', price => $down,
	    quantity => '0.00100000' });
	$r = place($s->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'MARKET',
	    quantity => '0.00100000' });
	is($r->{json}{data}{status}, 'FILLED', "a trade at $down") or diag($r->{body});
	my ($lo2, $hi2) = band_of($down);
	ok(units($far, 2) > units($hi2, 2), "the band is now up to $hi2, under the ask at $far");
	my $near = price_at($X, -4);
	place($m->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT', price => $near,
	    quantity => '0.00100000' });
	$r = place($t->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET',
	    quantity => '0.00200000' });
	is($r->{status}, 201, 'a market buy of both asks') or diag($r->{body});
	my $d = $r->{json}{data} // {};
	is($d->{status}, 'EXPIRED', 'expires at the band');
	is($d->{executedQuantity}, '0.00100000', 'having taken the ask within it');
	is_deeply([ map { $_->{price} } @{ $d->{fills} // [] } ], [$near], 'at its price only');
	is(api(GET => "/api/v1/orders/$far_id", bearer($m->{token}))->{json}{data}{status}, 'NEW',
	    'the ask beyond the band still rests');
	is(balances($t->{token})->{TRY}{locked}, '0.00', "the buyer's unused lock is released");
	cancel_open($m->{token});
}

# ---- the minimums of market orders --------------------------------------------------
# A market order is held to the market's minimum notional (by quantity) or
# minimum quantity (a buy by quote amount) at the prices it would execute
# at, as a limit order is at its price.
{
	my $E = market_price('ETHTRY', '100000.00');
	my $m = trader('minmaker', ETH => '1', TRY => '1000000');
	my $s = trader('minseller', ETH => '1');
	my $b = trader('minbuyer', TRY => '100000');
	my $bidp = price_at($E, -5);
	my $askp = price_at($E, -2);
	ok(units($askp, 2) < 10000000, "0.0001 ETH at $bidp or $askp is under 10.00 TRY");
	place($m->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT', price => $bidp,
	    quantity => '0.01000000' });
	place($m->{token}, { symbol => 'ETHTRY', side => 'SELL', type => 'LIMIT', price => $askp,
	    quantity => '0.01000000' });
	my $r = place($s->{token}, { symbol => 'ETHTRY', side => 'SELL', type => 'LIMIT',
	    price => $bidp, quantity => '0.00010000', timeInForce => 'IOC' });
	error_ok($r, 400, 'TRADE_002', 'a limit IOC sell of 0.0001 ETH into the bid');
	$r = place($s->{token}, { symbol => 'ETHTRY', side => 'SELL', type => 'MARKET',
	    quantity => '0.00010000' });
	error_ok($r, 400, 'TRADE_002', 'the same as a market sell');
	is_deeply($r->{json}{error}{details}, { field => 'quantity', minNotional => '10.00',
	    reason => $r->{json}{error}{details}{reason} }, 'details: the minimum notional')
	    or diag(explain($r->{json}{error}));
	$r = place($b->{token}, { symbol => 'ETHTRY', side => 'BUY', type => 'MARKET',
	    quantity => '0.00010000' });
	error_ok($r, 400, 'TRADE_002', 'a market buy of 0.0001 ETH from the ask');
	is($r->{json}{error}{details}{minNotional}, '10.00', 'below the minimum notional');
	is(psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE"
	    . " u.public_id IN ('$s->{userId}', '$b->{userId}')"), 0, 'nothing stored');
	is(balances($s->{token})->{ETH}{locked}, '0.00000000', 'nothing locked');

	# With an idempotency key: the same refusal, replayed.
	$r = place($s->{token}, { symbol => 'ETHTRY', side => 'SELL', type => 'MARKET',
	    quantity => '0.00010000' }, { 'X-Idempotency-Key' => "min-$$" });
	error_ok($r, 400, 'TRADE_002', 'with an idempotency key: refused as well');
	is(place($s->{token}, { symbol => 'ETHTRY', side => 'SELL', type => 'MARKET',
	    quantity => '0.00010000' }, { 'X-Idempotency-Key' => "min-$$" })->{body}, $r->{body},
	    '  and the refusal replayed');

	# Through the inbox: REJECTED by the matcher, answered the same.
	$r = via_inbox(sub { place($s->{token}, { symbol => 'ETHTRY', side => 'SELL',
	    type => 'MARKET', quantity => '0.00010000' }) });
	error_ok($r, 400, 'TRADE_002', 'through the inbox: refused as well');
	my $d = $r->{json}{error}{details} // {};
	is_deeply([ @{$d}{qw(minNotional status)} ], [ '10.00', 'REJECTED' ],
	    'the order is stored REJECTED') or diag(explain($d));
	is(balances($s->{token})->{ETH}{locked}, '0.00000000', 'its lock released');

	$r = place($s->{token}, { symbol => 'ETHTRY', side => 'SELL', type => 'MARKET',
	    quantity => '0.00020000' });
	is($r->{status}, 201, 'a market sell of 0.0002 ETH is enough') or diag($r->{body});
	is($r->{json}{data}{status}, 'FILLED', 'and fills');
	cancel_open($m->{token});
	$r = place($s->{token}, { symbol => 'ETHTRY', side => 'SELL', type => 'MARKET',
	    quantity => '0.00010000' });
	is($r->{json}{data}{status}, 'EXPIRED',
	    'with no bid to execute at, it is not refused: it expires') or diag($r->{body});

	# A market buy by quote amount buys at least the minimum quantity.
	my $X2 = market_price('BTCTRY', '1850000.00');
	my $bm = trader('minbtcmaker', BTC => '1');
	place($bm->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => price_at($X2, 1), quantity => '0.00100000' });
	$r = place($b->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET',
	    quoteOrderQty => '10.00' });
	error_ok($r, 400, 'TRADE_002', 'a market buy for 10.00 TRY of BTC at ' . price_at($X2, 1));
	is_deeply($r->{json}{error}{details}, { field => 'quoteOrderQty', minQuantity => '0.00001000',
	    reason => $r->{json}{error}{details}{reason} }, 'buys less than the minimum quantity')
	    or diag(explain($r->{json}{error}));
	error_ok(place($b->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET',
	    quoteOrderQty => '9.99' }), 400, 'TRADE_002', 'for 9.99 TRY: below the minimum notional');
	$r = place($b->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET',
	    quoteOrderQty => '100.00' });
	is($r->{json}{data}{status}, 'FILLED', 'for 100.00 TRY it fills') or diag($r->{body});
	is(balances($b->{token})->{TRY}{locked}, '0.00', 'the buyer has nothing left locked');
	cancel_open($bm->{token});
}

# The band is the market's own: NULL turns it off (the matcher reads it
# when it starts).
{
	my $restart = sub {
		my $old = matcher_pid();
		kill 'TERM', $old;
		my $t0 = time;
		my $new;
		while (time - $t0 < 15) {
			$new = matcher_pid();
			last if defined $new && $new != $old
			    && -S "$ENV{HZM_VAR}/run/matcher/BTCTRY";
			sleep 0.1;
		}
		sleep 0.3;
		return defined $new && $new != $old;
	};
	psql("UPDATE markets SET price_band_pct = NULL WHERE symbol = 'BTCTRY'");
	ok($restart->(), 'the matcher restarted');
	my $r = place($self->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => price_at(market_price('BTCTRY'), -50), quantity => '0.00002000', timeInForce => 'IOC' });
	is($r->{status}, 201, 'without a band, a sell 50% below the market is taken') or diag($r->{body});
	cancel_open($self->{token});
	psql("UPDATE markets SET price_band_pct = 10 WHERE symbol = 'BTCTRY'");
	ok($restart->(), 'the matcher restarted with the band back');
	$r = place($self->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    price => price_at(market_price('BTCTRY'), -50), quantity => '0.00002000', timeInForce => 'IOC' });
	error_ok($r, 400, 'TRADE_003', 'and it is refused again');
}

ok(wait_matcher(), 'the inbox drains');
invariant_ok('after the band');
done_testing;
