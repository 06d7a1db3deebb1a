# tests/api/44_sessions.t — §1.4's X-Device-ID and X-Client-Version recorded with each session; a user lists their active sessions and ends any one
use strict;
use warnings;
use Test::More;
use Hzm;

mc_flush();

my $S = '/api/v1/users/sessions';
my $u = new_user('sess');
my $dev = "dev-$$-a1b2";
my $r = api(POST => '/api/v1/auth/login', { 'X-Device-ID' => $dev, 'X-Client-Version' => 'ios-2.4.1+7' },
    { email => $u->{email}, password => $u->{password} });
is($r->{status}, 200, 'login with the §1.4 headers') or diag($r->{body});
my ($a1, $r1) = @{ $r->{json}{data} }{qw(accessToken refreshToken)};
$r = api(POST => '/api/v1/auth/login', { 'X-Device-ID' => 'ignored-header' },
    { email => $u->{email}, password => $u->{password}, deviceId => "body-$$" });
my ($a2, $r2) = @{ $r->{json}{data} }{qw(accessToken refreshToken)};

$r = api(GET => $S, bearer($a1));
is($r->{status}, 200, 'list sessions') or diag($r->{body});
my @s = @{ $r->{json}{data} };
is(scalar @s, 3, 'three: new_user\'s login and these two');
my ($mine) = grep { $_->{current} } @s;
ok($mine, 'one is the current session');
is($mine->{deviceId}, $dev, 'X-Device-ID recorded');
is($mine->{clientVersion}, 'ios-2.4.1+7', 'X-Client-Version recorded');
is($mine->{ipAddress}, '127.0.0.1', 'the address');
like($mine->{lastSeenAt}, qr/^\d{4}-\d\d-\d\dT/, 'lastSeenAt');
like($mine->{sessionId}, qr/^[0-9a-f-]{36}$/, 'sessionId');
ok(!$mine->{adminSession}, 'not an admin session');
my ($other) = grep { ($_->{deviceId} // '') eq "body-$$" } @s;
ok($other, 'the body\'s deviceId wins over the header');
ok(!defined $other->{clientVersion}, 'no client version sent: null');

# last seen moves (at most once a minute) with the session's requests
psql("UPDATE sessions SET last_seen_at = now() - interval '1 hour', ip = NULL WHERE family = '$mine->{sessionId}'");
api(GET => '/api/v1/users/profile', bearer($a1));
is(psql("SELECT last_seen_at > now() - interval '1 minute' AND ip = '127.0.0.1' FROM sessions"
    . " WHERE family = '$mine->{sessionId}'"), 't', 'a request marks the session seen');

# refresh keeps the session and takes the newer client version
$r = api(POST => '/api/v1/auth/refresh', { 'X-Client-Version' => '2.5.0' }, { refreshToken => $r1 });
is($r->{status}, 200, 'refresh') or diag($r->{body});
$a1 = $r->{json}{data}{accessToken};
($mine) = grep { $_->{current} } @{ api(GET => $S, bearer($a1))->{json}{data} };
is($mine->{clientVersion}, '2.5.0', 'the new client version');
is($mine->{deviceId}, $dev, 'the same device');

# malformed headers
for my $case ([ { 'X-Device-ID' => 'has space' }, 'X-Device-ID' ],
    [ { 'X-Device-ID' => 'x' x 129 }, 'X-Device-ID' ],
    [ { 'X-Client-Version' => '1.0/beta' }, 'X-Client-Version' ]) {
	$r = api(POST => '/api/v1/auth/login', $case->[0], { email => $u->{email}, password => $u->{password} });
	error_ok($r, 400, 'INVALID_REQUEST', "login: bad $case->[1]");
	is($r->{json}{error}{details}{field}, $case->[1], "login: names $case->[1]");
}

# ending another session: its tokens stop at once
$r = api(DELETE => "$S/$other->{sessionId}", bearer($a1));
is($r->{status}, 200, 'end another session') or diag($r->{body});
ok($r->{json}{data}{ended} && !$r->{json}{data}{current}, 'ended, not the current one');
error_ok(api(GET => '/api/v1/users/profile', bearer($a2)), 401, 'AUTH_003', "its access token stops");
error_ok(api(POST => '/api/v1/auth/refresh', {}, { refreshToken => $r2 }), 401, 'AUTH_003',
    'its refresh token too');
ok(!(grep { $_->{sessionId} eq $other->{sessionId} } @{ api(GET => $S, bearer($a1))->{json}{data} }),
    'no longer listed');
error_ok(api(DELETE => "$S/$other->{sessionId}", bearer($a1)), 404, 'NOT_FOUND', 'ended already');
error_ok(api(DELETE => "$S/not-a-uuid", bearer($a1)), 404, 'NOT_FOUND', 'not a session id');

# nobody else's
my $v = new_user('sess2');
my ($vs) = @{ api(GET => $S, bearer($v->{access}))->{json}{data} };
error_ok(api(DELETE => "$S/$vs->{sessionId}", bearer($a1)), 404, 'NOT_FOUND', "another user's session");
is(api(GET => '/api/v1/users/profile', bearer($v->{access}))->{status}, 200, 'which goes on');

# the current one may end itself; logout ends one too
$r = api(DELETE => "$S/$mine->{sessionId}", bearer($a1));
ok($r->{json}{data}{current}, 'ending the current session');
error_ok(api(GET => $S, bearer($a1)), 401, 'AUTH_003', 'and it is over');
api(POST => '/api/v1/auth/logout', bearer($v->{access}));
my $l = login($v->{email}, $v->{password});
is(scalar @{ api(GET => $S, bearer($l->{json}{data}{accessToken}))->{json}{data} }, 1,
    'a logged-out session is not listed');

# a user session only, and a token is needed
error_ok(api(GET => $S), 401, 'UNAUTHORIZED', 'no token');
error_ok(api(POST => $S, bearer($l->{json}{data}{accessToken}), {}), 405, 'METHOD_NOT_ALLOWED', 'POST');

done_testing();
