# tests/api/73_market_data.t — public ticker, order book, trades and klines: from the matcher's snapshots, and right without them
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();
my $sym = 'ETHTRY';
my $maker = trader('mdmaker', ETH => 10, TRY => 1000000);
my $taker = trader('mdtaker', ETH => 10, TRY => 1000000);
cancel_open($_->{token}) for $maker, $taker;

# A book with known levels: asks 1 ETH at 100001.00 and 2 at 100002.00
# (two orders at 100002.00), bids 1.5 at 99999.00.
my @placed;
for my $o ([SELL => '100001.00', '1.00000000'], [SELL => '100002.00', '1.20000000'],
    [SELL => '100002.00', '0.80000000'], [BUY => '99999.00', '1.50000000']) {
	my $r = place($maker->{token}, { symbol => $sym, side => $o->[0], type => 'LIMIT',
	    timeInForce => 'GTC', price => $o->[1], quantity => $o->[2] });
	is($r->{status}, 201, "maker $o->[0] $o->[2] at $o->[1]") or diag($r->{body});
	push @placed, $r->{json}{data}{orderId};
}
ok(wait_matcher(), 'matcher applied the orders');

sub book_ok {
	my ($r, $name) = @_;
	is($r->{status}, 200, "$name: 200") or return diag($r->{body});
	my $d = $r->{json}{data};
	my ($a0, $a1) = @{ $d->{asks} };
	my ($b0) = @{ $d->{bids} };
	is_deeply($a0, ['100001.00', '1.00000000'], "$name: best ask");
	is_deeply($a1, ['100002.00', '2.00000000'], "$name: second ask aggregates two orders");
	is_deeply($b0, ['99999.00', '1.50000000'], "$name: best bid");
	return $d;
}

