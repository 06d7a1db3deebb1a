# tests/api/98_console_ws_renew.t — the console's session over time in headless Chromium: a market page's login coming back to it, the private WebSocket subscription and the Orders page's calls renewed with a fresh access token when the old one runs out (AUTH_002), a page left while loading stopped, a session ended elsewhere said plainly
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
	# Another device ends the browser's session (the profile's DELETE).
	'end-session' => sub {
		my $r = api(DELETE => "/api/v1/users/sessions/$_[0]", bearer($u->{token}));
		$r->{status} == 200 ? 'ok' : "$r->{status} $r->{body}";
	},
});
cmp_ok($n, '>=', 19, "the browser script ran through ($n checks)");
# What the console showed is what the API has.
my $o = api(GET => '/api/v1/orders?filter_status=OPEN', bearer($u->{token}))->{json}{data} // [];
is(join(',', sort map { $_->{price} } @$o), join(',', sort @prices), 'the orders it placed are open');
cancel($u->{token}, $_->{orderId}) for @$o;

done_testing;
