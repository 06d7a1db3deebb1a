# tests/api/86_bot_worker.t — cron-bots: paper fills, stop-loss and take-profit, daily limits across midnight and restarts, two runs at once, a run killed midway, failures to ERROR, a live BINANCE bot without a key, an EMA bot trading on hzm itself
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Time::HiRes qw(sleep);
use Hzm;
use HzmTrade;
use HzmBots;

plan skip_all => 'cron-bots not built' unless -x "$ENV{HZM_VAR}/bin/cron-bots";
mc_flush();
psql("UPDATE bots SET status = 'STOPPED'");	# earlier files' bots stay out of the counts

my $P = trader('botw-paper');
my $p = bearer($P->{token});
my $r;
sub run_ok {
	my ($name, %env) = @_;
	my ($rc, $n, $out) = bots_run(%env);
	is($rc, 0, "$name: cron-bots exits 0") or diag($out);
	return $n;
}
sub start { api(POST => "/api/v1/bots/$_[1]/start", bearer($_[0])) }
sub trades_of { api(GET => "/api/v1/bots/$_[1]/trades?sort=%2BcreatedAt", bearer($_[0]))->{json}{data} }
# A bot of $P stopped for the rest of the UTC day by a daily limit, saying which; its state.
sub halted_ok {
	my ($bot, $reason, $event, $name) = @_;
	my $hs = bot_get($P->{token}, $bot)->{state};
	is($hs->{status}, 'STOPPED', "$name: STOPPED");
	is($hs->{statusReason}, $reason, "  with the reason: $reason");
	ok($hs->{haltedDay}, '  until the day is over');
	is((bot_events($bot))->[-1], $event, "  $event event");
	return $hs;
}

# ---- a paper bot: buys below, sells above, at the last price ----------------------------
my $s = bot_new($P->{token}, name => 'paper', symbol => 'ETHTRY',
    strategyParams => { buyBelow => '100000.00', sellAbove => '110000.00' }, orderSize => '0.1');
start($P->{token}, $s->{botId});
set_last_price('ETHTRY', 99000);
my $n = run_ok('paper buy');
is($n->{trades}, 1, 'one trade');
my $st = bot_get($P->{token}, $s->{botId})->{state};
is($st->{position}, '0.10000000', 'holds 0.1 ETH');
is($st->{averageEntryPrice}, '99000.00', 'average entry 99000.00');
is($st->{lastPrice}, '99000.00', 'last price seen');
ok($st->{lastRunAt}, 'last run time');
$n = run_ok('paper hold');
is($n->{trades}, 0, 'holding below buyBelow buys no more');
set_last_price('ETHTRY', 111000);
run_ok('paper sell');
my $t = trades_of($P->{token}, $s->{botId});
is(scalar @$t, 2, 'two trades');
is($t->[0]{side}, 'BUY', 'a buy');
is($t->[0]{quoteQuantity}, '9900.00', '  for 9900.00');
ok($t->[0]{paperMode}, '  in paper mode');
is($t->[0]{orderId}, undef, '  no order anywhere');
is($t->[1]{side}, 'SELL', 'then a sell');
is($t->[1]{realizedPnl}, '1200.00', '  realizing 11100.00 - 9900.00');
is(bot_get($P->{token}, $s->{botId})->{state}{todayPnl}, '1200.00', 'todayPnl 1200.00');
is_deeply(bot_events($s->{botId}), [ 'bot.trade', 'bot.trade' ], 'a bot.trade event per trade');
is(psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE u.public_id = '$P->{userId}'"),
    0, 'paper mode placed no order');

# ---- one trade by its id: as the list shows it, to its owner only ------------------------
for my $i (0, 1) {
	$r = api(GET => "/api/v1/bots/$s->{botId}/trades/$t->[$i]{tradeId}", $p);
	is($r->{status}, 200, "trade $i by its id: 200") or diag($r->{body});
	envelope_ok($r, "trade $i by its id");
	is_deeply($r->{json}{data}, $t->[$i], "  the same as in the list ($t->[$i]{side})");
}
my $nosy = new_user('botw-nosy');
my $other = bot_new($P->{token}, name => 'other', symbol => 'ETHTRY', orderSize => '0.1',
    strategyParams => { buyBelow => '1.00', sellAbove => '2.00' });