# Snapshots appear once the matcher publishes (right after the batch).
my $d;
for (1 .. 50) {
	$d = api(GET => "/api/v1/public/orderbook/$sym?depth=5")->{json}{data};
	last if ($d->{source} // '') eq 'live' && @{ $d->{asks} // [] } >= 2;
	sleep 0.1;
}
is($d->{source}, 'live', 'order book served from the snapshot');
book_ok(api(GET => "/api/v1/public/orderbook/$sym?depth=5"), 'orderbook');
book_ok(api(GET => "/api/v1/markets/$sym/orderbook?depth=5"), 'markets/{symbol}/orderbook');
$d = api(GET => "/api/v1/public/orderbook/$sym?depth=1")->{json}{data};
is(scalar @{ $d->{asks} }, 1, 'depth=1: one level per side');
$d = api(GET => "/api/v1/public/orderbook/$sym?limit=1")->{json}{data};
is(scalar @{ $d->{asks} }, 1, 'limit=1, the name other exchanges use: the same');

# A trade: the taker buys 1.5 ETH, crossing 100001.00 then 100002.00.
my $r = place($taker->{token}, { symbol => $sym, side => 'BUY', type => 'MARKET',
    quantity => '1.50000000' });
is($r->{status}, 201, 'market buy') or diag($r->{body});
is($r->{json}{data}{status}, 'FILLED', 'filled');
ok(wait_matcher(), 'matcher applied it');

$r = api(GET => "/api/v1/public/trades/$sym?limit=2");
is($r->{status}, 200, 'trades');
my @t = @{ $r->{json}{data} };
is(scalar @t, 2, 'two fills');
is($t[0]{price}, '100002.00', 'newest first: the second level');
is($t[0]{quantity}, '0.50000000', 'the rest of the order');
is($t[1]{price}, '100001.00', 'then the first level');
is($t[1]{quoteQuantity}, '100001.00', 'quote quantity at TRY precision');
is($t[0]{takerSide}, 'BUY', 'taker side');
is($t[0]{side}, 'BUY', "Appendix C's side: the taker's");
like($t[0]{tradeId}, qr/^trd_[a-z2-7]{20}$/, 'trade id');
like($t[0]{timestamp}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'ISO time');
is_deeply(api(GET => "/api/v1/markets/$sym/trades?limit=2")->{json}{data}, \@t,
    'markets/{symbol}/trades: the same');

my $tk;
# The snapshot's 24-hour figures follow within the matcher's refresh.
for (1 .. 100) {
	$tk = api(GET => "/api/v1/public/ticker/$sym")->{json}{data};
	last if ($tk->{lastPrice} // '') eq '100002.00' && $tk->{source} eq 'live'
	    && ($tk->{volume24h} // '0.00') ne '0.00';
	sleep 0.1;
}
is($tk->{volume24h}, '150002.00', 'ticker: 24-hour volume in TRY');
is($tk->{lastPrice}, '100002.00', 'ticker: last price');
is($tk->{source}, 'live', 'ticker from the snapshot');
is($tk->{askPrice}, '100002.00', 'ticker: best ask now');
is($tk->{askQty}, '1.50000000', 'ticker: what is left there');
is($tk->{bidPrice}, '99999.00', 'ticker: best bid');
my $db_tk = do {
	# Without memcached's copy the database gives the same figures.
	mc_flush();
	api(GET => "/api/v1/public/ticker/$sym")->{json}{data};
};
is($db_tk->{source}, 'database', 'memcached emptied: ticker from PostgreSQL');
for my $f (qw(lastPrice bidPrice bidQty askPrice askQty openPrice24h high24h low24h
    volume24h baseVolume24h trades24h priceChange24h)) {
	is($db_tk->{$f}, $tk->{$f}, "ticker $f: the same from both sources");
}
my $bk = api(GET => "/api/v1/public/orderbook/$sym?depth=5")->{json}{data};
is($bk->{source}, 'database', 'order book from PostgreSQL without a snapshot');
is_deeply($bk->{asks}[0], ['100002.00', '1.50000000'], 'and it is right');

# Klines: the minute of the trades.
$r = api(GET => "/api/v1/public/klines/$sym?interval=1m&limit=5");
is($r->{status}, 200, 'klines');
my $k = $r->{json}{data}[-1];
ok($k, 'a candle');
is($k->{high}, '100002.00', 'high');
is($k->{volume}, '1.50000000', 'volume in base');
ok($k->{trades} >= 2, 'trade count');
is($k->{closeTime} - $k->{openTime}, 59_999, '1m candle bounds');
ok(time * 1000 - $k->{openTime} < 120_000, 'this minute (or the last)');
$r = api(GET => "/api/v1/public/klines/$sym?interval=1h");
is($r->{json}{data}[-1]{closeTime} - $r->{json}{data}[-1]{openTime}, 3_599_999, '1h candle');
$r = api(GET => "/api/v1/public/klines/$sym?interval=1m&startTime=" . ($k->{openTime} + 60_000));
is_deeply($r->{json}{data}, [], 'nothing after startTime');

# Bad input.
error_ok(api(GET => '/api/v1/public/ticker/NOPE'), 400, 'TRADE_005', 'unknown symbol');
error_ok(api(GET => '/api/v1/public/ticker/ethtry'), 400, 'TRADE_005', 'symbols are upper case');
error_ok(api(GET => "/api/v1/public/orderbook/$sym?depth=0"), 400, 'INVALID_REQUEST', 'depth 0');
error_ok(api(GET => "/api/v1/public/orderbook/$sym?depth=abc"), 400, 'INVALID_REQUEST', 'depth not a number');
error_ok(api(GET => "/api/v1/public/klines/$sym?interval=2m"), 400, 'INVALID_REQUEST', 'unknown interval');
error_ok(api(GET => "/api/v1/public/klines/$sym?startTime=20&endTime=10"), 400, 'INVALID_REQUEST',
    'start after end');
error_ok(api(GET => "/api/v1/public/trades/$sym?limit=100000"), 400, 'INVALID_REQUEST', 'limit too big');

cancel_open($_->{token}) for $maker, $taker;
ok(wait_matcher(), 'cleaned up');
done_testing;
