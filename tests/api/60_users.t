# tests/api/60_users.t — GET/PUT /users/profile: the caller's own profile, validated, and nobody else's
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP qw(encode_json);
use Hzm;

mc_flush();

# Bodies with non-ASCII text go as UTF-8 bytes.
sub put { my ($tok, $body) = @_; api(PUT => '/api/v1/users/profile', bearer($tok), encode_json($body)) }

my $P = '/api/v1/users/profile';

# --- no access without a valid token ---------------------------------------
my $r = api(GET => $P);
error_ok($r, 401, 'UNAUTHORIZED', 'profile without a token');
is($r->{headers}{'www-authenticate'}, 'Bearer', '401 names the scheme');
$r = api(PUT => $P, {}, { displayName => 'x' });
error_ok($r, 401, 'UNAUTHORIZED', 'PUT without a token');
$r = api(GET => $P, bearer('garbage'));
error_ok($r, 401, 'AUTH_003', 'garbage token');
$r = api(GET => $P, bearer('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c3JfeCJ9.'));
error_ok($r, 401, 'AUTH_003', 'unsigned (alg none) token');
$r = api(GET => $P, { Authorization => 'Basic dXNlcjpwdw==' });
error_ok($r, 401, 'UNAUTHORIZED', 'another scheme');

# --- reading ------------------------------------------------------------------
my $a = new_user('prof');
my $b = new_user('prof');
$r = api(GET => $P, bearer($a->{access}));
is($r->{status}, 200, 'GET profile') or diag($r->{body});
envelope_ok($r, 'GET profile');
my $d = $r->{json}{data};
is($d->{userId}, $a->{userId}, 'userId is the caller');
is($d->{email}, $a->{email}, 'email');
is($d->{status}, 'EMAIL_VERIFIED', 'status EMAIL_VERIFIED after verifying the e-mail (§11.1)');
is($d->{kycLevel}, 'LEVEL_0', 'kycLevel LEVEL_0');
is_deeply($d->{roles}, ['USER'], 'roles');
ok(JSON::PP::is_bool($d->{twoFactorEnabled}) && !$d->{twoFactorEnabled},
    'twoFactorEnabled false (a boolean)');
ok(JSON::PP::is_bool($d->{emailVerified}) && $d->{emailVerified},
    'emailVerified true (a boolean)');
like($d->{createdAt}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'createdAt ISO 8601 UTC');
ok(exists $d->{phoneNumber} && !defined $d->{phoneNumber}, 'phoneNumber null');
ok(exists $d->{displayName} && !defined $d->{displayName}, 'displayName null');
ok(!exists $d->{passwordHash} && $r->{body} !~ /argon2|totp/i, 'no secrets in the profile');
is($r->{headers}{'x-ratelimit-limit'}, 2000, 'rate limit 200/min (x10 in the sandbox)');

$r = api(GET => $P, bearer($b->{access}));
is($r->{json}{data}{userId}, $b->{userId}, "another token reads that user's own profile");

# --- changing ------------------------------------------------------------------
$r = put($a->{access}, { phoneNumber => '+905551234567', displayName => 'Ayşe Yılmaz' });
is($r->{status}, 200, 'PUT phone and name') or diag($r->{body});
is($r->{json}{data}{phoneNumber}, '+905551234567', 'answer has the new phone');
is($r->{json}{data}{displayName}, 'Ayşe Yılmaz', 'answer has the new name (UTF-8)');
is($r->{json}{data}{email}, $a->{email}, 'email unchanged');
$r = api(GET => $P, bearer($a->{access}));
is($r->{json}{data}{phoneNumber}, '+905551234567', 'GET shows the phone');
is($r->{json}{data}{displayName}, 'Ayşe Yılmaz', 'GET shows the name');
ok($r->{json}{data}{updatedAt} ge $r->{json}{data}{createdAt}, 'updatedAt moved');

$r = api(PUT => $P, bearer($a->{access}), { phoneNumber => undef });
is($r->{status}, 200, 'PUT phoneNumber null clears it');
ok(!defined $r->{json}{data}{phoneNumber}, 'phone cleared');
is($r->{json}{data}{displayName}, 'Ayşe Yılmaz', 'a field not sent is kept');

$r = put($a->{access}, { displayName => 'Ş' x 64 });
is($r->{status}, 200, '64-character name (128 bytes) accepted');
$r = api(PUT => $P, bearer($a->{access}), { phoneNumber => '+12025550123' });
is($r->{json}{data}{displayName}, 'Ş' x 64, 'PUT of the phone alone keeps the name');