for my $c ([ bearer($nosy->{access}), "/api/v1/bots/$s->{botId}/trades/$t->[0]{tradeId}", "another user's bot" ],
    [ $p, "/api/v1/bots/$other->{botId}/trades/$t->[0]{tradeId}", "another bot's trade" ],
    [ $p, "/api/v1/bots/$s->{botId}/trades/btr_aaaaaaaaaaaaaaaaaaaa", 'an unknown trade' ],
    [ $p, "/api/v1/bots/$s->{botId}/trades/1%27%20OR%201=1", 'a malformed trade id' ],
    [ $p, "/api/v1/bots/bot_aaaaaaaaaaaaaaaaaaaa/trades/$t->[0]{tradeId}", 'an unknown bot' ]) {
	$r = api(GET => $c->[1], $c->[0]);
	error_ok($r, 404, 'NOT_FOUND', "trade of $c->[2]");
	ok(!exists $r->{json}{data}, '  nothing of the trade in the answer');
}
api(DELETE => "/api/v1/bots/$other->{botId}", $p);

# ---- stop-loss and take-profit ------------------------------------------------------------
my $sl = bot_new($P->{token}, name => 'sl', symbol => 'ETHTRY', orderSize => '0.1',
    strategyParams => { buyBelow => '100000.00', sellAbove => '500000.00' },
    stopLossPercent => '10', takeProfitPercent => '5');
start($P->{token}, $sl->{botId});
api(POST => "/api/v1/bots/$s->{botId}/stop", $p);
set_last_price('ETHTRY', 99000);
run_ok('sl buy');
set_last_price('ETHTRY', 89100.01);
run_ok('above the stop');
is(scalar @{ trades_of($P->{token}, $sl->{botId}) }, 1, '89100.01 is above the stop (89100.00): held');
set_last_price('ETHTRY', 89100);
run_ok('at the stop');
$t = trades_of($P->{token}, $sl->{botId});
is($t->[1]{reason}, 'STOP_LOSS', 'stop-loss sold at 89100.00');
is($t->[1]{quantity}, '0.10000000', '  the whole position');
is($t->[1]{realizedPnl}, '-990.00', '  realizing -990.00');
set_last_price('ETHTRY', 99000);
run_ok('buy again');
set_last_price('ETHTRY', 103950);
run_ok('take profit');
$t = trades_of($P->{token}, $sl->{botId});
is($t->[3]{reason}, 'TAKE_PROFIT', 'take-profit sold at 103950.00 (99000 + 5%)');
is($t->[3]{realizedPnl}, '495.00', '  realizing 495.00');
is_deeply(bot_events($sl->{botId}), [ 'bot.trade', 'bot.trade', 'bot.stop_loss', 'bot.trade',
    'bot.trade', 'bot.take_profit' ], 'stop-loss and take-profit events with their trades');
$r = api(GET => "/api/v1/bots/$sl->{botId}/trades?filter_reason=STOP_LOSS", $p);
is(scalar @{ $r->{json}{data} }, 1, 'trades filtered by reason');
api(POST => "/api/v1/bots/$sl->{botId}/stop", $p);


# ---- daily loss limit: stopped, kept stopped across restarts, until the next UTC day ------
my $dl = bot_new($P->{token}, name => 'dl', symbol => 'ETHTRY', orderSize => '0.1',
    strategyParams => { buyBelow => '100000.00', sellAbove => '500000.00' },
    stopLossPercent => '10', dailyLossLimit => '500');
start($P->{token}, $dl->{botId});
set_last_price('ETHTRY', 99000);
run_ok('dl buy');
set_last_price('ETHTRY', 89000);
$n = run_ok('dl loss');
is($n->{halted}, 1, 'halted by the daily loss limit');
$st = halted_ok($dl->{botId}, 'daily loss limit reached', 'bot.daily_loss', 'the loss limit');
is($st->{todayPnl}, '-1000.00', '  todayPnl -1000.00');
set_last_price('ETHTRY', 99000);
$n = run_ok('restart the same day');
is(bot_get($P->{token}, $dl->{botId})->{state}{status}, 'STOPPED', 'a new run the same day leaves it stopped');
is(scalar @{ trades_of($P->{token}, $dl->{botId}) }, 2, '  and trading nothing');
# Its owner cannot start it again that day: it would buy once more and stop holding it.
$r = start($P->{token}, $dl->{botId});
error_ok($r, 409, 'CONFLICT', 'start the same UTC day: refused');
like($r->{json}{error}{message}, qr/daily loss limit reached today \(todayPnl -1000\.00 TRY, dailyLossLimit 500\.00\).*next UTC day/,
    '  saying why and until when');
error_ok(api(PUT => "/api/v1/bots/$dl->{botId}/state", $p, { status => 'RUNNING' }), 409, 'CONFLICT',
    '  PUT state RUNNING too');
