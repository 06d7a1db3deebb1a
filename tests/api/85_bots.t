# tests/api/85_bots.t — /api/v1/bots: configurations, state, start/stop; every endpoint with bad input and with another user's ids
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Hzm;
use HzmTrade;
use HzmBots;

mc_flush();
my $A = trader('bots-a');
my $B = trader('bots-b');
my $a = bearer($A->{token});

# ---- create, read, list ----------------------------------------------------------
my $r = api(POST => '/api/v1/bots', $a, { name => 'dip buyer', symbol => 'BTCTRY',
    strategy => 'simple', strategyParams => { buyBelow => '1800000.00', sellAbove => '1900000.00' },
    orderSize => '0.01', paperMode => JSON::PP::true, stopLossPercent => '5',
    takeProfitPercent => '2.5', dailyProfitTarget => '1000', dailyLossLimit => '500.50' });
is($r->{status}, 201, 'create: 201') or diag($r->{body});
envelope_ok($r, 'create');
my $bot = $r->{json}{data};
like($bot->{botId}, qr/^bot_[a-z2-7]{20}$/, 'bot_ id');
is($bot->{venue}, 'HZM', 'venue defaults to HZM');
is($bot->{orderSize}, '0.01000000', 'orderSize at the market precision');
is($bot->{stopLossPercent}, '5', 'stopLossPercent');
is($bot->{takeProfitPercent}, '2.5', 'takeProfitPercent');
is($bot->{dailyProfitTarget}, '1000.00', 'dailyProfitTarget in TRY');
is($bot->{dailyLossLimit}, '500.50', 'dailyLossLimit');
ok($bot->{paperMode}, 'paper mode');
is_deeply($bot->{strategyParams}, { buyBelow => '1800000.00', sellAbove => '1900000.00' }, 'strategyParams kept');
is($bot->{state}{status}, 'STOPPED', 'a new bot is STOPPED');
is($bot->{state}{position}, '0.00000000', 'flat');
is($bot->{state}{todayPnl}, '0.00', 'todayPnl 0.00');
is($bot->{state}{pnlCurrency}, 'TRY', 'PnL in TRY');
my $id = $bot->{botId};

$r = api(GET => '/api/v1/bots', $a);
is($r->{status}, 200, 'list: 200');
is(scalar(grep { $_->{botId} eq $id } @{ $r->{json}{data} }), 1, 'list has the bot');
$r = api(GET => '/api/v1/bots', bearer($B->{token}));
is(scalar(grep { $_->{botId} eq $id } @{ $r->{json}{data} }), 0, "another user's list does not");
$r = api(GET => "/api/v1/bots/$id", $a);
is($r->{json}{data}{name}, 'dip buyer', 'get one');

# ---- update -------------------------------------------------------------------------
$r = api(PUT => "/api/v1/bots/$id", $a, { name => 'renamed' });
is($r->{status}, 200, 'update one field: 200') or diag($r->{body});
is($r->{json}{data}{name}, 'renamed', 'name changed');
is($r->{json}{data}{orderSize}, '0.01000000', 'the rest kept');
$r = api(PUT => "/api/v1/bots/$id", $a, { strategy => 'ema', emaPeriod => 9 });
is($r->{status}, 200, 'switch to ema: the old parameters are dropped') or diag($r->{body});
is($r->{json}{data}{emaPeriod}, 9, 'emaPeriod 9');
is_deeply($r->{json}{data}{strategyParams}, {}, 'no parameters');
$r = api(PUT => "/api/v1/bots/$id", $a, { strategy => 'grid',
    strategyParams => { lower => '1700000', upper => '2000000', levels => 10 } });
is($r->{status}, 200, 'grid') or diag($r->{body});
$r = api(PUT => "/api/v1/bots/$id", $a, { strategy => 'rsi', strategyParams => { rsiPeriod => 14 } });
is($r->{status}, 200, 'rsi');
$r = api(PUT => "/api/v1/bots/$id", $a, { strategy => 'dca', strategyParams => {
    safetyOrderSize => '0.02', maxSafetyOrders => 3, priceDeviation => '1.5',
    volumeScale => '1.5', takeProfit => '2' } });
is($r->{status}, 200, 'dca') or diag($r->{body});

