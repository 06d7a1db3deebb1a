# tests/api/11_http_status.t — what the web server refuses by itself is the envelope, with its own status
use strict;
use warnings;
use Test::More;
use Hzm;

my $apache = web() eq 'apache';
my $host = "Host: 127.0.0.1\r\nConnection: close\r\n";

# Requests curl will not send: raw bytes on the socket.
my $r = raw_request("POST /api/v1/auth/login HTTP/1.1\r\n$host\r\n");
error_ok($r, 411, 'LENGTH_REQUIRED', 'POST without a body or Content-Length');
$r = raw_request("POST /api/v1/no/such HTTP/1.1\r\n$host\r\n");
error_ok($r, 411, 'LENGTH_REQUIRED', 'POST without Content-Length, unrouted path');
$r = raw_request("POST /api/v1/auth/login HTTP/1.1\r\n${host}Content-Length: 0\r\n\r\n");
isnt($r->{status}, 411, 'Content-Length: 0 is a length');
$r = raw_request("POST /api/v1/auth/login HTTP/1.1\r\n${host}Transfer-Encoding: chunked\r\n"
    . "Content-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
error_ok($r, 400, 'INVALID_REQUEST', 'a chunked POST is read (its fields are missing)');

for my $m ('get', 'Get', 'BREW') {
	$r = raw_request("$m /api/v1/public/time HTTP/1.1\r\n$host\r\n");
	error_ok($r, 501, 'NOT_IMPLEMENTED', "method $m (methods are case-sensitive)");
}
$r = raw_request("get /index.html HTTP/1.1\r\n$host\r\n");
error_ok($r, 501, 'NOT_IMPLEMENTED', 'method get on a static file');

for my $v ('HTTP/2.5', 'HTTP/2.0', 'HTTP/3.0') {
	$r = raw_request("GET /api/v1/public/time $v\r\n$host\r\n");
	error_ok($r, 505, 'HTTP_VERSION_NOT_SUPPORTED', "request line with $v");
}
$r = raw_request("GET /api/v1/public/time HTTP/1.0\r\n\r\n");
is($r->{status}, 200, 'HTTP/1.0 still served');

# Statuses only one of the servers produces.
if ($apache) {
	$r = raw_request("GET /api/v1/public/time HTTP/1.1\r\n${host}Expect: tea\r\n\r\n");
	error_ok($r, 417, 'EXPECTATION_FAILED', 'Apache: an unknown expectation');
	$r = raw_request("GET /bench.txt HTTP/1.1\r\n${host}Range: bytes=100-200\r\n\r\n");
	error_ok($r, 416, 'RANGE_NOT_SATISFIABLE', 'Apache: a range past the end of a static file');
} else {
	$r = raw_request("GET /api/v1/public/time HTTP/1.1\r\n${host}Transfer-Encoding: gzip\r\n\r\n");
	error_ok($r, 501, 'NOT_IMPLEMENTED', 'lighttpd: an unknown transfer coding');
	$r = raw_request("GET /bench.txt HTTP/1.1\r\n${host}Range: bytes=100-200\r\n\r\n");
	is($r->{status}, 200, 'lighttpd: ranges are off, the static file is whole');
}
$r = raw_request("GET /bench.txt HTTP/1.1\r\n${host}If-Match: \"nope\"\r\n\r\n");
is($r->{status}, 200, 'If-Match on a static file is ignored (no bare 412)');

# The error page itself maps every status a web server can hand it: run
# errors.fcgi as plain CGI with each REDIRECT_STATUS.
my %want = (400 => 'INVALID_REQUEST', 401 => 'UNAUTHORIZED', 403 => 'FORBIDDEN',
    404 => 'NOT_FOUND', 405 => 'METHOD_NOT_ALLOWED', 406 => 'NOT_ACCEPTABLE',
    408 => 'REQUEST_TIMEOUT', 409 => 'CONFLICT', 410 => 'GONE', 411 => 'LENGTH_REQUIRED',
    412 => 'PRECONDITION_FAILED', 413 => 'PAYLOAD_TOO_LARGE', 414 => 'URI_TOO_LONG',
    415 => 'UNSUPPORTED_MEDIA_TYPE', 416 => 'RANGE_NOT_SATISFIABLE',
    417 => 'EXPECTATION_FAILED', 421 => 'MISDIRECTED_REQUEST', 422 => 'UNPROCESSABLE_ENTITY',
    426 => 'UPGRADE_REQUIRED', 429 => 'RATE_LIMIT_EXCEEDED', 431 => 'HEADER_TOO_LARGE',
    500 => 'INTERNAL_ERROR', 501 => 'NOT_IMPLEMENTED', 502 => 'BAD_GATEWAY',
    503 => 'SERVICE_UNAVAILABLE', 504 => 'GATEWAY_TIMEOUT', 505 => 'HTTP_VERSION_NOT_SUPPORTED');
# Statuses without a code of their own stay on their side of the line.
my %fallback = (418 => [400, 'INVALID_REQUEST'], 451 => [400, 'INVALID_REQUEST'],
    507 => [500, 'INTERNAL_ERROR'], 599 => [500, 'INTERNAL_ERROR']);
my $bin = "$ENV{HZM_VAR}/bin/errors.fcgi";
local $ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
local $ENV{REQUEST_METHOD} = 'GET';
local $ENV{REQUEST_URI} = '/api/_error';
for my $st (sort { $a <=> $b } keys %want, keys %fallback) {
	local $ENV{REDIRECT_STATUS} = $st;
	my $out = `$bin < /dev/null`;
	my ($head, $body) = split /\r\n\r\n/, $out, 2;
	my ($got) = ($head // '') =~ /^Status: (\d+)/;
	my $j = eval { JSON::PP::decode_json($body // '') } // {};
	my ($wst, $wcode) = $want{$st} ? ($st, $want{$st}) : @{ $fallback{$st} };
	ok(($got // 0) == $wst && ($j->{error}{code} // '') eq $wcode && !$j->{success},
	    "error page for $st: $wst $wcode") or diag($out);
}

# Still serving.
$r = api(GET => '/api/v1/public/time');
is($r->{status}, 200, 'public still serving');

done_testing;
