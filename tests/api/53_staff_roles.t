# tests/api/53_staff_roles.t — staff roles: ADMIN grants, re-roles and disables staff (2FA required, audited); each route lets only its roles in
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;

mc_flush();

# A verified user with 2FA on and no staff role yet.
sub with_2fa {
	my ($tag) = @_;
	my $u = new_user($tag);
	my $r = api(POST => '/api/v1/auth/2fa/setup', bearer($u->{access}));
	$u->{secret} = $r->{json}{data}{secret} or die "2fa setup: $r->{body}";
	$r = api(POST => '/api/v1/auth/2fa/enable', bearer($u->{access}),
	    { code => totp_code($u->{secret}) });
	die "2fa enable: $r->{body}" unless $r->{status} == 200;
	return $u;
}

sub console_login {
	my ($u) = @_;
	return with_totp($u->{secret}, sub {
		api(POST => '/api/v1/admin/auth/login', {}, { email => $u->{email},
		    password => $u->{password}, twoFactorCode => $_[0] }) });
}

my $A = bearer(admin_login());

# --- granting ----------------------------------------------------------------------
my $sup = with_2fa('support');
my $r = api(POST => '/api/v1/admin/staff', $A, { userId => $sup->{userId}, role => 'SUPPORT' });
is($r->{status}, 201, 'ADMIN makes a SUPPORT member') or diag($r->{body});
envelope_ok($r, 'grant');
is($r->{json}{data}{role}, 'SUPPORT', 'role SUPPORT');
is($r->{json}{data}{twoFactorEnabled}, JSON::PP::true, 'with 2FA');
is(psql("SELECT action || ' ' || (details->>'role') FROM audit_log WHERE event_type = 'STAFF'"
    . " AND target_ref = '$sup->{userId}' ORDER BY id DESC LIMIT 1"), 'GRANTED SUPPORT', 'audited');

$r = api(POST => '/api/v1/admin/staff', $A, { userId => $sup->{userId}, role => 'COMPLIANCE' });
error_ok($r, 409, 'CONFLICT', 'a member is not granted twice');
my $plain = new_user('no2fa');
$r = api(POST => '/api/v1/admin/staff', $A, { userId => $plain->{userId}, role => 'SUPPORT' });
error_ok($r, 403, 'FORBIDDEN', 'no staff role without 2FA');
$r = api(POST => '/api/v1/admin/staff', $A, { userId => $plain->{userId}, role => 'ROOT' });
error_ok($r, 400, 'INVALID_REQUEST', 'unknown role');
is($r->{json}{error}{details}{field}, 'role', 'names the field');
$r = api(POST => '/api/v1/admin/staff', $A, { userId => 'usr_nosuchuseraaaaaaaaaa', role => 'SUPPORT' });
error_ok($r, 404, 'NOT_FOUND', 'no such user');
$r = api(POST => '/api/v1/admin/staff', $A, { userId => 'bob', role => 'SUPPORT' });
error_ok($r, 400, 'INVALID_REQUEST', 'not a user id');
$r = api(PUT => '/api/v1/admin/staff/usr_sandboxadminaaaaaaaa/role', $A, { role => 'SUPPORT' });
error_ok($r, 403, 'FORBIDDEN', 'an admin does not re-role themselves');

# --- what SUPPORT may do -------------------------------------------------------------
$r = console_login($sup);
is($r->{status}, 200, 'SUPPORT opens a console session') or diag($r->{body});
my $S = bearer($r->{json}{data}{accessToken});
$r = api(GET => '/api/v1/admin/users', $S);
is($r->{status}, 200, 'SUPPORT reads users');
is($r->{headers}{'x-ratelimit-limit'}, 10000, 'admin reads: 1000/min (x10 sandbox)');
$r = api(GET => "/api/v1/admin/users/$sup->{userId}", $S);
is($r->{status}, 200, 'SUPPORT reads a user');
is_deeply($r->{json}{data}{roles}, [qw(SUPPORT USER)], 'roles shown');
for my $c (['GET', '/api/v1/admin/kyc/pending'], ['GET', '/api/v1/admin/compliance/alerts'],
    ['GET', '/api/v1/admin/withdrawals/pending'], ['GET', '/api/v1/admin/fiat/queue'],
    ['GET', '/api/v1/admin/staff'], ['PUT', "/api/v1/admin/users/$plain->{userId}/status"]) {
	$r = api($c->[0] => $c->[1], $S, $c->[0] eq 'PUT' ? { status => 'SUSPENDED', reason => 'x' } : undef);
	error_ok($r, 403, 'FORBIDDEN', "SUPPORT may not $c->[0] $c->[1]");
}
$r = api(GET => '/api/v1/admin/users?filter_role=SUPPORT', $A);
ok((grep { $_->{userId} eq $sup->{userId} } @{$r->{json}{data}}), 'filter_role=SUPPORT finds the member');

