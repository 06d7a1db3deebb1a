# tests/api/00_public.t — public.fcgi: server time and markets, from the database
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time);
use Hzm;

my $r = api(GET => '/api/v1/public/time');
is($r->{status}, 200, 'time: 200');
envelope_ok($r, 'time');
ok($r->{json}{success}, 'time: success');
my $ms = $r->{json}{data}{serverTime};
like($ms, qr/^\d{13}$/, 'time: serverTime in epoch ms');
ok(abs($ms / 1000 - time) < 5, 'time: serverTime is now');
like($r->{json}{data}{iso}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
    'time: iso');
like($r->{json}{requestId}, qr/^[0-9a-f-]{36}$/, 'requestId generated');
is($r->{headers}{'x-request-id'}, $r->{json}{requestId},
    'X-Request-ID header matches the envelope');
is($r->{headers}{'cache-control'}, 'no-store', 'no-store');

# X-Request-ID from the client is kept when it is a sane token ...
$r = api(GET => '/api/v1/public/time', { 'X-Request-ID' => 'client-req-42' });
is($r->{json}{requestId}, 'client-req-42', 'client X-Request-ID is echoed');
# ... and replaced when it is not.
$r = api(GET => '/api/v1/public/time', { 'X-Request-ID' => 'a"b<c>' . ('x' x 100) });
like($r->{json}{requestId}, qr/^[0-9a-f-]{36}$/, 'unsafe X-Request-ID replaced');

# traceparent (W3C) carries the trace id through.
$r = api(GET => '/api/v1/nothing-here', { traceparent =>
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
is($r->{json}{error}{traceId}, '4bf92f3577b34da6a3ce929d0e0e4736',
    'traceId taken from traceparent');

# HEAD: headers, no body
$r = api(HEAD => '/api/v1/public/time');
is($r->{status}, 200, 'HEAD time: 200');
is($r->{body}, '', 'HEAD time: no body');

# markets: every market with the database's values
$r = api(GET => '/api/v1/public/markets');
is($r->{status}, 200, 'public/markets: 200');
envelope_ok($r, 'public/markets');
my %m = map { $_->{symbol} => $_ } @{ $r->{json}{data} };
is_deeply([sort keys %m], [qw(BTCTRY ETHBTC ETHTRY USDTTRY)], 'four markets');
is_deeply($m{BTCTRY}, {
	symbol => 'BTCTRY', baseAsset => 'BTC', quoteAsset => 'TRY',
	status => 'ACTIVE', pricePrecision => 2, quantityPrecision => 8,
	minQuantity => psql("SELECT round(min_quantity, 8) FROM markets WHERE symbol = 'BTCTRY'"),
	minNotional => psql("SELECT round(min_notional, 2) FROM markets WHERE symbol = 'BTCTRY'"),
	makerFee => psql("SELECT trim_scale(maker_fee) FROM markets WHERE symbol = 'BTCTRY'"),
	takerFee => psql("SELECT trim_scale(taker_fee) FROM markets WHERE symbol = 'BTCTRY'"),
}, 'BTCTRY as stored');
is($m{USDTTRY}{pricePrecision}, 4, 'USDTTRY price precision 4');
is($m{ETHBTC}{quoteAsset}, 'BTC', 'ETHBTC quoted in BTC');
like($m{ETHBTC}{minNotional}, qr/^\d+\.\d{8}$/, 'ETHBTC minNotional at BTC precision');

# A halted market leaves /markets (active only) but stays in /public/markets.
psql("UPDATE markets SET status = 'HALTED' WHERE symbol = 'ETHBTC'");
$r = api(GET => '/api/v1/markets');
is($r->{status}, 200, 'markets: 200');
my @active = map { $_->{symbol} } @{ $r->{json}{data} };
is_deeply(\@active, [qw(BTCTRY ETHTRY USDTTRY)], 'halted ETHBTC not listed as active');
$r = api(GET => '/api/v1/public/markets');
my ($eb) = grep { $_->{symbol} eq 'ETHBTC' } @{ $r->{json}{data} };
is($eb->{status}, 'HALTED', 'public/markets shows the HALTED status');
psql("UPDATE markets SET status = 'ACTIVE' WHERE symbol = 'ETHBTC'");
$r = api(GET => '/api/v1/markets/');
is(scalar @{ $r->{json}{data} }, 4, 'trailing slash: same resource, ETHBTC back');

# health
$r = api(GET => '/api/v1/system/health');
is($r->{status}, 200, 'health: 200');
is($r->{json}{data}{database}, 'up', 'health: database up');
is($r->{json}{data}{memcached}, 'up', 'health: memcached up');

done_testing;
