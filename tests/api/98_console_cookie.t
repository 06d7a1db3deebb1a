# tests/api/98_console_cookie.t — the refresh-token cookie browsers opt into (X-Refresh-Cookie: 1): set httpOnly and SameSite=Strict on login and refresh, taken back only with the header, rotated, cleared on logout
use strict;
use warnings;
use Test::More;
use Hzm;

mc_flush();
my $u = new_user('cookie');
my %OPT = ('X-Refresh-Cookie' => '1');

sub set_cookie {
	my ($r) = @_;
	my $h = $r->{headers}{'set-cookie'};
	my @all = ref $h ? @$h : defined $h ? ($h) : ();
	return (grep { /^hzm_refresh=/ } @all)[0];
}

sub cookie_value { my ($c) = @_; return $c && $c =~ /^hzm_refresh=([^;]*)/ ? $1 : undef }

# Without the header: tokens in the body, no cookie (API clients as before).
my $r = login($u->{email}, $u->{password});
is($r->{status}, 200, 'login without the opt-in: 200');
like($r->{json}{data}{refreshToken} // '', qr/^\S{20,}$/, '  the refresh token in the body');
ok(!set_cookie($r), '  no cookie');

# With it: the cookie, and no refresh token for script to read.
$r = api(POST => '/api/v1/auth/login', \%OPT, { email => $u->{email}, password => $u->{password} });
is($r->{status}, 200, 'login with X-Refresh-Cookie: 1: 200');
envelope_ok($r, 'login with the cookie');
ok(!exists $r->{json}{data}{refreshToken}, '  no refreshToken in the body');
ok($r->{json}{data}{accessToken}, '  the access token in the body');
my $c = set_cookie($r);
ok($c, '  Set-Cookie: hzm_refresh') or diag(explain($r->{headers}));
like($c // '', qr/; HttpOnly(;|$)/, '  HttpOnly');
like($c // '', qr/; SameSite=Strict(;|$)/, '  SameSite=Strict');
like($c // '', qr/; Secure(;|$)/, '  Secure');
like($c // '', qr/; Path=\/api\/v1\/auth(;|$)/, '  only for /api/v1/auth');
like($c // '', qr/; Max-Age=2592000(;|$)/, '  for the refresh token\'s 30 days');
my $rt1 = cookie_value($c);
like($rt1 // '', qr/^[A-Za-z0-9_\-.~]{20,}$/, '  a token');
is(api(GET => '/api/v1/users/profile', bearer($r->{json}{data}{accessToken}))->{status}, 200,
    '  the access token works');

# Refresh from the cookie, with the header only.
$r = api(POST => '/api/v1/auth/refresh', { Cookie => "hzm_refresh=$rt1" }, {});
error_ok($r, 400, 'INVALID_REQUEST', 'the cookie without the header: refused (a cross-site form cannot send it)');
is($r->{json}{error}{details}{field}, 'refreshToken', '  names refreshToken');

$r = api(POST => '/api/v1/auth/refresh', { %OPT, Cookie => "other=1; hzm_refresh=$rt1; x=y" }, {});
is($r->{status}, 200, 'refresh from the cookie: 200') or diag($r->{body});
ok(!exists $r->{json}{data}{refreshToken}, '  no refreshToken in the body');
my $rt2 = cookie_value(set_cookie($r));
ok($rt2 && $rt2 ne $rt1, '  a new cookie: the token rotated');
my $access = $r->{json}{data}{accessToken};
is(api(GET => '/api/v1/users/profile', bearer($access))->{status}, 200, '  the new access token works');

$r = api(POST => '/api/v1/auth/refresh', \%OPT, {});
error_ok($r, 401, 'AUTH_003', 'the header without a cookie: 401');
like(set_cookie($r) // '', qr/^hzm_refresh=; .*Max-Age=0/, '  the cookie cleared');

$r = api(POST => '/api/v1/auth/refresh', { %OPT, Cookie => 'hzm_refresh=<script>' }, {});
error_ok($r, 401, 'AUTH_003', 'a malformed cookie: 401');

# The body's token still wins over a cookie (API clients unchanged).
my $b = login($u->{email}, $u->{password})->{json}{data}{refreshToken};
$r = api(POST => '/api/v1/auth/refresh', { Cookie => "hzm_refresh=$rt2" }, { refreshToken => $b });
is($r->{status}, 200, 'a refreshToken in the body: used, as before');
ok($r->{json}{data}{refreshToken}, '  answered in the body');

# Logout clears the cookie; the session's token is dead.
$r = api(POST => '/api/v1/auth/logout', { %OPT, %{ bearer($access) } }, {});
is($r->{status}, 200, 'logout: 200');
like(set_cookie($r) // '', qr/^hzm_refresh=; Path=\/api\/v1\/auth; Max-Age=0; HttpOnly/, '  clears the cookie');
$r = api(POST => '/api/v1/auth/refresh', { %OPT, Cookie => "hzm_refresh=$rt2" }, {});
error_ok($r, 401, 'AUTH_003', 'the logged-out session\'s cookie: refused');

# A rotated token presented again ends its session (reuse detection).
$r = api(POST => '/api/v1/auth/login', \%OPT, { email => $u->{email}, password => $u->{password} });
my $x1 = cookie_value(set_cookie($r));
$r = api(POST => '/api/v1/auth/refresh', { %OPT, Cookie => "hzm_refresh=$x1" }, {});
my $x2 = cookie_value(set_cookie($r));
$r = api(POST => '/api/v1/auth/refresh', { %OPT, Cookie => "hzm_refresh=$x1" }, {});
error_ok($r, 401, 'AUTH_003', 'an old cookie again: refused');
$r = api(POST => '/api/v1/auth/refresh', { %OPT, Cookie => "hzm_refresh=$x2" }, {});
is($r->{status}, 401, '  and its session ended');

done_testing;
