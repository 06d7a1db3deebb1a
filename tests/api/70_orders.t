# tests/api/70_orders.t — flow §11.2 steps 3-4: orders, fills, fees, balances; every trading error; cancels; lists; wallets
use strict;
use warnings;
use Test::More;
use Math::BigInt;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();

my $A = token('test.level2@example.com');	# the buyer of flow §11.2
my $B = token('test.level2b@example.com');	# who sells to them
cancel_open($A);
cancel_open($B);
ok(wait_matcher(), 'the matcher has an empty inbox');

# ---- flow §11.2 step 3: a market buy against a resting sell -------------------
my %a0 = map { $_ => balance($A, $_) } qw(BTC TRY);
my %b0 = map { $_ => balance($B, $_) } qw(BTC TRY);
my $fee0 = fee_balance('TRY');

my $r = place($B, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
    price => '1850000.00', quantity => '0.01000000', timeInForce => 'GTC' });
is($r->{status}, 201, 'sell limit: 201') or diag($r->{body});
envelope_ok($r, 'sell limit');
my $sell = $r->{json}{data};
like($sell->{orderId}, qr/^ord_[a-z2-7]{20}$/, 'sell: opaque ord_ id');
is($sell->{status}, 'NEW', 'sell: rests as NEW');
is($sell->{price}, '1850000.00', 'sell: price at the market precision');
is($sell->{quantity}, '0.01000000', 'sell: quantity at 8 decimals');
is($sell->{timeInForce}, 'GTC', 'sell: GTC');
like($sell->{createdAt}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'sell: createdAt ISO 8601');
my $bb = balances($B);
is(units($bb->{BTC}{locked}, 8), Math::BigInt->new(1000000), 'seller: 0.01 BTC locked');
is(units($bb->{BTC}{available}, 8), $b0{BTC} - 1000000, 'seller: taken from available');

