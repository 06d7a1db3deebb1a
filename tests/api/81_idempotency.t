# tests/api/81_idempotency.t — X-Idempotency-Key: replayed answers, conflicting reuse, concurrent duplicates run once
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Digest::SHA;
use JSON::PP;
use Hzm;
use HzmBurst;

mc_flush();
my $u = new_user('idem');
my $auth = bearer($u->{access});

# 2fa/setup answers a new random secret each time it runs: a replay shows.
my $key = "setup-$$-" . int(time);
my $r1 = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => $key }, {});
is($r1->{status}, 200, 'first request');
my $r2 = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => $key }, {});
is($r2->{status}, 200, 'repeat: the first status');
is($r2->{body}, $r1->{body}, 'repeat: the first body, byte for byte');
is($r2->{headers}{'idempotent-replayed'}, 'true', 'marked as replayed');
ok(!defined $r1->{headers}{'idempotent-replayed'}, 'the first is not');
# The answer shows a secret once: it is kept sealed, never in clear.
my $kept = psql("SELECT coalesce(response, '') || encode(response_sealed, 'escape')"
    . " FROM idempotency_keys k JOIN users u ON u.id = k.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND k.key = '$key'");
ok(length $kept, 'the answer is kept');
unlike($kept, qr/\Q$r1->{json}{data}{secret}\E|secret/, '  sealed: neither the secret nor its name in clear');
my $r3 = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => "$key-b" }, {});
isnt($r3->{json}{data}{secret}, $r1->{json}{data}{secret}, 'another key runs again');
my $r4 = api(POST => '/api/v1/auth/2fa/setup', $auth, {});
isnt($r4->{json}{data}{secret}, $r1->{json}{data}{secret}, 'no key: runs every time');

# Same key, different request: 422.
my $r5 = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => $key },
    { different => 1 });
error_ok($r5, 422, 'UNPROCESSABLE_ENTITY', 'same key with another body');
my $r6 = api(POST => '/api/v1/auth/2fa/enable', { %$auth, 'X-Idempotency-Key' => $key },
    { code => '123456' });
error_ok($r6, 422, 'UNPROCESSABLE_ENTITY', 'same key on another endpoint');

# Keys are per user: another user's identical key is independent.
my $v = new_user('idem2');
my $rv = api(POST => '/api/v1/auth/2fa/setup', { %{ bearer($v->{access}) },
    'X-Idempotency-Key' => $key }, {});
is($rv->{status}, 200, 'another user, same key: runs');
isnt($rv->{json}{data}{secret}, $r1->{json}{data}{secret}, 'with its own answer');
# A sealed answer copied onto another user's key does not open there.
psql("UPDATE idempotency_keys k SET response_sealed = (SELECT response_sealed"
    . " FROM idempotency_keys j JOIN users u ON u.id = j.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND j.key = '$key')"
    . " FROM users w WHERE w.id = k.user_id AND w.public_id = '$v->{userId}' AND k.key = '$key'");
$rv = api(POST => '/api/v1/auth/2fa/setup', { %{ bearer($v->{access}) },
    'X-Idempotency-Key' => $key }, {});
error_ok($rv, 409, 'CONFLICT', "another user's answer copied to a key does not open");
unlike($rv->{body}, qr/\Q$r1->{json}{data}{secret}\E/, '  and shows nothing of it');

my $reason;
for my $bad ('', 'x' x 65, 'a b', 'k/y', 'k@1', 'k%7E1', 'k+1', 'k"1', 'k,1', 'k;1') {
	my $r = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => $bad }, {});
	if ($bad eq '') {
		ok($r->{status} == 200 || $r->{status} == 400, 'empty key: ignored or refused');
	} else {
		error_ok($r, 400, 'INVALID_REQUEST', "malformed idempotency key '$bad'");
		$reason = $r->{json}{error}{details}{reason};
	}
}

# The 400 states the rule, and the rule is what is kept: every character
# the message allows works as a key (k~1 was once refused while listed).
my ($set) = ($reason // '') =~ /\[([^\]]+)\]/;
is($set, 'A-Za-z0-9._~:-', 'the 400 lists the characters a key may have');
like($reason // '', qr/1-64/, '  and its length');
(my $marks = $set // '') =~ s/[A-Za-z]-[A-Za-z]|[0-9]-[0-9]//g;	# the ranges out
for my $c (split //, $marks) {
	my $k = "k${c}1-$$";
	my $r1 = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => $k }, {});
	is($r1->{status}, 200, "key '$k' is taken") or diag($r1->{body});
	my $r2 = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => $k }, {});
	is($r2->{headers}{'idempotent-replayed'}, 'true', "key '$k' is replayed");
}
for my $k ('k~1', '9B2E4F1A-3C5D-4E6F-8A7B-1C2D3E4F5A6B', '01ARZ3NDEKTSV4RRFFQ69G5FAV' . $$,
    '~' x 64) {
	my $r = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => $k }, {});
	is($r->{status}, 200, "key '$k' is taken") or diag($r->{body});
}

# Error answers are answers too: replayed, not re-run.
my $ek = "err-$$";
my $e1 = api(POST => '/api/v1/auth/2fa/enable', { %$auth, 'X-Idempotency-Key' => $ek },
    { code => 'abc' });
is($e1->{status}, 400, 'a 400 under a key');
my $e2 = api(POST => '/api/v1/auth/2fa/enable', { %$auth, 'X-Idempotency-Key' => $ek },
    { code => 'abc' });
is($e2->{body}, $e1->{body}, 'the 400 is replayed');

