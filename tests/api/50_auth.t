# tests/api/50_auth.t — register, verify, login, tokens and their attacks, refresh rotation, logout, password reset
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use JSON::PP;
use MIME::Base64 qw(encode_base64url decode_base64url);
use Digest::SHA qw(hmac_sha256 hmac_sha512);
use Hzm;

mc_flush();

sub post { api(POST => $_[0], $_[2] // {}, $_[1]) }

# ---- register ---------------------------------------------------------------
my $email = unique_email('reg');
my $pw = 'Tr0ub4dor&3-long';
my $t0 = time - 1;
my $r = post('/api/v1/auth/register', { email => uc($email), password => $pw,
    phoneNumber => '+905551234567' });
is($r->{status}, 201, 'register: 201');
envelope_ok($r, 'register');
my $d = $r->{json}{data};
like($d->{userId}, qr/^usr_[a-z2-7]{20}$/, 'register: opaque usr_ id');
is($d->{email}, $email, 'register: e-mail stored lower-case');
is($d->{status}, 'PENDING_VERIFICATION', 'register: pending verification');
is_deeply($d->{verificationRequired}, ['EMAIL', 'PHONE'], 'register: e-mail and phone to verify (§4.1)');
my $uid = $d->{userId};
is(psql("SELECT status FROM users WHERE public_id = '$uid'"), 'PENDING_VERIFICATION',
    'register: row as answered');
like(psql("SELECT password_hash FROM users WHERE public_id = '$uid'"),
    qr/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/, 'password stored as argon2id (OWASP parameters)');
my $m = mail_for($email, $t0);
ok($m, 'verification mail written');
like($m->{headers}{subject} // '', qr/verif/i, 'verification mail subject');
like($m->{html} // '', qr/\d{6}/, 'HTML part carries the code too');
my ($code) = ($m->{text} // '') =~ /\b(\d{6})\b/;
ok($code, 'code in the text part');
is(psql("SELECT count(*) FROM email_codes c JOIN users u ON u.id = c.user_id"
    . " WHERE u.public_id = '$uid' AND position('$code' in encode(code_hash, 'escape')) > 0"), 0,
    'the code is not stored in clear');

$r = login($email, $pw);
error_ok($r, 403, 'FORBIDDEN', 'login before verifying the e-mail');

for my $case (
	[ { email => 'not-an-email', password => $pw }, 'email', 'malformed e-mail' ],
	[ { email => unique_email('x'), password => 'short1!' }, 'password', 'short password' ],
	[ { email => unique_email('x'), password => 'password123' }, 'password', 'common password' ],
	[ { email => 'longlocal.' . $$ . '@example.org', password => "xlonglocal.$$" . 'zz' }, 'password', 'password containing the e-mail' ],
	[ { email => unique_email('x') }, 'password', 'missing password' ],
	[ { email => unique_email('x'), password => $pw, phoneNumber => '05551234567' }, 'phoneNumber', 'phone not E.164' ],
	[ { email => unique_email('x'), password => $pw, isAdmin => JSON::PP::true }, 'isAdmin', 'unknown field' ],
	[ { email => unique_email('x'), password => 12345678901 }, 'password', 'password not a string' ],
) {
	$r = post('/api/v1/auth/register', $case->[0]);
	error_ok($r, 400, 'INVALID_REQUEST', "register: $case->[2]");
	is($r->{json}{error}{details}{field}, $case->[1], "register: $case->[2]: names the field");
}
for my $case (['{"email":', 'malformed JSON'], ['[1]', 'an array'],
    ["{\"email\":\"\xff\"}", 'invalid UTF-8'], [('{"a":' x 40) . '1' . ('}' x 40), 'too deep']) {
	$r = api(POST => '/api/v1/auth/register', {}, $case->[0]);
	error_ok($r, 400, undef, "register body: $case->[1]");
}
$r = api(POST => '/api/v1/auth/register', { 'Content-Type' => 'text/plain' }, '{}');
error_ok($r, 415, 'UNSUPPORTED_MEDIA_TYPE', 'register: not JSON');

# ---- verify ----------------------------------------------------------------
my $wrong = $code eq '000000' ? '000001' : '000000';
$r = post('/api/v1/auth/verify-email', { email => $email, code => $wrong });
error_ok($r, 400, 'INVALID_REQUEST', 'verify: wrong code');
is($r->{json}{error}{details}{field}, 'code', 'verify: names the code');
$r = post('/api/v1/auth/verify-email', { email => unique_email('nobody'), code => $code });
is($r->{body} =~ s/"(requestId|timestamp|traceId)":"[^"]*"//gr,
    post('/api/v1/auth/verify-email', { email => $email, code => $wrong })->{body}
    =~ s/"(requestId|timestamp|traceId)":"[^"]*"//gr,
    'verify: unknown e-mail answers exactly like a wrong code');
$r = post('/api/v1/auth/verify-email', { email => $email, code => $code });
is($r->{status}, 200, 'verify: right code') or diag($r->{body});
is($r->{json}{data}{status}, 'EMAIL_VERIFIED', 'verify: e-mail verified (§11.1)');
is_deeply($r->{json}{data}{verificationRequired}, ['PHONE'], 'verify: the phone is still to verify');
$r = post('/api/v1/auth/verify-email', { email => $email, code => $code });
error_ok($r, 400, 'INVALID_REQUEST', 'verify: a code works once');

# Five wrong attempts use a code up, even the right one fails after that.
{
	my $e2 = unique_email('attempts');
	my $t = time - 1;
	post('/api/v1/auth/register', { email => $e2, password => $pw });
	my $c2 = mail_code($e2, $t);
	my $bad = $c2 eq '999999' ? '999998' : '999999';
	post('/api/v1/auth/verify-email', { email => $e2, code => $bad }) for 1 .. 5;
	$r = post('/api/v1/auth/verify-email', { email => $e2, code => $c2 });
	error_ok($r, 400, 'INVALID_REQUEST', 'verify: code dead after 5 wrong attempts');
	# Registering again sends a new code, which works.
	$t = time;
	sleep 1.1;
	post('/api/v1/auth/register', { email => $e2, password => $pw });
	my $c3 = mail_code($e2, $t + 1);
	$r = post('/api/v1/auth/verify-email', { email => $e2, code => $c3 });
	is($r->{status}, 200, 'verify: a new code after re-registering works');
	# Expired codes do not work.
	my $e3 = unique_email('expired');
	$t = time - 1;
	post('/api/v1/auth/register', { email => $e3, password => $pw });
	my $c4 = mail_code($e3, $t);
	psql("UPDATE email_codes SET expires_at = now() - interval '1 second' WHERE user_id ="
	    . " (SELECT id FROM users WHERE email = '$e3')");
	$r = post('/api/v1/auth/verify-email', { email => $e3, code => $c4 });
	error_ok($r, 400, 'INVALID_REQUEST', 'verify: expired code');
}

# ---- registering a taken address ---------------------------------------------
$t0 = time;
sleep 1.1;
$r = post('/api/v1/auth/register', { email => $email, password => 'Another-password-9' });
is($r->{status}, 201, 'register taken address: the same 201');
like($r->{json}{data}{userId}, qr/^usr_[a-z2-7]{20}$/, 'with a usr_ id');
isnt($r->{json}{data}{userId}, $uid, 'that is not the account\'s');
is_deeply([sort keys %{ $r->{json}{data} }], [sort keys %$d], 'and the same fields');
$m = mail_for($email, $t0 + 1);
ok($m && $m->{text} =~ /already/i, 'the owner is told by mail instead');
is(psql("SELECT count(*) FROM users WHERE email = '$email'"), 1, 'no second account');

# ---- login ------------------------------------------------------------------
$r = login($email, $pw, deviceId => 'dev-1');
is($r->{status}, 200, 'login') or diag($r->{body});
$d = $r->{json}{data};
like($d->{accessToken}, qr/^[\w-]+\.[\w-]+\.[\w-]+$/, 'access token is a JWT');
like($d->{refreshToken}, qr/^rt_[0-9a-f]{64}$/, 'refresh token is opaque');
is($d->{tokenType}, 'Bearer', 'token type');
ok($d->{expiresIn} >= 900 && $d->{expiresIn} <= 1800, 'expiresIn 15-30 min');
is($d->{user}{userId}, $uid, 'user id');
is($d->{user}{kycLevel}, 'LEVEL_0', 'kyc level');
is_deeply($d->{user}{roles}, ['USER'], 'roles');
my ($h64, $p64) = split /\./, $d->{accessToken};
my $claims = decode_json(decode_base64url($p64));
is(decode_json(decode_base64url($h64))->{alg}, 'HS256', 'HS256');
is($claims->{sub}, $uid, 'sub');
ok($claims->{jti} && $claims->{iss} && $claims->{aud} && $claims->{iat}, 'jti, iss, aud, iat');
is($claims->{exp} - $claims->{iat}, $d->{expiresIn}, 'exp = iat + expiresIn');
my $access = $d->{accessToken};
my $refresh = $d->{refreshToken};
is(psql("SELECT count(*) FROM refresh_tokens WHERE token_hash::text LIKE '%"
    . substr($refresh, 3, 16) . "%'"), 0, 'refresh token not stored in clear');

$r = login($email, 'wrong-password-1');
error_ok($r, 401, 'AUTH_001', 'wrong password');
my $msg = $r->{json}{error}{message};
$r = login(unique_email('ghost'), 'wrong-password-1');
error_ok($r, 401, 'AUTH_001', 'unknown e-mail');
is($r->{json}{error}{message}, $msg, 'the same message for both');

# Timing: unknown e-mail and wrong password both cost a hash.  Paired and
# interleaved, so a busy machine slows both sides of a pair alike: with the
# same work both ways the ratio within a pair stays near 1, while a hash
# skipped for unknown addresses would halve it every time.
{
	my @ratio;
	for my $i (1 .. 5) {
		my %t;
		for my $which ($i % 2 ? ('known', 'unknown') : ('unknown', 'known')) {
			$t{$which} = login($which eq 'known' ? $email :
			    unique_email('ghost'), 'wrong-password-2')->{seconds};
		}
		push @ratio, $t{unknown} / $t{known};
	}
	mc_flush();
	my @s = sort { $a <=> $b } @ratio;
	my $med = $s[$#s / 2];
	ok($med > 0.5 && $med < 2, sprintf('login timing comparable: unknown/known %.2f (median of %d pairs)',
	    $med, scalar @s));
}

# ---- access tokens and attacks ----------------------------------------------
my $authed = '/api/v1/auth/2fa/setup';
$r = post($authed, {}, bearer($access));
is($r->{status}, 200, 'a valid token is accepted') or diag($r->{body});
$r = post($authed, {});
error_ok($r, 401, 'UNAUTHORIZED', 'no token');
like($r->{headers}{'www-authenticate'} // '', qr/^Bearer/, 'WWW-Authenticate: Bearer');
$r = post($authed, {}, { Authorization => 'Bearer garbage' });
error_ok($r, 401, 'AUTH_003', 'garbage token');
$r = post($authed, {}, { Authorization => "Basic " . encode_base64url("$email:$pw") });
error_ok($r, 401, 'UNAUTHORIZED', 'basic auth is not a bearer token');

my $key = do {
	open my $fh, '<', "$ENV{HZM_VAR}/secrets.conf" or die;
	my ($k) = join('', <$fh>) =~ /^jwt_key\s*=\s*([0-9a-f]+)/m;
	pack 'H*', $k;
};
sub jwt {
	my ($hdr, $payload, $signer) = @_;
	my $si = encode_base64url(encode_json($hdr)) . '.' . encode_base64url(encode_json($payload));
	return "$si." . ($signer ? encode_base64url($signer->($si)) : '');
}
my %c = %$claims;
$r = post($authed, {}, bearer(jwt({ alg => 'HS256', typ => 'JWT' }, \%c,
    sub { hmac_sha256($_[0], $key) })));
is($r->{status}, 200, 'a token re-signed with the server key is accepted (the forger works)');
$r = post($authed, {}, bearer(jwt({ alg => 'none', typ => 'JWT' }, \%c)));
error_ok($r, 401, 'AUTH_003', 'alg none');
$r = post($authed, {}, bearer(jwt({ alg => 'HS512', typ => 'JWT' }, \%c,
    sub { hmac_sha512($_[0], $key) })));
error_ok($r, 401, 'AUTH_003', 'HS512 with the right key: algorithm pinned');
$r = post($authed, {}, bearer(jwt({ alg => 'HS256', typ => 'JWT' }, \%c,
    sub { hmac_sha256($_[0], 'k' x 32) })));
error_ok($r, 401, 'AUTH_003', 'wrong key');
{
	my ($h, $p, $s) = split /\./, $access;
	my %t = %$claims;
	$t{sub} = 'usr_sandboxleveltwoaaaaa';
	$r = post($authed, {}, bearer(join '.', $h, encode_base64url(encode_json(\%t)), $s));
	error_ok($r, 401, 'AUTH_003', 'tampered payload (another user)');
	%t = %$claims;
	$t{kyc} = 3;
	$r = post($authed, {}, bearer(join '.', $h, encode_base64url(encode_json(\%t)), $s));
	error_ok($r, 401, 'AUTH_003', 'tampered payload (kyc level)');
}
$r = post($authed, {}, bearer(jwt({ alg => 'HS256', typ => 'JWT' },
    { %c, iat => int(time) - 1000, exp => int(time) - 100 }, sub { hmac_sha256($_[0], $key) })));
error_ok($r, 401, 'AUTH_002', 'expired token');
$r = post($authed, {}, bearer(jwt({ alg => 'HS256', typ => 'JWT' },
    { %c, aud => 'someone-else' }, sub { hmac_sha256($_[0], $key) })));
error_ok($r, 401, 'AUTH_003', 'wrong audience');
$r = post($authed, {}, bearer(jwt({ alg => 'HS256', typ => 'JWT' },
    { %c, iss => 'evil' }, sub { hmac_sha256($_[0], $key) })));
error_ok($r, 401, 'AUTH_003', 'wrong issuer');
$r = post($authed, {}, bearer(jwt({ alg => 'HS256', typ => 'JWT' },
    { %c, sub => 'usr_doesnotexistaaaaaaaa' }, sub { hmac_sha256($_[0], $key) })));
error_ok($r, 401, 'AUTH_003', 'token for a user that does not exist');

# ---- refresh rotation and reuse -------------------------------------------
$r = post('/api/v1/auth/refresh', { refreshToken => $refresh });
is($r->{status}, 200, 'refresh') or diag($r->{body});
my $refresh2 = $r->{json}{data}{refreshToken};
my $access2 = $r->{json}{data}{accessToken};
isnt($refresh2, $refresh, 'refresh token rotated');
is(post($authed, {}, bearer($access2))->{status}, 200, 'new access token works');
# §3.1's auth column says "Refresh Token": sent as a bearer, it works too.
$r = post('/api/v1/auth/refresh', {}, bearer($refresh2));
is($r->{status}, 200, 'refresh with the token as Authorization: Bearer') or diag($r->{body});
my $refresh2b = $r->{json}{data}{refreshToken};
isnt($refresh2b, $refresh2, '  rotated as well');
$r = post('/api/v1/auth/refresh', { refreshToken => $refresh2b });
is($r->{status}, 200, 'refresh again with the new token');
my $refresh3 = $r->{json}{data}{refreshToken};
$r = post('/api/v1/auth/refresh', { refreshToken => $refresh });
error_ok($r, 401, 'AUTH_003', 'reusing a rotated refresh token');
$r = post('/api/v1/auth/refresh', { refreshToken => $refresh3 });
error_ok($r, 401, 'AUTH_003', 'reuse revoked the whole family');
$r = post('/api/v1/auth/refresh', { refreshToken => 'rt_' . ('0' x 64) });
error_ok($r, 401, 'AUTH_003', 'unknown refresh token');
$r = post('/api/v1/auth/refresh', {});
error_ok($r, 400, 'INVALID_REQUEST', 'refresh without a token');
$r = post('/api/v1/auth/refresh', {}, bearer($refresh3));
error_ok($r, 401, 'AUTH_003', 'a revoked refresh token as a bearer: refused alike');

# ---- logout -------------------------------------------------------------------
$r = login($email, $pw);
my ($a3, $r3) = @{ $r->{json}{data} }{qw(accessToken refreshToken)};
my $other = login($email, $pw)->{json}{data};
$r = post('/api/v1/auth/logout', {}, bearer($a3));
is($r->{status}, 200, 'logout');
error_ok(post($authed, {}, bearer($a3)), 401, 'AUTH_003', 'access token refused after logout');
error_ok(post('/api/v1/auth/refresh', { refreshToken => $r3 }), 401, 'AUTH_003',
    'refresh token refused after logout');
is(post($authed, {}, bearer($other->{accessToken}))->{status}, 200,
    'another session of the same user goes on');

# ---- password reset ------------------------------------------------------------
my $before = time;
sleep 1.1;
my $r1 = post('/api/v1/auth/password/reset-request', { email => $email });
my $r2 = post('/api/v1/auth/password/reset-request', { email => unique_email('ghost') });
is($r1->{status}, 200, 'reset request: 200');
is($r2->{status}, 200, 'reset request for an unknown address: 200');
is_deeply($r1->{json}{data}, $r2->{json}{data}, 'the same answer');
my $rc = mail_code($email, $before + 1);
ok($rc, 'reset code mailed');
$r = post('/api/v1/auth/password/reset', { email => $email, code => ($rc eq '123456' ? '654321' : '123456'),
    newPassword => 'Brand-new-secret-42' });
error_ok($r, 400, 'INVALID_REQUEST', 'reset with a wrong code');
$r = post('/api/v1/auth/password/reset', { email => $email, code => $rc, newPassword => 'short' });
error_ok($r, 400, 'INVALID_REQUEST', 'reset to a weak password');
$r = post('/api/v1/auth/password/reset', { email => $email, code => $rc,
    newPassword => 'Brand-new-secret-42' });
is($r->{status}, 200, 'reset with the right code') or diag($r->{body});
error_ok(login($email, $pw), 401, 'AUTH_001', 'old password no longer works');
is(login($email, 'Brand-new-secret-42')->{status}, 200, 'new password works');
error_ok(post($authed, {}, bearer($other->{accessToken})), 401, 'AUTH_003',
    'sessions from before the reset are over (access)');
error_ok(post('/api/v1/auth/refresh', { refreshToken => $other->{refreshToken} }), 401,
    'AUTH_003', 'sessions from before the reset are over (refresh)');
$r = post('/api/v1/auth/password/reset', { email => $email, code => $rc,
    newPassword => 'Another-new-secret-43' });
error_ok($r, 400, 'INVALID_REQUEST', 'a reset code works once');

done_testing;