my $t0 = time;
$r = place($A, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET', quantity => '0.00500000' });
my $took = time - $t0;
is($r->{status}, 201, 'market buy: 201') or diag($r->{body});
my $buy = $r->{json}{data};
is($buy->{status}, 'FILLED', 'market buy answers with its final status');
is($buy->{type}, 'MARKET', 'type MARKET');
is($buy->{timeInForce}, 'IOC', 'a market order is IOC');
is($buy->{executedQuantity}, '0.00500000', 'executed 0.005 BTC');
is($buy->{remainingQuantity}, '0.00000000', 'nothing remains');
is($buy->{averagePrice}, '1850000.00', 'at the resting price');
is($buy->{cumulativeQuoteQuantity}, '9250.00', 'for 9250.00 TRY');
is_deeply($buy->{fee}, { amount => '18.50', currency => 'TRY' }, 'taker fee 0.2% in TRY');
is(scalar @{ $buy->{fills} }, 1, 'one fill');
my $fill = $buy->{fills}[0];
like($fill->{tradeId}, qr/^trd_[a-z2-7]{20}$/, 'fill: trd_ id');
is($fill->{role}, 'TAKER', 'fill: taker');
is($fill->{price}, '1850000.00', 'fill: price');
is($fill->{quantity}, '0.00500000', 'fill: quantity');
is($fill->{quoteQuantity}, '9250.00', 'fill: quote quantity');
is_deeply($fill->{fee}, { amount => '18.50', currency => 'TRY' }, 'fill: fee');
ok($took < 3, sprintf('answered in %.3f s', $took));

# Both see their balances change exactly; the fees reach the fee account.
my $ab = balances($A);
is(units($ab->{BTC}{total}, 8), $a0{BTC} + 500000, 'buyer: +0.00500000 BTC');
is(units($ab->{TRY}{total}, 2), $a0{TRY} - 926850, 'buyer: -9268.50 TRY (9250.00 + 18.50 fee)');
is($ab->{TRY}{locked}, '0.00', 'buyer: nothing left locked (the unused lock came back)');
$bb = balances($B);
is(units($bb->{BTC}{total}, 8), $b0{BTC} - 500000, 'seller: -0.00500000 BTC');
is(units($bb->{BTC}{locked}, 8), Math::BigInt->new(500000), 'seller: 0.005 BTC still locked');
is(units($bb->{TRY}{total}, 2), $b0{TRY} + 924075, 'seller: +9240.75 TRY (9250.00 - 9.25 maker fee)');
is(fee_balance('TRY') - $fee0, Math::BigInt->new(2775), 'fee account: +27.75 TRY');
like($ab->{BTC}{valueInTRY}, qr/^\d+\.\d\d$/, 'BTC valued in TRY at 2 decimals');
is(units($ab->{BTC}{valueInTRY}, 2), units($ab->{BTC}{total}, 8) * 185000000 / 100000000,
    'valueInTRY = total x last trade price');

# ---- the orders and trades as both sides see them ---------------------------
$r = api(GET => "/api/v1/orders/$sell->{orderId}", bearer($B));
is($r->{status}, 200, 'get order: 200');
is($r->{json}{data}{status}, 'PARTIALLY_FILLED', 'the sell is partially filled');
is($r->{json}{data}{executedQuantity}, '0.00500000', 'executed 0.005');
is($r->{json}{data}{remainingQuantity}, '0.00500000', 'remaining 0.005');
is($r->{json}{data}{fills}[0]{role}, 'MAKER', 'its fill: maker');
is_deeply($r->{json}{data}{fills}[0]{fee}, { amount => '9.25', currency => 'TRY' }, 'maker fee 0.1%');
$r = api(GET => "/api/v1/orders/$buy->{orderId}", bearer($A));
is($r->{json}{data}{status}, 'FILLED', 'the buy reads back FILLED');

$r = api(GET => "/api/v1/trades?filter_orderId=$buy->{orderId}", bearer($A));
is($r->{status}, 200, 'trades: 200');
my ($t) = @{ $r->{json}{data} };
is($t->{tradeId}, $fill->{tradeId}, 'trades: the fill');
is($t->{side}, 'BUY', 'trades: the buyer bought');
is($t->{role}, 'TAKER', 'trades: as taker');
is($t->{orderId}, $buy->{orderId}, 'trades: of the buy order');
is($t->{quoteQuantity}, '9250.00', 'trades: quote quantity');
is_deeply($t->{fee}, { amount => '18.50', currency => 'TRY' }, 'trades: fee');
$r = api(GET => "/api/v1/trades?filter_orderId=$sell->{orderId}", bearer($B));
($t) = @{ $r->{json}{data} };
is($t->{side}, 'SELL', 'trades: the seller sold');
is($t->{role}, 'MAKER', 'trades: as maker');
$r = api(GET => '/api/v1/trades?sort=-createdAt', bearer($B));
is($r->{status}, 200, 'trades sort by -createdAt as the other lists') or diag($r->{body});
my @ts = map { $_->{timestamp} } @{ $r->{json}{data} // [] };
is_deeply(\@ts, [ sort { $b cmp $a } @ts ], '  newest first');
$r = api(GET => '/api/v1/trades?filter_role=MAKER&pageSize=1', bearer($B));
ok($r->{json}{meta}{totalCount} >= 1, 'trades: filter_role');
is($r->{json}{data}[0]{role}, 'MAKER', 'trades: only maker fills');
$r = api(GET => "/api/v1/trades?filter_orderId=$sell->{orderId}", bearer($A));
is(scalar @{ $r->{json}{data} }, 0, "trades: nobody sees another's fills");
error_ok(api(GET => '/api/v1/trades?filter_role=BOTH', bearer($A)), 400,
    'INVALID_REQUEST', 'trades: bad filter');
# §2.6's conventions on trades too: the caller's side, and price or quantity.
for my $side (qw(BUY SELL)) {
	$r = api(GET => "/api/v1/trades?filter_side=$side&pageSize=500", bearer($B));
	is($r->{status}, 200, "trades: filter_side=$side") or diag($r->{body});
	is(scalar(grep { $_->{side} ne $side } @{ $r->{json}{data} }), 0, "  only where B's side was $side");
}
ok(grep({ $_->{tradeId} eq $fill->{tradeId} }
    @{ api(GET => '/api/v1/trades?filter_side=SELL&pageSize=500', bearer($B))->{json}{data} }),
    '  the sale is among them');
error_ok(api(GET => '/api/v1/trades?filter_side=BOTH', bearer($A)), 400,
    'INVALID_REQUEST', 'trades: bad filter_side');
# ---- cancel -----------------------------------------------------------------------
error_ok(cancel($A, $sell->{orderId}), 400, 'TRADE_006', "cancel another user's order");
error_ok(api(GET => "/api/v1/orders/$sell->{orderId}", bearer($A)), 404,
    'ORDER_NOT_FOUND', "another user's order is not found");
error_ok(cancel($A, 'ord_aaaaaaaaaaaaaaaaaaaa'), 400, 'TRADE_006', 'cancel an unknown order');
error_ok(cancel($A, 'nonsense'), 400, 'TRADE_006', 'cancel a malformed id');
error_ok(api(GET => '/api/v1/orders/ord_aaaaaaaaaaaaaaaaaaaa', bearer($A)), 404,
    'ORDER_NOT_FOUND', 'get an unknown order');
$r = cancel($B, $sell->{orderId});
is($r->{status}, 200, 'cancel: 200') or diag($r->{body});
is($r->{json}{data}{status}, 'CANCELED', 'cancel: CANCELED');
is($r->{json}{data}{executedQuantity}, '0.00500000', 'cancel: what was filled stays filled');
$bb = balances($B);
is($bb->{BTC}{locked}, '0.00000000', 'cancel: the lock is released');
is(units($bb->{BTC}{total}, 8), $b0{BTC} - 500000, 'cancel: the total is unchanged');
error_ok(cancel($B, $sell->{orderId}), 400, 'TRADE_007', 'cancel a cancelled order');
is($r->{json}{data}{status}, 'CANCELED', 'and it stays cancelled');
my $c = cancel($A, $buy->{orderId});
error_ok($c, 400, 'TRADE_007', 'cancel a filled order');
is($c->{json}{error}{details}{status}, 'FILLED', 'TRADE_007 says the order is FILLED');

# ---- a market buy by quote amount -----------------------------------------------
%a0 = map { $_ => balance($A, $_) } qw(BTC TRY);
$r = place($B, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
    price => '1850000.00', quantity => '0.02000000' });
my $sell2 = $r->{json}{data}{orderId};
$r = place($A, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET', quoteOrderQty => '1000.00' });
is($r->{status}, 201, 'buy by quoteOrderQty: 201') or diag($r->{body});
is($r->{json}{data}{status}, 'FILLED', 'buy by quoteOrderQty: FILLED');
is($r->{json}{data}{quoteOrderQty}, '1000.00', 'quoteOrderQty echoed');
# floor(1000.00 / (1850000.00 x 1.002)) lots; quote and fee rounded down.
is($r->{json}{data}{executedQuantity}, '0.00053946', 'bought 0.00053946 BTC');
is($r->{json}{data}{cumulativeQuoteQuantity}, '998.00', 'for 998.00 TRY');
is($r->{json}{data}{fee}{amount}, '1.99', 'and a 1.99 TRY fee');
is(balance($A, 'TRY'), $a0{TRY} - 99999, 'buyer spent 999.99 TRY of the 1000.00');
is(balance($A, 'BTC'), $a0{BTC} + 53946, 'and got 0.00053946 BTC');
is(balances($A)->{TRY}{locked}, '0.00', 'the rest of the 1000.00 is unlocked');
cancel($B, $sell2);

# ---- IOC and FOK against an empty side ---------------------------------------------
%a0 = map { $_ => balance($A, $_) } qw(BTC TRY);
for my $tif (qw(IOC FOK)) {
	$r = place($A, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
	    price => '1800000.00', quantity => '0.01000000', timeInForce => $tif });
	is($r->{status}, 201, "$tif with nothing to take: 201");
	is($r->{json}{data}{status}, 'EXPIRED', "$tif with nothing to take: EXPIRED");
}
$r = place($A, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET', quantity => '0.01000000' });
is($r->{json}{data}{status}, 'EXPIRED', 'market buy with no asks: EXPIRED');
is(balance($A, 'TRY'), $a0{TRY}, 'nothing spent');
is(balances($A)->{TRY}{locked}, '0.00', 'nothing left locked');

# ---- the buyer as maker ------------------------------------------------------------
%a0 = map { $_ => balance($A, $_) } qw(BTC TRY);
%b0 = map { $_ => balance($B, $_) } qw(BTC TRY);
$r = place($A, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
    price => '1800000.00', quantity => '0.01000000', clientOrderId => "flow-$$" });
is($r->{status}, 201, 'limit buy: 201');
is($r->{json}{data}{status}, 'NEW', 'limit buy rests');
is($r->{json}{data}{clientOrderId}, "flow-$$", 'clientOrderId echoed');
my $bid = $r->{json}{data}{orderId};
# 18000.00 + the higher fee rate on it (0.2%), rounded up.
is(balances($A)->{TRY}{locked}, '18036.00', 'limit buy locks price x qty + fee');
error_ok(place($A, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
    price => '1800000.00', quantity => '0.01000000', clientOrderId => "flow-$$" }),
    409, 'CONFLICT', 'clientOrderId reused');
