# tests/api/84_binance_keys.t — a user's Binance API key (seed 000): checked with Binance, kept sealed, shown masked, replaced, deleted; Binance's refusals and failures
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use JSON::PP;
use Hzm;
use HzmBinance;

mc_flush();
binance_reset();
my @bodies;	# every answer, to look for secrets in
sub call { my $r = api(@_); push @bodies, $r->{body}; return $r }
sub post_key { call(POST => '/api/v1/api-keys', $_[1], $_[0]) }
sub me { call(GET => '/api/v1/api-keys/me', $_[0]) }

my $u = new_user('binance');
my $auth = bearer($u->{access});
my $other = bearer(new_user('binance-other')->{access});
my %used;	# secrets sent, to look for later
sub key_body {
	my ($prefix, %o) = @_;
	my $k = $o{key} // binance_key_of($prefix);
	my $s = $o{secret} // binance_secret_of($prefix);
	$used{$s} = 1;
	return { api_key => $k, secret_key => $s };
}
sub tail { substr($_[0], -4) }

# ---- before any key -------------------------------------------------------
error_ok(api(GET => '/api/v1/api-keys/me'), 401, 'UNAUTHORIZED', 'no session');
error_ok(me($auth), 404, 'NOT_FOUND', 'no key yet');
error_ok(call(DELETE => '/api/v1/api-keys/me', $auth), 404, 'NOT_FOUND', 'nothing to delete');

# ---- input checked before Binance is asked --------------------------------
binance_reset();
for my $case ([ { api_key => binance_key_of('TRADEKEY') }, 'secret_key', 'no secret' ],
    [ { api_key => 'abc def!', secret_key => 'x' }, 'api_key', 'spaces and punctuation' ],
    [ { api_key => "ab\ncd", secret_key => 'x' }, 'api_key', 'a line break (header injection)' ],
    [ { api_key => 'A' x 129, secret_key => 'x' }, 'api_key', 'too long' ],
    [ { api_key => 'abc', secret_key => 'x' }, 'api_key', 'too short' ],
    [ { api_key => binance_key_of('TRADEKEY'), secret_key => 'x y' }, 'secret_key', 'secret with a space' ],
    [ { api_key => 12345678, secret_key => 'x' }, 'api_key', 'a number' ],
    [ { api_key => binance_key_of('TRADEKEY'), secret_key => 'x', name => 'n' }, 'name', 'an unknown field' ]) {
	my $r = post_key($case->[0], $auth);
	error_ok($r, 400, 'INVALID_REQUEST', "refused: $case->[2]");
	is($r->{json}{error}{details}{field}, $case->[1], "refused: $case->[2]: field");
}
is_deeply(binance_counts(), {}, 'Binance was not asked about malformed input');

# ---- a good key ---------------------------------------------------------------
my $trade = binance_key_of('TRADEKEY');
my $r = post_key(key_body('TRADEKEY'), $auth);
is($r->{status}, 201, 'a valid key is kept') or diag($r->{body});
my $k = $r->{json}{data};
like($k->{id}, qr/^bnk_[a-z2-7]{20}$/, 'its id');
is($k->{apiKeyMasked}, '****' . tail($trade), 'masked: only the last 4 characters');
is($k->{api_key_masked}, $k->{apiKeyMasked}, "seed 000's api_key_masked too");
ok(exists $k->{is_valid} && $k->{is_valid} eq $k->{isValid}, "seed 000's is_valid too");
is($k->{created_at}, $k->{createdAt}, "seed 000's created_at too");
ok(JSON::PP::is_bool($k->{isValid}) && $k->{isValid}, 'isValid true');
like($k->{createdAt}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'createdAt');
ok($k->{ipRestrict}, 'IP-restricted on Binance');
ok($k->{canTrade}, 'spot trading on');
is_deeply($k->{permissions}, ['SPOT'], "the account's permissions");
is_deeply($k->{warnings}, [], 'no warnings');
is($k->{exchange}, 'BINANCE', 'exchange');
unlike($r->{body}, qr/\Q$trade\E/, 'the key itself is not in the answer');

