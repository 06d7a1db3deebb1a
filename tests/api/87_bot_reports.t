# tests/api/87_bot_reports.t — realized PnL against hand-computed FIFO figures, a bot's performance, the summary of a user's bots, the backtest over hzm's candles
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Hzm;
use HzmTrade;
use HzmBots;
use HzmBinance;

plan skip_all => 'cron-bots not built' unless -x "$ENV{HZM_VAR}/bin/cron-bots";
mc_flush();
psql("UPDATE bots SET status = 'STOPPED'");

my $U = trader('botr');
my $u = bearer($U->{token});
my %grid = (strategy => 'grid', strategyParams => { lower => '90000.00', upper => '110000.00', levels => 4 },
    orderSize => '0.1', stopLossPercent => '10');

# ---- a grid bot that buys twice before it sells: FIFO, not the last buy ---------------
my $g = bot_new($U->{token}, name => 'grid', symbol => 'ETHTRY', %grid);
api(POST => "/api/v1/bots/$g->{botId}/start", $u);
for my $price (104000, 99000, 94000, 101000, 106000, 99000, 89100) {
	set_last_price('ETHTRY', $price);
	my ($rc, $n, $out) = bots_run();
	is($rc, 0, "run at $price") or diag($out);
}
my $t = api(GET => "/api/v1/bots/$g->{botId}/trades?sort=%2BcreatedAt", $u)->{json}{data};
is_deeply([ map { "$_->{side} $_->{price} $_->{realizedPnl} $_->{reason}" } @$t ], [
	'BUY 99000.00 0.00 SIGNAL',
	'BUY 94000.00 0.00 SIGNAL',
	'SELL 101000.00 200.00 SIGNAL',		# FIFO: the 99000 lot (the last buy would say 700.00)
	'SELL 106000.00 1200.00 SIGNAL',	# then the 94000 lot
	'BUY 99000.00 0.00 SIGNAL',
	'SELL 89100.00 -990.00 STOP_LOSS',
], 'the grid bot\'s trades and their FIFO realized PnL');
my $r = api(GET => "/api/v1/bots/$g->{botId}/trades?filter_side=SELL&pageSize=2", $u);
is(scalar @{ $r->{json}{data} }, 2, 'trades: a page of 2 sells');
is($r->{json}{meta}{totalCount} // $r->{json}{meta}{total}, 3, '  of 3') or diag(encode_json($r->{json}{meta}));
is($r->{json}{data}[0]{price}, '89100.00', '  newest first');

$r = api(GET => "/api/v1/bots/$g->{botId}/performance", $u);
is($r->{status}, 200, 'performance: 200');
my $pf = $r->{json}{data};
is($pf->{totalTrades}, 6, 'totalTrades 6');
is($pf->{buyCount}, 3, 'buyCount 3');
is($pf->{sellCount}, 3, 'sellCount 3');
is($pf->{realizedPnl}, '410.00', 'realizedPnl 410.00 (200 + 1200 - 990)');
is($pf->{totalRealizedPnl}, '410.00', "seed 001 §37's totalRealizedPnl: the same");
is($pf->{unrealizedPnl}, '0.00', 'flat: nothing unrealized');
is($pf->{totalPnl}, '410.00', 'totalPnl 410.00');
is($pf->{winRate}, '66.67', 'winRate 66.67 (2 of 3 sells)');
is($pf->{maxDrawdown}, '990.00', 'maxDrawdown 990.00 (from 1400.00 to 410.00)');
is($pf->{pnlCurrency}, 'TRY', 'in TRY');
like($pf->{lastTradeAt}, qr/^\d{4}-\d\d-\d\dT/, 'lastTradeAt');

# an open position shows unrealized PnL at the last price (after a stop the
# grid takes its bearing again: 99000 level 1, 94000 level 0 buys)
for my $price (99000, 94000, 94500) {
	set_last_price('ETHTRY', $price);
	bots_run();
}
$pf = api(GET => "/api/v1/bots/$g->{botId}/performance", $u)->{json}{data};
is($pf->{unrealizedPnl}, '50.00', 'bought 0.1 at 94000.00, now 94500.00 (same level): unrealized 50.00');
is($pf->{totalPnl}, '460.00', 'totalPnl 460.00');
api(POST => "/api/v1/bots/$g->{botId}/stop", $u);

# ---- the summary of all the user's bots ------------------------------------------------
my $s = bot_new($U->{token}, name => 'btc', symbol => 'BTCTRY',
    strategyParams => { buyBelow => '1800000.00', sellAbove => '1900000.00' }, orderSize => '0.01');
api(POST => "/api/v1/bots/$s->{botId}/start", $u);
set_last_price('BTCTRY', 1790000);
bots_run();
set_last_price('BTCTRY', 1910000);
bots_run();
$r = api(GET => '/api/v1/bots/summary', $u);
is($r->{status}, 200, 'summary: 200');
my $sum = $r->{json}{data};
is($sum->{botCount}, 2, 'two bots');
is($sum->{totalRealizedPnl}, '1610.00', 'totalRealizedPnl: 410.00 + 1200.00, a string as in performance');
is($sum->{pnlCurrency}, 'TRY', '  in TRY, the one quote asset of the bots');
is_deeply($sum->{totalRealizedPnlByCurrency}, { TRY => '1610.00' }, 'totalRealizedPnlByCurrency: TRY only');
my %by = map { $_->{botId} => $_ } @{ $sum->{bots} };
is($by{$s->{botId}}{realizedPnl}, '1200.00', 'the BTC bot realized 1200.00');
is($by{$s->{botId}}{pnlCurrency}, 'TRY', '  in TRY');
is($by{$g->{botId}}{totalTrades}, 7, 'the grid bot traded 7 times');
my $other = trader('botr-other');
$r = api(GET => '/api/v1/bots/summary', bearer($other->{token}));
is_deeply($r->{json}{data}{bots}, [], "another user's summary shows none of them");
is_deeply($r->{json}{data}{totalRealizedPnlByCurrency}, {}, '  and no total by currency');
is($r->{json}{data}{totalRealizedPnl}, undef, '  nor a total: no currency applies');

# ---- a BINANCE bot on a pair hzm does not list: its PnL in the pair's quote asset ----------
binance_reset();
my $bn = bot_new($U->{token}, name => 'usdt', symbol => 'BTCUSDT', venue => 'BINANCE', orderSize => '0.001',
    strategyParams => { buyBelow => '61500', sellAbove => '61900' }, paperMode => JSON::PP::true);
is($bn->{state}{pnlCurrency}, 'USDT', 'a BINANCE BTCUSDT bot: PnL in USDT');
api(POST => "/api/v1/bots/$bn->{botId}/start", $u);
api(POST => "/api/v1/bots/$s->{botId}/stop", $u);
for my $price ('61000', '62000') {
	binance_price('BTCUSDT', $price);
	my ($rc, $n, $out) = bots_run();
	is($rc, 0, "binance paper run at $price") or diag($out);
}
$t = api(GET => "/api/v1/bots/$bn->{botId}/trades?sort=%2BcreatedAt", $u)->{json}{data};
is_deeply([ map { "$_->{side} $_->{realizedPnl} $_->{fee}{currency}" } @$t ],
    [ 'BUY 0.00000000 USDT', 'SELL 1.00000000 USDT' ], 'bought at 61000, sold at 62000: 1.00 USDT, fees in USDT');
$pf = api(GET => "/api/v1/bots/$bn->{botId}/performance", $u)->{json}{data};
is($pf->{totalRealizedPnl}, '1.00000000', 'performance: totalRealizedPnl 1.00000000');
is($pf->{pnlCurrency}, 'USDT', '  in USDT');
$sum = api(GET => '/api/v1/bots/summary', $u)->{json}{data};
%by = map { $_->{botId} => $_ } @{ $sum->{bots} };
is($by{$bn->{botId}}{pnlCurrency}, 'USDT', 'summary: the bot in USDT');
is_deeply($sum->{totalRealizedPnlByCurrency}, { TRY => '1610.00', USDT => '1.00000000' },
    '  totals per quote asset: TRY and USDT apart, no UNLISTED');
is($sum->{totalRealizedPnl}, undef, '  no single total across TRY and USDT');
is($sum->{pnlCurrency}, undef, '  nor its currency');
api(POST => "/api/v1/bots/$bn->{botId}/stop", $u);

# ---- backtest over hzm's own candles: the same figures, no order ------------------------
my $t0 = 1577836800000;		# 2020-01-01T00:00:00Z
my @closes = (104000, 99000, 94000, 101000, 106000, 99000, 89100);
for my $i (0 .. $#closes) {
	psql("INSERT INTO klines (symbol, interval, open_time, open, high, low, close, volume, quote_volume, trades)"
	    . " VALUES ('ETHTRY', '1m', 'epoch'::timestamptz + " . ($t0 + 60000 * $i) . " * interval '1 millisecond',"
	    . " $closes[$i], $closes[$i], $closes[$i], $closes[$i], 1, $closes[$i], 1)"
	    . " ON CONFLICT DO NOTHING");
}
my $orders0 = psql("SELECT count(*) FROM orders");
$r = api(POST => '/api/v1/bots/backtest', $u, { symbol => 'ETHTRY', %grid,
    startTime => $t0, endTime => $t0 + 600000 });
is($r->{status}, 200, 'backtest: 200') or diag($r->{body});
my $bt = $r->{json}{data};
is($bt->{candles}, 7, 'over 7 candles');
is($bt->{totalTrades}, 6, 'the same 6 trades');
is($bt->{realizedPnl}, '410.00', 'realizedPnl 410.00, as the worker realized');
is($bt->{winRate}, '66.67', 'winRate 66.67');
is($bt->{maxDrawdown}, '990.00', 'maxDrawdown 990.00');
is($bt->{finalPosition}, '0.00000000', 'flat at the end');
is_deeply([ map { $_->{realizedPnl} } @{ $bt->{trades} } ], [ '0.00', '0.00', '200.00', '1200.00', '0.00', '-990.00' ],
    'each trade as the worker made it');
is($bt->{trades}[0]{time}, $t0 + 60000, 'trades carry their candle time (epoch ms)');
is(psql("SELECT count(*) FROM orders"), $orders0, 'no order placed');

$r = api(POST => '/api/v1/bots/backtest', $u, { symbol => 'ETHTRY', strategy => 'ema', emaPeriod => 3,
    orderSize => '0.1', startTime => $t0, endTime => $t0 + 600000 });
is($r->{status}, 200, 'an ema backtest: 200');
is($r->{json}{data}{strategy}, 'ema', '  ema');

for my $t ([ { interval => '2m' }, 'interval' ], [ { limit => 0 }, 'limit' ], [ { limit => 1501 }, 'limit' ],
    [ { startTime => 'x' }, 'startTime' ], [ { startTime => $t0, endTime => $t0 - 1 }, 'endTime' ],
    [ { venue => 'BINANCE', symbol => 'BTCUSDT' }, 'venue' ], [ { orderSize => '0' }, 'orderSize' ],
    [ { strategyParams => { lower => '1' } }, 'strategyParams.upper' ], [ { colour => 1 }, 'colour' ]) {
	my ($extra, $field) = @$t;
	$r = api(POST => '/api/v1/bots/backtest', $u, { symbol => 'ETHTRY', %grid, %$extra });
	error_ok($r, 400, 'INVALID_REQUEST', "backtest with bad $field");
	is($r->{json}{error}{details}{field}, $field, "  names $field");
}
error_ok(api(POST => '/api/v1/bots/backtest', $u, { %grid, symbol => 'DOGETRY' }), 400, 'TRADE_005',
    'backtest of a market hzm does not list');
error_ok(api(POST => '/api/v1/bots/backtest', {}, { %grid, symbol => 'ETHTRY' }), 401, undef,
    'backtest without credentials');

done_testing();