# Stored for 24 hours, per user, in PostgreSQL.
is(psql("SELECT count(*) FROM idempotency_keys k JOIN users u ON u.id = k.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND k.key = '$key'"
    . " AND k.expires_at BETWEEN now() + interval '23 hours' AND now() + interval '24 hours'"), 1,
    'kept 24 hours');
# An expired key is forgotten: the request runs again.
psql("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = '$key'"
    . " AND user_id = (SELECT id FROM users WHERE public_id = '$u->{userId}')");
my $r7 = api(POST => '/api/v1/auth/2fa/setup', { %$auth, 'X-Idempotency-Key' => $key }, {});
is($r7->{status}, 200, 'after 24 hours the key is new again');
isnt($r7->{json}{data}{secret}, $r1->{json}{data}{secret}, 'and the request ran');

# ---- concurrent duplicates: API key generation, twenty at once --------------------------
my $secret = api(POST => '/api/v1/auth/2fa/setup', $auth, {})->{json}{data}{secret};
is(api(POST => '/api/v1/auth/2fa/enable', $auth, { code => totp_code($secret) })->{status},
    200, '2FA on');
psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$u->{userId}'");
my $body = { name => 'concurrent', scopes => ['read'], twoFactorCode => totp_code($secret) };
my $ck = "gen-$$";
my @res = burst(map { [POST => '/api/v1/api-keys/generate', $u->{access}, $body,
    { 'X-Idempotency-Key' => $ck }] } 1 .. 20);
my @created = grep { $_->{status} == 201 && !$_->{headers}{'idempotent-replayed'} } @res;
my @replayed = grep { $_->{status} == 201 && $_->{headers}{'idempotent-replayed'} } @res;
my @busy = grep { $_->{status} == 409 } @res;
is(scalar @created, 1, 'exactly one duplicate ran');
is(scalar(@created) + scalar(@replayed) + scalar(@busy), 20,
    'the others were replayed or told it is in progress (409)')
    or diag(join ' ', map { $_->{status} } @res);
my %bodies = map { $_->{body} => 1 } @created, @replayed;
is(scalar keys %bodies, 1, 'every 201 is the same answer');
is(psql("SELECT count(*) FROM api_keys k JOIN users u ON u.id = k.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND k.name = 'concurrent'"), 1,
    'one key in the database');
my $again = api(POST => '/api/v1/api-keys/generate', { %$auth, 'X-Idempotency-Key' => $ck }, $body);
is($again->{status}, 201, 'afterwards: replayed');
is($again->{body}, $created[0]{body}, 'the first answer, with the password it showed once');

# ---- without a login: the key is the client address's (spec §7.3: all POSTs) ---------------
{
	my $email = unique_email('idem-anon');
	my $reg = { email => $email, password => 'Correct-Horse-' . int(rand 1e9) };
	my $ak = "reg-$$-" . int(time);
	my $a1 = api(POST => '/api/v1/auth/register', { 'X-Idempotency-Key' => $ak }, $reg);
	is($a1->{status}, 201, 'register with a key: 201') or diag($a1->{body});
	my $a2 = api(POST => '/api/v1/auth/register', { 'X-Idempotency-Key' => $ak }, $reg);
	is($a2->{status}, 201, '  again with the key: the first status, not "already registered"');
	is($a2->{body}, $a1->{body}, '  the first body');
	is($a2->{headers}{'idempotent-replayed'}, 'true', '  marked as replayed');
	is(psql("SELECT count(*) FROM users WHERE email = '$email'"), 1, '  one user');
	error_ok(api(POST => '/api/v1/auth/register', { 'X-Idempotency-Key' => $ak },
	    { %$reg, password => 'Another-Horse-1' }), 422, 'UNPROCESSABLE_ENTITY',
	    '  the same key with another body: 422');
	my $a3 = api(POST => '/api/v1/auth/register', {}, $reg);
	ok(!defined $a3->{headers}{'idempotent-replayed'}, '  without the key it runs')
	    or diag($a3->{body});
	# The request's hash is a MAC (the body holds the password), not its SHA-256.
	my $kept = psql("SELECT encode(request_hash, 'hex') FROM idempotency_anon_keys WHERE key = '$ak'");
	like($kept, qr/^[0-9a-f]{64}$/, 'the key is kept by the address');
	my $plain = Digest::SHA::sha256_hex("POST\0/api/v1/auth/register\0"
	    . JSON::PP->new->canonical->encode($reg));
	isnt($kept, $plain, '  with a keyed hash, not the bare SHA-256 of a body with a password');
	# A login issues a session: its key is not honoured, no tokens are kept.
	my $lk = "login-$$-" . int(time);
	my $lu = new_user('idem-login');
	my @l = map { api(POST => '/api/v1/auth/login', { 'X-Idempotency-Key' => $lk },
	    { email => $lu->{email}, password => $lu->{password} }) } 1 .. 2;
	ok($l[0]{status} == 200 && $l[1]{status} == 200, 'a login twice with one key: both run');
	ok(!defined $l[1]{headers}{'idempotent-replayed'} &&
	    $l[1]{json}{data}{refreshToken} ne $l[0]{json}{data}{refreshToken},
	    '  each its own session, nothing replayed');
	is(psql("SELECT count(*) FROM idempotency_anon_keys WHERE key = '$lk'"), 0,
	    '  and no answer with tokens kept');
	# A user's key and an address's key of the same name are apart.
	my $w = new_user('idem3');
	my $mine = api(POST => '/api/v1/auth/2fa/setup', { %{ bearer($w->{access}) },
	    'X-Idempotency-Key' => $ak }, {});
	is($mine->{status}, 200, "a user's request with the same key runs as the user's");
}

done_testing;
