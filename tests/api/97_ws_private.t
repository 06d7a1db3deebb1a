# tests/api/97_ws_private.t — /ws private channels: a user's own orders and balances, by token or signed API key; expiry, forgery; restarts
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Digest::SHA qw(hmac_sha256 hmac_sha256_hex);
use MIME::Base64 qw(encode_base64url);
use JSON::PP;
use Hzm;
use HzmTrade;
use HzmWs;
use HzmWithdraw;

my $sym = 'ETHTRY';
my $a = trader('wspriva', ETH => 10, TRY => 1000000);
my $b = trader('wsprivb', ETH => 10, TRY => 1000000);
my $px = market_price($sym, '100000.00');
my $bb = api(GET => "/api/v1/markets/$sym/orderbook?depth=1")->{json}{data}{bids}[0];
$px = price_at($bb->[0], 0.5) if $bb && $bb->[0] >= $px;

sub sub_private {
	my ($name, $channel, $auth) = @_;
	ws(op => 'send', name => $name, msg => { method => 'SUBSCRIBE', id => "s-$channel",
	    params => { channel => $channel, auth => $auth } });
	return ws(op => 'next', name => $name, match => { id => "s-$channel" })->{msg};
}

# A token signed with the stack's key, with the claims we choose.
sub jwt_with {
	my (%claims) = @_;
	open my $fh, '<', "$ENV{HZM_VAR}/secrets.conf" or die;
	my ($hex) = map { /^jwt_key = (\S+)/ ? $1 : () } <$fh>;
	my $enc = sub { encode_base64url(JSON::PP->new->canonical->encode($_[0])) };
	my $data = $enc->({ alg => 'HS256', typ => 'JWT' }) . '.' . $enc->({ iss => 'hzm',
	    aud => 'hzm-api', jti => sprintf('%08x-0000-4000-8000-%012x', int(rand(2**32)), int(rand(2**40))),
	    roles => ['USER'], kyc => 2, %claims });
	return $data . '.' . encode_base64url(hmac_sha256($data, pack('H*', $hex)));
}

# --- who may subscribe -------------------------------------------------------
ws(op => 'open', name => 'anon');
ws(op => 'send', name => 'anon', msg => { method => 'SUBSCRIBE', params => { channel => 'orders' } });
is(ws(op => 'next', name => 'anon', match => { event => 'error' })->{msg}{error}{code},
    'UNAUTHORIZED', 'orders without auth: UNAUTHORIZED');
my $forged = $a->{token};
$forged =~ s/.$/$& eq 'A' ? 'B' : 'A'/e;
is(sub_private('anon', 'orders', { token => $forged })->{error}{code}, 'AUTH_003',
    'a forged token: AUTH_003');
my $old = jwt_with(sub => $a->{userId}, iat => int(time) - 1000, exp => int(time) - 10);
is(sub_private('anon', 'orders', { token => $old })->{error}{code}, 'AUTH_002',
    'an expired token: AUTH_002');
is(sub_private('anon', 'orders', { token => 'x.y.z' })->{error}{code}, 'AUTH_003',
    'garbage: AUTH_003');

ws(op => 'open', name => 'a');
ws(op => 'open', name => 'b');
is(sub_private('a', 'orders', { token => $a->{token} })->{event}, 'subscribed', 'A: orders');
is(sub_private('a', 'balances', { token => $a->{token} })->{event}, 'subscribed', 'A: balances');
is(sub_private('b', 'orders', { token => $b->{token} })->{event}, 'subscribed', 'B: orders');
is(sub_private('b', 'orders', { token => $a->{token} })->{error}{code}, 'FORBIDDEN',
    "B's connection cannot become A's");

# --- events: each sees their own ----------------------------------------------
my $r = place($a->{token}, { symbol => $sym, side => 'SELL', type => 'LIMIT',
    timeInForce => 'GTC', price => $px, quantity => '0.02000000' });