$st = bot_get($P->{token}, $dl->{botId})->{state};
is($st->{status}, 'STOPPED', '  still STOPPED');
ok($st->{haltedDay}, '  still halted for the day');
$n = run_ok('after the refused start');
is(scalar @{ trades_of($P->{token}, $dl->{botId}) }, 2, '  no trade');
# A higher limit is its owner's way to let it trade today.
$r = api(PUT => "/api/v1/bots/$dl->{botId}", $p, { dailyLossLimit => '2000' });
is($r->{status}, 200, 'the limit raised to 2000') or diag($r->{body});
is(start($P->{token}, $dl->{botId})->{status}, 200, '  then it starts (-1000.00 is within -2000.00)');
# The worker checks the limit before it trades: lowered again while it
# runs, the next cycle stops it without an order.
api(PUT => "/api/v1/bots/$dl->{botId}", $p, { dailyLossLimit => '500' });
my $trades_dl = scalar @{ trades_of($P->{token}, $dl->{botId}) };
$n = run_ok('past the limit when the cycle begins');
is($n->{halted}, 1, '  halted before the cycle trades');
is(scalar @{ trades_of($P->{token}, $dl->{botId}) }, $trades_dl, '  no trade, though 99000.00 is below buyBelow');
$st = halted_ok($dl->{botId}, 'daily loss limit reached', 'bot.daily_loss', 'past the limit before it trades');
is($st->{position}, '0.00000000', '  still flat');
psql("UPDATE bots SET halted_day = halted_day - 1, pnl_day = pnl_day - 1 WHERE public_id = '$dl->{botId}'");
$n = run_ok('the next day');
ok($n->{resumed} >= 1, 'resumed on the next UTC day');
$st = bot_get($P->{token}, $dl->{botId})->{state};
is($st->{status}, 'RUNNING', 'RUNNING again');
is($st->{todayPnl}, '0.00', "yesterday's loss is not today's");
is(scalar @{ trades_of($P->{token}, $dl->{botId}) }, 3, 'and trading again');
api(POST => "/api/v1/bots/$dl->{botId}/stop", $p);

# a person's stop outlasts the day: a stopped halt is not resumed
my $dp = bot_new($P->{token}, name => 'dp', symbol => 'ETHTRY', orderSize => '0.1',
    strategyParams => { buyBelow => '100000.00', sellAbove => '110000.00' }, dailyProfitTarget => '1000');
start($P->{token}, $dp->{botId});
set_last_price('ETHTRY', 99000);
run_ok('dp buy');
set_last_price('ETHTRY', 111000);
run_ok('dp sell');
halted_ok($dp->{botId}, 'daily profit target reached', 'bot.daily_target', 'the profit target');
$r = start($P->{token}, $dp->{botId});
error_ok($r, 409, 'CONFLICT', 'start the same UTC day past the profit target: refused');
like($r->{json}{error}{message}, qr/daily profit target reached today \(todayPnl 1200\.00 TRY, dailyProfitTarget 1000\.00\)/,
    '  saying why');
api(POST => "/api/v1/bots/$dp->{botId}/stop", $p);
psql("UPDATE bots SET pnl_day = pnl_day - 1 WHERE public_id = '$dp->{botId}'");
run_ok('next day after a manual stop');
is(bot_get($P->{token}, $dp->{botId})->{state}{status}, 'STOPPED', 'a manual stop is not lifted by the day');

# ---- BINANCE, live, without a Binance key: ERROR with the reason ----------------------------
my $bn = bot_new($P->{token}, name => 'bn', symbol => 'BTCUSDT', venue => 'BINANCE', orderSize => '0.001',
    strategyParams => { buyBelow => '1', sellAbove => '2' }, paperMode => JSON::PP::false);
start($P->{token}, $bn->{botId});
run_ok('binance');
$st = bot_get($P->{token}, $bn->{botId})->{state};
is($st->{status}, 'ERROR', 'a live BINANCE bot of a user without a Binance key: ERROR');
like($st->{statusReason}, qr/^no Binance API key/, '  saying so');
is_deeply(bot_events($bn->{botId}), [ 'bot.error' ], '  bot.error event');

# ---- failures: ERROR after bot_max_failures ----------------------------------------------
my $poor = trader('botw-poor');
my $pb = bot_new($poor->{token}, name => 'poor', symbol => 'ETHTRY', orderSize => '0.1',
    paperMode => JSON::PP::false, strategyParams => { buyBelow => '100000.00', sellAbove => '110000.00' });
