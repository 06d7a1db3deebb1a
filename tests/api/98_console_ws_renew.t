# tests/api/98_console_ws_renew.t — the console's session over time in headless Chromium: the private WebSocket subscription and the Orders page's calls renewed with a fresh access token when the old one runs out (AUTH_002)
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
my $price;
my $n = console_run('console_ws_renew.mjs', {
	HZM_EMAIL => $u->{email}, HZM_PASSWORD => $u->{password},
}, {
	place => sub {
		# 10% under the last trade: it rests, inside the price band.
		$price = price_at(market_price('BTCTRY', '1850000.00'), -9);
		my $r = place($u->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
		    price => $price, quantity => '0.00010000', timeInForce => 'GTC' });
		$r->{status} == 201 ? $price : "$r->{status} $r->{body}";
	},
});
cmp_ok($n, '>=', 12, "the browser script ran through ($n checks)");
# What the console showed is what the API has.
my $o = api(GET => '/api/v1/orders?filter_status=OPEN', bearer($u->{token}))->{json}{data} // [];
is(scalar(grep { $_->{price} eq ($price // '') } @$o), 1, 'the order it showed is open');
cancel($u->{token}, $_->{orderId}) for @$o;

done_testing;
