# tests/api/10_bad_input.t — hostile and malformed requests get the JSON error envelope, and the handlers keep serving
use strict;
use warnings;
use Test::More;
use Hzm;

my $apache = web() eq 'apache';
my @before = (handler_pids('public'), handler_pids('errors'));

my $r = api(GET => '/api/v1/no/such/thing');
error_ok($r, 404, 'NOT_FOUND', 'unknown /api route');
$r = api(GET => '/api/v1/public/nope');
error_ok($r, 404, 'NOT_FOUND', 'unknown route inside a handler');
$r = api(GET => '/not-api.html');
error_ok($r, 404, 'NOT_FOUND', 'unknown static path');

$r = api(DELETE => '/api/v1/public/time');
error_ok($r, 405, 'METHOD_NOT_ALLOWED', 'wrong method');
is($r->{headers}{allow}, 'GET', '405 lists the allowed methods');
$r = api(POST => '/api/v1/markets', {}, {});
error_ok($r, 405, 'METHOD_NOT_ALLOWED', 'POST on a GET resource');

# A body on GET is refused, whichever web server passes it on.
$r = api(GET => '/api/v1/public/time', {}, '{"a":1}');
error_ok($r, 400, 'INVALID_REQUEST', 'GET with a body');
# (lighttpd refuses it itself; behind Apache the handler says why)
like($r->{json}{error}{details}{reason} // '', qr/no body/, 'GET with a body: says why')
    if web() eq 'apache';

# Size: up to the limit the body is read, one byte more is 413 on any
# route, checked before routing (a 404 or 405 route still says 413).
my $max = 1048576;
$r = api(POST => '/api/v1/no/such', {}, 'x' x $max);
error_ok($r, 404, 'NOT_FOUND', 'body of exactly max_body bytes is read');
$r = api(POST => '/api/v1/no/such', {}, 'x' x ($max + 1));
error_ok($r, 413, 'PAYLOAD_TOO_LARGE', 'body one byte over the limit');
$r = api(POST => '/api/v1/public/time', {}, 'x' x (3 * $max));
error_ok($r, 413, 'PAYLOAD_TOO_LARGE', '3 MiB body to a GET-only route');
$r = api(POST => '/api/v1/no/such', {}, 'x' x (8 * $max));
error_ok($r, 413, 'PAYLOAD_TOO_LARGE', '8 MiB body (beyond the web server limit)');
$r = raw_request("POST /api/v1/no/such HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    . "Content-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n{}");
error_ok($r, 413, undef, 'absurd Content-Length');

# Query strings: invalid UTF-8, too long for the handler, too long for the server.
$r = api(GET => '/api/v1/public/time?x=%FF%FE');
error_ok($r, 400, 'INVALID_REQUEST', 'invalid UTF-8 in the query');
$r = api(GET => '/api/v1/public/time?x=%zz');
error_ok($r, 400, 'INVALID_REQUEST', 'broken percent-encoding');
$r = api(GET => '/api/v1/public/time?q=' . ('a' x 5000));
error_ok($r, 414, 'URI_TOO_LONG', '5000-byte query string');
$r = api(GET => '/api/v1/public/time?q=' . ('a' x 20000));
ok($r->{status} == 414 || $r->{status} == 431, '20000-byte URI refused by the server')
    or diag("status $r->{status}");
error_ok($r, $r->{status}, undef, 'server-refused URI');

# Headers: too long, CR/LF inside values, obsolete line folding.
$r = api(GET => '/api/v1/public/time', { 'X-Long' => 'a' x 9000 });
error_ok($r, $apache ? 400 : 431, undef, '9000-byte header');
my $get = "GET /api/v1/public/time HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
$r = raw_request($get . "X-A: a\rb\r\n\r\n");
error_ok($r, 400, undef, 'bare CR inside a header value');
$r = raw_request($get . "X-A: a\nX-B: b\r\n\r\n");
ok($r->{status} == 400 || $r->{status} == 200, 'bare LF: refused or read as a line end');
# RFC 9112 §5.2: refuse obs-fold, or replace it with a space.
$r = raw_request($get . "X-A: a\r\n folded\r\n\r\n");
if ($r->{status} == 200) {
	pass('obsolete header folding unfolded by the server');
} else {
	error_ok($r, 400, undef, 'obsolete header folding');
}
$r = raw_request($get . "X-A: a\x01b\r\n\r\n");
error_ok($r, 400, undef, 'control character in a header value');

# Header spoofing: X_Request_ID and X-Request-ID are both HTTP_X_REQUEST_ID
# in CGI terms.  The underscore spelling must never be taken for the other.
$r = api(GET => '/api/v1/public/time', { 'X_Request_ID' => 'spoofed-id' });
isnt($r->{json}{requestId} // '', 'spoofed-id', 'X_Request_ID is not taken as X-Request-ID');
$r = api(GET => '/api/v1/public/time',
    { 'X-Request-ID' => 'real-id', 'X_Request_ID' => 'spoofed-id' });
error_ok($r, 400, 'INVALID_REQUEST', 'both spellings refused');
for my $h ('X_API_KEY', 'x_api_key', 'X_Email') {
	$r = api(GET => '/api/v1/public/time', { $h => 'hzm_' . ('0' x 32) });
	error_ok($r, 400, 'INVALID_REQUEST', "$h refused");
}
$r = raw_request($get . "X-API-Key: a\r\nX-Api-Key: b\r\n\r\n");
ok($r->{status} == 400 || $r->{status} == 200, 'repeated header handled')
    or diag($r->{status});
$r = api(GET => '/api/v1/public/time', { 'Proxy' => 'http://127.0.0.1:1' });
is($r->{status}, 200, 'Proxy header (httpoxy) does not break the request');

# Methods and request lines the server refuses.
$r = raw_request("BREW /api/v1/public/time HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
ok($r->{status} >= 400 && $r->{status} < 600, 'unknown method refused')
    or diag($r->{status});
$r = raw_request("GET /api/v1/public/time HTTP/1.1\r\nConnection: close\r\n\r\n");
error_ok($r, 400, undef, 'HTTP/1.1 without Host');

# Still serving, and by the same processes: no crash, no restart.
$r = api(GET => '/api/v1/public/time');
is($r->{status}, 200, 'public still serving');
my @after = (handler_pids('public'), handler_pids('errors'));
my %now = map { $_ => 1 } @after;
is(scalar(grep { !$now{$_} } @before), 0, 'no handler process died')
    or diag("before @before after @after");

done_testing;
