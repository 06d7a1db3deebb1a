# tests/api/98_console_ws_renew.t — the console's session over time in headless Chromium: a market page's login coming back to it, the private WebSocket subscription and the Orders page's calls renewed with a fresh access token when the old one runs out (AUTH_002), the order history paged, a page left while loading stopped, a session ended elsewhere said plainly
use strict;
use warnings;
use Test::More;
use Hzm;
use HzmTrade;
use HzmConsole;

console_ready();
mc_flush();
my $u = new_user('console-renew');
psql("UPDATE users SET kyc_level = 2 WHERE public_id = '$u->{userId}'");
psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
    . " SELECT id, 'TRY', 10000, 0, 'ADJUSTMENT', 'test-funding' FROM users"
    . " WHERE public_id = '$u->{userId}'");
$u->{token} = $u->{access};
my @prices;
my $n = console_run('console_ws_renew.mjs', {
	HZM_EMAIL => $u->{email}, HZM_PASSWORD => $u->{password},
}, {
	place => sub {
		# 10% under the last trade: it rests, inside the price band.
		my $price = price_at(market_price('BTCTRY', '1850000.00'), -9);
		my $r = place($u->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
		    price => $price, quantity => '0.00010000', timeInForce => 'GTC' });
		return "$r->{status} $r->{body}" unless $r->{status} == 201;
		push @prices, $price;
		$price;
	},
	# Sixty canceled orders from 2024, older than any the test places:
	# nothing locked, no trade, only rows for the history to page through.
	'seed-history' => sub {
		my $out = psql("INSERT INTO orders (public_id, user_id, symbol, side, type, time_in_force,"
		    . " price, quantity, executed_quantity, cumulative_quote, fee_asset, status, lock_asset,"
		    . " locked_amount, lock_remaining, seq, created_at, updated_at)"
		    . " SELECT 'ord_' || lpad(translate(i::text, '0123456789', 'bcdefghijk'), 20, 'q'),"
		    . " u.id, 'BTCTRY', 'BUY', 'LIMIT', 'GTC', 1000, 1, 0, 0, 'TRY', 'CANCELED', 'TRY', 1000, 0,"
		    . " nextval('order_seq'), timestamptz '2024-01-01' + i * interval '1 minute',"
		    . " timestamptz '2024-01-01' + i * interval '1 minute'"
		    . " FROM generate_series(1, 60) i, users u WHERE u.public_id = '$u->{userId}'");
		return $out if $out ne '';
		api(GET => '/api/v1/orders?pageSize=1', bearer($u->{token}))->{json}{meta}{totalCount};
	},
	# Another device ends the browser's session (the profile's DELETE).
	'end-session' => sub {
		my $r = api(DELETE => "/api/v1/users/sessions/$_[0]", bearer($u->{token}));
		$r->{status} == 200 ? 'ok' : "$r->{status} $r->{body}";
	},
});
cmp_ok($n, '>=', 26, "the browser script ran through ($n checks)");
# What the console showed is what the API has.
my $o = api(GET => '/api/v1/orders?filter_status=OPEN', bearer($u->{token}))->{json}{data} // [];
is(join(',', sort map { $_->{price} } @$o), join(',', sort @prices), 'the orders it placed are open');
cancel($u->{token}, $_->{orderId}) for @$o;

done_testing;
