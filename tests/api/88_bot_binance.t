# tests/api/88_bot_binance.t — bots on the BINANCE venue against the stand-in: an EMA bot trading with the user's key to its daily loss limit, paper mode, prices once per symbol, two runs at once, a run killed midway, Binance failing, a refused key, Retry-After, no secret in the logs
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Time::HiRes qw(sleep);
use Hzm;
use HzmTrade;
use HzmBots;
use HzmBinance;

plan skip_all => 'cron-bots not built' unless -x "$ENV{HZM_VAR}/bin/cron-bots";
mc_flush();
binance_reset(orders => JSON::PP::true);
psql("UPDATE bots SET status = 'STOPPED'");	# earlier files' bots stay out of the runs

my %secrets;
my $kseq = 0;
# A user with a Binance key of their own on the stand-in (an account of its own).
sub binance_user {
	my ($tag) = @_;
	my $u = trader($tag);
	my $key = substr(sprintf('BOTKEY%02d', ++$kseq) . ('7Hq2Lm9Xw4' x 7), 0, 64);
	my $secret = 'S' . substr(lc($key), 1);
	binance_add_key(apiKey => $key, secretKey => $secret, enableWithdrawals => JSON::PP::false,
	    ipRestrict => JSON::PP::false);
	my $r = api(POST => '/api/v1/api-keys', bearer($u->{token}), { api_key => $key, secret_key => $secret });
	die "key: $r->{status} $r->{body}" unless $r->{status} == 201;
	$secrets{$secret} = 1;
	return { %$u, key => $key, secret => $secret };
}
sub run_ok {
	my ($name, %env) = @_;
	my ($rc, $n, $out) = bots_run(%env);
	is($rc, 0, "$name: cron-bots exits 0") or diag($out);
	return $n;
}
sub start { api(POST => "/api/v1/bots/$_[1]/start", bearer($_[0])) }
sub stop { api(POST => "/api/v1/bots/$_[1]/stop", bearer($_[0])) }
sub trades_of { api(GET => "/api/v1/bots/$_[1]/trades?sort=%2BcreatedAt", bearer($_[0]))->{json}{data} }
sub state_of { bot_get($_[0], $_[1])->{state} }
sub klines { binance_call(POST => '/test/klines', { symbol => $_[0], interval => '1m', closes => [ ($_[1]) x 9 ] }) }
sub orders_of {
	my ($key) = @_;
	return [ grep { $_->{apiKey} eq $key } @{ binance_call(GET => '/test/orders')->{orders} } ];
}
sub order_posts {	# POST /api/v3/order requests per newClientOrderId
	my %n;
	$n{ $_->{params}{newClientOrderId} // '' }++
	    for grep { $_->{method} eq 'POST' && $_->{path} eq '/api/v3/order' } @{ binance_requests() };
	return \%n;
}
sub internal_id { psql("SELECT id FROM bots WHERE public_id = '$_[0]'") }

# ---- an EMA bot, live on Binance, to its daily loss limit ------------------------------
my $U = binance_user('bnb-ema');
my $r = api(POST => '/api/v1/bots', bearer($U->{token}), { name => 'ema', symbol => 'BTCUSDT', venue => 'BINANCE',
    strategy => 'ema', emaPeriod => 3, orderSize => '0.001', paperMode => JSON::PP::false, dailyLossLimit => '2' });
is($r->{status}, 201, 'an EMA bot on BINANCE') or diag($r->{body});
my $e = $r->{json}{data};
is($e->{venue}, 'BINANCE', '  venue BINANCE');
is($e->{venueSymbol}, undef, '  traded there as BTCUSDT itself');
is(start($U->{token}, $e->{botId})->{status}, 200, '  started');
my $eid = internal_id($e->{botId});

binance_reset();
klines('BTCUSDT', '60000');
binance_price('BTCUSDT', '61000');
my $n = run_ok('ema buy');
is($n->{trades}, 1, 'above the EMA of the closes (60000): bought');
my $c = binance_counts();
is($c->{'GET /api/v3/ticker/price'}, 1, '  one price request');
is($c->{'GET /api/v3/klines'}, 1, '  one klines request');
is($c->{'POST /api/v3/order'}, 1, '  one order');
my $o = orders_of($U->{key});
is(scalar @$o, 1, 'the stand-in holds one order of the key');
is($o->[0]{clientOrderId}, "bot-$eid-0", '  under the cycle client id bot-<id>-0');
is($o->[0]{type}, 'MARKET', '  a market order');
is($o->[0]{origQty}, '0.00100000', '  for 0.001');
my $t = trades_of($U->{token}, $e->{botId});
is($t->[0]{side}, 'BUY', 'the trade: BUY');
is($t->[0]{price}, '61000.00000000', '  at 61000');
is($t->[0]{quantity}, '0.00099900', '  0.001 less the commission Binance took in BTC');
is_deeply($t->[0]{fee}, { amount => '0.00000100', currency => 'BTC' }, '  that commission, 0.000001 BTC, as the fee');
is($t->[0]{quoteQuantity}, '61.00000000', '  for 61 USDT');
is($t->[0]{orderId}, "$o->[0]{orderId}", "  Binance's order id");
is($t->[0]{venue}, 'BINANCE', '  venue');
my $st = state_of($U->{token}, $e->{botId});
is($st->{position}, '0.00099900', 'holds 0.000999 BTC');

klines('BTCUSDT', '63000');
binance_price('BTCUSDT', '60000');
run_ok('ema sell');
$t = trades_of($U->{token}, $e->{botId});
is($t->[1]{side}, 'SELL', 'below the EMA (63000): sold');
# BTCUSDT's LOT_SIZE (exchangeInfo) takes multiples of 0.00001: Binance
# would refuse 0.000999 (-1013), so 0.00099 is sold and 0.000009 stays.
is($t->[1]{quantity}, '0.00099000', '  what it holds, down to the lot step: 0.00099');
is(binance_counts()->{'GET /api/v3/exchangeInfo'}, 2, '  the lot read from exchangeInfo, once in each run');
is_deeply($t->[1]{fee}, { amount => '0.05940000', currency => 'USDT' }, '  commission 0.1% in USDT');
# FIFO by hand: 0.00099 x 60000 = 59.40, less 0.0594, less that part of
# the lot's cost: 61.00 x 0.00099 / 0.000999 = 60.45045045 (rounded down)
is($t->[1]{realizedPnl}, '-1.10985045', '  realizing 59.40 - 0.0594 - 60.45045045 = -1.10985045');
$st = state_of($U->{token}, $e->{botId});
is($st->{status}, 'RUNNING', '  still RUNNING (-1.10985045 > -2)');
is($st->{position}, '0.00000900', '  0.000009 left, less than Binance takes: decided on as none');

klines('BTCUSDT', '60000');
binance_price('BTCUSDT', '61000');
run_ok('ema buy 2');
klines('BTCUSDT', '63000');
binance_price('BTCUSDT', '60000');
$n = run_ok('ema sell 2');
is($n->{halted}, 1, 'the second loss reaches the daily loss limit');
$st = state_of($U->{token}, $e->{botId});
is($st->{status}, 'STOPPED', '  STOPPED');
is($st->{statusReason}, 'daily loss limit reached', '  with the reason');
# The second sale takes the remainder along: 0.000009 + 0.000999 =
# 0.001008, sold as 0.00100 for 60.00 less 0.06; its cost 0.54954955 (the
# remainder) + 61.00 x 0.000991 / 0.000999 = 60.51151151.
is($st->{todayPnl}, '-2.23091151', '  todayPnl -1.10985045 - 1.12106106 = -2.23091151');
$r = api(GET => "/api/v1/bots/$e->{botId}/performance", bearer($U->{token}));
is($r->{json}{data}{totalTrades}, 4, 'performance: 4 trades');
is($r->{json}{data}{realizedPnl}, '-2.23091151', '  realized -2.23091151');
is(trades_of($U->{token}, $e->{botId})->[3]{quantity}, '0.00100000', '  the second sale: 0.001');
is_deeply([ map { $_->{clientOrderId} } @{ orders_of($U->{key}) } ],
    [ map { "bot-$eid-$_" } 0 .. 3 ], 'four orders on Binance, one per cycle');
is((bot_events($e->{botId}))->[-1], 'bot.daily_loss', 'bot.daily_loss event');
$n = run_ok('after the halt');
is(scalar @{ trades_of($U->{token}, $e->{botId}) }, 4, 'stopped: no more trades');

# A started live bot buying orderSize of symbol below 100000: (user, botId).
sub live_buyer {
	my ($tag, $symbol, $size) = @_;
	my $K = binance_user($tag);
	my $cr = api(POST => '/api/v1/bots', bearer($K->{token}), { name => $tag, symbol => $symbol,
	    venue => 'BINANCE', strategy => 'simple', strategyParams => { buyBelow => '100000',
	    sellAbove => '200000' }, orderSize => $size, paperMode => JSON::PP::false });
	is($cr->{status}, 201, "a live bot buying $size $symbol") or diag($cr->{body});
	start($K->{token}, $cr->{json}{data}{botId});
	binance_reset();
	return ($K, $cr->{json}{data}{botId});
}

# ---- this host's clock 30 s off Binance's: -1021, then Binance's time ----------------------
{
	my ($K, $id) = live_buyer('bnb-clock', 'BTCUSDT', '0.001');
	binance_price('BTCUSDT', '61000');
	binance_clock(-30000);
	run_ok('with Binance 30 s behind us');
	is(scalar @{ trades_of($K->{token}, $id) }, 1, '  the order went through all the same');
	is(psql("SELECT failures FROM bots WHERE public_id = '$id'"), 0, '  and is no failure');
	ok((binance_counts()->{'GET /api/v3/time'} // 0) >= 1, "  Binance's time read");
	stop($K->{token}, $id);
	binance_reset();
}

# ---- an order worth less than Binance's least (NOTIONAL): not sent ------------------------
{
	my ($K, $id) = live_buyer('bnb-small', 'ETHUSDT', '0.001');
	binance_price('ETHUSDT', '3000');
	run_ok('an order under 5 USDT (0.001 ETH at 3000)');
	is(binance_counts()->{'POST /api/v3/order'} // 0, 0, '  not sent to Binance');
	like(state_of($K->{token}, $id)->{statusReason} // '', qr/minNotional 5/,
	    '  the bot says why: worth less than its least order');
	stop($K->{token}, $id);
	binance_reset();
}

# ---- the same in paper mode: Binance's prices, nothing sent -------------------------------
my $P = trader('bnb-paper');	# no Binance key: paper needs none
$r = api(POST => '/api/v1/bots', bearer($P->{token}), { name => 'paper', symbol => 'BTCTRY', venue => 'BINANCE',
    venueSymbol => 'BTCUSDT', strategy => 'ema', emaPeriod => 3, orderSize => '0.001', dailyLossLimit => '2',
    paperMode => JSON::PP::true });
is($r->{status}, 201, 'a paper EMA bot on BINANCE, BTCTRY traded there as BTCUSDT') or diag($r->{body});
my $pp = $r->{json}{data};
is($pp->{venueSymbol}, 'BTCUSDT', '  venueSymbol BTCUSDT');
start($P->{token}, $pp->{botId});
binance_reset();
for my $step ([ '60000', '61000' ], [ '63000', '60000' ], [ '60000', '61000' ], [ '63000', '60000' ]) {
	klines('BTCUSDT', $step->[0]);
	binance_price('BTCUSDT', $step->[1]);
	run_ok("paper at $step->[1]");
}
$t = trades_of($P->{token}, $pp->{botId});
is(scalar @$t, 4, 'paper: four trades');
is($t->[0]{symbol}, 'BTCTRY', '  under the bot\'s symbol');
is($t->[0]{quoteQuantity}, '61.00000000', '  bought at 61000 without a fee');
is($t->[1]{realizedPnl}, '-1.00000000', '  sold at 60000: -1.00');
ok($t->[1]{paperMode}, '  paper');
is(state_of($P->{token}, $pp->{botId})->{statusReason}, 'daily loss limit reached', '  stopped at -2.00');
is(binance_counts()->{'POST /api/v3/order'} // 0, 0, 'paper mode sent no order');
is(binance_counts()->{'GET /api/v3/ticker/price'}, 4, '  one price request a run');
$r = api(PUT => "/api/v1/bots/$pp->{botId}", bearer($P->{token}), { venueSymbol => 'ETHUSDT' });
is($r->{status}, 200, 'flat: venueSymbol may change') or diag($r->{body});
$r = api(PUT => "/api/v1/bots/$pp->{botId}", bearer($P->{token}), { venue => 'HZM', venueSymbol => 'BTCUSDT' });
error_ok($r, 400, 'INVALID_REQUEST', 'venueSymbol on HZM');

# ---- many bots, two runs at once: one order per cycle, sent together ----------------------
my $M = binance_user('bnb-many');
my $mid = psql("SELECT id FROM users WHERE public_id = '$M->{userId}'");
psql("INSERT INTO bots (public_id, user_id, name, symbol, venue, strategy, params, order_size, paper, status)"
    . " SELECT 'bot_' || translate(substr(md5(random()::text || g), 1, 20), '0189', 'wxyz'), $mid, 'many',"
    . " CASE WHEN g % 2 = 0 THEN 'BTCUSDT' ELSE 'ETHUSDT' END, 'BINANCE', 'simple',"
    . " jsonb_build_object('buyBelow', '100000', 'sellAbove', '200000'),"
    # Worth Binance's least order (NOTIONAL 5 USDT) at 60000 and 3000.
    . " CASE WHEN g % 2 = 0 THEN 0.001 ELSE 0.01 END, false, 'RUNNING'"
    . " FROM generate_series(1, 40) g");
binance_reset();
binance_call(POST => '/test/latency', { path => '/api/v3/order', ms => 300 });
my @pids = map { bots_run_bg(HZM_BOTS_INTERVAL_SECONDS => 60, HZM_BOTS_BATCH => 20) } 1 .. 2;
waitpid($_, 0) for @pids;
my $posts = order_posts();
is(scalar(keys %$posts), 40, 'two runs at once: 40 client order ids');
is(scalar(grep { $_ != 1 } values %$posts), 0, '  each sent once');
is(psql("SELECT count(*) || '|' || count(DISTINCT bot_id) FROM bot_trades t JOIN bots b ON b.id = t.bot_id"
    . " WHERE b.user_id = $mid"), '40|40', '  each bot traded once');
is(psql("SELECT count(*) FROM bot_trades t JOIN bots b ON b.id = t.bot_id WHERE b.user_id = $mid"
    . " AND t.side = 'BUY' AND t.fee > 0 AND t.fee_asset = left(t.symbol, 3)"), 40,
    '  each buy with its commission, in the base asset');
my $rq = binance_call(GET => '/test/requests');
ok($rq->{counts}{'GET /api/v3/ticker/price'} <= 4, '  price requests: at most one per batch');
ok($rq->{maxInFlight}{'POST /api/v3/order'} > 1, "  orders overlapped ($rq->{maxInFlight}{'POST /api/v3/order'} at once)");

# ---- a run killed midway: the next finds the orders, sends none twice ---------------------
psql("UPDATE bots SET params = jsonb_build_object('buyBelow', '1', 'sellAbove', '2'), last_run_at = NULL"
    . " WHERE user_id = $mid");
binance_reset();
binance_call(POST => '/test/latency', { path => '/api/v3/order', ms => 1500 });
my $pid = bots_run_bg(HZM_BOTS_INTERVAL_SECONDS => 60);
sleep 1.0;
kill 'KILL', $pid;
waitpid($pid, 0);
sleep 1.0;	# the stand-in finishes what it was sent
my $pending = psql("SELECT count(*) FROM bots WHERE user_id = $mid AND pending_side IS NOT NULL");
ok($pending > 0, "killed while $pending orders were out");
binance_reset();
psql("UPDATE bots SET lease_until = now() - interval '1 second' WHERE user_id = $mid AND lease_until IS NOT NULL");
run_ok('after the kill', HZM_BOTS_INTERVAL_SECONDS => 60);
is(psql("SELECT count(*) FROM bots WHERE user_id = $mid AND pending_side IS NOT NULL"), 0, 'nothing pending');
is(psql("SELECT count(*) || '|' || count(DISTINCT bot_id) FROM bot_trades t JOIN bots b ON b.id = t.bot_id"
    . " WHERE b.user_id = $mid AND t.side = 'SELL'"), '40|40', 'every bot sold once');
my %per_cid;
$per_cid{ $_->{clientOrderId} }++ for @{ orders_of($M->{key}) };
is(scalar(grep { $_ != 1 } values %per_cid), 0, 'one Binance order per client id');
ok((binance_counts()->{'GET /api/v3/order'} // 0) >= $pending, '  the orders out were looked up');
# GET /api/v3/order carries no commission: myTrades does.
ok((binance_counts()->{'GET /api/v3/myTrades'} // 0) > 0, '  their trades read (myTrades)');
is(psql("SELECT count(*) FROM bot_trades t JOIN bots b ON b.id = t.bot_id"
    . " WHERE b.user_id = $mid AND t.side = 'SELL' AND t.fee = 0"), 0,
    '  every sale with its commission, looked up or not');
psql("UPDATE bots SET status = 'STOPPED' WHERE user_id = $mid");

# ---- Binance failing: 500 and down count toward bot_max_failures --------------------------
my $F = binance_user('bnb-fail');
my $fb = bot_new($F->{token}, name => 'fail', symbol => 'BTCUSDT', venue => 'BINANCE', orderSize => '0.001',
    paperMode => JSON::PP::false, strategyParams => { buyBelow => '100000', sellAbove => '200000' });
start($F->{token}, $fb->{botId});
binance_reset();
binance_fault(mode => 'down', path => '/api/v3/order');
run_ok('order: down');
$st = state_of($F->{token}, $fb->{botId});
is($st->{status}, 'RUNNING', 'no answer to the order: a failure, still RUNNING');
like($st->{statusReason}, qr/looked up next run/, '  looked up next run');
run_ok('after down');
is(scalar @{ trades_of($F->{token}, $fb->{botId}) }, 1, 'then looked up, not found, sent and filled');
is(binance_counts()->{'GET /api/v3/order'}, 1, '  after one lookup');
binance_fault(mode => '500', path => '/api/v3/ticker/price', count => 3);
for my $i (1 .. 3) {
	run_ok("500 $i");
	$st = state_of($F->{token}, $fb->{botId});
	is($st->{status}, $i < 3 ? 'RUNNING' : 'ERROR', "HTTP 500 $i: " . ($i < 3 ? 'RUNNING' : 'ERROR'));
}
like($st->{statusReason}, qr/BINANCE: no price/, '  the reason');
is((bot_events($fb->{botId}))->[-1], 'bot.error', '  bot.error event');

# ---- Retry-After: the cycle skipped, not failed, nothing sent before it ends -------------
my $R = binance_user('bnb-429');
my $rb = bot_new($R->{token}, name => '429', symbol => 'ETHUSDT', venue => 'BINANCE', orderSize => '0.01',
    paperMode => JSON::PP::false, strategyParams => { buyBelow => '100000', sellAbove => '200000' });
start($R->{token}, $rb->{botId});
binance_reset();
binance_fault(mode => '429', path => '/api/v3/order', retryAfter => 3);
$n = run_ok('429');
is($n->{skipped}, 1, 'a 429 skips the cycle');
$st = state_of($R->{token}, $rb->{botId});
is($st->{status}, 'RUNNING', '  RUNNING');
like($st->{statusReason}, qr/asked to wait/, '  saying why');
is(bot_row($rb->{botId}, 'failures'), 0, '  not counted as a failure');
my $before = binance_counts();
$n = run_ok('within Retry-After');
is($n->{skipped}, 1, 'run again within Retry-After: skipped again');
is_deeply(binance_counts(), $before, '  and nothing sent to Binance');
sleep 3.2;
run_ok('after Retry-After');
is(scalar @{ trades_of($R->{token}, $rb->{botId}) }, 1, 'after Retry-After: traded');
is(order_posts()->{ "bot-" . internal_id($rb->{botId}) . "-0" }, 1, '  one order went through under the cycle id');
is(binance_counts()->{'POST /api/v3/order'}, 2, '  after the one Binance answered 429');
stop($R->{token}, $rb->{botId});

# ---- -2015: the key marked invalid, all its live bots stopped, apikey.invalid -------------
my $K = binance_user('bnb-2015');
my $k1 = bot_new($K->{token}, name => 'k1', symbol => 'BTCUSDT', venue => 'BINANCE', orderSize => '0.001',
    paperMode => JSON::PP::false, strategyParams => { buyBelow => '100000', sellAbove => '200000' });
my $k2 = bot_new($K->{token}, name => 'k2', symbol => 'ETHUSDT', venue => 'BINANCE', orderSize => '0.01',
    paperMode => JSON::PP::false, strategyParams => { buyBelow => '1', sellAbove => '2000000' });
my $k3 = bot_new($K->{token}, name => 'k3', symbol => 'ETHUSDT', venue => 'BINANCE', orderSize => '0.01',
    strategyParams => { buyBelow => '1', sellAbove => '2000000' });
start($K->{token}, $_->{botId}) for $k1, $k2, $k3;
binance_reset();
# the key now only works from another address: Binance answers -2015
binance_add_key(apiKey => $K->{key}, secretKey => $K->{secret}, enableWithdrawals => JSON::PP::false,
    ipRestrict => JSON::PP::true, ips => [ '192.0.2.1' ]);
run_ok('-2015');
$r = api(GET => '/api/v1/api-keys/me', bearer($K->{token}));
ok(!$r->{json}{data}{isValid}, 'the key is marked invalid');
like($r->{json}{data}{invalidReason}, qr/Invalid API-key/, '  with Binance\'s reason');
is(state_of($K->{token}, $k1->{botId})->{status}, 'ERROR', 'the bot whose order was refused: ERROR');
is(state_of($K->{token}, $k2->{botId})->{status}, 'ERROR', 'the key\'s other live bot: ERROR');
like(state_of($K->{token}, $k2->{botId})->{statusReason}, qr/Invalid API-key/, '  with the reason');
is(state_of($K->{token}, $k3->{botId})->{status}, 'RUNNING', 'a paper bot keeps running');
my $uid = psql("SELECT id FROM users WHERE public_id = '$K->{userId}'");
is(psql("SELECT count(*) FROM outbox WHERE user_id = $uid AND event_type = 'apikey.invalid'"), 1,
    'one apikey.invalid event in the outbox');
is(psql("SELECT count(*) FROM outbox WHERE user_id = $uid AND event_type = 'bot.error'"), 2, '  a bot.error per stopped bot');
is(start($K->{token}, $k1->{botId})->{status}, 200, 'started again by its owner');
run_ok('invalid key');
like(state_of($K->{token}, $k1->{botId})->{statusReason}, qr/^the Binance API key is not valid/,
    '  ERROR at once: the key is not valid');
stop($K->{token}, $k3->{botId});

# ---- exchange and apiKeyId (seed 001 §33): the caller's own saved key ---------------------
{
	my $kid = api(GET => '/api/v1/api-keys/me', bearer($U->{token}))->{json}{data}{id};
	like($kid, qr/^bnk_/, "the user's saved Binance key: $kid");
	my %conf = (name => 'keyed', symbol => 'BTCUSDT', exchange => 'BINANCE', orderSize => '0.001',
	    strategyParams => { buyBelow => '1', sellAbove => '2' });
	$r = api(POST => '/api/v1/bots', bearer($U->{token}), { %conf, apiKeyId => $kid });
	is($r->{status}, 201, 'exchange BINANCE with apiKeyId: 201') or diag($r->{body});
	is($r->{json}{data}{venue}, 'BINANCE', '  venue BINANCE');
	is($r->{json}{data}{exchange}, 'BINANCE', '  exchange BINANCE');
	is($r->{json}{data}{apiKeyId}, $kid, '  trading with that key');
	api(DELETE => "/api/v1/bots/$r->{json}{data}{botId}", bearer($U->{token}));
	$r = api(POST => '/api/v1/bots', bearer($U->{token}), { %conf, api_key_id => $kid });
	is($r->{status}, 201, 'api_key_id, seed 001\'s spelling: 201') or diag($r->{body});
	is($r->{json}{data}{apiKeyId}, $kid, '  the same key');
	my $kb = $r->{json}{data}{botId};
	$r = api(POST => '/api/v1/bots', bearer($U->{token}), { %conf });
	is($r->{json}{data}{apiKeyId}, $kid, 'without apiKeyId a BINANCE bot answers the key it trades with');
	api(DELETE => "/api/v1/bots/$r->{json}{data}{botId}", bearer($U->{token}));
	my $fid = api(GET => '/api/v1/api-keys/me', bearer($F->{token}))->{json}{data}{id};
	for my $t ([ $U, { apiKeyId => $fid }, "another user's key", qr/not your saved Binance API key/ ],
	    [ $U, { apiKeyId => 'bnk_aaaaaaaaaaaaaaaaaaaa' }, 'an unknown key', qr/not your saved Binance API key/ ],
	    [ $U, { apiKeyId => 7 }, 'a number', qr/string/ ],
	    [ $U, { apiKeyId => $kid, exchange => 'INTERNAL', symbol => 'BTCTRY' }, 'a key on hzm', qr/only for the BINANCE venue/ ],
	    [ $P, { apiKeyId => $kid }, 'a user without a key', qr/no saved Binance API key/ ]) {
		my ($who, $extra, $name, $why) = @$t;
		$r = api(POST => '/api/v1/bots', bearer($who->{token}), { %conf, %$extra });
		error_ok($r, 400, 'INVALID_REQUEST', "apiKeyId: $name");
		is($r->{json}{error}{details}{field}, 'apiKeyId', '  names apiKeyId');
		like($r->{json}{error}{details}{reason} // '', $why, '  and why');
	}
	$r = api(PUT => "/api/v1/bots/$kb", bearer($U->{token}), { apiKeyId => $fid });
	error_ok($r, 400, 'INVALID_REQUEST', "update with another user's key");
	$r = api(PUT => "/api/v1/bots/$kb", bearer($U->{token}), { name => 'renamed' });
	is($r->{status}, 200, 'an update without apiKeyId keeps the key') or diag($r->{body});
	is($r->{json}{data}{apiKeyId}, $kid, '  the same key');
	api(DELETE => "/api/v1/bots/$kb", bearer($U->{token}));
}

# ---- no secret in the stack's logs ---------------------------------------------------------
my $leak = 0;
for my $f (glob("$ENV{HZM_VAR}/log/*"), glob("$ENV{HZM_VAR}/*.out"), glob("$ENV{HZM_VAR}/binance/*.log")) {
	next unless -f $f;
	open my $fh, '<', $f or next;
	local $/;
	my $text = <$fh> // '';
	for my $s (keys %secrets) { $leak++, diag("secret in $f") if index($text, $s) >= 0 }
}
is($leak, 0, 'no Binance secret in any log (' . scalar(keys %secrets) . ' secrets looked for)');
binance_reset();

done_testing();
