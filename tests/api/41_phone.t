# tests/api/41_phone.t — phone verification by SMS code (§4.1), the account states of §11.1, LEVEL_1 (Appendix C), referral codes
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;

mc_flush();

sub post { api(POST => $_[0], {}, $_[1]) }
my $n = 0;
sub phone { sprintf '+90555%03d%04d', $$ % 1000, ++$n }

# --- register with a phone: both verifications required ------------------------
my $email = unique_email('phone');
my $pw = 'Phone-verify-' . int(rand 1e9);
my $ph = phone();
my $t0 = time - 1;
my $r = post('/api/v1/auth/register', { email => $email, password => $pw, phoneNumber => $ph });
is($r->{status}, 201, 'register with a phone');
is($r->{json}{data}{status}, 'PENDING_VERIFICATION', 'PENDING_VERIFICATION');
is_deeply($r->{json}{data}{verificationRequired}, ['EMAIL', 'PHONE'], 'verificationRequired EMAIL, PHONE');
my $sms = sms_for($ph, $t0);
ok($sms, 'an SMS written by the file transport');
is($sms->{to}, $ph, 'to the number registered');
is($sms->{from}, 'hzm', 'from sms_sender');
my ($pcode) = ($sms->{text} // '') =~ /\b(\d{6})\b/;
ok($pcode, 'the text carries a six-digit code');
my $ecode = mail_code($email, $t0);
ok($ecode, 'and the e-mail its own code');
is(psql("SELECT count(*) FROM email_codes c JOIN users u ON u.id = c.user_id"
    . " WHERE u.email = '$email' AND c.purpose = 'VERIFY_PHONE'"), 1, 'one phone code, stored hashed');
# As a number of its own: the log's request and trace ids are long runs of
# hex, and with thousands of lines one holds any six digits by chance.
unlike(`cat $ENV{HZM_VAR}/log/hzm.log`, qr/\b\Q$pcode\E\b/, 'the code is not in the log');

# --- verify-phone: input, wrong code, right code -----------------------------------
for my $case ([ { email => $email }, 'code', 'no code' ],
    [ { email => $email, code => '12345' }, 'code', 'five digits' ],
    [ { email => 'nope', code => '123456' }, 'email', 'malformed e-mail' ],
    [ { email => $email, code => '123456', phone => $ph }, 'phone', 'unknown field' ]) {
	$r = post('/api/v1/auth/verify-phone', $case->[0]);
	error_ok($r, 400, 'INVALID_REQUEST', "verify-phone: $case->[2]");
	is($r->{json}{error}{details}{field}, $case->[1], "verify-phone: $case->[2]: names the field");
}
my $wrong = $pcode eq '000000' ? '000001' : '000000';
$r = post('/api/v1/auth/verify-phone', { email => $email, code => $wrong });
error_ok($r, 400, 'INVALID_REQUEST', 'verify-phone: wrong code');
my $strip = sub { $_[0] =~ s/"(requestId|timestamp|traceId)":"[^"]*"//gr };
is($strip->(post('/api/v1/auth/verify-phone', { email => unique_email('none'), code => $pcode })->{body}),
    $strip->($r->{body}), 'an unknown address answers exactly like a wrong code');
$r = post('/api/v1/auth/verify-phone', { email => $email, code => $ecode });
error_ok($r, 400, 'INVALID_REQUEST', 'the e-mail code does not verify the phone') if $ecode ne $pcode;

# Phone first: still PENDING_VERIFICATION until the e-mail is verified.
$r = post('/api/v1/auth/verify-phone', { email => $email, code => $pcode });
is($r->{status}, 200, 'verify-phone: right code') or diag($r->{body});
is($r->{json}{data}{status}, 'PENDING_VERIFICATION', 'phone alone: still pending');
ok($r->{json}{data}{phoneVerified}, 'phoneVerified');
is_deeply($r->{json}{data}{verificationRequired}, ['EMAIL'], 'the e-mail is left');
is($r->{json}{data}{kycLevel}, 'LEVEL_0', 'LEVEL_0 until both');
$r = post('/api/v1/auth/verify-phone', { email => $email, code => $pcode });
error_ok($r, 400, 'INVALID_REQUEST', 'a phone code works once');
error_ok(login($email, $pw), 403, 'FORBIDDEN', 'no login before the e-mail is verified');
$r = post('/api/v1/auth/verify-email', { email => $email, code => $ecode });
is($r->{status}, 200, 'then the e-mail');
is($r->{json}{data}{status}, 'ACTIVE', 'both verified: ACTIVE');
is_deeply($r->{json}{data}{verificationRequired}, [], 'nothing left to verify');
$r = login($email, $pw);
is($r->{status}, 200, 'login');
is($r->{json}{data}{user}{kycLevel}, 'LEVEL_1', 'LEVEL_1: e-mail and phone (Appendix C)');
my $tok = $r->{json}{data}{accessToken};
$r = api(GET => '/api/v1/users/profile', bearer($tok));
is($r->{json}{data}{status}, 'ACTIVE', 'profile: ACTIVE');
ok($r->{json}{data}{phoneVerified} && $r->{json}{data}{emailVerified}, 'profile: both verified');

# --- the §11.1 order: e-mail, then phone ---------------------------------------------
{
	my $e2 = unique_email('order');
	my $p2 = phone();
	my $t = time - 1;
	post('/api/v1/auth/register', { email => $e2, password => $pw, phoneNumber => $p2 });
	$r = post('/api/v1/auth/verify-email', { email => $e2, code => mail_code($e2, $t) });
	is($r->{json}{data}{status}, 'EMAIL_VERIFIED', 'e-mail first: EMAIL_VERIFIED (§11.1)');
	$r = login($e2, $pw);
	is($r->{status}, 200, 'EMAIL_VERIFIED may log in (§11.1 step 3)');
	is($r->{json}{data}{user}{kycLevel}, 'LEVEL_0', 'at LEVEL_0');
	my $a2 = $r->{json}{data}{accessToken};
	$r = post('/api/v1/auth/verify-phone', { email => $e2, code => sms_code($p2, $t) });
	is($r->{json}{data}{status}, 'ACTIVE', 'then the phone: ACTIVE');
	is($r->{json}{data}{kycLevel}, 'LEVEL_1', 'and LEVEL_1');
	$r = api(GET => '/api/v1/users/profile', bearer($a2));
	is($r->{json}{data}{kycLevel}, 'LEVEL_1', 'the session sees the new level at once');

	# A new number is not verified: a code goes to it, and the state follows.
	my $p3 = phone();
	$t = time - 1;
	$r = api(PUT => '/api/v1/users/profile', bearer($a2), { phoneNumber => $p3 });
	is($r->{status}, 200, 'change the phone');
	ok(!$r->{json}{data}{phoneVerified}, 'the new number is not verified');
	my $c3 = sms_code($p3, $t);
	ok($c3, 'a code sent to the new number');
	$r = post('/api/v1/auth/verify-phone', { email => $e2, code => $c3 });
	is($r->{status}, 200, 'the new number verified');
	ok($r->{json}{data}{phoneVerified}, 'phoneVerified again');
}

# --- without a phone: EMAIL_VERIFIED; a number added later is verified the same way ---
{
	my $u = new_user('nophone');
	$r = api(GET => '/api/v1/users/profile', bearer($u->{access}));
	is($r->{json}{data}{status}, 'EMAIL_VERIFIED', 'no phone: EMAIL_VERIFIED');
	ok(!$r->{json}{data}{phoneVerified}, 'phoneVerified false');
	my $p4 = phone();
	my $t = time - 1;
	$r = api(PUT => '/api/v1/users/profile', bearer($u->{access}), { phoneNumber => $p4 });
	my $c4 = sms_code($p4, $t);
	ok($c4, 'adding a number sends a code');
	# Asking again at once: the limits of e-mail codes (cooldown) apply.
	my $t2 = time;
	sleep 1.1;
	api(PUT => '/api/v1/users/profile', bearer($u->{access}), { phoneNumber => $p4 });
	sleep 0.5;
	my @after = grep { (stat $_)[9] >= $t2 + 1 } glob "$ENV{HZM_VAR}/sms/*.json";
	is(scalar(grep { `cat $_` =~ /\Q$p4\E/ } @after), 0, 'no second code within the cooldown');
	$r = post('/api/v1/auth/verify-phone', { email => $u->{email}, code => $c4 });
	is($r->{json}{data}{status}, 'ACTIVE', 'verified later: ACTIVE');
	is($r->{json}{data}{kycLevel}, 'LEVEL_1', 'LEVEL_1');

	# Cleared number: nothing to verify.
	my $u2 = new_user('cleared');
	my $p5 = phone();
	$t = time - 1;
	api(PUT => '/api/v1/users/profile', bearer($u2->{access}), { phoneNumber => $p5 });
	my $c5 = sms_code($p5, $t);
	api(PUT => '/api/v1/users/profile', bearer($u2->{access}), { phoneNumber => undef });
	$r = post('/api/v1/auth/verify-phone', { email => $u2->{email}, code => $c5 });
	error_ok($r, 400, 'INVALID_REQUEST', 'a code for a number since removed does not verify');
}

# --- five wrong attempts use a phone code up --------------------------------------------
{
	my $e6 = unique_email('attempts');
	my $p6 = phone();
	my $t = time - 1;
	post('/api/v1/auth/register', { email => $e6, password => $pw, phoneNumber => $p6 });
	my $c6 = sms_code($p6, $t);
	my $bad = $c6 eq '999999' ? '999998' : '999999';
	post('/api/v1/auth/verify-phone', { email => $e6, code => $bad }) for 1 .. 5;
	$r = post('/api/v1/auth/verify-phone', { email => $e6, code => $c6 });
	error_ok($r, 400, 'INVALID_REQUEST', 'dead after 5 wrong attempts');
}

# --- suspended and lifted: the state the verifications give ------------------------------
{
	my $A = bearer(admin_login());
	my $u = new_user('lift', phone => phone(), verify_phone => 1);
	$r = api(PUT => "/api/v1/admin/users/$u->{userId}/status", $A, { status => 'SUSPENDED', reason => 'a check' });
	is($r->{json}{data}{previousStatus}, 'ACTIVE', 'an ACTIVE user suspended');
	$r = api(PUT => "/api/v1/admin/users/$u->{userId}/status", $A, { status => 'ACTIVE', reason => 'cleared' });
	is($r->{json}{data}{status}, 'ACTIVE', 'lifted: ACTIVE again (phone verified)');
	my $v = new_user('lift2');
	api(PUT => "/api/v1/admin/users/$v->{userId}/status", $A, { status => 'SUSPENDED', reason => 'a check' });
	$r = api(PUT => "/api/v1/admin/users/$v->{userId}/status", $A, { status => 'ACTIVE', reason => 'cleared' });
	is($r->{json}{data}{status}, 'EMAIL_VERIFIED', 'lifted: back to EMAIL_VERIFIED (no phone)');
	$r = api(GET => '/api/v1/admin/users?filter_status=EMAIL_VERIFIED&pageSize=500', $A);
	ok((grep { $_->{userId} eq $v->{userId} } @{ $r->{json}{data} }), 'filter_status=EMAIL_VERIFIED');
}

# --- referral codes (§4.1's referralCode) -----------------------------------------------------
{
	my $ref = new_user('referrer');
	my $p = api(GET => '/api/v1/users/profile', bearer($ref->{access}))->{json}{data};
	like($p->{referralCode}, qr/^[A-HJ-NP-Z2-9]{10}$/, 'every user has a referral code');
	is($p->{referredCount}, 0, 'referredCount 0');
	my $code = $p->{referralCode};
	my $other = new_user('other');
	isnt(api(GET => '/api/v1/users/profile', bearer($other->{access}))->{json}{data}{referralCode},
	    $code, 'codes differ');
	my $e1 = unique_email('referred');
	$r = post('/api/v1/auth/register', { email => $e1, password => $pw, referralCode => lc $code });
	is($r->{status}, 201, 'register with a referral code (any case)');
	is(psql("SELECT r.public_id FROM users u JOIN users r ON r.id = u.referred_by WHERE u.email = '$e1'"),
	    $ref->{userId}, 'the referrer is stored');
	my $e2 = unique_email('referred');
	post('/api/v1/auth/register', { email => $e2, password => $pw, referralCode => $code });
	is(api(GET => '/api/v1/users/profile', bearer($ref->{access}))->{json}{data}{referredCount}, 2,
	    'the referrer sees the count');
	for my $case ([ 'REF-123', qr/letters and digits/, 'a dash' ], [ 'AB', qr/short/, 'too short' ]) {
		$r = post('/api/v1/auth/register', { email => unique_email('x'), password => $pw,
		    referralCode => $case->[0] });
		error_ok($r, 400, 'INVALID_REQUEST', "referralCode: $case->[2]");
		is($r->{json}{error}{details}{field}, 'referralCode', "referralCode: $case->[2]: field");
		like($r->{json}{error}{details}{reason}, $case->[1], "referralCode: $case->[2]: reason");
	}
	# Spec §4.1's example code, held by nobody: registered, with no referrer.
	my $e3 = unique_email('ref123');
	$r = post('/api/v1/auth/register', { email => $e3, password => $pw,
	    phoneNumber => '+905551234567', referralCode => 'REF123' });
	is($r->{status}, 201, 'register with an unknown referral code (§4.1\'s REF123)') or diag($r->{body});
	is(psql("SELECT coalesce(referred_by::text, 'none') FROM users WHERE email = '$e3'"), 'none',
	    'no referrer stored');
	is(api(GET => '/api/v1/users/profile', bearer($ref->{access}))->{json}{data}{referredCount}, 2,
	    'nobody\'s count moved');
	$r = api(PUT => '/api/v1/users/profile', bearer($ref->{access}), { referralCode => 'MINE1234' });
	error_ok($r, 400, 'INVALID_REQUEST', 'the code cannot be changed');
}

# --- the sandbox accounts follow the same rule ---------------------------------------------
is(psql("SELECT status FROM users WHERE email = 'test.level0\@example.com'"), 'EMAIL_VERIFIED', 'test.level0: EMAIL_VERIFIED');
is(psql("SELECT status || kyc_level FROM users WHERE email = 'test.level1\@example.com'"), 'ACTIVE1', 'test.level1: ACTIVE, LEVEL_1');

done_testing();
