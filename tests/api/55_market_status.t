# tests/api/55_market_status.t — POST /api/v1/admin/markets/{symbol}/status: a halt during trading (new orders refused on both paths, cancels served, the book kept), CANCEL_ONLY, new markets
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();

my $A = bearer(admin_login());
my $sym = 'USDTTRY';
my $p = market_price($sym, '35.0000');
my $mk = trader('ms-maker', USDT => 10000);
my $tk = trader('ms-taker', TRY => 1000000);
my %ask = (symbol => $sym, side => 'SELL', type => 'LIMIT', timeInForce => 'GTC', price => $p);
sub status { api(POST => "/api/v1/admin/markets/$sym/status", $A, { status => $_[0], reason => $_[1] // 'test' }) }
sub book_has {
	my ($qty) = @_;
	my $r = api(GET => "/api/v1/public/orderbook/$sym?depth=100");
	return scalar grep { $_->[0] eq $p } @{$r->{json}{data}{asks} // []};
}

# Two asks rest: one will be cancelled during the halt, one stays.
my $r = place($mk->{token}, { %ask, quantity => '100.00' });
is($r->{status}, 201, 'an ask rests') or diag($r->{body});
my $keep = $r->{json}{data}{orderId};
$r = place($mk->{token}, { %ask, quantity => '50.00' });
my $gone = $r->{json}{data}{orderId};
wait_matcher();

# --- halt --------------------------------------------------------------------------
$r = status('HALTED', 'exchange incident #42');
is($r->{status}, 200, 'halted') or diag($r->{body});
envelope_ok($r, 'status');
is($r->{json}{data}{status}, 'HALTED', 'status HALTED');
is($r->{json}{data}{previousStatus}, 'ACTIVE', 'was ACTIVE');
is(psql("SELECT action || ' ' || (details->>'oldStatus') || '>' || (details->>'newStatus') || ' ' || reason"
    . " FROM audit_log WHERE event_type = 'MARKET_STATUS' AND target_ref = '$sym' ORDER BY id DESC LIMIT 1"),
    'HALTED ACTIVE>HALTED exchange incident #42', 'audited with old and new status and the reason');

my %bid = (symbol => $sym, side => 'BUY', type => 'LIMIT', timeInForce => 'GTC', price => $p, quantity => '10.00');
$r = place($tk->{token}, \%bid);
error_ok($r, 400, 'TRADE_004', 'a new order on the socket path is refused');
$r = place($tk->{token}, \%bid, { 'X-Idempotency-Key' => "ms-$$-" . time });
error_ok($r, 400, 'TRADE_004', 'and with an idempotency key');
$r = place($tk->{token}, { symbol => $sym, side => 'BUY', type => 'MARKET', quantity => '10.00' });
error_ok($r, 400, 'TRADE_004', 'a market order too');
is(psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
    . " WHERE u.public_id = '$tk->{userId}' AND o.status IN ('NEW', 'PARTIALLY_FILLED', 'FILLED')"), 0,
    'nothing of the taker was placed');
$r = cancel($mk->{token}, $gone);
is($r->{status}, 200, 'a cancel is served while halted') or diag($r->{body});
is($r->{json}{data}{status}, 'CANCELED', 'CANCELED');
$r = api(GET => '/api/v1/public/markets');
my ($pm) = grep { $_->{symbol} eq $sym } @{$r->{json}{data}};
is($pm->{status}, 'HALTED', 'public market data shows HALTED');
ok(book_has(), 'the other ask is still in the book');
is(psql("SELECT status FROM orders WHERE public_id = '$keep'"), 'NEW', 'and open');

# --- CANCEL_ONLY, then the matcher itself refuses ------------------------------------------
$r = status('CANCEL_ONLY');
is($r->{json}{data}{status}, 'CANCEL_ONLY', 'CANCEL_ONLY');
$r = place($tk->{token}, \%bid);
error_ok($r, 400, 'TRADE_004', 'CANCEL_ONLY takes no new order');
$r = status('CANCEL_ONLY');
error_ok($r, 409, 'CONFLICT', 'the same status again');
is($r->{json}{error}{details}{status}, 'CANCEL_ONLY', 'says which');

# --- resume: the book as it was ----------------------------------------------------------------
$r = status('ACTIVE', 'incident over');
is($r->{json}{data}{status}, 'ACTIVE', 'ACTIVE again');
sleep 1.1;	# the handlers' copy of the market is a second old at most
$r = place($tk->{token}, \%bid);
is($r->{status}, 201, 'an order after the halt') or diag($r->{body});
is($r->{json}{data}{status}, 'FILLED', 'fills against the ask that stayed through the halt');
is(psql("SELECT executed_quantity::numeric(20,2) FROM orders WHERE public_id = '$keep'"), '10.00',
    'the kept ask is the maker');
cancel_open($mk->{token});
invariant_ok('after the halt');

# --- bad input, and who may -------------------------------------------------------------------
$r = status('PAUSED');
error_ok($r, 400, 'INVALID_REQUEST', 'unknown status');
$r = api(POST => "/api/v1/admin/markets/$sym/status", $A, { status => 'HALTED' });
error_ok($r, 400, 'INVALID_REQUEST', 'a reason is required');
$r = api(POST => '/api/v1/admin/markets/NOSUCH/status', $A, { status => 'HALTED', reason => 'x' });
error_ok($r, 400, 'TRADE_005', 'no such market');
my $sup = staff('SUPPORT');
$r = api(POST => "/api/v1/admin/markets/$sym/status", bearer($sup->{token}), { status => 'HALTED', reason => 'x' });
error_ok($r, 403, 'FORBIDDEN', 'SUPPORT may not halt');
$r = api(GET => "/api/v1/admin/markets/$sym", bearer($sup->{token}));
is($r->{status}, 200, 'but reads the market');
is($r->{json}{data}{makerFee}, '0.001', 'with its fees');

# --- a new market -------------------------------------------------------------------------------
my %new = (symbol => 'ETHUSDT', baseAsset => 'ETH', quoteAsset => 'USDT', pricePrecision => '2',
    quantityPrecision => '6', minQuantity => '0.0001', minNotional => '10', makerFee => '0.001',
    takerFee => '0.0015');
$r = api(POST => '/api/v1/admin/markets', $A, \%new);
is($r->{status}, 201, 'a market created') or diag($r->{body});
is($r->{json}{data}{status}, 'HALTED', 'HALTED until opened');
is($r->{json}{data}{takerFee}, '0.0015', 'fee kept');
is($r->{json}{data}{quantityPrecision}, 6, 'precision');
is($r->{json}{data}{minQuantity}, '0.000100', 'minQuantity at the quantity precision, as GET /markets has it');
is($r->{json}{data}{minNotional}, '10.000000', 'minNotional at the quote asset\'s (USDT: 6)');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'MARKET_CREATED' AND target_ref = 'ETHUSDT'"), 1, 'audited');
$r = api(POST => '/api/v1/admin/markets', $A, \%new);
error_ok($r, 409, 'CONFLICT', 'the symbol exists');
for my $bad ([baseAsset => 'NOPE'], [quantityPrecision => '9'], [makerFee => '0.5'], [takerFee => '-0.1'],
    [minQuantity => '0'], [pricePrecision => '19'], [symbol => 'eth-usdt'], [status => 'OPEN']) {
	$r = api(POST => '/api/v1/admin/markets', $A, { %new, symbol => 'ETHUSDX', @$bad });
	error_ok($r, 400, 'INVALID_REQUEST', "new market: $bad->[0] $bad->[1]");
}
$r = api(POST => '/api/v1/admin/markets', bearer($sup->{token}), { %new, symbol => 'ETHUSDX' });
error_ok($r, 403, 'FORBIDDEN', 'SUPPORT may not create markets');
$r = api(GET => '/api/v1/public/markets');
ok((grep { $_->{symbol} eq 'ETHUSDT' && $_->{status} eq 'HALTED' } @{$r->{json}{data}}), 'listed publicly, HALTED');
is(psql("SELECT count(*) FROM audit_verify()"), 0, 'the audit chain holds');
# The tests after this one know four markets.
psql("DELETE FROM matcher_state WHERE symbol = 'ETHUSDT'; DELETE FROM markets WHERE symbol = 'ETHUSDT'");
is(psql("SELECT count(*) FROM markets WHERE symbol = 'ETHUSDT'"), 0, 'the new market removed again');

done_testing();