start($poor->{token}, $pb->{botId});
set_last_price('ETHTRY', 99000);
for my $i (1 .. 2) {
	run_ok("poor $i");
	$st = bot_get($poor->{token}, $pb->{botId})->{state};
	is($st->{status}, 'RUNNING', "failure $i: still RUNNING");
}
like($st->{statusReason}, qr/\w/, '  the last failure is shown');
run_ok('poor 3');
$st = bot_get($poor->{token}, $pb->{botId})->{state};
is($st->{status}, 'ERROR', 'the third failure: ERROR');
is_deeply(bot_events($pb->{botId}), [ 'bot.error' ], '  one bot.error event');
is(scalar @{ trades_of($poor->{token}, $pb->{botId}) }, 0, '  no trade');

# ---- two runs at once: each bot acted on once ------------------------------------------
my $Q = trader('botw-many');
my $quid = psql("SELECT id FROM users WHERE public_id = '$Q->{userId}'");
psql("INSERT INTO bots (public_id, user_id, name, symbol, venue, strategy, params, order_size, paper, status)"
    . " SELECT 'bot_' || translate(substr(md5(random()::text || g), 1, 20), '0189', 'wxyz'), $quid, 'many', 'ETHTRY',"
    . " 'HZM', 'simple', jsonb_build_object('buyBelow', '100000.00', 'sellAbove', '110000.00'), 0.1, true, 'RUNNING'"
    . " FROM generate_series(1, 300) g");
set_last_price('ETHTRY', 99000);
my @pids = map { bots_run_bg(HZM_BOTS_INTERVAL_SECONDS => 60) } 1 .. 2;
waitpid($_, 0) for @pids;
my $counts = psql("SELECT count(*), count(DISTINCT b.id), max(c) FROM (SELECT t.bot_id, count(*) c"
    . " FROM bot_trades t GROUP BY t.bot_id) x JOIN bots b ON b.id = x.bot_id WHERE b.user_id = $quid");
is($counts, '300|300|1', 'two runs at once: 300 bots, each traded exactly once');
my $claimed = 0;
for my $pid (@pids) {
	open my $fh, '<', "$ENV{HZM_VAR}/bots-bg.$pid.out" or next;
	local $/;
	my ($c) = (<$fh> // '') =~ /^claimed (\d+)$/m;
	$claimed += $c // 0;
}
is($claimed, 300, 'and claimed once between them');

# ---- a run killed midway: the next run finishes, nothing twice ------------------------
psql("UPDATE bots SET last_run_at = NULL WHERE user_id = $quid");
set_last_price('ETHTRY', 111000);
my $pid = bots_run_bg(HZM_BOTS_INTERVAL_SECONDS => 60, HZM_BOTS_BATCH => 10);
sleep 0.3;
kill 'KILL', $pid;
waitpid($pid, 0);
my $done = psql("SELECT count(*) FROM bot_trades t JOIN bots b ON b.id = t.bot_id WHERE b.user_id = $quid AND t.side = 'SELL'");
diag("killed after $done of 300 sells");
psql("UPDATE bots SET lease_until = now() - interval '1 second' WHERE user_id = $quid AND lease_until IS NOT NULL");
run_ok('after the kill', HZM_BOTS_INTERVAL_SECONDS => 60);
is(psql("SELECT count(*) || '|' || count(DISTINCT bot_id) FROM bot_trades t JOIN bots b ON b.id = t.bot_id"
    . " WHERE b.user_id = $quid AND t.side = 'SELL'"), '300|300', 'every bot sold once, none twice');
is(psql("SELECT count(*) FROM bots WHERE user_id = $quid AND position <> 0"), 0, 'all flat');
is(psql("SELECT count(*) FROM bot_lots l JOIN bots b ON b.id = l.bot_id WHERE b.user_id = $quid"), 0, 'no lots left');
psql("UPDATE bots SET status = 'STOPPED' WHERE user_id = $quid");

# ---- an EMA bot on hzm itself, against resting orders ----------------------------------
cancel_open($_) for map { token($_) } 'test.level2@example.com', 'test.level2b@example.com';
wait_matcher();
my $T = trader('botw-ema', TRY => 100000, BTC => 1);
my $S = trader('botw-maker', TRY => 100000, BTC => 1);
psql("INSERT INTO klines (symbol, interval, open_time, open, high, low, close, volume, quote_volume, trades)"
    . " SELECT 'BTCTRY', '1m', date_trunc('minute', now()) - g * interval '1 minute', 1800000, 1800000,"
    . " 1800000, 1800000, 1, 1800000, 1 FROM generate_series(1, 9) g"
    . " ON CONFLICT (symbol, interval, open_time) DO UPDATE SET close = 1800000, open = 1800000,"
    . " high = 1800000, low = 1800000");
$r = place($S->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT', price => '1850000.00',
    quantity => '0.01', timeInForce => 'GTC' });