# --- re-roled to COMPLIANCE -----------------------------------------------------------
$r = api(PUT => "/api/v1/admin/staff/$sup->{userId}/role", $A, { role => 'COMPLIANCE' });
is($r->{status}, 200, 're-roled') or diag($r->{body});
is($r->{json}{data}{role}, 'COMPLIANCE', 'now COMPLIANCE');
$r = api(PUT => "/api/v1/admin/staff/$sup->{userId}/role", $A, { role => 'COMPLIANCE' });
error_ok($r, 409, 'CONFLICT', 'the same role again');
$r = api(PUT => "/api/v1/admin/staff/$plain->{userId}/role", $A, { role => 'ADMIN' });
error_ok($r, 404, 'NOT_FOUND', 're-roling a non-member');
is(psql("SELECT (details->>'previousRole') || '>' || (details->>'role') FROM audit_log"
    . " WHERE event_type = 'STAFF' AND action = 'ROLE_CHANGED' AND target_ref = '$sup->{userId}'"),
    'SUPPORT>COMPLIANCE', 'the change audited with old and new role');
# The same session now has the new role's routes.
$r = api(GET => '/api/v1/admin/kyc/pending', $S);
is($r->{status}, 200, 'COMPLIANCE reads the KYC queue');
$r = api(GET => '/api/v1/admin/compliance/alerts', $S);
is($r->{status}, 200, 'and alerts');
$r = api(GET => '/api/v1/admin/staff', $S);
error_ok($r, 403, 'FORBIDDEN', 'but not the staff list');
$r = api(PUT => "/api/v1/admin/users/$plain->{userId}/limits", $S, {});
error_ok($r, 403, 'FORBIDDEN', 'nor user limits (ADMIN)');

# --- staff keep 2FA -------------------------------------------------------------------
$r = api(POST => '/api/v1/auth/2fa/disable', bearer($sup->{access}), { code => totp_code($sup->{secret}) });
error_ok($r, 403, 'FORBIDDEN', 'staff cannot turn 2FA off');

# --- listing and disabling --------------------------------------------------------------
$r = api(GET => '/api/v1/admin/staff?pageSize=500', $A);
is($r->{status}, 200, 'staff list');
my ($m) = grep { $_->{userId} eq $sup->{userId} } @{$r->{json}{data}};
is($m->{role}, 'COMPLIANCE', 'lists the member with their role');
ok(exists $r->{json}{meta}{totalCount}, 'paged');
$r = api(POST => "/api/v1/admin/staff/$sup->{userId}/disable", $A, {});
error_ok($r, 400, 'INVALID_REQUEST', 'disabling needs a reason');
$r = api(POST => "/api/v1/admin/staff/$sup->{userId}/disable", $A, { reason => 'left the company' });
is($r->{status}, 200, 'disabled') or diag($r->{body});
is($r->{json}{data}{disabled}, JSON::PP::true, 'no longer staff');
$r = api(GET => '/api/v1/admin/users', $S);
isnt($r->{status}, 200, 'the console session ends with the role');
$r = console_login($sup);
error_ok($r, 401, 'AUTH_001', 'and no new console session opens');
is(psql("SELECT role FROM user_roles JOIN users u ON u.id = user_id WHERE u.public_id = '$sup->{userId}'"),
    'USER', 'the user account stays');
is(psql("SELECT reason FROM audit_log WHERE event_type = 'STAFF' AND action = 'DISABLED'"
    . " AND target_ref = '$sup->{userId}'"), 'left the company', 'disabling audited with its reason');
$r = api(POST => "/api/v1/admin/staff/$sup->{userId}/disable", $A, { reason => 'again' });
error_ok($r, 404, 'NOT_FOUND', 'disabling a non-member');

# --- the database keeps one staff role per user ----------------------------------------
like(psql("INSERT INTO user_roles (user_id, role) SELECT id, 'SUPPORT' FROM users"
    . " WHERE email = 'admin\@example.com'"), qr/duplicate key/, 'one staff role per user');

# --- only ADMIN manages staff; users and anonymous callers not at all -------------------
my $comp = staff('COMPLIANCE');
$r = api(POST => '/api/v1/admin/staff', bearer($comp->{token}), { userId => $plain->{userId}, role => 'ADMIN' });
error_ok($r, 403, 'FORBIDDEN', 'COMPLIANCE cannot make staff');
$r = api(GET => '/api/v1/admin/staff', bearer($plain->{access}));
error_ok($r, 403, 'FORBIDDEN', 'a user token is not a console session');
$r = api(GET => '/api/v1/admin/staff', {});
error_ok($r, 401, 'UNAUTHORIZED', 'anonymous');
is(psql("SELECT count(*) FROM audit_verify()"), 0, 'the audit chain holds');

done_testing();