my $c = binance_counts();
is($c->{'GET /api/v3/account'}, 1, 'checked with one signed GET /api/v3/account');
is($c->{'GET /sapi/v1/account/apiRestrictions'}, 1, 'and one apiRestrictions');
my ($acct) = grep { $_->{path} eq '/api/v3/account' } @{ binance_requests() };
is($acct->{apiKey}, $trade, 'X-MBX-APIKEY is the key');
like($acct->{params}{timestamp} // '', qr/^\d{13}$/, 'timestamp in ms');
is($acct->{params}{recvWindow}, '5000', 'recvWindow 5000');

is(psql("SELECT count(*) FROM binance_keys k JOIN users u ON u.id = k.user_id"
    . " WHERE u.public_id = '$u->{userId}'"), 1, 'one row');
my $at_rest = psql("SELECT encode(api_key_sealed, 'hex') || encode(secret_sealed, 'hex')"
    . " || encode(api_key_sealed, 'escape') || encode(secret_sealed, 'escape')"
    . " FROM binance_keys WHERE public_id = '$k->{id}'");
ok(length $at_rest > 100, 'sealed blobs stored');
unlike($at_rest, qr/\Q$trade\E|\Q${\ binance_secret_of('TRADEKEY')}\E/, 'key and secret sealed at rest');

$r = me($auth);
is($r->{status}, 200, 'GET /api-keys/me');
is($r->{json}{data}{id}, $k->{id}, 'the same key');
is($r->{json}{data}{apiKeyMasked}, '****' . tail($trade), 'masked again');
unlike($r->{body}, qr/\Q$trade\E/, 'never the key itself');

# ---- ownership ------------------------------------------------------------
error_ok(me($other), 404, 'NOT_FOUND', "another user does not see the key");
error_ok(call(DELETE => '/api/v1/api-keys/me', $other), 404, 'NOT_FOUND',
    "another user's DELETE touches nothing");
is(me($auth)->{json}{data}{id}, $k->{id}, 'the owner still has it');
$r = call(GET => '/api/v1/api-keys', $auth);
is_deeply($r->{json}{data}, [], 'platform key list: no Binance key in it');
error_ok(call(GET => "/api/v1/api-keys/$k->{id}", $auth), 404, 'NOT_FOUND',
    'a Binance key id is not a platform key id');
error_ok(call(POST => '/api/v1/api-keys/me/revoke', $auth), 404, 'NOT_FOUND',
    '"me" is never a platform key id');

# ---- Binance refuses --------------------------------------------------------
sub refused {
	my ($body, $field, $code, $name) = @_;
	my $r = post_key($body, $auth);
	error_ok($r, 400, 'INVALID_REQUEST', $name);
	is($r->{json}{error}{details}{field}, $field, "$name: field $field");
	is($r->{json}{error}{details}{binanceCode}, $code, "$name: Binance's $code") if defined $code;
	return $r;
}
refused(key_body(undef, key => 'Q' x 64, secret => 'S' x 64), 'api_key', -2015, 'an unknown key (-2015)');
refused(key_body('ELSEWHEREKEY'), 'api_key', -2015, 'a key restricted to other IPs (-2015)');
refused(key_body(undef, key => 'Ab' x 20, secret => 'S' x 64), 'api_key', -2014, 'bad key format (-2014)');
refused(key_body('TRADEKEY', secret => 'S' x 64), 'secret_key', -1022, 'the wrong secret (-1022)');
$r = refused(key_body('WITHDRAWKEY'), 'api_key', undef, 'a key that may withdraw');
like($r->{json}{error}{message}, qr/withdraw/i, 'withdrawal key: says why');
is(me($auth)->{json}{data}{id}, $k->{id}, 'after refusals the stored key is unchanged');

# ---- Binance out of reach or failing -------------------------------------------
binance_fault(mode => 'down', count => 4);
$r = post_key(key_body('OPENKEY'), $auth);
error_ok($r, 503, 'SYSTEM_003', 'Binance down: 503');
like($r->{json}{error}{message}, qr/Binance/, 'down: says Binance did not answer');
binance_reset();
binance_fault(mode => '500', count => 4);
error_ok(post_key(key_body('OPENKEY'), $auth), 503, 'SYSTEM_003', 'Binance 500: 503');
binance_reset();
binance_fault(mode => 'garbage', count => 4);
error_ok(post_key(key_body('OPENKEY'), $auth), 503, 'SYSTEM_003', 'Binance answering HTML: 503');
binance_reset();
binance_fault(mode => 'slow', seconds => 9, count => 1);
$r = post_key(key_body('OPENKEY'), $auth);
error_ok($r, 503, 'SYSTEM_003', 'Binance too slow: 503');
cmp_ok($r->{seconds}, '<', 8, 'the wait ends at binance_timeout_ms');
binance_reset();
is(me($auth)->{json}{data}{id}, $k->{id}, 'failures leave the stored key as it was');
# Binance 30 s behind: -1021 (outside recvWindow); hzm reads Binance's
# time (GET /api/v3/time), as Binance's clients do, and asks once more.
binance_clock(-30000);
$r = post_key(key_body('OPENKEY'), $auth);
ok($r->{status} == 200 || $r->{status} == 201, "Binance's clock 30 s behind: the key is saved")
    or diag($r->{body});
is(binance_counts()->{'GET /api/v3/time'}, 1, "  after reading Binance's time once");
$k = $r->{json}{data};
binance_reset();
binance_clock(0);

# 429 / 418: Binance's Retry-After is kept, and nobody asks again before it ends.
for my $mode (429, 418) {
	binance_reset();
	mc_flush();
	binance_fault(mode => "$mode", retryAfter => 3, count => 1);
	$r = post_key(key_body('OPENKEY'), $auth);
	error_ok($r, 429, 'RATE_LIMIT_EXCEEDED', "Binance $mode: 429");
	like($r->{headers}{'retry-after'} // '', qr/^[1-3]$/, "Binance $mode: Retry-After passed on");
	my $before = binance_counts()->{'GET /api/v3/account'};
	$r = post_key(key_body('OPENKEY'), $auth);
	error_ok($r, 429, 'RATE_LIMIT_EXCEEDED', "Binance $mode: again at once: 429");
	is(binance_counts()->{'GET /api/v3/account'}, $before,
	    "Binance $mode: nothing sent before Retry-After ends");
	sleep 3.2;
}

# ---- replace: not IP-restricted (a warning), then without trading ---------------
binance_reset();
$r = post_key(key_body('OPENKEY'), $auth);
is($r->{status}, 201, 'a second key replaces the first') or diag($r->{body});
my $k2 = $r->{json}{data};
isnt($k2->{id}, $k->{id}, 'a new id');
is($k2->{apiKeyMasked}, '****' . tail(binance_key_of('OPENKEY')), 'the new key, masked');
ok(!$k2->{ipRestrict}, 'not IP-restricted');
is_deeply([ map { $_->{code} } @{ $k2->{warnings} } ], ['IP_NOT_RESTRICTED'], 'warned: not IP-restricted');
like($k2->{warnings}[0]{message}, qr/IP/, 'the warning says what to do');
is(psql("SELECT count(*) FROM binance_keys k JOIN users u ON u.id = k.user_id"
    . " WHERE u.public_id = '$u->{userId}'"), 1, 'still one row for the user');
$r = me($auth);
is($r->{json}{data}{id}, $k2->{id}, 'GET /me shows the new key');
is_deeply([ map { $_->{code} } @{ $r->{json}{data}{warnings} } ], ['IP_NOT_RESTRICTED'],
    'GET /me repeats the warning');

# A service without Binance's SAPI (404 for apiRestrictions, as a venue
# that speaks only /api/v3): the account answered for the key, so it is
# kept, its IP restriction unknown (warned), trading as the account says.
$r = post_key(key_body('NOSAPIKEY'), $auth);
is($r->{status}, 201, 'no apiRestrictions endpoint (404): the key is kept') or diag($r->{body});
ok($r->{json}{data}{canTrade}, '  canTrade, as the account says');
is_deeply([ map { $_->{code} } @{ $r->{json}{data}{warnings} } ], ['IP_NOT_RESTRICTED'],
    '  warned: no IP restriction known');

$r = call(POST => '/api/v1/api-keys', $auth, { apiKey => binance_key_of('READKEY'),
    secretKey => binance_secret_of('READKEY') });
$used{ binance_secret_of('READKEY') } = 1;
is($r->{status}, 201, 'camelCase apiKey + secretKey too') or diag($r->{body});
ok(!$r->{json}{data}{canTrade}, 'spot trading off: canTrade false');
is_deeply([ map { $_->{code} } @{ $r->{json}{data}{warnings} } ], ['TRADING_NOT_ENABLED'],
    'warned: trading not enabled');

# What a worker's binance_key_invalidate() leaves, as the user sees it.
psql("UPDATE binance_keys SET is_valid = false, invalid_reason = 'Invalid API-key, IP, or"
    . " permissions for action.', invalidated_at = now() WHERE public_id = '$r->{json}{data}{id}'");
$r = me($auth);
ok(!$r->{json}{data}{isValid}, 'a key marked invalid shows isValid false');
like($r->{json}{data}{invalidReason}, qr/Invalid API-key/, 'and why');
$r = post_key(key_body('TRADEKEY'), $auth);
ok($r->{status} == 201 && $r->{json}{data}{isValid}, 'a new key is valid again');

# ---- delete -------------------------------------------------------------------
$r = call(DELETE => '/api/v1/api-keys/me', $auth);
is($r->{status}, 200, 'DELETE /api-keys/me');
ok($r->{json}{data}{deleted}, 'deleted');
error_ok(me($auth), 404, 'NOT_FOUND', 'gone');
error_ok(call(DELETE => '/api/v1/api-keys/me', $auth), 404, 'NOT_FOUND', 'gone twice');
is(psql("SELECT count(*) FROM binance_keys k JOIN users u ON u.id = k.user_id"
    . " WHERE u.public_id = '$u->{userId}'"), 0, 'no row left');
error_ok(call(PUT => '/api/v1/api-keys/me', $auth, {}), 405, 'METHOD_NOT_ALLOWED', 'PUT /me');

# ---- the platform keys' POST is still theirs ---------------------------------------
error_ok(call(POST => '/api/v1/api-keys', $auth, { name => 'bot', scopes => ['read'],
    twoFactorCode => '123456' }), 403, 'FORBIDDEN', 'POST with a platform key body: platform key rules (2FA off)');
$r = call(POST => '/api/v1/api-keys', $auth, {});
error_ok($r, 400, 'INVALID_REQUEST', 'POST {}: a platform key without a name');

# ---- the secrets appear nowhere ----------------------------------------------------
my @secrets = keys %used;
my $leaks = 0;
for my $b (@bodies) {
	$leaks += grep { index($b, $_) >= 0 } @secrets;
}
is($leaks, 0, 'no answer carried a secret');
my @logs = grep { -f } glob("$ENV{HZM_VAR}/log/* $ENV{HZM_VAR}/log/*/*");
ok(@logs > 0, 'the stack has logs to look at');
my @found;
for my $f (@logs) {
	open my $fh, '<', $f or next;
	local $/;
	my $text = <$fh> // '';
	close $fh;
	push @found, $f if grep { index($text, $_) >= 0 } @secrets, $trade;
}
is_deeply(\@found, [], 'neither the secrets nor the key in any log of the stack');

done_testing();
