# tests/api/25_json_strict.t — a JSON body naming a member twice is refused (400, the field named) on every route, before anything runs; §2.1's request envelope is read as its data
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time);
use Hzm;
use HzmTrade;

mc_flush();

sub dup_ok {
	my ($r, $field, $name) = @_;
	error_ok($r, 400, 'INVALID_REQUEST', $name);
	is($r->{json}{error}{details}{field}, $field, "$name: details.field is '$field'");
	is($r->{json}{error}{details}{reason}, 'duplicate key', "$name: details.reason");
}

# ---- the order that said two things ---------------------------------------------
my $A = token('test.level2@example.com');
cancel_open($A);
my $uid = "(SELECT id FROM users WHERE email = 'test.level2\@example.com')";
my $n0 = psql("SELECT count(*) FROM orders WHERE user_id = $uid");

my $order = '{"symbol":"BTCTRY","side":"SELL","type":"LIMIT","price":"9999999.00",'
    . '"timeInForce":"GTC","quantity":"0.01000000","quantity":"0.02000000"}';
my $r = place($A, $order);
dup_ok($r, 'quantity', 'an order with quantity twice');
is(psql("SELECT count(*) FROM orders WHERE user_id = $uid"), $n0, '  and no order was placed');

# Escapes do not hide a name: "\u0071uantity" is "quantity".
($r = $order) =~ s/"quantity":"0.02000000"/"\\u0071uantity":"0.02000000"/;
$r = place($A, $r);
dup_ok($r, 'quantity', 'quantity twice, once spelled with an escape');
is(psql("SELECT count(*) FROM orders WHERE user_id = $uid"), $n0, '  and no order was placed');

# The same body with one quantity is an order (so the 400 above is the duplicate's).
(my $single = $order) =~ s/,"quantity":"0.02000000"//;
$r = place($A, $single);
is($r->{status}, 201, 'the same order with one quantity is placed') or diag($r->{body});
is($r->{json}{data}{quantity}, '0.01000000', '  for the quantity sent');
cancel_open($A);

# ---- at any depth, on any route, authenticated or not -------------------------
$r = api(POST => '/api/v1/auth/login', {},
    '{"email":"test.level0@example.com","password":"x","password":"Sandbox123!"}');
dup_ok($r, 'password', 'login with password twice');

$r = api(POST => '/api/v1/kyc/submit', bearer($A),
    '{"firstName":"Ada","lastName":"Lovelace","documents":{"selfie":'
    . '{"contentType":"image/png","contentType":"image/jpeg","data":"AA=="}}}');
dup_ok($r, 'documents.selfie.contentType', 'a nested duplicate');

$r = api(PUT => '/api/v1/users/profile', bearer($A),
    '{"x":[{"a":1},{"b":{"c":1,"c":2}}]}');
dup_ok($r, 'x[1].b.c', 'a duplicate inside an array');

# Members of different objects may share names.
$r = api(POST => '/api/v1/auth/login', {},
    '{"email":"test.level0@example.com","password":"Sandbox123!",'
    . '"x":{"email":1},"y":[{"email":1},{"email":1}]}');
isnt($r->{json}{error}{details}{reason} // '', 'duplicate key',
    'the same name in sibling objects is no duplicate');

# ---- §2.1's envelope: {requestId, timestamp, data} ------------------------------
my $rid = '7d9f2c1e-4b3a-4c5d-9e8f-0a1b2c3d4e5f';
$r = api(POST => '/api/v1/auth/login', {}, { requestId => $rid,
    timestamp => '2025-11-19T10:30:00Z',
    data => { email => 'test.level0@example.com', password => 'Sandbox123!' } });
is($r->{status}, 200, 'a login in the spec\'s request envelope') or diag($r->{body});
ok($r->{json}{data}{accessToken}, '  gives a token');
is($r->{json}{requestId}, $rid, '  and answers under the requestId it sent');
$r = place($A, { requestId => '8e0a3d2f-5c4b-4d6e-8f90-1b2c3d4e5f60',
    timestamp => '2025-11-19T10:30:00Z', data => { symbol => 'BTCTRY',
    side => 'SELL', type => 'LIMIT', price => '9999999.00',
    timeInForce => 'GTC', quantity => '0.01000000' } });
is($r->{status}, 201, 'an order in the envelope is placed') or diag($r->{body});
is($r->{json}{data}{quantity}, '0.01000000', '  as its data says');
$r = api(POST => '/api/v1/auth/login', { 'X-Request-ID' => 'header-id-1' },
    { requestId => $rid, data => { email => 'test.level0@example.com',
    password => 'Sandbox123!' } });
is($r->{json}{requestId}, 'header-id-1', '  X-Request-ID, when sent, names the request');
# Beside other members, data is a field like any other.
$r = api(POST => '/api/v1/auth/login', {}, { email => 'test.level0@example.com',
    password => 'Sandbox123!', data => {} });
error_ok($r, 400, 'INVALID_REQUEST', 'data beside the payload is no envelope');
is($r->{json}{error}{details}{field}, 'data', '  but an unknown field');
cancel_open($A);

# ---- big objects stay cheap ------------------------------------------------------
my $many = '{' . join(',', map { qq("k$_":$_) } 0 .. 9999);
my $t0 = time;
$r = api(POST => '/api/v1/auth/login', {}, "$many,\"k0\":0}");
my $took = time - $t0;
dup_ok($r, 'k0', '10,000 members, the last repeating the first');
ok($took < 2, sprintf('  answered in %.3f s', $took));

$t0 = time;
$r = api(POST => '/api/v1/auth/login', {}, "$many}");
$took = time - $t0;
error_ok($r, 400, 'INVALID_REQUEST', '10,000 distinct members');
isnt($r->{json}{error}{details}{reason} // '', 'duplicate key', '  are no duplicate');
ok($took < 2, sprintf('  answered in %.3f s', $took));

done_testing();