$r = place($B, { symbol => 'BTCTRY', side => 'SELL', type => 'MARKET', quantity => '0.00400000' });
is($r->{json}{data}{status}, 'FILLED', 'market sell into the bid: FILLED');
is($r->{json}{data}{averagePrice}, '1800000.00', 'at the bid');
is(balances($A)->{TRY}{locked}, '10828.80', 'the bid spent 7200.00 + 7.20 maker fee of its lock');
is(balance($B, 'TRY'), $b0{TRY} + 718560, 'seller got 7200.00 - 14.40 taker fee');
$r = cancel($A, $bid);
is($r->{json}{data}{status}, 'CANCELED', 'the partly filled bid is cancelled');
is(balances($A)->{TRY}{locked}, '0.00', 'its remaining lock is released');
is(balance($A, 'TRY'), $a0{TRY} - 720720, 'buyer paid exactly 7207.20');
is(balance($A, 'BTC'), $a0{BTC} + 400000, 'for 0.004 BTC');

# ---- every trading error ---------------------------------------------------------
my %lim = (symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', price => '1000.00',
    quantity => '0.01000000');
my @bad = (
	[ { %lim, symbol => 'DOGETRY' }, 400, 'TRADE_005', 'unknown symbol' ],
	[ { %lim, symbol => 'btc-try' }, 400, 'TRADE_005', 'malformed symbol' ],
	[ { %lim, price => '1000.001' }, 400, 'TRADE_003', 'price with 3 decimals on a 2-decimal market' ],
	[ { %lim, price => '0' }, 400, 'TRADE_003', 'zero price' ],
	[ { %lim, price => '-5.00' }, 400, 'TRADE_003', 'negative price' ],
	[ { %lim, price => '1e6' }, 400, 'TRADE_003', 'price in exponent form' ],
	[ { %lim, quantity => '0.000000001' }, 400, 'INVALID_REQUEST', 'quantity with 9 decimals' ],
	[ { %lim, quantity => '-1' }, 400, 'INVALID_REQUEST', 'negative quantity' ],
	[ { %lim, quantity => '99999999' }, 400, 'INVALID_REQUEST', 'quantity beyond one order' ],
	[ { %lim, quantity => '0.00000100' }, 400, 'TRADE_002', 'below the minimum quantity' ],
	[ { %lim, price => '100.00', quantity => '0.01000000' }, 400, 'TRADE_002', 'below the minimum notional' ],
	[ { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET', quoteOrderQty => '9.99' }, 400, 'TRADE_002', 'quoteOrderQty below the minimum notional' ],
	[ { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET', quoteOrderQty => '10.001' }, 400, 'INVALID_REQUEST', 'quoteOrderQty beyond TRY precision' ],
	[ { %lim, type => 'STOP_LOSS' }, 400, 'INVALID_REQUEST', 'STOP_LOSS with a price and no stopPrice' ],
	[ { %lim, side => 'HOLD' }, 400, 'INVALID_REQUEST', 'unknown side' ],
	[ { %lim, timeInForce => 'GTD' }, 400, 'INVALID_REQUEST', 'unknown timeInForce' ],
	[ { %lim, price => undef }, 400, 'INVALID_REQUEST', 'limit without price' ],
	[ { %lim, quantity => 0.01 }, 400, 'INVALID_REQUEST', 'quantity as a JSON number' ],
	[ { %lim, leverage => '100' }, 400, 'INVALID_REQUEST', 'unknown field' ],
	[ { %lim, clientOrderId => 'a b' }, 400, 'INVALID_REQUEST', 'clientOrderId with a space' ],
	[ { symbol => 'BTCTRY', side => 'SELL', type => 'MARKET', quoteOrderQty => '100.00' }, 400, 'INVALID_REQUEST', 'quoteOrderQty on a sell' ],
	[ { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET', quantity => '0.01', timeInForce => 'GTC' }, 400, 'INVALID_REQUEST', 'a GTC market order' ],
);
for my $case (@bad) {
	my %body = %{ $case->[0] };
	delete $body{$_} for grep { !defined $body{$_} } keys %body;
	$r = place($A, \%body);
	error_ok($r, $case->[1], $case->[2], "order: $case->[3]");
	ok(ref $r->{json}{error}{details} eq 'HASH' && %{ $r->{json}{error}{details} },
	    "order: $case->[3]: details say why");
}
# Zeros past the market's precision say nothing more (Appendix E writes
# USDT as "1000.000000"): taken, at the market's precision.
$r = place($A, { %lim, price => '1000.0000', quantity => '0.0100000000' });
is($r->{status}, 201, 'zeros past the precision are taken') or diag($r->{body});
is("$r->{json}{data}{price} $r->{json}{data}{quantity}", '1000.00 0.01000000', '  at the market\'s precision');
cancel($A, $r->{json}{data}{orderId}) if $r->{status} == 201;
$r = place($A, { %lim, price => '1000.001' });
is($r->{json}{error}{details}{field}, 'price', 'TRADE_003 names the price');
$r = place($A, { %lim, quantity => '0.000000001' });
is($r->{json}{error}{details}{field}, 'quantity', 'precision error names the quantity');
$r = place($A, { %lim, quantity => '0.00000100' });
is($r->{json}{error}{details}{minQuantity}, '0.00001000', 'TRADE_002 gives the minimum');

# Market closed: an admin halts ETHBTC for a moment.
psql("UPDATE markets SET status = 'HALTED' WHERE symbol = 'ETHBTC'");
$r = place($A, { symbol => 'ETHBTC', side => 'BUY', type => 'LIMIT', price => '0.05000000',
    quantity => '0.10000000' });
error_ok($r, 400, 'TRADE_004', 'order on a halted market');
is($r->{json}{error}{details}{status}, 'HALTED', 'TRADE_004 says how the market is');
psql("UPDATE markets SET status = 'ACTIVE' WHERE symbol = 'ETHBTC'");

# INSUFFICIENT_BALANCE with the details of spec §2.3.
my $avail = balances($A)->{TRY}{available};
$r = place($A, { %lim, price => '1800000.00', quantity => '10.00000000' });
error_ok($r, 400, 'INSUFFICIENT_BALANCE', 'a buy beyond the TRY balance');
is_deeply($r->{json}{error}{details}, { required => '18036000.00', available => $avail,
    currency => 'TRY' }, 'details: required (with the fee), available, currency');
my $btc = balances($A)->{BTC}{available};
$r = place($A, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT', price => '1800000.00',
    quantity => '1000.00000000' });
error_ok($r, 400, 'INSUFFICIENT_BALANCE', 'a sell beyond the BTC balance');
is_deeply($r->{json}{error}{details}, { required => '1000.00000000', available => $btc,
    currency => 'BTC' }, 'details in BTC');
$r = place($A, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET', quoteOrderQty => '99999999.00' });
error_ok($r, 400, 'INSUFFICIENT_BALANCE', 'a buy by quote amount beyond the balance');
is($r->{json}{error}{details}{required}, '99999999.00', 'it needs the whole quote amount');
is(balances($A)->{TRY}{available}, $avail, 'refused orders lock nothing');

# KYC: trading needs LEVEL_2.
for my $lvl (0, 1) {
	my $tok = token("test.level$lvl\@example.com");
	$r = place($tok, { %lim });
	error_ok($r, 403, 'KYC_REQUIRED', "LEVEL_$lvl user places an order");
}

# Authentication.
error_ok(api(POST => '/api/v1/orders', {}, { %lim }), 401, 'UNAUTHORIZED', 'order without a token');
error_ok(api(GET => '/api/v1/orders', {}), 401, 'UNAUTHORIZED', 'list without a token');
error_ok(api(GET => '/api/v1/wallets/balances', {}), 401, 'UNAUTHORIZED', 'balances without a token');
error_ok(api(PUT => '/api/v1/orders', bearer($A), {}), 405, 'METHOD_NOT_ALLOWED', 'PUT /orders');
error_ok(api(POST => '/api/v1/orders', bearer($A), '{"symbol":'), 400, 'INVALID_REQUEST', 'malformed JSON');

# ---- lists -------------------------------------------------------------------------
my @mine;
for my $p (qw(1700000.00 1720000.00 1710000.00)) {
	$r = place($A, { %lim, price => $p });
	push @mine, $r->{json}{data}{orderId};
}
$r = api(GET => '/api/v1/orders?filter_status=OPEN&filter_symbol=BTCTRY&sort=%2Bprice', bearer($A));
is($r->{status}, 200, 'list: 200');
envelope_ok($r, 'list');
is_deeply([ map { $_->{price} } @{ $r->{json}{data} } ], [qw(1700000.00 1710000.00 1720000.00)],
    'list: open orders sorted by +price');
is($r->{json}{meta}{totalCount}, 3, 'list: totalCount');
$r = api(GET => '/api/v1/orders?status=OPEN&symbol=BTCTRY&sort=%2Bprice&pageSize=2', bearer($A));
is_deeply([ map { $_->{price} } @{ $r->{json}{data} } ], [qw(1700000.00 1710000.00)],
    'list: the filters by their bare names too');
is($r->{json}{links}{next}, '/api/v1/orders?page=2&pageSize=2&filter_status=OPEN&filter_symbol=BTCTRY&sort=%2Bprice',
    '  linked by their filter_ names');
error_ok(api(GET => '/api/v1/orders?status=OPEN&filter_status=NEW', bearer($A)), 400,
    'INVALID_REQUEST', '  a filter under both names');
$r = api(GET => '/api/v1/orders?filter_status=OPEN&sort=-price', bearer($A));
is_deeply([ map { $_->{price} } @{ $r->{json}{data} } ], [qw(1720000.00 1710000.00 1700000.00)],
    'list: sorted by -price');
$r = api(GET => '/api/v1/orders?filter_status=NEW&pageSize=2', bearer($A));
is(scalar @{ $r->{json}{data} }, 2, 'list: pageSize 2');
is_deeply([ @{ $r->{json}{meta} }{qw(page pageSize totalCount totalPages hasNext hasPrevious)} ],
    [ 1, 2, 3, 2, JSON::PP::true, JSON::PP::false ], 'list: meta of §2.5');
is($r->{json}{links}{next}, '/api/v1/orders?page=2&pageSize=2&filter_status=NEW', 'list: next link keeps the filter');
is($r->{json}{data}[0]{orderId}, $mine[2], 'list: newest first by default');
$r = api(GET => $r->{json}{links}{next}, bearer($A));
is(scalar @{ $r->{json}{data} }, 1, 'list: the next page');
is($r->{json}{data}[0]{orderId}, $mine[0], 'list: the oldest last');
ok(!$r->{json}{meta}{hasNext}, 'list: no page after the last');
$r = api(GET => '/api/v1/orders?filter_status=FILLED', bearer($A));
ok(@{ $r->{json}{data} } >= 2, 'list: filter_status=FILLED');
is_deeply([ grep { $_->{status} ne 'FILLED' } @{ $r->{json}{data} } ], [], 'list: only FILLED');
$r = api(GET => '/api/v1/orders?filter_status=CANCELED,EXPIRED&filter_side=BUY', bearer($A));
ok(!grep({ $_->{status} !~ /^(CANCELED|EXPIRED)$/ || $_->{side} ne 'BUY' } @{ $r->{json}{data} }),
    'list: two statuses and a side');
for my $q ('pageSize=501', 'pageSize=0', 'page=0', 'sort=email', 'sort=-price,-price',
    'filter_status=OPENED', 'filter_symbol=btc', 'filter_side=LONG', 'colour=red',
    'page=1&page=2') {
	error_ok(api(GET => "/api/v1/orders?$q", bearer($A)), 400, 'INVALID_REQUEST', "list: $q");
}
$r = api(GET => '/api/v1/orders', bearer($B));
ok(!grep({ my $o = $_; grep { $_ eq $o->{orderId} } @mine } @{ $r->{json}{data} }),
    "list: nobody lists another's orders");
cancel($A, $_) for @mine;

# ---- wallets ----------------------------------------------------------------------
$r = api(GET => '/api/v1/wallets/BTC/balance', bearer($A));
is($r->{status}, 200, 'one balance: 200');
is($r->{json}{data}{asset}, 'BTC', 'one balance: BTC');
like($r->{json}{data}{total}, qr/^\d+\.\d{8}$/, 'one balance: 8 decimals');
is(units($r->{json}{data}{total}, 8), units($r->{json}{data}{available}, 8)
    + units($r->{json}{data}{locked}, 8), 'total = available + locked');
$r = api(GET => '/api/v1/wallets/USDT/balance', bearer($A));
like($r->{json}{data}{total}, qr/^\d+\.\d{6}$/, 'USDT at 6 decimals');
error_ok(api(GET => '/api/v1/wallets/XYZ/balance', bearer($A)), 404, 'NOT_FOUND', 'unknown asset');
error_ok(api(GET => '/api/v1/wallets/b%2Fc/balance', bearer($A)), 404, undef, 'malformed asset');
$r = api(GET => '/api/v1/wallets/balances', bearer($A));
my $sum = Math::BigInt->new(0);
$sum += units($_->{valueInTRY}, 2) for grep { defined $_->{valueInTRY} } @{ $r->{json}{data} };
is($r->{json}{meta}{totalValueInTRY}, fmt($sum, 2), 'totalValueInTRY is the sum of the values');
is($r->{json}{totalValueInTRY}, fmt($sum, 2), 'and beside data, where spec §4.3 has it');

# ---- trades sorted by price or quantity ---------------------------------------------
# Two traders of their own, three trades at different prices and sizes:
# each way of sorting gives them in its order. On USDTTRY, whose 24-hour
# figures no later test counts, inside its spread, so that each buy meets
# only the sale placed for it.
{
	my $sym = 'USDTTRY';
	my $sx = trader('sortsell', USDT => 1000);
	my $bx = trader('sortbuy', TRY => 10000000);
	my $ob = api(GET => "/api/v1/public/orderbook/$sym?depth=1")->{json}{data};
	my $p0 = market_price($sym, '35.0000');
	my $lo = units($ob->{bids}[0][0] // price_at($p0, -2), 4);
	my $hi = units($ob->{asks}[0][0] // price_at($p0, 2), 4);
	my @made = ([ 2, '20.00' ], [ 1, '60.00' ], [ 3, '40.00' ]);
	for my $m (@made) {
		my $px = fmt($lo + ($hi - $lo) * $m->[0] / 4, 4);
		my $r1 = place($sx->{token}, { symbol => $sym, side => 'SELL', type => 'LIMIT',
		    timeInForce => 'GTC', price => $px, quantity => $m->[1] });
		my $r2 = place($bx->{token}, { symbol => $sym, side => 'BUY', type => 'LIMIT',
		    timeInForce => 'IOC', price => $px, quantity => $m->[1] });
		is($r2->{json}{data}{status}, 'FILLED', "a trade of $m->[1] at $px")
		    or diag("$r1->{body} $r2->{body}");
	}
	for my $k (qw(price quantity)) {
		for my $dir ('-', '+') {
			$r = api(GET => "/api/v1/trades?sort=${dir}$k", bearer($bx->{token}));
			is($r->{status}, 200, "trades sort=$dir$k") or diag($r->{body});
			my @v = map { $_->{$k} } @{ $r->{json}{data} // [] };
			my @want = sort { $dir eq '-' ? $b <=> $a : $a <=> $b } @v;
			is(scalar(@v), 3, '  the three trades');
			is_deeply(\@v, \@want, '  in that order');
		}
	}
	$r = api(GET => '/api/v1/trades?filter_side=SELL', bearer($bx->{token}));
	is($r->{json}{meta}{totalCount}, 0, 'the buyer sold nothing (filter_side=SELL)');
	is(api(GET => '/api/v1/trades?filter_side=BUY', bearer($bx->{token}))->{json}{meta}{totalCount}, 3,
	    '  and bought three times');
}

ok(wait_matcher(), 'the inbox drains');
invariant_ok('after the flow');
done_testing;