my $oa = $r->{json}{data}{orderId};
ok($oa, "A's order is placed at $px") or diag("$r->{status} $r->{body}");
my $m = ws(op => 'next', name => 'a', match => { event => 'order.new', data => { orderId => $oa } });
ok($m->{ok}, 'A: order.new for its order') or diag(explain($m));
is($m->{msg}{data}{status}, 'NEW', 'order.new: status NEW');
is($m->{msg}{data}{orderListId}, -1, 'order.new: orderListId -1 for an order of no list');
is(psql("SELECT status FROM orders WHERE public_id = '$oa'"), 'NEW', 'and it is committed');
$r = place($b->{token}, { symbol => $sym, side => 'BUY', type => 'LIMIT',
    timeInForce => 'IOC', price => $px, quantity => '0.01000000' });
my $ob = $r->{json}{data}{orderId};
$m = ws(op => 'next', name => 'a', match => { event => 'order.partial', data => { orderId => $oa } });
ok($m->{ok}, 'A: order.partial');
is($m->{msg}{data}{executedQuantity}, '0.01000000', 'order.partial: executedQuantity');
{
	my $rest = api(GET => "/api/v1/orders/$oa", bearer($a->{token}))->{json}{data};
	is($m->{msg}{data}{cumulativeQuoteQuantity}, $rest->{cumulativeQuoteQuantity},
	    'order.partial: cumulativeQuoteQuantity, as REST names it');
	is($m->{msg}{data}{remainingQuantity}, $rest->{remainingQuantity} // 'n/a',
	    'order.partial: remainingQuantity, as REST has it');
}
is($m->{msg}{data}{averagePrice},
    api(GET => "/api/v1/orders/$oa", bearer($a->{token}))->{json}{data}{averagePrice},
    'order.partial: averagePrice as the order API has it');
$m = ws(op => 'next', name => 'b', match => { event => 'order.filled', data => { orderId => $ob } });
ok($m->{ok}, 'B: order.filled for its own order');
$m = ws(op => 'next', name => 'a', match => { event => 'balance.update', data => { asset => 'TRY' } });
ok($m->{ok}, 'A: balance.update after the trade');
my $bal = balances($a->{token})->{TRY};
is($m->{msg}{data}{available}, $bal->{available}, 'balance.update: the committed balance');
cancel($a->{token}, $oa);
ok(ws(op => 'next', name => 'a', match => { event => 'order.canceled', data => { orderId => $oa } })->{ok},
    'A: order.canceled');
