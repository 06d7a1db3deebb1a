# tests/api/13_header_spelling.t — a header name with '_' never stands in for its '-' spelling: 400 on both servers
use strict;
use warnings;
use Test::More;
use Hzm;

my $host = "Host: 127.0.0.1\r\nConnection: close\r\n";

# Every mix of '_' and '-' in the headers hzm reads, and one it does not.
my @spellings = ('X-API_Key', 'X_API-Key', 'X_API_KEY', 'x_api_key', 'X-Request_ID',
    'X_Request-ID', 'X_Request_ID', 'X-API_Password', 'X_Email', 'X-Idempotency_Key',
    'X_Signature', 'X-Forwarded_For', 'Content_Type', 'X_Unrelated');
for my $h (@spellings) {
	my $r = raw_request("GET /api/v1/public/time HTTP/1.1\r\n$host$h: spoofed-value\r\n\r\n");
	error_ok($r, 400, 'INVALID_REQUEST', "$h refused");
	like($r->{json}{error}{details}{reason} // '', qr/\Q$h\E.*'_'/, "$h: the reason names it");
	isnt($r->{json}{requestId} // '', 'spoofed-value', "$h: its value is not used");
}

# With the real spelling beside it, on a private route, and with an API key
# that would otherwise be looked up: refused before any of that.
my $r = raw_request("GET /api/v1/public/time HTTP/1.1\r\n${host}X-Request-ID: real-id\r\n"
    . "X-Request_ID: spoofed-id\r\n\r\n");
error_ok($r, 400, 'INVALID_REQUEST', 'X-Request_ID beside X-Request-ID');
isnt($r->{json}{requestId} // '', 'spoofed-id', '  neither id is echoed as given by the spoof');
$r = raw_request("GET /api/v1/users/profile HTTP/1.1\r\n${host}X-Email: test.level2\@example.com\r\n"
    . "X-API_Key: hzm_" . ('0' x 32) . "\r\nX-API-Password: x\r\n\r\n");
error_ok($r, 400, 'INVALID_REQUEST', 'X-API_Key on a private route: 400, not 401');

# Every path, not only the handlers': static files and unrouted paths too.
for my $path ('/bench.txt', '/index.html', '/api/v1/no/such', '/nothing/here') {
	$r = raw_request("GET $path HTTP/1.1\r\n${host}X_Request-ID: x\r\n\r\n");
	error_ok($r, 400, 'INVALID_REQUEST', "X_Request-ID on $path");
}
$r = raw_request("POST /api/v1/auth/login HTTP/1.1\r\n${host}X-Idempotency_Key: k\r\n"
    . "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
error_ok($r, 400, 'INVALID_REQUEST', 'POST with X-Idempotency_Key');

# The hyphen spellings themselves are served as before.
$r = api(GET => '/api/v1/public/time', { 'X-Request-ID' => 'plain-id' });
is($r->{status}, 200, 'X-Request-ID accepted');
is($r->{json}{requestId}, 'plain-id', '  and kept as the requestId');
$r = api(GET => '/bench.txt');
is($r->{status}, 200, 'static file served without such headers');

done_testing;
