# tests/api/75_oco_orders.t — OCO lists: one lock for two legs, the limit leg's fill (a part is enough) or the stop leg's trigger by other users' trades cancels the other leg, a leg's cancel or the list's cancels both, a list across kill -9 of the matcher, other users' lists, Binance's price rules
use strict;
use warnings;
use Test::More;
use Math::BigInt;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();
ok(wait_matcher(), 'the matcher has an empty inbox');

my $M = trader('oco-maker', TRY => '100000.00');
my $T = trader('oco-taker', BTC => '0.01000000');
my $S = trader('oco-owner', BTC => '0.00500000', TRY => '20000.00');
my $O = trader('oco-other', BTC => '0.01000000', TRY => '20000.00');
my $Q = '0.00100000';

sub order {
	my ($who, %o) = @_;
	my $r = place($who->{token}, { symbol => 'BTCTRY', %o });
	is($r->{status}, 201, "$o{type} $o{side} placed") or diag($r->{body});
	return $r->{json}{data} // {};
}

sub oco {
	my ($who, %o) = @_;
	my $r = place($who->{token}, { symbol => 'BTCTRY', type => 'OCO', %o });
	is($r->{status}, 201, "OCO $o{side} placed") or diag($r->{body});
	return $r->{json}{data} // {};
}

sub list {
	my ($who, $id) = @_;
	return api(GET => "/api/v1/order-lists/$id", bearer($who->{token}))->{json}{data} // {};
}