$r = ws(op => 'collect', name => 'b', ms => 500);
ok(!grep({ ($_->{data}{orderId} // '') eq $oa } @{ $r->{msgs} }), "B never sees A's order");
$r = ws(op => 'collect', name => 'a', ms => 10);
ok(!grep({ ($_->{data}{orderId} // '') eq $ob } @{ $r->{msgs} }), "A never sees B's order");

# --- the orders of one market ------------------------------------------------
# params.symbol on orders: that market's orders only; beside a subscription
# to all of them, each order is told once.
sub sub_orders_of {
	my ($name, $symbol, $id) = @_;
	ws(op => 'send', name => $name, msg => { method => 'SUBSCRIBE', id => $id,
	    params => { channel => 'orders', symbol => $symbol, auth => { token => $a->{token} } } });
	return ws(op => 'next', name => $name, match => { id => $id })->{msg};
}
ws(op => 'open', name => 'af');
is(sub_orders_of('af', 'NOSUCHTRY', 'f0')->{error}{code}, 'TRADE_005',
    'orders of an unknown market: TRADE_005');
is(sub_orders_of('af', 'btc-try', 'f1')->{error}{code}, 'TRADE_005',
    'orders of a malformed symbol: TRADE_005, not every market');
is(sub_orders_of('af', 42, 'f2')->{error}{code}, 'INVALID_REQUEST',
    'a symbol that is not a string: INVALID_REQUEST');
$m = sub_orders_of('af', 'BTCTRY', 'f3');
is($m->{event}, 'subscribed', 'orders of BTCTRY: subscribed');
is($m->{symbol}, 'BTCTRY', 'the answer names the market');
my $listed = do {
	ws(op => 'send', name => 'af', msg => { method => 'LIST_SUBSCRIPTIONS', id => 'l1' });
	ws(op => 'next', name => 'af', match => { id => 'l1' })->{msg}{subscriptions};
};
is_deeply($listed, [{ channel => 'orders', symbol => 'BTCTRY' }], 'and lists it so');
$r = place($a->{token}, { symbol => $sym, side => 'SELL', type => 'LIMIT',
    timeInForce => 'GTC', price => price_at($px, 3), quantity => '0.01000000' });
my $of = $r->{json}{data}{orderId};
ok(ws(op => 'next', name => 'a', match => { event => 'order.new', data => { orderId => $of } })->{ok},
    "A's $sym order reaches the connection that takes every market");
$r = ws(op => 'collect', name => 'af', ms => 500);
ok(!grep({ ($_->{data}{orderId} // '') eq $of } @{ $r->{msgs} }),
    "but not the one that takes BTCTRY's only");
is(sub_orders_of('af', $sym, 'f4')->{event}, 'subscribed', "orders of $sym too");
cancel($a->{token}, $of);
ok(ws(op => 'next', name => 'af', match => { event => 'order.canceled', data => { orderId => $of } })->{ok},
    "then its cancel reaches it");
ws(op => 'send', name => 'af', msg => { method => 'SUBSCRIBE', id => 'f5',
    params => { channel => 'orders', auth => { token => $a->{token} } } });
ws(op => 'next', name => 'af', match => { id => 'f5' });
$r = place($a->{token}, { symbol => $sym, side => 'SELL', type => 'LIMIT',
    timeInForce => 'GTC', price => price_at($px, 3), quantity => '0.01000000' });
$of = $r->{json}{data}{orderId};
ws(op => 'next', name => 'af', match => { event => 'order.new', data => { orderId => $of } });
cancel($a->{token}, $of);
ws(op => 'next', name => 'af', match => { event => 'order.canceled', data => { orderId => $of } });
$r = ws(op => 'collect', name => 'af', ms => 300);
is(scalar(grep({ ($_->{data}{orderId} // '') eq $of } @{ $r->{msgs} })), 0,
    'subscribed to all and to its market: each event once');
ws(op => 'send', name => 'af', msg => { method => 'UNSUBSCRIBE', id => 'f6',
    params => { channel => 'orders', symbol => 'BTCTRY' } });
is(ws(op => 'next', name => 'af', match => { id => 'f6' })->{msg}{event}, 'unsubscribed',
    'one market unsubscribed');
ws(op => 'close', name => 'af');

# --- an order that trades as it comes in: order.new first, then its fills --------
# B's orders, each told from its first message on (Appendix B: order.new for
# every order accepted), in the order they happened.
sub events_of {
	my ($name, $id, $n) = @_;
	my @ev;
	for (1 .. $n) {
		my $e = ws(op => 'next', name => $name, match => { channel => 'orders', data => { orderId => $id } });
		last unless $e->{ok};
		push @ev, $e->{msg};
	}
	return @ev;
}
ws(op => 'collect', name => 'b', ms => 100);
place($a->{token}, { symbol => $sym, side => 'SELL', type => 'LIMIT',
    timeInForce => 'GTC', price => $px, quantity => '0.01000000' });
$r = place($b->{token}, { symbol => $sym, side => 'BUY', type => 'MARKET', quantity => '0.01000000' });
is($r->{json}{data}{status}, 'FILLED', 'B: a market buy fills at once') or diag($r->{body});
my @ev = events_of('b', $r->{json}{data}{orderId}, 2);
is(join(' ', map { $_->{event} } @ev), 'order.new order.filled',
    'a market order filled on arrival: order.new, then order.filled');
is($ev[0]{data}{status}, 'NEW', 'its order.new: status NEW');
is($ev[0]{data}{executedQuantity}, '0.00000000', 'its order.new: nothing executed yet');
is($ev[1]{data}{executedQuantity}, '0.01000000', 'its order.filled: all executed');
place($a->{token}, { symbol => $sym, side => 'SELL', type => 'LIMIT',
    timeInForce => 'GTC', price => $px, quantity => '0.01000000' });
$r = place($b->{token}, { symbol => $sym, side => 'BUY', type => 'LIMIT',
    timeInForce => 'GTC', price => $px, quantity => '0.03000000' });
is($r->{json}{data}{status}, 'PARTIALLY_FILLED', 'B: a limit buy partly filled, the rest resting')
    or diag($r->{body});
@ev = events_of('b', $r->{json}{data}{orderId}, 2);
is(join(' ', map { $_->{event} } @ev), 'order.new order.partial',
    'a limit order partly filled on arrival: order.new, then order.partial');
cancel($b->{token}, $r->{json}{data}{orderId});
$r = place($b->{token}, { symbol => $sym, side => 'BUY', type => 'LIMIT',
    timeInForce => 'IOC', price => price_at($px, -5), quantity => '0.01000000' });
is($r->{status}, 201, 'B: an IOC order below the asks') or diag($r->{body});
@ev = events_of('b', $r->{json}{data}{orderId}, 2);
is(join(' ', map { $_->{event} } @ev), 'order.new order.canceled',
    'an IOC order that meets nothing: order.new, then its end (' . ($r->{json}{data}{status} // '') . ')');

# --- an OCO list's legs name it ------------------------------------------------
$r = place($a->{token}, { symbol => $sym, side => 'SELL', type => 'OCO', quantity => '0.01000000',
    price => price_at($px, 5), stopPrice => price_at($px, -5) });
is($r->{status}, 201, 'A: an OCO list placed') or diag($r->{body});
my $list = $r->{json}{data}{orderListId} // 0;
for my $leg (@{ $r->{json}{data}{orders} // [] }) {
	$m = ws(op => 'next', name => 'a', match => { event => 'order.new',
	    data => { orderId => $leg->{orderId} } });
	is($m->{msg}{data}{orderListId}, $list, "order.new of the $leg->{type} leg: its orderListId");
}
is(api(DELETE => "/api/v1/order-lists/$list", bearer($a->{token}))->{status}, 200,
    'A: the list cancelled');
for my $leg (@{ $r->{json}{data}{orders} // [] }) {
	$m = ws(op => 'next', name => 'a', match => { event => 'order.canceled',
	    data => { orderId => $leg->{orderId} } });
	is($m->{msg}{data}{orderListId}, $list, "order.canceled of the $leg->{type} leg: its orderListId");
}

# --- an outbox event (a TRY deposit credited) ---------------------------------
psql("INSERT INTO outbox (public_id, user_id, event_type, payload) SELECT"
    . " 'evt_wsprivateaaaaaaaaaaa', id, 'deposit.confirmed',"
    . " jsonb_build_object('asset', 'TRY', 'amount', '10.00') FROM users WHERE public_id = '$a->{userId}'");
$m = ws(op => 'next', name => 'a', match => { event => 'deposit.confirmed' });
ok($m->{ok}, 'A: deposit.confirmed from the outbox');
is($m->{msg}{data}{amount}, '10.00', 'deposit.confirmed: its payload');

# --- balances that move outside the matcher ------------------------------------
# Appendix B's balance.update for every change of a balance: an adjustment
# in the ledger, a withdrawal's funds locked (the matcher tells of trades).
{
	my $w = wd_user('wsbal', fund => { BTC => 2 });
	ws(op => 'open', name => 'w');
	is(sub_private('w', 'balances', { token => $w->{token} })->{event}, 'subscribed',
	    'a user with BTC: balances');
	psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
	    . " SELECT id, 'BTC', 0.5, 0, 'ADJUSTMENT', 'ws-test' FROM users"
	    . " WHERE public_id = '$w->{userId}'");
	$m = ws(op => 'next', name => 'w', match => { event => 'balance.update', data => { asset => 'BTC' } });
	ok($m->{ok}, 'an adjustment in the ledger: balance.update') or diag(explain($m));
	is($m->{msg}{data}{available}, balances($w->{token})->{BTC}{available},
	    'balance.update: the balance as committed');
	$r = withdraw($w, { amount => '0.01', address => $w->{addr}, network => 'BTC' });
	is($r->{status}, 201, 'a withdrawal requested') or diag($r->{body});
	my $wb = balances($w->{token})->{BTC};
	$m = ws(op => 'next', name => 'w', match => { event => 'balance.update',
	    data => { asset => 'BTC', locked => $wb->{locked} } });
	ok($m->{ok}, "the withdrawal's funds locked: balance.update") or diag(explain($m));
	is($m->{msg}{data}{available}, $wb->{available}, '... with the available balance REST has');
}

# --- the token expires: the private subscription ends with a word -------------
my $short = jwt_with(sub => $a->{userId}, iat => int(time) + 1, exp => int(time) + 3);
ws(op => 'open', name => 'x');
is(sub_private('x', 'orders', { token => $short })->{event}, 'subscribed', 'a token about to expire');
$m = ws(op => 'next', name => 'x', match => { event => 'unsubscribed' }, timeout => 6000);
ok($m->{ok}, 'when it expires the subscription ends');
is($m->{msg}{error}{code}, 'AUTH_002', '... saying AUTH_002');

# --- a signed API key ------------------------------------------------------------
my $key = 'hzm_' . join('', map { sprintf '%x', int rand 16 } 1 .. 32);
my $pass = 'wspass' . int(rand(1e9));
my $kid = 'key_' . join('', map { ('a' .. 'z', 2 .. 7)[int rand 32] } 1 .. 20);
my $sealed = `echo '$pass' | HZM_CONF=$ENV{HZM_VAR}/hzm.conf $ENV{HZM_VAR}/bin/hzmctl seal apikey:$kid`;
chomp $sealed;
psql("INSERT INTO api_keys (public_id, user_id, api_key, password_sealed, name, scopes)"
    . " SELECT '$kid', id, '$key', decode('$sealed', 'hex'), 'ws', ARRAY['read']"
    . " FROM users WHERE public_id = '$a->{userId}'");
my $ts = int(time * 1000);
my %sig = (apiKey => $key, timestamp => "$ts", requestId => "ws-$ts",
    signature => hmac_sha256_hex($ts . 'GET' . '/ws', $pass));
ws(op => 'open', name => 'k');
is(sub_private('k', 'orders', \%sig)->{event}, 'subscribed', 'a signed API key subscribes');
ws(op => 'open', name => 'k2');
is(sub_private('k2', 'orders', \%sig)->{error}{code}, 'AUTH_003', 'the same signature again: refused');
is(sub_private('k2', 'orders', { %sig, requestId => 'other', signature => hmac_sha256_hex('x', $pass) })
    ->{error}{code}, 'AUTH_003', 'a wrong signature: AUTH_003');
# Seed 003's three parts, as REST takes them: the key, its user's email
# and the API password.
my $email = psql("SELECT email FROM users WHERE public_id = '$a->{userId}'");
ws(op => 'open', name => 'k3');
is(sub_private('k3', 'orders', { apiKey => $key, email => $email, apiPassword => $pass })->{event},
    'subscribed', 'an API key with its email and password subscribes');
is(sub_private('k3', 'balances', { apiKey => $key, email => $email, apiPassword => "x$pass" })
    ->{error}{code}, 'AUTH_001', 'a wrong API password: AUTH_001, as REST says');

# --- what REST stops taking, the streamer stops too --------------------------------
# The key is revoked: both its subscriptions (signed, and by password) end
# within ws_auth_recheck_seconds (5), and no order of A's reaches them.
$r = api(POST => "/api/v1/api-keys/$kid/revoke", bearer($a->{token}));
is($r->{status}, 200, 'the API key is revoked') or diag($r->{body});
for my $c ('k', 'k3') {
	$m = ws(op => 'next', name => $c, match => { event => 'unsubscribed' }, timeout => 8000);
	ok($m->{ok}, "$c: the revoked key's subscription ends") or diag(explain($m));
	is($m->{msg}{error}{code}, 'AUTH_003', '... saying AUTH_003');
}
is(sub_private('k3', 'orders', { apiKey => $key, email => $email, apiPassword => $pass })
    ->{error}{code}, 'AUTH_003', 'and it cannot subscribe again: AUTH_003, as REST says');
# A session that logs out: its token's subscription ends likewise.
my $lo = new_user('wslogout');
ws(op => 'open', name => 'lo');
is(sub_private('lo', 'balances', { token => $lo->{access} })->{event}, 'subscribed',
    'a session subscribes');
$r = api(POST => '/api/v1/auth/logout', bearer($lo->{access}), {});
is($r->{status}, 200, 'and logs out') or diag($r->{body});
$m = ws(op => 'next', name => 'lo', match => { event => 'unsubscribed' }, timeout => 8000);
ok($m->{ok}, "the ended session's subscription ends") or diag(explain($m));
is($m->{msg}{error}{code}, 'AUTH_003', '... saying AUTH_003');
# A suspended account: COMPLIANCE_003, as REST answers it.
my $sus = new_user('wssuspend');
ws(op => 'open', name => 'su');
is(sub_private('su', 'balances', { token => $sus->{access} })->{event}, 'subscribed',
    'another session subscribes');
psql("UPDATE users SET status = 'SUSPENDED' WHERE public_id = '$sus->{userId}'");
$m = ws(op => 'next', name => 'su', match => { event => 'unsubscribed' }, timeout => 8000);
ok($m->{ok}, "the suspended account's subscription ends") or diag(explain($m));
is($m->{msg}{error}{code}, 'COMPLIANCE_003', '... saying COMPLIANCE_003, as REST does');
$r = place($a->{token}, { symbol => $sym, side => 'BUY', type => 'LIMIT',
    timeInForce => 'GTC', price => price_at($px, -5), quantity => '0.01000000' });
is($r->{status}, 201, "an order of A's") or diag($r->{body});
ok(!ws(op => 'next', name => 'k', match => { event => 'order.new' }, timeout => 1500)->{ok},
    '  reaches no revoked subscription');
cancel($a->{token}, $r->{json}{data}{orderId});

# --- restarts: the streamer and the matcher ---------------------------------------
sub pid_of {
	my ($name) = @_;
	open my $fh, '<', "$ENV{HZM_VAR}/run/$name.pid" or return;
	my $sup = <$fh>;
	chomp $sup;
	for my $d (glob '/proc/[0-9]*') {
		open my $st, '<', "$d/stat" or next;
		my @f = split ' ', (<$st> =~ s/^.*\) //r);
		return substr($d, 6) + 0 if $f[1] == $sup;
	}
	return;
}
my $sp = pid_of('streamer');
ok($sp, 'the streamer runs under its supervisor');
ws(op => 'open', name => 'p');
ws(op => 'send', name => 'p', msg => { method => 'SUBSCRIBE', params => { channel => 'orderbook', symbol => $sym } });
ok(ws(op => 'next', name => 'p', match => { type => 'snapshot' })->{ok}, 'subscribed before the kill');
kill 'KILL', $sp;
ok(ws(op => 'closed', name => 'p', timeout => 5000)->{ok}, 'clients see the streamer go');
my $up = 0;
for (1 .. 50) {
	sleep 0.2;
	ws(op => 'open', name => 'p2') and ($up = ws(op => 'open', name => 'p2')->{ok}) and last;
}
ok($up, 'they reconnect once it is back');
ws(op => 'send', name => 'p2', msg => { method => 'SUBSCRIBE', params => { channel => 'orderbook', symbol => $sym } });
$m = ws(op => 'next', name => 'p2', match => { type => 'snapshot' });
my $rest = api(GET => "/api/v1/markets/$sym/orderbook?depth=20")->{json}{data};
is($m->{msg}{data}{lastUpdateId}, $rest->{lastUpdateId}, 'and resynchronise from a snapshot that is REST\'s');

ws(op => 'open', name => 'a2');
is(sub_private('a2', 'orders', { token => $a->{token} })->{event}, 'subscribed', 'A again, after the restart');
my $mp = matcher_pid();
kill 'KILL', $mp;
sleep 1.5;
$r = place($a->{token}, { symbol => $sym, side => 'BUY', type => 'LIMIT',
    timeInForce => 'GTC', price => price_at($px, -5), quantity => '0.01000000' });
is($r->{status}, 201, 'an order after the matcher restarted');
ok(wait_matcher(), 'the matcher is back');
$m = ws(op => 'next', name => 'p2', match => { type => 'update' }, timeout => 5000);
ok($m->{ok}, 'updates go on after the matcher restarted');
ok($m->{msg}{data}{U} == $m->{msg}{data}{U} && $m->{msg}{data}{U} <= ($rest->{lastUpdateId} // 0) + 1
    || $m->{msg}{type} eq 'update', 'and chain on from the snapshot');
ok(ws(op => 'next', name => 'a2', match => { event => 'order.new' }, timeout => 5000)->{ok},
    'private events resume too');
cancel($a->{token}, $r->{json}{data}{orderId});

# Leave the book as we found it for the tests after us.
cancel_open($_->{token}) for $a, $b;

done_testing();