# --- validation -------------------------------------------------------------------
my @bad = (
	[ { phoneNumber => '05551234567' },	'phoneNumber',	'national format' ],
	[ { phoneNumber => '+05551234567' },	'phoneNumber',	'leading zero after +' ],
	[ { phoneNumber => '+12345' },		'phoneNumber',	'too few digits' ],
	[ { phoneNumber => '+1234567890123456' }, 'phoneNumber', 'too many digits' ],
	[ { phoneNumber => '+90 555 123 4567' }, 'phoneNumber',	'spaces' ],
	[ { phoneNumber => 905551234567 },	'phoneNumber',	'a number, not a string' ],
	[ { displayName => 'Ş' x 65 },		'displayName',	'65 characters' ],
	[ { displayName => ' Ayşe' },		'displayName',	'leading space' ],
	[ { displayName => "Ay\nşe" },		'displayName',	'control character' ],
	[ { displayName => "Ay\x{0085}şe" },	'displayName',	'C1 control character (NEL)' ],
	[ { displayName => "Ay\x{007F}şe" },	'displayName',	'DEL' ],
	[ { displayName => "Ali\x{202E}kcab" },	'displayName',	'right-to-left override' ],
	[ { displayName => "Ali\x{2067}veli" },	'displayName',	'right-to-left isolate' ],
	[ { displayName => "Ali\x{200F}" . 'veli' },	'displayName',	'right-to-left mark' ],
	[ { displayName => "Ali\x{200B}veli" },	'displayName',	'zero width space' ],
	[ { displayName => "Ali\x{200D}veli" },	'displayName',	'zero width joiner' ],
	[ { displayName => "\x{FEFF}Ali" },	'displayName',	'byte order mark' ],
	[ { displayName => "Ali\x{2028}veli" },	'displayName',	'line separator' ],
	[ { displayName => "Ali\x{3164}" },	'displayName',	'Hangul filler' ],
	[ { displayName => '' },		'displayName',	'empty' ],
	[ { displayName => ['x'] },		'displayName',	'an array' ],
	[ { nickname => 'x' },			'nickname',	'unknown field' ],
	[ {},					'body',		'nothing to change' ],
);
for my $t (@bad) {
	my ($body, $field, $name) = @$t;
	$r = put($a->{access}, $body);
	error_ok($r, 400, 'INVALID_REQUEST', "PUT $name");
	is($r->{json}{error}{details}{field}, $field, "PUT $name: names $field");
}
# What is refused is said: the kind of character, for the field.
$r = put($a->{access}, { displayName => "Ali\x{202E}kcab" });
like($r->{json}{error}{details}{reason} // '', qr/bidirectional/, 'PUT right-to-left override: says why');
$r = put($a->{access}, { displayName => "Ali\x{200B}veli" });
like($r->{json}{error}{details}{reason} // '', qr/invisible/, 'PUT zero width space: says why');
$r = put($a->{access}, { displayName => "Ay\x{0085}şe" });
like($r->{json}{error}{details}{reason} // '', qr/control/, 'PUT C1 control: says why');
$r = api(PUT => $P, bearer($a->{access}), '{"displayName":');
error_ok($r, 400, 'INVALID_REQUEST', 'malformed JSON');
$r = api(PUT => $P, { %{ bearer($a->{access}) }, 'Content-Type' => 'text/plain' },
    'displayName=x');
error_ok($r, 415, 'UNSUPPORTED_MEDIA_TYPE', 'not JSON');
$r = api(GET => $P, bearer($a->{access}));
is($r->{json}{data}{displayName}, 'Ş' x 64, 'refused changes changed nothing');
is($r->{json}{data}{phoneNumber}, '+12025550123', 'phone kept');

# --- what the profile cannot change, and whose it is ----------------------------------
my $before_b = api(GET => $P, bearer($b->{access}))->{json}{data};
for my $f ([ userId => $b->{userId} ], [ email => $b->{email} ],
    [ status => 'ACTIVE' ], [ kycLevel => 'LEVEL_3' ], [ roles => ['ADMIN'] ],
    [ emailVerified => JSON::PP::true ]) {
	$r = api(PUT => $P, bearer($a->{access}),
	    { $f->[0] => $f->[1], displayName => 'Intruder' });
	error_ok($r, 400, 'INVALID_REQUEST', "PUT with $f->[0]");
	is($r->{json}{error}{details}{field}, $f->[0], "PUT with $f->[0]: named");
	like($r->{json}{error}{details}{reason}, qr/cannot be changed/,
	    "PUT with $f->[0]: read-only");
}
is_deeply(api(GET => $P, bearer($b->{access}))->{json}{data}, $before_b,
    "the other user's profile is untouched");
$r = api(GET => $P, bearer($a->{access}));
is($r->{json}{data}{displayName}, 'Ş' x 64, 'nor was the caller\'s name changed by the refused requests');
is($r->{json}{data}{kycLevel}, 'LEVEL_0', 'nor its KYC level');
is(psql("SELECT kyc_level || status FROM users WHERE public_id = '$a->{userId}'"),
    '0EMAIL_VERIFIED', 'the database agrees');

# Other methods, and paths that are not the profile.
$r = api(DELETE => $P, bearer($a->{access}));
error_ok($r, 405, 'METHOD_NOT_ALLOWED', 'DELETE profile');
$r = api(GET => "/api/v1/users/$b->{userId}", bearer($a->{access}));
error_ok($r, 404, 'NOT_FOUND', 'no profile by id for users');
$r = api(GET => "$P?userId=$b->{userId}", bearer($a->{access}));
is($r->{json}{data}{userId}, $a->{userId}, 'a userId query parameter is no way to another profile');

# --- the token ends with the session -----------------------------------------------
$r = api(POST => '/api/v1/auth/logout', bearer($a->{access}));
is($r->{status}, 200, 'logout');
$r = api(GET => $P, bearer($a->{access}));
error_ok($r, 401, 'AUTH_003', 'profile with a logged-out token');

# A suspended account is refused with the compliance code.
psql("UPDATE users SET status = 'SUSPENDED' WHERE public_id = '$b->{userId}'");
$r = api(GET => $P, bearer($b->{access}));
error_ok($r, 403, 'COMPLIANCE_003', 'suspended user');
psql("UPDATE users SET status = 'ACTIVE' WHERE public_id = '$b->{userId}'");

done_testing;
