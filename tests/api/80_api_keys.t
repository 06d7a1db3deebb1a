# tests/api/80_api_keys.t — platform API keys: generate, the three ways to authenticate, signatures, replays, scopes, allow-lists
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Digest::SHA qw(hmac_sha256_hex);
use JSON::PP;
use Hzm;

mc_flush();
sub post { api(POST => $_[0], $_[2] // {}, $_[1]) }

# A user with 2FA on.  Each generate/regenerate needs a fresh TOTP step;
# replays are tested in 51_2fa_limits.t, so here the step mark is reset.
my $u = new_user('keys');
my $auth = bearer($u->{access});
my $secret = post('/api/v1/auth/2fa/setup', {}, $auth)->{json}{data}{secret};
is(post('/api/v1/auth/2fa/enable', { code => totp_code($secret) }, $auth)->{status}, 200,
    '2FA on');
sub code {
	psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$u->{userId}'");
	return totp_code($secret);
}

# ---- generate -----------------------------------------------------------
my $r = post('/api/v1/api-keys/generate', { name => 'bot', scopes => ['read'] }, $auth);
error_ok($r, 400, 'INVALID_REQUEST', 'generate without a 2FA code');
$r = post('/api/v1/api-keys/generate', { name => 'bot', scopes => ['read'],
    twoFactorCode => '000000' eq totp_code($secret) ? '000001' : '000000' }, $auth);
error_ok($r, 401, 'AUTH_004', 'generate with a wrong 2FA code');
for my $case ([ { name => 'x', scopes => [] }, 'scopes', 'no scopes' ],
    [ { name => 'x', scopes => ['admin'] }, 'scopes', 'unknown scope' ],
    [ { name => 'x', scopes => ['read', 'read'] }, 'scopes', 'repeated scope' ],
    [ { name => '', scopes => ['read'] }, 'name', 'empty name' ],
    [ { name => 'x', scopes => ['read'], ipWhitelist => ['not-an-ip'] }, 'ipWhitelist', 'bad IP' ],
    [ { name => 'x', scopes => ['read'], expiresAt => '2001-01-01T00:00:00Z' }, 'expiresAt', 'expiry in the past' ]) {
	$r = post('/api/v1/api-keys/generate', { %{ $case->[0] }, twoFactorCode => code() }, $auth);
	error_ok($r, 400, 'INVALID_REQUEST', "generate: $case->[2]");
	is($r->{json}{error}{details}{field}, $case->[1], "generate: $case->[2]: field");
}
my $nof = new_user('no2fa');
$r = post('/api/v1/api-keys/generate', { name => 'x', scopes => ['read'], twoFactorCode => '123456' },
    bearer($nof->{access}));
error_ok($r, 403, 'FORBIDDEN', 'generate without 2FA enabled');

$r = post('/api/v1/api-keys/generate', { name => 'reader', scopes => ['read', 'trade'],
    twoFactorCode => code() }, $auth);
is($r->{status}, 201, 'generate') or diag($r->{body});
my $k = $r->{json}{data};
like($k->{apiKey}, qr/^hzm_[0-9a-f]{32}$/, 'key: hzm_ + 32 hex');
like($k->{apiPassword}, qr/^[A-Za-z0-9_-]{43}$/, 'password: 256 random bits');
is($k->{message}, "Store these credentials securely. Password won't be shown again.",
    'the warning of seed 003');
is($k->{api_key}, $k->{apiKey}, "seed 003's api_key: the same key");
is($k->{api_password}, $k->{apiPassword}, "seed 003's api_password: the same password");
like($k->{keyId}, qr/^key_[a-z2-7]{20}$/, 'keyId');
is_deeply($k->{scopes}, ['read', 'trade'], 'scopes');
unlike($k->{apiKey}, qr/\Q$u->{userId}\E/, 'nothing about the user in the key');
unlike(psql("SELECT encode(password_sealed, 'escape') FROM api_keys WHERE public_id = '$k->{keyId}'"),
    qr/\Q$k->{apiPassword}\E/, 'password sealed at rest');

$r = api(GET => '/api/v1/api-keys', $auth);
is($r->{status}, 200, 'list');
is(scalar @{ $r->{json}{data} }, 1, 'one key');
unlike($r->{body}, qr/\Q$k->{apiPassword}\E/, 'the password is never listed');
unlike($r->{body}, qr/\Q$k->{apiKey}\E/, 'the key itself only masked');
like($r->{json}{data}[0]{apiKeyMasked}, qr/^hzm_\w{4}\.\.\.\w{4}$/, 'masked key');
$r = api(GET => "/api/v1/api-keys/$k->{keyId}", $auth);
is($r->{json}{data}{name}, 'reader', 'details');
unlike($r->{body}, qr/\Q$k->{apiPassword}\E/, 'details: no password');
$r = api(GET => "/api/v1/api-keys/$k->{keyId}", bearer(new_user('other')->{access}));
error_ok($r, 404, 'NOT_FOUND', "another user's key is not found");

# ---- authentication with the key ------------------------------------------
my $profile = '/api/v1/users/profile';
my %pw = ('X-Email' => $u->{email}, 'X-API-Key' => $k->{apiKey}, 'X-API-Password' => $k->{apiPassword});
$r = api(GET => $profile, \%pw);
is($r->{status}, 200, 'X-Email + X-API-Key + X-API-Password') or diag($r->{body});
is($r->{json}{data}{userId}, $u->{userId}, 'as the key\'s owner');
$r = api(GET => $profile, { %pw, 'X-API-Password' => 'x' . $k->{apiPassword} });
error_ok($r, 401, 'AUTH_001', 'wrong API password');
$r = api(GET => $profile, { %pw, 'X-Email' => 'someone@example.org' });
error_ok($r, 401, 'AUTH_001', 'another e-mail with the right key');
$r = api(GET => $profile, { 'X-API-Key' => $k->{apiKey} });
error_ok($r, 401, 'UNAUTHORIZED', 'key alone');
$r = api(GET => $profile, { %pw, 'X-API-Key' => 'hzm_' . ('0' x 32) });
error_ok($r, 401, 'AUTH_003', 'unknown key');
$r = api(POST => '/api/v1/auth/2fa/setup', \%pw, {});
error_ok($r, 403, 'FORBIDDEN', 'a key cannot act where a user session is needed');
$r = api(POST => '/api/v1/api-keys/generate', \%pw, { name => 'x', scopes => ['read'], twoFactorCode => code() });
error_ok($r, 403, 'FORBIDDEN', 'a key cannot mint keys');

my $seq = 0;
sub signed {
	my ($method, $uri, $body, %o) = @_;
	my $ts = $o{ts} // int(time * 1000);
	my $msg = $ts . $method . $uri . ($body // '');
	my $sig = $o{sig} // hmac_sha256_hex($msg, $o{password} // $k->{apiPassword});
	my %h = ('X-API-Key' => $o{key} // $k->{apiKey}, 'X-Timestamp' => $ts,
	    'X-Signature' => $sig, 'X-Request-ID' => $o{rid} // "sig-$$-" . ++$seq);
	delete $h{'X-Request-ID'} if $o{norid};
	return api($method, $uri, \%h, $body);
}
$r = signed(GET => $profile);
is($r->{status}, 200, 'signed GET') or diag($r->{body});
$r = signed(GET => "$profile?x=1&y=%20");
is($r->{status}, 200, 'signed GET with a query string (signed as sent)');
$r = signed(GET => $profile, undef, sig => 'ab' x 32);
error_ok($r, 401, 'AUTH_003', 'wrong signature');
{
	# Upper-case hex (some clients' spelling) is the same signature: it
	# passes once, and the lower-case spelling of it is then a replay.
	my $ts = int(time * 1000);
	my $sig = hmac_sha256_hex($ts . 'GET' . $profile, $k->{apiPassword});
	$r = signed(GET => $profile, undef, ts => $ts, sig => uc $sig);
	is($r->{status}, 200, 'upper-case hex signature accepted') or diag($r->{body});
	$r = signed(GET => $profile, undef, ts => $ts, sig => $sig);
	error_ok($r, 401, 'AUTH_003', 'its lower-case spelling is the same request: a replay');
	$r = signed(GET => $profile, undef, sig => 'g' x 64);
	error_ok($r, 401, 'AUTH_003', 'a signature that is not hex');
	$r = signed(GET => $profile, undef, sig => 'ab' x 31);
	error_ok($r, 401, 'AUTH_003', 'a signature of 62 hex digits');
}
$r = signed(GET => $profile, undef, ts => int(time * 1000) - 61_000);
error_ok($r, 401, 'AUTH_003', 'timestamp 61 s old');
$r = signed(GET => $profile, undef, ts => int(time * 1000) + 61_000);
error_ok($r, 401, 'AUTH_003', 'timestamp 61 s ahead');
$r = signed(GET => $profile, undef, ts => '2025-11-19T10:30:00Z');
error_ok($r, 401, 'AUTH_003', 'a timestamp that is not milliseconds');
like($r->{json}{error}{message}, qr/milliseconds since the epoch/, '  says what it must be');
{
	# Spec §7.1 and Appendix G's example send three headers, no request
	# id: served, and the signature alone still cannot be replayed.
	my $ts = int(time * 1000);
	my $sig = hmac_sha256_hex($ts . 'GET' . $profile, $k->{apiPassword});
	$r = signed(GET => $profile, undef, ts => $ts, sig => $sig, norid => 1);
	is($r->{status}, 200, 'signed request without X-Request-ID (spec §7.1)') or diag($r->{body});
	is($r->{json}{data}{email}, $u->{email}, 'as the key\'s user');
	$r = signed(GET => $profile, undef, ts => $ts, sig => $sig, norid => 1);
	error_ok($r, 401, 'AUTH_003', 'the same signed request again, without an id: a replay');
	$r = api(GET => $profile, { 'X-API-Key' => $k->{apiKey}, 'X-Signature' => $sig });
	error_ok($r, 401, 'UNAUTHORIZED', 'a signature without X-Timestamp');
}
$r = signed(GET => $profile, undef, password => 'not-the-password');
error_ok($r, 401, 'AUTH_003', 'signed with another secret');
{
	# Tampered body: signed for one body, sent with another.
	my $ts = int(time * 1000);
	my $good = '{"code":"123456"}';
	my $sig = hmac_sha256_hex($ts . 'POST' . '/api/v1/api-keys/x/revoke' . $good, $k->{apiPassword});
	$r = api(POST => '/api/v1/api-keys/x/revoke', { 'X-API-Key' => $k->{apiKey},
	    'X-Timestamp' => $ts, 'X-Signature' => $sig, 'X-Request-ID' => "tamper-$$" },
	    '{"code":"654321"}');
	error_ok($r, 403, 'FORBIDDEN', 'key-management endpoint refuses keys before anything else');
}
{
	# The request URI is signed: the signature for one query string does
	# not carry another.
	my $ts = int(time * 1000);
	my $sig = hmac_sha256_hex($ts . 'GET' . "$profile?limit=1", $k->{apiPassword});
	$r = signed(GET => "$profile?limit=2", undef, ts => $ts, sig => $sig);
	error_ok($r, 401, 'AUTH_003', 'tampered query string');
	$r = signed(POST => $profile, '{"a":1}', ts => $ts,
	    sig => hmac_sha256_hex($ts . 'GET' . $profile, $k->{apiPassword}));
	ok($r->{status} == 401 || $r->{status} == 405, 'method is signed too (or not routed)');
}
{
	my $rid = "replay-$$";
	my $ts = int(time * 1000);
	$r = signed(GET => $profile, undef, rid => $rid, ts => $ts);
	is($r->{status}, 200, 'first use of a request id');
	$r = signed(GET => $profile, undef, rid => $rid);
	error_ok($r, 401, 'AUTH_003', 'the same X-Request-ID again');
	like($r->{json}{error}{message}, qr/replay/i, 'says it is a replay');
	my $sig = hmac_sha256_hex($ts . 'GET' . $profile, $k->{apiPassword});
	$r = signed(GET => $profile, undef, ts => $ts, sig => $sig, rid => "fresh-$$");
	error_ok($r, 401, 'AUTH_003', 'the same signed message under a new request id');
}
{
	# What was seen outlives memcached's memory (an eviction, a restart):
	# the signed message and its request id are still refused after it.
	my $ts = int(time * 1000);
	my $sig = hmac_sha256_hex($ts . 'GET' . $profile, $k->{apiPassword});
	$r = signed(GET => $profile, undef, ts => $ts, sig => $sig, rid => "evict-$$");
	is($r->{status}, 200, 'a signed request') or diag($r->{body});
	mc_flush();
	$r = signed(GET => $profile, undef, ts => $ts, sig => $sig, rid => "evict-$$");
	error_ok($r, 401, 'AUTH_003', '  replayed after memcached forgot everything: refused');
	$r = signed(GET => $profile, undef, ts => $ts, sig => $sig, norid => 1);
	error_ok($r, 401, 'AUTH_003', '  without its request id too');
}

# ---- scopes, allow-lists, expiry, revocation ---------------------------------------
$r = post('/api/v1/api-keys/generate', { name => 'trader', scopes => ['trade'],
    twoFactorCode => code() }, $auth);
my $t = $r->{json}{data};
$r = api(GET => $profile, { 'X-Email' => $u->{email}, 'X-API-Key' => $t->{apiKey},
    'X-API-Password' => $t->{apiPassword} });
error_ok($r, 403, 'FORBIDDEN', 'missing scope: a trade-only key cannot read');
like($r->{json}{error}{message}, qr/scope/, 'says which rule');

# Seed 003's example: ["read", "write"]. write trades, as trade does, and
# never withdraws.
$r = post('/api/v1/api-keys/generate', { name => 'Production API', scopes => ['read', 'write'],
    twoFactorCode => code() }, $auth);
is($r->{status}, 201, "seed 003's scopes [read, write] accepted") or diag($r->{body});
my $wk = $r->{json}{data};
is_deeply($wk->{scopes}, ['read', 'write'], 'kept as named');
my %wh = ('X-Email' => $u->{email}, 'X-API-Key' => $wk->{apiKey}, 'X-API-Password' => $wk->{apiPassword});
is(api(GET => $profile, \%wh)->{status}, 200, 'write key with read: reads');
$r = api(POST => '/api/v1/orders', \%wh, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
    price => '100.00', quantity => '0.001' });
isnt($r->{json}{error}{message} // '', 'API key lacks the scope this endpoint needs',
    'write: past the scope check on POST /orders');
ok($r->{status} == 201 || ($r->{json}{error}{code} // '') ne 'FORBIDDEN', 'write grants trading')
    or diag($r->{body});
$r = api(POST => '/api/v1/wallets/BTC/withdraw', \%wh, { amount => '0.001',
    address => 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', twoFactorCode => '123456' });
error_ok($r, 403, 'FORBIDDEN', 'write does not grant withdrawals');
like($r->{json}{error}{message}, qr/scope/, 'the scope is why');
$r = post('/api/v1/api-keys/generate', { name => 'x', scopes => ['read', 'write', 'trade', 'withdraw'],
    twoFactorCode => code() }, $auth);
is($r->{status}, 201, 'all four scopes at once');

$r = post('/api/v1/api-keys/generate', { name => 'office', scopes => ['read'],
    ipWhitelist => ['10.1.2.0/24'], twoFactorCode => code() }, $auth);
my $o = $r->{json}{data};
is_deeply($o->{ipWhitelist}, ['10.1.2.0/24'], 'allow-list stored');
$r = api(GET => $profile, { 'X-Email' => $u->{email}, 'X-API-Key' => $o->{apiKey},
    'X-API-Password' => $o->{apiPassword} });
error_ok($r, 403, 'FORBIDDEN', 'caller outside the allow-list');
psql("UPDATE api_keys SET ip_whitelist = '{127.0.0.0/8}' WHERE public_id = '$o->{keyId}'");
$r = api(GET => $profile, { 'X-Email' => $u->{email}, 'X-API-Key' => $o->{apiKey},
    'X-API-Password' => $o->{apiPassword} });
is($r->{status}, 200, 'caller inside the allow-list');

$r = post('/api/v1/api-keys/generate', { name => 'short', scopes => ['read'],
    expiresAt => '2030-01-01T00:00:00Z', twoFactorCode => code() }, $auth);
my $e = $r->{json}{data};
like($e->{expiresAt}, qr/^2030-01-01T00:00:00/, 'expiry stored');
psql("UPDATE api_keys SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second'"
    . " WHERE public_id = '$e->{keyId}'");
$r = api(GET => $profile, { 'X-Email' => $u->{email}, 'X-API-Key' => $e->{apiKey},
    'X-API-Password' => $e->{apiPassword} });
error_ok($r, 401, 'AUTH_003', 'expired key');
like($r->{json}{error}{message}, qr/expired/, 'says expired');

# last use: recorded, without a write per request
is(psql("SELECT last_used_at IS NOT NULL FROM api_keys WHERE public_id = '$k->{keyId}'"), 't',
    'last use recorded');
is(psql("SELECT last_used_ip FROM api_keys WHERE public_id = '$k->{keyId}'"), '127.0.0.1',
    'with the caller\'s address');

# regenerate: the old credentials stop working, the new ones work
$r = post("/api/v1/api-keys/$k->{keyId}/regenerate", { twoFactorCode => code() }, $auth);
is($r->{status}, 200, 'regenerate') or diag($r->{body});
my $k2 = $r->{json}{data};
isnt($k2->{apiKey}, $k->{apiKey}, 'a new key');
isnt($k2->{apiPassword}, $k->{apiPassword}, 'a new password');
is($k2->{keyId}, $k->{keyId}, 'the same keyId');
error_ok(api(GET => $profile, \%pw), 401, 'AUTH_003', 'old credentials refused');
is(api(GET => $profile, { 'X-Email' => $u->{email}, 'X-API-Key' => $k2->{apiKey},
    'X-API-Password' => $k2->{apiPassword} })->{status}, 200, 'new credentials work');

# revoke
$r = post("/api/v1/api-keys/$k->{keyId}/revoke", {}, $auth);
is($r->{status}, 200, 'revoke');
ok($r->{json}{data}{revoked}, 'revoked');
$r = api(GET => $profile, { 'X-Email' => $u->{email}, 'X-API-Key' => $k2->{apiKey},
    'X-API-Password' => $k2->{apiPassword} });
error_ok($r, 401, 'AUTH_003', 'revoked key refused');
like($r->{json}{error}{message}, qr/revoked/, 'says revoked');
$r = post("/api/v1/api-keys/$k->{keyId}/regenerate", { twoFactorCode => code() }, $auth);
error_ok($r, 404, 'NOT_FOUND', 'a revoked key cannot be regenerated');

# per-key rate limit: the same headers as user limits, counted per key.
# A window may turn over between calls, which only ever raises a count, so
# the key's calls show in its own count and never lower the user's.
{
	my $key = { 'X-Email' => $u->{email}, 'X-API-Key' => $o->{apiKey},
	    'X-API-Password' => $o->{apiPassword} };
	my $rem = sub { api(GET => $profile, $_[0])->{headers}{'x-ratelimit-remaining'} };
	my $user0 = $rem->($auth);
	my @k = map { $rem->($key) } 1 .. 3;
	my $user1 = $rem->($auth);
	ok(defined $user0 && defined $k[0], 'rate-limit headers on key calls');
	ok($k[2] == $k[0] - 2 || $k[2] > $k[0], "the key's calls count against the key ($k[0], $k[1], $k[2])");
	ok($user1 >= $user0 - 1, "the key's calls leave the user's budget alone ($user0 then $user1)");
}

# Guessing: an address that fails 50 times in 15 minutes (unknown keys,
# wrong passwords, wrong signatures; times rate_limit_scale, 10 in the
# sandbox) is refused, the right credentials too, until the window
# passes; the key itself is not locked.
mc_flush();
{
	my $good = { 'X-Email' => $u->{email}, 'X-API-Key' => $o->{apiKey},
	    'X-API-Password' => $o->{apiPassword} };
	open my $cf, '<', "$ENV{HZM_VAR}/hzm.conf" or die;
	my ($scale) = reverse map { /^rate_limit_scale\s*=\s*(\d+)/ ? $1 : () } <$cf>;
	my $max = 50 * ($scale // 1);
	my %seen;
	for my $i (1 .. $max) {
		my $h = $i % 2 ? { %$good, 'X-API-Password' => "wrong$i" }
		    : { %$good, 'X-API-Key' => 'hzm_' . sprintf('%032x', $i) };
		$seen{ api(GET => $profile, $h)->{status} }++;
	}
	is_deeply(\%seen, { 401 => $max }, "$max guesses: each 401");
	$r = api(GET => $profile, $good);
	error_ok($r, 429, 'RATE_LIMIT_EXCEEDED', 'then the address is refused, the right password too');
	ok(($r->{headers}{'retry-after'} // 0) > 0 && $r->{headers}{'retry-after'} <= 900,
	    '  with Retry-After within the 15 minutes');
	is(api(GET => $profile, $auth)->{status}, 200, '  a session is not an API key: served');
	mc_flush();
	is(api(GET => $profile, $good)->{status}, 200, 'the window past, the key works');
}

done_testing;
