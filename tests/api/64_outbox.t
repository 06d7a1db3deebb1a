# tests/api/64_outbox.t — events are written to the outbox with their cause, once, and announced at commit
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use JSON::PP;
use Hzm;
use HzmTrade;

mc_flush();
my $A = bearer(admin_login());

# An application under review, as kyc/submit leaves it.
my $seq = 0;
sub application {
	my ($u) = @_;
	my $id = sprintf 'kyc_outbox%s', substr(join('', map { ('a' .. 'z')[rand 26] } 1 .. 20), 0, 14);
	psql("INSERT INTO kyc_submissions (public_id, user_id, first_name, last_name,"
	    . " date_of_birth, nationality, id_number, address) SELECT '$id', id, 'Ada',"
	    . " 'Lovelace', '1990-01-01', 'TR', '\\x00', 'Somewhere 1' FROM users"
	    . " WHERE public_id = '$u->{userId}'");
	return $id;
}
sub events {
	my ($u) = @_;
	my $rows = psql("SELECT o.event_type || '|' || o.payload::text || '|' || o.public_id FROM outbox o"
	    . " JOIN users u ON u.id = o.user_id WHERE u.public_id = '$u->{userId}' ORDER BY o.id");
	return [ map { [ split /\|/, $_, 3 ] } grep { length } split /\n/, $rows ];
}

# Listen from another connection: a NOTIFY arrives only once committed.
my $listener = "$ENV{HZM_VAR}/listen.$$";
my $pid = open(my $lfh, '|-', "psql -X -q -U hzm -d hzm -h $ENV{HZM_VAR}/run/pg >$listener 2>&1")
    or die "psql: $!";
$lfh->autoflush(1);
print $lfh "LISTEN hzm_outbox;\n";

my $u = new_user('outbox');
my $kyc = application($u);
my $r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A, { level => 'LEVEL_2' });
is($r->{status}, 200, 'KYC approved') or diag($r->{body});
my $ev = events($u);
is(scalar @$ev, 1, 'one event');
is($ev->[0][0], 'kyc.approved', 'kyc.approved');
my $payload = decode_json($ev->[0][1]);
is_deeply($payload, { kycId => $kyc, level => 'LEVEL_2' }, 'with the application and the level');
like($ev->[0][2], qr/^evt_[a-z2-7]{20}$/, 'an evt_ id');

$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A, {});
error_ok($r, 409, 'CONFLICT', 'a second decision is refused');
is(scalar @{ events($u) }, 1, 'and writes no event');

my $v = new_user('outbox-rej');
$kyc = application($v);
$r = api(POST => "/api/v1/admin/kyc/$kyc/reject", $A, { reason => 'BLURRY_IMAGE' });
is($r->{status}, 200, 'KYC rejected') or diag($r->{body});
$ev = events($v);
is($ev->[0][0], 'kyc.rejected', 'kyc.rejected');
is_deeply(decode_json($ev->[0][1]), { kycId => $kyc, reason => 'BLURRY_IMAGE' }, 'with the reason code');

print $lfh "SELECT 1;\n";
sleep 0.5;
close $lfh;
open my $in, '<', $listener or die;
my $heard = do { local $/; <$in> };
unlink $listener;
my %heard = map { $_ => 1 } $heard =~ /notification "hzm_outbox" with payload "(\d+)"/g;
my @kyc = split /\n/, psql("SELECT o.id FROM outbox o JOIN users u ON u.id = o.user_id"
    . " WHERE u.public_id IN ('$u->{userId}', '$v->{userId}') AND o.event_type LIKE 'kyc.%'");
is(scalar(grep { $heard{$_} } @kyc), 2, 'a listener heard both events') or diag($heard);

# order.filled, written by the matcher with the fill, for the users who
# asked for it only: by mail (it is off by default) or by an endpoint
# subscribed to it; not for the other side of the same trade. On BTCTRY,
# which most order tests use: 73_market_data counts ETHTRY's day from zero.
my $sym = 'BTCTRY';
my $px = market_price($sym, '1800000.00');
my $ob = api(GET => "/api/v1/markets/$sym/orderbook?depth=1")->{json}{data};
my ($bid, $ask) = ($ob->{bids}[0][0], $ob->{asks}[0][0]);
$px = price_at($bid, 0.5) if defined $bid && $bid >= $px;
$px = price_at($ask, -0.5) if defined $ask && $ask <= $px;
my $mail = trader('outbox-fill-mail', BTC => 1);
my $hook = trader('outbox-fill-hook', BTC => 1);
my $none = trader('outbox-fill-none', TRY => 10000000);
$r = api(PUT => '/api/v1/notifications/preferences', bearer($mail->{token}), { preferences => [
    { type => 'order.filled', emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::false } ] });
is($r->{status}, 200, 'order.filled mail turned on') or diag($r->{body});
psql("INSERT INTO webhook_endpoints (public_id, user_id, url, events, secret_sealed)"
    . " SELECT 'whk_outboxfillhookaaaaaa', id, 'https://hooks.example.com/fill',"
    . " '{order.filled}', '\\x00' FROM users WHERE public_id = '$hook->{userId}'");
sub fills {
	my ($u) = @_;
	return [ map { decode_json($_->[1]) } grep { $_->[0] eq 'order.filled' } @{ events($u) } ];
}
for my $seller ($mail, $hook) {
	my $s = place($seller->{token}, { symbol => $sym, side => 'SELL', type => 'LIMIT',
	    timeInForce => 'GTC', price => $px, quantity => '0.001' });
	is($s->{status}, 201, 'a sell rests') or diag($s->{body});
	my $b = place($none->{token}, { symbol => $sym, side => 'BUY', type => 'LIMIT',
	    timeInForce => 'IOC', price => $px, quantity => '0.001' });
	is($b->{json}{data}{status}, 'FILLED', '  and a buy fills it') or diag($b->{body});
	my $f = fills($seller);
	is(scalar @$f, 1, '  order.filled for the seller, who asked for it');
	is($f->[0]{orderId}, $s->{json}{data}{orderId}, '  naming the sell') if @$f;
	is($f->[0]{quantity}, '0.00100000', '  and its quantity, at the market\'s precision') if @$f;
	my $o = api(GET => "/api/v1/orders/$s->{json}{data}{orderId}", bearer($seller->{token}))->{json}{data};
	is_deeply([ @{ $f->[0] }{qw(executedQuantity cumulativeQuoteQuantity averagePrice)} ],
	    [ @{$o}{qw(executedQuantity cumulativeQuoteQuantity averagePrice)} ],
	    '  its figures as the order API has them') if @$f;
}
is(scalar @{ fills($none) }, 0, 'none for the buyer, who did not ask');

done_testing;
