# tests/api/54_admin_orders.t — GET /api/v1/admin/orders and /admin/trades: every user's, filtered, sorted and paged; the plans over a million rows use indexes
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

mc_flush();

my $A = bearer(admin_login());
my $sym = 'BTCTRY';
my $p = market_price($sym, '1850000.00');
my $s = trader('ao-sell', BTC => 10);
my $b = trader('ao-buy', TRY => 10000000);
my $t0 = time;
my $r = place($s->{token}, { symbol => $sym, side => 'SELL', type => 'LIMIT', timeInForce => 'GTC',
    price => $p, quantity => '0.50000000' });
is($r->{status}, 201, 'a resting sell') or diag($r->{body});
my $sell = $r->{json}{data}{orderId};
$r = place($b->{token}, { symbol => $sym, side => 'BUY', type => 'LIMIT', timeInForce => 'GTC',
    price => $p, quantity => '0.20000000' });
is($r->{status}, 201, 'a buy that takes part of it') or diag($r->{body});
my $buy = $r->{json}{data}{orderId};
is($r->{json}{data}{status}, 'FILLED', 'filled');

# --- orders --------------------------------------------------------------------------
$r = api(GET => "/api/v1/admin/orders?filter_userId=$s->{userId}", $A);
is($r->{status}, 200, 'orders of one user') or diag($r->{body});
envelope_ok($r, 'admin orders');
is(scalar @{$r->{json}{data}}, 1, 'one order');
my $o = $r->{json}{data}[0];
is($o->{orderId}, $sell, 'the sell');
is($o->{userId}, $s->{userId}, 'with its owner');
is($o->{status}, 'PARTIALLY_FILLED', 'partially filled');
is($o->{executedQuantity}, '0.20000000', 'executed quantity at the market precision');
is($o->{price}, $p, 'price as placed');
is($o->{fee}{currency}, 'TRY', 'fee currency');
{
	# The figures as the owner's own GET /orders/{id} has them.
	my $own = api(GET => "/api/v1/orders/$sell", bearer($s->{token}))->{json}{data};
	like($o->{fee}{amount}, qr/^\d+\.\d\d$/, "fee amount at TRY's 2 decimals ($o->{fee}{amount})");
	is($o->{fee}{amount}, $own->{fee}{amount}, '  as the owner sees it')
	    if ref $own->{fee} eq 'HASH';
	for my $k (qw(cumulativeQuoteQuantity remainingQuantity averagePrice)) {
		is($o->{$k}, $own->{$k}, "$k as the owner sees it");
	}
}
is($o->{orderListId}, -1, 'orderListId -1: of no list');
ok(exists $o->{stopPrice} && !defined $o->{stopPrice}, 'stopPrice null: not a stop order');
is($o->{selfTradePrevention}, 'EXPIRE_TAKER', 'selfTradePrevention');
is($r->{json}{meta}{totalCount}, 1, 'meta.totalCount');
is($r->{json}{meta}{totalCountCapped}, JSON::PP::false, 'count not capped');

$r = api(GET => "/api/v1/admin/orders?filter_symbol=$sym&filter_side=BUY&filter_status=FILLED&pageSize=500", $A);
ok((grep { $_->{orderId} eq $buy } @{$r->{json}{data}}), 'filters: symbol, side, status');
ok(!(grep { $_->{side} ne 'BUY' || $_->{status} ne 'FILLED' || $_->{symbol} ne $sym } @{$r->{json}{data}}),
    'and nothing else');
