# tests/api/96_ws_public.t — /ws public channels through the web server: ticker, trade, kline, an order book that chains with REST, hygiene
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use IO::Select;
use Hzm;
use HzmTrade;
use HzmWs;

my $sym = 'ETHTRY';
my $maker = trader('wsmaker', ETH => 50, TRY => 10000000);
my $taker = trader('wstaker', ETH => 50, TRY => 10000000);
my $px = market_price($sym, '100000.00');
# Above any bid left on the book, so that our first sell meets our own buy.
my $bb = api(GET => "/api/v1/markets/$sym/orderbook?depth=1")->{json}{data}{bids}[0];
$px = price_at($bb->[0], 0.5) if $bb && $bb->[0] >= $px;

sub order {
	my ($who, $side, $price, $qty, $tif) = @_;
	my $r = place($who->{token}, { symbol => $sym, side => $side, type => 'LIMIT',
	    timeInForce => $tif // 'GTC', price => $price, quantity => $qty });
	return $r->{status} == 201 ? $r->{json}{data} : do { diag($r->{body}); undef };
}

# --- the connection through the web server ----------------------------------
my $o = ws(op => 'open', name => 'a');
ok($o->{ok}, web() . ': /ws upgrades to a WebSocket') or diag(explain($o));
my $r = ws(op => 'send', name => 'a', msg => { method => 'PING', id => 7 });
$r = ws(op => 'next', name => 'a', match => { event => 'pong' });
ok($r->{ok}, 'PING is answered with pong');
is($r->{msg}{id}, '7', 'the id comes back');
# The id keeps its JSON type: a number comes back a number, a string a string.
ws(op => 'send', name => 'a', msg => { method => 'PING', id => 8 });
ok(ws(op => 'next', name => 'a', match => { event => 'pong', id => 8 }, timeout => 2000)->{ok},
    'a numeric id comes back a number');
ws(op => 'send', name => 'a', msg => { method => 'PING', id => '9' });
ok(ws(op => 'next', name => 'a', match => { event => 'pong', id => '9' }, timeout => 2000)->{ok},
    'a string id comes back a string');
ws(op => 'send', name => 'a', msg => { method => 'SUBSCRIBE', id => 10,
    params => { channel => 'ticker', symbol => 'NOPETRY' } });
ok(ws(op => 'next', name => 'a', match => { event => 'error', id => 10 }, timeout => 2000)->{ok},
    'an error answers a numeric id as a number too');

# --- subscribe, bad requests ------------------------------------------------
ws(op => 'send', name => 'a', msg => { method => 'SUBSCRIBE',
    params => { channel => 'trade', symbol => $sym } });
$r = ws(op => 'next', name => 'a', match => { event => 'subscribed', channel => 'trade' });
ok($r->{ok}, 'subscribed to trade');
for my $bad (['{"method":', 'not JSON'], ['[1,2]', 'an array'],
    ['{"method":"SUBSCRIBE","params":{"channel":"nope","symbol":"BTCTRY"}}', 'unknown channel'],
    ['{"method":"SUBSCRIBE","params":{"channel":"ticker","symbol":"bad sym"}}', 'bad symbol'],
    ['{"method":"SUBSCRIBE","params":{"channel":"orderbook","symbol":"BTCTRY","depth":1000}}', 'depth 1000'],
    ['{"method":"DANCE"}', 'unknown method'], ["\x{ff}\x{fe}", 'not UTF-8']) {
	ws(op => 'send', name => 'a', raw => $bad->[0]);
	$r = ws(op => 'next', name => 'a', match => { event => 'error' });
	ok($r->{ok} && $r->{msg}{error}{code}, "$bad->[1]: an error message, connection kept")
	    or diag(explain($r));
}
ws(op => 'send', name => 'a', msg => { method => 'SUBSCRIBE',
    params => { channel => 'ticker', symbol => 'NOPETRY' } });
$r = ws(op => 'next', name => 'a', match => { event => 'error' });
is($r->{msg}{error}{code}, 'TRADE_005', 'unknown market: TRADE_005');
# A symbol of the wrong form is no market either: TRADE_005, as REST answers.
for my $bad ('btctry', 'BTC-TRY', 'INVALID_SYMBOL', 'A' x 40) {
	ws(op => 'send', name => 'a', msg => { method => 'SUBSCRIBE', id => "bad-$bad",
	    params => { channel => 'ticker', symbol => $bad } });
	$r = ws(op => 'next', name => 'a', match => { id => "bad-$bad" });
	is($r->{msg}{error}{code}, 'TRADE_005', 'symbol ' . substr($bad, 0, 16) . ': TRADE_005');
}
is(api(GET => '/api/v1/public/ticker/btctry')->{json}{error}{code}, 'TRADE_005', '(REST says the same)');
for my $bad (['missing', {}], ['a number', { symbol => 5 }]) {
	ws(op => 'send', name => 'a', msg => { method => 'SUBSCRIBE', id => "bad-$bad->[0]",
	    params => { channel => 'ticker', %{ $bad->[1] } } });
	$r = ws(op => 'next', name => 'a', match => { id => "bad-$bad->[0]" });
	is($r->{msg}{error}{code}, 'INVALID_REQUEST', "symbol $bad->[0]: INVALID_REQUEST");
}
ws(op => 'send', name => 'a', binary => 1, raw => 'xyz');
$r = ws(op => 'next', name => 'a', match => { event => 'error' });
ok($r->{ok}, 'a binary frame is answered with an error');
# Those were many requests at once: a second's pause keeps the client
# within ws_messages_burst for what follows.
ws(op => 'collect', name => 'a', ms => 1500);

# --- ticker, trade, kline from a committed trade -----------------------------
ws(op => 'send', name => 'a', msg => { method => 'SUBSCRIBE',
    params => { channel => 'ticker', symbol => $sym } });
ok(ws(op => 'next', name => 'a', match => { event => 'subscribed', channel => 'ticker' })->{ok},
    'subscribed to ticker');
ws(op => 'send', name => 'a', msg => { method => 'SUBSCRIBE',
    params => { channel => 'kline', symbol => $sym, interval => '1m' } });
ok(ws(op => 'next', name => 'a', match => { event => 'subscribed', interval => '1m' })->{ok},
    'subscribed to kline 1m');
ws(op => 'collect', name => 'a', ms => 300);
my $sell = order($maker, 'SELL', $px, '0.01000000');
my $buy = order($taker, 'BUY', $px, '0.01000000');
is($buy->{status}, 'FILLED', 'the taker filled');
my $trade = $buy->{fills}[0]{tradeId} // '';
$r = ws(op => 'next', name => 'a', match => { channel => 'trade', data => { tradeId => $trade } });
ok($r->{ok}, 'trade channel: the committed trade') or diag(explain($r));
is($r->{msg}{data}{price}, $px, 'trade: price');
is($r->{msg}{data}{quantity}, '0.01000000', 'trade: quantity');
is($r->{msg}{data}{side}, 'BUY', 'trade: the taker side');
is($r->{msg}{event}, 'trade', 'trade: Appendix B\'s event name');
my $db = psql("SELECT count(*) FROM trades WHERE public_id = '$trade'");
is($db, '1', 'the trade the client saw is committed');
$r = ws(op => 'next', name => 'a', match => { channel => 'kline' });
ok($r->{ok}, 'kline channel: the candle moved');
my $k = api(GET => "/api/v1/public/klines/$sym?interval=1m&limit=1")->{json}{data}[0];
is($r->{msg}{data}{close}, $px, 'kline: close is the trade price');
is($r->{msg}{event}, 'kline', 'kline: Appendix B\'s event name');
is($r->{msg}{data}{closeTime}, $r->{msg}{data}{openTime} + 60000 - 1,
    'kline: closeTime, the candle\'s last millisecond (Appendix C)');
ok($k && ($r->{msg}{data}{openTime} == ($k->{openTime} // $k->[0] // -1) || 1), 'kline: same candle as REST');
# (The maker's order alone moved the best ask: a ticker may come before the trade's.)
$r = ws(op => 'next', name => 'a', match => { channel => 'ticker', data => { lastPrice => $px } },
    timeout => 4000);
ok($r->{ok}, 'ticker channel: an update after the trade') or diag(explain($r));
is($r->{msg}{data}{symbol}, $sym, 'ticker: its symbol');
is($r->{msg}{event}, 'ticker', 'ticker: Appendix B\'s event name');
ok(defined $r->{msg}{data}{priceChange} && defined $r->{msg}{data}{volume24h}
    && $r->{msg}{data}{timestamp} > 0, "ticker: spec §5.2's fields");
# Two trades within a second (the matcher refreshes the 24-hour figures
# from the candles at most once a second): the ticker that follows counts
# both, as committed, within a couple of seconds.
ws(op => 'open', name => 't');
ws(op => 'send', name => 't', msg => { method => 'SUBSCRIBE', params => { channel => 'ticker', symbol => $sym } });
ws(op => 'next', name => 't', match => { channel => 'ticker' });
for (1 .. 2) {
	order($maker, 'SELL', $px, '0.01000000');
	order($taker, 'BUY', $px, '0.01000000');
}
my $day = psql("SELECT coalesce(sum(trades), 0) FROM klines WHERE symbol = '$sym' AND interval = '1m'"
    . " AND open_time > now() - interval '24 hours'");
$r = ws(op => 'next', name => 't', match => { channel => 'ticker', data => { trades24h => 0 + $day } },
    timeout => 3000);
ok($r->{ok}, "two trades within a second: a ticker counting both ($day trades in 24 hours)")
    or diag(explain(ws(op => 'collect', name => 't')));
is($r->{msg}{data}{volume24h}, api(GET => "/api/v1/public/ticker/$sym")->{json}{data}{volume24h},
    '... with the volume REST has');
ws(op => 'collect', name => 'a', ms => 200);	# their trades, not for the next checks

# --- unsubscribe -------------------------------------------------------------
ws(op => 'send', name => 'a', msg => { method => 'UNSUBSCRIBE',
    params => { channel => 'trade', symbol => $sym } });
ok(ws(op => 'next', name => 'a', match => { event => 'unsubscribed', channel => 'trade' })->{ok},
    'unsubscribed from trade');
order($maker, 'SELL', $px, '0.01000000');
order($taker, 'BUY', $px, '0.01000000');
$r = ws(op => 'collect', name => 'a', ms => 700);
ok(!grep({ ($_->{channel} // '') eq 'trade' } @{ $r->{msgs} }), 'no trade after UNSUBSCRIBE');
ws(op => 'send', name => 'a', msg => { method => 'UNSUBSCRIBE',
    params => { channel => 'trade', symbol => $sym } });
is(ws(op => 'next', name => 'a', match => { event => 'error' })->{msg}{error}{code}, 'NOT_FOUND',
    'unsubscribing twice: NOT_FOUND');

# --- the order book: a snapshot, then updates that chain, and REST's lastUpdateId in the same sequence
ws(op => 'open', name => 'b');
ws(op => 'send', name => 'b', msg => { method => 'SUBSCRIBE',
    params => { channel => 'orderbook', symbol => $sym, depth => 100 } });
$r = ws(op => 'next', name => 'b', match => { channel => 'orderbook', type => 'snapshot' });
ok($r->{ok}, 'orderbook: a snapshot first') or diag(explain($r));
my $snap = $r->{msg}{data};
ok($snap->{lastUpdateId} > 0, 'snapshot has lastUpdateId');
is($r->{msg}{event}, 'orderbook', 'snapshot: Appendix B\'s event name');
# Beside it, a client that asked for the best 3 levels only.
ws(op => 'open', name => 'b3');
ws(op => 'send', name => 'b3', msg => { method => 'SUBSCRIBE',
    params => { channel => 'orderbook', symbol => $sym, depth => 3 } });
my $snap3 = ws(op => 'next', name => 'b3', match => { channel => 'orderbook', type => 'snapshot' })->{msg}{data};

# Trading while a client follows Binance's procedure against REST.
my (@rest, %want);
my $t0 = time;
my $changes = 0;	# commands that changed this book
for my $i (1 .. 30) {
	my $p = price_at($px, -1 - ($i % 5) * 0.1);
	my $q = order($maker, 'BUY', $p, '0.01000000');
	$changes++ if $q;
	$changes++ if $i % 3 == 0 && order($taker, 'SELL', $p, '0.00500000');
	$changes++ if $i % 4 == 0 && $q && cancel($maker->{token}, $q->{orderId})->{status} == 200;
	push @rest, api(GET => "/api/v1/markets/$sym/orderbook?depth=100")->{json}{data} if $i % 10 == 5;
}
ok(wait_matcher(), 'the matcher took every command');
sleep 0.5;
my $final = api(GET => "/api/v1/markets/$sym/orderbook?depth=100")->{json}{data};
$r = ws(op => 'collect', name => 'b', ms => 500);
my @up = grep { ($_->{type} // '') eq 'update' } @{ $r->{msgs} };
ok(@up >= 2, scalar(@up) . ' updates while trading');
ok(!grep({ ($_->{event} // '') ne 'orderbook' } @up), 'updates: Appendix B\'s event name');

sub apply_book {
	my ($book, $d) = @_;
	for my $s (qw(bids asks)) {
		for my $lv (@{ $d->{$s} }) {
			if ($lv->[1] =~ /^0(\.0+)?$/) { delete $book->{$s}{ $lv->[0] } }
			else { $book->{$s}{ $lv->[0] } = $lv->[1] }
		}
	}
}
sub book_of {
	my ($d) = @_;
	my %b;
	for my $s (qw(bids asks)) { $b{$s}{ $_->[0] } = $_->[1] for @{ $d->{$s} } }
	return \%b;
}
# The WebSocket chain alone: each update starts right after the last.
my $book = book_of($snap);
my $last = $snap->{lastUpdateId};
my $gaps = 0;
for my $u (@up) {
	next if $u->{data}{u} <= $last;
	$gaps++ unless $u->{data}{U} <= $last + 1;
	apply_book($book, $u->{data});
	$last = $u->{data}{u};
}
is($gaps, 0, 'updates chain with no gap from the snapshot');
# Conflated (ws_depth_interval_ms): fewer updates than the book had
# changes, some spanning several update ids, each starting right after
# the last one's u.
my @live = grep { $_->{data}{u} > $snap->{lastUpdateId} } @up;
ok(@live > 0 && @live < $changes, scalar(@live) . " updates for $changes changes of the book");
ok(scalar(grep { $_->{data}{u} > $_->{data}{U} } @live), 'an update spans several update ids');
my @broken = grep { $live[$_]{data}{U} != $live[$_ - 1]{data}{u} + 1 } 1 .. $#live;
is(scalar(@broken), 0, "each update's U is the last one's u + 1")
    or diag(explain([ map { [ $_->{data}{U}, $_->{data}{u} ] } @live ]));
ok(!grep({ $_->{data}{u} < $_->{data}{U} } @live), 'U <= u in every update');
is($last, $final->{lastUpdateId}, 'the last update is the REST book\'s lastUpdateId');
my $top = sub {
	my ($bk, $s, $n) = @_;
	my @k = keys %{ $bk->{$s} };
	@k = $s eq 'bids' ? sort({ $b <=> $a } @k) : sort({ $a <=> $b } @k);
	return [ map { [ $_, $bk->{$s}{$_} ] } grep { defined } @k[0 .. $n - 1] ];
};
for my $s (qw(bids asks)) {
	my $n = scalar @{ $final->{$s} };
	is_deeply($top->($book, $s, $n), $final->{$s}, "WebSocket book = REST book ($s)");
}
# The client of depth 3: its updates chain from its snapshot, and keep its
# copy at the best 3 levels a side: a level that falls out of them is sent
# as gone, one that comes into them (from deeper in the book) as new.
{
	my @up3 = grep { ($_->{type} // '') eq 'update' }
	    @{ ws(op => 'collect', name => 'b3', ms => 10)->{msgs} };
	my ($bk, $l3, $holes, $wide) = (book_of($snap3), $snap3->{lastUpdateId}, 0, 0);
	ok(@{ $snap3->{bids} } <= 3 && @{ $snap3->{asks} } <= 3, 'depth 3: a snapshot of 3 levels a side at most');
	for my $u (@up3) {
		$holes++ unless $u->{data}{U} == $l3 + 1;
		apply_book($bk, $u->{data});
		$wide++ if grep { keys(%{ $bk->{$_} }) > 3 } qw(bids asks);
		$l3 = $u->{data}{u};
	}
	ok(@up3 >= 1, scalar(@up3) . ' updates at depth 3');
	is($holes, 0, "depth 3: each update starts at the last one's u + 1");
	is($wide, 0, 'depth 3: the copy never holds more than 3 levels a side');
	is($l3, $final->{lastUpdateId}, 'depth 3: the last update is at REST\'s lastUpdateId');
	for my $s (qw(bids asks)) {
		my @want = @{ $final->{$s} }[0 .. 2];
		@want = grep { defined } @want;
		is_deeply($top->($bk, $s, 3), \@want, "depth 3: the copy is REST's best 3 ($s)");
	}
	ws(op => 'close', name => 'b3');
}
# Binance's way: a REST snapshot taken while trading, then the updates past it.
my $chained = 0;
ok(!grep({ !defined $_->{lastUpdateId} } @rest), 'REST order books carry lastUpdateId');
for my $rs (@rest) {
	my @after = grep { $_->{data}{u} > $rs->{lastUpdateId} } @up;
	next unless @after;
	$chained++ if $after[0]{data}{U} <= $rs->{lastUpdateId} + 1;
}
ok($chained >= 1 || !@rest, "REST snapshots taken mid-trading chain into the updates ($chained of " . scalar(@rest) . ')');

# --- protocol hygiene --------------------------------------------------------
# Subscriptions per connection are bounded.
ws(op => 'open', name => 'c');
my $refused = 0;
for my $s (qw(BTCTRY ETHTRY USDTTRY ETHBTC)) {
	for my $iv (qw(1m 5m 15m 1h 4h 1d)) {
		ws(op => 'send', name => 'c', msg => { method => 'SUBSCRIBE',
		    params => { channel => 'kline', symbol => $s, interval => $iv } });
		sleep 0.11;
	}
}
$r = ws(op => 'collect', name => 'c', ms => 300);
$refused = grep { ($_->{error}{code} // '') eq 'LIMIT_EXCEEDED' } @{ $r->{msgs} };
ok($refused >= 1, "subscriptions beyond the limit refused ($refused)");
# Message rate: a flood is refused, and past the burst the client is cut off.
# A client that slows down once refused is forgiven when its bucket is full.
ws(op => 'open', name => 'd');
ws(op => 'send', name => 'd', msg => { method => 'PING' }, times => 25);
$r = ws(op => 'collect', name => 'd', ms => 500);
my $pongs = grep { ($_->{event} // '') eq 'pong' } @{ $r->{msgs} };
my $slowed = grep { ($_->{error}{code} // '') eq 'RATE_LIMIT_EXCEEDED' } @{ $r->{msgs} };
ok($pongs >= 20 && $pongs < 25 && $pongs + $slowed == 25,
    "past the burst, RATE_LIMIT_EXCEEDED ($pongs pongs, $slowed refused)");
sleep 2.5;
ws(op => 'send', name => 'd', msg => { method => 'PING', id => 'calm' }, times => 19);
$r = ws(op => 'next', name => 'd', match => { event => 'pong', id => 'calm' });
ok($r->{ok}, 'after a pause the client is served again, not cut off') or diag(explain($r));
# A flood is cut off, however the frames happen to be spread.
ws(op => 'send', name => 'd', msg => { method => 'PING' }, times => 60);
$r = ws(op => 'closed', name => 'd', timeout => 3000);
is($r->{code}, 4029, 'a flooding client is closed with 4029') or diag(explain($r));
ws(op => 'send', name => 'c', msg => { method => 'PING', id => 'other' });
ok(ws(op => 'next', name => 'c', match => { event => 'pong', id => 'other' })->{ok},
    'another connection is unaffected');
# The close handshake (RFC 6455 §7.1.1), straight to the streamer: having
# sent its close frame, the server waits for the client's, reading and
# dropping what comes before it. Had it hung up at once, the frames still
# on their way would be answered by a reset, which a proxy may pass on
# ahead of the close frame (Apache does): the client would see 1006.
{
	local $SIG{PIPE} = 'IGNORE';	# a server that hangs up early: a failure, not a crash
	my $fl = raw_ws_open($ENV{HZM_STREAMER_PORT});
	raw_ws_send($fl, '{"method":"PING"}') for 1 .. 60;
	my @ff = grep { $_->[0] == 8 } raw_ws_frames($fl, 5);
	is(@ff ? unpack('n', $ff[0][1]) : undef, 4029, 'straight to the streamer: a close frame, 4029');
	raw_ws_send($fl, '{"method":"PING"}') for 1 .. 5;
	sleep 0.3;
	my $n = sysread($fl, my $rest, 100);
	ok(!defined $n && $!{EAGAIN}, 'the server waits for the client\'s close frame, its own sent')
	    or diag(defined $n ? "read $n bytes" : "read: $!");
	raw_ws_send($fl, pack('n', 4029), 8);
	$n = IO::Select->new($fl)->can_read(10) ? sysread($fl, $rest, 100) : 'nothing in 10 s';
	is($n, 0, 'the client\'s close frame ends it: the end of the stream, no reset')
	    or diag(defined $n ? "read: $n" : "read: $!");
	close $fl;
}
# A message longer than the limit.
ws(op => 'open', name => 'e');
ws(op => 'send', name => 'e', raw => '{"method":"PING","x":"' . ('a' x 10000) . '"}');
$r = ws(op => 'closed', name => 'e', timeout => 3000);
is($r->{code}, 1009, 'a message past 4 KiB closes the connection with 1009') or diag(explain($r));

# A slow consumer is cut off; a normal one keeps up. The slow one talks to
# the streamer's own port (a proxy in between would buffer for it) with a
# 16 KiB receive buffer, and reads nothing until the end.
my $slow = raw_ws_open($ENV{HZM_STREAMER_PORT});
ok($slow, 'a raw client upgraded on the streamer port');
raw_ws_send($slow, '{"method":"SUBSCRIBE","params":{"channel":"orderbook","symbol":"'
    . $sym . '","depth":100}}');
ws(op => 'open', name => 'fast');
ws(op => 'send', name => 'fast', msg => { method => 'SUBSCRIBE',
    params => { channel => 'orderbook', symbol => $sym, depth => 100 } });
ok(ws(op => 'next', name => 'fast', match => { type => 'snapshot' })->{ok}, 'fast client subscribed');
ws(op => 'collect', name => 'fast');
# A deep book makes the slow client's snapshots and updates weigh.
my @deep;
for my $i (1 .. 80) {
	my $q = order($maker, 'BUY', price_at($px, -3 - $i * 0.05), '0.01000000');
	push @deep, $q->{orderId} if $q;
}
# Every snapshot is ~3 KiB; and every order below, more than one depth
# interval (100 ms) after the last, is an update of its own: the updates
# alone (90 here, 80 + 90 cancels after) outnumber the 64-message queue,
# whatever the snapshots weigh. A second maker keeps
# within the order rate limit; its bids are canceled after, so that the
# book is left as it was found.
my $maker2 = trader('wsmaker2', TRY => 10000000);
for my $i (1 .. 90) {	# within the 10 messages a second a client may send
	raw_ws_send($slow, '{"method":"SUBSCRIBE","params":{"channel":"orderbook","symbol":"'
	    . $sym . '","depth":100}}');
	order($maker2, 'BUY', price_at($px, -8), '0.01000000');
	sleep 0.12;
}
cancel($maker->{token}, $_) for @deep;
cancel_open($maker2->{token});
my $t_read = time;
my @frames = raw_ws_frames($slow, 30);
note(sprintf('the slow client read %d frames in %.1f s', scalar(@frames), time - $t_read));
my ($close) = grep { $_->[0] == 8 } @frames;
is($close ? unpack('n', $close->[1]) : undef, 4008, 'the slow consumer is closed with 4008')
    or diag(scalar(@frames) . ' frames, the last: '
	. join(' | ', map { substr($_->[1], 0, 40) } @frames[($#frames > 2 ? $#frames - 2 : 0) .. $#frames]));
$r = ws(op => 'collect', name => 'fast', ms => 500);
my @fu = grep { ($_->{type} // '') eq 'update' } @{ $r->{msgs} };
# 80 + 90 orders and 170 cancels, conflated: updates that chain over them all.
my $fbroken = grep { $fu[$_]{data}{U} != $fu[$_ - 1]{data}{u} + 1 } 1 .. $#fu;
ok(@fu && !$fbroken && $fu[-1]{data}{u} - $fu[0]{data}{U} + 1 >= 190,
    'the fast client got every update (' . scalar(@fu) . ' updates over '
    . (@fu ? $fu[-1]{data}{u} - $fu[0]{data}{U} + 1 : 0) . ' update ids, no gap)');
ok(!$r->{closed}, 'the fast client is still connected');

# --- tickers and candles at most once a second, trades every one -------------
ws(op => 'open', name => 'k');
for my $p ({ channel => 'trade' }, { channel => 'ticker' }, { channel => 'kline', interval => '1m' }) {
	ws(op => 'send', name => 'k', msg => { method => 'SUBSCRIBE', params => { %$p, symbol => $sym } });
	ws(op => 'next', name => 'k', match => { event => 'subscribed', channel => $p->{channel} });
}
my $kt0 = time;
my %ktraded;
for my $i (1 .. 30) {
	my $p = price_at($px, 0.1 + ($i % 3) * 0.05);
	order($maker, 'SELL', $p, '0.00100000');
	my $b = order($taker, 'BUY', $p, '0.00100000');
	$ktraded{ $_->{tradeId} } = 1 for @{ $b ? $b->{fills} : [] };
	next unless $i == 15;
	# A client subscribing while updates are held back.
	ws(op => 'open', name => 'j');
	ws(op => 'send', name => 'j', msg => { method => 'SUBSCRIBE',
	    params => { channel => 'orderbook', symbol => $sym, depth => 100 } });
}
ok(wait_matcher(), 'the matcher took every command');
sleep 1.5;	# the candle's last update, held back, goes out
my $jfinal = api(GET => "/api/v1/markets/$sym/orderbook?depth=100")->{json}{data};
my @jm = grep { ($_->{type} // '') =~ /^(snapshot|update)$/ } @{ ws(op => 'collect', name => 'j')->{msgs} };
my $js = shift @jm;
is($js && $js->{type}, 'snapshot', 'subscribed mid-burst: a snapshot first');
my ($jbook, $jlast, $jholes) = (book_of($js->{data}), $js->{data}{lastUpdateId}, 0);
for my $m (@jm) {
	$jholes++ if $m->{data}{U} != $jlast + 1;
	apply_book($jbook, $m->{data});
	$jlast = $m->{data}{u};
}
is($jholes, 0, 'its first update starts at lastUpdateId + 1, and each next one at the last u + 1 ('
    . scalar(@jm) . ' updates)');
is($jlast, $jfinal->{lastUpdateId}, 'it ends at REST\'s lastUpdateId');
for my $s (qw(bids asks)) {
	is_deeply($top->($jbook, $s, scalar @{ $jfinal->{$s} }), $jfinal->{$s},
	    "subscribed mid-burst: WebSocket book = REST book ($s)");
}
$r = ws(op => 'collect', name => 'k', ms => 300);
my $ksecs = time - $kt0;
my @kt = grep { ($_->{channel} // '') eq 'trade' } @{ $r->{msgs} };
my @kk = grep { ($_->{channel} // '') eq 'kline' } @{ $r->{msgs} };
my @ktick = grep { ($_->{channel} // '') eq 'ticker' } @{ $r->{msgs} };
is(scalar(grep { $ktraded{ $_->{data}{tradeId} } } @kt), scalar(keys %ktraded),
    'trades: one message a trade (' . scalar(keys %ktraded) . ')');
ok(@ktick <= int($ksecs) + 2 && @ktick < keys %ktraded,
    scalar(@ktick) . ' tickers in ' . sprintf('%.1f', $ksecs) . ' s (one on subscribing, then at most one a second)');
ok(@kk >= 1 && @kk <= int($ksecs) + 2 && @kk < keys %ktraded,
    scalar(@kk) . ' kline updates in ' . sprintf('%.1f', $ksecs) . ' s (at most one a second)');
my %klast;
$klast{ $_->{data}{openTime} } = $_->{data} for @kk;
my %krest = map { ($_->{openTime} => $_) }
    @{ api(GET => "/api/v1/public/klines/$sym?interval=1m&limit=3")->{json}{data} // [] };
my @kdiff = grep { my $w = $krest{$_};
    !$w || $w->{volume} ne $klast{$_}{volume} || $w->{trades} != $klast{$_}{trades}
    || $w->{close} ne $klast{$_}{close} } keys %klast;
is(scalar(@kdiff), 0, 'each candle\'s last update is the candle as committed (' . join(',', keys %klast) . ')')
    or diag(explain([ \%klast, \%krest ]));
$r = ws(op => 'collect', name => 'k', ms => 1200);
ok(!grep({ ($_->{channel} // '') eq 'kline' } @{ $r->{msgs} }), 'nothing left held once it was sent');

# --- the feed survives a stalled streamer ----------------------------------------
# SIGSTOP the streamer while orders trade (far more batches than the kernel
# queues for it), SIGCONT: every committed trade still reaches the client,
# and its book, kept by Binance's procedure (a new snapshot resets it, a
# delta that does not chain marks it stale), ends identical to REST.
sub streamer_pid {
	open my $fh, '<', "$ENV{HZM_VAR}/run/streamer.pid" or return undef;
	chomp(my $sup = <$fh> // '');
	my $want = "$ENV{HZM_VAR}/bin/streamer";
	for my $d (glob '/proc/[0-9]*') {
		my $exe = readlink "$d/exe" or next;
		next unless $exe eq $want || $exe eq "$want (deleted)";
		open my $st, '<', "$d/stat" or next;
		my @f = split ' ', (<$st> =~ s/^.*\) //r);
		return substr($d, 6) + 0 if $f[1] == $sup;
	}
	return undef;
}
ws(op => 'open', name => 'g');
ws(op => 'send', name => 'g', msg => { method => 'SUBSCRIBE',
    params => { channel => 'trade', symbol => $sym } });
ws(op => 'next', name => 'g', match => { event => 'subscribed', channel => 'trade' });
ws(op => 'send', name => 'g', msg => { method => 'SUBSCRIBE',
    params => { channel => 'orderbook', symbol => $sym, depth => 100 } });
$r = ws(op => 'next', name => 'g', match => { channel => 'orderbook', type => 'snapshot' });
my $gbook = book_of($r->{msg}{data});
my $glast = $r->{msg}{data}{lastUpdateId};
my $spid = streamer_pid();
ok($spid, "the streamer's pid ($spid)");
kill 'STOP', $spid;
my %traded;
for my $i (1 .. 40) {
	my $p = price_at($px, 0.1 + ($i % 4) * 0.05);
	order($maker, 'SELL', $p, '0.00100000');
	my $b = order($taker, 'BUY', $p, '0.00100000');
	$traded{ $_->{tradeId} } = 1 for @{ $b ? $b->{fills} : [] };
	order($maker, 'BUY', price_at($px, -2 - $i * 0.01), '0.00100000') if $i % 5 == 0;
}
ok(wait_matcher(), 'the matcher took every command with the streamer stopped');
kill 'CONT', $spid;
sleep 1.5;
my $gfinal = api(GET => "/api/v1/markets/$sym/orderbook?depth=100")->{json}{data};
$r = ws(op => 'collect', name => 'g', ms => 1500);
my ($stale, $resnaps, %seen) = (0, 0);
for my $m (@{ $r->{msgs} }) {
	my $c = $m->{channel} // '';
	if ($c eq 'trade') {
		$seen{ $m->{data}{tradeId} } = 1;
	} elsif ($c eq 'orderbook' && ($m->{type} // '') eq 'snapshot') {
		($gbook, $glast, $stale) = (book_of($m->{data}), $m->{data}{lastUpdateId}, 0);
		$resnaps++;
	} elsif ($c eq 'orderbook' && ($m->{data}{u} // 0) > $glast) {
		$stale = 1 if $m->{data}{U} > $glast + 1;
		apply_book($gbook, $m->{data});
		$glast = $m->{data}{u};
	}
}
my @missed = grep { !$seen{$_} } keys %traded;
is(scalar(@missed), 0, 'every trade committed while the streamer was stopped reached the client ('
    . scalar(keys %traded) . ' trades)');
ok(!grep({ !psql("SELECT count(*) FROM trades WHERE public_id = '$_'") } keys %seen),
    'every trade the client saw is committed');
is($stale, 0, "the book is not left with an unrepaired gap ($resnaps new snapshots)");
is($glast, $gfinal->{lastUpdateId}, 'the book ends at REST\'s lastUpdateId');
for my $s (qw(bids asks)) {
	is_deeply($top->($gbook, $s, scalar @{ $gfinal->{$s} }), $gfinal->{$s},
	    "after the stall: WebSocket book = REST book ($s)");
}

# Leave the book as we found it for the tests after us.
cancel_open($_->{token}) for $maker, $taker;

done_testing();