# ---- start, stop, state ----------------------------------------------------------------
$r = api(POST => "/api/v1/bots/$id/start", $a);
is($r->{status}, 200, 'start: 200');
is($r->{json}{data}{state}{status}, 'RUNNING', 'RUNNING');
$r = api(POST => "/api/v1/bots/$id/stop", $a);
is($r->{json}{data}{state}{status}, 'STOPPED', 'stop: STOPPED');
is($r->{json}{data}{state}{statusReason}, 'stopped by the user', 'with the reason');
$r = api(PUT => "/api/v1/bots/$id/state", $a, { status => 'RUNNING' });
is($r->{status}, 200, 'PUT state RUNNING: 200');
is($r->{json}{data}{status}, 'RUNNING', 'state says RUNNING');
$r = api(GET => "/api/v1/bots/$id/state", $a);
is($r->{json}{data}{status}, 'RUNNING', 'GET state');
error_ok(api(PUT => "/api/v1/bots/$id/state", $a, { status => 'PAUSED' }), 400, 'INVALID_REQUEST', 'state PAUSED');
error_ok(api(PUT => "/api/v1/bots/$id/state", $a, { status => 'RUNNING', position => '1' }), 400,
    'INVALID_REQUEST', 'the position is not the user\'s to set');

# a live bot on hzm trades as its owner: KYC LEVEL_2 to start it
my $low = new_user('bots-low');
my $l = bearer($low->{access});
$r = api(POST => '/api/v1/bots', $l, { name => 'live', symbol => 'BTCTRY',
    strategyParams => { buyBelow => '1', sellAbove => '2' }, orderSize => '0.01' });
is($r->{status}, 201, 'a LEVEL_0 user may configure a live bot');
error_ok(api(POST => "/api/v1/bots/$r->{json}{data}{botId}/start", $l), 403, 'KYC_REQUIRED',
    'but not start it');

# BINANCE is accepted in configurations
$r = api(POST => '/api/v1/bots', $a, { name => 'binance', symbol => 'BTCUSDT', venue => 'BINANCE',
    strategyParams => { buyBelow => '1', sellAbove => '2' }, orderSize => '0.001' });
is($r->{status}, 201, 'a BINANCE bot: 201') or diag($r->{body});
is($r->{json}{data}{venue}, 'BINANCE', 'venue BINANCE');

# DESIGN's and seed 001's name for the venue: exchange, INTERNAL (hzm) or BINANCE
$r = api(POST => '/api/v1/bots', $a, { name => 'internal', symbol => 'BTCTRY', exchange => 'INTERNAL',
    strategyParams => { buyBelow => '1', sellAbove => '2' }, orderSize => '0.01' });
is($r->{status}, 201, 'exchange INTERNAL: 201') or diag($r->{body});
is($r->{json}{data}{venue}, 'HZM', '  is venue HZM');
is($r->{json}{data}{exchange}, 'INTERNAL', '  and answered as exchange INTERNAL');
is($r->{json}{data}{apiKeyId}, undef, '  no Binance key on hzm');
my $ex = $r->{json}{data}{botId};
$r = api(PUT => "/api/v1/bots/$ex", $a, { exchange => 'BINANCE', symbol => 'BTCUSDT', orderSize => '0.001' });
is($r->{status}, 200, 'update: exchange BINANCE') or diag($r->{body});
is($r->{json}{data}{venue}, 'BINANCE', '  venue BINANCE');
is($r->{json}{data}{exchange}, 'BINANCE', '  exchange BINANCE');
is(api(GET => "/api/v1/bots/$ex", $a)->{json}{data}{exchange}, 'BINANCE', '  as GET says');
$r = api(PUT => "/api/v1/bots/$ex", $a, { exchange => 'INTERNAL', symbol => 'BTCTRY', orderSize => '0.01' });
is($r->{json}{data}{venue}, 'HZM', '  and back to INTERNAL: HZM');
error_ok(api(PUT => "/api/v1/bots/$ex", $a, { exchange => 'HZM' }), 400, 'INVALID_REQUEST',
    'update: exchange HZM (venue\'s word, not exchange\'s)');
is(bot_get($A->{token}, $ex)->{venue}, 'HZM', '  changed nothing');
api(DELETE => "/api/v1/bots/$ex", $a);

# ---- bad input: one field at a time, named -------------------------------------------
my %good = (name => 'x', symbol => 'BTCTRY', strategyParams => { buyBelow => '1', sellAbove => '2' },
    orderSize => '0.01');
