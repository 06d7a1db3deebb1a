# tests/api/75_stop_orders.t — STOP_LOSS and STOP_LIMIT: funds locked when placed, triggered by other users' trades in the same batch, a cascade, cancels before and after the trigger, a restart after kill -9; self-trade prevention in each mode; bad inputs
use strict;
use warnings;
use Test::More;
use Math::BigInt;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();
ok(wait_matcher(), 'the matcher has an empty inbox');

# BTCTRY, priced from where the other trading tests left it.
my $M = trader('stop-maker', TRY => '100000.00');
my $T = trader('stop-taker', BTC => '0.01000000');
my $S = trader('stop-owner', BTC => '0.00300000', TRY => '20000.00');
my $U = trader('stop-self', BTC => '0.01000000', TRY => '50000.00');
my $Q = '0.00100000';

sub get {
	my ($who, $id) = @_;
	return api(GET => "/api/v1/orders/$id", bearer($who->{token}))->{json}{data} // {};
}

sub order {
	my ($who, %o) = @_;
	my $r = place($who->{token}, { symbol => 'BTCTRY', %o });
	is($r->{status}, 201, "$o{type} $o{side} placed") or diag($r->{body});
	return $r->{json}{data} // {};
}

sub last_trade_id { psql('SELECT coalesce(max(id), 0) FROM trades') }

# The takers of BTCTRY's trades after trade id $from, in trade order.
sub takers_since {
	my ($from) = @_;
	return psql("SELECT string_agg(o.public_id, ',' ORDER BY t.id) FROM trades t"
	    . " JOIN orders o ON o.id = t.taker_order_id WHERE t.id > $from"
	    . " AND t.symbol = 'BTCTRY'");
}

