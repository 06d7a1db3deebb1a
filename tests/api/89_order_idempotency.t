# tests/api/89_order_idempotency.t — X-Idempotency-Key on POST /orders: claimed with the order on the matcher's socket or through the inbox, replayed, run once under concurrent duplicates, refusals not placed
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmBurst;
use HzmTrade;

mc_flush();
ok(wait_matcher(), 'the matcher has an empty inbox');
my $P = market_price('BTCTRY', '1850000.00');
my $bidp = price_at($P, -3);
my $Q = '0.00010000';
my %bid = (symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', timeInForce => 'GTC',
    price => $bidp, quantity => $Q);
my $A = trader('oidem', TRY => '1000000.00');

sub orders_of {
	my ($t) = @_;
	return psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
	    . " WHERE u.public_id = '$t->{userId}'");
}

# The key's row: its status, and whether it was written with the order
# (one transaction: the same now()).
sub claim_of {
	my ($t, $key, $order) = @_;
	return psql("SELECT coalesce(k.status::text, 'none') || ' '"
	    . " || (k.created_at = o.created_at)::text FROM idempotency_keys k"
	    . " JOIN users u ON u.id = k.user_id JOIN orders o ON o.user_id = u.id"
	    . " AND o.public_id = '$order' WHERE u.public_id = '$t->{userId}' AND k.key = '$key'");
}

# ---- one order, its answer replayed --------------------------------------------
my $key = "ord-$$-" . int(time);
my $r1 = place($A->{token}, \%bid, { 'X-Idempotency-Key' => $key });
is($r1->{status}, 201, 'an order with an idempotency key') or diag($r1->{body});
my $o1 = $r1->{json}{data}{orderId} // 'none';
is($r1->{json}{data}{status}, 'NEW', 'rests');
my $r2 = place($A->{token}, \%bid, { 'X-Idempotency-Key' => $key });
is($r2->{status}, 201, 'the repeat: the first status');
is($r2->{body}, $r1->{body}, '  and the first body, byte for byte');
is($r2->{headers}{'idempotent-replayed'}, 'true', '  marked as replayed');
is(orders_of($A), 1, 'one order placed');
is(claim_of($A, $key, $o1), '201 true',
    'the key was claimed in the transaction that stored the order, and the answer kept');
my $r3 = place($A->{token}, { %bid, quantity => '0.00020000' }, { 'X-Idempotency-Key' => $key });
error_ok($r3, 422, 'UNPROCESSABLE_ENTITY', 'the same key with another order');
is(orders_of($A), 1, '  places nothing');

# ---- a refusal is an answer, and places nothing ---------------------------------------
my $pk = "poor-$$";
my %big = (%bid, quantity => '10.00000000');
my $p1 = place($A->{token}, \%big, { 'X-Idempotency-Key' => $pk });
error_ok($p1, 400, 'INSUFFICIENT_BALANCE', 'an order the balance does not cover');
my $p2 = place($A->{token}, \%big, { 'X-Idempotency-Key' => $pk });
is($p2->{body}, $p1->{body}, '  its refusal replayed');
is(orders_of($A), 1, '  and nothing placed');
is(psql("SELECT count(*) FROM idempotency_keys k JOIN users u ON u.id = k.user_id"
    . " WHERE u.public_id = '$A->{userId}' AND k.key = '$pk' AND k.status = 400"), 1,
    '  the refusal is what the key keeps');

# ---- an expired key is new again -------------------------------------------------
psql("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = '$key'"
    . " AND user_id = (SELECT id FROM users WHERE public_id = '$A->{userId}')");
my $r4 = place($A->{token}, \%bid, { 'X-Idempotency-Key' => $key });
is($r4->{status}, 201, 'after 24 hours the key places an order again') or diag($r4->{body});
my $o4 = $r4->{json}{data}{orderId} // 'none';
isnt($o4, $o1, '  a new one');
is(orders_of($A), 2, '  two orders now');
is(claim_of($A, $key, $o4), '201 true', '  claimed anew with it, its answer kept');
is(psql("SELECT count(*) FROM idempotency_keys k JOIN users u ON u.id = k.user_id"
    . " WHERE u.public_id = '$A->{userId}' AND k.key = '$key'"
    . " AND k.expires_at > now() + interval '23 hours'"), 1, '  for another 24 hours');
is(place($A->{token}, \%bid, { 'X-Idempotency-Key' => $key })->{body}, $r4->{body},
    '  and replayed from then on');

# ---- twenty duplicates at once: one order ----------------------------------------------
my $B = trader('oidem-burst', TRY => '1000000.00');
my $ck = "burst-$$";
my @res = burst(map { [POST => '/api/v1/orders', $B->{token}, \%bid,
    { 'X-Idempotency-Key' => $ck }] } 1 .. 20);
my @created = grep { $_->{status} == 201 && !$_->{headers}{'idempotent-replayed'} } @res;
my @replayed = grep { $_->{status} == 201 && $_->{headers}{'idempotent-replayed'} } @res;
my @busy = grep { $_->{status} == 409 } @res;
is(scalar @created, 1, 'twenty duplicates at once: one placed the order');
is(scalar(@created) + scalar(@replayed) + scalar(@busy), 20,
    '  the others were replayed or told it is in progress (409)')
    or diag(join ' ', map { $_->{status} } @res);
my %bodies = map { $_->{body} => 1 } @created, @replayed;
is(scalar keys %bodies, 1, '  every 201 is the same answer');
is(orders_of($B), 1, '  one order in the database');

# ---- through the inbox (the matcher not answering on its socket) ------------------------
my $C = trader('oidem-inbox', TRY => '1000000.00');
my $ik = "inbox-$$";
my $i1 = via_inbox(sub { place($C->{token}, \%bid, { 'X-Idempotency-Key' => $ik }) });
ok($i1->{status} == 201 || $i1->{status} == 202, 'through the inbox: placed')
    or diag($i1->{body});
my $oi = $i1->{json}{data}{orderId} // 'none';
is(orders_of($C), 1, '  once');
like(claim_of($C, $ik, $oi), qr/^$i1->{status} true$/,
    '  the key claimed in the transaction that stored it');
my $i2 = place($C->{token}, \%bid, { 'X-Idempotency-Key' => $ik });
is($i2->{body}, $i1->{body}, '  and the answer replayed');
is(orders_of($C), 1, '  still one order');

cancel_open($_->{token}) for $A, $B, $C;
ok(wait_matcher(), 'the inbox is empty');
invariant_ok('order idempotency');

done_testing;