my @t = gmtime($t0 - 5);
my $from = sprintf '%04d-%02d-%02dT%02d:%02d:%02dZ', $t[5] + 1900, $t[4] + 1, @t[3, 2, 1, 0];
$r = api(GET => "/api/v1/admin/orders?filter_from=$from&sort=%2BcreatedAt&pageSize=500", $A);
my @ids = map { $_->{orderId} } @{$r->{json}{data}};
ok((grep { $_ eq $sell } @ids) && (grep { $_ eq $buy } @ids), 'time range from');
my @ts = map { $_->{createdAt} } @{$r->{json}{data}};
is_deeply(\@ts, [sort @ts], '+createdAt: oldest first');
$r = api(GET => "/api/v1/admin/orders?filter_to=$from&filter_userId=$s->{userId}", $A);
is(scalar @{$r->{json}{data}}, 0, 'time range to');
$r = api(GET => '/api/v1/admin/orders?pageSize=2', $A);
my @d = map { $_->{createdAt} } @{$r->{json}{data}};
is_deeply(\@d, [reverse sort @d], 'newest first by default');
$r = api(GET => '/api/v1/admin/orders?pageSize=1&filter_symbol=' . $sym, $A);
like($r->{json}{links}{next} // '', qr/page=2&pageSize=1&filter_symbol=$sym/, 'links keep the filters');

for my $bad ('filter_status=OPENED', 'filter_side=buy', 'filter_userId=bob', 'filter_symbol=x',
    'filter_from=yesterday', 'filter_to=2025-13-01', 'sort=price', 'pageSize=501', 'filter_colour=red') {
	$r = api(GET => "/api/v1/admin/orders?$bad", $A);
	error_ok($r, 400, 'INVALID_REQUEST', "orders: $bad refused");
}

# An OCO list's legs, as staff see them.
my $oco = place($b->{token}, { symbol => $sym, side => 'BUY', type => 'OCO', quantity => '0.01000000',
    price => price_at($p, -5), stopPrice => price_at($p, 5), selfTradePrevention => 'EXPIRE_BOTH' });
is($oco->{status}, 201, 'an OCO list') or diag($oco->{body});
$r = api(GET => "/api/v1/admin/orders?filter_userId=$b->{userId}&filter_status=NEW", $A);
my %leg = map { $_->{type} => $_ } @{$r->{json}{data}};
is($leg{$_}{orderListId}, $oco->{json}{data}{orderListId}, "$_ leg: its orderListId")
    for qw(LIMIT STOP_LOSS);
is($leg{STOP_LOSS}{stopPrice}, price_at($p, 5), 'the stop leg: its stopPrice');
is($leg{LIMIT}{selfTradePrevention}, 'EXPIRE_BOTH', 'and the mode asked for');
is(api(DELETE => "/api/v1/order-lists/$oco->{json}{data}{orderListId}", bearer($b->{token}))->{status},
    200, 'the list cancelled');

# --- trades --------------------------------------------------------------------------
$r = api(GET => "/api/v1/admin/trades?filter_userId=$b->{userId}", $A);
is($r->{status}, 200, 'trades of one user') or diag($r->{body});
is(scalar @{$r->{json}{data}}, 1, 'one trade');
my $tr = $r->{json}{data}[0];
like($tr->{tradeId}, qr/^trd_/, 'tradeId');
is($tr->{side}, 'BUY', "the taker's side");
is($tr->{quantity}, '0.20000000', 'quantity');
is($tr->{maker}{orderId}, $sell, 'maker order');
is($tr->{maker}{userId}, $s->{userId}, 'maker user');
is($tr->{taker}{orderId}, $buy, 'taker order');
is($tr->{taker}{userId}, $b->{userId}, 'taker user');
ok(defined $tr->{taker}{fee}{amount} && $tr->{taker}{fee}{currency}, 'fees per side');
like($tr->{taker}{fee}{amount}, qr/^\d+\.\d\d$/, "  at TRY's 2 decimals ($tr->{taker}{fee}{amount})");
like($tr->{maker}{fee}{amount}, qr/^\d+\.\d\d$/, "  the maker's too ($tr->{maker}{fee}{amount})");
$r = api(GET => "/api/v1/admin/trades?filter_userId=$s->{userId}", $A);
is(scalar @{$r->{json}{data}}, 1, 'the maker finds it too');
$r = api(GET => "/api/v1/admin/trades?filter_userId=$s->{userId}&filter_side=SELL", $A);
is(scalar @{$r->{json}{data}}, 0, 'side filter (the taker bought)');
$r = api(GET => "/api/v1/admin/trades?filter_status=FILLED", $A);
error_ok($r, 400, 'INVALID_REQUEST', 'trades have no status filter');

# --- who may ---------------------------------------------------------------------------
my $sup = staff('SUPPORT');
$r = api(GET => '/api/v1/admin/orders', bearer($sup->{token}));
is($r->{status}, 200, 'SUPPORT reads orders');
$r = api(GET => '/api/v1/admin/trades', bearer($sup->{token}));
is($r->{status}, 200, 'and trades');
$r = api(GET => '/api/v1/admin/orders', bearer($b->{token}));
error_ok($r, 403, 'FORBIDDEN', 'a trader may not');
$r = api(GET => '/api/v1/admin/trades', {});
error_ok($r, 401, 'UNAUTHORIZED', 'nor anyone unnamed');

# --- plans over a million rows: never a sequential scan ---------------------------------
# The rows are made in a transaction that is rolled back, so no other
# test sees them; the statements are the handler's own (hzmctl sql). Their
# ids start with twelve z's, which no id drawn at random does in practice
# (one in 32^12), so they are told from the orders earlier tests placed.
my $hzmctl = "$ENV{HZM_BIN}/hzmctl";
my %sql = map { $_ => scalar `$hzmctl sql $_` } qw(search_orders_count search_orders_desc
    search_orders_asc search_trades_count search_trades_desc search_trades_asc);
ok(length $sql{$_} > 20, "statement $_") for sort keys %sql;
my $uid = $s->{userId};
my @plans = (
	[ search_orders_count => "NULL, NULL, NULL, NULL, NULL, NULL" ],
	[ search_orders_desc => "NULL, NULL, NULL, NULL, NULL, NULL, 50, 0" ],
	[ search_orders_asc => "NULL, NULL, NULL, NULL, NULL, NULL, 50, 500" ],
	[ search_orders_desc => "'$uid', NULL, NULL, NULL, NULL, NULL, 50, 0" ],
	[ search_orders_count => "'$uid', NULL, NULL, NULL, NULL, NULL" ],
	[ search_orders_desc => "NULL, 'BTCTRY', NULL, 'SELL', NULL, NULL, 50, 0" ],
	[ search_orders_count => "NULL, 'BTCTRY', 'FILLED', NULL, NULL, NULL" ],
	[ search_orders_desc => "NULL, NULL, 'CANCELED', NULL, '2024-01-01', '2024-01-02', 50, 0" ],
	[ search_orders_count => "NULL, NULL, NULL, NULL, '2024-01-01', '2024-01-02'" ],
	[ search_trades_count => "NULL, NULL, NULL, NULL, NULL" ],
	[ search_trades_desc => "NULL, NULL, NULL, NULL, NULL, 50, 0" ],
	[ search_trades_asc => "NULL, NULL, 'BUY', NULL, NULL, 50, 0" ],
	[ search_trades_desc => "'$uid', NULL, NULL, NULL, NULL, 50, 0" ],
	[ search_trades_count => "'$uid', NULL, NULL, NULL, NULL" ],
	[ search_trades_desc => "NULL, 'BTCTRY', NULL, '2024-01-01', '2024-02-01', 50, 0" ],
	[ search_trades_count => "NULL, 'BTCTRY', NULL, NULL, NULL" ],
);
my $script = <<"SQL";
\\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO orders (public_id, user_id, symbol, side, type, time_in_force, price, quantity,
    executed_quantity, cumulative_quote, fee_asset, status, lock_asset, locked_amount,
    lock_remaining, seq, created_at, updated_at)
SELECT 'ord_' || lpad(translate(i::text, '0123456789', 'bcdefghijk'), 20, 'z'),
    (SELECT id FROM users WHERE email = 'test.level2\@example.com'),
    (ARRAY['BTCTRY', 'ETHTRY', 'USDTTRY'])[1 + i % 3], (ARRAY['BUY', 'SELL'])[1 + i % 2],
    'LIMIT', 'GTC', 1000, 1, CASE WHEN i % 4 = 0 THEN 0 ELSE 1 END,
    CASE WHEN i % 4 = 0 THEN 0 ELSE 1000 END, 'TRY',
    CASE WHEN i % 4 = 0 THEN 'CANCELED' ELSE 'FILLED' END, 'TRY', 1000, 0,
    nextval('order_seq'), timestamptz '2024-01-01' + i * interval '20 seconds',
    timestamptz '2024-01-01' + i * interval '20 seconds'
FROM generate_series(1, 1000000) i;
INSERT INTO trades (public_id, symbol, price, quantity, quote_quantity, maker_order_id,
    taker_order_id, maker_user_id, taker_user_id, maker_side, maker_fee, taker_fee,
    maker_fee_asset, taker_fee_asset, created_at)
SELECT 'trd_' || substr(o.public_id, 5), o.symbol, 1000, 1, 1000, o.id, o.id - 1, o.user_id,
    o.user_id, o.side, 1, 2, 'TRY', 'TRY', o.created_at
FROM orders o WHERE o.public_id LIKE 'ord_zzzzzzzzzzzz%' AND o.id > (SELECT min(id) FROM orders
    WHERE public_id LIKE 'ord_zzzzzzzzzzzz%');
ANALYZE orders;
ANALYZE trades;
SELECT 'rows ' || (SELECT count(*) FROM orders) || ' ' || (SELECT count(*) FROM trades);
SQL
my $n = 0;
for my $pl (@plans) {
	my ($name, $args) = @$pl;
	$n++;
	(my $q = $sql{$name}) =~ s/\s+$//;
		$script .= "PREPARE p$n AS $q;\n"
	    . "\\echo begin $n\nEXPLAIN EXECUTE p$n($args);\n\\echo end $n\n";
}
$script .= "ROLLBACK;\n";
my $f = "$ENV{HZM_VAR}/explain54.sql";
open my $fh, '>', $f or die;
print $fh $script;
close $fh;
my $t1 = time;
# As the owner: only a table's owner may ANALYZE it.
my $out = `psql -X -At -q -U hzm_owner -d hzm -h $ENV{HZM_VAR}/run/pg -f $f 2>&1`;
like($out, qr/rows (\d{7,}) (\d{6,})/, 'a million orders and as many trades') or diag(substr($out, 0, 2000));
diag(sprintf 'generated and explained in %.1f s', time - $t1);
for my $i (1 .. $n) {
	my ($plan) = $out =~ /begin $i\n(.*?)\nend $i/s;
	ok(defined $plan && $plan =~ /Index|Bitmap/, "plan $i ($plans[$i - 1][0]: $plans[$i - 1][1]) uses an index")
	    or diag($plan // $out);
	unlike($plan // '', qr/Seq Scan on (orders|trades)/, "plan $i reads neither table through")
	    or diag($plan);
}
is(psql("SELECT count(*) FROM orders WHERE public_id LIKE 'ord_zzzzzzzzzzzz%'"), 0, 'the rows are gone again');

# The resting rest of the sell leaves the book to the tests that follow.
cancel_open($s->{token});
is(api(GET => "/api/v1/admin/orders?filter_userId=$s->{userId}&filter_status=PARTIALLY_FILLED", $A)
    ->{json}{meta}{totalCount}, 0, 'the resting sell is cancelled');

done_testing();