my @bad = (
	[ { %good, name => undef }, 'name', 'name missing' ],
	[ { %good, name => 'x' x 65 }, 'name', 'name too long' ],
	[ { %good, colour => 'red' }, 'colour', 'unknown field' ],
	[ { %good, symbol => 'btc try' }, 'symbol', 'malformed symbol' ],
	[ { %good, venue => 'KRAKEN' }, 'venue', 'unknown venue' ],
	[ { %good, exchange => 'KRAKEN' }, 'exchange', 'unknown exchange' ],
	[ { %good, exchange => 'BINANCE', venue => 'BINANCE' }, 'exchange', 'exchange and venue both' ],
	[ { %good, exchange => 1 }, 'exchange', 'exchange not a string' ],
	[ { %good, apiKeyId => 'bnk_aaaaaaaaaaaaaaaaaaaa' }, 'apiKeyId', 'apiKeyId on hzm' ],
	[ { %good, strategy => 'macd' }, 'strategy', 'unknown strategy' ],
	[ { %good, orderSize => 'abc' }, 'orderSize', 'orderSize not a decimal' ],
	[ { %good, orderSize => 0.01 }, 'orderSize', 'orderSize a JSON number' ],
	[ { %good, orderSize => '0' }, 'orderSize', 'orderSize zero' ],
	[ { %good, orderSize => '-1' }, 'orderSize', 'orderSize negative' ],
	[ { %good, orderSize => '0.000000001' }, 'orderSize', 'orderSize past the market precision' ],
	[ { %good, orderSize => undef }, 'orderSize', 'orderSize missing' ],
	[ { %good, stopLossPercent => '100' }, 'stopLossPercent', 'stop-loss of 100%' ],
	[ { %good, takeProfitPercent => '1.00001' }, 'takeProfitPercent', 'take-profit too precise' ],
	[ { %good, dailyLossLimit => '0.001' }, 'dailyLossLimit', 'loss limit past TRY precision' ],
	[ { %good, paperMode => 'yes' }, 'paperMode', 'paperMode not a boolean' ],
	[ { %good, strategy => 'ema', strategyParams => undef, emaPeriod => '20' }, 'emaPeriod', 'emaPeriod a string' ],
	[ { %good, strategy => 'ema', strategyParams => undef, emaPeriod => 1 }, 'emaPeriod', 'emaPeriod 1' ],
	[ { %good, emaPeriod => 20 }, 'emaPeriod', 'emaPeriod for simple' ],
	[ { %good, strategyParams => { buyBelow => '3', sellAbove => '2' } }, 'strategyParams.sellAbove', 'thresholds crossed' ],
	[ { %good, strategyParams => [] }, 'strategyParams', 'strategyParams an array' ],
	[ { %good, strategy => 'grid', strategyParams => { lower => '1', upper => '2' } }, 'strategyParams.levels', 'grid levels missing' ],
	[ { %good, strategy => 'rsi', strategyParams => { rsiPeriod => 0 } }, 'strategyParams.rsiPeriod', 'rsi period 0' ],
	[ { %good, strategy => 'dca', strategyParams => { volumeScale => '11' } }, 'strategyParams.volumeScale', 'dca volume scale 11' ],
);
for my $t (@bad) {
	my ($body, $field, $name) = @$t;
	delete $body->{$_} for grep { !defined $body->{$_} } keys %$body;
	$r = api(POST => '/api/v1/bots', $a, $body);
	error_ok($r, 400, 'INVALID_REQUEST', $name);
	is($r->{json}{error}{details}{field}, $field, "$name: names $field");
}
# The required fields alone: the default strategy (simple) with seed 001
# §33's example parameters; and seed 001's snake_case spellings.
$r = api(POST => '/api/v1/bots', $a, { name => 'plain', symbol => 'BTCTRY', orderSize => '0.01' });
is($r->{status}, 201, 'a bot of the required fields alone') or diag($r->{body});
is($r->{json}{data}{strategy}, 'simple', '  the default strategy: simple');
api(DELETE => "/api/v1/bots/$r->{json}{data}{botId}", $a) if $r->{status} == 201;
$r = api(POST => '/api/v1/bots', $a, { name => 'snake', symbol => 'BTCTRY', strategy => 'ema',
    ema_period => 30, order_size => '0.02', paper_mode => JSON::PP::true });
is($r->{status}, 201, 'snake_case fields (seed 001)') or diag($r->{body});
is($r->{json}{data}{emaPeriod}, 30, '  ema_period is emaPeriod');
is($r->{json}{data}{orderSize}, '0.02000000', '  order_size is orderSize');
ok($r->{json}{data}{paperMode}, '  paper_mode is paperMode');
api(DELETE => "/api/v1/bots/$r->{json}{data}{botId}", $a) if $r->{status} == 201;
# An ema bot without emaPeriod runs with the default period, and says which.
$r = api(POST => '/api/v1/bots', $a, { name => 'ema default', symbol => 'BTCTRY', strategy => 'ema',
    orderSize => '0.01' });
