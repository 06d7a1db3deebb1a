# tests/api/52_account_attacks.t — attacks on accounts that must fail: signature spellings, pre-registration, sessions, enumeration, lock-out without memcached, code flooding
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Digest::SHA qw(hmac_sha256_hex);
use JSON::PP;
use Hzm;
use HzmTrade;

mc_flush();
sub post { api(POST => $_[0], $_[2] // {}, $_[1]) }
sub user_id_of { psql("SELECT id FROM users WHERE email = '$_[0]'") }
# Codes are asked for again only after a cooldown: move a user's codes back in time.
sub codes_age {
	my ($email, $secs) = @_;
	psql("UPDATE email_codes SET created_at = created_at - interval '$secs seconds'"
	    . " WHERE user_id = (SELECT id FROM users WHERE email = '$email')");
}

# ---- a signature is one request, however it is spelt -----------------------------
{
	my $t = trader('sigcase', TRY => 100000);
	my $auth = bearer($t->{token});
	my $secret = post('/api/v1/auth/2fa/setup', {}, $auth)->{json}{data}{secret};
	post('/api/v1/auth/2fa/enable', { code => totp_code($secret) }, $auth);
	psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$t->{userId}'");
	my $r = post('/api/v1/api-keys/generate', { name => 'bot', scopes => ['read', 'trade'],
	    twoFactorCode => totp_code($secret) }, $auth);
	is($r->{status}, 201, 'trading key made') or diag($r->{body});
	my $k = $r->{json}{data};
	my $last = api(GET => '/api/v1/public/ticker/BTCTRY')->{json}{data}{lastPrice} // '1500000.00';
	my $body = encode_json({ symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
	    timeInForce => 'IOC', quantity => '0.0001', price => $last });
	my $ts = int(time * 1000);
	my $sig = hmac_sha256_hex($ts . 'POST' . '/api/v1/orders' . $body, $k->{apiPassword});
	my $n = 0;
	my $send = sub {
		my ($s) = @_;
		api(POST => '/api/v1/orders', { 'X-API-Key' => $k->{apiKey}, 'X-Timestamp' => $ts,
		    'X-Signature' => $s, 'X-Request-ID' => "case-$$-" . ++$n }, $body);
	};
	my $count = sub { psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
	    . " WHERE u.public_id = '$t->{userId}'") };
	$r = $send->($sig);
	is($r->{status}, 201, 'signed order placed') or diag($r->{body});
	(my $flip = $sig) =~ s/([a-f])/uc $1/e;
	for my $spelling ([uc $sig, 'upper case'], [$flip, 'one letter flipped']) {
		$r = $send->($spelling->[0]);
		error_ok($r, 401, 'AUTH_003', "replay with the signature in $spelling->[1] refused");
	}
	$r = $send->($sig);
	error_ok($r, 401, 'AUTH_003', 'replay in the original spelling refused');
	is($count->(), 1, 'one order, however often the request is sent');
	# An upper-case signature of a fresh request is the same signature: it
	# passes once, and any other spelling of it is then a replay.
	my $ts2 = int(time * 1000);
	my $get = hmac_sha256_hex($ts2 . 'GET' . '/api/v1/users/profile', $k->{apiPassword});
	$r = api(GET => '/api/v1/users/profile', { 'X-API-Key' => $k->{apiKey},
	    'X-Timestamp' => $ts2, 'X-Signature' => uc $get, 'X-Request-ID' => "case-$$-up" });
	is($r->{status}, 200, 'upper-case hex of a fresh request is its signature') or diag($r->{body});
	$r = api(GET => '/api/v1/users/profile', { 'X-API-Key' => $k->{apiKey},
	    'X-Timestamp' => $ts2, 'X-Signature' => $get, 'X-Request-ID' => "case-$$-low" });
	error_ok($r, 401, 'AUTH_003', 'its lower-case spelling under a new id: a replay');
	like($r->{json}{error}{message}, qr/replay/, 'and the message says so');
}

# ---- an address registered first by someone else ----------------------------------
{
	my $email = unique_email('victim');
	my ($attacker_pw, $victim_pw) = ('Attacker-owns-this-1', 'Victim-real-password-2');
	my $t = time - 1;
	is(post('/api/v1/auth/register', { email => $email, password => $attacker_pw })->{status},
	    201, 'attacker registers the address first');
	my $attacker_code = mail_code($email, $t);
	ok($attacker_code, 'a code goes to the address (the attacker does not see it)');
	codes_age($email, 120);
	$t = time;
	sleep 1.1;
	is(post('/api/v1/auth/register', { email => $email, password => $victim_pw })->{status},
	    201, 'the owner registers the same address');
	my $code = mail_code($email, $t + 1);
	ok($code, 'the owner receives a new code');
	if ($attacker_code ne $code) {
		error_ok(post('/api/v1/auth/verify-email', { email => $email, code => $attacker_code }),
		    400, 'INVALID_REQUEST', 'the first registration\'s code no longer works');
	}
	is(post('/api/v1/auth/verify-email', { email => $email, code => $code })->{status}, 200,
	    'the owner verifies');
	is(login($email, $victim_pw)->{status}, 200, 'the owner\'s password is the one in force');
	error_ok(login($email, $attacker_pw), 401, 'AUTH_001', 'the attacker\'s password is not');
	is(psql("SELECT count(*) FROM users WHERE email = '$email'"), 1, 'one account');
}
{
	# A registration within the cooldown changes nothing and mails nothing.
	my $email = unique_email('cooldown');
	post('/api/v1/auth/register', { email => $email, password => 'First-password-1x' });
	my $before = psql("SELECT password_hash FROM users WHERE email = '$email'");
	is(post('/api/v1/auth/register', { email => $email, password => 'Second-password-2x' })->{status},
	    201, 'registering again at once: the same answer');
	is(psql("SELECT count(*) FROM email_codes WHERE user_id = " . user_id_of($email)), 1,
	    'but no second code');
	is(psql("SELECT password_hash FROM users WHERE email = '$email'"), $before,
	    'and the credentials stay');
}

# ---- a reset by e-mail at LEVEL_0 removes 2FA someone else set up ------------------
{
	my $u = new_user('took');
	my $auth = bearer($u->{access});
	my $secret = post('/api/v1/auth/2fa/setup', {}, $auth)->{json}{data}{secret};
	is(post('/api/v1/auth/2fa/enable', { code => totp_code($secret) }, $auth)->{status}, 200,
	    '2FA on (set up by whoever holds the password)');
	psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$u->{userId}'");
	my $r = post('/api/v1/api-keys/generate', { name => 'k', scopes => ['read'],
	    twoFactorCode => totp_code($secret) }, $auth);
	is($r->{status}, 201, 'and an API key');
	my $key = $r->{json}{data};
	my $t = time;
	sleep 1.1;
	post('/api/v1/auth/password/reset-request', { email => $u->{email} });
	my $code = mail_code($u->{email}, $t + 1);
	ok($code, 'the address owner gets a reset code');
	$r = post('/api/v1/auth/password/reset', { email => $u->{email}, code => $code,
	    newPassword => 'Owner-takes-it-back-3' });
	is($r->{status}, 200, 'reset') or diag($r->{body});
	is($r->{json}{data}{twoFactorDisabled}, JSON::PP::true, 'the answer says 2FA was turned off');
	is(login($u->{email}, 'Owner-takes-it-back-3')->{status}, 200,
	    'the owner logs in without the other party\'s 2FA');
	$r = api(GET => '/api/v1/users/profile', { 'X-Email' => $u->{email},
	    'X-API-Key' => $key->{apiKey}, 'X-API-Password' => $key->{apiPassword} });
	error_ok($r, 401, 'AUTH_003', 'API keys made under that 2FA are revoked');

	# From LEVEL_1 on, the account is a verified person's: 2FA stays.
	my $v = new_user('kept');
	$auth = bearer($v->{access});
	$secret = post('/api/v1/auth/2fa/setup', {}, $auth)->{json}{data}{secret};
	post('/api/v1/auth/2fa/enable', { code => totp_code($secret) }, $auth);
	psql("UPDATE users SET kyc_level = 1 WHERE public_id = '$v->{userId}'");
	$t = time;
	sleep 1.1;
	post('/api/v1/auth/password/reset-request', { email => $v->{email} });
	$code = mail_code($v->{email}, $t + 1);
	$r = post('/api/v1/auth/password/reset', { email => $v->{email}, code => $code,
	    newPassword => 'Verified-person-pw-4' });
	is($r->{status}, 200, 'reset at LEVEL_1');
	ok(!$r->{json}{data}{twoFactorDisabled}, '2FA not turned off');
	error_ok(login($v->{email}, 'Verified-person-pw-4'), 401, 'AUTH_004',
	    'login still asks for the second factor');
}

# ---- a revoked session refuses every access token it issued -------------------------
{
	my $u = new_user('sess');
	my $a1 = $u->{access};
	sleep 1.1;	# a distinct iat, so the refreshed token differs
	my $r = post('/api/v1/auth/refresh', { refreshToken => $u->{refresh} });
	is($r->{status}, 200, 'refresh');
	my ($a2, $rt2) = @{ $r->{json}{data} }{qw(accessToken refreshToken)};
	is(api(GET => '/api/v1/users/profile', bearer($a1))->{status}, 200,
	    'the first access token works before logout');
	is(post('/api/v1/auth/logout', {}, bearer($a2))->{status}, 200, 'logout with the second');
	error_ok(api(GET => '/api/v1/users/profile', bearer($a1)), 401, 'AUTH_003',
	    'the session\'s earlier access token is refused at once');
	error_ok(api(GET => '/api/v1/users/profile', bearer($a2)), 401, 'AUTH_003',
	    'and the one logged out with');

	# Reuse of a refresh token ends the session's access tokens too.
	$r = login($u->{email}, $u->{password});
	my ($b1, $rt) = @{ $r->{json}{data} }{qw(accessToken refreshToken)};
	$r = post('/api/v1/auth/refresh', { refreshToken => $rt });
	my $b2 = $r->{json}{data}{accessToken};
	error_ok(post('/api/v1/auth/refresh', { refreshToken => $rt }), 401, 'AUTH_003',
	    'a used refresh token presented again');
	error_ok(api(GET => '/api/v1/users/profile', bearer($b1)), 401, 'AUTH_003',
	    'the stolen session\'s first access token is refused');
	error_ok(api(GET => '/api/v1/users/profile', bearer($b2)), 401, 'AUTH_003',
	    'and its latest');
	my $other = login($u->{email}, $u->{password})->{json}{data}{accessToken};
	is(api(GET => '/api/v1/users/profile', bearer($other))->{status}, 200,
	    'another session of the same user goes on');
}

# ---- reset requests answer alike for every address ---------------------------------
{
	mc_flush();
	my $known = new_user('timing')->{email};
	my (@k, @u);
	for my $i (1 .. 15) {
		for my $which ($i % 2 ? (0, 1) : (1, 0)) {
			my $r = post('/api/v1/auth/password/reset-request',
			    { email => $which ? $known : unique_email('nobody') });
			is($r->{status}, 200, 'reset request answered') if $i == 1;
			push @{ $which ? \@k : \@u }, $r->{seconds};
		}
	}
	sleep 0.5;	# the last request's work runs after its answer
	# Paired, interleaved: with the same work both ways a registered address
	# is the slower of a pair about half the time, however loaded the
	# machine; work done only for it makes it the slower nearly always.
	my $median = sub { my @s = sort { $a <=> $b } @_; $s[int(@s / 2)] };
	my $slower = grep { $k[$_] > $u[$_] } 0 .. $#k;
	diag(sprintf 'reset-request median: registered %.2f ms, unknown %.2f ms; registered slower in %d of %d pairs',
	    $median->(@k) * 1e3, $median->(@u) * 1e3, $slower, scalar @k);
	ok($slower <= 12, "registered and unknown addresses take as long ($slower of "
	    . scalar(@k) . ' pairs slower)');
	# Per address: one code, however many requests; another after the cooldown.
	is(psql("SELECT count(*) FROM email_codes WHERE purpose = 'PASSWORD_RESET' AND user_id = "
	    . user_id_of($known)), 1, 'fifteen requests for one address: one code mailed');
	for (1 .. 6) {
		codes_age($known, 61);
		post('/api/v1/auth/password/reset-request', { email => $known });
	}
	sleep 0.5;
	is(psql("SELECT count(*) FROM email_codes WHERE purpose = 'PASSWORD_RESET' AND user_id = "
	    . user_id_of($known) . " AND created_at > now() - interval '1 hour'"), 5,
	    'past the cooldown a new code each time, at most five an hour');
}

# ---- lock-out holds while memcached is down ----------------------------------------
{
	mc_flush();
	my $u = new_user('lockmc');
	ok(mc_stop(), 'memcached stopped');
	my ($fails, $r) = (0);
	for (1 .. 12) {
		$r = login($u->{email}, 'not-the-password-1');
		last if $r->{status} == 429;
		$fails++;
	}
	is($r->{status}, 429, "wrong passwords are slowed without memcached (after $fails)");
	$r = login($u->{email}, $u->{password});
	error_ok($r, 429, 'RATE_LIMIT_EXCEEDED', 'even the right password waits its turn');
	ok($r->{headers}{'retry-after'} >= 1, 'with Retry-After');
	is(stack('start'), 0, 'memcached started again');
	sleep(($r->{headers}{'retry-after'} // 1) + 0.2);
	is(login($u->{email}, $u->{password})->{status}, 200, 'after the wait the password works');
	mc_flush();
}

done_testing;