is($r->{status}, 201, 'a resting sell at 1850000.00') or diag($r->{body});
my $ask = $r->{json}{data}{orderId};
set_last_price('BTCTRY', 1850000);
my $e = bot_new($T->{token}, name => 'ema', symbol => 'BTCTRY', strategy => 'ema', emaPeriod => 3,
    strategyParams => undef, orderSize => '0.001', paperMode => JSON::PP::false);
start($T->{token}, $e->{botId});
my $btc0 = balance($T->{token}, 'BTC');
$n = run_ok('ema buy');
is($n->{trades}, 1, 'the price above the EMA (1800000.00): the bot bought');
$t = trades_of($T->{token}, $e->{botId});
is($t->[0]{side}, 'BUY', 'a buy');
is($t->[0]{price}, '1850000.00', '  at the resting ask');
is($t->[0]{quantity}, '0.00100000', '  0.001 BTC');
is_deeply($t->[0]{fee}, { amount => '3.70', currency => 'TRY' }, '  taker fee 0.2%');
ok(!$t->[0]{paperMode}, '  not paper');
like($t->[0]{orderId}, qr/^ord_/, '  an hzm order');
is($t->[0]{clientOrderId}, "bot-" . psql("SELECT id FROM bots WHERE public_id = '$e->{botId}'") . "-0",
    '  under the cycle client id');
$r = api(GET => "/api/v1/orders/$t->[0]{orderId}", bearer($T->{token}));
is($r->{json}{data}{status}, 'FILLED', 'the order, as the owner sees it: FILLED');
is(balance($T->{token}, 'BTC') - $btc0, 100000, 'the owner holds 0.001 BTC more');
$r = api(GET => "/api/v1/orders/$ask", bearer($S->{token}));
is($r->{json}{data}{executedQuantity}, '0.00100000', 'the maker sold 0.001');
$st = bot_get($T->{token}, $e->{botId})->{state};
is($st->{averageEntryPrice}, '1853700.00', 'average entry with the fee: 1853700.00');

# the EMA rises above the price: sell into a resting bid
psql("UPDATE klines SET close = 1900000, high = 1900000 WHERE symbol = 'BTCTRY' AND interval = '1m'"
    . " AND open_time < date_trunc('minute', now())");
cancel_open($S->{token});
wait_matcher();
$r = place($S->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', price => '1840000.00',
    quantity => '0.01', timeInForce => 'GTC' });
is($r->{status}, 201, 'a resting bid at 1840000.00') or diag($r->{body});
set_last_price('BTCTRY', 1840000);
run_ok('ema sell');
$t = trades_of($T->{token}, $e->{botId});
is($t->[1]{side}, 'SELL', 'the price below the EMA: sold');
is($t->[1]{price}, '1840000.00', '  into the bid');
is($t->[1]{realizedPnl}, '-17.38', '  realizing 1840.00 - 3.68 - 1853.70 = -17.38');
is(balance($T->{token}, 'BTC'), $btc0, 'the owner holds what they held before');
is(bot_get($T->{token}, $e->{botId})->{state}{position}, '0.00000000', 'flat');

# a cycle whose order was placed before a crash: found by its client id, not placed again
my $eid = psql("SELECT id FROM bots WHERE public_id = '$e->{botId}'");
my $cyc = psql("SELECT cycle FROM bots WHERE id = $eid");
cancel_open($S->{token});
wait_matcher();
place($S->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT', price => '1850000.00',
    quantity => '0.01', timeInForce => 'GTC' });
$r = place($T->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET', quantity => '0.001',
    clientOrderId => "bot-$eid-$cyc" });
is($r->{status}, 201, 'the order of a cycle whose run died') or diag($r->{body});
psql("UPDATE bots SET pending_side = 'BUY', pending_qty = 0.001, pending_reason = 'SIGNAL' WHERE id = $eid");
run_ok('after the crash');
is(psql("SELECT count(*) FROM orders WHERE client_order_id = 'bot-$eid-$cyc'"), 1, 'one order for the cycle');
$t = trades_of($T->{token}, $e->{botId});
is(scalar @$t, 3, 'settled as the bot\'s trade');
is($t->[2]{orderId}, $r->{json}{data}{orderId}, '  that very order');
invariant_ok("bots");
cancel_open($S->{token});

done_testing();