sub statuses {
	my ($l) = @_;
	return join(',', map { $_->{status} // '?' } @{ $l->{orders} // [] });
}

sub locked { balances($_[0]{token})->{$_[1]}{locked} }
# The daily trading limit's use (TRY hundredths), as the user sees it.
sub day_used {
	my $r = api(GET => '/api/v1/kyc/status', bearer($_[0]{token}));
	die "kyc/status: $r->{body}" unless $r->{status} == 200;
	return units($r->{json}{data}{limits}{dailyTradingUsed}, 2);
}

# A last price to judge the lists by: one trade between M and T.
my $P0 = market_price('BTCTRY', '1850000.00');
order($M, side => 'BUY', type => 'LIMIT', price => $P0, quantity => $Q);
order($T, side => 'SELL', type => 'LIMIT', timeInForce => 'IOC', price => $P0, quantity => $Q);
my $L = market_price('BTCTRY', $P0);
diag("BTCTRY last at $L");

# ---- a plain order is of no list ----------------------------------------------
my $plain = order($S, side => 'SELL', type => 'LIMIT', price => price_at($L, 10), quantity => $Q);
is($plain->{orderListId}, -1, 'a plain order answers orderListId -1');
my $r = api(GET => '/api/v1/orders?filter_status=OPEN', bearer($S->{token}));
is($r->{json}{data}[0]{orderListId}, -1, 'and lists with orderListId -1');
cancel($S->{token}, $plain->{orderId});

# ---- SELL: the limit leg filled by another user cancels the stop leg ----------
my ($lp, $sp) = (price_at($L, 2), price_at($L, -2));
my $a = oco($S, side => 'SELL', quantity => $Q, price => $lp, stopPrice => $sp);
ok($a->{orderListId} > 0, 'the list has an orderListId');
is($a->{contingencyType}, 'OCO', 'contingencyType OCO');
is($a->{listStatusType}, 'EXEC_STARTED', 'listStatusType EXEC_STARTED');
is($a->{listOrderStatus}, 'EXECUTING', 'listOrderStatus EXECUTING');
my ($al, $as) = @{ $a->{orders} // [] };
is($al->{type}, 'LIMIT', 'the first order is the limit leg');
is($al->{price}, $lp, 'at price');
is($al->{timeInForce}, 'GTC', 'GTC');
is($al->{status}, 'NEW', 'resting');
is($as->{type}, 'STOP_LOSS', 'no stopLimitPrice: the stop leg is a STOP_LOSS');
is($as->{stopPrice}, $sp, 'at stopPrice');
ok(!$as->{isWorking}, 'waiting for its trigger');
is($_->{orderListId}, $a->{orderListId}, "$_->{type} leg names its list") for $al, $as;
is(locked($S, 'BTC'), '0.00100000', 'the quantity is locked once, not twice');
is(balances($S->{token})->{BTC}{available}, '0.00400000', 'the rest is available');
is(api(GET => "/api/v1/orders/$as->{orderId}", bearer($S->{token}))->{json}{data}{orderListId},
    $a->{orderListId}, 'GET of a leg shows its orderListId');
my $try0 = balance($S->{token}, 'TRY');
my $m1 = order($M, side => 'BUY', type => 'LIMIT', timeInForce => 'IOC', price => $lp, quantity => $Q);
is($m1->{status}, 'FILLED', "another user buys at $lp");
my $ga = list($S, $a->{orderListId});
is(statuses($ga), 'FILLED,CANCELED', 'the limit leg FILLED, the stop leg CANCELED');
is($ga->{listStatusType}, 'ALL_DONE', 'the list is ALL_DONE');
is(locked($S, 'BTC'), '0.00000000', 'nothing stays locked');
is(balances($S->{token})->{BTC}{total}, '0.00400000', 'the quantity sold, once');
my $gross = units($lp, 2) * units($Q, 8) / Math::BigInt->new(10)->bpow(8);
my $fee = units($ga->{orders}[0]{fills}[0]{fee}{amount}, 2);
is(balance($S->{token}, 'TRY') - $try0, $gross - $fee, 'paid price x quantity less the fee');

# ---- SELL: the stop leg triggered by another user's trade cancels the limit ---
$L = market_price('BTCTRY', $L);
($lp, $sp) = (price_at($L, 2), price_at($L, -1));
my $slp = price_at($L, -1.5);
my $used0 = day_used($S);
my $b = oco($S, side => 'SELL', quantity => $Q, price => $lp, stopPrice => $sp,
    stopLimitPrice => $slp);
is($b->{orders}[1]{type}, 'STOP_LIMIT', 'stopLimitPrice: the stop leg is a STOP_LIMIT');
is($b->{orders}[1]{price}, $slp, 'at stopLimitPrice');
is(locked($S, 'BTC'), '0.00100000', 'one lock');
my @bids = map { order($M, side => 'BUY', type => 'LIMIT', price => $_, quantity => $Q)->{orderId} }
    ($sp, $slp);
my $t = order($T, side => 'SELL', type => 'LIMIT', timeInForce => 'IOC', price => $sp, quantity => $Q);
is($t->{status}, 'FILLED', "another user's sale at $sp");
my $gb = list($S, $b->{orderListId});
is(statuses($gb), 'CANCELED,FILLED', 'the stop leg triggered and FILLED, the limit leg CANCELED');
is($gb->{orders}[1]{fills}[0]{price}, $slp, "sold into the bid at $slp");
is($gb->{listStatusType}, 'ALL_DONE', 'ALL_DONE');
is(locked($S, 'BTC'), '0.00000000', 'the lock went with the stop leg, released once');
is(balances($S->{token})->{BTC}{total}, '0.00300000', 'one quantity sold');
# The list counted once against the daily limit; the leg that traded
# keeps what it executed counted, and the rest is freed.
my $sold = units($gb->{orders}[1]{cumulativeQuoteQuantity}, 2);
ok($sold > 0, 'the stop leg sold for ' . fmt($sold, 2) . ' TRY');
is(fmt(day_used($S) - $used0, 2), fmt($sold, 2),
    'the daily limit counts the stop leg\'s sale (the limit leg\'s count moved to it)');
cancel($M->{token}, $_) for @bids;

# ---- a partial fill of the limit leg cancels the stop leg ---------------------
$L = market_price('BTCTRY', $L);
($lp, $sp) = (price_at($L, 2), price_at($L, -2));
my $c = oco($S, side => 'SELL', quantity => '0.00200000', price => $lp, stopPrice => $sp);
is(locked($S, 'BTC'), '0.00200000', 'two lots locked once');
order($M, side => 'BUY', type => 'LIMIT', timeInForce => 'IOC', price => $lp, quantity => $Q);
my $gc = list($S, $c->{orderListId});
is(statuses($gc), 'PARTIALLY_FILLED,CANCELED', 'a part filled: the stop leg CANCELED');
is($gc->{listStatusType}, 'ALL_DONE', 'the list is done as a list');
is(locked($S, 'BTC'), '0.00100000', 'the rest of the limit leg stays locked');
is(cancel($S->{token}, $gc->{orders}[0]{orderId})->{json}{data}{status}, 'CANCELED',
    'the rest of the limit leg cancels');
is(locked($S, 'BTC'), '0.00000000', 'and its lock is released');
is(balances($S->{token})->{BTC}{total}, '0.00200000', 'one lot sold');

# ---- BUY: one lock, the larger leg's; a leg's cancel cancels both -------------
$L = market_price('BTCTRY', $L);
($lp, $sp) = (price_at($L, -2), price_at($L, 2));
my $tryav = balances($S->{token})->{TRY}{available};
$used0 = day_used($S);
my $d = oco($S, side => 'BUY', quantity => $Q, price => $lp, stopPrice => $sp);
# A BUY list's stop leg is worth more than its limit leg (a market buy
# above the last price): the list counts at the larger value, once.
my $counted = day_used($S) - $used0;
my $limit_worth = units($lp, 2) * units($Q, 8) / Math::BigInt->new(10)->bpow(8);
ok($counted > $limit_worth, 'a BUY list counts at its larger leg\'s value ('
    . fmt($counted, 2) . ' TRY, more than the limit leg\'s ' . fmt($limit_worth, 2) . ')');
ok($counted < 2 * $limit_worth, '  and once, not once per leg');
my ($ll, $sl) = (buy_lock($lp, $Q), (buy_lock($sp, $Q) * 105 + 99) / 100);
is(locked($S, 'TRY'), fmt($ll > $sl ? $ll : $sl, 2),
    'a BUY list locks the larger need: the STOP_LOSS at its stop plus 5%');
$r = cancel($S->{token}, $d->{orders}[1]{orderId});
is($r->{json}{data}{status}, 'CANCELED', 'the stop leg cancelled');
is(statuses(list($S, $d->{orderListId})), 'CANCELED,CANCELED', 'and the limit leg with it');
is(locked($S, 'TRY'), '0.00', 'the lock released');
is(balances($S->{token})->{TRY}{available}, $tryav, 'all of it, once');
is(fmt(day_used($S) - $used0, 2), '0.00', 'and the daily limit\'s count freed');
my $e = oco($S, side => 'BUY', quantity => $Q, price => $lp, stopPrice => $sp);
$r = cancel($S->{token}, $e->{orders}[0]{orderId});
is(statuses(list($S, $e->{orderListId})), 'CANCELED,CANCELED', 'the limit leg cancelled: both');
is(balances($S->{token})->{TRY}{available}, $tryav, 'released once');

# ---- the list cancelled; other users' lists -------------------------------------
my $f = oco($S, side => 'BUY', quantity => $Q, price => $lp, stopPrice => $sp,
    stopLimitPrice => price_at($L, 2.5));
my $fid = $f->{orderListId};
$r = api(GET => "/api/v1/order-lists/$fid", bearer($O->{token}));
error_ok($r, 404, 'ORDER_NOT_FOUND', "another user's list is not found");
$r = api(DELETE => "/api/v1/order-lists/$fid", bearer($O->{token}));
error_ok($r, 400, 'TRADE_006', "another user's list cannot be cancelled");
$r = api(GET => "/api/v1/orders/$f->{orders}[1]{orderId}", bearer($O->{token}));
error_ok($r, 404, 'ORDER_NOT_FOUND', "another user's leg is not found");
error_ok(cancel($O->{token}, $f->{orders}[1]{orderId}), 400, 'TRADE_006',
    "another user's leg cannot be cancelled");
is(statuses(list($S, $fid)), 'NEW,NEW', 'the list stands');
error_ok(api(GET => '/api/v1/order-lists/abc', bearer($S->{token})), 404, 'ORDER_NOT_FOUND',
    'a list id that is no number');
$r = api(DELETE => "/api/v1/order-lists/$fid", bearer($S->{token}));
is($r->{status}, 200, 'the owner cancels the list') or diag($r->{body});
is(statuses($r->{json}{data}), 'CANCELED,CANCELED', 'both legs CANCELED');
is($r->{json}{data}{listStatusType}, 'ALL_DONE', 'ALL_DONE');
is(balances($S->{token})->{TRY}{available}, $tryav, 'its lock released once');
error_ok(api(DELETE => "/api/v1/order-lists/$fid", bearer($S->{token})), 400, 'TRADE_007',
    'a done list cannot be cancelled again');

# ---- Binance's price rules, and other bad requests ----------------------------
my %sell = (symbol => 'BTCTRY', type => 'OCO', side => 'SELL', quantity => $Q,
    price => price_at($L, 2), stopPrice => price_at($L, -2));
my %buy = (%sell, side => 'BUY', price => price_at($L, -2), stopPrice => price_at($L, 2));
my @bad = (
	[ { %sell, price => price_at($L, -1) }, 'TRADE_003', 'price', 'a SELL limit below the last price' ],
	[ { %sell, price => $L }, 'TRADE_003', 'price', 'a SELL limit at the last price' ],
	[ { %sell, stopPrice => price_at($L, 1) }, 'TRADE_003', 'stopPrice', 'a SELL stop above the last price' ],
	[ { %sell, stopPrice => price_at($L, 3) }, 'TRADE_003', 'stopPrice', 'a SELL stop above its limit' ],
	[ { %buy, price => price_at($L, 1) }, 'TRADE_003', 'price', 'a BUY limit above the last price' ],
	[ { %buy, stopPrice => price_at($L, -1) }, 'TRADE_003', 'stopPrice', 'a BUY stop below the last price' ],
	[ { %sell, stopPrice => undef }, 'INVALID_REQUEST', 'stopPrice', 'no stopPrice' ],
	[ { %sell, price => undef }, 'INVALID_REQUEST', 'price', 'no price' ],
	[ { %sell, timeInForce => 'IOC' }, 'INVALID_REQUEST', 'timeInForce', 'a timeInForce' ],
	[ { %sell, quantity => undef, quoteOrderQty => '100.00' }, 'INVALID_REQUEST', 'quoteOrderQty', 'quoteOrderQty' ],
	[ { %sell, type => 'LIMIT', stopPrice => undef, stopLimitPrice => $L }, 'INVALID_REQUEST',
	    'stopLimitPrice', 'stopLimitPrice on a LIMIT order' ],
	[ { %sell, stopLimitPrice => '1.001' }, 'TRADE_003', 'stopLimitPrice', 'stopLimitPrice beyond the precision' ],
	[ { %sell, quantity => '0.00000100' }, 'TRADE_002', 'quantity', 'below the minimum quantity' ],
	[ { %sell, quantity => '0.10000000' }, 'INSUFFICIENT_BALANCE', undef, 'more than the balance' ],
);
my $n0 = psql("SELECT count(*) FROM orders WHERE order_list_id IS NOT NULL");
for my $case (@bad) {
	my %body = %{ $case->[0] };
	delete $body{$_} for grep { !defined $body{$_} } keys %body;
	$r = place($S->{token}, \%body);
	error_ok($r, 400, $case->[1], "OCO: $case->[3]");
	is($r->{json}{error}{details}{field}, $case->[2], "$case->[3]: names $case->[2]")
	    if defined $case->[2];
}
is(psql("SELECT count(*) FROM orders WHERE order_list_id IS NOT NULL"), $n0,
    'no refused list left an order');
is(locked($S, 'BTC'), '0.00000000', 'nor a lock');

# ---- a limit leg far above the market rests: the band guards only the side a
# price trades towards, and an OCO SELL's limit leg is above the market --------
my $far = oco($S, side => 'SELL', quantity => $Q, price => price_at($L, 15),
    stopPrice => price_at($L, -2));
is(statuses($far), 'NEW,NEW', 'a limit leg 15% above the market rests, its stop leg '
    . 'waits') or diag(explain($far));
$r = cancel($S->{token}, $far->{orders}[0]{orderId});
is(statuses(list($S, $far->{orderListId})), 'CANCELED,CANCELED', 'and the list cancels');
is(locked($S, 'BTC'), '0.00000000', 'nothing stays locked');

# ---- a list survives kill -9 of the matcher -------------------------------------
($lp, $sp) = (price_at($L, 2), price_at($L, -2));
my $k = oco($S, side => 'SELL', quantity => $Q, price => $lp, stopPrice => $sp);
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
is(statuses(list($S, $k->{orderListId})), 'NEW,NEW', 'both legs are still NEW');
is(locked($S, 'BTC'), '0.00100000', 'the one lock is still held');
$m1 = order($M, side => 'BUY', type => 'LIMIT', timeInForce => 'IOC', price => $lp, quantity => $Q);
is($m1->{status}, 'FILLED', 'the reloaded limit leg trades');
is(statuses(list($S, $k->{orderListId})), 'FILLED,CANCELED',
    'and the reloaded list cancels its stop leg');
is(locked($S, 'BTC'), '0.00000000', 'the lock released once');
is(balances($S->{token})->{BTC}{total}, '0.00100000', 'one more lot sold');

cancel_open($_->{token}) for $M, $T, $S, $O;
ok(wait_matcher(), 'the inbox is empty');
invariant_ok('OCO lists');
done_testing();