is($r->{status}, 201, 'an ema bot without emaPeriod') or diag($r->{body});
is($r->{json}{data}{emaPeriod}, 20, '  answers the period it runs with: 20');
is(bot_get($A->{token}, $r->{json}{data}{botId})->{emaPeriod}, 20, '  and so does GET');
my $ema_default = $r->{json}{data}{botId};
$r = api(PUT => "/api/v1/bots/$ema_default", $a, { emaPeriod => 50 });
is($r->{json}{data}{emaPeriod}, 50, '  a period given replaces it');
$r = api(PUT => "/api/v1/bots/$ema_default", $a, { strategy => 'rsi' });
is($r->{status}, 200, '  another strategy') or diag($r->{body});
is($r->{json}{data}{emaPeriod}, undef, '  has no emaPeriod');
api(DELETE => "/api/v1/bots/$ema_default", $a);
$r = api(POST => '/api/v1/bots', $a, { %good, order_size => '0.02' });
error_ok($r, 400, 'INVALID_REQUEST', 'both spellings of one field');
is($r->{json}{error}{details}{field}, 'order_size', '  names the snake_case one');
$r = api(POST => '/api/v1/bots', $a, { %good, symbol => 'DOGETRY' });
error_ok($r, 400, 'TRADE_005', 'a market hzm does not list');
error_ok(api(POST => '/api/v1/bots', $a, '{"name":'), 400, 'INVALID_REQUEST', 'broken JSON');
error_ok(api(POST => '/api/v1/bots', $a, '[1]'), 400, 'INVALID_REQUEST', 'a JSON array');
error_ok(api(PUT => "/api/v1/bots/$id", $a, { orderSize => '1e3' }), 400, 'INVALID_REQUEST', 'update: bad orderSize');
is(bot_get($A->{token}, $id)->{orderSize}, '0.01000000', 'a refused update changes nothing');
error_ok(api(GET => '/api/v1/bots'), 401, undef, 'no credentials');

# ---- another user's ids, and ids that are no bot's: not found ---------------------------
my $b = bearer($B->{token});
for my $t (['GET', ''], ['PUT', '', { name => 'mine' }], ['DELETE', ''], ['GET', '/state'],
    ['PUT', '/state', { status => 'STOPPED' }], ['POST', '/start'], ['POST', '/stop'],
    ['GET', '/performance'], ['GET', '/trades']) {
	my ($m, $sub, $body) = @$t;
	error_ok(api($m => "/api/v1/bots/$id$sub", $b, $body), 404, 'NOT_FOUND', "$m another user's bot$sub");
	error_ok(api($m => "/api/v1/bots/bot_aaaaaaaaaaaaaaaaaaaa$sub", $a, $body), 404, 'NOT_FOUND', "$m unknown bot$sub");
	error_ok(api($m => "/api/v1/bots/1%27%20OR%201=1$sub", $a, $body), 404, 'NOT_FOUND', "$m malformed id$sub");
}
is(bot_get($A->{token}, $id)->{name}, 'renamed', "the other user's attempts changed nothing");
is(bot_get($A->{token}, $id)->{state}{status}, 'RUNNING', '  not even the status');

# ---- trades list query --------------------------------------------------------------
error_ok(api(GET => "/api/v1/bots/$id/trades?filter_side=HOLD", $a), 400, 'INVALID_REQUEST', 'filter_side HOLD');
error_ok(api(GET => "/api/v1/bots/$id/trades?filter_colour=red", $a), 400, 'INVALID_REQUEST', 'unknown filter');
error_ok(api(GET => "/api/v1/bots/$id/trades?pageSize=501", $a), 400, 'INVALID_REQUEST', 'pageSize 501');
$r = api(GET => "/api/v1/bots/$id/trades", $a);
is($r->{status}, 200, 'trades: 200');
is_deeply($r->{json}{data}, [], 'no trades yet');

# ---- delete ---------------------------------------------------------------------------
$r = api(DELETE => "/api/v1/bots/$id", $a);
is($r->{status}, 200, 'delete: 200');
error_ok(api(GET => "/api/v1/bots/$id", $a), 404, 'NOT_FOUND', 'a deleted bot is gone');
error_ok(api(DELETE => "/api/v1/bots/$id", $a), 404, 'NOT_FOUND', 'deleted twice');
is(bot_row($id, 'status'), 'STOPPED', 'and never runs again');

done_testing();