my $P = market_price('BTCTRY', '1850000.00');
my $tk = api(GET => '/api/v1/public/ticker/BTCTRY')->{json}{data} // {};
diag("BTCTRY at $P; best bid " . ($tk->{bidPrice} // 'none') . ', best ask ' . ($tk->{askPrice} // 'none'));

# ---- placed: NEW, not working, its funds locked ------------------------------
my ($st1, $st2, $st3) = (price_at($P, -1), price_at($P, -2), price_at($P, -3));
my $s1 = order($S, side => 'SELL', type => 'STOP_LOSS', stopPrice => $st1, quantity => $Q);
is($s1->{status}, 'NEW', 'a STOP_LOSS waits as NEW');
ok(!$s1->{isWorking}, 'not working until it triggers');
is($s1->{stopPrice}, $st1, 'stopPrice at the market precision');
is($s1->{type}, 'STOP_LOSS', 'type STOP_LOSS');
is($s1->{timeInForce}, 'IOC', 'a STOP_LOSS is IOC by default');
is($s1->{price}, undef, 'no price');
is($s1->{selfTradePrevention}, 'EXPIRE_TAKER', 'selfTradePrevention EXPIRE_TAKER by default');
is(balances($S->{token})->{BTC}{locked}, '0.00100000', 'its quantity is locked at once');
my $s2 = order($S, side => 'SELL', type => 'STOP_LOSS', stopPrice => $st2, quantity => $Q);
my $s3 = order($S, side => 'SELL', type => 'STOP_LIMIT', stopPrice => $st3, price => $st3,
    quantity => $Q);
is($s3->{timeInForce}, 'GTC', 'a STOP_LIMIT is GTC by default');
is($s3->{price}, $st3, 'a STOP_LIMIT has its limit price');
my $sb = balances($S->{token});
is($sb->{BTC}{locked}, '0.00300000', 'three stops: 0.003 BTC locked');
is($sb->{BTC}{available}, '0.00000000', 'nothing left available');
my $r = place($S->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
    price => price_at($P, 5), quantity => $Q });
error_ok($r, 400, 'INSUFFICIENT_BALANCE', 'what the stops locked cannot be spent meanwhile');
$r = api(GET => '/api/v1/orders?filter_type=STOP_LOSS&filter_status=OPEN', bearer($S->{token}));
is(scalar @{ $r->{json}{data} // [] }, 2, 'filter_type=STOP_LOSS lists the two waiting STOP_LOSS');

# ---- triggered by other users' trades, a cascade, in one batch --------------
# Bids of M one step below each stop: T's sale at the first stop triggers
# s1, whose sale at the second triggers s2, whose sale at the third
# triggers s3, which rests: the last bid is below its limit.
my @bids = map { order($M, side => 'BUY', type => 'LIMIT', price => $_, quantity => $Q)->{orderId} }
    ($st1, $st2, $st3, price_at($P, -3.5));
my $t0 = last_trade_id();
my $t = order($T, side => 'SELL', type => 'LIMIT', timeInForce => 'IOC', price => $st1, quantity => $Q);
is($t->{status}, 'FILLED', "another user's sale at $st1");
# No waiting: the triggers were committed with the trade that caused them.
my $g1 = get($S, $s1->{orderId});
is($g1->{status}, 'FILLED', 's1 triggered and FILLED in the same batch');
ok($g1->{isWorking}, 's1 is working once triggered');
is($g1->{fills}[0]{price}, $st2, "s1 sold into the bid at $st2");
my $g2 = get($S, $s2->{orderId});
is($g2->{status}, 'FILLED', 's2, crossed by s1\'s trade, FILLED: a cascade');
is($g2->{fills}[0]{price}, $st3, "at $st3");
my $g3 = get($S, $s3->{orderId});
is($g3->{status}, 'NEW', 's3 (STOP_LIMIT) triggered by s2\'s trade and rests');
ok($g3->{isWorking}, 'working: in the book at its limit price');
is($g3->{executedQuantity}, '0.00000000', 'nothing executed: the last bid is below its price');
is(takers_since($t0), join(',', $t->{orderId}, $s1->{orderId}, $s2->{orderId}),
    'trades in trigger order: the sale, then s1, then s2');
$r = api(GET => '/api/v1/public/ticker/BTCTRY');
is($r->{json}{data}{askPrice}, $st3, 's3 is the best ask, at its limit price');

# ---- cancel after the trigger, and before -------------------------------------
$r = cancel($S->{token}, $s3->{orderId});
is($r->{json}{data}{status}, 'CANCELED', 'a triggered STOP_LIMIT cancels as a resting order');
is(balances($S->{token})->{BTC}{locked}, '0.00000000', 'its lock released');
cancel($M->{token}, $_) for @bids;
my $L = market_price('BTCTRY', $P);
is($L, $st3, 'the last price is where the cascade left it');
my ($bst, $bpx) = (price_at($L, 5), price_at($L, 6));
my $b1 = order($S, side => 'BUY', type => 'STOP_LIMIT', stopPrice => $bst, price => $bpx, quantity => $Q);
is(balances($S->{token})->{TRY}{locked}, fmt(buy_lock($bpx, $Q), 2),
    'a STOP_LIMIT buy locks what a limit buy at its price does');
$r = cancel($S->{token}, $b1->{orderId});
is($r->{json}{data}{status}, 'CANCELED', 'a waiting stop cancels');
is(balances($S->{token})->{TRY}{locked}, '0.00', 'its lock released');
my $b2 = order($S, side => 'BUY', type => 'STOP_LOSS', stopPrice => $bst, quantity => $Q);
is(balances($S->{token})->{TRY}{locked}, fmt((buy_lock($bst, $Q) * 105 + 99) / 100, 2),
    'a STOP_LOSS buy by quantity locks a limit buy at its stop, plus 5%');
$r = cancel($S->{token}, $b2->{orderId});
is($r->{json}{data}{status}, 'CANCELED', 'cancelled before its trigger');
is(balances($S->{token})->{TRY}{locked}, '0.00', 'its lock released');
$r = api(GET => "/api/v1/orders/$b2->{orderId}", bearer($S->{token}));
ok(!$r->{json}{data}{isWorking}, 'a stop cancelled before its trigger never worked');

# ---- a waiting stop survives kill -9 of the matcher -----------------------
my $kst = price_at($L, -1);
my $k = order($S, side => 'SELL', type => 'STOP_LOSS', stopPrice => $kst, quantity => $Q);
my $mp = matcher_pid();
ok(defined $mp, 'the matcher runs');
kill 'KILL', $mp if defined $mp;
my $w = time;
my $np = matcher_pid();
while (time - $w < 15 && (!defined $np || (defined $mp && $np == $mp))) {
	sleep 0.1;
	$np = matcher_pid();
}
ok(defined $np && (!defined $mp || $np != $mp), 'the supervisor restarted it');
is(get($S, $k->{orderId})->{status}, 'NEW', 'the stop is still NEW');
@bids = map { order($M, side => 'BUY', type => 'LIMIT', price => $_, quantity => $Q)->{orderId} }
    ($kst, price_at($L, -1.5));
$t = order($T, side => 'SELL', type => 'LIMIT', timeInForce => 'IOC', price => $kst, quantity => $Q);
is($t->{status}, 'FILLED', "a sale at $kst after the restart");
my $gk = get($S, $k->{orderId});
is($gk->{status}, 'FILLED', 'the reloaded stop triggered and FILLED');
is($gk->{fills}[0]{price}, price_at($L, -1.5), 'into the next bid');
cancel($M->{token}, $_) for @bids;

# ---- through the inbox (the matcher not answering on its socket), and
# crossed when placed ---------------------------------------------------------
my $L2 = market_price('BTCTRY', $P);
$r = via_inbox(sub { place($S->{token}, { symbol => 'BTCTRY', side => 'BUY',
    type => 'STOP_LIMIT', stopPrice => price_at($L2, 4), price => price_at($L2, 4),
    quantity => $Q }) });
is($r->{status}, 201, 'a stop through the inbox') or diag($r->{body});
my $ib = $r->{json}{data} // {};
is($ib->{status}, 'NEW', 'waits as NEW');
ok(!$ib->{isWorking}, 'not working');
is($ib->{stopPrice}, price_at($L2, 4), 'with its stopPrice');
is(cancel($S->{token}, $ib->{orderId})->{json}{data}{status}, 'CANCELED', 'and cancels');
my $bid0 = order($M, side => 'BUY', type => 'LIMIT', price => price_at($L2, -0.5), quantity => $Q);
$r = place($T->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'STOP_LIMIT',
    stopPrice => price_at($L2, 1), price => price_at($L2, -0.5), quantity => $Q });
my $now = $r->{json}{data} // {};
is($now->{status}, 'FILLED', 'a SELL stop above the last price triggers when placed');
ok($now->{isWorking}, 'and says it is working');

# ---- self-trade prevention ----------------------------------------------------
# U trades with itself at X only: M and T have nothing resting now.
my $X = market_price('BTCTRY', $P);
my %lim = (side => 'BUY', type => 'LIMIT', price => $X, quantity => $Q);
my $u0 = psql("SELECT count(*) FROM trades WHERE maker_user_id = taker_user_id");
my $ub = order($U, %lim);
is($ub->{status}, 'NEW', 'U bids at the market price');
my $us = order($U, %lim, side => 'SELL');
is($us->{status}, 'EXPIRED_IN_MATCH', 'EXPIRE_TAKER (default): U\'s crossing sell expires in match');
is($us->{executedQuantity}, '0.00000000', 'without a trade');
is(get($U, $ub->{orderId})->{status}, 'NEW', 'and its bid stays');
$us = order($U, %lim, side => 'SELL', selfTradePrevention => 'EXPIRE_MAKER');
is($us->{selfTradePrevention}, 'EXPIRE_MAKER', 'selfTradePrevention as asked');
is(get($U, $ub->{orderId})->{status}, 'EXPIRED_IN_MATCH', 'EXPIRE_MAKER: the bid expires in match');
is($us->{status}, 'NEW', 'and the sell goes on to rest');
cancel($U->{token}, $us->{orderId});
$ub = order($U, %lim);
$us = order($U, %lim, side => 'SELL', selfTradePrevention => 'EXPIRE_BOTH');
is($us->{status}, 'EXPIRED_IN_MATCH', 'EXPIRE_BOTH: the sell expires in match');
is(get($U, $ub->{orderId})->{status}, 'EXPIRED_IN_MATCH', 'and so does the bid');
my $xr = api(GET => '/api/v1/orders?filter_status=EXPIRED_IN_MATCH', bearer($U->{token}));
is($xr->{status}, 200, 'filter_status=EXPIRED_IN_MATCH is taken');
is(scalar(grep { $_->{status} eq 'EXPIRED_IN_MATCH' } @{ $xr->{json}{data} }), 4,
    'and lists the four orders self-trade prevention expired');
is(scalar(grep { $_->{status} ne 'EXPIRED_IN_MATCH' } @{ $xr->{json}{data} }), 0,
    'and nothing else');
my $mk = order($U, side => 'BUY', type => 'MARKET', quantity => $Q,
    selfTradePrevention => 'EXPIRE_MAKER');
ok($mk->{status} eq 'EXPIRED' || $mk->{status} eq 'FILLED', "a market buy: $mk->{status}");
is(psql("SELECT count(*) FROM trades WHERE maker_user_id = taker_user_id"), $u0,
    'no trade between one user\'s orders');
my $ubal = balances($U->{token});
is($ubal->{BTC}{locked}, '0.00000000', 'U has no BTC locked');
is($ubal->{TRY}{locked}, '0.00', 'nor TRY');

# ---- bad inputs -----------------------------------------------------------------
my %sl = (symbol => 'BTCTRY', side => 'SELL', type => 'STOP_LOSS', stopPrice => $st1, quantity => $Q);
my %sm = (%sl, type => 'STOP_LIMIT', price => $st1);
my @bad = (
	[ { %sl, stopPrice => undef }, 'INVALID_REQUEST', 'stopPrice', 'STOP_LOSS without stopPrice' ],
	[ { %sm, stopPrice => undef }, 'INVALID_REQUEST', 'stopPrice', 'STOP_LIMIT without stopPrice' ],
	[ { %sm, price => undef }, 'INVALID_REQUEST', 'price', 'STOP_LIMIT without price' ],
	[ { %sl, price => $st1 }, 'INVALID_REQUEST', 'price', 'price with STOP_LOSS' ],
	[ { %sl, timeInForce => 'GTC' }, 'INVALID_REQUEST', 'timeInForce', 'a GTC STOP_LOSS' ],
	[ { %sl, stopPrice => 'abc' }, 'TRADE_003', 'stopPrice', 'stopPrice not a number' ],
	[ { %sl, stopPrice => '0' }, 'TRADE_003', 'stopPrice', 'stopPrice zero' ],
	[ { %sl, stopPrice => '-1.00' }, 'TRADE_003', 'stopPrice', 'negative stopPrice' ],
	[ { %sl, stopPrice => '1000.001' }, 'TRADE_003', 'stopPrice', 'stopPrice beyond the price precision' ],
	[ { %sl, stopPrice => 1000 }, 'INVALID_REQUEST', 'stopPrice', 'stopPrice as a JSON number' ],
	[ { %sl, type => 'LIMIT', price => $st1 }, 'INVALID_REQUEST', 'stopPrice', 'stopPrice with LIMIT' ],
	[ { %sl, type => 'MARKET' }, 'INVALID_REQUEST', 'stopPrice', 'stopPrice with MARKET' ],
	[ { %sl, quantity => undef, quoteOrderQty => '100.00' }, 'INVALID_REQUEST', 'quoteOrderQty', 'quoteOrderQty on a STOP_LOSS sell' ],
	[ { %sl, quantity => '0.00000100' }, 'TRADE_002', 'quantity', 'below the minimum quantity' ],
	[ { %sl, selfTradePrevention => 'NONE' }, 'INVALID_REQUEST', 'selfTradePrevention', 'unknown selfTradePrevention' ],
	[ { %sl, type => 'TAKE_PROFIT' }, 'INVALID_REQUEST', 'type', 'an unsupported type' ],
);
for my $case (@bad) {
	my %body = %{ $case->[0] };
	delete $body{$_} for grep { !defined $body{$_} } keys %body;
	$r = place($S->{token}, \%body);
	error_ok($r, 400, $case->[1], "stop order: $case->[3]");
	is($r->{json}{error}{details}{field}, $case->[2], "$case->[3]: names $case->[2]");
}

cancel_open($_->{token}) for $M, $T, $S, $U;
ok(wait_matcher(), 'the inbox is empty');
invariant_ok('stop orders');
done_testing();
