# tests/api/61_kyc_admin.t — flow §11.1 (KYC submit, admin review) and the admin console: users, status, limits
use strict;
use warnings;
use Test::More;
use Digest::SHA qw(sha256_hex);
use JSON::PP qw(encode_json);
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time sleep);
use Hzm;
use HzmImages;

mc_flush();

my $ADMIN_ID = 'usr_sandboxadminaaaaaaaa';

# --- documents, built here: whole files, as the server checks their structure ------
sub png { png_file(undef, $_[0]) }	# padded to a size when asked, in a tEXt chunk
sub jpeg { jpeg_file() }
sub pdf { pdf_file() }
sub doc { my ($ct, $bytes) = @_; { contentType => $ct, data => b64($bytes) } }

sub ymd_years_ago {
	my ($years, $days) = @_;
	my @t = gmtime(time + ($days // 0) * 86400);
	return sprintf '%04d-%02d-%02d', $t[5] + 1900 - $years, $t[4] + 1, $t[3];
}

sub submit { my ($u, $body) = @_; api(POST => '/api/v1/kyc/submit', bearer($u->{access}), $body) }
sub kyc_status { api(GET => '/api/v1/kyc/status', bearer($_[0]{access})) }

my $iso = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

# === flow §11.1 ===================================================================
my $u = new_user('kyc');
my $r = kyc_status($u);
is($r->{status}, 200, 'status before anything') or diag($r->{body});
is($r->{json}{data}{status}, 'NOT_STARTED', 'NOT_STARTED');
ok(!defined $r->{json}{data}{kycId}, 'kycId null');
is($r->{json}{data}{level}, 'LEVEL_0', 'level LEVEL_0');
is($r->{json}{data}{limits}{dailyWithdrawal}{limit}, '0.00', 'LEVEL_0 may not withdraw');

my $body = kyc_body();
my $t0 = time - 1;
$r = submit($u, $body);
is($r->{status}, 201, 'KYC submitted') or diag(substr($r->{body}, 0, 300));
envelope_ok($r, 'submit');
my $kyc = $r->{json}{data}{kycId};
like($kyc, qr/^kyc_[a-z2-7]{20}$/, 'kycId');
is($r->{json}{data}{status}, 'PENDING_REVIEW', 'PENDING_REVIEW');
like($r->{json}{data}{submittedAt}, $iso, 'submittedAt');
is($r->{headers}{'x-ratelimit-limit'}, 100, 'submit limited to 10/day (x10)');

$r = kyc_status($u);
is($r->{json}{data}{status}, 'PENDING_REVIEW', 'status PENDING_REVIEW');
is($r->{json}{data}{kycId}, $kyc, 'status names the application');
is($r->{json}{data}{level}, 'LEVEL_0', 'still LEVEL_0 while under review');
like($r->{json}{data}{submittedAt}, $iso, 'submittedAt');
ok(!defined $r->{json}{data}{approvedAt}, 'approvedAt null');

# Stored sealed, with the hash of what was sent.
my $sid = psql("SELECT id FROM kyc_submissions WHERE public_id = '$kyc'");
is(psql("SELECT count(*) FROM kyc_documents WHERE kyc_id = $sid"), 3, 'three documents stored');
is(psql("SELECT encode(sha256, 'hex') || ' ' || size FROM kyc_documents"
    . " WHERE kyc_id = $sid AND kind = 'ID_DOCUMENT'"),
    sha256_hex(png()) . ' ' . length(png()), 'ID document: sha256 and size of the upload');
is(psql("SELECT position('\\x89504e47'::bytea IN content) FROM kyc_documents"
    . " WHERE kyc_id = $sid AND kind = 'ID_DOCUMENT'"), 0, 'document content is not stored in clear');
is(psql("SELECT position(convert_to('10000000146', 'UTF8') IN id_number)"
    . " FROM kyc_submissions WHERE id = $sid"), 0, 'idNumber is not stored in clear');
is(psql("SELECT content_type FROM kyc_documents WHERE kyc_id = $sid AND kind = 'SELFIE'"),
    'image/jpeg', 'content type kept');

# A second application while one is under review.
$r = submit($u, kyc_body());
error_ok($r, 409, 'CONFLICT', 'second submit while pending');
is($r->{json}{error}{details}{kycId}, $kyc, '409 names the pending application');
# Trading says why it is refused: the application is under review.
$r = api(POST => '/api/v1/orders', bearer($u->{access}), { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', timeInForce => 'GTC', price => '100.00', quantity => '0.10000000' });
error_ok($r, 403, 'KYC_002', 'an order while KYC is pending review');

# --- the admin console: login and who may use it ---------------------------------------
my $admin = admin_login();
ok($admin, 'admin console login (2FA)');
my $A = bearer($admin);

$r = api(POST => '/api/v1/admin/auth/login', {}, { email => 'admin@example.com',
    password => $SANDBOX_PW, twoFactorCode => '000000' });
error_ok($r, 401, 'AUTH_004', 'admin login with a wrong code');
$r = api(POST => '/api/v1/admin/auth/login', {}, { email => 'admin@example.com',
    password => $SANDBOX_PW });
error_ok($r, 401, 'AUTH_004', 'admin login without a code');
$r = api(POST => '/api/v1/admin/auth/login', {}, { email => $u->{email},
    password => $u->{password} });
error_ok($r, 401, 'AUTH_001', 'admin login of a user without a staff role');

my @admin_routes = (
	[ GET => '/api/v1/admin/users' ],
	[ GET => "/api/v1/admin/users/$u->{userId}" ],
	[ PUT => "/api/v1/admin/users/$u->{userId}/status", { status => 'BLOCKED', reason => 'test' } ],
	[ PUT => "/api/v1/admin/users/$u->{userId}/limits", { dailyWithdrawal => '1',
	    monthlyWithdrawal => '1', dailyTrading => '1' } ],
	[ GET => '/api/v1/admin/kyc/pending' ],
	[ POST => "/api/v1/admin/kyc/$kyc/approve", {} ],
	[ POST => "/api/v1/admin/kyc/$kyc/reject", { reason => 'OTHER', note => 'x' } ],
);
# The sandbox admin through the ordinary login: a user session, not a console one.
$r = with_totp($ADMIN_TOTP, sub { login('admin@example.com', $SANDBOX_PW, twoFactorCode => $_[0]) });
is($r->{status}, 200, 'admin logs in through /auth/login') or diag($r->{body});
my $admin_user = $r->{json}{data}{accessToken};
ok(!$r->{json}{data}{adminSession}, 'that is no admin session');
for my $rt (@admin_routes) {
	my ($m, $path, $b) = @$rt;
	$r = api($m => $path, {}, $b);
	error_ok($r, 401, 'UNAUTHORIZED', "$m $path without a token");
	$r = api($m => $path, bearer($u->{access}), $b);
	error_ok($r, 403, 'FORBIDDEN', "$m $path with a user's token");
	$r = api($m => $path, bearer($admin_user), $b);
	error_ok($r, 403, 'FORBIDDEN', "$m $path with the admin's user session");
}
$r = api(GET => '/api/v1/users/profile', bearer($admin_user));
is($r->{status}, 200, "the admin's user session works where users go");
is(kyc_status($u)->{json}{data}{status}, 'PENDING_REVIEW', 'the refused decisions decided nothing');

# --- review --------------------------------------------------------------------
$r = api(GET => '/api/v1/admin/kyc/pending?pageSize=500', $A);
is($r->{status}, 200, 'pending list') or diag($r->{body});
{
	# §2.6's sort: oldest first by default, or the newest.
	my @old = map { $_->{submittedAt} } @{ $r->{json}{data} };
	is_deeply(\@old, [ sort @old ], 'pending: oldest first');
	my $n = api(GET => '/api/v1/admin/kyc/pending?pageSize=500&sort=-submittedAt', $A);
	is($n->{status}, 200, 'pending: sort=-submittedAt') or diag($n->{body});
	my @new = map { $_->{submittedAt} } @{ $n->{json}{data} };
	is_deeply(\@new, [ reverse sort @new ], '  newest first');
	is(scalar(@new), scalar(@old), '  the same applications');
	like($n->{json}{links}{self} // '', qr/sort=-submittedAt/, '  its links keep the sort');
	error_ok(api(GET => '/api/v1/admin/kyc/pending?sort=-email', $A), 400, 'INVALID_REQUEST',
	    'pending: a sort not offered');
}
my ($item) = grep { $_->{kycId} eq $kyc } @{ $r->{json}{data} };
ok($item, 'the application is pending');
is($item->{userId}, $u->{userId}, 'with its user');
is($item->{email}, $u->{email}, 'e-mail');
is($item->{firstName}, 'Ayse', 'first name');
is($item->{lastName}, "O'Neil-Yilmaz", 'last name');
like($item->{submittedAt}, $iso, 'submittedAt');
is_deeply([ map { $_->{kind} } @{ $item->{documents} } ],
    [qw(ADDRESS_PROOF ID_DOCUMENT SELFIE)], 'document kinds');
my ($iddoc) = grep { $_->{kind} eq 'ID_DOCUMENT' } @{ $item->{documents} };
is($iddoc->{size}, length png(), 'document size');
is($iddoc->{contentType}, 'image/png', 'document type');
unlike($r->{body}, qr/10000000146|\Q$body->{documents}{idDocument}{data}\E/,
    'neither the idNumber nor any document content is listed');
ok(!exists $item->{idNumber} && !exists $iddoc->{data}, 'no such fields');
is($r->{json}{meta}{pageSize}, 500, 'meta pageSize');
ok($r->{json}{meta}{totalCount} >= 1, 'meta totalCount');

$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A, { level => 'LEVEL_0' });
error_ok($r, 400, 'INVALID_REQUEST', 'approve at LEVEL_0');
$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A, { level => 'LEVEL_4' });
error_ok($r, 400, 'INVALID_REQUEST', 'approve at LEVEL_4');
$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A, { reason => 'OTHER' });
error_ok($r, 400, 'INVALID_REQUEST', 'approve with a reject field');
$r = api(POST => '/api/v1/admin/kyc/kyc_aaaaaaaaaaaaaaaaaaaa/approve', $A);
error_ok($r, 404, 'NOT_FOUND', 'approve an unknown application');
$r = api(POST => '/api/v1/admin/kyc/nonsense/approve', $A);
error_ok($r, 404, 'NOT_FOUND', 'approve a malformed id');
$r = api(POST => "/api/v1/admin/kyc/$u->{userId}/approve", $A);
error_ok($r, 404, 'NOT_FOUND', 'approve with a user id');

$t0 = time - 1;
$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A);
is($r->{status}, 200, 'approved (no body: LEVEL_2)') or diag($r->{body});
is($r->{json}{data}{status}, 'APPROVED', 'APPROVED');
is($r->{json}{data}{level}, 'LEVEL_2', 'LEVEL_2 granted');
is($r->{json}{data}{userKycLevel}, 'LEVEL_2', 'user now LEVEL_2');
is($r->{json}{data}{reviewedBy}, $ADMIN_ID, 'reviewedBy');
like($r->{json}{data}{reviewedAt}, $iso, 'reviewedAt');

$r = kyc_status($u);
is($r->{json}{data}{status}, 'APPROVED', "user's status APPROVED");
is($r->{json}{data}{level}, 'LEVEL_2', "user's level LEVEL_2");
like($r->{json}{data}{approvedAt}, $iso, 'approvedAt');
ok(!defined $r->{json}{data}{rejectedReason}, 'no rejectedReason');
is($r->{json}{data}{limits}{dailyWithdrawal}{limit}, '100000.00', 'LEVEL_2 daily withdrawal limit');
is($r->{json}{data}{limits}{dailyWithdrawal}{currency}, 'TRY', 'in TRY');
is($r->{json}{data}{limits}{monthlyWithdrawal}{limit}, '500000.00', 'monthly limit');
is($r->{json}{data}{limits}{dailyTrading}, '1000000.00', 'trading limit');
$r = login($u->{email}, $u->{password});
is($r->{json}{data}{user}{kycLevel}, 'LEVEL_2', 'a fresh login shows LEVEL_2');
is(api(GET => '/api/v1/users/profile', bearer($u->{access}))->{json}{data}{kycLevel},
    'LEVEL_2', 'and so does the profile, with the old token');
my $m = mail_for($u->{email}, $t0, qr/approved/i);
ok($m, 'kyc_approved mail sent');
like($m->{text} // '', qr/LEVEL_2/, 'the mail names the level');

$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A);
error_ok($r, 409, 'CONFLICT', 'approve twice');
is($r->{json}{error}{details}{status}, 'APPROVED', '409 says what it is');
$r = api(POST => "/api/v1/admin/kyc/$kyc/reject", $A, { reason => 'EXPIRED_ID' });
error_ok($r, 409, 'CONFLICT', 'reject after approval');
$r = api(GET => '/api/v1/admin/kyc/pending?pageSize=500', $A);
ok(!grep({ $_->{kycId} eq $kyc } @{ $r->{json}{data} }), 'no longer pending');
$r = submit($u, kyc_body());
error_ok($r, 409, 'CONFLICT', 'a LEVEL_2 user cannot submit again');

# === every way a submission is refused =================================================
my $e = new_user('kycerr');
my $big = png(200 * 1024 + 1);
my @bad = (
	# [ override, status, code, field, reason pattern, name ]
	[ { 'documents.idDocument' => { contentType => 'image/png', data => 'iVBO!w0K' } },
	    400, 'KYC_004', 'documents.idDocument.data', qr/base64/, 'invalid base64 character' ],
	[ { 'documents.idDocument' => { contentType => 'image/png', data => encode_base64(png()) } },
	    400, 'KYC_004', 'documents.idDocument.data', qr/base64/, 'base64 with line breaks' ],
	[ { 'documents.idDocument' => { contentType => 'image/png', data => substr(b64(png()), 0, -2) } },
	    400, 'KYC_004', 'documents.idDocument.data', qr/base64/, 'base64 without its padding' ],
	[ { 'documents.idDocument' => { contentType => 'image/png', data => 'iVBORw0K=Ggo' } },
	    400, 'KYC_004', 'documents.idDocument.data', qr/base64/, 'padding inside' ],
	[ { 'documents.idDocument' => { contentType => 'image/png', data => '' } },
	    400, 'KYC_004', 'documents.idDocument.data', qr/empty/, 'empty data' ],
	[ { 'documents.idDocument' => doc('image/png', jpeg()) },
	    400, 'KYC_004', 'documents.idDocument.data', qr/match/, 'JPEG bytes declared PNG' ],
	[ { 'documents.addressProof' => doc('application/pdf', png()) },
	    400, 'KYC_004', 'documents.addressProof.data', qr/match/, 'PNG bytes declared PDF' ],
	[ { 'documents.selfie' => doc('image/jpeg', 'GIF89a' . ('x' x 40)) },
	    400, 'KYC_004', 'documents.selfie.data', qr/match/, 'GIF bytes declared JPEG' ],
	[ { 'documents.idDocument' => doc('image/gif', 'GIF89a' . ('x' x 40)) },
	    400, 'KYC_004', 'documents.idDocument.contentType', qr/image\/jpeg/, 'GIF content type' ],
	[ { 'documents.selfie' => doc('application/pdf', pdf()) },
	    400, 'KYC_004', 'documents.selfie.contentType', qr/image/, 'a PDF selfie' ],
	[ { 'documents.idDocument' => doc('image/png', $big) },
	    400, 'KYC_004', 'documents.idDocument.data', qr/200 KiB/, 'document of 200 KiB + 1' ],
	[ { 'documents.selfie' => undef },
	    400, 'KYC_004', 'documents.selfie', qr/required/, 'missing selfie' ],
	[ { 'documents.idDocument' => 'iVBORw0KGgo=' },
	    400, 'KYC_004', 'documents.idDocument', qr/object/, 'a document that is a string' ],
	[ { 'documents.passport' => doc('image/png', png()) },
	    400, 'KYC_004', 'documents.passport', qr/unknown/, 'an unknown document' ],
	[ { 'documents.idDocument' => { contentType => 'image/png', data => b64(png()), name => 'x' } },
	    400, 'KYC_004', 'documents.idDocument.name', qr/unknown/, 'an unknown document field' ],
	[ { documents => undef },
	    400, 'KYC_004', 'documents', qr/required/, 'no documents' ],
	[ { dateOfBirth => ymd_years_ago(18, 1) },
	    400, 'INVALID_REQUEST', 'dateOfBirth', qr/18/, '18 tomorrow' ],
	[ { dateOfBirth => ymd_years_ago(10) },
	    400, 'INVALID_REQUEST', 'dateOfBirth', qr/18/, 'a child' ],
	[ { dateOfBirth => '2001-02-29' },
	    400, 'INVALID_REQUEST', 'dateOfBirth', qr/date/, 'no such date' ],
	[ { dateOfBirth => '17/05/1990' },
	    400, 'INVALID_REQUEST', 'dateOfBirth', qr/date/, 'not ISO' ],
	[ { dateOfBirth => '1850-01-01' },
	    400, 'INVALID_REQUEST', 'dateOfBirth', qr/date/, 'before 1900' ],
	[ { nationality => 'XX' },
	    400, 'INVALID_REQUEST', 'nationality', qr/3166/, 'unassigned country' ],
	[ { nationality => 'tr' },
	    400, 'INVALID_REQUEST', 'nationality', qr/3166/, 'lower-case country' ],
	[ { nationality => 'TUR' },
	    400, 'INVALID_REQUEST', 'nationality', qr/long/, 'alpha-3 country' ],
	[ { idNumber => '10000000147' },
	    400, 'INVALID_REQUEST', 'idNumber', qr/Kimlik/, 'T.C. Kimlik No with a bad check digit' ],
	[ { nationality => 'DE', idNumber => 'C01X-0072' },
	    400, 'INVALID_REQUEST', 'idNumber', qr/letters and digits/, 'passport number with a dash' ],
	[ { firstName => 'R2D2' },
	    400, 'INVALID_REQUEST', 'firstName', qr/letters/, 'digits in a name' ],
	[ { lastName => '<script>' },
	    400, 'INVALID_REQUEST', 'lastName', qr/letters/, 'markup in a name' ],
	[ { firstName => undef },
	    400, 'INVALID_REQUEST', 'firstName', qr/required/, 'no first name' ],
	[ { address => 'x' },
	    400, 'INVALID_REQUEST', 'address', qr/short/, 'a one-letter address' ],
	[ { idNumber => 10000000146 },
	    400, 'INVALID_REQUEST', 'idNumber', qr/string/, 'idNumber as a number' ],
	[ { level => 'LEVEL_3' },
	    400, 'INVALID_REQUEST', 'level', qr/unknown/, 'asking for a level' ],
);
for my $t (@bad) {
	my ($over, $st, $code, $field, $why, $name) = @$t;
	$r = submit($e, kyc_body(%$over));
	error_ok($r, $st, $code, "submit: $name");
	is($r->{json}{error}{details}{field}, $field, "submit: $name: field $field");
	like($r->{json}{error}{details}{reason} // '', $why, "submit: $name: reason");
}
$r = api(POST => '/api/v1/kyc/submit', bearer($e->{access}), '{"firstName": "A"');
error_ok($r, 400, 'INVALID_REQUEST', 'submit: malformed JSON');
$r = api(POST => '/api/v1/kyc/submit', bearer($e->{access}));
error_ok($r, 400, 'INVALID_REQUEST', 'submit: no body');
$r = api(POST => '/api/v1/kyc/submit', {}, kyc_body());
error_ok($r, 401, 'UNAUTHORIZED', 'submit without a token');
is(psql("SELECT count(*) FROM kyc_submissions s JOIN users u ON u.id = s.user_id"
    . " WHERE u.public_id = '$e->{userId}'"), 0, 'no refused submission was stored');
is(kyc_status($e)->{json}{data}{status}, 'NOT_STARTED', 'still NOT_STARTED');

# The edges that pass: 18 today, a document of exactly 200 KiB, a foreign passport.
$r = submit($e, kyc_body(dateOfBirth => ymd_years_ago(18), nationality => 'DE',
    idNumber => 'C01X00T47', 'documents.idDocument' => doc('image/png', png(200 * 1024))));
is($r->{status}, 201, '18 today, 200 KiB document, German passport: accepted')
    or diag(substr($r->{body}, 0, 300));
my $kyc_e = $r->{json}{data}{kycId};

# === rejection ========================================================================
$r = api(POST => "/api/v1/admin/kyc/$kyc_e/reject", $A, {});
error_ok($r, 400, 'INVALID_REQUEST', 'reject without a reason');
is($r->{json}{error}{details}{field}, 'reason', 'names reason');
$r = api(POST => "/api/v1/admin/kyc/$kyc_e/reject", $A, { reason => 'UGLY' });
error_ok($r, 400, 'INVALID_REQUEST', 'reject with an unknown reason');
$r = api(POST => "/api/v1/admin/kyc/$kyc_e/reject", $A, { reason => 'OTHER' });
error_ok($r, 400, 'INVALID_REQUEST', 'OTHER without a note');
is($r->{json}{error}{details}{field}, 'note', 'names note');
$r = api(POST => "/api/v1/admin/kyc/$kyc_e/reject", $A, { reason => 'BLURRY_IMAGE', level => 'LEVEL_2' });
error_ok($r, 400, 'INVALID_REQUEST', 'reject with a level');
$t0 = time - 1;
$r = api(POST => "/api/v1/admin/kyc/$kyc_e/reject", $A,
    { reason => 'BLURRY_IMAGE', note => 'internal: face hidden by glare' });
is($r->{status}, 200, 'rejected') or diag($r->{body});
is($r->{json}{data}{status}, 'REJECTED', 'REJECTED');
is($r->{json}{data}{rejectedReason}, 'BLURRY_IMAGE', 'with the reason');
$r = kyc_status($e);
is($r->{json}{data}{status}, 'REJECTED', "user's status REJECTED");
my $ko = api(POST => '/api/v1/orders', bearer($e->{access}), { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT', timeInForce => 'GTC', price => '100.00', quantity => '0.10000000' });
error_ok($ko, 403, 'KYC_003', 'an order after KYC was rejected');
is($r->{json}{data}{rejectedReason}, 'BLURRY_IMAGE', 'rejectedReason');
is($r->{json}{data}{level}, 'LEVEL_0', 'level unchanged');
ok(!defined $r->{json}{data}{approvedAt}, 'approvedAt null');
unlike($r->{body}, qr/glare/, "the reviewer's note is not shown to the user");
$m = mail_for($e->{email}, $t0, qr/not approved/i);
ok($m, 'kyc_rejected mail sent');
like($m->{text} // '', qr/BLURRY_IMAGE/, 'the mail gives the reason');
unlike($m->{raw} // '', qr/glare/, 'but not the note');
$r = api(POST => "/api/v1/admin/kyc/$kyc_e/reject", $A, { reason => 'BLURRY_IMAGE' });
error_ok($r, 409, 'CONFLICT', 'reject twice');
$r = api(POST => "/api/v1/admin/kyc/$kyc_e/approve", $A);
error_ok($r, 409, 'CONFLICT', 'approve after rejection');

# After a rejection the user may apply again; a LEVEL_1 approval keeps the door open.
$r = submit($e, kyc_body());
is($r->{status}, 201, 'resubmitted after rejection');
my $kyc_e2 = $r->{json}{data}{kycId};
isnt($kyc_e2, $kyc_e, 'a new application');
$r = api(POST => "/api/v1/admin/kyc/$kyc_e2/approve", $A, { level => 'LEVEL_1', note => 'basic only' });
is($r->{json}{data}{userKycLevel}, 'LEVEL_1', 'approved at LEVEL_1');
is(kyc_status($e)->{json}{data}{level}, 'LEVEL_1', 'user at LEVEL_1');

# === COMPLIANCE staff: review yes, account changes no ======================================
my $c = staff('COMPLIANCE');
my $C = bearer($c->{token});
$r = submit($e, kyc_body());
my $kyc_e3 = $r->{json}{data}{kycId};
$r = api(GET => '/api/v1/admin/users?pageSize=1', $C);
is($r->{status}, 200, 'compliance lists users');
$r = api(GET => "/api/v1/admin/users/$e->{userId}", $C);
is($r->{status}, 200, 'compliance reads a user');
$r = api(PUT => "/api/v1/admin/users/$e->{userId}/status", $C, { status => 'SUSPENDED', reason => 'test' });
error_ok($r, 403, 'FORBIDDEN', 'compliance cannot change a status');
$r = api(PUT => "/api/v1/admin/users/$e->{userId}/limits", $C,
    { dailyWithdrawal => '1.00', monthlyWithdrawal => '2.00', dailyTrading => '3.00' });
error_ok($r, 403, 'FORBIDDEN', 'compliance cannot change limits');
# LEVEL_3 is enhanced verification (Appendix C): a video call after LEVEL_2.
$r = api(POST => "/api/v1/admin/kyc/$kyc_e3/approve", $C, { level => 'LEVEL_3' });
error_ok($r, 400, 'INVALID_REQUEST', 'LEVEL_3 is not granted by an approval');
like($r->{json}{error}{details}{reason}, qr/video/, 'but by a video-call review');
$r = api(POST => "/api/v1/admin/kyc/$kyc_e3/approve", $C, { level => 'LEVEL_2' });
is($r->{status}, 200, 'compliance approves KYC') or diag($r->{body});
is($r->{json}{data}{reviewedBy}, $c->{userId}, 'as itself');
$r = api(POST => "/api/v1/admin/kyc/$kyc_e3/video-review", $C, { outcome => 'PASSED' });
is($r->{status}, 200, 'compliance records a passed video call') or diag($r->{body});
is(kyc_status($e)->{json}{data}{level}, 'LEVEL_3', 'LEVEL_3 granted');
# Nobody reviews their own identity.
psql("UPDATE users SET kyc_level = 0 WHERE public_id = '$c->{userId}'");
$r = submit({ access => $c->{token} }, kyc_body());
is($r->{status}, 201, 'a compliance officer applies for themself');
$r = api(POST => "/api/v1/admin/kyc/$r->{json}{data}{kycId}/approve", $C);
error_ok($r, 403, 'FORBIDDEN', 'and cannot approve it');

# === account status =============================================================
my $s = new_user('susp');
$r = api(PUT => "/api/v1/admin/users/$s->{userId}/status", $A, { status => 'SUSPENDED' });
error_ok($r, 400, 'INVALID_REQUEST', 'status without a reason');
$r = api(PUT => "/api/v1/admin/users/$s->{userId}/status", $A, { status => 'DELETED', reason => 'x y z' });
error_ok($r, 400, 'INVALID_REQUEST', 'unknown status');
$r = api(PUT => "/api/v1/admin/users/$s->{userId}/status", $A,
    { status => 'PENDING_VERIFICATION', reason => 'back to start' });
error_ok($r, 400, 'INVALID_REQUEST', 'PENDING_VERIFICATION is not set by hand');
$r = api(PUT => '/api/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa/status', $A,
    { status => 'SUSPENDED', reason => 'nobody' });
error_ok($r, 404, 'NOT_FOUND', 'unknown user');
$r = api(PUT => "/api/v1/admin/users/$ADMIN_ID/status", $A, { status => 'BLOCKED', reason => 'oops' });
error_ok($r, 403, 'FORBIDDEN', 'an admin cannot change their own status');
is(psql("SELECT status FROM users WHERE public_id = '$ADMIN_ID'"), 'ACTIVE', 'admin still active');

$r = api(PUT => "/api/v1/admin/users/$s->{userId}/status", $A,
    { status => 'SUSPENDED', reason => 'Chargeback under investigation' });
is($r->{status}, 200, 'suspended') or diag($r->{body});
is($r->{json}{data}{status}, 'SUSPENDED', 'status SUSPENDED');
is($r->{json}{data}{previousStatus}, 'EMAIL_VERIFIED', 'previousStatus');
$r = api(GET => '/api/v1/users/profile', bearer($s->{access}));
error_ok($r, 403, 'COMPLIANCE_003', "suspended user's next request");
$r = kyc_status($s);
error_ok($r, 403, 'COMPLIANCE_003', 'everywhere');
$r = api(POST => '/api/v1/auth/refresh', {}, { refreshToken => $s->{refresh} });
error_ok($r, 401, 'AUTH_003', 'their refresh token stopped working');
$r = login($s->{email}, $s->{password});
error_ok($r, 403, 'COMPLIANCE_003', 'and they cannot log in');
$r = api(GET => "/api/v1/admin/users/$s->{userId}", $A);
is($r->{json}{data}{status}, 'SUSPENDED', 'detail shows SUSPENDED');
is($r->{json}{data}{statusReason}, 'Chargeback under investigation', 'and why');

$r = api(PUT => "/api/v1/admin/users/$s->{userId}/status", $A, { status => 'ACTIVE', reason => 'Cleared' });
is($r->{status}, 200, 'reactivated');
$r = login($s->{email}, $s->{password});
is($r->{status}, 200, 'logs in again');
my $s_access = $r->{json}{data}{accessToken};
$r = api(POST => '/api/v1/auth/refresh', {}, { refreshToken => $s->{refresh} });
error_ok($r, 401, 'AUTH_003', 'the old refresh token stays revoked');
$r = api(PUT => "/api/v1/admin/users/$s->{userId}/status", $A, { status => 'BLOCKED', reason => 'Fraud confirmed' });
is($r->{json}{data}{status}, 'BLOCKED', 'blocked');
$r = api(GET => '/api/v1/users/profile', bearer($s_access));
error_ok($r, 403, 'COMPLIANCE_003', 'blocked user refused');

# Activation does not skip e-mail verification.
my $pending_email = unique_email('unverified');
api(POST => '/api/v1/auth/register', {}, { email => $pending_email, password => 'Correct-Horse-99z' });
my $pending_id = psql("SELECT public_id FROM users WHERE email = '$pending_email'");
$r = api(PUT => "/api/v1/admin/users/$pending_id/status", $A, { status => 'ACTIVE', reason => 'skip it' });
error_ok($r, 409, 'CONFLICT', 'an unverified account cannot be activated');

# === limits =======================================================================
my $l = new_user('limits');
my $LP = "/api/v1/admin/users/$l->{userId}/limits";
$r = api(GET => "/api/v1/admin/users/$l->{userId}", $A);
is($r->{status}, 200, 'user detail') or diag($r->{body});
my $dd = $r->{json}{data};
is($dd->{userId}, $l->{userId}, 'userId');
is($dd->{email}, $l->{email}, 'email');
is($dd->{kycLevel}, 'LEVEL_0', 'kycLevel');
is_deeply($dd->{limits}{dailyWithdrawal}, { limit => '0.00', used => '0.00', currency => 'TRY' },
    'level defaults: daily (and what is used of it)');
is($dd->{limits}{source}, 'KYC_LEVEL', 'from the level');
ok(!defined $dd->{kyc}, 'no KYC application');
my %lim = (dailyWithdrawal => '250000.00', monthlyWithdrawal => '1000000', dailyTrading => '2000000.5');
my @badlim = (
	[ { %lim, dailyWithdrawal => '1.001' },	'dailyWithdrawal', qr/2 decimals/, 'three decimals' ],
	[ { %lim, dailyTrading => '-1.00' },	'dailyTrading', qr/negative/, 'negative' ],
	[ { %lim, dailyTrading => '1e6' },	'dailyTrading', qr/decimal/, 'exponent' ],
	[ { %lim, dailyTrading => ' 100' },	'dailyTrading', qr/decimal/, 'space' ],
	[ { %lim, dailyTrading => '99999999999999999999' }, 'dailyTrading', qr/large/, 'too large' ],
	[ { %lim, dailyWithdrawal => 100 },	'dailyWithdrawal', qr/string/, 'a JSON number' ],
	[ { %lim, monthlyWithdrawal => '249999.99' }, 'monthlyWithdrawal', qr/less than/, 'monthly below daily' ],
	[ { dailyWithdrawal => '1.00', monthlyWithdrawal => '2.00' }, 'dailyTrading', qr/required/, 'missing field' ],
	[ { %lim, weeklyWithdrawal => '1.00' },	'weeklyWithdrawal', qr/unknown/, 'unknown field' ],
	[ { %lim, dailyWithdrawal => { limit => '1.00', currency => 'USD' } }, 'dailyWithdrawal', qr/TRY/,
	  'an object in another currency' ],
	[ { %lim, dailyWithdrawal => { currency => 'TRY' } }, 'dailyWithdrawal', qr/limit/, 'an object without its limit' ],
	[ { %lim, dailyWithdrawal => { limit => '1.001' } }, 'dailyWithdrawal', qr/2 decimals/, 'an object: three decimals' ],
);
for my $t (@badlim) {
	my ($b, $field, $why, $name) = @$t;
	$r = api(PUT => $LP, $A, $b);
	error_ok($r, 400, 'INVALID_REQUEST', "limits: $name");
	is($r->{json}{error}{details}{field}, $field, "limits: $name: field");
	like($r->{json}{error}{details}{reason} // '', $why, "limits: $name: reason");
}
is(psql("SELECT count(*) FROM user_limits l JOIN users u ON u.id = l.user_id"
    . " WHERE u.public_id = '$l->{userId}'"), 0, 'refused changes stored nothing');
$r = api(PUT => $LP, $A, { %lim, reason => 'Corporate customer' });
is($r->{status}, 200, 'limits set') or diag($r->{body});
is_deeply($r->{json}{data}{limits}, {
	dailyWithdrawal => { limit => '250000.00', used => '0.00', currency => 'TRY' },
	monthlyWithdrawal => { limit => '1000000.00', used => '0.00', currency => 'TRY' },
	dailyTrading => '2000000.50', dailyTradingUsed => '0.00', source => 'USER' },
    'answer: canonical decimal strings');
$r = api(GET => "/api/v1/admin/users/$l->{userId}", $A);
is($r->{json}{data}{limits}{monthlyWithdrawal}{limit}, '1000000.00', 'detail shows the new limits');
is($r->{json}{data}{limits}{source}, 'USER', 'as the user\'s own');
$r = kyc_status($l);
is($r->{json}{data}{limits}{dailyTrading}, '2000000.50', 'and the user sees them');
# Appendix C's shape of a limit is taken too (used is counted, not set).
$r = api(PUT => $LP, $A, { dailyWithdrawal => { limit => '300000.00', used => '5.00', currency => 'TRY' },
    monthlyWithdrawal => { limit => '1200000.00', currency => 'TRY' }, dailyTrading => '2000000.50' });
is($r->{status}, 200, 'limits as Appendix C\'s objects') or diag($r->{body});
is_deeply($r->{json}{data}{limits}{dailyWithdrawal}, { limit => '300000.00', used => '0.00', currency => 'TRY' },
    '  taken: the daily limit');
is($r->{json}{data}{limits}{monthlyWithdrawal}{limit}, '1200000.00', '  and the monthly one');
$r = api(PUT => $LP, $A, { dailyWithdrawal => '0', monthlyWithdrawal => '0', dailyTrading => '0' });
is($r->{json}{data}{limits}{dailyWithdrawal}{limit}, '0.00', 'zero limits (monthly = daily) accepted');
$r = api(PUT => "/api/v1/admin/users/$ADMIN_ID/limits", $A, \%lim);
error_ok($r, 403, 'FORBIDDEN', 'an admin cannot set their own limits');
$r = api(PUT => '/api/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa/limits', $A, \%lim);
error_ok($r, 404, 'NOT_FOUND', 'limits of an unknown user');
$r = api(GET => '/api/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa', $A);
error_ok($r, 404, 'NOT_FOUND', 'detail of an unknown user');
$r = api(GET => '/api/v1/admin/users/robert%27%3B--', $A);
error_ok($r, 404, 'NOT_FOUND', 'detail of a malformed id');

# A user with an application shows it.
$r = api(GET => "/api/v1/admin/users/$u->{userId}", $A);
is($r->{json}{data}{kyc}{kycId}, $kyc, 'detail: latest application');
is($r->{json}{data}{kyc}{status}, 'APPROVED', 'detail: its status');
is($r->{json}{data}{limits}{dailyWithdrawal}{limit}, '100000.00', 'detail: LEVEL_2 defaults');

# === the users list ==================================================================
my $tag = "lst$$" . int(rand 1e6);
my @list = map { new_user($tag) } 1 .. 3;
my $pfx = "$tag.";
my $L = "/api/v1/admin/users?filter_email=$pfx";
$r = api(GET => "$L&pageSize=2", $A);
is($r->{status}, 200, 'users list') or diag($r->{body});
envelope_ok($r, 'users list');
is_deeply($r->{json}{meta}, { page => 1, pageSize => 2, totalCount => 3, totalPages => 2,
    hasNext => JSON::PP::true, hasPrevious => JSON::PP::false }, 'meta');
is(scalar @{ $r->{json}{data} }, 2, 'two on page 1');
is_deeply([ map { $_->{userId} } @{ $r->{json}{data} } ],
    [ $list[2]{userId}, $list[1]{userId} ], 'newest first by default');
my $row = $r->{json}{data}[0];
is_deeply([ sort keys %$row ], [qw(createdAt email kycLevel roles status twoFactorEnabled userId)],
    'list rows: the summary fields');
like($r->{json}{links}{self}, qr{^/api/v1/admin/users\?page=1&pageSize=2&filter_email=\Q$pfx\E&sort=-createdAt$},
    'links.self keeps the filter and sort');
like($r->{json}{links}{next}, qr{page=2&pageSize=2}, 'links.next');
like($r->{json}{links}{last}, qr{page=2&pageSize=2}, 'links.last');
ok(!defined $r->{json}{links}{previous}, 'no previous on page 1');
$r = api(GET => $r->{json}{links}{next}, $A);
is(scalar @{ $r->{json}{data} }, 1, 'links.next gives the last one');
is($r->{json}{data}[0]{userId}, $list[0]{userId}, 'the oldest');
ok(!$r->{json}{meta}{hasNext} && $r->{json}{meta}{hasPrevious}, 'page 2: no next, a previous');
ok(!defined $r->{json}{links}{next}, 'links.next null at the end');
$r = api(GET => "$L&page=9", $A);
is_deeply($r->{json}{data}, [], 'past the end: empty');
is($r->{json}{meta}{totalCount}, 3, 'with the count');

my @emails = sort map { $_->{email} } @list;
$r = api(GET => "$L&sort=%2Bemail", $A);
is_deeply([ map { $_->{email} } @{ $r->{json}{data} } ], \@emails, 'sort=+email');
$r = api(GET => "$L&sort=+email", $A);
is_deeply([ map { $_->{email} } @{ $r->{json}{data} } ], \@emails, 'sort=+email with + unencoded');
$r = api(GET => "$L&sort=-email", $A);
is_deeply([ map { $_->{email} } @{ $r->{json}{data} } ], [ reverse @emails ], 'sort=-email');
$r = api(GET => "$L&sort=createdAt", $A);
is_deeply([ map { $_->{userId} } @{ $r->{json}{data} } ], [ map { $_->{userId} } @list ],
    'sort=createdAt (bare: ascending)');
api(PUT => "/api/v1/admin/users/$list[1]{userId}/status", $A, { status => 'SUSPENDED', reason => 'list test' });
$r = api(GET => "$L&filter_status=SUSPENDED", $A);
is_deeply([ map { $_->{userId} } @{ $r->{json}{data} } ], [ $list[1]{userId} ], 'filter_status');
$r = api(GET => "$L&sort=-status,%2Bemail", $A);
is($r->{json}{data}[0]{userId}, $list[1]{userId}, 'sort=-status,+email: SUSPENDED first');
is_deeply([ map { $_->{email} } @{ $r->{json}{data} }[1, 2] ],
    [ sort $list[0]{email}, $list[2]{email} ], 'then EMAIL_VERIFIED by e-mail');
$r = api(GET => "$L&filter_kycLevel=LEVEL_0", $A);
is($r->{json}{meta}{totalCount}, 3, 'filter_kycLevel=LEVEL_0');
$r = api(GET => "$L&filter_kycLevel=LEVEL_2", $A);
is($r->{json}{meta}{totalCount}, 0, 'filter_kycLevel=LEVEL_2');
$r = api(GET => '/api/v1/admin/users?filter_email=' . uc($pfx), $A);
is($r->{json}{meta}{totalCount}, 3, 'filter_email is case-insensitive');
$r = api(GET => '/api/v1/admin/users?filter_role=ADMIN&pageSize=500', $A);
ok((grep { $_->{email} eq 'admin@example.com' } @{ $r->{json}{data} }), 'filter_role=ADMIN');
ok(!(grep { $_->{email} eq $u->{email} } @{ $r->{json}{data} }), 'only staff');
$r = api(GET => '/api/v1/admin/users?filter_email=_', $A);
is($r->{json}{meta}{totalCount}, 0, 'an e-mail prefix is no LIKE pattern');
$r = api(GET => '/api/v1/admin/users', $A);
is($r->{json}{meta}{pageSize}, 50, 'default pageSize 50');
is($r->{json}{meta}{page}, 1, 'default page 1');
is($r->{headers}{'x-ratelimit-limit'}, 10000, 'admin reads: 1000/min (x10)');

for my $q ('pageSize=501', 'pageSize=0', 'page=0', 'page=-1', 'page=1.5', 'page=01',
    'sort=%2Bpassword', 'sort=email,email', 'sort=', 'sort=email,', 'filter_status=GONE',
    'filter_kycLevel=2', 'filter_role=ROOT', 'filter_foo=1', 'page=1&page=2', 'filter_email=') {
	$r = api(GET => "/api/v1/admin/users?$q", $A);
	error_ok($r, 400, 'INVALID_REQUEST', "list with $q");
}

done_testing;
